/*
 * run.c - wires the parts together for one run.
 *
 * Concurrent: the pool pulls lines from the input (waiting on the hub when a
 * pipe has nothing yet), makes each a job with a record and a body, and
 * starts it on fetch; finished jobs come back through the pile in order and
 * are written out. Output is flushed each time the hub is about to wait, so
 * records leave in batches but never sit in a buffer while nothing happens.
 *
 * Serial: the same job path with a pool of one and a backend that blocks.
 * The jobs, and what the pool and the crawl ask of them, are job.c's.
 *
 * Signals: the first SIGINT or SIGTERM stops new starts and gives the
 * transfers in flight RUN_GRACE seconds; the second, or the end of the grace,
 * stops them. Records of finished URLs are written in order; the others are
 * counted as not done.
 */
#include "run_impl.h"

#include "journal.h"
#include "resume.h"
#include "since.h"
#include "sink_warc.h"
#include "waterfall.h"
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend.h"
#include "format.h"
#include "gf.h"
#include "hub.h"

#define RUN_GRACE 2.0                 /* seconds in flight after a signal */
#define RUN_DEADLINE_SLACK 0.05       /* -m's own timer after curl's */

pthread_mutex_t run_stderr_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---------------------------------------------------------- logging */

static void run_log_write(struct gf_log *log, const char *msg)
{
	struct run *r = container_of(log, struct run, log);

	pthread_mutex_lock(&run_stderr_lock);
	progress_above(&r->progress);
	fprintf(stderr, "[%8.3f] ", gf_now() - r->started);
	format_text_string(stderr, msg);
	fputs(r->progress.drawn ? "\033[K\n" : "\n", stderr);
	progress_below(&r->progress);
	pthread_mutex_unlock(&run_stderr_lock);
}

/* The progress line's total, for input of regular files, counted on a
 * thread of its own so that a long file does not hold up the first
 * requests; its answer is used until the reader itself reaches the end. */
struct run_counter {
	pthread_t thread;
	char **args;                  /* the sources */
	size_t nargs;
	atomic_bool stop;             /* the run is over: give up */
	atomic_bool done;             /* total is known */
	uint64_t total;               /* URL lines in all, once done */
};

static void *run_counter_main(void *arg)
{
	struct run_counter *c = arg;
	uint64_t total;

	if(input_count_all(c->args, c->nargs, &c->stop, &total)) {
		c->total = total;
		atomic_store(&c->done, true);
	}
	return NULL;
}

static void run_counter_start(struct run *r)
{
	struct run_counter *c = calloc(1, sizeof(*c));
	sigset_t all, old;

	if(!c)
		return;
	c->args = r->cfg->inputs;
	c->nargs = r->cfg->ninputs;
	atomic_init(&c->stop, false);
	atomic_init(&c->done, false);
	/* Signals are the hub's: the thread starts with them blocked. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if(pthread_create(&c->thread, NULL, run_counter_main, c) != 0) {
		free(c);
		c = NULL;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	r->counter = c;
}

static void run_counter_stop(struct run *r)
{
	if(!r->counter)
		return;
	atomic_store(&r->counter->stop, true);
	pthread_join(r->counter->thread, NULL);
	free(r->counter);
	r->counter = NULL;
}

static uint64_t run_total(const struct run *r)
{
	if(r->total || !r->counter || !atomic_load(&r->counter->done))
		return r->total;
	return r->counter->total;
}

void run_draw(struct run *r)
{
	/* What earlier runs did counts as done (--resume). */
	uint64_t before = r->resume ? resume_count(r->resume) : 0;
	struct progress_counts c = {
		.done = r->done + before, .total = run_total(r), .failed = r->failed,
		.running = r->pool ? pool_running(r->pool) : (r->total != r->done + before),
		.bytes = r->bytes, .elapsed = gf_now() - r->started,
	};

	pthread_mutex_lock(&run_stderr_lock);
	progress_draw(&r->progress, &c);
	pthread_mutex_unlock(&run_stderr_lock);
	r->last_draw = gf_now();
}

void run_stop(struct run *r)
{
	pool_stop(r->pool);
	hub_stop(r->hub);
}

