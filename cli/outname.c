/*
 * outname.c - building safe, unique names for saved bodies.
 *
 * Names are built in a growable buffer segment by segment, each segment
 * cleaned on the way in, then made unique against the set of names the run
 * has given out (a small open-addressing hash set).
 */
#include "outname.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "fpset.h"

static uint32_t fnv1a(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for(size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* The last c in s[0..n), or NULL. */
static const char *last_of(const char *s, char c, size_t n)
{
	while(n > 0)
		if(s[--n] == c)
			return s + n;
	return NULL;
}

/* Where the extension of the last segment of name starts (its '.'), or
 * the end when it has none. */
static size_t ext_at(const char *name, size_t len)
{
	const char *slash = last_of(name, '/', len);
	const char *seg = slash ? slash + 1 : name;
	const char *dot = last_of(seg, '.', len - (size_t)(seg - name));

	return dot && dot > seg ? (size_t)(dot - name) : len;
}

/* name with suffix put before the extension of its last segment. */
static char *with_suffix(const char *name, const char *suffix)
{
	size_t len = strlen(name), at = ext_at(name, len);

	return gf_aprintf("%.*s%s%s", (int)at, name, suffix, name + at);
}

/* Append segment s (n bytes) to b, cleaned: see outname.h. */
static void add_segment(struct gf_buf *b, const char *s, size_t n)
{
	size_t start = b->len;
	char hex[4];

	if(n == 0 || (n == 1 && s[0] == '.'))
		return;
	if(b->len > 0)
		gf_buf_add(b, "/", 1);
	start = b->len;
	if(n == 2 && s[0] == '.' && s[1] == '.') {
		gf_buf_str(b, "%2E%2E");
		return;
	}
	for(size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if(c < 0x20 || c == 0x7f || c == '\\' || c == '/') {
			snprintf(hex, sizeof(hex), "%%%02X", c);
			gf_buf_str(b, hex);
		} else {
			gf_buf_add(b, s + i, 1);
		}
	}
	if(!b->oom && b->len - start > OUTNAME_MAX_SEGMENT) {
		char tail[16];

		snprintf(tail, sizeof(tail), "-%08" PRIx32,
			 fnv1a(b->s + start, b->len - start));
		b->len = start + OUTNAME_MAX_SEGMENT - strlen(tail);
		/* Do not cut a UTF-8 sequence in two. */
		while(b->len > start && ((unsigned char)b->s[b->len] & 0xc0) == 0x80)
			b->len--;
		b->s[b->len] = '\0';
		gf_buf_str(b, tail);
	}
}

/* Append a path ("/a/b/c"), segment by segment. */
static void add_path(struct gf_buf *b, const char *path)
{
	const char *p = path;

	while(*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		add_segment(b, p, n);
		p += n + (slash != NULL);
	}
}

/* HOST[:PORT], lower-cased. */
static void add_host(struct gf_buf *b, const char *host, const char *port)
{
	size_t start = b->len;
	char *hp = port[0] ? gf_aprintf("%s:%s", host, port) : strdup(host);

	if(!hp) {
		b->oom = true;
		return;
	}
	add_segment(b, hp, strlen(hp));
	for(size_t i = start; !b->oom && i < b->len; i++)
		if(b->s[i] >= 'A' && b->s[i] <= 'Z')
			b->s[i] = (char)(b->s[i] - 'A' + 'a');
	free(hp);
}

/* The last segment's name for path and query: "index.html" for a
 * directory, a hash suffix for a query. */
static char *last_name(const char *path, const char *query)
{
	struct gf_buf b = { 0 };
	const char *slash = strrchr(path, '/');
	const char *last = slash ? slash + 1 : path;
	char *out;

	add_segment(&b, last, strlen(last));
	if(!b.oom && b.len == 0)
		gf_buf_str(&b, "index.html");
	if(b.oom)
		return NULL;
	if(!query[0])
		return b.s;
	{
		char suffix[16];

		snprintf(suffix, sizeof(suffix), "-%08" PRIx32,
			 fnv1a(query, strlen(query)));
		out = with_suffix(b.s, suffix);
	}
	free(b.s);
	return out;
}

/* ----------------------------------------------------------- the set */

/* A name's next suffix number: its fingerprint and k, so that the 5,000th
 * URL of one name takes -5001 at once, not after 5,000 tries. */
struct suffix_slot {
	uint64_t fp;                  /* 0 = free */
	unsigned next;
};

struct outnames {
	struct fpset files;           /* names given to files */
	struct fpset dirs;            /* directories those names make */
	struct suffix_slot *suffix;   /* next -k of a name, open addressing */
	size_t suffix_cap, nsuffix;
};

struct outnames *outnames_new(void)
{
	struct outnames *set = calloc(1, sizeof(*set));

	if(!set)
		return NULL;
	fpset_init(&set->files);
	fpset_init(&set->dirs);
	return set;
}

void outnames_free(struct outnames *set)
{
	if(!set)
		return;
	fpset_release(&set->files);
	fpset_release(&set->dirs);
	free(set->suffix);
	free(set);
}

static uint64_t name_fp(const char *s, size_t n)
{
	return fp_hash(s, n, 0x6e616d65ull);
}

/* The slot for fp's suffix number, grown as needed; NULL out of memory. */
static struct suffix_slot *suffix_slot(struct outnames *set, uint64_t fp)
{
	size_t i;

	if(2 * (set->nsuffix + 1) > set->suffix_cap) {
		size_t cap = set->suffix_cap ? 2 * set->suffix_cap : 64;
		struct suffix_slot *more = calloc(cap, sizeof(*more));

		if(!more)
			return NULL;
		for(size_t k = 0; k < set->suffix_cap; k++) {
			if(!set->suffix[k].fp)
				continue;
			for(i = set->suffix[k].fp & (cap - 1); more[i].fp; i = (i + 1) & (cap - 1))
				;
			more[i] = set->suffix[k];
		}
		free(set->suffix);
		set->suffix = more;
		set->suffix_cap = cap;
	}
	for(i = fp & (set->suffix_cap - 1); set->suffix[i].fp && set->suffix[i].fp != fp;
	    i = (i + 1) & (set->suffix_cap - 1))
		;
	if(!set->suffix[i].fp) {
		set->suffix[i].fp = fp;
		set->suffix[i].next = 2;
		set->nsuffix++;
	}
	return &set->suffix[i];
}

/* name (owned) with each directory of it that is a file's name already
 * renamed NAME.d (NAME.d.d, ...): /a then /a/b gives a, then a.d/b. */
static char *dirs_clear(struct outnames *set, char *name)
{
	for(char *slash = strchr(name, '/'); slash; slash = strchr(slash + 1, '/')) {
		size_t at = (size_t)(slash - name);
		char *more;

		if(!fpset_has(&set->files, name_fp(name, at)))
			continue;
		more = gf_aprintf("%.*s.d%s", (int)at, name, slash);
		free(name);
		if(!more)
			return NULL;
		name = more;
		slash = name + at;    /* look at the renamed one again */
	}
	return name;
}

/* Take name (owned) into the set: its directories clear of files, itself
 * NAME/index.html when it is a directory already (/a/b, then /a), -2,
 * -3, ... when it is taken. */
static char *outnames_take(struct outnames *set, char *name)
{
	struct suffix_slot *slot;
	char *unique;

	if(!name || !(name = dirs_clear(set, name)))
		return NULL;
	while(fpset_has(&set->dirs, name_fp(name, strlen(name)))) {
		char *more = gf_aprintf("%s/index.html", name);

		free(name);
		if(!more)
			return NULL;
		name = more;
	}
	unique = name;
	if(fpset_has(&set->files, name_fp(name, strlen(name)))) {
		if(!(slot = suffix_slot(set, name_fp(name, strlen(name))))) {
			free(name);
			return NULL;
		}
		unique = NULL;
		do {
			char suffix[16];

			free(unique);
			snprintf(suffix, sizeof(suffix), "-%u", slot->next++);
			unique = with_suffix(name, suffix);
		} while(unique && fpset_has(&set->files, name_fp(unique, strlen(unique))));
		free(name);
		if(!unique)
			return NULL;
	}
	if(fpset_add(&set->files, name_fp(unique, strlen(unique))) < 0) {
		free(unique);
		return NULL;
	}
	for(char *slash = strchr(unique, '/'); slash; slash = strchr(slash + 1, '/'))
		if(fpset_add(&set->dirs, name_fp(unique, (size_t)(slash - unique))) < 0) {
			free(unique);
			return NULL;
		}
	return unique;
}

/* A name too long for the file system: keep the host, hash the rest. */
static char *shorten(struct gf_buf *b, size_t host_len)
{
	size_t at = ext_at(b->s, b->len);
	size_t ext = b->len - at < 16 ? b->len - at : 0;
	char *out = gf_aprintf("%.*s%slong-%08" PRIx32 "%s", (int)host_len, b->s,
			       host_len ? "/" : "", fnv1a(b->s, b->len),
			       b->s + b->len - ext);

	free(b->s);
	return out;
}

char *outname_for_url(struct outnames *set, const char *host, const char *port,
		      const char *path, const char *query)
{
	struct gf_buf b = { 0 };
	const char *slash = strrchr(path, '/');
	char *last = last_name(path, query);
	size_t host_len;

	if(!last)
		return NULL;
	add_host(&b, host, port);
	host_len = b.len;
	{
		char *dirs = gf_strndup(path, slash ? (size_t)(slash - path) : 0);

		if(!dirs)
			b.oom = true;
		else
			add_path(&b, dirs);
		free(dirs);
	}
	add_segment(&b, last, strlen(last));
	free(last);
	if(b.oom) {
		free(b.s);
		return NULL;
	}
	if(b.len > OUTNAME_MAX)
		return outnames_take(set, shorten(&b, host_len));
	return outnames_take(set, b.s);
}

char *outname_for_template(struct outnames *set, const char *tmpl,
			   uint64_t index, const char *host, const char *port,
			   const char *path, const char *query)
{
	struct gf_buf raw = { 0 }, b = { 0 };
	char *last = last_name(path, query);
	char num[32];

	if(!last)
		return NULL;
	for(const char *p = tmpl; *p; ) {
		if(strncmp(p, "{index}", 7) == 0) {
			snprintf(num, sizeof(num), "%" PRIu64, index);
			gf_buf_str(&raw, num);
			p += 7;
		} else if(strncmp(p, "{host}", 6) == 0) {
			gf_buf_str(&raw, host);
			if(port[0]) {
				gf_buf_str(&raw, ":");
				gf_buf_str(&raw, port);
			}
			p += 6;
		} else if(strncmp(p, "{name}", 6) == 0) {
			gf_buf_str(&raw, last);
			p += 6;
		} else {
			gf_buf_add(&raw, p++, 1);
		}
	}
	free(last);
	if(!raw.oom)
		add_path(&b, raw.s ? raw.s : "");
	free(raw.s);
	if(!b.oom && b.len == 0)
		gf_buf_str(&b, "index.html");
	if(raw.oom || b.oom) {
		free(b.s);
		return NULL;
	}
	if(b.len > OUTNAME_MAX)
		return outnames_take(set, shorten(&b, 0));
	return outnames_take(set, b.s);
}
