/*
 * html_fast.c - a tag read in one pass, where the state machine would
 * take it byte by byte: most of a page's markup is plain tags
 * (<a class="x" href="y">), and stepping the states for each of their
 * bytes is most of the tokenizer's time.
 *
 * The pass takes the same transitions as the states of html_tag.c and
 * makes the same calls to the builders of html_token.c, for the tags it
 * knows how to read: whole within the bytes at hand, with no NUL and no
 * CR, no character reference in a value that is kept, and none of the
 * parse errors that reconsume a byte in another state. For any other it
 * reads nothing and the state machine takes the tag from its '<' (the
 * builders start again at tok_tag_begin(), so what the pass built is
 * forgotten).
 */
#include "html_impl.h"

#include <string.h>

enum {
	C_SPACE = 1,                  /* \t \n \f ' ' */
	C_ENDS = 2,                   /* '/' '>' */
	C_BAIL = 4,                   /* NUL, CR: left to the states */
	C_EQ = 8,                     /* '=' */
	C_UPPER = 16,                 /* A-Z */
	C_REF = 32                    /* '&' */
};

#define U C_UPPER
static const unsigned char cls[256] = {
	[0] = C_BAIL, ['\r'] = C_BAIL,
	['\t'] = C_SPACE, ['\n'] = C_SPACE, ['\f'] = C_SPACE, [' '] = C_SPACE,
	['/'] = C_ENDS, ['>'] = C_ENDS, ['='] = C_EQ, ['&'] = C_REF,
	['A'] = U, ['B'] = U, ['C'] = U, ['D'] = U, ['E'] = U, ['F'] = U,
	['G'] = U, ['H'] = U, ['I'] = U, ['J'] = U, ['K'] = U, ['L'] = U,
	['M'] = U, ['N'] = U, ['O'] = U, ['P'] = U, ['Q'] = U, ['R'] = U,
	['S'] = U, ['T'] = U, ['U'] = U, ['V'] = U, ['W'] = U, ['X'] = U,
	['Y'] = U, ['Z'] = U
};
#undef U

#define CLS(p) cls[(unsigned char)*(p)]

/* An attribute's name, p to end (no byte to bail on), lower case. */
static void attr_name_put(struct html *t, const char *p, const char *end)
{
	char low[64];
	size_t k = 0;

	for(; p < end; p++) {
		if(k == sizeof(low)) {
			tok_attr_put(t, false, low, k);
			k = 0;
		}
		low[k++] = (char)(CLS(p) & C_UPPER ? *p + 32 : *p);
	}
	tok_attr_put(t, false, low, k);
}

/* The tag's name from p, lower case, up to a space, '/' or '>', packed
 * as it goes: the byte after it, or NULL when a byte to bail on came
 * first. Past the cap, bytes are dropped, as tok_name_put() does. */
static const char *tag_name(struct html *t, const char *p, const char *end)
{
	struct html_packed w = { { 0, 0 } };
	size_t k = 0;

	for(; p < end; p++) {
		unsigned c = CLS(p);
		unsigned char b;

		if(c & (C_SPACE | C_ENDS | C_BAIL)) {
			if(c & C_BAIL)
				return NULL;
			break;
		}
		b = (unsigned char)(c & C_UPPER ? *p + 32 : *p);
		html_pack_byte(&w, k, b);
		if(k < HTML_NAME_MAX)
			t->name[k++] = (char)b;
	}
	t->name_len = k;
	t->packed = w;
	t->is_packed = true;
	return p;
}

static const char *spaces(const char *p, const char *end)
{
	while(p < end && (CLS(p) & C_SPACE))
		p++;
	return p;
}

/* An attribute's value from p (after the '=' and the spaces), kept or
 * not: the byte after it, or NULL to bail. */
