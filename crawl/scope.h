/*
 * scope.h - which URLs a crawl follows, and the normal form of a URL.
 *
 * Flow: links (at release) -> url_resolve -> scope -> frontier.
 *
 * Every URL is compared in its normal form, made with libcurl's URL API:
 * scheme and host lower-cased, the scheme's default port dropped, dot
 * segments resolved, the fragment removed, an empty path made "/", the
 * query kept as it is. A scope is anchored to each seed: host (the seed's
 * host), domain (its registrable domain, by the Public Suffix List),
 * prefix (its scheme, host, port and directory), or any; then --include
 * and --exclude (POSIX extended regular expressions on the normal form).
 */
#ifndef GF_SCOPE_H
#define GF_SCOPE_H

#include <curl/curl.h>
#include <stdbool.h>
#include <stddef.h>

enum scope_mode {
	SCOPE_HOST,                   /* the seed's host (the default) */
	SCOPE_DOMAIN,                 /* the seed's registrable domain */
	SCOPE_PREFIX,                 /* under the seed's directory */
	SCOPE_ANY                     /* anywhere */
};

/* ref resolved against base (NULL: ref is absolute) in normal form, or
 * NULL when it is not an http or https URL. */
char *url_resolve(const char *base, const char *ref);

/* The same for many refs on one base: the base parsed once (NULL if it is
 * no URL; free with curl_url_cleanup), then each ref with its normal
 * host in *host when host is given (free both with free()). */
CURLU *url_base(const char *url);
char *url_resolve_at(CURLU *base, const char *ref, char **host);

struct scope;

/* NULL with a message in err when a regular expression is bad. */
struct scope *scope_new(enum scope_mode mode, const char **include,
			size_t ninclude, const char **exclude, size_t nexclude,
			char *err, size_t errlen);
void scope_free(struct scope *s);

/* Anchor a seed (a normal URL); returns its number, or -1 out of memory. */
long scope_add_seed(struct scope *s, const char *url);

/* Is url (normal form) within the scope of seed? */
bool scope_allows(const struct scope *s, long seed, const char *url);
/* The same when url's host is known already. */
bool scope_allows_host(const struct scope *s, long seed, const char *url,
		       const char *host);

/* "scheme://host:port" of a normal URL, for robots.txt (new string). */
char *url_origin(const char *url);

/* The path and query of a normal URL (new string). */
char *url_path_query(const char *url);

#endif
