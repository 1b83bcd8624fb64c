/*
 * sitemap.c - sitemaps through libxml2's SAX2 push parser, gunzipped with
 * zlib on the way in.
 *
 * Elements are told by their local names (any namespace, as sitemaps are
 * written in practice): the root, an entry (url or sitemap) under it, and
 * a loc under that, whose text is kept.
 */
#include "sitemap.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "gf.h"

#define SITEMAP_INFLATE 65536         /* bytes gunzipped at once */

struct sitemap {
	xmlParserCtxtPtr ctxt;        /* the push parser, NULL until bytes come */
	xmlSAXHandler sax;            /* our callbacks */
	int depth;                    /* elements open now */
	int root;                     /* 0 unknown, 1 urlset, 2 index, -1 other */
	bool in_entry, in_loc;        /* inside <url>/<sitemap>, <loc> */
	char *loc;                    /* the text of the open <loc> */
	size_t loc_len;
	bool loc_too_long;            /* it passed SITEMAP_MAX_LOC */
	char **locs;                  /* locations, in order */
	size_t n, cap;
	size_t fed;                   /* bytes decoded so far */
	bool stopped;                 /* a cap was reached */
	bool gzip;                    /* the body is gzip */
	bool sniffed;                 /* its first bytes were seen */
	z_stream z;                   /* gunzip state, when gzip */
	unsigned char *zout;          /* and its output buffer */
	bool finished;                /* sitemap_finish() was called */
};

static bool named(const xmlChar *name, const char *want)
{
	return strcmp((const char *)name, want) == 0;
}

static void sm_start_cb(void *ctx, const xmlChar *name, const xmlChar *prefix,
			const xmlChar *uri, int nns, const xmlChar **ns,
			int nattrs, int ndefaulted, const xmlChar **attrs)
{
	struct sitemap *sm = ctx;

	(void)prefix; (void)uri; (void)nns; (void)ns; (void)nattrs;
	(void)ndefaulted; (void)attrs;
	sm->depth++;
	if(sm->depth == 1) {
		sm->root = named(name, "urlset") ? 1 :
			   named(name, "sitemapindex") ? 2 : -1;
		if(sm->root < 0) {
			sm->stopped = true;
			xmlStopParser(sm->ctxt);
		}
	} else if(sm->depth == 2) {
		sm->in_entry = named(name, sm->root == 2 ? "sitemap" : "url");
	} else if(sm->depth == 3 && sm->in_entry && named(name, "loc")) {
		sm->in_loc = true;
		sm->loc_len = 0;
		sm->loc_too_long = false;
	}
}

static void sm_keep_loc(struct sitemap *sm)
{
	char *s = sm->loc, *e = sm->loc + sm->loc_len;

	while(s < e && strchr(" \t\r\n", *s))
		s++;
	while(e > s && strchr(" \t\r\n", e[-1]))
		e--;
	if(e == s || sm->loc_too_long)
		return;
	if(sm->n == sm->cap) {
		size_t cap = sm->cap ? 2 * sm->cap : 64;
		char **more = realloc(sm->locs, cap * sizeof(*more));

		if(!more) {
			gf_oom();
			return;
		}
		sm->locs = more;
		sm->cap = cap;
	}
	if(!(sm->locs[sm->n] = gf_strndup(s, (size_t)(e - s)))) {
		gf_oom();
		return;
	}
	if(++sm->n == SITEMAP_MAX_URLS) {
		sm->stopped = true;
		xmlStopParser(sm->ctxt);
	}
}

static void sm_end_cb(void *ctx, const xmlChar *name, const xmlChar *prefix,
		      const xmlChar *uri)
{
	struct sitemap *sm = ctx;

	(void)name; (void)prefix; (void)uri;
	if(sm->depth == 3 && sm->in_loc) {
		sm->in_loc = false;
		sm_keep_loc(sm);
	} else if(sm->depth == 2) {
		sm->in_entry = false;
	}
	sm->depth--;
}

static void sm_text_cb(void *ctx, const xmlChar *text, int len)
{
	struct sitemap *sm = ctx;

	if(!sm->in_loc || sm->loc_too_long)
		return;
	if(sm->loc_len + (size_t)len > SITEMAP_MAX_LOC) {
		sm->loc_too_long = true;
		return;
	}
	if(!sm->loc && !(sm->loc = malloc(SITEMAP_MAX_LOC))) {
		gf_oom();
		sm->loc_too_long = true;
		return;
	}
	memcpy(sm->loc + sm->loc_len, text, (size_t)len);
	sm->loc_len += (size_t)len;
}

