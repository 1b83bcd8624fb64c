/*
 * robots.h - robots.txt as RFC 9309 reads it.
 *
 * Flow: robots.txt body -> robots_parse -> robots_allowed(path) before a
 * page of that origin is fetched.
 *
 * The groups whose user-agent equals our product token (case-insensitive)
 * apply, merged; else the "*" groups; else everything is allowed. Of the
 * allow and disallow rules that match a path, the longest wins and allow
 * wins a tie; "*" matches any run of characters, "$" at the end anchors.
 * Paths and rules are compared with percent-encoding made canonical
 * (unreserved characters decoded, other escapes in upper case, non-ASCII
 * bytes encoded). Crawl-delay and Sitemap lines are kept.
 */
#ifndef GF_ROBOTS_H
#define GF_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

#define ROBOTS_MAX_SIZE (500 * 1024)  /* bytes of robots.txt parsed */
#define ROBOTS_MAX_DELAY 60.0         /* a longer Crawl-delay counts as this */

struct robots;

/* Rules for agent from text (at most ROBOTS_MAX_SIZE bytes are read). */
struct robots *robots_parse(const char *text, size_t len, const char *agent);

/* Rules that allow (or disallow) everything: for a 4xx, or a 5xx or an
 * unreachable server. */
struct robots *robots_all(bool allow);
void robots_free(struct robots *r);

/* May the path (with its query) be fetched? */
bool robots_allowed(const struct robots *r, const char *path);

/* Crawl-delay of the group that applies, in seconds (at most
 * ROBOTS_MAX_DELAY); < 0 when none. */
double robots_crawl_delay(const struct robots *r);

/* The Sitemap lines, in order. */
size_t robots_sitemaps(const struct robots *r);
const char *robots_sitemap(const struct robots *r, size_t i);

/* The product token of a User-Agent value: "greenfetch/1.0 (x)" gives
 * "greenfetch" (new string). */
char *robots_token(const char *user_agent);

/* Do robots directives forbid following a page's links? directives is
 * the content of a <meta name=robots> or an X-Robots-Tag value: comma-
 * separated, "nofollow" or "none" forbid; in a header a directive may be
 * for one crawler ("otherbot: nofollow"), and then counts only when it
 * names agent (our product token). NULL or "" forbids nothing. */
bool robots_nofollow(const char *directives, const char *agent);

#endif
