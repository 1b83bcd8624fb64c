/*
 * links.c - the elements and attributes that are links, on the tokens of
 * html.c, and the page's encoding.
 *
 * The first bytes of a page (up to LINKS_SNIFF) wait until the encoding
 * is known: a byte order mark or the Content-Type says at once; else those
 * bytes are read for a <meta> charset (by a tokenizer of their own, as
 * browsers prescan them), else judged by whether they are UTF-8. Then they
 * go to the tokenizer, and the rest of the page straight after them.
 */
#define _GNU_SOURCE                   /* strcasestr */
#include "links.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"
#include "html.h"
#include "utf8.h"

#define LINKS_SNIFF 1024              /* bytes read for the encoding */
#define LINKS_WIDE 16384              /* UTF-16 converted at once */

struct links {
	struct html *html;            /* the tokenizer */
	bool assets;                  /* also img, script, stylesheets */
	bool finished;                /* links_finish() was called */
	char **url;                   /* links as written */
	size_t n, cap;
	char *base;                   /* <base href>, first one */
	char declared[40];            /* the Content-Type's charset, "" = none */
	char charset[40];             /* the one used */
	bool decided;                 /* charset is known */
	char *sniff;                  /* the first bytes, until then */
	size_t sniff_len;
	iconv_t wide;                 /* UTF-16 into UTF-8, or (iconv_t)-1 */
	char partial[4];              /* UTF-16 bytes cut by a piece's end */
	size_t npartial;
	size_t fed;                   /* bytes of the page read so far */
};

/* ------------------------------------------------------------ links */

static bool is_url_space(unsigned char c)
{
	return c <= 0x20;             /* C0 controls and space (URL standard) */
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
	if(l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		char **more = realloc(l->url, cap * sizeof(*more));

		if(!more) {
			gf_oom();
			return;
		}
		l->url = more;
		l->cap = cap;
	}
	if(!(copy = malloc(len + 1))) {
		gf_oom();
		return;
	}
	for(size_t i = 0; i < len; i++)
		if(url[i] != '\t' && url[i] != '\n' && url[i] != '\r')
			copy[k++] = url[i];
	copy[k] = '\0';
	l->url[l->n++] = copy;
}

static const struct html_attr *attr(const struct html_attr *a, size_t n,
				    const char *name)
{
	for(size_t i = 0; i < n; i++)
		if(!strcmp(a[i].name, name))
			return a[i].truncated ? NULL : &a[i];
	return NULL;
}

