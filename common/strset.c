/*
 * strset.c - a set of strings, open addressing.
 */
#include "strset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t strset_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;   /* FNV-1a */

	for(; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The slot that holds s, or the free one where it would go. */
static char **strset_slot(char **slot, size_t cap, const char *s)
{
	size_t i = (size_t)strset_hash(s) & (cap - 1);

	while(slot[i] && strcmp(slot[i], s) != 0)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

bool strset_init(struct strset *set, size_t cap)
{
	set->slot = calloc(cap, sizeof(*set->slot));
	set->cap = set->slot ? cap : 0;
	set->n = 0;
	return set->slot != NULL;
}

void strset_release(struct strset *set)
{
	for(size_t i = 0; i < set->cap; i++)
		free(set->slot[i]);
	free(set->slot);
	set->slot = NULL;
	set->cap = set->n = 0;
}

bool strset_has(const struct strset *set, const char *s)
{
	return set->cap && *strset_slot(set->slot, set->cap, s) != NULL;
}

static bool strset_grow(struct strset *set)
{
	size_t cap = set->cap ? 2 * set->cap : 64;
	char **slot = calloc(cap, sizeof(*slot));

	if(!slot)
		return false;
	for(size_t i = 0; i < set->cap; i++)
		if(set->slot[i])
			*strset_slot(slot, cap, set->slot[i]) = set->slot[i];
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
	return true;
}

int strset_add(struct strset *set, const char *s)
{
	char **slot = set->cap ? strset_slot(set->slot, set->cap, s) : NULL;

	if(slot && *slot)
		return 0;
	if(2 * (set->n + 1) > set->cap) {
		if(!strset_grow(set))
			return -1;
		slot = strset_slot(set->slot, set->cap, s);
	}
	*slot = strdup(s);
	if(!*slot)
		return -1;
	set->n++;
	return 1;
}

const char *strset_intern(struct strset *set, const char *s)
{
	if(strset_add(set, s) < 0)
		return NULL;
	return *strset_slot(set->slot, set->cap, s);
}
