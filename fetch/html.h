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

/* The elements known by name: those the tree builder treats apart (the
 * tokenizer needs it, html_tree.c) and those that hold links (links.c),
 * with some of the most common others; any other is HTML_TAG_OTHER. */
enum html_tag {
	HTML_TAG_OTHER,
	HTML_TAG_A, HTML_TAG_ABBR, HTML_TAG_ADDRESS, HTML_TAG_AREA,
	HTML_TAG_ARTICLE, HTML_TAG_ASIDE, HTML_TAG_AUDIO, HTML_TAG_B,
	HTML_TAG_BASE, HTML_TAG_BASEFONT, HTML_TAG_BGSOUND, HTML_TAG_BIG,
	HTML_TAG_BLOCKQUOTE, HTML_TAG_BODY, HTML_TAG_BR, HTML_TAG_BUTTON,
	HTML_TAG_CANVAS, HTML_TAG_CAPTION, HTML_TAG_CENTER, HTML_TAG_CITE,
	HTML_TAG_CODE, HTML_TAG_COL, HTML_TAG_DD, HTML_TAG_DESC,
	HTML_TAG_DETAILS, HTML_TAG_DFN, HTML_TAG_DIV, HTML_TAG_DL, HTML_TAG_DT,
	HTML_TAG_EM, HTML_TAG_EMBED, HTML_TAG_FIGCAPTION, HTML_TAG_FIGURE,
	HTML_TAG_FONT, HTML_TAG_FOOTER, HTML_TAG_FOREIGNOBJECT, HTML_TAG_FORM,
	HTML_TAG_FRAME, HTML_TAG_H1, HTML_TAG_H2, HTML_TAG_H3, HTML_TAG_H4,
	HTML_TAG_H5, HTML_TAG_H6, HTML_TAG_HEAD, HTML_TAG_HEADER, HTML_TAG_HR,
	HTML_TAG_HTML, HTML_TAG_I, HTML_TAG_IFRAME, HTML_TAG_IMAGE,
	HTML_TAG_IMG, HTML_TAG_INPUT, HTML_TAG_KBD, HTML_TAG_KEYGEN,
	HTML_TAG_LABEL, HTML_TAG_LI, HTML_TAG_LINK, HTML_TAG_LISTING,
	HTML_TAG_MAIN, HTML_TAG_MATH, HTML_TAG_MENU, HTML_TAG_META, HTML_TAG_MI,
	HTML_TAG_MN, HTML_TAG_MO, HTML_TAG_MS, HTML_TAG_MTEXT, HTML_TAG_NAV,
	HTML_TAG_NOBR, HTML_TAG_NOEMBED, HTML_TAG_NOFRAMES, HTML_TAG_NOSCRIPT,
	HTML_TAG_OBJECT, HTML_TAG_OL, HTML_TAG_OPTION, HTML_TAG_P,
	HTML_TAG_PARAM, HTML_TAG_PICTURE, HTML_TAG_PLAINTEXT, HTML_TAG_PRE,
	HTML_TAG_Q, HTML_TAG_RUBY, HTML_TAG_S, HTML_TAG_SAMP, HTML_TAG_SCRIPT,
	HTML_TAG_SECTION, HTML_TAG_SELECT, HTML_TAG_SMALL, HTML_TAG_SOURCE,
	HTML_TAG_SPAN, HTML_TAG_STRIKE, HTML_TAG_STRONG, HTML_TAG_STYLE,
	HTML_TAG_SUB, HTML_TAG_SUMMARY, HTML_TAG_SUP, HTML_TAG_SVG,
	HTML_TAG_TABLE, HTML_TAG_TBODY, HTML_TAG_TD, HTML_TAG_TEMPLATE,
	HTML_TAG_TEXTAREA, HTML_TAG_TFOOT, HTML_TAG_TH, HTML_TAG_THEAD,
	HTML_TAG_TIME, HTML_TAG_TITLE, HTML_TAG_TR, HTML_TAG_TRACK, HTML_TAG_TT,
	HTML_TAG_U, HTML_TAG_UL, HTML_TAG_VAR, HTML_TAG_VIDEO, HTML_TAG_WBR,
	HTML_TAG_XMP,
	HTML_TAG_COUNT
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

/* During a start_tag call: the tag's element, when it is one known by
 * name. */
enum html_tag html_tag_id(const struct html *t);

/* The end of the input: what is open is ended as the standard says. */
void html_finish(struct html *t);

#endif
