/*
 * html_tree.c - the little of the tree builder the tokenizer needs: which
 * elements are open (HTML ones, svg and math and what is in them), so
 * that a start tag switches to the text state its element asks for, and
 * CDATA and foreign content are known where the standard knows them.
 */
#include "html_impl.h"

#include <string.h>

#include "gf.h"

static unsigned flags_of(enum html_tag id)
{
	return html_elems[id].flags;
}

/* Does a start tag in foreign content end it (the standard's "breakout"
 * list, and a font with color, face or size)? */
static bool breaks_out(const struct html *t, const struct html_attr *a, size_t na)
{
	if(flags_of(t->id) & T_BREAKOUT)
		return true;
	if(t->id == HTML_TAG_FONT)
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

/* Is open element e the tag being read's element? A name longer than
 * 16 bytes never matches: none of those that matter here is. */
static bool is_open_tag(const struct html *t, const struct open_elem *e)
{
	return !e->long_name && t->name_len <= 16 && html_packed_eq(&e->name, &t->packed);
}

/* Push the tag being read; when the stack is full the oldest goes (a
 * page of unclosed elements must not end the tracking of the newest). */
static void open_push(struct html *t, bool foreign, bool html)
{
	struct open_elem *e;

	if(t->nopen == OPEN_MAX) {
		memmove(t->open, t->open + 1, (OPEN_MAX - 1) * sizeof(t->open[0]));
		t->nopen--;
	}
	e = &t->open[t->nopen++];
	e->name = t->packed;
	e->long_name = t->name_len > 16;
	e->html = html;
	e->foreign = foreign;
}

/* An HTML start tag outside foreign content: on the stack, unless void
 * or the same element as the one open that it ends. */
static void open_html(struct html *t)
{
	unsigned f = flags_of(t->id);

	if(f & T_VOID)
		return;
	if((f & T_REPEATS) && t->nopen > 0 && t->open[t->nopen - 1].html &&
	   is_open_tag(t, &t->open[t->nopen - 1]))
		return;               /* the one open ends: the new one is it */
	open_push(t, false, true);
}

/* What the tree builder would do with a start tag that matters to the
 * tokenizer: foreign content in and out, and the text states. */
void tok_tree_start(struct html *t, const struct html_attr *a, size_t na)
{
	bool foreign = tok_in_foreign(t);
	unsigned f = flags_of(t->id);

	if(foreign && breaks_out(t, a, na)) {
		while(t->nopen > 0 && t->open[t->nopen - 1].foreign)
			t->nopen--;
		foreign = tok_in_foreign(t);
	}
	if(foreign) {
		if(!t->self_closing)
			open_push(t, !(f & T_POINT), false);
		return;
	}
	if(f & T_FOREIGN) {
		if(!t->self_closing)
			open_push(t, true, false);
		return;
	}
	if(f & T_PLAINTEXT) {
		t->state = S_PLAINTEXT;
		return;
	}
	open_html(t);
	if(f & T_SCRIPT)
		t->state = S_SCRIPT;
	else if(f & T_RAWTEXT)
		t->state = S_RAWTEXT, t->text_state = S_RAWTEXT;
	else if(f & T_RCDATA)
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
			if(is_open_tag(t, &t->open[i])) {
				t->nopen = i;
				return;
			}
		}
		i++;
	}
	while(i-- > 0) {
		if(t->open[i].html && is_open_tag(t, &t->open[i])) {
			t->nopen = i;
			return;
		}
	}
}
