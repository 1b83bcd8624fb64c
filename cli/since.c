/*
 * since.c - --since's validators per URL (see since.h): a table by URL
 * fingerprint, open addressing, the strings each in one allocation.
 */
#include "since.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpset.h"
#include "gf.h"
#include "journal.h"

#define SINCE_SALT 0x53494e4345ULL   /* "SINCE" */

struct slot {
	uint64_t fp;                  /* 0 = free */
	struct since_entry e;
	char *strings;                /* what e points into (owned) */
};

struct since {
	struct slot *slot;
	size_t cap, n;                /* cap a power of two */
};

static struct slot *find_slot(struct slot *slot, size_t cap, uint64_t fp)
{
	size_t i = (size_t)fp & (cap - 1);

	while(slot[i].fp && slot[i].fp != fp)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

static bool grow(struct since *s)
{
	size_t cap = s->cap ? 2 * s->cap : 256;
	struct slot *slot = calloc(cap, sizeof(*slot));

	if(!slot)
		return false;
	for(size_t i = 0; i < s->cap; i++)
		if(s->slot[i].fp)
			*find_slot(slot, cap, s->slot[i].fp) = s->slot[i];
	free(s->slot);
	s->slot = slot;
	s->cap = cap;
	return true;
}

/* The strings of e in one block: the entry points into it. */
static char *pack(const struct journal_entry *je, struct since_entry *e)
{
	const char *parts[] = { je->etag, je->last_modified, je->crawl ?
				(je->new_links ? je->new_links : "") : NULL };
	const char **to[] = { &e->etag, &e->last_modified, &e->links };
	size_t len = 0;
	char *block, *p;

	for(size_t i = 0; i < ARRAY_SIZE(parts); i++)
		len += parts[i] ? strlen(parts[i]) + 1 : 0;
	if(!(block = p = malloc(len ? len : 1)))
		return NULL;
	for(size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		*to[i] = NULL;
		if(!parts[i])
			continue;
		*to[i] = p;
		p = stpcpy(p, parts[i]) + 1;
	}
	return block;
}

/* The entry for a line: a later line of a URL takes its place. */
static bool add(struct since *s, const struct journal_entry *je)
{
	uint64_t fp = fp_str(je->url, SINCE_SALT);
	struct slot *slot;
	struct since_entry e;
	char *strings;

	if(4 * (s->n + 1) > 3 * s->cap && !grow(s))
		return false;
	if(!(strings = pack(je, &e)))
		return false;
	slot = find_slot(s->slot, s->cap, fp);
	if(slot->fp)
		free(slot->strings);
	else
		s->n++;
	slot->fp = fp;
	slot->e = e;
	slot->strings = strings;
	return true;
}

/* A line whose validators are the URL's own: it succeeded, was not
 * redirected, and gave some. */
static bool usable(const struct journal_entry *e)
{
	return !e->failed && !e->error && e->status > 0 && e->status < 400 &&
	       (e->etag || e->last_modified) &&
	       (!e->effective_url || !strcmp(e->effective_url, e->url));
}

struct since *since_new(const char *path, char *err, size_t errlen)
{
	struct since *s = calloc(1, sizeof(*s));
	struct journal_reader *jr;
	struct journal_entry e;

	err[0] = '\0';
	if(!s || !(jr = journal_reader_open(path, false, err, errlen))) {
		free(s);
		return NULL;
	}
	while(journal_read(jr, &e) == GF_OK) {
		if(usable(&e) && !add(s, &e)) {
			journal_reader_free(jr);
			since_free(s);
			return NULL;
		}
	}
	journal_reader_free(jr);
	return s;
}

void since_free(struct since *s)
{
	if(!s)
		return;
	for(size_t i = 0; i < s->cap; i++)
		free(s->slot[i].strings);
	free(s->slot);
	free(s);
}

const struct since_entry *since_find(const struct since *s, const char *url)
{
	struct slot *slot;

	if(!s->cap)
		return NULL;
	slot = find_slot(s->slot, s->cap, fp_str(url, SINCE_SALT));
	return slot->fp ? &slot->e : NULL;
}

size_t since_count(const struct since *s)
{
	return s->n;
}
