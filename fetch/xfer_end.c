/*
 * xfer_end.c - how a hop of a transfer ends: what the record takes of it,
 * redirects followed (and loops refused), and whether a failure is tried
 * again, when.
 */
#include "xfer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "url.h"

static const struct {
	long code;
	const char *reason;
} http_reasons[] = {
	{ 400, "Bad Request" },           { 401, "Unauthorized" },
	{ 402, "Payment Required" },      { 403, "Forbidden" },
	{ 404, "Not Found" },             { 405, "Method Not Allowed" },
	{ 406, "Not Acceptable" },        { 407, "Proxy Authentication Required" },
	{ 408, "Request Timeout" },       { 409, "Conflict" },
	{ 410, "Gone" },                  { 411, "Length Required" },
	{ 412, "Precondition Failed" },   { 413, "Content Too Large" },
	{ 414, "URI Too Long" },          { 415, "Unsupported Media Type" },
	{ 416, "Range Not Satisfiable" }, { 417, "Expectation Failed" },
	{ 418, "I'm a teapot" },          { 421, "Misdirected Request" },
	{ 422, "Unprocessable Content" }, { 425, "Too Early" },
	{ 426, "Upgrade Required" },      { 428, "Precondition Required" },
	{ 429, "Too Many Requests" },     { 431, "Request Header Fields Too Large" },
	{ 451, "Unavailable For Legal Reasons" },
	{ 500, "Internal Server Error" }, { 501, "Not Implemented" },
	{ 502, "Bad Gateway" },           { 503, "Service Unavailable" },
	{ 504, "Gateway Timeout" },       { 505, "HTTP Version Not Supported" },
	{ 507, "Insufficient Storage" },  { 511, "Network Authentication Required" },
};

static const char *reason_for(long code)
{
	for(size_t i = 0; i < ARRAY_SIZE(http_reasons); i++)
		if(http_reasons[i].code == code)
			return http_reasons[i].reason;
	return "";
}
static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The value of the hop's header name, a copy; NULL when it has none. */
static char *header_copy(struct xfer *x, const char *name)
{
	struct curl_header *h;

	if(curl_easy_header(x->easy, name, 0, CURLH_HEADER, -1, &h) != CURLHE_OK)
		return NULL;
	return strdup(h->value);
}

/* Take what the record tells of the hop: URL, server, version, times,
 * validators. */
static void xfer_take_info(struct xfer *x)
{
	struct gf_record *rec = x->rec;
	char *ctype = NULL, *ip = NULL;
	double nl = 0, conn = 0, tls = 0, start = 0, off = x->hop_started - x->started;
	long version = 0;

	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ctype);
	curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip);
	curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &version);
	curl_easy_getinfo(x->easy, CURLINFO_NAMELOOKUP_TIME, &nl);
	curl_easy_getinfo(x->easy, CURLINFO_CONNECT_TIME, &conn);
	curl_easy_getinfo(x->easy, CURLINFO_APPCONNECT_TIME, &tls);
	curl_easy_getinfo(x->easy, CURLINFO_STARTTRANSFER_TIME, &start);
	free(rec->effective_url);
	free(rec->content_type);
	free(rec->remote_ip);
	free(rec->etag);
	free(rec->last_modified);
	rec->etag = header_copy(x, "ETag");
	rec->last_modified = header_copy(x, "Last-Modified");
	/* The hop's own URL: with CURLOPT_CURLU, curl's effective URL can lag
	 * behind a handle that was reused. */
	rec->effective_url = strdup(x->url);
	rec->content_type = dup_or_null(ctype);
	rec->remote_ip = ip && *ip ? strdup(ip) : NULL;
	rec->http_version = version == CURL_HTTP_VERSION_1_0 ? "1.0" :
			    version == CURL_HTTP_VERSION_1_1 ? "1.1" :
			    version == CURL_HTTP_VERSION_2_0 ? "2" :
			    version == CURL_HTTP_VERSION_3 ? "3" : "";
	/* The hops and waits before this one, after the queue. */
	rec->time_redirect = x->hop_began - x->started - rec->time_queue;
	if(rec->time_redirect < 0)
		rec->time_redirect = 0;
	rec->time_namelookup = off + nl;
	rec->time_connect = conn > 0 ? off + conn : 0;
	rec->time_appconnect = tls > 0 ? off + tls : 0;
	rec->time_starttransfer = start > 0 ? off + start : 0;
}

/* Failures that may pass on their own: a refused, reset or silent
 * connection, a timeout, and statuses that say "later". */
