/*
 * html_impl.h - the tokenizer's insides, shared by its files: html.c
 * (the input and the text states), html_fast.c (plain tags in one pass),
 * html_tag.c (the states within tags, comments and character references),
 * html_token.c (what the states build: names, attributes, comments,
 * decoded references) and html_tree.c (the open elements).
 */
#ifndef GF_HTML_IMPL_H
#define GF_HTML_IMPL_H

#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "html.h"

/* The states, in groups: each group is stepped by one function. */
enum state {
	/* html.c: the text states, and tags opening */
	S_DATA, S_RCDATA, S_RAWTEXT, S_SCRIPT, S_PLAINTEXT, S_CDATA,
	S_CDATA_BRACKET, S_CDATA_END,
	S_TAG_OPEN, S_END_TAG_OPEN, S_TAG_NAME,
	/* RCDATA and RAWTEXT share these three: text_state says which */
	S_TEXT_LT, S_TEXT_END_OPEN, S_TEXT_END_NAME,
	S_SCRIPT_LT, S_SCRIPT_END_OPEN, S_SCRIPT_END_NAME,
	/* html.c: escaped script data */
	S_SCRIPT_ESC_START, S_SCRIPT_ESC_START_DASH, S_SCRIPT_ESC,
	S_SCRIPT_ESC_DASH, S_SCRIPT_ESC_DASH_DASH, S_SCRIPT_ESC_LT,
	S_SCRIPT_ESC_END_OPEN, S_SCRIPT_ESC_END_NAME,
	S_SCRIPT_DESC_START, S_SCRIPT_DESC, S_SCRIPT_DESC_DASH,
	S_SCRIPT_DESC_DASH_DASH, S_SCRIPT_DESC_LT, S_SCRIPT_DESC_END,
	/* html_tag.c: within a tag */
	S_BEFORE_ATTR_NAME, S_ATTR_NAME, S_AFTER_ATTR_NAME, S_BEFORE_ATTR_VALUE,
	S_VALUE_DQ, S_VALUE_SQ, S_VALUE_UQ, S_AFTER_VALUE_QUOTED, S_SELF_CLOSING,
	/* html_tag.c: comments and other markup declarations */
	S_BOGUS_COMMENT, S_MARKUP_DECL,
	S_COMMENT_START, S_COMMENT_START_DASH, S_COMMENT, S_COMMENT_LT,
	S_COMMENT_LT_BANG, S_COMMENT_LT_BANG_DASH, S_COMMENT_LT_BANG_DASH_DASH,
	S_COMMENT_END_DASH, S_COMMENT_END, S_COMMENT_END_BANG,
	S_DOCTYPE,
	/* html_tag.c: character references in attribute values */
	S_REF, S_REF_NAMED, S_REF_NUMERIC, S_REF_HEX_START, S_REF_DEC_START,
	S_REF_HEX, S_REF_DEC
};

#define HTML_TAG_MAX (1 << 20)        /* arena bytes of one tag at most */
#define REF_MAX 40                    /* "&" and the longest name (32), and more */
#define OPEN_MAX 256                  /* depth of open elements kept */

/* What the tree builder does with an element (html_names.c). */
enum {
	T_VOID = 1,                   /* never open */
	T_REPEATS = 2,                /* the same one, open, ends when it comes
				       * again (<p>, <li>... left unclosed) */
	T_FOREIGN = 4,                /* svg, math: foreign content */
	T_SCRIPT = 8,                 /* its text: script data */
	T_RAWTEXT = 16,               /* ... RAWTEXT */
	T_RCDATA = 32,                /* ... RCDATA */
	T_PLAINTEXT = 64,             /* ... all the rest of the page */
	T_BREAKOUT = 128,             /* its start tag ends foreign content */
	T_POINT = 256                 /* in foreign content, an integration
				       * point: its content is HTML */
};

struct html_elem {
	char name[16];
	unsigned char len;
	unsigned short flags;
};

extern const struct html_elem html_elems[HTML_TAG_COUNT];

/* A name of up to 16 bytes as two words, its bytes in order from the
 * low end, zeros after (names hold no NUL: the tokenizer makes it
 * U+FFFD). Names are compared this way, in registers. */
struct html_packed {
	uint64_t w[2];
};

static inline void html_pack_byte(struct html_packed *p, size_t i, unsigned char b)
{
	if(i < 16)
		p->w[i >> 3] |= (uint64_t)b << ((i & 7) * 8);
}

static inline bool html_packed_eq(const struct html_packed *a, const struct html_packed *b)
{
	return a->w[0] == b->w[0] && a->w[1] == b->w[1];
}

/* A name (len bytes) packed, its first 16 bytes. */
struct html_packed html_pack(const char *name, size_t len);

/* Fill the lookup table, once (html_new() does); then the element of a
 * name, lower case, len bytes, packed. */
void html_names_init(void);
enum html_tag html_names_find(const struct html_packed *name, size_t len);

/* An open element, as far as the tokenizer needs the tree: an HTML one,
 * one of foreign content (svg, math), or an integration point in it
 * (foreignObject...: SVG or MathML, its content HTML). */
struct open_elem {
	struct html_packed name;      /* of 16 bytes at most, else */
	bool long_name;               /* ... one no end tag is matched to */
	bool foreign;                 /* its content is foreign, not HTML */
	bool html;                    /* an element of HTML */
};

