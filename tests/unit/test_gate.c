/*
 * test_gate.c - the per-host gate and the DNS cache forget what no longer
 * matters: 200,000 hosts met once cost what the hosts in flight cost.
 */
#include <ev.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "dns.h"
#include "gate.h"
#include "unit.h"

static void never_cb(struct gate_wait *w)
{
	(void)w;
}

static void gate_forgets_spent_hosts(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	struct gate *gate = gate_new(loop, 2, 0, 0);
	struct gate_wait w[3];
	char host[32];

	for(int i = 0; i < 200000; i++) {
		snprintf(host, sizeof(host), "h%d.example", i);
		CHECK(gate_enter(gate, &w[0], host, never_cb) == GATE_GO);
		gate_leave(&w[0]);
	}
	CHECK(gate_keys(gate) <= 256);
	/* A host with a job in it, one with a Crawl-delay: kept. */
	CHECK(gate_enter(gate, &w[1], "busy.example", never_cb) == GATE_GO);
	gate_set_spacing(gate, "slow.example", 10);
	for(int i = 0; i < 5000; i++) {
		snprintf(host, sizeof(host), "again%d.example", i);
		gate_enter(gate, &w[0], host, never_cb);
		gate_leave(&w[0]);
	}
	CHECK(gate_active(gate, "busy.example") == 1);
	CHECK(gate_enter(gate, &w[2], "slow.example", never_cb) == GATE_GO);
	gate_leave(&w[2]);
	/* The second start of slow.example waits its 10 s: it was kept. */
	CHECK(gate_enter(gate, &w[2], "slow.example", never_cb) == GATE_WAIT);
	gate_leave(&w[2]);
	gate_leave(&w[1]);
	gate_free(gate);
}

static void answer_cb(void *arg, const char *addrs, const char *error,
		      bool transient)
{
	(void)addrs;
	(void)error;
	(void)transient;
	++*(int *)arg;
}

static void dns_cache_is_bounded(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	struct gf_config cfg = { .family = 4 };
	const char *error = NULL;
	struct dns *dns = dns_new(loop, &cfg, &error);
	char host[32];
	int answers = 0;

	/* Numeric names (with -4) are answered at once, and kept a second: 100,000
	 * of them within that second fill the cache past its bound. */
	for(int i = 0; i < 100000; i++) {
		snprintf(host, sizeof(host), "10.%d.%d.%d", i >> 16, (i >> 8) & 255, i & 255);
		dns_resolve(dns, host, answer_cb, &answers);
	}
	CHECK(answers == 100000);
	CHECK(dns_cached(dns) <= DNS_MAX_ENTRIES);
	dns_free(dns);
}

/* A host that says 429 is slowed: half its slots, a spacing; one burst is
 * one signal; successes bring it back to the gate's own. */
static void gate_slows_and_recovers(void)
{
	struct ev_loop *loop = ev_default_loop(0);
	struct gate *gate = gate_new(loop, 8, 0, 0);
	struct gate_wait w[8];
	int slots = 0;
	double secs = 0;

	for(int i = 0; i < 8; i++)
		CHECK(gate_enter(gate, &w[i], "h", never_cb) == GATE_GO);
	CHECK(!gate_slowed(gate, "h", &slots, &secs));
	CHECK(gate_throttle(&w[0], 0));
	CHECK(gate_slowed(gate, "h", &slots, &secs));
	CHECK(slots == 4 && secs == GATE_SLOW_FIRST);
	/* The others of the same burst: no further halving. */
	for(int i = 1; i < 8; i++)
		gate_throttle(&w[i], 0);
	CHECK(gate_slowed(gate, "h", &slots, &secs) && slots == 4 && secs == GATE_SLOW_FIRST);
	for(int i = 0; i < 8; i++)
		gate_leave(&w[i]);
	/* Full after 4 now: a fifth waits. */
	for(int i = 0; i < 5; i++)
		gate_enter(gate, &w[i], "h", never_cb);
	CHECK(gate_queued(&w[4]));
	for(int i = 0; i < 5; i++)
		gate_leave(&w[i]);
	/* Successes: back to 8 slots and no spacing, then it says so. */
	bool back = false;

	for(int i = 0; i < 200 && !back; i++)
		back = gate_ok(gate, "h");
	CHECK(back);
	CHECK(!gate_slowed(gate, "h", &slots, &secs));
	gate_free(gate);
}

int main(void)
{
	RUN(gate_forgets_spent_hosts);
	RUN(dns_cache_is_bounded);
	RUN(gate_slows_and_recovers);
	return unit_any_failed;
}
