/*
 * dns.c - c-ares on libev, and the answer cache.
 *
 * c-ares tells us which sockets to watch through ARES_OPT_SOCK_STATE_CB; each
 * gets an ev_io (struct dns_sock, freed when c-ares stops watching it). One
 * ev_timer follows ares_timeout() and calls ares_process_fd() with no fd when
 * it fires, which is how c-ares retries and times out.
 *
 * The cache is a chained hash of struct dns_entry by host name, grown
 * with it. An entry is pending (waiters queued, one lookup in flight) or
 * done (addrs or error, until expires). Expired entries are swept out as
 * the cache grows, and past DNS_MAX_ENTRIES the done ones all go: memory
 * follows the hosts of the last minutes, not every host ever met.
 */
#include "dns.h"

#include <ares.h>
#include <arpa/inet.h>
#include <ev.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"


struct dns_waiter {
	dns_done_fn done;             /* who asked */
	void *arg;                    /* its argument */
	struct dns_entry *entry;      /* the lookup it waits for */
	struct dns_waiter *next;      /* in the order they asked */
};

struct dns_entry {
	char *host;                   /* the name, as asked */
	bool pending;                 /* a lookup is in flight */
	char *addrs;                  /* the answer, NULL on failure */
	char *error;                  /* why it failed, NULL on success */
	double expires;               /* gf_now() after which to ask again */
	bool transient;               /* the failure may pass: do not keep it */
	struct dns_waiter *waiters;   /* callers of a pending lookup */
	struct dns_waiter **tail;     /* where the next waiter goes */
	struct dns *dns;              /* owner, for the c-ares callback */
	struct dns_entry *next;       /* hash chain */
};

struct dns_sock {
	ev_io io;                     /* watches fd for c-ares */
	struct dns *dns;              /* owner */
	struct dns_sock *next;        /* list of watched sockets */
};

struct dns {
	struct ev_loop *loop;         /* the hub */
	ares_channel channel;         /* c-ares state */
	ev_timer timer;               /* c-ares's next timeout */
	struct dns_sock *socks;       /* sockets c-ares wants watched */
	struct dns_entry **bucket;    /* the cache */
	size_t nbuckets;              /* a power of two */
	size_t nentries;
	size_t sweep_at;              /* entries that make a sweep */
	unsigned long queries;        /* lookups sent to c-ares */
	int family;                   /* AF_UNSPEC, AF_INET or AF_INET6 */
	bool closing;                 /* in dns_free(): ignore callbacks */
};

static void dns_notify(struct dns_entry *e);

/* ---------------------------------------------------- c-ares on the hub */

static void dns_arm_timer(struct dns *dns)
{
	struct timeval tv, *next = ares_timeout(dns->channel, NULL, &tv);

	ev_timer_stop(dns->loop, &dns->timer);
	if(next) {
		ev_timer_set(&dns->timer,
			     (double)next->tv_sec + (double)next->tv_usec / 1e6, 0.);
		ev_timer_start(dns->loop, &dns->timer);
	}
}

static void dns_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct dns *dns = container_of(w, struct dns, timer);

	(void)loop;
	(void)revents;
	ares_process_fd(dns->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	dns_arm_timer(dns);
}

static void dns_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct dns_sock *s = container_of(w, struct dns_sock, io);
	struct dns *dns = s->dns;
	int fd = w->fd;

	(void)loop;
	ares_process_fd(dns->channel,
			revents & EV_READ ? fd : ARES_SOCKET_BAD,
			revents & EV_WRITE ? fd : ARES_SOCKET_BAD);
	dns_arm_timer(dns);
}

static void dns_sock_state_cb(void *data, ares_socket_t fd, int readable,
			      int writable)
{
	struct dns *dns = data;
	struct dns_sock **pp = &dns->socks, *s;
	int events = (readable ? EV_READ : 0) | (writable ? EV_WRITE : 0);

	while(*pp && (*pp)->io.fd != fd)
		pp = &(*pp)->next;
	s = *pp;
	if(!events) {
		if(s) {
			ev_io_stop(dns->loop, &s->io);
			*pp = s->next;
			free(s);
		}
		return;
	}
	if(!s) {
		s = calloc(1, sizeof(*s));
		if(!s)
			return; /* the query times out instead */
		s->dns = dns;
		s->next = dns->socks;
		dns->socks = s;
		ev_io_init(&s->io, dns_io_cb, fd, events);
	} else {
		ev_io_stop(dns->loop, &s->io);
		ev_io_set(&s->io, fd, events);
	}
	ev_io_start(dns->loop, &s->io);
}