static void sm_quiet_cb(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

struct sitemap *sitemap_new(void)
{
	struct sitemap *sm = calloc(1, sizeof(*sm));

	if(!sm)
		return NULL;
	sm->sax.initialized = XML_SAX2_MAGIC;
	sm->sax.startElementNs = sm_start_cb;
	sm->sax.endElementNs = sm_end_cb;
	sm->sax.characters = sm_text_cb;
	sm->sax.cdataBlock = sm_text_cb;
	sm->sax.warning = sm_quiet_cb;
	sm->sax.error = sm_quiet_cb;
	return sm;
}

void sitemap_free(struct sitemap *sm)
{
	if(!sm)
		return;
	if(sm->ctxt)
		xmlFreeParserCtxt(sm->ctxt);
	if(sm->gzip)
		inflateEnd(&sm->z);
	for(size_t i = 0; i < sm->n; i++)
		free(sm->locs[i]);
	free(sm->locs);
	free(sm->loc);
	free(sm->zout);
	free(sm);
}

/* Decoded bytes to libxml2, within the size cap. */
static void sm_parse(struct sitemap *sm, const char *data, size_t len, bool last)
{
	if(sm->stopped)
		return;
	if(sm->fed + len > SITEMAP_MAX_SIZE) {
		len = SITEMAP_MAX_SIZE - sm->fed;
		sm->stopped = true;
	}
	sm->fed += len;
	if(!sm->ctxt) {
		sm->ctxt = xmlCreatePushParserCtxt(&sm->sax, sm, NULL, 0, NULL);
		if(!sm->ctxt) {
			gf_oom();
			sm->stopped = true;
			return;
		}
		xmlCtxtUseOptions(sm->ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
				  XML_PARSE_NOWARNING);
	}
	while(len > 0 || last) {
		int chunk = len > (1 << 30) ? 1 << 30 : (int)len;

		xmlParseChunk(sm->ctxt, data, chunk, last && (size_t)chunk == len);
		data += chunk;
		len -= (size_t)chunk;
		if(last && len == 0)
			break;
	}
}

/* Gzip bytes through zlib to the parser. */
static void sm_inflate(struct sitemap *sm, const char *data, size_t len)
{
	sm->z.next_in = (unsigned char *)(uintptr_t)data;
	sm->z.avail_in = (unsigned)len;
	while(!sm->stopped && sm->z.avail_in > 0) {
		int rc;

		sm->z.next_out = sm->zout;
		sm->z.avail_out = SITEMAP_INFLATE;
		rc = inflate(&sm->z, Z_NO_FLUSH);
		sm_parse(sm, (const char *)sm->zout, SITEMAP_INFLATE - sm->z.avail_out,
			 false);
		if(rc == Z_STREAM_END)
			break;
		if(rc != Z_OK) {
			sm->stopped = true;   /* not gzip after all: what came counts */
			break;
		}
	}
}

bool sitemap_feed(struct sitemap *sm, const char *data, size_t len)
{
	if(sm->stopped || sm->finished || len == 0)
		return !sm->stopped;
	if(!sm->sniffed) {
		sm->sniffed = true;
		/* Two bytes decide: a body of one byte is no gzip anyway. */
		sm->gzip = len >= 2 && (unsigned char)data[0] == 0x1f &&
			   (unsigned char)data[1] == 0x8b;
		if(sm->gzip && (inflateInit2(&sm->z, 16 + MAX_WBITS) != Z_OK ||
				!(sm->zout = malloc(SITEMAP_INFLATE)))) {
			gf_oom();
			sm->stopped = true;
			return false;
		}
	}
	if(sm->gzip)
		sm_inflate(sm, data, len);
	else
		sm_parse(sm, data, len, false);
	return !sm->stopped;
}

void sitemap_finish(struct sitemap *sm)
{
	if(sm->finished)
		return;
	sm->finished = true;
	if(sm->ctxt && !sm->stopped)
		sm_parse(sm, NULL, 0, true);
}

bool sitemap_valid(const struct sitemap *sm)
{
	return sm->root > 0;
}

bool sitemap_is_index(const struct sitemap *sm)
{
	return sm->root == 2;
}

size_t sitemap_count(const struct sitemap *sm)
{
	return sm->n;
}

const char *sitemap_loc(const struct sitemap *sm, size_t i)
{
	return i < sm->n ? sm->locs[i] : NULL;
}

bool sitemap_truncated(const struct sitemap *sm)
{
	return sm->stopped && sm->root > 0;
}
