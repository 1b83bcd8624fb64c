/*
 * test_css.c - the URLs a style sheet loads, as CSS tokenizes it: url()
 * quoted or not, @import, escapes; none from comments, strings or other
 * functions; the same whatever the pieces; and in HTML, from <style> and
 * style="", with assets only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "css.h"
#include "links.h"
#include "unit.h"

struct found {
	char text[4096];
};

static void found_cb(void *ctx, const char *url, size_t len, size_t start,
		     size_t end, char quote)
{
	struct found *f = ctx;

	(void)start, (void)end, (void)quote;
	strncat(f->text, url, len);
	strcat(f->text, " ");
}

/* The URLs of sheet, fed in pieces of chunk bytes. */
static void check_sheet(const char *sheet, const char *want)
{
	size_t n = strlen(sheet);

	for(size_t chunk = 1; chunk <= n; chunk = chunk < 8 ? chunk + 1 : chunk * 2) {
		struct found f = { "" };
		struct css *c = css_new(found_cb, &f);

		for(size_t off = 0; off < n; off += chunk)
			css_feed(c, sheet + off, n - off < chunk ? n - off : chunk);
		css_finish(c);
		if(strcmp(f.text, want))
			fprintf(stderr, "in pieces of %zu:\n", chunk);
		CHECK_STR(f.text, want);
		css_free(c);
	}
}

static void css_finds_what_loads(void)
{
	check_sheet("@import url(\"basic.css\");\n"
		    "a { background: url(file.png) no-repeat; }\n"
		    "b::after { content: url(caret-down.svg); }\n"
		    "@import 'i.css' screen;\n@import\"j.css\";\n"
		    "c { background: URL( 'q.png' ) }\n"
		    "d { background-image: url(  spaced.png  ) }",
		    "basic.css file.png caret-down.svg i.css j.css q.png spaced.png ");
}

static void css_skips_what_does_not(void)
{
	check_sheet("/* url(comment.png) @import 'c.css'; */\n"
		    "a { content: \"url(string.png)\"; font-family: 'x'; }\n"
		    "b { background: myurl(other.png) -url(minus.png); }\n"
		    "@importx 'no.css'; @import foo 'no2.css';\n"
		    "c { background: url(bad url.png) url(ok.png) }\n"
		    "d { background: url(bad\"q.png) }\n"
		    "e { content: 'line\nbreak'; background: url() }",
		    "ok.png ");
}

static void css_decodes_escapes(void)
{
	check_sheet("a { background: url(g\\29 .png) url(\\68 ash.png) }\n"
		    "b { background: url(\"q\\\"uote.png\") url('co\\\nnt.png') }\n"
		    "c { background: url(\\E9t\\E9.png) url(\\0) }",
		    "g).png hash.png q\"uote.png cont.png \xc3\xa9t\xc3\xa9.png \xef\xbf\xbd ");
	/* CR LF is one newline: a string goes on over an escaped one. */
	check_sheet("@import 'a\\\r\nb.css';", "ab.css ");
	/* Cut by the end: a url and an @import string still count. */
	check_sheet("a { background: url(end.png", "end.png ");
	check_sheet("@import 'open.css", "open.css ");
}

struct spans {
	const char *sheet;
	char text[1024];
};

static void span_cb(void *ctx, const char *url, size_t len, size_t start,
		    size_t end, char quote)
{
	struct spans *s = ctx;
	char buf[128];

	(void)url, (void)len;
	snprintf(buf, sizeof(buf), "%c{%.*s} ", quote ? quote : '-',
		 (int)(end - start), s->sheet + start);
	strcat(s->text, buf);
}

/* Where each URL is written: its bytes, within quotes or url( ). */
static void css_spans_are_the_bytes_as_written(void)
{
	static const char sheet[] =
		"/* c */ @import \"a.css\";\r\n x { background: url( b\\29 .png ) }"
		" y { background: url('c.png') url(d.png)} @import 'e.css";
	size_t n = strlen(sheet);

	for(size_t chunk = 1; chunk <= n; chunk++) {
		struct spans s = { sheet, "" };
		struct css *c = css_new(span_cb, &s);

		for(size_t off = 0; off < n; off += chunk)
			css_feed(c, sheet + off, n - off < chunk ? n - off : chunk);
		css_finish(c);
		CHECK_STR(s.text, "\"{a.css} -{b\\29 .png} '{c.png} -{d.png} '{e.css} ");
		css_free(c);
		if(unit_failed)
			break;
	}
}

static char *html_links(const char *html, bool assets)
{
	struct links *l = links_new(assets);
	static char out[4096];

	out[0] = '\0';
	links_feed(l, html, strlen(html));
	links_finish(l);
	for(size_t i = 0; i < links_count(l); i++) {
		strcat(out, links_get(l, i));
		strcat(out, " ");
	}
	links_free(l);
	return out;
}

static void css_in_html(void)
{
	static const char page[] =
		"<html><head><style>@import url(s.css); a { background: url(a<b.png) }"
		"</sty le> b { background: url(\"x.png\") }</style>"
		"<style media=print>/* url(no.png) */ c { background: url(c.png) }</style>"
		"</head><body style=\"background: url('body.png')\">"
		"<div STYLE='background:url(&quot;div.png&quot;)'><a href=p.html>p</a>"
		"<svg><style>@import 'svg.css';</style></svg>"
		"<style>d { background: url(cut.png)";

	CHECK_STR(html_links(page, true),
		  "s.css a<b.png x.png c.png body.png div.png p.html cut.png ");
	CHECK_STR(html_links(page, false), "p.html ");
}

static void css_sheet_body(void)
{
	struct links *l = links_new_sheet();
	const char *sheet = "@import 'a.css'; b { background: url(b.png) }";

	for(size_t i = 0; sheet[i]; i++)
		links_feed(l, sheet + i, 1);
	links_finish(l);
	CHECK(links_count(l) == 2);
	CHECK_STR(links_get(l, 0), "a.css");
	CHECK_STR(links_get(l, 1), "b.png");
	links_free(l);
}

int main(void)
{
	RUN(css_finds_what_loads);
	RUN(css_skips_what_does_not);
	RUN(css_decodes_escapes);
	RUN(css_spans_are_the_bytes_as_written);
	RUN(css_in_html);
	RUN(css_sheet_body);
	return unit_any_failed;
}
