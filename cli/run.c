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
 *
 * Signals: the first SIGINT or SIGTERM stops new starts and gives the
 * transfers in flight RUN_GRACE seconds; the second, or the end of the grace,
 * stops them. Records of finished URLs are written in order; the others are
 * counted as not done.
 */
#include "run.h"

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
#include "crawl.h"
#include "fetch.h"
#include "format.h"
#include "gf.h"
#include "hub.h"
#include "input.h"
#include "pool.h"
#include "progress.h"
#include "sink.h"
#include "url.h"

#define RUN_GRACE 2.0                 /* seconds in flight after a signal */
#define RUN_DEADLINE_SLACK 0.05       /* -m's own timer after curl's */
#define RUN_TICK 0.1                  /* seconds between progress redraws */

struct job {
	uint64_t seq;                 /* place in the input, from 0 */
	struct pool_slot *slot;       /* the pool's hold of it, while it runs */
	char *key;                    /* its host, for per-host limits (owned) */
	struct gf_record rec;         /* the result */
	struct sinks_job out;         /* its parts of the sinks */
	struct run *run;              /* owner */
	bool page;                    /* a crawl's page (item and links set) */
	struct crawl_item item;       /* its place in the crawl */
	struct crawl_page links;      /* its links, as the body streams */
};

