/*
 * html_tag.c - the tokenizer's states within a tag (attributes and their
 * values), in comments and other markup declarations, and in character
 * references, named as in the standard's 13.2.5.
 */
#include "html_impl.h"

#include <string.h>
#include <strings.h>

/* Attribute names and values, and the end of the tag. Long: one case per
 * state, in the standard's order. */
bool html_step_tag(struct html *t, int c)
{
	switch(t->state) {
	case S_BEFORE_ATTR_NAME:
		if(is_space(c))
			return true;
		if(c == '/' || c == '>' || c < 0) {
			t->state = S_AFTER_ATTR_NAME;
			return false;
		}
		tok_attr_begin(t);
		t->state = S_ATTR_NAME;
		if(c == '=') {
			tok_attr_char(t, false, c);
			return true;
		}
		return false;
	case S_ATTR_NAME:
		if(is_space(c) || c == '/' || c == '>' || c < 0) {
			tok_attr_name_done(t);
			t->state = S_AFTER_ATTR_NAME;
			return false;
		}
		if(c == '=') {
			tok_attr_name_done(t);
			tok_value_begin(t);
			t->state = S_BEFORE_ATTR_VALUE;
			return true;
		}
		tok_attr_char(t, false, lower(c));
		return true;
	case S_AFTER_ATTR_NAME:
		if(is_space(c))
			return true;
		if(c == '/') {
			t->state = S_SELF_CLOSING;
		} else if(c == '=') {
			tok_value_begin(t);
			t->state = S_BEFORE_ATTR_VALUE;
		} else if(c == '>') {
			tok_tag_emit(t);
		} else if(c < 0) {
			t->state = S_DATA;
		} else {
			tok_attr_begin(t);
			t->state = S_ATTR_NAME;
			return false;
		}
		return true;
	case S_BEFORE_ATTR_VALUE:
		if(is_space(c))
			return true;
		if(c == '"' || c == '\'') {
			tok_value_raw(t, t->at + 1, (char)c);
			t->state = c == '"' ? S_VALUE_DQ : S_VALUE_SQ;
			return true;
		}
		tok_value_raw(t, t->at, 0);
		if(c == '>') {
			tok_tag_emit(t);
			return true;
		}
		t->state = S_VALUE_UQ;
		return false;
	case S_VALUE_DQ:
	case S_VALUE_SQ:
		if(c == (t->state == S_VALUE_DQ ? '"' : '\'')) {
			tok_value_raw_end(t, t->at);
			tok_value_convert(t);
			t->state = S_AFTER_VALUE_QUOTED;
		} else if(c == '&') {
			t->value_state = t->state;
			t->state = S_REF;
		} else if(c < 0) {
			t->state = S_DATA;
		} else {
			tok_attr_char(t, true, c);
		}
		return true;
	case S_VALUE_UQ:
		if(is_space(c) || c == '>' || c < 0)
			tok_value_raw_end(t, t->at);
		if(is_space(c)) {
			tok_value_convert(t);
			t->state = S_BEFORE_ATTR_NAME;
		} else if(c == '&') {
			t->value_state = S_VALUE_UQ;
			t->state = S_REF;
		} else if(c == '>') {
			tok_value_convert(t);
			tok_tag_emit(t);
		} else if(c < 0) {
			t->state = S_DATA;
		} else {
			tok_attr_char(t, true, c);
		}
		return true;
	case S_AFTER_VALUE_QUOTED:
		if(is_space(c)) {
			t->state = S_BEFORE_ATTR_NAME;
		} else if(c == '/') {
			t->state = S_SELF_CLOSING;
		} else if(c == '>') {
			tok_tag_emit(t);
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
			tok_tag_emit(t);
			return true;
		}
		if(c < 0) {
			t->state = S_DATA;
			return true;
		}
		t->state = S_BEFORE_ATTR_NAME;
		return false;
	default:
		return true;
	}
}

