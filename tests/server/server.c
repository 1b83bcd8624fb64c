/*
 * gf-testserver - the HTTP/1.1 server greenfetch's demo and tests talk to.
 *
 * One libev loop, one struct conn per client, keep-alive, no blocking call:
 * a /delay/SECONDS request parks its connection on a timer, so a thousand
 * slow requests cost a thousand small structs and nothing else. Listens on
 * 127.0.0.1 (or -b ADDR) and prints the port it got on stdout.
 *
 * Endpoints:
 *   /                      200 "ok"
 *   /delay/SECONDS         200 after SECONDS (fractional allowed)
 *   /status/CODE           that status
 *   /bytes/N               N bytes of body
 *   /redirect/N            N redirects (302), then 200
 *   /redirect-to?url=U[&status=C][&delay=S]   a redirect to U (default
 *                          302), after S seconds
 *   /links/N/I             an HTML page with N links to /links/N/0..N-1
 *   /farm/N/ID             an endless link farm: N links to /farm/N/(ID*N+K)
 *   /sitemaps/D/ID/N       a sitemap index of N sitemaps /sitemaps/D-1/...,
 *                          or at D = 0 a sitemap of N pages /page/sm-ID-K
 *   /echo-headers          the request's header lines as the body
 *   /drip/N/SECONDS        N bytes, one at a time over SECONDS
 *   /page/ANYTHING         200, "page /page/ANYTHING"
 *   /status/CODE?retry-after=V   that status with a Retry-After header
 *   /flaky/KEY/N[?mode=close]    503 (or a closed connection) for the first
 *                          N requests of KEY, then 200
 *   /gzip-bomb/N           N MiB of zeros, gzip-encoded
 *   /big-header/N          a response with an N-byte header line
 *   /many-headers/N        a response with N header lines
 *   /loop/I                a redirect to /loop/(I+1)%3, for ever
 *   /stats                 "max_inflight N": the most requests at once
 *   /raw/NAME[?bytewise]   scripted bytes of a hostile server (see raws[]),
 *                          one byte per write with ?bytewise
 *
 * With -a it never accepts and its listen backlog is 0: once one connection
 * waits in the backlog, further connects go unanswered (a connect timeout).
 * With -u it binds a UDP port instead and never answers on it; -u -S
 * answers each DNS query there with SERVFAIL; -u -D SEC answers A queries
 * with 127.0.0.1 (others with no data) SEC seconds late.
 * A request in absolute form (as to a proxy) is answered as the origin.
 * With -d DIR, any other path is a file under DIR (index.html for "/"),
 * sent as it is with "Content-Encoding: VALUE" when the query is ce=VALUE.
 * With -R NAME, /robots.txt is answered as /raw/NAME.
 * With -l FILE each request is logged as "CONN METHOD TARGET TIME" on a
 * line, followed by "CONN H Name: value" for each of its header lines, and
 * each connection's end as "CONN closed TIME".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <ev.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define REQ_MAX 16384                 /* request head size limit */

struct server {
	struct ev_loop *loop;         /* the loop */
	ev_io accept_io;              /* the listening socket */
	FILE *log;                    /* request log, NULL = none */
	unsigned long conns;          /* connections accepted so far */
	int inflight;                 /* requests being answered now */
	int max_inflight;             /* the most at once so far */
	struct flaky *flaky;          /* /flaky counters */
	const char *docroot;          /* -d: files served, NULL = none */
	const char *robots_raw;       /* -R: /robots.txt is this /raw/ */
};

/* /flaky/KEY/N: how often KEY was asked for. */
struct flaky {
	char key[64];
	long count;
	struct flaky *next;
};

struct conn {
	ev_io rio;                    /* readable */
	ev_io wio;                    /* writable */
	ev_timer delay;               /* a /delay request waiting */
	double delay_secs;            /* its length, for the body */
	int delayed_code;             /* answer after the delay, 0 = 200 text */
	long drip_left;               /* /drip: body bytes still to send */
	char *delayed_extra;          /* its extra header lines (owned) */
	struct server *srv;           /* owner */
	unsigned long id;             /* 1, 2, ... in accept order */
	char in[REQ_MAX];             /* request bytes */
	size_t inlen;                 /* bytes in `in` */
	size_t head_len;              /* length of the parsed request head */
	char *out;                    /* response head (and small body) */
	size_t outlen, outoff;        /* its size and what is written */
	unsigned long long gen_left;  /* generated body bytes still to write */
	unsigned long long gen_pos;   /* position in the generated body */
	bool keepalive;               /* keep the connection after the response */
	bool busy;                    /* a response is being produced */
	bool counted;                 /* counted in srv->inflight */
	int after;                    /* /raw: RAW_KEEP, _CLOSE, _RESET, _STALL */
	bool one_byte;                /* /raw?bytewise: one byte per write */
	bool endless;                 /* /raw/endless: chunks for ever */
};

