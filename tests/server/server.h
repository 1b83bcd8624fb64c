/*
 * server.h - the test server's parts: server.c (connections, responses,
 * main), routes.c (the endpoints), bodies.c (what they answer with), udp.c
 * (the UDP and DNS fakes).
 */
#ifndef GF_TESTSERVER_H
#define GF_TESTSERVER_H

#define _GNU_SOURCE
#include <ev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define REQ_MAX 16384                 /* request head size limit */

/* What a /raw answer does after its bytes. */
enum { RAW_KEEP, RAW_CLOSE, RAW_RESET, RAW_STALL };

struct server {
	struct ev_loop *loop;         /* the loop */
	ev_io accept_io;              /* the listening socket */
	FILE *log;                    /* request log, NULL = none */
	unsigned long conns;          /* connections accepted so far */
	int inflight;                 /* requests being answered now */
	int max_inflight;             /* the most at once so far */
	struct flaky *flaky;          /* /flaky counters */
	double limit_at[256];         /* /limit: times of the last answers */
	unsigned limit_n;             /* answers so far (200s) */
	unsigned long limited;        /* 429s sent */
	unsigned long robots;         /* requests for /robots.txt */
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
	long farm_n;                  /* a /farm page that waits, or 0 */
	unsigned long long farm_id;
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

/* server.c */
void conn_free(struct conn *c);
/* Queue a response: head plus either body (len bytes) or gen generated
 * bytes. */
void respond(struct conn *c, int code, const char *ctype, const char *extra,
	     const char *body, size_t len, unsigned long long gen, bool head_only);
void respond_text(struct conn *c, int code, const char *extra, bool head_only,
		  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* routes.c: answer the request whose head is in c->in[0..head_len); the
 * timer of a /delay or /drip request. */
void route(struct conn *c, const char *method, char *target);
void delay_cb(struct ev_loop *loop, ev_timer *w, int revents);

/* bodies.c: generated pages (/links, /sitemaps, /farm), /raw/NAME (false:
 * no such name), /gzip-bomb, /flaky, a file under -d (false: none). */
void respond_links(struct conn *c, long n, long i, bool head_only);
void respond_sitemaps(struct conn *c, long depth, long id, long n,
		      bool head_only);
void respond_farm(struct conn *c, long n, unsigned long long id, double delay,
		  bool head_only);
bool respond_raw(struct conn *c, const char *name, bool bytewise);
void respond_gzip_bomb(struct conn *c, long mib, bool head_only);
void respond_limit(struct conn *c, long n, const char *query, bool head_only);
void respond_flaky(struct conn *c, const char *key, long n, const char *query,
		   bool head_only);
bool respond_file(struct conn *c, const char *target, const char *query,
		  bool head_only);

/* udp.c: -u: a UDP port that never answers, or answers DNS queries with
 * SERVFAIL (servfail) or late (delay > 0). */
int udp_serve(const char *addr, int port, bool servfail, double delay);

/* The port a socket is bound to. */
int bound_port(int fd);

#endif
