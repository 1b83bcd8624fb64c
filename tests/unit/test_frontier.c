/*
 * test_frontier.c - the crawl queue keeps its order through the spill
 * file, bounds its memory, sees each URL once, and keeps the page limit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpset.h"
#include "frontier.h"
#include "gf.h"
#include "unit.h"

static void frontier_keeps_order_through_the_file(void)
{
	/* A budget of 4 KiB: most of 20,000 entries go to the file. */
	struct frontier *fr = frontier_memory_new(-1, 0, 4096);
	struct frontier_usage u;
	struct crawl_item it;
	char url[64], parent[64];
	size_t peak = 0, popped = 0;
	int bad = 0;

	for(int i = 0; i < 20000; i++) {
		snprintf(url, sizeof(url), "http://h/%d", i);
		snprintf(parent, sizeof(parent), "http://p/%d", i / 10);
		CHECK(frontier_push(fr, url, i % 3 ? parent : NULL, i % 7, i % 5, NULL));
		frontier_memory_usage(fr, &u);
		if(u.queue_memory > peak)
			peak = u.queue_memory;
		/* Take some as we go: head, file and tail all in use. */
		if(i % 3 == 0 && (frontier_pop(fr, &it) == GF_OK)) {
			snprintf(url, sizeof(url), "http://h/%zu", popped);
			bad += strcmp(it.url, url) != 0;
			popped++;
			free(it.url);
			free(it.parent);
		}
	}
	frontier_memory_usage(fr, &u);
	CHECK(u.queue_file > 0);
	CHECK(peak < 4096 * 3 / 2 + 256);
	while((frontier_pop(fr, &it) == GF_OK)) {
		int i = (int)popped;

		snprintf(url, sizeof(url), "http://h/%d", i);
		snprintf(parent, sizeof(parent), "http://p/%d", i / 10);
		bad += strcmp(it.url, url) != 0;
		bad += (i % 3 ? !it.parent || strcmp(it.parent, parent) : it.parent != NULL);
		bad += it.depth != i % 7 || it.seed != i % 5 || it.kind != FRONTIER_PAGE;
		popped++;
		free(it.url);
		free(it.parent);
	}
	CHECK(bad == 0);
	CHECK(popped == 20000);
	CHECK(frontier_size(fr) == 0);
	frontier_free(fr);
}

static void frontier_sees_each_once_and_keeps_limits(void)
{
	struct frontier *fr = frontier_memory_new(2, 5, 1 << 20);
	struct crawl_item it;

	CHECK(frontier_push(fr, "http://h/a", NULL, 0, 0, NULL));
	CHECK(!frontier_push(fr, "http://h/a", NULL, 1, 0, NULL));     /* seen */
	CHECK(!frontier_push(fr, "http://h/deep", NULL, 3, 0, NULL));  /* too deep */
	frontier_mark(fr, "http://h/redirected");
	CHECK(frontier_seen(fr, "http://h/redirected"));
	CHECK(!frontier_push(fr, "http://h/redirected", NULL, 1, 0, NULL));
	/* Work has names of its own: a sitemap may share a page's URL. */
	CHECK(frontier_push_work(fr, FRONTIER_SITEMAP, "http://h/a", NULL, 0, 1, 7, 3));
	CHECK(!frontier_push_work(fr, FRONTIER_SITEMAP, "http://h/a", NULL, 0, 1, 7, 4));
	for(int i = 0; i < 10; i++) {
		char url[32];

		snprintf(url, sizeof(url), "http://h/%d", i);
		frontier_push(fr, url, NULL, 1, 0, NULL);
	}
	CHECK(frontier_full(fr));      /* 5 pages */
	CHECK(!frontier_push_work(fr, FRONTIER_SITEMAP, "http://h/s2", NULL, 0, 0, 0, 0));
	CHECK((frontier_pop(fr, &it) == GF_OK) && !strcmp(it.url, "http://h/a") && it.kind == FRONTIER_PAGE);
	free(it.url);
	/* The sitemap queued before the limit is dropped when taken. */
	for(int n = 0; (frontier_pop(fr, &it) == GF_OK); n++) {
		CHECK(it.kind == FRONTIER_PAGE);
		free(it.url);
	}
	frontier_free(fr);
}

static void fpset_holds_millions_in_little(void)
{
	struct fpset set;
	char s[32];
	int missing = 0, dup = 0;

	fpset_init(&set);
	for(int i = 0; i < 1000000; i++) {
		snprintf(s, sizeof(s), "http://h/%d", i);
		dup += fpset_add(&set, fp_str(s, 1)) != 1;
	}
	for(int i = 0; i < 1000000; i += 3) {
		snprintf(s, sizeof(s), "http://h/%d", i);
		missing += !fpset_has(&set, fp_str(s, 1));
	}
	CHECK(dup == 0 && missing == 0);
	CHECK(!fpset_has(&set, fp_str("http://h/1000000", 1)));
	CHECK(fp_str("http://h/1", 1) != fp_str("http://h/1", 2));  /* salts */
	/* 8 bytes a slot, at most 3/4 full after growth... at least 3/8. */
	CHECK(fpset_bytes(&set) <= 1000000 * 8 * 8 / 3);
	fpset_release(&set);
}

static void frontier_spills_an_entry_larger_than_its_reads(void)
{
	struct frontier *fr = frontier_memory_new(-1, 0, 4096);
	char *big = malloc(20000);
	struct crawl_item it;

	memset(big, 'x', 19999);
	memcpy(big, "http://h/", 9);
	big[19999] = '\0';
	for(int i = 0; i < 50; i++) {
		char url[32];

		snprintf(url, sizeof(url), "http://h/%d", i);
		frontier_push(fr, url, i == 10 ? big : NULL, 0, 0, NULL);
	}
	for(int i = 0; i < 50; i++) {
		CHECK((frontier_pop(fr, &it) == GF_OK));
		CHECK(i != 10 || (it.parent && strlen(it.parent) == 19999));
		free(it.url);
		free(it.parent);
	}
	CHECK(!(frontier_pop(fr, &it) == GF_OK));
	free(big);
	frontier_free(fr);
}

int main(void)
{
	RUN(frontier_spills_an_entry_larger_than_its_reads);
	RUN(frontier_keeps_order_through_the_file);
	RUN(frontier_sees_each_once_and_keeps_limits);
	RUN(fpset_holds_millions_in_little);
	return unit_any_failed;
}
