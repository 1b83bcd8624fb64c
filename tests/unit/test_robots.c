/*
 * test_robots.c - the robots.txt matcher against the examples of RFC 9309
 * and Google's documentation of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "robots.h"
#include "unit.h"

static const char rfc[] =
	"User-Agent: *\n"
	"Disallow: *.gif$\n"
	"Disallow: /example/\n"
	"Allow: /publications/\n"
	"\n"
	"User-Agent: foobot\n"
	"Disallow:/\n"
	"Allow:/example/page.html\n"
	"Allow:/example/allowed.gif\n"
	"\n"
	"User-Agent: barbot\n"
	"User-Agent: bazbot\n"
	"Disallow: /example/page.html\n"
	"\n"
	"User-Agent: quxbot\n"
	"\n"
	"Sitemap: https://example.com/sitemap.xml\n";

struct want {
	const char *agent, *path;
	bool allowed;
};

static void robots_rfc_groups(void)
{
	static const struct want cases[] = {
		{ "foobot", "/example/page.html", true },
		{ "foobot", "/example/allowed.gif", true },
		{ "foobot", "/example/other", false },
		{ "foobot", "/", false },
		{ "FooBot", "/other", false },         /* case-insensitive agent */
		{ "foobot", "/robots.txt", true },     /* always allowed */
		{ "barbot", "/example/page.html", false },
		{ "barbot", "/example/other", true },
		{ "bazbot", "/example/page.html", false },
		{ "quxbot", "/example/page.html", true }, /* an empty group */
		{ "otherbot", "/x.gif", false },
		{ "otherbot", "/x.gif?y", true },      /* $ anchors the end */
		{ "otherbot", "/example/", false },
		{ "otherbot", "/example", true },
		{ "otherbot", "/publications/x", true },
		{ "otherbot", "/", true },
	};

	for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct robots *r = robots_parse(rfc, sizeof(rfc) - 1, cases[i].agent);

		if(robots_allowed(r, cases[i].path) != cases[i].allowed) {
			fprintf(stderr, "%s %s: expected %s\n", cases[i].agent,
				cases[i].path, cases[i].allowed ? "allowed" : "disallowed");
			unit_failed = 1;
		}
		robots_free(r);
	}
}

static bool allowed(const char *txt, const char *path)
{
	struct robots *r = robots_parse(txt, strlen(txt), "greenfetch");
	bool ok = robots_allowed(r, path);

	robots_free(r);
	return ok;
}

static void robots_longest_match_and_ties(void)
{
	CHECK(allowed("User-agent: *\nAllow: /p\nDisallow: /\n", "/page"));
	CHECK(!allowed("User-agent: *\nAllow: /p\nDisallow: /\n", "/other"));
	CHECK(allowed("User-agent: *\nAllow: /folder\nDisallow: /folder\n", "/folder/x"));
	CHECK(!allowed("User-agent: *\nAllow: /page\nDisallow: /*.htm$\n", "/page.htm"));
	CHECK(allowed("User-agent: *\nAllow: /$\nDisallow: /\n", "/"));
	CHECK(!allowed("User-agent: *\nAllow: /$\nDisallow: /\n", "/page.htm"));
	CHECK(!allowed("User-agent: *\nDisallow: /fish*\n", "/fish.html"));
	CHECK(!allowed("User-agent: *\nDisallow: /*.php\n", "/folder/filename.php?p=1"));
	CHECK(allowed("User-agent: *\nDisallow: /*.php$\n", "/filename.php?p=1"));
	CHECK(!allowed("User-agent: *\nDisallow: /fish*.php\n", "/fishheads/catfish.php?p"));
	CHECK(allowed("User-agent: *\nDisallow: /fish\n", "/Fish.asp"));  /* case matters */
	CHECK(allowed("User-agent: *\nDisallow:\n", "/anything"));         /* empty rule */
	CHECK(allowed("", "/anything"));
}

static void robots_percent_encoding(void)
{
	CHECK(!allowed("User-agent: *\nDisallow: /foo/bar?baz=quz\n", "/foo/bar?baz=quz"));
	CHECK(!allowed("User-agent: *\nDisallow: /foo/bar/%E3%83%84\n", "/foo/bar/\xe3\x83\x84"));
	CHECK(!allowed("User-agent: *\nDisallow: /foo/bar/\xe3\x83\x84\n", "/foo/bar/%E3%83%84"));
	CHECK(!allowed("User-agent: *\nDisallow: /foo/bar/%62%61%7A\n", "/foo/bar/baz"));
	CHECK(!allowed("User-agent: *\nDisallow: /a%2fb\n", "/a%2Fb"));
	CHECK(allowed("User-agent: *\nDisallow: /a%2fb\n", "/a/b"));        /* reserved stays */
}

static void robots_agents_and_extras(void)
{
	const char *txt = "# comment\nUSER-AGENT: greenfetch # us\n"
			  "crawl-delay: 2.5\nDISALLOW: /private\n"
			  "User-agent: *\nDisallow: /\nSitemap: /a.xml\nSitemap: /b.xml\n";
	struct robots *r = robots_parse(txt, strlen(txt), "greenfetch");
	char *tok = robots_token("greenfetch/0.1.0 (+https://x)");

	CHECK(robots_allowed(r, "/public"));
	CHECK(!robots_allowed(r, "/private/x"));
	CHECK(robots_crawl_delay(r) == 2.5);
	{
		const char *day = "User-agent: *\nCrawl-delay: 86000\n";
		const char *inf = "User-agent: *\nCrawl-delay: inf\n";
		struct robots *d = robots_parse(day, strlen(day), "x");

		CHECK(robots_crawl_delay(d) == ROBOTS_MAX_DELAY);  /* a day: capped */
		robots_free(d);
		d = robots_parse(inf, strlen(inf), "x");
		CHECK(robots_crawl_delay(d) < 0);                   /* no number */
		robots_free(d);
	}
	CHECK(robots_sitemaps(r) == 2);
	CHECK_STR(robots_sitemap(r, 1), "/b.xml");
	CHECK_STR(tok, "greenfetch");
	free(tok);
	robots_free(r);
	r = robots_all(false);
	CHECK(!robots_allowed(r, "/"));
	robots_free(r);
}

