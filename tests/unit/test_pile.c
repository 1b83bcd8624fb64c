/*
 * test_pile.c - the pile releases in sequence order, streams, and bounds
 * its window; the pool fills to its size and refills without recursion.
 */
#include <stdint.h>
#include <stdlib.h>

#include "gf.h"
#include "pile.h"
#include "pool.h"
#include "unit.h"

struct sink {
	uint64_t got[4096];           /* released items, in release order */
	size_t n;
};

static void sink_release(void *arg, void *item)
{
	struct sink *s = arg;

	s->got[s->n++] = (uint64_t)(uintptr_t)item;
}

/* Items are seq + 1 so that none is NULL. */
#define ITEM(seq) ((void *)(uintptr_t)((seq) + 1))

static void pile_releases_in_order(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(8, false, sink_release, &s);
	uint64_t order[] = { 3, 1, 2, 0, 5, 4 };

	for(int i = 0; i < 6; i++)
		CHECK(pile_push(p) == (uint64_t)i);
	pile_put(p, order[0], ITEM(order[0]));
	pile_put(p, order[1], ITEM(order[1]));
	pile_put(p, order[2], ITEM(order[2]));
	CHECK(s.n == 0);              /* head (0) not done: nothing out */
	CHECK(pile_held(p) == 3);
	pile_put(p, order[3], ITEM(order[3]));
	CHECK(s.n == 4);              /* 0..3 released at once */
	pile_put(p, order[4], ITEM(order[4]));
	CHECK(s.n == 4);
	pile_put(p, order[5], ITEM(order[5]));
	CHECK(s.n == 6);
	for(size_t i = 0; i < s.n; i++)
		CHECK(s.got[i] == i + 1);
	CHECK(pile_pending(p) == 0);
	pile_free(p, NULL);
}

static void pile_streams_head_at_once(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(4, false, sink_release, &s);

	pile_push(p);
	pile_push(p);
	pile_put(p, 0, ITEM(0));
	CHECK(s.n == 1);              /* the head goes out before job 1 ends */
	pile_free(p, NULL);
}

static void pile_window_bounds_pushes(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(3, false, sink_release, &s);

	for(int i = 0; i < 3; i++) {
		CHECK(pile_has_room(p));
		pile_push(p);
	}
	CHECK(!pile_has_room(p));
	pile_put(p, 2, ITEM(2));
	pile_put(p, 1, ITEM(1));
	CHECK(!pile_has_room(p));     /* done behind a slow head still counts */
	pile_put(p, 0, ITEM(0));
	CHECK(pile_has_room(p));
	CHECK(s.n == 3);
	pile_free(p, NULL);
}

static void pile_ring_wraps(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(5, false, sink_release, &s);
	uint64_t next = 0;

	/* 2000 jobs, finishing in pairs swapped: 1,0,3,2,... */
	for(uint64_t i = 0; i < 2000; i += 2) {
		CHECK(pile_push(p) == next++);
		CHECK(pile_push(p) == next++);
		pile_put(p, i + 1, ITEM(i + 1));
		pile_put(p, i, ITEM(i));
	}
	CHECK(s.n == 2000);
	for(size_t i = 0; i < s.n && i < 2000; i++)
		CHECK(s.got[i] == i + 1);
	pile_free(p, NULL);
}

static void pile_unordered_releases_on_put(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(2, true, sink_release, &s);

	pile_push(p);
	pile_push(p);
	CHECK(!pile_has_room(p));
	pile_put(p, 1, ITEM(1));
	CHECK(s.n == 1 && s.got[0] == 2);
	CHECK(pile_has_room(p));
	pile_free(p, NULL);
}

static void drop_item(void *item)
{
	(void)item;
}

static void pile_free_drops_held(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(4, false, sink_release, &s);

	pile_push(p);
	pile_push(p);
	pile_put(p, 1, ITEM(1));
	pile_free(p, drop_item);      /* no leak under ASan */
	CHECK(s.n == 0);
}

/* ------------------------------------------------------------ pool */

struct feed {
	uint64_t total;               /* jobs the input has */
	uint64_t given;               /* handed out */
	int running, max_running;     /* concurrency seen */
	uint64_t started[256];        /* seqs started, not yet done */
	int nstarted;
	struct sink out;              /* released jobs */
	int finished;                 /* finish() calls */
	int fail_at_once;             /* jobs end inside start() */
	int fail_after_first;         /* ... all but the first */
	int more;                     /* more() calls not yet answered */
	struct pool *pool;
};

static int feed_next(void *ctx, uint64_t seq, void **job)
{
	struct feed *f = ctx;

	if(f->given == f->total)
		return GF_EOF;
	f->given++;
	*job = ITEM(seq);
	return GF_OK;
}

static void feed_start(void *ctx, void *job)
{
	struct feed *f = ctx;
	uint64_t seq = (uint64_t)(uintptr_t)job - 1;

	if(f->fail_at_once || (f->fail_after_first && seq > 0)) {
		pool_done(f->pool, seq, job);
		return;
	}
	f->running++;
	if(f->running > f->max_running)
		f->max_running = f->running;
	f->started[f->nstarted++] = seq;
}

