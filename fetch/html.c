/*
 * html.c - the tokenizer: one state machine over bytes, the states named
 * as in the WHATWG standard's 13.2.5 ("Tokenization").
 *
 * Text is never kept: in the data, RCDATA, RAWTEXT, script data and
 * PLAINTEXT states the machine only looks for what ends them ('<'), and
 * skips to it with memchr. Names and values go into the tag's arena,
 * within their caps; a character reference is decoded where it stands.
 * A byte read where the standard says "reconsume" is handled again in the
 * new state (the loop does not advance).
 */
#include "html.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"

enum state {
	S_DATA, S_RCDATA, S_RAWTEXT, S_SCRIPT, S_PLAINTEXT, S_CDATA,
	S_TAG_OPEN, S_END_TAG_OPEN, S_TAG_NAME,
	/* RCDATA and RAWTEXT share these three: text_state says which */
	S_TEXT_LT, S_TEXT_END_OPEN, S_TEXT_END_NAME,
	S_SCRIPT_LT, S_SCRIPT_END_OPEN, S_SCRIPT_END_NAME,
	S_SCRIPT_ESC_START, S_SCRIPT_ESC_START_DASH, S_SCRIPT_ESC,
	S_SCRIPT_ESC_DASH, S_SCRIPT_ESC_DASH_DASH, S_SCRIPT_ESC_LT,
	S_SCRIPT_ESC_END_OPEN, S_SCRIPT_ESC_END_NAME,
	S_SCRIPT_DESC_START, S_SCRIPT_DESC, S_SCRIPT_DESC_DASH,
	S_SCRIPT_DESC_DASH_DASH, S_SCRIPT_DESC_LT, S_SCRIPT_DESC_END,
	S_BEFORE_ATTR_NAME, S_ATTR_NAME, S_AFTER_ATTR_NAME, S_BEFORE_ATTR_VALUE,
	S_VALUE_DQ, S_VALUE_SQ, S_VALUE_UQ, S_AFTER_VALUE_QUOTED, S_SELF_CLOSING,
	S_BOGUS_COMMENT, S_MARKUP_DECL,
	S_COMMENT_START, S_COMMENT_START_DASH, S_COMMENT, S_COMMENT_LT,
	S_COMMENT_LT_BANG, S_COMMENT_LT_BANG_DASH, S_COMMENT_LT_BANG_DASH_DASH,
	S_COMMENT_END_DASH, S_COMMENT_END, S_COMMENT_END_BANG,
	S_DOCTYPE,
	S_CDATA_BRACKET, S_CDATA_END,
	/* character references in attribute values */
	S_REF, S_REF_NAMED, S_REF_NUMERIC, S_REF_HEX_START, S_REF_DEC_START,
	S_REF_HEX, S_REF_DEC
};

#define HTML_TAG_MAX (1 << 20)        /* arena bytes of one tag at most */
#define REF_MAX 40                    /* "&" and the longest name (32), and more */
#define FOREIGN_MAX 64                /* depth of svg/math kept track of */

struct entity {
	const char *name;
	unsigned cp1, cp2;
};

static const struct entity entities[] = {
#include "entities.inc"
};

/* An element open in foreign content (svg, math) or an integration point
 * in it (foreignObject...): what the tokenizer needs of the tree. */
struct open_elem {
	char name[16];
	bool foreign;                 /* its content is foreign, not HTML */
};

struct html {
	const struct html_ops *ops;
	void *ctx;
	enum state state;
	enum state text_state;        /* S_RCDATA or S_RAWTEXT */
	enum state value_state;       /* the value state a reference is in */
	bool test;                    /* no tree builder */
	bool cr;                      /* the last byte was a CR */
	/* The tag being read */
	bool end;                     /* an end tag */
	bool self_closing;
	char name[HTML_NAME_MAX + 1];
	size_t name_len;
	char last_start[HTML_NAME_MAX + 1]; /* for an appropriate end tag */
	size_t last_start_len;
	char tmp[HTML_NAME_MAX + 1];  /* the standard's temporary buffer */
	size_t tmp_len;
	/* Its attributes: names and values in the arena, by offset */
	struct {
		size_t name_at, name_len, value_at, value_len;
		bool has_value;           /* an '=' came */
		bool truncated;
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
	struct open_elem open[FOREIGN_MAX];
	size_t nopen;
	/* Attribute values from another encoding than UTF-8 */
	iconv_t cd;
};

struct html *html_new(const struct html_ops *ops, void *ctx)
{
	struct html *t = calloc(1, sizeof(*t));

