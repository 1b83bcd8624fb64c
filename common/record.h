/*
 * record.h - the result of one input URL: the contract between fetch/, which
 * fills it, and cli/, which formats it. Every input line yields exactly one.
 */
#ifndef GF_RECORD_H
#define GF_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Where an archive (--warc-file) takes the hops of a transfer as they
 * went over the wire; called on the transfer's hub, one hop at a time. */
enum gf_tap_kind {
	GF_TAP_REQUEST,               /* bytes sent: the request */
	GF_TAP_HEADER,                /* received: the status line and headers */
	GF_TAP_BODY                   /* received: the body, codings kept */
};
struct gf_tap {
	/* A hop to url begins (a redirect or a retry: a new hop). */
	void (*begin)(struct gf_tap *t, const char *url);
	void (*data)(struct gf_tap *t, enum gf_tap_kind kind, const char *p, size_t n);
	/* The hop is over: the server's address (NULL: none), and why it
	 * ended early (a WARC-Truncated reason, NULL: it did not). */
	void (*end)(struct gf_tap *t, const char *ip, const char *truncated);
};

struct gf_record {
	uint64_t index;               /* 1-based position of the URL in the input */
	char *url;                    /* the URL as given (owned) */
	char *effective_url;          /* the last URL requested, NULL if none (owned) */
	long status;                  /* final HTTP status; 0 = no response */
	long retried_status;          /* of the try a retry follows, 0 = none */
	double retried_after;         /* its Retry-After in seconds, 0 = none */
	uint64_t bytes;               /* body bytes of the final response */
	double time;                  /* seconds from start to end, all hops */
	long redirects;               /* redirects followed */
	long attempts;                /* tries it took (1 + retries) */
	char *error;                  /* NULL when the URL succeeded (owned) */
	int exitcode;                 /* curl's exit code for the error, 0 = none */
	double time_queue;            /* seconds from start: out of the queue
				       * (a slot, the host's turn), looked up
				       * or requested */
	double time_redirect;         /* seconds of the hops and retries
				       * before the final hop, after that */
	double time_namelookup;       /* seconds from start: name resolved */
	double time_connect;          /* ... connected (final hop) */
	double time_appconnect;       /* ... TLS done (final hop), 0 = none */
	double time_starttransfer;    /* ... first response byte (final hop) */
	char *content_type;           /* Content-Type of the final response (owned) */
	char *remote_ip;              /* address of the final server (owned) */
	const char *http_version;     /* "1.0", "1.1", "2", "3", or "" */
	char *headers;                /* final response's header lines, when kept */
	size_t headers_len;           /* bytes in headers */
	char *file;                   /* where the body was saved, -o (owned) */
	char *etag;                   /* ETag of the final response (owned) */
	char *last_modified;          /* its Last-Modified (owned) */
	bool unchanged;               /* a 304 to the validators of --since */
	const char *if_etag;          /* validators to send (--since), NULL = */
	const char *if_modified;      /* none; owned by whoever set them */
	const char *since_links;      /* ... and the links of the page then,
				       * '\n'-joined (NULL = not known) */
	bool crawl;                   /* a crawl's record: depth, parent, links */
	int depth;                    /* links from a seed to it */
	char *parent;                 /* the page that linked to it (owned) */
	long links;                   /* links found in it */
	char *new_links;              /* those that entered the frontier,
				       * '\n'-joined, for --journal (owned) */
	bool skipped;                 /* not fetched on purpose (robots.txt) */
	bool began;                   /* left the queue: looked up or requested */
	struct gf_tap *tap;           /* the archive's, NULL = none (not owned) */
	double started;               /* gf_now() when it was taken, 0 = not yet:
				       * -m counts from it, over all tries */
};

/* Where the body of the final response goes, when someone wants it. The
 * bodies of redirects that are followed and of responses of 400 or more
 * are not written. */
struct gf_body {
	/* The next len bytes; false stops the transfer, with error set. */
	bool (*write)(struct gf_body *body, const char *data, size_t len);
	/* Forget what was written, for a retry; false when it cannot be
	 * taken back (already on stdout). */
	bool (*reset)(struct gf_body *body);
	/* May the transfer follow a redirect to url? NULL = yes. */
	bool (*follow)(struct gf_body *body, const char *url);
	/* May a request to origin ("scheme://host:port", lower case) carry
	 * the credentials (auth -H headers, -b cookies)? NULL = only to the
	 * origin of the URL as given. */
	bool (*credentials)(struct gf_body *body, const char *origin);
	const char *error;            /* why write failed */
	const char *content_type;     /* of the response, set before the first
					 write (valid during the transfer) */
	const char *robots_tag;       /* its X-Robots-Tag headers, joined with
				       * ", " (NULL = none), the same way */
};

/* Free the strings a record owns and reset it. */
void record_release(struct gf_record *rec);

/* Set the error message and curl-style exit code once: a later call keeps
 * the first ones. The code is only the record's: out of memory of our own
 * is record_oom(). */
void record_set_error(struct gf_record *rec, int exitcode, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* greenfetch ran out of memory for this record: the error, and the run's
 * notice (gf_oom). A curl code of 27 from a server's doing (a huge header
 * line) is only the record's error: record_set_error() with it. */
void record_oom(struct gf_record *rec);

/* The value of header name in rec->headers ("" if absent; several are
 * joined with ", "). Returns a new string, or NULL when out of memory. */
char *record_header(const struct gf_record *rec, const char *name);

/* Exit codes, as curl numbers them. */
enum {
	GF_EXIT_UNSUPPORTED = 1,      /* not http or https */
	GF_EXIT_URL = 3,              /* malformed URL */
	GF_EXIT_PROXY_DNS = 5,        /* could not resolve the proxy */
	GF_EXIT_DNS = 6,              /* could not resolve the host */
	GF_EXIT_HTTP = 22,            /* HTTP status 400 or more */
	GF_EXIT_WRITE = 23,           /* writing the body failed */
	GF_EXIT_NOMEM = 27,           /* out of memory */
	GF_EXIT_TIMEOUT = 28,         /* a deadline passed */
	GF_EXIT_ABORTED = 42,         /* interrupted */
	GF_EXIT_TOO_BIG = 63,         /* --max-filesize exceeded */
	GF_EXIT_REDIRECTS = 47        /* too many redirects */
};

/* Did the URL fail: a transport error or a final status of 400 or more?
 * A record skipped on purpose did not. */
int record_failed(const struct gf_record *rec);

#endif
