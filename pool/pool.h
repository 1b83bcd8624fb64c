/*
 * pool.h - the pool: bounded concurrency over a stream of jobs, as eventlet's
 * GreenPool, with results released through a pile in input order, and the
 * waiting of every job: its host's turn, a rate, a spacing, a retry's
 * backoff (eventlet's spawn_after), its deadline.
 *
 * Flow: input --next--> pool --[gate]--start--> (a try) --pool_tried-->
 *       [retry: wait, gate, start again] --> pile --release--> output.
 *
 * The pool knows nothing of HTTP: a job is an opaque pointer with a key
 * (its host). It starts a try whenever fewer than `size` are running; a
 * job that waits (for its key, a rate, a retry) holds no running place,
 * and gets the next free one before any new job does. New jobs are taken
 * while the pile has room in its window and the source has one ready. A
 * try may end inside its own start call (a bad URL) or later from the
 * hub; either way pool_tried() hands it back. Filling is a loop, never a
 * recursion, so a million bad lines in a row cost no stack; at most
 * POOL_BATCH jobs are taken in one call, and the hub is kept busy (it does
 * not block, nor end) while more could start.
 */
#ifndef GF_POOL_H
#define GF_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hub;
struct pool;
struct pool_slot;                     /* the pool's hold of a job */

struct pool_limits {
	int size;                     /* tries running at most */
	size_t window;                /* jobs between taking and release */
	bool unordered;               /* release as done, not in order */
	int per_key;                  /* tries of one key at once, 0 = any */
	double spacing;               /* seconds between starts of a key */
	double rate;                  /* starts a second in all, 0 = any */
	double deadline;              /* seconds a job may take in all, waits
				       * included, 0 = no limit */
};

struct pool_ops {
	/* Make job number seq from the next input: GF_OK with *job set,
	 * GF_AGAIN when none is ready yet (call pool_fill() when one may be),
	 * GF_EOF when the input is over. */
	int (*next)(void *ctx, uint64_t seq, void **job);
	/* The key the job's starts count under (its host), NULL = none. It
	 * must last as long as the job. */
	const char *(*key)(void *ctx, void *job);
	/* Run a try of the job; pool_tried(slot) follows exactly once. */
	void (*start)(void *ctx, void *job, struct pool_slot *slot);
	/* The job is ended while it waits (for its key, a retry): its
	 * deadline passed (POOL_EXPIRED), or pool_cancel() (POOL_CANCELLED).
	 * Its record should say so; it is released as it is. */
	void (*end)(void *ctx, void *job, int why);
	/* The job waits: for its key (queued, with per_key of it running),
	 * or secs for its start (spacing, rate). For -v; NULL = no one asks. */
	void (*waits)(void *ctx, void *job, bool queued, double secs);
	/* Hand a finished job on, in order; ctx owns it from then on. */
	void (*release)(void *ctx, void *job);
	/* Everything is done: input over, nothing running, nothing held. */
	void (*finish)(void *ctx);
	/* Free a job that was never released (at pool_free). */
	void (*drop)(void *job);
};

/* A pool on hub (its timers and its busy state). NULL out of memory. */
struct pool *pool_new(struct hub *hub, const struct pool_limits *limits,
		      const struct pool_ops *ops, void *ctx);
/* Jobs still waiting are handed to ops->drop. */
void pool_free(struct pool *pool);

#define POOL_BATCH 64                 /* jobs taken in one fill at most */

/* Start what slots, window room and input allow. */
void pool_fill(struct pool *pool);

/* The try of slot's job is over: retry < 0, the job is done; else it is
 * tried again after retry seconds (its key's turn, again, first). */
void pool_tried(struct pool *pool, struct pool_slot *slot, double retry);

/* Space starts of key at least secs apart from now on (a Crawl-delay). */
void pool_key_spacing(struct pool *pool, const char *key, double secs);

/* The host of slot's job said it is overloaded (429, 503; before
 * pool_tried()), or a try of key went well: the key is slowed as a whole,
 * and recovers step by step (gate.h's gate_throttle(); pool_key_ok() is
 * true when the key is back to normal). pool_key_slowed(): is it slowed,
 * to what. */
bool pool_throttle(struct pool *pool, struct pool_slot *slot, double retry_after);
bool pool_key_ok(struct pool *pool, const char *key);
bool pool_key_slowed(struct pool *pool, const char *key, int *slots, double *secs);

enum { POOL_EXPIRED, POOL_CANCELLED };

/* Start nothing more from the input; finish once the jobs taken are done
 * (those waiting still get their tries). */
void pool_stop(struct pool *pool);

/* Start no try any more: the jobs that wait end now (ops->end), and the
 * running ones as their tries end. */
void pool_cancel(struct pool *pool);

/* Start nothing, from now: safe inside a try's callbacks, where
 * pool_cancel() is not (it ends other jobs); pool_cancel() follows. */
void pool_hold(struct pool *pool);

/* Jobs taken and not yet released (running, waiting or held in order). */
size_t pool_pending(const struct pool *pool);

/* Was pool_cancel() called (the run is ending)? */
bool pool_cancelled(const struct pool *pool);

/* No job will come from the input any more (it is over, or stopped). */
bool pool_draining(const struct pool *pool);

/* Tries running now. */
int pool_running(const struct pool *pool);

/* The most tries that ran at once. */
int pool_peak(const struct pool *pool);

/* Jobs taken that wait (for their key, a place, a retry). */
size_t pool_waiting(const struct pool *pool);

/* Jobs taken from the input so far. */
uint64_t pool_started(const struct pool *pool);

/* Keys the gate holds now (for tests). */
size_t pool_keys(const struct pool *pool);

#endif
