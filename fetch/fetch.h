/*
 * fetch.h - concurrent transfers on the hub: curl multi-socket, c-ares, and
 * a free list of easy handles.
 *
 * Flow: pool -> backend -> fetch_start(record) -> dns -> multi ->
 *       redirects -> done(arg, retry) -> pool_tried.
 */
#ifndef GF_FETCH_H
#define GF_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "record.h"

struct ev_loop;
struct fetch;
struct gf_log;

/* The try is over. retry < 0: the record is final; else the URL should be
 * tried again after retry seconds (the record is set for it). Called
 * exactly once per fetch_start(), possibly before fetch_start() returns. */
typedef void (*fetch_done_fn)(void *arg, double retry);

/* Set up and tear down libcurl and c-ares, once per process. */
int fetch_global_init(void);
void fetch_global_cleanup(void);

/* "libcurl 7.88.1 (OpenSSL/3.0.x)\nc-ares 1.18.1" in buf. */
const char *fetch_versions(char *buf, size_t size);

/* Tries on loop; -v lines to log (NULL = none). NULL and a message in
 * *error when curl or c-ares cannot start. */
struct fetch *fetch_new(struct ev_loop *loop, const struct gf_config *cfg,
			struct gf_log *log, const char **error);
/* Tries still running end as failed ("interrupted"), each with its done
 * callback, before the resources go. */
void fetch_free(struct fetch *f);

/* A try of rec->url with cfg (NULL: the fetch's own; a robots.txt has
 * other options, and cfg must outlive the try), filling rec; the body
 * goes to body (NULL = nowhere). */
void fetch_start(struct fetch *f, const struct gf_config *cfg,
		 struct gf_record *rec, struct gf_body *body,
		 fetch_done_fn done, void *arg);

/* No more fetch_start() will come: idle connections and spare easy
 * handles beyond what the running tries can use go as each try ends. */
void fetch_drain(struct fetch *f);

#endif
