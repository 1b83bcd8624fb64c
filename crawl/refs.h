/*
 * refs.h - the references a page held already, by the key of
 * url_ref_key(): most of a page's links lead to a few pages
 * ("os.html#os.stat", "os.html#os.lstat"...), and what the first of them
 * did in the frontier (taken, seen, out of scope) the others would do
 * again, so they are not resolved.
 */
#ifndef GF_REFS_H
#define GF_REFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "links.h"

struct page_refs {
	struct { uint32_t link, len; } *slot;   /* link + 1, 0 = free */
	size_t mask;
};

/* For a page of n links; false out of memory. */
bool page_refs_init(struct page_refs *r, size_t n);
void page_refs_release(struct page_refs *r);

/* Was a reference with the key of link i seen before on the page? (It is
 * now.) */
bool page_refs_seen(struct page_refs *r, const struct links *l, size_t i);

#endif
