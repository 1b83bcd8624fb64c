/*
 * hub.h - the hub: the one libev loop everything runs on, as eventlet's hub.
 *
 * Flow: every watcher of greenfetch (curl sockets and timer, c-ares sockets
 * and timer, the stdin reader) lives on this loop. The hub adds a hook that
 * runs each time the loop is about to wait, which is where buffered output
 * is flushed and the pool's next batch of jobs is started: records go out in
 * batches, but never sit in a buffer while the loop sleeps.
 */
#ifndef GF_HUB_H
#define GF_HUB_H

#include <stdbool.h>
#include <stddef.h>

struct ev_loop;
struct hub;

typedef void (*hub_wait_fn)(void *arg);

/* The hub on libev's default loop, or NULL if libev cannot start one. */
struct hub *hub_new(void);
void hub_free(struct hub *hub);

/* The loop, for modules that add their own watchers. */
struct ev_loop *hub_loop(struct hub *hub);

/* Call fn(arg) each time the loop is about to block waiting for events. */
void hub_on_wait(struct hub *hub, hub_wait_fn fn, void *arg);

/* From that hook: while busy is true there is more to do, so the loop does
 * not block: it takes the events that are ready and calls the hook again. */
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

/* Call fn(arg) on each SIGINT or SIGTERM (they no longer kill us). */
void hub_on_signal(struct hub *hub, hub_wait_fn fn, void *arg);

/* Call fn(arg) once after secs (one such timer; a new call replaces it). */
void hub_after(struct hub *hub, double secs, hub_wait_fn fn, void *arg);

/* Call fn(arg) every secs; 0 stops it. It does not keep the loop alive. */
void hub_every(struct hub *hub, double secs, hub_wait_fn fn, void *arg);

/* Run until hub_stop() or until no watcher is left. */
void hub_run(struct hub *hub);
void hub_stop(struct hub *hub);

#endif
