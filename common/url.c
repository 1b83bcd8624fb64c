/*
 * url.c - the URL module, on libcurl's URL API.
 *
 * A struct url holds libcurl's parse (a CURLU) and the parts every user
 * needs, taken out once. The normal form is made by libcurl too: a
 * reference set on a copy of the base, the host lower-cased, the fragment
 * dropped, the default port left out, and the percent escapes libcurl
 * adds (in lower case) put in upper case.
 */
#include "url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"
#include "utf8.h"

struct url {
	CURLU *cu;                    /* libcurl's parse */
	char scheme[16];              /* lower case */
	char *host;                   /* no brackets */
	char *host_ascii;             /* punycode, or host itself */
	bool ip_literal;
	long port;
	char *port_given;             /* "" when none */
	char *path;
	char *query;                  /* "" when none */
};

/* ------------------------------------------------------- parsed URLs */

/* Does the text have a scheme at all ("name:" before any '/')? */
static bool has_scheme(const char *url)
{
	size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
	return n > 0 && url[n] == ':';
}

static bool is_http(const char *scheme)
{
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0;
}

/* A part of u as a new string ("" when it is not there); NULL out of
 * memory. */
static char *part(CURLU *cu, CURLUPart which, unsigned flags)
{
	char *v = NULL, *copy;
	CURLUcode uc = curl_url_get(cu, which, &v, flags);

	if(uc == CURLUE_OUT_OF_MEMORY)
		return NULL;
	copy = strdup(uc == CURLUE_OK && v ? v : "");
	curl_free(v);
	return copy;
}

void url_free(struct url *u)
{
	if(!u)
		return;
	curl_url_cleanup(u->cu);
	if(u->host_ascii != u->host)
		free(u->host_ascii);
	free(u->host);
	free(u->port_given);
	free(u->path);
	free(u->query);
	free(u);
}

/* Take the parts out of u->cu; false out of memory. */
static bool url_fill(struct url *u, unsigned flags)
{
	char *host = part(u->cu, CURLUPART_HOST, 0), *port;
	struct in_addr a4;

	if(!host)
		return false;
	u->ip_literal = host[0] == '[';
	u->host = u->ip_literal ? gf_strndup(host + 1, strlen(host) - 2) : host;
	if(u->ip_literal)
		free(host);
	if(!u->host)
		return false;
	u->ip_literal = u->ip_literal || inet_pton(AF_INET, u->host, &a4) == 1;
	u->host_ascii = u->host;
	if(!utf8_ascii(u->host)) {
		/* An international name: the resolver wants its punycode. */
		char *ace = NULL;

		if(!curl_url_get(u->cu, CURLUPART_HOST, &ace, CURLU_PUNYCODE)) {
			u->host_ascii = strdup(ace);
			curl_free(ace);
			if(!u->host_ascii)
				return false;
		}
	}
	if(!(u->port_given = part(u->cu, CURLUPART_PORT, 0)))
		return false;
	if(u->port_given[0]) {
		u->port = strtol(u->port_given, NULL, 10);
	} else if(flags & URL_ANY_SCHEME) {
		u->port = strcmp(u->scheme, "https") == 0 ? 443 : 1080;  /* a proxy */
	} else {
		if(!(port = part(u->cu, CURLUPART_PORT, CURLU_DEFAULT_PORT)))
			return false;
		u->port = strtol(port, NULL, 10);
		free(port);
	}
	return (u->path = part(u->cu, CURLUPART_PATH, 0)) &&
	       (u->query = part(u->cu, CURLUPART_QUERY, 0));
}

