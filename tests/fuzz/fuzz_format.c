/*
 * fuzz_format.c - -w templates and record formatting with hostile field
 * values: no crash, one line per text record, JSON without control bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "format.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char err[256], *fmt, *value, *buf = NULL;
	size_t half = size / 2, len = 0;
	struct format *wo;
	struct gf_record rec = { .index = 1, .status = 404, .bytes = 7 };
	FILE *fp;

	fmt = strndup((const char *)data, half);
	value = strndup((const char *)data + half, size - half);
	if(!fmt || !value)
		goto out;
	rec.url = rec.effective_url = rec.error = rec.content_type = value;
	rec.headers = value;
	rec.headers_len = strlen(value);
	fp = open_memstream(&buf, &len);
	wo = format_new(GF_FORMAT_WRITEOUT, fmt, false, err, sizeof(err));
	if(wo)
		format_write(wo, fp, &rec);
	format_free(wo);
	fclose(fp);
	free(buf);
	buf = NULL;
	/* JSON: one line, no raw control characters. */
	fp = open_memstream(&buf, &len);
	format_json(fp, &rec);
	fputc('\n', fp);
	fclose(fp);
	for(size_t i = 0; i + 1 < len; i++)
		if((unsigned char)buf[i] < 0x20)
			abort();
	free(buf);
	buf = NULL;
	fp = open_memstream(&buf, &len);
	wo = format_new(GF_FORMAT_TEXT, NULL, false, err, sizeof(err));
	if(wo)
		format_write(wo, fp, &rec);
	format_free(wo);
	fclose(fp);
	if(memchr(buf, '\n', len) != buf + len - 1)
		abort();
out:
	free(buf);
	free(fmt);
	free(value);
	return 0;
}
