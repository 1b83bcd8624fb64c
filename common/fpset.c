/*
 * fpset.c - fingerprints and their set.
 */
#include "fpset.h"

#include <stdlib.h>
#include <string.h>

#define FP_MUL 0x9e3779b97f4a7c15ull  /* 2^64 / golden ratio */

/* splitmix64's finaliser: every input bit moves every output bit. */
static uint64_t fp_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

uint64_t fp_hash(const void *p, size_t n, uint64_t salt)
{
	const unsigned char *s = p;
	uint64_t h = fp_mix(salt ^ (n * FP_MUL)), w;

	for(; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = fp_mix(h ^ w) + FP_MUL;
	}
	w = 0;
	memcpy(&w, s, n);
	h = fp_mix(h ^ w ^ ((uint64_t)n << 56));
	return h ? h : 1;
}

uint64_t fp_str(const char *s, uint64_t salt)
{
	return fp_hash(s, strlen(s), salt);
}

void fpset_init(struct fpset *set)
{
	set->slot = NULL;
	set->cap = set->n = 0;
}

void fpset_release(struct fpset *set)
{
	free(set->slot);
	fpset_init(set);
}

/* The slot of fp, or the free one where it would go. */
static uint64_t *fpset_slot(uint64_t *slot, size_t cap, uint64_t fp)
{
	size_t i = (size_t)(fp * FP_MUL >> 32) & (cap - 1);

	while(slot[i] && slot[i] != fp)
		i = (i + 1) & (cap - 1);
	return &slot[i];
}

bool fpset_has(const struct fpset *set, uint64_t fp)
{
	return set->cap && *fpset_slot(set->slot, set->cap, fp) != 0;
}

/* Move to a table of cap slots (a power of two, more than held). */
static bool fpset_resize(struct fpset *set, size_t cap)
{
	uint64_t *slot = calloc(cap, sizeof(*slot));

	if(!slot)
		return false;
	for(size_t i = 0; i < set->cap; i++)
		if(set->slot[i])
			*fpset_slot(slot, cap, set->slot[i]) = set->slot[i];
	free(set->slot);
	set->slot = slot;
	set->cap = cap;
	return true;
}

bool fpset_reserve(struct fpset *set, size_t n)
{
	size_t cap = set->cap ? set->cap : 1024;

	while(4 * n > 3 * cap)
		cap *= 2;
	return cap == set->cap || fpset_resize(set, cap);
}

int fpset_add(struct fpset *set, uint64_t fp)
{
	uint64_t *slot;

	if(fpset_has(set, fp))
		return 0;
	if(4 * (set->n + 1) > 3 * set->cap &&
	   !fpset_resize(set, set->cap ? 2 * set->cap : 1024))
		return -1;
	slot = fpset_slot(set->slot, set->cap, fp);
	*slot = fp;
	set->n++;
	return 1;
}

size_t fpset_bytes(const struct fpset *set)
{
	return set->cap * sizeof(*set->slot);
}
