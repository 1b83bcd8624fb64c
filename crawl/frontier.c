/*
 * frontier.c - the crawl queue and its seen set.
 *
 * The queue is a singly linked FIFO; the seen set an open-addressing hash
 * of strings, doubled when half full, sized by what the crawl meets.
 */
#include "frontier.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"

struct node {
	struct crawl_item item;
	struct node *next;
};

struct frontier {
	struct node *head, *tail;     /* the queue */
	size_t size;                  /* nodes in it */
	char **seen;                  /* the set, NULL = free slot */
	size_t cap, nseen;            /* slots (a power of two), used */
	int max_depth;                /* deepest depth queued, < 0 = any */
	long max_pages;               /* URLs queued at most, 0 = any */
	long pushed;                  /* URLs queued so far */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for(; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static char **slot_of(char **seen, size_t cap, const char *url)
{
	size_t i = (size_t)hash(url) & (cap - 1);

	while(seen[i] && strcmp(seen[i], url) != 0)
		i = (i + 1) & (cap - 1);
	return &seen[i];
}

struct frontier *frontier_new(int max_depth, long max_pages)
{
	struct frontier *fr = calloc(1, sizeof(*fr));

	if(!fr)
		return NULL;
	fr->cap = 1024;
	fr->seen = calloc(fr->cap, sizeof(*fr->seen));
	if(!fr->seen) {
		free(fr);
		return NULL;
	}
	fr->max_depth = max_depth;
	fr->max_pages = max_pages;
	return fr;
}

void frontier_free(struct frontier *fr)
{
	if(!fr)
		return;
	while(fr->head) {
		struct node *n = fr->head;

		fr->head = n->next;
		free(n->item.url);
		free(n->item.parent);
		free(n);
	}
	for(size_t i = 0; i < fr->cap; i++)
		free(fr->seen[i]);
	free(fr->seen);
	free(fr);
}

static bool grow(struct frontier *fr)
{
	size_t cap = fr->cap * 2;
	char **seen = calloc(cap, sizeof(*seen));

	if(!seen)
		return false;
	for(size_t i = 0; i < fr->cap; i++)
		if(fr->seen[i])
			*slot_of(seen, cap, fr->seen[i]) = fr->seen[i];
	free(fr->seen);
	fr->seen = seen;
	fr->cap = cap;
	return true;
}

/* Add url to the seen set; false if it was there (or out of memory). */
static bool mark(struct frontier *fr, const char *url)
{
	char **slot;

	if(2 * (fr->nseen + 1) > fr->cap && !grow(fr)) {
		gf_oom();
		return false;
	}
	slot = slot_of(fr->seen, fr->cap, url);
	if(*slot)
		return false;
	*slot = strdup(url);
	if(!*slot) {
		gf_oom();
		return false;
	}
	fr->nseen++;
	return true;
}

void frontier_mark(struct frontier *fr, const char *url)
{
	mark(fr, url);
}

bool frontier_seen(const struct frontier *fr, const char *url)
{
	return *slot_of(fr->seen, fr->cap, url) != NULL;
}

static void enqueue(struct frontier *fr, struct node *n)
{
	if(fr->tail)
		fr->tail->next = n;
	else
		fr->head = n;
	fr->tail = n;
	fr->size++;
}

bool frontier_push(struct frontier *fr, const char *url, const char *parent,
		   int depth, long seed)
{
	struct node *n;

	if(fr->max_depth >= 0 && depth > fr->max_depth)
		return false;
	if(fr->max_pages > 0 && fr->pushed >= fr->max_pages)
		return false;
	if(frontier_seen(fr, url))
		return false;
	if(!(n = calloc(1, sizeof(*n)))) {
		gf_oom();
		return false;
	}
	n->item.url = strdup(url);
	n->item.parent = parent ? strdup(parent) : NULL;
	n->item.depth = depth;
	n->item.seed = seed;
	if(!n->item.url || (parent && !n->item.parent) || !mark(fr, url)) {
		gf_oom();
		free(n->item.url);
		free(n->item.parent);
		free(n);
		return false;
	}
	enqueue(fr, n);
	fr->pushed++;
	return true;
}

bool frontier_pop(struct frontier *fr, struct crawl_item *item)
{
	struct node *n = fr->head;

	if(!n)
		return false;
	fr->head = n->next;
	if(!fr->head)
		fr->tail = NULL;
	fr->size--;
	*item = n->item;
	free(n);
	return true;
}

size_t frontier_size(const struct frontier *fr)
{
	return fr->size;
}

void frontier_requeue(struct frontier *fr, struct crawl_item *item)
{
	struct node *n = calloc(1, sizeof(*n));

	if(!n) {
		free(item->url);
		free(item->parent);
		return;
	}
	n->item = *item;
	enqueue(fr, n);
}
