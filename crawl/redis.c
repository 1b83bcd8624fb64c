/*
 * redis.c - one connection to Redis on a hub (see redis.h).
 */
#include "redis.h"

#include <ev.h>
#include <hiredis/adapters/libev.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "hub.h"

#define BACKOFF_MIN 0.1               /* seconds before connecting again */
#define BACKOFF_MAX 5.0

/* A command sent, waiting for its reply (replies come in order). */
struct pending {
	struct pending *next, *prev;
	struct gf_redis *r;
	gf_redis_fn fn;
	void *arg;
	double sent;                  /* ev_now() */
};

struct script {
	char *lua;
	char sha[41];                 /* its SHA-1, hex: EVALSHA's name */
};

struct gf_redis {
	struct ev_loop *loop;
	char host[256];
	int port, db;
	char name[300];
	redisAsyncContext *ac;        /* NULL while down */
	bool connected;               /* ac may take commands */
	struct pending head;          /* sent, oldest first (a ring) */
	ev_timer clock;               /* timeouts, then reconnection */
	double backoff;
	struct script script[GF_REDIS_SCRIPTS];
	int nscripts;
	void (*up_fn)(void *arg);
	void *up_arg;
	bool freeing;
	bool reset;                   /* gf_redis_reset(): a new connection */
};

/* ------------------------------------------------------ the address */

static bool parse_url(struct gf_redis *r, const char *url, char *err, size_t errlen)
{
	const char *p = url + strlen("redis://"), *colon, *slash;
	size_t n;

	if(strncmp(url, "redis://", 8) != 0) {
		snprintf(err, errlen, "--frontier %s: not a redis://HOST[:PORT][/DB] URL", url);
		return false;
	}
	slash = strchr(p, '/');
	n = slash ? (size_t)(slash - p) : strlen(p);
	colon = memchr(p, ':', n);
	r->port = colon ? atoi(colon + 1) : 6379;
	r->db = slash && slash[1] ? atoi(slash + 1) : 0;
	if(colon)
		n = (size_t)(colon - p);
	if(n == 0 || n >= sizeof(r->host) || r->port <= 0 || r->port > 65535 || r->db < 0) {
		snprintf(err, errlen, "--frontier %s: not a redis://HOST[:PORT][/DB] URL", url);
		return false;
	}
	memcpy(r->host, p, n);
	r->host[n] = '\0';
	snprintf(r->name, sizeof(r->name), "%s:%d", r->host, r->port);
	return true;
}

redisContext *gf_redis_blocking(struct gf_redis *r, char *err, size_t errlen)
{
	struct timeval tv = { .tv_sec = 2 };
	redisContext *c = redisConnectWithTimeout(r->host, r->port, tv);
	redisReply *reply;

	if(!c || c->err) {
		snprintf(err, errlen, "--frontier: cannot connect to Redis at %s: %s", r->name,
			 c ? c->errstr : "out of memory");
		redisFree(c);
		return NULL;
	}
	redisSetTimeout(c, (struct timeval){ .tv_sec = (long)GF_REDIS_TIMEOUT });
	reply = r->db ? redisCommand(c, "SELECT %d", r->db) : redisCommand(c, "PING");
	if(!reply || reply->type == REDIS_REPLY_ERROR) {
		snprintf(err, errlen, "--frontier: Redis at %s: %s", r->name,
			 reply ? reply->str : c->errstr);
		freeReplyObject(reply);
		redisFree(c);
		return NULL;
	}
	freeReplyObject(reply);
	return c;
}

/* ------------------------------------------------------ the commands */

static void pending_unlink(struct pending *p)
{
	p->prev->next = p->next;
	p->next->prev = p->prev;
}

static void reply_cb(redisAsyncContext *ac, void *reply, void *arg)
{
	struct pending *p = arg;

	(void)ac;
	if(!reply)
		p->r->connected = false;      /* the context is going away */
	pending_unlink(p);
	if(p->fn)
		p->fn(p->arg, reply);
	free(p);
}

static bool send_argv(struct gf_redis *r, int argc, const char **argv,
		      const size_t *len, gf_redis_fn fn, void *arg)
{
	struct pending *p;

	if(!r->connected || !(p = malloc(sizeof(*p))))
		return false;
	*p = (struct pending){ .r = r, .fn = fn, .arg = arg, .sent = ev_now(r->loop) };
	if(redisAsyncCommandArgv(r->ac, reply_cb, p, argc, argv, len) != REDIS_OK) {
		free(p);
		return false;
	}
	p->prev = r->head.prev;
	p->next = &r->head;
	r->head.prev->next = p;
	r->head.prev = p;
	return true;
}

