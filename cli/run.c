/*
 * run.c - wires the parts together for one run.
 *
 * Concurrent: the pool pulls lines from the input (waiting on the hub when a
 * pipe has nothing yet), makes each a job with a record, and starts it on
 * fetch; finished jobs come back through the pile in order and are written
 * out. Output is flushed each time the hub is about to wait, so records
 * leave in batches but never sit in a buffer while nothing happens.
 *
 * Serial: the same jobs and the same output, one at a time, blocking.
 */
#include "run.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fetch.h"
#include "gf.h"
#include "hub.h"
#include "input.h"
#include "out.h"
#include "pool.h"
#include "serial.h"

struct job {
	uint64_t seq;                 /* place in the input, from 0 */
	struct gf_record rec;         /* the result */
	struct run *run;              /* owner */
};

struct run {
	const struct gf_config *cfg;  /* options */
	struct input *in;             /* URL lines */
	struct hub *hub;              /* the loop (concurrent only) */
	struct pool *pool;            /* bounded concurrency (concurrent only) */
	struct fetch *fetch;          /* transfers on the hub (concurrent only) */
	uint64_t done;                /* records written */
	uint64_t failed;              /* of which failed */
	int out_error;                /* first output error, GF_OK if none */
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

static struct job *job_new(struct run *r, uint64_t seq,
			   const struct input_line *line)
{
	struct job *job = calloc(1, sizeof(*job));

	if(!job)
		return NULL;
	job->seq = seq;
	job->run = r;
	job->rec.index = seq + 1;
	if(line->too_long) {
		job->rec.url = gf_aprintf("%.*s...", (int)line->len, line->text);
		record_set_error(&job->rec, "not a URL: line too long "
				 "(%zu bytes; the limit is %d)", line->full_len,
				 INPUT_MAX_LINE);
	} else {
		job->rec.url = line_copy(line->text, line->len);
		if(memchr(line->text, '\0', line->len))
			record_set_error(&job->rec, "not a URL: contains a NUL byte");
	}
	if(!job->rec.url) {
		record_release(&job->rec);
		free(job);
		return NULL;
	}
	return job;
}

static void job_free(void *arg)
{
	struct job *job = arg;

	record_release(&job->rec);
	free(job);
}

/* Write a finished job's record and free it. */
static void job_output(struct run *r, struct job *job)
{
	int rc;

	r->done++;
	r->failed += record_failed(&job->rec) != 0;
	if(!r->out_error) {
		rc = out_record(r->cfg->format, &job->rec);
		if(rc)
			r->out_error = rc;
	}
	job_free(job);
}

/* ---------------------------------------------------- on the hub */

static void run_readable_cb(void *arg)
{
	struct run *r = arg;

	pool_fill(r->pool);
}

static int run_next(void *ctx, uint64_t seq, void **jobp)
{
	struct run *r = ctx;
	struct input_line line;
	int rc = input_next(r->in, &line);

	if(rc == GF_AGAIN)
		hub_wait_readable(r->hub, input_fd(r->in), run_readable_cb, r);
	if(rc)
		return rc;
	*jobp = job_new(r, seq, &line);
	if(!*jobp) {
		fprintf(stderr, "greenfetch: out of memory\n");
		return GF_ENOMEM;
	}
	return GF_OK;
}

static void run_fetch_done_cb(void *arg)
{
	struct job *job = arg;

	pool_done(job->run->pool, job->seq, job);
}

static void run_start(void *ctx, void *arg)
{
	struct run *r = ctx;
	struct job *job = arg;

	if(job->rec.error)
		pool_done(r->pool, job->seq, job);
	else
		fetch_start(r->fetch, &job->rec, run_fetch_done_cb, job);
}

static void run_release(void *ctx, void *arg)
{
	struct run *r = ctx;

	job_output(r, arg);
	if(r->out_error) {
		pool_stop(r->pool);
		hub_stop(r->hub);
	}
}

static void run_finish(void *ctx)
{
	struct run *r = ctx;

	hub_stop(r->hub);
}

static void run_flush_cb(void *arg)
{
	struct run *r = arg;
	int rc;

	if(r->out_error)
		return;
	rc = out_flush();
	if(rc) {
		r->out_error = rc;
		pool_stop(r->pool);
		hub_stop(r->hub);
	}
}

static const struct pool_ops run_pool_ops = {
	.next = run_next,
	.start = run_start,
	.release = run_release,
	.finish = run_finish,
	.drop = job_free,
};

static int run_concurrent(struct run *r)
{
	const char *error = NULL;

	r->hub = hub_new();
	if(!r->hub) {
		fprintf(stderr, "greenfetch: cannot start the event loop\n");
		return GF_ENOMEM;
	}
	r->fetch = fetch_new(hub_loop(r->hub), r->cfg, &error);
	r->pool = r->fetch ? pool_new(r->cfg->concurrency, (size_t)r->cfg->window,
				      r->cfg->unordered, &run_pool_ops, r) : NULL;
	if(!r->pool) {
		fprintf(stderr, "greenfetch: %s\n", error ? error : "out of memory");
		return error && error[0] == '-' ? GF_EUSAGE : GF_ENOMEM;
	}
	hub_on_wait(r->hub, run_flush_cb, r);
	pool_fill(r->pool);
	hub_run(r->hub);
	return GF_OK;
}

static void run_concurrent_free(struct run *r)
{
	/* Transfers still running come back through the pool as it closes. */
	if(r->pool)
		pool_stop(r->pool);
	fetch_free(r->fetch);
	pool_free(r->pool);
	hub_free(r->hub);
}

/* ------------------------------------------------------ serial */

static int run_serial(struct run *r)
{
	struct serial *s = serial_new(r->cfg);
	struct input_line line;
	uint64_t seq = 0;
	int rc;

	if(!s) {
		fprintf(stderr, "greenfetch: cannot start curl\n");
		return GF_ENOMEM;
	}
	if(r->cfg->dns_servers)
		fprintf(stderr, "greenfetch: --serial resolves with the system's "
			"resolver; --dns-servers is not used\n");
	while(!r->out_error && (rc = input_next(r->in, &line)) != GF_EOF) {
		struct pollfd pfd = { .fd = input_fd(r->in), .events = POLLIN };
		struct job *job;

		if(rc == GF_AGAIN) {
			poll(&pfd, 1, -1);
			continue;
		}
		job = job_new(r, seq++, &line);
		if(!job) {
			fprintf(stderr, "greenfetch: out of memory\n");
			break;
		}
		if(!job->rec.error)
			serial_fetch(s, &job->rec);
		job_output(r, job);
		if(!r->out_error)
			r->out_error = out_flush();
	}
	serial_free(s);
	return GF_OK;
}

/* ------------------------------------------------------- the run */

static void run_summary(const struct run *r, double elapsed)
{
	char mode[32];

	if(r->cfg->serial)
		snprintf(mode, sizeof(mode), "serial");
	else
		snprintf(mode, sizeof(mode), "concurrency %d", r->cfg->concurrency);
	fprintf(stderr, "%llu URLs, %llu ok, %llu failed in %.2f s (%s)\n",
		(unsigned long long)r->done,
		(unsigned long long)(r->done - r->failed),
		(unsigned long long)r->failed, elapsed, mode);
}

int run(const struct gf_config *cfg)
{
	struct run r = { .cfg = cfg };
	struct rlimit rl;
	double started = gf_now();
	int rc, status;

	/* Every transfer in flight holds a socket. */
	if(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	/* A closed output pipe is an EPIPE from write(), not a signal. */
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, 1 << 16);
	r.in = input_new(cfg->inputs, cfg->ninputs);
	if(!r.in) {
		fprintf(stderr, "greenfetch: out of memory\n");
		return 1;
	}
	rc = cfg->serial ? run_serial(&r) : run_concurrent(&r);
	if(!r.out_error)
		r.out_error = out_flush();
	if(!cfg->serial)
		run_concurrent_free(&r);
	if(cfg->stats && r.out_error != GF_EPIPE)
		run_summary(&r, gf_now() - started);
	if(r.out_error == GF_EIO)
		fprintf(stderr, "greenfetch: write error: %s\n", strerror(errno));
	if(rc == GF_EUSAGE)
		status = 2;
	else if(r.out_error == GF_EPIPE)
		status = 141;
	else
		status = rc || r.out_error || r.failed || input_failed(r.in);
	input_free(r.in);
	return status;
}
