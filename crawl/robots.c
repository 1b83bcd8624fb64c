/*
 * robots.c - parsing and matching robots.txt.
 */
#define _GNU_SOURCE                   /* memmem */
#include "robots.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"

struct rule {
	char *pattern;                /* canonical, "$" kept at the end */
	size_t len;                   /* its length in octets, for "longest" */
	bool allow;
};

struct robots {
	struct rule *rule;            /* the rules that apply to us */
	size_t nrule;
	double delay;                 /* Crawl-delay, < 0 = none */
	char **sitemap;               /* Sitemap URLs */
	size_t nsitemap;
	bool all;                     /* no rules: all is ... */
	bool all_allowed;             /* ... allowed (true) or not */
};

static bool unreserved(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

static int hexval(int c)
{
	if(c >= '0' && c <= '9')
		return c - '0';
	if(c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if(c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* s in canonical percent-encoding (new string). */
static char *canonical(const char *s, size_t n)
{
	char *out = malloc(3 * n + 1), *w = out;

	if(!out)
		return NULL;
	for(size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if(c == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 &&
		   hexval(s[i + 2]) >= 0) {
			int v = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);

			if(unreserved(v))
				*w++ = (char)v;
			else
				w += sprintf(w, "%%%02X", v);
			i += 2;
		} else if(c >= 0x80 || c <= 0x20) {
			w += sprintf(w, "%%%02X", c);
		} else {
			*w++ = (char)c;
		}
	}
	*w = '\0';
	return out;
}

/* Does pattern match path from its start? "*" any run, "$" at the end:
 * the end of path; otherwise a prefix is enough.
 *
 * With "*" the only wildcard, taking each literal piece between stars at
 * its first place after the last is right (a later place never matches
 * more), so the match is a walk of substring searches: linear in the
 * lengths (glibc's memmem is two-way), where backtracking over the stars
 * is quadratic (a 400 KB rule of stars against a 100 KB path). Only the
 * last piece of an anchored rule must end where the path ends. */
static bool match(const char *pat, const char *path)
{
	size_t plen = strlen(pat), slen = strlen(path);
	bool anchored = plen > 0 && pat[plen - 1] == '$';
	const char *p = pat, *pend = pat + plen - (anchored ? 1 : 0);
	const char *s = path, *send = path + slen;
	const char *star = memchr(p, '*', (size_t)(pend - p));
	size_t n = star ? (size_t)(star - p) : (size_t)(pend - p);

	/* The first piece is a prefix. */
	if((size_t)(send - s) < n || memcmp(s, p, n) != 0)
		return false;
	if(!star)
		return !anchored || s + n == send;
	s += n;
	p = star;
	while(p < pend) {
		const char *piece, *next;

		while(p < pend && *p == '*')
			p++;
		piece = p;
		next = memchr(p, '*', (size_t)(pend - p));
		n = next ? (size_t)(next - piece) : (size_t)(pend - piece);
		p = piece + n;
		if(!next && anchored)  /* the last piece, at the very end */
			return (size_t)(send - s) >= n && memcmp(send - n, piece, n) == 0;
		if(n > 0) {
			const char *at = memmem(s, (size_t)(send - s), piece, n);

			if(!at)
				return false;
			s = at + n;
		}
	}
	return true;
}

struct robots *robots_all(bool allow)
{
	struct robots *r = calloc(1, sizeof(*r));

	if(!r)
		return NULL;
	r->all = true;
	r->all_allowed = allow;
	r->delay = -1;
	return r;
}

void robots_free(struct robots *r)
{
	if(!r)
		return;
	for(size_t i = 0; i < r->nrule; i++)
		free(r->rule[i].pattern);
	for(size_t i = 0; i < r->nsitemap; i++)
		free(r->sitemap[i]);
	free(r->rule);
	free(r->sitemap);
	free(r);
}

bool robots_allowed(const struct robots *r, const char *path)
{
	char *canon;
	const struct rule *best = NULL;

	if(r->all)
		return r->all_allowed;
	if(strcmp(path, "/robots.txt") == 0)
		return true;
	canon = canonical(path, strlen(path));
	if(!canon)
		return true;
	for(size_t i = 0; i < r->nrule; i++) {
		const struct rule *ru = &r->rule[i];

		if(!match(ru->pattern, canon))
			continue;
		if(!best || ru->len > best->len ||
		   (ru->len == best->len && ru->allow && !best->allow))
			best = ru;
	}
	free(canon);
	return !best || best->allow;
}

double robots_crawl_delay(const struct robots *r)
{
	return r->delay;
}

size_t robots_sitemaps(const struct robots *r)
{
	return r->nsitemap;
}

const char *robots_sitemap(const struct robots *r, size_t i)
{
	return i < r->nsitemap ? r->sitemap[i] : NULL;
}

char *robots_token(const char *user_agent)
{
	size_t n = strspn(user_agent, "abcdefghijklmnopqrstuvwxyz"
			  "ABCDEFGHIJKLMNOPQRSTUVWXYZ_-");

	return gf_strndup(user_agent, n);
}

/* Directives with a value after a ':', not the name of a crawler. */
static bool valued_directive(const char *s, size_t n)
{
	static const char *const names[] = {
		"unavailable_after", "max-snippet", "max-image-preview",
		"max-video-preview"
	};

	for(size_t i = 0; i < ARRAY_SIZE(names); i++)
		if(strlen(names[i]) == n && !strncasecmp(s, names[i], n))
			return true;
	return false;
}

bool robots_nofollow(const char *directives, const char *agent)
{
	bool mine = true;             /* the directives so far are for us */
	const char *p = directives;

	while(p && *p) {
		size_t n, colon;

		p += strspn(p, " \t,");
		n = strcspn(p, ",");
		colon = strcspn(p, ":,");
		if(colon < n && !valued_directive(p, colon)) {
			/* "name: directive": the following are for name. */
			size_t k = colon;

			while(k > 0 && (p[k - 1] == ' ' || p[k - 1] == '\t'))
				k--;
			mine = agent && strlen(agent) == k && !strncasecmp(p, agent, k);
			p += colon + 1;
			p += strspn(p, " \t");
			n = strcspn(p, ",");
		}
		while(n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if(mine && ((n == 8 && !strncasecmp(p, "nofollow", 8)) ||
			    (n == 4 && !strncasecmp(p, "none", 4))))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

/* ------------------------------------------------------------ parsing */

/* The groups of a file, as the parser walks it. */
struct parse {
	struct robots *mine;          /* rules of groups naming us */
	struct robots *star;          /* rules of "*" groups */
	bool in_agents;               /* reading a group's user-agent lines */
	bool for_me, for_star;        /* the current group applies to ... */
	bool saw_mine;                /* some group named us */
	const char *agent;            /* our product token */
};

static void add_rule(struct robots *r, const char *value, size_t n, bool allow)
{
	struct rule *more;
	char *pat;

	if(n == 0)
		return; /* "Disallow:" with nothing: no rule */
	pat = canonical(value, n);
	more = pat ? realloc(r->rule, (r->nrule + 1) * sizeof(*more)) : NULL;
	if(!more) {
		free(pat);
		return;
	}
	r->rule = more;
	r->rule[r->nrule++] = (struct rule){ pat, strlen(pat), allow };
}

static void add_sitemap(struct robots *r, const char *value, size_t n)
{
	char **more;

	if(n == 0)
		return;
	more = realloc(r->sitemap, (r->nsitemap + 1) * sizeof(*more));
	if(!more)
		return;
	r->sitemap = more;
	r->sitemap[r->nsitemap] = gf_strndup(value, n);
	if(r->sitemap[r->nsitemap])
		r->nsitemap++;
}

static void parse_line(struct parse *ps, const char *key, size_t klen,
		       const char *value, size_t vlen)
{
	bool agent = klen == 10 && !strncasecmp(key, "user-agent", 10);

	if(agent) {
		bool star = vlen == 1 && value[0] == '*';
		char *token = gf_strndup(value, vlen);
		char *tok = token ? robots_token(token) : NULL;
		bool me = tok && *tok && !strcasecmp(tok, ps->agent);

		free(token);
		free(tok);
		if(!ps->in_agents)
			ps->for_me = ps->for_star = false;
		ps->in_agents = true;
		ps->for_me |= me;
		ps->for_star |= star;
		ps->saw_mine |= me;
		return;
	}
	if(klen == 7 && !strncasecmp(key, "sitemap", 7)) {
		add_sitemap(ps->mine, value, vlen);
		return;
	}
	if(!(klen == 5 && !strncasecmp(key, "allow", 5)) &&
	   !(klen == 8 && !strncasecmp(key, "disallow", 8)) &&
	   !(klen == 11 && !strncasecmp(key, "crawl-delay", 11)))
		return; /* a line we do not know: it neither ends a group nor starts one */
	ps->in_agents = false;
	if((klen == 5 && !strncasecmp(key, "allow", 5)) ||
	   (klen == 8 && !strncasecmp(key, "disallow", 8))) {
		bool allow = klen == 5;

		if(ps->for_me)
			add_rule(ps->mine, value, vlen, allow);
		if(ps->for_star)
			add_rule(ps->star, value, vlen, allow);
	} else if(klen == 11 && !strncasecmp(key, "crawl-delay", 11)) {
		char buf[32], *end;
		double d;

		snprintf(buf, sizeof(buf), "%.*s", (int)vlen, value);
		d = strtod(buf, &end);
		if(end != buf && isfinite(d) && d >= 0) {
			if(d > ROBOTS_MAX_DELAY)
				d = ROBOTS_MAX_DELAY;
			if(ps->for_me)
				ps->mine->delay = d;
			if(ps->for_star)
				ps->star->delay = d;
		}
	}
}

/* Bytes before the first CR or LF in p[0..n), or n. */
static size_t strcspn_n(const char *p, size_t n)
{
	for(size_t i = 0; i < n; i++)
		if(p[i] == '\n' || p[i] == '\r')
			return i;
	return n;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* One line "key: value # comment", spaces trimmed. */
static void parse_one(struct parse *ps, const char *p, const char *lend)
{
	const char *hash = memchr(p, '#', (size_t)(lend - p)), *colon, *k, *v;
	size_t kn, vn;

	if(hash)
		lend = hash;
	colon = memchr(p, ':', (size_t)(lend - p));
	if(!colon)
		return;
	for(k = p; k < colon && is_ws(*k); k++)
		;
	for(kn = (size_t)(colon - k); kn > 0 && is_ws(k[kn - 1]); kn--)
		;
	for(v = colon + 1; v < lend && is_ws(*v); v++)
		;
	for(vn = (size_t)(lend - v); vn > 0 && is_ws(v[vn - 1]); vn--)
		;
	parse_line(ps, k, kn, v, vn);
}

struct robots *robots_parse(const char *text, size_t len, const char *agent)
{
	struct parse ps = { .agent = agent };
	const char *p = text, *end;

	if(len > ROBOTS_MAX_SIZE)
		len = ROBOTS_MAX_SIZE;
	end = text + len;
	/* RFC 9309 2.3: a UTF-8 byte order mark at the start is no key. */
	if(len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	ps.mine = robots_all(true);
	ps.star = robots_all(true);
	if(!ps.mine || !ps.star) {
		robots_free(ps.mine);
		robots_free(ps.star);
		return NULL;
	}
	ps.mine->all = ps.star->all = false;
	while(p < end) {
		/* Lines end with LF, CR LF or a CR alone. */
		const char *eol = p + strcspn_n(p, (size_t)(end - p));

		parse_one(&ps, p, eol);
		if(eol < end && *eol == '\r' && eol + 1 < end && eol[1] == '\n')
			eol++;
		p = eol < end ? eol + 1 : end;
	}
	if(!ps.saw_mine) {
		/* Ours are the "*" rules; the sitemaps stay. */
		struct robots *tmp = ps.mine;

		ps.star->sitemap = tmp->sitemap;
		ps.star->nsitemap = tmp->nsitemap;
		tmp->sitemap = NULL;
		tmp->nsitemap = 0;
		ps.mine = ps.star;
		ps.star = tmp;
	}
	robots_free(ps.star);
	return ps.mine;
}
