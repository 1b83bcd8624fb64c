/*
 * format.c - escaping, record lines and -w templates.
 */
#include "format.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "url.h"
#include "utf8.h"

#define FORMAT_MAX_TEMPLATE (1 << 20) /* a -w template file, at most */

/* ------------------------------------------------------------ escaping */

/* Is code point cp one a terminal would act on (C0, DEL, C1)? */
static int is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/* How many bytes from p on are printable ASCII (written as they are)? */
static size_t plain_run(const unsigned char *p, size_t n, bool json)
{
	size_t i = 0;

	while(i < n && p[i] >= 0x20 && p[i] < 0x7f && !(json && (p[i] == '"' ||
							       p[i] == '\\')))
		i++;
	return i;
}

/* The text form of a sequence plain_run() stopped at (len 0: one invalid
 * byte): \xNN for each byte of an invalid or control sequence. */
static size_t text_escape(FILE *fp, const unsigned char *p, size_t len,
			  unsigned cp)
{
	size_t bad = len ? len : 1;

	if(len && !is_control(cp)) {
		fwrite(p, 1, len, fp);
		return len;
	}
	for(size_t i = 0; i < bad; i++)
		fprintf(fp, "\\x%02x", p[i]);
	return bad;
}

/* The JSON form: U+FFFD for an invalid byte, short escapes where JSON has
 * them, \u00NN for other controls. */
static size_t json_escape(FILE *fp, const unsigned char *p, size_t len,
			  unsigned cp)
{
	if(len == 0)
		fputs("\\ufffd", fp);
	else if(cp == '"' || cp == '\\')
		fprintf(fp, "\\%c", (int)cp);
	else if(cp == '\n')
		fputs("\\n", fp);
	else if(cp == '\t')
		fputs("\\t", fp);
	else if(cp == '\r')
		fputs("\\r", fp);
	else if(is_control(cp))
		fprintf(fp, "\\u%04x", cp);
	else
		fwrite(p, 1, len, fp);
	return len ? len : 1;
}

/* Write s: runs of printable ASCII as they are, the rest through escape().
 * A password in a URL of s is shown as "***" (as nowhere else: the URL
 * fields, -v lines and error messages all come through here). */
static void escaped(FILE *fp, const char *s, bool json,
			size_t (*escape)(FILE *, const unsigned char *, size_t,
					 unsigned))
{
	int oom;
	char *masked = url_mask(s, &oom);
	const unsigned char *p = (const unsigned char *)(masked ? masked : s);
	size_t n = oom ? 0 : strlen((const char *)p);

	while(n > 0) {
		unsigned cp = 0;
		size_t len = plain_run(p, n, json);

		if(len > 0) {
			fwrite(p, 1, len, fp);
		} else {
			len = utf8_decode(p, n, &cp);
			len = escape(fp, p, len, cp);
		}
		p += len;
		n -= len;
	}
	free(masked);
}

void format_text_string(FILE *fp, const char *s)
{
	escaped(fp, s, false, text_escape);
}

void format_json_string(FILE *fp, const char *s)
{
	escaped(fp, s, true, json_escape);
}

void format_json_value(FILE *fp, const char *s)
{
	if(!s) {
		fputs("null", fp);
		return;
	}
	fputc('"', fp);
	format_json_string(fp, s);
	fputc('"', fp);
}

static void json_field(FILE *fp, const char *key, const char *value)
{
	fprintf(fp, ",\"%s\":", key);
	format_json_value(fp, value);
}

void format_json(FILE *fp, const struct gf_record *rec)
{
	fprintf(fp, "{\"index\":%" PRIu64, rec->index);
	json_field(fp, "url", rec->url);
	json_field(fp, "effective_url", rec->effective_url);
	fprintf(fp, ",\"status\":%ld,\"bytes\":%" PRIu64 ",\"time\":%.6f"
		",\"redirects\":%ld", rec->status, rec->bytes, rec->time,
		rec->redirects);
	json_field(fp, "error", rec->error);
	json_field(fp, "file", rec->file);
	fprintf(fp, ",\"attempts\":%ld", rec->attempts ? rec->attempts : 1);
	json_field(fp, "etag", rec->etag);
	json_field(fp, "last_modified", rec->last_modified);
	if(rec->unchanged)
		fputs(",\"unchanged\":true", fp);
	if(rec->crawl) {
		fprintf(fp, ",\"depth\":%d", rec->depth);
		json_field(fp, "parent", rec->parent);
		fprintf(fp, ",\"links\":%ld", rec->links);
	}
	fputc('}', fp);
}

