/*
 * xfer.c - the life of one URL's transfer, shared by the hub and --serial:
 * its hops set up (xfer_end.c: how they end).
 *
 * A transfer is a chain of hops: the URL as given, then each redirect target.
 * Every hop's URL goes through the URL module here, which is where the
 * scheme rule (http and https only) is enforced, and where the host and port
 * are taken out for the resolver.
 */
#include "xfer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gf.h"
#include "meter.h"
#include "url.h"
#include "utf8.h"
#include "version.h"

void xfer_fail(struct xfer *x, int exitcode, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if(exitcode == GF_EXIT_NOMEM && !x->rec->error)
		gf_oom();
	record_set_error(x->rec, exitcode, "%s", buf);
}

void xfer_log(const struct xfer *x, const char *fmt, ...)
{
	char msg[1024];
	int n;
	va_list ap;

	if(!x->log)
		return;
	n = snprintf(msg, sizeof(msg), "#%llu ", (unsigned long long)x->rec->index);
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	x->log->write(x->log, msg);
}

/* Note the hop's origin (scheme, host, port): the first is the URL's own,
 * later ones are compared with it. False out of memory: then no hop may
 * go on, or a later one would count as the origin and get credentials. */
static bool xfer_set_origin(struct xfer *x, const struct url *u)
{
	bool https = url_https(u);
	long p = url_port(u);

	if(x->body && x->body->credentials) {
		/* The job says which origins the credentials belong to (a
		 * crawl's: the seeds'). */
		char *origin = url_origin_of(u);

		if(!origin)
			return false;
		x->cross_origin = !x->body->credentials(x->body, origin);
		free(origin);
		return true;
	}
	if(!x->origin) {
		x->origin = strdup(url_host(u));
		x->origin_https = https;
		x->origin_port = p;
		x->cross_origin = false;
		return x->origin != NULL;
	}
	x->cross_origin = https != x->origin_https || p != x->origin_port ||
			  strcasecmp(url_host(u), x->origin) != 0;
	return true;
}

bool xfer_set_url(struct xfer *x, const char *url, const char *what)
{
	char why[128];
	int err;
	struct url *u = url_parse(url, 0, &err, why, sizeof(why));
	bool ok;

	if(!u) {
		if(err == URL_NOMEM)
			xfer_fail(x, GF_EXIT_NOMEM, "out of memory");
		else if(err == URL_NO_SCHEME)
			xfer_fail(x, GF_EXIT_URL, "not a URL: no http:// or https:// scheme");
		else if(err == URL_MALFORMED)
			xfer_fail(x, GF_EXIT_URL, "malformed %s: %s", what, why);
		else if(strcmp(what, "URL") == 0)
			xfer_fail(x, GF_EXIT_UNSUPPORTED,
				  "unsupported scheme '%s': only http and https", why);
		else
			xfer_fail(x, GF_EXIT_UNSUPPORTED,
				  "redirect to %s refused: only http and https", url);
		return false;
	}
	/* The origin is the host as written (normal URLs keep it so). */
	ok = xfer_set_origin(x, u);
	free(x->url);
	url_free(x->u);
	x->u = u;
	x->https = url_https(u);
	x->url = strdup(url);
	x->host = url_host_ascii(u);
	x->ip_literal = url_ip_literal(u);
	x->port = url_port(u);
	ok = ok && x->url;
	if(!ok)
		xfer_fail(x, GF_EXIT_NOMEM, "out of memory");
	return ok;
}

enum xfer_step xfer_begin(struct xfer *x, const struct gf_config *cfg,
			  struct gf_log *log, struct gf_record *rec,
			  struct gf_body *body)
{
	memset(x, 0, sizeof(*x));
	x->cfg = cfg;
	x->log = log;
	x->rec = rec;
	x->body = body;
	/* A retry goes on from where the URL began: -m counts all tries. */
	if(rec->started <= 0)
		rec->started = gf_now();
	x->started = rec->started;
	x->retry_after = -1;
	if(rec->attempts == 0)
		rec->attempts = 1;
	if(rec->error)
		return XFER_DONE;
	if(!utf8_valid(rec->url, strlen(rec->url))) {
		xfer_fail(x, GF_EXIT_URL, "not a URL: invalid UTF-8");
		return XFER_DONE;
	}
	return xfer_set_url(x, rec->url, "URL") ? XFER_HOP : XFER_DONE;
}

#define XFER_MAX_HEADERS (100 * 1024) /* header bytes kept in a record */