struct url *url_parse(const char *text, unsigned flags, int *err,
		      char *why, size_t whylen)
{
	struct url *u = calloc(1, sizeof(*u));
	CURLUcode uc;
	char *scheme = NULL, *with = NULL;

	*err = URL_NOMEM;
	if(whylen)
		why[0] = '\0';
	if(!u || !(u->cu = curl_url()))
		goto fail;
	/* A proxy without a scheme is an http one, as curl takes -x (its
	 * CURLU_DEFAULT_SCHEME would say https). */
	if((flags & URL_ANY_SCHEME) && !has_scheme(text) &&
	   !(text = with = gf_aprintf("http://%s", text)))
		goto fail;
	uc = curl_url_set(u->cu, CURLUPART_URL, text, CURLU_NON_SUPPORT_SCHEME);
	free(with);
	if(!uc)
		uc = curl_url_get(u->cu, CURLUPART_SCHEME, &scheme, 0);
	if(uc == CURLUE_OUT_OF_MEMORY)
		goto fail;
	if(uc) {
		*err = has_scheme(text) || (flags & URL_ANY_SCHEME) ? URL_MALFORMED :
		       URL_NO_SCHEME;
		snprintf(why, whylen, "%s", curl_url_strerror(uc));
		goto fail;
	}
	snprintf(u->scheme, sizeof(u->scheme), "%s", scheme);
	for(char *c = u->scheme; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	curl_free(scheme);
	if(!(flags & URL_ANY_SCHEME) && !is_http(u->scheme)) {
		*err = URL_UNSUPPORTED;
		snprintf(why, whylen, "%s", u->scheme);
		goto fail;
	}
	if(!url_fill(u, flags))
		goto fail;
	*err = URL_OK;
	return u;
fail:
	url_free(u);
	return NULL;
}

const char *url_scheme(const struct url *u) { return u->scheme; }
bool url_https(const struct url *u) { return strcmp(u->scheme, "https") == 0; }
const char *url_host(const struct url *u) { return u->host; }
const char *url_host_ascii(const struct url *u) { return u->host_ascii; }
bool url_ip_literal(const struct url *u) { return u->ip_literal; }
long url_port(const struct url *u) { return u->port; }
const char *url_port_given(const struct url *u) { return u->port_given; }
const char *url_path(const struct url *u) { return u->path; }
const char *url_query(const struct url *u) { return u->query; }
struct Curl_URL *url_curl(const struct url *u) { return u->cu; }

char *url_origin_of(const struct url *u)
{
	char *o = gf_aprintf(strchr(u->host, ':') ? "%s://[%s]:%ld" : "%s://%s:%ld",
			     u->scheme, u->host, u->port);

	for(char *c = o; c && *c; c++)
		if(*c >= 'A' && *c <= 'Z')
			*c = (char)(*c + 32);
	return o;
}

char *url_text(const struct url *u)
{
	CURLU *copy = curl_url_dup(u->cu);
	char *text = NULL, *out = NULL;

	if(copy && !curl_url_set(copy, CURLUPART_FRAGMENT, NULL, 0) &&
	   !curl_url_get(copy, CURLUPART_URL, &text, 0))
		out = strdup(text);
	curl_free(text);
	curl_url_cleanup(copy);
	return out;
}

/* ------------------------------------------------- normal forms */

static void lower(char *s)
{
	for(; s && *s; s++)
		if(*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Did a URL call fail for want of memory? Then say so (gf_oom). */
static bool url_oom(CURLUcode uc)
{
	if(uc == CURLUE_OUT_OF_MEMORY)
		gf_oom();
	return uc != CURLUE_OK;
}

/* ref resolved on cu, which holds the base (or nothing), in normal form;
 * its host in *hostp when hostp is given. */
static char *resolve_on(CURLU *cu, const char *ref, char **hostp)
{
	char *scheme = NULL, *host = NULL, *out = NULL, *copy = NULL;

	if(url_oom(curl_url_set(cu, CURLUPART_URL, ref,
				CURLU_URLENCODE | CURLU_ALLOW_SPACE)) ||
	   url_oom(curl_url_get(cu, CURLUPART_SCHEME, &scheme, 0)) ||
	   !is_http(scheme) ||
	   url_oom(curl_url_get(cu, CURLUPART_HOST, &host, 0)))
		goto done;
	if(strpbrk(host, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
		lower(host);
		if(url_oom(curl_url_set(cu, CURLUPART_HOST, host, 0)))
			goto done;
	}
	if(url_oom(curl_url_set(cu, CURLUPART_FRAGMENT, NULL, 0)) ||
	   url_oom(curl_url_get(cu, CURLUPART_URL, &out, CURLU_NO_DEFAULT_PORT)))
		goto done;
	copy = strdup(out);
	/* Percent escapes in upper case (RFC 3986 6.2.2.1), as browsers
	 * send them: libcurl writes the ones it adds in lower case. */
	for(char *p = copy; p && (p = strchr(p, '%')); p++)
		if(isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			p[1] = (char)toupper((unsigned char)p[1]);
			p[2] = (char)toupper((unsigned char)p[2]);
		}
	if(copy && hostp && !(*hostp = strdup(host))) {
		free(copy);
		copy = NULL;
	}
	if(!copy)
		gf_oom();
done:
	curl_free(scheme);
	curl_free(host);
	curl_free(out);
	return copy;
}

struct url *url_base(const char *text)
{
	struct url *u = calloc(1, sizeof(*u));

	if(!u || !(u->cu = curl_url())) {
		gf_oom();
		free(u);
		return NULL;
	}
	if(url_oom(curl_url_set(u->cu, CURLUPART_URL, text, 0))) {
		url_free(u);
		return NULL;
	}
	return u;
}

char *url_normal_at(const struct url *base, const char *ref, char **host)
{
	CURLU *cu = curl_url_dup(base->cu);
	char *out;

	if(!cu) {
		gf_oom();
		return NULL;
	}
	/* Nothing but a fragment: the base itself, not its directory (which
	 * libcurl 7.88 makes of an empty reference). */
	if(!*ref || *ref == '#') {
		char *text = NULL;

		if(!curl_url_get(cu, CURLUPART_URL, &text, 0)) {
			out = resolve_on(cu, text, host);
			curl_free(text);
			curl_url_cleanup(cu);
			return out;
		}
	}
	out = resolve_on(cu, ref, host);
	curl_url_cleanup(cu);
	return out;
}

char *url_normal(const char *base, const char *ref)
{
	struct url *b;
	char *out;

	if(!base) {
		CURLU *cu = curl_url();

		if(!cu) {
			gf_oom();
			return NULL;
		}
		out = resolve_on(cu, ref, NULL);
		curl_url_cleanup(cu);
		return out;
	}
	b = url_base(base);
	out = b ? url_normal_at(b, ref, NULL) : NULL;
	url_free(b);
	return out;
}

/* A part of a URL given as text, as a new string, or NULL. */
static char *text_part(const char *url, CURLUPart which, unsigned flags)
{
	CURLU *cu = curl_url();
	char *v = NULL;

	if(!cu)
		gf_oom();
	if(cu && !curl_url_set(cu, CURLUPART_URL, url, 0) &&
	   !curl_url_get(cu, which, &v, flags)) {
		char *copy = strdup(v);

		curl_free(v);
		curl_url_cleanup(cu);
		return copy;
	}
	curl_url_cleanup(cu);
	return NULL;
}

char *url_origin(const char *url)
{
	char *scheme = text_part(url, CURLUPART_SCHEME, 0);
	char *host = text_part(url, CURLUPART_HOST, 0);
	char *port = text_part(url, CURLUPART_PORT, CURLU_DEFAULT_PORT);
	char *out = scheme && host && port ?
		gf_aprintf("%s://%s:%s", scheme, host, port) : NULL;

	free(scheme);
	free(host);
	free(port);
	return out;
}

char *url_origin_host(const char *origin)
{
	const char *host = strstr(origin, "://"), *colon;
	size_t n;

	host = host ? host + 3 : origin;
	colon = strrchr(host, ':');
	n = colon ? (size_t)(colon - host) : strlen(host);
	if(n >= 2 && host[0] == '[')
		return gf_strndup(host + 1, n - 2);
	return gf_strndup(host, n);
}

char *url_host_of(const char *url)
{
	return text_part(url, CURLUPART_HOST, 0);
}

char *url_path_query(const char *url)
{
	char *path = text_part(url, CURLUPART_PATH, 0);
	char *query = text_part(url, CURLUPART_QUERY, 0);
	char *out = path ? gf_aprintf("%s%s%s", path, query ? "?" : "",
				      query ? query : "") : NULL;

	if(!out)
		gf_oom();             /* a parsed URL always has a path */
	free(path);
	free(query);
	return out;
}

static void lower(char *s);

/* Where the host of url is: [*start, *end), no brackets. False: no "//". */
static bool host_span(const char *url, const char **start, const char **end)
{
	const char *p = strstr(url, "//"), *e, *at;

	if(!p)
		return false;
	p += 2;
	e = p + strcspn(p, "/?#");
	at = memchr(p, '@', (size_t)(e - p));
	if(at)
		p = at + 1;
	if(*p == '[') {
		const char *close = memchr(p, ']', (size_t)(e - p));

		if(close) {
			p++;
			e = close;
		}
	} else {
		const char *colon = memchr(p, ':', (size_t)(e - p));

		if(colon)
			e = colon;
	}
	*start = p;
	*end = e;
	return true;
}

unsigned url_host_hash(const char *url)
{
	const char *p, *end;
	unsigned hash = 2166136261u;

	if(!host_span(url, &p, &end))
		return 0;
	for(; p < end; p++) {
		unsigned char c = (unsigned char)*p;

		hash = (hash ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 16777619u;
	}
	return hash;
}

char *url_host_key(const char *url)
{
	const char *p, *end;
	char *key;

	if(!host_span(url, &p, &end) || end == p)
		return NULL;
	key = gf_strndup(p, (size_t)(end - p));
	lower(key);
	return key;
}

/* ---------------------------------------------------------- display */

/* A scheme: a letter, then letters, digits, "+", "-" or ".". */
static bool is_scheme_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && ((c >= '0' && c <= '9') || c == '+' || c == '-' ||
			   c == '.'));
}

const char *url_find_password(const char *s, size_t *len)
{
	for(const char *p = strstr(s, "://"); p; p = strstr(p + 1, "://")) {
		const char *start = p, *auth = p + 3, *end, *at, *colon;

		/* A scheme before "://" (not "x ://"). */
		while(start > s && is_scheme_char(start[-1], false))
			start--;
		if(start == p || !is_scheme_char(*start, true))
			continue;
		end = auth + strcspn(auth, "/?#\\ \t\r\n\"'<>");
		at = NULL;
		for(const char *q = auth; q < end; q++)
			if(*q == '@')
				at = q;
		if(!at)
			continue;
		colon = memchr(auth, ':', (size_t)(at - auth));
		if(!colon || colon + 1 == at)
			continue;
		*len = (size_t)(at - colon - 1);
		return colon + 1;
	}
	return NULL;
}

char *url_mask(const char *s, int *oom)
{
	size_t len, n = strlen(s), used = 0;
	const char *pw = url_find_password(s, &len);
	char *out;

	*oom = 0;
	if(!pw)
		return NULL;
	/* Each password becomes "***": the result is at most n + 3 bytes
	 * longer per password of up to 2 bytes, so n * 2 + 4 is enough. */
	out = malloc(2 * n + 4);
	if(!out) {
		*oom = 1;
		return NULL;
	}
	while(pw) {
		size_t before = (size_t)(pw - s);

		memcpy(out + used, s, before);
		memcpy(out + used + before, "***", 3);
		used += before + 3;
		s = pw + len;
		pw = url_find_password(s, &len);
	}
	strcpy(out + used, s);
	return out;
}
