/*
 * fuzz_urlnorm.c - the normal form of URLs is idempotent: norm(norm(x))
 * == norm(x), and it is always http or https.
 */
#include <stdlib.h>
#include <string.h>

#include "scope.h"
#include "url.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *ref = strndup((const char *)data, size);
	char *once = ref ? url_normal("http://example.org/a/b/", ref) : NULL;
	char *twice = once ? url_normal(NULL, once) : NULL;

	if(once && (!twice || strcmp(once, twice) != 0))
		abort();
	if(once && strncmp(once, "http://", 7) && strncmp(once, "https://", 8))
		abort();
	free(ref);
	free(once);
	free(twice);
	return 0;
}
