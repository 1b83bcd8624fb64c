/*
 * pool.c - bounded concurrency feeding a pile, and the waiting of jobs.
 *
 * Each job taken has a slot (from a free list): its place at the gate,
 * its retry timer, its deadline. A slot is WAITING (at the gate: queued
 * for its key, or timed for a spacing or the rate), READY (may start, a
 * running place is wanted: in the ready queue, oldest first), RUNNING, or
 * RETRY (its backoff timer runs); then it is done, its job goes to the
 * pile, and the slot back to the free list.
 *
 * Reentrancy: a try may end inside ops->start() (a job that fails at
 * once) or from a hub callback. pool_fill() guards itself with `filling`,
 * so a nested call only records that more may be started and the outer
 * loop goes on; the stack never grows with the number of jobs.
 */
#include "pool.h"

#include <ev.h>
#include <stdlib.h>

#include "gate.h"
#include "gf.h"
#include "hub.h"
#include "pile.h"

enum { SLOT_WAITING, SLOT_READY, SLOT_RUNNING, SLOT_RETRY };

struct pool_slot {
	struct pool *pool;            /* owner */
	void *job;                    /* the caller's */
	uint64_t seq;                 /* its place in the pile */
	int state;                    /* SLOT_* */
	bool gated;                   /* holds (or waits for) a place at the gate */
	struct gate_wait gate;        /* that place */
	ev_timer retry;               /* the wait before the next try */
	ev_timer deadline;            /* the end of the job's time */
	struct pool_slot *prev, *next; /* the ready queue, or the free list */
	struct pool_slot *out_prev, *out_next; /* every slot in use */
};

struct pool {
	struct ev_loop *loop;         /* the hub's */
	ev_prepare prepare;           /* goes on with a batch cut short */
	ev_idle spin;                 /* and keeps the loop from blocking */
	bool more;                    /* a batch was cut short */
	struct pile *pile;            /* ordering of results */
	struct gate *gate;            /* per-key places, spacing, rate */
	const struct pool_ops *ops;   /* the job source and sinks */
	void *ctx;                    /* first argument of every op */
	struct pool_limits lim;       /* sizes and times */
	int running;                  /* tries started and not done */
	size_t outstanding;           /* slots in use */
	uint64_t started;             /* jobs taken from the input */
	bool filling;                 /* pool_fill() is on the stack */
	bool eof;                     /* the input is over */
	bool stopped;                 /* pool_stop() was called */
	bool cancelled;               /* pool_cancel() was called */
	bool held;                    /* pool_hold(): start nothing */
	int peak;                     /* the most tries running at once */
	bool finished;                /* ops->finish() was called */
	struct pool_slot *ready_head, *ready_tail; /* want a running place */
	struct pool_slot *out;        /* slots in use */
	struct pool_slot *free;       /* slots to reuse */
};

static void pool_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct pool *pool = container_of(w, struct pool, prepare);

	(void)loop;
	(void)revents;
	if(pool->more)
		pool_fill(pool);
}

static void pool_spin_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

static void pool_release_cb(void *arg, void *job)
{
	struct pool *pool = arg;

	pool->ops->release(pool->ctx, job);
}

struct pool *pool_new(struct hub *hub, const struct pool_limits *lim,
		      const struct pool_ops *ops, void *ctx)
{
	struct pool *pool = calloc(1, sizeof(*pool));

	if(!pool)
		return NULL;
	pool->loop = hub_loop(hub);
	pool->lim = *lim;
	if(pool->lim.window < (size_t)lim->size)
		pool->lim.window = (size_t)lim->size;
	pool->pile = pile_new(pool->lim.window, lim->unordered, pool_release_cb, pool);
	pool->gate = gate_new(pool->loop, lim->per_key, lim->spacing, lim->rate);
	if(!pool->pile || !pool->gate) {
		pile_free(pool->pile, NULL);
		gate_free(pool->gate);
		free(pool);
		return NULL;
	}
	pool->ops = ops;
	pool->ctx = ctx;
	ev_prepare_init(&pool->prepare, pool_prepare_cb);
	ev_prepare_start(pool->loop, &pool->prepare);
	ev_unref(pool->loop);         /* it alone keeps nothing alive */
	ev_idle_init(&pool->spin, pool_spin_cb);
	return pool;
}

void pool_free(struct pool *pool)
{
	if(!pool)
		return;
	ev_ref(pool->loop);
	ev_prepare_stop(pool->loop, &pool->prepare);
	ev_idle_stop(pool->loop, &pool->spin);
	pile_free(pool->pile, pool->ops->drop);
	gate_free(pool->gate);
	while(pool->free) {
		struct pool_slot *s = pool->free;

		pool->free = s->next;
		free(s);
	}
	free(pool);
}

