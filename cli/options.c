/*
 * options.c - the option table, getopt_long, --help and --version.
 */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fetch.h"
#include "format.h"
#include "gf.h"
#include "hub.h"
#include "version.h"

enum {
	OPT_SERIAL = 256,
	OPT_UNORDERED,
	OPT_JSON,
	OPT_STATS,
	OPT_MAX_REDIRS,
	OPT_CONNECT_TIMEOUT,
	OPT_DNS_SERVERS,
	OPT_RESOLVE,
	OPT_BODY,
	OPT_SEPARATOR,
	OPT_BUFFER_SIZE,
	OPT_OUTPUT_TEMPLATE,
	OPT_LINE_BUFFERED,
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
	OPT_RETRY,
	OPT_RETRY_DELAY,
	OPT_RETRY_MAX_TIME,
	OPT_RATE,
	OPT_PER_HOST,
	OPT_DELAY,
	OPT_COMPRESSED,
	OPT_NO_COMPRESSED,
	OPT_HTTP11,
	OPT_HTTP2,
	OPT_CACERT,
	OPT_MAX_FILESIZE,
	OPT_CRAWL,
	OPT_DEPTH,
	OPT_MAX_PAGES,
	OPT_SCOPE,
	OPT_INCLUDE,
	OPT_EXCLUDE,
	OPT_ASSETS,
	OPT_NO_ROBOTS,
	OPT_SITEMAP,
	OPT_BROKEN,
	OPT_SPEED_LIMIT,
	OPT_SPEED_TIME,
	OPT_READ_TIMEOUT,
};

struct opt_def {
	const char *name;             /* long name */
	int id;                       /* short letter or OPT_* */
	int has_arg;                  /* no_argument or required_argument */
	const char *arg;              /* the argument's name in --help */
	const char *help;             /* one line for --help */
};

