/*
 * run.h - one whole run: input -> pool -> fetch -> pile -> output, on the
 * hub or --serial, and its summary.
 */
#ifndef GF_RUN_H
#define GF_RUN_H

#include "config.h"

/* Standard streams closed by the caller (greenfetch <&- >&-) are opened
 * on /dev/null, first thing, so that no socket or file of ours takes
 * their number (records written into a curl socket, libev handed a stale
 * fd). Returns the closed ones as bits, 1 << fd (1 << 3: one could not be
 * filled). */
unsigned run_std_streams(void);

/* The exit status of a run: 0 all ok, 1 any failed, 2 usage (standard
 * output closed), 130 interrupted, 141 output closed. closed comes from
 * run_std_streams(). */
int run(struct gf_config *cfg, unsigned closed);

#endif
