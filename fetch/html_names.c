/*
 * html_names.c - the elements known by name (enum html_tag): what the
 * tree builder does with each, and the lookup of a tag's name, made once
 * for each tag so that the tree (html_tree.c) and the links (links.c) ask
 * of a number, not of a string.
 */
#include "html_impl.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

const struct html_elem html_elems[HTML_TAG_COUNT] = {
	[HTML_TAG_OTHER] = { "", 0, 0 },
	[HTML_TAG_A] = { "a", 1, 0 },
	[HTML_TAG_ABBR] = { "abbr", 4, 0 },
	[HTML_TAG_ADDRESS] = { "address", 7, 0 },
	[HTML_TAG_AREA] = { "area", 4, T_VOID },
	[HTML_TAG_ARTICLE] = { "article", 7, 0 },
	[HTML_TAG_ASIDE] = { "aside", 5, 0 },
	[HTML_TAG_AUDIO] = { "audio", 5, 0 },
	[HTML_TAG_B] = { "b", 1, T_BREAKOUT },
	[HTML_TAG_BASE] = { "base", 4, T_VOID },
	[HTML_TAG_BASEFONT] = { "basefont", 8, T_VOID },
	[HTML_TAG_BGSOUND] = { "bgsound", 7, T_VOID },
	[HTML_TAG_BIG] = { "big", 3, T_BREAKOUT },
	[HTML_TAG_BLOCKQUOTE] = { "blockquote", 10, T_BREAKOUT },
	[HTML_TAG_BODY] = { "body", 4, T_BREAKOUT },
	[HTML_TAG_BR] = { "br", 2, T_VOID | T_BREAKOUT },
	[HTML_TAG_BUTTON] = { "button", 6, 0 },
	[HTML_TAG_CANVAS] = { "canvas", 6, 0 },
	[HTML_TAG_CAPTION] = { "caption", 7, 0 },
	[HTML_TAG_CENTER] = { "center", 6, T_BREAKOUT },
	[HTML_TAG_CITE] = { "cite", 4, 0 },
	[HTML_TAG_CODE] = { "code", 4, T_BREAKOUT },
	[HTML_TAG_COL] = { "col", 3, T_VOID },
	[HTML_TAG_DD] = { "dd", 2, T_REPEATS | T_BREAKOUT },
	[HTML_TAG_DESC] = { "desc", 4, T_POINT },
	[HTML_TAG_DETAILS] = { "details", 7, 0 },
	[HTML_TAG_DFN] = { "dfn", 3, 0 },
	[HTML_TAG_DIV] = { "div", 3, T_BREAKOUT },
	[HTML_TAG_DL] = { "dl", 2, T_BREAKOUT },
	[HTML_TAG_DT] = { "dt", 2, T_REPEATS | T_BREAKOUT },
	[HTML_TAG_EM] = { "em", 2, T_BREAKOUT },
	[HTML_TAG_EMBED] = { "embed", 5, T_VOID | T_BREAKOUT },
	[HTML_TAG_FIGCAPTION] = { "figcaption", 10, 0 },
	[HTML_TAG_FIGURE] = { "figure", 6, 0 },
	[HTML_TAG_FONT] = { "font", 4, 0 },
	[HTML_TAG_FOOTER] = { "footer", 6, 0 },
	[HTML_TAG_FOREIGNOBJECT] = { "foreignobject", 13, T_POINT },
	[HTML_TAG_FORM] = { "form", 4, 0 },
	[HTML_TAG_FRAME] = { "frame", 5, T_VOID },
	[HTML_TAG_H1] = { "h1", 2, T_BREAKOUT },
	[HTML_TAG_H2] = { "h2", 2, T_BREAKOUT },
	[HTML_TAG_H3] = { "h3", 2, T_BREAKOUT },
	[HTML_TAG_H4] = { "h4", 2, T_BREAKOUT },
	[HTML_TAG_H5] = { "h5", 2, T_BREAKOUT },
	[HTML_TAG_H6] = { "h6", 2, T_BREAKOUT },
	[HTML_TAG_HEAD] = { "head", 4, T_BREAKOUT },
	[HTML_TAG_HEADER] = { "header", 6, 0 },
	[HTML_TAG_HR] = { "hr", 2, T_VOID | T_BREAKOUT },
	[HTML_TAG_HTML] = { "html", 4, 0 },
	[HTML_TAG_I] = { "i", 1, T_BREAKOUT },
	[HTML_TAG_IFRAME] = { "iframe", 6, T_RAWTEXT },
	[HTML_TAG_IMAGE] = { "image", 5, T_VOID },
	[HTML_TAG_IMG] = { "img", 3, T_VOID | T_BREAKOUT },
	[HTML_TAG_INPUT] = { "input", 5, T_VOID },
	[HTML_TAG_KBD] = { "kbd", 3, 0 },
	[HTML_TAG_KEYGEN] = { "keygen", 6, T_VOID },
	[HTML_TAG_LABEL] = { "label", 5, 0 },
	[HTML_TAG_LI] = { "li", 2, T_REPEATS | T_BREAKOUT },
	[HTML_TAG_LINK] = { "link", 4, T_VOID },
	[HTML_TAG_LISTING] = { "listing", 7, T_BREAKOUT },
	[HTML_TAG_MAIN] = { "main", 4, 0 },
	[HTML_TAG_MATH] = { "math", 4, T_FOREIGN },
	[HTML_TAG_MENU] = { "menu", 4, T_BREAKOUT },
	[HTML_TAG_META] = { "meta", 4, T_VOID | T_BREAKOUT },
	[HTML_TAG_MI] = { "mi", 2, T_POINT },
	[HTML_TAG_MN] = { "mn", 2, T_POINT },
	[HTML_TAG_MO] = { "mo", 2, T_POINT },
	[HTML_TAG_MS] = { "ms", 2, T_POINT },
	[HTML_TAG_MTEXT] = { "mtext", 5, T_POINT },
	[HTML_TAG_NAV] = { "nav", 3, 0 },
	[HTML_TAG_NOBR] = { "nobr", 4, T_BREAKOUT },
	[HTML_TAG_NOEMBED] = { "noembed", 7, T_RAWTEXT },
	[HTML_TAG_NOFRAMES] = { "noframes", 8, T_RAWTEXT },
	[HTML_TAG_NOSCRIPT] = { "noscript", 8, 0 },
	[HTML_TAG_OBJECT] = { "object", 6, 0 },
	[HTML_TAG_OL] = { "ol", 2, T_BREAKOUT },
	[HTML_TAG_OPTION] = { "option", 6, T_REPEATS },
	[HTML_TAG_P] = { "p", 1, T_REPEATS | T_BREAKOUT },
	[HTML_TAG_PARAM] = { "param", 5, T_VOID },
	[HTML_TAG_PICTURE] = { "picture", 7, 0 },
	[HTML_TAG_PLAINTEXT] = { "plaintext", 9, T_PLAINTEXT },
	[HTML_TAG_PRE] = { "pre", 3, T_BREAKOUT },
	[HTML_TAG_Q] = { "q", 1, 0 },
	[HTML_TAG_RUBY] = { "ruby", 4, T_BREAKOUT },
	[HTML_TAG_S] = { "s", 1, T_BREAKOUT },
	[HTML_TAG_SAMP] = { "samp", 4, 0 },
	[HTML_TAG_SCRIPT] = { "script", 6, T_SCRIPT },
	[HTML_TAG_SECTION] = { "section", 7, 0 },
	[HTML_TAG_SELECT] = { "select", 6, 0 },
	[HTML_TAG_SMALL] = { "small", 5, T_BREAKOUT },
	[HTML_TAG_SOURCE] = { "source", 6, T_VOID },
	[HTML_TAG_SPAN] = { "span", 4, T_BREAKOUT },
	[HTML_TAG_STRIKE] = { "strike", 6, T_BREAKOUT },
	[HTML_TAG_STRONG] = { "strong", 6, T_BREAKOUT },
	[HTML_TAG_STYLE] = { "style", 5, T_RAWTEXT },
	[HTML_TAG_SUB] = { "sub", 3, T_BREAKOUT },
	[HTML_TAG_SUMMARY] = { "summary", 7, 0 },
	[HTML_TAG_SUP] = { "sup", 3, T_BREAKOUT },
	[HTML_TAG_SVG] = { "svg", 3, T_FOREIGN },
	[HTML_TAG_TABLE] = { "table", 5, T_BREAKOUT },
	[HTML_TAG_TBODY] = { "tbody", 5, 0 },
	[HTML_TAG_TD] = { "td", 2, T_REPEATS },
	[HTML_TAG_TEMPLATE] = { "template", 8, 0 },
	[HTML_TAG_TEXTAREA] = { "textarea", 8, T_RCDATA },
	[HTML_TAG_TFOOT] = { "tfoot", 5, 0 },
	[HTML_TAG_TH] = { "th", 2, T_REPEATS },
	[HTML_TAG_THEAD] = { "thead", 5, 0 },
	[HTML_TAG_TIME] = { "time", 4, 0 },
	[HTML_TAG_TITLE] = { "title", 5, T_RCDATA | T_POINT },
	[HTML_TAG_TR] = { "tr", 2, T_REPEATS },
	[HTML_TAG_TRACK] = { "track", 5, T_VOID },
	[HTML_TAG_TT] = { "tt", 2, T_BREAKOUT },
	[HTML_TAG_U] = { "u", 1, T_BREAKOUT },
	[HTML_TAG_UL] = { "ul", 2, T_BREAKOUT },
	[HTML_TAG_VAR] = { "var", 3, T_BREAKOUT },
	[HTML_TAG_VIDEO] = { "video", 5, 0 },
	[HTML_TAG_WBR] = { "wbr", 3, T_VOID },
	[HTML_TAG_XMP] = { "xmp", 3, T_RAWTEXT },
};

