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
	double began;                 /* ev_now() when it went IN */
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

/* Adaptive slowing, for a host that says it is overloaded (429, 503):
 * gate_throttle(), for the job of w (in the gate still), halves the slots
 * of its key in use (to one at least) and doubles the spacing it adds
 * (from GATE_SLOW_FIRST up to GATE_SLOW_MAX seconds), unless the job
 * started before the last time the key was slowed or that was less than
 * a second ago (one burst is one signal); either way the key's next start is held back retry_after
 * seconds (> 0) or that spacing. gate_ok(), a success: each takes 5 % off
 * the added spacing, and a round of as many as the key has slots gives it
 * one more, until it is back to the gate's own (then it returns true).
 * gate_slowed(): is key slowed now, to how many slots, how far apart. */
#define GATE_SLOW_FIRST 0.05
#define GATE_SLOW_MAX 30.0
bool gate_throttle(struct gate_wait *w, double retry_after);
bool gate_ok(struct gate *gate, const char *key);
bool gate_slowed(struct gate *gate, const char *key, int *slots, double *secs);

/* After GATE_WAIT: does w wait for a slot of its key (true), or for its
 * start time (spacing, rate)? And in the second case, how many seconds. */
bool gate_queued(const struct gate_wait *w);
double gate_wait_secs(const struct gate_wait *w);

/* Keys the gate holds now (for tests). */
size_t gate_keys(const struct gate *gate);

/* Jobs in the gate for key now (for tests and -v). */
int gate_active(struct gate *gate, const char *key);

#endif
