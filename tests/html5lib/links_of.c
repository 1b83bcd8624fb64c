/*
 * links_of.c - the links greenfetch finds in HTML files, for the
 * differential test against python3-html5lib (differential.py): for each
 * FILE, a line "== FILE", then one line per link found in an element's
 * attribute (the base href as "base VALUE"), as read, with assets; links
 * of CSS are left out (html5lib does not read CSS).
 *
 * Usage: html-links FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "links.h"

static void print_line(const char *s)
{
	/* One link a line: a newline left in it would break the line. */
	for(; *s; s++)
		putchar(*s == '\n' ? ' ' : *s);
	putchar('\n');
}

int main(int argc, char **argv)
{
	static char buf[1 << 16];

	for(int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		struct links *l = links_new(true);
		size_t n;

		if(!f || !l) {
			perror(argv[i]);
			return 1;
		}
		links_track(l);
		while((n = fread(buf, 1, sizeof(buf), f)) > 0)
			links_feed(l, buf, n);
		fclose(f);
		links_finish(l);
		printf("== %s\n", argv[i]);
		if(links_base(l)) {
			printf("base ");
			print_line(links_base(l));
		}
		for(size_t k = 0; k < links_count(l); k++) {
			const struct links_where *w = links_where(l, k);

			if(w->how == LINKS_CSS || (w->how == LINKS_IN_VALUE && w->css))
				continue;
			print_line(links_get(l, k));
		}
		links_free(l);
	}
	return 0;
}
