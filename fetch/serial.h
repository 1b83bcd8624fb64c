/*
 * serial.h - the --serial path: the same transfers, one at a time, blocking
 * in curl_easy_perform() with curl's own resolver. It shows what a program
 * that waits on every URL costs, and writes the same records as fetch.h.
 */
#ifndef GF_SERIAL_H
#define GF_SERIAL_H

#include "config.h"
#include "record.h"

struct serial;

struct serial *serial_new(const struct gf_config *cfg);
void serial_free(struct serial *s);

/* Fetch rec->url into rec, returning when it is done. */
void serial_fetch(struct serial *s, struct gf_record *rec);

#endif
