/*
 * strset.h - a set of strings: open addressing with linear probing, its
 * table doubled when half full. The crawl's seen set and the names -o has
 * given out are both one.
 */
#ifndef GF_STRSET_H
#define GF_STRSET_H

#include <stdbool.h>
#include <stddef.h>

struct strset {
	char **slot;                  /* the strings (copies), NULL = free */
	size_t cap;                   /* slots, a power of two */
	size_t n;                     /* strings in the set */
};

/* An empty set of cap slots (a power of two); false out of memory. */
bool strset_init(struct strset *set, size_t cap);
void strset_release(struct strset *set);

bool strset_has(const struct strset *set, const char *s);

/* Add a copy of s: 1 when added, 0 when it was there, -1 out of memory. */
int strset_add(struct strset *set, const char *s);

/* The set's own copy of s, added if need be; NULL out of memory. It lives
 * as long as the set. */
const char *strset_intern(struct strset *set, const char *s);

#endif