bool gf_redis_command(struct gf_redis *r, int argc, const char **argv,
		      const size_t *len, gf_redis_fn fn, void *arg)
{
	return send_argv(r, argc, argv, len, fn, arg);
}

bool gf_redis_eval(struct gf_redis *r, int script, int argc, const char **argv,
		   const size_t *len, gf_redis_fn fn, void *arg)
{
	const char **a = malloc((size_t)(argc + 3) * sizeof(*a));
	size_t *l = malloc((size_t)(argc + 3) * sizeof(*l));
	bool ok = a && l;

	if(ok) {
		a[0] = "EVALSHA", l[0] = 7;
		a[1] = r->script[script].sha, l[1] = 40;
		a[2] = "0", l[2] = 1;
		memcpy(a + 3, argv, (size_t)argc * sizeof(*a));
		memcpy(l + 3, len, (size_t)argc * sizeof(*l));
		ok = send_argv(r, argc + 3, a, l, fn, arg);
	}
	free(a);
	free(l);
	return ok;
}

/* ------------------------------------------------- the connection */

static void connect_async(struct gf_redis *r);

/* Down: try again after the backoff, doubled each time. */
static void down(struct gf_redis *r)
{
	r->ac = NULL;
	r->connected = false;
	if(r->freeing)
		return;
	ev_timer_stop(r->loop, &r->clock);
	ev_timer_set(&r->clock, r->backoff, 0);
	ev_timer_start(r->loop, &r->clock);
	r->backoff = r->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : r->backoff * 2;
}

/* A script that would not load (a server still loading its data...):
 * a new connection loads them again. */
static void loaded_cb(void *arg, redisReply *reply)
{
	struct gf_redis *r = arg;

	if(reply && reply->type == REDIS_REPLY_ERROR) {
		fprintf(stderr, "greenfetch: --frontier: Redis at %s: %s\n", r->name, reply->str);
		gf_redis_reset(r);
	}
}

static void connect_cb(const redisAsyncContext *ac, int status)
{
	struct gf_redis *r = ac->data;
	char db[16];

	if(status != REDIS_OK) {
		down(r);                  /* hiredis frees ac */
		return;
	}
	r->connected = true;
	r->backoff = BACKOFF_MIN;
	if(r->db) {
		const char *argv[] = { "SELECT", db };
		size_t len[] = { 6, (size_t)snprintf(db, sizeof(db), "%d", r->db) };

		send_argv(r, 2, argv, len, loaded_cb, r);
	}
	for(int i = 0; i < r->nscripts; i++) {
		const char *argv[] = { "SCRIPT", "LOAD", r->script[i].lua };
		size_t len[] = { 6, 4, strlen(r->script[i].lua) };

		send_argv(r, 3, argv, len, loaded_cb, r);
	}
	r->reset = false;
	/* Timeouts are looked at each second while commands wait. */
	ev_timer_stop(r->loop, &r->clock);
	ev_timer_set(&r->clock, 1.0, 1.0);
	ev_timer_start(r->loop, &r->clock);
	if(r->up_fn)
		r->up_fn(r->up_arg);
}

static void disconnect_cb(const redisAsyncContext *ac, int status)
{
	(void)status;
	down(ac->data);
}

static void connect_async(struct gf_redis *r)
{
	redisAsyncContext *ac = redisAsyncConnect(r->host, r->port);

	/* The clock runs while connecting too: a connect that hangs is
	 * given up after GF_REDIS_TIMEOUT, like a reply. */
	ev_timer_stop(r->loop, &r->clock);
	ev_timer_set(&r->clock, GF_REDIS_TIMEOUT, 0);
	ev_timer_start(r->loop, &r->clock);

	if(!ac || ac->err || redisLibevAttach(r->loop, ac) != REDIS_OK) {
		if(ac)
			redisAsyncFree(ac);
		down(r);
		return;
	}
	ac->data = r;
	r->ac = ac;
	redisAsyncSetConnectCallback(ac, connect_cb);
	redisAsyncSetDisconnectCallback(ac, disconnect_cb);
}

