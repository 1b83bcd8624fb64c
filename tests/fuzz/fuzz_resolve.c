/*
 * fuzz_resolve.c - the quick resolver of references agrees with libcurl:
 * whatever it resolves, on any of a few bases, url_normal_at() resolves
 * to the same URL. The first byte picks the base, the rest is the
 * reference.
 */
#include <stdlib.h>
#include <string.h>

#include "url.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const bases[] = {
		"http://a/b/c/d;p?q", "https://example.org/", "http://h:8080/x/y/",
		"http://[::1]/a/b.html", "http://h/a/b/c/?x=1&y=2", "http://h/.a/b..c/d",
		"https://xn--bcher-kva.example/~u/index.html"
	};
	const char *base;
	char *ref, out[512];
	struct url *b;

	if(size == 0)
		return 0;
	base = bases[data[0] % (sizeof(bases) / sizeof(bases[0]))];
	if(!(ref = strndup((const char *)data + 1, size - 1)))
		return 0;
	if(url_resolve_fast(base, ref, out, sizeof(out)) >= 0 && (b = url_base(base))) {
		char *want = url_normal_at(b, ref, NULL);

		if(!want || strcmp(want, out) != 0)
			abort();
		free(want);
		url_free(b);
	}
	free(ref);
	return 0;
}
