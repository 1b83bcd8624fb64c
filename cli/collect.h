/*
 * collect.h - --frontier URL --collect: the records of a shared crawl.
 */
#ifndef GF_COLLECT_H
#define GF_COLLECT_H

#include "config.h"
#include "run.h"

/* Print every record of the crawl once, until it is over. */
enum run_status collect_run(const struct gf_config *cfg);

#endif
