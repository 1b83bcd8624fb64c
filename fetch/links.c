/*
 * links.c - the elements and attributes that are links, on the tokens of
 * html.c, and the URLs of style sheets (css.c) in <style> and style="".
 * The page's encoding is links_charset.c's.
 *
 * The first bytes of a page (up to LINKS_SNIFF) wait until the encoding
 * is known: a byte order mark or the Content-Type says at once; else those
 * bytes are read for a <meta> charset (by a tokenizer of their own, as
 * browsers prescan them), else judged by whether they are UTF-8. Then they
 * go to the tokenizer, and the rest of the page straight after them.
 */
#include "links_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "css.h"
#include "gf.h"

/* ------------------------------------------------------------ links */

static bool is_url_space(unsigned char c)
{
	return c <= 0x20;             /* C0 controls and space (URL standard) */
}

/* Room for one more link of len bytes. */
static bool links_room(struct links *l, size_t len)
{
	if(l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		size_t *more = realloc(l->at, cap * sizeof(*more));
		struct links_where *w;

		if(!more)
			return false;
		l->at = more;
		if(l->track) {
			if(!(w = realloc(l->where, cap * sizeof(*w))))
				return false;
			l->where = w;
		}
		l->cap = cap;
	}
	if(l->text_len + len + 1 > l->text_cap) {
		size_t cap = l->text_cap ? 2 * l->text_cap : 4096;
		char *more;

		while(cap < l->text_len + len + 1)
			cap *= 2;
		if(!(more = realloc(l->text, cap)))
			return false;
		l->text = more;
		l->text_cap = cap;
	}
	return true;
}

/* Keep a link: tabs and newlines removed, C0 controls and spaces trimmed
 * at both ends, as a URL parser does. */
static void links_add(struct links *l, const char *url, size_t len)
{
	char *copy;
	size_t k = 0;

	while(len > 0 && is_url_space((unsigned char)*url)) {
		url++;
		len--;
	}
	while(len > 0 && is_url_space((unsigned char)url[len - 1]))
		len--;
	if(l->n >= LINKS_MAX)
		return;
	if(!links_room(l, len)) {
		gf_oom();
		return;
	}
	if(l->track) {
		l->where[l->n] = l->cur;
		if(l->cur.how == LINKS_IN_VALUE && !l->cur.css) {
			l->where[l->n].sub_start = (size_t)(url - l->cur_value);
			l->where[l->n].sub_len = len;
		}
	}
	copy = l->text + l->text_len;
	memcpy(copy, url, len);
	copy[len] = '\0';
	k = len;
	if(strcspn(copy, "\t\n\r") < len) {   /* most links have none */
		k = 0;
		for(size_t i = 0; i < len; i++)
			if(url[i] != '\t' && url[i] != '\n' && url[i] != '\r')
				copy[k++] = url[i];
	}
	copy[k] = '\0';
	l->at[l->n++] = l->text_len;
	l->text_len += k + 1;
}

const struct html_attr *links_attr(const struct html_attr *a, size_t n,
				   const char *name)
{
	for(size_t i = 0; i < n; i++)
		if(!strcmp(a[i].name, name))
			return a[i].truncated ? NULL : &a[i];
	return NULL;
}

/* The links that follow are in attribute value v (how: all of it, or in
 * it); IN_VALUE keeps the decoded value. */
static void links_at(struct links *l, const struct html_attr *v,
		     enum links_how how)
{
	if(!l->track)
		return;
	l->cur = (struct links_where){ .how = how, .start = v->raw_start,
				       .end = v->raw_end, .quote = v->quote };
	l->cur_value = v->value;
	if(how != LINKS_IN_VALUE)
		return;
	if(l->nvalues == l->values_cap) {
		size_t cap = l->values_cap ? 2 * l->values_cap : 16;
		size_t *more = realloc(l->values, cap * sizeof(*more));

		if(!more) {
			gf_oom();
			return;
		}
		l->values = more;
		l->values_cap = cap;
	}
	if(!links_room(l, v->value_len)) {
		gf_oom();
		return;
	}
	memcpy(l->text + l->text_len, v->value, v->value_len + 1);
	l->cur.value = l->nvalues;
	l->values[l->nvalues++] = l->text_len;
	l->text_len += v->value_len + 1;
}

static void add_attr(struct links *l, const struct html_attr *a, size_t n,
		     const char *name)
{
	const struct html_attr *v = links_attr(a, n, name);

	if(v) {
		links_at(l, v, LINKS_VALUE);
		links_add(l, v->value, v->value_len);
	}
}