static const char *value(struct html *t, const char *p, const char *end,
			 bool kept, const char *lt, size_t at)
{
	const char *v;

	if(*p == '"' || *p == '\'') {
		const char *q = find_byte(p + 1, (size_t)(end - p - 1), *p);

		if(!q)
			return NULL;
		if(kept) {
			for(v = p + 1; v < q; v++)
				if(CLS(v) & (C_BAIL | C_REF))
					return NULL;
			tok_value_raw(t, at + (size_t)(p + 1 - lt), *p);
			tok_value_raw_end(t, at + (size_t)(q - lt));
			tok_attr_put(t, true, p + 1, (size_t)(q - p - 1));
			tok_value_convert(t);
		}
		q++;
		/* After the quote: a space, '/' or '>' (else a parse error that
		 * reconsumes). */
		return q < end && (CLS(q) & (C_SPACE | C_ENDS)) ? q : NULL;
	}
	if(kept)
		tok_value_raw(t, at + (size_t)(p - lt), 0);
	if(*p == '>')
		return p;             /* a missing value: the tag ends */
	for(v = p; v < end && !(CLS(v) & (C_SPACE | C_ENDS)); v++)
		if(CLS(v) & (C_BAIL | C_REF))
			return NULL;
	/* An unquoted value ends at a space or '>'; a '/' is in it. */
	while(v < end && *v == '/') {
		for(v++; v < end && !(CLS(v) & (C_SPACE | C_ENDS)); v++)
			if(CLS(v) & (C_BAIL | C_REF))
				return NULL;
	}
	if(v == end)
		return NULL;
	if(kept) {
		tok_value_raw_end(t, at + (size_t)(v - lt));
		tok_attr_put(t, true, p, (size_t)(v - p));
		tok_value_convert(t);
	}
	return v;
}

/* An attribute's name from p: its end (at a space, '/', '>' or '='), or
 * NULL to bail; whether it has upper case letters in *upper. */
static const char *attr_name(const char *p, const char *end, bool *upper)
{
	unsigned all = 0;

	for(; p < end && !(CLS(p) & (C_SPACE | C_ENDS | C_EQ)); p++)
		all |= CLS(p);
	*upper = all & C_UPPER;
	return p == end || (all & C_BAIL) ? NULL : p;
}

/* The attributes from p, to the '>' (or "/>") that ends the tag: the
 * byte after it, or NULL. One that is not kept (in lower case already,
 * the usual) is read over with no call to the builders: for them it is
 * as if it was dropped. */
static const char *attributes(struct html *t, const char *p, const char *end,
			      const char *lt, size_t at)
{
	for(;;) {
		const char *name_end;
		bool upper, kept;

		p = spaces(p, end);
		if(p == end)
			return NULL;
		if(*p == '>') {
			t->at = at + (size_t)(p - lt);
			tok_tag_emit(t);
			return p + 1;
		}
		if(*p == '/') {
			if(p + 1 == end || p[1] != '>')
				return NULL;
			t->self_closing = true;
			t->at = at + (size_t)(p + 1 - lt);
			tok_tag_emit(t);
			return p + 2;
		}
		if(*p == '=' || t->end || !(name_end = attr_name(p, end, &upper)))
			return NULL;
		kept = upper || tok_keep(t, p, (size_t)(name_end - p));
		if(kept) {
			tok_attr_begin(t);
			attr_name_put(t, p, name_end);
			tok_attr_name_done(t);
			kept = t->attr_open && !t->attr_drop;
		}
		p = spaces(name_end, end);
		if(p == end)
			return NULL;
		if(*p != '=')
			continue;     /* no value: the next attribute, or the end */
		if(kept)
			tok_value_begin(t);
		p = spaces(p + 1, end);
		if(p == end || !(p = value(t, p, end, kept, lt, at)))
			return NULL;
	}
}

size_t html_fast_tag(struct html *t, const char *p, size_t n, size_t at)
{
	const char *end = p + n, *q = p + 1;
	bool close = false;

	if(q < end && *q == '/') {
		close = true;
		q++;
	}
	if(q == end || !is_alpha((unsigned char)*q))
		return 0;
	tok_tag_begin(t, close);
	if(!(q = tag_name(t, q, end)) || q == end)
		return 0;
	t->name[t->name_len] = '\0';     /* for ops->keep */
	t->tag_start = at;
	q = attributes(t, q, end, p, at);
	return q ? (size_t)(q - p) : 0;
}
