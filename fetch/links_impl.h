/*
 * links_impl.h - the link extractor's insides, shared by links.c (the
 * page, its elements and style sheets) and links_charset.c (its encoding).
 */
#ifndef GF_LINKS_IMPL_H
#define GF_LINKS_IMPL_H

#include <iconv.h>
#include <stdbool.h>
#include <stddef.h>

#include "html.h"
#include "links.h"

#define LINKS_SNIFF 1024              /* bytes read for the encoding */
#define LINKS_WIDE 16384              /* UTF-16 converted at once */

struct links {
	struct html *html;            /* the tokenizer */
	bool assets;                  /* also img, script, stylesheets */
	struct css *css;              /* for <style>, style="" and sheets */
	bool in_style;                /* in a <style> element */
	bool sheet;                   /* the body is a style sheet */
	char robots[256];             /* <meta name=robots> contents, joined */
	bool finished;                /* links_finish() was called */
	size_t *at;                   /* links as written: their offsets */
	size_t n, cap;
	char *text;                   /* in here, each NUL-terminated */
	size_t text_len, text_cap;
	char *base;                   /* <base href>, first one */
	char declared[40];            /* the Content-Type's charset, "" = none */
	char charset[40];             /* the one used */
	bool decided;                 /* charset is known */
	char *sniff;                  /* the first bytes, until then */
	size_t sniff_len;
	iconv_t wide;                 /* UTF-16 into UTF-8, or (iconv_t)-1 */
	char partial[4];              /* UTF-16 bytes cut by a piece's end */
	size_t npartial;
	size_t fed;                   /* bytes of the page read so far */
	/* links_track(): where each link is */
	bool track;
	struct links_where *where;    /* one per link */
	struct links_where cur;       /* where the next link added is */
	const char *cur_value;        /* IN_VALUE: the decoded value read */
	size_t *values;               /* decoded values, offsets in text */
	size_t nvalues, values_cap;
	struct links_where base_where;
	bool base_tracked;
	size_t style_at;              /* where a <style>'s text starts */
};

/* Attribute name of a tag, or NULL (also when its value was cut). */
const struct html_attr *links_attr(const struct html_attr *a, size_t n,
				   const char *name);

/* links_charset.c: the name iconv knows for an encoding label ("" for
 * UTF-8); the charset parameter of a Content-Type value (its length in
 * *n, NULL for none); the page's encoding, from what is known now; bytes
 * of the page to the tokenizer, in UTF-8 when they were UTF-16. */
void links_charset_name(const char *label, size_t n, bool from_meta,
			char *out, size_t size);
const char *links_charset_param(const char *s, size_t *n);
void links_decide(struct links *l);
void links_tokenize(struct links *l, const char *data, size_t len);

#endif
