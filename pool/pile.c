/*
 * pile.c - in-order release of results through a bounded ring.
 *
 * Job seq lives in slot seq & mask of a ring of at least `window` slots;
 * head is the oldest unreleased sequence number and next the one pile_push()
 * hands out, so head <= next <= head + window always.
 */
#include "pile.h"

#include <stdlib.h>

struct pile {
	void **slot;                  /* ring of finished items, NULL = not yet */
	size_t mask;                  /* ring size - 1 (size is a power of two) */
	size_t window;                /* jobs between push and release, at most */
	bool unordered;               /* release on put instead of in order */
	uint64_t head;                /* oldest unreleased sequence number */
	uint64_t next;                /* next sequence number to hand out */
	size_t done;                  /* items in the ring (ordered) */
	size_t released;              /* items released early (unordered) */
	pile_release_fn release;      /* where released items go */
	void *arg;                    /* first argument of release */
};

struct pile *pile_new(size_t window, bool unordered,
		      pile_release_fn release, void *arg)
{
	struct pile *pile;
	size_t size = 1;

	if(window == 0)
		window = 1;
	while(size < window)
		size <<= 1;
	pile = calloc(1, sizeof(*pile));
	if(!pile)
		return NULL;
	pile->slot = unordered ? NULL : calloc(size, sizeof(*pile->slot));
	if(!unordered && !pile->slot) {
		free(pile);
		return NULL;
	}
	pile->mask = size - 1;
	pile->window = window;
	pile->unordered = unordered;
	pile->release = release;
	pile->arg = arg;
	return pile;
}

void pile_free(struct pile *pile, void (*drop)(void *item))
{
	if(!pile)
		return;
	if(pile->slot && drop) {
		for(size_t i = 0; i <= pile->mask; i++)
			if(pile->slot[i])
				drop(pile->slot[i]);
	}
	free(pile->slot);
	free(pile);
}

bool pile_has_room(const struct pile *pile)
{
	return pile_pending(pile) < pile->window;
}

uint64_t pile_push(struct pile *pile)
{
	return pile->next++;
}

void pile_put(struct pile *pile, uint64_t seq, void *item)
{
	if(pile->unordered) {
		pile->released++;
		pile->release(pile->arg, item);
		return;
	}
	pile->slot[seq & pile->mask] = item;
	pile->done++;
	while(pile->head < pile->next && pile->slot[pile->head & pile->mask]) {
		void *ready = pile->slot[pile->head & pile->mask];

		pile->slot[pile->head & pile->mask] = NULL;
		pile->head++;
		pile->done--;
		pile->release(pile->arg, ready);
	}
}

size_t pile_pending(const struct pile *pile)
{
	if(pile->unordered)
		return (size_t)(pile->next - pile->released);
	return (size_t)(pile->next - pile->head);
}

size_t pile_held(const struct pile *pile)
{
	return pile->done;
}
