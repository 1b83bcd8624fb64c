/*
 * test_outname.c - file names for -o stay inside the directory, are stable,
 * unique and short enough.
 */
#include <stdlib.h>
#include <string.h>

#include "outname.h"
#include "unit.h"

static char *name(struct outnames *set, const char *path, const char *query)
{
	return outname_for_url(set, "Example.ORG", "", path, query);
}

/* No segment is empty, ".", ".." or starts with '/'. */
static int inside(const char *n)
{
	const char *p = n;

	if(n[0] == '/')
		return 0;
	while(*p) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		if(len == 0 || len > OUTNAME_MAX_SEGMENT ||
		   (len == 1 && p[0] == '.') || (len == 2 && !strncmp(p, "..", 2)))
			return 0;
		p += len + (slash != NULL);
	}
	return strlen(n) <= OUTNAME_MAX + 64;
}

static void outname_host_and_path(void)
{
	struct outnames *set = outnames_new();
	char *a = name(set, "/a/b.html", "");
	char *b = name(set, "/", "");
	char *c = outname_for_url(set, "h", "8080", "/dir/", "");

	CHECK_STR(a, "example.org/a/b.html");
	CHECK_STR(b, "example.org/index.html");
	CHECK_STR(c, "h:8080/dir/index.html");
	free(a);
	free(b);
	free(c);
	outnames_free(set);
}

static void outname_never_escapes(void)
{
	const char *paths[] = {
		"/../../etc/passwd", "/%2e%2e/%2e%2e/x", "/..%2f..%2fx", "//etc//passwd",
		"/a\\..\\..\\b", "/./././x", "/..", "/x/\x01\x1b[2J", "/\x7f/..",
	};
	struct outnames *set = outnames_new();

	for(size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *n = name(set, paths[i], "");

		CHECK(n && inside(n));
		CHECK(n && !strpbrk(n, "\\\x01\x1b\x7f"));
		free(n);
	}
	outnames_free(set);
}

static void outname_long_names_shortened(void)
{
	struct outnames *set = outnames_new();
	char seg[1001], path[5000] = "";
	char *n;

	memset(seg, 'x', 1000);
	seg[1000] = '\0';
	strcat(path, "/");
	strcat(path, seg);
	n = name(set, path, "");
	CHECK(n && inside(n));
	free(n);
	path[0] = '\0';
	for(int i = 0; i < 30; i++)
		strcat(path, "/0123456789012345678901234567890123456789"
		       "0123456789012345678901234567890123456789");
	strcat(path, "/page.html");
	n = name(set, path, "");
	CHECK(n && inside(n) && strlen(n) < 100);
	CHECK(n && strstr(n, ".html") != NULL);   /* extension kept */
	free(n);
	outnames_free(set);
}

static void outname_queries_and_repeats_are_unique_and_stable(void)
{
	struct outnames *s1 = outnames_new(), *s2 = outnames_new();
	char *a1 = name(s1, "/p.html", "a=1"), *b1 = name(s1, "/p.html", "a=2");
	char *c1 = name(s1, "/p.html", ""), *d1 = name(s1, "/p.html", "");
	char *a2 = name(s2, "/p.html", "a=1"), *b2 = name(s2, "/p.html", "a=2");

	CHECK(strcmp(a1, b1) != 0);
	CHECK_STR(a1, a2);
	CHECK_STR(b1, b2);
	CHECK(strncmp(a1, "example.org/p-", 14) == 0 && strstr(a1, ".html"));
	CHECK_STR(c1, "example.org/p.html");
	CHECK_STR(d1, "example.org/p-2.html");
	free(a1); free(b1); free(c1); free(d1); free(a2); free(b2);
	outnames_free(s1);
	outnames_free(s2);
}

static void outname_template(void)
{
	struct outnames *set = outnames_new();
	char *a = outname_for_template(set, "{index}.html", 7, "h", "", "/x", "");
	char *b = outname_for_template(set, "../../{host}/{name}", 1, "h", "81",
				       "/d/f.txt", "");
	char *c = outname_for_template(set, "/abs/{index}", 2, "h", "", "/", "");

	CHECK_STR(a, "7.html");
	CHECK(b && inside(b));
	CHECK_STR(b, "%2E%2E/%2E%2E/h:81/f.txt");
	CHECK_STR(c, "abs/2");
	free(a);
	free(b);
	free(c);
	outnames_free(set);
}

static void outname_files_and_directories_both_saved(void)
{
	struct outnames *set = outnames_new();
	char *a = name(set, "/a", ""), *ab = name(set, "/a/b", "");
	char *x = name(set, "/x/y/z", ""), *xy = name(set, "/x/y", "");
	char *again = name(set, "/x/y", ""), *ad = name(set, "/a.d/c", "");

	/* A file first: the directory is renamed. A directory first: the
	 * file goes inside it. Deterministic: decided when named. */
	CHECK_STR(a, "example.org/a");
	CHECK_STR(ab, "example.org/a.d/b");
	CHECK_STR(x, "example.org/x/y/z");
	CHECK_STR(xy, "example.org/x/y/index.html");
	CHECK_STR(again, "example.org/x/y/index-2.html");
	CHECK_STR(ad, "example.org/a.d/c");  /* a.d is a directory: fine */
	free(a); free(ab); free(x); free(xy); free(again); free(ad);
	outnames_free(set);
}

static void outname_many_of_one_name_is_linear(void)
{
	/* 30,000 of one name: each takes the next suffix at once (trying
	 * -2, -3, ... each time would be 450 million lookups). */
	struct outnames *set = outnames_new();
	char *n = NULL;

	for(int i = 0; i < 30000; i++) {
		free(n);
		n = name(set, "/same.html", "");
	}
	CHECK_STR(n, "example.org/same-30000.html");
	free(n);
	outnames_free(set);
}

int main(void)
{
	RUN(outname_files_and_directories_both_saved);
	RUN(outname_many_of_one_name_is_linear);
	RUN(outname_host_and_path);
	RUN(outname_never_escapes);
	RUN(outname_long_names_shortened);
	RUN(outname_queries_and_repeats_are_unique_and_stable);
	RUN(outname_template);
	return unit_any_failed;
}