static void feed_release(void *ctx, void *job)
{
	sink_release(&((struct feed *)ctx)->out, job);
}

static void feed_finish(void *ctx)
{
	((struct feed *)ctx)->finished++;
}

static const struct pool_ops feed_ops = {
	feed_next, feed_start, feed_release, feed_finish, NULL, NULL
};

static void pool_bounds_concurrency(void)
{
	struct feed f = { .total = 10 };

	f.pool = pool_new(3, 12, false, &feed_ops, &f);
	pool_fill(f.pool);
	CHECK(f.running == 3 && pool_running(f.pool) == 3);
	/* Finish the newest first: order still holds. */
	while(f.nstarted > 0) {
		uint64_t seq = f.started[--f.nstarted];

		f.running--;
		pool_done(f.pool, seq, ITEM(seq));
	}
	CHECK(f.max_running == 3);
	CHECK(f.out.n == 10);
	for(size_t i = 0; i < f.out.n; i++)
		CHECK(f.out.got[i] == i + 1);
	CHECK(f.finished == 1);
	pool_free(f.pool);
}

static void pool_window_holds_back_starts(void)
{
	struct feed f = { .total = 100 };

	f.pool = pool_new(2, 4, false, &feed_ops, &f);
	pool_fill(f.pool);
	/* Job 0 is slow; keep finishing the other one. */
	for(int i = 0; i < 10; i++) {
		uint64_t seq = f.started[1];

		if(f.nstarted < 2)
			break;
		f.nstarted = 1;
		f.running--;
		pool_done(f.pool, seq, ITEM(seq));
	}
	CHECK(f.given == 4);          /* the window: 0 plus 3 ahead of it */
	CHECK(f.out.n == 0);
	pool_free(f.pool);
}

static void pool_fills_in_batches(void)
{
	struct feed f = { .total = 200 };

	/* 200 slots: one call starts a batch, and says more could start. */
	f.pool = pool_new(200, 200, false, &feed_ops, &f);
	CHECK(pool_fill(f.pool));
	CHECK(f.running == POOL_BATCH);
	CHECK(pool_fill(f.pool));
	CHECK(pool_fill(f.pool));
	CHECK(f.running == 3 * POOL_BATCH);
	/* The last 8: the batch did not end it. */
	CHECK(!pool_fill(f.pool));
	CHECK(f.running == 200);
	/* The input is seen to be over once a slot frees. */
	CHECK(!pool_draining(f.pool));
	while(f.nstarted > 0) {
		uint64_t seq = f.started[--f.nstarted];

		f.running--;
		pool_done(f.pool, seq, ITEM(seq));
	}
	CHECK(pool_draining(f.pool));
	CHECK(f.out.n == 200 && f.finished == 1);
	pool_free(f.pool);
}

static void sink_count(void *ctx, void *job)
{
	(void)job;
	((struct feed *)ctx)->out.n++;
}

static const struct pool_ops count_ops = {
	feed_next, feed_start, sink_count, feed_finish, NULL, NULL
};

static void feed_more(void *ctx)
{
	((struct feed *)ctx)->more++;
}

static const struct pool_ops more_ops = {
	feed_next, feed_start, sink_count, feed_finish, NULL, feed_more
};

static void pool_says_when_a_done_job_left_more_to_start(void)
{
	struct feed f = { .total = 501, .fail_after_first = 1 };
	int turns = 0;

	/* One slot: the first job runs, 500 that fail at once wait. Its end
	 * (from the hub, not from a fill) starts a batch of them; the pool
	 * must say that more could start, or the hub would stop. */
	f.pool = pool_new(1, 4, false, &more_ops, &f);
	CHECK(!pool_fill(f.pool));
	CHECK(f.running == 1 && f.more == 0);
	f.running--;
	pool_done(f.pool, 0, ITEM(0));
	CHECK(f.more == 1);
	while(f.more > 0 && turns++ < 100) {
		f.more = 0;
		pool_fill(f.pool);    /* what the hub's wait hook does */
	}
	CHECK(f.out.n == 501);
	CHECK(f.finished == 1);
	pool_free(f.pool);
}

static void pool_survives_many_instant_failures(void)
{
	struct feed f = { .total = 1000000, .fail_at_once = 1 };

	/* Every job ends inside start(): a recursion would overflow. */
	f.pool = pool_new(4, 16, false, &count_ops, &f);
	while(pool_fill(f.pool))
		;
	CHECK(f.finished == 1);
	CHECK(f.given == 1000000);
	CHECK(f.out.n == 1000000);
	pool_free(f.pool);
}

int main(void)
{
	RUN(pile_releases_in_order);
	RUN(pile_streams_head_at_once);
	RUN(pile_window_bounds_pushes);
	RUN(pile_ring_wraps);
	RUN(pile_unordered_releases_on_put);
	RUN(pile_free_drops_held);
	RUN(pool_bounds_concurrency);
	RUN(pool_window_holds_back_starts);
	RUN(pool_survives_many_instant_failures);
	RUN(pool_fills_in_batches);
	RUN(pool_says_when_a_done_job_left_more_to_start);
	return unit_any_failed;
}
