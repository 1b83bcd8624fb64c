/*
 * serial.c - blocking transfers through one easy handle, which keeps its
 * connections open from one URL to the next. Retries wait in nanosleep():
 * this is the program that blocks.
 */
#include "serial.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gf.h"
#include "xfer.h"

struct serial {
	const struct gf_config *cfg;  /* options */
	CURL *easy;                   /* the one handle, reused */
	struct xfer_lists lists;      /* headers and --resolve entries */
	bool (*stop)(void *arg);      /* should the transfer end now? */
	void *stop_arg;               /* its argument */
	double last_start;            /* when the last request began (--rate,
					 --delay) */
	double extra_delay;           /* a Crawl-delay, seconds */
};

static int serial_progress_cb(void *arg, curl_off_t dltotal, curl_off_t dlnow,
			      curl_off_t ultotal, curl_off_t ulnow)
{
	struct serial *s = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return s->stop(s->stop_arg);
}

struct serial *serial_new(const struct gf_config *cfg,
			  bool (*stop)(void *arg), void *arg)
{
	struct serial *s = calloc(1, sizeof(*s));

	if(!s)
		return NULL;
	s->cfg = cfg;
	s->stop = stop;
	s->stop_arg = arg;
	if(!xfer_lists_init(&s->lists, cfg)) {
		free(s);
		return NULL;
	}
	s->easy = curl_easy_init();
	if(!s->easy) {
		serial_free(s);
		return NULL;
	}
	curl_easy_setopt(s->easy, CURLOPT_RESOLVE, s->lists.resolve);
	curl_easy_setopt(s->easy, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(s->easy, CURLOPT_XFERINFOFUNCTION, serial_progress_cb);
	curl_easy_setopt(s->easy, CURLOPT_XFERINFODATA, s);
	return s;
}

void serial_free(struct serial *s)
{
	if(!s)
		return;
	if(s->easy)
		curl_easy_cleanup(s->easy);
	xfer_lists_release(&s->lists);
	free(s);
}

/* Sleep secs, or less when a signal asks us to stop. */
static void serial_sleep(struct serial *s, double secs)
{
	double until = gf_now() + secs;

	while(secs > 0 && !s->stop(s->stop_arg)) {
		struct timespec ts = { (time_t)secs,
				       (long)((secs - (double)(time_t)secs) * 1e9) };

		if(nanosleep(&ts, NULL) == 0)
			break;
		secs = until - gf_now();
	}
}

/* --rate and --delay: one URL at a time, so both are a spacing. */
static void serial_pace(struct serial *s)
{
	double gap = s->cfg->delay > s->extra_delay ? s->cfg->delay : s->extra_delay;
	double now = gf_now();

	if(s->cfg->rate > 0 && 1 / s->cfg->rate > gap)
		gap = 1 / s->cfg->rate;
	if(s->last_start > 0 && now < s->last_start + gap)
		serial_sleep(s, s->last_start + gap - now);
	s->last_start = gf_now();
}

void serial_delay(struct serial *s, double secs)
{
	if(secs > s->extra_delay)
		s->extra_delay = secs;
}

void serial_fetch(struct serial *s, struct gf_record *rec, struct gf_body *body)
{
	serial_fetch_with(s, s->cfg, rec, body);
}

void serial_fetch_with(struct serial *s, const struct gf_config *cfg,
		       struct gf_record *rec, struct gf_body *body)
{
	struct xfer x;
	enum xfer_step step = xfer_begin(&x, cfg, rec, body);
	double wait;

	for(;;) {
		if(step == XFER_HOP)
			serial_pace(s);
		while(step == XFER_HOP && xfer_prepare(&x, s->easy, &s->lists))
			step = xfer_hop_done(&x, curl_easy_perform(s->easy));
		if(!xfer_retry(&x, &wait))
			break;
		serial_sleep(s, wait);
		step = XFER_HOP;
	}
	xfer_end(&x);
}