static const struct opt_def opt_defs[] = {
	{ "concurrency", 'c', required_argument, "N",
	  "transfers in flight at most (1-100000, default 20)" },
	{ "hubs", 'j', required_argument, "N",
	  "run transfers on N threads, each a hub of its own (1-64, default 1)" },
	{ "serial", OPT_SERIAL, no_argument, NULL,
	  "one URL at a time with blocking calls" },
	{ "unordered", OPT_UNORDERED, no_argument, NULL,
	  "write records as they complete, not in input order" },
	{ "json", OPT_JSON, no_argument, NULL,
	  "write records as JSON Lines" },
	{ "write-out", 'w', required_argument, "FORMAT",
	  "write records with this template, e.g. '%{http_code} %{url}\\n';"
	  " @FILE reads it" },
	{ "stats", OPT_STATS, no_argument, NULL,
	  "print a summary line on stderr at the end" },
	{ "body", OPT_BODY, no_argument, NULL,
	  "write the bodies to stdout in input order (records: see below)" },
	{ "separator", OPT_SEPARATOR, required_argument, "STRING",
	  "write STRING between bodies (\\n and \\t understood)" },
	{ "buffer-size", OPT_BUFFER_SIZE, required_argument, "SIZE",
	  "hold at most SIZE of waiting bodies in memory, then spill to"
	  " temporary files (default 64M)" },
	{ "output-dir", 'o', required_argument, "DIR",
	  "save each body under DIR as HOST/PATH" },
	{ "output-template", OPT_OUTPUT_TEMPLATE, required_argument, "TEMPLATE",
	  "with -o, name files from {index}, {host} and {name}" },
	{ "line-buffered", OPT_LINE_BUFFERED, no_argument, NULL,
	  "flush after every record" },
	{ "progress", OPT_PROGRESS, no_argument, NULL,
	  "draw a progress line on stderr even when it is not a terminal" },
	{ "no-progress", OPT_NO_PROGRESS, no_argument, NULL,
	  "never draw the progress line" },
	{ "silent", 's', no_argument, NULL,
	  "no progress line and no per-URL error messages on stderr" },
	{ "verbose", 'v', no_argument, NULL,
	  "log each request, lookup, redirect and end on stderr" },
	{ "max-time", 'm', required_argument, "SEC",
	  "give up on a URL after SEC seconds, redirects included" },
	{ "connect-timeout", OPT_CONNECT_TIMEOUT, required_argument, "SEC",
	  "give up connecting after SEC seconds" },
	{ "read-timeout", OPT_READ_TIMEOUT, required_argument, "SEC",
	  "give up on a URL when nothing came for SEC seconds (default 60;"
	  " 0 = never)" },
	{ "max-redirs", OPT_MAX_REDIRS, required_argument, "N",
	  "follow at most N redirects (default 10; 0 = none)" },
	{ "header", 'H', required_argument, "'NAME: VALUE'",
	  "send this request header (repeatable)" },
	{ "user-agent", 'A', required_argument, "STRING",
	  "send this User-Agent" },
	{ "insecure", 'k', no_argument, NULL,
	  "do not verify TLS certificates" },
	{ "crawl", OPT_CRAWL, no_argument, NULL,
	  "follow links from the pages of the URLs given (the seeds)" },
	{ "depth", OPT_DEPTH, required_argument, "N",
	  "with --crawl, follow links N deep (default 5; 0 = the seeds only)" },
	{ "max-pages", OPT_MAX_PAGES, required_argument, "N",
	  "with --crawl, fetch at most N pages" },
	{ "scope", OPT_SCOPE, required_argument, "host|domain|prefix|any",
	  "with --crawl, where links may lead (default host)" },
	{ "include", OPT_INCLUDE, required_argument, "REGEX",
	  "with --crawl, follow only URLs matching REGEX (repeatable)" },
	{ "exclude", OPT_EXCLUDE, required_argument, "REGEX",
	  "with --crawl, never follow URLs matching REGEX (repeatable)" },
	{ "assets", OPT_ASSETS, no_argument, NULL,
	  "with --crawl, also follow images, scripts and stylesheets" },
	{ "no-robots", OPT_NO_ROBOTS, no_argument, NULL,
	  "with --crawl, ignore robots.txt" },
	{ "sitemap", OPT_SITEMAP, no_argument, NULL,
	  "with --crawl, also start from the sites' sitemaps" },
	{ "broken", OPT_BROKEN, no_argument, NULL,
	  "report only URLs that failed, with the page linking to them" },
	{ "retry", OPT_RETRY, required_argument, "N",
	  "try a URL up to N more times after a transient failure" },
	{ "retry-delay", OPT_RETRY_DELAY, required_argument, "SEC",
	  "first wait before a retry, doubled each time (default 1)" },
	{ "retry-max-time", OPT_RETRY_MAX_TIME, required_argument, "SEC",
	  "no retry that would start SEC seconds after the URL began" },
	{ "rate", OPT_RATE, required_argument, "N[/s|/m|/h]",
	  "start at most N requests a second (minute, hour) in all" },
	{ "per-host", OPT_PER_HOST, required_argument, "N",
	  "at most N transfers to one host at once (default 6; 0 = no limit)" },
	{ "delay", OPT_DELAY, required_argument, "SEC",
	  "wait SEC seconds between requests to the same host" },
	{ "head", 'I', no_argument, NULL, "HEAD requests" },
	{ "request", 'X', required_argument, "METHOD", "use METHOD" },
	{ "compressed", OPT_COMPRESSED, no_argument, NULL,
	  "ask for gzip, deflate, br, zstd bodies (the default)" },
	{ "no-compressed", OPT_NO_COMPRESSED, no_argument, NULL,
	  "ask for bodies as they are" },
	{ "referer", 'e', required_argument, "URL", "send this Referer" },
	{ "cookie", 'b', required_argument, "'N=V; ...' | FILE",
	  "send these cookies, or use the cookies of a Netscape cookie file" },
	{ "http1.1", OPT_HTTP11, no_argument, NULL, "use HTTP/1.1 only" },
	{ "http2", OPT_HTTP2, no_argument, NULL,
	  "use HTTP/2 when the server offers it over TLS (the default)" },
	{ "cacert", OPT_CACERT, required_argument, "FILE",
	  "verify servers with the CA certificates in FILE" },
	{ "max-filesize", OPT_MAX_FILESIZE, required_argument, "SIZE",
	  "fail a URL whose body (decoded) exceeds SIZE" },
	{ "speed-limit", OPT_SPEED_LIMIT, required_argument, "BYTES",
	  "fail a URL slower than BYTES/s for --speed-time seconds" },
	{ "speed-time", OPT_SPEED_TIME, required_argument, "SEC",
	  "how long --speed-limit may be undercut (default 30)" },
	{ "proxy", 'x', required_argument, "URL",
	  "use this proxy; it resolves the names it is asked for" },
	{ "dns-servers", OPT_DNS_SERVERS, required_argument, "ADDR[:PORT][,...]",
	  "ask these DNS servers instead of the system's" },
	{ "resolve", OPT_RESOLVE, required_argument, "HOST:PORT:ADDR[,ADDR]",
	  "use these addresses for HOST:PORT, no lookup (repeatable)" },
	{ "ipv4", '4', no_argument, NULL, "use IPv4 addresses only" },
	{ "ipv6", '6', no_argument, NULL, "use IPv6 addresses only" },
	{ "help", 'h', no_argument, NULL, "show this help and exit" },
	{ "version", 'V', no_argument, NULL, "show versions and exit" },
};

