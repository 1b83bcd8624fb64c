/*
 * writeout.c - compile and apply -w templates.
 */
#include "writeout.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "out.h"

#define WRITEOUT_MAX_FILE (1 << 20)   /* a template file, at most */

enum wo_var {
	WO_TEXT,                      /* a literal piece, not a variable */
	WO_CONTENT_TYPE, WO_ERRORMSG, WO_EXITCODE, WO_FILENAME, WO_HEADER,
	WO_HTTP_CODE, WO_HTTP_VERSION, WO_INDEX, WO_JSON, WO_NUM_REDIRECTS,
	WO_NUM_RETRIES, WO_DEPTH, WO_PARENT, WO_LINKS,
	WO_REMOTE_IP, WO_SIZE_DOWNLOAD, WO_TIME_CONNECT, WO_TIME_NAMELOOKUP,
	WO_TIME_STARTTRANSFER, WO_TIME_TOTAL, WO_URL, WO_URL_EFFECTIVE
};

/* Sorted by name, for bsearch. */
static const struct wo_name {
	const char *name;
	enum wo_var var;
} wo_names[] = {
	{ "content_type",       WO_CONTENT_TYPE },
	{ "depth",              WO_DEPTH },
	{ "errormsg",           WO_ERRORMSG },
	{ "exitcode",           WO_EXITCODE },
	{ "filename_effective", WO_FILENAME },
	{ "http_code",          WO_HTTP_CODE },
	{ "http_version",       WO_HTTP_VERSION },
	{ "index",              WO_INDEX },
	{ "json",               WO_JSON },
	{ "links",              WO_LINKS },
	{ "num_redirects",      WO_NUM_REDIRECTS },
	{ "num_retries",        WO_NUM_RETRIES },
	{ "parent",             WO_PARENT },
	{ "remote_ip",          WO_REMOTE_IP },
	{ "response_code",      WO_HTTP_CODE },
	{ "size_download",      WO_SIZE_DOWNLOAD },
	{ "time_connect",       WO_TIME_CONNECT },
	{ "time_namelookup",    WO_TIME_NAMELOOKUP },
	{ "time_starttransfer", WO_TIME_STARTTRANSFER },
	{ "time_total",         WO_TIME_TOTAL },
	{ "url",                WO_URL },
	{ "url_effective",      WO_URL_EFFECTIVE },
};

struct wo_piece {
	enum wo_var var;              /* what to write */
	char *text;                   /* literal text, or the header name */
	size_t len;                   /* length of text */
};

struct writeout {
	struct wo_piece *piece;       /* the template, in order */
	size_t n;                     /* pieces */
	bool headers;                 /* a %{header{...}} is used */
};

static int wo_name_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct wo_name *)elem)->name);
}

static int wo_add(struct writeout *wo, enum wo_var var, const char *text,
		  size_t len)
{
	struct wo_piece *more = realloc(wo->piece, (wo->n + 1) * sizeof(*more));

	if(!more)
		return GF_ENOMEM;
	wo->piece = more;
	more[wo->n].var = var;
	more[wo->n].len = len;
	more[wo->n].text = text ? gf_strndup(text, len) : NULL;
	if(text && !more[wo->n].text)
		return GF_ENOMEM;
	wo->n++;
	return GF_OK;
}

/* Append one literal byte, merging with a literal piece before it. */
static int wo_add_char(struct writeout *wo, char c)
{
	struct wo_piece *last = wo->n ? &wo->piece[wo->n - 1] : NULL;
	char *more;

	if(!last || last->var != WO_TEXT)
		return wo_add(wo, WO_TEXT, &c, 1);
	more = realloc(last->text, last->len + 2);
	if(!more)
		return GF_ENOMEM;
	more[last->len++] = c;
	more[last->len] = '\0';
	last->text = more;
	return GF_OK;
}

/* A variable name at p (after "%{"): add it, return where it ends. */
static const char *wo_add_var(struct writeout *wo, const char *p, char *err,
			      size_t errlen)
{
	const char *end = strchr(p, '}');
	const struct wo_name *found;
	char name[64];

	if(strncmp(p, "header{", 7) == 0) {
		end = strstr(p + 7, "}}");
		if(!end || end == p + 7) {
			snprintf(err, errlen, "-w: %%{header{NAME}} needs a name");
			return NULL;
		}
		wo->headers = true;
		return wo_add(wo, WO_HEADER, p + 7, (size_t)(end - p - 7)) ? NULL :
		       end + 2;
	}
	if(!end || (size_t)(end - p) >= sizeof(name)) {
		snprintf(err, errlen, "-w: unterminated variable '%%{%.20s'", p);
		return NULL;
	}
	memcpy(name, p, (size_t)(end - p));
	name[end - p] = '\0';
	found = bsearch(name, wo_names, ARRAY_SIZE(wo_names), sizeof(wo_names[0]),
			wo_name_cmp);
	if(!found) {
		snprintf(err, errlen, "-w: unknown variable '%s'", name);
		return NULL;
	}
	return wo_add(wo, found->var, NULL, 0) ? NULL : end + 1;
}