/* Keep a header line of the response for the record, up to the cap. */
static void xfer_keep_header(struct xfer *x, const char *data, size_t len)
{
	struct gf_record *rec = x->rec;
	char *more;

	if(rec->headers_len + len > XFER_MAX_HEADERS)
		return;
	more = realloc(rec->headers, rec->headers_len + len + 1);
	if(!more)
		return;
	memcpy(more + rec->headers_len, data, len);
	rec->headers = more;
	rec->headers_len += len;
	rec->headers[rec->headers_len] = '\0';
}

/* The hop's X-Robots-Tag headers, joined with ", ", for the crawl. */
static const char *xfer_robots_tag(struct xfer *x)
{
	struct curl_header *h;
	size_t n = 0, amount = 1;

	x->robots_tag[0] = '\0';
	for(size_t i = 0; i < amount && curl_easy_header(x->easy, "X-Robots-Tag", i,
					CURLH_HEADER, -1, &h) == CURLHE_OK; i++) {
		int k = snprintf(x->robots_tag + n, sizeof(x->robots_tag) - n, "%s%s",
				 n ? ", " : "", h->value);

		amount = h->amount;
		if(k < 0 || (size_t)k >= sizeof(x->robots_tag) - n)
			break;
		n += (size_t)k;
	}
	return x->robots_tag[0] ? x->robots_tag : NULL;
}

/* Is the body of this hop wanted? Not when it is a redirect we follow or
 * an error page. */
static int xfer_body_state(struct xfer *x)
{
	long code = 0;
	char *location = NULL;

	if(!x->body)
		return -1;
	x->body->content_type = NULL;
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &x->body->content_type);
	x->body->robots_tag = xfer_robots_tag(x);
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	if(code >= 400)
		return -1;
	if(code / 100 == 3 && x->cfg->max_redirs > 0) {
		curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &location);
		if(location)
			return -1;
	}
	return 1;
}

size_t xfer_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	if(x->meter && !meter_take(x->meter, x->easy, len))
		return CURL_WRITEFUNC_PAUSE;  /* the meter resumes it */
	x->rec->bytes += len;
	if(x->cfg->max_filesize && x->rec->bytes > x->cfg->max_filesize) {
		x->too_big = true;
		return 0;
	}
	if(x->body_state == 0)
		x->body_state = xfer_body_state(x);
	if(x->body_state > 0 && !x->body->write(x->body, data, len))
		return 0; /* curl ends the transfer with CURLE_WRITE_ERROR */
	return len;
}

/* Retry-After: seconds, or an HTTP date. */
static void xfer_retry_after(struct xfer *x, const char *v, size_t len)
{
	char buf[64];
	char *end;
	double secs;

	while(len > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		len--;
	}
	while(len > 0 && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
			  v[len - 1] == ' '))
		len--;
	if(len == 0 || len >= sizeof(buf))
		return;
	memcpy(buf, v, len);
	buf[len] = '\0';
	/* delay-seconds is digits only (RFC 9110 10.2.3): no "inf", "1e9",
	 * "-1" or "0x10"; a huge number stays huge, and is judged later. */
	if(strspn(buf, "0123456789") == len) {
		errno = 0;
		secs = strtod(buf, &end);
		x->retry_after = errno ? XFER_RETRY_AFTER_MAX * 2 : secs;
		return;
	}
	secs = (double)curl_getdate(buf, NULL);
	if(secs > 0)
		x->retry_after = secs > (double)time(NULL) ?
				 secs - (double)time(NULL) : 0;
}

/* Keep the reason phrase of each status line ("HTTP/1.1 404 Not Found"). */
size_t xfer_header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;
	const char *p, *end = data + len;

	if(len < 5 || memcmp(data, "HTTP/", 5) != 0) {
		if(x->cfg->keep_headers && len > 2)
			xfer_keep_header(x, data, len);
		if(len > 12 && strncasecmp(data, "Retry-After:", 12) == 0)
			xfer_retry_after(x, data + 12, len - 12);
		return len;
	}
	x->retry_after = -1;
	x->rec->headers_len = 0; /* a new response: forget the last one's */
	p = memchr(data, ' ', len);
	p = p ? memchr(p + 1, ' ', (size_t)(end - p - 1)) : NULL;
	x->reason[0] = '\0';
	if(p) {
		size_t rlen;

		p++;
		while(end > p && (end[-1] == '\r' || end[-1] == '\n'))
			end--;
		rlen = (size_t)(end - p);
		if(rlen >= sizeof(x->reason))
			rlen = sizeof(x->reason) - 1;
		memcpy(x->reason, p, rlen);
		x->reason[rlen] = '\0';
	}
	return len;
}
