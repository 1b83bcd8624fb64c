/*
 * serial.h - the --serial path: the same transfers, one at a time, blocking
 * in curl_easy_perform() with curl's own resolver. It shows what a program
 * that waits on every URL costs, and writes the same records as fetch.h.
 */
#ifndef GF_SERIAL_H
#define GF_SERIAL_H

#include <stdbool.h>

#include "config.h"
#include "record.h"

struct serial;

/* stop(arg) is asked now and then during a transfer: true ends it
 * ("interrupted"). */
struct serial *serial_new(const struct gf_config *cfg,
			  bool (*stop)(void *arg), void *arg);
void serial_free(struct serial *s);

/* Fetch rec->url into rec, returning when it is done; the body goes to
 * body (NULL = nowhere). */
void serial_fetch(struct serial *s, struct gf_record *rec, struct gf_body *body);

/* The same with other options (a robots.txt, a sitemap). */
void serial_fetch_with(struct serial *s, const struct gf_config *cfg,
		       struct gf_record *rec, struct gf_body *body);

/* Space requests at least secs apart (a Crawl-delay, one URL at a time). */
void serial_delay(struct serial *s, double secs);

#endif
