/*
 * scope.c - the scope of a crawl (normal URLs are the URL module's).
 */
#include "scope.h"

#include <libpsl.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"
#include "url.h"

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
	sd->host = url_host_of(url);
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
	char *host = s->mode == SCOPE_ANY ? NULL : url_host_of(url);
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