/* The backtracking matcher the RFC's examples describe, for small cases. */
static bool slow_match(const char *p, const char *s, bool anchored, const char *pend)
{
	if(p == pend)
		return !anchored || *s == '\0';
	if(*p == '*')
		return slow_match(p + 1, s, anchored, pend) ||
		       (*s && slow_match(p, s + 1, anchored, pend));
	return *s && *s == *p && slow_match(p + 1, s + 1, anchored, pend);
}

static void robots_match_agrees_with_backtracking(void)
{
	static const char alpha[] = "ab*";
	unsigned seed = 12345;
	char rule[16], path[16], txt[64];

	/* Random rules of a, b and *, some anchored, against random paths. */
	for(int n = 0; n < 20000; n++) {
		size_t rl = 1 + (seed = seed * 1103515245 + 12345) % 6;
		size_t pl = (seed = seed * 1103515245 + 12345) % 8;
		bool anchored = (seed >> 16) & 1;
		bool want;

		rule[0] = '/';
		for(size_t i = 1; i < rl; i++)
			rule[i] = alpha[(seed = seed * 1103515245 + 12345) >> 16 & 1 ? 2 :
					(seed >> 17) % 2];
		rule[rl] = '\0';
		path[0] = '/';
		for(size_t i = 1; i <= pl; i++)
			path[i] = alpha[((seed = seed * 1103515245 + 12345) >> 16) % 2];
		path[pl + 1] = '\0';
		snprintf(txt, sizeof(txt), "User-agent: *\nDisallow: %s%s\n", rule,
			 anchored ? "$" : "");
		want = !slow_match(rule, path, anchored, rule + rl);
		if(allowed(txt, path) != want) {
			fprintf(stderr, "rule %s%s path %s: expected %s\n", rule,
				anchored ? "$" : "", path, want ? "allowed" : "disallowed");
			unit_failed = 1;
			return;
		}
	}
}

static void robots_match_is_linear(void)
{
	/* A rule of 400 KB of "a*" and a path of 1 MB of "a" with no "b":
	 * backtracking needs about 10^11 steps, a walk of searches a few
	 * million. (The suite's time limit fails the slow one.) */
	size_t rn = 400 * 1024, pn = 1 << 20;
	char *txt = malloc(rn + 64), *path = malloc(pn + 2);
	size_t k = (size_t)sprintf(txt, "User-agent: *\nDisallow: /");

	for(size_t i = 0; i + 2 < rn; i += 2) {
		txt[k++] = 'a';
		txt[k++] = '*';
	}
	txt[k++] = 'b';
	txt[k++] = '\n';
	txt[k] = '\0';
	path[0] = '/';
	memset(path + 1, 'a', pn);
	path[pn + 1] = '\0';
	CHECK(allowed(txt, path));
	path[pn] = 'b';
	CHECK(!allowed(txt, path));
	free(txt);
	free(path);
}

static void robots_bom_cr_and_unknown_lines(void)
{
	/* A byte order mark, lines ended by CR alone, and lines the parser
	 * does not know inside a group. */
	const char *txt = "\xef\xbb\xbfUser-agent: greenfetch\rNoindex: /x\r"
			  "User-agent: other\rDisallow: /private\r\r"
			  "User-agent: *\r\nHost: example.org\r\nDisallow: /\r\n";
	struct robots *r = robots_parse(txt, strlen(txt), "greenfetch");

	CHECK(!robots_allowed(r, "/private/1"));  /* one group with "other" */
	CHECK(robots_allowed(r, "/public"));      /* ours, not the "*" group */
	robots_free(r);
	r = robots_parse(txt, strlen(txt), "other");
	CHECK(!robots_allowed(r, "/private/1"));
	robots_free(r);
	r = robots_parse(txt, strlen(txt), "third");
	CHECK(!robots_allowed(r, "/public"));     /* "*": Host: did not end it */
	robots_free(r);
}

static void robots_directives_nofollow(void)
{
	CHECK(robots_nofollow("nofollow", "greenfetch"));
	CHECK(robots_nofollow("noindex, NoFollow", "greenfetch"));
	CHECK(robots_nofollow(" none ", NULL));
	CHECK(robots_nofollow("greenfetch: nofollow", "greenfetch"));
	CHECK(robots_nofollow("unavailable_after: 25 Jun 2010 15:00:00 PST, nofollow", "x"));
	CHECK(!robots_nofollow("otherbot: nofollow", "greenfetch"));
	CHECK(!robots_nofollow("otherbot: noindex, nofollow", "greenfetch"));
	CHECK(!robots_nofollow("noindex, nofollowed, follow", "greenfetch"));
	CHECK(!robots_nofollow("", "greenfetch"));
	CHECK(!robots_nofollow(NULL, "greenfetch"));
}

int main(void)
{
	RUN(robots_directives_nofollow);
	RUN(robots_rfc_groups);
	RUN(robots_longest_match_and_ties);
	RUN(robots_percent_encoding);
	RUN(robots_agents_and_extras);
	RUN(robots_match_agrees_with_backtracking);
	RUN(robots_match_is_linear);
	RUN(robots_bom_cr_and_unknown_lines);
	return unit_any_failed;
}
