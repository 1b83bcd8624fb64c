/*
 * links.h - links found in an HTML body while it streams in, by the
 * tokenizer of html.h: no tree, no whole-page buffer, the same links
 * whatever the sizes of the pieces the body comes in.
 *
 * Flow: fetch (body bytes) -> links -> crawl (at release, in order).
 *
 * Found: a/area href, frame/iframe src, link href with rel next, prev,
 * alternate or canonical, <meta http-equiv=refresh>, the first <base
 * href>; with assets also link rel stylesheet, icon, preload,
 * modulepreload, manifest and search, img, source, video, audio, track,
 * embed, script and input type=image src, srcset and poster, object data,
 * and the url() and @import of <style> elements and style="" values (see
 * css.h).
 * Values come decoded (character references), with tabs and newlines
 * removed and spaces trimmed, as browsers take them, in UTF-8: the page's
 * encoding is its byte order mark, else the charset of its Content-Type,
 * else a <meta> charset in its first 1024 bytes, else UTF-8 when those
 * bytes are UTF-8 and windows-1252 when not. Links are kept as written
 * otherwise; the caller resolves them against links_base() or the page's
 * URL. At most LINKS_MAX per page, from its first LINKS_MAX_BYTES.
 */
#ifndef GF_LINKS_H
#define GF_LINKS_H

#include <stdbool.h>
#include <stddef.h>

#define LINKS_MAX 100000              /* links kept from one page */
#define LINKS_MAX_BYTES (32 << 20)    /* bytes of a page read for links */

struct links;

struct links *links_new(bool assets);
/* For a style sheet (text/css) rather than a page: its url() and
 * @import, with assets. */
struct links *links_new_sheet(void);
void links_free(struct links *l);

/* The Content-Type of the response, for its charset (before the first
 * bytes; NULL = none). */
void links_content_type(struct links *l, const char *content_type);

/* The next bytes of the page. */
void links_feed(struct links *l, const char *data, size_t len);

/* The page is over. */
void links_finish(struct links *l);

/* The links found so far, and link i (valid until more are fed). */
size_t links_count(const struct links *l);
const char *links_get(const struct links *l, size_t i);

/* The <base href> of the page, or NULL. */
const char *links_base(const struct links *l);

/* Where a link is written, for rewriting the page (links_track()). */
enum links_how {
	LINKS_VALUE,                  /* the whole of an attribute's value */
	LINKS_IN_VALUE,               /* a part of one (srcset, refresh, the
				       * CSS of style="") */
	LINKS_CSS                     /* a URL of CSS text: a <style>'s, or
				       * a sheet's */
};

struct links_where {
	enum links_how how;
	size_t start, end;            /* the bytes of the value (VALUE,
				       * IN_VALUE), of the URL (CSS) */
	char quote;                   /* their quote: '"', '\'' or 0 */
	size_t value;                 /* IN_VALUE: links_value() of this */
	size_t sub_start, sub_len;    /* IN_VALUE: the link in that value */
	char css_quote;               /* IN_VALUE in CSS: the URL's quote */
	bool css;                     /* IN_VALUE: the value is CSS */
};

/* Keep where each link is written (before the first bytes): offsets of
 * the bytes fed, which are the page's own but for UTF-16. */
void links_track(struct links *l);
const struct links_where *links_where(const struct links *l, size_t i);
/* Decoded attribute value v, that links IN_VALUE are parts of. */
const char *links_value(const struct links *l, size_t v);
/* Where the <base href> value is written (NULL: no base, or not kept). */
const struct links_where *links_base_where(const struct links *l);

/* The content of its <meta name=robots> elements, joined with ", ", or
 * NULL. */
const char *links_robots(const struct links *l);

/* The encoding the page was read in ("UTF-8", "windows-1252", ...). */
const char *links_charset(const struct links *l);

#endif
