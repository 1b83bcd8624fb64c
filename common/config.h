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
	GF_FORMAT_JSON        /* one JSON object per line */
};

struct gf_config {
	int concurrency;              /* transfers in flight at most (-c) */
	int window;                   /* records held for ordering at most */
	bool serial;                  /* one URL at a time, blocking (--serial) */
	bool unordered;               /* release records as they complete */
	bool stats;                   /* summary line on stderr at the end */
	bool insecure;                /* do not verify TLS peers (-k) */
	enum gf_format format;        /* how records are written */
	long max_redirs;              /* redirects followed per URL; 0 = none */
	double max_time;              /* seconds per URL, 0 = no limit (-m) */
	double connect_timeout;       /* seconds per connect, 0 = curl's default */
	const char *user_agent;       /* User-Agent header value (-A) */
	const char *dns_servers;      /* "ADDR[:PORT],..." for c-ares, NULL = system */
	const char **resolve;         /* pinned names, "HOST:PORT:ADDR[,ADDR]" */
	size_t nresolve;              /* entries in resolve */
	int family;                   /* 0 both, 4 IPv4 only (-4), 6 IPv6 only (-6) */
	const char *proxy;            /* proxy URL (-x), NULL = none */
	const char **headers;         /* extra request headers, "Name: value" */
	size_t nheaders;              /* entries in headers */
	char **inputs;                /* URL, file or "-" arguments, in order */
	size_t ninputs;               /* entries in inputs; 0 = stdin */
};

#endif