/* ------------------------------------------------------------ helpers */

static const char *reason(int code)
{
	switch(code) {
	case 200: return "OK";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default:  return "Whatever";
	}
}

static void conn_uncount(struct conn *c);

static void conn_free(struct conn *c)
{
	if(c->srv->log) {
		fprintf(c->srv->log, "%lu closed %.6f\n", c->id, ev_time());
		fflush(c->srv->log);
	}
	conn_uncount(c);
	ev_io_stop(c->srv->loop, &c->rio);
	ev_io_stop(c->srv->loop, &c->wio);
	ev_timer_stop(c->srv->loop, &c->delay);
	close(c->rio.fd);
	free(c->delayed_extra);
	free(c->out);
	free(c);
}

/* Decode %XX in place. */
static void percent_decode(char *s)
{
	char *w = s;

	for(; *s; s++) {
		if(*s == '%' && s[1] && s[2]) {
			char hex[3] = { s[1], s[2], 0 };
			char *end;
			long v = strtol(hex, &end, 16);

			if(!*end) {
				*w++ = (char)v;
				s += 2;
				continue;
			}
		}
		*w++ = *s == '+' ? ' ' : *s;
	}
	*w = '\0';
}

/* The value of query parameter name in query (decoded), or NULL. */
static char *query_param(const char *query, const char *name)
{
	size_t n = strlen(name);

	while(query && *query) {
		const char *amp = strchr(query, '&');
		size_t len = amp ? (size_t)(amp - query) : strlen(query);

		if(len > n && strncmp(query, name, n) == 0 && query[n] == '=') {
			char *v = strndup(query + n + 1, len - n - 1);

			if(v)
				percent_decode(v);
			return v;
		}
		query = amp ? amp + 1 : NULL;
	}
	return NULL;
}

/* --------------------------------------------------------- responses */

static void conn_write_cb(struct ev_loop *loop, ev_io *w, int revents);

/* Queue a response: head plus either body (len bytes) or gen generated
 * bytes. */
static void respond(struct conn *c, int code, const char *ctype,
		    const char *extra, const char *body, size_t len,
		    unsigned long long gen, bool head_only)
{
	unsigned long long clen = body ? len : gen;
	int n;

	n = asprintf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
		     "Content-Length: %llu\r\n%sConnection: %s\r\n\r\n",
		     code, reason(code), ctype, clen, extra ? extra : "",
		     c->keepalive ? "keep-alive" : "close");
	if(n < 0) {
		c->out = NULL;
		conn_free(c);
		return;
	}
	c->outlen = (size_t)n;
	c->outoff = 0;
	c->gen_left = head_only ? 0 : gen;
	c->gen_pos = 0;
	if(body && len && !head_only) {
		char *more = realloc(c->out, c->outlen + len);

		if(!more) {
			conn_free(c);
			return;
		}
		c->out = more;
		memcpy(c->out + c->outlen, body, len);
		c->outlen += len;
	}
	ev_io_start(c->srv->loop, &c->wio);
}

