/*
 * stats.h - --stats-json: what a run did, counted as its records go out,
 * written at the end as one JSON object.
 *
 * Memory is bounded: the per-host counts keep at most STATS_HOSTS hosts
 * (later ones are counted together as "others").
 */
#ifndef GF_STATS_H
#define GF_STATS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"

#define STATS_HOSTS 100000            /* hosts counted by name, at most */
#define STATS_EXITS 128               /* exit codes counted (curl's < 100) */

struct stats_host {
	char *host;                   /* NULL = free slot */
	uint64_t urls;
};

struct stats {
	uint64_t urls, failed, skipped, unchanged;
	uint64_t by_class[6];         /* no response, then 1xx ... 5xx */
	uint64_t by_exit[STATS_EXITS];
	uint64_t bytes;
	double time_sum;              /* the records' own times, added */
	struct stats_host *hosts;     /* open addressing, cap a power of two */
	size_t nhosts, cap;
	uint64_t others;              /* URLs of hosts past STATS_HOSTS */
};

/* How the run went, beside its records. */
struct stats_run {
	double wall;                  /* seconds, start to end */
	bool serial;
	int concurrency, hubs;
	int peak_in_flight;
};

/* One record more, of host (NULL: counted among the others). */
void stats_add(struct stats *st, const struct gf_record *rec, const char *host);
void stats_release(struct stats *st);

/* The object, on a line of its own, to path ("-": standard error);
 * false when it could not be written (said on stderr). */
bool stats_save(const struct stats *st, const struct stats_run *run,
		const char *path);

#endif
