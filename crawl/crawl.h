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
 *
 * Sitemaps (--sitemap) are jobs of the crawl too, taken from the queue in
 * their turn: an origin's robots.txt names sitemaps, a sitemap names pages
 * or (an index) more sitemaps, and what each names joins the queue when
 * it is released, like a page's links. Their records are not written.
 */
#ifndef GF_CRAWL_H
#define GF_CRAWL_H

#include <stdbool.h>

#include "config.h"
#include "frontier.h"
#include "links.h"
#include "record.h"
#include "sitemap.h"

struct crawl;

/* What the crawl asks of the run. */
struct crawl_ops {
	/* Fetch rec->url aside (robots.txt) with cfg, then call done(arg,
	 * retry): later, or before returning (cfg asks for no retries). */
	void (*side_fetch)(void *ctx, const struct gf_config *cfg,
			   struct gf_record *rec, struct gf_body *body,
			   void (*done)(void *arg, double retry), void *arg);
	/* Space requests to host secs apart (a Crawl-delay). */
	void (*host_delay)(void *ctx, const char *host, double secs);
	/* A job that waited for its robots.txt may go on. */
	void (*resume)(void *ctx, void *job);
	/* --frontier: a record as a JSON line (malloc'ed), for the shared
	 * stream; and: crawl_next() may have more now. */
	char *(*record_json)(void *ctx, const struct gf_record *rec);
	void (*wake)(void *ctx);
	struct hub *(*hub)(void *ctx); /* where a shared frontier talks */
	void *ctx;
};

/* One job's part of the crawl: what it finds, collected while its body
 * streams. */
struct crawl_page {
	struct gf_body hook;          /* what fetch writes to */
	struct gf_body *inner;        /* where the body goes too, or NULL */
	struct crawl *crawl;          /* owner */
	const struct crawl_item *item; /* the job's entry of the queue */
	struct links *links;          /* a page's HTML parser, NULL = not HTML */
	int html;                     /* 0 unknown, 1 HTML, -1 not */
	bool nofollow;                /* its X-Robots-Tag says nofollow */
	struct sitemap *sitemap;      /* a sitemap's parser */
	char *text;                   /* a robots.txt, as read (--no-robots) */
	size_t text_len;
	char **found;                 /* the sitemaps a robots.txt names */
	size_t nfound;
};

enum crawl_robots {
	CRAWL_GO,                     /* fetch it */
	CRAWL_DENY,                   /* robots.txt forbids it */
	CRAWL_WAIT,                   /* its robots.txt comes first: resume */
	CRAWL_DONE                    /* nothing to fetch: the job is done */
};

/* NULL with a message in err (a bad --include/--exclude). */
struct crawl *crawl_new(const struct gf_config *cfg,
			const struct crawl_ops *ops, char *err, size_t errlen);
void crawl_free(struct crawl *c);
/* The hub is going away: a shared frontier settles with Redis (commits
 * not yet answered, leases not committed handed back) and leaves it. */
void crawl_stop(struct crawl *c);

/* A seed line (len bytes, not NUL-terminated): false when it is not an
 * http or https URL (it then gets an ordinary record, with the error). */
bool crawl_seed(struct crawl *c, const char *line, size_t len);

/* All seeds are in: queue what follows them (the seeds' sitemaps). */
void crawl_seeds_done(struct crawl *c);

/* The next job, breadth first: GF_OK, GF_EOF when none is queued now,
 * or (a shared frontier) GF_AGAIN: ops->wake() follows. */
int crawl_next(struct crawl *c, struct crawl_item *item);

/* Is the frontier shared (--frontier)? Its GF_EOF is then the end of the
 * crawl, for every worker. */
bool crawl_shared(const struct crawl *c);

/* The index of item's record, given the run's (index): in a shared URL
 * list, its line's number; item NULL: a line that is no URL (counted). */
uint64_t crawl_index(struct crawl *c, const struct crawl_item *item, uint64_t index);

/* The host of item answered 429 or 503 (retry: its Retry-After, 0 =
 * none): with a shared frontier, it is slowed for every worker. */
void crawl_overloaded(struct crawl *c, const struct crawl_item *item, double retry);

/* Jobs queued and not yet taken. */
size_t crawl_queued(const struct crawl *c);

/* Is the record of this job one to write (a page), or the crawl's own
 * work (a sitemap, a robots.txt read for its sitemaps)? */
bool crawl_item_shown(const struct crawl_item *item);

/* Before job's transfer (p set up by crawl_page_init): may it go? After
 * CRAWL_WAIT, ops->resume(job) follows and the question is asked again. */
enum crawl_robots crawl_admit(struct crawl *c, struct crawl_page *p, void *job);

/* Collect what the job finds; its body also goes to inner (or not). */
void crawl_page_init(struct crawl *c, struct crawl_page *p,
		     const struct crawl_item *item, struct gf_body *inner);
void crawl_page_done(struct crawl_page *p);
void crawl_page_free(struct crawl_page *p);

/* At the job's release, in order: queue what it found, mark a page's
 * final URL seen, fill rec->links (and with a journal rec->new_links). */
void crawl_release(struct crawl *c, struct crawl_page *p,
		   const struct crawl_item *item, struct gf_record *rec);

/* --resume: a job done by an earlier run, at its release, in order: what
 * its record (from the journal) says it found goes in as it went then
 * (rec->new_links, its final URL marked seen). */
void crawl_replay(struct crawl *c, const struct crawl_item *item,
		  const struct gf_record *rec);

#endif
