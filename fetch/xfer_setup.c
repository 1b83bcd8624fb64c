/*
 * xfer_setup.c - a hop's curl options (xfer.c: its life, xfer_end.c: its
 * end).
 *
 * What every transfer of a run shares is set once per easy handle, when
 * the handle is made (xfer_configure()): a handle goes from transfer to
 * transfer keeping it, and each hop sets only what is its own.
 */
#include "xfer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"
#include "url.h"
#include "version.h"

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

/* Does a -H line name this header? Then it is the user's to send (or,
 * empty, to leave out). */
static bool xfer_header_given(const struct gf_config *cfg, const char *name)
{
	size_t n = strlen(name);

	for(size_t i = 0; i < cfg->nheaders; i++)
		if(strncasecmp(cfg->headers[i], name, n) == 0 &&
		   cfg->headers[i][n] == ':')
			return true;
	return false;
}

/* What curl says in Accept-Encoding when asked for all it decodes
 * (CURLOPT_ACCEPT_ENCODING ""): its decoders in its own order. */
static void xfer_encodings(char *out, size_t cap)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	size_t n = 0;

	out[0] = '\0';
	if(v->features & CURL_VERSION_LIBZ)
		n += (size_t)snprintf(out + n, cap - n, "deflate, gzip");
	if(n < cap && (v->features & CURL_VERSION_BROTLI))
		n += (size_t)snprintf(out + n, cap - n, "%sbr", n ? ", " : "");
	if(n < cap && (v->features & CURL_VERSION_ZSTD))
		snprintf(out + n, cap - n, "%szstd", n ? ", " : "");
}

/* Append line (owned; NULL: out of memory) to list. */
static bool xfer_append(struct curl_slist **list, char *line)
{
	struct curl_slist *more = line ? curl_slist_append(*list, line) : NULL;

	free(line);
	if(more)
		*list = more;
	return more != NULL;
}

/* The User-Agent and Accept-Encoding lines curl would make, made once for
 * the run: libcurl 7.88 makes its own for every request, through a printf
 * that costs it some 150 instructions a character. */
static bool xfer_default_headers(struct curl_slist **list,
				 const struct gf_config *cfg)
{
	const char *ua = cfg->user_agent ? cfg->user_agent : "greenfetch/" GF_VERSION;
	char encodings[64];

	xfer_encodings(encodings, sizeof(encodings));
	if(*ua && !xfer_header_given(cfg, "User-Agent") &&
	   !xfer_append(list, gf_aprintf("User-Agent: %s", ua)))
		return false;
	return !cfg->compressed || !*encodings ||
	       xfer_header_given(cfg, "Accept-Encoding") ||
	       xfer_append(list, gf_aprintf("Accept-Encoding: %s", encodings));
}

/* The -H headers, then the defaults; without credentials when cross is
 * set. */
static bool xfer_header_list(struct curl_slist **out,
			     const struct gf_config *cfg, bool cross)
{
	*out = NULL;
	for(size_t i = 0; i < cfg->nheaders; i++) {
		struct curl_slist *more;

		if(cross && xfer_header_is_credential(cfg->headers[i]))
			continue;
		more = curl_slist_append(*out, cfg->headers[i]);
		if(!more)
			goto fail;
		*out = more;
	}
	if(xfer_default_headers(out, cfg))
		return true;
fail:
	curl_slist_free_all(*out);
	*out = NULL;
	return false;
}

/* The cookie engine of -b FILE and --cookie-jar, in a share: the file's
 * cookies (file NULL: none) loaded now, once. A handle has them, and
 * keeps what it is sent, only while attached to the share, which the
 * hops to an origin of the credentials are, and the others not. */
