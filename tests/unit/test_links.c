/*
 * test_links.c - links found in HTML: which elements count, those after
 * the end of the html element too, and the same links whatever the sizes
 * of the pieces the body arrives in.
 */
#include <stdio.h>
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

/* A page given with a Content-Type, in pieces of chunk bytes. */
static char *parse_typed(const char *html, size_t n, size_t chunk,
			 const char *ctype, char *charset, size_t cslen)
{
	struct links *l = links_new(true);
	char *out;

	links_content_type(l, ctype);
	for(size_t off = 0; off < n; off += chunk)
		links_feed(l, html + off, n - off < chunk ? n - off : chunk);
	links_finish(l);
	out = joined(l);
	snprintf(charset, cslen, "%s", links_charset(l));
	links_free(l);
	return out;
}

static void check_page(const char *html, size_t n, const char *ctype,
		       const char *want, const char *want_charset)
{
	for(size_t chunk = 1; chunk <= n; chunk = chunk < 16 ? chunk + 1 : chunk * 3) {
		char cs[40], *s = parse_typed(html, n, chunk, ctype, cs, sizeof(cs));

		CHECK_STR(s, want);
		CHECK_STR(cs, want_charset);
		free(s);
	}
}

static void links_values_as_browsers_take_them(void)
{
	static const char page[] =
		"<a href=\"second\r\npage.html\">t</a><a href='\ttab\tbed.html '>"
		"<a href='a&amp;b&#x3D;c&lt;d'><a href='?x=1&copy=2'><a href='&copy;'>"
		"<a href=''><a href='#top'><a href=\"x&#0;y\">";

	check_page(page, sizeof(page) - 1, NULL,
		   "secondpage.html tabbed.html a&b=c<d ?x=1&copy=2 \xc2\xa9  #top "
		   "x\xef\xbf\xbdy ", "UTF-8");
}

static void links_in_the_pages_encoding(void)
{
	/* UTF-8 without a word about it: UTF-8. */
	static const char utf8[] = "<p>caf\xc3\xa9</p><a href='p_\xc3\xa9.txt'>"
				   "<a href='http://\xe4\xbb\x8a\xe6\x97\xa5.jp/'>";
	/* Latin-1 bytes without a word: windows-1252. */
	static const char latin[] = "<a href='p_\xe9.txt'><a href='\x80'>";
	/* The header's charset wins over the <meta>'s. */
	static const char meta[] = "<meta charset=utf-8><a href='p_\xe9.txt'>";
	/* A <meta> in the first 1024 bytes, when the header says nothing. */
	static const char koi[] = "<meta http-equiv='Content-Type' content='text/html; "
				  "charset=koi8-r'><a href='\xc1'>";
	/* A byte order mark beats them all. */
	static const char bom16[] = "\xff\xfe<\0a\0 \0h\0r\0e\0f\0=\0x\0\xe9\0>\0";

	check_page(utf8, sizeof(utf8) - 1, "text/html",
		   "p_\xc3\xa9.txt http://\xe4\xbb\x8a\xe6\x97\xa5.jp/ ", "UTF-8");
	check_page(latin, sizeof(latin) - 1, "text/html",
		   "p_\xc3\xa9.txt \xe2\x82\xac ", "WINDOWS-1252");
	check_page(meta, sizeof(meta) - 1, "text/html; charset=ISO-8859-1",
		   "p_\xc3\xa9.txt ", "WINDOWS-1252");
	check_page(koi, sizeof(koi) - 1, "text/html", "\xd0\xb0 ", "koi8-r");
	check_page(bom16, sizeof(bom16) - 1, "text/html; charset=iso-8859-2",
		   "x\xc3\xa9 ", "UTF-16LE");
}

static void links_bounded_by_unterminated_markup(void)
{
	/* 50 MB inside an unterminated comment, then a link: nothing is
	 * kept of the comment, and the link within the first 32 MiB only. */
	struct links *l = links_new(false);
	char *block = malloc(1 << 20);

	memset(block, 'x', 1 << 20);
	links_feed(l, "<a href='first.html'><!--", 25);
	for(int i = 0; i < 50; i++)
		links_feed(l, block, 1 << 20);
	links_feed(l, "--><a href='late.html'>", 23);
	links_finish(l);
	CHECK(links_count(l) == 1);
	CHECK_STR(links_get(l, 0), "first.html");
	links_free(l);
	free(block);
}

int main(void)
{
	RUN(links_values_as_browsers_take_them);
	RUN(links_in_the_pages_encoding);
	RUN(links_bounded_by_unterminated_markup);
	RUN(links_pages_only);
	RUN(links_with_assets);
	RUN(links_any_chunking);
	RUN(links_after_the_end_of_html);
	RUN(links_after_html_cut_by_a_block);
	return unit_any_failed;
}
