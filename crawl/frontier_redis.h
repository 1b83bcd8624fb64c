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

/* The scripts (frontier_lua.c). */
extern const char frontier_lua_commit[], frontier_lua_take[], frontier_lua_renew[],
		  frontier_lua_back[], frontier_lua_gap[], frontier_lua_status[];

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

/* A host's Crawl-delay, for every worker. */
void frontier_redis_gap(struct frontier *fr, const char *host, double secs);

/* The key prefix of a crawl: "gf:{ID}:", ID from --crawl-id or from the
 * seeds: their hash, each (in normal form, in order) into it by
 * frontier_redis_seed(), from 0. */
uint64_t frontier_redis_seed(uint64_t hash, const char *url);
char *frontier_redis_prefix(const struct gf_config *cfg, uint64_t seeds);

#endif
