/*
 * sink.h - where the results of jobs go: records, ordered bodies, files
 * under -o. A new destination (a journal, an archive) is one more file
 * implementing struct sink_ops.
 *
 * Flow: run -> sinks -> (records | bodies | files) -> stdout, stderr, DIR.
 *
 * A sink sees each job four times: open (the job is made: its record holds
 * the index and the URL as given), the body's bytes (through the hook it
 * gave at open, from hub threads with -j), done (the transfer is over: the
 * sink may add to the record, e.g. the file it saved), and release (in the
 * order of the input, or of completion with --unordered; the record is
 * final). close frees what the sink holds for the job, released or not.
 *
 * A job may be hidden: the crawl's own work (a sitemap) has no record and
 * no body, but still takes its place in the order.
 */
#ifndef GF_SINK_H
#define GF_SINK_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "record.h"

/* A sink's part in one job. */
struct sink_part {
	struct gf_body *hook;         /* where it takes the body, NULL = not */
	struct gf_tap *tap;           /* where it takes the hops as on the wire */
};

struct sink;

/* Any but free may be NULL: a sink without a part in jobs (open), or
 * with nothing to do at that step. */
struct sink_ops {
	/* Job seq begins. *part = its state, or NULL when the sink has none
	 * for it. False when out of memory. */
	bool (*open)(struct sink *s, uint64_t seq, const struct gf_record *rec,
		     bool hidden, struct sink_part **part);
	/* --resume: a record an earlier run did, in its place in the order
	 * (as a job would be opened), is not done again: its index and URL,
	 * and the rest when known (rec->file: it was saved). */
	void (*replay)(struct sink *s, const struct gf_record *rec);
	/* The transfer is over (part may be NULL). */
	void (*done)(struct sink *s, struct sink_part *part, struct gf_record *rec);
	/* The job's turn: GF_OK, or GF_EPIPE / GF_EIO when the sink can write
	 * no more (the run stops). */
	int (*release)(struct sink *s, struct sink_part *part, uint64_t seq,
		       const struct gf_record *rec, bool hidden);
	/* Free part (not NULL). */
	void (*close)(struct sink *s, struct sink_part *part);
	/* Write what is buffered: GF_OK, GF_EPIPE or GF_EIO. */
	int (*flush)(struct sink *s);
	/* The run is over: last work on what was written (--convert-links). */
	void (*finish)(struct sink *s);
	void (*free)(struct sink *s);
};

struct sink {
	const struct sink_ops *ops;
};

/* Records: to stdout, or with --body to stderr (--json, -w) or nowhere.
 * --broken shows only failures; a linked page robots.txt forbids is shown
 * only in JSON or with -v. NULL with a message in err on a bad -w. */
struct sink *sink_records_new(const struct gf_config *cfg, char *err,
			      size_t errlen);

/* --body: bodies to stdout in order (the head streams, the others are held
 * in memory within --buffer-size, then in unlinked temporary files). window
 * bounds the jobs open at once. */
struct sink *sink_bodies_new(const struct gf_config *cfg, size_t window);

/* -o DIR: each body to a file under DIR, renamed into place when the
 * transfer succeeded. NULL with a message in err when DIR cannot be used.
 * With --resume, the temporary files a killed run left are removed. */
struct sink *sink_files_new(const struct gf_config *cfg, char *err,
			    size_t errlen);

/* ------------------------------------------------------ all of a run */

#define SINKS_MAX 8                   /* sinks of one run, at most */

struct sinks {
	struct sink *sink[SINKS_MAX];
	size_t n;
};

/* A job's parts of all the sinks, and the one hook over those that take
 * its body. */
struct sinks_job {
	struct gf_body tee;           /* writes to each part's hook in turn */
	struct sink_part *part[SINKS_MAX];
	struct gf_body *hook;         /* for fetch: NULL, one part's, or &tee */
	struct gf_tap *tap;           /* the archive's part's, NULL = none */
	bool hidden;                  /* no record, no body */
};

/* Add s (taking it); false (s freed) when it is NULL or there are too many. */
bool sinks_add(struct sinks *all, struct sink *s);
void sinks_free(struct sinks *all);

bool sinks_open(struct sinks *all, struct sinks_job *job, uint64_t seq,
		const struct gf_record *rec, bool hidden);
void sinks_replay(struct sinks *all, const struct gf_record *rec);
void sinks_done(struct sinks *all, struct sinks_job *job, struct gf_record *rec);
/* The first error of any sink, GF_OK if none. */
int sinks_release(struct sinks *all, struct sinks_job *job, uint64_t seq,
		  const struct gf_record *rec);
void sinks_close(struct sinks *all, struct sinks_job *job);
int sinks_flush(struct sinks *all);
void sinks_finish(struct sinks *all);

#endif