/* Each second while up: a reply late past GF_REDIS_TIMEOUT means the
 * server is gone (or stalled): drop the connection, its commands fail.
 * While down: connect again. */
static void clock_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct gf_redis *r = w->data;

	(void)revents;
	if(!r->ac) {
		ev_timer_stop(loop, w);
		connect_async(r);
		return;
	}
	if(!r->connected) {               /* connecting for too long */
		redisAsyncContext *ac = r->ac;

		redisAsyncFree(ac);
		if(r->ac == ac)
			down(r);
		return;
	}
	if(r->reset || (r->head.next != &r->head &&
			ev_now(loop) - r->head.next->sent > GF_REDIS_TIMEOUT)) {
		redisAsyncContext *ac = r->ac;

		if(!r->reset)
			fprintf(stderr, "greenfetch: --frontier: Redis at %s did not answer "
				"for %g s: connecting again\n", r->name, GF_REDIS_TIMEOUT);
		r->reset = false;
		redisAsyncFree(ac);       /* replies NULL, then disconnect_cb */
		if(r->ac == ac)
			down(r);
	}
}

struct gf_redis *gf_redis_open(const char *url, char *err, size_t errlen)
{
	struct gf_redis *r = calloc(1, sizeof(*r));
	redisContext *c;

	if(!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if(!parse_url(r, url, err, errlen) || !(c = gf_redis_blocking(r, err, errlen))) {
		free(r);
		return NULL;
	}
	redisFree(c);
	r->head.next = r->head.prev = &r->head;
	r->backoff = BACKOFF_MIN;
	ev_init(&r->clock, clock_cb);
	r->clock.data = r;
	return r;
}

void gf_redis_attach(struct gf_redis *r, struct hub *hub)
{
	r->loop = hub_loop(hub);
	connect_async(r);
}

void gf_redis_free_async(struct gf_redis *r)
{
	r->freeing = true;
	if(r->loop)
		ev_timer_stop(r->loop, &r->clock);
	if(r->ac)
		redisAsyncFree(r->ac);    /* pending callbacks get NULL */
	r->ac = NULL;
	r->connected = false;
	r->loop = NULL;
}

void gf_redis_free(struct gf_redis *r)
{
	if(!r)
		return;
	gf_redis_free_async(r);
	for(int i = 0; i < r->nscripts; i++)
		free(r->script[i].lua);
	free(r);
}

int gf_redis_script(struct gf_redis *r, const char *lua)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	struct script *s;

	if(r->nscripts == GF_REDIS_SCRIPTS)
		abort();                  /* a programming error */
	s = &r->script[r->nscripts];
	if(!(s->lua = strdup(lua)) ||
	   !EVP_Digest(lua, strlen(lua), md, &n, EVP_sha1(), NULL))
		gf_oom();
	for(unsigned i = 0; i < n && i < 20; i++)
		snprintf(s->sha + 2 * i, 3, "%02x", md[i]);
	return r->nscripts++;
}

void gf_redis_on_up(struct gf_redis *r, void (*fn)(void *arg), void *arg)
{
	r->up_fn = fn;
	r->up_arg = arg;
}

void gf_redis_reset(struct gf_redis *r)
{
	r->reset = true;              /* the clock drops the connection */
}

bool gf_redis_up(const struct gf_redis *r)
{
	return r->connected;
}

const char *gf_redis_name(const struct gf_redis *r)
{
	return r->name;
}

struct redisReply *gf_redis_sync(struct gf_redis *r, int script, int argc,
				 const char **argv, const size_t *len)
{
	char err[512];
	redisContext *c = gf_redis_blocking(r, err, sizeof(err));
	const char **a = malloc((size_t)(argc + 3) * sizeof(*a));
	size_t *l = malloc((size_t)(argc + 3) * sizeof(*l));
	redisReply *reply = NULL;

	if(c && a && l) {
		a[0] = "EVAL", l[0] = 4;
		a[1] = r->script[script].lua, l[1] = strlen(a[1]);
		a[2] = "0", l[2] = 1;
		memcpy(a + 3, argv, (size_t)argc * sizeof(*a));
		memcpy(l + 3, len, (size_t)argc * sizeof(*l));
		reply = redisCommandArgv(c, argc + 3, a, l);
	} else if(!c) {
		fprintf(stderr, "greenfetch: %s\n", err);
	}
	free(a);
	free(l);
	redisFree(c);
	return reply;
}
