/*
 * relink.c - links of a saved page turned to the mirror: the page is read
 * again by links.c with links_track(), which says where each link is
 * written; each is replaced there, quoted and escaped as its place needs
 * (an HTML attribute value, CSS in one, CSS text), and the bytes between
 * are copied as they are.
 */
#include "relink.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"
#include "links.h"
#include "url.h"

struct buf {
	char *p;
	size_t n, cap;
	bool oom;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if(b->oom)
		return;
	if(b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *more;

		while(cap < b->n + n + 1)
			cap *= 2;
		if(!(more = realloc(b->p, cap))) {
			b->oom = true;
			return;
		}
		b->p = more;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* ------------------------------------------------------------ paths */

/* May c stand in a path as it is? (RFC 3986 pchar, less '%'.) */
static bool path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=:@/", c);
}

char *relink_path(const char *from, const char *to)
{
	struct buf b = { 0 };
	size_t common = 0, ups = 0;
	const char *rest, *seg_end;

	/* The directories both names share, whole. */
	for(size_t i = 0; from[i] && from[i] == to[i]; i++)
		if(from[i] == '/')
			common = i + 1;
	for(const char *p = from + common; (p = strchr(p, '/')); p++)
		ups++;
	for(size_t i = 0; i < ups; i++)
		puts_(&b, "../");
	rest = to + common;
	/* A first segment with a ':' would read as a scheme. */
	seg_end = rest + strcspn(rest, "/");
	if(!ups && memchr(rest, ':', (size_t)(seg_end - rest)))
		puts_(&b, "./");
	for(const char *p = rest; *p; p++) {
		char esc[4];

		if(path_char((unsigned char)*p)) {
			put(&b, p, 1);
		} else {
			snprintf(esc, sizeof(esc), "%%%02X", (unsigned char)*p);
			put(&b, esc, 3);
		}
	}
	if(!b.p && !b.oom)
		puts_(&b, "");
	if(b.oom) {
		free(b.p);
		gf_oom();
		return NULL;
	}
	return b.p;
}

/* ------------------------------------------------------------ links */

struct edit {
	size_t start, end;            /* the bytes replaced */
	char *text;                   /* by these */
};

struct relink {
	const char *name;             /* the file's */
	const char *base;             /* what its links resolve on */
	relink_lookup_fn *lookup;
	void *ctx;
	struct edit *edits;
	size_t nedits, cap;
	bool oom;
};

/* What link ref becomes: a saved file's path, or the absolute URL, with
 * its fragment; NULL when it stays as it is. */
static char *target(struct relink *r, const char *ref)
{
	const char *frag = strchr(ref, '#'), *saved;
	char *url, *out;

	if(!*ref || *ref == '#')
		return NULL;
	if(!(url = url_normal(r->base, ref)))
		return NULL;          /* mailto:, javascript:, no URL */
	saved = r->lookup(r->ctx, url);
	if(saved) {
		char *path = relink_path(r->name, saved);

		out = path ? gf_aprintf("%s%s", path, frag ? frag : "") : NULL;
		free(path);
	} else {
		out = gf_aprintf("%s%s", url, frag ? frag : "");
	}
	free(url);
	if(out && !strcmp(out, ref)) {
		free(out);
		return NULL;
	}
	return out;
}

/* s as an HTML attribute value in quote (0: unquoted, so quoted here). */
static void html_value(struct buf *b, const char *s, char quote)
{
	if(!quote)
		put(b, "\"", 1);
	for(; *s; s++) {
		if(*s == '&')
			puts_(b, "&amp;");
		else if(*s == '"' && quote != '\'')
			puts_(b, "&quot;");
		else if(*s == '\'' && quote == '\'')
			puts_(b, "&#39;");
		else
			put(b, s, 1);
	}
	if(!quote)
		put(b, "\"", 1);
}

/* s as a CSS URL in quote (0: in url() unquoted, so quoted here). */
static void css_url(struct buf *b, const char *s, char quote)
{
	char q = quote ? quote : '"';

	if(!quote)
		put(b, &q, 1);
	for(; *s; s++) {
		if(*s == q || *s == '\\')
			put(b, "\\", 1);
		if(*s == '\n')
			puts_(b, "\\a ");
		else
			put(b, s, 1);
	}
	if(!quote)
		put(b, &q, 1);
}

static void add_edit(struct relink *r, size_t start, size_t end, struct buf *b)
{
	if(b->oom || r->oom) {
		free(b->p);
		r->oom = true;
		return;
	}
	if(r->nedits == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct edit *more = realloc(r->edits, cap * sizeof(*more));

		if(!more) {
			free(b->p);
			r->oom = true;
			return;
		}
		r->edits = more;
		r->cap = cap;
	}
	r->edits[r->nedits++] = (struct edit){ start, end, b->p ? b->p : strdup("") };
}

/* The links of an attribute value that holds several (srcset, refresh,
 * style=""), from link i on: the value rebuilt with each replaced, as one
 * edit. The index of the last link of that value. */
static size_t edit_in_value(struct relink *r, const struct links *l, size_t i)
{
	const struct links_where *w = links_where(l, i);
	const char *value = links_value(l, w->value);
	struct buf v = { 0 }, out = { 0 };
	size_t at = 0, k = i;

	if(!value)
		return i;
	for(; k < links_count(l); k++) {
		const struct links_where *wk = links_where(l, k);
		char *to;

		if(wk->how != LINKS_IN_VALUE || wk->value != w->value)
			break;
		if(wk->sub_start < at || !(to = target(r, links_get(l, k))))
			continue;
		put(&v, value + at, wk->sub_start - at);
		if(wk->css)
			css_url(&v, to, wk->css_quote);
		else
			puts_(&v, to);
		at = wk->sub_start + wk->sub_len;
		free(to);
	}
	if(at > 0) {
		puts_(&v, value + at);
		html_value(&out, v.p ? v.p : "", w->quote);
		add_edit(r, w->start, w->end, &out);
	}
	free(v.p);
	return k - 1;
}

static void collect(struct relink *r, const struct links *l)
{
	const struct links_where *bw = links_base_where(l);

	if(bw) {
		struct buf b = { 0 };

		html_value(&b, "", bw->quote);
		add_edit(r, bw->start, bw->end, &b);
	}
	for(size_t i = 0; i < links_count(l) && !r->oom; i++) {
		const struct links_where *w = links_where(l, i);
		struct buf b = { 0 };
		char *to;

		if(w->how == LINKS_IN_VALUE) {
			i = edit_in_value(r, l, i);
			continue;
		}
		if(!(to = target(r, links_get(l, i))))
			continue;
		if(w->how == LINKS_CSS)
			css_url(&b, to, w->quote);
		else
			html_value(&b, to, w->quote);
		free(to);
		add_edit(r, w->start, w->end, &b);
	}
}

static int edit_cmp(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* data with the edits made (in order; one that overlaps the one before is
 * left out). */
static char *apply(struct relink *r, const char *data, size_t len, size_t *out_len)
{
	struct buf out = { 0 };
	size_t at = 0;

	qsort(r->edits, r->nedits, sizeof(*r->edits), edit_cmp);
	for(size_t i = 0; i < r->nedits; i++) {
		const struct edit *e = &r->edits[i];

		if(e->start < at || e->end > len || e->end < e->start)
			continue;
		put(&out, data + at, e->start - at);
		puts_(&out, e->text);
		at = e->end;
	}
	put(&out, data + at, len - at);
	if(out.oom) {
		free(out.p);
		gf_oom();
		return NULL;
	}
	*out_len = out.n;
	return out.p;
}

char *relink(const char *data, size_t len, const char *url, const char *ctype,
	     const char *name, relink_lookup_fn *lookup, void *ctx,
	     size_t *out_len)
{
	bool sheet = ctype && !strncasecmp(ctype, "text/css", 8);
	struct links *l = sheet ? links_new_sheet() : links_new(true);
	struct relink r = { .name = name, .base = url, .lookup = lookup, .ctx = ctx };
	char *base = NULL, *out = NULL;

	if(!l)
		return NULL;
	links_track(l);
	links_content_type(l, ctype);
	links_feed(l, data, len);
	links_finish(l);
	if(!strncmp(links_charset(l), "UTF-16", 6)) {
		links_free(l);
		return NULL;
	}
	if(links_base(l) && (base = url_normal(url, links_base(l))))
		r.base = base;
	collect(&r, l);
	if(r.nedits > 0 && !r.oom)
		out = apply(&r, data, len, out_len);
	for(size_t i = 0; i < r.nedits; i++)
		free(r.edits[i].text);
	free(r.edits);
	free(base);
	links_free(l);
	return out;
}
