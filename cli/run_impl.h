/*
 * run_impl.h - a run's insides, shared by run.c (the parts wired, the hub,
 * signals, the end) and job.c (the jobs, and what the pool and the crawl
 * ask of them).
 */
#ifndef GF_RUN_IMPL_H
#define GF_RUN_IMPL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "crawl.h"
#include "input.h"
#include "pool.h"
#include "progress.h"
#include "run.h"
#include "sink.h"
#include "stats.h"

#define RUN_TICK 0.1                  /* seconds between progress redraws */

struct run_counter;

struct run {
	const struct gf_config *cfg;  /* options */
	struct gf_log log;            /* the -v sink, handed to fetch */
	struct input *in;             /* URL lines */
	struct sinks sinks;           /* where records and bodies go */
	struct hub *hub;              /* the loop */
	struct pool *pool;            /* bounded concurrency, and the waits */
	struct backend *backend;      /* where the tries are done */
	struct crawl *crawl;          /* --crawl, NULL otherwise */
	struct resume *resume;        /* --resume, NULL otherwise */
	struct since *since;          /* --since, NULL otherwise */
	struct sink *warc;            /* --warc-file's sink (in sinks), or NULL */
	struct writer *writer;        /* its writer thread (the journal's too) */
	uint64_t lines;               /* URL lines read (a list) */
	bool skipping;                /* --resume yields between skips */
	bool seeds_done;              /* a crawl read all its seeds */
	struct progress progress;     /* the progress line */
	bool show_progress;           /* draw it */
	double started;               /* gf_now() at the start */
	double last_draw;             /* when it was last drawn (serial) */
	uint64_t total;               /* URLs in the input, 0 = not known yet */
	uint64_t done;                /* records written */
	uint64_t failed;              /* of which failed */
	uint64_t stopped;             /* stopped in flight by a signal */
	uint64_t unstarted;           /* taken but stopped before they began */
	bool halted;                  /* --fail-fast stopped the run */
	uint64_t halted_at;           /* at the failure of this record */
	bool halted_left;             /* and left URLs unstarted */
	struct stats stats;           /* --stats-json's counts */
	int peak_in_flight;           /* the pool's, kept past its end */
	bool stats_failed;            /* --stats-json could not be written */
	uint64_t bytes;               /* body bytes received */
	uint64_t slowed;              /* times a host was slowed (429, 503) */
	int signals;                  /* SIGINT/SIGTERM handled */
	double first_signal;          /* when the first came (--serial's stop) */
	int out_error;                /* first output error, GF_OK if none */
	bool stdout_pipe;             /* standard output is a pipe */
	bool stdout_tty;              /* ... a terminal (with the progress?) */
	bool redraw;                  /* records took the progress line off */
	struct run_counter *counter;  /* counts the input for the progress */
	double last_hangup_check;     /* when run_stdout_gone() last asked */
	int fatal;                    /* no more jobs could be made, GF_OK if none */
	bool drained;                 /* the backend was told the input is over */
};

/* -v lines come from hub threads too (-j): one at a time, and not in the
 * middle of a progress line. */
extern pthread_mutex_t run_stderr_lock;

/* job.c: the pool's and the crawl's calls into the run. */
extern const struct pool_ops job_pool_ops;
extern const struct crawl_ops job_crawl_ops;

/* run.c: a fetch of no job (robots.txt) is archived (--warc-file) when
 * it ends: done and arg are wrapped. */
void run_side_archive(struct run *r, struct gf_record *rec,
		      void (**done)(void *arg, double retry), void **arg);

/* run.c: draw the progress line now; stop the run (output is gone). */
void run_draw(struct run *r);
void run_stop(struct run *r);

/* run.c: a record goes out: count it, under host (the job's key; NULL:
 * none). */
void run_count(struct run *r, const struct gf_record *rec, const char *host);

/* run.c: a URL's last try ended: a failure ends a --fail-fast run, as
 * tries end (what waits is not started; what runs ends its try). */
void run_tried_last(struct run *r, const struct gf_record *rec);

#endif
