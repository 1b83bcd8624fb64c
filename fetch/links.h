/*
 * links.h - links found in an HTML body while it streams in, with libxml2's
 * HTML push parser and a SAX start-element callback (no whole-page buffer,
 * no regex): the parser gets the page in blocks of 4 KiB, so the links do
 * not depend on how the network cut it.
 *
 * Flow: fetch (body bytes) -> links -> crawl (at release, in order).
 *
 * Found: a/area href, frame/iframe src, link href with rel next, prev,
 * alternate or canonical, <base href>, <meta http-equiv=refresh>; with
 * assets also link rel=stylesheet/icon href and img/script/source src and
 * srcset. Links are kept as written; the caller resolves them against
 * links_base() or the page's URL. At most LINKS_MAX per page.
 */
#ifndef GF_LINKS_H
#define GF_LINKS_H

#include <stdbool.h>
#include <stddef.h>

#define LINKS_MAX 100000              /* links kept from one page */

struct links;

struct links *links_new(bool assets);
void links_free(struct links *l);

/* The next bytes of the page. */
void links_feed(struct links *l, const char *data, size_t len);

/* The page is over. */
void links_finish(struct links *l);

size_t links_count(const struct links *l);
const char *links_get(const struct links *l, size_t i);

/* The <base href> of the page, or NULL. */
const char *links_base(const struct links *l);

#endif
