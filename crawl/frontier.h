/*
 * frontier.h - what a crawl fetches next: the frontier interface (a small
 * ops table), and its first implementation, in memory: a FIFO of normal
 * URLs (so breadth first, depth by depth) and the set of every URL seen.
 *
 * Flow: seeds, links (at release) -> frontier -> pool.
 *
 * A URL enters once: frontier_push() refuses one seen before, one deeper
 * than the depth limit and any past the page limit. Links enter when their
 * page's record is released, in order, so the same site is crawled in the
 * same order every time.
 *
 * Besides pages the queue holds the crawl's other work in its place:
 * sitemaps to read and origins whose robots.txt may name sitemaps, so that
 * they are fetched among the pages (not all before them) and their URLs
 * join the queue at a point that does not depend on timing.
 *
 * Memory is bounded whatever the site (DESIGN invariant 3): the seen set
 * keeps 64-bit fingerprints, not URLs, and past its memory budget the
 * queue's newest entries go to a temporary file (unlinked at once), read
 * back in order when the older ones are taken.
 */
#ifndef GF_FRONTIER_H
#define GF_FRONTIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum frontier_kind {
	FRONTIER_PAGE,                /* a page: fetched, its links followed */
	FRONTIER_SITEMAP,             /* a sitemap: its URLs are pages or, in an
				       * index, more sitemaps */
	FRONTIER_ROBOTS               /* an origin (url is its robots.txt): the
				       * sitemaps it names, and /sitemap.xml */
};

struct crawl_item {
	char *url;                    /* normal form (owned) */
	char *parent;                 /* the page that linked to it, NULL = seed */
	int depth;                    /* 0 for seeds and pages of sitemaps */
	long seed;                    /* the seed it descends from (scope) */
	const char *host;             /* its host as libcurl gives it, NULL =
				       * unknown (the frontier's: see
				       * frontier_host()) */
	int kind;                     /* enum frontier_kind */
	int level;                    /* a sitemap's depth in indexes */
	unsigned list;                /* the crawl's list this sitemap is of
				       * (0 = none), and its place there */
	unsigned pos;
	uint64_t lease;               /* a shared frontier's token, 0 = none */
};

struct frontier;

/* What a frontier does. The memory one (frontier_memory_new) answers at
 * once; one over a network may answer pop later: GF_AGAIN, then its
 * owner's ready() (given at its creation) says to ask again. */
struct frontier_ops {
	/* Queue item (a page, or work: item->kind); its strings are copied.
	 * A page is refused when seen, too deep or over the page limit; work
	 * when queued before, or when the page limit is reached. */
	bool (*push)(struct frontier *fr, const struct crawl_item *item);
	/* The next entry: GF_OK (the caller owns *item's strings), GF_AGAIN
	 * (ready() follows), GF_EOF (none queued now). */
	int (*pop)(struct frontier *fr, struct crawl_item *item);
	/* item's record is released and what it found was pushed: commit,
	 * with its HTTP status (0: none) and the record as a JSON line
	 * (NULL: none to keep). */
	void (*done)(struct frontier *fr, const struct crawl_item *item,
		     long status, const char *record);
	void (*mark)(struct frontier *fr, const char *url);
	bool (*seen)(const struct frontier *fr, const char *url);
	bool (*full)(const struct frontier *fr);
	const char *(*host)(struct frontier *fr, const char *host);
	size_t (*size)(const struct frontier *fr);
	void (*stop)(struct frontier *fr);    /* NULL: nothing to do */
	void (*free)(struct frontier *fr);
};

struct frontier {
	const struct frontier_ops *ops;
};

/* The frontier in memory (and a spill file). max_depth < 0 and max_pages
 * 0: no limit. memory: bytes of queue kept in memory before the newest
 * entries go to a temporary file. */
struct frontier *frontier_memory_new(int max_depth, long max_pages, size_t memory);

void frontier_free(struct frontier *fr);

/* The hub it may use is going away (see crawl_stop()). */
void frontier_stop(struct frontier *fr);

/* Queue a page (url in normal form): see ops->push. host is NULL or from
 * frontier_host(). True when it was queued. */
bool frontier_push(struct frontier *fr, const char *url, const char *parent,
		   int depth, long seed, const char *host);

/* Queue a sitemap or an origin's robots.txt (kind); list and pos come
 * back with it (see struct crawl_item). */
bool frontier_push_work(struct frontier *fr, int kind, const char *url,
			const char *parent, long seed, int level,
			unsigned list, unsigned pos);

/* The frontier's copy of a host name, so that the URLs of one host share
 * it; NULL when there are too many hosts to keep (or out of memory): the
 * host is then found again from the URL. */
const char *frontier_host(struct frontier *fr, const char *host);

/* Mark url seen without queueing it (the end of a redirect). */
void frontier_mark(struct frontier *fr, const char *url);

/* Has url been seen? */
bool frontier_seen(const struct frontier *fr, const char *url);

/* Is the page limit reached (no page can be queued any more)? */
bool frontier_full(const struct frontier *fr);

/* The next entry, breadth first: see ops->pop. */
int frontier_pop(struct frontier *fr, struct crawl_item *item);

/* The item's record is released (status: its HTTP status, 0 = none;
 * record: as a JSON line, for a shared frontier's stream; NULL: none). */
void frontier_done(struct frontier *fr, const struct crawl_item *item,
		   long status, const char *record);

/* Entries queued and not popped. */
size_t frontier_size(const struct frontier *fr);

/* The memory frontier's bytes: the queue in memory, in the file, and the
 * seen set. */
struct frontier_usage {
	size_t queue_memory;
	uint64_t queue_file;
	size_t seen;
};
void frontier_memory_usage(const struct frontier *fr, struct frontier_usage *u);

#endif
