/*
 * hub.c - a libev loop, its before-wait hook, and messages between hubs.
 *
 * A hub's messages come through an inbox (a list under a lock) and one
 * ev_async; taken in one splice, they wait in a backlog from which the
 * before-wait hook runs a batch per turn, so a flood of them still lets
 * the loop turn between batches.
 *
 * Signals are caught by a handler of our own, not libev's: it counts them
 * (hub_signals) and wakes the main hub through an ev_async, so that code
 * blocked outside the loop (--serial, in curl) sees them at once.
 */
#include "hub.h"

#include <ev.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "gf.h"

struct hub {
	struct ev_loop *loop;         /* libev's default loop, or one of its own */
	bool own_loop;                /* hub_new_loop(): destroy it at the end */
	ev_prepare prepare;           /* runs before the loop blocks */
	ev_idle busy;                 /* keeps it from blocking */
	bool busy_work, busy_post;    /* hub_busy()'s, the backlog's */
	hub_wait_fn wait_fn;          /* hook for prepare, NULL = none */
	void *wait_arg;
	ev_io readable;               /* hub_wait_readable()'s watcher */
	hub_wait_fn readable_fn;
	void *readable_arg;
	ev_io hangup;                 /* hub_on_hangup()'s watcher */
	hub_wait_fn hangup_fn;
	void *hangup_arg;
	ev_async signal_wake;         /* a signal came */
	hub_wait_fn signal_fn;
	void *signal_arg;
	int signals_seen;             /* of hub_signals(), handed to signal_fn */
	ev_timer after;               /* hub_after()'s timer */
	hub_wait_fn after_fn;
	void *after_arg;
	ev_timer soon;                /* hub_soon()'s */
	hub_wait_fn soon_fn;
	void *soon_arg;
	ev_timer every;               /* hub_every()'s timer */
	hub_wait_fn every_fn;
	void *every_arg;
	pthread_mutex_t lock;         /* the inbox's */
	struct hub_msg *inbox, **inbox_tail; /* posted, not taken */
	struct hub_msg *backlog, **backlog_tail; /* taken, not run */
	ev_async wake;                /* the inbox has something */
	bool alive;                   /* hub_keep_alive() */
	bool stopped;                 /* hub_stop() came before hub_run() */
};

/* The hub whose loop signals wake (one per process), and their count. */
static struct hub *signal_hub;
static volatile sig_atomic_t nsignals;

/* ------------------------------------------------------------ busy */

static void hub_busy_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

static void hub_update_busy(struct hub *hub)
{
	if(hub->busy_work || hub->busy_post)
		ev_idle_start(hub->loop, &hub->busy);
	else
		ev_idle_stop(hub->loop, &hub->busy);
}

void hub_busy(struct hub *hub, bool busy)
{
	hub->busy_work = busy;
	hub_update_busy(hub);
}

/* ------------------------------------------------------------ messages */

static void hub_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, wake);
	struct hub_msg *all;

	(void)loop;
	(void)revents;
	pthread_mutex_lock(&hub->lock);
	all = hub->inbox;
	if(all) {
		*hub->backlog_tail = all;
		hub->backlog_tail = hub->inbox_tail;
	}
	hub->inbox = NULL;
	hub->inbox_tail = &hub->inbox;
	pthread_mutex_unlock(&hub->lock);
	if(all) {
		hub->busy_post = true;
		hub_update_busy(hub);
	}
}

/* Run a batch of the backlog. */
static void hub_run_backlog(struct hub *hub)
{
	for(int n = 0; hub->backlog && n < HUB_BATCH; n++) {
		struct hub_msg *msg = hub->backlog;

		hub->backlog = msg->next;
		if(!hub->backlog)
			hub->backlog_tail = &hub->backlog;
		msg->fn(msg->arg);
	}
	hub->busy_post = hub->backlog != NULL;
	hub_update_busy(hub);
}

void hub_post(struct hub *hub, struct hub_msg *msg, hub_wait_fn fn, void *arg)
{
	bool was_empty;

	msg->next = NULL;
	msg->fn = fn;
	msg->arg = arg;
	pthread_mutex_lock(&hub->lock);
	was_empty = !hub->inbox;
	*hub->inbox_tail = msg;
	hub->inbox_tail = &msg->next;
	pthread_mutex_unlock(&hub->lock);
	if(was_empty)
		ev_async_send(hub->loop, &hub->wake);
}

void hub_deliver(struct hub *hub)
{
	hub_wake_cb(hub->loop, &hub->wake, 0);
	while(hub->backlog)
		hub_run_backlog(hub);
}

