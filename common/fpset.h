/*
 * fpset.h - a set of 64-bit fingerprints: what a crawl has seen, or the
 * names -o has given out, in a fixed 8 bytes per entry whatever the
 * strings were (DESIGN invariant 3: a crawl's frontier is input too).
 *
 * Open addressing with linear probing, the table doubled when three
 * quarters full: 11 to 21 bytes per entry. Two different strings share a
 * fingerprint with a chance of about n^2 / 2^65: one in 3,700 at a
 * hundred million entries (the later one is then taken as seen).
 */
#ifndef GF_FPSET_H
#define GF_FPSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct fpset {
	uint64_t *slot;               /* fingerprints, 0 = free */
	size_t cap;                   /* slots, a power of two (0 = none yet) */
	size_t n;                     /* fingerprints in the set */
};

/* The fingerprint of n bytes at p, salted (0 is never returned). */
uint64_t fp_hash(const void *p, size_t n, uint64_t salt);
/* The same for a string. */
uint64_t fp_str(const char *s, uint64_t salt);

/* An empty set (no memory until the first add). */
void fpset_init(struct fpset *set);
void fpset_release(struct fpset *set);

bool fpset_has(const struct fpset *set, uint64_t fp);

/* Make room for n fingerprints in all, now (a set whose size is known
 * grows once, not by doubling: no old table beside the new one). */
bool fpset_reserve(struct fpset *set, size_t n);

/* Add fp: 1 when added, 0 when it was there, -1 out of memory. */
int fpset_add(struct fpset *set, uint64_t fp);

/* Bytes of memory the set holds. */
size_t fpset_bytes(const struct fpset *set);

#endif
