/*
 * optcomp.c - shell completion for bash, zsh and fish, written from the
 * option table (--completion SHELL), so the three never drift from the
 * options.
 *
 * What an option's argument completes to follows from its row: a closed
 * set ("host|domain|prefix|any") to its words, a FILE to file names, a
 * DIR to directories, anything else to nothing. Words that are not
 * options complete to file names (URL lists).
 */
#include <stdio.h>
#include <string.h>

#include "gf.h"
#include "optdef.h"

enum comp_arg { COMP_NONE, COMP_WORD, COMP_CHOICE, COMP_FILE, COMP_DIR };

static enum comp_arg comp_arg(const struct opt_def *o)
{
	size_t n;

	if(!o->arg)
		return COMP_NONE;
	if(strcmp(o->arg, "DIR") == 0)
		return COMP_DIR;
	if(strstr(o->arg, "FILE"))
		return COMP_FILE;
	n = strlen(o->arg);
	if(strchr(o->arg, '|') &&
	   strspn(o->arg, "abcdefghijklmnopqrstuvwxyz0123456789.-|") == n)
		return COMP_CHOICE;
	return COMP_WORD;
}

static bool repeatable(const struct opt_def *o)
{
	return o->kind == OPT_LIST || strstr(o->help, "(repeatable)") ||
	       strcmp(o->name, "config") == 0;
}

/* The words of a closed set, space-separated. */
static void put_choices(const char *arg)
{
	for(const char *p = arg; *p; p++)
		putchar(*p == '|' ? ' ' : *p);
}

/* s inside fish's single quotes (\' and \\). */
static void fish_quoted(const char *s)
{
	for(; *s; s++) {
		if(*s == '\'' || *s == '\\')
			putchar('\\');
		putchar(*s);
	}
}

/* ------------------------------------------------------------ bash */

/* "-x|--name|..." of the rows whose argument completes as kind. */
static bool bash_pattern(const struct opt_def *defs, size_t n, enum comp_arg kind)
{
	bool any = false;

	for(size_t i = 0; i < n; i++) {
		if(comp_arg(&defs[i]) != kind)
			continue;
		if(defs[i].letter)
			printf("%s-%c", any ? "|" : "", defs[i].letter);
		printf("%s--%s", defs[i].letter || any ? "|" : "", defs[i].name);
		any = true;
	}
	return any;
}

static void bash_script(const struct opt_def *defs, size_t n)
{
	puts("# bash completion for greenfetch (greenfetch --completion bash)\n"
	     "_greenfetch()\n{\n"
	     "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n"
	     "\t# --name=value: bash splits it at '=' (COMP_WORDBREAKS), or not\n"
	     "\tif [[ $cur == --*=* ]]; then\n"
	     "\t\tprev=${cur%%=*} cur=${cur#*=}\n"
	     "\telif [[ $cur == = && $prev == --* ]]; then\n"
	     "\t\tcur=\n"
	     "\telif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
	     "\t\tprev=${COMP_WORDS[COMP_CWORD-2]}\n"
	     "\tfi\n"
	     "\tcase $prev in");
	for(size_t i = 0; i < n; i++) {
		if(comp_arg(&defs[i]) != COMP_CHOICE)
			continue;
		printf("\t--%s)\n\t\tCOMPREPLY=($(compgen -W '", defs[i].name);
		put_choices(defs[i].arg);
		puts("' -- \"$cur\")); return;;");
	}
	putchar('\t');
	if(bash_pattern(defs, n, COMP_FILE))
		puts(")\n\t\tcompopt -o filenames 2> /dev/null\n"
		     "\t\tCOMPREPLY=($(compgen -f -- \"$cur\")); return;;");
	putchar('\t');
	if(bash_pattern(defs, n, COMP_DIR))
		puts(")\n\t\tcompopt -o filenames 2> /dev/null\n"
		     "\t\tCOMPREPLY=($(compgen -d -- \"$cur\")); return;;");
	putchar('\t');
	if(bash_pattern(defs, n, COMP_WORD))
		puts(")\n\t\tCOMPREPLY=(); return;;");
	printf("\tesac\n\tif [[ $cur == -* ]]; then\n\t\tCOMPREPLY=($(compgen -W '");
	for(size_t i = 0; i < n; i++)
		printf("%s--%s", i ? " " : "", defs[i].name);
	for(size_t i = 0; i < n; i++)
		if(defs[i].letter)
			printf(" -%c", defs[i].letter);
	puts("' -- \"$cur\"))\n\t\treturn\n\tfi\n"
	     "\tcompopt -o filenames 2> /dev/null\n"
	     "\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n}\n"
	     "complete -F _greenfetch greenfetch");
}

