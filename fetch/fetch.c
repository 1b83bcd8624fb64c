/*
 * fetch.c - tries of URLs on the hub, many at once.
 *
 * Each try gets a struct fetch_job (an xfer plus what the hub needs); the
 * job is freed by fetch_finish(), which every path ends in exactly once.
 * Between hops the job holds its easy handle, so a redirect to the same
 * host can reuse the connection; handles go back to a free list afterwards.
 *
 * A try goes: lookup -> curl -> maybe redirect hops -> done, saying
 * whether the URL should be tried again and after how long. Waiting (for
 * a host, a rate, a retry's backoff) is the pool's, not this file's.
 */
#include "fetch.h"

#include <ares.h>
#include <ev.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dns.h"
#include "meter.h"
#include "gf.h"
#include "url.h"
#include "multi.h"
#include "xfer.h"

/* A name resolved without asking: --resolve, or the proxy's address. */
struct fetch_pin {
	char *host;                   /* name as in URLs */
	long port;                    /* port it applies to */
	const char *addrs;            /* "ADDR[,ADDR]" for CURLOPT_RESOLVE */
};

/* Plain-HTTP origins hash to this many counters of connections that may be
 * idle; origins that share one cost a search, nothing more. */
#define FETCH_IDLE_SLOTS 1024

struct fetch {
	struct ev_loop *loop;         /* the hub */
	const struct gf_config *cfg;  /* options */
	struct fetch_pin *pins;       /* --resolve entries */
	size_t npins;                 /* how many */
	char *proxy_host;             /* host of -x, NULL = no proxy */
	long proxy_port;              /* its port */
	bool proxy_literal;           /* proxy_host is an address */
	struct multi *multi;          /* curl on the hub */
	struct dns *dns;              /* c-ares on the hub */
	struct meter *meter;          /* --limit-rate, its hub's share */
	struct gf_log *log;           /* -v, NULL = none */
	struct xfer_lists lists;      /* request headers, shared by all */
	CURL **spare;                 /* easy handles ready for reuse */
	size_t nspare;                /* how many */
	size_t spare_cap;             /* room in spare */
	struct fetch_job *jobs;       /* every job started and not finished */
	size_t njobs;                 /* how many */
	size_t nheld;                 /* easy handles they hold */
	unsigned idle[FETCH_IDLE_SLOTS]; /* connections that may be idle, by
				       * origin: see fetch_fresh() */
	bool closing;                 /* in fetch_free(): start nothing */
	bool input_over;              /* fetch_drain(): no more tries come */
};

struct fetch_job {
	struct xfer x;                /* the transfer */
	struct fetch *f;              /* owner */
	struct curl_slist *resolve;   /* CURLOPT_RESOLVE entry of this hop */
	fetch_done_fn done;           /* whom to tell */
	void *arg;                    /* its argument */
	double retry;                 /* what to tell: try again after, or < 0 */
	bool in_multi;                /* the easy handle is in the multi handle */
	struct dns_waiter *dns_wait;  /* the lookup waited for, NULL = none */
	ev_timer dns_timer;           /* bounds that wait */
	double dns_limit;             /* seconds it allows */
	const char *lookup_host;      /* the name looked up: target or proxy */
	long lookup_port;             /* and its port */
	struct fetch_job *prev;       /* list of f->jobs */
	struct fetch_job *next;
};

static void fetch_hop(struct fetch_job *job);

/* The receive buffer of each easy handle: 16 KiB, curl's default, while
 * the buffers of all transfers in flight fit in FETCH_RECV_BUDGET; smaller
 * beyond that, down to 2 KiB. Slow servers at -c 1000 and more are where
 * memory per transfer counts; a buffer of 2 KiB still reads at hundreds of
 * MB/s a core. The size is set once, before the handle's first transfer. */
#define FETCH_RECV_BUDGET (2L << 20)
#define FETCH_RECV_MIN    2048L
#define FETCH_RECV_MAX    16384L

static long fetch_recv_buffer(const struct gf_config *cfg)
{
	long size = FETCH_RECV_BUDGET / (cfg->concurrency > 0 ? cfg->concurrency : 1);

	return size < FETCH_RECV_MIN ? FETCH_RECV_MIN :
	       size > FETCH_RECV_MAX ? FETCH_RECV_MAX : size;
}

