/*
 * serial.c - blocking tries through one easy handle, which keeps its
 * connections open from one URL to the next: this is the program that
 * blocks. Waits between tries (for a host, a rate, a retry) are the
 * pool's, as with the hub.
 */
#include "serial.h"

#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "meter.h"
#include "xfer.h"

struct serial {
	const struct gf_config *cfg;  /* options */
	struct gf_log *log;           /* -v, NULL = none */
	CURL *easy;                   /* the one handle, reused */
	CURLcode setup;               /* what curl said to the run's options */
	struct meter *meter;          /* --limit-rate, NULL = none */
	struct xfer_lists lists;      /* headers and --resolve entries */
	bool (*stop)(void *arg);      /* should the transfer end now? */
	void *stop_arg;               /* its argument */
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

struct serial *serial_new(const struct gf_config *cfg, struct gf_log *log,
			  bool (*stop)(void *arg), void *arg)
{
	struct serial *s = calloc(1, sizeof(*s));

	if(!s)
		return NULL;
	s->cfg = cfg;
	s->log = log;
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
	s->setup = xfer_configure(s->easy, cfg);
	if(cfg->limit_rate && !(s->meter = meter_new(NULL, (double)cfg->limit_rate))) {
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
	meter_free(s->meter);
	free(s);
}

double serial_try(struct serial *s, const struct gf_config *cfg,
		  struct gf_record *rec, struct gf_body *body)
{
	struct xfer x;
	enum xfer_step step = xfer_begin(&x, cfg ? cfg : s->cfg, s->log, rec, body);
	double wait = -1;

	x.meter = s->meter;
	if(step == XFER_HOP && s->setup) {
		xfer_setup_failed(&x, s->setup);
		step = XFER_DONE;
	}
	while(step == XFER_HOP && xfer_prepare(&x, s->easy, &s->lists))
		step = xfer_hop_done(&x, curl_easy_perform(s->easy));
	if(!xfer_retry(&x, &wait))
		wait = -1;
	xfer_end(&x, wait >= 0);
	return wait;
}
