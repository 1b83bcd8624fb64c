/*
 * journal_read.c - the journal read back (see journal.h): a torn last
 * line cut off, then one line at a time, parsed in place.
 */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fpset.h"
#include "gf.h"
#include "jsonline.h"

#define TAIL_BLOCK 65536              /* bytes read back at a time */

struct journal_reader {
	FILE *fp;                     /* NULL: no file */
	char *line;                   /* getline()'s */
	size_t cap;
	uint64_t bad;                 /* lines that are not records */
	unsigned last_run;
};

/* Where the last line of fd (size bytes) starts, and whether it ends in
 * a newline; -1 when it cannot be read. */
static off_t last_line(int fd, off_t size, bool *whole)
{
	char block[TAIL_BLOCK];
	off_t end = size;
	bool first = true;

	*whole = false;
	while(end > 0) {
		off_t at = end > TAIL_BLOCK ? end - TAIL_BLOCK : 0;
		ssize_t n = pread(fd, block, (size_t)(end - at), at);

		if(n != end - at)
			return -1;
		if(first && n > 0 && block[n - 1] == '\n') {
			*whole = true;
			n--;          /* the last line's own newline */
		}
		first = false;
		for(ssize_t i = n; i-- > 0; )
			if(block[i] == '\n')
				return at + i + 1;
		end = at;
	}
	return 0;
}

/* The run number of the line at off: parsed from what is left of it. */
static unsigned run_of_line(int fd, off_t off)
{
	struct journal_entry e;
	struct journal_reader one = { 0 };
	unsigned run = 0;

	if(lseek(fd, off, SEEK_SET) < 0 || !(one.fp = fdopen(dup(fd), "r")))
		return 0;
	if(journal_read(&one, &e) == GF_OK)
		run = e.run;
	fclose(one.fp);
	free(one.line);
	return run;
}

