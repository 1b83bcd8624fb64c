/*
 * out.c - record formatting and the stdout sink.
 */
#include "out.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "url.h"
#include "utf8.h"
#include "writeout.h"

/* Is code point cp one a terminal would act on (C0, DEL, C1)? */
static int is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* How many bytes from p on are printable ASCII (written as they are)? */
static size_t plain_run(const unsigned char *p, size_t n, bool json)
{
	size_t i = 0;

	while(i < n && p[i] >= 0x20 && p[i] < 0x7f && !(json && (p[i] == '"' ||
							       p[i] == '\\')))
		i++;
	return i;
}

/* The text form of a sequence plain_run() stopped at (len 0: one invalid
 * byte): \xNN for each byte of an invalid or control sequence. */
static size_t text_escape(FILE *fp, const unsigned char *p, size_t len,
			  unsigned cp)
{
	size_t bad = len ? len : 1;

	if(len && !is_control(cp)) {
		fwrite(p, 1, len, fp);
		return len;
	}
	for(size_t i = 0; i < bad; i++)
		fprintf(fp, "\\x%02x", p[i]);
	return bad;
}

/* The JSON form: U+FFFD for an invalid byte, short escapes where JSON has
 * them, \u00NN for other controls. */
static size_t json_escape(FILE *fp, const unsigned char *p, size_t len,
			  unsigned cp)
{
	if(len == 0)
		fputs("\\ufffd", fp);
	else if(cp == '"' || cp == '\\')
		fprintf(fp, "\\%c", (int)cp);
	else if(cp == '\n')
		fputs("\\n", fp);
	else if(cp == '\t')
		fputs("\\t", fp);
	else if(cp == '\r')
		fputs("\\r", fp);
	else if(is_control(cp))
		fprintf(fp, "\\u%04x", cp);
	else
		fwrite(p, 1, len, fp);
	return len ? len : 1;
}

/* Write s: runs of printable ASCII as they are, the rest through escape().
 * A password in a URL of s is shown as "***" (as nowhere else: the URL
 * fields, -v lines and error messages all come through here). */
static void out_escaped(FILE *fp, const char *s, bool json,
			size_t (*escape)(FILE *, const unsigned char *, size_t,
					 unsigned))
{
	int oom;
	char *masked = url_mask(s, &oom);
	const unsigned char *p = (const unsigned char *)(masked ? masked : s);
	size_t n = oom ? 0 : strlen((const char *)p);

	while(n > 0) {
		unsigned cp = 0;
		size_t len = plain_run(p, n, json);

		if(len > 0) {
			fwrite(p, 1, len, fp);
		} else {
			len = utf8_decode(p, n, &cp);
			len = escape(fp, p, len, cp);
		}
		p += len;
		n -= len;
	}
	free(masked);
}

void out_text_string(FILE *fp, const char *s)
{
	out_escaped(fp, s, false, text_escape);
}

void out_json_string(FILE *fp, const char *s)
{
	out_escaped(fp, s, true, json_escape);
}

static void out_json_field(FILE *fp, const char *key, const char *value)
{
	fprintf(fp, ",\"%s\":", key);
	if(!value) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	out_json_string(fp, value);
	fputc('"', fp);
}

void out_json(FILE *fp, const struct gf_record *rec)
{
	fprintf(fp, "{\"index\":%" PRIu64, rec->index);
	out_json_field(fp, "url", rec->url);
	out_json_field(fp, "effective_url", rec->effective_url);
	fprintf(fp, ",\"status\":%ld,\"bytes\":%" PRIu64 ",\"time\":%.6f"
		",\"redirects\":%ld", rec->status, rec->bytes, rec->time,
		rec->redirects);
	out_json_field(fp, "error", rec->error);
	out_json_field(fp, "file", rec->file);
	fprintf(fp, ",\"attempts\":%ld", rec->attempts ? rec->attempts : 1);
	if(rec->crawl) {
		fprintf(fp, ",\"depth\":%d", rec->depth);
		out_json_field(fp, "parent", rec->parent);
		fprintf(fp, ",\"links\":%ld", rec->links);
	}
	fputc('}', fp);
}

/* --broken: STATUS, URL, PARENT ("-" for a seed), ERROR. */
static void out_broken(FILE *fp, const struct gf_record *rec)
{
	fprintf(fp, "%03ld\t", rec->status);
	out_text_string(fp, rec->url);
	fputc('\t', fp);
	out_text_string(fp, rec->parent ? rec->parent : "-");
	fputc('\t', fp);
	out_text_string(fp, rec->error ? rec->error : "");
	fputc('\n', fp);
}

static void out_text(FILE *fp, const struct gf_record *rec)
{
	fprintf(fp, "%03ld\t%" PRIu64 "\t%.3f\t", rec->status, rec->bytes,
		rec->time);
	out_text_string(fp, rec->url);
	if(rec->error) {
		fputc('\t', fp);
		out_text_string(fp, rec->error);
	}
	fputc('\n', fp);
}

void out_format(FILE *fp, enum gf_format format, const struct gf_record *rec)
{
	if(format == GF_FORMAT_JSON) {
		out_json(fp, rec);
		fputc('\n', fp);
	} else {
		out_text(fp, rec);
	}
}

struct out {
	FILE *fp;                     /* where records go, NULL = nowhere */
	enum gf_format format;        /* how */
	struct writeout *wo;          /* the -w template, or NULL */
	bool line_buffered;           /* flush after each record */
	bool broken;                  /* --broken text lines */
};

struct out *out_new(const struct gf_config *cfg, char *err, size_t errlen)
{
	struct out *out = calloc(1, sizeof(*out));

	err[0] = '\0';
	if(!out)
		return NULL;
	out->format = cfg->format;
	out->broken = cfg->broken && cfg->format == GF_FORMAT_TEXT;
	out->line_buffered = cfg->line_buffered;
	if(cfg->format == GF_FORMAT_WRITEOUT) {
		out->wo = writeout_new(cfg->write_out, err, errlen);
		if(!out->wo) {
			free(out);
			return NULL;
		}
	}
	/* With --body, stdout carries bodies: records asked for go to stderr,
	 * the default text records nowhere. */
	if(!cfg->body)
		out->fp = stdout;
	else if(cfg->format != GF_FORMAT_TEXT)
		out->fp = stderr;
	return out;
}

void out_free(struct out *out)
{
	if(!out)
		return;
	writeout_free(out->wo);
	free(out);
}

static int out_check(FILE *fp)
{
	if(!ferror(fp))
		return GF_OK;
	return errno == EPIPE ? GF_EPIPE : GF_EIO;
}

int out_record(struct out *out, const struct gf_record *rec)
{
	if(!out->fp)
		return GF_OK;
	if(out->wo)
		writeout_format(out->wo, out->fp, rec);
	else if(out->broken)
		out_broken(out->fp, rec);
	else
		out_format(out->fp, out->format, rec);
	if(out->line_buffered && fflush(out->fp) == EOF)
		return errno == EPIPE ? GF_EPIPE : GF_EIO;
	return out_check(out->fp);
}

int out_flush(struct out *out)
{
	if(fflush(stdout) == EOF)
		return errno == EPIPE ? GF_EPIPE : GF_EIO;
	if(out->fp && out->fp != stdout)
		fflush(out->fp);
	return out_check(stdout);
}
