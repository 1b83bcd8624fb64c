/*
 * options.c - the option table, and the command line through it.
 *
 * Each row is an option: what it sets (kind, field, range), its default
 * and its --help line (optdef.h). Parsing is getopt_long over the rows;
 * defaults are the rows' own, applied first like arguments. After the
 * command line, options that cannot go together are refused in one place,
 * what follows from them is filled in (the record format, the window, a
 * crawl's per-host limit, a concurrency the fd limit allows), and the
 * config is not changed again.
 */
#include "options.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gf.h"
#include "optdef.h"
#include "scope.h"

static int opt_help(struct gf_config *cfg, const struct opt_def *o,
		    const char *arg);
static int opt_version(struct gf_config *cfg, const struct opt_def *o,
		       const char *arg);

static int opt_completion(struct gf_config *cfg, const struct opt_def *o,
			  const char *arg);

/* -K and -q did their work before getopt_long (optfile.c). */
static int opt_spliced(struct gf_config *cfg, const struct opt_def *o,
		       const char *arg)
{
	(void)cfg, (void)o, (void)arg;
	return GF_OK;
}

static const struct opt_def opt_defs[] = {
	{ "concurrency", 'c', OPT_INT, OPT_AT(int, concurrency), .min = 1,
	  .max = 100000, .show_range = true, .dflt = "20", .arg = "N",
	  .help = "transfers in flight at most" },
	{ "hubs", 'j', OPT_INT, OPT_AT(int, hubs), .min = 1, .max = 64,
	  .show_range = true, .dflt = "1", .arg = "N",
	  .help = "run transfers on N threads, each a hub of its own" },
	{ "serial", 0, OPT_BOOL, OPT_AT(bool, serial), .value = 1,
	  .help = "one URL at a time with blocking calls" },
	{ "unordered", 0, OPT_BOOL, OPT_AT(bool, unordered), .value = 1,
	  .help = "write records as they complete, not in input order" },
	{ "json", 0, OPT_BOOL, OPT_AT(bool, json), .value = 1,
	  .help = "write records as JSON Lines" },
	{ "write-out", 'w', OPT_CUSTOM, .set = opt_write_out, .arg = "FORMAT",
	  .help = "write records with this template, e.g. '%{http_code} "
		  "%{url}\\n'; @FILE reads it" },
	{ "stats-json", 0, OPT_STRING, OPT_AT(const char *, stats_json), .arg = "FILE",
	  .help = "at the end, write the run's counts to FILE as one JSON object ('-': stderr)" },
	{ "waterfall", 0, OPT_STRING, OPT_AT(const char *, waterfall), .arg = "FILE",
	  .help = "at the end, draw every transfer's phases in FILE, an SVG picture" },
	{ "waterfall-rows", 0, OPT_LONG, OPT_AT(long, waterfall_rows), .min = 1,
	  .max = 1000000, .dflt = "1000", .arg = "N",
	  .help = "with --waterfall, draw the first N records, note the others" },
	{ "waterfall-span", 0, OPT_SECONDS, OPT_AT(double, waterfall_span), .arg = "SEC",
	  .help = "with --waterfall, a time axis of SEC seconds (default: the run's)" },
	{ "limit-rate", 0, OPT_SIZE, OPT_AT(size_t, limit_rate), .arg = "SPEED",
	  .help = "receive at most SPEED bytes a second (K, M, G), in all" },
	{ "fail-fast", 0, OPT_BOOL, OPT_AT(bool, fail_fast), .value = 1,
	  .help = "start no more URLs after the first failure (exit status 3)" },
	{ "stats", 0, OPT_BOOL, OPT_AT(bool, stats), .value = 1,
	  .help = "print a summary line on stderr at the end" },
	{ "body", 0, OPT_BOOL, OPT_AT(bool, body), .value = 1,
	  .help = "write the bodies to stdout in input order (records: see below)" },
	{ "separator", 0, OPT_CUSTOM, .set = opt_separator, .arg = "STRING",
	  .help = "write STRING between bodies (\\n and \\t understood)" },
	{ "buffer-size", 0, OPT_SIZE, OPT_AT(size_t, buffer_size), .dflt = "64M",
	  .arg = "SIZE", .help = "hold at most SIZE of waiting bodies in memory, "
	  "then spill to temporary files" },
	{ "output-dir", 'o', OPT_STRING, OPT_AT(const char *, output_dir),
	  .arg = "DIR", .help = "save each body under DIR as HOST/PATH" },
	{ "output-template", 0, OPT_STRING, OPT_AT(const char *, output_template),
	  .arg = "TEMPLATE",
	  .help = "with -o, name files from {index}, {host} and {name}" },
	{ "convert-links", 0, OPT_BOOL, OPT_AT(bool, convert_links), .value = 1,
	  .help = "with -o, at the end point links in saved pages at the saved files" },
	{ "journal", 0, OPT_STRING, OPT_AT(const char *, journal), .arg = "FILE",
	  .help = "append each record to FILE as a JSON line, to resume from" },
	{ "resume", 0, OPT_BOOL, OPT_AT(bool, resume), .value = 1,
	  .help = "with --journal, do only what the journal has not done" },
	{ "skip-failed", 0, OPT_BOOL, OPT_AT(bool, skip_failed), .value = 1,
	  .help = "with --resume, do not try again what failed" },
	{ "since", 0, OPT_STRING, OPT_AT(const char *, since), .arg = "FILE",
	  .help = "ask for a URL only if it changed since the run FILE (a journal, "
		  "--json) records" },
	{ "frontier", 0, OPT_STRING, OPT_AT(const char *, frontier),
	  .arg = "redis://HOST[:PORT][/DB]",
	  .help = "share the crawl (or, with --crawl-id, the URL list) with every "
		  "worker running the same command on this Redis" },
	{ "crawl-id", 0, OPT_STRING, OPT_AT(const char *, crawl_id), .arg = "NAME",
	  .help = "with --frontier, the crawl's name in Redis (default: from the seeds)" },
	{ "lease", 0, OPT_SECONDS, OPT_AT(double, lease), .dflt = "60", .arg = "SEC",
	  .help = "with --frontier, a URL taken comes back to the queue after SEC "
		  "unless its worker renews it" },
	{ "collect", 0, OPT_BOOL, OPT_AT(bool, collect), .value = 1,
	  .help = "with --frontier, print every record of the shared crawl once, as "
		  "JSON Lines, until it is over" },
	{ "warc-file", 0, OPT_STRING, OPT_AT(const char *, warc_file), .arg = "FILE",
	  .help = "archive every request and response in FILE.warc.gz (WARC 1.1)" },
	{ "warc-max-size", 0, OPT_SIZE, OPT_AT(size_t, warc_max_size), .arg = "SIZE",
	  .help = "with --warc-file, start FILE-00001.warc.gz, -00002... past SIZE" },
	{ "warc-dedup", 0, OPT_BOOL, OPT_AT(bool, warc_dedup), .value = 1,
	  .help = "with --warc-file, a payload archived before as a revisit record" },
	{ "warc-cdx", 0, OPT_BOOL, OPT_AT(bool, warc_cdx), .value = 1,
	  .help = "with --warc-file, index it in FILE.cdxj for replay tools" },
	{ "line-buffered", 0, OPT_BOOL, OPT_AT(bool, line_buffered), .value = 1,
	  .help = "flush after every record" },
	{ "progress", 0, OPT_VALUE, OPT_AT(int, progress),
	  .value = GF_PROGRESS_ON,
	  .help = "draw a progress line on stderr even when it is not a terminal" },
	{ "no-progress", 0, OPT_VALUE, OPT_AT(int, progress),
	  .value = GF_PROGRESS_OFF, .help = "never draw the progress line" },
	{ "silent", 's', OPT_BOOL, OPT_AT(bool, silent), .value = 1,
	  .help = "no progress line and no per-URL error messages on stderr" },
	{ "verbose", 'v', OPT_BOOL, OPT_AT(bool, verbose), .value = 1,
	  .help = "log each request, lookup, redirect and end on stderr" },
	{ "max-time", 'm', OPT_SECONDS, OPT_AT(double, max_time), .arg = "SEC",
	  .help = "give up on a URL after SEC seconds, redirects included" },
	{ "connect-timeout", 0, OPT_SECONDS, OPT_AT(double, connect_timeout),
	  .arg = "SEC", .help = "give up connecting after SEC seconds" },
	{ "read-timeout", 0, OPT_SECONDS, OPT_AT(double, read_timeout),
	  .dflt = "60", .zero = "never", .arg = "SEC",
	  .help = "give up on a URL when nothing came for SEC seconds" },
	{ "max-redirs", 0, OPT_LONG, OPT_AT(long, max_redirs), .min = 0,
	  .max = 1000, .dflt = "10", .zero = "none", .arg = "N",
	  .help = "follow at most N redirects" },
	{ "header", 'H', OPT_CUSTOM, .set = opt_header, .arg = "'NAME: VALUE'",
	  .help = "send this request header (repeatable)" },
	{ "user-agent", 'A', OPT_STRING, OPT_AT(const char *, user_agent),
	  .arg = "STRING", .help = "send this User-Agent" },
	{ "insecure", 'k', OPT_BOOL, OPT_AT(bool, insecure), .value = 1,
	  .help = "do not verify TLS certificates" },
	{ "crawl", 0, OPT_BOOL, OPT_AT(bool, crawl), .value = 1,
	  .help = "follow links from the pages of the URLs given (the seeds)" },
	{ "depth", 0, OPT_INT, OPT_AT(int, depth), .min = 0, .max = 1000000,
	  .dflt = "5", .zero = "the seeds only", .arg = "N",
	  .help = "with --crawl, follow links N deep" },
	{ "max-pages", 0, OPT_LONG, OPT_AT(long, max_pages), .min = 1,
	  .max = LONG_MAX, .arg = "N", .help = "with --crawl, fetch at most N pages" },
	{ "scope", 0, OPT_CHOICE, OPT_AT(int, scope), .dflt = "host",
	  .arg = "host|domain|prefix|any",
	  .help = "with --crawl, where links may lead" },
	{ "include", 0, OPT_LIST, OPT_AT(const char **, include),
	  OPT_AT(size_t, ninclude), .arg = "REGEX",
	  .help = "with --crawl, follow only URLs matching REGEX (repeatable)" },
	{ "exclude", 0, OPT_LIST, OPT_AT(const char **, exclude),
	  OPT_AT(size_t, nexclude), .arg = "REGEX",
	  .help = "with --crawl, never follow URLs matching REGEX (repeatable)" },
	{ "assets", 0, OPT_BOOL, OPT_AT(bool, assets), .value = 1,
	  .help = "with --crawl, also follow what a browser loads (CSS url()s too)" },
	{ "no-robots", 0, OPT_BOOL, OPT_AT(bool, robots), .value = 0,
	  .dflt = "on", .help = "with --crawl, ignore robots.txt and nofollow directives" },
	{ "sitemap", 0, OPT_BOOL, OPT_AT(bool, sitemap), .value = 1,
	  .help = "with --crawl, also start from the sites' sitemaps" },
	{ "broken", 0, OPT_BOOL, OPT_AT(bool, broken), .value = 1,
	  .help = "report only URLs that failed, with the page linking to them" },
	{ "retry", 0, OPT_LONG, OPT_AT(long, retries), .min = 0, .max = 1000,
	  .arg = "N",
	  .help = "try a URL up to N more times after a transient failure" },
	{ "retry-delay", 0, OPT_SECONDS, OPT_AT(double, retry_delay), .dflt = "1",
	  .arg = "SEC", .help = "first wait before a retry, doubled each time" },
	{ "retry-max-time", 0, OPT_SECONDS, OPT_AT(double, retry_max_time),
	  .arg = "SEC",
	  .help = "no retry that would start SEC seconds after the URL began" },
	{ "rate", 0, OPT_CUSTOM, .set = opt_rate, .arg = "N[/s|/m|/h]",
	  .help = "start at most N requests a second (minute, hour) in all" },
	{ "per-host", 0, OPT_INT, OPT_AT(int, per_host), .min = 0, .max = 100000,
	  .dflt = "6", .zero = "no limit", .arg = "N",
	  .help = "at most N transfers to one host at once" },
	{ "delay", 0, OPT_SECONDS, OPT_AT(double, delay), .arg = "SEC",
	  .help = "wait SEC seconds between requests to the same host" },
	{ "head", 'I', OPT_BOOL, OPT_AT(bool, head), .value = 1,
	  .help = "HEAD requests" },
	{ "request", 'X', OPT_STRING, OPT_AT(const char *, method),
	  .arg = "METHOD", .help = "use METHOD" },
	{ "compressed", 0, OPT_BOOL, OPT_AT(bool, compressed), .value = 1,
	  .dflt = "on", .help = "ask for gzip, deflate, br, zstd bodies" },
	{ "no-compressed", 0, OPT_BOOL, OPT_AT(bool, compressed), .value = 0,
	  .dflt = "on", .help = "ask for bodies as they are" },
	{ "user", 'u', OPT_STRING, OPT_AT(const char *, user), .arg = "USER[:PASSWORD]",
	  .help = "Basic credentials for the URLs' own origins (no PASSWORD: asked)" },
	{ "netrc", 0, OPT_BOOL, OPT_AT(bool, netrc), .value = 1,
	  .help = "credentials from ~/.netrc, for the URLs' own origins" },
	{ "netrc-file", 0, OPT_STRING, OPT_AT(const char *, netrc_file), .arg = "FILE",
	  .help = "as --netrc, from FILE" },
	{ "referer", 'e', OPT_STRING, OPT_AT(const char *, referer), .arg = "URL",
	  .help = "send this Referer" },
	{ "cookie-jar", 0, OPT_STRING, OPT_AT(const char *, cookie_jar), .arg = "FILE",
	  .help = "at the end, write the cookies received to FILE (Netscape format)" },
	{ "cookie", 'b', OPT_STRING, OPT_AT(const char *, cookie),
	  .arg = "'N=V; ...' | FILE",
	  .help = "send these cookies, or use the cookies of a Netscape cookie file" },
	{ "http1.1", 0, OPT_VALUE, OPT_AT(int, http_version), .value = 11,
	  .dflt = "0", .help = "use HTTP/1.1 only" },
	{ "http2", 0, OPT_VALUE, OPT_AT(int, http_version), .value = 0,
	  .dflt = "0", .help = "use HTTP/2 when the server offers it over TLS" },
	{ "cacert", 0, OPT_STRING, OPT_AT(const char *, cacert), .arg = "FILE",
	  .help = "verify servers with the CA certificates in FILE" },
	{ "max-filesize", 0, OPT_SIZE, OPT_AT(size_t, max_filesize), .arg = "SIZE",
	  .help = "fail a URL whose body (decoded) exceeds SIZE" },
	{ "speed-limit", 0, OPT_LONG, OPT_AT(long, speed_limit), .min = 1,
	  .max = LONG_MAX, .arg = "BYTES",
	  .help = "fail a URL slower than BYTES/s for --speed-time seconds" },
	{ "speed-time", 0, OPT_LONG, OPT_AT(long, speed_time), .min = 1,
	  .max = 86400, .arg = "SEC",
	  .help = "how long --speed-limit may be undercut (default 30)" },
	{ "proxy", 'x', OPT_STRING, OPT_AT(const char *, proxy), .set = opt_proxy,
	  .arg = "URL", .help = "use this proxy; it resolves the names it is asked for" },
	{ "dns-servers", 0, OPT_STRING, OPT_AT(const char *, dns_servers),
	  .arg = "ADDR[:PORT][,...]",
	  .help = "ask these DNS servers instead of the system's" },
	{ "resolve", 0, OPT_LIST, OPT_AT(const char **, resolve),
	  OPT_AT(size_t, nresolve), .set = opt_resolve,
	  .arg = "HOST:PORT:ADDR[,ADDR]",
	  .help = "use these addresses for HOST:PORT, no lookup (repeatable)" },
	{ "ipv4", '4', OPT_VALUE, OPT_AT(int, family), .value = 4,
	  .help = "use IPv4 addresses only" },
	{ "ipv6", '6', OPT_VALUE, OPT_AT(int, family), .value = 6,
	  .help = "use IPv6 addresses only" },
	{ "config", 'K', OPT_CUSTOM, .set = opt_spliced, .arg = "FILE",
	  .help = "read options from FILE, one a line ('-': standard input)" },
	{ "disable", 'q', OPT_CUSTOM, .set = opt_spliced,
	  .help = "as the first option: do not read ~/.greenfetchrc" },
	{ "help", 'h', OPT_CUSTOM, .set = opt_help,
	  .help = "show this help and exit" },
	{ "version", 'V', OPT_CUSTOM, .set = opt_version,
	  .help = "show versions and exit" },
	{ "completion", 0, OPT_CUSTOM, .set = opt_completion, .arg = "bash|zsh|fish",
	  .help = "print the shell's completion script for greenfetch and exit" },
};

