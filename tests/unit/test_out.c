/*
 * test_out.c - record formatting: the text columns, JSON escaping, and
 * neutralising what hostile input puts in strings.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out.h"
#include "unit.h"

/* Format rec and return the text (caller frees). */
static char *format(enum gf_format f, const struct gf_record *rec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	out_format(fp, f, rec);
	fclose(fp);
	return buf;
}

static void out_text_ok_record(void)
{
	struct gf_record rec = { .index = 1, .url = "http://a/", .status = 200,
				 .bytes = 1234, .time = 0.5 };
	char *s = format(GF_FORMAT_TEXT, &rec);

	CHECK_STR(s, "200\t1234\t0.500\thttp://a/\n");
	free(s);
}

static void out_text_failed_record(void)
{
	struct gf_record rec = { .index = 2, .url = "http://b/", .status = 0,
				 .time = 1.25, .error = "timed out" };
	char *s = format(GF_FORMAT_TEXT, &rec);

	CHECK_STR(s, "000\t0\t1.250\thttp://b/\ttimed out\n");
	free(s);
}

static void out_text_escapes_controls(void)
{
	struct gf_record rec = { .url = "http://x/\x1b[2J\t\r\n\xff\xc3\xa9",
				 .status = 200 };
	char *s = format(GF_FORMAT_TEXT, &rec);

	CHECK_STR(s, "200\t0\t0.000\thttp://x/\\x1b[2J\\x09\\x0d\\x0a\\xff\xc3\xa9\n");
	free(s);
}

static void out_json_record(void)
{
	struct gf_record rec = { .index = 3, .url = "http://a/\"q\"\\",
				 .effective_url = "http://a/e", .status = 404,
				 .bytes = 9, .time = 0.25, .redirects = 2,
				 .error = "HTTP 404 Not Found" };
	char *s = format(GF_FORMAT_JSON, &rec);

	CHECK_STR(s, "{\"index\":3,\"url\":\"http://a/\\\"q\\\"\\\\\","
		  "\"effective_url\":\"http://a/e\",\"status\":404,\"bytes\":9,"
		  "\"time\":0.250000,\"redirects\":2,"
		  "\"error\":\"HTTP 404 Not Found\",\"file\":null,\"attempts\":1}\n");
	free(s);
}

static void out_json_nulls_and_escapes(void)
{
	struct gf_record rec = { .index = 1, .url = "a\x01\n\xff\xc2\x85z" };
	char *s = format(GF_FORMAT_JSON, &rec);

	CHECK_STR(s, "{\"index\":1,\"url\":\"a\\u0001\\n\\ufffd\\u0085z\","
		  "\"effective_url\":null,\"status\":0,\"bytes\":0,"
		  "\"time\":0.000000,\"redirects\":0,\"error\":null,\"file\":null,\"attempts\":1}\n");
	free(s);
}

int main(void)
{
	RUN(out_text_ok_record);
	RUN(out_text_failed_record);
	RUN(out_text_escapes_controls);
	RUN(out_json_record);
	RUN(out_json_nulls_and_escapes);
	return unit_any_failed;
}