static bool xfer_load_cookies(struct xfer_lists *lists, const char *file)
{
	CURL *easy;
	bool ok;

	lists->cookies = curl_share_init();
	if(!lists->cookies || curl_share_setopt(lists->cookies, CURLSHOPT_SHARE,
						CURL_LOCK_DATA_COOKIE) != CURLSHE_OK)
		return false;
	if(!file)
		return true;
	easy = curl_easy_init();
	ok = easy && !curl_easy_setopt(easy, CURLOPT_SHARE, lists->cookies) &&
	     !curl_easy_setopt(easy, CURLOPT_COOKIEFILE, file) &&
	     !curl_easy_setopt(easy, CURLOPT_COOKIELIST, "RELOAD");
	if(easy)
		curl_easy_cleanup(easy);
	return ok;
}

/* --cookie-jar: the share's cookies appended to the jar, whose header the
 * run wrote at its start (with -j each hub adds its own as it ends). */
static void xfer_save_cookies(const struct xfer_lists *lists)
{
	CURL *easy = curl_easy_init();
	struct curl_slist *list = NULL;
	FILE *f = NULL;
	bool ok = easy && !curl_easy_setopt(easy, CURLOPT_SHARE, lists->cookies) &&
		  !curl_easy_setopt(easy, CURLOPT_COOKIEFILE, "") &&
		  !curl_easy_getinfo(easy, CURLINFO_COOKIELIST, &list) &&
		  (f = fopen(lists->jar, "a"));

	for(struct curl_slist *c = list; ok && c; c = c->next)
		ok = fprintf(f, "%s\n", c->data) > 0;
	if(f && fclose(f) != 0)
		ok = false;
	if(!ok)
		fprintf(stderr, "greenfetch: cannot write the cookie jar %s: %s\n",
			lists->jar, easy ? strerror(errno) : "out of memory");
	curl_slist_free_all(list);
	if(easy)
		curl_easy_cleanup(easy);
}

bool xfer_lists_init(struct xfer_lists *lists, const struct gf_config *cfg)
{
	/* -b NAME=VALUE is a string; anything else, a file. */
	const char *cookie_file = cfg->cookie && !strchr(cfg->cookie, '=') ?
				  cfg->cookie : NULL;

	memset(lists, 0, sizeof(*lists));
	if(!xfer_header_list(&lists->headers, cfg, false) ||
	   !xfer_header_list(&lists->headers_cross, cfg, true))
		goto fail;
	lists->jar = cfg->cookie_jar;
	if((cookie_file || cfg->cookie_jar) && !xfer_load_cookies(lists, cookie_file))
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
	if(lists->cookies && lists->jar)
		xfer_save_cookies(lists);
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

/* The hop's request: method, headers, cookies, size cap. */
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
	/* Credentials go to the URLs' own origins only (DESIGN.md). */
	if(cfg->user)
		rc |= curl_easy_setopt(easy, CURLOPT_USERPWD,
				       x->cross_origin ? NULL : cfg->user);
	if(cfg->netrc || cfg->netrc_file)
		rc |= curl_easy_setopt(easy, CURLOPT_NETRC, x->cross_origin ?
				       (long)CURL_NETRC_IGNORED : (long)CURL_NETRC_REQUIRED);
	/* Cookies are credentials: only for their origins. */
	if(cookie_string)
		rc |= curl_easy_setopt(easy, CURLOPT_COOKIE,
				       x->cross_origin ? NULL : cfg->cookie);
	if(lists->cookies && x->cross_origin) {
		rc |= curl_easy_setopt(easy, CURLOPT_SHARE, NULL);
	} else if(lists->cookies) {
		/* "" turns the cookie engine on, reading no file: into the
		 * share, as the handle is attached to it now. */
		rc |= curl_easy_setopt(easy, CURLOPT_SHARE, lists->cookies);
		rc |= curl_easy_setopt(easy, CURLOPT_COOKIEFILE, "");
	}
	/* Over TLS, wait for a connection that may multiplex (HTTP/2) rather
	 * than open another; over plain HTTP there is nothing to wait for. */
	rc |= curl_easy_setopt(easy, CURLOPT_PIPEWAIT,
			       cfg->http_version != 11 && x->https ? 1L : 0L);
	rc |= curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
			       (curl_off_t)cfg->max_filesize);
	return rc;
}

