/*
 * frontier_share.c - what the workers of a shared crawl share of hosts
 * and origins besides the queues (see frontier_redis.h): a Crawl-delay, a
 * host slowed for answering 429 or 503, and each origin's robots.txt,
 * fetched by one worker and kept in Redis for the others.
 *
 * Flow of a robots.txt: ask (ROBOTS) -> the verdict, known: done; or this
 * worker's turn: fetch it, put the verdict (ROBOTS_PUT); or another
 * worker fetches it: ask again a little later. A worker that dies while
 * it fetches holds its claim a minute at most.
 */
#include <ev.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontier_redis_impl.h"
#include "gf.h"
#include "redis.h"
#include "url.h"

#define ASK_AGAIN 0.1                 /* s: another worker fetches it */
#define CLAIM_MS "60000"              /* a fetch's claim (twice its time) */
#define KEEP_MS 86400000L             /* a verdict is kept a day... */
#define KEEP_FAILED_MS 300000L        /* ... one of no answer five minutes */

/* An origin whose robots.txt this worker claimed and has not put. */
struct robots_claim {
	struct robots_claim *next;
	char origin[];
};

struct robots_ask {
	struct robots_ask *next;      /* the worker's asks */
	struct frontier_redis *fr;
	char *origin;
	frontier_robots_fn fn;
	void *arg;
	ev_timer again;
};

/* A script with the crawl's prefix before its arguments (len: NULL =
 * strlen), the reply to fn(arg) (or none: NULL). */
static bool share_eval(struct frontier_redis *r, int script, int argc,
		       const char **argv, const size_t *len, gf_redis_fn fn,
		       void *arg)
{
	const char *all[8];
	size_t lens[8];

	if(!r->prefix || !r->rd || argc > 7)
		return false;
	all[0] = r->prefix;
	lens[0] = strlen(r->prefix);
	for(int i = 0; i < argc; i++) {
		all[i + 1] = argv[i];
		lens[i + 1] = len ? len[i] : strlen(argv[i]);
	}
	return gf_redis_eval(r->rd, r->script[script], argc + 1, all, lens, fn, arg);
}

void frontier_redis_gap(struct frontier *fr, const char *host, double secs)
{
	char ms[24];
	const char *argv[] = { host, ms };

	snprintf(ms, sizeof(ms), "%ld", (long)(secs * 1000));
	share_eval((struct frontier_redis *)fr, FR_GAP, 2, argv, NULL, NULL, NULL);
}

void frontier_redis_slow(struct frontier *fr, const struct crawl_item *item,
			 double retry)
{
	char *host = item->host ? NULL : url_host_of(item->url);
	char tok[24], ms[24];
	const char *argv[] = { item->host ? item->host : host, tok, ms };

	snprintf(tok, sizeof(tok), "%" PRIu64, item->lease);
	snprintf(ms, sizeof(ms), "%ld", (long)(retry * 1000));
	if(argv[0])
		share_eval((struct frontier_redis *)fr, FR_SLOW, 3, argv, NULL, NULL, NULL);
	free(host);
}

/* ------------------------------------------------------ robots.txt */

static void ask_send(struct robots_ask *a);

/* The ask is answered: unlinked, told, freed. */
static void ask_end(struct robots_ask *a, int what, const char *verdict, size_t len)
{
	struct frontier_redis *r = a->fr;
	struct robots_ask **pp = &r->asks;

	while(*pp != a)
		pp = &(*pp)->next;
	*pp = a->next;
	if(r->loop)
		ev_timer_stop(r->loop, &a->again);
	a->fn(a->arg, what, verdict, len);
	free(a->origin);
	free(a);
}