struct dns *dns_new(struct ev_loop *loop, const struct gf_config *cfg,
		    const char **error)
{
	struct ares_options opts;
	struct dns *dns = calloc(1, sizeof(*dns));
	int rc;

	if(!dns) {
		*error = "out of memory";
		return NULL;
	}
	dns->loop = loop;
	dns->nbuckets = 256;
	dns->sweep_at = 256;
	dns->bucket = calloc(dns->nbuckets, sizeof(*dns->bucket));
	if(!dns->bucket) {
		*error = "out of memory";
		free(dns);
		return NULL;
	}
	memset(&opts, 0, sizeof(opts));
	opts.sock_state_cb = dns_sock_state_cb;
	opts.sock_state_cb_data = dns;
	/* Hand SERVFAIL and REFUSED answers back as such, so that a record
	 * can say which it was, instead of "no server reachable". */
	opts.flags = ARES_FLAG_NOCHECKRESP;
	rc = ares_init_options(&dns->channel, &opts,
			       ARES_OPT_SOCK_STATE_CB | ARES_OPT_FLAGS);
	if(rc != ARES_SUCCESS) {
		*error = ares_strerror(rc);
		free(dns->bucket);
		free(dns);
		return NULL;
	}
	ev_timer_init(&dns->timer, dns_timer_cb, 0., 0.);
	dns->family = cfg->family == 4 ? AF_INET :
		      cfg->family == 6 ? AF_INET6 : AF_UNSPEC;
	if(cfg->dns_servers) {
		rc = ares_set_servers_ports_csv(dns->channel, cfg->dns_servers);
		if(rc != ARES_SUCCESS) {
			*error = "--dns-servers: not a list of ADDR[:PORT]";
			ares_destroy(dns->channel);
			free(dns->bucket);
			free(dns);
			return NULL;
		}
	}
	return dns;
}

static void dns_entry_free(struct dns_entry *e)
{
	free(e->host);
	free(e->addrs);
	free(e->error);
	free(e);
}

void dns_free(struct dns *dns)
{
	if(!dns)
		return;
	dns->closing = true;
	ares_destroy(dns->channel);
	/* Lookups still waiting end now, each waiter told once. */
	for(size_t i = 0; i < dns->nbuckets; i++)
		for(struct dns_entry *e = dns->bucket[i]; e; e = e->next)
			if(e->waiters) {
				free(e->addrs);
				free(e->error);
				e->addrs = NULL;
				e->error = gf_aprintf("could not resolve host: %s "
						      "(interrupted)", e->host);
				dns_notify(e);
			}
	ev_timer_stop(dns->loop, &dns->timer);
	while(dns->socks) {
		struct dns_sock *s = dns->socks;

		dns->socks = s->next;
		ev_io_stop(dns->loop, &s->io);
		free(s);
	}
	for(size_t i = 0; i < dns->nbuckets; i++) {
		while(dns->bucket[i]) {
			struct dns_entry *e = dns->bucket[i];

			dns->bucket[i] = e->next;
			dns_entry_free(e);
		}
	}
	free(dns->bucket);
	free(dns);
}

unsigned long dns_queries(const struct dns *dns)
{
	return dns->queries;
}

size_t dns_cached(const struct dns *dns)
{
	return dns->nentries;
}

/* ------------------------------------------------------------ the cache */

static size_t dns_hash(const char *host)
{
	size_t h = 5381;

	for(const unsigned char *p = (const unsigned char *)host; *p; p++)
		h = h * 33 + (size_t)(*p | 0x20);
	return h;
}

static struct dns_entry *dns_find(struct dns *dns, const char *host)
{
	struct dns_entry *e = dns->bucket[dns_hash(host) & (dns->nbuckets - 1)];

	while(e && strcasecmp(e->host, host) != 0)
		e = e->next;
	return e;
}