/* Open addressing on a hash of the name's first eight bytes, filled
 * once: 512 slots for about a hundred names, so a lookup, of a known name
 * or not, mostly looks at one slot. */
#define SLOTS 512

static unsigned char slots[SLOTS];
static struct html_packed packed[HTML_TAG_COUNT];
static pthread_once_t slots_once = PTHREAD_ONCE_INIT;

struct html_packed html_pack(const char *name, size_t len)
{
	struct html_packed p = { { 0, 0 } };

	for(size_t i = 0; i < len && i < 16; i++)
		html_pack_byte(&p, i, (unsigned char)name[i]);
	return p;
}

static unsigned slot_of(const struct html_packed *p)
{
	return (unsigned)((p->w[0] * 0x9e3779b97f4a7c15u) >> 55) % SLOTS;
}

static void slots_fill(void)
{
	for(unsigned id = 1; id < HTML_TAG_COUNT; id++) {
		unsigned h;

		packed[id] = html_pack(html_elems[id].name, html_elems[id].len);
		for(h = slot_of(&packed[id]); slots[h]; h = (h + 1) % SLOTS)
			;
		slots[h] = (unsigned char)id;
	}
}

void html_names_init(void)
{
	pthread_once(&slots_once, slots_fill);
}

enum html_tag html_names_find(const struct html_packed *name, size_t len)
{
	unsigned h, id;

	if(len == 0 || len >= sizeof(html_elems[0].name))
		return HTML_TAG_OTHER;
	for(h = slot_of(name); (id = slots[h]); h = (h + 1) % SLOTS)
		if(html_packed_eq(&packed[id], name))
			return (enum html_tag)id;
	return HTML_TAG_OTHER;
}