struct run {
	const struct gf_config *cfg;  /* options */
	struct gf_log log;            /* the -v sink, handed to fetch */
	struct input *in;             /* URL lines */
	struct sinks sinks;           /* where records and bodies go */
	struct hub *hub;              /* the loop */
	struct pool *pool;            /* bounded concurrency, and the waits */
	struct backend *backend;      /* where the tries are done */
	struct crawl *crawl;          /* --crawl, NULL otherwise */
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
	uint64_t bytes;               /* body bytes received */
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
static pthread_mutex_t stderr_lock = PTHREAD_MUTEX_INITIALIZER;

/* ---------------------------------------------------------- logging */

static void run_log_write(struct gf_log *log, const char *msg)
{
	struct run *r = container_of(log, struct run, log);

	pthread_mutex_lock(&stderr_lock);
	progress_above(&r->progress);
	fprintf(stderr, "[%8.3f] ", gf_now() - r->started);
	format_text_string(stderr, msg);
	fputs(r->progress.drawn ? "\033[K\n" : "\n", stderr);
	progress_below(&r->progress);
	pthread_mutex_unlock(&stderr_lock);
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

static void run_draw(struct run *r)
{
	struct progress_counts c = {
		.done = r->done, .total = run_total(r), .failed = r->failed,
		.running = r->pool ? pool_running(r->pool) : (r->total != r->done),
		.bytes = r->bytes, .elapsed = gf_now() - r->started,
	};

	pthread_mutex_lock(&stderr_lock);
	progress_draw(&r->progress, &c);
	pthread_mutex_unlock(&stderr_lock);
	r->last_draw = gf_now();
}

/* -------------------------------------------------------------- jobs */

/* A copy of the line for the record: NUL bytes become U+FFFD so that the
 * record can still show the line. */
static char *line_copy(const char *text, size_t len)
{
	size_t nuls = 0;
	char *copy, *p;

	for(size_t i = 0; i < len; i++)
		nuls += text[i] == '\0';
	copy = malloc(len + 2 * nuls + 1);
	if(!copy)
		return NULL;
	p = copy;
	for(size_t i = 0; i < len; i++) {
		if(text[i] == '\0') {
			memcpy(p, "\xef\xbf\xbd", 3);
			p += 3;
		} else {
			*p++ = text[i];
		}
	}
	*p = '\0';
	return copy;
}

static void job_free(void *arg)
{
	struct job *job = arg;

	sinks_close(&job->run->sinks, &job->out);
	free(job->key);
	if(job->page) {
		crawl_page_free(&job->links);
		free(job->item.url);
		free(job->item.parent);
	}
	record_release(&job->rec);
	free(job);
}

static struct job *job_new(struct run *r, uint64_t seq,
			   const struct input_line *line, bool hidden)
{
	struct job *job = calloc(1, sizeof(*job));

	if(!job)
		return NULL;
	job->seq = seq;
	job->run = r;
	job->rec.index = seq + 1;
	if(line->too_long) {
		job->rec.url = gf_aprintf("%.*s...", (int)line->len, line->text);
		record_set_error(&job->rec, GF_EXIT_URL, "not a URL: line too long "
				 "(%zu bytes; the limit is %d)", line->full_len,
				 INPUT_MAX_LINE);
	} else {
		job->rec.url = line_copy(line->text, line->len);
		if(memchr(line->text, '\0', line->len))
			record_set_error(&job->rec, GF_EXIT_URL,
					 "not a URL: contains a NUL byte");
	}
	if(!job->rec.url || !sinks_open(&r->sinks, &job->out, seq, &job->rec,
					hidden)) {
		job_free(job);
		return NULL;
	}
	job->rec.started = gf_now();
	job->key = job->rec.error ? NULL : url_host_key(job->rec.url);
	return job;
}

/* The transfer is over (or never began): settle its file, count it. */
static void job_finished(struct run *r, struct job *job)
{
	if(job->page)
		crawl_page_done(&job->links);
	sinks_done(&r->sinks, &job->out, &job->rec);
	r->bytes += job->rec.bytes;
}

/* With --body and text records, the records are not written: a failure
 * is said on stderr (unless -s). */
static void job_say_error(struct run *r, const struct gf_record *rec)
{
	pthread_mutex_lock(&stderr_lock);
	progress_above(&r->progress);
	fputs("greenfetch: ", stderr);
	format_text_string(stderr, rec->url);
	fputs(": ", stderr);
	format_text_string(stderr, rec->error);
	fputs(r->progress.drawn ? "\033[K\n" : "\n", stderr);
	progress_below(&r->progress);
	pthread_mutex_unlock(&stderr_lock);
}

/* A released job: its record and body to the sinks; then it is freed. */
static void job_output(struct run *r, struct job *job)
{
	const struct gf_record *rec = &job->rec;
	bool quiet_records = r->cfg->body && r->cfg->format == GF_FORMAT_TEXT;

	if(r->signals && rec->exitcode == GF_EXIT_ABORTED) {
		if(rec->began)
			r->stopped++;
		else
			r->unstarted++;
		job_free(job);
		return;
	}
	if(job->page)
		crawl_release(r->crawl, &job->links, &job->item, &job->rec);
	if(!job->out.hidden) {
		r->done++;
		r->failed += record_failed(rec) != 0;
	}
	if(!job->out.hidden && r->show_progress && r->stdout_tty &&
	   r->progress.drawn) {
		/* Records to the same terminal: off it for this batch; drawn
		 * again when the batch is flushed (run_wait_cb). */
		pthread_mutex_lock(&stderr_lock);
		progress_erase(&r->progress);
		pthread_mutex_unlock(&stderr_lock);
		r->redraw = true;
	}
	if(!r->out_error)
		r->out_error = sinks_release(&r->sinks, &job->out, job->seq, rec);
	if(!job->out.hidden && quiet_records && rec->error && !r->cfg->silent)
		job_say_error(r, rec);
	job_free(job);
}

/* ---------------------------------------------------- on the hub */

static void run_readable_cb(void *arg)
{
	struct run *r = arg;

	pool_fill(r->pool);
}

/* A job for the next page of the crawl. */
static struct job *job_for_page(struct run *r, uint64_t seq,
				struct crawl_item *item)
{
	struct input_line line = { .text = item->url, .len = strlen(item->url) };
	struct job *job = job_new(r, seq, &line, !crawl_item_shown(item));

	if(!job) {
		free(item->url);
		free(item->parent);
		return NULL;
	}
	job->page = true;
	job->item = *item;
	job->rec.crawl = true;
	job->rec.depth = item->depth;
	job->rec.parent = item->parent ? strdup(item->parent) : NULL;
	crawl_page_init(r->crawl, &job->links, &job->item, job->out.hook);
	return job;
}

/* The crawl's next job: a seed line that is no URL (for its record), or
 * the next page. GF_AGAIN while pages in flight may still add links. */
static int run_next_page(struct run *r, uint64_t seq, struct job **jobp,
			 bool (*busy)(struct run *r))
{
	struct input_line line;
	struct crawl_item item;
	int rc;

	while(!r->seeds_done) {
		rc = input_next(r->in, &line);
		if(rc == GF_AGAIN)
			return GF_AGAIN;
		if(rc == GF_EOF) {
			r->seeds_done = true;
			crawl_seeds_done(r->crawl);
			break;
		}
		if(line.too_long || memchr(line.text, '\0', line.len) ||
		   !crawl_seed(r->crawl, line.text)) {
			*jobp = job_new(r, seq, &line, false);
			return *jobp ? GF_OK : GF_ENOMEM;
		}
	}
	if(crawl_next(r->crawl, &item)) {
		*jobp = job_for_page(r, seq, &item);
		return *jobp ? GF_OK : GF_ENOMEM;
	}
	return busy(r) ? GF_AGAIN : GF_EOF;
}

static bool run_pages_pending(struct run *r)
{
	return pool_pending(r->pool) > 0;
}

/* No more jobs can be made (out of memory): say so once; the run ends
 * when those in flight are done, and exits non-zero. */
static void run_fail(struct run *r, int rc)
{
	if(r->fatal)
		return;
	r->fatal = rc;
	fprintf(stderr, "greenfetch: out of memory: no more URLs are started\n");
}

static int run_next(void *ctx, uint64_t seq, void **jobp)
{
	struct run *r = ctx;
	struct input_line line;
	int rc;

	if(r->crawl) {
		rc = run_next_page(r, seq, (struct job **)jobp, run_pages_pending);
	} else {
		rc = input_next(r->in, &line);
		if(rc == GF_OK && !(*jobp = job_new(r, seq, &line, false)))
			rc = GF_ENOMEM;
	}
	if(rc == GF_AGAIN && (!r->crawl || !r->seeds_done))
		hub_wait_readable(r->hub, input_fd(r->in), run_readable_cb, r);
	if(rc == GF_EOF)
		r->total = seq;
	else if(rc != GF_OK && rc != GF_AGAIN)
		run_fail(r, rc);
	return rc;
}

/* A try is over: again later, or the job is done. */
static void run_tried_cb(void *arg, double retry)
{
	struct job *job = arg;

	if(retry < 0)
		job_finished(job->run, job);
	pool_tried(job->run->pool, job->slot, retry);
}

/* The body hook of a job: its links (a page), its sinks', or none. */
static struct gf_body *job_hook(struct job *job)
{
	return job->page ? &job->links.hook : job->out.hook;
}

/* A page robots.txt forbids: its record says so, nothing is fetched. */
static void job_disallow(struct job *job)
{
	record_set_error(&job->rec, 0, "disallowed by robots.txt");
	job->rec.skipped = true;
}

static void run_draw(struct run *r);

/* --serial is about to block in a transfer: the records so far go out
 * first, and the progress line is brought up to date. */
static void run_before_blocking(struct run *r)
{
	if(!r->out_error && (r->out_error = sinks_flush(&r->sinks)))
		return;
	if(r->show_progress && (r->redraw || gf_now() - r->last_draw >= RUN_TICK))
		run_draw(r);
	r->redraw = false;
}

/* A try of the job: robots.txt first, in a crawl. */
static void run_try(struct run *r, struct job *job)
{
	enum crawl_robots verdict = CRAWL_GO;

	if(!job->rec.error && job->page)
		verdict = crawl_admit(r->crawl, &job->links, job);
	if(verdict == CRAWL_WAIT)
		return;
	if(verdict == CRAWL_DENY)
		job_disallow(job);
	if(job->rec.error || verdict == CRAWL_DONE) {
		run_tried_cb(job, -1);
		return;
	}
	if(r->cfg->serial)
		run_before_blocking(r);
	backend_start(r->backend, NULL, &job->rec, job_hook(job),
		      run_tried_cb, job);
}

static void run_start(void *ctx, void *arg, struct pool_slot *slot)
{
	struct job *job = arg;

	job->slot = slot;
	run_try(ctx, job);
}

static const char *run_key(void *ctx, void *arg)
{
	(void)ctx;
	return ((struct job *)arg)->key;
}

/* A job ends while it waits: its -m is over, or the run is. */
static void run_end(void *ctx, void *arg, int why)
{
	struct run *r = ctx;
	struct job *job = arg;

	if(why == POOL_EXPIRED)
		record_set_error(&job->rec, GF_EXIT_TIMEOUT, "timed out: not done "
				 "within %.3g s (-m)", r->cfg->max_time);
	else
		record_set_error(&job->rec, GF_EXIT_ABORTED, "interrupted");
	job->rec.time = gf_now() - job->rec.started;
	job_finished(r, job);
}

/* -v: a job waits for its host or its start. */
static void run_waits(void *ctx, void *arg, bool queued, double secs)
{
	struct run *r = ctx;
	struct job *job = arg;
	char msg[512];

	if(!r->cfg->verbose)
		return;
	if(queued)
		snprintf(msg, sizeof(msg), "#%llu waits for %s: %d transfers to it at "
			 "once (--per-host %d)", (unsigned long long)job->rec.index,
			 job->key, r->cfg->per_host, r->cfg->per_host);
	else
		snprintf(msg, sizeof(msg), "#%llu waits %.3f s to start (--delay, "
			 "--rate or Crawl-delay)", (unsigned long long)job->rec.index,
			 secs);
	r->log.write(&r->log, msg);
}

/* ------------------------------------------------- the crawl's needs */

static void run_side_fetch(void *ctx, const struct gf_config *cfg,
			   struct gf_record *rec, struct gf_body *body,
			   void (*done)(void *arg, double retry), void *arg)
{
	struct run *r = ctx;

	backend_start(r->backend, cfg, rec, body, done, arg);
}

static void run_host_delay(void *ctx, const char *host, double secs)
{
	struct run *r = ctx;

	pool_key_spacing(r->pool, host, secs);
}

/* A job's robots.txt came: through its host's gate again, as its
 * Crawl-delay may now say to wait. */
static void run_resume(void *ctx, void *arg)
{
	struct run *r = ctx;
	struct job *job = arg;

	pool_tried(r->pool, job->slot, 0);
}

static const struct crawl_ops run_crawl_ops = {
	.side_fetch = run_side_fetch,
	.host_delay = run_host_delay,
	.resume = run_resume,
};

static void run_stop(struct run *r)
{
	pool_stop(r->pool);
	hub_stop(r->hub);
}

static void run_release(void *ctx, void *arg)
{
	struct run *r = ctx;

	job_output(r, arg);
	if(r->out_error)
		run_stop(r);
}

static void run_finish(void *ctx)
{
	struct run *r = ctx;

	hub_stop(r->hub);
}

/* Before the hub blocks: start what the last batch left, flush records. */
static void run_wait_cb(void *arg)
{
	struct run *r = arg;

	if(r->out_error)
		return;
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

static const struct pool_ops run_pool_ops = {
	.next = run_next,
	.key = run_key,
	.start = run_start,
	.end = run_end,
	.waits = run_waits,
	.release = run_release,
	.finish = run_finish,
	.drop = job_free,
};

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

	r->hub = hub_new();
	if(!r->hub) {
		fprintf(stderr, "greenfetch: cannot start the event loop\n");
		return GF_ENOMEM;
	}
	r->pool = pool_new(r->hub, &lim, &run_pool_ops, r);
	r->backend = r->pool ? backend_new(r->hub, cfg, &hooks, &error) : NULL;
	if(!r->backend) {
		fprintf(stderr, "greenfetch: %s\n", error ? error : "out of memory");
		return error && error[0] == '-' ? GF_EUSAGE : GF_ENOMEM;
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
	pool_free(r->pool);
	hub_free(r->hub);
}

/* ------------------------------------------------------- the run */

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
}

/* After a signal: what was done, what was stopped in flight, and what
 * never began (taken and waiting, the crawl's queue, the rest of the
 * input as far as it can be counted without waiting for it). */
static void run_interrupted(struct run *r)
{
	bool more;
	uint64_t rest = r->unstarted + input_count_rest(r->in, &more);

	if(r->crawl)
		rest += crawl_queued(r->crawl);
	fprintf(stderr, "interrupted: %llu done, %llu stopped in flight, %llu "
		"not started%s\n", (unsigned long long)r->done,
		(unsigned long long)r->stopped, (unsigned long long)rest,
		more ? " (and the rest of the input, not read)" : "");
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
	ok = r->in && sinks_add(&r->sinks, sink_records_new(r->cfg, err,
							    sizeof(err)));
	if(ok && r->cfg->output_dir)
		ok = sinks_add(&r->sinks, sink_files_new(r->cfg, err, sizeof(err)));
	if(ok && r->cfg->body)
		ok = sinks_add(&r->sinks, sink_bodies_new(r->cfg,
							  (size_t)r->cfg->window));
	if(ok && r->cfg->crawl) {
		struct crawl_ops ops = run_crawl_ops;

		ops.ctx = r;
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
	if(rc || r->fatal || r->out_error || r->failed || input_failed(r->in) ||
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
	if(!r.out_error)
		r.out_error = sinks_flush(&r.sinks);
	progress_erase(&r.progress);
	if(r.signals)
		run_interrupted(&r);
	if(cfg->stats && r.out_error != GF_EPIPE)
		run_summary(&r, gf_now() - r.started);
	if(gf_oom_seen() && !r.fatal)
		fprintf(stderr, "greenfetch: out of memory: links or pages may "
			"be missing\n");
	if(r.out_error == GF_EIO)
		fprintf(stderr, "greenfetch: write error: %s\n", strerror(errno));
	status = run_status_of(&r, rc);
	run_counter_stop(&r);
	crawl_free(r.crawl);
	sinks_free(&r.sinks);
	input_free(r.in);
	return status;
}
