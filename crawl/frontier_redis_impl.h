/*
 * frontier_redis_impl.h - the shared frontier's insides, for
 * frontier_redis.c (queues, leases, commits) and frontier_share.c (what
 * workers share of hosts and origins: robots.txt, Crawl-delay, slowing).
 */
#ifndef GF_FRONTIER_REDIS_IMPL_H
#define GF_FRONTIER_REDIS_IMPL_H

#include <ev.h>
#include <stdbool.h>

#include "fpset.h"
#include "frontier_redis.h"
#include "strset.h"

#define TAKE_MAX 64                   /* items asked for at a time */

struct gf_redis;
struct redisReply;
struct robots_ask;
struct robots_claim;

/* A link for the next commit: its four arguments. */
struct link {
	char fp[17];
	char *host;                   /* NULL: only marked seen */
	char *item;
	bool page;
};

/* A commit: its arguments, kept until Redis has said it is done. */
struct commit {
	struct commit *next;
	struct frontier_redis *fr;
	int argc;
	char **argv;
	size_t *len;
	bool sent;                    /* and no reply yet */
	bool takes;                   /* TAKE's work too (r->taking) */
};

struct frontier_redis {
	struct frontier fr;
	const struct gf_config *cfg;
	struct gf_redis *rd;
	struct ev_loop *loop;         /* from the first pop */
	struct hub *(*hub_of)(void *arg);
	int script[FR_SCRIPTS];       /* gf_redis_script()'s numbers */
	uint64_t seeds;               /* their hash, for the crawl id */
	unsigned long nseeds;         /* a shared list's lines so far */
	char *prefix;                 /* set at the first pop */
	void (*ready)(void *arg);
	void *ready_arg;
	struct fpset seen;            /* links this worker sent or took */
	struct strset hosts;          /* host names, shared by items */
	struct link *links;           /* for the next commit */
	size_t nlinks, cap_links;
	struct commit *commits;       /* not yet done */
	struct crawl_item *taken;     /* leased, not yet popped: a FIFO */
	size_t ntaken, first_taken, cap_taken;
	uint64_t *live;               /* our tokens, not yet committed */
	size_t nlive, cap_live;
	bool taking;                  /* a TAKE is out */
	bool idle;                    /* the last found nothing: no TAKE until
				       * the poll, or a commit, says to */
	long queued, leased;          /* as the last TAKE said */
	bool over;                    /* nothing queued, no lease out */
	bool stopping;                /* redis_stop(): no more timers */
	struct robots_ask *asks;      /* robots.txt looked up (frontier_share.c) */
	struct robots_claim *claims;  /* ... fetched by this worker, not put */
	double poll_secs;             /* the next poll's wait, when idle */
	ev_timer poll, renew;
};

/* frontier_redis.c: fp is seen here (a link not sent again); the links
 * gathered and a page's end as one COMMIT (lease: "TOKEN ITEM", owned, or
 * NULL). */
void frontier_seen_add(struct frontier_redis *r, uint64_t fp);
void frontier_commit(struct frontier_redis *r, char *lease, const char *record, bool ok);

/* frontier_take.c: items this worker may take now; TAKE them; what TAKE
 * said, from reply->element[at] on; the poll's timer set up. */
int frontier_take_room(const struct frontier_redis *r);
void frontier_take(struct frontier_redis *r);
void frontier_took(struct frontier_redis *r, struct redisReply *reply, size_t at);
void frontier_take_init(struct frontier_redis *r);

/* frontier_share.c: the lookups of robots.txt end (the hub is going). */
void frontier_share_stop(struct frontier_redis *r);

#endif