/* The input is over: what the jobs still running cannot use goes as each
 * job ends, while other responses are awaited, rather than all at exit. */
static bool fetch_draining(const struct fetch *f)
{
	return !f->closing && f->input_over;
}

/* Past this many jobs in flight once the input is over, a job's connection
 * closes when it ends rather than staying for a redirect to its host:
 * libcurl 7.88 walks every connection it has when a transfer that kept
 * one is removed, 10,000 steps for each of the last 10,000 at -c 10000. */
#define FETCH_KEEP_MAX 64

static bool fetch_forbid_reuse(const struct fetch *f)
{
	return fetch_draining(f) && f->njobs > FETCH_KEEP_MAX;
}

/* A handle for a job, configured for the run: a spare or a new one.
 * NULL when none can be made (*rc says why when curl refused an option). */
static CURL *fetch_easy_get(struct fetch *f, CURLcode *rc)
{
	CURL *easy;

	*rc = CURLE_OK;
	if(f->nspare > 0) {
		f->nheld++;
		return f->spare[--f->nspare];
	}
	easy = curl_easy_init();
	if(!easy)
		return NULL;
	*rc = xfer_configure(easy, f->cfg);
	*rc |= curl_easy_setopt(easy, CURLOPT_BUFFERSIZE, fetch_recv_buffer(f->cfg));
	if(*rc) {
		curl_easy_cleanup(easy);
		return NULL;
	}
	f->nheld++;
	return easy;
}

static void fetch_easy_put(struct fetch *f, CURL *easy)
{
	if(!easy)
		return;
	f->nheld--;
	/* Draining: keep spares only for the jobs still without a handle. */
	if(fetch_draining(f) && f->nspare >= f->njobs - f->nheld) {
		curl_easy_cleanup(easy);
		return;
	}
	if(f->nspare == f->spare_cap) {
		size_t cap = f->spare_cap ? 2 * f->spare_cap : 16;
		CURL **more = realloc(f->spare, cap * sizeof(*more));

		if(!more) {
			curl_easy_cleanup(easy);
			return;
		}
		f->spare = more;
		f->spare_cap = cap;
	}
	f->spare[f->nspare++] = easy;
}

void fetch_drain(struct fetch *f)
{
	if(f->input_over)
		return;
	f->input_over = true;
	if(!fetch_draining(f))
		return;
	multi_set_maxconns(f->multi, f->njobs > 0 ? (long)f->njobs : 1L);
	/* Read by curl when the transfer ends: set on those in flight. */
	for(struct fetch_job *j = fetch_forbid_reuse(f) ? f->jobs : NULL; j; j = j->next)
		if(j->x.easy)
			curl_easy_setopt(j->x.easy, CURLOPT_FORBID_REUSE, 1L);
	while(f->nspare > f->njobs - f->nheld)
		curl_easy_cleanup(f->spare[--f->nspare]);
}

static void fetch_finish(struct fetch_job *job)
{
	struct fetch *f = job->f;
	fetch_done_fn done = job->done;
	void *arg = job->arg;
	double retry = job->retry;

	if(job->prev)
		job->prev->next = job->next;
	else
		f->jobs = job->next;
	if(job->next)
		job->next->prev = job->prev;
	f->njobs--;
	/* Idle connections beyond one (kept for a redirect to the same host)
	 * close as the next jobs end: each returns its own first. */
	if(fetch_draining(f))
		multi_set_maxconns(f->multi, f->njobs > 0 ? (long)f->njobs : 1L);
	ev_timer_stop(f->loop, &job->dns_timer);
	meter_forget(f->meter, job->x.easy);
	xfer_end(&job->x, retry >= 0);
	fetch_easy_put(job->f, job->x.easy);
	curl_slist_free_all(job->resolve);
	free(job);
	done(arg, retry);
}

/* The counter of x's origin (host and port of its hop). */
static unsigned *fetch_idle(struct fetch *f, const struct xfer *x)
{
	unsigned hash = 2166136261u ^ (unsigned)x->port;

	for(const char *p = x->host; *p; p++)
		hash = (hash ^ (unsigned char)*p) * 16777619u;
	return &f->idle[hash % FETCH_IDLE_SLOTS];
}

