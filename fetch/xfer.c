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

static size_t xfer_write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

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
static size_t xfer_header_cb(char *data, size_t size, size_t n, void *arg)
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

/* Is the header line (normalised by options.c: "Name: value") a
 * credential? Authorization, Proxy-Authorization, Cookie, and names that
 * say so (X-Auth-Token, X-API-Key, Session-Id, ...). */
bool xfer_header_is_credential(const char *line)
{
	static const char *const exact[] = {
		"authorization", "proxy-authorization", "cookie", "cookie2"
	};
	static const char *const parts[] = {
		"auth", "token", "secret", "password", "passwd", "session",
		"api-key", "apikey", "api_key", "credential"
	};
	char name[128];
	size_t n = strcspn(line, ":");

	if(n >= sizeof(name))
		return true;          /* no such header is harmless to drop */
	for(size_t i = 0; i < n; i++)
		name[i] = (char)(line[i] >= 'A' && line[i] <= 'Z' ? line[i] + 32 : line[i]);
	name[n] = '\0';
	for(size_t k = 0; k < ARRAY_SIZE(exact); k++)
		if(strcmp(name, exact[k]) == 0)
			return true;
	for(size_t k = 0; k < ARRAY_SIZE(parts); k++)
		if(strstr(name, parts[k]))
			return true;
	return false;
}

/* The -H headers; without credentials when cross is set. */
static bool xfer_header_list(struct curl_slist **out,
			     const struct gf_config *cfg, bool cross)
{
	*out = NULL;
	for(size_t i = 0; i < cfg->nheaders; i++) {
		struct curl_slist *more;

		if(cross && xfer_header_is_credential(cfg->headers[i]))
			continue;
		more = curl_slist_append(*out, cfg->headers[i]);
		if(!more) {
			curl_slist_free_all(*out);
			*out = NULL;
			return false;
		}
		*out = more;
	}
	return true;
}

/* -b FILE: the cookies of the file in a share, loaded now, once. A
 * handle gets them only while attached to the share, which the hops to
 * an origin of the credentials are, and the others not. */
static bool xfer_load_cookies(struct xfer_lists *lists, const char *file)
{
	CURL *easy;
	bool ok;

	lists->cookies = curl_share_init();
	if(!lists->cookies || curl_share_setopt(lists->cookies, CURLSHOPT_SHARE,
						CURL_LOCK_DATA_COOKIE) != CURLSHE_OK)
		return false;
	easy = curl_easy_init();
	ok = easy && !curl_easy_setopt(easy, CURLOPT_SHARE, lists->cookies) &&
	     !curl_easy_setopt(easy, CURLOPT_COOKIEFILE, file) &&
	     !curl_easy_setopt(easy, CURLOPT_COOKIELIST, "RELOAD");
	if(easy)
		curl_easy_cleanup(easy);
	return ok;
}

bool xfer_lists_init(struct xfer_lists *lists, const struct gf_config *cfg)
{
	memset(lists, 0, sizeof(*lists));
	if(!xfer_header_list(&lists->headers, cfg, false) ||
	   !xfer_header_list(&lists->headers_cross, cfg, true))
		goto fail;
	if(cfg->cookie && !strchr(cfg->cookie, '=') &&
	   !xfer_load_cookies(lists, cfg->cookie))
		goto fail;
	for(size_t i = 0; i < cfg->nresolve; i++) {
		struct curl_slist *more = curl_slist_append(lists->resolve,
							    cfg->resolve[i]);
		if(!more)
			goto fail;
		lists->resolve = more;
	}
	return true;
fail:
	xfer_lists_release(lists);
	return false;
}

void xfer_lists_release(struct xfer_lists *lists)
{
	curl_slist_free_all(lists->headers);
	curl_slist_free_all(lists->headers_cross);
	curl_slist_free_all(lists->resolve);
	if(lists->cookies)
		curl_share_cleanup(lists->cookies);
	memset(lists, 0, sizeof(*lists));
}

/* The headers of the hop: base, and on the first hop the validators
 * --since has for the URL (If-None-Match, If-Modified-Since). */