static void add_attr(struct links *l, const struct html_attr *a, size_t n,
		     const char *name)
{
	const struct html_attr *v = attr(a, n, name);

	if(v)
		links_add(l, v->value, v->value_len);
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
static void add_srcset(struct links *l, const char *v)
{
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
static void add_refresh(struct links *l, const char *content)
{
	const char *p = content + strspn(content, " \t\n\r\f0123456789.");

	if(*p != ';' && *p != ',')
		return;
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

static void links_start_cb(void *ctx, const char *name, size_t len,
			   const struct html_attr *a, size_t n, bool self_closing)
{
	static const char *const page_rels[] = {
		"next", "prev", "previous", "alternate", "canonical", NULL
	};
	static const char *const asset_rels[] = {
		"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload",
		"manifest", "search", NULL
	};
	struct links *l = ctx;
	const struct html_attr *v;

	(void)len;
	(void)self_closing;
	if(!strcmp(name, "a") || !strcmp(name, "area")) {
		add_attr(l, a, n, "href");
	} else if(!strcmp(name, "frame") || !strcmp(name, "iframe")) {
		add_attr(l, a, n, "src");
	} else if(!strcmp(name, "link")) {
		const struct html_attr *rel = attr(a, n, "rel");

		if(rel && (rel_has(rel->value, page_rels) ||
			   (l->assets && rel_has(rel->value, asset_rels))))
			add_attr(l, a, n, "href");
	} else if(!strcmp(name, "base")) {
		if(!l->base && (v = attr(a, n, "href")) && !(l->base = strdup(v->value)))
			gf_oom();
	} else if(!strcmp(name, "meta")) {
		const struct html_attr *eq = attr(a, n, "http-equiv");

		if(eq && !strcasecmp(eq->value, "refresh") && (v = attr(a, n, "content")))
			add_refresh(l, v->value);
	} else if(!l->assets) {
		return;
	} else if(!strcmp(name, "img") || !strcmp(name, "source")) {
		add_attr(l, a, n, "src");
		if((v = attr(a, n, "srcset")))
			add_srcset(l, v->value);
	} else if(!strcmp(name, "video") || !strcmp(name, "audio")) {
		add_attr(l, a, n, "src");
		add_attr(l, a, n, "poster");
	} else if(!strcmp(name, "script") || !strcmp(name, "track") ||
		  !strcmp(name, "embed")) {
		add_attr(l, a, n, "src");
	} else if(!strcmp(name, "object")) {
		add_attr(l, a, n, "data");
	} else if(!strcmp(name, "input")) {
		if((v = attr(a, n, "type")) && !strcasecmp(v->value, "image"))
			add_attr(l, a, n, "src");
	}
}

static const struct html_ops links_ops = { links_start_cb, NULL, NULL };

/* ------------------------------------------------------------ encodings */

/* The name iconv knows for an encoding label, as the Encoding standard
 * reads labels ("latin1" is windows-1252, "gb2312" is GBK); "" for UTF-8.
 * from_meta: a <meta> that says UTF-16 in an ASCII page means UTF-8. */
static void charset_name(const char *label, size_t n, bool from_meta,
			 char *out, size_t size)
{
	static const char *const utf8[] = {
		"utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8",
		"unicode20utf8", "x-unicode20utf8"
	};
	static const char *const w1252[] = {
		"windows-1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
		"l1", "us-ascii", "ascii", "ansi_x3.4-1968", "cp1252", "cp819",
		"ibm819", "x-cp1252", "iso-ir-100", "csisolatin1"
	};
	static const char *const gbk[] = {
		"gbk", "gb2312", "x-gbk", "gb_2312-80", "chinese", "csgb2312"
	};
	char name[40];

	while(n > 0 && strchr(" \t\n\r\f\"'", *label)) {
		label++;
		n--;
	}
	while(n > 0 && strchr(" \t\n\r\f\"';", label[n - 1]))
		n--;
	out[0] = '\0';
	if(n == 0 || n >= sizeof(name))
		return;
	for(size_t i = 0; i < n; i++)
		name[i] = (char)(label[i] >= 'A' && label[i] <= 'Z' ? label[i] + 32 : label[i]);
	name[n] = '\0';
	for(size_t i = 0; i < ARRAY_SIZE(utf8); i++)
		if(!strcmp(name, utf8[i]))
			return;
	if(!strncmp(name, "utf-16", 6) && from_meta)
		return;
	for(size_t i = 0; i < ARRAY_SIZE(w1252); i++)
		if(!strcmp(name, w1252[i])) {
			snprintf(out, size, "WINDOWS-1252");
			return;
		}
	for(size_t i = 0; i < ARRAY_SIZE(gbk); i++)
		if(!strcmp(name, gbk[i])) {
			snprintf(out, size, "GBK");
			return;
		}
	if(!strcmp(name, "utf-16"))
		snprintf(out, size, "UTF-16LE");
	else
		snprintf(out, size, "%s", name);
}

/* "charset=X" in a Content-Type value (a parameter, or the text of a
 * meta content attribute): X, or NULL; its length in *n. */
static const char *charset_param(const char *s, size_t *n)
{
	for(const char *p = s; (p = strcasestr(p, "charset")); p += 7) {
		const char *v = p + 7;

		v += strspn(v, " \t");
		if(*v != '=')
			continue;
		v++;
		v += strspn(v, " \t");
		if(*v == '"' || *v == '\'') {
			const char *end = strchr(v + 1, *v);

			if(!end)
				return NULL;
			*n = (size_t)(end - v - 1);
			return v + 1;
		}
		*n = strcspn(v, " \t;,");
		return *n ? v : NULL;
	}
	return NULL;
}

/* The prescan's tokens: a <meta> that names a charset. */
static void sniff_start_cb(void *ctx, const char *name, size_t len,
			   const struct html_attr *a, size_t n, bool self_closing)
{
	struct links *l = ctx;
	const struct html_attr *v, *eq;
	const char *label = NULL;
	size_t llen = 0;

	(void)len;
	(void)self_closing;
	if(l->decided || strcmp(name, "meta"))
		return;
	if((v = attr(a, n, "charset"))) {
		label = v->value;
		llen = v->value_len;
	} else if((eq = attr(a, n, "http-equiv")) && !strcasecmp(eq->value, "content-type") &&
		  (v = attr(a, n, "content"))) {
		label = charset_param(v->value, &llen);
	}
	if(!label)
		return;
	charset_name(label, llen, true, l->charset, sizeof(l->charset));
	l->decided = true;
}

static void links_prescan(struct links *l)
{
	static const struct html_ops ops = { sniff_start_cb, NULL, NULL };
	struct html *t = html_new(&ops, l);

	if(!t)
		return;
	html_feed(t, l->sniff, l->sniff_len);
	html_free(t);
}

/* Are the first bytes UTF-8 (a sequence cut by their end allowed)? */
static bool sniff_is_utf8(const struct links *l)
{
	const unsigned char *p = (const unsigned char *)l->sniff;
	size_t n = l->sniff_len;
	unsigned cp;

	while(n > 0) {
		size_t k = utf8_decode(p, n, &cp);

		if(k == 0)
			return n < 4 && l->sniff_len == LINKS_SNIFF && p[0] >= 0xc2;
		p += k;
		n -= k;
	}
	return true;
}

/* The encoding, from what is known now: BOM, Content-Type, <meta>, the
 * bytes themselves. */
static void links_decide(struct links *l)
{
	const unsigned char *p = (const unsigned char *)l->sniff;

	if(l->sniff_len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		l->charset[0] = '\0';
	} else if(l->sniff_len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
					(p[0] == 0xfe && p[1] == 0xff))) {
		snprintf(l->charset, sizeof(l->charset), p[0] == 0xff ?
			 "UTF-16LE" : "UTF-16BE");
		memmove(l->sniff, l->sniff + 2, l->sniff_len - 2);
		l->sniff_len -= 2;
	} else if(l->declared[0] != '-') {
		memcpy(l->charset, l->declared, sizeof(l->charset));
	} else {
		links_prescan(l);
		if(!l->decided && !sniff_is_utf8(l))
			snprintf(l->charset, sizeof(l->charset), "WINDOWS-1252");
	}
	l->decided = true;
	if(!strncmp(l->charset, "UTF-16", 6)) {
		l->wide = iconv_open("UTF-8", l->charset);
		if(l->wide == (iconv_t)-1)
			l->charset[0] = '\0';
	} else if(l->charset[0] && !html_set_charset(l->html, l->charset)) {
		l->charset[0] = '\0';     /* iconv knows it not: bytes as UTF-8 */
	}
}

/* UTF-16 bytes to the tokenizer as UTF-8. */
static void links_wide(struct links *l, const char *data, size_t len)
{
	char in[LINKS_WIDE + 4], out[4 * LINKS_WIDE + 16];

	while(len > 0 || l->npartial) {
		size_t take = len < LINKS_WIDE ? len : LINKS_WIDE;
		size_t inleft = l->npartial + take, outleft = sizeof(out);
		char *ip = in, *op = out;

		memcpy(in, l->partial, l->npartial);
		memcpy(in + l->npartial, data, take);
		l->npartial = 0;
		data += take;
		len -= take;
		while(inleft > 0 && iconv(l->wide, &ip, &inleft, &op, &outleft) == (size_t)-1) {
			if(errno == EINVAL && inleft < sizeof(l->partial)) {
				/* Cut by the piece's end: kept for the next. */
				memcpy(l->partial, ip, inleft);
				l->npartial = inleft;
				break;
			}
			if(outleft < 3)
				break;
			memcpy(op, "\xef\xbf\xbd", 3);   /* U+FFFD, and on */
			op += 3;
			outleft -= 3;
			ip += inleft >= 2 ? 2 : 1;
			inleft -= inleft >= 2 ? 2 : 1;
		}
		html_feed(l->html, out, (size_t)(op - out));
		if(take == 0)
			break;
	}
}

static void links_tokenize(struct links *l, const char *data, size_t len)
{
	if(l->wide != (iconv_t)-1)
		links_wide(l, data, len);
	else
		html_feed(l->html, data, len);
}

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
	if(!l->html) {
		free(l);
		return NULL;
	}
	return l;
}

void links_free(struct links *l)
{
	if(!l)
		return;
	html_free(l->html);
	if(l->wide != (iconv_t)-1)
		iconv_close(l->wide);
	for(size_t i = 0; i < l->n; i++)
		free(l->url[i]);
	free(l->url);
	free(l->base);
	free(l->sniff);
	free(l);
}

void links_content_type(struct links *l, const char *content_type)
{
	const char *label;
	size_t n;

	if(!content_type || !(label = charset_param(content_type, &n)))
		return;
	charset_name(label, n, false, l->declared, sizeof(l->declared));
}

void links_feed(struct links *l, const char *data, size_t len)
{
	if(l->finished || len == 0 || l->fed >= LINKS_MAX_BYTES)
		return;
	if(len > LINKS_MAX_BYTES - l->fed)
		len = LINKS_MAX_BYTES - l->fed;
	l->fed += len;
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
	if(!l->decided) {
		links_decide(l);
		links_tokenize(l, l->sniff ? l->sniff : "", l->sniff_len);
	}
	if(l->wide != (iconv_t)-1 && l->npartial) {
		l->npartial = 0;
		html_feed(l->html, "\xef\xbf\xbd", 3);
	}
	html_finish(l->html);
	l->finished = true;
}

size_t links_count(const struct links *l)
{
	return l->n;
}

const char *links_get(const struct links *l, size_t i)
{
	return i < l->n ? l->url[i] : NULL;
}

const char *links_base(const struct links *l)
{
	return l->base;
}

const char *links_charset(const struct links *l)
{
	return l->charset[0] ? l->charset : "UTF-8";
}
