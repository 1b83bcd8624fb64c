/*
 * url.h - the URL module: every part of greenfetch that handles a URL
 * does it here. Parsing, resolving a reference against a base, the normal
 * form a crawl compares URLs in, origins, hosts and ports, and passwords
 * masked for display. libcurl's URL API does the parsing; nothing above
 * this module parses a URL on its own.
 *
 * The normal form: scheme and host in lower case, no default port, dot
 * segments resolved, no fragment, an empty path "/", percent escapes in
 * upper case (RFC 3986 6.2.2.1), the query as it is.
 */
#ifndef GF_URL_H
#define GF_URL_H

#include <stdbool.h>
#include <stddef.h>

struct Curl_URL;                      /* libcurl's CURLU, for fetch/ */

/* ------------------------------------------------------- parsed URLs */

enum url_error {
	URL_OK,
	URL_NO_SCHEME,                /* no "name:" before the rest */
	URL_MALFORMED,                /* libcurl's reason in why */
	URL_UNSUPPORTED,              /* a scheme other than http and https */
	URL_NOMEM
};

#define URL_ANY_SCHEME 1u             /* url_parse(): a proxy's URL */

struct url;

/* text as an absolute URL (http or https unless URL_ANY_SCHEME); NULL
 * with *err set (and libcurl's reason in why for URL_MALFORMED). */
struct url *url_parse(const char *text, unsigned flags, int *err,
		      char *why, size_t whylen);
void url_free(struct url *u);

const char *url_scheme(const struct url *u);  /* lower case */
bool url_https(const struct url *u);
const char *url_host(const struct url *u);    /* as written, no brackets */
const char *url_host_ascii(const struct url *u); /* punycode of an IDN */
bool url_ip_literal(const struct url *u);     /* the host is an address */
long url_port(const struct url *u);           /* the scheme's default filled */
const char *url_port_given(const struct url *u); /* "" when none is */
const char *url_path(const struct url *u);    /* "/..." */
const char *url_query(const struct url *u);   /* "" when none */

/* "scheme://host:port", host in lower case with brackets for IPv6 (new
 * string, NULL out of memory). */
char *url_origin_of(const struct url *u);

/* The parsed URL as libcurl takes it (CURLOPT_CURLU), for fetch/. */
struct Curl_URL *url_curl(const struct url *u);

/* The URL as libcurl writes it back, without a fragment (new string). */
char *url_text(const struct url *u);

/* ------------------------------------------------- normal forms */

/* ref resolved against base (NULL: ref is absolute) in normal form, or
 * NULL when it is not an http or https URL. */
char *url_normal(const char *base, const char *ref);

/* The same for many refs on one base, parsed once (NULL when it is no
 * URL): each ref, with its host in normal form in *host when host is
 * given (free both with free()). An empty ref, or one of a fragment only,
 * is the base itself (RFC 3986 5.2.2). */
struct url *url_base(const char *text);
char *url_normal_at(const struct url *base, const char *ref, char **host);

/* ref resolved on base, a URL in normal form, without libcurl: the
 * length of the result written to out (cap bytes), or -1 when ref is not
 * one this quick way is sure to resolve as url_normal_at() does (then ask
 * it). The result is on base's host. */
long url_resolve_fast(const char *base, const char *ref, char *out, size_t cap);

/* ref, an absolute http(s) URL, in normal form without libcurl: the
 * length written to out (cap bytes), its host at [*host_at, + *host_len)
 * of out; or -1 when ref is not one this quick way is sure of. */
long url_absolute_fast(const char *ref, char *out, size_t cap, size_t *host_at,
		       size_t *host_len);

/* How much of ref decides where it leads: all but a fragment of plain
 * characters (which the normal form drops), else all of it. Two
 * references with the same key resolve the same on any base. */
size_t url_ref_key(const char *ref);

/* "scheme://host:port" of a normal URL (new string, NULL when it is none). */
char *url_origin(const char *url);

/* The host of an origin ("scheme://host:port"), brackets and port left
 * out (new string). */
char *url_origin_host(const char *origin);

/* The host of a normal URL (new string), or NULL. */
char *url_host_of(const char *url);

/* The path and query of a normal URL (new string). */
char *url_path_query(const char *url);

/* A hash of the host of text, case folded, without parsing it whole (any
 * string hashes somewhere): to keep a host's URLs together. */
unsigned url_host_hash(const char *text);

/* The host of text in lower case, without brackets, user or port, found
 * the same quick way (new string; NULL when text has no "//" or out of
 * memory): the key per-host limits count a URL under. */
char *url_host_key(const char *text);

/* ---------------------------------------------------------- display */

/* Where, in s, the password of the first URL with one ("scheme://user:
 * PASSWORD@host") starts, and how long it is; NULL when s has none. */
const char *url_find_password(const char *s, size_t *len);

/* s with the password of every URL in it replaced by "***", as a new
 * string; NULL when s has none (or out of memory: then the caller shows
 * nothing of s rather than the password). */
char *url_mask(const char *s, int *oom);

#endif