/* Before the hub blocks: start what the last batch left, flush records. */
static void run_wait_cb(void *arg)
{
	struct run *r = arg;

	if(r->out_error)
		return;
	if(r->halted && !pool_cancelled(r->pool))
		pool_cancel(r->pool);
	pool_fill(r->pool);
	/* The input is over and all that is left runs now: connections and
	 * handles these cannot use may go. */
	if(pool_draining(r->pool) && pool_waiting(r->pool) == 0 && !r->drained) {
		r->drained = true;
		backend_drain(r->backend);
	}
	r->out_error = sinks_flush(&r->sinks);
	if(r->out_error)
		run_stop(r);
	else if(r->redraw)
		run_draw(r);
	r->redraw = false;
}

/* The reader of standard output went away while nothing was written:
 * stop now, as a write would have found (exit 141, quietly). */
static void run_hangup_cb(void *arg)
{
	struct run *r = arg;

	if(!r->out_error)
		r->out_error = GF_EPIPE;
	run_stop(r);
}

static void run_grace_cb(void *arg)
{
	run_stop(arg);
}

static void run_signal_cb(void *arg)
{
	struct run *r = arg;

	if(++r->signals > 1) {
		run_stop(r);
		return;
	}
	pool_stop(r->pool);
	hub_after(r->hub, RUN_GRACE, run_grace_cb, r);
}

static void run_tick_cb(void *arg)
{
	run_draw(arg);
}

/* ------------------------------------------------------ serial */

/* Has the reader of a pipe on standard output gone away? Asked at most
 * every 50 ms (--serial has no hub to watch it). */
static bool run_stdout_gone(struct run *r)
{
	struct pollfd pfd = { .fd = STDOUT_FILENO, .events = POLLOUT };
	double now = gf_now();

	if(!r->stdout_pipe || now - r->last_hangup_check < 0.05)
		return false;
	r->last_hangup_check = now;
	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLERR | POLLHUP));
}

/* Should the transfer in progress stop? After a second signal, when the
 * grace after the first is over, or when no one reads our output. */
static bool run_serial_stop(void *arg)
{
	struct run *r = arg;

	if(!r->out_error && run_stdout_gone(r))
		r->out_error = GF_EPIPE;
	if(r->out_error == GF_EPIPE)
		return true;
	if(hub_signals() == 0)
		return false;
	if(r->first_signal == 0)
		r->first_signal = gf_now();
	return hub_signals() > 1 || gf_now() - r->first_signal > RUN_GRACE;
}

/* -------------------------------------------------------- the hub */

/* --cookie-jar FILE: opened (to append) before anything is fetched, so
 * that one that cannot be written is said first; begun afresh (start)
 * once -b has read it, the same file maybe; the cookies go in at the
 * end. */
static bool run_cookie_jar(const struct gf_config *cfg, bool start, char *err,
			   size_t errlen)
{
	FILE *f;
	bool ok;

	if(!cfg->cookie_jar)
		return true;
	f = fopen(cfg->cookie_jar, start ? "w" : "a");
	ok = f && (!start ||
		   fputs("# Netscape HTTP Cookie File\n# written by greenfetch\n\n", f) >= 0);
	if(f && fclose(f) != 0)
		ok = false;
	if(!ok)
		snprintf(err, errlen, "--cookie-jar %s: %s", cfg->cookie_jar,
			 strerror(errno));
	return ok;
}

