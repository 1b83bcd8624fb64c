/*
 * journal.c - the journal's writer (see journal.h): a sink that appends
 * each released record to FILE as one JSON line, and the thread that
 * makes the lines durable.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "gf.h"
#include "writer.h"

#define JOURNAL_SYNC 1.0              /* seconds between fdatasync()s, at most */

struct journal {
	struct sink sink;
	const char *path;             /* --journal FILE */
	int fd;                       /* opened O_APPEND */
	unsigned run;                 /* this run's number */
	bool crawl;                   /* lines must stay a prefix of the crawl */
	uint64_t next_seq;            /* the crawl's job released next */
	bool gap;                     /* a crawl's job was dropped: no more lines */
	atomic_bool failed;           /* a write failed (said once) */
	struct writer *writer;        /* lines go through it, NULL = at once */
	/* The syncer thread */
	pthread_t syncer;
	bool syncer_on;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	bool dirty;                   /* lines written since the last sync */
	bool stop;
};

static void *journal_syncer(void *arg)
{
	struct journal *j = arg;

	pthread_mutex_lock(&j->lock);
	while(!j->stop) {
		struct timespec at;

		clock_gettime(CLOCK_REALTIME, &at);
		at.tv_sec += (time_t)JOURNAL_SYNC;
		pthread_cond_timedwait(&j->wake, &j->lock, &at);
		if(!j->dirty)
			continue;
		j->dirty = false;
		pthread_mutex_unlock(&j->lock);
		fdatasync(j->fd);
		pthread_mutex_lock(&j->lock);
	}
	pthread_mutex_unlock(&j->lock);
	return NULL;
}

/* The '\n'-joined links as a JSON array of strings. */
static void json_strings(FILE *fp, const char *joined)
{
	const char *p = joined;

	fputc('[', fp);
	while(p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *one = strndup(p, n);

		if(p != joined)
			fputc(',', fp);
		format_json_value(fp, one ? one : "");
		free(one);
		p = nl ? nl + 1 : NULL;
	}
	fputc(']', fp);
}

/* The line of rec, in a new buffer (*len bytes), NULL when out of
 * memory. */
static char *journal_line(const struct journal *j, uint64_t seq,
			  const struct gf_record *rec, size_t *len)
{
	char *buf = NULL;
	FILE *fp = open_memstream(&buf, len);

	if(!fp)
		return NULL;
	format_json(fp, rec);
	fseek(fp, -1, SEEK_CUR);      /* over the object's '}' */
	fprintf(fp, ",\"failed\":%s,\"content_type\":", record_failed(rec) ?
		"true" : "false");
	format_json_value(fp, rec->content_type);
	fprintf(fp, ",\"run\":%u", j->run);
	if(rec->crawl) {
		fprintf(fp, ",\"seq\":%llu,\"new_links\":", (unsigned long long)seq);
		json_strings(fp, rec->new_links);
	}
	fputs("}\n", fp);
	if(fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* A line to the file, whole, or the run stops (said once). */
static void journal_write(struct journal *j, char *line, size_t len)
{
	if(!line)
		errno = ENOMEM;
	if(!line || !gf_write_all(j->fd, line, len)) {
		if(!atomic_exchange(&j->failed, true))
			fprintf(stderr, "greenfetch: --journal %s: %s: no more URLs are "
				"started\n", j->path, strerror(errno));
	} else {
		pthread_mutex_lock(&j->lock);
		j->dirty = true;
		pthread_mutex_unlock(&j->lock);
	}
	free(line);
}

struct line_task {
	struct journal *j;
	char *line;
	size_t len;
};

/* On the writer thread, after the archive's records of the job. */
static void line_task_run(void *arg)
{
	struct line_task *t = arg;

	writer_flush(t->j->writer);
	journal_write(t->j, t->line, t->len);
	free(t);
}

static int journal_release(struct sink *s, struct sink_part *part,
			   uint64_t seq, const struct gf_record *rec, bool hidden)
{
	struct journal *j = container_of(s, struct journal, sink);
	struct line_task *t;
	char *line;
	size_t len = 0;

	(void)part;
	if(j->crawl && seq != j->next_seq)
		j->gap = true;
	j->next_seq = seq + 1;
	if(hidden || j->gap || atomic_load(&j->failed))
		return atomic_load(&j->failed) ? GF_EIO : GF_OK;
	line = journal_line(j, seq, rec, &len);
	if(j->writer && line && (t = malloc(sizeof(*t)))) {
		*t = (struct line_task){ .j = j, .line = line, .len = len };
		if(writer_put(j->writer, line_task_run, t, len))
			return GF_OK;
		free(t);
	}
	journal_write(j, line, len);
	return atomic_load(&j->failed) ? GF_EIO : GF_OK;
}

static void journal_free(struct sink *s)
{
	struct journal *j = container_of(s, struct journal, sink);

	if(j->writer)
		writer_drain(j->writer);
	if(j->syncer_on) {
		pthread_mutex_lock(&j->lock);
		j->stop = true;
		pthread_cond_signal(&j->wake);
		pthread_mutex_unlock(&j->lock);
		pthread_join(j->syncer, NULL);
	}
	if(j->fd >= 0) {
		fdatasync(j->fd);
		close(j->fd);
	}
	pthread_mutex_destroy(&j->lock);
	pthread_cond_destroy(&j->wake);
	free(j);
}

static const struct sink_ops journal_ops = {
	.release = journal_release,
	.free = journal_free,
};

struct sink *sink_journal_new(const struct gf_config *cfg, unsigned run,
			      struct writer *writer, char *err, size_t errlen)
{
	struct journal *j = calloc(1, sizeof(*j));

	err[0] = '\0';
	if(!j)
		return NULL;
	j->sink.ops = &journal_ops;
	j->path = cfg->journal;
	j->run = run;
	j->crawl = cfg->crawl;
	j->writer = writer;
	pthread_mutex_init(&j->lock, NULL);
	pthread_cond_init(&j->wake, NULL);
	/* Without --resume the run is a new one: the file starts afresh. */
	j->fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC |
		     (cfg->resume ? 0 : O_TRUNC), 0666);
	if(j->fd < 0) {
		snprintf(err, errlen, "--journal %s: %s", j->path, strerror(errno));
		journal_free(&j->sink);
		return NULL;
	}
	j->syncer_on = pthread_create(&j->syncer, NULL, journal_syncer, j) == 0;
	return &j->sink;
}
