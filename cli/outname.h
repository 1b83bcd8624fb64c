/*
 * outname.h - safe file names for -o DIR, from a URL's parts (like
 * wget -x: HOST[:PORT]/PATH) or from an --output-template.
 *
 * Flow: input line -> outname -> body (files under DIR).
 *
 * A name is always relative and stays inside DIR: no empty, "." or ".."
 * segment ("..", never decoded from %2e%2e, becomes "%2E%2E"), no control
 * characters or backslashes (written %XX), no segment over
 * OUTNAME_MAX_SEGMENT bytes and no name over OUTNAME_MAX bytes (shortened
 * with a hash). A query gets a stable suffix from its hash; a name already
 * used in the run gets -2, -3, ... before its extension. A name needed as a
 * directory after a file took it is NAME.d (/a, then /a/b: a and a.d/b); a
 * file whose name is a directory already goes inside it as index.html (/a/b,
 * then /a: a/b and a/index.html). All is decided when a name is given, in
 * the run's order, so the same run names the same files. The names given
 * are kept as fingerprints: 16 bytes or so each.
 */
#ifndef GF_OUTNAME_H
#define GF_OUTNAME_H

#include <stdint.h>

#define OUTNAME_MAX_SEGMENT 200       /* bytes of one path segment */
#define OUTNAME_MAX 1000              /* bytes of a whole name */

struct outnames;

struct outnames *outnames_new(void);
void outnames_free(struct outnames *set);

/* The name for a URL's parts (port "" = default), or NULL when out of
 * memory. */
char *outname_for_url(struct outnames *set, const char *host, const char *port,
		      const char *path, const char *query);

/* The name from a template with {index}, {host} and {name} (the last path
 * segment, as outname_for_url would name it). */
char *outname_for_template(struct outnames *set, const char *tmpl,
			   uint64_t index, const char *host, const char *port,
			   const char *path, const char *query);

#endif
