/*
 * test_strset.c - the set of strings keeps every string once, through its
 * growth, and tells what it has.
 */
#include <stdio.h>

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

int main(void)
{
	RUN(strset_adds_each_string_once);
	return unit_any_failed;
}
