/*
 * routes.c - the test server's endpoints (the list is in server.c's
 * opening comment): which answers a request; bodies.c makes the larger
 * answers.
 */
#include "server.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void delay_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct conn *c = container_of(w, struct conn, delay);
	bool head_only = strncmp(c->in, "HEAD ", 5) == 0;

	(void)revents;
	if(c->drip_left > 0) {
		drip_cb(loop, w, revents);
		return;
	}
	ev_timer_stop(loop, w);
	if(c->farm_n) {
		respond_farm(c, c->farm_n, c->farm_id, c->delay_secs, head_only);
		c->farm_n = 0;
		return;
	}
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

/* ---------------------------------------------------------- endpoints */

/* An endpoint: target is the whole path, rest what follows its prefix,
 * query the query (or NULL). False: the path is not of its form (then it
 * may be a file under -d, or it is not found). */
typedef bool endpoint_fn(struct conn *c, const char *target, const char *rest,
			 char *query, bool head);

static bool ep_ok(struct conn *c, const char *target, const char *rest,
		  char *query, bool head)
{
	(void)target, (void)rest, (void)query;
	respond_text(c, 200, NULL, head, "ok\n");
	return true;
}

static bool ep_delay(struct conn *c, const char *target, const char *rest,
		     char *query, bool head)
{
	char *end;
	double secs = strtod(rest, &end);

	(void)target, (void)query;
	if(*end || secs < 0 || secs > 3600) {
		respond_text(c, 400, NULL, head, "bad delay\n");
		return true;
	}
	c->delay_secs = secs;
	ev_timer_set(&c->delay, secs, 0.);
	ev_timer_start(c->srv->loop, &c->delay);
	return true;
}

static bool ep_status(struct conn *c, const char *target, const char *rest,
		      char *query, bool head)
{
	char *ra = query_param(query, "retry-after"), *hdr = NULL, *end;
	long code = strtol(rest, &end, 10);

	(void)target;
	if(ra && asprintf(&hdr, "Retry-After: %s\r\n", ra) < 0)
		hdr = NULL;
	if(*end || code < 100 || code > 999)
		respond_text(c, 400, NULL, head, "bad status\n");
	else
		respond_text(c, (int)code, hdr, head, "status %ld\n", code);
	free(ra);
	free(hdr);
	return true;
}

/* /set-cookie/NAME=VALUE: a cookie for the whole host. */
static bool ep_set_cookie(struct conn *c, const char *target, const char *rest,
			  char *query, bool head)
{
	char *hdr = NULL;

	(void)target, (void)query;
	if(!strchr(rest, '=') || strpbrk(rest, "\r\n;") ||
	   asprintf(&hdr, "Set-Cookie: %s; Path=/\r\n", rest) < 0)
		return false;
	respond_text(c, 200, hdr, head, "cookie set\n");
	free(hdr);
	return true;
}

static bool ep_bytes(struct conn *c, const char *target, const char *rest,
		     char *query, bool head)
{
	char *end;
	unsigned long long n = strtoull(rest, &end, 10);

	(void)target, (void)query;
	if(*end)
		respond_text(c, 400, NULL, head, "bad size\n");
	else
		respond(c, 200, "application/octet-stream", NULL, NULL, 0, n, head);
	return true;
}

static bool ep_redirect(struct conn *c, const char *target, const char *rest,
			char *query, bool head)
{
	char loc[64], *end;
	long n = strtol(rest, &end, 10);

	(void)target, (void)query;
	if(*end || n < 0) {
		respond_text(c, 400, NULL, head, "bad count\n");
	} else if(n == 0) {
		respond_text(c, 200, NULL, head, "redirected\n");
	} else {
		snprintf(loc, sizeof(loc), "Location: /redirect/%ld\r\n", n - 1);
		respond_text(c, 302, loc, head, "redirect\n");
	}
	return true;
}

static bool ep_redirect_to(struct conn *c, const char *target, const char *rest,
			   char *query, bool head)
{
	char *url = query_param(query, "url");
	char *st = query_param(query, "status");
	char *dl = query_param(query, "delay");
	char *loc = NULL;
	long code = st ? strtol(st, NULL, 10) : 302;

	(void)target, (void)rest;
	if(!url || asprintf(&loc, "Location: %s\r\n", url) < 0) {
		loc = NULL;
		respond_text(c, 400, NULL, head, "no url\n");
	} else if(dl) {
		c->delayed_code = (int)code;
		c->delayed_extra = loc;
		loc = NULL;
		ev_timer_set(&c->delay, strtod(dl, NULL), 0.);
		ev_timer_start(c->srv->loop, &c->delay);
	} else {
		respond_text(c, (int)code, loc, head, "redirect\n");
	}
	free(url);
	free(st);
	free(dl);
	free(loc);
	return true;
}

