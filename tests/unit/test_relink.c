/*
 * test_relink.c - a saved page's links turned to the mirror: saved files
 * by relative path (escaped for file://), the rest absolute, fragments
 * kept, every other byte as it was; in attributes, srcset, refresh,
 * style="", <style> and sheets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "relink.h"
#include "unit.h"

static const char *const saved[][2] = {
	{ "http://h/doc/index.html", "h/doc/index.html" },
	{ "http://h/doc/a.html", "h/doc/a.html" },
	{ "http://h/doc/lib/b.html", "h/doc/lib/b.html" },
	{ "http://h/doc/_static/theme.css?2022.1", "h/doc/_static/theme.css?2022.1" },
	{ "http://h/doc/_static/x%20y.png", "h/doc/_static/x%20y.png" },
	{ "http://h/img/1.png", "h/img/1.png" },
	{ "http://h/doc/_static/basic.css", "h/doc/_static/basic.css" },
};

static const char *lookup(void *ctx, const char *url)
{
	(void)ctx;
	for(size_t i = 0; i < sizeof(saved) / sizeof(saved[0]); i++)
		if(!strcmp(saved[i][0], url))
			return saved[i][1];
	return NULL;
}

static char *turned(const char *data, const char *url, const char *ctype,
		    const char *name)
{
	size_t n = 0;
	char *out = relink(data, strlen(data), url, ctype, name, lookup, NULL, &n);

	CHECK(!out || strlen(out) == n);
	return out;
}

static void relink_paths(void)
{
	static const char *const cases[][3] = {
		{ "h/doc/index.html", "h/doc/a.html", "a.html" },
		{ "h/doc/index.html", "h/doc/lib/b.html", "lib/b.html" },
		{ "h/doc/lib/b.html", "h/doc/a.html", "../a.html" },
		{ "h/doc/lib/b.html", "h/img/1.png", "../../img/1.png" },
		{ "h/doc/a.html", "h/doc/a.html", "a.html" },
		{ "h/a.html", "g:8080/b.html", "../g:8080/b.html" },
		{ "h/a.html", "h/x:y.html", "./x:y.html" },
		{ "h/a.html", "h/t.css?1#2 %", "t.css%3F1%232%20%25" },
	};

	for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *p = relink_path(cases[i][0], cases[i][1]);

		CHECK_STR(p, cases[i][2]);
		free(p);
	}
}

static void relink_a_page(void)
{
	static const char page[] =
		"<html><head><base href=\"http://h/doc/\">"
		"<link rel=stylesheet href=\"_static/theme.css?2022.1\">\n"
		"<style>@import url(_static/basic.css); i { background: url('../img/1.png') }</style>"
		"</head><body style=\"background: url(&quot;_static/x%20y.png&quot;)\">"
		"<a href=a.html#top>a</a> <a href='lib/b.html?q' id=x>b?q</a>"
		"<a href=\"#here\">here</a> <a href=\"mailto:me@h\">me</a>"
		"<a href=\"http://other/x.html\">other</a>"
		"<img src=\"../img/1.png\" srcset=\"../img/1.png 1x, ../img/2.png 2x\">"
		"<meta http-equiv=refresh content=\"5; url=a.html\">"
		"<a href=\"lib/b.html\">b</a></body></html>";
	char *out = turned(page, "http://h/doc/index.html", "text/html", "h/doc/index.html");

	CHECK_STR(out,
		"<html><head><base href=\"\">"
		"<link rel=stylesheet href=\"_static/theme.css%3F2022.1\">\n"
		"<style>@import url(_static/basic.css); i { background: url('../img/1.png') }</style>"
		"</head><body style=\"background: url(&quot;_static/x%2520y.png&quot;)\">"
		"<a href=a.html#top>a</a> <a href='http://h/doc/lib/b.html?q' id=x>b?q</a>"
		"<a href=\"#here\">here</a> <a href=\"mailto:me@h\">me</a>"
		"<a href=\"http://other/x.html\">other</a>"
		"<img src=\"../img/1.png\" srcset=\"../img/1.png 1x, http://h/img/2.png 2x\">"
		"<meta http-equiv=refresh content=\"5; url=a.html\">"
		"<a href=\"lib/b.html\">b</a></body></html>");
	free(out);
}

/* From a page in another directory every saved link changes: unquoted
 * values get quotes, in HTML and in CSS. */
static void relink_moves_quote(void)
{
	char *out = turned("<a href=a.html>a</a><style>p { background: url(_static/x%20y.png) }</style>"
			   "<p style='background: url(\"_static/basic.css\")'>",
			   "http://h/doc/", "text/html", "h/doc/lib/index.html");

	CHECK_STR(out, "<a href=\"../a.html\">a</a><style>p { background: url(\"../_static/x%2520y.png\") }</style>"
		  "<p style='background: url(\"../_static/basic.css\")'>");
	free(out);
}

static void relink_a_sheet(void)
{
	char *out = turned("@import \"basic.css\";\n/* url(no.png) */ a { background: url(../../img/1.png) }"
			   " b { background: url(\"gone.png\") }",
			   "http://h/doc/_static/theme.css?2022.1", "text/css",
			   "h/doc/_static/theme.css?2022.1");

	CHECK_STR(out, "@import \"basic.css\";\n/* url(no.png) */ a { background: url(../../img/1.png) }"
		  " b { background: url(\"http://h/doc/_static/gone.png\") }");
	free(out);
	/* Nothing to turn: NULL. */
	CHECK(turned("<a href=\"#x\">x</a>", "http://h/doc/a.html", "text/html", "h/doc/a.html") == NULL);
}

int main(void)
{
	RUN(relink_paths);
	RUN(relink_a_page);
	RUN(relink_moves_quote);
	RUN(relink_a_sheet);
	return unit_any_failed;
}
