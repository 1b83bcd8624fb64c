/*
 * mirror.c - --convert-links: what -o saved, by URL, and at the run's end
 * each saved page and sheet read again and its links turned to the
 * mirror (relink.c), written to a temporary file and renamed over it.
 *
 * Saved files are kept as (normal URL, name) pairs, one for the URL asked
 * and one for where its redirects led, sorted once at the end and looked
 * up by bisection: about 100 bytes a file.
 */
#include "mirror.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gf.h"
#include "relink.h"
#include "url.h"

struct saved {
	char *url;                    /* normal form */
	size_t seq;                   /* saved as the seq-th pair */
	char *name;                   /* under DIR */
	char *page;                   /* a page or sheet to turn: its URL as
				       * fetched, and its Content-Type; NULL
				       * for other files */
	char *ctype;
};

struct mirror {
	struct saved *all;
	size_t n, cap;
	bool oom;
};

struct mirror *mirror_new(void)
{
	return calloc(1, sizeof(struct mirror));
}

/* Is a Content-Type one whose links are turned? */
static bool turnable(const char *ctype)
{
	return gf_mime_is(ctype, "text/html") || gf_mime_is(ctype, "text/css") ||
	       gf_mime_is(ctype, "application/xhtml+xml");
}

/* A pair; page and ctype are copied when given. */
static void mirror_put(struct mirror *m, const char *url, const char *name,
		       const char *page, const char *ctype)
{
	struct saved s = { url_normal(NULL, url), m->n, strdup(name),
			   page ? strdup(page) : NULL, ctype ? strdup(ctype) : NULL };

	if(m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		struct saved *more = realloc(m->all, cap * sizeof(*more));

		if(more) {
			m->all = more;
			m->cap = cap;
		}
	}
	if(!s.url || !s.name || (page && !s.page) || (ctype && !s.ctype) ||
	   m->n == m->cap) {
		m->oom = true;        /* (a saved URL always has a normal form) */
		free(s.url);
		free(s.name);
		free(s.page);
		free(s.ctype);
		return;
	}
	m->all[m->n++] = s;
}

void mirror_add(struct mirror *m, const char *url, const char *effective,
		const char *name, const char *ctype)
{
	bool turn = turnable(ctype);

	mirror_put(m, url, name, turn ? (effective ? effective : url) : NULL,
		   turn ? ctype : NULL);
	if(effective && strcmp(effective, url))
		mirror_put(m, effective, name, NULL, NULL);
}

static int saved_cmp(const void *a, const void *b)
{
	const struct saved *x = a, *y = b;
	int c = strcmp(x->url, y->url);

	/* The same URL twice (a list may repeat one): the first saved wins,
	 * as the lookup finds the first of equals. */
	return c ? c : x->seq < y->seq ? -1 : x->seq > y->seq;
}

static const char *lookup(void *ctx, const char *url)
{
	const struct mirror *m = ctx;
	size_t lo = 0, hi = m->n;

	while(lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(m->all[mid].url, url);

		if(c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && !strcmp(m->all[lo].url, url) ? m->all[lo].name : NULL;
}

/* The whole of file name under dir_fd (*len bytes), or NULL. */
static char *slurp(int dir_fd, const char *name, size_t *len)
{
	int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	char *data = NULL;
	size_t got = 0;

	if(fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	   !(data = malloc((size_t)st.st_size + 1))) {
		if(fd >= 0)
			close(fd);
		return NULL;
	}
	while(got < (size_t)st.st_size) {
		ssize_t k = read(fd, data + got, (size_t)st.st_size - got);

		if(k < 0 && errno == EINTR)
			continue;
		if(k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	*len = got;
	return data;
}

/* data over file name, by a temporary file renamed over it. */
static bool replace(int dir_fd, const char *name, const char *data, size_t len)
{
	char *tmp = gf_aprintf("%s.greenfetch-%ld.part", name, (long)getpid());
	int fd = tmp ? openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			      O_CLOEXEC, 0666) : -1;
	bool ok = fd >= 0 && gf_write_all(fd, data, len);

	if(fd >= 0 && close(fd) < 0)
		ok = false;
	if(ok && renameat(dir_fd, tmp, dir_fd, name) < 0)
		ok = false;
	if(!ok && tmp && fd >= 0)
		unlinkat(dir_fd, tmp, 0);
	free(tmp);
	return ok;
}

void mirror_convert(struct mirror *m, int dir_fd, const char *dir)
{
	if(m->oom)
		fprintf(stderr, "greenfetch: --convert-links: out of memory: some "
			"links are not turned\n");
	qsort(m->all, m->n, sizeof(*m->all), saved_cmp);
	for(size_t i = 0; i < m->n; i++) {
		const struct saved *s = &m->all[i];
		size_t len = 0, out_len = 0;
		char *data, *out;

		if(!s->page)
			continue;
		if(!(data = slurp(dir_fd, s->name, &len))) {
			fprintf(stderr, "greenfetch: --convert-links: %s/%s: %s\n", dir,
				s->name, strerror(errno));
			continue;
		}
		out = relink(data, len, s->page, s->ctype, s->name, lookup, m, &out_len);
		if(out && !replace(dir_fd, s->name, out, out_len))
			fprintf(stderr, "greenfetch: --convert-links: %s/%s: %s\n", dir,
				s->name, strerror(errno));
		free(out);
		free(data);
	}
}

void mirror_free(struct mirror *m)
{
	if(!m)
		return;
	for(size_t i = 0; i < m->n; i++) {
		free(m->all[i].url);
		free(m->all[i].name);
		free(m->all[i].page);
		free(m->all[i].ctype);
	}
	free(m->all);
	free(m);
}
