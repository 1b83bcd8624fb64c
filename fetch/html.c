/*
 * html.c - the tokenizer: one state machine over bytes, the states named
 * as in the WHATWG standard's 13.2.5 ("Tokenization"). This file holds the
 * input, the text states and the opening of tags; html_tag.c the states
 * within tags, comments and references; html_token.c what they build.
 *
 * Text is never kept: in the data, RCDATA, RAWTEXT, script data and
 * PLAINTEXT states the machine only looks for what ends them ('<'), and
 * skips to it with memchr. Names and values go into the tag's arena,
 * within their caps; a character reference is decoded where it stands.
 * A byte read where the standard says "reconsume" is handled again in the
 * new state (the loop does not advance).
 */
#include "html_impl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct html *html_new(const struct html_ops *ops, void *ctx)
{
	struct html *t = calloc(1, sizeof(*t));

	if(!t)
		return NULL;
	html_names_init();
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

/* ------------------------------------------------------ the text states */

/* Text of a RAWTEXT element, to ops->rawtext. */
static void rawtext(const struct html *t, const char *s, size_t n)
{
	if(t->ops->rawtext && n > 0)
		t->ops->rawtext(t->ctx, s, n);
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
			tok_tag_emit(t);
		return true;
	}
	if(is_alpha(c)) {
		tok_name_char(t->name, &t->name_len, lower(c));
		tok_name_char(t->tmp, &t->tmp_len, c);
		return true;
	}
	if(ret == S_RAWTEXT) {
		rawtext(t, "</", 2);
		rawtext(t, t->tmp, t->tmp_len);
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
		tok_name_char(t->tmp, &t->tmp_len, lower(c));
		return true;
	}
	t->state = no;
	return false;
}

/* The text states, and the opening of a tag. Long: one case per state,
 * in the standard's order. */
static bool step_text(struct html *t, int c)
{
	switch(t->state) {
	case S_DATA:
		if(c == '<') {
			t->state = S_TAG_OPEN;
			t->tag_start = t->at;
		}
		return true;
	case S_RCDATA:
	case S_RAWTEXT:
		if(c == '<') {
			t->text_state = t->state;
			t->state = S_TEXT_LT;
			t->tag_start = t->at;
		} else if(c >= 0 && t->state == S_RAWTEXT) {
			char ch = (char)c;

			rawtext(t, &ch, 1);
		}
		return true;
	case S_SCRIPT:
		if(c == '<') {
			t->state = S_SCRIPT_LT;
			t->tag_start = t->at;
		}
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
			tok_tag_begin(t, false);
			t->state = S_TAG_NAME;
			return false;
		}
		if(c == '?') {
			tok_comment_begin(t);
			t->state = S_BOGUS_COMMENT;
			return false;
		}
		t->state = S_DATA;
		return false;
	case S_END_TAG_OPEN:
		if(is_alpha(c)) {
			tok_tag_begin(t, true);
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
		tok_comment_begin(t);
		t->state = S_BOGUS_COMMENT;
		return false;
	case S_TAG_NAME:
		if(is_space(c))
			t->state = S_BEFORE_ATTR_NAME;
		else if(c == '/')
			t->state = S_SELF_CLOSING;
		else if(c == '>')
			tok_tag_emit(t);
		else if(c < 0)
			t->state = S_DATA;
		else
			tok_name_char(t->name, &t->name_len, lower(c));
		return true;
	case S_TEXT_LT:
		if(c == '/') {
			t->tmp_len = 0;
			t->state = S_TEXT_END_OPEN;
			return true;
		}
		if(t->text_state == S_RAWTEXT)
			rawtext(t, "<", 1);
		t->state = t->text_state;
		return false;
	case S_TEXT_END_OPEN:
		if(is_alpha(c)) {
			tok_tag_begin(t, true);
			t->state = S_TEXT_END_NAME;
			return false;
		}
		if(t->text_state == S_RAWTEXT)
			rawtext(t, "</", 2);
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
			tok_tag_begin(t, true);
			t->state = S_SCRIPT_END_NAME;
		} else {
			t->state = S_SCRIPT;
		}
		return false;
	case S_SCRIPT_END_NAME:
		return text_end_name(t, c, S_SCRIPT);
	default:
		return true;
	}
}

/* Escaped and double-escaped script data ("<!--" in a script). Long: one
 * case per state, in the standard's order. */
static bool step_script_escaped(struct html *t, int c)
{
	switch(t->state) {
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
			tok_tag_begin(t, true);
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
	default:
		return true;
	}
}

bool html_step(struct html *t, int c)
{
	if(t->state < S_SCRIPT_ESC_START)
		return step_text(t, c);
	if(t->state < S_BEFORE_ATTR_NAME)
		return step_script_escaped(t, c);
	if(t->state < S_BOGUS_COMMENT)
		return html_step_tag(t, c);
	if(t->state < S_REF)
		return html_step_markup(t, c);
	return html_step_ref(t, c);
}


