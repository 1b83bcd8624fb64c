/*
 * sitemap.c - sitemaps through libxml2, gunzipped with zlib first.
 */
#include "sitemap.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* body gunzipped into a new buffer (at most SITEMAP_MAX_SIZE). */
static char *gunzip(const char *body, size_t len, size_t *outlen)
{
	z_stream z;
	size_t cap = 1 << 16;
	char *out = malloc(cap);
	int rc = Z_OK;

	memset(&z, 0, sizeof(z));
	if(!out || inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		return NULL;
	}
	z.next_in = (unsigned char *)(uintptr_t)body;
	z.avail_in = (unsigned)len;
	while(rc == Z_OK) {
		if(z.total_out == cap) {
			char *more = cap < SITEMAP_MAX_SIZE ? realloc(out, cap * 2) : NULL;

			if(!more)
				break;
			out = more;
			cap *= 2;
		}
		z.next_out = (unsigned char *)out + z.total_out;
		z.avail_out = (unsigned)(cap - z.total_out);
		rc = inflate(&z, Z_NO_FLUSH);
	}
	*outlen = z.total_out;
	inflateEnd(&z);
	if(rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

static void add_loc(struct sitemap *sm, xmlNode *loc)
{
	xmlChar *text = xmlNodeGetContent(loc);
	char **more;
	char *s, *e;

	if(!text)
		return;
	s = (char *)text;
	s += strspn(s, " \t\r\n");
	e = s + strlen(s);
	while(e > s && strchr(" \t\r\n", e[-1]))
		e--;
	more = e > s ? realloc(sm->loc, (sm->n + 1) * sizeof(*more)) : NULL;
	if(more) {
		sm->loc = more;
		sm->loc[sm->n] = strndup(s, (size_t)(e - s));
		if(sm->loc[sm->n])
			sm->n++;
	}
	xmlFree(text);
}

static bool named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

bool sitemap_parse(struct sitemap *sm, const char *body, size_t len)
{
	char *plain = NULL;
	xmlDoc *doc;
	xmlNode *root;

	memset(sm, 0, sizeof(*sm));
	if(len >= 2 && (unsigned char)body[0] == 0x1f && (unsigned char)body[1] == 0x8b) {
		plain = gunzip(body, len, &len);
		if(!plain)
			return false;
		body = plain;
	}
	doc = xmlReadMemory(body, (int)(len > SITEMAP_MAX_SIZE ? SITEMAP_MAX_SIZE : len),
			    NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
			    XML_PARSE_NOWARNING);
	free(plain);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if(!root || (!named(root, "urlset") && !named(root, "sitemapindex"))) {
		xmlFreeDoc(doc);
		return false;
	}
	sm->index = named(root, "sitemapindex");
	for(xmlNode *entry = root->children; entry; entry = entry->next) {
		if(!named(entry, sm->index ? "sitemap" : "url"))
			continue;
		for(xmlNode *c = entry->children; c; c = c->next)
			if(named(c, "loc"))
				add_loc(sm, c);
	}
	xmlFreeDoc(doc);
	return true;
}

void sitemap_release(struct sitemap *sm)
{
	for(size_t i = 0; i < sm->n; i++)
		free(sm->loc[i]);
	free(sm->loc);
	memset(sm, 0, sizeof(*sm));
}