static bool transient_result(CURLcode rc)
{
	switch(rc) {
	case CURLE_COULDNT_CONNECT: case CURLE_OPERATION_TIMEDOUT:
	case CURLE_RECV_ERROR: case CURLE_SEND_ERROR: case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE: case CURLE_HTTP2: case CURLE_HTTP2_STREAM:
		return true;
	default:
		return false;
	}
}

static bool transient_status(long code)
{
	return code == 408 || code == 429 || code == 500 || code == 502 ||
	       code == 503 || code == 504;
}

void xfer_set_retryable(struct xfer *x)
{
	x->retryable = true;
}

/* The hop failed in curl: say why. */
static void xfer_hop_failed(struct xfer *x, CURLcode result)
{
	if(x->too_big || result == CURLE_FILESIZE_EXCEEDED)
		xfer_fail(x, GF_EXIT_TOO_BIG, "maximum file size exceeded: over "
			  "%zu bytes", x->cfg->max_filesize);
	else if(result == CURLE_WRITE_ERROR && x->body && x->body->error)
		xfer_fail(x, GF_EXIT_WRITE, "%s", x->body->error);
	else if(result == CURLE_ABORTED_BY_CALLBACK)
		xfer_fail(x, GF_EXIT_ABORTED, "interrupted");
	else if(result == CURLE_OPERATION_TIMEDOUT && !x->cfg->speed_limit &&
		!strncmp(x->errbuf, "Operation too slow", 18))
		record_set_error(x->rec, (int)result, "timed out: nothing received "
				 "for %.3g s (--read-timeout)", x->cfg->read_timeout);
	else if(result == CURLE_OUT_OF_MEMORY && !x->errbuf[0] && !gf_oom_seen())
		/* curl 7.88 says so, without a message, for a response header
		 * line over its 100 KiB limit too: the server's doing. */
		record_set_error(x->rec, (int)result, "response header too large "
				 "(over 100 KiB), or curl ran out of memory");
	else if(result == CURLE_OUT_OF_MEMORY && !x->errbuf[0])
		record_set_error(x->rec, (int)result, "out of memory");
	else /* curl's code as it is */
		record_set_error(x->rec, (int)result, "%s", x->errbuf[0] ?
				 x->errbuf : curl_easy_strerror(result));
	x->retryable = transient_result(result);
}

/* Remember the hop's URL, to name a loop if the redirects run out. */
static void xfer_visit(struct xfer *x)
{
	char **more = realloc(x->visited, (x->nvisited + 1) * sizeof(*more));

	if(!more)
		return;
	x->visited = more;
	x->visited[x->nvisited] = url_text(x->u);
	if(x->visited[x->nvisited])
		x->nvisited++;
}

/* Out of redirects: say so, and name the loop when there is one. */
static void xfer_too_many(struct xfer *x, const char *location)
{
	for(size_t i = x->nvisited; i-- > 0; ) {
		if(strcmp(x->visited[i], location) != 0)
			continue;
		xfer_fail(x, GF_EXIT_REDIRECTS, "too many redirects: stopped after "
			  "%ld, in a loop of %zu back to %s", x->rec->redirects,
			  x->nvisited - i, location);
		return;
	}
	xfer_fail(x, GF_EXIT_REDIRECTS, "too many redirects: stopped after %ld",
		  x->rec->redirects);
}

/* Why a hop's response is not whole, as WARC-Truncated says it. */
static const char *truncated_by(const struct xfer *x, CURLcode result)
{
	if(!result)
		return NULL;
	if(x->too_big || result == CURLE_FILESIZE_EXCEEDED)
		return "length";
	if(result == CURLE_OPERATION_TIMEDOUT)
		return "time";
	if(result == CURLE_RECV_ERROR || result == CURLE_PARTIAL_FILE ||
	   result == CURLE_GOT_NOTHING || result == CURLE_HTTP2_STREAM)
		return "disconnect";
	return "unspecified";
}

enum xfer_step xfer_hop_done(struct xfer *x, CURLcode result)
{
	long code = 0;
	char *location = NULL;

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code);
	x->rec->status = code;
	x->rec->unchanged = code == 304 && (x->rec->if_etag || x->rec->if_modified);
	xfer_take_info(x);
	if(x->rec->tap)
		x->rec->tap->end(x->rec->tap, x->rec->remote_ip, truncated_by(x, result));
	if(result) {
		xfer_hop_failed(x, result);
		return XFER_DONE;
	}
	x->retryable = transient_status(code);
	if(code / 100 != 3 || x->cfg->max_redirs == 0)
		return XFER_DONE;
	curl_easy_getinfo(x->easy, CURLINFO_REDIRECT_URL, &location);
	if(!location)
		return XFER_DONE;
	xfer_visit(x);
	if(x->body && x->body->follow && !x->body->follow(x->body, location)) {
		xfer_log(x, "redirect %ld to %s: not followed (out of scope)",
			 code, location);
		return XFER_DONE;
	}
	if(x->rec->redirects >= x->cfg->max_redirs) {
		xfer_too_many(x, location);
		return XFER_DONE;
	}
	/* location belongs to the easy handle, which the next hop reuses. */
	location = strdup(location);
	if(!location) {
		xfer_fail(x, GF_EXIT_NOMEM, "out of memory");
		return XFER_DONE;
	}
	x->rec->redirects++;
	xfer_log(x, "redirect %ld to %s", code, location);
	if(code == 303 && !x->cfg->head)
		x->get_only = true;
	if(!xfer_set_url(x, location, "redirect")) {
		free(location);
		return XFER_DONE;
	}
	free(location);
	return XFER_HOP;
}

