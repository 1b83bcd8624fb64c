/*
 * test_pile.c - the pile releases in sequence order, streams, and bounds
 * its window; the pool fills to its size and refills without recursion.
 */
#include <stdint.h>
#include <stdlib.h>

#include "gf.h"
#include "pile.h"
#include "unit.h"

struct sink {
	uint64_t got[4096];           /* released items, in release order */
	size_t n;
};

static void sink_release(void *arg, void *item)
{
	struct sink *s = arg;

	s->got[s->n++] = (uint64_t)(uintptr_t)item;
}

/* Items are seq + 1 so that none is NULL. */
#define ITEM(seq) ((void *)(uintptr_t)((seq) + 1))

static void pile_releases_in_order(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(8, false, sink_release, &s);
	uint64_t order[] = { 3, 1, 2, 0, 5, 4 };

	for(int i = 0; i < 6; i++)
		CHECK(pile_push(p) == (uint64_t)i);
	pile_put(p, order[0], ITEM(order[0]));
	pile_put(p, order[1], ITEM(order[1]));
	pile_put(p, order[2], ITEM(order[2]));
	CHECK(s.n == 0);              /* head (0) not done: nothing out */
	CHECK(pile_held(p) == 3);
	pile_put(p, order[3], ITEM(order[3]));
	CHECK(s.n == 4);              /* 0..3 released at once */
	pile_put(p, order[4], ITEM(order[4]));
	CHECK(s.n == 4);
	pile_put(p, order[5], ITEM(order[5]));
	CHECK(s.n == 6);
	for(size_t i = 0; i < s.n; i++)
		CHECK(s.got[i] == i + 1);
	CHECK(pile_pending(p) == 0);
	pile_free(p, NULL);
}

static void pile_streams_head_at_once(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(4, false, sink_release, &s);

	pile_push(p);
	pile_push(p);
	pile_put(p, 0, ITEM(0));
	CHECK(s.n == 1);              /* the head goes out before job 1 ends */
	pile_free(p, NULL);
}

static void pile_window_bounds_pushes(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(3, false, sink_release, &s);

	for(int i = 0; i < 3; i++) {
		CHECK(pile_has_room(p));
		pile_push(p);
	}
	CHECK(!pile_has_room(p));
	pile_put(p, 2, ITEM(2));
	pile_put(p, 1, ITEM(1));
	CHECK(!pile_has_room(p));     /* done behind a slow head still counts */
	pile_put(p, 0, ITEM(0));
	CHECK(pile_has_room(p));
	CHECK(s.n == 3);
	pile_free(p, NULL);
}

static void pile_ring_wraps(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(5, false, sink_release, &s);
	uint64_t next = 0;

	/* 2000 jobs, finishing in pairs swapped: 1,0,3,2,... */
	for(uint64_t i = 0; i < 2000; i += 2) {
		CHECK(pile_push(p) == next++);
		CHECK(pile_push(p) == next++);
		pile_put(p, i + 1, ITEM(i + 1));
		pile_put(p, i, ITEM(i));
	}
	CHECK(s.n == 2000);
	for(size_t i = 0; i < s.n && i < 2000; i++)
		CHECK(s.got[i] == i + 1);
	pile_free(p, NULL);
}

static void pile_unordered_releases_on_put(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(2, true, sink_release, &s);

	pile_push(p);
	pile_push(p);
	CHECK(!pile_has_room(p));
	pile_put(p, 1, ITEM(1));
	CHECK(s.n == 1 && s.got[0] == 2);
	CHECK(pile_has_room(p));
	pile_free(p, NULL);
}

static void drop_item(void *item)
{
	(void)item;
}

static void pile_free_drops_held(void)
{
	struct sink s = { .n = 0 };
	struct pile *p = pile_new(4, false, sink_release, &s);

	pile_push(p);
	pile_push(p);
	pile_put(p, 1, ITEM(1));
	pile_free(p, drop_item);      /* no leak under ASan */
	CHECK(s.n == 0);
}

int main(void)
{
	RUN(pile_releases_in_order);
	RUN(pile_streams_head_at_once);
	RUN(pile_window_bounds_pushes);
	RUN(pile_ring_wraps);
	RUN(pile_unordered_releases_on_put);
	RUN(pile_free_drops_held);
	return unit_any_failed;
}