static void ask_cb(void *arg, redisReply *reply)
{
	struct robots_ask *a = arg;
	struct frontier_redis *r = a->fr;

	if(r->stopping) {
		ask_end(a, FR_ROBOTS_GONE, NULL, 0);
	} else if(reply && reply->type == REDIS_REPLY_NIL) {
		ev_timer_set(&a->again, ASK_AGAIN, 0);
		ev_timer_start(r->loop, &a->again);
	} else if(reply && reply->type == REDIS_REPLY_STRING && reply->len > 0) {
		ask_end(a, FR_ROBOTS_KNOWN, reply->str, reply->len);
	} else if(reply && reply->type == REDIS_REPLY_STRING) {
		struct robots_claim *cl = malloc(sizeof(*cl) + strlen(a->origin) + 1);

		if(cl) {              /* ours: given up at the end if not put */
			strcpy(cl->origin, a->origin);
			cl->next = r->claims;
			r->claims = cl;
		}
		ask_end(a, FR_ROBOTS_FETCH, NULL, 0);
	} else {
		/* Our turn, or Redis could not say: fetched here. */
		if(reply && reply->type == REDIS_REPLY_ERROR) {
			fprintf(stderr, "greenfetch: --frontier: Redis: %s\n", reply->str);
			gf_redis_reset(r->rd);
		}
		ask_end(a, FR_ROBOTS_FETCH, NULL, 0);
	}
}

static void again_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop, (void)revents;
	ask_send(w->data);
}

static void ask_send(struct robots_ask *a)
{
	const char *argv[] = { a->origin, CLAIM_MS };

	if(!share_eval(a->fr, FR_ROBOTS, 2, argv, NULL, ask_cb, a))
		ask_end(a, a->fr->stopping ? FR_ROBOTS_GONE : FR_ROBOTS_FETCH, NULL, 0);
}

void frontier_redis_robots(struct frontier *fr, const char *origin,
			   frontier_robots_fn fn, void *arg)
{
	struct frontier_redis *r = (struct frontier_redis *)fr;
	struct robots_ask *a = calloc(1, sizeof(*a));

	if(!a || !(a->origin = strdup(origin))) {
		free(a);
		fn(arg, FR_ROBOTS_FETCH, NULL, 0);
		return;
	}
	a->fr = r;
	a->fn = fn;
	a->arg = arg;
	ev_init(&a->again, again_cb);
	a->again.data = a;
	a->next = r->asks;
	r->asks = a;
	ask_send(a);
}

void frontier_redis_robots_put(struct frontier *fr, const char *origin,
			       char letter, const char *text, size_t len)
{
	char *verdict = malloc(len + 1), ms[24];
	const char *argv[] = { origin, verdict, ms };
	size_t lens[] = { strlen(origin), len + 1, 0 };

	if(!verdict) {
		gf_oom();
		return;
	}
	/* A claim given up stays listed: at the end it goes again, blocking,
	 * in case this one is not sent before the connection closes. */
	for(struct robots_claim **pp = &((struct frontier_redis *)fr)->claims; letter && *pp;
	    pp = &(*pp)->next)
		if(strcmp((*pp)->origin, origin) == 0) {
			struct robots_claim *cl = *pp;

			*pp = cl->next;
			free(cl);
			break;
		}
	verdict[0] = letter;
	memcpy(verdict + 1, text, len);
	if(!letter)
		lens[1] = 0;          /* no verdict: the claim only goes */
	lens[2] = (size_t)snprintf(ms, sizeof(ms), "%ld",
				   letter == 'D' ? KEEP_FAILED_MS : KEEP_MS);
	share_eval((struct frontier_redis *)fr, FR_ROBOTS_PUT, 3, argv, lens, NULL, NULL);
	free(verdict);
}

/* The hub is going: asks end; claims not put are given up, blocking (an
 * interrupted fetch's put may not have left). */
void frontier_share_stop(struct frontier_redis *r)
{
	while(r->asks)
		ask_end(r->asks, FR_ROBOTS_GONE, NULL, 0);
	while(r->claims) {
		struct robots_claim *cl = r->claims;
		const char *argv[] = { r->prefix, cl->origin, "", "0" };
		size_t len[] = { strlen(r->prefix), strlen(cl->origin), 0, 1 };

		r->claims = cl->next;
		freeReplyObject(gf_redis_sync(r->rd, r->script[FR_ROBOTS_PUT], 4, argv, len));
		free(cl);
	}
}
