/*
 * options.h - the command line into a struct gf_config.
 *
 * Options are data: one typed row per option in options.c (what it sets,
 * its range and default, its --help line) feeds getopt_long, the defaults,
 * --help and the checks (optdef.h). Conflicts are checked in one place
 * after all options are read. The config is whole when options_parse()
 * returns, and only read from then on.
 */
#ifndef GF_OPTIONS_H
#define GF_OPTIONS_H

#include "config.h"

enum options_result {
	OPTIONS_RUN,                  /* cfg is ready */
	OPTIONS_EXIT,                 /* --help or --version was printed */
	OPTIONS_USAGE                 /* a usage error was printed */
};

/* Fill cfg from argv. cfg points into argv; options_release() frees the
 * rest. With a run ahead, the fd limit is raised to the hard one, and -c
 * lowered (with a warning) to what it allows. */
enum options_result options_parse(struct gf_config *cfg, int argc, char **argv);
void options_release(struct gf_config *cfg);

#endif
