/*
 * test_writeout.c - -w templates: variables, escapes, errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "writeout.h"
#include "unit.h"

static char *apply(const char *fmt, const struct gf_record *rec)
{
	char err[128], *buf = NULL;
	size_t len = 0;
	struct writeout *wo = writeout_new(fmt, err, sizeof(err));
	FILE *fp = open_memstream(&buf, &len);

	if(wo)
		writeout_format(wo, fp, rec);
	fclose(fp);
	writeout_free(wo);
	return buf;
}

static void writeout_variables(void)
{
	char headers[] = "Content-Type: text/html\r\nX-A: 1\r\nx-a: 2\r\n";
	struct gf_record rec = {
		.index = 4, .url = "http://a/", .effective_url = "http://b/",
		.status = 200, .bytes = 42, .time = 1.5, .redirects = 1,
		.content_type = "text/html", .remote_ip = "127.0.0.1",
		.http_version = "1.1", .headers = headers,
		.headers_len = sizeof(headers) - 1,
	};
	char *s = apply("%{index} %{http_code} %{size_download} %{url} "
			"%{url_effective} %{num_redirects} %{http_version} "
			"%{header{x-A}} [%{errormsg}] %{exitcode} %{time_total}", &rec);

	CHECK_STR(s, "4 200 42 http://a/ http://b/ 1 1.1 1, 2 [] 0 1.500000");
	free(s);
}

static void writeout_escapes(void)
{
	struct gf_record rec = { .status = 7, .url = "u\x1b" };
	char *s = apply("a\\tb\\nc\\\\d%%e %{http_code} %{url} %x \\q", &rec);

	CHECK_STR(s, "a\tb\nc\\d%e 007 u\\x1b %x \\q");
	free(s);
}

static void writeout_errors(void)
{
	char err[128];

	CHECK(!writeout_new("%{nope}", err, sizeof(err)));
	CHECK(strstr(err, "'nope'") != NULL);
	CHECK(!writeout_new("%{url", err, sizeof(err)));
	CHECK(!writeout_new("%{header{}}", err, sizeof(err)));
	CHECK(err[0] != '\0');
}

int main(void)
{
	RUN(writeout_variables);
	RUN(writeout_escapes);
	RUN(writeout_errors);
	return unit_any_failed;
}
