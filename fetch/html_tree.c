/*
 * html_tree.c - the little of the tree builder the tokenizer needs: which
 * elements are open (HTML ones, svg and math and what is in them), so
 * that a start tag switches to the text state its element asks for, and
 * CDATA and foreign content are known where the standard knows them.
 */
#include "html_impl.h"

#include <string.h>

#include "gf.h"

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

bool tok_in_foreign(const struct html *t)
{
	return t->nopen > 0 && t->open[t->nopen - 1].foreign;
}

/* Push an element; when the stack is full the oldest goes (a page of
 * unclosed elements must not end the tracking of the newest). */
static void open_push(struct html *t, const char *name, bool foreign, bool html)
{
	size_t n = strlen(name);

	if(t->nopen == OPEN_MAX) {
		memmove(t->open, t->open + 1, (OPEN_MAX - 1) * sizeof(t->open[0]));
		t->nopen--;
	}
	/* A name longer than the slot never matches an end tag: none of
	 * those that matter here is. */
	if(n >= sizeof(t->open[0].name))
		n = sizeof(t->open[0].name) - 1;
	memcpy(t->open[t->nopen].name, name, n);
	t->open[t->nopen].name[n] = '\0';
	t->open[t->nopen].html = html;
	t->open[t->nopen++].foreign = foreign;
}

/* An HTML element that is never open (void), or that the same one ends
 * when it comes again (<p>, <li>... left unclosed); by length and first
 * byte, as this is asked of every start tag. */
enum { HTML_OPENS, HTML_VOID, HTML_REPEATS };

static int html_kind(const char *n, size_t len)
{
	static const struct { char name[9]; int kind; } names[] = {
		{ "p", HTML_REPEATS }, { "br", HTML_VOID }, { "hr", HTML_VOID },
		{ "li", HTML_REPEATS }, { "dt", HTML_REPEATS }, { "dd", HTML_REPEATS },
		{ "tr", HTML_REPEATS }, { "td", HTML_REPEATS }, { "th", HTML_REPEATS },
		{ "col", HTML_VOID }, { "img", HTML_VOID }, { "wbr", HTML_VOID },
		{ "area", HTML_VOID }, { "base", HTML_VOID }, { "link", HTML_VOID },
		{ "meta", HTML_VOID }, { "image", HTML_VOID }, { "embed", HTML_VOID },
		{ "frame", HTML_VOID }, { "input", HTML_VOID }, { "param", HTML_VOID },
		{ "track", HTML_VOID }, { "keygen", HTML_VOID }, { "source", HTML_VOID },
		{ "option", HTML_REPEATS }, { "bgsound", HTML_VOID },
		{ "basefont", HTML_VOID }
	};

	if(len == 0 || len >= sizeof(names[0].name))
		return HTML_OPENS;
	for(size_t i = 0; i < ARRAY_SIZE(names); i++)
		if(names[i].name[0] == n[0] && names[i].name[len] == '\0' &&
		   !memcmp(names[i].name, n, len))
			return names[i].kind;
	return HTML_OPENS;
}

/* An HTML start tag outside foreign content: on the stack, unless void. */
static void open_html(struct html *t, const char *n)
{
	int kind = html_kind(n, t->name_len);

	if(kind == HTML_VOID)
		return;
	if(kind == HTML_REPEATS && t->nopen > 0 && t->open[t->nopen - 1].html &&
	   !strcmp(t->open[t->nopen - 1].name, n))
		return;               /* the one open ends: the new one is it */
	open_push(t, n, false, true);
}

enum { KIND_NONE, KIND_FOREIGN, KIND_SCRIPT, KIND_RAWTEXT, KIND_RCDATA,
       KIND_PLAINTEXT };

/* What a start tag in HTML content switches to: foreign content (svg,
 * math) or a text state. By length first: most tags are none of them. */
static int text_kind(const char *n, size_t len)
{
	static const struct { char name[10]; int kind; } tags[] = {
		{ "svg", KIND_FOREIGN }, { "xmp", KIND_RAWTEXT },
		{ "math", KIND_FOREIGN },
		{ "style", KIND_RAWTEXT }, { "title", KIND_RCDATA },
		{ "script", KIND_SCRIPT }, { "iframe", KIND_RAWTEXT },
		{ "noembed", KIND_RAWTEXT },
		{ "noframes", KIND_RAWTEXT }, { "textarea", KIND_RCDATA },
		{ "plaintext", KIND_PLAINTEXT }
	};

	if(len < 3 || len > 9)
		return KIND_NONE;
	for(size_t i = 0; i < ARRAY_SIZE(tags); i++)
		if(tags[i].name[0] == n[0] && tags[i].name[len] == '\0' &&
		   !memcmp(tags[i].name, n, len))
			return tags[i].kind;
	return KIND_NONE;
}

/* What the tree builder would do with a start tag that matters to the
 * tokenizer: foreign content in and out, and the text states. */
void tok_tree_start(struct html *t, const struct html_attr *a, size_t na)
{
	const char *n = t->name;
	bool foreign = tok_in_foreign(t);
	int kind;

	if(foreign && breaks_out(n, a, na)) {
		while(t->nopen > 0 && t->open[t->nopen - 1].foreign)
			t->nopen--;
		foreign = tok_in_foreign(t);
	}
	if(foreign) {
		bool point = !strcmp(n, "foreignobject") || !strcmp(n, "desc") ||
			     !strcmp(n, "title") || !strcmp(n, "mi") || !strcmp(n, "mo") ||
			     !strcmp(n, "mn") || !strcmp(n, "ms") || !strcmp(n, "mtext");

		if(!t->self_closing)
			open_push(t, n, !point, false);
		return;
	}
	kind = text_kind(n, t->name_len);
	if(kind == KIND_FOREIGN) {
		if(!t->self_closing)
			open_push(t, n, true, false);
		return;
	}
	if(kind == KIND_PLAINTEXT) {
		t->state = S_PLAINTEXT;
		return;
	}
	open_html(t, n);
	if(kind == KIND_SCRIPT)
		t->state = S_SCRIPT;
	else if(kind == KIND_RAWTEXT)
		t->state = S_RAWTEXT, t->text_state = S_RAWTEXT;
	else if(kind == KIND_RCDATA)
		t->state = S_RCDATA, t->text_state = S_RCDATA;
}

/* An end tag. In foreign content, one that names an open foreign element
 * closes it; walking down, the first HTML element met hands the tag to
 * HTML's rules: it closes the nearest open HTML element of its name, and
 * with it the foreign elements above (the standard's "any other end tag"
 * of foreign content, then of "in body"; implied end tags and the special
 * elements that stop the search left out). */
void tok_tree_end(struct html *t)
{
	size_t i = t->nopen;

	if(tok_in_foreign(t)) {
		while(i-- > 0 && !t->open[i].html) {
			if(strcmp(t->open[i].name, t->name) == 0) {
				t->nopen = i;
				return;
			}
		}
		i++;
	}
	while(i-- > 0) {
		if(t->open[i].html && strcmp(t->open[i].name, t->name) == 0) {
			t->nopen = i;
			return;
		}
	}
}