struct html {
	const struct html_ops *ops;
	void *ctx;
	enum state state;
	enum state text_state;        /* S_RCDATA or S_RAWTEXT */
	enum state value_state;       /* the value state a reference is in */
	bool test;                    /* no tree builder */
	bool cr;                      /* the last byte was a CR */
	size_t fed;                   /* bytes fed before this piece */
	size_t at;                    /* offset of the byte being stepped */
	size_t tag_start, tag_end;    /* the tag's '<' and after its '>' */
	/* The tag being read */
	bool end;                     /* an end tag */
	bool self_closing;
	char name[HTML_NAME_MAX + 1];
	size_t name_len;
	struct html_packed packed;    /* name, packed (html_fast.c) */
	bool is_packed;               /* ... else packed when the tag ends */
	enum html_tag id;             /* of a start tag, once it is read */
	char last_start[HTML_NAME_MAX + 1]; /* for an appropriate end tag */
	size_t last_start_len;
	char tmp[HTML_NAME_MAX + 1];  /* the standard's temporary buffer */
	size_t tmp_len;
	/* Its attributes: names and values in the arena, by offset */
	struct {
		size_t name_at, name_len, value_at, value_len;
		bool has_value;           /* an '=' came */
		bool truncated;
		size_t raw_start, raw_end; /* as written (html_attr) */
		char quote;
	} attr[HTML_ATTRS_MAX];
	size_t nattrs;
	bool attr_open;               /* attr[nattrs] is being read */
	bool attr_drop;               /* ... and is dropped (duplicate, over) */
	size_t raw_at;                /* value bytes not yet converted (iconv) */
	char *arena;
	size_t arena_len, arena_cap;
	bool arena_full;
	/* A character reference */
	char ref[REF_MAX + 8];        /* as written, "&..." */
	size_t ref_len;
	uint32_t ref_value;
	/* "<!" and what follows, until it says what it is */
	char decl[8];
	size_t decl_len;
	/* A comment, when wanted */
	char *comment;
	size_t comment_len;
	/* Foreign content */
	struct open_elem open[OPEN_MAX];
	size_t nopen;
	/* Attribute values from another encoding than UTF-8 */
	iconv_t cd;
};

/* ------------------------------------------------------------ bytes */

static inline bool is_space(int c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == ' ';
}

static inline bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static inline int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static inline int hexval(int c)
{
	return is_digit(c) ? c - '0' : (lower(c) >= 'a' && lower(c) <= 'f') ?
	       lower(c) - 'a' + 10 : -1;
}

/* The first byte c of the n at p, or NULL: memchr, with the first 16
 * bytes looked at in place where the machine can, for most runs in
 * markup are shorter than that, and the call costs more than they do. */
static inline const char *find_byte(const char *p, size_t n, char c)
{
#ifdef __SSE2__
	if(n >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c)));

		if(m)
			return p + __builtin_ctz(m);
		p += 16;
		n -= 16;
	}
#endif
	return memchr(p, c, n);
}

/* ------------------------------------------------------- the steps */

/* One byte (or -1, the end of the input) in the current state. False:
 * it is to be read again, in the state it switched to. */
bool html_step(struct html *t, int c);
bool html_step_tag(struct html *t, int c);
bool html_step_markup(struct html *t, int c);
bool html_step_ref(struct html *t, int c);

/* html_fast.c: the tag whose '<' is at p, read whole if it can be (in
 * the data state); how many bytes it took, 0 for none. */
size_t html_fast_tag(struct html *t, const char *p, size_t n, size_t at);

/* "<!" then c: a comment, a DOCTYPE, CDATA or a bogus comment. */
void html_markup_decl(struct html *t, int c);

/* ------------------------------------------- html_token.c: building */

/* A byte of a name (the tag's, or the temporary buffer), within the cap. */
void tok_name_char(char *name, size_t *len, int c);
/* Bytes of the tag's name, lower case already. */
void tok_name_put(struct html *t, const char *s, size_t n);

/* The tag being read, and its attributes (value: to the value, not the
 * name). */
void tok_tag_begin(struct html *t, bool end);
void tok_attr_begin(struct html *t);
void tok_attr_put(struct html *t, bool value, const char *s, size_t n);
void tok_attr_char(struct html *t, bool value, int c);
void tok_attr_name_done(struct html *t);
/* Is attribute name (len bytes, lower case) of the tag kept (ops->keep)? */
bool tok_keep(const struct html *t, const char *name, size_t len);
void tok_value_begin(struct html *t);
/* Where the value's bytes start (at) and how it is quoted; where they end. */
void tok_value_raw(struct html *t, size_t at, char quote);
void tok_value_raw_end(struct html *t, size_t at);
/* The value is over: convert it to UTF-8 (html_set_charset()). */
void tok_value_convert(struct html *t);
/* The tag is over: to ops, and what the tree builder would do of it. */
void tok_tag_emit(struct html *t);
/* Is the current node in foreign content (svg, math)? */
bool tok_in_foreign(const struct html *t);
/* html_tree.c: what the tree builder does with a start tag (the text
 * states, foreign content in and out) and an end tag. */
void tok_tree_start(struct html *t, const struct html_attr *a, size_t na);
void tok_tree_end(struct html *t);

void tok_comment_begin(struct html *t);
void tok_comment_put(struct html *t, const char *s, size_t n);
void tok_comment_char(struct html *t, int c);
void tok_comment_emit(struct html *t);

/* A character reference in a value: a named one ends (next: the byte
 * after it, -1 after ';'), a digit of a numeric one, a numeric one ends. */
void tok_ref_named_done(struct html *t, int next);
void tok_ref_add_digit(struct html *t, int v, int base);
void tok_ref_numeric_done(struct html *t);

#endif
