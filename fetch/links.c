/*
 * links.c - the SAX side of libxml2's HTML push parser.
 *
 * libxml2 lower-cases element and attribute names in HTML, so the
 * comparisons below are plain strcmp. Parse errors are expected (pages
 * are not valid HTML) and silenced.
 */
#include "links.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"
#include "utf8.h"

struct links {
	htmlParserCtxtPtr ctxt;       /* the push parser, NULL until the first bytes */
	htmlSAXHandler sax;           /* our callbacks */
	bool assets;                  /* also img, script, stylesheets */
	bool finished;                /* links_finish() was called */
	char **url;                   /* links as written */
	size_t n, cap;
	char *base;                   /* <base href>, first one */
	char *block;                  /* the block being filled for libxml2 */
	size_t block_len;
	unsigned char partial[4];     /* a UTF-8 sequence cut by a chunk end */
	size_t npartial;
};

/* libxml2 gets the page in blocks of this size, whatever sizes it came
 * in: see links_put(). */
#define LINKS_BLOCK 4096

static void links_add(struct links *l, const char *url, size_t len)
{
	char **more;

	while(len > 0 && (*url == ' ' || *url == '\t' || *url == '\n' || *url == '\r')) {
		url++;
		len--;
	}
	while(len > 0 && (url[len - 1] == ' ' || url[len - 1] == '\t' ||
			  url[len - 1] == '\n' || url[len - 1] == '\r'))
		len--;
	if(len == 0 || l->n >= LINKS_MAX)
		return;
	if(l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;

		more = realloc(l->url, cap * sizeof(*more));
		if(!more) {
			gf_oom();
			return;
		}
		l->url = more;
		l->cap = cap;
	}
	l->url[l->n] = malloc(len + 1);
	if(!l->url[l->n]) {
		gf_oom();
		return;
	}
	memcpy(l->url[l->n], url, len);
	l->url[l->n][len] = '\0';
	l->n++;
}

static const char *attr(const xmlChar **atts, const char *name)
{
	for(size_t i = 0; atts && atts[i]; i += 2)
		if(strcmp((const char *)atts[i], name) == 0)
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
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
		if(n > 0 && v[n - 1] == ',')
			n--;
		links_add(l, v, n);
		v += n;
		v += strcspn(v, ",");
	}
}

/* content="5; url=/next": the URL. */
static void add_refresh(struct links *l, const char *content)
{
	const char *p = strchr(content, ';');

	if(!p)
		p = strchr(content, ',');
	if(!p)
		return;
	p++;
	p += strspn(p, " \t");
	if(strncasecmp(p, "url", 3) != 0)
		return;
	p += 3;
	p += strspn(p, " \t");
	if(*p != '=')
		return;
	p++;
	p += strspn(p, " \t");
	if(*p == '\'' || *p == '"') {
		const char *end = strchr(p + 1, *p);

		links_add(l, p + 1, end ? (size_t)(end - p - 1) : strlen(p + 1));
		return;
	}
	links_add(l, p, strlen(p));
}

static void links_start_cb(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	static const char *const page_rels[] = {
		"next", "prev", "previous", "alternate", "canonical", NULL
	};
	static const char *const asset_rels[] = { "stylesheet", "icon", NULL };
	struct links *l = ctx;
	const char *name = (const char *)xname, *v;

	if(!strcmp(name, "a") || !strcmp(name, "area")) {
		if((v = attr(atts, "href")))
			links_add(l, v, strlen(v));
	} else if(!strcmp(name, "frame") || !strcmp(name, "iframe")) {
		if((v = attr(atts, "src")))
			links_add(l, v, strlen(v));
	} else if(!strcmp(name, "link")) {
		const char *rel = attr(atts, "rel");

		if(rel && (v = attr(atts, "href")) && (rel_has(rel, page_rels) ||
		   (l->assets && rel_has(rel, asset_rels))))
			links_add(l, v, strlen(v));
	} else if(!strcmp(name, "base")) {
		if(!l->base && (v = attr(atts, "href")) && !(l->base = strdup(v)))
			gf_oom();
	} else if(!strcmp(name, "meta")) {
		const char *eq = attr(atts, "http-equiv");

		if(eq && !strcasecmp(eq, "refresh") && (v = attr(atts, "content")))
			add_refresh(l, v);
	} else if(l->assets && (!strcmp(name, "img") || !strcmp(name, "script") ||
				!strcmp(name, "source"))) {
		if((v = attr(atts, "src")))
			links_add(l, v, strlen(v));
		if((v = attr(atts, "srcset")))
			add_srcset(l, v);
	}
}

