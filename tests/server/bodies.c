/*
 * bodies.c - what the test server's endpoints answer with: generated
 * pages (links, link farms, sitemaps), scripted hostile bytes, a gzip
 * bomb, flaky answers, files under -d DIR.
 */
#include "server.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

void respond_links(struct conn *c, long n, long i, bool head_only)
{
	size_t cap = 256 + (size_t)n * 64, len = 0;
	char *page = malloc(cap);

	if(!page) {
		conn_free(c);
		return;
	}
	len += (size_t)snprintf(page + len, cap - len,
				"<html><head><title>Links %ld</title></head><body>",
				i);
	for(long k = 0; k < n; k++) {
		if(k == i)
			len += (size_t)snprintf(page + len, cap - len, "%ld ", k);
		else
			len += (size_t)snprintf(page + len, cap - len,
						"<a href='/links/%ld/%ld'>%ld</a> ",
						n, k, k);
	}
	len += (size_t)snprintf(page + len, cap - len, "</body></html>\n");
	respond(c, 200, "text/html; charset=utf-8", NULL, page, len, 0, head_only);
	free(page);
}

/* /sitemaps/DEPTH/ID/N: a sitemap index of N sitemaps one level down, or
 * at depth 0 a sitemap of N pages /page/sm-ID-K. */
void respond_sitemaps(struct conn *c, long depth, long id, long n,
			     bool head_only)
{
	size_t cap = 256 + (size_t)n * 96, len = 0;
	char *xml = malloc(cap);

	if(!xml) {
		conn_free(c);
		return;
	}
	len += (size_t)snprintf(xml + len, cap - len, "<?xml version=\"1.0\"?>\n<%s "
				"xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
				depth ? "sitemapindex" : "urlset");
	for(long k = 0; k < n; k++) {
		if(depth)
			len += (size_t)snprintf(xml + len, cap - len, "<sitemap><loc>"
						"/sitemaps/%ld/%ld/%ld</loc></sitemap>\n",
						depth - 1, id * n + k, n);
		else
			len += (size_t)snprintf(xml + len, cap - len, "<url><loc>"
						"/page/sm-%ld-%ld</loc></url>\n", id, k);
	}
	len += (size_t)snprintf(xml + len, cap - len, "</%s>\n",
				depth ? "sitemapindex" : "urlset");
	respond(c, 200, "application/xml", NULL, xml, len, 0, head_only);
	free(xml);
}

/* /farm/N/ID: a link farm, without end: N links to /farm/N/(ID*N+K)
 * (with ?delay=D when delay). */
void respond_farm(struct conn *c, long n, unsigned long long id, double delay,
		  bool head_only)
{
	size_t cap = 128 + (size_t)n * 96, len = 0;
	char query[40] = "";
	char *page = malloc(cap);

	if(!page) {
		conn_free(c);
		return;
	}
	if(delay > 0)
		snprintf(query, sizeof(query), "?delay=%g", delay);
	len += (size_t)snprintf(page + len, cap - len, "<html><body>");
	for(long k = 0; k < n; k++)
		len += (size_t)snprintf(page + len, cap - len,
					"<a href='/farm/%ld/%llu%s'>%ld</a>\n", n,
					id * (unsigned long long)n + (unsigned long long)k,
					query, k);
	len += (size_t)snprintf(page + len, cap - len, "</body></html>\n");
	respond(c, 200, "text/html", NULL, page, len, 0, head_only);
	free(page);
}

/* /raw/NAME: scripted bytes for the hostile-server tests, and what to do
 * after them. */
