/*
 * css.c - the tokenizer of CSS Syntax Level 3 (section 4), for what
 * loads: comments, strings, names, url tokens and url() with a string,
 * and escapes; everything else is a byte that ends a name.
 */
#include "css.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "utf8.h"

enum state {
	C_NORMAL, C_SLASH, C_COMMENT, C_COMMENT_STAR,
	C_STRING,                     /* in quotes (quote says which) */
	C_URL_SPACE,                  /* after "url(", before its value */
	C_URL, C_URL_END, C_URL_BAD,  /* an unquoted url's value, the spaces
				       * after it, a bad url to its ')' */
	C_ESCAPE, C_HEX               /* after '\', and in hex digits */
};

#define NAME_MAX_KEPT 8               /* "url" and "import" are all we need */

struct css {
	css_url_fn *fn;
	void *ctx;
	enum state state;
	enum state back;              /* where an escape returns to */
	char quote;
	char name[NAME_MAX_KEPT];     /* the name being read, lower case */
	size_t name_len;              /* past the cap: a name of no interest */
	bool at;                      /* the name follows '@' */
	bool import;                  /* "@import" and spaces: a string loads */
	bool keep;                    /* the string being read is a URL */
	bool cr;                      /* the last byte was a CR */
	size_t fed;                   /* bytes fed before this piece */
	size_t pos;                   /* offset of the byte being read */
	size_t url_start, url_end;    /* the URL as written */
	uint32_t hex;                 /* an escape's code point */
	int ndigits;
	char url[CSS_URL_MAX];
	size_t url_len;
	bool url_over;
};

struct css *css_new(css_url_fn *fn, void *ctx)
{
	struct css *c = malloc(sizeof(*c));

	if(!c)
		return NULL;
	c->fn = fn;
	c->ctx = ctx;
	css_reset(c);
	return c;
}

void css_free(struct css *c)
{
	free(c);
}

void css_reset(struct css *c)
{
	c->state = C_NORMAL;
	c->name_len = 0;
	c->at = c->import = c->keep = c->cr = false;
	c->fed = c->url_start = c->url_end = 0;
	c->url_len = 0;
	c->url_over = false;
}

static bool is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f';
}

static bool is_name(int ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch >= 0x80;
}

