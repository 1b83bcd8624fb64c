/*
 * record.c - the life of a struct gf_record, shared by both fetch paths.
 */
#include "record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"

/* Used when even the error message cannot be allocated. */
static char no_memory[] = "out of memory";

void record_release(struct gf_record *rec)
{
	free(rec->url);
	free(rec->effective_url);
	if(rec->error != no_memory)
		free(rec->error);
	free(rec->content_type);
	free(rec->remote_ip);
	free(rec->headers);
	free(rec->file);
	free(rec->parent);
	free(rec->etag);
	free(rec->last_modified);
	free(rec->new_links);
	rec->etag = rec->last_modified = rec->new_links = NULL;
	rec->url = rec->effective_url = rec->error = NULL;
	rec->content_type = rec->remote_ip = rec->headers = rec->file = NULL;
	rec->parent = NULL;
}

void record_set_error(struct gf_record *rec, int exitcode, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	if(rec->error)
		return;
	rec->exitcode = exitcode;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = n < 0 ? NULL : malloc((size_t)n + 1);
	if(!msg) {
		gf_oom();
		rec->error = no_memory;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rec->error = msg;
}

int record_failed(const struct gf_record *rec)
{
	if(rec->skipped)
		return 0;
	return rec->error != NULL || rec->status >= 400;
}

char *record_header(const struct gf_record *rec, const char *name)
{
	size_t nlen = strlen(name), cap = 1, len = 0;
	const char *p = rec->headers, *end = p ? p + rec->headers_len : NULL;
	char *out;

	if(p)
		cap += rec->headers_len;
	out = malloc(cap);
	if(!out)
		return NULL;
	out[0] = '\0';
	while(p && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end;
		const char *v;

		if(!eol)
			eol = end;
		if((size_t)(eol - p) > nlen && p[nlen] == ':' &&
		   strncasecmp(p, name, nlen) == 0) {
			v = p + nlen + 1;
			while(v < eol && (*v == ' ' || *v == '\t'))
				v++;
			while(eol > v && (eol[-1] == '\r' || eol[-1] == ' '))
				eol--;
			len += (size_t)snprintf(out + len, cap - len, "%s%.*s",
						len ? ", " : "", (int)(eol - v), v);
		}
		p = next;
	}
	return out;
}

void record_oom(struct gf_record *rec)
{
	gf_oom();
	record_set_error(rec, GF_EXIT_NOMEM, "out of memory");
}
