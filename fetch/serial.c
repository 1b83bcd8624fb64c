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
};

struct serial *serial_new(const struct gf_config *cfg)
{
	struct serial *s = calloc(1, sizeof(*s));
	bool ok;

	if(!s)
		return NULL;
	s->cfg = cfg;
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

void serial_fetch(struct serial *s, struct gf_record *rec)
{
	struct xfer x;
	enum xfer_step step = xfer_begin(&x, s->cfg, rec);

	while(step == XFER_HOP && xfer_prepare(&x, s->easy, s->headers))
		step = xfer_hop_done(&x, curl_easy_perform(s->easy));
	xfer_end(&x);
}
