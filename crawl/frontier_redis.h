/*
 * frontier_redis.h - --frontier redis://...: the crawl's frontier shared
 * by every worker that runs the same command, in one Redis: the seen set,
 * per-host queues with their politeness (in flight, --delay, Crawl-delay:
 * for all workers together, on the server's clock) and leases.
 *
 * Flow: pop (TAKE: items leased to this worker) -> pool -> fetch ->
 *       release: links pushed, then done (COMMIT: the record into the
 *       stream, the new links into their queues, the lease given back, in
 *       one script) -> next pop.
 *
 * Nothing is lost: a lease not renewed (the worker was killed) expires
 * and its item goes back to its queue for another worker, whose commit
 * then wins; a commit under a lease that expired is refused (fenced by
 * its token). Nothing twice: a page's record enters the stream only with
 * its lease's commit. The crawl is over when no host has items queued and
 * no lease is out.
 */
#ifndef GF_FRONTIER_REDIS_H
#define GF_FRONTIER_REDIS_H

#include "config.h"
#include "frontier.h"

struct hub;

/* The scripts (frontier_lua.c), and --collect's. */
enum frontier_script {
	FR_COMMIT, FR_TAKE, FR_RENEW, FR_BACK, FR_GAP, FR_SLOW, FR_ROBOTS,
	FR_ROBOTS_PUT, FR_SCRIPTS
};
extern const char *const frontier_lua[FR_SCRIPTS];
extern const char frontier_lua_status[];

/* An item as its queue keeps it: "KIND\tDEPTH\tSEED\tLEVEL\tLIST\tPOS\t
 * PARENT\tURL" (frontier_lua.c); decoded, its strings are the caller's. */
char *frontier_item_encode(const struct crawl_item *it);
bool frontier_item_decode(const char *s, size_t n, struct crawl_item *it);

/* The shared frontier on cfg->frontier, its commands on hub_of(arg) (from
 * the first pop on); ready(arg) when a pop that said GF_AGAIN may now say
 * more. NULL with a message in err (Redis unreachable). */
struct frontier *frontier_redis_new(const struct gf_config *cfg,
				    struct hub *(*hub_of)(void *arg),
				    void (*ready)(void *arg), void *arg,
				    char *err, size_t errlen);

/* A shared list's line that is no URL: its number (from 1), counted as
 * the other lines are (their items' pos is their number less one). */
unsigned long frontier_redis_skip_line(struct frontier *fr);

/* What the workers share of hosts and origins (frontier_share.c). */

/* A host's Crawl-delay, for every worker. */
void frontier_redis_gap(struct frontier *fr, const char *host, double secs);

/* The host of item answered 429 or 503: slowed for every worker (Redis
 * keeps the state: frontier_lua.c); a success at the commit lets it
 * recover. retry: its Retry-After (s), 0 = none. */
void frontier_redis_slow(struct frontier *fr, const struct crawl_item *item,
			 double retry);

/* An origin's robots.txt, fetched by one worker for all: what it said is
 * kept in Redis as a verdict, a letter and what follows it: "A" (all
 * allowed: a 4xx), "D" (nothing allowed: a 5xx or no answer), "P" and the
 * text read, to be parsed. fn(arg, what, verdict, len) says, once: */
enum frontier_robots {
	FR_ROBOTS_KNOWN,              /* another worker read it: the verdict */
	FR_ROBOTS_FETCH,              /* this worker fetches it, then puts */
	FR_ROBOTS_GONE                /* the hub is going away (crawl_stop()) */
};
typedef void (*frontier_robots_fn)(void *arg, int what, const char *verdict,
				   size_t len);
void frontier_redis_robots(struct frontier *fr, const char *origin,
			   frontier_robots_fn fn, void *arg);
/* After FR_ROBOTS_FETCH: the verdict (letter, then text of len bytes),
 * for every worker; letter 0: none (the fetch was given up), another
 * worker may claim it. */
void frontier_redis_robots_put(struct frontier *fr, const char *origin,
			       char letter, const char *text, size_t len);

/* The key prefix of a crawl: "gf:{ID}:", ID from --crawl-id or from the
 * seeds: their hash, each (in normal form, in order) into it by
 * frontier_redis_seed(), from 0. */
uint64_t frontier_redis_seed(uint64_t hash, const char *url);
char *frontier_redis_prefix(const struct gf_config *cfg, uint64_t seeds);

#endif
