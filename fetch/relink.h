/*
 * relink.h - a saved page or style sheet with its links turned to the
 * mirror, as wget --convert-links does: a link to a file that was saved
 * becomes that file's relative path (escaped so that a browser opens it
 * from file://: '%' is %25, '?' %3F, '#' %23), a link to one that was not
 * becomes the absolute URL; a fragment stays; anything else (a fragment
 * alone, mailto:, javascript:) is left as it is, and so is every other
 * byte of the file. A <base href> is emptied, so that the relative paths
 * hold.
 *
 * Flow: files under -o DIR (at the run's end) -> relink -> the same files.
 */
#ifndef GF_RELINK_H
#define GF_RELINK_H

#include <stddef.h>

/* The name under DIR saved for a URL in normal form, or NULL. */
typedef const char *relink_lookup_fn(void *ctx, const char *url);

/* The file data (len bytes) saved as name (under DIR) for url, of
 * Content-Type ctype (text/css: a sheet, else HTML), with its links
 * turned: new bytes (*out_len of them, free()), or NULL when nothing
 * changes or the page cannot be rewritten (UTF-16). */
char *relink(const char *data, size_t len, const char *url, const char *ctype,
	     const char *name, relink_lookup_fn *lookup, void *ctx,
	     size_t *out_len);

/* The relative reference from file from to file to (names under DIR),
 * escaped for a URL (new string). */
char *relink_path(const char *from, const char *to);

#endif
