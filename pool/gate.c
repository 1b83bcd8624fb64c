/*
 * gate.c - per-key slots, per-key spacing and a global rate.
 *
 * Keys live in a chained hash, grown with them, as long as they matter:
 * a key is freed once nothing is in it, nothing waits for it and no
 * spacing of it is still to be kept (its next start is due). A key with
 * a spacing of its own (a Crawl-delay) stays. So 200,000 hosts of one
 * URL each cost what the hosts in flight cost. A wait moves OUT ->
 * QUEUED (no slot yet) -> TIMED (slot held, start not yet due) -> IN
 * (started) -> OUT.
 */
#include "gate.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"


enum { GATE_OUT, GATE_QUEUED, GATE_TIMED, GATE_IN };

struct gate_key {
	char *name;                   /* the key */
	int active;                   /* waits holding a slot (TIMED or IN) */
	double next_start;            /* ev_now() when the next may start */
	double spacing;               /* its own spacing, < 0 = the gate's */
	int limit;                    /* slowed: its slots now, 0 = not slowed */
	double slow;                  /* slowed: seconds added between starts */
	int good;                     /* successes since the last step */
	double slowed_at;             /* ev_now() when it was last slowed */
	struct gate_wait *head, *tail; /* QUEUED waits, in order */
	struct gate_key *next;        /* hash chain */
};

struct gate {
	struct ev_loop *loop;         /* the hub */
	int per_key;                  /* slots per key, 0 = no limit */
	double spacing;               /* seconds between starts of a key */
	double interval;              /* seconds between any starts (1/rate) */
	double rate_next;             /* ev_now() when the next may start */
	struct gate_key **bucket;     /* the keys */
	size_t nbuckets;              /* a power of two */
	size_t nkeys;
	size_t sweep_at;              /* keys that make a sweep for spent ones */
};

struct gate *gate_new(struct ev_loop *loop, int per_key, double spacing,
		      double rate)
{
	struct gate *gate = calloc(1, sizeof(*gate));

	if(!gate)
		return NULL;
	gate->nbuckets = 64;
	gate->sweep_at = 64;
	gate->bucket = calloc(gate->nbuckets, sizeof(*gate->bucket));
	if(!gate->bucket) {
		free(gate);
		return NULL;
	}
	gate->loop = loop;
	gate->per_key = per_key;
	gate->spacing = spacing;
	gate->interval = rate > 0 ? 1 / rate : 0;
	return gate;
}

void gate_free(struct gate *gate)
{
	if(!gate)
		return;
	for(size_t i = 0; i < gate->nbuckets; i++) {
		while(gate->bucket[i]) {
			struct gate_key *k = gate->bucket[i];

			gate->bucket[i] = k->next;
			free(k->name);
			free(k);
		}
	}
	free(gate->bucket);
	free(gate);
}

