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
#include "strset.h"

struct node {
	struct crawl_item item;
	struct node *next;
};

struct frontier {
	struct node *head, *tail;     /* the queue */
	size_t size;                  /* nodes in it */
	struct strset seen;           /* every URL queued or marked */
	struct strset hosts;          /* the hosts of items, shared */
	int max_depth;                /* deepest depth queued, < 0 = any */
	long max_pages;               /* URLs queued at most, 0 = any */
	long pushed;                  /* URLs queued so far */
};

struct frontier *frontier_new(int max_depth, long max_pages)
{
	struct frontier *fr = calloc(1, sizeof(*fr));

	if(!fr)
		return NULL;
	if(!strset_init(&fr->seen, 1024) || !strset_init(&fr->hosts, 16)) {
		strset_release(&fr->seen);
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
	strset_release(&fr->seen);
	strset_release(&fr->hosts);
	free(fr);
}

const char *frontier_host(struct frontier *fr, const char *host)
{
	const char *own = strset_intern(&fr->hosts, host);

	if(!own)
		gf_oom();
	return own;
}

/* Add url to the seen set; false if it was there (or out of memory). */
static bool mark(struct frontier *fr, const char *url)
{
	int rc = strset_add(&fr->seen, url);

	if(rc < 0)
		gf_oom();
	return rc > 0;
}

void frontier_mark(struct frontier *fr, const char *url)
{
	mark(fr, url);
}

bool frontier_seen(const struct frontier *fr, const char *url)
{
	return strset_has(&fr->seen, url);
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
		   int depth, long seed, const char *host)
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
	n->item.host = host;
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