/* ------------------------------------------------------------- zsh */

/* A description or message for _arguments: no ']' or ':' unescaped. */
static void zsh_text(const char *s)
{
	for(; *s; s++) {
		if(*s == ']' || *s == ':' || *s == '[' || *s == '\\')
			putchar('\\');
		if(*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
}

static void zsh_spec(const struct opt_def *o)
{
	enum comp_arg kind = comp_arg(o);
	const char *arg_mark = kind == COMP_NONE ? "" : "=";

	fputs("\t'", stdout);
	if(repeatable(o))
		putchar('*');
	else if(o->letter)
		printf("(-%c --%s)", o->letter, o->name);
	if(o->letter)
		printf("'{-%c%s,--%s%s}'", o->letter, kind == COMP_NONE ? "" : "+",
		       o->name, arg_mark);
	else
		printf("--%s%s", o->name, arg_mark);
	putchar('[');
	zsh_text(o->help);
	putchar(']');
	if(kind != COMP_NONE) {
		putchar(':');
		zsh_text(o->arg);
		putchar(':');
	}
	if(kind == COMP_CHOICE) {
		putchar('(');
		put_choices(o->arg);
		putchar(')');
	} else if(kind == COMP_FILE) {
		fputs("_files", stdout);
	} else if(kind == COMP_DIR) {
		fputs("_files -/", stdout);
	} else if(kind == COMP_WORD) {
		putchar(' ');
	}
	puts("' \\");
}

static void zsh_script(const struct opt_def *defs, size_t n)
{
	puts("#compdef greenfetch\n"
	     "# zsh completion for greenfetch (greenfetch --completion zsh)\n"
	     "_arguments -s -S \\");
	for(size_t i = 0; i < n; i++)
		zsh_spec(&defs[i]);
	puts("\t'*:URL or list file:_files'");
}

/* ------------------------------------------------------------ fish */

static void fish_script(const struct opt_def *defs, size_t n)
{
	puts("# fish completion for greenfetch (greenfetch --completion fish)");
	for(size_t i = 0; i < n; i++) {
		const struct opt_def *o = &defs[i];
		enum comp_arg kind = comp_arg(o);

		fputs("complete -c greenfetch", stdout);
		if(o->letter)
			printf(" -s %c", o->letter);
		printf(" -l %s", o->name);
		if(kind == COMP_FILE)
			fputs(" -r -F", stdout);
		else if(kind == COMP_DIR)
			fputs(" -x -a '(__fish_complete_directories)'", stdout);
		else if(kind == COMP_CHOICE) {
			fputs(" -x -a '", stdout);
			put_choices(o->arg);
			putchar('\'');
		} else if(kind == COMP_WORD)
			fputs(" -x", stdout);
		fputs(" -d '", stdout);
		fish_quoted(o->help);
		puts("'");
	}
}

int opt_print_completion(const struct opt_def *defs, size_t n, const char *shell)
{
	if(strcmp(shell, "bash") == 0)
		bash_script(defs, n);
	else if(strcmp(shell, "zsh") == 0)
		zsh_script(defs, n);
	else if(strcmp(shell, "fish") == 0)
		fish_script(defs, n);
	else
		return GF_EUSAGE;
	return GF_EOF;
}
