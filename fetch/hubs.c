/*
 * hubs.c - -j N: hub threads that run transfers for the main hub.
 *
 * Each hub thread owns a loop, a fetch (curl multi, c-ares, gates, easy
 * handles) and an inbox. Everything of a hub is made on the main thread
 * before the thread starts and destroyed after it is joined, so the thread
 * itself only runs its loop. A message carries one transfer there and
 * back: the main hub appends it to a hub's inbox, the hub starts it, and
 * when it is done appends the same message to the main hub's inbox. Each
 * side wakes the other with an ev_async and takes its whole inbox in one
 * splice, so a busy run crosses threads in batches.
 */
#include "hubs.h"

#include <ev.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "pool.h"
#include "url.h"

struct hubs_msg {
	struct hubs_msg *next;        /* in an inbox */
	struct hub_thread *hub;       /* where it runs */
	struct gf_record *rec;        /* what to fetch, and the result */
	struct gf_body *body;         /* where the body goes */
	fetch_done_fn done;           /* whom to tell, on the main hub */
	void *arg;
};

struct inbox {
	pthread_mutex_t lock;
	struct hubs_msg *head;        /* oldest first */
	struct hubs_msg **tail;
	bool quit;                    /* a hub's: end once the inbox is read */
	bool drain;                   /* a hub's: nothing more will come */
};

struct hub_thread {
	struct hubs *owner;
	struct ev_loop *loop;         /* its own loop */
	ev_async wake;                /* its inbox has something */
	struct inbox inbox;
	struct fetch *fetch;          /* transfers on its loop */
	struct hubs_msg *backlog;     /* taken from the inbox, not yet started */
	struct hubs_msg **backlog_tail;
	ev_prepare prepare;           /* starts the next batch of the backlog */
	ev_idle busy;                 /* keeps the loop from blocking meanwhile */
	bool draining;                /* no more will come: told fetch, or will */
	pthread_t thread;
	bool running;                 /* the thread was started */
	size_t in_flight;             /* sent and not back (main hub's count) */
};

struct hubs {
	struct ev_loop *loop;         /* the main hub */
	ev_async wake;                /* transfers are back */
	struct inbox inbox;           /* of the main hub */
	struct hub_thread *hub;       /* the hubs */
	int n;                        /* how many */
	bool by_host;                 /* a host's URLs on one hub */
	unsigned turn;                /* where the search for the least busy starts */
	bool drained;                 /* hubs_drain() told the hubs */
};

/* ------------------------------------------------------------ inboxes */

static void inbox_init(struct inbox *in)
{
	pthread_mutex_init(&in->lock, NULL);
	in->head = NULL;
	in->tail = &in->head;
	in->quit = false;
	in->drain = false;
}

/* Append msg; true if the inbox was empty (the reader needs a wake-up). */
static bool inbox_put(struct inbox *in, struct hubs_msg *msg)
{
	bool was_empty;

	msg->next = NULL;
	pthread_mutex_lock(&in->lock);
	was_empty = !in->head;
	*in->tail = msg;
	in->tail = &msg->next;
	pthread_mutex_unlock(&in->lock);
	return was_empty;
}

/* Everything in the inbox, oldest first; *quit tells whether to end,
 * *drain whether more will come. */
static struct hubs_msg *inbox_take(struct inbox *in, bool *quit, bool *drain)
{
	struct hubs_msg *all;

	pthread_mutex_lock(&in->lock);
	all = in->head;
	in->head = NULL;
	in->tail = &in->head;
	if(quit)
		*quit = in->quit;
	if(drain)
		*drain = in->drain;
	pthread_mutex_unlock(&in->lock);
	return all;
}

/* ------------------------------------------------------ on a hub thread */

static void hub_done_cb(void *arg)
{
	struct hubs_msg *msg = arg;
	struct hubs *h = msg->hub->owner;

	if(inbox_put(&h->inbox, msg))
		ev_async_send(h->loop, &h->wake);
}

/* Start transfers of the backlog, at most a batch per turn of the hub's
 * loop, so that the first requests go out before the last are set up. */
static void hub_start_batch(struct hub_thread *hub, size_t max)
{
	while(hub->backlog && max-- > 0) {
		struct hubs_msg *msg = hub->backlog;

		hub->backlog = msg->next;
		if(!hub->backlog)
			hub->backlog_tail = &hub->backlog;
		fetch_start(hub->fetch, msg->rec, msg->body, hub_done_cb, msg);
	}
	if(hub->backlog) {
		ev_idle_start(hub->loop, &hub->busy);
		return;
	}
	ev_idle_stop(hub->loop, &hub->busy);
	/* Everything it will run has started: connections and handles the
	 * running transfers cannot use go as each ends. */
	if(hub->draining && hub->fetch)
		fetch_drain(hub->fetch);
}

static void hub_prepare_cb(struct ev_loop *loop, ev_prepare *w, int revents)
{
	(void)loop;
	(void)revents;
	hub_start_batch(container_of(w, struct hub_thread, prepare),
			POOL_BATCH);
}

static void hub_busy_cb(struct ev_loop *loop, ev_idle *w, int revents)
{
	(void)loop;
	(void)w;
	(void)revents;
}

static void hub_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct hub_thread *hub = container_of(w, struct hub_thread, wake);
	bool quit, drain;
	struct hubs_msg *msg = inbox_take(&hub->inbox, &quit, &drain);

	(void)revents;
	if(msg) {
		*hub->backlog_tail = msg;
		while(msg->next)
			msg = msg->next;
		hub->backlog_tail = &msg->next;
	}
	hub->draining = drain;
	if(quit) {
		/* What still waits or runs ends here, each sent back as
		 * interrupted. */
		hub_start_batch(hub, SIZE_MAX);
		fetch_free(hub->fetch);
		hub->fetch = NULL;
		ev_async_stop(loop, w);
		ev_prepare_stop(loop, &hub->prepare);
		ev_idle_stop(loop, &hub->busy);
		ev_break(loop, EVBREAK_ALL);
	}
}