/* Out go the done entries that expired (all done ones when full anyway);
 * then, if the table is still full, it doubles. */
static void dns_sweep(struct dns *dns)
{
	double now = gf_now();
	bool all = dns->nentries >= DNS_MAX_ENTRIES;

	for(size_t i = 0; i < dns->nbuckets; i++) {
		struct dns_entry **pp = &dns->bucket[i];

		while(*pp) {
			struct dns_entry *e = *pp;

			if(e->pending || e->waiters || (!all && now < e->expires)) {
				pp = &e->next;
				continue;
			}
			*pp = e->next;
			dns_entry_free(e);
			dns->nentries--;
		}
	}
	if(dns->nentries >= dns->nbuckets) {
		size_t n = 2 * dns->nbuckets;
		struct dns_entry **bucket = calloc(n, sizeof(*bucket));

		for(size_t i = 0; bucket && i < dns->nbuckets; i++) {
			while(dns->bucket[i]) {
				struct dns_entry *e = dns->bucket[i];
				size_t b = dns_hash(e->host) & (n - 1);

				dns->bucket[i] = e->next;
				e->next = bucket[b];
				bucket[b] = e;
			}
		}
		if(bucket) {
			free(dns->bucket);
			dns->bucket = bucket;
			dns->nbuckets = n;
		}
	}
	/* Sweep again when the cache has doubled, or reaches its bound; one
	 * full of lookups in flight is let grow (they cannot go). */
	dns->sweep_at = 2 * dns->nentries > 256 ? 2 * dns->nentries : 256;
	if(dns->sweep_at > DNS_MAX_ENTRIES && dns->nentries < DNS_MAX_ENTRIES)
		dns->sweep_at = DNS_MAX_ENTRIES;
}

static struct dns_entry *dns_add(struct dns *dns, const char *host)
{
	struct dns_entry *e;
	size_t b;

	if(dns->nentries >= dns->sweep_at)
		dns_sweep(dns);
	e = calloc(1, sizeof(*e));
	if(!e || !(e->host = strdup(host))) {
		free(e);
		return NULL;
	}
	b = dns_hash(host) & (dns->nbuckets - 1);
	e->dns = dns;
	e->tail = &e->waiters;
	e->next = dns->bucket[b];
	dns->bucket[b] = e;
	dns->nentries++;
	return e;
}

/* Hand the entry's answer to every waiter, each exactly once. A waiter may
 * ask again from its callback; it then finds the entry done. */
static void dns_notify(struct dns_entry *e)
{
	struct dns_waiter *w = e->waiters;

	e->waiters = NULL;
	e->tail = &e->waiters;
	while(w) {
		struct dns_waiter *next = w->next;

		w->done(w->arg, e->addrs, e->addrs ? NULL : e->error, e->transient);
		free(w);
		w = next;
	}
}

static const char *dns_reason(int status)
{
	switch(status) {
	case ARES_ENOTFOUND: return "no such domain";
	case ARES_ENODATA:   return "no address for the name";
	case ARES_ESERVFAIL: return "server failure";
	case ARES_ETIMEOUT:  return "timed out";
	case ARES_EREFUSED:  return "refused by the server";
	case ARES_ECONNREFUSED: return "no DNS server reachable";
	default:             return ares_strerror(status);
	}
}

/* "a,b,[c]" from the answer, and the smallest TTL in it. */
static char *dns_format(const struct ares_addrinfo *ai, int *ttl)
{
	size_t cap = 1, len = 0;
	char *out;

	*ttl = (int)DNS_MAX_TTL;
	for(const struct ares_addrinfo_node *n = ai->nodes; n; n = n->ai_next)
		cap += INET6_ADDRSTRLEN + 3;
	out = malloc(cap);
	if(!out)
		return NULL;
	out[0] = '\0';
	for(const struct ares_addrinfo_node *n = ai->nodes; n; n = n->ai_next) {
		char buf[INET6_ADDRSTRLEN];
		const void *a = n->ai_family == AF_INET6 ?
			(const void *)&((struct sockaddr_in6 *)(void *)n->ai_addr)->sin6_addr :
			(const void *)&((struct sockaddr_in *)(void *)n->ai_addr)->sin_addr;

		if(!inet_ntop(n->ai_family, a, buf, sizeof(buf)))
			continue;
		len += (size_t)snprintf(out + len, cap - len,
					n->ai_family == AF_INET6 ? "%s[%s]" : "%s%s",
					len ? "," : "", buf);
		if(n->ai_ttl < *ttl)
			*ttl = n->ai_ttl < 0 ? 0 : n->ai_ttl;
	}
	if(len == 0) {
		free(out);
		return NULL;
	}
	return out;
}

