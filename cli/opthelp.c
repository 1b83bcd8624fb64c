/*
 * opthelp.c - the words of the options: --help from the table, --version,
 * usage errors and the nearest option to a mistyped one.
 */
#include <stdio.h>
#include <string.h>

#include "fetch.h"
#include "gf.h"
#include "hub.h"
#include "optdef.h"
#include "version.h"

void opt_usage_error(const char *fmt, const char *what)
{
	fprintf(stderr, "greenfetch: ");
	fprintf(stderr, fmt, what);
	fprintf(stderr, "\nTry 'greenfetch --help' for more information.\n");
}

/* The end of o's --help line: its range, default and the meaning of 0. */
static void help_suffix(const struct opt_def *o, char *buf, size_t len)
{
	buf[0] = '\0';
	if(o->kind == OPT_BOOL || o->kind == OPT_VALUE) {
		if(opt_is_default(o))
			snprintf(buf, len, " (the default)");
	} else if(o->show_range) {
		snprintf(buf, len, " (%ld-%ld, default %s)", o->min, o->max, o->dflt);
	} else if(o->dflt) {
		snprintf(buf, len, " (default %s%s%s)", o->dflt, o->zero ? "; 0 = " : "",
			 o->zero ? o->zero : "");
	}
}

void opt_print_help(const struct opt_def *defs, size_t n)
{
	printf("Usage: greenfetch [OPTION]... [URL | FILE | -]...\n"
	       "Fetch URLs concurrently and write one record per URL, in input order.\n"
	       "An argument starting with http:// or https:// is a URL, '-' is stdin,\n"
	       "anything else a file of URLs, one per line; no argument reads stdin.\n"
	       "\nOptions:\n");
	for(size_t i = 0; i < n; i++) {
		const struct opt_def *o = &defs[i];
		char left[64], suffix[96];

		snprintf(left, sizeof(left), "%c%c%c --%s%s%s",
			 o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
			 o->letter ? ',' : ' ', o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		help_suffix(o, suffix, sizeof(suffix));
		if(strlen(left) > 32)
			printf("  %s\n  %-32s %s%s\n", left, "", o->help, suffix);
		else
			printf("  %-32s %s%s\n", left, o->help, suffix);
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

void opt_print_version(void)
{
	char fetch[256], hub[64];

	printf("greenfetch %s\n%s\n%s\n", GF_VERSION,
	       fetch_versions(fetch, sizeof(fetch)), hub_version(hub, sizeof(hub)));
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
static const char *nearest_option(const struct opt_def *defs, size_t n,
				  const char *given, size_t len)
{
	char name[40];
	const char *best = NULL;
	size_t best_d = 3;

	if(len >= sizeof(name))
		return NULL;
	memcpy(name, given, len);
	name[len] = '\0';
	for(size_t i = 0; i < n; i++) {
		const char *o = defs[i].name;
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

void opt_unknown_long(const struct opt_def *defs, size_t n, const char *given)
{
	size_t len = strcspn(given + 2, "=");
	const char *near = nearest_option(defs, n, given + 2, len);
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
	opt_usage_error(msg, given);
}
