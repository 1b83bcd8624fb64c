/*
 * test_url.c - the URL module.
 */
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

int main(void)
{
	RUN(url_mask_hides_passwords_only);
	return unit_any_failed;
}