static struct curl_slist *xfer_since_headers(struct xfer *x, struct curl_slist *base)
{
	const struct gf_record *rec = x->rec;
	const char *names[] = { "If-None-Match", "If-Modified-Since" };
	const char *values[] = { rec->if_etag, rec->if_modified };
	struct curl_slist *list = NULL, *more = NULL;

	curl_slist_free_all(x->since);
	x->since = NULL;
	if(rec->redirects > 0 || (!rec->if_etag && !rec->if_modified))
		return base;
	for(struct curl_slist *h = base; h; h = h->next) {
		if(!(more = curl_slist_append(list, h->data)))
			goto oom;
		list = more;
	}
	for(size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *line;

		if(!values[i])
			continue;
		line = gf_aprintf("%s: %s", names[i], values[i]);
		more = line ? curl_slist_append(list, line) : NULL;
		free(line);
		if(!more)
			goto oom;
		list = more;
	}
	return x->since = list;
oom:
	curl_slist_free_all(list);
	gf_oom();
	return base;
}

/* The request: method, headers, cookies, referer, encodings. */
static CURLcode xfer_set_request(struct xfer *x, CURL *easy,
				 const struct xfer_lists *lists)
{
	const struct gf_config *cfg = x->cfg;
	const char *method = x->get_only ? NULL : cfg->method;
	bool cookie_string = cfg->cookie && strchr(cfg->cookie, '=');
	CURLcode rc = CURLE_OK;

	rc |= curl_easy_setopt(easy, CURLOPT_NOBODY, cfg->head ? 1L : 0L);
	rc |= curl_easy_setopt(easy, CURLOPT_CUSTOMREQUEST, method);
	if(!cfg->head && !method)
		rc |= curl_easy_setopt(easy, CURLOPT_HTTPGET, 1L);
	rc |= curl_easy_setopt(easy, CURLOPT_HTTPHEADER,
			       xfer_since_headers(x, x->cross_origin ?
						  lists->headers_cross : lists->headers));
	/* Cookies are credentials: only for their origins. */
	rc |= curl_easy_setopt(easy, CURLOPT_COOKIE, cookie_string &&
			       !x->cross_origin ? cfg->cookie : NULL);
	if(lists->cookies && x->cross_origin) {
		rc |= curl_easy_setopt(easy, CURLOPT_SHARE, NULL);
	} else if(lists->cookies) {
		/* "" turns the cookie engine on, reading no file: into the
		 * share, as the handle is attached to it now. */
		rc |= curl_easy_setopt(easy, CURLOPT_SHARE, lists->cookies);
		rc |= curl_easy_setopt(easy, CURLOPT_COOKIEFILE, "");
	}
	rc |= curl_easy_setopt(easy, CURLOPT_REFERER, cfg->referer);
	rc |= curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING,
			       cfg->compressed ? "" : NULL);
	rc |= curl_easy_setopt(easy, CURLOPT_USERAGENT,
			       cfg->user_agent ? cfg->user_agent :
			       "greenfetch/" GF_VERSION);
	return rc;
}

/* Connection matters: timeouts, proxy, TLS, HTTP version, size cap. */
static CURLcode xfer_set_connection(struct xfer *x, CURL *easy)
{
	const struct gf_config *cfg = x->cfg;
	CURLcode rc = CURLE_OK;

	if(cfg->connect_timeout > 0)
		rc |= curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
				       (long)(cfg->connect_timeout * 1000));
	/* "" also keeps curl from reading proxies from the environment. */
	rc |= curl_easy_setopt(easy, CURLOPT_PROXY, cfg->proxy ? cfg->proxy : "");
	rc |= curl_easy_setopt(easy, CURLOPT_IPRESOLVE,
			       cfg->family == 4 ? CURL_IPRESOLVE_V4 :
			       cfg->family == 6 ? CURL_IPRESOLVE_V6 :
			       CURL_IPRESOLVE_WHATEVER);
	rc |= curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
			       cfg->http_version == 11 ? CURL_HTTP_VERSION_1_1 :
			       CURL_HTTP_VERSION_2TLS);
	/* Over TLS, wait for a connection that may multiplex (HTTP/2) rather
	 * than open another; over plain HTTP there is nothing to wait for. */
	rc |= curl_easy_setopt(easy, CURLOPT_PIPEWAIT,
			       cfg->http_version != 11 &&
			       x->https ? 1L : 0L);
	rc |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, cfg->insecure ? 0L : 1L);
	rc |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, cfg->insecure ? 0L : 2L);
	if(cfg->cacert)
		rc |= curl_easy_setopt(easy, CURLOPT_CAINFO, cfg->cacert);
	if(cfg->max_filesize)
		rc |= curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
				       (curl_off_t)cfg->max_filesize);
	/* --read-timeout is curl's low-speed check at a byte a second, when
	 * --speed-limit does not ask for more. */
	if(cfg->speed_limit) {
		rc |= curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, cfg->speed_limit);
		rc |= curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME,
				       cfg->speed_time ? cfg->speed_time : 30L);
	} else {
		long idle = cfg->read_timeout > 0 ? (long)(cfg->read_timeout + 0.999) : 0;

		rc |= curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, idle ? 1L : 0L);
		rc |= curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, idle);
	}
	return rc;
}