static int opt_completion(struct gf_config *cfg, const struct opt_def *o,
			  const char *arg)
{
	int rc = opt_print_completion(opt_defs, ARRAY_SIZE(opt_defs), arg);

	(void)cfg, (void)o;
	if(rc == GF_EUSAGE)
		opt_usage_error("--completion: '%s' is not bash, zsh or fish", arg);
	return rc;
}

static int opt_help(struct gf_config *cfg, const struct opt_def *o,
		    const char *arg)
{
	(void)cfg, (void)o, (void)arg;
	opt_print_help(opt_defs, ARRAY_SIZE(opt_defs));
	return GF_EOF;
}

static int opt_version(struct gf_config *cfg, const struct opt_def *o,
		       const char *arg)
{
	(void)cfg, (void)o, (void)arg;
	opt_print_version();
	return GF_EOF;
}

/* The row of an option by its long name (for the checks below). */
static size_t opt_index(const char *name)
{
	for(size_t i = 0; i < ARRAY_SIZE(opt_defs); i++)
		if(strcmp(opt_defs[i].name, name) == 0)
			return i;
	abort(); /* a name below that is not in the table */
}

/* Options that cannot go together, all checked here. given[i]: the
 * option of row i was on the command line. */
static int check_conflicts(const struct gf_config *cfg, const bool *given)
{
	const char *why = NULL;

	if(cfg->json && cfg->format == GF_FORMAT_WRITEOUT)
		why = "--json and -w cannot be used together (use %{json} in -w)";
	else if(given[opt_index("ipv4")] && given[opt_index("ipv6")])
		why = "-4 and -6 cannot be used together";
	else if(cfg->output_template && !cfg->output_dir)
		why = "--output-template needs -o DIR";
	else if(cfg->convert_links && !cfg->output_dir)
		why = "--convert-links needs -o DIR";
	else if((cfg->warc_max_size || cfg->warc_cdx || cfg->warc_dedup) && !cfg->warc_file)
		why = "--warc-max-size, --warc-cdx and --warc-dedup need --warc-file FILE";
	else if((cfg->crawl_id || cfg->collect) && !cfg->frontier)
		why = "--crawl-id and --collect need --frontier redis://...";
	else if(cfg->frontier && !cfg->crawl && !cfg->collect && !cfg->crawl_id)
		why = "--frontier with a URL list needs --crawl-id NAME (or --crawl)";
	else if(cfg->frontier && (cfg->serial || cfg->hubs > 1 || cfg->resume || cfg->since))
		why = "--frontier cannot be used with --serial, -j, --resume or --since";
	else if(cfg->lease < 1)
		why = "--lease must be at least 1 second";
	else if(cfg->resume && !cfg->journal)
		why = "--resume needs --journal FILE";
	else if(cfg->skip_failed && !cfg->resume)
		why = "--skip-failed needs --resume";
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
		opt_usage_error("%s", why);
		return GF_EUSAGE;
	}
	return GF_OK;
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