static void usage_error(const char *fmt, const char *what)
{
	fprintf(stderr, "greenfetch: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\nTry 'greenfetch --help' for more information.\n");
}

static void print_help(void)
{
	printf("Usage: greenfetch [OPTION]... [URL | FILE | -]...\n"
	       "Fetch URLs concurrently and write one record per URL, in input order.\n"
	       "An argument starting with http:// or https:// is a URL, '-' is stdin,\n"
	       "anything else a file of URLs, one per line; no argument reads stdin.\n"
	       "\nOptions:\n");
	for(size_t i = 0; i < ARRAY_SIZE(opt_defs); i++) {
		const struct opt_def *o = &opt_defs[i];
		char left[64];

		snprintf(left, sizeof(left), "%c%c%c --%s%s%s",
			 o->id < 256 ? '-' : ' ', o->id < 256 ? o->id : ' ',
			 o->id < 256 ? ',' : ' ', o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		if(strlen(left) > 32)
			printf("  %s\n  %-32s %s\n", left, "", o->help);
		else
			printf("  %-32s %s\n", left, o->help);
	}
	printf("\nRecords: STATUS<TAB>BYTES<TAB>SECONDS<TAB>URL[<TAB>ERROR]; "
	       "STATUS is 000\nwhen no response came. With --json: index, url, "
	       "effective_url, status,\nbytes, time, redirects, error, file, "
	       "attempts, and in a crawl depth, parent,\nlinks. "
	       "With --body, stdout carries the bodies: records asked for with\n"
	       "--json or -w go to stderr, text records nowhere (failed URLs are "
	       "reported on\nstderr unless -s).\n"
	       "\nExit status: 0 all URLs succeeded, 1 any failed, 2 usage error "
	       "(or standard\noutput closed), 130 interrupted, 141 output closed "
	       "early.\n");
}

static void print_version(void)
{
	char fetch[256], hub[64];

	printf("greenfetch %s\n%s\n%s\n", GF_VERSION,
	       fetch_versions(fetch, sizeof(fetch)), hub_version(hub, sizeof(hub)));
}

/* A whole number in [min, max], or a usage error naming the option. */
static int parse_long(const char *arg, long min, long max, long *out,
		      const char *name)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if(errno || end == arg || *end || v < min || v > max) {
		char msg[128];

		snprintf(msg, sizeof(msg), "--%s: '%%s' is not a number from %ld to %ld",
			 name, min, max);
		usage_error(msg, arg);
		return GF_EUSAGE;
	}
	*out = v;
	return GF_OK;
}

/* Seconds, fractional allowed, >= 0. */
static int parse_seconds(const char *arg, double *out, const char *name)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if(errno || end == arg || *end || !isfinite(v) || v < 0 || v > 1e9) {
		char msg[128];

		snprintf(msg, sizeof(msg), "--%s: '%%s' is not a number of seconds",
			 name);
		usage_error(msg, arg);
		return GF_EUSAGE;
	}
	*out = v;
	return GF_OK;
}

