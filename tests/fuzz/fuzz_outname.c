/*
 * fuzz_outname.c - a file name built from any URL parts or template never
 * leaves the output directory.
 */
#include <stdlib.h>
#include <string.h>

#include "outname.h"

static void check(const char *n)
{
	const char *p = n;

	if(!n)
		return;
	if(n[0] == '/' || strlen(n) > OUTNAME_MAX + 64)
		abort();
	while(*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if(len == 0 || len > OUTNAME_MAX_SEGMENT || (len == 1 && p[0] == '.') ||
		   (len == 2 && p[0] == '.' && p[1] == '.') || memchr(p, '\\', len))
			abort();
		for(size_t i = 0; i < len; i++)
			if((unsigned char)p[i] < 0x20)
				abort();
		p += len + (slash != NULL);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);
	struct outnames *set = outnames_new();
	size_t third = size / 3;
	char *a, *b;

	if(!s || !set)
		goto out;
	/* A copy with all its bytes (NULs too), so that the thirds are in it. */
	memcpy(s, data, size);
	s[size] = '\0';
	/* path = first third, query = second, template = the rest */
	{
		char *path = strndup(s, third), *query = strndup(s + third, third);
		char *tmpl = strdup(s + 2 * third);

		a = path && query ? outname_for_url(set, "h", "", path, query) : NULL;
		b = path && query && tmpl ?
			outname_for_template(set, tmpl, 7, "h", "81", path, query) : NULL;
		check(a);
		check(b);
		free(a);
		free(b);
		free(path);
		free(query);
		free(tmpl);
	}
out:
	outnames_free(set);
	free(s);
	return 0;
}
