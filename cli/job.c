/*
 * job.c - the jobs of a run: made from input lines or the crawl's queue,
 * started by the pool (robots.txt first, in a crawl), tried on the
 * backend, finished, and released in order to the sinks.
 */
#include "run_impl.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "format.h"
#include "gf.h"
#include "hub.h"
#include "resume.h"
#include "since.h"
#include "url.h"

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
	bool replayed;                /* done by an earlier run (--resume) */
	unsigned replay_run;          /* ... which */
	bool replay_failed;           /* ... and it failed then */
};

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

/* --resume of a crawl: is the job the journal's next record? It is then
 * done already: its record is the journal's, and nothing is fetched. */
static bool job_replay(struct run *r, struct job *job)
{
	struct gf_record done;

	if(!r->resume || !resume_take(r->resume, job->seq, job->rec.url, &done,
				      &job->replay_failed, &job->replay_run))
		return false;
	record_release(&job->rec);
	job->rec = done;
	job->replayed = true;
	return true;
}

/* --since: the validators of the URL, to be asked for it only if it
 * changed. A crawl's page is asked so only when its links are known
 * (from a journal), so that the crawl can go on through it. */
static void job_since(struct run *r, struct job *job)
{
	const struct since_entry *e = since_find(r->since, job->rec.url);

	if(!e || (r->crawl && !e->links))
		return;
	job->rec.if_etag = e->etag;
	job->rec.if_modified = e->last_modified;
	job->rec.since_links = e->links;
}

/* Job seq, for input line index; replay: it may be the journal's. */
static struct job *job_new(struct run *r, uint64_t seq, uint64_t index,
			   const struct input_line *line, bool hidden, bool replay)
{
	struct job *job = calloc(1, sizeof(*job));

	if(!job)
		return NULL;
	job->seq = seq;
	job->run = r;
	job->rec.index = index;
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
	if(job->rec.url && replay && !hidden && job_replay(r, job))
		hidden = true;
	if(!job->rec.url || !sinks_open(&r->sinks, &job->out, seq, &job->rec,
					hidden)) {
		job_free(job);
		return NULL;
	}
	if(job->replayed)
		sinks_replay(&r->sinks, &job->rec);
	else if(r->since)
		job_since(r, job);
	job->rec.tap = job->out.tap;
	job->rec.started = gf_now();
	job->key = job->rec.error || job->replayed ? NULL : url_host_key(job->rec.url);
	return job;
}

/* The transfer is over (or never began): settle its file, count it. */
static void job_finished(struct run *r, struct job *job)
{
	struct gf_record *rec = &job->rec;

	/* A 304 may leave out the validators: they are the same. */
	if(rec->unchanged && !rec->etag && rec->if_etag)
		rec->etag = strdup(rec->if_etag);
	if(rec->unchanged && !rec->last_modified && rec->if_modified)
		rec->last_modified = strdup(rec->if_modified);
	if(job->page)
		crawl_page_done(&job->links);
	sinks_done(&r->sinks, &job->out, &job->rec);
	if(!job->replayed)
		r->bytes += job->rec.bytes;
	if(!job->out.hidden)
		run_tried_last(r, rec);
}

/* With --body and text records, the records are not written: a failure
 * is said on stderr (unless -s). */
static void job_say_error(struct run *r, const struct gf_record *rec)
{
	pthread_mutex_lock(&run_stderr_lock);
	progress_above(&r->progress);
	fputs("greenfetch: ", stderr);
	format_text_string(stderr, rec->url);
	fputs(": ", stderr);
	format_text_string(stderr, rec->error);
	fputs(r->progress.drawn ? "\033[K\n" : "\n", stderr);
	progress_below(&r->progress);
	pthread_mutex_unlock(&run_stderr_lock);
}

/* A replayed job's turn: what it found goes in as it did then. Its
 * record is not written again (the journal sees it go by). */
