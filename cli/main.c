/*
 * greenfetch - fetch many URLs concurrently, one record per URL, in order.
 *
 * main() parses the command line into a struct gf_config and hands it to
 * run(); the flow input -> pool -> fetch -> pile -> output lives there.
 * Only this file calls exit().
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include "collect.h"
#include "fetch.h"
#include "options.h"
#include "run.h"

int main(int argc, char **argv)
{
	struct gf_config cfg;
	unsigned closed = run_std_streams();
	enum run_status status;

	switch(options_parse(&cfg, argc, argv)) {
	case OPTIONS_EXIT:
		options_release(&cfg);
		return fflush(stdout) == 0 ? RUN_OK : RUN_FAILED;
	case OPTIONS_USAGE:
		options_release(&cfg);
		return RUN_USAGE;
	case OPTIONS_RUN:
		break;
	}
	/* URLs are UTF-8 whatever the user's locale; libidn2 needs to know. */
	setlocale(LC_CTYPE, "C.UTF-8");
	if(fetch_global_init()) {
		fprintf(stderr, "greenfetch: cannot initialise libcurl or c-ares\n");
		options_release(&cfg);
		return RUN_FAILED;
	}
	status = cfg.collect ? collect_run(&cfg) : run(&cfg, closed);
	fetch_global_cleanup();
	options_release(&cfg);
	exit(status);
}