void hub_keep_alive(struct hub *hub, bool alive)
{
	if(alive == hub->alive)
		return;
	hub->alive = alive;
	if(alive)
		ev_ref(hub->loop);
	else
		ev_unref(hub->loop);
}

/* ------------------------------------------------------------ signals */

static void hub_signal_handler(int sig)
{
	(void)sig;
	nsignals++;
	if(signal_hub)
		ev_async_send(signal_hub->loop, &signal_hub->signal_wake);
}

static void hub_signal_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, signal_wake);

	(void)loop;
	(void)revents;
	while(hub->signals_seen < nsignals) {
		hub->signals_seen++;
		if(hub->signal_fn)
			hub->signal_fn(hub->signal_arg);
	}
}

void hub_on_signal(struct hub *hub, hub_wait_fn fn, void *arg)
{
	struct sigaction sa = { .sa_handler = hub_signal_handler };

	hub->signal_fn = fn;
	hub->signal_arg = arg;
	signal_hub = hub;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int hub_signals(void)
{
	return nsignals;
}

/* ------------------------------------------------------------ timers */

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

static void hub_soon_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, soon);

	(void)loop;
	(void)revents;
	hub->soon_fn(hub->soon_arg);
}

void hub_soon(struct hub *hub, hub_wait_fn fn, void *arg)
{
	if(ev_is_active(&hub->soon))
		return;
	hub->soon_fn = fn;
	hub->soon_arg = arg;
	ev_timer_set(&hub->soon, 0., 0.);
	ev_timer_start(hub->loop, &hub->soon);
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

/* ------------------------------------------------------------ file descriptors */

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

/* ------------------------------------------------------------ the hub */

static void hub_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	struct hub *hub = container_of(w, struct hub, prepare);

	(void)loop;
	(void)revents;
	if(hub->backlog)
		hub_run_backlog(hub);
	if(hub->wait_fn)
		hub->wait_fn(hub->wait_arg);
}

static struct hub *hub_make(struct ev_loop *loop, bool own)
{
	struct hub *hub;

	if(!loop)
		return NULL;
	hub = calloc(1, sizeof(*hub));
	if(!hub) {
		if(own)
			ev_loop_destroy(loop);
		return NULL;
	}
	hub->loop = loop;
	hub->own_loop = own;
	pthread_mutex_init(&hub->lock, NULL);
	hub->inbox_tail = &hub->inbox;
	hub->backlog_tail = &hub->backlog;
	ev_io_init(&hub->readable, hub_readable_cb, -1, EV_READ);
	ev_io_init(&hub->hangup, hub_hangup_cb, -1, EV_READ);
	ev_timer_init(&hub->after, hub_after_cb, 0., 0.);
	ev_timer_init(&hub->soon, hub_soon_cb, 0., 0.);
	ev_timer_init(&hub->every, hub_every_cb, 0., 0.);
	ev_prepare_init(&hub->prepare, hub_prepare_cb);
	ev_idle_init(&hub->busy, hub_busy_cb);
	ev_async_init(&hub->wake, hub_wake_cb);
	ev_async_init(&hub->signal_wake, hub_signal_cb);
	ev_prepare_start(loop, &hub->prepare);
	ev_async_start(loop, &hub->wake);
	ev_async_start(loop, &hub->signal_wake);
	/* None of these alone keeps the loop alive. */
	ev_unref(loop);
	ev_unref(loop);
	ev_unref(loop);
	return hub;
}

struct hub *hub_new(void)
{
	return hub_make(ev_default_loop(EVFLAG_AUTO), false);
}

struct hub *hub_new_loop(void)
{
	return hub_make(ev_loop_new(EVFLAG_AUTO), true);
}

void hub_free(struct hub *hub)
{
	if(!hub)
		return;
	if(signal_hub == hub) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal_hub = NULL;
	}
	hub_keep_alive(hub, false);
	ev_ref(hub->loop);
	ev_ref(hub->loop);
	ev_ref(hub->loop);
	ev_prepare_stop(hub->loop, &hub->prepare);
	ev_async_stop(hub->loop, &hub->wake);
	ev_async_stop(hub->loop, &hub->signal_wake);
	ev_idle_stop(hub->loop, &hub->busy);
	ev_io_stop(hub->loop, &hub->readable);
	if(ev_is_active(&hub->hangup)) {
		ev_ref(hub->loop);
		ev_io_stop(hub->loop, &hub->hangup);
	}
	ev_timer_stop(hub->loop, &hub->after);
	hub_every(hub, 0, NULL, NULL);
	ev_loop_destroy(hub->loop);
	pthread_mutex_destroy(&hub->lock);
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