static bool ep_links(struct conn *c, const char *target, const char *rest,
		     char *query, bool head)
{
	long n, i;

	(void)target, (void)query;
	if(sscanf(rest, "%ld/%ld", &n, &i) != 2 || n < 0 || n > 10000)
		return false;
	respond_links(c, n, i, head);
	return true;
}

static bool ep_farm(struct conn *c, const char *target, const char *rest,
		    char *query, bool head)
{
	long n;
	unsigned long long id;
	char *delay = query_param(query, "delay");
	double secs = delay ? strtod(delay, NULL) : 0;

	(void)target;
	free(delay);
	if(sscanf(rest, "%ld/%llu", &n, &id) != 2 || n <= 0 || n > 10000)
		return false;
	if(secs > 0 && secs <= 60) {    /* answered after secs */
		c->farm_n = n;
		c->farm_id = id;
		c->delay_secs = secs;
		ev_timer_set(&c->delay, secs, 0.);
		ev_timer_start(c->srv->loop, &c->delay);
		return true;
	}
	respond_farm(c, n, id, 0, head);
	return true;
}

static bool ep_sitemaps(struct conn *c, const char *target, const char *rest,
			char *query, bool head)
{
	long depth, id;
	double n;

	(void)target, (void)query;
	if(sscanf(rest, "%ld/%ld/%lf", &depth, &id, &n) != 3 || depth < 0 ||
	   n <= 0 || n > 50000)
		return false;
	respond_sitemaps(c, depth, id, (long)n, head);
	return true;
}

static bool ep_drip(struct conn *c, const char *target, const char *rest,
		    char *query, bool head)
{
	long n;
	double secs;
	char *hdr = NULL;

	(void)target, (void)query, (void)head;
	if(sscanf(rest, "%ld/%lf", &n, &secs) != 2 || n <= 0 || secs <= 0)
		return false;
	if(asprintf(&hdr, "HTTP/1.1 200 OK\r\nContent-Type: application/"
		    "octet-stream\r\nContent-Length: %ld\r\n\r\n", n) < 0)
		return true;
	c->keepalive = false;
	c->out = hdr;
	c->outlen = strlen(hdr);
	c->outoff = 0;
	c->gen_left = 0;
	c->drip_left = n;
	ev_timer_set(&c->delay, secs / (double)n, secs / (double)n);
	ev_timer_start(c->srv->loop, &c->delay);
	ev_io_start(c->srv->loop, &c->wio);
	return true;
}

static bool ep_page(struct conn *c, const char *target, const char *rest,
		    char *query, bool head)
{
	(void)rest, (void)query;
	respond_text(c, 200, NULL, head, "page %.400s\n", target);
	return true;
}

static bool ep_echo_headers(struct conn *c, const char *target,
			    const char *rest, char *query, bool head)
{
	const char *hdrs = strstr(c->in, "\r\n") + 2;

	(void)target, (void)rest, (void)query;
	respond(c, 200, "text/plain", NULL, hdrs,
		c->head_len - (size_t)(hdrs - c->in) - 2, 0, head);
	return true;
}

static bool ep_raw(struct conn *c, const char *target, const char *rest,
		   char *query, bool head)
{
	(void)target, (void)head;
	return respond_raw(c, rest, query && strstr(query, "bytewise"));
}

static bool ep_limit(struct conn *c, const char *target, const char *rest,
		     char *query, bool head)
{
	long n;

	(void)target;
	if(sscanf(rest, "%ld", &n) != 1 || n <= 0)
		return false;
	respond_limit(c, n, query, head);
	return true;
}

static bool ep_flaky(struct conn *c, const char *target, const char *rest,
		     char *query, bool head)
{
	char key[64];
	long n;

	(void)target;
	if(sscanf(rest, "%63[^/]/%ld", key, &n) != 2)
		return false;
	respond_flaky(c, key, n, query, head);
	return true;
}

static bool ep_gzip_bomb(struct conn *c, const char *target, const char *rest,
			 char *query, bool head)
{
	long mib;

	(void)target, (void)query;
	if(sscanf(rest, "%ld", &mib) != 1 || mib <= 0 || mib > 1024)
		return false;
	respond_gzip_bomb(c, mib, head);
	return true;
}

