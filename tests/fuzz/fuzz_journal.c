/*
 * fuzz_journal.c - the JSON line reader on any bytes (no crash, no read
 * or write out of the line), and on every record format_json() writes:
 * it must parse, whatever the strings were, so that a journal always
 * reads back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"
#include "jsonline.h"

static bool any(void *ctx, const char *key, const struct jl_value *v)
{
	size_t *n = ctx;

	*n += strlen(key) + (v->s ? strlen(v->s) : 0);
	return true;
}

/* The url member of a record read back. */
static bool url_of(void *ctx, const char *key, const struct jl_value *v)
{
	if(!strcmp(key, "url") && v->type != JL_STRING)
		abort();
	(void)ctx;
	return true;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *line = malloc(size + 1), *value = strndup((const char *)data, size);
	struct gf_record rec = { .index = 1, .status = 200 };
	char *buf = NULL;
	size_t len = 0, seen = 0;
	FILE *fp;

	if(!line || !value)
		goto out;
	memcpy(line, data, size);
	line[size] = '\0';
	(void)jsonline_each(line, size, any, &seen);
	rec.url = rec.effective_url = rec.error = rec.etag = value;
	if(!(fp = open_memstream(&buf, &len)))
		goto out;
	format_json(fp, &rec);
	fclose(fp);
	if(!jsonline_each(buf, len, url_of, NULL))
		abort();
out:
	free(buf);
	free(line);
	free(value);
	return 0;
}