/* --broken: STATUS, URL, PARENT ("-" for a seed), ERROR. */
static void broken_line(FILE *fp, const struct gf_record *rec)
{
	fprintf(fp, "%03ld\t", rec->status);
	format_text_string(fp, rec->url);
	fputc('\t', fp);
	format_text_string(fp, rec->parent ? rec->parent : "-");
	fputc('\t', fp);
	format_text_string(fp, rec->error ? rec->error : "");
	fputc('\n', fp);
}

static void text_line(FILE *fp, const struct gf_record *rec)
{
	fprintf(fp, "%03ld\t%" PRIu64 "\t%.3f\t", rec->status, rec->bytes,
		rec->time);
	format_text_string(fp, rec->url);
	if(rec->error) {
		fputc('\t', fp);
		format_text_string(fp, rec->error);
	}
	fputc('\n', fp);
}

/* ----------------------------------------------------------- templates */

enum wo_var {
	WO_TEXT,                      /* a literal piece, not a variable */
	WO_CONTENT_TYPE, WO_ERRORMSG, WO_EXITCODE, WO_FILENAME, WO_HEADER,
	WO_HTTP_CODE, WO_HTTP_VERSION, WO_INDEX, WO_JSON, WO_NUM_REDIRECTS,
	WO_NUM_RETRIES, WO_DEPTH, WO_PARENT, WO_LINKS,
	WO_REMOTE_IP, WO_SIZE_DOWNLOAD, WO_TIME_APPCONNECT, WO_TIME_CONNECT,
	WO_TIME_NAMELOOKUP, WO_TIME_QUEUE, WO_TIME_REDIRECT,
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
	{ "time_appconnect",    WO_TIME_APPCONNECT },
	{ "time_connect",       WO_TIME_CONNECT },
	{ "time_namelookup",    WO_TIME_NAMELOOKUP },
	{ "time_queue",         WO_TIME_QUEUE },
	{ "time_redirect",      WO_TIME_REDIRECT },
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

struct format {
	enum gf_format kind;          /* text, JSON or a template */
	bool broken;                  /* text as --broken lines */
	struct wo_piece *piece;       /* the template, in order */
	size_t n;                     /* pieces */
	bool headers;                 /* a %{header{...}} is used */
};

static int wo_name_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct wo_name *)elem)->name);
}

static int wo_add(struct format *f, enum wo_var var, const char *text,
		  size_t len)
{
	struct wo_piece *more = realloc(f->piece, (f->n + 1) * sizeof(*more));

	if(!more)
		return GF_ENOMEM;
	f->piece = more;
	more[f->n].var = var;
	more[f->n].len = len;
	more[f->n].text = text ? gf_strndup(text, len) : NULL;
	if(text && !more[f->n].text)
		return GF_ENOMEM;
	f->n++;
	return GF_OK;
}

/* Append one literal byte, merging with a literal piece before it. */
static int wo_add_char(struct format *f, char c)
{
	struct wo_piece *last = f->n ? &f->piece[f->n - 1] : NULL;
	char *more;

	if(!last || last->var != WO_TEXT)
		return wo_add(f, WO_TEXT, &c, 1);
	more = realloc(last->text, last->len + 2);
	if(!more)
		return GF_ENOMEM;
	more[last->len++] = c;
	more[last->len] = '\0';
	last->text = more;
	return GF_OK;
}

