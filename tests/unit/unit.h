/*
 * unit.h - the smallest test harness: CHECK() records a failure with its
 * line, RUN() prints "ok NAME" or "not ok NAME" for tests/run.sh to count.
 */
#ifndef GF_UNIT_H
#define GF_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;               /* the current test failed */
static int unit_any_failed;           /* some test failed */

#define CHECK(cond) do { \
	if(!(cond)) { \
		fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, \
			#cond); \
		unit_failed = 1; \
	} \
} while(0)

#define CHECK_STR(a, b) do { \
	const char *a_ = (a), *b_ = (b); \
	if(!a_ || !b_ || strcmp(a_, b_) != 0) { \
		fprintf(stderr, "%s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
			a_ ? a_ : "(null)", b_ ? b_ : "(null)"); \
		unit_failed = 1; \
	} \
} while(0)

#define RUN(test) do { \
	unit_failed = 0; \
	test(); \
	printf("%s unit:%s\n", unit_failed ? "not ok" : "ok", #test); \
	unit_any_failed |= unit_failed; \
} while(0)

#endif
