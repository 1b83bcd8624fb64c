/*
 * html_token.c - what the tokenizer's states build: tag and attribute
 * names, attribute values in an arena (decoded, converted to UTF-8),
 * comments and character references. The tree they need is html_tree.c's.
 */
#include "html_impl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "utf8.h"

struct entity {
	const char *name;
	unsigned cp1, cp2;
};

static const struct entity entities[] = {
#include "entities.inc"
};


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

void tok_name_put(struct html *t, const char *s, size_t n)
{
	name_put(t->name, &t->name_len, s, n);
}

void tok_name_char(char *name, size_t *len, int c)
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
void tok_attr_put(struct html *t, bool value, const char *s, size_t n)
{
	size_t *len, cap;

	if(!t->attr_open || t->attr_drop)
		return;
	len = value ? &t->attr[t->nattrs].value_len : &t->attr[t->nattrs].name_len;
	/* Past the cap, the rest is dropped (a value says so), however the
	 * bytes come: at once or one by one. */
	cap = value ? HTML_VALUE_MAX : HTML_NAME_MAX;
	if(*len + n > cap) {
		n = cap - *len;
		if(value)
			t->attr[t->nattrs].truncated = true;
	}
	if(!arena_room(t, n)) {
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

void tok_attr_char(struct html *t, bool value, int c)
{
	char ch = (char)c;

	if(c == 0)
		tok_attr_put(t, value, replacement, 3);
	else
		tok_attr_put(t, value, &ch, 1);
}

/* The raw bytes of the value since raw_at, from the page's encoding into
 * UTF-8 (before a decoded reference is appended, and at the value's end). */
void tok_value_convert(struct html *t)
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
	tok_attr_put(t, true, buf + n, cap - outleft);
	t->raw_at = t->arena_len;
	free(buf);
}

/* ------------------------------------------------------------ tags */

void tok_tag_begin(struct html *t, bool end)
{
	t->end = end;
	t->self_closing = false;
	t->name_len = 0;
	t->is_packed = false;
	t->nattrs = 0;
	t->attr_open = false;
	t->arena_len = 0;
	t->arena_full = false;
}

/* Is attribute name (len bytes, lower case) of the tag being read kept?
 * The tree builder needs a font's color, face or size: they end foreign
 * content. */
bool tok_keep(const struct html *t, const char *name, size_t len)
{
	if(!t->ops->keep || t->ops->keep(t->ctx, t->name, name, len))
		return true;
	return t->name_len == 4 && !memcmp(t->name, "font", 4) && tok_in_foreign(t) &&
	       ((len == 5 && !memcmp(name, "color", 5)) ||
		(len == 4 && (!memcmp(name, "face", 4) || !memcmp(name, "size", 4))));
}

/* The attribute name is read: a duplicate, or one over the cap, is
 * dropped with its value; else it ends with a NUL. */
void tok_attr_name_done(struct html *t)
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
	if(!arena_nul(t))
		return;
	if(!tok_keep(t, t->arena + at, n)) {
		t->attr_drop = true;
		t->arena_len = at;
	}
}

/* The attribute being read is complete: its value ends with a NUL, and
 * it counts. */
static void attr_close(struct html *t)
{
	if(t->attr_open && !t->attr_drop && t->attr[t->nattrs].has_value) {
		tok_value_convert(t);
		arena_nul(t);
	}
	if(t->attr_open && !t->attr_drop)
		t->nattrs++;
	t->attr_open = false;
}

void tok_attr_begin(struct html *t)
{
	attr_close(t);
	t->name[t->name_len] = '\0';     /* for ops->keep */
	t->attr_open = true;
	t->attr_drop = t->nattrs >= HTML_ATTRS_MAX || t->end;
	if(t->attr_drop)
		return;
	t->attr[t->nattrs].name_at = t->arena_len;
	t->attr[t->nattrs].name_len = 0;
	t->attr[t->nattrs].value_len = 0;
	t->attr[t->nattrs].has_value = false;
	t->attr[t->nattrs].raw_start = t->attr[t->nattrs].raw_end = 0;
	t->attr[t->nattrs].quote = 0;
	t->attr[t->nattrs].truncated = false;
}

