/*
 * test_pool.c - the pool on a hub of its own: concurrency bounded, the
 * order kept, the window, batches that keep the hub turning, no stack for
 * a million instant failures, and the waits: per key, retries, deadlines.
 */
#include <ev.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "hub.h"
#include "pool.h"
#include "unit.h"

#define MAXJ 1024

struct feed {
	struct hub *hub;
	struct pool *pool;
	uint64_t total;               /* jobs the input has */
	uint64_t given;               /* handed out */
	int running, max_running;     /* tries running, and the most at once */
	struct pool_slot *slot[MAXJ]; /* running tries' slots, by job */
	int tries[MAXJ];              /* tries started of each job */
	int fail_at_once;             /* tries end inside start() */
	int fail_after_first;         /* ... all but job 0's */
	int retry_first;              /* job 0's first try asks for a retry */
	const char *key;              /* every job's key, NULL = none */
	uint64_t released[MAXJ];      /* released jobs, in order */
	uint64_t nreleased;
	int ended[MAXJ];              /* end() calls, by job */
	int finished;                 /* finish() calls */
};

#define SEQ(job) ((uint64_t)(uintptr_t)(job) - 1)

static int feed_next(void *ctx, uint64_t seq, void **job)
{
	struct feed *f = ctx;

	if(f->given == f->total)
		return GF_EOF;
	f->given++;
	*job = (void *)(uintptr_t)(seq + 1);
	return GF_OK;
}

static const char *feed_key(void *ctx, void *job)
{
	(void)job;
	return ((struct feed *)ctx)->key;
}

static void feed_start(void *ctx, void *job, struct pool_slot *slot)
{
	struct feed *f = ctx;
	uint64_t seq = SEQ(job);

	if(seq < MAXJ)
		f->tries[seq]++;
	if(f->fail_at_once || (f->fail_after_first && seq > 0)) {
		pool_tried(f->pool, slot, -1);
		return;
	}
	f->running++;
	if(f->running > f->max_running)
		f->max_running = f->running;
	f->slot[seq] = slot;
}

/* The test's side: job seq's try is over. */
static void finish_try(struct feed *f, uint64_t seq, double retry)
{
	struct pool_slot *s = f->slot[seq];

	f->slot[seq] = NULL;
	f->running--;
	pool_tried(f->pool, s, retry);
}

static void feed_end(void *ctx, void *job, int why)
{
	(void)why;
	((struct feed *)ctx)->ended[SEQ(job) % MAXJ]++;
}

static void feed_release(void *ctx, void *job)
{
	struct feed *f = ctx;

	if(f->nreleased < MAXJ)
		f->released[f->nreleased] = SEQ(job);
	f->nreleased++;
}

static void feed_finish(void *ctx)
{
	struct feed *f = ctx;

	f->finished++;
	hub_stop(f->hub);
}

static const struct pool_ops feed_ops = {
	feed_next, feed_key, feed_start, feed_end, NULL, feed_release,
	feed_finish, NULL
};

static void feed_open(struct feed *f, int size, size_t window, int per_key,
		      double deadline)
{
	struct pool_limits lim = { .size = size, .window = window,
				   .per_key = per_key, .deadline = deadline };

	f->hub = hub_new_loop();
	f->pool = pool_new(f->hub, &lim, &feed_ops, f);
}

/* As the run ends: what waits is cancelled, what runs ends its try. */
static void feed_close(struct feed *f)
{
	pool_cancel(f->pool);
	for(uint64_t seq = 0; seq < MAXJ; seq++)
		if(f->slot[seq])
			finish_try(f, seq, -1);
	pool_free(f->pool);
	hub_free(f->hub);
}

static void pool_bounds_concurrency(void)
{
	struct feed f = { .total = 10 };

	feed_open(&f, 3, 12, 0, 0);
	pool_fill(f.pool);
	CHECK(f.running == 3 && pool_running(f.pool) == 3);
	/* Finish the newest first, again and again: the order still holds. */
	for(int guard = 0; f.running > 0 && guard < 100; guard++) {
		for(uint64_t seq = MAXJ; seq-- > 0; )
			if(f.slot[seq]) {
				finish_try(&f, seq, -1);
				break;
			}
	}
	CHECK(f.max_running == 3);
	CHECK(f.nreleased == 10);
	for(uint64_t i = 0; i < f.nreleased; i++)
		CHECK(f.released[i] == i);
	CHECK(f.finished == 1);
	feed_close(&f);
}

