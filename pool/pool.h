/*
 * pool.h - the pool: bounded concurrency over a stream of jobs, as eventlet's
 * GreenPool, with results released through a pile in input order.
 *
 * Flow: input --next--> pool --start--> (fetch) --pool_done--> pile
 *       --release--> output.
 *
 * The pool knows nothing of HTTP: a job is an opaque pointer. It starts a job
 * whenever fewer than `size` are running, the pile has room in its window and
 * the source has one ready. A job may finish inside its own start call (a bad
 * URL) or later from the hub; either way pool_done() hands it back. Filling
 * is a loop, never a recursion, so a million bad lines in a row cost no stack.
 * A job that waits for something other than the network (a host's turn, a
 * rate, a retry's backoff) parks: its slot serves others meanwhile, and it
 * gets the next free slot before any new job does.
 */
#ifndef GF_POOL_H
#define GF_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pool;

struct pool_ops {
	/* Make job number seq from the next input: GF_OK with *job set,
	 * GF_AGAIN when none is ready yet (call pool_fill() when one may be),
	 * GF_EOF when the input is over. */
	int (*next)(void *ctx, uint64_t seq, void **job);
	/* Run the job; pool_done() must follow exactly once. */
	void (*start)(void *ctx, void *job);
	/* Hand a finished job on, in order; ctx owns it from then on. */
	void (*release)(void *ctx, void *job);
	/* Everything is done: input over, nothing running, nothing held. */
	void (*finish)(void *ctx);
	/* Free a job that was never released (at pool_free). */
	void (*drop)(void *job);
	/* A fill stopped at the batch cap with more to start: pool_fill()
	 * must be called again soon, before the hub blocks (NULL: the
	 * caller checks pool_fill()'s result itself). However a fill was
	 * caused (a job done, a slot freed), this is how it goes on. */
	void (*more)(void *ctx);
};

struct pool *pool_new(int size, size_t window, bool unordered,
		      const struct pool_ops *ops, void *ctx);
void pool_free(struct pool *pool);

/* Start jobs while slots, window room and input allow, at most POOL_BATCH
 * from the input in one call, so that the hub turns between batches and
 * the first requests go out before the last jobs are made. True when the
 * batch ended it and more could start (ops->more was called): call again
 * before blocking. */
#define POOL_BATCH 64
bool pool_fill(struct pool *pool);

/* Job seq is finished: release what is in order and start more. */
void pool_done(struct pool *pool, uint64_t seq, void *job);

/* A job that waits (for a host, a rate, a retry) without holding a slot. */
struct pool_wait {
	struct pool_wait *next;       /* queue of jobs wanting a slot back */
	void (*fn)(struct pool_wait *w); /* called with the slot */
};

/* The running job gives its slot up while it waits: another may start. */
void pool_park(struct pool *pool);

/* The parked job wants a slot again: fn(w) runs when it has one (maybe
 * before this returns). Waiting jobs get slots before new input. */
void pool_resume(struct pool *pool, struct pool_wait *w,
		 void (*fn)(struct pool_wait *w));

/* A parked job ends while it waits (interrupted): it counts as running
 * again, so that its pool_done() balances. */
void pool_unpark(struct pool *pool, struct pool_wait *w);

/* Start nothing more; finish once the running jobs are done. */
void pool_stop(struct pool *pool);

/* Jobs taken and not yet released (running, parked or held in order). */
size_t pool_pending(const struct pool *pool);

/* No job will come from the input any more (it is over, or stopped). */
bool pool_draining(const struct pool *pool);

/* Jobs running now. */
int pool_running(const struct pool *pool);

/* Jobs taken from the input so far. */
uint64_t pool_started(const struct pool *pool);

#endif
