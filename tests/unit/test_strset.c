/*
 * test_strset.c - the set of strings keeps every string once, through its
 * growth, tells what it has, and gives out its own copy of a string.
 */
#include <stdio.h>
#include <string.h>

#include "strset.h"
#include "unit.h"

static void strset_adds_each_string_once(void)
{
	struct strset set;
	char s[32];

	CHECK(strset_init(&set, 4));
	for(int i = 0; i < 5000; i++) {
		snprintf(s, sizeof(s), "http://h/%d", i);
		CHECK(strset_add(&set, s) == 1);
	}
	CHECK(set.n == 5000);
	CHECK(set.cap >= 10000);
	for(int i = 0; i < 5000; i += 7) {
		snprintf(s, sizeof(s), "http://h/%d", i);
		CHECK(strset_has(&set, s));
		CHECK(strset_add(&set, s) == 0);
	}
	CHECK(!strset_has(&set, "http://h/5000"));
	CHECK(!strset_has(&set, ""));
	CHECK(strset_add(&set, "") == 1);
	CHECK(strset_has(&set, ""));
	CHECK(set.n == 5001);
	strset_release(&set);
	CHECK(!strset_has(&set, "http://h/1"));
}

static void strset_interns_one_copy_per_string(void)
{
	struct strset set;
	char s[32];
	const char *first, *again;

	CHECK(strset_init(&set, 4));
	snprintf(s, sizeof(s), "example.org");
	first = strset_intern(&set, s);
	CHECK(first && first != s && !strcmp(first, "example.org"));
	/* The copy stays put while the table grows past it. */
	for(int i = 0; i < 100; i++) {
		snprintf(s, sizeof(s), "h%d.example.org", i);
		CHECK(strset_intern(&set, s) != NULL);
	}
	snprintf(s, sizeof(s), "example.org");
	again = strset_intern(&set, s);
	CHECK(again == first);
	CHECK(set.n == 101);
	strset_release(&set);
}

int main(void)
{
	RUN(strset_adds_each_string_once);
	RUN(strset_interns_one_copy_per_string);
	return unit_any_failed;
}
