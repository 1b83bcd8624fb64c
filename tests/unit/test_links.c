/*
 * test_links.c - links found in HTML: which elements count, those after
 * the end of the html element too, and the same links whatever the sizes
 * of the pieces the body arrives in.
 */
#include <stdlib.h>
#include <string.h>

#include "links.h"
#include "unit.h"

static const char page[] =
	"<!DOCTYPE html><html><head><base href='/base/'>"
	"<link rel='stylesheet' href='s.css'><link rel='Next' href='n.html'>"
	"<meta http-equiv='refresh' content='5; URL=\"r.html\"'>"
	"<title>t</title></head><body>"
	"<a href='a.html'>a</a><A HREF=\"B.html\">b</A><area href='area.html'>"
	"<iframe src='if.html'></iframe><frame src='f.html'>"
	"<img src='i.png' srcset='i1.png 1x, i2.png 2x'><script src='j.js'></script>"
	"<a name='no-href'>x</a><a href='  spaced.html  '>s</a>"
	"<p>unclosed <a href=x.html>x</body></html>";

static char *joined(struct links *l)
{
	size_t len = 1;
	char *out;

	for(size_t i = 0; i < links_count(l); i++)
		len += strlen(links_get(l, i)) + 1;
	out = calloc(1, len);
	for(size_t i = 0; out && i < links_count(l); i++) {
		strcat(out, links_get(l, i));
		strcat(out, " ");
	}
	return out;
}

static char *parse(const char *html, size_t chunk, bool assets)
{
	struct links *l = links_new(assets);
	size_t n = strlen(html);
	char *out;

	for(size_t off = 0; off < n; off += chunk)
		links_feed(l, html + off, n - off < chunk ? n - off : chunk);
	links_finish(l);
	out = joined(l);
	if(links_base(l))
		CHECK_STR(links_base(l), "/base/");
	links_free(l);
	return out;
}

static void links_pages_only(void)
{
	char *s = parse(page, sizeof(page), false);

	CHECK_STR(s, "n.html r.html a.html B.html area.html if.html f.html "
		  "spaced.html x.html ");
	free(s);
}

static void links_with_assets(void)
{
	char *s = parse(page, sizeof(page), true);

	CHECK_STR(s, "s.css n.html r.html a.html B.html area.html if.html f.html "
		  "i.png i1.png i2.png j.js spaced.html x.html ");
	free(s);
}

static void links_any_chunking(void)
{
	char *whole = parse(page, sizeof(page), true);

	for(size_t chunk = 1; chunk <= 128; chunk += (chunk < 8 ? 1 : 17)) {
		char *s = parse(page, chunk, true);

		CHECK_STR(s, whole);
		free(s);
	}
	free(whole);
}

/* libxml2's push parser stopped at "</html>": links after it were lost. */
static void links_after_the_end_of_html(void)
{
	static const char after[] =
		"<html><body><a href='a.html'>a</a></body></html>\n"
		"<script src='s.js'></script><a href='after.html'>b</a>"
		"</HTML ><a href='z.html'>z</a></html";
	char *whole = parse(after, sizeof(after), true);

	CHECK_STR(whole, "a.html s.js after.html z.html ");
	for(size_t chunk = 1; chunk <= 64; chunk++) {
		char *s = parse(after, chunk, true);

		CHECK_STR(s, whole);
		free(s);
	}
	free(whole);
}

/* The same where "</html>" straddles the end of the parser's first block
 * (4 KiB), at each place it can. */
static void links_after_html_cut_by_a_block(void)
{
	static const char tail[] = "</html><a href='after.html'>b</a>";
	char *page = malloc(4200);

	for(size_t at = 4086; page && at <= 4097; at++) {
		char *s;

		memset(page, ' ', at);
		memcpy(page, "<a href='a.html'>a</a>", 22);
		strcpy(page + at, tail);
		s = parse(page, 1000, false);
		CHECK_STR(s, "a.html after.html ");
		free(s);
	}
	free(page);
}

int main(void)
{
	RUN(links_pages_only);
	RUN(links_with_assets);
	RUN(links_any_chunking);
	RUN(links_after_the_end_of_html);
	RUN(links_after_html_cut_by_a_block);
	return unit_any_failed;
}
