/*
 * pile.h - results handed back in the order they were started, like
 * eventlet's GreenPile / GreenPool.imap.
 *
 * Flow: pool -> (seq) ... fetch ... -> pile_put(seq) -> release, in order.
 *
 * Every job takes a sequence number from pile_push() and hands its result to
 * pile_put() when done, in any order. The pile releases results strictly in
 * sequence order (or at once, when unordered), each as soon as all before it
 * are released. The reorder window bounds how far the newest sequence number
 * may run ahead of the oldest unreleased one: pile_has_room() says whether a
 * new job may start, so a slow head holds back new starts instead of letting
 * finished results pile up without end.
 */
#ifndef GF_PILE_H
#define GF_PILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pile;

/* Called once per item, in order; it owns the item from then on. It must not
 * call back into the pile. */
typedef void (*pile_release_fn)(void *arg, void *item);

/* A pile holding at most window jobs between push and release. */
struct pile *pile_new(size_t window, bool unordered,
		      pile_release_fn release, void *arg);

/* Free the pile; items put but not released are handed to drop (may be NULL). */
void pile_free(struct pile *pile, void (*drop)(void *item));

/* May another job be pushed without exceeding the window? */
bool pile_has_room(const struct pile *pile);

/* Reserve the next sequence number (0, 1, 2, ...). Call only with room. */
uint64_t pile_push(struct pile *pile);

/* Hand in the result of job seq; releases every item now at the head. */
void pile_put(struct pile *pile, uint64_t seq, void *item);

/* Jobs pushed but not yet released. */
size_t pile_pending(const struct pile *pile);

/* Items put but held back behind an unfinished head. */
size_t pile_held(const struct pile *pile);

#endif
