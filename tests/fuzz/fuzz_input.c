/*
 * fuzz_input.c - the URL-line reader: every line that is not blank or a
 * comment comes out once, in order, whatever the pieces the bytes arrive in.
 */
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "input.h"

/* Lines from data fed in pieces of `chunk` bytes; returns how many. */
static size_t count(const unsigned char *data, size_t size, size_t chunk,
		    unsigned long *sum)
{
	struct linebuf lb;
	struct input_line line;
	size_t off = 0, n = 0;

	if(linebuf_init(&lb))
		return 0;
	*sum = 0;
	for(;;) {
		bool eof = off == size;

		while(linebuf_next(&lb, eof, &line) == GF_OK) {
			n++;
			*sum = *sum * 31 + line.len + (line.too_long ? line.full_len : 0);
			if(line.len > INPUT_MAX_LINE)
				abort();
		}
		if(eof)
			break;
		{
			size_t avail, k = size - off < chunk ? size - off : chunk;
			char *space = linebuf_space(&lb, &avail);

			if(k > avail)
				k = avail;
			memcpy(space, data + off, k);
			linebuf_commit(&lb, k);
			off += k;
		}
	}
	linebuf_release(&lb);
	return n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	unsigned long s1, s2;
	size_t whole = count(data, size, size ? size : 1, &s1);
	size_t small = count(data, size, 1 + (size % 7), &s2);

	if(whole != small || s1 != s2)
		abort();
	return 0;
}