static int push_arg(const char ***list, size_t *n, const char *arg)
{
	const char **more = realloc(*list, (*n + 1) * sizeof(*more));

	if(!more) {
		usage_error("%s", "out of memory");
		return GF_EUSAGE;
	}
	*list = more;
	(*list)[(*n)++] = arg;
	return GF_OK;
}

/* A header name: RFC 9110's token characters. */
static bool is_token(const char *s, size_t n)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";

	if(n == 0)
		return false;
	for(size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if(!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		   !(c >= '0' && c <= '9') && !(c && strchr(extra, c)))
			return false;
	}
	return true;
}

/* -H 'Name: value', kept as "Name: value" whatever the spaces around the
 * name were: what is sent, and what the credential check reads, is the
 * same line (' Authorization: x' would otherwise pass for another header,
 * and reach other hosts after a redirect). */
static int add_header(struct gf_config *cfg, const char *line)
{
	const char *colon = strchr(line, ':'), *name = line, *value;
	size_t n;
	char *norm;

	if(!colon || strpbrk(line, "\r\n")) {
		usage_error("-H: '%s' is not a header line 'Name: value'", line);
		return GF_EUSAGE;
	}
	name += strspn(name, " \t");
	for(n = (size_t)(colon - name); n > 0 && (name[n - 1] == ' ' ||
						     name[n - 1] == '\t'); n--)
		;
	if(!is_token(name, n)) {
		usage_error("-H: '%s': the name is not a header name", line);
		return GF_EUSAGE;
	}
	value = colon + 1 + strspn(colon + 1, " \t");
	norm = gf_aprintf("%.*s:%s%s", (int)n, name, *value ? " " : "", value);
	if(!norm || push_arg(&cfg->headers, &cfg->nheaders, norm)) {
		free(norm);
		usage_error("%s", "out of memory");
		return GF_EUSAGE;
	}
	return GF_OK;
}

/* HOST:PORT:ADDR[,ADDR...], ADDR an IPv4 or a bracketed IPv6 address. */
static int add_resolve(struct gf_config *cfg, const char *entry)
{
	const char *c1 = strchr(entry, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char *end;
	long port = c2 ? strtol(c1 + 1, &end, 10) : -1;

	if(!c2 || c1 == entry || end != c2 || port < 1 || port > 65535 ||
	   !c2[1] || strpbrk(entry, " \t\r\n")) {
		usage_error("--resolve: '%s' is not HOST:PORT:ADDR[,ADDR]", entry);
		return GF_EUSAGE;
	}
	return push_arg(&cfg->resolve, &cfg->nresolve, entry);
}

/* Proxies that would have us resolve the target host are refused: names
 * are resolved on the hub or by the proxy, never by a blocking resolver. */
static int set_proxy(struct gf_config *cfg, const char *url)
{
	if(gf_has_prefix_ci(url, strlen(url), "socks4://") ||
	   gf_has_prefix_ci(url, strlen(url), "socks5://")) {
		usage_error("-x: '%s': use socks4a:// or socks5h://, so that the "
			    "proxy resolves names", url);
		return GF_EUSAGE;
	}
	cfg->proxy = url;
	return GF_OK;
}

/* SIZE: bytes, or with K, M or G (powers of 1024). */
static int parse_size(const char *arg, size_t *out, const char *name)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if(*end == 'K' || *end == 'k')
		shift = 10;
	else if(*end == 'M' || *end == 'm')
		shift = 20;
	else if(*end == 'G' || *end == 'g')
		shift = 30;
	if(shift)
		end++;
	if(errno || end == arg || *end || arg[0] == '-' || v > (SIZE_MAX >> shift)) {
		char msg[128];

		snprintf(msg, sizeof(msg), "--%s: '%%s' is not a size (N, NK, NM, NG)",
			 name);
		usage_error(msg, arg);
		return GF_EUSAGE;
	}
	*out = (size_t)v << shift;
	return GF_OK;
}

