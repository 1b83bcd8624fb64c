/*
 * optvalue.c - option arguments into the fields of the config.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>

#include "format.h"
#include "gf.h"
#include "optdef.h"

#define FIELD(cfg, o, T) ((T *)(void *)((char *)(cfg) + (o)->at))

/* "--NAME: 'ARG' is not WHAT", and the hint to --help. */
static int bad_value(const struct opt_def *o, const char *arg, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "--%s: '%%s' is not %s", o->name, what);
	opt_usage_error(msg, arg);
	return GF_EUSAGE;
}

static int no_memory(void)
{
	opt_usage_error("%s", "out of memory");
	return GF_EUSAGE;
}

/* A whole number in o's range. */
static int parse_long(const struct opt_def *o, const char *arg, long *out)
{
	char *end, what[96];
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if(errno || end == arg || *end || v < o->min || v > o->max) {
		snprintf(what, sizeof(what), "a number from %ld to %ld", o->min, o->max);
		return bad_value(o, arg, what);
	}
	*out = v;
	return GF_OK;
}

/* Seconds, fractions allowed, from 0 to 1e9. */
static int parse_seconds(const struct opt_def *o, const char *arg, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if(errno || end == arg || *end || !isfinite(v) || v < 0 || v > 1e9)
		return bad_value(o, arg, "a number of seconds");
	*out = v;
	return GF_OK;
}

/* SIZE: bytes, or with K, M or G (powers of 1024). */
static int parse_size(const struct opt_def *o, const char *arg, size_t *out)
{
	char *end;
	unsigned long long v;
	int shift = 0;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if(*end == 'K' || *end == 'k')
		shift = 10;
	else if(*end == 'M' || *end == 'm')
		shift = 20;
	else if(*end == 'G' || *end == 'g')
		shift = 30;
	if(shift)
		end++;
	if(errno || end == arg || *end || arg[0] == '-' || v > (SIZE_MAX >> shift))
		return bad_value(o, arg, "a size (N, NK, NM, NG)");
	*out = (size_t)v << shift;
	return GF_OK;
}

/* The argument's place among the choices of o->arg, "a|b|c". */
static int parse_choice(const struct opt_def *o, const char *arg, int *out)
{
	const char *p = o->arg;
	char what[128] = "";
	int i = 0;

	for(; *p; i++) {
		size_t len = strcspn(p, "|");
		size_t at = strlen(what);

		if(strlen(arg) == len && strncmp(arg, p, len) == 0) {
			*out = i;
			return GF_OK;
		}
		snprintf(what + at, sizeof(what) - at, "%s%.*s",
			 i == 0 ? "" : p[len] ? ", " : " or ", (int)len, p);
		p += len + (p[len] == '|');
	}
	return bad_value(o, arg, what);
}

static int push_arg(const char ***list, size_t *n, const char *arg)
{
	const char **more = realloc(*list, (*n + 1) * sizeof(*more));

	if(!more)
		return no_memory();
	*list = more;
	(*list)[(*n)++] = arg;
	return GF_OK;
}

/* "on" or "off": the default of a bool row. */
static int parse_bool(const struct opt_def *o, const char *arg, bool *out)
{
	if(strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0)
		return bad_value(o, arg, "on or off");
	*out = strcmp(arg, "on") == 0;
	return GF_OK;
}

