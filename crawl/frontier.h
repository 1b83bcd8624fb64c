/*
 * frontier.h - what a crawl fetches next: a FIFO of normal URLs (so
 * breadth first, depth by depth) and the set of every URL seen.
 *
 * Flow: seeds, links (at release) -> frontier -> pool.
 *
 * A URL enters once: frontier_push() refuses one seen before, one deeper
 * than the depth limit and any past the page limit. Links enter when their
 * page's record is released, in order, so the same site is crawled in the
 * same order every time.
 */
#ifndef GF_FRONTIER_H
#define GF_FRONTIER_H

#include <stdbool.h>
#include <stddef.h>

struct crawl_item {
	char *url;                    /* normal form (owned) */
	char *parent;                 /* the page that linked to it, NULL = seed */
	int depth;                    /* 0 for seeds */
	long seed;                    /* the seed it descends from (scope) */
	const char *host;             /* its host as libcurl gives it, NULL =
				       * unknown (the frontier's: see
				       * frontier_host()) */
};

struct frontier;

/* max_depth < 0 and max_pages 0: no limit. */
struct frontier *frontier_new(int max_depth, long max_pages);
void frontier_free(struct frontier *fr);

/* Queue url (normal form) unless seen, too deep or over the page limit.
 * host is NULL or from frontier_host(). True when it was queued. */
bool frontier_push(struct frontier *fr, const char *url, const char *parent,
		   int depth, long seed, const char *host);

/* The frontier's copy of a host name, kept until frontier_free(), so that
 * the URLs of one host share it; NULL out of memory. */
const char *frontier_host(struct frontier *fr, const char *host);

/* Mark url seen without queueing it (the end of a redirect). */
void frontier_mark(struct frontier *fr, const char *url);

/* Has url been seen? */
bool frontier_seen(const struct frontier *fr, const char *url);

/* The next URL, breadth first; false when the queue is empty. The caller
 * owns the strings of *item. */
bool frontier_pop(struct frontier *fr, struct crawl_item *item);

/* Put a popped item back at the end of the queue (it stays seen; the
 * strings go back to the frontier). */
void frontier_requeue(struct frontier *fr, struct crawl_item *item);

/* URLs queued and not popped. */
size_t frontier_size(const struct frontier *fr);

#endif