static int run_hub(struct run *r)
{
	const struct gf_config *cfg = r->cfg;
	struct pool_limits lim = {
		.size = cfg->concurrency, .window = (size_t)cfg->window,
		.unordered = cfg->unordered, .per_key = cfg->per_host,
		.spacing = cfg->delay, .rate = cfg->rate,
		/* Just after curl's own timeout of a try, so that its message
		 * (with the bytes it got) wins when time runs out in curl. */
		.deadline = cfg->max_time > 0 ? cfg->max_time + RUN_DEADLINE_SLACK : 0,
	};
	struct backend_hooks hooks = {
		.log = cfg->verbose ? &r->log : NULL,
		.stop = run_serial_stop, .stop_arg = r,
	};
	const char *error = NULL;
	char jar_error[256];

	r->hub = hub_new();
	if(!r->hub) {
		fprintf(stderr, "greenfetch: cannot start the event loop\n");
		return GF_ENOMEM;
	}
	r->pool = pool_new(r->hub, &lim, &job_pool_ops, r);
	r->backend = r->pool ? backend_new(r->hub, cfg, &hooks, &error) : NULL;
	if(!r->backend) {
		fprintf(stderr, "greenfetch: %s\n", error ? error : "out of memory");
		return error && error[0] == '-' ? GF_EUSAGE : GF_ENOMEM;
	}
	if(!run_cookie_jar(cfg, true, jar_error, sizeof(jar_error))) {
		fprintf(stderr, "greenfetch: %s\n", jar_error);
		return GF_EUSAGE;
	}
	if(cfg->serial && cfg->dns_servers)
		fprintf(stderr, "greenfetch: --serial resolves with the system's "
			"resolver; --dns-servers is not used\n");
	hub_on_wait(r->hub, run_wait_cb, r);
	hub_on_signal(r->hub, run_signal_cb, r);
	hub_on_hangup(r->hub, STDOUT_FILENO, run_hangup_cb, r);
	if(r->show_progress)
		hub_every(r->hub, RUN_TICK, run_tick_cb, r);
	pool_fill(r->pool);
	hub_run(r->hub);
	return GF_OK;
}

static void run_hub_free(struct run *r)
{
	/* What waits ends now, and what runs as its try ends: each comes
	 * back through the pool, interrupted, before the parts go. */
	if(r->pool)
		pool_cancel(r->pool);
	backend_free(r->backend);
	if(r->pool)
		r->peak_in_flight = pool_peak(r->pool);
	pool_free(r->pool);
	if(r->crawl)
		crawl_stop(r->crawl);
	hub_free(r->hub);
}

/* ------------------------------------------------------- the run */

void run_count(struct run *r, const struct gf_record *rec, const char *host)
{
	r->done++;
	r->failed += record_failed(rec) != 0;
	if(r->cfg->stats_json)
		stats_add(&r->stats, rec, host);
}

/* --stats-json FILE ("-": standard error): false when it cannot be
 * written (said). */
static bool run_stats_json(struct run *r, double wall)
{
	const struct gf_config *cfg = r->cfg;
	struct stats_run info = { .wall = wall, .serial = cfg->serial,
				  .concurrency = cfg->concurrency, .hubs = cfg->hubs,
				  .peak_in_flight = r->peak_in_flight };
	bool ok = stats_save(&r->stats, &info, cfg->stats_json);

	stats_release(&r->stats);
	return ok;
}

void run_tried_last(struct run *r, const struct gf_record *rec)
{
	if(r->cfg->fail_fast && record_failed(rec) && !r->halted && !r->signals) {
		r->halted = true;
		r->halted_at = rec->index;
		pool_hold(r->pool);   /* and pool_cancel() before the hub waits */
	}
}

/* What a stopped run leaves: taken and not begun, the crawl's queue, the
 * rest of the input as far as it can be counted without waiting. */
static uint64_t run_left(struct run *r, bool *more)
{
	uint64_t rest = r->unstarted + input_count_rest(r->in, more);

	return r->crawl ? rest + crawl_queued(r->crawl) : rest;
}

/* --fail-fast ended the run: after which record, and what it left. */
static void run_halted(struct run *r)
{
	bool more;
	uint64_t rest = run_left(r, &more);

	r->halted_left = rest > 0 || more;
	if(!r->halted_left)
		return;
	fprintf(stderr, "greenfetch: --fail-fast: stopped after #%llu failed: "
		"%llu done, %llu not started%s\n", (unsigned long long)r->halted_at,
		(unsigned long long)r->done, (unsigned long long)rest,
		more ? " (and the rest of the input, not read)" : "");
}

