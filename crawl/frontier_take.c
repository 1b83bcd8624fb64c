/*
 * frontier_take.c - the shared frontier's taking (see frontier_redis.h):
 * TAKE, alone or in a commit, leases items to this worker; while others
 * work and nothing is queued for it, it asks again a little later.
 */
#include <ev.h>
#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontier_redis_impl.h"
#include "gf.h"
#include "redis.h"

#define POLL_SECS 0.02                /* asking again, while others work... */
#define POLL_MAX 0.08                 /* ... twice as long each time it finds
				       * nothing, up to this */

/* Items this worker may take now: as many as it runs at once (up to
 * TAKE_MAX), less those it holds. */
int frontier_take_room(const struct frontier_redis *r)
{
	int max = r->cfg->concurrency < TAKE_MAX ? r->cfg->concurrency : TAKE_MAX;

	return max - (int)r->ntaken;
}

static void poll_later(struct frontier_redis *r, double secs)
{
	ev_timer_stop(r->loop, &r->poll);
	ev_timer_set(&r->poll, secs, 0);
	ev_timer_start(r->loop, &r->poll);
}

/* Room for one more item taken, and its token. */
static void taken_room(struct frontier_redis *r)
{
	if(r->first_taken && r->first_taken + r->ntaken == r->cap_taken) {
		memmove(r->taken, r->taken + r->first_taken, r->ntaken * sizeof(*r->taken));
		r->first_taken = 0;
	}
	if(r->ntaken == r->cap_taken) {
		r->cap_taken = r->cap_taken ? 2 * r->cap_taken : TAKE_MAX;
		if(!(r->taken = realloc(r->taken, r->cap_taken * sizeof(*r->taken))))
			gf_oom();
	}
	if(r->nlive == r->cap_live) {
		r->cap_live = r->cap_live ? 2 * r->cap_live : TAKE_MAX;
		if(!(r->live = realloc(r->live, r->cap_live * sizeof(*r->live))))
			gf_oom();
	}
}

/* What TAKE said, from reply->element[at] on: hosts queued, leases out,
 * ms to wait, then the items, leased to this worker. */
void frontier_took(struct frontier_redis *r, redisReply *reply, size_t at)
{
	double wait;

	r->queued = (long)reply->element[at]->integer;
	r->leased = (long)reply->element[at + 1]->integer;
	wait = (double)reply->element[at + 2]->integer / 1000;
	for(size_t i = at + 3; i + 2 < reply->elements; i += 3) {
		struct crawl_item it;

		taken_room(r);
		if(!frontier_item_decode(reply->element[i + 2]->str, reply->element[i + 2]->len,
					 &it)) {
			/* Its lease ends here, or it would come back for ever. */
			fprintf(stderr, "greenfetch: --frontier: an item Redis gave cannot be "
				"read: dropped: %.200s\n", reply->element[i + 2]->str);
			frontier_commit(r, gf_aprintf("%s %s", reply->element[i]->str,
						      reply->element[i + 2]->str), NULL, false);
			continue;
		}
		it.lease = strtoull(reply->element[i]->str, NULL, 10);
		r->live[r->nlive++] = it.lease;
		it.host = frontier_host(&r->fr, reply->element[i + 1]->str);
		frontier_seen_add(r, fp_str(it.url, (uint64_t)it.kind));
		r->taken[r->first_taken + r->ntaken++] = it;
	}
	r->over = r->queued == 0 && r->leased == 0 && !r->ntaken && !r->commits &&
		  !r->nlinks && !r->nlive;
	r->idle = !r->ntaken && !r->over;
	/* Asked again later, later each time it finds nothing; not when
	 * nothing is queued and every lease out is ours: then only our own
	 * commits (which take too) bring more. */
	if(r->ntaken)
		r->poll_secs = POLL_SECS / 2;
	else if(r->queued || r->leased > (long)r->nlive)
		r->poll_secs = r->poll_secs * 2 < POLL_MAX ? r->poll_secs * 2 : POLL_MAX;
	if(!r->ntaken && !r->over && (r->queued || r->leased > (long)r->nlive))
		poll_later(r, r->queued && wait > 0 && wait < 1 ? wait : r->poll_secs);
}

static void take_cb(void *arg, redisReply *reply)
{
	struct frontier_redis *r = arg;

	r->taking = false;
	if(r->stopping)
		return;
	if(!reply || reply->type != REDIS_REPLY_ARRAY || reply->elements < 3) {
		if(reply && reply->type == REDIS_REPLY_ERROR) {
			fprintf(stderr, "greenfetch: --frontier: Redis: %s\n", reply->str);
			gf_redis_reset(r->rd);
		}
		poll_later(r, POLL_SECS);
		return;
	}
	frontier_took(r, reply, 0);
	/* Nothing taken: the poll, or our next commit, asks again. */
	if(r->ready && (r->ntaken || r->over))
		r->ready(r->ready_arg);
}

void frontier_take(struct frontier_redis *r)
{
	char max[24], per[24], delay[24], ttl[24];
	const char *argv[] = { r->prefix, max, per, delay, ttl };
	size_t len[5];

	if(r->taking || frontier_take_room(r) <= 0)
		return;
	snprintf(max, sizeof(max), "%d", frontier_take_room(r));
	snprintf(per, sizeof(per), "%d", r->cfg->per_host);
	snprintf(delay, sizeof(delay), "%ld", (long)(r->cfg->delay * 1000));
	snprintf(ttl, sizeof(ttl), "%ld", (long)(r->cfg->lease * 1000));
	for(int i = 0; i < 5; i++)
		len[i] = strlen(argv[i]);
	r->taking = gf_redis_eval(r->rd, r->script[FR_TAKE], 5, argv, len, take_cb, r);
	if(!r->taking)
		poll_later(r, POLL_SECS);
}

static void poll_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct frontier_redis *r = w->data;

	(void)loop, (void)revents;
	r->idle = false;
	if(r->ready)
		r->ready(r->ready_arg);
}

void frontier_take_init(struct frontier_redis *r)
{
	r->poll_secs = POLL_SECS / 2;
	ev_init(&r->poll, poll_cb);
	r->poll.data = r;
}
