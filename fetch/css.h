/*
 * css.h - the URLs a style sheet loads, as it streams: url(...) (quoted
 * or not) and @import "...", as CSS Syntax Level 3 tokenizes them, so
 * that none is found inside a comment, a string or a longer name
 * ("myurl(") and escapes (\2f, \)) are decoded. The same URLs whatever
 * the pieces the sheet comes in; memory is fixed (a URL longer than
 * CSS_URL_MAX is dropped).
 *
 * Flow: fetch (body bytes, <style> text, style="" values) -> css -> links.
 */
#ifndef GF_CSS_H
#define GF_CSS_H

#include <stddef.h>

#define CSS_URL_MAX 8192              /* bytes kept of one URL */

struct css;

/* Each URL found, as decoded (UTF-8, not NUL-terminated); where it is
 * written in the input (offsets from the first byte fed: within its
 * quotes, or what url( and ) hold but spaces) and its quote ('"', '\''
 * or 0 for a url( without). */
typedef void css_url_fn(void *ctx, const char *url, size_t len,
			size_t start, size_t end, char quote);

struct css *css_new(css_url_fn *fn, void *ctx);
void css_free(struct css *c);

/* Start again, as for a new sheet. */
void css_reset(struct css *c);

/* The next bytes of the sheet. */
void css_feed(struct css *c, const char *data, size_t len);

/* The sheet is over: a url( left open by its end still counts, as CSS
 * says. */
void css_finish(struct css *c);

#endif