/* Should x's hop ask for a fresh connection? libcurl 7.88 looks for one to
 * reuse by walking every connection to the host, busy or not: 1,000 steps
 * per new transfer at 1,000 in flight to one host. So a plain-HTTP hop
 * whose origin has no transfer ended since the last reuse (nothing can be
 * idle) skips the search. Over TLS a busy connection may take it (HTTP/2),
 * and through a proxy any origin may share one: those always search. */
static bool fetch_fresh(struct fetch *f, const struct xfer *x)
{
	unsigned *idle;

	if(x->https || f->proxy_host)
		return false;
	idle = fetch_idle(f, x);
	if(*idle == 0)
		return true;
	(*idle)--;
	return false;
}

/* Start the current hop on curl, with addrs (NULL: an IP literal). */
static void fetch_launch(struct fetch_job *job, const char *addrs)
{
	struct fetch *f = job->f;
	CURLcode rc = CURLE_OK;
	CURL *easy = job->x.easy ? job->x.easy : fetch_easy_get(f, &rc);

	if(!easy) {
		if(rc)
			xfer_setup_failed(&job->x, rc);
		else
			xfer_fail(&job->x, f->closing ? GF_EXIT_ABORTED : GF_EXIT_NOMEM,
				  f->closing ? "interrupted" : "out of memory");
		fetch_finish(job);
		return;
	}
	job->x.easy = easy;
	job->x.meter = f->meter;
	curl_slist_free_all(job->resolve);
	job->resolve = NULL;
	if(addrs) {
		char *entry = gf_aprintf("%s:%ld:%s", job->lookup_host,
					 job->lookup_port, addrs);

		job->resolve = entry ? curl_slist_append(NULL, entry) : NULL;
		free(entry);
		if(!job->resolve) {
			xfer_fail(&job->x, GF_EXIT_NOMEM, "out of memory");
			fetch_finish(job);
			return;
		}
	}
	if(!xfer_prepare(&job->x, easy, &f->lists)) {
		fetch_finish(job);
		return;
	}
	curl_easy_setopt(easy, CURLOPT_RESOLVE, job->resolve);
	curl_easy_setopt(easy, CURLOPT_FRESH_CONNECT,
			 fetch_fresh(f, &job->x) ? 1L : 0L);
	curl_easy_setopt(easy, CURLOPT_FORBID_REUSE, fetch_forbid_reuse(f) ? 1L : 0L);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, job);
	job->in_multi = multi_add(f->multi, easy);
	if(!job->in_multi) {
		xfer_fail(&job->x, GF_EXIT_NOMEM, "cannot start the transfer");
		fetch_finish(job);
	}
}

/* The try is over: say whether another should follow, and after how
 * long (the record is then set for it). */
static void fetch_settle(struct fetch_job *job)
{
	if(job->f->closing || !xfer_retry(&job->x, &job->retry))
		job->retry = -1;
	fetch_finish(job);
}

static void fetch_dns_cb(void *arg, const char *addrs, const char *error,
			 bool transient)
{
	struct fetch_job *job = arg;

	job->dns_wait = NULL;
	ev_timer_stop(job->f->loop, &job->dns_timer);
	xfer_log(&job->x, "resolved %s: %s", job->lookup_host,
		 addrs ? addrs : error ? error : "failed");
	if(!addrs) {
		xfer_fail(&job->x, job->f->proxy_host ? GF_EXIT_PROXY_DNS : GF_EXIT_DNS,
			  "%s", error ? error : "could not resolve host");
		if(transient)
			xfer_set_retryable(&job->x);
		fetch_settle(job);
		return;
	}
	fetch_launch(job, addrs);
}

/* The lookup took longer than the connect timeout or the time left. */
static void fetch_dns_timer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct fetch_job *job = container_of(w, struct fetch_job, dns_timer);

	(void)loop;
	(void)revents;
	dns_cancel(job->dns_wait);
	job->dns_wait = NULL;
	xfer_fail(&job->x, GF_EXIT_TIMEOUT,
		  "could not resolve host: %s (timed out after %.3g s)",
		  job->lookup_host, job->dns_limit);
	xfer_set_retryable(&job->x);
	fetch_settle(job);
}

