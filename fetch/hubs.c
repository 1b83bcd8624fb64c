/*
 * hubs.c - -j N: hub threads that run tries for the main hub.
 *
 * Each hub thread owns a hub (pool/hub.c, on a loop of its own) and a
 * fetch on it. Everything of a thread is made on the main thread before it
 * starts and destroyed after it is joined, so the thread itself only runs
 * its hub. One message carries a try there and back through hub_post(),
 * which hands messages over in batches under a lock.
 */
#include "hubs.h"

#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "hub.h"
#include "url.h"

struct hubs_msg {
	struct hub_msg msg;           /* to the hub thread, then back */
	struct hub_thread *hub;       /* where it runs */
	const struct gf_config *cfg;  /* the try's options */
	struct gf_record *rec;        /* what to fetch, and the result */
	struct gf_body *body;         /* where the body goes */
	fetch_done_fn done;           /* whom to tell, on the main hub */
	void *arg;
	double retry;                 /* what to tell */
};

struct hub_thread {
	struct hubs *owner;
	struct hub *hub;              /* its own hub */
	struct fetch *fetch;          /* tries on it */
	struct hub_msg drain_msg;     /* hubs_drain()'s word to it */
	struct hub_msg quit_msg;      /* and hubs_free()'s */
	pthread_t thread;
	bool running;                 /* the thread was started */
	size_t in_flight;             /* sent and not back (the main hub's count) */
};

struct hubs {
	struct hub *main;             /* the main hub */
	struct hub_thread *hub;       /* the hubs */
	int n;                        /* how many */
	size_t in_flight;             /* tries out on the threads, in all */
	bool drained;                 /* hubs_drain() told the hubs */
};

/* ---------------------------------------------------- on the main hub */

static void hubs_back_cb(void *arg)
{
	struct hubs_msg *m = arg;
	fetch_done_fn done = m->done;
	void *done_arg = m->arg;
	double retry = m->retry;

	m->hub->in_flight--;
	/* Nothing out: the main hub may end when nothing else keeps it. */
	if(--m->hub->owner->in_flight == 0)
		hub_keep_alive(m->hub->owner->main, false);
	free(m);
	done(done_arg, retry);
}

/* ------------------------------------------------------ on a hub thread */

static void hub_done_cb(void *arg, double retry)
{
	struct hubs_msg *m = arg;

	m->retry = retry;
	hub_post(m->hub->owner->main, &m->msg, hubs_back_cb, m);
}

static void hub_start_cb(void *arg)
{
	struct hubs_msg *m = arg;

	fetch_start(m->hub->fetch, m->cfg, m->rec, m->body, hub_done_cb, m);
}

static void hub_drain_cb(void *arg)
{
	struct hub_thread *hub = arg;

	fetch_drain(hub->fetch);
}

/* What still runs ends here, each sent back as interrupted; then the
 * thread's hub stops. */
static void hub_quit_cb(void *arg)
{
	struct hub_thread *hub = arg;

	fetch_free(hub->fetch);
	hub->fetch = NULL;
	hub_keep_alive(hub->hub, false);
	hub_stop(hub->hub);
}

static void *hub_main(void *arg)
{
	struct hub_thread *hub = arg;

	hub_run(hub->hub);
	return NULL;
}

/* ---------------------------------------------------- on the main hub */

/* The hub with the fewest tries out; of those, the host's own (by its
 * name), so that a host's URLs share its connections while the hubs are
 * evenly busy, and one site crawled still keeps every hub at work. */
static struct hub_thread *hubs_pick(struct hubs *h, const char *url)
{
	struct hub_thread *best = &h->hub[url_host_hash(url) % (unsigned)h->n];

	for(int i = 0; i < h->n; i++)
		if(h->hub[i].in_flight < best->in_flight)
			best = &h->hub[i];
	return best;
}

void hubs_start(struct hubs *h, const struct gf_config *cfg,
		struct gf_record *rec, struct gf_body *body,
		fetch_done_fn done, void *arg)
{
	struct hubs_msg *m = malloc(sizeof(*m));

	if(!m) {
		record_oom(rec);
		done(arg, -1);
		return;
	}
	*m = (struct hubs_msg){ .hub = hubs_pick(h, rec->url), .cfg = cfg,
				.rec = rec, .body = body, .done = done, .arg = arg };
	m->hub->in_flight++;
	/* Tries out keep the main hub running until they are back. */
	if(h->in_flight++ == 0)
		hub_keep_alive(h->main, true);
	hub_post(m->hub->hub, &m->msg, hub_start_cb, m);
}

void hubs_drain(struct hubs *h)
{
	if(h->drained)
		return;
	h->drained = true;
	for(int i = 0; i < h->n; i++)
		hub_post(h->hub[i].hub, &h->hub[i].drain_msg, hub_drain_cb, &h->hub[i]);
}

static bool hub_open(struct hub_thread *hub, const struct gf_config *cfg,
		     struct gf_log *log, const char **error)
{
	hub->hub = hub_new_loop();
	if(!hub->hub) {
		*error = "cannot start an event loop";
		return false;
	}
	/* Waiting for the main hub's messages keeps the thread's hub alive. */
	hub_keep_alive(hub->hub, true);
	hub->fetch = fetch_new(hub_loop(hub->hub), cfg, log, error);
	return hub->fetch != NULL;
}

static void hub_close(struct hub_thread *hub)
{
	if(hub->running) {
		hub_post(hub->hub, &hub->quit_msg, hub_quit_cb, hub);
		pthread_join(hub->thread, NULL);
	}
	fetch_free(hub->fetch);
	hub_free(hub->hub);
}

struct hubs *hubs_new(struct hub *main, const struct gf_config *cfg,
		      struct gf_log *log, int n, const char **error)
{
	struct hubs *h = calloc(1, sizeof(*h));
	sigset_t all, old;
	int opened = 0;

	*error = "out of memory";
	if(!h || !(h->hub = calloc((size_t)n, sizeof(*h->hub)))) {
		free(h);
		return NULL;
	}
	h->main = main;
	h->n = n;
	for(int i = 0; i < n; i++)
		h->hub[i].owner = h;
	while(opened < n && hub_open(&h->hub[opened], cfg, log, error))
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
		h->n = opened < 0 ? n : opened + 1;
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
	hub_deliver(h->main);
	free(h->hub);
	free(h);
}
