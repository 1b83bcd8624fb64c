/*
 * fuzz_resolve.c - the quick resolver of references agrees with libcurl:
 * whatever it resolves, on any of a few bases, url_normal_at() resolves
 * to the same URL; so does the quick way for absolute URLs, with the
 * same host; and a reference cut to its key (url_ref_key()) resolves as
 * the whole one does. The first byte picks the base, the
 * rest is the reference.
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
	size_t host_at, host_len;
	struct url *b;

	if(size == 0)
		return 0;
	base = bases[data[0] % (sizeof(bases) / sizeof(bases[0]))];
	if(!(ref = strndup((const char *)data + 1, size - 1)))
		return 0;
	if(!(b = url_base(base))) {
		free(ref);
		return 0;
	}
	if(url_resolve_fast(base, ref, out, sizeof(out)) >= 0) {
		char *want = url_normal_at(b, ref, NULL);

		if(!want || strcmp(want, out) != 0)
			abort();
		free(want);
	}
	if(url_absolute_fast(ref, out, sizeof(out), &host_at, &host_len) >= 0) {
		char *host = NULL, *want = url_normal_at(b, ref, &host);

		if(!want || strcmp(want, out) != 0 || !host || strlen(host) != host_len ||
		   memcmp(host, out + host_at, host_len) != 0)
			abort();
		free(want);
		free(host);
	}
	if(url_ref_key(ref) < strlen(ref) && ref[url_ref_key(ref)] == '#') {
		char *whole = url_normal_at(b, ref, NULL), *cut;

		ref[url_ref_key(ref)] = '\0';
		cut = url_normal_at(b, ref, NULL);
		if(!whole != !cut || (whole && strcmp(whole, cut) != 0))
			abort();
		free(whole);
		free(cut);
	}
	url_free(b);
	free(ref);
	return 0;
}
