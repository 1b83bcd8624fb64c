/*
 * out.h - records to text or JSON Lines, in the order the pile releases them.
 *
 * Flow: pile -> out -> stdout.
 *
 * Text: STATUS \t BYTES \t SECONDS \t URL, then \t ERROR when the URL failed.
 * JSON: {"index","url","effective_url","status","bytes","time","redirects",
 * "error"}. Whatever a server or an input line put in a string is made safe
 * to print: control characters and bytes that are not UTF-8 are escaped in
 * text (\xNN) and JSON (\u00NN, U+FFFD), so a record is always one line and
 * JSON always parses.
 */
#ifndef GF_OUT_H
#define GF_OUT_H

#include <stdio.h>

#include "config.h"
#include "record.h"

/* Write one record to fp in the given format. */
void out_format(FILE *fp, enum gf_format format, const struct gf_record *rec);

/* Write s as the body of a JSON string (no quotes). */
void out_json_string(FILE *fp, const char *s);

/* Write s with control characters and non-UTF-8 bytes as \xNN. */
void out_text_string(FILE *fp, const char *s);

/* Write a record to stdout: GF_OK, GF_EPIPE (the reader is gone) or GF_EIO. */
int out_record(enum gf_format format, const struct gf_record *rec);

/* Flush stdout: GF_OK, GF_EPIPE or GF_EIO. */
int out_flush(void);

#endif
