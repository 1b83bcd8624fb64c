/*
 * test_url.c - the URL module.
 */
#include <locale.h>
#include <stdlib.h>

#include "unit.h"
#include "url.h"

static void check_mask(const char *in, const char *want)
{
	int oom;
	char *got = url_mask(in, &oom);

	CHECK(!oom);
	CHECK_STR(got ? got : in, want);
	free(got);
}

static void url_mask_hides_passwords_only(void)
{
	check_mask("http://bob:s3cret@h/p", "http://bob:***@h/p");
	check_mask("https://bob:a%40b@h:8/p?q=1", "https://bob:***@h:8/p?q=1");
	check_mask("http://bob@h/", "http://bob@h/");        /* no password */
	check_mask("http://h/p?next=a:b@c", "http://h/p?next=a:b@c"); /* not userinfo */
	check_mask("x http://a:1@h/ and ftp://b:2@g/", "x http://a:***@h/ and ftp://b:***@g/");
	check_mask("http://a:@h/", "http://a:@h/");          /* empty password */
	check_mask("http://u:p:q@h/", "http://u:***@h/");    /* ':' in it */
	check_mask("http://u:p@x@h/", "http://u:***@h/");    /* the last '@' ends it */
	check_mask("://a:b@c", "://a:b@c");                  /* no scheme */
	check_mask("plain text", "plain text");
}

static void url_parse_gives_the_parts(void)
{
	char why[64];
	int err;
	struct url *u = url_parse("HTTPS://User@Example.ORG:8443/a/b?q=1#f", 0, &err, why, sizeof(why));

	CHECK(u && err == URL_OK);
	CHECK_STR(url_scheme(u), "https");
	CHECK(url_https(u) && !url_ip_literal(u) && url_port(u) == 8443);
	CHECK_STR(url_port_given(u), "8443");
	CHECK_STR(url_path(u), "/a/b");
	CHECK_STR(url_query(u), "q=1");
	url_free(u);
	u = url_parse("http://[::1]/", 0, &err, why, sizeof(why));
	CHECK(u && url_ip_literal(u) && url_port(u) == 80);
	CHECK_STR(url_host(u), "::1");
	CHECK_STR(url_port_given(u), "");
	{
		char *o = url_origin_of(u);

		CHECK_STR(o, "http://[::1]:80");
		free(o);
	}
	url_free(u);
	u = url_parse("http://\xe4\xbb\x8a\xe6\x97\xa5.jp/", 0, &err, why, sizeof(why));
	CHECK(u != NULL);
	CHECK_STR(url_host_ascii(u), "xn--wmq267c.jp");
	url_free(u);
	CHECK(!url_parse("ftp://h/", 0, &err, why, sizeof(why)) && err == URL_UNSUPPORTED);
	CHECK_STR(why, "ftp");
	CHECK(!url_parse("garbage", 0, &err, why, sizeof(why)) && err == URL_NO_SCHEME);
	CHECK(!url_parse("http://", 0, &err, why, sizeof(why)) && err == URL_MALFORMED);
	/* A proxy: any scheme, http when none, 1080 when no port. */
	u = url_parse("proxy.example", URL_ANY_SCHEME, &err, why, sizeof(why));
	CHECK(u && url_port(u) == 1080);
	url_free(u);
	u = url_parse("socks5h://10.0.0.1:9050", URL_ANY_SCHEME, &err, why, sizeof(why));
	CHECK(u && url_port(u) == 9050 && url_ip_literal(u));
	url_free(u);
}

static void check_normal(const char *base, const char *ref, const char *want)
{
	char *got = url_normal(base, ref);

	CHECK_STR(got, want);
	free(got);
}

