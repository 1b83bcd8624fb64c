/*
 * sink_records.c - the records sink: one record per job, in its format,
 * to stdout (or stderr, or nowhere, with --body).
 */
#include <errno.h>
#include <stdlib.h>

#include "format.h"
#include "gf.h"
#include "sink.h"

struct records {
	struct sink sink;
	FILE *fp;                     /* where records go, NULL = nowhere */
	struct format *format;        /* how */
	bool line_buffered;           /* flush after each record */
	bool broken;                  /* --broken: failures only */
	bool show_skipped;            /* show linked pages robots.txt forbids */
};

static int records_check(FILE *fp)
{
	if(!ferror(fp))
		return GF_OK;
	return errno == EPIPE ? GF_EPIPE : GF_EIO;
}

/* Is the record written? With --broken only failures; a linked page
 * skipped for robots.txt only in JSON or with -v (a seed always). */
static bool records_shown(const struct records *r, const struct gf_record *rec)
{
	if(r->broken)
		return record_failed(rec);
	if(rec->skipped && rec->depth > 0)
		return r->show_skipped;
	return true;
}

static int records_release(struct sink *s, struct sink_part *part,
			   uint64_t seq, const struct gf_record *rec, bool hidden)
{
	struct records *r = container_of(s, struct records, sink);

	(void)part, (void)seq;
	if(!r->fp || hidden || !records_shown(r, rec))
		return GF_OK;
	format_write(r->format, r->fp, rec);
	if(r->line_buffered && fflush(r->fp) == EOF)
		return errno == EPIPE ? GF_EPIPE : GF_EIO;
	return records_check(r->fp);
}

static int records_flush(struct sink *s)
{
	struct records *r = container_of(s, struct records, sink);

	if(!r->fp)
		return GF_OK;
	if(fflush(r->fp) == EOF)
		return errno == EPIPE ? GF_EPIPE : GF_EIO;
	return records_check(r->fp);
}

static void records_free(struct sink *s)
{
	struct records *r = container_of(s, struct records, sink);

	format_free(r->format);
	free(r);
}

static const struct sink_ops records_ops = {
	.release = records_release,
	.flush = records_flush,
	.free = records_free,
};

struct sink *sink_records_new(const struct gf_config *cfg, char *err,
			      size_t errlen)
{
	struct records *r = calloc(1, sizeof(*r));

	err[0] = '\0';
	if(!r)
		return NULL;
	r->sink.ops = &records_ops;
	r->broken = cfg->broken;
	r->show_skipped = cfg->format != GF_FORMAT_TEXT || cfg->verbose;
	r->line_buffered = cfg->line_buffered;
	r->format = format_new(cfg->format, cfg->write_out, cfg->broken, err,
			       errlen);
	if(!r->format) {
		free(r);
		return NULL;
	}
	/* With --body, stdout carries bodies: records asked for go to stderr,
	 * the default text records nowhere. */
	if(!cfg->body)
		r->fp = stdout;
	else if(cfg->format != GF_FORMAT_TEXT)
		r->fp = stderr;
	return &r->sink;
}
