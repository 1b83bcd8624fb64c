/*
 * serial.h - the --serial backend: tries one at a time, blocking in
 * curl_easy_perform() with curl's own resolver. It shows what a program
 * that waits on every URL costs, and writes the same records as fetch.h:
 * the job path above it (pool, waits, output) is the same.
 */
#ifndef GF_SERIAL_H
#define GF_SERIAL_H

#include <stdbool.h>

#include "config.h"
#include "record.h"

struct serial;
struct gf_log;

/* stop(arg) is asked now and then during a transfer: true ends it
 * ("interrupted"). */
struct serial *serial_new(const struct gf_config *cfg, struct gf_log *log,
			  bool (*stop)(void *arg), void *arg);
void serial_free(struct serial *s);

/* A try of rec->url with cfg (NULL: the serial's own), returning when it
 * is done: the wait before the next try, or < 0 when the record is final.
 * The body goes to body (NULL = nowhere). */
double serial_try(struct serial *s, const struct gf_config *cfg,
		  struct gf_record *rec, struct gf_body *body);

#endif