static void url_normal_forms(void)
{
	check_normal(NULL, "HTTP://Example.ORG:80/a/./b/../c?Q#frag", "http://example.org/a/c?Q");
	check_normal("http://h/dir/page.html", "", "http://h/dir/page.html");
	check_normal("http://h/dir/page.html#x", "#top", "http://h/dir/page.html");
	check_normal("http://h/dir/page.html", "p_\xc3\xa9.txt", "http://h/dir/p_%C3%A9.txt");
	check_normal("http://h/dir/", "../x y", "http://h/x%20y");
	CHECK(url_normal("http://h/", "mailto:a@b") == NULL);
	{
		char *o = url_origin("https://h:8443/x"), *h = url_origin_host("http://[::1]:80");

		CHECK_STR(o, "https://h:8443");
		CHECK_STR(h, "::1");
		free(o);
		free(h);
	}
	CHECK(url_host_hash("http://Host:1/a") == url_host_hash("https://u@host/b"));
	CHECK(url_host_hash("http://host/a") != url_host_hash("http://other/a"));
}

/* RFC 3986 5.4's examples (5.4.1 normal, 5.4.2 abnormal), fragments left
 * out as the normal form does: the quick resolver gives the RFC's answer
 * and libcurl's, or leaves the reference to libcurl. */
static void url_resolve_fast_is_rfc3986(void)
{
	static const char *const cases[][2] = {
		{ "g:h", NULL }, { "g", "http://a/b/c/g" }, { "./g", "http://a/b/c/g" },
		{ "g/", "http://a/b/c/g/" }, { "/g", "http://a/g" }, { "//g", NULL },
		{ "?y", "http://a/b/c/d;p?y" }, { "g?y", "http://a/b/c/g?y" },
		{ "#s", "http://a/b/c/d;p?q" }, { "g#s", "http://a/b/c/g" },
		{ "g?y#s", "http://a/b/c/g?y" }, { ";x", "http://a/b/c/;x" },
		{ "g;x", "http://a/b/c/g;x" }, { "g;x?y#s", "http://a/b/c/g;x?y" },
		{ "", "http://a/b/c/d;p?q" }, { ".", "http://a/b/c/" },
		{ "./", "http://a/b/c/" }, { "..", "http://a/b/" },
		{ "../", "http://a/b/" }, { "../g", "http://a/b/g" },
		{ "../..", "http://a/" }, { "../../", "http://a/" },
		{ "../../g", "http://a/g" },
		{ "../../../g", "http://a/g" }, { "../../../../g", "http://a/g" },
		{ "/./g", "http://a/g" }, { "/../g", "http://a/g" },
		{ "g.", "http://a/b/c/g." }, { ".g", "http://a/b/c/.g" },
		{ "g..", "http://a/b/c/g.." }, { "..g", "http://a/b/c/..g" },
		{ "./../g", "http://a/b/g" }, { "./g/.", "http://a/b/c/g/" },
		{ "g/./h", "http://a/b/c/g/h" }, { "g/../h", "http://a/b/c/h" },
		{ "g;x=1/./y", "http://a/b/c/g;x=1/y" }, { "g;x=1/../y", "http://a/b/c/y" },
		{ "g?y/./x", "http://a/b/c/g?y/./x" }, { "g?y/../x", "http://a/b/c/g?y/../x" },
		{ "g#s/./x", "http://a/b/c/g" }, { "g#s/../x", "http://a/b/c/g" },
		{ "http:g", NULL },
		/* and what it leaves to libcurl */
		{ "a b", NULL }, { "%41", NULL }, { "\xc3\xa9", NULL }, { "g?", NULL },
		{ "a\\b", NULL }, { "HTTP://x/", NULL }
	};
	struct url *base = url_base("http://a/b/c/d;p?q");
	char out[256];

	CHECK(base != NULL);
	for(size_t i = 0; base && i < sizeof(cases) / sizeof(cases[0]); i++) {
		long n = url_resolve_fast("http://a/b/c/d;p?q", cases[i][0], out, sizeof(out));
		char *curl = url_normal_at(base, cases[i][0], NULL);

		if(cases[i][1]) {
			CHECK(n == (long)strlen(cases[i][1]));
			CHECK_STR(n >= 0 ? out : NULL, cases[i][1]);
			CHECK_STR(curl, cases[i][1]);
		} else if(n >= 0) {
			fprintf(stderr, "%s: taken, as %s\n", cases[i][0], out);
			CHECK(n < 0);
		}
		free(curl);
	}
	/* Too long for out: left to libcurl. */
	CHECK(url_resolve_fast("http://a/b/c/d;p?q", "gggggggggg", out, 20) < 0);
	url_free(base);
}