/* The wait before try number `attempt` + 1: Retry-After when the server
 * gave one, else --retry-delay doubled for each try, 25 % either way. */
static double xfer_backoff(const struct xfer *x, long attempt)
{
	double wait = x->cfg->retry_delay;

	if(x->retry_after >= 0)
		return x->retry_after;
	for(long i = 1; i < attempt && wait < 600; i++)
		wait *= 2;
	wait *= 0.75 + 0.5 * (double)rand() / ((double)RAND_MAX + 1);
	return wait < 600 ? wait : 600;
}

/* Clear the record of what the failed try left in it. */
static void xfer_forget_try(struct xfer *x)
{
	struct gf_record *rec = x->rec;
	struct gf_record keep = *rec;

	/* What the URL is, and where it is in the run, stay; what the try
	 * found goes. */
	rec->url = rec->headers = rec->parent = rec->file = NULL;
	record_release(rec);
	memset(rec, 0, sizeof(*rec));
	rec->url = keep.url;
	rec->index = keep.index;
	rec->attempts = keep.attempts + 1;
	rec->retried_status = keep.status;
	rec->retried_after = x->retry_after > 0 ? x->retry_after : 0;
	rec->headers = keep.headers;
	rec->crawl = keep.crawl;
	rec->depth = keep.depth;
	rec->parent = keep.parent;
	rec->file = keep.file;
	rec->started = keep.started;
	rec->time_queue = keep.time_queue;
	rec->began = true;
	x->get_only = false;
	x->retryable = false;
	x->too_big = false;
	while(x->nvisited > 0)
		free(x->visited[--x->nvisited]);
}

bool xfer_retry(struct xfer *x, double *wait)
{
	const struct gf_config *cfg = x->cfg;
	struct gf_record *rec = x->rec;
	double elapsed = gf_now() - x->started;

	if(!x->retryable || rec->attempts > cfg->retries)
		return false;
	*wait = xfer_backoff(x, rec->attempts);
	if(*wait > XFER_RETRY_AFTER_MAX) {
		/* "Come back tomorrow": not a wait to hold a URL for. */
		xfer_log(x, "not retried: the server asks for a wait of %.0f s, "
			 "over %.0f s", *wait, (double)XFER_RETRY_AFTER_MAX);
		return false;
	}
	if(cfg->max_time > 0 && elapsed + *wait >= cfg->max_time)
		return false;
	if(cfg->retry_max_time > 0 && elapsed + *wait > cfg->retry_max_time)
		return false;
	if(x->body && x->body->reset && !x->body->reset(x->body))
		return false;
	xfer_log(x, "retry in %.3f s after %s%03ld", *wait,
		 rec->error ? rec->error : "HTTP ", rec->error ? 0L : rec->status);
	xfer_forget_try(x);
	return true;
}

void xfer_end(struct xfer *x, bool retrying)
{
	struct gf_record *rec = x->rec;

	rec->time = gf_now() - x->started;
	if(!retrying && !rec->error && rec->status >= 400) {
		const char *reason = x->reason[0] ? x->reason :
				     reason_for(rec->status);

		record_set_error(rec, GF_EXIT_HTTP, "HTTP %ld%s%s", rec->status,
				 reason[0] ? " " : "", reason);
	}
	if(!retrying)
		xfer_log(x, "end %03ld, %llu bytes, %.3f s%s%s", rec->status,
			 (unsigned long long)rec->bytes, rec->time,
			 rec->error ? ": " : "", rec->error ? rec->error : "");
	free(x->url);
	free(x->origin);
	url_free(x->u);
	x->u = NULL;
	x->host = NULL;
	while(x->nvisited > 0)
		free(x->visited[--x->nvisited]);
	free(x->visited);
	curl_slist_free_all(x->since);
	x->since = NULL;
	x->url = x->origin = NULL;
	x->visited = NULL;
}