int opt_apply(struct gf_config *cfg, const struct opt_def *o, const char *arg)
{
	long n;
	int rc;

	if(o->kind == OPT_CUSTOM)
		return o->set(cfg, o, arg);
	if(o->set && arg && (rc = o->set(cfg, o, arg)))
		return rc;
	switch(o->kind) {
	case OPT_BOOL:
		if(arg)
			return parse_bool(o, arg, FIELD(cfg, o, bool));
		*FIELD(cfg, o, bool) = o->value;
		return GF_OK;
	case OPT_VALUE:
		*FIELD(cfg, o, int) = arg ? atoi(arg) : o->value;
		return GF_OK;
	case OPT_INT:
		rc = parse_long(o, arg, &n);
		if(!rc)
			*FIELD(cfg, o, int) = (int)n;
		return rc;
	case OPT_LONG:    return parse_long(o, arg, FIELD(cfg, o, long));
	case OPT_SECONDS: return parse_seconds(o, arg, FIELD(cfg, o, double));
	case OPT_SIZE:    return parse_size(o, arg, FIELD(cfg, o, size_t));
	case OPT_STRING:  *FIELD(cfg, o, const char *) = arg; return GF_OK;
	case OPT_CHOICE:  return parse_choice(o, arg, FIELD(cfg, o, int));
	case OPT_LIST:
		return push_arg(FIELD(cfg, o, const char **),
				(size_t *)(void *)((char *)cfg + o->count_at), arg);
	case OPT_CUSTOM:
		break;
	}
	return GF_OK;
}

bool opt_is_default(const struct opt_def *o)
{
	if(!o->dflt)
		return false;
	if(o->kind == OPT_BOOL)
		return (strcmp(o->dflt, "on") == 0) == (o->value != 0);
	return o->kind == OPT_VALUE && atoi(o->dflt) == o->value;
}

/* ------------------------------------------- more than a value */

/* A header name: RFC 9110's token characters. */
static bool is_token(const char *s, size_t n)
{
	static const char extra[] = "!#$%&'*+-.^_`|~";

	if(n == 0)
		return false;
	for(size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if(!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		   !(c >= '0' && c <= '9') && !(c && strchr(extra, c)))
			return false;
	}
	return true;
}

/* -H 'Name: value', kept as "Name: value" whatever the spaces around the
 * name were: what is sent, and what the credential check reads, is the
 * same line (' Authorization: x' would otherwise pass for another header,
 * and reach other hosts after a redirect). */
int opt_header(struct gf_config *cfg, const struct opt_def *o, const char *line)
{
	const char *colon = strchr(line, ':'), *name = line, *value;
	size_t n;
	char *norm;

	(void)o;
	if(!colon || strpbrk(line, "\r\n")) {
		opt_usage_error("-H: '%s' is not a header line 'Name: value'", line);
		return GF_EUSAGE;
	}
	name += strspn(name, " \t");
	for(n = (size_t)(colon - name); n > 0 && (name[n - 1] == ' ' ||
						     name[n - 1] == '\t'); n--)
		;
	if(!is_token(name, n)) {
		opt_usage_error("-H: '%s': the name is not a header name", line);
		return GF_EUSAGE;
	}
	value = colon + 1 + strspn(colon + 1, " \t");
	norm = gf_aprintf("%.*s:%s%s", (int)n, name, *value ? " " : "", value);
	if(!norm || push_arg(&cfg->headers, &cfg->nheaders, norm)) {
		free(norm);
		return norm ? GF_EUSAGE : no_memory();
	}
	return GF_OK;
}

/* HOST:PORT:ADDR[,ADDR...], ADDR an IPv4 or a bracketed IPv6 address. */
int opt_resolve(struct gf_config *cfg, const struct opt_def *o,
		const char *entry)
{
	const char *c1 = strchr(entry, ':');
	const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	char *end;
	long port = c2 ? strtol(c1 + 1, &end, 10) : -1;

	(void)cfg, (void)o;
	if(!c2 || c1 == entry || end != c2 || port < 1 || port > 65535 ||
	   !c2[1] || strpbrk(entry, " \t\r\n")) {
		opt_usage_error("--resolve: '%s' is not HOST:PORT:ADDR[,ADDR]", entry);
		return GF_EUSAGE;
	}
	return GF_OK;
}

/* Proxies that would have us resolve the target host are refused: names
 * are resolved on the hub or by the proxy, never by a blocking resolver. */
