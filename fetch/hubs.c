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
#include <stdlib.h>
#include <string.h>

#include "gf.h"

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
};

struct hub_thread {
	struct hubs *owner;
	struct ev_loop *loop;         /* its own loop */
	ev_async wake;                /* its inbox has something */
	struct inbox inbox;
	struct fetch *fetch;          /* transfers on its loop */
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
};

/* ------------------------------------------------------------ inboxes */

static void inbox_init(struct inbox *in)
{
	pthread_mutex_init(&in->lock, NULL);
	in->head = NULL;
	in->tail = &in->head;
	in->quit = false;
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

/* Everything in the inbox, oldest first; *quit tells whether to end. */
static struct hubs_msg *inbox_take(struct inbox *in, bool *quit)
{
	struct hubs_msg *all;

	pthread_mutex_lock(&in->lock);
	all = in->head;
	in->head = NULL;
	in->tail = &in->head;
	if(quit)
		*quit = in->quit;
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

static void hub_wake_cb(struct ev_loop *loop, ev_async *w, int revents)
{
	struct hub_thread *hub = container_of(w, struct hub_thread, wake);
	bool quit;
	struct hubs_msg *msg = inbox_take(&hub->inbox, &quit);

	(void)revents;
	while(msg) {
		struct hubs_msg *next = msg->next;

		fetch_start(hub->fetch, msg->rec, msg->body, hub_done_cb, msg);
		msg = next;
	}
	if(quit) {
		/* What still runs ends here, each sent back as interrupted. */
		fetch_free(hub->fetch);
		hub->fetch = NULL;
		ev_async_stop(loop, w);
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
	struct hubs_msg *msg = inbox_take(&h->inbox, NULL);

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

/* The host of url, as a hash: what lies between "//" and the path, less
 * any user info and port, case folded. Malformed URLs hash somewhere. */
static unsigned host_hash(const char *url)
{
	const char *p = strstr(url, "//"), *end, *at;
	unsigned hash = 2166136261u;

	if(!p)
		return 0;
	p += 2;
	end = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(end - p));
	if(at)
		p = at + 1;
	if(*p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));

		if(close)
			end = close;
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		if(colon)
			end = colon;
	}
	for(; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		hash = (hash ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 16777619u;
	}
	return hash;
}

static struct hub_thread *hubs_pick(struct hubs *h, const char *url)
{
	struct hub_thread *best;

	if(h->by_host)
		return &h->hub[host_hash(url) % (unsigned)h->n];
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
		record_set_error(rec, GF_EXIT_NOMEM, "out of memory");
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