/* Bytes that end a run in a state (classes of the table below). */
enum {
	END_LT = 1,                   /* '<': data and the text states */
	END_DASH = 2,                 /* '-': escaped script, comments */
	END_DQ = 4, END_SQ = 8,       /* the quotes: quoted values */
	END_VALUE = 16,               /* '&', NUL, CR: any value kept */
	END_UQ = 32,                  /* space and '>': unquoted values */
	END_NAME = 64,                /* space, '/', '>', NUL, CR: names */
	END_EQ = 128                  /* '=': attribute names */
};

static const unsigned char ends[256] = {
	['<'] = END_LT, ['-'] = END_DASH,
	['"'] = END_DQ, ['\''] = END_SQ,
	['&'] = END_VALUE, ['\0'] = END_VALUE | END_NAME,
	['\r'] = END_VALUE | END_UQ | END_NAME,
	['\t'] = END_UQ | END_NAME, ['\n'] = END_UQ | END_NAME,
	['\f'] = END_UQ | END_NAME, [' '] = END_UQ | END_NAME,
	['>'] = END_UQ | END_NAME, ['/'] = END_NAME, ['='] = END_EQ,
};

/* The length of the run of bytes at p none of which is in class mask
 * (memchr where one byte ends it). */
static size_t span(const char *p, size_t n, unsigned mask)
{
	size_t i = 0;

	while(i < n && !(ends[(unsigned char)p[i]] & mask))
		i++;
	return i;
}

static size_t upto(const char *p, size_t n, char c)
{
	const char *at = find_byte(p, n, c);

	return at ? (size_t)(at - p) : n;
}

/* A name's run: lower case, to the tag's name or the attribute's. */
static void name_run(struct html *t, const char *p, size_t n, bool attr)
{
	char low[64];

	while(n > 0) {
		size_t k = n < sizeof(low) ? n : sizeof(low);

		for(size_t i = 0; i < k; i++)
			low[i] = (char)lower((unsigned char)p[i]);
		if(attr)
			tok_attr_put(t, false, low, k);
		else
			tok_name_put(t, low, k);
		p += k;
		n -= k;
	}
}

/* Bytes read in bulk, their effect the same as one by one: those that do
 * nothing in the data and text states (all but '<'), in a comment nobody
 * reads, in a value not kept (all but its end); the runs of a value kept,
 * of a tag or attribute name. How many were read. A run does not start
 * on the LF of a CR LF (which the byte loop drops). */
static size_t run(struct html *t, const char *p, size_t n)
{
	bool kept = t->attr_open && !t->attr_drop;
	size_t k;

	switch(t->state) {
	case S_RAWTEXT:
		k = upto(p, n, '<');
		rawtext(t, p, k);
		return k;
	case S_DATA:
	case S_RCDATA:
	case S_SCRIPT:
		return upto(p, n, '<');
	case S_SCRIPT_ESC:
	case S_SCRIPT_DESC:
		return span(p, n, END_LT | END_DASH);
	case S_PLAINTEXT:
		return n;
	case S_COMMENT:
		return t->ops->comment ? 0 : span(p, n, END_LT | END_DASH);
	case S_VALUE_DQ:
	case S_VALUE_SQ:
		if(!kept)
			return upto(p, n, t->state == S_VALUE_DQ ? '"' : '\'');
		if(t->cr)
			return 0;
		k = span(p, n, END_VALUE | (t->state == S_VALUE_DQ ? END_DQ : END_SQ));
		tok_attr_put(t, true, p, k);
		return k;
	case S_VALUE_UQ:
		if(!kept)
			return span(p, n, END_UQ);
		if(t->cr)
			return 0;
		k = span(p, n, END_UQ | END_VALUE);
		tok_attr_put(t, true, p, k);
		return k;
	case S_TAG_NAME:
		if(t->cr)
			return 0;
		k = span(p, n, END_NAME);
		name_run(t, p, k, false);
		return k;
	case S_ATTR_NAME:
		if(t->cr)
			return 0;
		k = span(p, n, END_NAME | END_EQ);
		name_run(t, p, k, true);
		return k;
	default:
		return 0;
	}
}

void html_feed(struct html *t, const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while(p < end) {
		size_t n = run(t, p, (size_t)(end - p));
		int c;

		/* The data state, most of a page: its text, then the tag at
		 * its end in one pass if it can be. */
		if(t->state == S_DATA && p + n < end) {
			size_t k = html_fast_tag(t, p + n, (size_t)(end - p - n),
						 t->fed + (size_t)(p + n - data));

			if(k || n) {
				p += n + k;
				t->cr = false;
				continue;
			}
		}
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
		t->at = t->fed + (size_t)(p - 1 - data);
		while(!html_step(t, c))
			;
	}
	t->fed += len;
}

void html_tag_span(const struct html *t, size_t *start, size_t *end)
{
	*start = t->tag_start;
	*end = t->tag_end;
}

enum html_tag html_tag_id(const struct html *t)
{
	return t->id;
}

void html_finish(struct html *t)
{
	t->at = t->fed;
	if(t->state == S_MARKUP_DECL) {
		html_markup_decl(t, -1);
		return;
	}
	while(!html_step(t, -1))
		;
}
