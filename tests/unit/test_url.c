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

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");   /* as main() does, for libidn2 */
	RUN(url_parse_gives_the_parts);
	RUN(url_normal_forms);
	RUN(url_mask_hides_passwords_only);
	return unit_any_failed;
}
