/*
 * optdef.h - a row of the option table, and what reads it: the values
 * (optvalue.c) and the words (opthelp.c) of the options in options.c.
 *
 * A row says what an option sets (kind, field, range) and its default, so
 * that one function applies every option, --help is written from the rows,
 * and the defaults are set by applying them like any argument.
 */
#ifndef GF_OPTDEF_H
#define GF_OPTDEF_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

enum opt_kind {
	OPT_BOOL,                     /* bool field = value */
	OPT_VALUE,                    /* int field = value */
	OPT_INT,                      /* int field = N in [min, max] */
	OPT_LONG,                     /* long field = N in [min, max] */
	OPT_SECONDS,                  /* double field = SEC, fractions allowed */
	OPT_SIZE,                     /* size_t field = N, NK, NM or NG */
	OPT_STRING,                   /* const char * field = the argument */
	OPT_LIST,                     /* const char ** field (count at count_at)
					 gets the argument appended */
	OPT_CHOICE,                   /* int field = the argument's place in
					 arg, "a|b|c" */
	OPT_CUSTOM                    /* set() does it */
};

struct opt_def {
	const char *name;             /* long name */
	char letter;                  /* short name, or 0 */
	enum opt_kind kind;
	size_t at;                    /* the field in struct gf_config */
	size_t count_at;              /* OPT_LIST: the field counting it */
	long min, max;                /* OPT_INT, OPT_LONG: the range */
	bool show_range;              /* --help gives the range */
	int value;                    /* OPT_BOOL, OPT_VALUE: what is set */
	const char *dflt;             /* the default, as an argument would give
					 it ("20", "64M"; "on"/"off" for a
					 bool), NULL = zero */
	const char *zero;             /* what 0 means, for --help */
	const char *arg;              /* the argument's name, NULL = none */
	const char *help;             /* one line for --help */
	/* OPT_CUSTOM: GF_OK, GF_EUSAGE (said), GF_EOF (stop: --help). A
	 * check for other kinds, before the field is set. */
	int (*set)(struct gf_config *cfg, const struct opt_def *o, const char *arg);
};

/* The offset of field in struct gf_config, which must be of type T (a
 * row naming a field of another type does not compile). */
#define OPT_AT(T, field) (offsetof(struct gf_config, field) + \
	0 * sizeof(&((struct gf_config *)0)->field == (T *)0))

/* ------------------------------------------------------- optvalue.c */

/* Set o's field from arg (or run o->set): GF_OK, GF_EUSAGE, GF_EOF. */
int opt_apply(struct gf_config *cfg, const struct opt_def *o, const char *arg);

/* Does the default of a bool or value row equal what it sets? */
bool opt_is_default(const struct opt_def *o);

/* Setters and checks of the options that are more than a value. */
int opt_header(struct gf_config *cfg, const struct opt_def *o, const char *arg);
int opt_resolve(struct gf_config *cfg, const struct opt_def *o, const char *arg);
int opt_proxy(struct gf_config *cfg, const struct opt_def *o, const char *arg);
int opt_rate(struct gf_config *cfg, const struct opt_def *o, const char *arg);
int opt_write_out(struct gf_config *cfg, const struct opt_def *o, const char *arg);
int opt_separator(struct gf_config *cfg, const struct opt_def *o, const char *arg);

/* -u USER without a password: ask for it on the terminal (cfg->user is
 * then "USER:PASSWORD"). GF_OK, or GF_EUSAGE out of memory (said). */
int opt_user_password(struct gf_config *cfg);

/* -------------------------------------------------------- optfile.c */

/* The arguments with the config files' options spliced in. */
struct optfile_args {
	int argc;
	char **argv;                  /* argv[argc] is NULL */
	char **owned;                 /* the files' arguments, freed here */
	size_t nowned;
};

/* argv with the user's file's options first (unless -q/--disable is the
 * first argument), and each -K FILE's where it stands. GF_OK, or
 * GF_EUSAGE (said). */
int optfile_expand(const struct opt_def *defs, size_t ndefs, int argc,
		   char **argv, struct optfile_args *out);
void optfile_free(struct optfile_args *args);

/* -------------------------------------------------------- opthelp.c */

/* "greenfetch: " fmt (with what), and the hint to --help. */
void opt_usage_error(const char *fmt, const char *what);

void opt_print_help(const struct opt_def *defs, size_t n);

/* ------------------------------------------------------- optcomp.c */

/* The completion script of shell ("bash", "zsh", "fish") for the rows, on
 * stdout: GF_EOF, or GF_EUSAGE for another shell (not said). */
int opt_print_completion(const struct opt_def *defs, size_t n, const char *shell);
void opt_print_version(void);

/* An unknown long option given: say so, with the nearest one in defs. */
void opt_unknown_long(const struct opt_def *defs, size_t n, const char *given);

#endif
