/*
 * test_html_spans.c - where the tokenizer says tags and attribute values
 * are in the input: the bytes there are the tag and the value as written,
 * whatever the pieces the input comes in, by the one-pass reader of
 * html_fast.c or by the states.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"
#include "unit.h"

static const char page[] =
	"<!DOCTYPE html><html><head><title>a<b</title>"
	"<style>p { x: url(a.png) }</style></head>\r\n"
	"<body class=\"c\" data-x='y'><a href=\"one.html\">1</a>"
	"<A HREF=two.html>2</A><a href='three&amp;.html' id=x>3</a>"
	"<img src = \"sp.png\" alt><a href=\"cr\r\nlf.html\">4</a>"
	"<a href=\"\">5</a><a title=\"t\" href=\"six.html\"/>"
	"<a href=x?a=1&b=2>7</a></body></html>";

struct seen {
	char text[4096];
};

static void start_cb(void *ctx, const char *name, size_t len,
		     const struct html_attr *a, size_t n, bool self_closing);

static struct html *current;

static void start_cb(void *ctx, const char *name, size_t len,
		     const struct html_attr *a, size_t n, bool self_closing)
{
	struct seen *s = ctx;
	size_t start, end;
	char buf[256];

	(void)len;
	(void)self_closing;
	html_tag_span(current, &start, &end);
	snprintf(buf, sizeof(buf), "<%s>[%.*s]", name, (int)(end - start), page + start);
	strcat(s->text, buf);
	for(size_t i = 0; i < n; i++) {
		snprintf(buf, sizeof(buf), " %s=%c{%.*s}", a[i].name,
			 a[i].quote ? a[i].quote : '-',
			 (int)(a[i].raw_end - a[i].raw_start), page + a[i].raw_start);
		strcat(s->text, buf);
	}
	strcat(s->text, "\n");
}

static void end_cb(void *ctx, const char *name, size_t len)
{
	struct seen *s = ctx;
	size_t start, end;
	char buf[128];

	(void)len;
	html_tag_span(current, &start, &end);
	snprintf(buf, sizeof(buf), "</%s>[%.*s]\n", name, (int)(end - start), page + start);
	if(!strcmp(name, "style") || !strcmp(name, "title"))
		strcat(s->text, buf);
}

static void spans(size_t chunk, struct seen *s)
{
	static const struct html_ops ops = { start_cb, end_cb, NULL, NULL, NULL };
	size_t n = strlen(page);

	s->text[0] = '\0';
	current = html_new(&ops, s);
	for(size_t off = 0; off < n; off += chunk)
		html_feed(current, page + off, n - off < chunk ? n - off : chunk);
	html_finish(current);
	html_free(current);
}

static void html_spans_are_the_bytes_as_written(void)
{
	struct seen whole, bits;

	spans(sizeof(page), &whole);
	CHECK(strstr(whole.text, "<body>[<body class=\"c\" data-x='y'>] class=\"{c} data-x='{y}\n"));
	CHECK(strstr(whole.text, "<a>[<A HREF=two.html>] href=-{two.html}\n"));
	CHECK(strstr(whole.text, " href='{three&amp;.html} id=-{x}\n"));
	CHECK(strstr(whole.text, "<img>[<img src = \"sp.png\" alt>] src=\"{sp.png} alt=-{}\n"));
	CHECK(strstr(whole.text, " href=\"{cr\r\nlf.html}\n"));
	CHECK(strstr(whole.text, "<a>[<a href=\"\">] href=\"{}\n"));
	CHECK(strstr(whole.text, "<a>[<a title=\"t\" href=\"six.html\"/>] title=\"{t} href=\"{six.html}\n"));
	CHECK(strstr(whole.text, " href=-{x?a=1&b=2}\n"));
	CHECK(strstr(whole.text, "</title>[</title>]\n"));
	CHECK(strstr(whole.text, "<style>[<style>]\n</style>[</style>]\n"));
	if(unit_failed)
		fprintf(stderr, "%s", whole.text);
	for(size_t chunk = 1; chunk < 64; chunk++) {
		spans(chunk, &bits);
		if(strcmp(whole.text, bits.text)) {
			fprintf(stderr, "in pieces of %zu:\n%s", chunk, bits.text);
			CHECK(!strcmp(whole.text, bits.text));
			break;
		}
	}
}

int main(void)
{
	RUN(html_spans_are_the_bytes_as_written);
	return unit_any_failed;
}
