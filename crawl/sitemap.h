/*
 * sitemap.h - the URLs of a sitemap (sitemaps.org), plain or gzip, read
 * as it streams in: libxml2's SAX push parser behind zlib, no tree.
 *
 * Flow: sitemap body -> sitemap_feed -> (at release) frontier: pages, or
 * in a <sitemapindex> further sitemaps.
 *
 * Bounded whatever the file holds: at most SITEMAP_MAX_URLS locations of
 * SITEMAP_MAX_LOC bytes each, from at most SITEMAP_MAX_SIZE bytes decoded
 * (the protocol's limits); past them sitemap_feed() says to stop, and
 * what was read counts. Memory is the locations kept and the parser's
 * small window, not the file.
 */
#ifndef GF_SITEMAP_H
#define GF_SITEMAP_H

#include <stdbool.h>
#include <stddef.h>

#define SITEMAP_MAX_SIZE (50 << 20)   /* bytes of a sitemap, decoded */
#define SITEMAP_MAX_URLS 50000        /* locations of one sitemap */
#define SITEMAP_MAX_LOC  4096         /* bytes of one location */

struct sitemap;

struct sitemap *sitemap_new(void);
void sitemap_free(struct sitemap *sm);

/* The next bytes of the body (gzip is known by its first bytes). False:
 * read no more (a cap was reached, or it is no sitemap). */
bool sitemap_feed(struct sitemap *sm, const char *data, size_t len);

/* The body is over. */
void sitemap_finish(struct sitemap *sm);

/* Was it a sitemap (a <urlset> or <sitemapindex> root)? */
bool sitemap_valid(const struct sitemap *sm);

/* Are its locations sitemaps (an index), not pages? */
bool sitemap_is_index(const struct sitemap *sm);

size_t sitemap_count(const struct sitemap *sm);
const char *sitemap_loc(const struct sitemap *sm, size_t i);

/* Did a cap cut it short? */
bool sitemap_truncated(const struct sitemap *sm);

#endif