/* Does the space-separated rel list hold one of the words? */
static bool rel_has(const char *rel, const char *const *words)
{
	const char *p = rel;

	while(p && *p) {
		size_t n;

		p += strspn(p, " \t\n\r\f");
		n = strcspn(p, " \t\n\r\f");
		for(size_t i = 0; n && words[i]; i++)
			if(strlen(words[i]) == n && strncasecmp(p, words[i], n) == 0)
				return true;
		p += n;
	}
	return false;
}

/* srcset: "url 1x, url2 2x": the URLs. */
static void add_srcset(struct links *l, const struct html_attr *a)
{
	const char *v = a->value;

	links_at(l, a, LINKS_IN_VALUE);
	while(*v) {
		size_t n;

		v += strspn(v, " \t\n\r\f,");
		n = strcspn(v, " \t\n\r\f");
		while(n > 0 && v[n - 1] == ',')
			n--;
		if(n > 0)
			links_add(l, v, n);
		v += n;
		v += strcspn(v, ",");
	}
}

/* content="5; url=/next": the URL. */
static void add_refresh(struct links *l, const struct html_attr *a)
{
	const char *p = a->value + strspn(a->value, " \t\n\r\f0123456789.");

	if(*p != ';' && *p != ',')
		return;
	links_at(l, a, LINKS_IN_VALUE);
	p++;
	p += strspn(p, " \t\n\r\f");
	if(strncasecmp(p, "url", 3) == 0) {
		const char *q = p + 3 + strspn(p + 3, " \t\n\r\f");

		if(*q == '=')
			p = q + 1 + strspn(q + 1, " \t\n\r\f");
	}
	if(*p == '\'' || *p == '"') {
		const char *end = strchr(p + 1, *p);

		links_add(l, p + 1, end ? (size_t)(end - p - 1) : strlen(p + 1));
		return;
	}
	if(*p)
		links_add(l, p, strlen(p));
}

/* ------------------------------------------------------------ CSS */

/* A URL of CSS: in a style="" value (IN_VALUE, with the CSS's offsets in
 * it), in a <style> (from where its text starts), or in a sheet. */
static void css_url_cb(void *ctx, const char *url, size_t len, size_t start,
		       size_t end, char quote)
{
	struct links *l = ctx;

	if(l->track && l->cur.how == LINKS_IN_VALUE && l->cur.css) {
		l->cur.sub_start = start;
		l->cur.sub_len = end - start;
		l->cur.css_quote = quote;
	} else if(l->track) {
		l->cur = (struct links_where){ .how = LINKS_CSS, .quote = quote,
					       .start = l->style_at + start,
					       .end = l->style_at + end };
	}
	links_add(l, url, len);
}

/* The URLs of a style="" value. */
static void style_scan(struct links *l, const struct html_attr *v)
{
	if(!l->css)
		return;
	links_at(l, v, LINKS_IN_VALUE);
	l->cur.css = true;
	css_reset(l->css);
	css_feed(l->css, v->value, v->value_len);
	css_finish(l->css);
}

/* A <style> element ends (its end tag, or the page's end). */
static void style_end(struct links *l)
{
	css_finish(l->css);
	l->in_style = false;
}

static void links_end_cb(void *ctx, const char *name, size_t len)
{
	struct links *l = ctx;

	(void)name;
	(void)len;
	if(l->in_style)
		style_end(l);
}

static void links_rawtext_cb(void *ctx, const char *data, size_t len)
{
	struct links *l = ctx;

	if(l->in_style)
		css_feed(l->css, data, len);
}

/* ------------------------------------------------------------ elements */

/* The elements that hold links, and where. */
enum {
	TAG_NONE, TAG_HREF, TAG_SRC, TAG_LINK, TAG_BASE, TAG_META, TAG_IMG,
	TAG_MEDIA, TAG_OBJECT, TAG_INPUT, TAG_STYLE
};