static char wo_escape(char c)
{
	switch(c) {
	case 'n': return '\n';
	case 't': return '\t';
	case 'r': return '\r';
	case '\\': return '\\';
	default: return 0;
	}
}

struct writeout *writeout_new(const char *fmt, char *err, size_t errlen)
{
	struct writeout *wo = calloc(1, sizeof(*wo));
	const char *p = fmt;
	int rc = GF_OK;

	err[0] = '\0';
	while(wo && !rc && *p) {
		if(p[0] == '%' && p[1] == '{') {
			p = wo_add_var(wo, p + 2, err, errlen);
			if(!p)
				rc = GF_EUSAGE;
		} else if(p[0] == '%' && p[1] == '%') {
			rc = wo_add_char(wo, '%');
			p += 2;
		} else if(p[0] == '\\' && wo_escape(p[1])) {
			rc = wo_add_char(wo, wo_escape(p[1]));
			p += 2;
		} else {
			rc = wo_add_char(wo, *p++);
		}
	}
	if(!wo || rc) {
		writeout_free(wo);
		return NULL;
	}
	return wo;
}

void writeout_free(struct writeout *wo)
{
	if(!wo)
		return;
	for(size_t i = 0; i < wo->n; i++)
		free(wo->piece[i].text);
	free(wo->piece);
	free(wo);
}

bool writeout_needs_headers(const struct writeout *wo)
{
	return wo->headers;
}

static void wo_string(FILE *fp, const char *s)
{
	if(s)
		out_text_string(fp, s);
}

static void wo_piece(FILE *fp, const struct wo_piece *pc,
		     const struct gf_record *rec)
{
	char *value;

	switch(pc->var) {
	case WO_TEXT:         fwrite(pc->text, 1, pc->len, fp); break;
	case WO_CONTENT_TYPE: wo_string(fp, rec->content_type); break;
	case WO_ERRORMSG:     wo_string(fp, rec->error); break;
	case WO_EXITCODE:     fprintf(fp, "%d", rec->exitcode); break;
	case WO_FILENAME:     wo_string(fp, rec->file); break;
	case WO_HTTP_CODE:    fprintf(fp, "%03ld", rec->status); break;
	case WO_HTTP_VERSION: wo_string(fp, rec->http_version); break;
	case WO_INDEX:        fprintf(fp, "%" PRIu64, rec->index); break;
	case WO_JSON:         out_json(fp, rec); break;
	case WO_NUM_REDIRECTS: fprintf(fp, "%ld", rec->redirects); break;
	case WO_DEPTH:        fprintf(fp, "%d", rec->depth); break;
	case WO_PARENT:       wo_string(fp, rec->parent); break;
	case WO_LINKS:        fprintf(fp, "%ld", rec->links); break;
	case WO_NUM_RETRIES:
		fprintf(fp, "%ld", rec->attempts > 1 ? rec->attempts - 1 : 0);
		break;
	case WO_REMOTE_IP:    wo_string(fp, rec->remote_ip); break;
	case WO_SIZE_DOWNLOAD: fprintf(fp, "%" PRIu64, rec->bytes); break;
	case WO_TIME_CONNECT: fprintf(fp, "%.6f", rec->time_connect); break;
	case WO_TIME_NAMELOOKUP: fprintf(fp, "%.6f", rec->time_namelookup); break;
	case WO_TIME_STARTTRANSFER:
		fprintf(fp, "%.6f", rec->time_starttransfer);
		break;
	case WO_TIME_TOTAL:   fprintf(fp, "%.6f", rec->time); break;
	case WO_URL:          wo_string(fp, rec->url); break;
	case WO_URL_EFFECTIVE:
		wo_string(fp, rec->effective_url ? rec->effective_url : rec->url);
		break;
	case WO_HEADER:
		value = record_header(rec, pc->text);
		wo_string(fp, value);
		free(value);
		break;
	}
}

void writeout_format(const struct writeout *wo, FILE *fp,
		     const struct gf_record *rec)
{
	for(size_t i = 0; i < wo->n; i++)
		wo_piece(fp, &wo->piece[i], rec);
}

char *writeout_load(const char *arg, char *err, size_t errlen)
{
	FILE *fp;
	char *buf;
	size_t n;

	if(arg[0] != '@')
		return strdup(arg);
	fp = fopen(arg + 1, "r");
	if(!fp) {
		snprintf(err, errlen, "-w: %s: %s", arg + 1, strerror(errno));
		return NULL;
	}
	buf = malloc(WRITEOUT_MAX_FILE + 1);
	n = buf ? fread(buf, 1, WRITEOUT_MAX_FILE + 1, fp) : 0;
	fclose(fp);
	if(!buf || n > WRITEOUT_MAX_FILE) {
		snprintf(err, errlen, "-w: %s: %s", arg + 1,
			 buf ? "larger than 1 MiB" : "out of memory");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}