struct journal_reader *journal_reader_open(const char *path, bool repair,
					   char *err, size_t errlen)
{
	struct journal_reader *jr = calloc(1, sizeof(*jr));
	int fd = open(path, (repair ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	struct stat st;
	off_t start;
	bool whole;

	err[0] = '\0';
	if(!jr)
		goto fail;
	if(fd < 0 && errno == ENOENT && repair)
		return jr;
	if(fd < 0 || fstat(fd, &st) < 0 || (start = last_line(fd, st.st_size, &whole)) < 0)
		goto fail_errno;
	if(repair && !whole && start < st.st_size) {
		if(ftruncate(fd, start) < 0)
			goto fail_errno;
		fprintf(stderr, "greenfetch: --journal %s: its last line was cut short "
			"(a crash?): dropped, to be done again\n", path);
		start = last_line(fd, start, &whole);
	}
	if(start >= 0)
		jr->last_run = run_of_line(fd, start);
	if(lseek(fd, 0, SEEK_SET) < 0 || !(jr->fp = fdopen(fd, "r")))
		goto fail_errno;
	return jr;
fail_errno:
	snprintf(err, errlen, "--%s %s: %s", repair ? "journal" : "since", path,
		 strerror(errno));
fail:
	if(fd >= 0)
		close(fd);
	free(jr);
	return NULL;
}

void journal_reader_free(struct journal_reader *jr)
{
	if(!jr)
		return;
	if(jr->fp)
		fclose(jr->fp);
	free(jr->line);
	free(jr);
}

static const char *str_of(const struct jl_value *v)
{
	return v->type == JL_STRING ? v->s : NULL;
}

/* One member of a line into the entry; false for a value of the wrong
 * type (not a line of ours). */
static bool entry_member(void *ctx, const char *key, const struct jl_value *v)
{
	static const char *const strs[] = {
		"url", "effective_url", "error", "file", "content_type", "etag",
		"last_modified", "parent"
	};
	struct journal_entry *e = ctx;
	const char **slot[] = {
		&e->url, &e->effective_url, &e->error, &e->file, &e->content_type,
		&e->etag, &e->last_modified, &e->parent
	};
	double n = v->num;

	for(size_t i = 0; i < ARRAY_SIZE(strs); i++)
		if(!strcmp(key, strs[i])) {
			*slot[i] = str_of(v);
			return v->type == JL_STRING || v->type == JL_NULL;
		}
	if(!strcmp(key, "new_links")) {
		e->new_links = v->type == JL_STRINGS ? v->s : NULL;
		return v->type == JL_STRINGS;
	}
	if(v->type == JL_BOOL) {
		if(!strcmp(key, "failed"))
			e->failed = v->b;
		else if(!strcmp(key, "unchanged"))
			e->unchanged = v->b;
		return true;
	}
	if(v->type != JL_NUMBER)
		return true;          /* a member we do not read */
	if(!strcmp(key, "index"))
		e->index = n >= 1 && n < 1e19 ? (uint64_t)n : 0;
	else if(!strcmp(key, "status"))
		e->status = (long)n;
	else if(!strcmp(key, "bytes"))
		e->bytes = n >= 0 && n < 1e19 ? (uint64_t)n : 0;
	else if(!strcmp(key, "time"))
		e->time = n;
	else if(!strcmp(key, "redirects"))
		e->redirects = (long)n;
	else if(!strcmp(key, "attempts"))
		e->attempts = (long)n;
	else if(!strcmp(key, "links"))
		e->links = (long)n;
	else if(!strcmp(key, "depth"))
		e->depth = (int)n, e->crawl = true;
	else if(!strcmp(key, "seq"))
		e->seq = n >= 0 && n < 1e19 ? (uint64_t)n : 0, e->has_seq = true;
	else if(!strcmp(key, "run"))
		e->run = n >= 0 && n < 4e9 ? (unsigned)n : 0;
	return true;
}

int journal_read(struct journal_reader *jr, struct journal_entry *e)
{
	ssize_t n;

	while(jr->fp && (n = getline(&jr->line, &jr->cap, jr->fp)) > 0) {
		memset(e, 0, sizeof(*e));
		if(jsonline_each(jr->line, (size_t)n, entry_member, e) && e->index && e->url)
			return GF_OK;
		jr->bad++;
	}
	return GF_EOF;
}

uint64_t journal_count_lines(struct journal_reader *jr)
{
	char block[TAIL_BLOCK];
	uint64_t n = 0;
	size_t got;

	if(!jr->fp)
		return 0;
	while((got = fread(block, 1, sizeof(block), jr->fp)) > 0)
		for(char *p = block; (p = memchr(p, '\n', got - (size_t)(p - block))); p++)
			n++;
	rewind(jr->fp);
	return n;
}

unsigned journal_last_run(const struct journal_reader *jr)
{
	return jr->last_run;
}

uint64_t journal_bad_lines(const struct journal_reader *jr)
{
	return jr->bad;
}

static bool copy(char **to, const char *s)
{
	return !s || (*to = strdup(s));
}

bool journal_entry_record(const struct journal_entry *e, struct gf_record *rec)
{
	rec->index = e->index;
	rec->status = e->status;
	rec->bytes = e->bytes;
	rec->time = e->time;
	rec->redirects = e->redirects;
	rec->attempts = e->attempts;
	rec->links = e->links;
	rec->depth = e->depth;
	rec->unchanged = e->unchanged;
	return copy(&rec->url, e->url) && copy(&rec->effective_url, e->effective_url) &&
	       copy(&rec->error, e->error) && copy(&rec->file, e->file) &&
	       copy(&rec->content_type, e->content_type) && copy(&rec->etag, e->etag) &&
	       copy(&rec->last_modified, e->last_modified) &&
	       copy(&rec->parent, e->parent) && copy(&rec->new_links, e->new_links);
}

uint64_t journal_line_fp(uint64_t index, const char *url, size_t len)
{
	return fp_hash(url, len, index);
}
