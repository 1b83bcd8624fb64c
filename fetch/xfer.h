/*
 * xfer.h - one URL's transfer: checking the input line, one curl easy handle
 * per hop, following redirects, and filling the record.
 *
 * Flow: pool -> xfer (check -> [resolve] -> hop -> redirect? -> hop ...) ->
 *       record -> pile.
 *
 * Both paths drive the same struct xfer: fetch.c on the hub (curl multi,
 * c-ares) and serial.c with curl_easy_perform(). Only who waits differs, so
 * both write the same records. Redirects are followed here, not by curl, so
 * that every new host is resolved the same way as the first and only http
 * and https are ever requested.
 */
#ifndef GF_XFER_H
#define GF_XFER_H

#include <curl/curl.h>
#include <stdbool.h>

#include "config.h"
#include "record.h"

/* A Retry-After longer than this (seconds) ends the retries. */
#define XFER_RETRY_AFTER_MAX 600

enum xfer_step {
	XFER_DONE,                    /* the record is final */
	XFER_HOP                      /* request xfer->url next (a redirect) */
};

struct xfer {
	const struct gf_config *cfg;  /* options */
	struct gf_log *log;           /* -v, NULL = none */
	struct gf_record *rec;        /* what is filled in (not owned) */
	struct gf_body *body;         /* where the body goes, NULL = nowhere */
	int body_state;               /* this hop: 0 unknown, 1 write, -1 skip */
	CURL *easy;                   /* the handle of the current hop */
	char *url;                    /* URL of the current hop, as given (owned) */
	struct url *u;                /* the same, parsed: handed to curl */
	bool https;                   /* its scheme is https */
	const char *host;             /* its host for the resolver: no brackets,
				       * punycode (u's) */
	long port;                    /* its port */
	bool ip_literal;              /* host is an address: nothing to resolve */
	double started;               /* gf_now() at the start */
	double hop_started;           /* gf_now() when the current hop's request
				       * began */
	double hop_began;             /* ... when the hop began: its lookup on
				       * the hub, else its request */
	bool hop_looked_up;           /* hop_began is the lookup's */
	char reason[64];              /* reason phrase of the last status line */
	char errbuf[CURL_ERROR_SIZE]; /* curl's message for the current hop */
	char *origin;                 /* host of the URL as given (its origin) */
	long origin_port;             /* its port */
	bool origin_https;            /* its scheme */
	bool cross_origin;            /* this hop left it: no credentials */
	bool get_only;                /* a 303 turned the method into GET */
	bool retryable;               /* the failure may pass when tried again */
	double retry_after;           /* Retry-After of the last response, -1 none */
	bool too_big;                 /* the body passed --max-filesize */
	char robots_tag[512];         /* X-Robots-Tag of this hop, joined */
	char **visited;               /* URLs of the hops so far (for loops) */
	size_t nvisited;
	struct meter *meter;          /* --limit-rate's, NULL = none */
	struct curl_slist *since;     /* the headers and --since's validators,
				       * for the first hop */
};

/* What every transfer of a run sends: curl lists built once. */
struct xfer_lists {
	struct curl_slist *headers;   /* -H headers */
	struct curl_slist *headers_cross; /* the same less credentials, for
					     hops on another origin */
	struct curl_slist *resolve;   /* --resolve, for curl's resolver */
	const char *jar;              /* --cookie-jar FILE, NULL = none */
	CURLSH *cookies;              /* -b FILE's cookie engine, loaded once;
				       * attached to the hops that may carry
				       * credentials only, NULL = none */
};

/* Begin: take the record (url and index set) and check its URL. Returns
 * XFER_HOP when there is something to request, XFER_DONE when the input
 * line is not a fetchable URL (the record says why). */
enum xfer_step xfer_begin(struct xfer *x, const struct gf_config *cfg,
			  struct gf_log *log, struct gf_record *rec,
			  struct gf_body *body);

/* The transfer leaves the queue: its first lookup or request begins
 * (the record says so, to tell it from one that never began, and when,
 * in time_queue). */
void xfer_began(struct xfer *x);

/* A hop begins with a lookup on the hub's resolver (its request comes
 * after it, in xfer_prepare()). */
void xfer_hop_lookup(struct xfer *x);

/* Give a new easy handle what every transfer of the run shares; once,
 * before its first hop. A try may bring its own cfg (the crawl's for
 * robots.txt) as long as it differs from the run's only in what each hop
 * sets: the method, --max-filesize, and what curl is not told. */
CURLcode xfer_configure(CURL *easy, const struct gf_config *cfg);

/* Fail the transfer: its handle could not be set up (rc). */
void xfer_setup_failed(struct xfer *x, CURLcode rc);

/* Set up easy (configured) for the current hop (x->url): what is the
 * hop's own. Returns false when out of memory (the record says so). */
bool xfer_prepare(struct xfer *x, CURL *easy, const struct xfer_lists *lists);

/* curl's callbacks for a hop's body and header lines; arg is the xfer. */
size_t xfer_write_cb(char *data, size_t size, size_t n, void *arg);
size_t xfer_header_cb(char *data, size_t size, size_t n, void *arg);

/* The current hop ended with result: decide whether to follow a redirect. */
enum xfer_step xfer_hop_done(struct xfer *x, CURLcode result);

/* Parse url and make it the next hop. what names it in messages ("URL" or
 * "redirect"). False, with the record's error set, when it is unusable. */
bool xfer_set_url(struct xfer *x, const char *url, const char *what);

/* Fail the transfer with a message (before or between hops). */
void xfer_fail(struct xfer *x, int exitcode, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A -v message about x ("#INDEX ..." is prepended). */
void xfer_log(const struct xfer *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* After XFER_DONE: is the failure worth another try? Then the record is
 * set for it (the next try begins with xfer_begin() again), and *wait
 * says how long to wait first (Retry-After, or exponential backoff with
 * jitter). */
bool xfer_retry(struct xfer *x, double *wait);

/* Should the failure be tried again (a transient DNS failure, say)? */
void xfer_set_retryable(struct xfer *x);

/* Free what x owns; unless a retry follows, finish the record first
 * (time, HTTP error). */
void xfer_end(struct xfer *x, bool retrying);

/* Is the -H header line a credential, sent to its origins only? */
bool xfer_header_is_credential(const char *line);

/* Build and free the lists of a run; false when out of memory. */
bool xfer_lists_init(struct xfer_lists *lists, const struct gf_config *cfg);
void xfer_lists_release(struct xfer_lists *lists);

#endif