static void pool_window_holds_back_starts(void)
{
	struct feed f = { .total = 100 };

	feed_open(&f, 2, 4, 0, 0);
	pool_fill(f.pool);
	/* Job 0 is slow; keep finishing the other one. */
	for(int i = 0; i < 10; i++)
		for(uint64_t seq = 1; seq < MAXJ; seq++)
			if(f.slot[seq]) {
				finish_try(&f, seq, -1);
				break;
			}
	CHECK(f.given == 4);          /* the window: 0 plus 3 ahead of it */
	CHECK(f.nreleased == 0);
	feed_close(&f);
}

static void pool_survives_many_instant_failures(void)
{
	struct feed f = { .total = 1000000, .fail_at_once = 1 };

	/* Every try ends inside start(): a recursion would overflow. */
	feed_open(&f, 4, 16, 0, 0);
	pool_fill(f.pool);
	hub_run(f.hub);               /* the batches, until finish() */
	CHECK(f.finished == 1);
	CHECK(f.given == 1000000);
	CHECK(f.nreleased == 1000000);
	feed_close(&f);
}

static void end_first_cb(void *arg)
{
	struct feed *f = arg;

	finish_try(f, 0, -1);
}

static void pool_keeps_the_hub_turning_after_a_done_job(void)
{
	struct feed f = { .total = 501, .fail_after_first = 1 };

	/* One slot: job 0 runs, 500 that fail at once wait. Its end, from a
	 * timer of the hub, starts a batch of them: the hub must go on until
	 * all are done, though nothing else keeps it running. */
	feed_open(&f, 1, 4, 0, 0);
	pool_fill(f.pool);
	CHECK(f.running == 1);
	hub_after(f.hub, 0.01, end_first_cb, &f);
	hub_run(f.hub);
	CHECK(f.nreleased == 501);
	CHECK(f.finished == 1);
	feed_close(&f);
}

static void retry_cb(void *arg)
{
	struct feed *f = arg;

	if(f->slot[0] && f->tries[0] == 1)
		finish_try(f, 0, 0.02);   /* again in 20 ms */
	else if(f->slot[0])
		finish_try(f, 0, -1);
	if(f->slot[1])
		finish_try(f, 1, -1);
	if(f->slot[2])
		finish_try(f, 2, -1);
	if(f->nreleased < 3)
		hub_after(f->hub, 0.01, retry_cb, f);
}

static void pool_waits_per_key_and_for_retries(void)
{
	struct feed f = { .total = 3, .key = "h.example" };

	/* Three jobs of one key at one a time: job 0 asks for a retry; its
	 * place goes to the others meanwhile, and it comes back. */
	feed_open(&f, 10, 40, 1, 0);
	pool_fill(f.pool);
	CHECK(f.running == 1 && f.slot[0]);
	hub_after(f.hub, 0.01, retry_cb, &f);
	hub_run(f.hub);
	CHECK(f.max_running == 1);
	CHECK(f.tries[0] == 2 && f.tries[1] == 1 && f.tries[2] == 1);
	CHECK(f.nreleased == 3 && f.released[0] == 0);
	feed_close(&f);
}

static void stop_cb(void *arg)
{
	struct feed *f = arg;

	finish_try(f, 0, -1);
}

static void pool_deadline_ends_a_waiting_job(void)
{
	struct feed f = { .total = 2, .key = "h.example" };

	/* Job 1 waits behind job 0 for its key; its deadline (50 ms) passes
	 * there: it ends without a try. */
	feed_open(&f, 10, 40, 1, 0.05);
	pool_fill(f.pool);
	hub_after(f.hub, 0.2, stop_cb, &f);
	hub_run(f.hub);
	CHECK(f.tries[0] == 1 && f.tries[1] == 0);
	CHECK(f.ended[1] == 1 && f.ended[0] == 0);
	CHECK(f.nreleased == 2);
	feed_close(&f);
}

int main(void)
{
	RUN(pool_bounds_concurrency);
	RUN(pool_window_holds_back_starts);
	RUN(pool_survives_many_instant_failures);
	RUN(pool_keeps_the_hub_turning_after_a_done_job);
	RUN(pool_waits_per_key_and_for_retries);
	RUN(pool_deadline_ends_a_waiting_job);
	return unit_any_failed;
}