static const struct raw {
	const char *name;
	const char *bytes;
	int after;
} raws[] = {
	{ "silent", "", RAW_STALL },
	{ "stall-body", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789",
	  RAW_STALL },
	{ "reset", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789",
	  RAW_RESET },
	{ "short", "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789",
	  RAW_CLOSE },
	{ "chunk-noend", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "5\r\nhello\r\n", RAW_CLOSE },
	{ "chunk-negative", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "-1\r\nhello\r\n0\r\n\r\n", RAW_CLOSE },
	{ "chunk-huge", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "10000000000000000\r\nhello\r\n0\r\n\r\n", RAW_CLOSE },
	{ "chunk-nonhex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
	  "zz\r\nhello\r\n0\r\n\r\n", RAW_CLOSE },
	{ "chunked", "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	  "Transfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n"
	  "0\r\nX-Trailer: t\r\n\r\n", RAW_KEEP },
	{ "cl-and-te", "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"
	  "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", RAW_KEEP },
	{ "two-cl", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n"
	  "\r\nhello", RAW_KEEP },
	{ "long-body", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloEXTRA", RAW_KEEP },
	{ "interim", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
	  "Link: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
	  RAW_KEEP },
	{ "garbage-status", "HTXP/9.9 twohundred OK\r\n\r\nbody", RAW_CLOSE },
	{ "not-http", "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", RAW_CLOSE },
	{ "evil-header", "HTTP/1.1 200 OK\r\nContent-Type: text/\x1b[2Jhtml\r\n"
	  "X-Evil: \x1b]0;pwned\x07\r\nContent-Length: 2\r\n\r\nok", RAW_KEEP },
	{ "endless", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
	  RAW_KEEP },
};

static void raw_send(struct conn *c, const struct raw *r, bool bytewise)
{
	c->out = strdup(r->bytes);
	if(!c->out) {
		conn_free(c);
		return;
	}
	c->outlen = strlen(r->bytes);
	c->outoff = 0;
	c->after = r->after;
	c->one_byte = bytewise;
	c->endless = strcmp(r->name, "endless") == 0;
	if(r->after != RAW_KEEP)
		c->keepalive = false;
	ev_io_start(c->srv->loop, &c->wio);
}

bool respond_raw(struct conn *c, const char *name, bool bytewise)
{
	for(size_t i = 0; i < sizeof(raws) / sizeof(raws[0]); i++) {
		if(strcmp(name, raws[i].name) == 0) {
			raw_send(c, &raws[i], bytewise);
			return true;
		}
	}
	return false;
}

/* /gzip-bomb/N: N MiB of zeros, gzip-encoded (about 1000:1). */
void respond_gzip_bomb(struct conn *c, long mib, bool head_only)
{
	z_stream z;
	static char zeros[1 << 20];
	size_t cap = (size_t)mib * 1100 + 1024;
	char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	if(!out || deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(out);
		conn_free(c);
		return;
	}
	z.next_out = (unsigned char *)out;
	z.avail_out = (unsigned)cap;
	for(long i = 0; i < mib; i++) {
		z.next_in = (unsigned char *)zeros;
		z.avail_in = sizeof(zeros);
		deflate(&z, Z_NO_FLUSH);
	}
	deflate(&z, Z_FINISH);
	respond(c, 200, "application/octet-stream", "Content-Encoding: gzip\r\n",
		out, cap - z.avail_out, 0, head_only);
	deflateEnd(&z);
	free(out);
}

/* /flaky/KEY/N[?mode=close]: the first N requests for KEY fail (503, or
 * the connection closes without an answer), then 200. */
void respond_flaky(struct conn *c, const char *key, long n,
			  const char *query, bool head_only)
{
	struct flaky *f = c->srv->flaky;

	while(f && strcmp(f->key, key) != 0)
		f = f->next;
	if(!f && (f = calloc(1, sizeof(*f)))) {
		snprintf(f->key, sizeof(f->key), "%s", key);
		f->next = c->srv->flaky;
		c->srv->flaky = f;
	}
	if(!f || f->count++ >= n) {
		respond_text(c, 200, NULL, head_only, "ok after %ld\n", n);
		return;
	}
	if(query && strstr(query, "mode=close")) {
		conn_free(c);
		return;
	}
	respond_text(c, 503, NULL, head_only, "try again\n");
}

/* /limit/N/ANY[?retry-after=V]: 200 while fewer than N requests to /limit/
 * were answered 200 in the last second, else 429 (with Retry-After: V). */
void respond_limit(struct conn *c, long n, const char *query, bool head_only)
{
	struct server *srv = c->srv;
	double now = ev_now(srv->loop);
	const char *ra = query ? strstr(query, "retry-after=") : NULL;
	char extra[64] = "";
	unsigned slot;

	if(n > 256)
		n = 256;
	slot = srv->limit_n % (unsigned)n;
	if(srv->limit_n >= (unsigned)n && srv->limit_at[slot] > now - 1) {
		srv->limited++;
		if(ra)
			snprintf(extra, sizeof(extra), "Retry-After: %.20s\r\n", ra + 12);
		respond(c, 429, "text/plain", extra[0] ? extra : NULL, "slow down\n", 10,
			0, head_only);
		return;
	}
	srv->limit_at[slot] = now;
	srv->limit_n++;
	respond_text(c, 200, NULL, head_only, "ok\n");
}

static const char *mime_of(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{ ".html", "text/html; charset=utf-8" }, { ".htm", "text/html" },
		{ ".xhtml", "application/xhtml+xml" }, { ".txt", "text/plain" },
		{ ".xml", "application/xml" }, { ".gz", "application/gzip" },
		{ ".css", "text/css" }, { ".js", "text/javascript" },
		{ ".png", "image/png" }, { ".pdf", "application/pdf" },
		{ ".svg", "image/svg+xml" }, { ".jpg", "image/jpeg" },
	};
	const char *dot = strrchr(path, '.');

	for(size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if(strcmp(dot, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* -d DIR: the file at target under DIR (index.html for a directory); with
 * a query "ce=VALUE", sent with "Content-Encoding: VALUE", with "xrt=V"
 * with "X-Robots-Tag: V" ('+' for a space). */
bool respond_file(struct conn *c, const char *target, const char *query,
			 bool head_only)
{
	char path[16384], extra[16384] = "";
	FILE *fp;
	char *data;
	long size;

	if(!c->srv->docroot || strstr(target, "..") ||
	   strlen(c->srv->docroot) + strlen(target) + 16 > sizeof(path))
		return false;
	snprintf(path, sizeof(path), "%s%s%s", c->srv->docroot, target,
		 target[strlen(target) - 1] == '/' ? "index.html" : "");
	fp = fopen(path, "rb");
	if(!fp)
		return false;
	if(fseek(fp, 0, SEEK_END) || (size = ftell(fp)) < 0 ||
	   fseek(fp, 0, SEEK_SET) || !(data = malloc((size_t)size + 1))) {
		fclose(fp);
		return false;
	}
	if(fread(data, 1, (size_t)size, fp) != (size_t)size) {
		fclose(fp);
		free(data);
		return false;
	}
	fclose(fp);
	if(query && strncmp(query, "ce=", 3) == 0)
		snprintf(extra, sizeof(extra), "Content-Encoding: %s\r\n", query + 3);
	if(query && strncmp(query, "xrt=", 4) == 0) {
		snprintf(extra, sizeof(extra), "X-Robots-Tag: %s\r\n", query + 4);
		for(char *p = extra; *p; p++)
			if(*p == '+')
				*p = ' ';
	}
	respond(c, 200, mime_of(path), extra[0] ? extra : NULL, data, (size_t)size,
		0, head_only);
	free(data);
	return true;
}
