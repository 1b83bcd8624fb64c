/*
 * run.h - one whole run: input -> pool -> fetch -> pile -> output, on the
 * hub or --serial, and its summary.
 */
#ifndef GF_RUN_H
#define GF_RUN_H

#include "config.h"

/* The exit status of a run: 0 all ok, 1 any failed, 141 output closed. */
int run(struct gf_config *cfg);

#endif