static void respond_text(struct conn *c, int code, const char *extra,
			 bool head_only, const char *fmt, ...)
{
	char body[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if(n < 0)
		n = 0;
	if((size_t)n >= sizeof(body))
		n = sizeof(body) - 1;
	respond(c, code, "text/plain", extra, body, (size_t)n, 0, head_only);
}

static void respond_links(struct conn *c, long n, long i, bool head_only)
{
	size_t cap = 256 + (size_t)n * 64, len = 0;
	char *page = malloc(cap);

	if(!page) {
		conn_free(c);
		return;
	}
	len += (size_t)snprintf(page + len, cap - len,
				"<html><head><title>Links %ld</title></head><body>",
				i);
	for(long k = 0; k < n; k++) {
		if(k == i)
			len += (size_t)snprintf(page + len, cap - len, "%ld ", k);
		else
			len += (size_t)snprintf(page + len, cap - len,
						"<a href='/links/%ld/%ld'>%ld</a> ",
						n, k, k);
	}
	len += (size_t)snprintf(page + len, cap - len, "</body></html>\n");
	respond(c, 200, "text/html; charset=utf-8", NULL, page, len, 0, head_only);
	free(page);
}

/* /sitemaps/DEPTH/ID/N: a sitemap index of N sitemaps one level down, or
 * at depth 0 a sitemap of N pages /page/sm-ID-K. */
static void respond_sitemaps(struct conn *c, long depth, long id, long n,
			     bool head_only)
{
	size_t cap = 256 + (size_t)n * 96, len = 0;
	char *xml = malloc(cap);

	if(!xml) {
		conn_free(c);
		return;
	}
	len += (size_t)snprintf(xml + len, cap - len, "<?xml version=\"1.0\"?>\n<%s "
				"xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
				depth ? "sitemapindex" : "urlset");
	for(long k = 0; k < n; k++) {
		if(depth)
			len += (size_t)snprintf(xml + len, cap - len, "<sitemap><loc>"
						"/sitemaps/%ld/%ld/%ld</loc></sitemap>\n",
						depth - 1, id * n + k, n);
		else
			len += (size_t)snprintf(xml + len, cap - len, "<url><loc>"
						"/page/sm-%ld-%ld</loc></url>\n", id, k);
	}
	len += (size_t)snprintf(xml + len, cap - len, "</%s>\n",
				depth ? "sitemapindex" : "urlset");
	respond(c, 200, "application/xml", NULL, xml, len, 0, head_only);
	free(xml);
}

/* /farm/N/ID: a link farm, without end: N links to /farm/N/(ID*N+K). */
static void respond_farm(struct conn *c, long n, unsigned long long id,
			 bool head_only)
{
	size_t cap = 128 + (size_t)n * 64, len = 0;
	char *page = malloc(cap);

	if(!page) {
		conn_free(c);
		return;
	}
	len += (size_t)snprintf(page + len, cap - len, "<html><body>");
	for(long k = 0; k < n; k++)
		len += (size_t)snprintf(page + len, cap - len,
					"<a href='/farm/%ld/%llu'>%ld</a>\n", n,
					id * (unsigned long long)n + (unsigned long long)k, k);
	len += (size_t)snprintf(page + len, cap - len, "</body></html>\n");
	respond(c, 200, "text/html", NULL, page, len, 0, head_only);
	free(page);
}

/* /drip: one byte of the body per tick. */
static void drip_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = container_of(w, struct conn, delay);
	char *more;

	(void)revents;
	if(c->drip_left <= 0) {
		ev_timer_stop(loop, w);
		return;
	}
	more = realloc(c->out, c->outlen + 1);
	if(!more)
		return;
	c->out = more;
	c->out[c->outlen++] = 'd';
	if(--c->drip_left == 0)
		ev_timer_stop(loop, w);
	ev_io_start(loop, &c->wio);
}

static void delay_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = container_of(w, struct conn, delay);
	bool head_only = strncmp(c->in, "HEAD ", 5) == 0;

	(void)revents;
	if(c->drip_left > 0) {
		drip_cb(loop, w, revents);
		return;
	}
	ev_timer_stop(loop, w);
	if(c->delayed_code) {
		respond_text(c, c->delayed_code, c->delayed_extra, head_only,
			     "redirect\n");
		free(c->delayed_extra);
		c->delayed_extra = NULL;
		c->delayed_code = 0;
		return;
	}
	respond_text(c, 200, NULL, head_only, "delayed %.3f\n", c->delay_secs);
}

enum { RAW_KEEP, RAW_CLOSE, RAW_RESET, RAW_STALL };

/* /raw/NAME: scripted bytes for the hostile-server tests, and what to do
 * after them. */
