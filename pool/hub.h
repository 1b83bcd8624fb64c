/*
 * hub.h - the hub: one libev loop everything of a thread runs on, as
 * eventlet's hub.
 *
 * Flow: every watcher of greenfetch (curl sockets and timer, c-ares
 * sockets and timer, the input reader, the pool's timers) lives on a hub.
 * The main hub is libev's default loop; each hub thread of -j has a hub of
 * its own loop (hub_new_loop), and hubs talk through hub_post(). A hub
 * runs a hook each time its loop is about to wait, which is where buffered
 * output is flushed and the next batch of work is started: work goes out
 * in batches, but never sits still while the loop sleeps.
 */
#ifndef GF_HUB_H
#define GF_HUB_H

#include <stdbool.h>
#include <stddef.h>

struct ev_loop;
struct hub;

typedef void (*hub_wait_fn)(void *arg);

/* The hub on libev's default loop (signals are its), or NULL if libev
 * cannot start one. */
struct hub *hub_new(void);
/* A hub on a loop of its own, for a thread. */
struct hub *hub_new_loop(void);
void hub_free(struct hub *hub);

/* The loop, for modules that add their own watchers. */
struct ev_loop *hub_loop(struct hub *hub);

/* Call fn(arg) each time the loop is about to block waiting for events. */
void hub_on_wait(struct hub *hub, hub_wait_fn fn, void *arg);

/* While busy is true there is more to do, so the loop does not block: it
 * takes the events that are ready and calls the wait hook again. Safe to
 * call from anywhere on the hub's thread. */
void hub_busy(struct hub *hub, bool busy);

/* Call fn(arg) once, when fd becomes readable (one such wait at a time;
 * a new call replaces the old). */
void hub_wait_readable(struct hub *hub, int fd, hub_wait_fn fn, void *arg);

/* Call fn(arg) once, when the reader of the pipe fd (our standard output)
 * goes away, though nothing is being written: as `tail -f` notices a
 * closed pipe. Only for pipes; it does not keep the loop alive. */
void hub_on_hangup(struct hub *hub, int fd, hub_wait_fn fn, void *arg);

/* "libev 4.33" in buf. */
const char *hub_version(char *buf, size_t size);

/* Call fn(arg) on each SIGINT or SIGTERM (they no longer kill us); the
 * main hub only. The signal is counted at once, also while the thread
 * blocks outside the loop (--serial in curl): see hub_signals(). */
void hub_on_signal(struct hub *hub, hub_wait_fn fn, void *arg);

/* SIGINT and SIGTERM received so far (async-signal-safe to read). */
int hub_signals(void);

/* Call fn(arg) once after secs (one such timer; a new call replaces it). */
void hub_after(struct hub *hub, double secs, hub_wait_fn fn, void *arg);

/* Call fn(arg) once, on the loop's next turn (work done in parts, the
 * hub turning between them); a call while one is pending is that one. */
void hub_soon(struct hub *hub, hub_wait_fn fn, void *arg);

/* Call fn(arg) every secs; 0 stops it. It does not keep the loop alive. */
void hub_every(struct hub *hub, double secs, hub_wait_fn fn, void *arg);

/* Work for another hub: the caller embeds it in its own message. */
struct hub_msg {
	struct hub_msg *next;         /* in the hub's inbox */
	hub_wait_fn fn;               /* run on the hub's thread */
	void *arg;
};

#define HUB_BATCH 64                  /* posted messages run in one turn */

/* Queue msg to run fn(arg) on hub's thread, from any thread. Messages run
 * in the order posted, at most HUB_BATCH in one turn of the loop. */
void hub_post(struct hub *hub, struct hub_msg *msg, hub_wait_fn fn, void *arg);

/* Run now every message posted so far (at the end, when the loop no
 * longer runs: what hub threads sent back before they were joined). */
void hub_deliver(struct hub *hub);

/* While true, the hub's loop keeps running though nothing else is active
 * (a hub thread waiting for messages). */
void hub_keep_alive(struct hub *hub, bool alive);

/* Run until hub_stop() or until no watcher is left. */
void hub_run(struct hub *hub);
void hub_stop(struct hub *hub);

#endif
