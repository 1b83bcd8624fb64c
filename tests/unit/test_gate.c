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

int main(void)
{
	RUN(gate_forgets_spent_hosts);
	RUN(dns_cache_is_bounded);
	return unit_any_failed;
}
