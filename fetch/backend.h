/*
 * backend.h - the transfer backend: where the tries of a run are done.
 * One interface, three ways: curl multi on the hub (fetch.h), hub threads
 * (-j, hubs.h), one at a time blocking (--serial, serial.h). The job path
 * above it (pool, waits, output) is the same for all three.
 *
 * Flow: pool -> run -> backend_start -> [one of the three] ->
 *       done(arg, retry) -> pool_tried.
 */
#ifndef GF_BACKEND_H
#define GF_BACKEND_H

#include <stdbool.h>

#include "config.h"
#include "record.h"

struct hub;
struct backend;

/* The try is over: retry < 0, the record is final; else the URL should be
 * tried again after retry seconds (the record is set for it). */
typedef void (*backend_done_fn)(void *arg, double retry);

struct backend_hooks {
	struct gf_log *log;           /* -v lines, NULL = none */
	/* --serial: is a blocking transfer to end now ("interrupted")? */
	bool (*stop)(void *arg);
	void *stop_arg;
};

/* The backend cfg asks for, on hub. NULL and a message in *error when it
 * cannot start (a message starting with '-' names a bad option). */
struct backend *backend_new(struct hub *hub, const struct gf_config *cfg,
			    const struct backend_hooks *hooks, const char **error);
/* Tries still running end as "interrupted", each with its done callback. */
void backend_free(struct backend *b);

/* A try of rec->url with cfg (NULL: the backend's own), its body to body
 * (NULL = nowhere). done may run before this returns (always, --serial). */
void backend_start(struct backend *b, const struct gf_config *cfg,
		   struct gf_record *rec, struct gf_body *body,
		   backend_done_fn done, void *arg);

/* No more tries will be started: what the running ones cannot use goes. */
void backend_drain(struct backend *b);

/* What a record's exit code means, in curl's words. */
const char *backend_error_name(int exitcode);

#endif