/* Seconds a lookup may take: the connect timeout or the time left, or 0
 * when neither is set (c-ares's own timeouts bound it then). */
static double fetch_dns_limit(struct fetch_job *job)
{
	const struct gf_config *cfg = job->f->cfg;
	double limit = cfg->connect_timeout;

	if(cfg->max_time > 0) {
		double left = cfg->max_time - (gf_now() - job->x.started);

		if(left < 0.001)
			left = 0.001;
		if(limit <= 0 || left < limit)
			limit = left;
	}
	return limit;
}

static const struct fetch_pin *fetch_find_pin(const struct fetch *f,
					      const char *host, long port)
{
	for(size_t i = 0; i < f->npins; i++)
		if(f->pins[i].port == port && strcasecmp(f->pins[i].host, host) == 0)
			return &f->pins[i];
	return NULL;
}

/* Find the addresses of the next hop: the target's, or with a proxy the
 * proxy's (the proxy resolves the target). */
static void fetch_hop(struct fetch_job *job)
{
	if(job->f->closing) {
		xfer_fail(&job->x, GF_EXIT_ABORTED, "interrupted");
		fetch_finish(job);
		return;
	}
	struct fetch *f = job->f;
	bool literal = f->proxy_host ? f->proxy_literal : job->x.ip_literal;
	const struct fetch_pin *pin;
	struct dns_waiter *w;
	double limit;

	xfer_hop_lookup(&job->x);
	job->lookup_host = f->proxy_host ? f->proxy_host : job->x.host;
	job->lookup_port = f->proxy_host ? f->proxy_port : job->x.port;
	pin = fetch_find_pin(f, job->lookup_host, job->lookup_port);
	if(literal || pin) {
		fetch_launch(job, pin ? pin->addrs : NULL);
		return;
	}
	limit = fetch_dns_limit(job);
	w = dns_resolve(f->dns, job->lookup_host, fetch_dns_cb, job);
	if(!w)
		return; /* answered already: the job may be finished and gone */
	job->dns_wait = w;
	if(limit > 0) {
		job->dns_limit = limit;
		ev_timer_set(&job->dns_timer, limit, 0.);
		ev_timer_start(f->loop, &job->dns_timer);
	}
}

static void fetch_multi_done_cb(void *arg, CURL *easy, CURLcode result)
{
	struct fetch_job *job = NULL;

	(void)arg;
	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&job);
	job->in_multi = false;
	/* Its connection may now be idle, for the next hop to its origin. */
	if(result == CURLE_OK && !job->x.https && !job->f->proxy_host) {
		unsigned *idle = fetch_idle(job->f, &job->x);

		if(*idle < UINT_MAX)
			(*idle)++;
	}
	if(xfer_hop_done(&job->x, result) == XFER_HOP)
		fetch_hop(job);
	else
		fetch_settle(job);
}

/* --resolve HOST:PORT:ADDRS entries, checked by options.c. */
static int fetch_parse_pins(struct fetch *f)
{
	const struct gf_config *cfg = f->cfg;

	if(cfg->nresolve == 0)
		return GF_OK;
	f->pins = calloc(cfg->nresolve, sizeof(*f->pins));
	if(!f->pins)
		return GF_ENOMEM;
	for(size_t i = 0; i < cfg->nresolve; i++) {
		const char *e = cfg->resolve[i];
		const char *c1 = strchr(e, ':'), *c2 = strchr(c1 + 1, ':');
		struct fetch_pin *pin = &f->pins[f->npins];

		pin->host = gf_strndup(e, (size_t)(c1 - e));
		if(!pin->host)
			return GF_ENOMEM;
		pin->port = strtol(c1 + 1, NULL, 10);
		pin->addrs = c2 + 1;
		f->npins++;
	}
	return GF_OK;
}