static int set_scope(struct gf_config *cfg, const char *arg)
{
	static const char *const names[] = { "host", "domain", "prefix", "any" };

	for(size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if(strcmp(arg, names[i]) == 0) {
			cfg->scope = (int)i;
			return GF_OK;
		}
	}
	usage_error("--scope: '%s' is not host, domain, prefix or any", arg);
	return GF_EUSAGE;
}

/* N[/s|/m|/h]: requests a second. */
static int parse_rate(const char *arg, double *rate)
{
	char *end;
	double n;

	errno = 0;
	n = strtod(arg, &end);
	if(!errno && end != arg && n > 0 && isfinite(n)) {
		if(*end == '\0' || strcmp(end, "/s") == 0)
			end = "";
		else if(strcmp(end, "/m") == 0)
			n /= 60, end = "";
		else if(strcmp(end, "/h") == 0)
			n /= 3600, end = "";
	}
	if(errno || end == arg || *end || n <= 0 || !isfinite(n)) {
		usage_error("--rate: '%s' is not N, N/s, N/m or N/h", arg);
		return GF_EUSAGE;
	}
	*rate = n;
	return GF_OK;
}

static int set_write_out(struct gf_config *cfg, const char *arg)
{
	char err[256];
	char *fmt = format_load_template(arg, err, sizeof(err));
	struct format *f = fmt ? format_new(GF_FORMAT_WRITEOUT, fmt, false, err,
					    sizeof(err)) : NULL;

	if(!f) {
		usage_error("%s", err[0] ? err : "out of memory");
		free(fmt);
		return GF_EUSAGE;
	}
	cfg->keep_headers = format_needs_headers(f);
	format_free(f);
	free(cfg->owned_write_out);
	cfg->owned_write_out = fmt;
	cfg->write_out = fmt;
	cfg->format = GF_FORMAT_WRITEOUT;
	return GF_OK;
}