/* Absolute URLs in normal form but for a fragment or an empty path, as
 * libcurl would write them; the others left to it. */
static void url_absolute_fast_is_libcurls(void)
{
	static const char *const cases[][2] = {
		{ "https://www.python.org/", "https://www.python.org/" },
		{ "https://www.python.org", "https://www.python.org/" },
		{ "http://a.test/b/c?x=1#frag", "http://a.test/b/c?x=1" },
		{ "http://a.test?q", "http://a.test/?q" },
		{ "https://x-y.example/~u/a;b=c", "https://x-y.example/~u/a;b=c" },
		{ "HTTP://a.test/", NULL }, { "http://A.test/", NULL },
		{ "http://a.test:80/", NULL }, { "http://u@a.test/", NULL },
		{ "http://127.0.0.1/", NULL }, { "http://a.0x7f/", NULL },
		{ "http://a..b/", NULL }, { "http://a.test./", NULL },
		{ "http://a.test/./b", NULL }, { "http://a.test//b", NULL },
		{ "http://a.test/%41", NULL }, { "http://a.test/?", NULL },
		{ "ftp://a.test/", NULL }, { "http:a.test", NULL }
	};
	struct url *base = url_base("http://base.test/d/");

	for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256], *host = NULL, *want;
		size_t at, len;
		long n = url_absolute_fast(cases[i][0], out, sizeof(out), &at, &len);

		if(!cases[i][1]) {
			CHECK(n < 0);
			continue;
		}
		CHECK(n == (long)strlen(cases[i][1]));
		CHECK_STR(n >= 0 ? out : NULL, cases[i][1]);
		want = url_normal_at(base, cases[i][0], &host);
		CHECK_STR(want, cases[i][1]);
		CHECK(host && n >= 0 && strlen(host) == len && !memcmp(out + at, host, len));
		free(want);
		free(host);
	}
	url_free(base);
}

/* References with one key lead to one URL, on any base; a fragment
 * libcurl may refuse is part of the key. */
static void url_ref_key_is_what_decides(void)
{
	static const char *const same[][2] = {
		{ "os.html#os.stat", "os.html#os.lstat" }, { "os.html", "os.html#x" },
		{ "../a/b?q=1#top", "../a/b?q=1#" }, { "#a", "" },
		{ "https://x.test/p#1", "https://x.test/p#2" }
	};
	static const char *const bases[] = {
		"http://a/b/c/d;p?q", "https://h.test/", "http://a/doc/lib/os.html"
	};

	for(size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		const char *a = same[i][0], *b = same[i][1];

		CHECK(url_ref_key(a) == url_ref_key(b) && !memcmp(a, b, url_ref_key(a)));
		for(size_t k = 0; k < sizeof(bases) / sizeof(bases[0]); k++) {
			char *ra = url_normal(bases[k], a), *rb = url_normal(bases[k], b);

			CHECK_STR(ra, rb);
			free(ra);
			free(rb);
		}
	}
	CHECK(url_ref_key("a#b") == 1);
	CHECK(url_ref_key("a?b") == 3);
	CHECK(url_ref_key("a#b\001c") == 5);    /* not plain: all of it */
	CHECK(url_ref_key("a#b c") == 5);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");   /* as main() does, for libidn2 */
	RUN(url_parse_gives_the_parts);
	RUN(url_normal_forms);
	RUN(url_mask_hides_passwords_only);
	RUN(url_resolve_fast_is_rfc3986);
	RUN(url_ref_key_is_what_decides);
	RUN(url_absolute_fast_is_libcurls);
	return unit_any_failed;
}
