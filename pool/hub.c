/*
 * hub.c - the libev loop and its before-wait hook.
 */
#include "hub.h"

#include <ev.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "gf.h"

struct hub {
	struct ev_loop *loop;         /* libev's default loop */
	ev_prepare prepare;           /* runs before the loop blocks */
	ev_idle busy;                 /* hub_busy(): keeps it from blocking */
	hub_wait_fn wait_fn;          /* hook for prepare, NULL = none */
	void *wait_arg;               /* its argument */
	ev_io readable;               /* hub_wait_readable()'s watcher */
	hub_wait_fn readable_fn;      /* whom it wakes */
	void *readable_arg;           /* its argument */
	ev_signal sigint, sigterm;    /* hub_on_signal()'s watchers */
	hub_wait_fn signal_fn;
	void *signal_arg;
	ev_timer after;               /* hub_after()'s timer */
	hub_wait_fn after_fn;
	void *after_arg;
	ev_timer every;               /* hub_every()'s timer */
	hub_wait_fn every_fn;
	void *every_arg;
	ev_io hangup;                 /* hub_on_hangup()'s watcher */
	hub_wait_fn hangup_fn;
	void *hangup_arg;
	bool stopped;                 /* hub_stop() came before hub_run() */
};

static void hub_signal_cb(struct ev_loop *loop, ev_signal *w, int revents)
{
	struct hub *hub = w->signum == SIGINT ?
		container_of(w, struct hub, sigint) :
		container_of(w, struct hub, sigterm);

	(void)loop;
	(void)revents;
	hub->signal_fn(hub->signal_arg);
}

void hub_on_signal(struct hub *hub, hub_wait_fn fn, void *arg)
{
	hub->signal_fn = fn;
	hub->signal_arg = arg;
	ev_signal_start(hub->loop, &hub->sigint);
	ev_signal_start(hub->loop, &hub->sigterm);
	/* Waiting for a signal alone must not keep the loop alive. */
	ev_unref(hub->loop);
	ev_unref(hub->loop);
}

static void hub_after_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, after);

	(void)loop;
	(void)revents;
	hub->after_fn(hub->after_arg);
}

void hub_after(struct hub *hub, double secs, hub_wait_fn fn, void *arg)
{
	ev_timer_stop(hub->loop, &hub->after);
	hub->after_fn = fn;
	hub->after_arg = arg;
	ev_timer_set(&hub->after, secs, 0.);
	ev_timer_start(hub->loop, &hub->after);
}

static void hub_every_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, every);

	(void)loop;
	(void)revents;
	hub->every_fn(hub->every_arg);
}

void hub_every(struct hub *hub, double secs, hub_wait_fn fn, void *arg)
{
	if(ev_is_active(&hub->every)) {
		ev_ref(hub->loop);
		ev_timer_stop(hub->loop, &hub->every);
	}
	if(secs <= 0)
		return;
	hub->every_fn = fn;
	hub->every_arg = arg;
	ev_timer_set(&hub->every, secs, secs);
	ev_timer_start(hub->loop, &hub->every);
	ev_unref(hub->loop);
}

static void hub_hangup_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, hangup);
	struct pollfd pfd = { .fd = w->fd, .events = POLLOUT };

	(void)revents;
	/* The write end of a pipe is never readable: epoll reports the
	 * reader's end as an error on it. Anything else, once: stop. */
	ev_ref(loop);
	ev_io_stop(loop, w);
	if(poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP)))
		hub->hangup_fn(hub->hangup_arg);
}

void hub_on_hangup(struct hub *hub, int fd, hub_wait_fn fn, void *arg)
{
	struct stat st;

	if(fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode) || ev_is_active(&hub->hangup))
		return;
	hub->hangup_fn = fn;
	hub->hangup_arg = arg;
	ev_io_set(&hub->hangup, fd, EV_READ);
	ev_io_start(hub->loop, &hub->hangup);
	ev_unref(hub->loop);
}

static void hub_readable_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, readable);

	(void)revents;
	ev_io_stop(loop, w);
	hub->readable_fn(hub->readable_arg);
}

void hub_wait_readable(struct hub *hub, int fd, hub_wait_fn fn, void *arg)
{
	ev_io_stop(hub->loop, &hub->readable);
	ev_io_set(&hub->readable, fd, EV_READ);
	hub->readable_fn = fn;
	hub->readable_arg = arg;
	ev_io_start(hub->loop, &hub->readable);
}

static void hub_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, prepare);

	(void)loop;
	(void)revents;
	if(hub->wait_fn)
		hub->wait_fn(hub->wait_arg);
}

static void hub_busy_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

void hub_busy(struct hub *hub, bool busy)
{
	if(busy)
		ev_idle_start(hub->loop, &hub->busy);
	else
		ev_idle_stop(hub->loop, &hub->busy);
}

struct hub *hub_new(void)
{
	struct hub *hub = calloc(1, sizeof(*hub));

	if(!hub)
		return NULL;
	hub->loop = ev_default_loop(EVFLAG_AUTO);
	if(!hub->loop) {
		free(hub);
		return NULL;
	}
	ev_io_init(&hub->readable, hub_readable_cb, -1, EV_READ);
	ev_io_init(&hub->hangup, hub_hangup_cb, -1, EV_READ);
	ev_signal_init(&hub->sigint, hub_signal_cb, SIGINT);
	ev_signal_init(&hub->sigterm, hub_signal_cb, SIGTERM);
	ev_timer_init(&hub->after, hub_after_cb, 0., 0.);
	ev_timer_init(&hub->every, hub_every_cb, 0., 0.);
	ev_prepare_init(&hub->prepare, hub_prepare_cb);
	ev_idle_init(&hub->busy, hub_busy_cb);
	ev_prepare_start(hub->loop, &hub->prepare);
	/* The prepare watcher alone must not keep the loop alive. */
	ev_unref(hub->loop);
	return hub;
}

void hub_free(struct hub *hub)
{
	if(!hub)
		return;
	ev_ref(hub->loop);
	ev_prepare_stop(hub->loop, &hub->prepare);
	ev_idle_stop(hub->loop, &hub->busy);
	ev_io_stop(hub->loop, &hub->readable);
	if(ev_is_active(&hub->hangup)) {
		ev_ref(hub->loop);
		ev_io_stop(hub->loop, &hub->hangup);
	}
	ev_timer_stop(hub->loop, &hub->after);
	hub_every(hub, 0, NULL, NULL);
	if(ev_is_active(&hub->sigint)) {
		ev_ref(hub->loop);
		ev_ref(hub->loop);
		ev_signal_stop(hub->loop, &hub->sigint);
		ev_signal_stop(hub->loop, &hub->sigterm);
	}
	ev_loop_destroy(hub->loop);
	free(hub);
}

struct ev_loop *hub_loop(struct hub *hub)
{
	return hub->loop;
}

void hub_on_wait(struct hub *hub, hub_wait_fn fn, void *arg)
{
	hub->wait_fn = fn;
	hub->wait_arg = arg;
}

void hub_run(struct hub *hub)
{
	/* A stop before the run (the input was over at once) still counts:
	 * ev_run() forgets an earlier ev_break(). */
	if(!hub->stopped)
		ev_run(hub->loop, 0);
}

void hub_stop(struct hub *hub)
{
	hub->stopped = true;
	ev_break(hub->loop, EVBREAK_ALL);
}

const char *hub_version(char *buf, size_t size)
{
	snprintf(buf, size, "libev %d.%d", ev_version_major(), ev_version_minor());
	return buf;
}
