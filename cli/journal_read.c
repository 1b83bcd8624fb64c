/*
 * journal_read.c - the journal read back (see journal.h): a torn last
 * line cut off, then one line at a time, parsed in place.
 */
#define _GNU_SOURCE                   /* memmem() */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
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

enum field_kind { F_STR, F_LINKS, F_BOOL, F_U64, F_LONG, F_INT, F_UINT, F_DBL };

#define AT(member) offsetof(struct journal_entry, member)

/* The members a line may have, and where they go. */
static const struct field {
	const char *name;
	enum field_kind kind;
	size_t at;
} fields[] = {
	{ "index", F_U64, AT(index) }, { "url", F_STR, AT(url) },
	{ "effective_url", F_STR, AT(effective_url) }, { "status", F_LONG, AT(status) },
	{ "bytes", F_U64, AT(bytes) }, { "time", F_DBL, AT(time) },
	{ "redirects", F_LONG, AT(redirects) }, { "error", F_STR, AT(error) },
	{ "file", F_STR, AT(file) }, { "attempts", F_LONG, AT(attempts) },
	{ "etag", F_STR, AT(etag) }, { "last_modified", F_STR, AT(last_modified) },
	{ "unchanged", F_BOOL, AT(unchanged) }, { "depth", F_INT, AT(depth) },
	{ "parent", F_STR, AT(parent) }, { "links", F_LONG, AT(links) },
	{ "failed", F_BOOL, AT(failed) }, { "content_type", F_STR, AT(content_type) },
	{ "run", F_UINT, AT(run) }, { "seq", F_U64, AT(seq) },
	{ "new_links", F_LINKS, AT(new_links) },
};

/* A number in range [lo, hi], else 0. */
static double clamp(double n, double lo, double hi)
{
	return n >= lo && n <= hi ? n : 0;
}

/* One member of a line into the entry; false for a value of the wrong
 * type (not a line of ours). A member we do not know is passed over. */
static bool entry_member(void *ctx, const char *key, const struct jl_value *v)
{
	struct journal_entry *e = ctx;
	const struct field *f = NULL;
	char *to;
	double n = v->num;

	for(size_t i = 0; i < ARRAY_SIZE(fields) && !f; i++)
		if(fields[i].name[0] == key[0] && !strcmp(fields[i].name + 1, key + 1))
			f = &fields[i];
	if(!f)
		return true;
	to = (char *)e + f->at;
	switch(f->kind) {
	case F_STR:
		*(const char **)to = v->type == JL_STRING ? v->s : NULL;
		return v->type == JL_STRING || v->type == JL_NULL;
	case F_LINKS:
		*(const char **)to = v->s;
		return v->type == JL_STRINGS;
	case F_BOOL:
		*(bool *)to = v->b;
		return v->type == JL_BOOL;
	default:
		break;
	}
	if(v->type != JL_NUMBER)
		return false;
	switch(f->kind) {
	case F_U64:  *(uint64_t *)to = (uint64_t)clamp(n, 0, 1e19); break;
	case F_LONG: *(long *)to = (long)clamp(n, -1e18, 1e18); break;
	case F_INT:  *(int *)to = (int)clamp(n, -1e9, 1e9); break;
	case F_UINT: *(unsigned *)to = (unsigned)clamp(n, 0, 4e9); break;
	default:     *(double *)to = n; break;
	}
	e->crawl |= f->at == AT(depth);
	e->has_seq |= f->at == AT(seq);
	return true;
}

/* The quick way for a list's line as greenfetch writes it, index and
 * URL first: those two and "failed" only (an unescaped quote is always a
 * string's end, so ,"failed": is found only where it is a member). False:
 * the line is to be read the whole way. */
static bool read_light(char *line, size_t len, struct journal_entry *e)
{
	static const char lead[] = "{\"index\":", mid[] = ",\"url\":\"";
	char *p = line + sizeof(lead) - 1, *end = line + len, *q;
	uint64_t index = 0;

	if(len < sizeof(lead) || memcmp(line, lead, sizeof(lead) - 1))
		return false;
	while(p < end && *p >= '0' && *p <= '9' && index < UINT64_MAX / 16)
		index = index * 10 + (uint64_t)(*p++ - '0');
	if((size_t)(end - p) < sizeof(mid) || memcmp(p, mid, sizeof(mid) - 1))
		return false;
	p += sizeof(mid) - 1;
	if(!(q = memchr(p, '"', (size_t)(end - p))) || memchr(p, '\\', (size_t)(q - p)) ||
	   end[-1] != '\n' || end[-2] != '}')
		return false;
	*q = '\0';
	e->index = index;
	e->url = p;
	e->failed = memmem(q + 1, (size_t)(end - q - 1), ",\"failed\":true", 14) != NULL;
	return index > 0;
}

int journal_read(struct journal_reader *jr, struct journal_entry *e)
{
	return journal_read_as(jr, e, false);
}

int journal_read_as(struct journal_reader *jr, struct journal_entry *e, bool light)
{
	ssize_t n;

	while(jr->fp && (n = getline(&jr->line, &jr->cap, jr->fp)) > 0) {
		memset(e, 0, sizeof(*e));
		if(light && n > 2 && read_light(jr->line, (size_t)n, e))
			return GF_OK;
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
