/*
 * record.c - the life of a struct gf_record, shared by both fetch paths.
 */
#include "record.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

/* Used when even the error message cannot be allocated. */
static char no_memory[] = "out of memory";

void record_release(struct gf_record *rec)
{
	free(rec->url);
	free(rec->effective_url);
	if(rec->error != no_memory)
		free(rec->error);
	rec->url = rec->effective_url = rec->error = NULL;
}

void record_set_error(struct gf_record *rec, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	if(rec->error)
		return;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	msg = n < 0 ? NULL : malloc((size_t)n + 1);
	if(!msg) {
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
	return rec->error != NULL || rec->status >= 400;
}
