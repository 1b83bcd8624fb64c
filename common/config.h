/*
 * config.h - the one configuration struct: the contract between cli/, which
 * fills it from the command line, and everything else, which only reads it.
 */
#ifndef GF_CONFIG_H
#define GF_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum gf_format {
	GF_FORMAT_TEXT,       /* STATUS \t BYTES \t SECONDS \t URL [\t ERROR] */
	GF_FORMAT_JSON,       /* one JSON object per line */
	GF_FORMAT_WRITEOUT    /* the -w template */
};

/* The progress line: drawn when stderr is a terminal, always, never. */
enum gf_progress {
	GF_PROGRESS_AUTO,
	GF_PROGRESS_ON,
	GF_PROGRESS_OFF
};

/* Where -v messages go: one line each, without a newline. */
struct gf_log {
	void (*write)(struct gf_log *log, const char *msg);
};

struct optfile_args;

struct gf_config {
	int concurrency;              /* transfers in flight at most (-c) */
	int window;                   /* records held for ordering at most */
	int hubs;                     /* hub threads running transfers (-j) */
	bool serial;                  /* one URL at a time, blocking (--serial) */
	bool unordered;               /* release records as they complete */
	bool stats;                   /* summary line on stderr at the end */
	bool fail_fast;               /* no new URL after the first failure */
	const char *stats_json;       /* --stats-json FILE, "-" = stderr */
	const char *waterfall;        /* --waterfall FILE: the SVG */
	long waterfall_rows;          /* ... records drawn at most */
	double waterfall_span;        /* ... seconds of its axis, 0 = the run's */
	bool insecure;                /* do not verify TLS peers (-k) */
	enum gf_format format;        /* how records are written */
	long max_redirs;              /* redirects followed per URL; 0 = none */
	double max_time;              /* seconds per URL, 0 = no limit (-m) */
	double connect_timeout;       /* seconds per connect, 0 = curl's default */
	double read_timeout;          /* seconds without a byte, 0 = no limit */
	const char *user_agent;       /* User-Agent header value (-A) */
	const char *dns_servers;      /* "ADDR[:PORT],..." for c-ares, NULL = system */
	const char **resolve;         /* pinned names, "HOST:PORT:ADDR[,ADDR]" */
	size_t nresolve;              /* entries in resolve */
	int family;                   /* 0 both, 4 IPv4 only (-4), 6 IPv6 only (-6) */
	const char *proxy;            /* proxy URL (-x), NULL = none */
	bool keep_headers;            /* keep response headers in the record */
	long retries;                 /* --retry: attempts after the first */
	double retry_delay;           /* --retry-delay: the first wait, seconds */
	double retry_max_time;        /* --retry-max-time: 0 = no limit */
	double rate;                  /* --rate: request starts a second, 0 = any */
	int per_host;                 /* --per-host: transfers per host at once */
	double delay;                 /* --delay: seconds between starts per host */
	bool head;                    /* -I: HEAD requests */
	const char *method;           /* -X: request method, NULL = GET */
	bool compressed;              /* ask for compressed bodies */
	const char *referer;          /* -e */
	const char *cookie;           /* -b: "NAME=VALUE; ..." or a cookie file */
	const char *cookie_jar;       /* --cookie-jar FILE */
	size_t limit_rate;            /* bytes a second in all, 0 = no limit */
	int http_version;             /* 0 = negotiate HTTP/2 by ALPN, 11 = 1.1 only */
	const char *cacert;           /* --cacert: CA bundle file */
	size_t max_filesize;          /* body bytes at most, 0 = no limit */
	long speed_limit;             /* bytes/s below which ... */
	long speed_time;              /* ... for this many seconds a URL fails */
	bool crawl;                   /* --crawl: follow links */
	int depth;                    /* links followed from a seed, at most */
	long max_pages;               /* pages queued at most, 0 = no limit */
	int scope;                    /* enum scope_mode (crawl/scope.h) */
	const char **include;         /* --include regexes */
	size_t ninclude;
	const char **exclude;         /* --exclude regexes */
	size_t nexclude;
	bool assets;                  /* also follow images, scripts, styles */
	bool robots;                  /* obey robots.txt (not --no-robots) */
	bool sitemap;                 /* also seed from sitemaps */
	bool broken;                  /* report failed URLs only, with parents */
	const char *write_out;        /* the -w template text */
	bool json;                    /* --json was given */
	char *owned_write_out;        /* storage of write_out (cli's) */
	const char *user;             /* -u USER[:PASSWORD] */
	char *owned_user;             /* its storage, a password asked for */
	bool netrc;                   /* --netrc */
	const char *netrc_file;       /* --netrc-file FILE */
	char *owned_separator;        /* storage of separator (cli's) */
	bool body;                    /* bodies to stdout in order (--body) */
	const char *separator;        /* written between bodies, NULL = none */
	size_t buffer_size;           /* bytes of bodies held in memory, in all */
	const char *output_dir;       /* save bodies under it (-o), NULL = no */
	const char *output_template;  /* file names from this, NULL = from URLs */
	bool convert_links;           /* at the end, links in saved pages and
				       * sheets to the saved files */
	bool line_buffered;           /* flush after every record */
	const char *journal;          /* --journal FILE, NULL = none */
	bool resume;                  /* skip what the journal has done */
	bool skip_failed;             /* ... its failures too */
	const char *since;            /* --since FILE: validators per URL */
	const char *frontier;         /* --frontier redis://..., NULL = none */
	const char *crawl_id;         /* --crawl-id NAME, NULL = from the seeds */
	double lease;                 /* --lease SEC: a shared item's lease */
	bool collect;                 /* --collect: print the shared crawl's records */
	bool shared_list;             /* --frontier with a URL list: a crawl of
				       * depth 0 whose lines are each a job */
	const char *warc_file;        /* --warc-file FILE, NULL = none */
	size_t warc_max_size;         /* a new file past it, 0 = one file */
	bool warc_cdx;                /* a CDXJ index beside it */
	bool warc_dedup;              /* a payload seen before as a revisit */
	char **argv;                  /* the command line (warcinfo's) */
	struct optfile_args *args;    /* the same and the config files'
				       * options, as read (cli's) */
	int argc;
	int progress;                 /* enum gf_progress */
	bool silent;                  /* no progress, no per-URL errors (-s) */
	bool verbose;                 /* log each transfer's steps (-v) */
	const char **headers;         /* extra request headers, "Name: value"
				       * (normalised, owned by cli) */
	size_t nheaders;              /* entries in headers */
	char **inputs;                /* URL, file or "-" arguments, in order */
	size_t ninputs;               /* entries in inputs; 0 = stdin */
};

#endif
