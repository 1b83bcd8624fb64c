/*
 * tokens.c - html-tokens STATE LAST_START_TAG: the tokens of standard
 * input as fetch/html.c reads them, one JSON array a line in the
 * html5lib tests' format (StartTag, EndTag, Comment), for
 * tests/html5lib/tokenizer.py to compare. With -c N the input is fed in
 * pieces of N bytes (the tokens must not change); -b reads many inputs
 * (see batch()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

static void json_string(const char *s, size_t n)
{
	putchar('"');
	for(size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if(c == '"' || c == '\\')
			printf("\\%c", c);
		else if(c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void start_cb(void *ctx, const char *name, size_t len,
		     const struct html_attr *a, size_t n, bool self_closing)
{
	(void)ctx;
	printf("[\"StartTag\", ");
	json_string(name, len);
	printf(", {");
	for(size_t i = 0; i < n; i++) {
		printf(i ? ", " : "");
		json_string(a[i].name, a[i].name_len);
		printf(": ");
		json_string(a[i].value, a[i].value_len);
	}
	printf("}%s]\n", self_closing ? ", true" : "");
}

static void end_cb(void *ctx, const char *name, size_t len)
{
	(void)ctx;
	printf("[\"EndTag\", ");
	json_string(name, len);
	printf("]\n");
}

static void comment_cb(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	printf("[\"Comment\", ");
	json_string(data, len);
	printf("]\n");
}

/* Tokenize len bytes of in, fed step bytes at a time, from state s. */
static void tokenize(const char *in, size_t len, size_t step, int s,
		     const char *last)
{
	static const struct html_ops ops = { start_cb, end_cb, comment_cb, NULL, NULL };
	struct html *t = html_new(&ops, NULL);

	html_test_mode(t, (enum html_start)s, last && last[0] ? last : NULL);
	for(size_t at = 0; at < len; at += step)
		html_feed(t, in + at, len - at < step ? len - at : step);
	html_finish(t);
	html_free(t);
}

/* -b: many inputs, each "STATE LAST STEP LEN\n" then LEN bytes (LAST is
 * "-" for none); after the tokens of each, a line "--". */
static int batch(void)
{
	char line[256];

	while(fgets(line, sizeof(line), stdin)) {
		int s;
		char last[128];
		size_t step, len;
		char *in;

		if(sscanf(line, "%d %127s %zu %zu", &s, last, &step, &len) != 4)
			return 2;
		in = malloc(len + 1);
		if(!in || fread(in, 1, len, stdin) != len)
			return 2;
		tokenize(in, len, step ? step : len + 1, s, strcmp(last, "-") ? last : NULL);
		free(in);
		printf("--\n");
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if(argc > 1 && strcmp(argv[1], "-b") == 0)
		return batch();
	{
	static const char *const states[] = {
		"Data state", "PLAINTEXT state", "RCDATA state", "RAWTEXT state",
		"Script data state", "CDATA section state"
	};
	size_t step = 1 << 20, len = 0, cap = 1 << 16;
	char *in = malloc(cap);
	int s = 0, argi = 1;

	if(argc > 2 && strcmp(argv[1], "-c") == 0) {
		step = (size_t)strtoul(argv[2], NULL, 10);
		argi = 3;
	}
	for(int i = 0; argi < argc && i < 6; i++)
		if(strcmp(argv[argi], states[i]) == 0)
			s = i;
	for(size_t n; (n = fread(in + len, 1, cap - len, stdin)) > 0; ) {
		len += n;
		if(len == cap)
			in = realloc(in, cap *= 2);
	}
	tokenize(in, len, step, s, argi + 1 < argc ? argv[argi + 1] : NULL);
	free(in);
	return 0;
	}
}