static void job_output_replayed(struct run *r, struct job *job)
{
	if(job->page)
		crawl_replay(r->crawl, &job->item, &job->rec);
	if(!r->out_error)
		r->out_error = sinks_release(&r->sinks, &job->out, job->seq, &job->rec);
	job_free(job);
}

/* A released job: its record and body to the sinks; then it is freed. */
static void job_output(struct run *r, struct job *job)
{
	const struct gf_record *rec = &job->rec;
	bool quiet_records = r->cfg->body && r->cfg->format == GF_FORMAT_TEXT;

	if((r->signals || r->halted) && rec->exitcode == GF_EXIT_ABORTED) {
		if(rec->began)
			r->stopped++;
		else
			r->unstarted++;
		job_free(job);
		return;
	}
	if(job->replayed) {
		job_output_replayed(r, job);
		return;
	}
	if(job->page)
		crawl_release(r->crawl, &job->links, &job->item, &job->rec);
	if(!job->out.hidden)
		run_count(r, rec, job->key);
	if(!job->out.hidden && r->show_progress && r->stdout_tty &&
	   r->progress.drawn) {
		/* Records to the same terminal: off it for this batch; drawn
		 * again when the batch is flushed (run_wait_cb). */
		pthread_mutex_lock(&run_stderr_lock);
		progress_erase(&r->progress);
		pthread_mutex_unlock(&run_stderr_lock);
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
static struct job *job_for_page(struct run *r, uint64_t seq, uint64_t index,
				struct crawl_item *item)
{
	struct input_line line = { .text = item->url, .len = strlen(item->url) };
	bool shown = crawl_item_shown(item);
	struct job *job = job_new(r, seq, index, &line, !shown, shown);

	if(!job) {
		free(item->url);
		free(item->parent);
		return NULL;
	}
	job->page = true;
	job->item = *item;
	job->rec.crawl = true;
	job->rec.depth = item->depth;
	free(job->rec.parent);
	job->rec.parent = item->parent ? strdup(item->parent) : NULL;
	if(job->replayed && job->replay_failed && !r->cfg->skip_failed)
		resume_again_add(r->resume, item, index, job->replay_run);
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
		   !crawl_seed(r->crawl, line.text, line.len)) {
			*jobp = job_new(r, seq, crawl_index(r->crawl, NULL, seq + 1),
					&line, false, true);
			return *jobp ? GF_OK : GF_ENOMEM;
		}
	}
	for(;;) {
		uint64_t index = seq + 1;

		if((r->resume && resume_again_next(r->resume, &item, &index)) ||
		   (rc = crawl_next(r->crawl, &item)) == GF_OK) {
			*jobp = job_for_page(r, seq, crawl_index(r->crawl, &item, index),
					     &item);
			return *jobp ? GF_OK : GF_ENOMEM;
		}
		/* Shared: only the frontier knows when the crawl is over. */
		if(rc == GF_AGAIN || (!crawl_shared(r->crawl) && busy(r)))
			return GF_AGAIN;
		/* Over: but pages that failed before may be fetched again. */
		if(!r->resume || !resume_again_start(r->resume))
			return GF_EOF;
	}
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

/* A line --resume skips: the sinks see it go by in its place. */
static void run_skip_line(struct run *r, uint64_t index,
			  const struct input_line *line)
{
	const struct gf_record *saved = resume_saved(r->resume, index);
	struct gf_record rec = { .index = index };

	if(saved) {
		sinks_replay(&r->sinks, saved);
		return;
	}
	if(!(rec.url = strndup(line->text, line->len))) {
		gf_oom();
		return;
	}
	sinks_replay(&r->sinks, &rec);
	free(rec.url);
}

#define RUN_SKIPS 4096                /* lines --resume skips in one go */

/* The next job of a list: the next input line not done yet. Skipping is
 * done a few thousand lines at a time, the hub turning in between. */
static int run_next_line(struct run *r, uint64_t seq, struct job **jobp)
{
	struct input_line line;
	int rc, skips = 0;

	while((rc = input_next(r->in, &line)) == GF_OK) {
		uint64_t index = ++r->lines;

		if(!r->resume || line.too_long ||
		   !resume_line_done(r->resume, index, line.text, line.len)) {
			*jobp = job_new(r, seq, index, &line, false, false);
			return *jobp ? GF_OK : GF_ENOMEM;
		}
		run_skip_line(r, index, &line);
		if(++skips == RUN_SKIPS) {
			hub_soon(r->hub, run_readable_cb, r);
			r->skipping = true;
			return GF_AGAIN;
		}
	}
	return rc;
}

static int run_next(void *ctx, uint64_t seq, void **jobp)
{
	struct run *r = ctx;
	int rc;

	if(r->crawl)
		rc = run_next_page(r, seq, (struct job **)jobp, run_pages_pending);
	else
		rc = run_next_line(r, seq, (struct job **)jobp);
	if(rc == GF_AGAIN && r->skipping)
		r->skipping = false;  /* hub_soon() asks again */
	else if(rc == GF_AGAIN && (!r->crawl || !r->seeds_done))
		hub_wait_readable(r->hub, input_fd(r->in), run_readable_cb, r);
	if(rc == GF_EOF)    /* a list's lines skipped by --resume took no seq */
		r->total = seq + (r->resume && !r->crawl ? resume_count(r->resume) : 0);
	else if(rc != GF_OK && rc != GF_AGAIN)
		run_fail(r, rc);
	return rc;
}

/* What a try says of its host: overloaded (429, 503) slows the host as a
 * whole, a success lets it recover (-v says when either changes). */
static void run_host_feedback(struct run *r, struct job *job, double retry)
{
	long status = retry >= 0 ? job->rec.retried_status : job->rec.status;
	int slots;
	double secs;
	char msg[512];

	if(!job->key || r->cfg->serial)
		return;
	if(status == 429 || status == 503) {
		if(!pool_key_slowed(r->pool, job->key, &slots, &secs))
			r->slowed++;
		pool_throttle(r->pool, job->slot, retry > 0 ? retry : 0);
		if(job->page)
			crawl_overloaded(r->crawl, &job->item, retry > 0 ? retry : 0);
		if(!r->cfg->verbose || !pool_key_slowed(r->pool, job->key, &slots, &secs))
			return;
		snprintf(msg, sizeof(msg), "%s answered %ld: slowed to %d transfer%s "
			 "at once, %.2f s apart", job->key, status, slots,
			 slots == 1 ? "" : "s", secs);
		r->log.write(&r->log, msg);
	} else if(status > 0 && status < 400 && pool_key_ok(r->pool, job->key) &&
		  r->cfg->verbose) {
		snprintf(msg, sizeof(msg), "%s is back to full speed", job->key);
		r->log.write(&r->log, msg);
	}
}

/* A try is over: again later, or the job is done. */
static void run_tried_cb(void *arg, double retry)
{
	struct job *job = arg;

	run_host_feedback(job->run, job, retry);
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

	if(job->replayed) {
		run_tried_cb(job, -1);
		return;
	}
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

	if(r->warc)
		run_side_archive(r, rec, &done, &arg);
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

	/* The run is ending (robots.txt was cut short): not done, and not
	 * to be taken for done (a shared crawl hands its lease back). */
	if(pool_cancelled(r->pool)) {
		record_set_error(&job->rec, GF_EXIT_ABORTED, "interrupted");
		job->rec.time = gf_now() - job->rec.started;
	}
	pool_tried(r->pool, job->slot, 0);
}

static struct hub *run_hub_of(void *ctx)
{
	return ((struct run *)ctx)->hub;
}

const struct crawl_ops job_crawl_ops = {
	.side_fetch = run_side_fetch,
	.host_delay = run_host_delay,
	.resume = run_resume,
	.wake = run_readable_cb,
	.hub = run_hub_of,
};

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

const struct pool_ops job_pool_ops = {
	.next = run_next,
	.key = run_key,
	.start = run_start,
	.end = run_end,
	.waits = run_waits,
	.release = run_release,
	.finish = run_finish,
	.drop = job_free,
};
