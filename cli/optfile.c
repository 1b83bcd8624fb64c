/*
 * optfile.c - options from files, curl's way: -K/--config FILE, and the
 * user's own file ($XDG_CONFIG_HOME/greenfetch/config, else
 * ~/.greenfetchrc), read first unless -q/--disable is the first argument.
 *
 * A file's options are spliced into the arguments where they stand (the
 * user's file before all of them), and then read as if they had been
 * typed there: later options win over earlier ones as on a command line.
 *
 * A line is one option, its leading dashes optional: "name = value",
 * "name: value", "name value" or "name" alone; a value in double quotes
 * may hold spaces and the escapes \" \\ \t \n \r \v. "url = URL" gives
 * an input. Blank lines and lines that begin with '#' are skipped.
 */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf.h"
#include "optdef.h"

#define OPTFILE_DEPTH 8               /* -K within -K, at most */

struct splice {
	const struct opt_def *defs;
	size_t ndefs;
	struct optfile_args *out;
	size_t cap;                   /* room in out->argv */
	int depth;                    /* files being read */
};

/* ------------------------------------------------------------ output */

static bool push(struct splice *s, char *arg)
{
	if((size_t)s->out->argc + 2 > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 32;
		char **more = realloc(s->out->argv, cap * sizeof(*more));

		if(!more)
			return false;
		s->out->argv = more;
		s->cap = cap;
	}
	s->out->argv[s->out->argc++] = arg;
	s->out->argv[s->out->argc] = NULL;
	return true;
}

/* Push a copy of text, kept until optfile_free(). */
static bool push_copy(struct splice *s, const char *text, size_t len)
{
	char *copy = gf_strndup(text, len), **more;

	if(!copy)
		return false;
	more = realloc(s->out->owned, (s->out->nowned + 1) * sizeof(*more));
	if(!more) {
		free(copy);
		return false;
	}
	s->out->owned = more;
	s->out->owned[s->out->nowned++] = copy;
	return push(s, copy);
}

/* "--name" of o. */
static bool push_option(struct splice *s, const struct opt_def *o)
{
	char arg[64];
	int n = snprintf(arg, sizeof(arg), "--%s", o->name);

	return push_copy(s, arg, (size_t)n);
}

static int no_memory(void)
{
	fprintf(stderr, "greenfetch: out of memory\n");
	return GF_EUSAGE;
}

/* ------------------------------------------------------------ the table */

static const struct opt_def *by_name(const struct splice *s, const char *name,
				     size_t len)
{
	for(size_t i = 0; i < s->ndefs; i++)
		if(strlen(s->defs[i].name) == len &&
		   strncmp(s->defs[i].name, name, len) == 0)
			return &s->defs[i];
	return NULL;
}

static const struct opt_def *by_letter(const struct splice *s, char c)
{
	for(size_t i = 0; i < s->ndefs; i++)
		if(s->defs[i].letter == c)
			return &s->defs[i];
	return NULL;
}

/* ------------------------------------------------------------ files */

static int splice_file(struct splice *s, const char *path);

/* A quoted value from p (after the quote) into out; its end, NULL when
 * the quote is not closed. */
static char *unquote(char *p, char *out)
{
	static const char from[] = "tnrv", to[] = "\t\n\r\v";

	for(; *p && *p != '"'; p++) {
		if(*p == '\\' && p[1]) {
			const char *e = strchr(from, *++p);

			*out++ = e ? to[e - from] : *p;
		} else {
			*out++ = *p;
		}
	}
	*out = '\0';
	return *p == '"' ? p + 1 : NULL;
}

/* "FILE:LINE: " and the message, on stderr. */
static int line_error(const char *path, int lineno, const char *what,
		      const char *name)
{
	fprintf(stderr, "greenfetch: %s:%d: %s '%s'\n", path, lineno, what, name);
	return GF_EUSAGE;
}

/* One line of a file (its newline cut off; changed in place). */
static int splice_line(struct splice *s, const char *path, int lineno, char *line)
{
	char *p = line + strspn(line, " \t\r"), *name, *value = NULL;
	char *end = NULL;
	const struct opt_def *o;
	bool quoted;
	size_t n;

	if(!*p || *p == '#')
		return GF_OK;
	name = p;
	n = strcspn(p, " \t\r=:");
	p += n;
	p += strspn(p, " \t\r");
	if(*p == '=' || *p == ':')
		p += 1 + strspn(p + 1, " \t\r");
	quoted = *p == '"';
	if(*p) {
		value = p;
		end = quoted ? unquote(p + 1, value) : p + strcspn(p, " \t\r");
	}
	name[n] = '\0';
	if(quoted && !end)
		return line_error(path, lineno, "unclosed quote in the value of", name);
	if(end && end[strspn(end, " \t\r")] && end[strspn(end, " \t\r")] != '#')
		return line_error(path, lineno, "more than one value (quote a value "
				  "with spaces) for", name);
	if(end)
		*end = '\0';          /* past a quoted value's own end */
	if(name[0] == '-' && name[1] != '-' && name[1] && !name[2])
		o = by_letter(s, name[1]);
	else
		o = by_name(s, name + strspn(name, "-"), strlen(name + strspn(name, "-")));
	if(!o && strcmp(name + strspn(name, "-"), "url") == 0)
		return !value ? line_error(path, lineno, "no URL after", name) :
		       push_copy(s, value, strlen(value)) ? GF_OK : no_memory();
	if(!o)
		return line_error(path, lineno, "unknown option", name);
	if(o->arg && !value)
		return line_error(path, lineno, "no value for", name);
	if(!o->arg && value)
		return line_error(path, lineno, "a value for an option that takes none:", name);
	if(strcmp(o->name, "config") == 0)
		return splice_file(s, value);
	return push_option(s, o) && (!value || push_copy(s, value, strlen(value))) ?
	       GF_OK : no_memory();
}