static const struct raw {
	const char *name;
	const char *bytes;
	int after;
} raws[] = {
	{ "silent", "", RAW_STALL },
	{ "stall-body", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789",
	  RAW_STALL },
	{ "reset", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789",
	  RAW_RESET },
	{ "short", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789",
	  RAW_CLOSE },
	{ "chunk-noend", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "5\r\nhello\r\n", RAW_CLOSE },
	{ "chunk-negative", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "-1\r\nhello\r\n0\r\n\r\n", RAW_CLOSE },
	{ "chunk-huge", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "10000000000000000\r\nhello\r\n0\r\n\r\n", RAW_CLOSE },
	{ "chunk-nonhex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "zz\r\nhello\r\n0\r\n\r\n", RAW_CLOSE },
	{ "cl-and-te", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
	  "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", RAW_KEEP },
	{ "two-cl", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n"
	  "\r\nhello", RAW_KEEP },
	{ "long-body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", RAW_KEEP },
	{ "interim", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
	  "Link: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
	  RAW_KEEP },
	{ "garbage-status", "HTXP/9.9 twohundred OK\r\n\r\nbody", RAW_CLOSE },
	{ "not-http", "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", RAW_CLOSE },
	{ "evil-header", "HTTP/1.1 200 OK\r\nContent-Type: text/\x1b[2Jhtml\r\n"
	  "X-Evil: \x1b]0;pwned\x07\r\nContent-Length: 2\r\n\r\nok", RAW_KEEP },
	{ "endless", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
	  RAW_KEEP },
};

static void respond_raw(struct conn *c, const struct raw *r, bool bytewise)
{
	c->out = strdup(r->bytes);
	if(!c->out) {
		conn_free(c);
		return;
	}
	c->outlen = strlen(r->bytes);
	c->outoff = 0;
	c->after = r->after;
	c->one_byte = bytewise;
	c->endless = strcmp(r->name, "endless") == 0;
	if(r->after != RAW_KEEP)
		c->keepalive = false;
	ev_io_start(c->srv->loop, &c->wio);
}

/* /gzip-bomb/N: N MiB of zeros, gzip-encoded (about 1000:1). */
static void respond_gzip_bomb(struct conn *c, long mib, bool head_only)
{
	z_stream z;
	static char zeros[1 << 20];
	size_t cap = (size_t)mib * 1100 + 1024;
	char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	if(!out || deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		conn_free(c);
		return;
	}
	z.next_out = (unsigned char *)out;
	z.avail_out = (unsigned)cap;
	for(long i = 0; i < mib; i++) {
		z.next_in = (unsigned char *)zeros;
		z.avail_in = sizeof(zeros);
		deflate(&z, Z_NO_FLUSH);
	}
	deflate(&z, Z_FINISH);
	respond(c, 200, "application/octet-stream", "Content-Encoding: gzip\r\n",
		out, cap - z.avail_out, 0, head_only);
	deflateEnd(&z);
	free(out);
}

/* /flaky/KEY/N[?mode=close]: the first N requests for KEY fail (503, or
 * the connection closes without an answer), then 200. */
static void respond_flaky(struct conn *c, const char *key, long n,
			  const char *query, bool head_only)
{
	struct flaky *f = c->srv->flaky;

	while(f && strcmp(f->key, key) != 0)
		f = f->next;
	if(!f && (f = calloc(1, sizeof(*f)))) {
		snprintf(f->key, sizeof(f->key), "%s", key);
		f->next = c->srv->flaky;
		c->srv->flaky = f;
	}
	if(!f || f->count++ >= n) {
		respond_text(c, 200, NULL, head_only, "ok after %ld\n", n);
		return;
	}
	if(query && strstr(query, "mode=close")) {
		conn_free(c);
		return;
	}
	respond_text(c, 503, NULL, head_only, "try again\n");
}

static const char *mime_of(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".htm", "text/html" },
		{ ".xhtml", "application/xhtml+xml" }, { ".txt", "text/plain" },
		{ ".xml", "application/xml" }, { ".gz", "application/gzip" },
		{ ".css", "text/css" }, { ".js", "text/javascript" },
		{ ".png", "image/png" }, { ".pdf", "application/pdf" },
	};
	const char *dot = strrchr(path, '.');

	for(size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if(strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* -d DIR: the file at target under DIR (index.html for a directory); with
 * a query "ce=VALUE", sent with "Content-Encoding: VALUE". */
static bool respond_file(struct conn *c, const char *target, const char *query,
			 bool head_only)
{
	char path[16384], extra[16384] = "";
	FILE *fp;
	char *data;
	long size;

	if(!c->srv->docroot || strstr(target, "..") ||
	   strlen(c->srv->docroot) + strlen(target) + 16 > sizeof(path))
		return false;
	snprintf(path, sizeof(path), "%s%s%s", c->srv->docroot, target,
		 target[strlen(target) - 1] == '/' ? "index.html" : "");
	fp = fopen(path, "rb");
	if(!fp)
		return false;
	if(fseek(fp, 0, SEEK_END) || (size = ftell(fp)) < 0 ||
	   fseek(fp, 0, SEEK_SET) || !(data = malloc((size_t)size + 1))) {
		fclose(fp);
		return false;
	}
	if(fread(data, 1, (size_t)size, fp) != (size_t)size) {
		fclose(fp);
		free(data);
		return false;
	}
	fclose(fp);
	if(query && strncmp(query, "ce=", 3) == 0)
		snprintf(extra, sizeof(extra), "Content-Encoding: %s\r\n", query + 3);
	respond(c, 200, mime_of(path), extra[0] ? extra : NULL, data, (size_t)size,
		0, head_only);
	free(data);
	return true;
}

/* Endpoints for the robustness tests. False: not one of them. */
static bool route_more(struct conn *c, char *target, const char *query,
		       bool head_only)
{
	char key[64], *extra = NULL;
	long a;
	const char *raw = strncmp(target, "/raw/", 5) == 0 ? target + 5 :
			  c->srv->robots_raw && !strcmp(target, "/robots.txt") ?
			  c->srv->robots_raw : NULL;

	if(raw) {
		for(size_t i = 0; i < sizeof(raws) / sizeof(raws[0]); i++) {
			if(strcmp(raw, raws[i].name) == 0) {
				respond_raw(c, &raws[i], query && strstr(query, "bytewise"));
				return true;
			}
		}
		return false;
	} else if(strncmp(target, "/flaky/", 7) == 0 &&
	   sscanf(target + 7, "%63[^/]/%ld", key, &a) == 2) {
		respond_flaky(c, key, a, query, head_only);
	} else if(strncmp(target, "/gzip-bomb/", 11) == 0 &&
		  sscanf(target + 11, "%ld", &a) == 1 && a > 0 && a <= 1024) {
		respond_gzip_bomb(c, a, head_only);
	} else if(strncmp(target, "/big-header/", 12) == 0 &&
		  sscanf(target + 12, "%ld", &a) == 1 && a > 0 && a <= 4 << 20) {
		extra = malloc((size_t)a + 16);
		if(!extra)
			return false;
		memcpy(extra, "X-Big: ", 7);
		memset(extra + 7, 'b', (size_t)a);
		memcpy(extra + 7 + a, "\r\n", 3);
		respond_text(c, 200, extra, head_only, "big header\n");
		free(extra);
	} else if(strncmp(target, "/many-headers/", 14) == 0 &&
		  sscanf(target + 14, "%ld", &a) == 1 && a > 0 && a <= 100000) {
		extra = malloc((size_t)a * 16 + 1);
		if(!extra)
			return false;
		extra[0] = '\0';
		for(long i = 0; i < a; i++)
			sprintf(extra + strlen(extra), "X-H%ld: v\r\n", i % 100000);
		respond_text(c, 200, extra, head_only, "many headers\n");
		free(extra);
	} else if(strncmp(target, "/loop/", 6) == 0 &&
		  sscanf(target + 6, "%ld", &a) == 1) {
		char loc[64];

		snprintf(loc, sizeof(loc), "Location: /loop/%ld\r\n", (a + 1) % 3);
		respond_text(c, 302, loc, head_only, "loop\n");
	} else if(strcmp(target, "/stats") == 0) {
		respond_text(c, 200, NULL, head_only, "max_inflight %d\n",
			     c->srv->max_inflight);
	} else {
		return respond_file(c, target, query, head_only);
	}
	return true;
}

/* Answer the request whose head is in c->in[0..head_len). */
static void route(struct conn *c, const char *method, char *target)
{
	bool head_only = strcmp(method, "HEAD") == 0;
	char *query = strchr(target, '?');
	char *end;
	double secs;
	long a, b;
	unsigned long long id;

	if(strncmp(target, "http://", 7) == 0) {
		/* Absolute form: we are asked as a proxy; answer as the origin. */
		char *path = strchr(target + 7, '/');

		target = path ? path : "/";
		query = strchr(target, '?');
	}
	if(query)
		*query++ = '\0';
	if((strcmp(target, "/") == 0 && !c->srv->docroot) ||
	   strcmp(target, "/get") == 0) {
		respond_text(c, 200, NULL, head_only, "ok\n");
	} else if(strncmp(target, "/delay/", 7) == 0) {
		secs = strtod(target + 7, &end);
		if(*end || secs < 0 || secs > 3600) {
			respond_text(c, 400, NULL, head_only, "bad delay\n");
			return;
		}
		c->delay_secs = secs;
		ev_timer_set(&c->delay, secs, 0.);
		ev_timer_start(c->srv->loop, &c->delay);
	} else if(strncmp(target, "/status/", 8) == 0) {
		char *ra = query_param(query, "retry-after"), *hdr = NULL;

		a = strtol(target + 8, &end, 10);
		if(ra && asprintf(&hdr, "Retry-After: %s\r\n", ra) < 0)
			hdr = NULL;
		if(*end || a < 100 || a > 999)
			respond_text(c, 400, NULL, head_only, "bad status\n");
		else
			respond_text(c, (int)a, hdr, head_only, "status %ld\n", a);
		free(ra);
		free(hdr);
	} else if(strncmp(target, "/bytes/", 7) == 0) {
		unsigned long long n = strtoull(target + 7, &end, 10);

		if(*end)
			respond_text(c, 400, NULL, head_only, "bad size\n");
		else
			respond(c, 200, "application/octet-stream", NULL, NULL, 0,
				n, head_only);
	} else if(strncmp(target, "/redirect/", 10) == 0) {
		char loc[64];

		a = strtol(target + 10, &end, 10);
		if(*end || a < 0) {
			respond_text(c, 400, NULL, head_only, "bad count\n");
		} else if(a == 0) {
			respond_text(c, 200, NULL, head_only, "redirected\n");
		} else {
			snprintf(loc, sizeof(loc), "Location: /redirect/%ld\r\n", a - 1);
			respond_text(c, 302, loc, head_only, "redirect\n");
		}
	} else if(strcmp(target, "/redirect-to") == 0) {
		char *url = query_param(query, "url");
		char *st = query_param(query, "status");
		char *dl = query_param(query, "delay");
		char *loc = NULL;

		b = st ? strtol(st, NULL, 10) : 302;
		if(!url || asprintf(&loc, "Location: %s\r\n", url) < 0) {
			loc = NULL;
			respond_text(c, 400, NULL, head_only, "no url\n");
		} else if(dl) {
			c->delayed_code = (int)b;
			c->delayed_extra = loc;
			loc = NULL;
			ev_timer_set(&c->delay, strtod(dl, NULL), 0.);
			ev_timer_start(c->srv->loop, &c->delay);
		} else {
			respond_text(c, (int)b, loc, head_only, "redirect\n");
		}
		free(url);
		free(st);
		free(dl);
		free(loc);
	} else if(strncmp(target, "/links/", 7) == 0 &&
		  sscanf(target + 7, "%ld/%ld", &a, &b) == 2 && a >= 0 && a <= 10000) {
		respond_links(c, a, b, head_only);
	} else if(strncmp(target, "/farm/", 6) == 0 &&
		  sscanf(target + 6, "%ld/%llu", &a, &id) == 2 && a > 0 && a <= 10000) {
		respond_farm(c, a, id, head_only);
	} else if(strncmp(target, "/sitemaps/", 10) == 0 &&
		  sscanf(target + 10, "%ld/%ld/%lf", &a, &b, &secs) == 3 && a >= 0 &&
		  secs > 0 && secs <= 50000) {
		respond_sitemaps(c, a, b, (long)secs, head_only);
	} else if(strncmp(target, "/drip/", 6) == 0 &&
		  sscanf(target + 6, "%ld/%lf", &a, &secs) == 2 && a > 0 && secs > 0) {
		char *hdr = NULL;

		if(asprintf(&hdr, "HTTP/1.1 200 OK\r\nContent-Type: application/"
			    "octet-stream\r\nContent-Length: %ld\r\n\r\n", a) < 0)
			return;
		c->keepalive = false;
		c->out = hdr;
		c->outlen = strlen(hdr);
		c->outoff = 0;
		c->gen_left = 0;
		c->drip_left = a;
		ev_timer_set(&c->delay, secs / (double)a, secs / (double)a);
		ev_timer_start(c->srv->loop, &c->delay);
		ev_io_start(c->srv->loop, &c->wio);
	} else if(strncmp(target, "/page/", 6) == 0) {
		respond_text(c, 200, NULL, head_only, "page %.400s\n", target);
	} else if(strcmp(target, "/echo-headers") == 0) {
		const char *hdrs = strstr(c->in, "\r\n") + 2;

		respond(c, 200, "text/plain", NULL, hdrs,
			c->head_len - (size_t)(hdrs - c->in) - 2, 0, head_only);
	} else if(!route_more(c, target, query, head_only)) {
		respond_text(c, 404, NULL, head_only, "not found\n");
	}
}

/* "CONN METHOD TARGET", then "CONN H Name: value" per header line. */
static void log_request(struct conn *c, const char *method, const char *target)
{
	const char *line = strstr(c->in, "\r\n") + 2;

	fprintf(c->srv->log, "%lu %s %s %.6f\n", c->id, method, target,
		ev_time());
	while(*line) {
		const char *end = strstr(line, "\r\n");

		fprintf(c->srv->log, "%lu H %.*s\n", c->id, (int)(end - line), line);
		line = end + 2;
	}
	fflush(c->srv->log);
}

/* Parse the head in c->in if complete; start answering it. */
static void conn_handle(struct conn *c)
{
	char *eoh = memmem(c->in, c->inlen, "\r\n\r\n", 4);
	char method[16], target[8192], version[16];

	if(!eoh) {
		if(c->inlen == sizeof(c->in)) {
			c->keepalive = false;
			c->busy = true;
			respond_text(c, 400, NULL, false, "request too large\n");
		}
		return;
	}
	c->head_len = (size_t)(eoh - c->in) + 4;
	eoh[2] = '\0'; /* the head is now a string ending in "\r\n" */
	c->busy = true;
	c->counted = true;
	if(++c->srv->inflight > c->srv->max_inflight)
		c->srv->max_inflight = c->srv->inflight;
	if(sscanf(c->in, "%15s %8191s %15s", method, target, version) != 3) {
		c->keepalive = false;
		respond_text(c, 400, NULL, false, "bad request\n");
		return;
	}
	c->keepalive = strcmp(version, "HTTP/1.1") == 0 &&
		       !strcasestr(c->in, "\r\nConnection: close");
	if(c->srv->log)
		log_request(c, method, target);
	route(c, method, target);
}

/* The response is out: close, or take the next request. */
static void conn_uncount(struct conn *c)
{
	if(c->counted)
		c->srv->inflight--;
	c->counted = false;
}

static void conn_done(struct conn *c)
{
	conn_uncount(c);
	ev_io_stop(c->srv->loop, &c->wio);
	free(c->out);
	c->out = NULL;
	c->busy = false;
	if(!c->keepalive) {
		conn_free(c);
		return;
	}
	memmove(c->in, c->in + c->head_len, c->inlen - c->head_len);
	c->inlen -= c->head_len;
	c->head_len = 0;
	ev_io_start(c->srv->loop, &c->rio);
	conn_handle(c);
}

static void conn_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = container_of(w, struct conn, wio);
	char buf[65536];
	ssize_t n;

	(void)loop;
	(void)revents;
	if(c->outoff < c->outlen) {
		n = write(w->fd, c->out + c->outoff,
			  c->one_byte ? 1 : c->outlen - c->outoff);
		if(n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if(n < 0) {
			conn_free(c);
			return;
		}
		c->outoff += (size_t)n;
		return;
	}
	if(c->gen_left > 0) {
		size_t len = c->gen_left < sizeof(buf) ? (size_t)c->gen_left : sizeof(buf);

		for(size_t i = 0; i < len; i++)
			buf[i] = (char)('a' + (c->gen_pos + i) % 26);
		n = write(w->fd, buf, len);
		if(n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if(n < 0) {
			conn_free(c);
			return;
		}
		c->gen_left -= (unsigned long long)n;
		c->gen_pos += (unsigned long long)n;
		return;
	}
	if(c->drip_left > 0) {
		ev_io_stop(c->srv->loop, w); /* the next tick restarts it */
		return;
	}
	if(c->endless) {
		static const char chunk[] = "4000\r\n";
		char *more = realloc(c->out, sizeof(chunk) - 1 + 0x4000 + 2);

		if(!more) {
			conn_free(c);
			return;
		}
		c->out = more;
		memcpy(c->out, chunk, sizeof(chunk) - 1);
		memset(c->out + sizeof(chunk) - 1, 'e', 0x4000);
		memcpy(c->out + sizeof(chunk) - 1 + 0x4000, "\r\n", 2);
		c->outlen = sizeof(chunk) - 1 + 0x4000 + 2;
		c->outoff = 0;
		return;
	}
	if(c->after == RAW_STALL) {
		ev_io_stop(c->srv->loop, w); /* say nothing more, keep it open */
		return;
	}
	if(c->after == RAW_RESET) {
		struct linger lg = { 1, 0 };

		setsockopt(w->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		conn_free(c);
		return;
	}
	if(c->after == RAW_CLOSE) {
		conn_free(c);
		return;
	}
	conn_done(c);
}

static void conn_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = container_of(w, struct conn, rio);
	ssize_t n;

	(void)loop;
	(void)revents;
	if(c->inlen == sizeof(c->in)) {
		/* Full while busy: wait for the response to drain. */
		ev_io_stop(c->srv->loop, &c->rio);
		return;
	}
	n = read(w->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if(n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if(n <= 0) {
		conn_free(c);
		return;
	}
	c->inlen += (size_t)n;
	if(!c->busy)
		conn_handle(c);
}

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct server *srv = container_of(w, struct server, accept_io);

	(void)revents;
	for(;;) {
		int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		int one = 1;
		struct conn *c;

		if(fd < 0)
			return;
		c = calloc(1, sizeof(*c));
		if(!c) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->srv = srv;
		c->id = ++srv->conns;
		ev_io_init(&c->rio, conn_read_cb, fd, EV_READ);
		ev_io_init(&c->wio, conn_write_cb, fd, EV_WRITE);
		ev_timer_init(&c->delay, delay_cb, 0., 0.);
		ev_io_start(loop, &c->rio);
	}
}

/* ------------------------------------------------------------- main */

static int listen_on(const char *addr, int port, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, fd;

	memset(&ss, 0, sizeof(ss));
	if(strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		if(inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			return -1;
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		if(inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			return -1;
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if(fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if(bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int bound_port(int fd);

/* -u -D SEC: a DNS responder that answers every A query with 127.0.0.1
 * (TTL 300) and every other query with no data, SEC seconds late. */
struct slow_answer {
	ev_timer timer;               /* fires when the answer is due */
	int fd;                       /* the UDP socket */
	struct sockaddr_storage to;   /* who asked */
	socklen_t tolen;
	unsigned char msg[512];       /* the answer */
	size_t len;
};

static void slow_answer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct slow_answer *a = container_of(w, struct slow_answer, timer);

	(void)loop;
	(void)revents;
	sendto(a->fd, a->msg, a->len, 0, (struct sockaddr *)&a->to, a->tolen);
	free(a);
}

static double slow_delay;

static void slow_query_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	static const unsigned char rr[] = {
		0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 127, 0, 0, 1
	};
	struct slow_answer *a = calloc(1, sizeof(*a));
	ssize_t n;
	size_t q;

	(void)revents;
	if(!a)
		return;
	a->tolen = sizeof(a->to);
	n = recvfrom(w->fd, a->msg, sizeof(a->msg) - sizeof(rr), 0,
		     (struct sockaddr *)&a->to, &a->tolen);
	/* Find the end of the question: name, type, class. */
	for(q = 12; n > 12 && q < (size_t)n && a->msg[q]; q += a->msg[q] + 1u)
		;
	if(n <= 12 || q + 5 > (size_t)n) {
		free(a);
		return;
	}
	a->fd = w->fd;
	a->len = q + 5;
	a->msg[2] |= 0x80;                  /* a response */
	a->msg[3] = 0x80;                   /* RA, NOERROR */
	a->msg[7] = 0;                      /* no answers yet */
	a->msg[9] = a->msg[11] = 0;         /* no authority, no additional */
	if(a->msg[q + 1] == 0 && a->msg[q + 2] == 1) {  /* type A */
		memcpy(a->msg + a->len, rr, sizeof(rr));
		a->len += sizeof(rr);
		a->msg[7] = 1;
	}
	ev_timer_init(&a->timer, slow_answer_cb, slow_delay, 0.);
	ev_timer_start(loop, &a->timer);
}

/* -u: a UDP port that takes datagrams and never answers (a DNS server
 * that is down without saying so); with -S it answers every DNS query with
 * SERVFAIL instead. */
static int udp_blackhole(const char *addr, int port, bool servfail)
{
	struct sockaddr_in s4 = { .sin_family = AF_INET,
				  .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if(fd < 0 || inet_pton(AF_INET, addr, &s4.sin_addr) != 1 ||
	   bind(fd, (struct sockaddr *)&s4, sizeof(s4)) < 0) {
		fprintf(stderr, "gf-testserver: cannot bind UDP %s\n", addr);
		return 1;
	}
	printf("%d\n", bound_port(fd));
	fflush(stdout);
	if(slow_delay > 0) {
		struct ev_loop *loop = ev_default_loop(EVFLAG_AUTO);
		ev_io io;

		ev_io_init(&io, slow_query_cb, fd, EV_READ);
		ev_io_start(loop, &io);
		ev_run(loop, 0);
		return 0;
	}
	for(;;) {
		unsigned char q[512];
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n;

		if(!servfail) {
			pause();
			continue;
		}
		n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &flen);
		if(n < 12)
			continue;
		q[2] |= 0x80;                       /* a response */
		q[3] = (unsigned char)((q[3] & 0xf0) | 0x80 | 2); /* RA, SERVFAIL */
		sendto(fd, q, (size_t)n, 0, (struct sockaddr *)&from, flen);
	}
}

static int bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if(getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if(ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int main(int argc, char **argv)
{
	struct server srv = { 0 };
	const char *addr = "127.0.0.1", *logfile = NULL;
	struct rlimit rl;
	long port = 0;
	bool no_accept = false, udp_sink = false, servfail = false;
	int opt, fd;

	while((opt = getopt(argc, argv, "ab:d:D:p:l:uSR:")) != -1) {
		char *end;

		switch(opt) {
		case 'a': no_accept = true; break;
		case 'u': udp_sink = true; break;
		case 'S': servfail = true; break;
		case 'd': srv.docroot = optarg; break;
		case 'R': srv.robots_raw = optarg; break;
		case 'D': slow_delay = strtod(optarg, NULL); break;
		case 'b': addr = optarg; break;
		case 'l': logfile = optarg; break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if(*end || port < 0 || port > 65535) {
				fprintf(stderr, "gf-testserver: bad port '%s'\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: gf-testserver [-a|-u [-S|-D SEC]] [-d DIR] [-R RAW] [-b ADDR] [-p PORT] [-l LOG]\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if(getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if(logfile && !(srv.log = fopen(logfile, "a"))) {
		perror(logfile);
		return 1;
	}
	if(udp_sink)
		return udp_blackhole(addr, (int)port, servfail);
	fd = listen_on(addr, (int)port, no_accept ? 0 : 4096);
	if(fd < 0) {
		fprintf(stderr, "gf-testserver: cannot listen on %s port %ld: %s\n",
			addr, port, strerror(errno));
		return 1;
	}
	printf("%d\n", bound_port(fd));
	fflush(stdout);
	srv.loop = ev_default_loop(EVFLAG_AUTO);
	ev_io_init(&srv.accept_io, accept_cb, fd, EV_READ);
	while(no_accept)
		pause();
	ev_io_start(srv.loop, &srv.accept_io);
	ev_run(srv.loop, 0);
	return 0;
}
