/*
 * multi.c - curl multi-socket driven by libev.
 *
 * State in three levels: struct multi (loop, CURLM, one timer) -> each easy
 * handle (owned by the caller) -> struct multi_sock per socket curl watches,
 * attached with curl_multi_assign() and freed on CURL_POLL_REMOVE.
 */
#include "multi.h"

#include <ev.h>
#include <stdlib.h>

#include "gf.h"

#define MULTI_LOST 16                 /* unwatchable transfers kept to end */

struct multi {
	struct ev_loop *loop;         /* the hub */
	CURLM *cm;                    /* curl's multi handle */
	ev_timer timer;               /* curl's next timeout */
	int running;                  /* transfers curl reports running */
	multi_done_fn done;           /* where finished transfers go */
	void *arg;                    /* its argument */
	struct multi_sock *socks;     /* every socket watched, to free at the end */
	CURL *lost[MULTI_LOST];       /* transfers whose socket could not be
				       * watched (out of memory), to end */
	int nlost;
};

struct multi_sock {
	ev_io io;                     /* watches the socket */
	struct multi *m;              /* owner */
	struct multi_sock *prev;      /* list of m->socks */
	struct multi_sock *next;
};

static void multi_sock_free(struct multi *m, struct multi_sock *s)
{
	ev_io_stop(m->loop, &s->io);
	if(s->prev)
		s->prev->next = s->next;
	else
		m->socks = s->next;
	if(s->next)
		s->next->prev = s->prev;
	free(s);
}

/* Hand every finished transfer to the done callback. */
static void multi_check_info(struct multi *m)
{
	CURLMsg *msg;
	int left;

	while((msg = curl_multi_info_read(m->cm, &left))) {
		CURL *easy;
		CURLcode result;

		if(msg->msg != CURLMSG_DONE)
			continue;
		easy = msg->easy_handle;
		result = msg->data.result;
		curl_multi_remove_handle(m->cm, easy);
		m->done(m->arg, easy, result);
	}
}

/* End the transfers whose sockets could not be watched: they would wait
 * for ever. Done here, outside curl's callbacks. */
static void multi_end_lost(struct multi *m)
{
	while(m->nlost > 0) {
		CURL *easy = m->lost[--m->nlost];

		curl_multi_remove_handle(m->cm, easy);
		gf_oom();             /* ours: a socket's watcher */
		m->done(m->arg, easy, CURLE_OUT_OF_MEMORY);
	}
}

static void multi_action(struct multi *m, curl_socket_t fd, int what)
{
	curl_multi_socket_action(m->cm, fd, what, &m->running);
	multi_end_lost(m);
	multi_check_info(m);
}

/* easy's socket cannot be watched: keep it to end after curl returns.
 * Returning -1 instead makes libcurl 7.88 crash. */
static int multi_lose(struct multi *m, CURL *easy)
{
	for(int i = 0; i < m->nlost; i++)
		if(m->lost[i] == easy)
			return 0;
	if(m->nlost == MULTI_LOST)
		return -1;
	m->lost[m->nlost++] = easy;
	return 0;
}

static void multi_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	(void)loop;
	(void)revents;
	multi_action(container_of(w, struct multi, timer), CURL_SOCKET_TIMEOUT, 0);
}

static void multi_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct multi_sock *s = container_of(w, struct multi_sock, io);
	int what = (revents & EV_READ ? CURL_CSELECT_IN : 0) |
		   (revents & EV_WRITE ? CURL_CSELECT_OUT : 0);

	(void)loop;
	multi_action(s->m, w->fd, what);
}

/* CURLMOPT_TIMERFUNCTION: (re)arm the one timer; -1 stops it. */
static int multi_timer_set_cb(CURLM *cm, long timeout_ms, void *arg)
{
	struct multi *m = arg;

	(void)cm;
	ev_timer_stop(m->loop, &m->timer);
	if(timeout_ms >= 0) {
		ev_timer_set(&m->timer, (double)timeout_ms / 1000.0, 0.);
		ev_timer_start(m->loop, &m->timer);
	}
	return 0;
}

/* CURLMOPT_SOCKETFUNCTION: watch, re-watch or forget a socket. */
static int multi_socket_cb(CURL *easy, curl_socket_t fd, int what, void *arg,
			   void *sockp)
{
	struct multi *m = arg;
	struct multi_sock *s = sockp;
	int events = (what & CURL_POLL_IN ? EV_READ : 0) |
		     (what & CURL_POLL_OUT ? EV_WRITE : 0);

	if(what == CURL_POLL_REMOVE) {
		if(s) {
			multi_sock_free(m, s);
			curl_multi_assign(m->cm, fd, NULL);
		}
		return 0;
	}
	if(!s) {
		s = malloc(sizeof(*s));
		if(!s)
			return multi_lose(m, easy);
		s->m = m;
		s->prev = NULL;
		s->next = m->socks;
		if(m->socks)
			m->socks->prev = s;
		m->socks = s;
		ev_io_init(&s->io, multi_io_cb, fd, events);
		curl_multi_assign(m->cm, fd, s);
	} else {
		ev_io_stop(m->loop, &s->io);
		ev_io_set(&s->io, fd, events);
	}
	ev_io_start(m->loop, &s->io);
	return 0;
}

struct multi *multi_new(struct ev_loop *loop, long maxconns,
			multi_done_fn done, void *arg)
{
	struct multi *m = calloc(1, sizeof(*m));

	if(!m)
		return NULL;
	m->cm = curl_multi_init();
	if(!m->cm) {
		free(m);
		return NULL;
	}
	m->loop = loop;
	m->done = done;
	m->arg = arg;
	ev_timer_init(&m->timer, multi_timer_cb, 0., 0.);
	curl_multi_setopt(m->cm, CURLMOPT_SOCKETFUNCTION, multi_socket_cb);
	curl_multi_setopt(m->cm, CURLMOPT_SOCKETDATA, m);
	curl_multi_setopt(m->cm, CURLMOPT_TIMERFUNCTION, multi_timer_set_cb);
	curl_multi_setopt(m->cm, CURLMOPT_TIMERDATA, m);
	curl_multi_setopt(m->cm, CURLMOPT_MAXCONNECTS, maxconns);
	return m;
}

void multi_free(struct multi *m)
{
	if(!m)
		return;
	/* Cleanup closes connections; sockets it does not report removed are
	 * freed after it. */
	curl_multi_cleanup(m->cm);
	ev_timer_stop(m->loop, &m->timer);
	while(m->socks)
		multi_sock_free(m, m->socks);
	free(m);
}

void multi_set_maxconns(struct multi *m, long n)
{
	curl_multi_setopt(m->cm, CURLMOPT_MAXCONNECTS, n);
}

int multi_add(struct multi *m, CURL *easy)
{
	return curl_multi_add_handle(m->cm, easy) == CURLM_OK;
}

void multi_remove(struct multi *m, CURL *easy)
{
	curl_multi_remove_handle(m->cm, easy);
}
