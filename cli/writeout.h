/*
 * writeout.h - curl-style -w templates: "%{http_code} %{url}\n".
 *
 * Flow: pile -> out -> writeout -> stdout.
 *
 * A template is compiled once into a list of pieces (literal text or a
 * variable), so formatting a record is a walk over that list. Variables
 * are a sorted table, as in curl's tool_writeout.c. Values are made safe to
 * print (control characters as \xNN); the template's own text is written
 * as given, after its \n, \t, \r, \\ and %% escapes.
 */
#ifndef GF_WRITEOUT_H
#define GF_WRITEOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "record.h"

struct writeout;

/* Compile fmt. On a bad template returns NULL with a message in err (for
 * an unknown variable it names it); NULL with err empty = out of memory. */
struct writeout *writeout_new(const char *fmt, char *err, size_t errlen);
void writeout_free(struct writeout *wo);

/* Does the template use %{header{...}} (so headers must be kept)? */
bool writeout_needs_headers(const struct writeout *wo);

/* Write rec through the template. */
void writeout_format(const struct writeout *wo, FILE *fp,
		     const struct gf_record *rec);

/* The -w argument as a template: "@file" reads it from a file. Returns a
 * new string or NULL with a message in err. */
char *writeout_load(const char *arg, char *err, size_t errlen);

#endif