static size_t gate_hash(const char *name)
{
	size_t h = 5381;

	for(const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = h * 33 + (size_t)(*p | 0x20);
	return h;
}

/* Does the key matter no more: empty, nobody waiting, no spacing of its
 * own, its next start due? */
static bool gate_key_spent(const struct gate *gate, const struct gate_key *k)
{
	return k->active == 0 && !k->head && k->spacing < 0 && k->limit == 0 &&
	       k->next_start <= ev_now(gate->loop);
}

/* Free the spent keys; then, if the table is still full, double it. */
static void gate_sweep(struct gate *gate)
{
	for(size_t i = 0; i < gate->nbuckets; i++) {
		struct gate_key **pp = &gate->bucket[i];

		while(*pp) {
			struct gate_key *k = *pp;

			if(!gate_key_spent(gate, k)) {
				pp = &k->next;
				continue;
			}
			*pp = k->next;
			free(k->name);
			free(k);
			gate->nkeys--;
		}
	}
	if(gate->nkeys >= gate->nbuckets) {
		size_t n = 2 * gate->nbuckets;
		struct gate_key **bucket = calloc(n, sizeof(*bucket));

		for(size_t i = 0; bucket && i < gate->nbuckets; i++) {
			while(gate->bucket[i]) {
				struct gate_key *k = gate->bucket[i];
				size_t b = gate_hash(k->name) & (n - 1);

				gate->bucket[i] = k->next;
				k->next = bucket[b];
				bucket[b] = k;
			}
		}
		if(bucket) {
			free(gate->bucket);
			gate->bucket = bucket;
			gate->nbuckets = n;
		}
	}
	gate->sweep_at = 2 * gate->nkeys > 64 ? 2 * gate->nkeys : 64;
}

static struct gate_key *gate_key(struct gate *gate, const char *name, bool add)
{
	struct gate_key *k;
	size_t h;

	h = gate_hash(name) & (gate->nbuckets - 1);
	for(k = gate->bucket[h]; k; k = k->next)
		if(strcasecmp(k->name, name) == 0)
			return k;
	if(!add)
		return NULL;
	if(gate->nkeys >= gate->sweep_at) {
		gate_sweep(gate);
		h = gate_hash(name) & (gate->nbuckets - 1);
	}
	if(!(k = calloc(1, sizeof(*k))) || !(k->name = strdup(name))) {
		free(k);
		return NULL;
	}
	k->spacing = -1;
	k->next = gate->bucket[h];
	gate->bucket[h] = k;
	gate->nkeys++;
	return k;
}

static void admit(struct gate *gate, struct gate_key *k);
static bool key_full(const struct gate *gate, const struct gate_key *k);

static void gate_timer_cb(struct ev_loop *loop, ev_timer *t, int revents)
{
	struct gate_wait *w = container_of(t, struct gate_wait, timer);

	(void)loop;
	(void)revents;
	w->state = GATE_IN;
	w->began = ev_now(w->gate->loop);
	w->fn(w);
}

/* Has key k all the slots it may have now? */
static bool key_full(const struct gate *gate, const struct gate_key *k)
{
	int limit = k->limit > 0 ? k->limit : gate->per_key;

	return limit > 0 && k->active >= limit;
}

/* w holds a slot of its key: true when it may start now, else a timer
 * calls it when spacing and rate allow. */
static bool gate_schedule(struct gate *gate, struct gate_wait *w)
{
	struct gate_key *k = w->key;
	double now = ev_now(gate->loop), at = now;
	double spacing = (k->spacing >= 0 ? k->spacing : gate->spacing) + k->slow;

	if(spacing > 0) {
		at = k->next_start > at ? k->next_start : at;
		k->next_start = at + spacing;
	}
	if(gate->interval > 0) {
		at = gate->rate_next > at ? gate->rate_next : at;
		gate->rate_next = at + gate->interval;
	}
	if(at <= now) {
		w->state = GATE_IN;
		w->began = now;
		return true;
	}
	w->state = GATE_TIMED;
	ev_timer_init(&w->timer, gate_timer_cb, at - now, 0.);
	ev_timer_start(gate->loop, &w->timer);
	return false;
}

enum gate_result gate_enter(struct gate *gate, struct gate_wait *w,
			    const char *key, void (*fn)(struct gate_wait *w))
{
	struct gate_key *k = gate_key(gate, key, true);

	if(!k)
		return GATE_NOMEM;
	w->gate = gate;
	w->key = k;
	w->fn = fn;
	w->next = NULL;
	if(key_full(gate, k)) {
		w->state = GATE_QUEUED;
		if(k->tail)
			k->tail->next = w;
		else
			k->head = w;
		k->tail = w;
		return GATE_WAIT;
	}
	k->active++;
	return gate_schedule(gate, w) ? GATE_GO : GATE_WAIT;
}

static void gate_unqueue(struct gate_key *k, struct gate_wait *w)
{
	struct gate_wait **pp = &k->head, *prev = NULL;

	while(*pp && *pp != w) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if(!*pp)
		return;
	*pp = w->next;
	if(k->tail == w)
		k->tail = prev;
}

void gate_leave(struct gate_wait *w)
{
	struct gate_key *k = w->key;

	if(!k || w->state == GATE_OUT)
		return;
	if(w->state == GATE_QUEUED) {
		gate_unqueue(k, w);
		w->state = GATE_OUT;
		return;
	}
	if(w->state == GATE_TIMED)
		ev_timer_stop(w->gate->loop, &w->timer);
	w->state = GATE_OUT;
	k->active--;
	admit(w->gate, k);
}

/* Waiters of k take the slots it has free, first come first served. */
static void admit(struct gate *gate, struct gate_key *k)
{
	while(k->head && !key_full(gate, k)) {
		struct gate_wait *next = k->head;

		k->head = next->next;
		if(!k->head)
			k->tail = NULL;
		k->active++;
		/* Not called from here: the job that left may be ending inside
		 * the next one's start (a cached failure), and so on down the
		 * queue. */
		if(gate_schedule(gate, next)) {
			next->state = GATE_TIMED;
			ev_timer_init(&next->timer, gate_timer_cb, 0., 0.);
			ev_timer_start(gate->loop, &next->timer);
		}
	}
}

bool gate_throttle(struct gate_wait *w, double retry_after)
{
	struct gate_key *k = w->key;
	struct gate *gate = w->gate;
	double now;

	if(!k || w->state != GATE_IN)
		return false;
	now = ev_now(gate->loop);
	/* Once a second at most, and not for a job that started before the
	 * last time: a burst of answers is one signal. */
	if(!k->limit || (w->began >= k->slowed_at && now >= k->slowed_at + 1)) {
		/* Half the slots it has in use (at least one), twice the
		 * spacing. */
		int limit = (k->limit > 0 ? k->limit : k->active) / 2;

		k->limit = limit > 0 ? limit : 1;
		k->slow = k->slow > 0 ? k->slow * 2 : GATE_SLOW_FIRST;
		if(k->slow > GATE_SLOW_MAX)
			k->slow = GATE_SLOW_MAX;
		k->good = 0;
		k->slowed_at = now;
	}
	/* Retry-After holds the whole host back, not only the URL. */
	if(retry_after > 0 && k->next_start < now + retry_after)
		k->next_start = now + retry_after;
	else if(k->next_start < now + k->slow)
		k->next_start = now + k->slow;
	return true;
}

bool gate_ok(struct gate *gate, const char *key)
{
	struct gate_key *k = gate_key(gate, key, false);

	if(!k || k->limit == 0)
		return false;
	k->slow *= 0.95;
	if(k->slow < GATE_SLOW_FIRST / 10)
		k->slow = 0;
	if(++k->good < k->limit)
		return false;
	/* A round of successes: one slot more; back to the options' own once
	 * the slots pass them and the spacing is gone. */
	k->good = 0;
	k->limit++;
	if(k->slow == 0 && (gate->per_key == 0 || k->limit >= gate->per_key)) {
		k->limit = 0;
		admit(gate, k);
		return true;
	}
	admit(gate, k);
	return false;
}

bool gate_slowed(struct gate *gate, const char *key, int *slots, double *secs)
{
	struct gate_key *k = gate_key(gate, key, false);

	if(!k || k->limit == 0)
		return false;
	*slots = k->limit;
	*secs = (k->spacing >= 0 ? k->spacing : gate->spacing) + k->slow;
	return true;
}

void gate_set_spacing(struct gate *gate, const char *key, double secs)
{
	struct gate_key *k = gate_key(gate, key, true);

	if(k)
		k->spacing = secs;
}

bool gate_queued(const struct gate_wait *w)
{
	return w->state == GATE_QUEUED;
}

double gate_wait_secs(const struct gate_wait *w)
{
	return w->state == GATE_TIMED ? ev_timer_remaining(w->gate->loop,
		(ev_timer *)&w->timer) : 0;
}

size_t gate_keys(const struct gate *gate)
{
	return gate->nkeys;
}

int gate_active(struct gate *gate, const char *key)
{
	struct gate_key *k = gate_key(gate, key, false);

	return k ? k->active : 0;
}
