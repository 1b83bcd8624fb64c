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

#include "gf.h"
#include "links.h"
#include "url.h"

/* ------------------------------------------------------------ paths */

/* May c stand in a path as it is? (RFC 3986 pchar, less '%'.) */
static bool path_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || strchr("-._~!$&'()*+,;=:@/", c);
}

char *relink_path(const char *from, const char *to)
{
	struct gf_buf b = { 0 };
	size_t common = 0, ups = 0;
	const char *rest, *seg_end;

	/* The directories both names share, whole. */
	for(size_t i = 0; from[i] && from[i] == to[i]; i++)
		if(from[i] == '/')
			common = i + 1;
	for(const char *p = from + common; (p = strchr(p, '/')); p++)
		ups++;
	for(size_t i = 0; i < ups; i++)
		gf_buf_str(&b, "../");
	rest = to + common;
	/* A first segment with a ':' would read as a scheme. */
	seg_end = rest + strcspn(rest, "/");
	if(!ups && memchr(rest, ':', (size_t)(seg_end - rest)))
		gf_buf_str(&b, "./");
	for(const char *p = rest; *p; p++) {
		char esc[4];

		if(path_char((unsigned char)*p)) {
			gf_buf_add(&b, p, 1);
		} else {
			snprintf(esc, sizeof(esc), "%%%02X", (unsigned char)*p);
			gf_buf_add(&b, esc, 3);
		}
	}
	if(!b.s && !b.oom)
		gf_buf_str(&b, "");
	if(b.oom) {
		free(b.s);
		gf_oom();
		return NULL;
	}
	return b.s;
}

/* ------------------------------------------------------------ links */

struct edit {
	size_t start, end;            /* the bytes replaced */
	char *text;                   /* by these */
};

struct relink {
	const char *name;             /* the file's */
	const char *base;             /* what its links resolve on (normal) */
	struct url *at;               /* the same, parsed when first needed */
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

	char quick[4096];

	if(!*ref || *ref == '#')
		return NULL;
	/* The quick way where it is sure, else libcurl on the base parsed
	 * once (as the crawl resolves them). */
	if(url_resolve_fast(r->base, ref, quick, sizeof(quick)) >= 0)
		url = strdup(quick);
	else if(r->at || (r->at = url_base(r->base)))
		url = url_normal_at(r->at, ref, NULL);
	else
		url = NULL;
	if(!url)
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
static void html_value(struct gf_buf *b, const char *s, char quote)
{
	if(!quote)
		gf_buf_add(b, "\"", 1);
	for(; *s; s++) {
		if(*s == '&')
			gf_buf_str(b, "&amp;");
		else if(*s == '"' && quote != '\'')
			gf_buf_str(b, "&quot;");
		else if(*s == '\'' && quote == '\'')
			gf_buf_str(b, "&#39;");
		else
			gf_buf_add(b, s, 1);
	}
	if(!quote)
		gf_buf_add(b, "\"", 1);
}

/* s as a CSS URL in quote (0: in url() unquoted, so quoted here). */
static void css_url(struct gf_buf *b, const char *s, char quote)
{
	char q = quote ? quote : '"';

	if(!quote)
		gf_buf_add(b, &q, 1);
	for(; *s; s++) {
		if(*s == q || *s == '\\')
			gf_buf_add(b, "\\", 1);
		if(*s == '\n')
			gf_buf_str(b, "\\a ");
		else
			gf_buf_add(b, s, 1);
	}
	if(!quote)
		gf_buf_add(b, &q, 1);
}

static void add_edit(struct relink *r, size_t start, size_t end, struct gf_buf *b)
{
	if(b->oom || r->oom) {
		free(b->s);
		r->oom = true;
		return;
	}
	if(r->nedits == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct edit *more = realloc(r->edits, cap * sizeof(*more));

		if(!more) {
			free(b->s);
			r->oom = true;
			return;
		}
		r->edits = more;
		r->cap = cap;
	}
	r->edits[r->nedits++] = (struct edit){ start, end, b->s ? b->s : strdup("") };
}

/* The links of an attribute value that holds several (srcset, refresh,
 * style=""), from link i on: the value rebuilt with each replaced, as one
 * edit. The index of the last link of that value. */
static size_t edit_in_value(struct relink *r, const struct links *l, size_t i)
{
	const struct links_where *w = links_where(l, i);
	const char *value = links_value(l, w->value);
	struct gf_buf v = { 0 }, out = { 0 };
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
		gf_buf_add(&v, value + at, wk->sub_start - at);
		if(wk->css)
			css_url(&v, to, wk->css_quote);
		else
			gf_buf_str(&v, to);
		at = wk->sub_start + wk->sub_len;
		free(to);
	}
	if(at > 0) {
		gf_buf_str(&v, value + at);
		html_value(&out, v.s ? v.s : "", w->quote);
		add_edit(r, w->start, w->end, &out);
	}
	free(v.s);
	return k - 1;
}

static void collect(struct relink *r, const struct links *l)
{
	const struct links_where *bw = links_base_where(l);

	if(bw) {
		struct gf_buf b = { 0 };

		html_value(&b, "", bw->quote);
		add_edit(r, bw->start, bw->end, &b);
	}
	for(size_t i = 0; i < links_count(l) && !r->oom; i++) {
		const struct links_where *w = links_where(l, i);
		struct gf_buf b = { 0 };
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
	struct gf_buf out = { 0 };
	size_t at = 0;

	qsort(r->edits, r->nedits, sizeof(*r->edits), edit_cmp);
	for(size_t i = 0; i < r->nedits; i++) {
		const struct edit *e = &r->edits[i];

		if(e->start < at || e->end > len || e->end < e->start)
			continue;
		gf_buf_add(&out, data + at, e->start - at);
		gf_buf_str(&out, e->text);
		at = e->end;
	}
	gf_buf_add(&out, data + at, len - at);
	if(out.oom) {
		free(out.s);
		gf_oom();
		return NULL;
	}
	*out_len = out.len;
	return out.s;
}

char *relink(const char *data, size_t len, const char *url, const char *ctype,
	     const char *name, relink_lookup_fn *lookup, void *ctx,
	     size_t *out_len)
{
	bool sheet = gf_mime_is(ctype, "text/css");
	struct links *l = sheet ? links_new_sheet() : links_new(true);
	struct relink r = { .name = name, .lookup = lookup, .ctx = ctx };
	char *page = url_normal(NULL, url), *base = NULL, *out = NULL;

	if(!l || !page) {
		links_free(l);
		free(page);
		return NULL;
	}
	r.base = page;
	links_track(l);
	links_content_type(l, ctype);
	links_feed(l, data, len);
	links_finish(l);
	if(!strncmp(links_charset(l), "UTF-16", 6)) {
		links_free(l);
		free(page);
		return NULL;
	}
	if(links_base(l) && (base = url_normal(page, links_base(l))))
		r.base = base;
	collect(&r, l);
	if(r.nedits > 0 && !r.oom)
		out = apply(&r, data, len, out_len);
	for(size_t i = 0; i < r.nedits; i++)
		free(r.edits[i].text);
	free(r.edits);
	url_free(r.at);
	free(base);
	free(page);
	links_free(l);
	return out;
}
