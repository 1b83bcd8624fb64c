/*
 * test_format.c - record formats: the text columns, JSON escaping,
 * neutralising what hostile input puts in strings, --broken lines and -w
 * templates (variables, escapes, errors).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "unit.h"

/* Write rec in the format (kind, tmpl, broken) and return the text
 * (caller frees); NULL when the format is refused. */
static char *write_as(enum gf_format kind, const char *tmpl, bool broken,
		      const struct gf_record *rec)
{
	char err[128], *buf = NULL;
	size_t len = 0;
	struct format *f = format_new(kind, tmpl, broken, err, sizeof(err));
	FILE *fp;

	if(!f)
		return NULL;
	fp = open_memstream(&buf, &len);
	format_write(f, fp, rec);
	fclose(fp);
	format_free(f);
	return buf;
}

static char *format(enum gf_format kind, const struct gf_record *rec)
{
	return write_as(kind, NULL, false, rec);
}

static char *apply(const char *tmpl, const struct gf_record *rec)
{
	return write_as(GF_FORMAT_WRITEOUT, tmpl, false, rec);
}

static void text_ok_record(void)
{
	struct gf_record rec = { .index = 1, .url = "http://a/", .status = 200,
				 .bytes = 1234, .time = 0.5 };
	char *s = format(GF_FORMAT_TEXT, &rec);

	CHECK_STR(s, "200\t1234\t0.500\thttp://a/\n");
	free(s);
}

static void text_failed_record(void)
{
	struct gf_record rec = { .index = 2, .url = "http://b/", .status = 0,
				 .time = 1.25, .error = "timed out" };
	char *s = format(GF_FORMAT_TEXT, &rec);

	CHECK_STR(s, "000\t0\t1.250\thttp://b/\ttimed out\n");
	free(s);
}

static void text_escapes_controls(void)
{
	struct gf_record rec = { .url = "http://x/\x1b[2J\t\r\n\xff\xc3\xa9",
				 .status = 200 };
	char *s = format(GF_FORMAT_TEXT, &rec);

	CHECK_STR(s, "200\t0\t0.000\thttp://x/\\x1b[2J\\x09\\x0d\\x0a\\xff\xc3\xa9\n");
	free(s);
}

static void json_record(void)
{
	struct gf_record rec = { .index = 3, .url = "http://a/\"q\"\\",
				 .effective_url = "http://a/e", .status = 404,
				 .bytes = 9, .time = 0.25, .redirects = 2,
				 .error = "HTTP 404 Not Found" };
	char *s = format(GF_FORMAT_JSON, &rec);

	CHECK_STR(s, "{\"index\":3,\"url\":\"http://a/\\\"q\\\"\\\\\","
		  "\"effective_url\":\"http://a/e\",\"status\":404,\"bytes\":9,"
		  "\"time\":0.250000,\"redirects\":2,"
		  "\"error\":\"HTTP 404 Not Found\",\"file\":null,\"attempts\":1,"
		  "\"etag\":null,\"last_modified\":null}\n");
	free(s);
}

static void json_nulls_and_escapes(void)
{
	struct gf_record rec = { .index = 1, .url = "a\x01\n\xff\xc2\x85z" };
	char *s = format(GF_FORMAT_JSON, &rec);

	CHECK_STR(s, "{\"index\":1,\"url\":\"a\\u0001\\n\\ufffd\\u0085z\","
		  "\"effective_url\":null,\"status\":0,\"bytes\":0,"
		  "\"time\":0.000000,\"redirects\":0,\"error\":null,\"file\":null,\"attempts\":1,"
		  "\"etag\":null,\"last_modified\":null}\n");
	free(s);
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

	CHECK(!format_new(GF_FORMAT_WRITEOUT, "%{nope}", false, err, sizeof(err)));
	CHECK(strstr(err, "'nope'") != NULL);
	CHECK(!format_new(GF_FORMAT_WRITEOUT, "%{url", false, err, sizeof(err)));
	CHECK(!format_new(GF_FORMAT_WRITEOUT, "%{header{}}", false, err, sizeof(err)));
	CHECK(err[0] != '\0');
}

/* --broken: STATUS, URL, PARENT ("-" for a seed), ERROR; for text only. */
static void broken_lines(void)
{
	struct gf_record rec = { .url = "http://a/x\t", .status = 404,
				 .parent = "http://a/", .error = "HTTP 404" };
	char *s = write_as(GF_FORMAT_TEXT, NULL, true, &rec);

	CHECK_STR(s, "404\thttp://a/x\\x09\thttp://a/\tHTTP 404\n");
	free(s);
	rec.parent = NULL;
	s = write_as(GF_FORMAT_TEXT, NULL, true, &rec);
	CHECK_STR(s, "404\thttp://a/x\\x09\t-\tHTTP 404\n");
	free(s);
	s = write_as(GF_FORMAT_JSON, NULL, true, &rec);
	CHECK(s && strncmp(s, "{\"index\":0,", 11) == 0);
	free(s);
}

/* A password in a URL is never shown. */
static void passwords_masked(void)
{
	struct gf_record rec = { .url = "http://u:pw@a/", .status = 200 };
	char *s = format(GF_FORMAT_JSON, &rec);

	CHECK(s && strstr(s, "\"http://u:***@a/\"") && !strstr(s, "pw"));
	free(s);
	s = apply("%{url}", &rec);
	CHECK_STR(s, "http://u:***@a/");
	free(s);
}

int main(void)
{
	RUN(text_ok_record);
	RUN(text_failed_record);
	RUN(text_escapes_controls);
	RUN(json_record);
	RUN(json_nulls_and_escapes);
	RUN(writeout_variables);
	RUN(writeout_escapes);
	RUN(writeout_errors);
	RUN(broken_lines);
	RUN(passwords_masked);
	return unit_any_failed;
}
