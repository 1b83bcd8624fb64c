/*
 * dns.h - name resolution with c-ares on the hub, with a cache.
 *
 * Flow: xfer -> dns_resolve -> (cache | c-ares on the hub) -> xfer, which
 * hands the addresses to curl as a CURLOPT_RESOLVE entry so that curl never
 * starts a resolver of its own.
 *
 * Lookups of the same name share one query while it is in flight; answers
 * are kept for their TTL, at least DNS_MIN_TTL seconds (a name from
 * /etc/hosts comes with none) and at most DNS_MAX_TTL, failures for
 * DNS_NEGATIVE_TTL seconds. Both A and AAAA are asked. "localhost" and
 * names under it are the loopback, without asking (RFC 6761). The callback
 * may run before dns_resolve() returns (a cached name, /etc/hosts).
 */
#ifndef GF_DNS_H
#define GF_DNS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define DNS_MIN_TTL      1.0          /* seconds an answer is kept, at least */
#define DNS_MAX_TTL      300.0        /* seconds an answer is kept, at most */
#define DNS_NEGATIVE_TTL 5.0          /* seconds a failure is kept */
#define DNS_MAX_ENTRIES  65536        /* names kept at most */

struct ev_loop;
struct dns;

/* addrs: "192.0.2.1,[2001:db8::1]" for CURLOPT_RESOLVE, or NULL with error
 * set ("could not resolve host: NAME (no such domain)"); transient says the
 * failure may pass (SERVFAIL, a timeout) and was not cached. */
typedef void (*dns_done_fn)(void *arg, const char *addrs, const char *error,
			    bool transient);

/* A resolver on loop, asking cfg->dns_servers (or the system's) for the
 * families cfg->family allows; NULL and a message in *error if c-ares
 * refuses. */
struct dns *dns_new(struct ev_loop *loop, const struct gf_config *cfg,
		    const char **error);
/* Lookups still in flight fail ("interrupted") before the resolver goes. */
void dns_free(struct dns *dns);

struct dns_waiter;

/* Resolve host (no brackets), calling done(arg, ...) exactly once, unless
 * cancelled. Returns a handle for dns_cancel() while the answer is pending,
 * NULL when done() already ran. */
struct dns_waiter *dns_resolve(struct dns *dns, const char *host,
			       dns_done_fn done, void *arg);

/* Forget a pending waiter: its done() will not run. The lookup goes on
 * for the others (and the cache). */
void dns_cancel(struct dns_waiter *w);

/* Queries sent to servers so far (cache misses). */
unsigned long dns_queries(const struct dns *dns);

/* Names in the cache now, pending ones included. */
size_t dns_cached(const struct dns *dns);

#endif