static int tag_kind(enum html_tag id, bool assets)
{
	static const struct { unsigned char kind; bool asset; } kinds[HTML_TAG_COUNT] = {
		[HTML_TAG_A] = { TAG_HREF, false }, [HTML_TAG_AREA] = { TAG_HREF, false },
		[HTML_TAG_AUDIO] = { TAG_MEDIA, true }, [HTML_TAG_BASE] = { TAG_BASE, false },
		[HTML_TAG_EMBED] = { TAG_SRC, true }, [HTML_TAG_FRAME] = { TAG_SRC, false },
		[HTML_TAG_IFRAME] = { TAG_SRC, false }, [HTML_TAG_IMG] = { TAG_IMG, true },
		[HTML_TAG_INPUT] = { TAG_INPUT, true }, [HTML_TAG_LINK] = { TAG_LINK, false },
		[HTML_TAG_META] = { TAG_META, false }, [HTML_TAG_OBJECT] = { TAG_OBJECT, true },
		[HTML_TAG_SCRIPT] = { TAG_SRC, true }, [HTML_TAG_SOURCE] = { TAG_IMG, true },
		[HTML_TAG_STYLE] = { TAG_STYLE, true },
		[HTML_TAG_TRACK] = { TAG_SRC, true }, [HTML_TAG_VIDEO] = { TAG_MEDIA, true }
	};

	return !kinds[id].asset || assets ? kinds[id].kind : TAG_NONE;
}

/* <link rel=... href>: pages, and with assets what a page loads. */
static void add_link(struct links *l, const struct html_attr *a, size_t n)
{
	static const char *const page_rels[] = {
		"next", "prev", "previous", "alternate", "canonical", NULL
	};
	static const char *const asset_rels[] = {
		"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload",
		"manifest", "search", NULL
	};
	const struct html_attr *rel = links_attr(a, n, "rel");

	if(rel && (rel_has(rel->value, page_rels) ||
		   (l->assets && rel_has(rel->value, asset_rels))))
		add_attr(l, a, n, "href");
}

/* <meta http-equiv=refresh content>, and <meta name=robots content>. */
static void add_meta(struct links *l, const struct html_attr *a, size_t n)
{
	const struct html_attr *v, *eq = links_attr(a, n, "http-equiv");

	if(eq && !strcasecmp(eq->value, "refresh") && (v = links_attr(a, n, "content")))
		add_refresh(l, v);
	if((eq = links_attr(a, n, "name")) && !strcasecmp(eq->value, "robots") &&
	   (v = links_attr(a, n, "content"))) {
		size_t k = strlen(l->robots);

		snprintf(l->robots + k, sizeof(l->robots) - k, "%s%s",
			 k ? ", " : "", v->value);
	}
}

static void links_start_cb(void *ctx, const char *name, size_t len,
			   const struct html_attr *a, size_t n, bool self_closing)
{
	struct links *l = ctx;
	const struct html_attr *v;

	(void)name;
	(void)len;
	(void)self_closing;
	if(l->in_style)
		style_end(l);
	if(l->assets && (v = links_attr(a, n, "style")))
		style_scan(l, v);
	switch(tag_kind(html_tag_id(l->html), l->assets)) {
	case TAG_STYLE:
		l->in_style = l->css != NULL;
		if(l->track) {
			size_t start;

			html_tag_span(l->html, &start, &l->style_at);
			l->cur.how = LINKS_CSS;
		}
		break;
	case TAG_HREF:
		add_attr(l, a, n, "href");
		break;
	case TAG_SRC:
		add_attr(l, a, n, "src");
		break;
	case TAG_LINK:
		add_link(l, a, n);
		break;
	case TAG_BASE:
		if(l->base || !(v = links_attr(a, n, "href")))
			break;
		if(!(l->base = strdup(v->value)))
			gf_oom();
		l->base_where = (struct links_where){ .how = LINKS_VALUE, .quote = v->quote,
						      .start = v->raw_start, .end = v->raw_end };
		l->base_tracked = l->track;
		break;
	case TAG_META:
		add_meta(l, a, n);
		break;
	case TAG_IMG:
		add_attr(l, a, n, "src");
		if((v = links_attr(a, n, "srcset")))
			add_srcset(l, v);
		break;
	case TAG_MEDIA:
		add_attr(l, a, n, "src");
		add_attr(l, a, n, "poster");
		break;
	case TAG_OBJECT:
		add_attr(l, a, n, "data");
		break;
	case TAG_INPUT:
		if((v = links_attr(a, n, "type")) && !strcasecmp(v->value, "image"))
			add_attr(l, a, n, "src");
		break;
	default:
		break;
	}
}

/* The attributes links_start_cb() reads, on any tag: the others are not
 * kept (class, id, title... are most of a page's attributes). */