/* ------------------------------------------------------------ slots */

static void ready_remove(struct pool *pool, struct pool_slot *s)
{
	if(s->prev)
		s->prev->next = s->next;
	else
		pool->ready_head = s->next;
	if(s->next)
		s->next->prev = s->prev;
	else
		pool->ready_tail = s->prev;
	s->prev = s->next = NULL;
}

static void ready_add(struct pool *pool, struct pool_slot *s)
{
	s->state = SLOT_READY;
	s->next = NULL;
	s->prev = pool->ready_tail;
	if(pool->ready_tail)
		pool->ready_tail->next = s;
	else
		pool->ready_head = s;
	pool->ready_tail = s;
}

static void pool_check_finish(struct pool *pool)
{
	if(pool->finished || pool->outstanding > 0 || pool->filling)
		return;
	if(!pool->eof && !pool->stopped)
		return;
	/* Nothing outstanding means every pushed job was put, so released. */
	pool->finished = true;
	pool->ops->finish(pool->ctx);
}

/* The job is done: to the pile, and the slot to the free list. */
static void slot_done(struct pool *pool, struct pool_slot *s)
{
	void *job = s->job;
	uint64_t seq = s->seq;

	ev_timer_stop(pool->loop, &s->retry);
	ev_timer_stop(pool->loop, &s->deadline);
	if(s->gated)
		gate_leave(&s->gate);
	s->gated = false;
	if(s->out_prev)
		s->out_prev->out_next = s->out_next;
	else
		pool->out = s->out_next;
	if(s->out_next)
		s->out_next->out_prev = s->out_prev;
	s->next = pool->free;
	pool->free = s;
	pool->outstanding--;
	pile_put(pool->pile, seq, job);
}

static void slot_gate_cb(struct gate_wait *w)
{
	struct pool_slot *s = container_of(w, struct pool_slot, gate);

	ready_add(s->pool, s);
	pool_fill(s->pool);
}

/* The job wants to start a try: its key's turn first. */
static void slot_admit(struct pool *pool, struct pool_slot *s)
{
	const char *key = pool->ops->key(pool->ctx, s->job);

	if(key) {
		switch(gate_enter(pool->gate, &s->gate, key, slot_gate_cb)) {
		case GATE_WAIT:
			s->gated = true;
			s->state = SLOT_WAITING;
			if(pool->ops->waits)
				pool->ops->waits(pool->ctx, s->job, gate_queued(&s->gate),
						 gate_wait_secs(&s->gate));
			return;
		case GATE_GO:
			s->gated = true;
			break;
		case GATE_NOMEM:       /* no place to keep: it goes ungated */
			gf_oom();
			break;
		}
	}
	ready_add(pool, s);
}

static void slot_retry_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct pool_slot *s = container_of(w, struct pool_slot, retry);

	(void)loop;
	(void)revents;
	slot_admit(s->pool, s);
	pool_fill(s->pool);
}

/* A job that is not running ends (its deadline, or pool_cancel()). */
static void slot_end(struct pool *pool, struct pool_slot *s, int why)
{
	if(s->state == SLOT_READY)
		ready_remove(pool, s);
	pool->ops->end(pool->ctx, s->job, why);
	slot_done(pool, s);
}

static void slot_deadline_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct pool_slot *s = container_of(w, struct pool_slot, deadline);

	(void)loop;
	(void)revents;
	/* A running try ends by its own timeouts (curl's say more). */
	if(s->state == SLOT_RUNNING)
		return;
	slot_end(s->pool, s, POOL_EXPIRED);
	pool_fill(s->pool);
}

static struct pool_slot *slot_new(struct pool *pool, void *job, uint64_t seq)
{
	struct pool_slot *s = pool->free;

	if(s)
		pool->free = s->next;
	else if(!(s = malloc(sizeof(*s))))
		return NULL;
	s->pool = pool;
	s->job = job;
	s->seq = seq;
	s->gated = false;
	s->prev = s->next = NULL;
	ev_timer_init(&s->retry, slot_retry_cb, 0., 0.);
	ev_timer_init(&s->deadline, slot_deadline_cb, pool->lim.deadline, 0.);
	if(pool->lim.deadline > 0)
		ev_timer_start(pool->loop, &s->deadline);
	s->out_prev = NULL;
	s->out_next = pool->out;
	if(pool->out)
		pool->out->out_prev = s;
	pool->out = s;
	pool->outstanding++;
	return s;
}

