/*
 * since.h - --since FILE: the validators (ETag, Last-Modified) an earlier
 * run's journal or --json output has for each URL, so that a URL is
 * asked for again only if it changed; and, from a journal of a crawl, the
 * links an unchanged page led to, so that a crawl goes on through it.
 *
 * Flow: FILE -> since -> job (the record's if_etag, if_modified,
 *       since_links) -> fetch (If-None-Match, If-Modified-Since).
 *
 * Only URLs that were not redirected and succeeded are kept: their
 * validators belong to them. Memory: the URLs' fingerprints and the
 * validators (and links) as strings, like the input they come from.
 */
#ifndef GF_SINCE_H
#define GF_SINCE_H

#include <stdbool.h>
#include <stddef.h>

struct since;

struct since_entry {
	const char *etag;             /* NULL = none */
	const char *last_modified;    /* NULL = none */
	const char *links;            /* '\n'-joined, NULL = not known */
};

/* Read FILE. NULL with a message in err (out of memory: err empty). */
struct since *since_new(const char *path, char *err, size_t errlen);
void since_free(struct since *s);

/* What FILE has for url, NULL = nothing. Valid as long as s. */
const struct since_entry *since_find(const struct since *s, const char *url);

/* URLs FILE has validators for. */
size_t since_count(const struct since *s);

#endif