static bool links_keep_cb(void *ctx, const char *tag, const char *name,
			  size_t len)
{
	const struct links *l = ctx;

	(void)tag;
#define IS(word) (!memcmp(name, word, sizeof(word) - 1))
	switch(len) {
	case 3:
		return IS("src") || IS("rel");
	case 4:
		return IS("href") || IS("data") || IS("type") || IS("name");
	case 5:
		return IS("style") && l->assets;
	case 6:
		return IS("srcset") || IS("poster");
	case 7:
		return IS("content");
	case 10:
		return IS("http-equiv");
	default:
		return false;
	}
#undef IS
}

static const struct html_ops links_ops = {
	links_start_cb, links_end_cb, NULL, links_keep_cb, links_rawtext_cb
};

/* ------------------------------------------------------------ the page */

struct links *links_new(bool assets)
{
	struct links *l = calloc(1, sizeof(*l));

	if(!l)
		return NULL;
	l->assets = assets;
	l->wide = (iconv_t)-1;
	strcpy(l->declared, "-");
	l->html = html_new(&links_ops, l);
	if(!l->html || (assets && !(l->css = css_new(css_url_cb, l)))) {
		html_free(l->html);
		free(l);
		return NULL;
	}
	return l;
}

struct links *links_new_sheet(void)
{
	struct links *l = links_new(true);

	if(l) {
		l->sheet = true;
		l->decided = true;
	}
	return l;
}

void links_free(struct links *l)
{
	if(!l)
		return;
	html_free(l->html);
	css_free(l->css);
	if(l->wide != (iconv_t)-1)
		iconv_close(l->wide);
	free(l->at);
	free(l->where);
	free(l->values);
	free(l->text);
	free(l->base);
	free(l->sniff);
	free(l);
}

void links_content_type(struct links *l, const char *content_type)
{
	const char *label;
	size_t n;

	if(!content_type || !(label = links_charset_param(content_type, &n)))
		return;
	links_charset_name(label, n, false, l->declared, sizeof(l->declared));
}

void links_feed(struct links *l, const char *data, size_t len)
{
	if(l->finished || len == 0 || l->fed >= LINKS_MAX_BYTES)
		return;
	if(len > LINKS_MAX_BYTES - l->fed)
		len = LINKS_MAX_BYTES - l->fed;
	l->fed += len;
	if(l->sheet) {
		css_feed(l->css, data, len);
		return;
	}
	if(!l->decided) {
		size_t take = LINKS_SNIFF - l->sniff_len < len ?
			      LINKS_SNIFF - l->sniff_len : len;

		if(!l->sniff && !(l->sniff = malloc(LINKS_SNIFF))) {
			gf_oom();
			return;
		}
		memcpy(l->sniff + l->sniff_len, data, take);
		l->sniff_len += take;
		data += take;
		len -= take;
		/* A declared charset needs only the BOM's bytes. */
		if(l->sniff_len < LINKS_SNIFF && (l->declared[0] == '-' || l->sniff_len < 3))
			return;
		links_decide(l);
		links_tokenize(l, l->sniff, l->sniff_len);
		free(l->sniff);
		l->sniff = NULL;
	}
	links_tokenize(l, data, len);
}

void links_finish(struct links *l)
{
	if(l->finished)
		return;
	if(l->sheet) {
		css_finish(l->css);
		l->finished = true;
		return;
	}
	if(!l->decided) {
		links_decide(l);
		links_tokenize(l, l->sniff ? l->sniff : "", l->sniff_len);
	}
	if(l->wide != (iconv_t)-1 && l->npartial) {
		l->npartial = 0;
		html_feed(l->html, "\xef\xbf\xbd", 3);
	}
	html_finish(l->html);
	if(l->in_style)
		style_end(l);
	l->finished = true;
}

size_t links_count(const struct links *l)
{
	return l->n;
}

const char *links_get(const struct links *l, size_t i)
{
	return i < l->n ? l->text + l->at[i] : NULL;
}

const char *links_base(const struct links *l)
{
	return l->base;
}

void links_track(struct links *l)
{
	l->track = true;
}

const struct links_where *links_where(const struct links *l, size_t i)
{
	return l->track && i < l->n ? &l->where[i] : NULL;
}

const char *links_value(const struct links *l, size_t v)
{
	return v < l->nvalues ? l->text + l->values[v] : NULL;
}

const struct links_where *links_base_where(const struct links *l)
{
	return l->base_tracked ? &l->base_where : NULL;
}

const char *links_robots(const struct links *l)
{
	return l->robots[0] ? l->robots : NULL;
}

const char *links_charset(const struct links *l)
{
	return l->charset[0] ? l->charset : "UTF-8";
}