static void *hub_main(void *arg)
{
	struct hub_thread *hub = arg;

	ev_run(hub->loop, 0);
	return NULL;
}

/* ------------------------------------------------------ on the main hub */

static void hubs_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct hubs *h = container_of(w, struct hubs, wake);
	struct hubs_msg *msg = inbox_take(&h->inbox, NULL, NULL);

	(void)loop;
	(void)revents;
	while(msg) {
		struct hubs_msg *next = msg->next;
		fetch_done_fn done = msg->done;
		void *done_arg = msg->arg;

		msg->hub->in_flight--;
		free(msg);
		done(done_arg);
		msg = next;
	}
}

static struct hub_thread *hubs_pick(struct hubs *h, const char *url)
{
	struct hub_thread *best;

	if(h->by_host)
		return &h->hub[url_host_hash(url) % (unsigned)h->n];
	best = &h->hub[h->turn++ % (unsigned)h->n];
	for(int i = 0; i < h->n; i++)
		if(h->hub[i].in_flight < best->in_flight)
			best = &h->hub[i];
	return best;
}

void hubs_start(struct hubs *h, struct gf_record *rec, struct gf_body *body,
		fetch_done_fn done, void *arg)
{
	struct hubs_msg *msg = malloc(sizeof(*msg));
	struct hub_thread *hub;

	if(!msg) {
		record_oom(rec);
		done(arg);
		return;
	}
	hub = hubs_pick(h, rec->url);
	*msg = (struct hubs_msg){ .hub = hub, .rec = rec, .body = body,
				  .done = done, .arg = arg };
	hub->in_flight++;
	if(inbox_put(&hub->inbox, msg))
		ev_async_send(hub->loop, &hub->wake);
}

void hubs_drain(struct hubs *h)
{
	if(h->drained)
		return;
	h->drained = true;
	for(int i = 0; i < h->n; i++) {
		struct hub_thread *hub = &h->hub[i];

		pthread_mutex_lock(&hub->inbox.lock);
		hub->inbox.drain = true;
		pthread_mutex_unlock(&hub->inbox.lock);
		ev_async_send(hub->loop, &hub->wake);
	}
}

static bool hub_open(struct hub_thread *hub, const struct gf_config *cfg,
		     const char **error)
{
	hub->loop = ev_loop_new(EVFLAG_AUTO);
	if(!hub->loop) {
		*error = "cannot start an event loop";
		return false;
	}
	ev_async_init(&hub->wake, hub_wake_cb);
	ev_async_start(hub->loop, &hub->wake);
	ev_prepare_init(&hub->prepare, hub_prepare_cb);
	ev_prepare_start(hub->loop, &hub->prepare);
	ev_idle_init(&hub->busy, hub_busy_cb);
	hub->backlog_tail = &hub->backlog;
	/* The hub's transfers hold the main pool's slots, which it cannot
	 * lend out: a URL waiting for its host keeps its slot. */
	hub->fetch = fetch_new(hub->loop, cfg, NULL, error);
	return hub->fetch != NULL;
}

static void hub_close(struct hub_thread *hub)
{
	if(hub->running) {
		pthread_mutex_lock(&hub->inbox.lock);
		hub->inbox.quit = true;
		pthread_mutex_unlock(&hub->inbox.lock);
		ev_async_send(hub->loop, &hub->wake);
		pthread_join(hub->thread, NULL);
	}
	fetch_free(hub->fetch);
	if(hub->loop)
		ev_loop_destroy(hub->loop);
	pthread_mutex_destroy(&hub->inbox.lock);
}

struct hubs *hubs_new(struct ev_loop *loop, const struct gf_config *cfg,
		      int n, const char **error)
{
	struct hubs *h = calloc(1, sizeof(*h));
	sigset_t all, old;
	int opened = 0;

	*error = "out of memory";
	if(!h || !(h->hub = calloc((size_t)n, sizeof(*h->hub)))) {
		free(h);
		return NULL;
	}
	h->loop = loop;
	h->n = n;
	h->by_host = cfg->per_host > 0;
	inbox_init(&h->inbox);
	ev_async_init(&h->wake, hubs_wake_cb);
	ev_async_start(loop, &h->wake);
	for(int i = 0; i < n; i++) {
		h->hub[i].owner = h;
		inbox_init(&h->hub[i].inbox);
	}
	while(opened < n && hub_open(&h->hub[opened], cfg, error))
		opened++;
	/* Signals are the main hub's: the threads start with them blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for(int i = 0; opened == n && i < n; i++) {
		h->hub[i].running = !pthread_create(&h->hub[i].thread, NULL,
						    hub_main, &h->hub[i]);
		if(!h->hub[i].running) {
			*error = "cannot start a hub thread";
			opened = -1;
		}
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if(opened != n) {
		hubs_free(h);
		return NULL;
	}
	return h;
}

void hubs_free(struct hubs *h)
{
	if(!h)
		return;
	for(int i = 0; i < h->n; i++)
		hub_close(&h->hub[i]);
	/* The threads are gone: what they sent back is all there is. */
	hubs_wake_cb(h->loop, &h->wake, 0);
	ev_async_stop(h->loop, &h->wake);
	pthread_mutex_destroy(&h->inbox.lock);
	free(h->hub);
	free(h);
}