#define RUN_SPARE_FDS 32              /* for stdio, the loop, DNS, input */

/* Every transfer in flight holds a socket, and with --body or -o maybe a
 * file: raise the limit to the hard one, and lower -c to what it allows. */
static void fit_fd_limit(struct gf_config *cfg)
{
	struct rlimit rl;
	long per = 1 + (cfg->output_dir != NULL) + cfg->body, room;

	if(cfg->serial || getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if(rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if(rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > 10000000)
		return;
	room = ((long)rl.rlim_cur - RUN_SPARE_FDS) / per;
	if(room < 1)
		room = 1;
	if(cfg->concurrency <= room)
		return;
	fprintf(stderr, "greenfetch: -c %d lowered to %ld: only %ld file "
		"descriptors may be open (ulimit -n)\n", cfg->concurrency, room,
		(long)rl.rlim_cur);
	cfg->concurrency = (int)room;
}

/* What follows from the options given, and choices that work but are
 * likely not what was meant. */
static void options_finish(struct gf_config *cfg, const bool *given)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if(cfg->json)
		cfg->format = GF_FORMAT_JSON;
	/* A crawl never hammers one host with the whole pool. */
	if(cfg->crawl && !given[opt_index("per-host")])
		cfg->per_host = 4;
	/* A shared list is a crawl of its lines alone, as they are. */
	if(cfg->frontier && !cfg->crawl && !cfg->collect) {
		cfg->shared_list = true;
		cfg->crawl = true;
		cfg->depth = 0;
		cfg->robots = false;
		cfg->scope = SCOPE_ANY;
	}
	if(cfg->serial)
		cfg->concurrency = 1;
	fit_fd_limit(cfg);
	cfg->window = 4 * cfg->concurrency;
	if(cores > 0 && cfg->hubs > cores)
		fprintf(stderr, "greenfetch: -j %d: this machine has %ld core%s; "
			"hubs beyond that only add threads\n", cfg->hubs, cores,
			cores == 1 ? "" : "s");
}

/* The rows as getopt_long wants them: a row's id is its letter, or 256
 * and its index for one without. */
static void getopt_tables(struct option *longopts, char *shortopts)
{
	size_t ns = 0;

	/* "-": arguments that are not options come back in place, as id 1,
	 * so that argv is never permuted and argv[at] is what was read. */
	shortopts[ns++] = '-';
	shortopts[ns++] = ':';
	for(size_t i = 0; i < ARRAY_SIZE(opt_defs); i++) {
		const struct opt_def *o = &opt_defs[i];
		int has_arg = o->arg ? required_argument : no_argument;

		longopts[i] = (struct option){ o->name, has_arg, NULL,
					       o->letter ? o->letter : 256 + (int)i };
		if(o->letter) {
			shortopts[ns++] = o->letter;
			if(o->arg)
				shortopts[ns++] = ':';
		}
	}
	memset(&longopts[ARRAY_SIZE(opt_defs)], 0, sizeof(*longopts));
	shortopts[ns] = '\0';
}

/* The row of getopt_long's id. */
static const struct opt_def *opt_of_id(int id)
{
	if(id >= 256)
		return &opt_defs[id - 256];
	for(size_t i = 0; i < ARRAY_SIZE(opt_defs); i++)
		if(opt_defs[i].letter == id)
			return &opt_defs[i];
	return NULL;
}

/* An option getopt_long refused: unknown, or without its argument. */
static void bad_option(int id, const char *given)
{
	char opt[3] = { '-', (char)optopt, '\0' };

	if(id == '?' && strncmp(given, "--", 2) == 0)
		opt_unknown_long(opt_defs, ARRAY_SIZE(opt_defs), given);
	else
		opt_usage_error(id == '?' ? "unknown option '%s'" :
				"option '%s' needs an argument",
				strncmp(given, "--", 2) == 0 ? given : opt);
}

/* Every row's default, applied as an argument would be. */
static int options_defaults(struct gf_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for(size_t i = 0; i < ARRAY_SIZE(opt_defs); i++)
		if(opt_defs[i].dflt && opt_apply(cfg, &opt_defs[i], opt_defs[i].dflt))
			return GF_EUSAGE;
	return GF_OK;
}

/* The options of argv into cfg, and the arguments that are not options
 * into cfg->inputs. */
static enum options_result options_read(struct gf_config *cfg, int argc,
					char **argv, bool *given)
{
	struct option longopts[ARRAY_SIZE(opt_defs) + 1];
	char shortopts[2 * ARRAY_SIZE(opt_defs) + 3];
	int id, longindex, at, rc;

	getopt_tables(longopts, shortopts);
	opterr = 0;
	for(;;) {
		const struct opt_def *o;

		at = optind > 0 ? optind : 1; /* 0: getopt starts afresh */
		longindex = -1;
		id = getopt_long(argc, argv, shortopts, longopts, &longindex);
		if(id == -1)
			break;
		if(id == 1) {
			cfg->inputs[cfg->ninputs++] = optarg;
			continue;
		}
		o = opt_of_id(id);
		if(!o) {
			bad_option(id, at < argc ? argv[at] : "");
			return OPTIONS_USAGE;
		}
		if(longindex >= 0 && at < argc &&
		   !written_in_full(argv[at], &longopts[longindex])) {
			opt_unknown_long(opt_defs, ARRAY_SIZE(opt_defs), argv[at]);
			return OPTIONS_USAGE;
		}
		given[o - opt_defs] = true;
		rc = opt_apply(cfg, o, o->arg ? optarg : NULL);
		if(rc)
			return rc == GF_EOF ? OPTIONS_EXIT : OPTIONS_USAGE;
	}
	/* What follows "--" is input too. */
	while(optind < argc)
		cfg->inputs[cfg->ninputs++] = argv[optind++];
	return OPTIONS_RUN;
}

static enum options_result no_memory_usage(void)
{
	opt_usage_error("%s", "out of memory");
	return OPTIONS_USAGE;
}

enum options_result options_parse(struct gf_config *cfg, int argc, char **argv)
{
	bool given[ARRAY_SIZE(opt_defs)] = { false };
	enum options_result res;

	if(options_defaults(cfg))
		return OPTIONS_USAGE;
	/* What was typed is what warcinfo records; the files' options are
	 * read with it. */
	cfg->argc = argc;
	cfg->argv = argv;
	cfg->args = calloc(1, sizeof(*cfg->args));
	if(!cfg->args || optfile_expand(opt_defs, ARRAY_SIZE(opt_defs), argc,
					argv, cfg->args))
		return cfg->args ? OPTIONS_USAGE : no_memory_usage();
	argc = cfg->args->argc;
	argv = cfg->args->argv;
	cfg->inputs = calloc((size_t)argc + 1, sizeof(*cfg->inputs));
	if(!cfg->inputs)
		return no_memory_usage();
	optind = 0;                   /* getopt_long afresh, for each parse */
	res = options_read(cfg, argc, argv, given);
	if(res != OPTIONS_RUN)
		return res;
	if(check_conflicts(cfg, given) || opt_user_password(cfg))
		return OPTIONS_USAGE;
	options_finish(cfg, given);
	return OPTIONS_RUN;
}

void options_release(struct gf_config *cfg)
{
	if(cfg->args)
		optfile_free(cfg->args);
	free(cfg->args);
	cfg->args = NULL;
	free(cfg->inputs);
	cfg->inputs = NULL;
	for(size_t i = 0; i < cfg->nheaders; i++)
		free((char *)cfg->headers[i]);
	free(cfg->headers);
	free(cfg->resolve);
	free(cfg->owned_write_out);
	if(cfg->owned_user)
		explicit_bzero(cfg->owned_user, strlen(cfg->owned_user));
	free(cfg->owned_user);
	cfg->owned_user = NULL;
	free(cfg->owned_separator);
	free(cfg->include);
	free(cfg->exclude);
	cfg->headers = NULL;
	cfg->resolve = NULL;
	cfg->owned_write_out = NULL;
	cfg->owned_separator = NULL;
	cfg->include = NULL;
	cfg->exclude = NULL;
}