static void dns_answer_cb(void *arg, int status, int timeouts,
			  struct ares_addrinfo *ai)
{
	struct dns_entry *e = arg;
	struct dns *dns = e->dns;
	int ttl = 0;

	(void)timeouts;
	if(dns->closing) {
		ares_freeaddrinfo(ai);
		return;
	}
	e->pending = false;
	free(e->addrs);
	free(e->error);
	e->addrs = status == ARES_SUCCESS && ai ? dns_format(ai, &ttl) : NULL;
	if(status == ARES_SUCCESS && !e->addrs)
		status = ARES_ENODATA;
	e->error = e->addrs ? NULL :
		gf_aprintf("could not resolve host: %s (%s)", e->host,
			   dns_reason(status));
	e->transient = !e->addrs && (status == ARES_ESERVFAIL ||
				     status == ARES_ETIMEOUT ||
				     status == ARES_ECONNREFUSED);
	/* An answer from /etc/hosts has a TTL of 0: kept a moment all the
	 * same, or each URL of the name would ask again. */
	e->expires = gf_now() +
		(e->addrs ? (ttl < DNS_MIN_TTL ? DNS_MIN_TTL : (double)ttl) :
		 e->transient ? 0 : DNS_NEGATIVE_TTL);
	ares_freeaddrinfo(ai);
	dns_notify(e);
}

/* "localhost" and names under it are the loopback (RFC 6761 6.3), as curl
 * has them: no server is asked, and no /etc/hosts entry is needed. */
static const char *dns_loopback(const struct dns *dns, const char *host)
{
	size_t n = strlen(host);

	if(n > 0 && host[n - 1] == '.')
		n--;
	if(!(n == 9 && !strncasecmp(host, "localhost", 9)) &&
	   !(n > 10 && !strncasecmp(host + n - 10, ".localhost", 10)))
		return NULL;
	return dns->family == AF_INET ? "127.0.0.1" :
	       dns->family == AF_INET6 ? "[::1]" : "127.0.0.1,[::1]";
}

struct dns_waiter *dns_resolve(struct dns *dns, const char *host,
			       dns_done_fn done, void *arg)
{
	struct ares_addrinfo_hints hints;
	const char *loopback = dns_loopback(dns, host);
	struct dns_entry *e;
	struct dns_waiter *w;

	if(loopback) {
		done(arg, loopback, NULL, false);
		return NULL;
	}
	e = dns_find(dns, host);

	if(!e)
		e = dns_add(dns, host);
	w = e ? malloc(sizeof(*w)) : NULL;
	if(!w) {
		done(arg, NULL, "could not resolve host: out of memory", false);
		return NULL;
	}
	if(!e->pending && (e->addrs || e->error) && gf_now() < e->expires) {
		free(w);
		done(arg, e->addrs, e->addrs ? NULL : e->error, false);
		return NULL;
	}
	w->done = done;
	w->arg = arg;
	w->entry = e;
	w->next = NULL;
	*e->tail = w;
	e->tail = &w->next;
	if(e->pending)
		return w;
	e->pending = true;
	dns->queries++;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = dns->family;
	hints.ai_socktype = SOCK_STREAM;
	ares_getaddrinfo(dns->channel, host, NULL, &hints, dns_answer_cb, e);
	dns_arm_timer(dns);
	/* c-ares may have answered at once (/etc/hosts): then w is gone. */
	return e->pending ? w : NULL;
}

void dns_cancel(struct dns_waiter *w)
{
	struct dns_entry *e = w->entry;
	struct dns_waiter **pp = &e->waiters;

	while(*pp && *pp != w)
		pp = &(*pp)->next;
	if(!*pp)
		return;
	*pp = w->next;
	if(e->tail == &w->next)
		e->tail = pp;
	free(w);
}