int opt_proxy(struct gf_config *cfg, const struct opt_def *o, const char *url)
{
	(void)cfg, (void)o;
	if(gf_has_prefix_ci(url, strlen(url), "socks4://") ||
	   gf_has_prefix_ci(url, strlen(url), "socks5://")) {
		opt_usage_error("-x: '%s': use socks4a:// or socks5h://, so that the "
				"proxy resolves names", url);
		return GF_EUSAGE;
	}
	return GF_OK;
}

/* N[/s|/m|/h]: requests a second. */
int opt_rate(struct gf_config *cfg, const struct opt_def *o, const char *arg)
{
	char *end;
	double n;

	(void)o;
	errno = 0;
	n = strtod(arg, &end);
	if(!errno && end != arg && n > 0 && isfinite(n)) {
		if(*end == '\0' || strcmp(end, "/s") == 0)
			end = "";
		else if(strcmp(end, "/m") == 0)
			n /= 60, end = "";
		else if(strcmp(end, "/h") == 0)
			n /= 3600, end = "";
	}
	if(errno || end == arg || *end || n <= 0 || !isfinite(n)) {
		opt_usage_error("--rate: '%s' is not N, N/s, N/m or N/h", arg);
		return GF_EUSAGE;
	}
	cfg->rate = n;
	return GF_OK;
}

int opt_write_out(struct gf_config *cfg, const struct opt_def *o,
		  const char *arg)
{
	char err[256];
	char *fmt = format_load_template(arg, err, sizeof(err));
	struct format *f = fmt ? format_new(GF_FORMAT_WRITEOUT, fmt, false, err,
					    sizeof(err)) : NULL;

	(void)o;
	if(!f) {
		opt_usage_error("%s", err[0] ? err : "out of memory");
		free(fmt);
		return GF_EUSAGE;
	}
	cfg->keep_headers = format_needs_headers(f);
	format_free(f);
	free(cfg->owned_write_out);
	cfg->owned_write_out = fmt;
	cfg->write_out = fmt;
	cfg->format = GF_FORMAT_WRITEOUT;
	return GF_OK;
}

/* The separator with \n, \t and \\ turned into their characters. */
int opt_separator(struct gf_config *cfg, const struct opt_def *o,
		  const char *arg)
{
	char *sep = malloc(strlen(arg) + 1), *w = sep;

	(void)o;
	if(!sep)
		return no_memory();
	for(const char *p = arg; *p; p++) {
		if(p[0] == '\\' && (p[1] == 'n' || p[1] == 't' || p[1] == '\\')) {
			p++;
			*w++ = *p == 'n' ? '\n' : *p == 't' ? '\t' : '\\';
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	free(cfg->owned_separator);
	cfg->owned_separator = sep;
	cfg->separator = sep;
	return GF_OK;
}

/* The password of user, asked on the terminal with its echo off, as curl
 * asks; "" without a terminal. NULL out of memory. */
static char *ask_password(const char *user)
{
	FILE *tty = fopen("/dev/tty", "r+");
	struct termios old, quiet;
	char buf[1024] = "", *pw;
	bool echo_off;

	if(!tty)
		return strdup("");
	fprintf(tty, "Enter host password for user '%s':", user);
	fflush(tty);
	echo_off = tcgetattr(fileno(tty), &old) == 0;
	if(echo_off) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	}
	if(!fgets(buf, sizeof(buf), tty))
		buf[0] = '\0';
	if(echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	buf[strcspn(buf, "\r\n")] = '\0';
	pw = strdup(buf);
	explicit_bzero(buf, sizeof(buf));
	return pw;
}

int opt_user_password(struct gf_config *cfg)
{
	char *pw;

	if(!cfg->user || strchr(cfg->user, ':'))
		return GF_OK;
	if(!(pw = ask_password(cfg->user)) ||
	   !(cfg->owned_user = gf_aprintf("%s:%s", cfg->user, pw))) {
		free(pw);
		return no_memory();
	}
	explicit_bzero(pw, strlen(pw));
	free(pw);
	cfg->user = cfg->owned_user;
	return GF_OK;
}
