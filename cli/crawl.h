/*
 * crawl.h - a crawl's part of the run: seeds into the frontier, robots.txt
 * per origin before its first page, links of each page (parsed as it
 * streams) into the frontier when its record is released, in order.
 *
 * Flow: input (seeds) -> frontier -> pool -> [robots.txt] -> fetch (body
 *       -> links) -> pile -> crawl_release (links -> scope -> frontier)
 *       -> output.
 *
 * Links of page k enter the frontier when record k is released, and
 * releases happen in input order, so the same site gives the same order
 * every time, concurrent or --serial (DESIGN invariant 5).
 */
#ifndef GF_CRAWL_H
#define GF_CRAWL_H

#include <stdbool.h>

#include "config.h"
#include "frontier.h"
#include "links.h"
#include "record.h"

struct crawl;

/* What the crawl asks of the run. */
struct crawl_ops {
	/* Fetch rec->url aside (robots.txt, a sitemap) with cfg, then call
	 * done(arg): later, or before returning. */
	void (*side_fetch)(void *ctx, const struct gf_config *cfg,
			   struct gf_record *rec, struct gf_body *body,
			   void (*done)(void *arg), void *arg);
	/* Space requests to host secs apart (a Crawl-delay). */
	void (*host_delay)(void *ctx, const char *host, double secs);
	/* A page that waited for its robots.txt may go on. */
	void (*resume)(void *ctx, void *page);
	void *ctx;
};

/* One page's links, collected while its body streams. */
struct crawl_page {
	struct gf_body hook;          /* what fetch writes to */
	struct gf_body *inner;        /* where the body goes too, or NULL */
	struct crawl *crawl;          /* owner */
	long seed;                    /* scope anchor */
	struct links *links;          /* the parser, NULL = not HTML */
	int html;                     /* 0 unknown, 1 HTML, -1 not */
};

enum crawl_robots { CRAWL_GO, CRAWL_DENY, CRAWL_WAIT };

/* NULL with a message in err (a bad --include/--exclude). */
struct crawl *crawl_new(const struct gf_config *cfg,
			const struct crawl_ops *ops, char *err, size_t errlen);
void crawl_free(struct crawl *c);

/* A seed line: false when it is not an http or https URL (it then gets an
 * ordinary record, with the error). */
bool crawl_seed(struct crawl *c, const char *line);

/* All seeds are in: start what comes before the first page (sitemaps). */
void crawl_seeds_done(struct crawl *c);

/* The next page, breadth first; false when none is queued now. */
bool crawl_next(struct crawl *c, struct crawl_item *item);

/* Pages queued and not yet taken. */
size_t crawl_queued(const struct crawl *c);

/* Is anything still being done aside (sitemaps), so that the frontier
 * may grow without any page in flight? */
bool crawl_busy(const struct crawl *c);

/* May url be fetched? CRAWL_WAIT: its robots.txt is being fetched, and
 * ops->resume(page) follows. */
enum crawl_robots crawl_robots(struct crawl *c, const char *url, void *page);

/* Collect the links of a page; its body also goes to inner (or not). */
void crawl_page_init(struct crawl *c, struct crawl_page *p, long seed,
		     struct gf_body *inner);
void crawl_page_done(struct crawl_page *p);
void crawl_page_free(struct crawl_page *p);

/* At the page's release, in order: queue its links, mark its final URL
 * seen, fill rec->links. */
void crawl_release(struct crawl *c, struct crawl_page *p,
		   const struct crawl_item *item, struct gf_record *rec);

#endif
