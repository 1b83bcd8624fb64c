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
	CHECK(robots_sitemaps(r) == 2);
	CHECK_STR(robots_sitemap(r, 1), "/b.xml");
	CHECK_STR(tok, "greenfetch");
	free(tok);
	robots_free(r);
	r = robots_all(false);
	CHECK(!robots_allowed(r, "/"));
	robots_free(r);
}

int main(void)
{
	RUN(robots_rfc_groups);
	RUN(robots_longest_match_and_ties);
	RUN(robots_percent_encoding);
	RUN(robots_agents_and_extras);
	return unit_any_failed;
}