/* The separator with \n, \t and \\ turned into their characters. */
static int set_separator(struct gf_config *cfg, const char *arg)
{
	char *sep = malloc(strlen(arg) + 1), *w = sep;

	if(!sep) {
		usage_error("%s", "out of memory");
		return GF_EUSAGE;
	}
	for(const char *p = arg; *p; p++) {
		if(p[0] == '\\' && (p[1] == 'n' || p[1] == 't' || p[1] == '\\')) {
			p++;
			*w++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : '\\';
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	free(cfg->owned_separator);
	cfg->owned_separator = sep;
	cfg->separator = sep;
	return GF_OK;
}

static const struct opt_def *find_def(int id)
{
	for(size_t i = 0; i < ARRAY_SIZE(opt_defs); i++)
		if(opt_defs[i].id == id)
			return &opt_defs[i];
	return NULL;
}

/* Apply one option; GF_OK, GF_EUSAGE, or GF_EOF for --help/--version. */
static int apply(struct gf_config *cfg, int id, const char *arg)
{
	const char *name = find_def(id) ? find_def(id)->name : "?";
	long n;

	switch(id) {
	case 'c':
		if(parse_long(arg, 1, 100000, &n, name))
			return GF_EUSAGE;
		cfg->concurrency = (int)n;
		return GF_OK;
	case 'j':
		if(parse_long(arg, 1, 64, &n, name))
			return GF_EUSAGE;
		cfg->hubs = (int)n;
		return GF_OK;
	case OPT_SERIAL:    cfg->serial = true; return GF_OK;
	case OPT_UNORDERED: cfg->unordered = true; return GF_OK;
	case OPT_JSON:      cfg->json = true; return GF_OK;
	case OPT_STATS:     cfg->stats = true; return GF_OK;
	case 'k':           cfg->insecure = true; return GF_OK;
	case 'A':           cfg->user_agent = arg; return GF_OK;
	case 'H':           return add_header(cfg, arg);
	case 'w':           return set_write_out(cfg, arg);
	case OPT_BODY:      cfg->body = true; return GF_OK;
	case OPT_SEPARATOR: return set_separator(cfg, arg);
	case OPT_BUFFER_SIZE: return parse_size(arg, &cfg->buffer_size, name);
	case 'o':           cfg->output_dir = arg; return GF_OK;
	case OPT_OUTPUT_TEMPLATE: cfg->output_template = arg; return GF_OK;
	case OPT_LINE_BUFFERED: cfg->line_buffered = true; return GF_OK;
	case OPT_PROGRESS:  cfg->progress = 1; return GF_OK;
	case OPT_NO_PROGRESS: cfg->progress = 0; return GF_OK;
	case 's':           cfg->silent = true; return GF_OK;
	case 'v':           cfg->verbose = true; return GF_OK;
	case 'x':           return set_proxy(cfg, arg);
	case OPT_CRAWL:     cfg->crawl = true; return GF_OK;
	case OPT_DEPTH:
		if(parse_long(arg, 0, 1000000, &n, name))
			return GF_EUSAGE;
		cfg->depth = (int)n;
		return GF_OK;
	case OPT_MAX_PAGES: return parse_long(arg, 1, LONG_MAX, &cfg->max_pages, name);
	case OPT_SCOPE:     return set_scope(cfg, arg);
	case OPT_INCLUDE:   return push_arg(&cfg->include, &cfg->ninclude, arg);
	case OPT_EXCLUDE:   return push_arg(&cfg->exclude, &cfg->nexclude, arg);
	case OPT_ASSETS:    cfg->assets = true; return GF_OK;
	case OPT_NO_ROBOTS: cfg->robots = false; return GF_OK;
	case OPT_SITEMAP:   cfg->sitemap = true; return GF_OK;
	case OPT_BROKEN:    cfg->broken = true; return GF_OK;
	case OPT_SPEED_LIMIT:
		return parse_long(arg, 1, LONG_MAX, &cfg->speed_limit, name);
	case OPT_SPEED_TIME:
		return parse_long(arg, 1, 86400, &cfg->speed_time, name);
	case OPT_RETRY:     return parse_long(arg, 0, 1000, &cfg->retries, name);
	case OPT_RETRY_DELAY: return parse_seconds(arg, &cfg->retry_delay, name);
	case OPT_RETRY_MAX_TIME:
		return parse_seconds(arg, &cfg->retry_max_time, name);
	case OPT_RATE:      return parse_rate(arg, &cfg->rate);
	case OPT_PER_HOST:
		if(parse_long(arg, 0, 100000, &n, name))
			return GF_EUSAGE;
		cfg->per_host = (int)n;
		cfg->per_host_set = true;
		return GF_OK;
	case OPT_DELAY:     return parse_seconds(arg, &cfg->delay, name);
	case 'I':           cfg->head = true; return GF_OK;
	case 'X':           cfg->method = arg; return GF_OK;
	case OPT_COMPRESSED: cfg->compressed = true; return GF_OK;
	case OPT_NO_COMPRESSED: cfg->compressed = false; return GF_OK;
	case 'e':           cfg->referer = arg; return GF_OK;
	case 'b':           cfg->cookie = arg; return GF_OK;
	case OPT_HTTP11:    cfg->http_version = 11; return GF_OK;
	case OPT_HTTP2:     cfg->http_version = 0; return GF_OK;
	case OPT_CACERT:    cfg->cacert = arg; return GF_OK;
	case OPT_MAX_FILESIZE: {
		size_t size;

		if(parse_size(arg, &size, name))
			return GF_EUSAGE;
		cfg->max_filesize = size;
		return GF_OK;
	}
	case '4':
	case '6':
		if(cfg->family && cfg->family != id - '0') {
			usage_error("%s", "-4 and -6 cannot be used together");
			return GF_EUSAGE;
		}
		cfg->family = id - '0';
		return GF_OK;
	case OPT_DNS_SERVERS: cfg->dns_servers = arg; return GF_OK;
	case OPT_RESOLVE:   return add_resolve(cfg, arg);
	case 'm':           return parse_seconds(arg, &cfg->max_time, name);
	case OPT_CONNECT_TIMEOUT:
		return parse_seconds(arg, &cfg->connect_timeout, name);
	case OPT_READ_TIMEOUT:
		return parse_seconds(arg, &cfg->read_timeout, name);
	case OPT_MAX_REDIRS:
		return parse_long(arg, 0, 1000, &cfg->max_redirs, name);
	case 'h':           print_help(); return GF_EOF;
	case 'V':           print_version(); return GF_EOF;
	default:
		fprintf(stderr, "Try 'greenfetch --help' for more information.\n");
		return GF_EUSAGE;
	}
}

/* Options that cannot go together, all checked here. */
static int check_conflicts(const struct gf_config *cfg)
{
	const char *why = NULL;

	if(cfg->json && cfg->format == GF_FORMAT_WRITEOUT)
		why = "--json and -w cannot be used together (use %{json} in -w)";
	else if(cfg->output_template && !cfg->output_dir)
		why = "--output-template needs -o DIR";
	else if(cfg->separator && !cfg->body)
		why = "--separator needs --body";
	else if(cfg->head && cfg->method)
		why = "-I and -X cannot be used together";
	else if(!cfg->crawl && (cfg->max_pages || cfg->ninclude || cfg->nexclude ||
				cfg->assets || cfg->sitemap || !cfg->robots))
		why = "--max-pages, --include, --exclude, --assets, --sitemap and "
		      "--no-robots need --crawl";
	else if(cfg->speed_time && !cfg->speed_limit)
		why = "--speed-time needs --speed-limit";
	else if(cfg->crawl && cfg->unordered)
		why = "--crawl and --unordered cannot be used together";
	else if(cfg->hubs > 1 && cfg->serial)
		why = "-j and --serial cannot be used together";
	if(why) {
		usage_error("%s", why);
		return GF_EUSAGE;
	}
	return GF_OK;
}

/* The edit distance of a and b (insertions, deletions, substitutions and
 * swaps of neighbours), or a large number for long names. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), d[40][40];

	if(la >= 40 || lb >= 40)
		return 99;
	for(size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for(size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for(size_t i = 1; i <= la; i++) {
		for(size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1], v = d[i - 1][j - 1] + cost;

			if(d[i - 1][j] + 1 < v)
				v = d[i - 1][j] + 1;
			if(d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if(i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			   d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* The option most like the unknown name given (without "--"), or NULL. */
static const char *nearest_option(const char *given, size_t len)
{
	char name[40];
	const char *best = NULL;
	size_t best_d = 3;

	if(len >= sizeof(name))
		return NULL;
	memcpy(name, given, len);
	name[len] = '\0';
	for(size_t i = 0; i < ARRAY_SIZE(opt_defs); i++) {
		const char *o = opt_defs[i].name;
		size_t d = edit_distance(name, o);

		/* A beginning counts as near: "--user" for "--user-agent". */
		if(len >= 3 && strncmp(o, name, len) == 0)
			d = 1;
		if(d < best_d) {
			best_d = d;
			best = o;
		}
	}
	return best;
}

/* An unknown long option: say so, with the nearest one when there is. */
static void unknown_long(const char *given)
{
	size_t len = strcspn(given + 2, "=");
	const char *near = nearest_option(given + 2, len);
	char msg[160];

	if(near) {
		snprintf(msg, sizeof(msg), "unknown option '%%.%zus' (did you mean "
			 "--%s?)", len + 2, near);
		fprintf(stderr, "greenfetch: ");
		fprintf(stderr, msg, given);
		fprintf(stderr, "\nTry 'greenfetch --help' for more information.\n");
		return;
	}
	snprintf(msg, sizeof(msg), "unknown option '%%.%zus'", len + 2);
	usage_error(msg, given);
}

/* getopt_long took the option at given: was it written in full? Prefixes
 * are refused, as curl refuses them: "--user alice:pw" must not become
 * --user-agent, sending a password to every host. */
static bool written_in_full(const char *given, const struct option *o)
{
	size_t len = strcspn(given + 2, "=");

	return strncmp(given, "--", 2) != 0 ||
	       (strlen(o->name) == len && strncmp(given + 2, o->name, len) == 0);
}

/* Choices that work but are likely not what was meant. */
static void options_warn(const struct gf_config *cfg)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if(cores > 0 && cfg->hubs > cores)
		fprintf(stderr, "greenfetch: -j %d: this machine has %ld core%s; "
			"hubs beyond that only add threads\n", cfg->hubs, cores,
			cores == 1 ? "" : "s");
}

static void options_defaults(struct gf_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->concurrency = 20;
	cfg->hubs = 1;
	cfg->max_redirs = 10;
	cfg->buffer_size = (size_t)64 << 20;
	cfg->progress = -1;
	cfg->retry_delay = 1;
	cfg->read_timeout = 60;
	cfg->per_host = 6;
	cfg->compressed = true;
	cfg->depth = 5;
	cfg->robots = true;
}

enum options_result options_parse(struct gf_config *cfg, int argc, char **argv)
{
	struct option longopts[ARRAY_SIZE(opt_defs) + 1];
	/* "-": arguments that are not options come back in place, as id 1,
	 * so that argv is never permuted and argv[at] is what was read. */
	char shortopts[2 * ARRAY_SIZE(opt_defs) + 3] = "-:";
	size_t ns = 2;
	int id, longindex, at;

	options_defaults(cfg);
	cfg->inputs = calloc((size_t)argc + 1, sizeof(*cfg->inputs));
	if(!cfg->inputs) {
		usage_error("%s", "out of memory");
		return OPTIONS_USAGE;
	}
	memset(longopts, 0, sizeof(longopts));
	for(size_t i = 0; i < ARRAY_SIZE(opt_defs); i++) {
		const struct opt_def *o = &opt_defs[i];

		longopts[i] = (struct option){ o->name, o->has_arg, NULL, o->id };
		if(o->id < 256) {
			shortopts[ns++] = (char)o->id;
			if(o->has_arg)
				shortopts[ns++] = ':';
		}
	}
	shortopts[ns] = '\0';
	opterr = 0;
	for(;;) {
		int rc;

		at = optind;
		longindex = -1;
		id = getopt_long(argc, argv, shortopts, longopts, &longindex);
		if(id == -1)
			break;
		if(id == 1) {
			cfg->inputs[cfg->ninputs++] = optarg;
			continue;
		}
		if(id == '?' || id == ':') {
			char opt[3] = { '-', (char)optopt, '\0' };
			const char *given = at < argc ? argv[at] : "";

			if(id == '?' && strncmp(given, "--", 2) == 0)
				unknown_long(given);
			else
				usage_error(id == '?' ? "unknown option '%s'" :
					    "option '%s' needs an argument",
					    strncmp(given, "--", 2) == 0 ? given : opt);
			return OPTIONS_USAGE;
		}
		if(longindex >= 0 && at < argc &&
		   !written_in_full(argv[at], &longopts[longindex])) {
			unknown_long(argv[at]);
			return OPTIONS_USAGE;
		}
		rc = apply(cfg, id, optarg);
		if(rc == GF_EOF)
			return OPTIONS_EXIT;
		if(rc)
			return OPTIONS_USAGE;
	}
	/* What follows "--" is input too. */
	while(optind < argc)
		cfg->inputs[cfg->ninputs++] = argv[optind++];
	if(check_conflicts(cfg))
		return OPTIONS_USAGE;
	if(cfg->json)
		cfg->format = GF_FORMAT_JSON;
	/* A crawl never hammers one host with the whole pool. */
	if(cfg->crawl && !cfg->per_host_set)
		cfg->per_host = 4;
	if(cfg->serial)
		cfg->concurrency = 1;
	cfg->window = 4 * cfg->concurrency;
	options_warn(cfg);
	return OPTIONS_RUN;
}

void options_release(struct gf_config *cfg)
{
	free(cfg->inputs);
	cfg->inputs = NULL;
	for(size_t i = 0; i < cfg->nheaders; i++)
		free((char *)cfg->headers[i]);
	free(cfg->headers);
	free(cfg->resolve);
	free(cfg->owned_write_out);
	free(cfg->owned_separator);
	free(cfg->include);
	free(cfg->exclude);
	cfg->headers = NULL;
	cfg->resolve = NULL;
}
