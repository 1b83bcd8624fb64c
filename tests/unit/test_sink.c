/*
 * test_sink.c - the sinks of a run: the steps a sink sees, the tee over
 * sinks taking a body, and --body's order (streamed head, held and
 * spilled bodies behind it, hidden jobs that only take their turn).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf.h"
#include "sink.h"
#include "unit.h"

/* A sink that writes down what it sees, and takes bodies into a buffer. */
struct trace {
	struct sink sink;
	char log[512];
	bool refuse;                  /* fail every write */
};

struct trace_part {
	struct sink_part part;
	struct gf_body hook;
	struct trace *t;
	uint64_t seq;
};

static void trace_say(struct trace *t, const char *fmt, uint64_t n)
{
	size_t len = strlen(t->log);

	snprintf(t->log + len, sizeof(t->log) - len, fmt, (unsigned long long)n);
}

static bool trace_write(struct gf_body *hook, const char *data, size_t len)
{
	struct trace_part *p = container_of(hook, struct trace_part, hook);
	size_t at = strlen(p->t->log);

	if(p->t->refuse) {
		hook->error = "refused";
		return false;
	}
	snprintf(p->t->log + at, sizeof(p->t->log) - at, "w%llu:%.*s ",
		 (unsigned long long)p->seq, (int)len, data);
	return true;
}

static bool trace_open(struct sink *s, uint64_t seq, const struct gf_record *rec,
		       bool hidden, struct sink_part **part)
{
	struct trace *t = container_of(s, struct trace, sink);
	struct trace_part *p = calloc(1, sizeof(*p));

	(void)rec;
	trace_say(t, hidden ? "open%llu(hidden) " : "open%llu ", seq);
	p->t = t;
	p->seq = seq;
	p->hook.write = trace_write;
	p->part.hook = &p->hook;
	*part = &p->part;
	return true;
}

static void trace_done(struct sink *s, struct sink_part *part,
		       struct gf_record *rec)
{
	(void)part;
	trace_say(container_of(s, struct trace, sink), "done%llu ", rec->index);
}

static int trace_release(struct sink *s, struct sink_part *part, uint64_t seq,
			 const struct gf_record *rec, bool hidden)
{
	(void)part, (void)rec, (void)hidden;
	trace_say(container_of(s, struct trace, sink), "release%llu ", seq);
	return GF_OK;
}

static void trace_close(struct sink *s, struct sink_part *part)
{
	struct trace_part *p = container_of(part, struct trace_part, part);

	trace_say(container_of(s, struct trace, sink), "close%llu ", p->seq);
	free(p);
}

static void trace_free(struct sink *s)
{
	(void)s;
}

static const struct sink_ops trace_ops = {
	.open = trace_open, .done = trace_done, .release = trace_release,
	.close = trace_close, .free = trace_free,
};

/* A new sink sees each step of a job, in order. */
static void sink_steps(void)
{
	struct trace t = { .sink.ops = &trace_ops };
	struct sinks all = { 0 };
	struct sinks_job job;
	struct gf_record rec = { .index = 1, .url = "http://a/" };

	CHECK(sinks_add(&all, &t.sink));
	CHECK(sinks_open(&all, &job, 0, &rec, false));
	CHECK(job.hook && job.hook->write(job.hook, "ab", 2));
	sinks_done(&all, &job, &rec);
	CHECK(sinks_release(&all, &job, 0, &rec) == GF_OK);
	sinks_close(&all, &job);
	CHECK(sinks_open(&all, &job, 1, &rec, true));
	sinks_close(&all, &job);
	CHECK_STR(t.log, "open0 w0:ab done1 release0 close0 open1(hidden) close1 ");
	sinks_free(&all);
}

/* Two sinks taking the body: each gets every byte; the first that refuses
 * stops the transfer with its reason. */
static void sink_tee(void)
{
	struct trace a = { .sink.ops = &trace_ops }, b = { .sink.ops = &trace_ops };
	struct sinks all = { 0 };
	struct sinks_job job;
	struct gf_record rec = { .index = 1 };

	sinks_add(&all, &a.sink);
	sinks_add(&all, &b.sink);
	CHECK(sinks_open(&all, &job, 3, &rec, false));
	CHECK(job.hook == &job.tee);
	CHECK(job.hook->write(job.hook, "xy", 2));
	CHECK(strstr(a.log, "w3:xy") && strstr(b.log, "w3:xy"));
	a.refuse = true;
	CHECK(!job.hook->write(job.hook, "z", 1));
	CHECK_STR(job.hook->error, "refused");
	CHECK(!strstr(b.log, "w3:z"));
	sinks_close(&all, &job);
	sinks_free(&all);
}

/* Run fn with stdout going to a temporary file; return what it wrote. */
static char *capture_stdout(void (*fn)(void))
{
	FILE *tmp = tmpfile();
	int saved = dup(STDOUT_FILENO);
	char *buf = calloc(1, 4096);

	fflush(stdout);
	dup2(fileno(tmp), STDOUT_FILENO);
	fn();
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	if(fread(buf, 1, 4095, tmp) == 0)
		buf[0] = '\0';
	fclose(tmp);
	return buf;
}

static size_t order_budget;

/* Five jobs: 2 writes first (held), 0 streams; 3 is hidden (a sitemap);
 * 1 comes after its turn began. */
static void bodies_run(void)
{
	struct gf_config cfg = { .separator = "|", .buffer_size = order_budget };
	struct sinks all = { 0 };
	struct sinks_job job[5];
	struct gf_record rec = { 0 };

	sinks_add(&all, sink_bodies_new(&cfg, 8));
	for(int i = 0; i < 5; i++)
		sinks_open(&all, &job[i], (uint64_t)i, &rec, i == 3);
	CHECK(job[3].hook == NULL);
	job[2].hook->write(job[2].hook, "cc", 2);
	job[4].hook->write(job[4].hook, "ee", 2);
	job[0].hook->write(job[0].hook, "a", 1);
	job[0].hook->write(job[0].hook, "a", 1);
	CHECK(job[2].hook->reset(job[2].hook)); /* held: may start again */
	job[2].hook->write(job[2].hook, "C", 1);
	CHECK(!job[0].hook->reset(job[0].hook)); /* on stdout: may not */
	sinks_release(&all, &job[0], 0, &rec);
	job[1].hook->write(job[1].hook, "b", 1);
	sinks_release(&all, &job[1], 1, &rec);
	sinks_release(&all, &job[2], 2, &rec);
	sinks_release(&all, &job[3], 3, &rec);
	sinks_release(&all, &job[4], 4, &rec);
	for(int i = 0; i < 5; i++)
		sinks_close(&all, &job[i]);
	sinks_free(&all);
}

static void bodies_in_order(void)
{
	char *out;

	order_budget = 1 << 20;
	out = capture_stdout(bodies_run);
	CHECK_STR(out, "aa|b|C|ee");
	free(out);
	/* Nothing may be held in memory: the same through spill files. */
	order_budget = 0;
	out = capture_stdout(bodies_run);
	CHECK_STR(out, "aa|b|C|ee");
	free(out);
}

int main(void)
{
	RUN(sink_steps);
	RUN(sink_tee);
	RUN(bodies_in_order);
	return unit_any_failed;
}