/* A variable name at p (after "%{"): add it, return where it ends. */
static const char *wo_add_var(struct format *f, const char *p, char *err,
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
		f->headers = true;
		return wo_add(f, WO_HEADER, p + 7, (size_t)(end - p - 7)) ? NULL :
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
	return wo_add(f, found->var, NULL, 0) ? NULL : end + 1;
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

/* Compile the template fmt into f. */
static int wo_compile(struct format *f, const char *fmt, char *err,
		      size_t errlen)
{
	const char *p = fmt;
	int rc = GF_OK;

	while(!rc && *p) {
		if(p[0] == '%' && p[1] == '{') {
			p = wo_add_var(f, p + 2, err, errlen);
			if(!p)
				rc = GF_EUSAGE;
		} else if(p[0] == '%' && p[1] == '%') {
			rc = wo_add_char(f, '%');
			p += 2;
		} else if(p[0] == '\\' && wo_escape(p[1])) {
			rc = wo_add_char(f, wo_escape(p[1]));
			p += 2;
		} else {
			rc = wo_add_char(f, *p++);
		}
	}
	return rc;
}

static void wo_string(FILE *fp, const char *s)
{
	if(s)
		format_text_string(fp, s);
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
	case WO_JSON:         format_json(fp, rec); break;
	case WO_NUM_REDIRECTS: fprintf(fp, "%ld", rec->redirects); break;
	case WO_DEPTH:        fprintf(fp, "%d", rec->depth); break;
	case WO_PARENT:       wo_string(fp, rec->parent); break;
	case WO_LINKS:        fprintf(fp, "%ld", rec->links); break;
	case WO_NUM_RETRIES:
		fprintf(fp, "%ld", rec->attempts > 1 ? rec->attempts - 1 : 0);
		break;
	case WO_REMOTE_IP:    wo_string(fp, rec->remote_ip); break;
	case WO_SIZE_DOWNLOAD: fprintf(fp, "%" PRIu64, rec->bytes); break;
	case WO_TIME_APPCONNECT: fprintf(fp, "%.6f", rec->time_appconnect); break;
	case WO_TIME_CONNECT: fprintf(fp, "%.6f", rec->time_connect); break;
	case WO_TIME_QUEUE:   fprintf(fp, "%.6f", rec->time_queue); break;
	case WO_TIME_REDIRECT: fprintf(fp, "%.6f", rec->time_redirect); break;
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

/* ------------------------------------------------------------- formats */

struct format *format_new(enum gf_format kind, const char *tmpl, bool broken,
			  char *err, size_t errlen)
{
	struct format *f = calloc(1, sizeof(*f));

	err[0] = '\0';
	if(!f)
		return NULL;
	f->kind = kind;
	f->broken = broken && kind == GF_FORMAT_TEXT;
	if(kind == GF_FORMAT_WRITEOUT && wo_compile(f, tmpl, err, errlen)) {
		format_free(f);
		return NULL;
	}
	return f;
}

void format_free(struct format *f)
{
	if(!f)
		return;
	for(size_t i = 0; i < f->n; i++)
		free(f->piece[i].text);
	free(f->piece);
	free(f);
}

bool format_needs_headers(const struct format *f)
{
	return f->headers;
}

void format_write(const struct format *f, FILE *fp, const struct gf_record *rec)
{
	if(f->kind == GF_FORMAT_WRITEOUT) {
		for(size_t i = 0; i < f->n; i++)
			wo_piece(fp, &f->piece[i], rec);
	} else if(f->kind == GF_FORMAT_JSON) {
		format_json(fp, rec);
		fputc('\n', fp);
	} else if(f->broken) {
		broken_line(fp, rec);
	} else {
		text_line(fp, rec);
	}
}

char *format_load_template(const char *arg, char *err, size_t errlen)
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
	buf = malloc(FORMAT_MAX_TEMPLATE + 1);
	n = buf ? fread(buf, 1, FORMAT_MAX_TEMPLATE + 1, fp) : 0;
	fclose(fp);
	if(!buf || n > FORMAT_MAX_TEMPLATE) {
		snprintf(err, errlen, "-w: %s: %s", arg + 1,
			 buf ? "larger than 1 MiB" : "out of memory");
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

char *format_json_alloc(const struct gf_record *rec)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	if(!fp)
		return NULL;
	format_json(fp, rec);
	if(fclose(fp) != 0) {
		free(buf);
		return NULL;
	}
	if(len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}