/* Connection matters: timeouts, proxy, TLS, HTTP version. */
static CURLcode xfer_set_connection(CURL *easy, const struct gf_config *cfg)
{
	CURLcode rc = CURLE_OK;

	if(cfg->connect_timeout > 0)
		rc |= curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS,
				       (long)(cfg->connect_timeout * 1000));
	/* "" also keeps curl from reading proxies from the environment, and
	 * without a proxy no_proxy has nothing to say either. */
	rc |= curl_easy_setopt(easy, CURLOPT_PROXY, cfg->proxy ? cfg->proxy : "");
	if(!cfg->proxy)
		rc |= curl_easy_setopt(easy, CURLOPT_NOPROXY, "");
	rc |= curl_easy_setopt(easy, CURLOPT_IPRESOLVE,
			       cfg->family == 4 ? CURL_IPRESOLVE_V4 :
			       cfg->family == 6 ? CURL_IPRESOLVE_V6 :
			       CURL_IPRESOLVE_WHATEVER);
	rc |= curl_easy_setopt(easy, CURLOPT_HTTP_VERSION,
			       cfg->http_version == 11 ? CURL_HTTP_VERSION_1_1 :
			       CURL_HTTP_VERSION_2TLS);
	rc |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYPEER, cfg->insecure ? 0L : 1L);
	rc |= curl_easy_setopt(easy, CURLOPT_SSL_VERIFYHOST, cfg->insecure ? 0L : 2L);
	if(cfg->cacert)
		rc |= curl_easy_setopt(easy, CURLOPT_CAINFO, cfg->cacert);
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

CURLcode xfer_configure(CURL *easy, const struct gf_config *cfg)
{
	CURLcode rc = CURLE_OK;

	rc |= curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	rc |= curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L);
	rc |= curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	rc |= curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, xfer_write_cb);
	rc |= curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, xfer_header_cb);
	rc |= curl_easy_setopt(easy, CURLOPT_REFERER, cfg->referer);
	if(cfg->netrc_file)
		rc |= curl_easy_setopt(easy, CURLOPT_NETRC_FILE, cfg->netrc_file);
	/* Decode what curl can; the header that asks for it is in the
	 * lists. A CONNECT to a proxy names us by CURLOPT_USERAGENT (curl
	 * then leaves its own out of the request, seeing the list's). */
	rc |= curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING,
			       cfg->compressed ? "" : NULL);
	if(cfg->proxy)
		rc |= curl_easy_setopt(easy, CURLOPT_USERAGENT, cfg->user_agent ?
				       cfg->user_agent : "greenfetch/" GF_VERSION);
	return rc | xfer_set_connection(easy, cfg);
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
	if(!x->rec->began)
		x->rec->time_queue = gf_now() - x->started;
	x->rec->began = true;
}

void xfer_hop_lookup(struct xfer *x)
{
	xfer_began(x);
	x->hop_began = gf_now();
	x->hop_looked_up = true;
}

bool xfer_prepare(struct xfer *x, CURL *easy, const struct xfer_lists *lists)
{
	const struct gf_config *cfg = x->cfg;
	CURLcode rc = CURLE_OK;

	x->easy = easy;
	xfer_began(x);
	xfer_log(x, "request %s", x->url);
	x->hop_started = gf_now();
	if(!x->hop_looked_up)
		x->hop_began = x->hop_started;
	x->hop_looked_up = false;
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
	rc |= curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, x->errbuf);
	rc |= curl_easy_setopt(easy, CURLOPT_WRITEDATA, x);
	rc |= curl_easy_setopt(easy, CURLOPT_HEADERDATA, x);
	rc |= xfer_set_request(x, easy, lists);
	rc |= xfer_set_tap(x, easy);
	if(rc)
		xfer_setup_failed(x, rc);
	return !rc;
}

void xfer_setup_failed(struct xfer *x, CURLcode rc)
{
	xfer_fail(x, (int)rc, "cannot set up the transfer: %s",
		  curl_easy_strerror(rc));
}
