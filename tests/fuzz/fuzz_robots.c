/*
 * fuzz_robots.c - robots.txt parsing and matching on any bytes: no crash,
 * and /robots.txt itself is always allowed.
 */
#include <stdlib.h>
#include <string.h>

#include "robots.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	size_t split = size ? data[0] % (size + 1) : 0;
	char *path = strndup((const char *)data, split);
	struct robots *r = robots_parse((const char *)data + split, size - split,
					"greenfetch");

	if(r && path) {
		(void)robots_allowed(r, path);
		if(!robots_allowed(r, "/robots.txt"))
			abort();
		(void)robots_crawl_delay(r);
	}
	robots_free(r);
	free(path);
	return 0;
}
