/*
 * test_journal.c - the JSON line reader (escapes, surrogates, what it
 * refuses) and the journal read back: a torn last line cut off, lines
 * that are not records skipped, the run number of the last line.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "gf.h"
#include "journal.h"
#include "jsonline.h"
#include "unit.h"

struct seen {
	char keys[256];
	char values[512];
	int n;
};

static bool collect(void *ctx, const char *key, const struct jl_value *v)
{
	struct seen *s = ctx;
	size_t k = strlen(s->keys), n = strlen(s->values);

	snprintf(s->keys + k, sizeof(s->keys) - k, "%s%s", s->n ? "," : "", key);
	if(v->type == JL_STRING || v->type == JL_STRINGS)
		snprintf(s->values + n, sizeof(s->values) - n, "%s[%s]", s->n ? "," : "", v->s);
	else if(v->type == JL_NUMBER)
		snprintf(s->values + n, sizeof(s->values) - n, "%s%g", s->n ? "," : "", v->num);
	else
		snprintf(s->values + n, sizeof(s->values) - n, "%s%s", s->n ? "," : "",
			 v->type == JL_NULL ? "null" : v->b ? "true" : "false");
	s->n++;
	return true;
}

/* Parse text; its keys and values as collect() writes them, or NULL. */
static bool parse(const char *text, struct seen *s)
{
	char *line = strdup(text);
	bool ok;

	memset(s, 0, sizeof(*s));
	ok = jsonline_each(line, strlen(line), collect, s);
	free(line);
	return ok;
}

static void jsonline_reads_what_format_writes(void)
{
	struct seen s;

	CHECK(parse("{\"index\":12,\"url\":\"http://a/\\\"q\\\"\\\\\",\"error\":null,"
		    "\"time\":0.250000,\"ok\":true,\"no\":false,\"n\":-3e2}\n", &s));
	CHECK_STR(s.keys, "index,url,error,time,ok,no,n");
	CHECK_STR(s.values, "12,[http://a/\"q\"\\],null,0.25,true,false,-300");
	CHECK(parse("{}", &s) && s.n == 0);
	CHECK(parse(" { \"a\" : [ \"x\" , \"y\\n\" ] , \"b\":[] } ", &s));
	CHECK_STR(s.values, "[x\ny\n],[]");
}

static void jsonline_decodes_escapes(void)
{
	struct seen s;

	/* \u00e9, a pair for U+1F600, a lone surrogate (U+FFFD), \t \/ */
	CHECK(parse("{\"k\":\"\\u00e9\\ud83d\\ude00\\udc00\\t\\/\"}", &s));
	CHECK_STR(s.values, "[\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd\t/]");
}

static void jsonline_refuses_what_it_does_not_write(void)
{
	struct seen s;
	static const char *const bad[] = {
		"{\"a\":1", "{\"a\":\"cut", "{\"a\":{}}", "{\"a\":[1]}", "[1]",
		"{\"a\":1}x", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\x01\"}",
		"{\"a\" 1}", "{\"a\":tru}", "", "{\"a\":1,}",
	};

	for(size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if(parse(bad[i], &s)) {
			fprintf(stderr, "accepted: %s\n", bad[i]);
			unit_failed = 1;
		}
}

static void journal_drops_a_torn_line_and_skips_others(void)
{
	char path[] = "/tmp/gf-journal-XXXXXX", err[256];
	int fd = mkstemp(path);
	const char text[] =
		"{\"index\":1,\"url\":\"http://a/1\",\"failed\":false,\"run\":1}\n"
		"not a record\n"
		"{\"index\":2,\"url\":\"http://a/2\",\"failed\":true,\"run\":3,"
		"\"depth\":1,\"seq\":5,\"new_links\":[\"http://a/x\",\"http://a/y\"]}\n"
		"{\"index\":3,\"url\":\"http://a/3\",\"fai";
	struct journal_reader *jr;
	struct journal_entry e;

	CHECK(fd >= 0 && write(fd, text, sizeof(text) - 1) == (ssize_t)sizeof(text) - 1);
	close(fd);
	jr = journal_reader_open(path, true, err, sizeof(err));
	CHECK(jr != NULL);
	if(!jr)
		return;
	CHECK(journal_last_run(jr) == 3);
	CHECK(journal_count_lines(jr) == 3);
	CHECK(journal_read(jr, &e) == GF_OK && e.index == 1 && !e.failed && !e.crawl);
	CHECK(journal_read(jr, &e) == GF_OK && e.index == 2 && e.failed && e.run == 3);
	CHECK(e.crawl && e.depth == 1 && e.has_seq && e.seq == 5);
	CHECK_STR(e.new_links, "http://a/x\nhttp://a/y");
	CHECK(journal_read(jr, &e) == GF_EOF);
	CHECK(journal_bad_lines(jr) == 1);
	journal_reader_free(jr);
	/* The torn line is gone from the file. */
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0 && lseek(fd, 0, SEEK_END) == (off_t)(strstr(text, "{\"index\":3") - text));
	close(fd);
	unlink(path);
}

static void journal_of_no_file(void)
{
	char err[256];
	struct journal_reader *jr = journal_reader_open("/nonexistent-gf-j", true, err,
							  sizeof(err));
	struct journal_entry e;

	CHECK(jr && journal_read(jr, &e) == GF_EOF && journal_last_run(jr) == 0);
	journal_reader_free(jr);
	CHECK(!journal_reader_open("/nonexistent-gf-j", false, err, sizeof(err)));
	CHECK(strstr(err, "--since /nonexistent-gf-j: No such file") != NULL);
}

int main(void)
{
	RUN(jsonline_reads_what_format_writes);
	RUN(jsonline_decodes_escapes);
	RUN(jsonline_refuses_what_it_does_not_write);
	RUN(journal_drops_a_torn_line_and_skips_others);
	RUN(journal_of_no_file);
	return unit_any_failed;
}
