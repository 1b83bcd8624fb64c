/*
 * test_scope.c - the normal form of URLs and the scopes of a crawl.
 */
#include <stdlib.h>
#include <string.h>

#include "scope.h"
#include "url.h"
#include "unit.h"

static void check_norm(const char *base, const char *ref, const char *want)
{
	char *got = url_normal(base, ref);
	char *again = got ? url_normal(NULL, got) : NULL;

	if(!want) {
		CHECK(got == NULL);
	} else {
		CHECK_STR(got, want);
		CHECK_STR(again, got);             /* norm(norm(x)) == norm(x) */
	}
	free(got);
	free(again);
}

static void scope_normal_form(void)
{
	check_norm(NULL, "HTTP://Example.ORG:80/a/./b/../c?q=1#frag",
		   "http://example.org/a/c?q=1");
	check_norm(NULL, "https://example.org:443", "https://example.org/");
	check_norm(NULL, "https://example.org:8443/x", "https://example.org:8443/x");
	check_norm("http://h/a/b/c.html", "../d.html", "http://h/a/d.html");
	check_norm("http://h/a/", "../../../../e", "http://h/e");
	check_norm("http://h/a/", "//other/x", "http://other/x");
	check_norm("http://h/a/", "?q", "http://h/a/?q");
	check_norm("http://h/a/", "#only", "http://h/a/");
	check_norm("http://h/", "mailto:x@y", NULL);
	check_norm("http://h/", "javascript:alert(1)", NULL);
	check_norm("http://h/", "ftp://h/file", NULL);
	check_norm("http://h/", "data:text/plain,x", NULL);
}

static void scope_modes(void)
{
	char err[128];
	const char *inc[] = { "\\.html$" }, *exc[] = { "/private/" };
	struct scope *host = scope_new(SCOPE_HOST, NULL, 0, NULL, 0, err, sizeof(err));
	struct scope *dom = scope_new(SCOPE_DOMAIN, NULL, 0, NULL, 0, err, sizeof(err));
	struct scope *pre = scope_new(SCOPE_PREFIX, NULL, 0, NULL, 0, err, sizeof(err));
	struct scope *re = scope_new(SCOPE_ANY, inc, 1, exc, 1, err, sizeof(err));
	const char *bad[] = { "(" };

	scope_add_seed(host, "http://www.example.co.uk/docs/guide/intro.html");
	scope_add_seed(dom, "http://www.example.co.uk/docs/guide/intro.html");
	scope_add_seed(pre, "http://www.example.co.uk/docs/guide/intro.html");
	scope_add_seed(re, "http://a/");
	CHECK(scope_allows(host, 0, "https://www.example.co.uk/other"));
	CHECK(!scope_allows(host, 0, "http://example.co.uk/"));
	CHECK(scope_allows(dom, 0, "http://blog.example.co.uk/"));
	CHECK(!scope_allows(dom, 0, "http://other.co.uk/"));
	CHECK(scope_allows(pre, 0, "http://www.example.co.uk/docs/guide/b.html"));
	CHECK(!scope_allows(pre, 0, "http://www.example.co.uk/docs/other.html"));
	CHECK(!scope_allows(pre, 0, "https://www.example.co.uk/docs/guide/b.html"));
	CHECK(scope_allows(re, 0, "http://z/page.html"));
	CHECK(!scope_allows(re, 0, "http://z/page.png"));
	CHECK(!scope_allows(re, 0, "http://z/private/page.html"));
	CHECK(!scope_allows(host, 7, "http://www.example.co.uk/")); /* no such seed */
	CHECK(scope_new(SCOPE_ANY, bad, 1, NULL, 0, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "'('") != NULL);
	scope_free(host);
	scope_free(dom);
	scope_free(pre);
	scope_free(re);
}

int main(void)
{
	RUN(scope_normal_form);
	RUN(scope_modes);
	return unit_any_failed;
}
