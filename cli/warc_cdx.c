/*
 * warc_cdx.c - --warc-cdx: a CDXJ line for each response or revisit
 * record (SURT key, 14-digit time, a JSON of its URL, type, status,
 * payload digest and the offset and length of its member), and the
 * file sorted at the end, as replay tools search it.
 */
#define _GNU_SOURCE                   /* strcasestr() */
#include "warc_impl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "format.h"

/* The SURT form of a URL, as CDX indexes sort: the host's labels from
 * the top ("www" dropped), the port when given, ")", path and query. */
static void surt(const char *url, struct gf_buf *b)
{
	const char *p = strstr(url, "://"), *host, *end;
	size_t hlen;

	p = p ? p + 3 : url;
	host = p;
	end = p + strcspn(p, "/?#");
	hlen = strcspn(host, ":/?#");
	if(hlen && strspn(host, "0123456789.") == hlen) {
		gf_buf_add(b, host, hlen);
	} else {
		const char *stop = host + hlen, *dot;

		while(stop > host) {
			for(dot = stop; dot > host && dot[-1] != '.'; dot--)
				;
			if(!(dot == host && stop - dot == 3 && !strncasecmp(dot, "www", 3))) {
				if(b->len && b->s[b->len - 1] != ',' && stop != host + hlen)
					gf_buf_add(b, ",", 1);
				gf_buf_add(b, dot, (size_t)(stop - dot));
			}
			stop = dot > host ? dot - 1 : host;
		}
	}
	gf_buf_add(b, host + hlen, (size_t)(end - host - hlen));
	gf_buf_add(b, ")", 1);
	gf_buf_str(b, *end ? end : "/");
	for(size_t i = 0; i < b->len; i++)
		b->s[i] = (char)tolower((unsigned char)b->s[i]);
}

/* The value of a header of the last response in the hop's header. */
static void header_value(const struct hop *h, const char *name, char *out, size_t cap)
{
	const char *p = h->header.s, *v = NULL;
	size_t n = strlen(name);

	out[0] = '\0';
	for(; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "") {
		if(!strncmp(p, "HTTP/", 5))
			v = NULL;             /* a new response: what came before is moot */
		if(!strncasecmp(p, name, n) && p[n] == ':')
			v = p + n + 1;
	}
	if(!v)
		return;
	v += strspn(v, " \t");
	snprintf(out, cap, "%.*s", (int)strcspn(v, "\r\n;"), v);
}

void warc_cdx_line(struct warcs *all, const struct hop *h, const char *digest,
		     uint64_t at, uint64_t len, const char *type)
{
	struct gf_buf key = { 0 };
	char ts[32], mime[128], status[8];
	const char *name = strrchr(all->path, '/');

	if(!all->cdx)
		return;
	surt(h->url, &key);
	warc_timestamp14(h->date, ts);
	header_value(h, "Content-Type", mime, sizeof(mime));
	snprintf(status, sizeof(status), "%.3s", h->header.s && strlen(h->header.s) > 9 ?
		 strchr(h->header.s, ' ') ? strchr(h->header.s, ' ') + 1 : "000" : "000");
	fprintf(all->cdx, "%s %s {\"url\":", key.s ? key.s : "", ts);
	format_json_value(all->cdx, h->url);
	fputs(",\"mime\":", all->cdx);
	format_json_value(all->cdx, *mime ? mime : (strcmp(type, "revisit") ? "unk" : "warc/revisit"));
	fprintf(all->cdx, ",\"status\":\"%s\"", status);
	if(digest)
		fprintf(all->cdx, ",\"digest\":\"%s\"", digest + 5);
	fprintf(all->cdx, ",\"length\":\"%llu\",\"offset\":\"%llu\",\"filename\":",
		(unsigned long long)len, (unsigned long long)at);
	format_json_value(all->cdx, name ? name + 1 : all->path);
	fputs("}\n", all->cdx);
	free(key.s);
}

/* CDXJ is read by binary search: its lines sorted, as bytes. */
static int by_bytes(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void warc_cdx_sort(struct warcs *all)
{
	FILE *fp = fopen(all->cdx_path, "re");
	char **lines = NULL, *line = NULL;
	size_t n = 0, cap = 0, lcap = 0;

	while(fp && getline(&line, &lcap, fp) > 0) {
		if(n == cap) {
			char **more = realloc(lines, (cap = cap ? 2 * cap : 1024) * sizeof(*more));

			if(!more)
				break;
			lines = more;
		}
		if(!(lines[n] = strdup(line)))
			break;
		n++;
	}
	if(fp)
		fclose(fp);
	if(n)
		qsort(lines, n, sizeof(*lines), by_bytes);
	if((fp = fopen(all->cdx_path, "we"))) {
		for(size_t i = 0; i < n; i++)
			fputs(lines[i], fp);
		fclose(fp);
	}
	for(size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
	free(line);
}

