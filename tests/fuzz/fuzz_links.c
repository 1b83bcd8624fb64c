/*
 * fuzz_links.c - the HTML link extractor finds the same links whether the
 * page comes whole or in random pieces of 1 to 128 bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "links.h"

static struct links *parse(const unsigned char *data, size_t size,
			   unsigned seed)
{
	struct links *l = links_new(true);
	size_t off = 0;

	while(l && off < size) {
		size_t n = seed ? 1 + (seed = seed * 1103515245u + 12345u) % 128 : size;

		if(n > size - off)
			n = size - off;
		links_feed(l, (const char *)data + off, n);
		off += n;
	}
	if(l)
		links_finish(l);
	return l;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct links *whole = parse(data, size, 0);
	struct links *bits = parse(data, size, (unsigned)size | 1);

	if(whole && bits) {
		if(links_count(whole) != links_count(bits))
			abort();
		for(size_t i = 0; i < links_count(whole); i++)
			if(strcmp(links_get(whole, i), links_get(bits, i)))
				abort();
	}
	links_free(whole);
	links_free(bits);
	return 0;
}
