/*
 * test_sitemap.c - sitemaps read as they stream: the same locations
 * whatever the cuts, gzip, indexes, and the protocol's caps.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sitemap.h"
#include "unit.h"

static const char urlset[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
	"<url><loc> http://h/a </loc><lastmod>2024-01-01</lastmod></url>\n"
	"<url><loc><![CDATA[http://h/b?x=1&y=2]]></loc></url>\n"
	"<url><loc>http://h/c?x=1&amp;y=2</loc></url>\n"
	"<url><priority>1</priority></url>\n"
	"<other><loc>http://h/not-an-entry</loc></other>\n"
	"</urlset>\n";

/* Feed text in pieces of step bytes. */
static struct sitemap *read_in(const char *text, size_t len, size_t step)
{
	struct sitemap *sm = sitemap_new();

	for(size_t at = 0; at < len; at += step)
		sitemap_feed(sm, text + at, len - at < step ? len - at : step);
	sitemap_finish(sm);
	return sm;
}

static void sitemap_reads_the_same_whatever_the_cuts(void)
{
	for(size_t step = 1; step < sizeof(urlset); step += 7) {
		struct sitemap *sm = read_in(urlset, sizeof(urlset) - 1, step);

		CHECK(sitemap_valid(sm) && !sitemap_is_index(sm));
		CHECK(sitemap_count(sm) == 3);
		CHECK_STR(sitemap_loc(sm, 0), "http://h/a");
		CHECK_STR(sitemap_loc(sm, 1), "http://h/b?x=1&y=2");
		CHECK_STR(sitemap_loc(sm, 2), "http://h/c?x=1&y=2");
		sitemap_free(sm);
	}
}

static void sitemap_reads_gzip_and_indexes(void)
{
	const char index[] = "<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap>"
			     "<sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>";
	unsigned char gz[512];
	z_stream z = { 0 };
	struct sitemap *sm;

	deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)index;
	z.avail_in = sizeof(index) - 1;
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	deflate(&z, Z_FINISH);
	sm = read_in((const char *)gz, sizeof(gz) - z.avail_out, 3);
	deflateEnd(&z);
	CHECK(sitemap_valid(sm) && sitemap_is_index(sm));
	CHECK(sitemap_count(sm) == 2);
	CHECK_STR(sitemap_loc(sm, 1), "/s2.xml");
	sitemap_free(sm);
	sm = read_in("<html><body>no</body></html>", 28, 28);
	CHECK(!sitemap_valid(sm) && sitemap_count(sm) == 0);
	sitemap_free(sm);
}

static void sitemap_keeps_the_protocols_caps(void)
{
	const char *entry = "<url><loc>http://h/x</loc></url>";
	struct sitemap *sm = sitemap_new();
	char *long_loc;
	int n = 0;

	/* 60,000 entries: 50,000 kept, and it says to stop. */
	CHECK(sitemap_feed(sm, "<urlset>", 8));
	for(int i = 0; i < 60000 && sitemap_feed(sm, entry, strlen(entry)); i++)
		n++;
	sitemap_finish(sm);
	CHECK(sitemap_count(sm) == SITEMAP_MAX_URLS);
	CHECK(sitemap_truncated(sm));
	CHECK(n < 60000);
	sitemap_free(sm);
	/* A location too long is left out; 60 MB of blanks stop at 50 MB. */
	long_loc = malloc(SITEMAP_MAX_LOC + 64);
	memset(long_loc, 'a', SITEMAP_MAX_LOC + 63);
	long_loc[SITEMAP_MAX_LOC + 63] = '\0';
	sm = sitemap_new();
	sitemap_feed(sm, "<urlset><url><loc>", 18);
	sitemap_feed(sm, long_loc, strlen(long_loc));
	sitemap_feed(sm, "</loc></url><url><loc>/ok</loc></url>", 37);
	memset(long_loc, ' ', SITEMAP_MAX_LOC);
	n = 0;
	while(sitemap_feed(sm, long_loc, SITEMAP_MAX_LOC) && n < 20000)
		n++;
	sitemap_finish(sm);
	CHECK(sitemap_count(sm) == 1);
	CHECK_STR(sitemap_loc(sm, 0), "/ok");
	CHECK((size_t)n * SITEMAP_MAX_LOC <= SITEMAP_MAX_SIZE);
	CHECK(n < 20000);
	free(long_loc);
	sitemap_free(sm);
}

int main(void)
{
	RUN(sitemap_reads_the_same_whatever_the_cuts);
	RUN(sitemap_reads_gzip_and_indexes);
	RUN(sitemap_keeps_the_protocols_caps);
	return unit_any_failed;
}
