/*
 * test_options.c - the option table: defaults, each kind of row into its
 * field, what follows from the options, and conflicts.
 */
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "options.h"
#include "unit.h"

static char *copies[64];               /* the lines cfg points into */
static size_t ncopies;

/* Parse the words of line (split at spaces) into cfg. */
static enum options_result parse(struct gf_config *cfg, const char *line)
{
	char *copy = strdup(line), *argv[32], *save = NULL;
	int argc = 0;
	enum options_result res;

	argv[argc++] = "greenfetch";
	for(char *w = strtok_r(copy, " ", &save); w && argc < 31;
	    w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	optind = 0; /* glibc: start getopt afresh */
	res = options_parse(cfg, argc, argv);
	if(ncopies < 64)
		copies[ncopies++] = copy;
	return res;
}

static void defaults_are_the_rows(void)
{
	struct gf_config cfg;

	CHECK(parse(&cfg, "http://a/") == OPTIONS_RUN);
	CHECK(cfg.concurrency == 20 && cfg.window == 80 && cfg.hubs == 1);
	CHECK(cfg.buffer_size == (size_t)64 << 20);
	CHECK(cfg.read_timeout == 60 && cfg.retry_delay == 1);
	CHECK(cfg.max_redirs == 10 && cfg.depth == 5 && cfg.per_host == 6);
	CHECK(cfg.robots && cfg.compressed && cfg.http_version == 0);
	CHECK(cfg.progress == GF_PROGRESS_AUTO && cfg.format == GF_FORMAT_TEXT);
	CHECK(cfg.scope == 0 && cfg.family == 0 && !cfg.serial);
	CHECK(cfg.ninputs == 1 && strcmp(cfg.inputs[0], "http://a/") == 0);
	options_release(&cfg);
}

static void each_kind_sets_its_field(void)
{
	struct gf_config cfg;

	CHECK(parse(&cfg, "-c 7 --buffer-size 2K --read-timeout 1.5 --no-robots "
		    "--crawl --scope prefix --include a --include b --http1.1 -6 "
		    "--no-progress -A ua --max-pages 9 --json --rate 60/m "
		    "-H X-A:1 --resolve h:1:127.0.0.1 --no-compressed -") == OPTIONS_RUN);
	CHECK(cfg.concurrency == 7 && cfg.window == 28);
	CHECK(cfg.buffer_size == 2048 && cfg.read_timeout == 1.5);
	CHECK(!cfg.robots && cfg.crawl && cfg.scope == 2);
	CHECK(cfg.ninclude == 2 && strcmp(cfg.include[1], "b") == 0);
	CHECK(cfg.http_version == 11 && cfg.family == 6);
	CHECK(cfg.progress == GF_PROGRESS_OFF && strcmp(cfg.user_agent, "ua") == 0);
	CHECK(cfg.max_pages == 9 && cfg.format == GF_FORMAT_JSON);
	CHECK(cfg.rate > 0.99 && cfg.rate < 1.01);
	CHECK(cfg.nheaders == 1 && strcmp(cfg.headers[0], "X-A: 1") == 0);
	CHECK(cfg.nresolve == 1 && !cfg.compressed);
	/* A crawl's own per-host default, unless one is given. */
	CHECK(cfg.per_host == 4);
	CHECK(cfg.ninputs == 1 && strcmp(cfg.inputs[0], "-") == 0);
	options_release(&cfg);
	CHECK(parse(&cfg, "--crawl --per-host 6") == OPTIONS_RUN);
	CHECK(cfg.per_host == 6);
	options_release(&cfg);
	CHECK(parse(&cfg, "--serial -c 50") == OPTIONS_RUN);
	CHECK(cfg.concurrency == 1);
	options_release(&cfg);
}

static void refused(void)
{
	static const char *const bad[] = {
		"-c 0", "-c 100001", "--scope nowhere", "-4 -6", "--json -w x",
		"--buffer-size 1Q", "--max-time -1", "--separator x",
		"--user-agen x", "-j 2 --serial", "--sitemap", "-x socks5://p",
	};
	struct gf_config cfg;

	for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		/* The usage error is expected: not on the test's output. */
		int saved = dup(STDERR_FILENO), null = open("/dev/null", O_WRONLY);
		enum options_result res;

		dup2(null, STDERR_FILENO);
		res = parse(&cfg, bad[i]);
		dup2(saved, STDERR_FILENO);
		close(saved);
		close(null);
		if(res != OPTIONS_USAGE)
			fprintf(stderr, "accepted: %s\n", bad[i]), unit_failed = 1;
		options_release(&cfg);
	}
	/* -4 twice is one choice, not two. */
	CHECK(parse(&cfg, "-4 -4") == OPTIONS_RUN && cfg.family == 4);
	options_release(&cfg);
}

int main(void)
{
	/* No user's config file: the rows alone. */
	setenv("HOME", "/nonexistent", 1);
	unsetenv("XDG_CONFIG_HOME");
	RUN(defaults_are_the_rows);
	RUN(each_kind_sets_its_field);
	RUN(refused);
	while(ncopies > 0)
		free(copies[--ncopies]);
	return unit_any_failed;
}