/* The proxy's host and port, to resolve it on the hub. */
static int fetch_parse_proxy(struct fetch *f, const char **error)
{
	char why[128];
	int err;
	struct url *u;

	if(!f->cfg->proxy)
		return GF_OK;
	u = url_parse(f->cfg->proxy, URL_ANY_SCHEME, &err, why, sizeof(why));
	if(!u) {
		*error = err == URL_NOMEM ? "out of memory" : "-x: not a proxy URL";
		return err == URL_NOMEM ? GF_ENOMEM : GF_EUSAGE;
	}
	f->proxy_literal = url_ip_literal(u);
	f->proxy_host = strdup(url_host_ascii(u));
	f->proxy_port = url_port(u);
	url_free(u);
	return f->proxy_host ? GF_OK : GF_ENOMEM;
}

struct fetch *fetch_new(struct ev_loop *loop, const struct gf_config *cfg,
			struct gf_log *log, const char **error)
{
	struct fetch *f = calloc(1, sizeof(*f));
	bool ok;

	*error = "out of memory";
	if(!f)
		return NULL;
	f->loop = loop;
	f->cfg = cfg;
	f->log = log;
	ok = xfer_lists_init(&f->lists, cfg);
	/* With -j, each hub takes its share of the rate. */
	if(ok && cfg->limit_rate)
		ok = (f->meter = meter_new(loop, (double)cfg->limit_rate /
					   (cfg->hubs > 1 ? cfg->hubs : 1))) != NULL;
	if(ok && (fetch_parse_pins(f) || fetch_parse_proxy(f, error))) {
		fetch_free(f);
		return NULL;
	}
	f->dns = ok ? dns_new(loop, cfg, error) : NULL;
	if(f->dns) {
		/* Connections kept open: as many as transfers in flight, so that
		 * file descriptors follow -c. */
		f->multi = multi_new(loop, (long)cfg->concurrency,
				     fetch_multi_done_cb, f);
		if(!f->multi)
			*error = "cannot start curl";
	}
	if(!f->multi) {
		fetch_free(f);
		return NULL;
	}
	return f;
}

void fetch_free(struct fetch *f)
{
	if(!f)
		return;
	/* Finish what is still running: the jobs waiting for names get a
	 * failure from dns_free(), the rest are taken out of curl. */
	f->closing = true;
	dns_free(f->dns);
	while(f->jobs) {
		struct fetch_job *job = f->jobs;

		if(job->in_multi)
			multi_remove(f->multi, job->x.easy);
		job->in_multi = false;
		xfer_fail(&job->x, GF_EXIT_ABORTED, "interrupted");
		fetch_finish(job);
	}
	multi_free(f->multi);
	while(f->nspare > 0)
		curl_easy_cleanup(f->spare[--f->nspare]);
	free(f->spare);
	xfer_lists_release(&f->lists);
	meter_free(f->meter);
	for(size_t i = 0; i < f->npins; i++)
		free(f->pins[i].host);
	free(f->pins);
	free(f->proxy_host);
	free(f);
}

void fetch_start(struct fetch *f, const struct gf_config *cfg,
		 struct gf_record *rec, struct gf_body *body,
		 fetch_done_fn done, void *arg)
{
	struct fetch_job *job = calloc(1, sizeof(*job));

	if(!job) {
		record_oom(rec);
		done(arg, -1);
		return;
	}
	job->f = f;
	job->done = done;
	job->arg = arg;
	job->retry = -1;
	ev_timer_init(&job->dns_timer, fetch_dns_timer_cb, 0., 0.);
	job->next = f->jobs;
	if(f->jobs)
		f->jobs->prev = job;
	f->jobs = job;
	f->njobs++;
	if(xfer_begin(&job->x, cfg ? cfg : f->cfg, f->log, rec, body) == XFER_DONE)
		fetch_finish(job);
	else
		fetch_hop(job);
}

int fetch_global_init(void)
{
	if(curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return GF_ENOMEM;
	if(ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
		curl_global_cleanup();
		return GF_ENOMEM;
	}
	return GF_OK;
}

void fetch_global_cleanup(void)
{
	ares_library_cleanup();
	curl_global_cleanup();
}

const char *fetch_versions(char *buf, size_t size)
{
	curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	snprintf(buf, size, "libcurl %s (%s)\nc-ares %s", cv->version,
		 cv->ssl_version ? cv->ssl_version : "no TLS", ares_version(NULL));
	return buf;
}