static int hexval(int ch)
{
	if(ch >= '0' && ch <= '9')
		return ch - '0';
	if((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
		return (ch | 0x20) - 'a' + 10;
	return -1;
}

static void url_put(struct css *c, const char *s, size_t n)
{
	if(c->url_len + n > sizeof(c->url)) {
		c->url_over = true;
		return;
	}
	memcpy(c->url + c->url_len, s, n);
	c->url_len += n;
}

static void url_char(struct css *c, int ch)
{
	char b = (char)ch;

	url_put(c, &b, 1);
}

/* An escaped code point, in UTF-8 (U+FFFD for 0, surrogates, too big). */
static void url_code_point(struct css *c, uint32_t cp)
{
	char b[4];

	if(cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		cp = 0xfffd;
	url_put(c, b, utf8_encode(b, cp));
}

/* A URL is complete: to the caller, unless it was too long or empty. */
static void url_done(struct css *c, char quote)
{
	if(!c->url_over && c->url_len > 0)
		c->fn(c->ctx, c->url, c->url_len, c->url_start,
		      c->url_end > c->url_start ? c->url_end : c->pos, quote);
	c->url_len = 0;
	c->url_over = false;
}

static void name_reset(struct css *c)
{
	c->name_len = 0;
	c->at = false;
}

static bool name_is(const struct css *c, const char *s)
{
	size_t n = strlen(s);

	return c->name_len == n && !memcmp(c->name, s, n);
}

/* A byte outside comments, strings and urls. */
static void normal(struct css *c, int ch)
{
	bool was_url, was_import;

	if(is_name(ch)) {
		if(c->name_len < sizeof(c->name))
			c->name[c->name_len] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		c->name_len++;
		c->import = false;    /* "@import foo 'x'" loads nothing */
		return;
	}
	/* A name ends here, if one was being read. */
	was_url = !c->at && name_is(c, "url");
	was_import = c->at && name_is(c, "import");
	name_reset(c);
	if(ch == '(' && was_url) {
		c->state = C_URL_SPACE;
		return;
	}
	if(was_import)
		c->import = true;     /* a string may follow, after spaces */
	if(ch == '"' || ch == '\'') {
		c->state = C_STRING;
		c->quote = (char)ch;
		c->keep = c->import;
		c->import = false;
		c->url_start = c->pos + 1;
		c->url_end = 0;
	} else if(ch == '/') {
		c->state = C_SLASH;
	} else if(ch == '@') {
		c->at = true;
		c->import = false;
	} else if(ch == '\\') {
		c->name_len = sizeof(c->name) + 1;   /* an escaped name: not ours */
		c->import = false;
	} else if(!is_space(ch)) {
		c->import = false;
	}
}

/* One byte; false when it is to be read again in the new state. Long:
 * one case per state. */
static bool step(struct css *c, int ch)
{
	switch(c->state) {
	case C_NORMAL:
		normal(c, ch);
		return true;
	case C_SLASH:
		c->state = C_NORMAL;
		if(ch == '*') {
			c->state = C_COMMENT;
			return true;
		}
		return false;
	case C_COMMENT:
		if(ch == '*')
			c->state = C_COMMENT_STAR;
		return true;
	case C_COMMENT_STAR:
		c->state = ch == '/' ? C_NORMAL : ch == '*' ? C_COMMENT_STAR : C_COMMENT;
		return true;
	case C_STRING:
		if(ch == c->quote) {
			c->url_end = c->pos;
			if(c->keep)
				url_done(c, c->quote);
			c->keep = false;
			c->state = C_NORMAL;
		} else if(ch == '\n') {
			c->url_len = 0;       /* a bad string: nothing loads */
			c->url_over = false;
			c->keep = false;
			c->state = C_NORMAL;
		} else if(ch == '\\') {
			c->back = C_STRING;
			c->state = C_ESCAPE;
		} else if(c->keep) {
			url_char(c, ch);
		}
		return true;
	case C_URL_SPACE:
		if(is_space(ch))
			return true;
		c->url_start = c->pos + (ch == '"' || ch == '\'');
		c->url_end = 0;
		if(ch == '"' || ch == '\'') {
			c->state = C_STRING;
			c->quote = (char)ch;
			c->keep = true;
			return true;
		}
		c->state = C_URL;
		return false;
	case C_URL:
		if(ch == ')') {
			c->url_end = c->pos;
			url_done(c, 0);
			c->state = C_NORMAL;
		} else if(is_space(ch)) {
			c->url_end = c->pos;
			c->state = C_URL_END;
		} else if(ch == '"' || ch == '\'' || ch == '(' || ch < 0x20 || ch == 0x7f) {
			c->state = C_URL_BAD;
		} else if(ch == '\\') {
			c->back = C_URL;
			c->state = C_ESCAPE;
		} else {
			url_char(c, ch);
		}
		return true;
	case C_URL_END:
		if(ch == ')') {
			url_done(c, 0);
			c->state = C_NORMAL;
		} else if(!is_space(ch)) {
			c->state = C_URL_BAD;
		}
		return true;
	case C_URL_BAD:
		if(ch == ')') {
			c->url_len = 0;
			c->url_over = false;
			c->state = C_NORMAL;
		} else if(ch == '\\') {
			c->back = C_URL_BAD;
			c->state = C_ESCAPE;
		}
		return true;
	case C_ESCAPE:
		if(hexval(ch) >= 0) {
			c->hex = (uint32_t)hexval(ch);
			c->ndigits = 1;
			c->state = C_HEX;
			return true;
		}
		c->state = c->back;
		if(ch == '\n' && c->back == C_STRING)
			return true;      /* a line continued */
		if(ch == '\n' && c->back == C_URL) {
			c->state = C_URL_BAD;
			return true;
		}
		if(c->back != C_URL_BAD && (c->back == C_URL || c->keep))
			url_char(c, ch);
		return true;
	case C_HEX:
		if(hexval(ch) >= 0 && c->ndigits < 6) {
			c->hex = c->hex * 16 + (uint32_t)hexval(ch);
			c->ndigits++;
			return true;
		}
		c->state = c->back;
		if(c->back != C_URL_BAD && (c->back == C_URL || c->keep))
			url_code_point(c, c->hex);
		return !is_space(ch) ? false : true;   /* one space ends it */
	}
	return true;
}

void css_feed(struct css *c, const char *data, size_t len)
{
	for(size_t i = 0; i < len; i++) {
		int ch = (unsigned char)data[i];

		/* The input's newlines: CR LF, CR and FF are LF. */
		if(ch == '\n' && c->cr) {
			c->cr = false;
			continue;
		}
		c->cr = ch == '\r';
		if(ch == '\r' || ch == '\f')
			ch = '\n';
		c->pos = c->fed + i;

		/* Comments are most of what a sheet skips: to their end at once. */
		if(c->state == C_COMMENT) {
			const char *star = memchr(data + i, '*', len - i);

			if(!star)
				break;
			i = (size_t)(star - data);
			ch = '*';
			c->cr = false;
			c->pos = c->fed + i;
		}
		while(!step(c, ch))
			;
	}
	c->fed += len;
}

void css_finish(struct css *c)
{
	c->pos = c->fed;
	if(c->state == C_HEX)
		step(c, ' ');
	if(c->state == C_URL || c->state == C_URL_END ||
	   (c->state == C_STRING && c->keep))
		url_done(c, c->state == C_STRING ? c->quote : 0);
	css_reset(c);
}