	if(!t)
		return NULL;
	t->ops = ops;
	t->ctx = ctx;
	t->cd = (iconv_t)-1;
	return t;
}

void html_free(struct html *t)
{
	if(!t)
		return;
	if(t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	free(t->arena);
	free(t->comment);
	free(t);
}

void html_test_mode(struct html *t, enum html_start s, const char *last)
{
	static const enum state states[] = {
		S_DATA, S_PLAINTEXT, S_RCDATA, S_RAWTEXT, S_SCRIPT, S_CDATA
	};

	t->test = true;
	t->state = states[s];
	t->text_state = s == HTML_RAWTEXT ? S_RAWTEXT : S_RCDATA;
	t->last_start_len = last ? strlen(last) : 0;
	if(t->last_start_len > HTML_NAME_MAX)
		t->last_start_len = HTML_NAME_MAX;
	memcpy(t->last_start, last ? last : "", t->last_start_len);
}

bool html_set_charset(struct html *t, const char *charset)
{
	if(t->cd != (iconv_t)-1)
		iconv_close(t->cd);
	t->cd = iconv_open("UTF-8", charset);
	return t->cd != (iconv_t)-1;
}

/* ------------------------------------------------------------ helpers */

static bool is_space(int c)
{
	return c == '\t' || c == '\n' || c == '\f' || c == ' ';
}

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum(int c)
{
	return is_alpha(c) || is_digit(c);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int hexval(int c)
{
	return is_digit(c) ? c - '0' : (lower(c) >= 'a' && lower(c) <= 'f') ?
	       lower(c) - 'a' + 10 : -1;
}

/* UTF-8 of code point cp in out (4 bytes at most); its length. */
static size_t utf8_put(char *out, uint32_t cp)
{
	if(cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if(cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if(cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static const char replacement[] = "\xef\xbf\xbd";  /* U+FFFD */

/* A name: the tag's, or the temporary buffer; past the cap, bytes are
 * dropped (no name of interest is that long). */
static void name_put(char *name, size_t *len, const char *s, size_t n)
{
	size_t room = HTML_NAME_MAX - *len;

	if(n > room)
		n = room;
	memcpy(name + *len, s, n);
	*len += n;
}

static void name_char(char *name, size_t *len, int c)
{
	char ch = (char)c;

	if(c == 0)
		name_put(name, len, replacement, 3);
	else
		name_put(name, len, &ch, 1);
}

/* ------------------------------------------------------------ the arena */

static bool arena_room(struct html *t, size_t n)
{
	size_t cap;
	char *more;

	if(t->arena_len + n + 1 <= t->arena_cap)
		return true;
	if(t->arena_full || t->arena_len + n + 1 > HTML_TAG_MAX) {
		t->arena_full = true;
		return false;
	}
	cap = t->arena_cap ? t->arena_cap : 1024;
	while(cap < t->arena_len + n + 1)
		cap *= 2;
	if(cap > HTML_TAG_MAX)
		cap = HTML_TAG_MAX;
	more = realloc(t->arena, cap);
	if(!more) {
		gf_oom();
		t->arena_full = true;
		return false;
	}
	t->arena = more;
	t->arena_cap = cap;
	return true;
}

/* Append to the current attribute's name (value false) or value. */
static void attr_put(struct html *t, bool value, const char *s, size_t n)
{
	size_t *len;

	if(!t->attr_open || t->attr_drop)
		return;
	len = value ? &t->attr[t->nattrs].value_len : &t->attr[t->nattrs].name_len;
	if((value && *len + n > HTML_VALUE_MAX) || (!value && *len + n > HTML_NAME_MAX) ||
	   !arena_room(t, n)) {
		if(value)
			t->attr[t->nattrs].truncated = true;
		return;
	}
	memcpy(t->arena + t->arena_len, s, n);
	t->arena_len += n;
	*len += n;
}

/* End the name or value being read with a NUL; false when there is no
 * room for it (the attribute is then dropped). */
static bool arena_nul(struct html *t)
{
	if(t->arena_len >= t->arena_cap && !arena_room(t, 0)) {
		t->attr_drop = true;
		return false;
	}
	t->arena[t->arena_len++] = '\0';
	return true;
}

static void attr_char(struct html *t, bool value, int c)
{
	char ch = (char)c;

	if(c == 0)
		attr_put(t, value, replacement, 3);
	else
		attr_put(t, value, &ch, 1);
}

/* The raw bytes of the value since raw_at, from the page's encoding into
 * UTF-8 (before a decoded reference is appended, and at the value's end). */
static void value_convert(struct html *t)
{
	size_t at = t->raw_at, n = t->arena_len - at, cap;
	char *in, *out, *buf;
	size_t inleft, outleft;
	bool high = false;

	t->raw_at = t->arena_len;
	if(t->cd == (iconv_t)-1 || !t->attr_open || t->attr_drop || n == 0)
		return;
	for(size_t i = 0; i < n && !high; i++)
		high = (unsigned char)t->arena[at + i] >= 0x80;
	if(!high)
		return;
	cap = 4 * n + 4;
	if(!(buf = malloc(n + cap))) {
		gf_oom();
		return;
	}
	memcpy(buf, t->arena + at, n);
	in = buf;
	inleft = n;
	out = buf + n;
	outleft = cap;
	iconv(t->cd, NULL, NULL, NULL, NULL);
	while(inleft > 0 && iconv(t->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
		if(errno == E2BIG || outleft < 3)
			break;
		/* A byte the encoding does not have: U+FFFD, and on. */
		memcpy(out, replacement, 3);
		out += 3;
		outleft -= 3;
		in++;
		inleft--;
	}
	/* Put the converted bytes in place of the raw ones. */
	t->arena_len = at;
	t->attr[t->nattrs].value_len -= n;
	attr_put(t, true, buf + n, cap - outleft);
	t->raw_at = t->arena_len;
	free(buf);
}

/* ------------------------------------------------------------ tags */

static void tag_begin(struct html *t, bool end)
{
	t->end = end;
	t->self_closing = false;
	t->name_len = 0;
	t->nattrs = 0;
	t->attr_open = false;
	t->arena_len = 0;
	t->arena_full = false;
}

/* The attribute name is read: a duplicate, or one over the cap, is
 * dropped with its value; else it ends with a NUL. */
static void attr_name_done(struct html *t)
{
	size_t at, n;

	if(!t->attr_open || t->attr_drop)
		return;
	at = t->attr[t->nattrs].name_at;
	n = t->attr[t->nattrs].name_len;
	for(size_t i = 0; i < t->nattrs; i++) {
		if(t->attr[i].name_len == n &&
		   memcmp(t->arena + t->attr[i].name_at, t->arena + at, n) == 0) {
			t->attr_drop = true;
			t->arena_len = at;
			return;
		}
	}
	arena_nul(t);
}

/* The attribute being read is complete: its value ends with a NUL, and
 * it counts. */
static void attr_close(struct html *t)
{
	if(t->attr_open && !t->attr_drop && t->attr[t->nattrs].has_value) {
		value_convert(t);
		arena_nul(t);
	}
	if(t->attr_open && !t->attr_drop)
		t->nattrs++;
	t->attr_open = false;
}

static void attr_begin(struct html *t)
{
	attr_close(t);
	t->attr_open = true;
	t->attr_drop = t->nattrs >= HTML_ATTRS_MAX || t->end;
	if(t->attr_drop)
		return;
	t->attr[t->nattrs].name_at = t->arena_len;
	t->attr[t->nattrs].name_len = 0;
	t->attr[t->nattrs].value_len = 0;
	t->attr[t->nattrs].has_value = false;
	t->attr[t->nattrs].truncated = false;
}

static void value_begin(struct html *t)
{
	if(!t->attr_open || t->attr_drop)
		return;
	t->attr[t->nattrs].has_value = true;
	t->attr[t->nattrs].value_at = t->arena_len;
	t->raw_at = t->arena_len;
}

/* Is elem one whose start in foreign content ends it (the standard's
 * "breakout" list)? */
static bool breaks_out(const char *n, const struct html_attr *a, size_t na)
{
	static const char *const names[] = {
		"b", "big", "blockquote", "body", "br", "center", "code", "dd",
		"div", "dl", "dt", "em", "embed", "h1", "h2", "h3", "h4", "h5",
		"h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta",
		"nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong",
		"strike", "sub", "sup", "table", "tt", "u", "ul", "var"
	};

	for(size_t i = 0; i < ARRAY_SIZE(names); i++)
		if(!strcmp(n, names[i]))
			return true;
	if(!strcmp(n, "font"))
		for(size_t i = 0; i < na; i++)
			if(!strcmp(a[i].name, "color") || !strcmp(a[i].name, "face") ||
			   !strcmp(a[i].name, "size"))
				return true;
	return false;
}

static bool in_foreign(const struct html *t)
{
	return t->nopen > 0 && t->open[t->nopen - 1].foreign;
}

static void open_push(struct html *t, const char *name, bool foreign)
{
	if(t->nopen == FOREIGN_MAX)
		return;
	size_t n = strlen(name);

	/* A name longer than the slot never matches an end tag: none of
	 * those that matter here is. */
	if(n >= sizeof(t->open[0].name))
		n = sizeof(t->open[0].name) - 1;
	memcpy(t->open[t->nopen].name, name, n);
	t->open[t->nopen].name[n] = '\0';
	t->open[t->nopen++].foreign = foreign;
}

/* What the tree builder would do with a start tag that matters to the
 * tokenizer: foreign content in and out, and the text states. */
static void tree_start(struct html *t, const struct html_attr *a, size_t na)
{
	const char *n = t->name;
	bool foreign = in_foreign(t);

	if(foreign && breaks_out(n, a, na)) {
		while(t->nopen > 0 && t->open[t->nopen - 1].foreign)
			t->nopen--;
		foreign = in_foreign(t);
	}
	if(foreign) {
		bool point = !strcmp(n, "foreignobject") || !strcmp(n, "desc") ||
			     !strcmp(n, "title") || !strcmp(n, "mi") || !strcmp(n, "mo") ||
			     !strcmp(n, "mn") || !strcmp(n, "ms") || !strcmp(n, "mtext");

		if(!t->self_closing)
			open_push(t, n, !point);
		return;
	}
	if(!strcmp(n, "svg") || !strcmp(n, "math")) {
		if(!t->self_closing)
			open_push(t, n, true);
		return;
	}
	if(!strcmp(n, "script"))
		t->state = S_SCRIPT;
	else if(!strcmp(n, "style") || !strcmp(n, "xmp") || !strcmp(n, "iframe") ||
		!strcmp(n, "noembed") || !strcmp(n, "noframes"))
		t->state = S_RAWTEXT, t->text_state = S_RAWTEXT;
	else if(!strcmp(n, "title") || !strcmp(n, "textarea"))
		t->state = S_RCDATA, t->text_state = S_RCDATA;
	else if(!strcmp(n, "plaintext"))
		t->state = S_PLAINTEXT;
}

static void tree_end(struct html *t)
{
	for(size_t i = t->nopen; i-- > 0; ) {
		if(strcmp(t->open[i].name, t->name) == 0) {
			t->nopen = i;
			return;
		}
		if(!t->open[i].foreign)
			return;       /* an integration point ends only by name */
	}
}

/* The tag is read: hand it on; the state is data unless it says more. */
static void tag_emit(struct html *t)
{
	struct html_attr attrs[HTML_ATTRS_MAX];

	t->state = S_DATA;
	t->name[t->name_len] = '\0';
	attr_close(t);
	if(t->end) {
		if(!t->test)
			tree_end(t);
		if(t->ops->end_tag)
			t->ops->end_tag(t->ctx, t->name, t->name_len);
		return;
	}
	for(size_t i = 0; i < t->nattrs; i++) {
		/* Names and values end with a NUL already. */
		attrs[i].name = t->arena + t->attr[i].name_at;
		attrs[i].name_len = t->attr[i].name_len;
		attrs[i].value = t->attr[i].has_value ?
				 t->arena + t->attr[i].value_at : "";
		attrs[i].value_len = t->attr[i].value_len;
		attrs[i].truncated = t->attr[i].truncated;
	}
	memcpy(t->last_start, t->name, t->name_len);
	t->last_start_len = t->name_len;
	if(!t->test)
		tree_start(t, attrs, t->nattrs);
	t->ops->start_tag(t->ctx, t->name, t->name_len, attrs, t->nattrs,
			  t->self_closing);
}

/* ------------------------------------------------------------ comments */

static void comment_begin(struct html *t)
{
	t->comment_len = 0;
	if(t->ops->comment && !t->comment && !(t->comment = malloc(HTML_COMMENT_MAX)))
		gf_oom();
}

static void comment_put(struct html *t, const char *s, size_t n)
{
	size_t room = HTML_COMMENT_MAX - t->comment_len;

	if(!t->ops->comment || !t->comment)
		return;
	if(n > room)
		n = room;
	memcpy(t->comment + t->comment_len, s, n);
	t->comment_len += n;
}

static void comment_char(struct html *t, int c)
{
	char ch = (char)c;

	if(c == 0)
		comment_put(t, replacement, 3);
	else
		comment_put(t, &ch, 1);
}

static void comment_emit(struct html *t)
{
	t->state = S_DATA;
	if(t->ops->comment)
		t->ops->comment(t->ctx, t->comment ? t->comment : "", t->comment_len);
}

/* ------------------------------------------------- character references */

/* The numbers the standard replaces (0x80..0x9f: windows-1252's). */
static uint32_t numeric_value(uint32_t v)
{
	static const uint16_t c1[32] = {
		0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021,
		0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
		0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
		0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178
	};

	if(v == 0 || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0xfffd;
	if(v >= 0x80 && v <= 0x9f)
		return c1[v - 0x80];
	return v;
}

static void ref_put_cp(struct html *t, uint32_t cp)
{
	char buf[4];

	value_convert(t);
	attr_put(t, true, buf, utf8_put(buf, cp));
	t->raw_at = t->arena_len;
}

static int entity_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct entity *)elem)->name);
}

/* The longest name of the table that begins ref + 1 ("&" left out). */
static const struct entity *entity_longest(const char *ref, size_t len)
{
	char name[REF_MAX + 2];

	for(size_t n = len - 1; n > 0; n--) {
		const struct entity *e;

		memcpy(name, ref + 1, n);
		name[n] = '\0';
		e = bsearch(name, entities, ARRAY_SIZE(entities), sizeof(entities[0]),
			    entity_cmp);
		if(e)
			return e;
	}
	return NULL;
}

/* The named reference in t->ref is read; next is the byte after it. */
static void ref_named_done(struct html *t, int next)
{
	const struct entity *e = entity_longest(t->ref, t->ref_len);
	size_t n = e ? strlen(e->name) : 0;
	int after = n + 1 < t->ref_len ? (unsigned char)t->ref[n + 1] : next;

	if(!e || (e->name[n - 1] != ';' && (after == '=' || is_alnum(after)))) {
		/* No reference, or a legacy one in an attribute, as browsers
		 * leave "?a=1&copy=2" alone: the text as it is. */
		attr_put(t, true, t->ref, t->ref_len);
		return;
	}
	ref_put_cp(t, e->cp1);
	if(e->cp2)
		ref_put_cp(t, e->cp2);
	attr_put(t, true, t->ref + n + 1, t->ref_len - n - 1);
}

static void ref_numeric_done(struct html *t)
{
	ref_put_cp(t, numeric_value(t->ref_value));
}

static void ref_add_digit(struct html *t, int v, int base)
{
	t->ref_value = t->ref_value * (uint32_t)base + (uint32_t)v;
	if(t->ref_value > 0x110000)
		t->ref_value = 0x110000;  /* too large already: stays so */
}

/* ------------------------------------------------------------ the machine */

static bool step(struct html *t, int c);

/* "<!" then: "--", "DOCTYPE" or "[CDATA["? c is the next byte. */
static void markup_decl(struct html *t, int c)
{
	static const char doctype[] = "doctype", cdata[] = "[CDATA[";
	size_t n;
	char decl[8];

	if(c >= 0)
		t->decl[t->decl_len++] = (char)c;
	n = t->decl_len;
	if(c >= 0 && n <= 2 && !memcmp(t->decl, "--", n)) {
		if(n == 2) {
			comment_begin(t);
			t->state = S_COMMENT_START;
		}
		return;
	}
	if(c >= 0 && n <= 7 && !strncasecmp(t->decl, doctype, n)) {
		if(n == 7)
			t->state = S_DOCTYPE;
		return;
	}
	if(c >= 0 && n <= 7 && !memcmp(t->decl, cdata, n)) {
		if(n < 7)
			return;
		if(in_foreign(t)) {
			t->state = S_CDATA;
			return;
		}
	}
	/* A bogus comment: what was read is read again in it. */
	comment_begin(t);
	t->state = S_BOGUS_COMMENT;
	memcpy(decl, t->decl, n);
	t->decl_len = 0;
	for(size_t i = 0; i < n; i++)
		while(!step(t, (unsigned char)decl[i]))
			;
	if(c < 0)
		step(t, -1);
}

/* An end tag name in RCDATA, RAWTEXT or script data: is it the one that
 * ends it? */
static bool appropriate(const struct html *t)
{
	return t->last_start_len > 0 && t->name_len == t->last_start_len &&
	       !memcmp(t->name, t->last_start, t->name_len);
}

/* The end tag name states of the text states: ret is where a name that
 * does not end the text goes back to. True when c was consumed. */
static bool text_end_name(struct html *t, int c, enum state ret)
{
	if((is_space(c) || c == '/' || c == '>') && appropriate(t)) {
		t->state = c == '/' ? S_SELF_CLOSING : c == '>' ? S_DATA :
			   S_BEFORE_ATTR_NAME;
		if(c == '>')
			tag_emit(t);
		return true;
	}
	if(is_alpha(c)) {
		name_char(t->name, &t->name_len, lower(c));
		name_char(t->tmp, &t->tmp_len, c);
		return true;
	}
	t->state = ret;
	return false;
}

/* Script data's double escape start and end: after "<script" (or
 * "</script"), a space, '/' or '>' switches between the two states. */
static bool double_escape(struct html *t, int c, enum state yes, enum state no)
{
	if(is_space(c) || c == '/' || c == '>') {
		t->state = t->tmp_len == 6 && !memcmp(t->tmp, "script", 6) ? yes : no;
		return true;
	}
	if(is_alpha(c)) {
		name_char(t->tmp, &t->tmp_len, lower(c));
		return true;
	}
	t->state = no;
	return false;
}

/* One byte (or -1, the end of the input) in the current state. False:
 * it is to be read again, in the state it switched to. */
static bool step(struct html *t, int c)
{
	switch(t->state) {
	case S_DATA:
		if(c == '<')
			t->state = S_TAG_OPEN;
		return true;
	case S_RCDATA:
	case S_RAWTEXT:
		if(c == '<') {
			t->text_state = t->state;
			t->state = S_TEXT_LT;
		}
		return true;
	case S_SCRIPT:
		if(c == '<')
			t->state = S_SCRIPT_LT;
		return true;
	case S_PLAINTEXT:
		return true;
	case S_CDATA:
		if(c == ']')
			t->state = S_CDATA_BRACKET;
		return true;
	case S_CDATA_BRACKET:
		t->state = c == ']' ? S_CDATA_END : S_CDATA;
		return c == ']';
	case S_CDATA_END:
		if(c == ']')
			return true;
		t->state = c == '>' ? S_DATA : S_CDATA;
		return c == '>';
	case S_TAG_OPEN:
		if(c == '!') {
			t->decl_len = 0;
			t->state = S_MARKUP_DECL;
			return true;
		}
		if(c == '/') {
			t->state = S_END_TAG_OPEN;
			return true;
		}
		if(is_alpha(c)) {
			tag_begin(t, false);
			t->state = S_TAG_NAME;
			return false;
		}
		if(c == '?') {
			comment_begin(t);
			t->state = S_BOGUS_COMMENT;
			return false;
		}
		t->state = S_DATA;
		return false;
	case S_END_TAG_OPEN:
		if(is_alpha(c)) {
			tag_begin(t, true);
			t->state = S_TAG_NAME;
			return false;
		}
		if(c == '>') {
			t->state = S_DATA;
			return true;
		}
		if(c < 0) {
			t->state = S_DATA;
			return true;
		}
		comment_begin(t);
		t->state = S_BOGUS_COMMENT;
		return false;
	case S_TAG_NAME:
		if(is_space(c))
			t->state = S_BEFORE_ATTR_NAME;
		else if(c == '/')
			t->state = S_SELF_CLOSING;
		else if(c == '>')
			tag_emit(t);
		else if(c < 0)
			t->state = S_DATA;
		else
			name_char(t->name, &t->name_len, lower(c));
		return true;
	case S_TEXT_LT:
		if(c == '/') {
			t->tmp_len = 0;
			t->state = S_TEXT_END_OPEN;
			return true;
		}
		t->state = t->text_state;
		return false;
	case S_TEXT_END_OPEN:
		if(is_alpha(c)) {
			tag_begin(t, true);
			t->state = S_TEXT_END_NAME;
			return false;
		}
		t->state = t->text_state;
		return false;
	case S_TEXT_END_NAME:
		return text_end_name(t, c, t->text_state);
	case S_SCRIPT_LT:
		if(c == '/') {
			t->tmp_len = 0;
			t->state = S_SCRIPT_END_OPEN;
			return true;
		}
		t->state = c == '!' ? S_SCRIPT_ESC_START : S_SCRIPT;
		return c == '!';
	case S_SCRIPT_END_OPEN:
		if(is_alpha(c)) {
			tag_begin(t, true);
			t->state = S_SCRIPT_END_NAME;
		} else {
			t->state = S_SCRIPT;
		}
		return false;
	case S_SCRIPT_END_NAME:
		return text_end_name(t, c, S_SCRIPT);
	case S_SCRIPT_ESC_START:
		t->state = c == '-' ? S_SCRIPT_ESC_START_DASH : S_SCRIPT;
		return c == '-';
	case S_SCRIPT_ESC_START_DASH:
		t->state = c == '-' ? S_SCRIPT_ESC_DASH_DASH : S_SCRIPT;
		return c == '-';
	case S_SCRIPT_ESC:
		if(c == '-')
			t->state = S_SCRIPT_ESC_DASH;
		else if(c == '<')
			t->state = S_SCRIPT_ESC_LT;
		return true;
	case S_SCRIPT_ESC_DASH:
		t->state = c == '-' ? S_SCRIPT_ESC_DASH_DASH : c == '<' ?
			   S_SCRIPT_ESC_LT : S_SCRIPT_ESC;
		return true;
	case S_SCRIPT_ESC_DASH_DASH:
		if(c == '<')
			t->state = S_SCRIPT_ESC_LT;
		else if(c == '>')
			t->state = S_SCRIPT;
		else if(c != '-')
			t->state = S_SCRIPT_ESC;
		return true;
	case S_SCRIPT_ESC_LT:
		if(c == '/') {
			t->tmp_len = 0;
			t->state = S_SCRIPT_ESC_END_OPEN;
			return true;
		}
		if(is_alpha(c)) {
			t->tmp_len = 0;
			t->state = S_SCRIPT_DESC_START;
			return false;
		}
		t->state = S_SCRIPT_ESC;
		return false;
	case S_SCRIPT_ESC_END_OPEN:
		if(is_alpha(c)) {
			tag_begin(t, true);
			t->state = S_SCRIPT_ESC_END_NAME;
		} else {
			t->state = S_SCRIPT_ESC;
		}
		return false;
	case S_SCRIPT_ESC_END_NAME:
		return text_end_name(t, c, S_SCRIPT_ESC);
	case S_SCRIPT_DESC_START:
		return double_escape(t, c, S_SCRIPT_DESC, S_SCRIPT_ESC);
	case S_SCRIPT_DESC:
		if(c == '-')
			t->state = S_SCRIPT_DESC_DASH;
		else if(c == '<')
			t->state = S_SCRIPT_DESC_LT;
		return true;
	case S_SCRIPT_DESC_DASH:
		t->state = c == '-' ? S_SCRIPT_DESC_DASH_DASH : c == '<' ?
			   S_SCRIPT_DESC_LT : S_SCRIPT_DESC;
		return true;
	case S_SCRIPT_DESC_DASH_DASH:
		if(c == '<')
			t->state = S_SCRIPT_DESC_LT;
		else if(c == '>')
			t->state = S_SCRIPT;
		else if(c != '-')
			t->state = S_SCRIPT_DESC;
		return true;
	case S_SCRIPT_DESC_LT:
		if(c == '/') {
			t->tmp_len = 0;
			t->state = S_SCRIPT_DESC_END;
			return true;
		}
		t->state = S_SCRIPT_DESC;
		return false;
	case S_SCRIPT_DESC_END:
		return double_escape(t, c, S_SCRIPT_ESC, S_SCRIPT_DESC);
	case S_BEFORE_ATTR_NAME:
		if(is_space(c))
			return true;
		if(c == '/' || c == '>' || c < 0) {
			t->state = S_AFTER_ATTR_NAME;
			return false;
		}
		attr_begin(t);
		t->state = S_ATTR_NAME;
		if(c == '=') {
			attr_char(t, false, c);
			return true;
		}
		return false;
	case S_ATTR_NAME:
		if(is_space(c) || c == '/' || c == '>' || c < 0) {
			attr_name_done(t);
			t->state = S_AFTER_ATTR_NAME;
			return false;
		}
		if(c == '=') {
			attr_name_done(t);
			value_begin(t);
			t->state = S_BEFORE_ATTR_VALUE;
			return true;
		}
		attr_char(t, false, lower(c));
		return true;
	case S_AFTER_ATTR_NAME:
		if(is_space(c))
			return true;
		if(c == '/') {
			t->state = S_SELF_CLOSING;
		} else if(c == '=') {
			value_begin(t);
			t->state = S_BEFORE_ATTR_VALUE;
		} else if(c == '>') {
			tag_emit(t);
		} else if(c < 0) {
			t->state = S_DATA;
		} else {
			attr_begin(t);
			t->state = S_ATTR_NAME;
			return false;
		}
		return true;
	case S_BEFORE_ATTR_VALUE:
		if(is_space(c))
			return true;
		if(c == '"' || c == '\'') {
			t->state = c == '"' ? S_VALUE_DQ : S_VALUE_SQ;
			return true;
		}
		if(c == '>') {
			tag_emit(t);
			return true;
		}
		t->state = S_VALUE_UQ;
		return false;
	case S_VALUE_DQ:
	case S_VALUE_SQ:
		if(c == (t->state == S_VALUE_DQ ? '"' : '\'')) {
			value_convert(t);
			t->state = S_AFTER_VALUE_QUOTED;
		} else if(c == '&') {
			t->value_state = t->state;
			t->state = S_REF;
		} else if(c < 0) {
			t->state = S_DATA;
		} else {
			attr_char(t, true, c);
		}
		return true;
	case S_VALUE_UQ:
		if(is_space(c)) {
			value_convert(t);
			t->state = S_BEFORE_ATTR_NAME;
		} else if(c == '&') {
			t->value_state = S_VALUE_UQ;
			t->state = S_REF;
		} else if(c == '>') {
			value_convert(t);
			tag_emit(t);
		} else if(c < 0) {
			t->state = S_DATA;
		} else {
			attr_char(t, true, c);
		}
		return true;
	case S_AFTER_VALUE_QUOTED:
		if(is_space(c)) {
			t->state = S_BEFORE_ATTR_NAME;
		} else if(c == '/') {
			t->state = S_SELF_CLOSING;
		} else if(c == '>') {
			tag_emit(t);
		} else if(c < 0) {
			t->state = S_DATA;
		} else {
			t->state = S_BEFORE_ATTR_NAME;
			return false;
		}
		return true;
	case S_SELF_CLOSING:
		if(c == '>') {
			t->self_closing = true;
			tag_emit(t);
			return true;
		}
		if(c < 0) {
			t->state = S_DATA;
			return true;
		}
		t->state = S_BEFORE_ATTR_NAME;
		return false;
	case S_BOGUS_COMMENT:
		if(c == '>' || c < 0)
			comment_emit(t);
		else
			comment_char(t, c);
		return true;
	case S_MARKUP_DECL:
		markup_decl(t, c);
		return true;
	case S_COMMENT_START:
		if(c == '-') {
			t->state = S_COMMENT_START_DASH;
			return true;
		}
		if(c == '>') {
			comment_emit(t);
			return true;
		}
		t->state = S_COMMENT;
		return false;
	case S_COMMENT_START_DASH:
		if(c == '-') {
			t->state = S_COMMENT_END;
			return true;
		}
		if(c == '>' || c < 0) {
			comment_emit(t);
			return true;
		}
		comment_char(t, '-');
		t->state = S_COMMENT;
		return false;
	case S_COMMENT:
		if(c == '<') {
			comment_char(t, c);
			t->state = S_COMMENT_LT;
		} else if(c == '-') {
			t->state = S_COMMENT_END_DASH;
		} else if(c < 0) {
			comment_emit(t);
		} else {
			comment_char(t, c);
		}
		return true;
	case S_COMMENT_LT:
		if(c == '!') {
			comment_char(t, c);
			t->state = S_COMMENT_LT_BANG;
			return true;
		}
		if(c == '<') {
			comment_char(t, c);
			return true;
		}
		t->state = S_COMMENT;
		return false;
	case S_COMMENT_LT_BANG:
		t->state = c == '-' ? S_COMMENT_LT_BANG_DASH : S_COMMENT;
		return c == '-';
	case S_COMMENT_LT_BANG_DASH:
		t->state = c == '-' ? S_COMMENT_LT_BANG_DASH_DASH : S_COMMENT_END_DASH;
		return c == '-';
	case S_COMMENT_LT_BANG_DASH_DASH:
		t->state = S_COMMENT_END;
		return false;
	case S_COMMENT_END_DASH:
		if(c == '-') {
			t->state = S_COMMENT_END;
			return true;
		}
		if(c < 0) {
			comment_emit(t);
			return true;
		}
		comment_char(t, '-');
		t->state = S_COMMENT;
		return false;
	case S_COMMENT_END:
		if(c == '>' || c < 0) {
			comment_emit(t);
			return true;
		}
		if(c == '!') {
			t->state = S_COMMENT_END_BANG;
			return true;
		}
		if(c == '-') {
			comment_char(t, '-');
			return true;
		}
		comment_put(t, "--", 2);
		t->state = S_COMMENT;
		return false;
	case S_COMMENT_END_BANG:
		if(c == '-') {
			comment_put(t, "--!", 3);
			t->state = S_COMMENT_END_DASH;
			return true;
		}
		if(c == '>' || c < 0) {
			comment_emit(t);
			return true;
		}
		comment_put(t, "--!", 3);
		t->state = S_COMMENT;
		return false;
	case S_DOCTYPE:
		/* Every DOCTYPE state ends at '>' (and the end): nothing of it
		 * is wanted. */
		if(c == '>' || c < 0)
			t->state = S_DATA;
		return true;
	case S_REF:
		if(is_alnum(c)) {
			t->ref[0] = '&';
			t->ref_len = 1;
			t->state = S_REF_NAMED;
			return false;
		}
		if(c == '#') {
			memcpy(t->ref, "&#", 2);
			t->ref_len = 2;
			t->ref_value = 0;
			t->state = S_REF_NUMERIC;
			return true;
		}
		attr_char(t, true, '&');
		t->state = t->value_state;
		return false;
	case S_REF_NAMED:
		if((is_alnum(c) || c == ';') && t->ref_len < REF_MAX) {
			t->ref[t->ref_len++] = (char)c;
			if(c != ';')
				return true;
			ref_named_done(t, -1);
			t->state = t->value_state;
			return true;
		}
		ref_named_done(t, c);
		t->state = t->value_state;
		return false;
	case S_REF_NUMERIC:
		if(c == 'x' || c == 'X') {
			t->ref[t->ref_len++] = (char)c;
			t->state = S_REF_HEX_START;
			return true;
		}
		t->state = S_REF_DEC_START;
		return false;
	case S_REF_HEX_START:
	case S_REF_DEC_START:
		if(t->state == S_REF_HEX_START ? hexval(c) >= 0 : is_digit(c)) {
			t->state = t->state == S_REF_HEX_START ? S_REF_HEX : S_REF_DEC;
			return false;
		}
		attr_put(t, true, t->ref, t->ref_len);
		t->state = t->value_state;
		return false;
	case S_REF_HEX:
	case S_REF_DEC:
		if(t->state == S_REF_HEX ? hexval(c) >= 0 : is_digit(c)) {
			ref_add_digit(t, t->state == S_REF_HEX ? hexval(c) : c - '0',
				      t->state == S_REF_HEX ? 16 : 10);
			return true;
		}
		ref_numeric_done(t);
		t->state = t->value_state;
		return c == ';';
	}
	return true;
}

/* Bytes that do nothing in the data and text states (all but '<'), and
 * in a comment nobody reads (all but '-', '<' and '>'), skipped at once. */
static size_t skip(const struct html *t, const char *p, size_t n)
{
	const char *lt;

	switch(t->state) {
	case S_DATA:
	case S_RCDATA:
	case S_RAWTEXT:
	case S_SCRIPT:
	case S_SCRIPT_ESC:
	case S_SCRIPT_DESC:
		lt = memchr(p, '<', n);
		if(t->state == S_SCRIPT_ESC || t->state == S_SCRIPT_DESC) {
			const char *dash = memchr(p, '-', lt ? (size_t)(lt - p) : n);

			if(dash)
				lt = dash;
		}
		return lt ? (size_t)(lt - p) : n;
	case S_PLAINTEXT:
		return n;
	case S_COMMENT:
		if(t->ops->comment)
			return 0;
		for(size_t i = 0; i < n; i++)
			if(p[i] == '-' || p[i] == '<')
				return i;
		return n;
	default:
		return 0;
	}
}

void html_feed(struct html *t, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while(p < end) {
		size_t n = skip(t, p, (size_t)(end - p));
		int c;

		if(n) {
			p += n;
			t->cr = false;
			continue;
		}
		c = (unsigned char)*p++;
		/* The input stream's newlines: CR LF and CR alone are LF. */
		if(c == '\n' && t->cr) {
			t->cr = false;
			continue;
		}
		t->cr = c == '\r';
		if(c == '\r')
			c = '\n';
		while(!step(t, c))
			;
	}
}

void html_finish(struct html *t)
{
	if(t->state == S_MARKUP_DECL) {
		markup_decl(t, -1);
		return;
	}
	while(!step(t, -1))
		;
}