static void links_quiet_cb(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

struct links *links_new(bool assets)
{
	struct links *l = calloc(1, sizeof(*l));

	if(!l)
		return NULL;
	l->assets = assets;
	l->sax.startElement = links_start_cb;
	l->sax.warning = links_quiet_cb;
	l->sax.error = links_quiet_cb;
	return l;
}

void links_free(struct links *l)
{
	if(!l)
		return;
	if(l->ctxt) {
		/* The context owns a copy of our SAX handler. */
		htmlFreeParserCtxt(l->ctxt);
	}
	for(size_t i = 0; i < l->n; i++)
		free(l->url[i]);
	free(l->url);
	free(l->base);
	free(l->block);
	free(l);
}

static void links_push(struct links *l, char *data, size_t len, bool last);

/* libxml2 2.9's push parser stops reading at the end tag of the html
 * element: what follows "</html>", links included, is lost (its pull
 * parser, and browsers, go on). So the tag is renamed "</htmx>" before
 * libxml2 sees it, an unknown end tag that it skips. A tag that the end
 * of data cuts counts if this is the last of the page. */
static void links_keep_reading(char *data, size_t len, bool last)
{
	static const char delim[] = " \t\n\r\f/>";
	char *s = data, *end = data + len;

	while((s = memchr(s, '<', (size_t)(end - s))) && end - s >= 6) {
		if(s[1] == '/' && !strncasecmp(s + 2, "html", 4) &&
		   (end - s == 6 ? last : memchr(delim, s[6], sizeof(delim) - 1) != NULL))
			s[5] = 'x';
		s++;
	}
}

/* How many bytes at the end of a full block may begin "</html": they wait
 * for the next block, so that links_keep_reading() sees the tag whole. */
static size_t links_hold(const char *block, size_t len)
{
	for(size_t k = len < 6 ? len : 6; k > 0; k--)
		if(!strncasecmp(block + len - k, "</html", k))
			return k;
	return 0;
}

/* libxml2 2.9's push parser does not read a page the same way whatever
 * its chunks: a tag cut by a chunk end can be read otherwise than whole
 * (its look-ahead for a tag's end and its parse of the tag disagree on
 * stray quotes, for one). So it gets the page in blocks of LINKS_BLOCK
 * bytes (less what links_hold() keeps back), the last one at
 * links_finish(): the cuts are then where the bytes put them, whatever
 * the network did, and so are the links. */
static void links_put(struct links *l, const unsigned char *data, size_t len)
{
	while(len > 0) {
		size_t n = LINKS_BLOCK - l->block_len < len ?
			   LINKS_BLOCK - l->block_len : len;

		memcpy(l->block + l->block_len, data, n);
		l->block_len += n;
		data += n;
		len -= n;
		if(l->block_len == LINKS_BLOCK) {
			size_t hold = links_hold(l->block, LINKS_BLOCK);

			links_push(l, l->block, LINKS_BLOCK - hold, false);
			memmove(l->block, l->block + LINKS_BLOCK - hold, hold);
			l->block_len = hold;
		}
	}
}

/* Bytes that are not UTF-8 become '?' before libxml2 sees them: on the
 * first bad byte it switches the page to Latin-1, at a place that depends
 * on where the chunks end. So do NUL bytes, where its push parser may see
 * the end of its input. A sequence cut at the end of in is kept for the
 * next call, unless this is the last. */
static void links_clean(struct links *l, const unsigned char *in, size_t n,
			bool last)
{
	size_t run = 0;                /* start of the good bytes not yet put */

	for(size_t i = 0; i < n; ) {
		unsigned cp;
		size_t k;

		i += utf8_ascii_run(in + i, n - i);
		if(i == n)
			break;
		k = in[i] < 0x80 ? 1 : utf8_decode(in + i, n - i, &cp);

		if(k == 0 && !last && n - i < 4 && in[i] >= 0xc2 && in[i] <= 0xf4) {
			/* Perhaps only cut: keep it for the next chunk. */
			memcpy(l->partial, in + i, n - i);
			l->npartial = n - i;
			n = i;
			break;
		}
		if(k == 0 || in[i] == '\0') {
			links_put(l, in + run, i - run);
			links_put(l, (const unsigned char *)"?", 1);
			run = ++i;
			continue;
		}
		i += k;
	}
	links_put(l, in + run, n - run);
}

/* The bytes of a sequence cut by the last chunk's end come first. */
static void links_feed_bytes(struct links *l, const char *data, size_t len,
			     bool last)
{
	unsigned char *in;
	size_t n = l->npartial + len;

	if(!l->block && !(l->block = malloc(LINKS_BLOCK))) {
		gf_oom();
		return;
	}
	if(l->npartial == 0) {
		links_clean(l, (const unsigned char *)data, len, last);
		return;
	}
	in = malloc(n);
	if(!in) {
		gf_oom();
		return;
	}
	memcpy(in, l->partial, l->npartial);
	memcpy(in + l->npartial, data, len);
	l->npartial = 0;
	links_clean(l, in, n, last);
	free(in);
}

void links_feed(struct links *l, const char *raw, size_t rawlen)
{
	if(l->finished || rawlen == 0)
		return;
	links_feed_bytes(l, raw, rawlen, false);
}

/* Give libxml2 the next bytes of the page; last: they end it. The last
 * bytes come with the end in one call: told that nothing follows, the push
 * parser reads them straight through instead of looking ahead for the end
 * of each tag (a third less time on a page of 40 KiB). */
static void links_push(struct links *l, char *data, size_t len, bool last)
{
	links_keep_reading(data, len, last);
	if(!l->ctxt) {
		/* The first bytes let libxml2 guess the encoding. */
		size_t first = len < 4 ? len : 4;

		if(len == 0)
			return;
		l->ctxt = htmlCreatePushParserCtxt(&l->sax, l, data, (int)first,
						   NULL, XML_CHAR_ENCODING_NONE);
		if(!l->ctxt) {
			gf_oom();
			return;
		}
		htmlCtxtUseOptions(l->ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
				   HTML_PARSE_NONET | HTML_PARSE_NOBLANKS);
		data += first;
		len -= first;
	}
	if(len == 0 && !last)
		return;
	do {
		int chunk = len > (1 << 30) ? 1 << 30 : (int)len;
		bool end = last && (size_t)chunk == len;

		htmlParseChunk(l->ctxt, chunk > 0 ? data : NULL, chunk, end);
		data += chunk;
		len -= (size_t)chunk;
	} while(len > 0);
}

void links_finish(struct links *l)
{
	if(l->finished)
		return;
	if(l->npartial > 0)
		links_feed_bytes(l, "", 0, true);
	links_push(l, l->block, l->block_len, true);
	l->block_len = 0;
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