static void run_summary(const struct run *r, double elapsed)
{
	char mode[64], per_host[32] = "";

	if(r->cfg->per_host > 0 && !r->cfg->serial)
		snprintf(per_host, sizeof(per_host), ", %d per host", r->cfg->per_host);
	if(r->cfg->serial)
		snprintf(mode, sizeof(mode), "serial");
	else if(r->cfg->hubs > 1)
		snprintf(mode, sizeof(mode), "concurrency %d%s, %d hubs",
			 r->cfg->concurrency, per_host, r->cfg->hubs);
	else
		snprintf(mode, sizeof(mode), "concurrency %d%s", r->cfg->concurrency,
			 per_host);
	fprintf(stderr, "%llu URLs, %llu ok, %llu failed in %.2f s (%s)\n",
		(unsigned long long)r->done,
		(unsigned long long)(r->done - r->failed),
		(unsigned long long)r->failed, elapsed, mode);
	if(r->slowed)
		fprintf(stderr, "hosts slowed %llu time%s for answering 429 or 503\n",
			(unsigned long long)r->slowed, r->slowed == 1 ? "" : "s");
	if(r->resume && resume_count(r->resume))
		fprintf(stderr, "%llu done by earlier runs (--resume), not again\n",
			(unsigned long long)resume_count(r->resume));
}

/* After a signal: what was done, what was stopped in flight, and what
 * never began (run_left()). */
static void run_interrupted(struct run *r)
{
	bool more;
	uint64_t rest = run_left(r, &more);

	fprintf(stderr, "interrupted: %llu done, %llu stopped in flight, %llu "
		"not started%s\n", (unsigned long long)r->done,
		(unsigned long long)r->stopped, (unsigned long long)rest,
		more ? " (and the rest of the input, not read)" : "");
}

/* A fetch of the crawl's own (robots.txt), archived as it ends. */
struct side {
	struct run *run;
	struct gf_record *rec;
	void (*done)(void *arg, double retry);
	void *arg;
};

static void run_side_done(void *arg, double retry)
{
	struct side *sd = arg;
	void (*done)(void *, double) = sd->done;
	void *done_arg = sd->arg;

	sink_warc_side_end(sd->run->warc, sd->rec->tap, sd->rec);
	sd->rec->tap = NULL;
	free(sd);
	done(done_arg, retry);
}

void run_side_archive(struct run *r, struct gf_record *rec,
		      void (**done)(void *arg, double retry), void **arg)
{
	struct side *sd = calloc(1, sizeof(*sd));

	if(!sd || !(rec->tap = sink_warc_side(r->warc))) {
		free(sd);
		gf_oom();
		return;
	}
	*sd = (struct side){ .run = r, .rec = rec, .done = *done, .arg = *arg };
	*done = run_side_done;
	*arg = sd;
}

/* --frontier: a record for the shared stream, as --json writes it. */
static char *run_record_json(void *ctx, const struct gf_record *rec)
{
	(void)ctx;
	return format_json_alloc(rec);
}

