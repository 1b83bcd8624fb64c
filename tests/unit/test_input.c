/*
 * test_input.c - the URL-line reader: trimming, comments, CRLF, BOM, long
 * lines, NUL bytes, and the same lines whatever the read sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf.h"
#include "input.h"
#include "unit.h"

#define MAXL 16

struct lines {
	char *text[MAXL];             /* lines got, as strings (NUL -> '0') */
	int too_long[MAXL];
	size_t full[MAXL];
	int n;
};

static void lines_free(struct lines *l)
{
	for(int i = 0; i < l->n; i++)
		free(l->text[i]);
}

static void take(struct linebuf *lb, bool eof, struct lines *out)
{
	struct input_line line;

	while(out->n < MAXL && linebuf_next(lb, eof, &line) == GF_OK) {
		char *t = gf_strndup(line.text, line.len);

		for(size_t i = 0; i < line.len; i++)
			if(t[i] == '\0')
				t[i] = '0';
		out->too_long[out->n] = line.too_long;
		out->full[out->n] = line.full_len;
		out->text[out->n++] = t;
	}
}

/* Feed data in pieces of `chunk` bytes and collect the lines. */
static void split(const char *data, size_t len, size_t chunk, struct lines *out)
{
	struct linebuf lb;
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	linebuf_init(&lb);
	while(off < len) {
		size_t avail, n = len - off < chunk ? len - off : chunk;
		char *space = linebuf_space(&lb, &avail);

		if(n > avail)
			n = avail;
		memcpy(space, data + off, n);
		linebuf_commit(&lb, n);
		off += n;
		take(&lb, false, out);
	}
	take(&lb, true, out);
	linebuf_release(&lb);
}

static const char sample[] =
	"\xef\xbb\xbfhttp://a/1\r\n"
	"   \t\n"
	"# a comment\n"
	"  http://a/2  \n"
	"\n"
	"   # indented comment\r\n"
	"http://a/3\r\n"
	"http://a/\0x\n"
	"http://a/4";                 /* no final newline */

static void input_trims_and_skips(void)
{
	struct lines l;

	split(sample, sizeof(sample) - 1, 1 << 20, &l);
	CHECK(l.n == 5);
	if(l.n == 5) {
		CHECK_STR(l.text[0], "http://a/1");   /* BOM and CR gone */
		CHECK_STR(l.text[1], "http://a/2");
		CHECK_STR(l.text[2], "http://a/3");
		CHECK_STR(l.text[3], "http://a/0x");  /* NUL kept (shown as 0) */
		CHECK_STR(l.text[4], "http://a/4");
	}
	lines_free(&l);
}

static void input_same_lines_for_any_chunking(void)
{
	struct lines whole, bytes;

	split(sample, sizeof(sample) - 1, 1 << 20, &whole);
	for(size_t chunk = 1; chunk < 20; chunk++) {
		split(sample, sizeof(sample) - 1, chunk, &bytes);
		CHECK(bytes.n == whole.n);
		for(int i = 0; i < whole.n && i < bytes.n; i++)
			CHECK_STR(bytes.text[i], whole.text[i]);
		lines_free(&bytes);
	}
	lines_free(&whole);
}

static void input_long_line_is_one_line(void)
{
	size_t big = 100 * 1024;
	char *data = malloc(big + 64);
	struct lines l;
	size_t n = 0;

	n += (size_t)sprintf(data, "http://a/1\n");
	memset(data + n, 'x', big);
	memcpy(data + n, "http://b/", 9);
	n += big;
	n += (size_t)sprintf(data + n, "\nhttp://a/2\n");
	for(size_t chunk = 4096; chunk <= (1 << 20); chunk *= 16) {
		split(data, n, chunk, &l);
		CHECK(l.n == 3);
		if(l.n == 3) {
			CHECK_STR(l.text[0], "http://a/1");
			CHECK(l.too_long[1]);
			CHECK(l.full[1] == big);
			CHECK(strncmp(l.text[1], "http://b/xx", 11) == 0);
			CHECK(strlen(l.text[1]) <= INPUT_PREFIX);
			CHECK_STR(l.text[2], "http://a/2");
		}
		lines_free(&l);
	}
	free(data);
}

static void input_long_comment_is_skipped(void)
{
	size_t big = 70000;
	char *data = malloc(big + 32);
	struct lines l;

	data[0] = '#';
	memset(data + 1, 'c', big - 1);
	memcpy(data + big, "\nhttp://a/1\n", 12);
	split(data, big + 12, 1000, &l);
	CHECK(l.n == 1);
	if(l.n == 1)
		CHECK_STR(l.text[0], "http://a/1");
	lines_free(&l);
	free(data);
}

static void input_empty_and_blank(void)
{
	struct lines l;

	split("", 0, 10, &l);
	CHECK(l.n == 0);
	split("\n\r\n  \n#x", 8, 10, &l);
	CHECK(l.n == 0);
	split("\xef\xbb", 2, 10, &l);   /* a torn BOM is just bytes */
	CHECK(l.n == 1);
	lines_free(&l);
}

/* The reader over arguments and files, in order. */
static void input_sources_in_order(void)
{
	char path[] = "/tmp/gf-unit-XXXXXX";
	int fd = mkstemp(path);
	char *args[] = { "http://arg/1", path, "https://arg/2", "/nonexistent/x" };
	struct input *in;
	struct input_line line;
	const char *want[] = { "http://arg/1", "http://file/1", "http://file/2",
			       "https://arg/2" };
	int n = 0;

	CHECK(write(fd, "http://file/1\nhttp://file/2\n", 28) == 28);
	close(fd);
	in = input_new(args, 4);
	while(input_next(in, &line) == GF_OK) {
		if(n < 4)
			CHECK(line.len == strlen(want[n]) &&
			      memcmp(line.text, want[n], line.len) == 0);
		n++;
	}
	CHECK(n == 4);
	CHECK(input_failed(in));     /* the missing file */
	input_free(in);
	unlink(path);
}

int main(void)
{
	RUN(input_trims_and_skips);
	RUN(input_same_lines_for_any_chunking);
	RUN(input_long_line_is_one_line);
	RUN(input_long_comment_is_skipped);
	RUN(input_empty_and_blank);
	RUN(input_sources_in_order);
	return unit_any_failed;
}