/* ------------------------------------------------------------ filling */

/* Start the oldest ready job if a running place is free. */
static bool pool_run_one(struct pool *pool)
{
	struct pool_slot *s = pool->ready_head;

	if(!s || pool->cancelled || pool->held || pool->running >= pool->lim.size)
		return false;
	ready_remove(pool, s);
	s->state = SLOT_RUNNING;
	if(++pool->running > pool->peak)
		pool->peak = pool->running;
	pool->ops->start(pool->ctx, s->job, s);
	return true;
}

/* Take a job from the input if the window and the input allow. */
static bool pool_take_one(struct pool *pool)
{
	void *job = NULL;
	struct pool_slot *s;
	uint64_t seq = pool->started;
	int rc;

	if(pool->eof || pool->stopped || pool->cancelled || pool->held ||
	   pool->running >= pool->lim.size || pool->ready_head ||
	   !pile_has_room(pool->pile))
		return false;
	rc = pool->ops->next(pool->ctx, seq, &job);
	if(rc == GF_AGAIN)
		return false;
	if(rc != GF_OK) {
		pool->eof = true;
		return false;
	}
	if(!(s = slot_new(pool, job, seq))) {
		gf_oom();
		pool->ops->drop(job);
		pool->eof = true;     /* no more jobs can be held: end here */
		return false;
	}
	pile_push(pool->pile);
	pool->started++;
	slot_admit(pool, s);
	return true;
}

void pool_fill(struct pool *pool)
{
	int n = 0;

	if(pool->filling)
		return;
	pool->filling = true;
	while(n < POOL_BATCH && (pool_run_one(pool) || pool_take_one(pool)))
		n++;
	pool->filling = false;
	pool_check_finish(pool);
	/* Stopped by the batch with more to do: the hub turns again (and
	 * the pool's prepare watcher fills) rather than block or, with
	 * nothing active, end. */
	pool->more = n == POOL_BATCH;
	if(pool->more)
		ev_idle_start(pool->loop, &pool->spin);
	else
		ev_idle_stop(pool->loop, &pool->spin);
}

void pool_tried(struct pool *pool, struct pool_slot *s, double retry)
{
	pool->running--;
	if(s->gated)
		gate_leave(&s->gate);
	s->gated = false;
	if(retry < 0 || pool->cancelled) {
		slot_done(pool, s);
	} else {
		s->state = SLOT_RETRY;
		ev_timer_set(&s->retry, retry, 0.);
		ev_timer_start(pool->loop, &s->retry);
	}
	pool_fill(pool);
}

void pool_key_spacing(struct pool *pool, const char *key, double secs)
{
	gate_set_spacing(pool->gate, key, secs);
}

bool pool_throttle(struct pool *pool, struct pool_slot *slot, double retry_after)
{
	(void)pool;
	return slot->gated && gate_throttle(&slot->gate, retry_after);
}

bool pool_key_ok(struct pool *pool, const char *key)
{
	return key && gate_ok(pool->gate, key);
}

bool pool_key_slowed(struct pool *pool, const char *key, int *slots, double *secs)
{
	return key && gate_slowed(pool->gate, key, slots, secs);
}

void pool_stop(struct pool *pool)
{
	pool->stopped = true;
	pool_check_finish(pool);
}

void pool_hold(struct pool *pool)
{
	pool->held = true;
}

void pool_cancel(struct pool *pool)
{
	struct pool_slot *s = pool->out, *next;

	pool->stopped = pool->cancelled = true;
	/* Those waiting: in the ready queue, at the gate, for a retry (their
	 * timers and gate places go with them in slot_done()). */
	for(; s; s = next) {
		next = s->out_next;
		if(s->state != SLOT_RUNNING)
			slot_end(pool, s, POOL_CANCELLED);
	}
	pool_check_finish(pool);
}

size_t pool_pending(const struct pool *pool)
{
	return pile_pending(pool->pile);
}

bool pool_cancelled(const struct pool *pool)
{
	return pool->cancelled;
}

bool pool_draining(const struct pool *pool)
{
	return pool->eof || pool->stopped;
}

int pool_peak(const struct pool *pool)
{
	return pool->peak;
}

int pool_running(const struct pool *pool)
{
	return pool->running;
}

size_t pool_waiting(const struct pool *pool)
{
	return pool->outstanding - (size_t)pool->running;
}

uint64_t pool_started(const struct pool *pool)
{
	return pool->started;
}

size_t pool_keys(const struct pool *pool)
{
	return gate_keys(pool->gate);
}
