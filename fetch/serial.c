/*
 * serial.c - blocking transfers through one easy handle, which keeps its
 * connections open from one URL to the next.
 */
#include "serial.h"

#include <stdlib.h>

#include "xfer.h"

struct serial {
	const struct gf_config *cfg;  /* options */
	CURL *easy;                   /* the one handle, reused */
	struct curl_slist *headers;   /* request headers */
	struct curl_slist *resolve;   /* --resolve entries, for curl's resolver */
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

struct serial *serial_new(const struct gf_config *cfg,
			  bool (*stop)(void *arg), void *arg)
{
	struct serial *s = calloc(1, sizeof(*s));
	bool ok;

	if(!s)
		return NULL;
	s->cfg = cfg;
	s->stop = stop;
	s->stop_arg = arg;
	s->headers = xfer_list(cfg->headers, cfg->nheaders, &ok);
	if(ok)
		s->resolve = xfer_list(cfg->resolve, cfg->nresolve, &ok);
	s->easy = ok ? curl_easy_init() : NULL;
	if(s->easy)
		curl_easy_setopt(s->easy, CURLOPT_RESOLVE, s->resolve);
	if(!s->easy) {
		serial_free(s);
		return NULL;
	}
	return s;
}

void serial_free(struct serial *s)
{
	if(!s)
		return;
	if(s->easy)
		curl_easy_cleanup(s->easy);
	curl_slist_free_all(s->headers);
	curl_slist_free_all(s->resolve);
	free(s);
}

void serial_fetch(struct serial *s, struct gf_record *rec, struct gf_body *body)
{
	struct xfer x;
	enum xfer_step step = xfer_begin(&x, s->cfg, rec, body);

	while(step == XFER_HOP && xfer_prepare(&x, s->easy, s->headers)) {
		curl_easy_setopt(s->easy, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(s->easy, CURLOPT_XFERINFOFUNCTION, serial_progress_cb);
		curl_easy_setopt(s->easy, CURLOPT_XFERINFODATA, s);
		step = xfer_hop_done(&x, curl_easy_perform(s->easy));
	}
	xfer_end(&x);
}
