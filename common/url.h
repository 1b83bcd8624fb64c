/*
 * url.h - the URL module: what every part of greenfetch needs to know about
 * URLs without asking libcurl.
 *
 * Flow: any string shown to the user (records, -v, errors) -> url_mask.
 */
#ifndef GF_URL_H
#define GF_URL_H

#include <stddef.h>

/* Where, in s, the password of the first URL with one ("scheme://user:
 * PASSWORD@host") starts, and how long it is; NULL when s has none. */
const char *url_find_password(const char *s, size_t *len);

/* s with the password of every URL in it replaced by "***", as a new
 * string; NULL when s has none (or out of memory: then the caller shows
 * nothing of s rather than the password). */
char *url_mask(const char *s, int *oom);

#endif