static bool ep_big_header(struct conn *c, const char *target, const char *rest,
			  char *query, bool head)
{
	long n;
	char *extra;

	(void)target, (void)query;
	if(sscanf(rest, "%ld", &n) != 1 || n <= 0 || n > 4 << 20 ||
	   !(extra = malloc((size_t)n + 16)))
		return false;
	memcpy(extra, "X-Big: ", 7);
	memset(extra + 7, 'b', (size_t)n);
	memcpy(extra + 7 + n, "\r\n", 3);
	respond_text(c, 200, extra, head, "big header\n");
	free(extra);
	return true;
}

static bool ep_many_headers(struct conn *c, const char *target,
			    const char *rest, char *query, bool head)
{
	long n;
	char *extra;
	size_t len = 0;

	(void)target, (void)query;
	if(sscanf(rest, "%ld", &n) != 1 || n <= 0 || n > 100000 ||
	   !(extra = malloc((size_t)n * 16 + 1)))
		return false;
	extra[0] = '\0';
	for(long i = 0; i < n; i++)
		len += (size_t)sprintf(extra + len, "X-H%ld: v\r\n", i % 100000);
	respond_text(c, 200, extra, head, "many headers\n");
	free(extra);
	return true;
}

static bool ep_loop(struct conn *c, const char *target, const char *rest,
		    char *query, bool head)
{
	char loc[64];
	long i;

	(void)target, (void)query;
	if(sscanf(rest, "%ld", &i) != 1)
		return false;
	snprintf(loc, sizeof(loc), "Location: /loop/%ld\r\n", (i + 1) % 3);
	respond_text(c, 302, loc, head, "loop\n");
	return true;
}

static bool ep_stats(struct conn *c, const char *target, const char *rest,
		     char *query, bool head)
{
	(void)target, (void)rest, (void)query;
	respond_text(c, 200, NULL, head, "max_inflight %d\nlimited %lu\nrobots %lu\n",
		     c->srv->max_inflight, c->srv->limited, c->srv->robots);
	return true;
}

/* The endpoints: a path ending in '/' is a prefix, any other is exact. */
static const struct endpoint {
	const char *path;
	endpoint_fn *fn;
} endpoints[] = {
	{ "/get", ep_ok },                 { "/delay/", ep_delay },
	{ "/status/", ep_status },         { "/bytes/", ep_bytes },
	{ "/redirect/", ep_redirect },     { "/redirect-to", ep_redirect_to },
	{ "/links/", ep_links },           { "/farm/", ep_farm },
	{ "/sitemaps/", ep_sitemaps },     { "/drip/", ep_drip },
	{ "/page/", ep_page },             { "/echo-headers", ep_echo_headers },
	{ "/raw/", ep_raw },               { "/flaky/", ep_flaky },
	{ "/gzip-bomb/", ep_gzip_bomb },   { "/big-header/", ep_big_header },
	{ "/many-headers/", ep_many_headers }, { "/loop/", ep_loop },
	{ "/stats", ep_stats },            { "/limit/", ep_limit },
	{ "/set-cookie/", ep_set_cookie },
};

/* The endpoint of target, and in *rest what follows its prefix. */
static const struct endpoint *endpoint_of(const char *target, const char **rest)
{
	for(size_t i = 0; i < sizeof(endpoints) / sizeof(endpoints[0]); i++) {
		const char *p = endpoints[i].path;
		size_t n = strlen(p);

		if(p[n - 1] == '/' ? strncmp(target, p, n) == 0 : strcmp(target, p) == 0) {
			*rest = target + n;
			return &endpoints[i];
		}
	}
	return NULL;
}

void route(struct conn *c, const char *method, char *target)
{
	bool head = strcmp(method, "HEAD") == 0;
	const struct endpoint *ep;
	const char *rest = "";
	char *query;

	if(strncmp(target, "http://", 7) == 0) {
		/* Absolute form: we are asked as a proxy; answer as the origin. */
		char *path = strchr(target + 7, '/');

		target = path ? path : "/";
	}
	query = strchr(target, '?');
	if(query)
		*query++ = '\0';
	if(strcmp(target, "/") == 0 && !c->srv->docroot) {
		ep_ok(c, target, rest, query, head);
		return;
	}
	if(strcmp(target, "/robots.txt") == 0)
		c->srv->robots++;
	if(c->srv->robots_raw && strcmp(target, "/robots.txt") == 0 &&
	   ep_raw(c, target, c->srv->robots_raw, query, head))
		return;
	ep = endpoint_of(target, &rest);
	if(ep && ep->fn(c, target, rest, query, head))
		return;
	if(!respond_file(c, target, query, head))
		respond_text(c, 404, NULL, head, "not found\n");
}