static int run_setup(struct run *r)
{
	char err[256];
	bool ok;

	r->log.write = run_log_write;
	r->show_progress = r->cfg->progress == GF_PROGRESS_ON ||
		(r->cfg->progress == GF_PROGRESS_AUTO && !r->cfg->silent &&
		 isatty(STDERR_FILENO));
	{
		struct stat st;

		r->stdout_pipe = fstat(STDOUT_FILENO, &st) == 0 && S_ISFIFO(st.st_mode);
		r->stdout_tty = isatty(STDOUT_FILENO);
	}
	r->in = input_new(r->cfg->inputs, r->cfg->ninputs);
	err[0] = '\0';
	ok = r->in != NULL && run_cookie_jar(r->cfg, false, err, sizeof(err));
	if(ok && r->cfg->resume)
		ok = (r->resume = resume_new(r->cfg, err, sizeof(err))) != NULL;
	if(ok && r->cfg->since)
		ok = (r->since = since_new(r->cfg->since, err, sizeof(err))) != NULL;
	/* The archive first, then the journal, then the records: a record
	 * on stdout is in the journal, and one in the journal archived. */
	if(ok && r->cfg->warc_file)
		ok = (r->writer = writer_new()) &&
		     sinks_add(&r->sinks, r->warc = sink_warc_new(r->cfg, r->writer, err,
								  sizeof(err)));
	if(ok && r->cfg->journal)
		ok = sinks_add(&r->sinks, sink_journal_new(r->cfg, r->resume ?
					resume_run(r->resume) : 1, r->writer, err,
					sizeof(err)));
	ok = ok && sinks_add(&r->sinks, sink_records_new(r->cfg, err, sizeof(err)));
	if(ok && r->cfg->waterfall)
		ok = sinks_add(&r->sinks, sink_waterfall_new(r->cfg, err, sizeof(err)));
	if(ok && r->cfg->output_dir)
		ok = sinks_add(&r->sinks, sink_files_new(r->cfg, err, sizeof(err)));
	if(ok && r->cfg->body)
		ok = sinks_add(&r->sinks, sink_bodies_new(r->cfg,
							  (size_t)r->cfg->window));
	if(ok && r->cfg->crawl) {
		struct crawl_ops ops = job_crawl_ops;

		ops.ctx = r;
		if(r->cfg->frontier)
			ops.record_json = run_record_json;
		r->crawl = crawl_new(r->cfg, &ops, err, sizeof(err));
		ok = r->crawl != NULL;
	}
	if(!ok) {
		fprintf(stderr, "greenfetch: %s\n", err[0] ? err : "out of memory");
		return err[0] ? GF_EUSAGE : GF_ENOMEM;
	}
	return GF_OK;
}

unsigned run_std_streams(void)
{
	unsigned closed = 0;

	for(int fd = 0; fd <= 2; fd++) {
		if(fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		closed |= 1u << fd;
		if(open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			return closed | 1u << 3;
	}
	return closed;
}

/* How the run ended, as an exit status. */
static enum run_status run_status_of(const struct run *r, int rc)
{
	if(rc == GF_EUSAGE)
		return RUN_USAGE;
	if(r->signals)
		return RUN_INTERRUPTED;
	if(r->out_error == GF_EPIPE)
		return RUN_OUTPUT_CLOSED;
	if(r->halted && r->halted_left)
		return RUN_HALTED;
	if(rc || r->fatal || r->out_error || r->failed || r->stats_failed ||
	   input_failed(r->in) ||
	   gf_oom_seen())
		return RUN_FAILED;
	return RUN_OK;
}

enum run_status run(const struct gf_config *cfg, unsigned closed)
{
	struct run r = { .cfg = cfg, .started = gf_now() };
	enum run_status status;
	int rc;

	if(closed & (1u << 1 | 1u << 3)) {
		fprintf(stderr, "greenfetch: standard output is closed: nowhere to "
			"write the %s\n", cfg->body ? "bodies" : "records");
		return RUN_USAGE;
	}
	/* A closed output pipe is an EPIPE from write(), not a signal. */
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, 1 << 16);
	rc = run_setup(&r);
	if(!rc && (closed & 1u))
		input_stdin_closed(r.in);
	if(!rc && r.show_progress && !cfg->crawl && !(closed & 1u))
		run_counter_start(&r);
	if(!rc)
		rc = run_hub(&r);
	run_hub_free(&r);
	if(!rc)
		sinks_finish(&r.sinks);
	if(!r.out_error)
		r.out_error = sinks_flush(&r.sinks);
	progress_erase(&r.progress);
	if(r.signals)
		run_interrupted(&r);
	else if(r.halted)
		run_halted(&r);
	if(cfg->stats && r.out_error != GF_EPIPE)
		run_summary(&r, gf_now() - r.started);
	if(cfg->stats_json && !run_stats_json(&r, gf_now() - r.started))
		r.stats_failed = true;
	if(gf_oom_seen() && !r.fatal)
		fprintf(stderr, "greenfetch: out of memory: links or pages may "
			"be missing\n");
	if(r.out_error == GF_EIO)
		fprintf(stderr, "greenfetch: write error: %s\n", strerror(errno));
	status = run_status_of(&r, rc);
	run_counter_stop(&r);
	crawl_free(r.crawl);
	sinks_free(&r.sinks);
	writer_free(r.writer);
	resume_free(r.resume);
	since_free(r.since);
	input_free(r.in);
	return status;
}
