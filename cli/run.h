/*
 * run.h - one whole run: input -> pool -> fetch -> pile -> output, on the
 * hub or --serial, and its summary.
 */
#ifndef GF_RUN_H
#define GF_RUN_H

#include "config.h"

/* The exit status of greenfetch, as --help, the man page and the README
 * give it. */
enum run_status {
	RUN_OK = 0,                   /* every URL succeeded */
	RUN_FAILED = 1,               /* a URL failed, an input file could not be
					 read, or memory ran out */
	RUN_USAGE = 2,                /* a usage error, or standard output is
					 closed */
	RUN_HALTED = 3,               /* --fail-fast left URLs unstarted */
	RUN_INTERRUPTED = 130,        /* SIGINT or SIGTERM (128 + SIGINT) */
	RUN_OUTPUT_CLOSED = 141       /* the reader of the output went away
					 (128 + SIGPIPE) */
};

/* Standard streams closed by the caller (greenfetch <&- >&-) are opened
 * on /dev/null, first thing, so that no socket or file of ours takes
 * their number (records written into a curl socket, libev handed a stale
 * fd). Returns the closed ones as bits, 1 << fd (1 << 3: one could not be
 * filled). */
unsigned run_std_streams(void);

/* Run: an enum run_status. closed comes from run_std_streams(). */
enum run_status run(const struct gf_config *cfg, unsigned closed);

#endif