/* "<!" then: "--", "DOCTYPE" or "[CDATA["? c is the next byte. */
void html_markup_decl(struct html *t, int c)
{
	static const char doctype[] = "doctype", cdata[] = "[CDATA[";
	size_t n;
	char decl[8];

	if(c >= 0)
		t->decl[t->decl_len++] = (char)c;
	n = t->decl_len;
	if(c >= 0 && n <= 2 && !memcmp(t->decl, "--", n)) {
		if(n == 2) {
			tok_comment_begin(t);
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
		if(tok_in_foreign(t)) {
			t->state = S_CDATA;
			return;
		}
	}
	/* A bogus comment: what was read is read again in it. */
	tok_comment_begin(t);
	t->state = S_BOGUS_COMMENT;
	memcpy(decl, t->decl, n);
	t->decl_len = 0;
	for(size_t i = 0; i < n; i++)
		while(!html_step(t, (unsigned char)decl[i]))
			;
	if(c < 0)
		html_step(t, -1);
}

/* Comments, bogus comments and DOCTYPEs. Long: one case per state, in the
 * standard's order. */
bool html_step_markup(struct html *t, int c)
{
	switch(t->state) {
	case S_BOGUS_COMMENT:
		if(c == '>' || c < 0)
			tok_comment_emit(t);
		else
			tok_comment_char(t, c);
		return true;
	case S_MARKUP_DECL:
		html_markup_decl(t, c);
		return true;
	case S_COMMENT_START:
		if(c == '-') {
			t->state = S_COMMENT_START_DASH;
			return true;
		}
		if(c == '>') {
			tok_comment_emit(t);
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
			tok_comment_emit(t);
			return true;
		}
		tok_comment_char(t, '-');
		t->state = S_COMMENT;
		return false;
	case S_COMMENT:
		if(c == '<') {
			tok_comment_char(t, c);
			t->state = S_COMMENT_LT;
		} else if(c == '-') {
			t->state = S_COMMENT_END_DASH;
		} else if(c < 0) {
			tok_comment_emit(t);
		} else {
			tok_comment_char(t, c);
		}
		return true;
	case S_COMMENT_LT:
		if(c == '!') {
			tok_comment_char(t, c);
			t->state = S_COMMENT_LT_BANG;
			return true;
		}
		if(c == '<') {
			tok_comment_char(t, c);
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
			tok_comment_emit(t);
			return true;
		}
		tok_comment_char(t, '-');
		t->state = S_COMMENT;
		return false;
	case S_COMMENT_END:
		if(c == '>' || c < 0) {
			tok_comment_emit(t);
			return true;
		}
		if(c == '!') {
			t->state = S_COMMENT_END_BANG;
			return true;
		}
		if(c == '-') {
			tok_comment_char(t, '-');
			return true;
		}
		tok_comment_put(t, "--", 2);
		t->state = S_COMMENT;
		return false;
	case S_COMMENT_END_BANG:
		if(c == '-') {
			tok_comment_put(t, "--!", 3);
			t->state = S_COMMENT_END_DASH;
			return true;
		}
		if(c == '>' || c < 0) {
			tok_comment_emit(t);
			return true;
		}
		tok_comment_put(t, "--!", 3);
		t->state = S_COMMENT;
		return false;
	case S_DOCTYPE:
		/* Every DOCTYPE state ends at '>' (and the end): nothing of it
		 * is wanted. */
		if(c == '>' || c < 0)
			t->state = S_DATA;
		return true;
	default:
		return true;
	}
}

/* A character reference in an attribute value. Long: one case per state,
 * in the standard's order. */
bool html_step_ref(struct html *t, int c)
{
	switch(t->state) {
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
		tok_attr_char(t, true, '&');
		t->state = t->value_state;
		return false;
	case S_REF_NAMED:
		if((is_alnum(c) || c == ';') && t->ref_len < REF_MAX) {
			t->ref[t->ref_len++] = (char)c;
			if(c != ';')
				return true;
			tok_ref_named_done(t, -1);
			t->state = t->value_state;
			return true;
		}
		tok_ref_named_done(t, c);
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
		tok_attr_put(t, true, t->ref, t->ref_len);
		t->state = t->value_state;
		return false;
	case S_REF_HEX:
	case S_REF_DEC:
		if(t->state == S_REF_HEX ? hexval(c) >= 0 : is_digit(c)) {
			tok_ref_add_digit(t, t->state == S_REF_HEX ? hexval(c) : c - '0',
				      t->state == S_REF_HEX ? 16 : 10);
			return true;
		}
		tok_ref_numeric_done(t);
		t->state = t->value_state;
		return c == ';';
	default:
		return true;
	}
}
