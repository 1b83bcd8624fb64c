/*
 * options.h - the command line into a struct gf_config.
 *
 * Options are data: one row per option in options.c feeds getopt_long, the
 * --help text and the checks. Conflicts are checked in one place after all
 * options are read.
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
 * rest. */
enum options_result options_parse(struct gf_config *cfg, int argc, char **argv);
void options_release(struct gf_config *cfg);

#endif
