/*
 * jsonline.c - a flat JSON object read in place (see jsonline.h): one
 * pass, a cursor over the line, strings decoded where they stand.
 */
#include "jsonline.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

struct cursor {
	char *p, *end;
};

static void blank(struct cursor *c)
{
	while(c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' ||
				*c->p == '\n'))
		c->p++;
}

static bool take(struct cursor *c, char ch)
{
	blank(c);
	if(c->p == c->end || *c->p != ch)
		return false;
	c->p++;
	return true;
}

static int hex4(const char *p)
{
	int v = 0;

	for(int i = 0; i < 4; i++) {
		int c = p[i], d = c >= '0' && c <= '9' ? c - '0' :
				  c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				  c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if(d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* \uXXXX at c->p (after the backslash and 'u'), with its low surrogate
 * when it is a high one: the code point, or -1. */
static long unicode_escape(struct cursor *c)
{
	long cp, lo;

	if(c->end - c->p < 4 || (cp = hex4(c->p)) < 0)
		return -1;
	c->p += 4;
	if(cp < 0xd800 || cp > 0xdfff)
		return cp;
	if(cp > 0xdbff || c->end - c->p < 6 || c->p[0] != '\\' || c->p[1] != 'u' ||
	   (lo = hex4(c->p + 2)) < 0xdc00 || lo > 0xdfff)
		return 0xfffd;        /* a lone surrogate, as U+FFFD */
	c->p += 6;
	return 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
}

/* A string at c->p (after its quote), decoded to *out onward; its
 * decoded end, or NULL. */
static char *string(struct cursor *c, char *out)
{
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";

	while(c->p < c->end) {
		char ch = *c->p++;
		const char *e;
		long cp;

		if(ch == '"')
			return out;
		if((unsigned char)ch < 0x20)
			return NULL;
		if(ch != '\\') {
			*out++ = ch;
			continue;
		}
		if(c->p == c->end)
			return NULL;
		ch = *c->p++;
		if(ch == 'u') {
			if((cp = unicode_escape(c)) < 0)
				return NULL;
			out += utf8_encode(out, (uint32_t)cp);
		} else if(ch && (e = strchr(esc_in, ch))) {
			*out++ = esc_out[e - esc_in];
		} else {
			return NULL;
		}
	}
	return NULL;
}

/* An array of strings: joined with '\n' where it began. */
static bool strings(struct cursor *c, struct jl_value *v)
{
	char *start = c->p, *out = start;

	v->type = JL_STRINGS;
	v->s = start;
	if(take(c, ']'))
		goto done;
	do {
		if(!take(c, '"'))
			return false;
		if(out > start)
			*out++ = '\n';
		if(!(out = string(c, out)))
			return false;
	} while(take(c, ','));
	if(!take(c, ']'))
		return false;
done:
	v->len = (size_t)(out - start);
	*out = '\0';
	return true;
}

static bool word(struct cursor *c, const char *w)
{
	size_t n = strlen(w);

	if((size_t)(c->end - c->p) < n || memcmp(c->p, w, n))
		return false;
	c->p += n;
	return true;
}

/* The common number, digits only: read without strtod(). */
static bool integer(struct cursor *c, struct jl_value *v)
{
	const char *p = c->p;
	double n = 0;

	while(p < c->end && *p >= '0' && *p <= '9' && p - c->p < 15)
		n = n * 10 + (*p++ - '0');
	if(p == c->p || (p < c->end && ((*p >= '0' && *p <= '9') || *p == '.' ||
					*p == 'e' || *p == 'E')))
		return false;
	v->num = n;
	c->p = (char *)p;
	return true;
}

static bool value(struct cursor *c, struct jl_value *v)
{
	char *start, *end;

	blank(c);
	memset(v, 0, sizeof(*v));
	if(c->p == c->end)
		return false;
	start = c->p;
	switch(*c->p) {
	case '"':
		c->p++;
		if(!(end = string(c, start)))
			return false;
		*end = '\0';
		v->type = JL_STRING;
		v->s = start;
		v->len = (size_t)(end - start);
		return true;
	case '[':
		c->p++;
		return strings(c, v);
	case 'n':
		return word(c, "null");
	case 't':
		v->type = JL_BOOL;
		return (v->b = word(c, "true"));
	case 'f':
		v->type = JL_BOOL;
		return word(c, "false");
	default:
		v->type = JL_NUMBER;
		if(integer(c, v))
			return true;
		v->num = strtod(start, &end);
		if(end == start || end > c->end)
			return false;
		c->p = end;
		return true;
	}
}

bool jsonline_each(char *line, size_t len,
		   bool (*fn)(void *ctx, const char *key, const struct jl_value *v),
		   void *ctx)
{
	struct cursor c = { line, line + len };

	if(!take(&c, '{'))
		return false;
	if(take(&c, '}'))
		goto end;
	do {
		char *key, *key_end;
		struct jl_value v;

		if(!take(&c, '"'))
			return false;
		key = c.p;
		if(!(key_end = string(&c, key)))
			return false;
		*key_end = '\0';     /* at or before its closing quote */
		if(!take(&c, ':') || !value(&c, &v))
			return false;
		if(!fn(ctx, key, &v))
			return false;
	} while(take(&c, ','));
	if(!take(&c, '}'))
		return false;
end:
	blank(&c);
	return c.p == c.end;
}