/* Read path ("-": standard input) and splice its options. */
static int splice_file(struct splice *s, const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = GF_OK;

	if(!f) {
		fprintf(stderr, "greenfetch: cannot read the config file %s: %s\n",
			path, strerror(errno));
		return GF_EUSAGE;
	}
	if(++s->depth > OPTFILE_DEPTH) {
		fprintf(stderr, "greenfetch: %s: config files nested more than %d deep\n",
			path, OPTFILE_DEPTH);
		rc = GF_EUSAGE;
	}
	while(!rc && getline(&line, &cap, f) >= 0) {
		line[strcspn(line, "\n")] = '\0';
		rc = splice_line(s, path, ++lineno, line);
	}
	if(!rc && ferror(f)) {
		fprintf(stderr, "greenfetch: cannot read the config file %s: %s\n",
			path, strerror(errno));
		rc = GF_EUSAGE;
	}
	s->depth--;
	free(line);
	if(f != stdin)
		fclose(f);
	return rc;
}

/* ------------------------------------------------------------ arguments */

/* -K FILE, --config FILE or --config=FILE at argv[*i]: splice the file.
 * file is NULL when the argument is missing: the option stays for
 * getopt_long to say so. */
static int splice_config(struct splice *s, const char *opt, const char *file)
{
	if(!file)
		return push_copy(s, opt, strlen(opt)) ? GF_OK : no_memory();
	return splice_file(s, file);
}

/* A cluster of short options ("-vK FILE", "-c8"): up to the first that
 * takes an argument. */
static int splice_short(struct splice *s, int argc, char **argv, int *i)
{
	char *a = argv[*i];

	for(size_t k = 1; a[k]; k++) {
		const struct opt_def *o = by_letter(s, a[k]);
		const char *rest;

		if(!o || !o->arg)
			continue;
		rest = a[k + 1] ? a + k + 1 : *i + 1 < argc ? argv[++*i] : NULL;
		if(strcmp(o->name, "config") != 0)
			return push(s, a) && (a[k + 1] || !rest || push(s, (char *)rest)) ?
			       GF_OK : no_memory();
		if(k > 1 && !push_copy(s, a, k))
			return no_memory();
		return splice_config(s, "-K", rest);
	}
	return push(s, a) ? GF_OK : no_memory();
}

static int splice_args(struct splice *s, int argc, char **argv)
{
	int i, rc = GF_OK;

	for(i = 1; !rc && i < argc && strcmp(argv[i], "--") != 0; i++) {
		char *a = argv[i];
		bool is_long = a[0] == '-' && a[1] == '-';
		size_t n = is_long ? strcspn(a + 2, "=") : 0;
		const struct opt_def *o = is_long ? by_name(s, a + 2, n) : NULL;

		if(a[0] != '-' || !a[1])
			rc = push(s, a) ? GF_OK : no_memory();
		else if(a[1] != '-')
			rc = splice_short(s, argc, argv, &i);
		else if(o && strcmp(o->name, "config") == 0)
			rc = splice_config(s, a, a[2 + n] ? a + 3 + n :
					   i + 1 < argc ? argv[++i] : NULL);
		else if(!push(s, a) || (o && o->arg && !a[2 + n] && i + 1 < argc &&
					!push(s, argv[++i])))
			rc = no_memory();
	}
	while(!rc && i < argc)
		rc = push(s, argv[i++]) ? GF_OK : no_memory();
	return rc;
}

/* The user's file, when there is one: $XDG_CONFIG_HOME/greenfetch/config,
 * else ~/.greenfetchrc. */
static int splice_user_file(struct splice *s)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char path[4096];
	int n = -1;

	if(xdg && *xdg) {
		n = snprintf(path, sizeof(path), "%s/greenfetch/config", xdg);
		if(n > 0 && (size_t)n < sizeof(path) && access(path, F_OK) == 0)
			return splice_file(s, path);
	}
	if(!home || !*home)
		return GF_OK;
	n = snprintf(path, sizeof(path), "%s/.greenfetchrc", home);
	if(n < 0 || (size_t)n >= sizeof(path) || access(path, F_OK) != 0)
		return GF_OK;
	return splice_file(s, path);
}

int optfile_expand(const struct opt_def *defs, size_t ndefs, int argc,
		   char **argv, struct optfile_args *out)
{
	struct splice s = { .defs = defs, .ndefs = ndefs, .out = out };
	bool disabled = argc > 1 && (strcmp(argv[1], "-q") == 0 ||
				     strcmp(argv[1], "--disable") == 0);
	int rc;

	memset(out, 0, sizeof(*out));
	if(!push(&s, argv[0]))
		return no_memory();
	rc = disabled ? GF_OK : splice_user_file(&s);
	return rc ? rc : splice_args(&s, argc, argv);
}

void optfile_free(struct optfile_args *args)
{
	for(size_t i = 0; i < args->nowned; i++)
		free(args->owned[i]);
	free(args->owned);
	free(args->argv);
	memset(args, 0, sizeof(*args));
}
