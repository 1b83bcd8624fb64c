/*
 * sitemap.h - the URLs of a sitemap (sitemaps.org), plain or gzip, parsed
 * with libxml2: <urlset><url><loc> pages, or a <sitemapindex> of further
 * sitemaps.
 *
 * Flow: sitemap body -> sitemap_parse -> frontier (pages) or more sitemap
 * fetches (an index).
 */
#ifndef GF_SITEMAP_H
#define GF_SITEMAP_H

#include <stdbool.h>
#include <stddef.h>

#define SITEMAP_MAX_SIZE (50 << 20)   /* bytes of a sitemap, decoded */

struct sitemap {
	char **loc;                   /* the <loc> values, in order */
	size_t n;
	bool index;                   /* they are sitemaps, not pages */
};

/* Parse body (gzip is recognised by its magic bytes). False when it is not
 * a sitemap. */
bool sitemap_parse(struct sitemap *sm, const char *body, size_t len);
void sitemap_release(struct sitemap *sm);

#endif
