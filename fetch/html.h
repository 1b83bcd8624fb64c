/*
 * html.h - an HTML tokenizer as the WHATWG standard writes it, for what
 * links need: start and end tags with their attributes, comments.
 *
 * Flow: fetch (body bytes) -> html (tokens) -> links.
 *
 * It streams: bytes go in as they come, cut anywhere, and the tokens are
 * the same whatever the cuts. No tree is built and no text is kept; tag
 * and attribute names, attribute values (with their character references
 * decoded) and, when asked for, comments are, each within a cap, so memory
 * is fixed whatever the page holds (an unterminated "<!--" of 100 MB costs
 * nothing). Of the tree builder it does what the tokenizer's states need:
 * the text of script, style, title, textarea and the like is read in the
 * state that element asks for, and CDATA sections in SVG and MathML.
 *
 * The input is ASCII-compatible bytes (UTF-8 unless html_set_charset()
 * says otherwise); names and values come out in UTF-8.
 */
#ifndef GF_HTML_H
#define GF_HTML_H

#include <stdbool.h>
#include <stddef.h>

#define HTML_NAME_MAX  64             /* bytes kept of a tag or attribute name */
#define HTML_VALUE_MAX (64 * 1024)    /* bytes kept of an attribute value */
#define HTML_ATTRS_MAX 256            /* attributes kept of a tag */
#define HTML_COMMENT_MAX (64 * 1024)  /* bytes kept of a comment */

struct html_attr {
	const char *name;             /* lower case, NUL-terminated */
	size_t name_len;
	const char *value;            /* decoded, NUL-terminated */
	size_t value_len;
	bool truncated;               /* the value was longer than the cap */
	size_t raw_start, raw_end;    /* the value as written: its bytes in
				       * the input (offsets from the first
				       * byte fed), quotes left out */
	char quote;                   /* '"', '\'' or 0 (unquoted, or none) */
};

struct html_ops {
	/* A start tag: name in lower case; attributes in order, duplicates
	 * dropped (the first wins). Valid during the call. */
	void (*start_tag)(void *ctx, const char *name, size_t len,
			  const struct html_attr *attrs, size_t nattrs,
			  bool self_closing);
	/* An end tag (NULL: not wanted). */
	void (*end_tag)(void *ctx, const char *name, size_t len);
	/* A comment (NULL: not wanted, and nothing of it kept). */
	void (*comment)(void *ctx, const char *data, size_t len);
	/* Is attribute attr (len bytes, not NUL-terminated) of start tag
	 * tag wanted (both lower case)? An attribute not wanted is not kept,
	 * and its value is skipped over rather than read (NULL: every
	 * attribute is wanted). */
	bool (*keep)(void *ctx, const char *tag, const char *attr, size_t len);
	/* Text of an element read in the RAWTEXT state (style, xmp, iframe,
	 * noembed, noframes), in pieces, as written (NULL: not wanted). */
	void (*rawtext)(void *ctx, const char *data, size_t len);
};

/* Where the tokenizer starts, for tests (the html5lib tests' states). */
enum html_start {
	HTML_DATA, HTML_PLAINTEXT, HTML_RCDATA, HTML_RAWTEXT, HTML_SCRIPT,
	HTML_CDATA
};

struct html;

struct html *html_new(const struct html_ops *ops, void *ctx);
void html_free(struct html *t);

/* For tests: start in state s, with last_start_tag as the name an end tag
 * must have to end RCDATA, RAWTEXT or script data (NULL = none), and no
 * state changes after start tags (no tree builder). */
void html_test_mode(struct html *t, enum html_start s, const char *last_start_tag);

/* The bytes are in this encoding (an iconv name), not UTF-8: attribute
 * values are converted. False when iconv does not know it. */
bool html_set_charset(struct html *t, const char *charset);

/* The next bytes. */
void html_feed(struct html *t, const char *data, size_t len);

/* During a start_tag or end_tag call: the tag's bytes in the input, from
 * its '<' to after its '>' (offsets from the first byte fed). */
void html_tag_span(const struct html *t, size_t *start, size_t *end);

/* The end of the input: what is open is ended as the standard says. */
void html_finish(struct html *t);

#endif
