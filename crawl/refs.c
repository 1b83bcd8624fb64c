/*
 * refs.c - the references a page held already (refs.h).
 */
#include "refs.h"

#include <stdlib.h>
#include <string.h>

#include "fpset.h"
#include "url.h"

bool page_refs_init(struct page_refs *r, size_t n)
{
	size_t cap = 16;

	while(cap < 2 * n)
		cap *= 2;
	r->mask = cap - 1;
	return (r->slot = calloc(cap, sizeof(*r->slot))) != NULL;
}

void page_refs_release(struct page_refs *r)
{
	free(r->slot);
	r->slot = NULL;
}

bool page_refs_seen(struct page_refs *r, const struct links *l, size_t i)
{
	const char *ref = links_get(l, i);
	size_t len = url_ref_key(ref), h = (size_t)fp_hash(ref, len, 0);

	for(h &= r->mask; r->slot[h].link; h = (h + 1) & r->mask)
		if(r->slot[h].len == len &&
		   !memcmp(links_get(l, r->slot[h].link - 1), ref, len))
			return true;
	r->slot[h].link = (uint32_t)i + 1;
	r->slot[h].len = (uint32_t)len;
	return false;
}
