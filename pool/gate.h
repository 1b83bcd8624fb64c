/*
 * gate.h - politeness on the hub: at most N jobs per key (a host) at once,
 * starts for one key spaced by a delay, and starts overall held to a rate.
 *
 * Flow: pool -> (fetch) -> gate_enter -> [wait] -> fn -> ... -> gate_leave.
 *
 * A job enters with a key and starts at once, or is called back when it
 * may start: when a job of the same key leaves, or when a timer for its
 * spacing or the rate ends. fn never runs inside gate_enter() or
 * gate_leave(), so a queue of jobs that each end at once costs no stack.
 * Waiters of a key go first come, first served. The rate is a
 * token bucket holding one token: starts are spaced 1/rate apart. The gate
 * knows nothing of HTTP: a key is a string.
 */
#ifndef GF_GATE_H
#define GF_GATE_H

#include <ev.h>
#include <stdbool.h>
#include <stddef.h>

struct gate;
struct gate_key;

struct gate_wait {
	ev_timer timer;               /* until the start is due */
	struct gate *gate;            /* owner */
	struct gate_key *key;         /* the key entered, NULL = none */
	void (*fn)(struct gate_wait *w); /* called when the job may start */
	struct gate_wait *next;       /* queue of its key */
	int state;                    /* GATE_OUT, _QUEUED, _TIMED, _IN */
};

/* per_key 0 = no limit; spacing and rate 0 = none. */
struct gate *gate_new(struct ev_loop *loop, int per_key, double spacing,
		      double rate);
void gate_free(struct gate *gate);

enum gate_result {
	GATE_GO,                      /* start now (fn will not be called) */
	GATE_WAIT,                    /* fn(w) will be called when it may start */
	GATE_NOMEM                    /* out of memory */
};

/* Ask to start a job for key. */
enum gate_result gate_enter(struct gate *gate, struct gate_wait *w,
			    const char *key, void (*fn)(struct gate_wait *w));

/* The job of w is over (or gives up waiting): its place goes to the next. */
void gate_leave(struct gate_wait *w);

/* Space starts for key at least secs apart from now on (a Crawl-delay). */
void gate_set_spacing(struct gate *gate, const char *key, double secs);

/* After GATE_WAIT: does w wait for a slot of its key (true), or for its
 * start time (spacing, rate)? And in the second case, how many seconds. */
bool gate_queued(const struct gate_wait *w);
double gate_wait_secs(const struct gate_wait *w);

/* Keys the gate holds now (for tests). */
size_t gate_keys(const struct gate *gate);

/* Jobs in the gate for key now (for tests and -v). */
int gate_active(struct gate *gate, const char *key);

#endif
