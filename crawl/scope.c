/*
 * scope.c - normal URLs and the scope of a crawl.
 */
#include "scope.h"

#include <ctype.h>
#include <curl/curl.h>
#include <libpsl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"

struct seed {
	char *host;                   /* lower-cased */
	char *domain;                 /* registrable domain (or the host) */
	char *prefix;                 /* scheme://host[:port]/dir/ */
};

struct scope {
	enum scope_mode mode;
	struct seed *seed;            /* anchors, by number */
	size_t nseed;
	regex_t *include, *exclude;   /* compiled --include / --exclude */
	size_t ninclude, nexclude;
	const psl_ctx_t *psl;         /* the built-in Public Suffix List */
};

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

/* ref resolved on u, which holds the base (or nothing), in normal form;
 * its host in *hostp when hostp is given. */
static char *resolve_on(CURLU *u, const char *ref, char **hostp)
{
	char *scheme = NULL, *host = NULL, *out = NULL, *copy = NULL;

	if(url_oom(curl_url_set(u, CURLUPART_URL, ref,
				CURLU_URLENCODE | CURLU_ALLOW_SPACE)) ||
	   url_oom(curl_url_get(u, CURLUPART_SCHEME, &scheme, 0)) ||
	   (strcmp(scheme, "http") && strcmp(scheme, "https")) ||
	   url_oom(curl_url_get(u, CURLUPART_HOST, &host, 0)))
		goto done;
	if(strpbrk(host, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")) {
		lower(host);
		if(url_oom(curl_url_set(u, CURLUPART_HOST, host, 0)))
			goto done;
	}
	if(url_oom(curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0)) ||
	   url_oom(curl_url_get(u, CURLUPART_URL, &out, CURLU_NO_DEFAULT_PORT)))
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

char *url_resolve(const char *base, const char *ref)
{
	CURLU *u = base ? url_base(base) : curl_url();
	char *out = u ? resolve_on(u, ref, NULL) : NULL;

	if(!u && !base)
		gf_oom();
	curl_url_cleanup(u);
	return out;
}

CURLU *url_base(const char *url)
{
	CURLU *u = curl_url();

	if(!u)
		gf_oom();
	if(u && url_oom(curl_url_set(u, CURLUPART_URL, url, 0))) {
		curl_url_cleanup(u);
		return NULL;
	}
	return u;
}

char *url_resolve_at(CURLU *base, const char *ref, char **host)
{
	CURLU *u = curl_url_dup(base);
	char *out = u ? resolve_on(u, ref, host) : NULL;

	if(!u)
		gf_oom();
	curl_url_cleanup(u);
	return out;
}

/* A part of a parsed URL as a new string, or NULL. */
static char *part_of(CURLU *u, CURLUPart part, unsigned flags)
{
	char *v = NULL, *copy = NULL;

	if(u && !curl_url_get(u, part, &v, flags))
		copy = strdup(v);
	curl_free(v);
	return copy;
}

/* A part of a URL as a new string, or NULL. */
static char *url_part(const char *url, CURLUPart part, unsigned flags)
{
	CURLU *u = url_base(url);
	char *v = part_of(u, part, flags);

	curl_url_cleanup(u);
	return v;
}

char *url_origin(const char *url)
{
	CURLU *u = url_base(url);
	char *scheme = part_of(u, CURLUPART_SCHEME, 0);
	char *host = part_of(u, CURLUPART_HOST, 0);
	char *port = part_of(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
	char *out = scheme && host && port ?
		gf_aprintf("%s://%s:%s", scheme, host, port) : NULL;

	curl_url_cleanup(u);
	free(scheme);
	free(host);
	free(port);
	return out;
}

char *url_path_query(const char *url)
{
	CURLU *u = url_base(url);
	char *path = part_of(u, CURLUPART_PATH, 0);
	char *query = part_of(u, CURLUPART_QUERY, 0);
	char *out = path ? gf_aprintf("%s%s%s", path, query ? "?" : "",
				      query ? query : "") : NULL;

	if(u && !out)
		gf_oom();             /* a parsed URL always has a path */
	curl_url_cleanup(u);
	free(path);
	free(query);
	return out;
}

static regex_t *compile_all(const char **re, size_t n, char *err, size_t errlen)
{
	regex_t *out = calloc(n ? n : 1, sizeof(*out));

	for(size_t i = 0; out && i < n; i++) {
		int rc = regcomp(&out[i], re[i], REG_EXTENDED | REG_NOSUB);

		if(rc) {
			char msg[128];

			regerror(rc, &out[i], msg, sizeof(msg));
			snprintf(err, errlen, "bad regular expression '%s': %s", re[i], msg);
			for(size_t k = 0; k < i; k++)
				regfree(&out[k]);
			free(out);
			return NULL;
		}
	}
	return out;
}

struct scope *scope_new(enum scope_mode mode, const char **include,
			size_t ninclude, const char **exclude, size_t nexclude,
			char *err, size_t errlen)
{
	struct scope *s = calloc(1, sizeof(*s));

	err[0] = '\0';
	if(!s)
		return NULL;
	s->mode = mode;
	s->psl = psl_builtin();
	s->include = compile_all(include, ninclude, err, errlen);
	s->ninclude = s->include ? ninclude : 0;
	s->exclude = s->include ? compile_all(exclude, nexclude, err, errlen) : NULL;
	s->nexclude = s->exclude ? nexclude : 0;
	if(!s->include || !s->exclude) {
		scope_free(s);
		return NULL;
	}
	return s;
}

void scope_free(struct scope *s)
{
	if(!s)
		return;
	for(size_t i = 0; i < s->nseed; i++) {
		free(s->seed[i].host);
		free(s->seed[i].domain);
		free(s->seed[i].prefix);
	}
	free(s->seed);
	for(size_t i = 0; i < s->ninclude; i++)
		regfree(&s->include[i]);
	for(size_t i = 0; i < s->nexclude; i++)
		regfree(&s->exclude[i]);
	free(s->include);
	free(s->exclude);
	free(s);
}

/* The registrable domain of host, or host itself (an address, a TLD). */
static char *domain_of(const struct scope *s, const char *host)
{
	const char *d = s->psl ? psl_registrable_domain(s->psl, host) : NULL;

	return strdup(d ? d : host);
}

long scope_add_seed(struct scope *s, const char *url)
{
	struct seed *more = realloc(s->seed, (s->nseed + 1) * sizeof(*more));
	struct seed *sd;
	char *slash;

	if(!more) {
		gf_oom();
		return -1;
	}
	s->seed = more;
	sd = &s->seed[s->nseed];
	sd->host = url_part(url, CURLUPART_HOST, 0);
	sd->domain = sd->host ? domain_of(s, sd->host) : NULL;
	sd->prefix = strdup(url);
	if(!sd->host || !sd->domain || !sd->prefix) {
		gf_oom();
		free(sd->host);
		free(sd->domain);
		free(sd->prefix);
		return -1;
	}
	/* The directory: up to the last '/' of the path, query dropped. */
	slash = strchr(sd->prefix, '?');
	if(slash)
		*slash = '\0';
	slash = strrchr(sd->prefix + strlen("https://"), '/');
	if(slash)
		slash[1] = '\0';
	return (long)s->nseed++;
}

static bool regex_any(const regex_t *re, size_t n, const char *url)
{
	for(size_t i = 0; i < n; i++)
		if(regexec(&re[i], url, 0, NULL, 0) == 0)
			return true;
	return false;
}

bool scope_allows(const struct scope *s, long seed, const char *url)
{
	char *host = s->mode == SCOPE_ANY ? NULL : url_part(url, CURLUPART_HOST, 0);
	bool in = scope_allows_host(s, seed, url, host);

	free(host);
	return in;
}

bool scope_allows_host(const struct scope *s, long seed, const char *url,
		       const char *host)
{
	const struct seed *sd = seed >= 0 && (size_t)seed < s->nseed ?
				&s->seed[seed] : NULL;
	bool in = true;

	if(!sd || (s->mode != SCOPE_ANY && !host))
		return false;
	if(s->mode == SCOPE_HOST) {
		in = strcmp(host, sd->host) == 0;
	} else if(s->mode == SCOPE_DOMAIN) {
		char *d = domain_of(s, host);

		in = d && strcmp(d, sd->domain) == 0;
		free(d);
	} else if(s->mode == SCOPE_PREFIX) {
		in = strncmp(url, sd->prefix, strlen(sd->prefix)) == 0;
	}
	if(in && s->ninclude && !regex_any(s->include, s->ninclude, url))
		in = false;
	if(in && regex_any(s->exclude, s->nexclude, url))
		in = false;
	return in;
}
