/*
 * fetch.h - concurrent transfers on the hub: curl multi-socket, c-ares, and
 * a free list of easy handles.
 *
 * Flow: pool -> fetch_start(record) -> dns -> multi -> redirects ->
 *       done(arg) -> pool_done.
 */
#ifndef GF_FETCH_H
#define GF_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "record.h"

struct ev_loop;
struct fetch;

/* The record is final. Called exactly once per fetch_start(), possibly
 * before fetch_start() returns. */
typedef void (*fetch_done_fn)(void *arg);

/* Set up and tear down libcurl and c-ares, once per process. */
int fetch_global_init(void);
void fetch_global_cleanup(void);

/* "libcurl 7.88.1 (OpenSSL/3.0.x)\nc-ares 1.18.1" in buf. */
const char *fetch_versions(char *buf, size_t size);

struct pool;

/* Transfers on loop, holding slots of pool (parked while they wait for a
 * host, a rate or a retry; pool NULL: they keep their slots). NULL and a message in *error when curl or
 * c-ares cannot start. */
struct fetch *fetch_new(struct ev_loop *loop, const struct gf_config *cfg,
			struct pool *pool, const char **error);
/* Transfers still running end as failed ("interrupted"), each with its
 * done callback, before the resources go. */
void fetch_free(struct fetch *f);

/* Fetch rec->url, filling rec; the body goes to body (NULL = nowhere). */
void fetch_start(struct fetch *f, struct gf_record *rec, struct gf_body *body,
		 fetch_done_fn done, void *arg);

/* The same with other options (a robots.txt, a sitemap): cfg must outlive
 * the transfer. */
void fetch_start_with(struct fetch *f, const struct gf_config *cfg,
		      struct gf_record *rec, struct gf_body *body,
		      fetch_done_fn done, void *arg);

/* No more fetch_start() will come (for a fetch without a pool; with one,
 * the pool's input tells): idle connections and spare easy handles beyond
 * what the running transfers can use go as each transfer ends. */
void fetch_drain(struct fetch *f);

/* Space requests to host at least secs apart (a Crawl-delay). */
void fetch_host_delay(struct fetch *f, const char *host, double secs);

#endif