/* --warc-file: what curl sent and received, as it was on the wire. */
static int xfer_debug_cb(CURL *easy, curl_infotype type, char *data, size_t n,
			 void *arg)
{
	struct xfer *x = arg;
	struct gf_tap *tap = x->rec->tap;

	(void)easy;
	if(!tap)
		return 0;
	if(type == CURLINFO_HEADER_OUT || type == CURLINFO_DATA_OUT)
		tap->data(tap, GF_TAP_REQUEST, data, n);
	else if(type == CURLINFO_HEADER_IN)
		tap->data(tap, GF_TAP_HEADER, data, n);
	else if(type == CURLINFO_DATA_IN)
		tap->data(tap, GF_TAP_BODY, data, n);
	return 0;
}

/* The hop goes to the archive too, or not (a handle is reused). */
static CURLcode xfer_set_tap(struct xfer *x, CURL *easy)
{
	struct gf_tap *tap = x->rec->tap;
	CURLcode rc = CURLE_OK;

	rc |= curl_easy_setopt(easy, CURLOPT_VERBOSE, tap ? 1L : 0L);
	rc |= curl_easy_setopt(easy, CURLOPT_DEBUGFUNCTION, tap ? xfer_debug_cb : NULL);
	rc |= curl_easy_setopt(easy, CURLOPT_DEBUGDATA, x);
	if(tap)
		tap->begin(tap, x->url);
	return rc;
}

void xfer_began(struct xfer *x)
{
	x->rec->began = true;
}

bool xfer_prepare(struct xfer *x, CURL *easy, const struct xfer_lists *lists)
{
	const struct gf_config *cfg = x->cfg;
	CURLcode rc = CURLE_OK;

	x->easy = easy;
	xfer_began(x);
	xfer_log(x, "request %s", x->url);
	x->hop_started = gf_now();
	x->body_state = 0;
	x->rec->bytes = 0;
	x->reason[0] = '\0';
	x->errbuf[0] = '\0';
	x->retry_after = -1;
	if(cfg->max_time > 0) {
		double left = cfg->max_time - (gf_now() - x->started);

		if(left <= 0) {
			xfer_fail(x, GF_EXIT_TIMEOUT,
				  "timeout: no response within %.3g s",
				  cfg->max_time);
			return false;
		}
		rc |= curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS,
				       (long)(left * 1000) + 1);
	}
	rc |= curl_easy_setopt(easy, CURLOPT_CURLU, url_curl(x->u));
	rc |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, x->errbuf);
	rc |= curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, xfer_write_cb);
	rc |= curl_easy_setopt(easy, CURLOPT_WRITEDATA, x);
	rc |= curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, xfer_header_cb);
	rc |= curl_easy_setopt(easy, CURLOPT_HEADERDATA, x);
	rc |= xfer_set_request(x, easy, lists);
	rc |= xfer_set_connection(x, easy);
	rc |= xfer_set_tap(x, easy);
	if(rc) {
		xfer_fail(x, (int)rc, "cannot set up the transfer: %s",
			  curl_easy_strerror(rc));
		return false;
	}
	return true;
}
