/*
 * meter.c - --limit-rate's token bucket on a hub.
 *
 * Tokens are bytes; they come at the rate, up to a tenth of a second's
 * worth. A write is let through whenever the bucket is not empty, even if
 * it takes the bucket below zero (curl hands over up to its buffer at
 * once): the debt is paid by the wait that follows, so the rate holds
 * over time.
 */
#include "meter.h"

#include <stdlib.h>
#include <time.h>

#include "gf.h"

struct meter {
	struct ev_loop *loop;
	double rate;                  /* bytes a second */
	double tokens;                /* may be below 0: a debt */
	double at;                    /* when tokens were counted */
	ev_timer timer;               /* when they are back above 0 */
	CURL **paused;                /* the transfers waiting for them */
	size_t npaused, cap;
};

static void meter_refill(struct meter *m)
{
	double now = gf_now(), burst = m->rate / 10;

	m->tokens += (now - m->at) * m->rate;
	if(m->tokens > burst)
		m->tokens = burst;
	m->at = now;
}

/* Wake when the debt is paid. */
static void meter_wait(struct meter *m)
{
	if(ev_is_active(&m->timer))
		return;
	ev_timer_set(&m->timer, m->tokens < 0 ? -m->tokens / m->rate + 0.001 : 0.001, 0.);
	ev_timer_start(m->loop, &m->timer);
}

static void meter_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct meter *m = container_of(w, struct meter, timer);
	CURL **paused = m->paused;
	size_t n = m->npaused;

	(void)loop;
	(void)revents;
	meter_refill(m);
	if(m->tokens <= 0) {
		meter_wait(m);
		return;
	}
	/* Resuming one may pause it again: into a list of its own. */
	m->paused = NULL;
	m->npaused = m->cap = 0;
	for(size_t i = 0; i < n; i++)
		curl_easy_pause(paused[i], CURLPAUSE_CONT);
	free(paused);
}

struct meter *meter_new(struct ev_loop *loop, double rate)
{
	struct meter *m = calloc(1, sizeof(*m));

	if(!m)
		return NULL;
	m->loop = loop;
	m->rate = rate > 1 ? rate : 1;
	m->tokens = m->rate / 10;
	m->at = gf_now();
	ev_timer_init(&m->timer, meter_timer_cb, 0., 0.);
	return m;
}

void meter_free(struct meter *m)
{
	if(!m)
		return;
	if(m->loop)
		ev_timer_stop(m->loop, &m->timer);
	free(m->paused);
	free(m);
}

bool meter_take(struct meter *m, CURL *easy, size_t n)
{
	meter_refill(m);
	if(!m->loop && m->tokens <= 0) {
		/* --serial blocks anyway: the wait is a sleep. */
		double secs = -m->tokens / m->rate + 0.001;
		struct timespec ts = { (time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9) };

		nanosleep(&ts, NULL);
		meter_refill(m);
	}
	if(m->tokens > 0 || !m->loop) {
		m->tokens -= (double)n;
		return true;
	}
	if(m->npaused == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 16;
		CURL **more = realloc(m->paused, cap * sizeof(*more));

		if(!more)
			return true;  /* out of memory: not held to the rate */
		m->paused = more;
		m->cap = cap;
	}
	m->paused[m->npaused++] = easy;
	meter_wait(m);
	return false;
}

void meter_forget(struct meter *m, CURL *easy)
{
	size_t i = 0;

	while(m && i < m->npaused) {
		if(m->paused[i] == easy)
			m->paused[i] = m->paused[--m->npaused];
		else
			i++;
	}
}
