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

/* Write one record to fp: text or JSON Lines (with its newline). */
void out_format(FILE *fp, enum gf_format format, const struct gf_record *rec);

/* Write rec as one JSON object, without a newline. */
void out_json(FILE *fp, const struct gf_record *rec);

/* Write s as the body of a JSON string (no quotes). */
void out_json_string(FILE *fp, const char *s);

/* Write s with control characters and non-UTF-8 bytes as \xNN. */
void out_text_string(FILE *fp, const char *s);

struct out;

/* The record sink of a run: stdout, or with --body stderr (when --json or
 * -w asked for records) or nowhere. NULL and a message in err when the -w
 * template is bad. */
struct out *out_new(const struct gf_config *cfg, char *err, size_t errlen);
void out_free(struct out *out);

/* Write a record: GF_OK, GF_EPIPE (the reader is gone) or GF_EIO. */
int out_record(struct out *out, const struct gf_record *rec);

/* Flush records and bodies: GF_OK, GF_EPIPE or GF_EIO. */
int out_flush(struct out *out);

#endif
