/*
 * format.h - a record as text, JSON, a --broken line or a -w template, and
 * the escaping every string of a record goes through.
 *
 * Flow: sink (records) -> format -> FILE.
 *
 * Text: STATUS \t BYTES \t SECONDS \t URL, then \t ERROR when the URL failed.
 * JSON: {"index","url","effective_url","status","bytes","time","redirects",
 * "error","file","attempts","etag","last_modified"}, "unchanged":true for
 * a 304 to --since's validators, and in a crawl "depth","parent","links".
 * --broken: STATUS \t URL \t PARENT \t ERROR.
 * -w: curl's template language, "%{http_code} %{url}\n": compiled once
 * into a list of pieces (literal text or a variable), so writing a record
 * is a walk over the list; variables are a sorted table, as in curl's
 * tool_writeout.c.
 *
 * Whatever a server or an input line put in a string is made safe to
 * print: control characters and bytes that are not UTF-8 are escaped in
 * text (\xNN) and JSON (\u00NN, U+FFFD), so a record is always one line and
 * JSON always parses. A password in a URL is shown as "***". A template's
 * own text is written as given, after its \n, \t, \r, \\ and %% escapes.
 */
#ifndef GF_FORMAT_H
#define GF_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "record.h"

/* Write s with control characters and non-UTF-8 bytes as \xNN. */
void format_text_string(FILE *fp, const char *s);

/* Write s as the body of a JSON string (no quotes). */
void format_json_string(FILE *fp, const char *s);

/* Write s as a JSON string, quoted, or null when s is NULL. */
void format_json_value(FILE *fp, const char *s);

/* Write rec as one JSON object, without a newline. */
void format_json(FILE *fp, const struct gf_record *rec);
/* The same, malloc'ed, with no newline; NULL when out of memory. */
char *format_json_alloc(const struct gf_record *rec);

struct format;

/* The format of records: kind, with tmpl for GF_FORMAT_WRITEOUT; broken
 * turns text records into --broken lines. On a bad template returns NULL
 * with a message in err (naming an unknown variable); NULL with err empty
 * = out of memory. */
struct format *format_new(enum gf_format kind, const char *tmpl, bool broken,
			  char *err, size_t errlen);
void format_free(struct format *f);

/* Write rec in the format (a text or JSON record ends with its newline; a
 * template writes what it says). */
void format_write(const struct format *f, FILE *fp, const struct gf_record *rec);

/* Does the format show response headers (%{header{...}}), so they must be
 * kept? */
bool format_needs_headers(const struct format *f);

/* The -w argument as a template: "@file" reads it from a file. Returns a
 * new string or NULL with a message in err. */
char *format_load_template(const char *arg, char *err, size_t errlen);

#endif
