/*
 * pool.c - bounded concurrency feeding a pile.
 *
 * Reentrancy: pool_done() may be called from inside ops->start() (a job that
 * fails at once) or from a hub callback. pool_fill() guards itself with
 * `filling`, so a nested call only records that more may be started and the
 * outer loop goes on; the stack never grows with the number of jobs.
 */
#include "pool.h"

#include <stdlib.h>

#include "gf.h"
#include "pile.h"

struct pool {
	struct pile *pile;            /* ordering of results */
	const struct pool_ops *ops;   /* the job source and sinks */
	void *ctx;                    /* first argument of every op */
	int size;                     /* jobs running at most */
	int running;                  /* jobs started and not done */
	uint64_t started;             /* jobs taken from the input */
	bool filling;                 /* pool_fill() is on the stack */
	bool eof;                     /* the input is over */
	bool stopped;                 /* pool_stop() was called */
	bool finished;                /* ops->finish() was called */
	int parked;                   /* jobs waiting without a slot */
	struct pool_wait *resume_head; /* parked jobs wanting a slot, in order */
	struct pool_wait *resume_tail;
};

static void pool_release_cb(void *arg, void *job)
{
	struct pool *pool = arg;

	pool->ops->release(pool->ctx, job);
}

struct pool *pool_new(int size, size_t window, bool unordered,
		      const struct pool_ops *ops, void *ctx)
{
	struct pool *pool = calloc(1, sizeof(*pool));

	if(!pool)
		return NULL;
	if(window < (size_t)size)
		window = (size_t)size;
	pool->pile = pile_new(window, unordered, pool_release_cb, pool);
	if(!pool->pile) {
		free(pool);
		return NULL;
	}
	pool->ops = ops;
	pool->ctx = ctx;
	pool->size = size;
	return pool;
}

void pool_free(struct pool *pool)
{
	if(!pool)
		return;
	pile_free(pool->pile, pool->ops->drop);
	free(pool);
}

static void pool_check_finish(struct pool *pool)
{
	if(pool->finished || pool->running > 0 || pool->parked > 0 ||
	   pool->filling)
		return;
	if(!pool->eof && !pool->stopped)
		return;
	/* Nothing running means every pushed job was put, so all released. */
	pool->finished = true;
	pool->ops->finish(pool->ctx);
}

/* Give a free slot to the first parked job wanting one. */
static bool pool_resume_one(struct pool *pool)
{
	struct pool_wait *w = pool->resume_head;

	if(!w || pool->running >= pool->size)
		return false;
	pool->resume_head = w->next;
	if(!pool->resume_head)
		pool->resume_tail = NULL;
	pool->parked--;
	pool->running++;
	w->fn(w);
	return true;
}

/* Start a job from the input if a slot, the window and the input allow. */
static bool pool_start_one(struct pool *pool)
{
	void *job = NULL;
	uint64_t seq = pool->started;
	int rc;

	if(pool->resume_head || pool->eof || pool->stopped ||
	   pool->running >= pool->size || !pile_has_room(pool->pile))
		return false;
	rc = pool->ops->next(pool->ctx, seq, &job);
	if(rc == GF_AGAIN)
		return false;
	if(rc != GF_OK) {
		pool->eof = true;
		return false;
	}
	pile_push(pool->pile);
	pool->started++;
	pool->running++;
	pool->ops->start(pool->ctx, job);
	return true;
}

bool pool_fill(struct pool *pool)
{
	int started = 0;

	if(pool->filling)
		return false;
	pool->filling = true;
	while(started < POOL_BATCH &&
	      (pool_resume_one(pool) || pool_start_one(pool)))
		started++;
	pool->filling = false;
	pool_check_finish(pool);
	if(started < POOL_BATCH)
		return false;
	if(pool->ops->more)
		pool->ops->more(pool->ctx);
	return true;
}

void pool_done(struct pool *pool, uint64_t seq, void *job)
{
	pool->running--;
	pile_put(pool->pile, seq, job);
	pool_fill(pool);
}

void pool_park(struct pool *pool)
{
	pool->running--;
	pool->parked++;
	pool_fill(pool);
}

void pool_resume(struct pool *pool, struct pool_wait *w,
		 void (*fn)(struct pool_wait *w))
{
	w->fn = fn;
	w->next = NULL;
	if(pool->resume_tail)
		pool->resume_tail->next = w;
	else
		pool->resume_head = w;
	pool->resume_tail = w;
	pool_fill(pool);
}

void pool_unpark(struct pool *pool, struct pool_wait *w)
{
	struct pool_wait **pp = &pool->resume_head, *prev = NULL;

	while(*pp && *pp != w) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if(*pp) {
		*pp = w->next;
		if(pool->resume_tail == w)
			pool->resume_tail = prev;
	}
	pool->parked--;
	pool->running++;
}

void pool_stop(struct pool *pool)
{
	pool->stopped = true;
	pool_check_finish(pool);
}

size_t pool_pending(const struct pool *pool)
{
	return pile_pending(pool->pile);
}

bool pool_draining(const struct pool *pool)
{
	return pool->eof || pool->stopped;
}

int pool_running(const struct pool *pool)
{
	return pool->running;
}

uint64_t pool_started(const struct pool *pool)
{
	return pool->started;
}