void tok_value_raw(struct html *t, size_t at, char quote)
{
	if(!t->attr_open || t->attr_drop)
		return;
	t->attr[t->nattrs].raw_start = t->attr[t->nattrs].raw_end = at;
	t->attr[t->nattrs].quote = quote;
}

void tok_value_raw_end(struct html *t, size_t at)
{
	if(t->attr_open && !t->attr_drop)
		t->attr[t->nattrs].raw_end = at;
}

void tok_value_begin(struct html *t)
{
	if(!t->attr_open || t->attr_drop)
		return;
	t->attr[t->nattrs].has_value = true;
	t->attr[t->nattrs].value_at = t->arena_len;
	t->raw_at = t->arena_len;
}

/* The tag is read: hand it on; the state is data unless it says more. */
void tok_tag_emit(struct html *t)
{
	struct html_attr attrs[HTML_ATTRS_MAX];

	t->state = S_DATA;
	t->tag_end = t->at + 1;
	t->name[t->name_len] = '\0';
	if(!t->is_packed)
		t->packed = html_pack(t->name, t->name_len);
	attr_close(t);
	if(t->end) {
		if(!t->test)
			tok_tree_end(t);
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
		attrs[i].raw_start = t->attr[i].raw_start;
		attrs[i].raw_end = t->attr[i].raw_end;
		attrs[i].quote = t->attr[i].quote;
	}
	t->id = html_names_find(&t->packed, t->name_len);
	/* The name an end tag must have to end the text of the element
	 * (RCDATA, RAWTEXT, script data): only such elements start it. */
	if(t->test || (html_elems[t->id].flags & (T_SCRIPT | T_RAWTEXT | T_RCDATA))) {
		memcpy(t->last_start, t->name, t->name_len);
		t->last_start_len = t->name_len;
	}
	if(!t->test)
		tok_tree_start(t, attrs, t->nattrs);
	t->ops->start_tag(t->ctx, t->name, t->name_len, attrs, t->nattrs,
			  t->self_closing);
}

/* ------------------------------------------------------------ comments */

void tok_comment_begin(struct html *t)
{
	t->comment_len = 0;
	if(t->ops->comment && !t->comment && !(t->comment = malloc(HTML_COMMENT_MAX)))
		gf_oom();
}

void tok_comment_put(struct html *t, const char *s, size_t n)
{
	size_t room = HTML_COMMENT_MAX - t->comment_len;

	if(!t->ops->comment || !t->comment)
		return;
	if(n > room)
		n = room;
	memcpy(t->comment + t->comment_len, s, n);
	t->comment_len += n;
}

void tok_comment_char(struct html *t, int c)
{
	char ch = (char)c;

	if(c == 0)
		tok_comment_put(t, replacement, 3);
	else
		tok_comment_put(t, &ch, 1);
}

void tok_comment_emit(struct html *t)
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

	tok_value_convert(t);
	tok_attr_put(t, true, buf, utf8_encode(buf, cp));
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
void tok_ref_named_done(struct html *t, int next)
{
	const struct entity *e = entity_longest(t->ref, t->ref_len);
	size_t n = e ? strlen(e->name) : 0;
	int after = n + 1 < t->ref_len ? (unsigned char)t->ref[n + 1] : next;

	if(!e || (e->name[n - 1] != ';' && (after == '=' || is_alnum(after)))) {
		/* No reference, or a legacy one in an attribute, as browsers
		 * leave "?a=1&copy=2" alone: the text as it is. */
		tok_attr_put(t, true, t->ref, t->ref_len);
		return;
	}
	ref_put_cp(t, e->cp1);
	if(e->cp2)
		ref_put_cp(t, e->cp2);
	tok_attr_put(t, true, t->ref + n + 1, t->ref_len - n - 1);
}

void tok_ref_numeric_done(struct html *t)
{
	ref_put_cp(t, numeric_value(t->ref_value));
}

void tok_ref_add_digit(struct html *t, int v, int base)
{
	t->ref_value = t->ref_value * (uint32_t)base + (uint32_t)v;
	if(t->ref_value > 0x110000)
		t->ref_value = 0x110000;  /* too large already: stays so */
}
