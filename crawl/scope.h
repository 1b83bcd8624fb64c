/*
 * scope.h - which URLs a crawl follows.
 *
 * Flow: links (at release) -> url_normal -> scope -> frontier.
 *
 * Every URL is compared in its normal form (url.h). A scope is anchored
 * to each seed: host (the seed's
 * host), domain (its registrable domain, by the Public Suffix List),
 * prefix (its scheme, host, port and directory), or any; then --include
 * and --exclude (POSIX extended regular expressions on the normal form).
 */
#ifndef GF_SCOPE_H
#define GF_SCOPE_H

#include <stdbool.h>
#include <stddef.h>

enum scope_mode {
	SCOPE_HOST,                   /* the seed's host (the default) */
	SCOPE_DOMAIN,                 /* the seed's registrable domain */
	SCOPE_PREFIX,                 /* under the seed's directory */
	SCOPE_ANY                     /* anywhere */
};

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

#endif
