/*
 * links_charset.c - the encoding of a page, as the Encoding standard and
 * HTML's prescan find it: a byte order mark, the Content-Type's charset,
 * a <meta> in the first LINKS_SNIFF bytes, else UTF-8 or windows-1252 by
 * the bytes; UTF-16 is turned into UTF-8 for the tokenizer.
 */
#define _GNU_SOURCE                   /* strcasestr */
#include "links_impl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gf.h"
#include "utf8.h"

/* ------------------------------------------------------------ encodings */

/* The name iconv knows for an encoding label, as the Encoding standard
 * reads labels ("latin1" is windows-1252, "gb2312" is GBK); "" for UTF-8.
 * from_meta: a <meta> that says UTF-16 in an ASCII page means UTF-8. */
void links_charset_name(const char *label, size_t n, bool from_meta,
			 char *out, size_t size)
{
	static const char *const utf8[] = {
		"utf-8", "utf8", "unicode-1-1-utf-8", "unicode11utf8",
		"unicode20utf8", "x-unicode20utf8"
	};
	static const char *const w1252[] = {
		"windows-1252", "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1",
		"l1", "us-ascii", "ascii", "ansi_x3.4-1968", "cp1252", "cp819",
		"ibm819", "x-cp1252", "iso-ir-100", "csisolatin1"
	};
	static const char *const gbk[] = {
		"gbk", "gb2312", "x-gbk", "gb_2312-80", "chinese", "csgb2312"
	};
	char name[40];

	while(n > 0 && strchr(" \t\n\r\f\"'", *label)) {
		label++;
		n--;
	}
	while(n > 0 && strchr(" \t\n\r\f\"';", label[n - 1]))
		n--;
	out[0] = '\0';
	if(n == 0 || n >= sizeof(name))
		return;
	for(size_t i = 0; i < n; i++)
		name[i] = (char)(label[i] >= 'A' && label[i] <= 'Z' ? label[i] + 32 : label[i]);
	name[n] = '\0';
	for(size_t i = 0; i < ARRAY_SIZE(utf8); i++)
		if(!strcmp(name, utf8[i]))
			return;
	if(!strncmp(name, "utf-16", 6) && from_meta)
		return;
	for(size_t i = 0; i < ARRAY_SIZE(w1252); i++)
		if(!strcmp(name, w1252[i])) {
			snprintf(out, size, "WINDOWS-1252");
			return;
		}
	for(size_t i = 0; i < ARRAY_SIZE(gbk); i++)
		if(!strcmp(name, gbk[i])) {
			snprintf(out, size, "GBK");
			return;
		}
	if(!strcmp(name, "utf-16"))
		snprintf(out, size, "UTF-16LE");
	else
		snprintf(out, size, "%s", name);
}

/* "charset=X" in a Content-Type value (a parameter, or the text of a
 * meta content attribute): X, or NULL; its length in *n. */
const char *links_charset_param(const char *s, size_t *n)
{
	for(const char *p = s; (p = strcasestr(p, "charset")); p += 7) {
		const char *v = p + 7;

		v += strspn(v, " \t");
		if(*v != '=')
			continue;
		v++;
		v += strspn(v, " \t");
		if(*v == '"' || *v == '\'') {
			const char *end = strchr(v + 1, *v);

			if(!end)
				return NULL;
			*n = (size_t)(end - v - 1);
			return v + 1;
		}
		*n = strcspn(v, " \t;,");
		return *n ? v : NULL;
	}
	return NULL;
}

/* The prescan's tokens: a <meta> that names a charset. */
static void sniff_start_cb(void *ctx, const char *name, size_t len,
			   const struct html_attr *a, size_t n, bool self_closing)
{
	struct links *l = ctx;
	const struct html_attr *v, *eq;
	const char *label = NULL;
	size_t llen = 0;

	(void)len;
	(void)self_closing;
	if(l->decided || strcmp(name, "meta"))
		return;
	if((v = links_attr(a, n, "charset"))) {
		label = v->value;
		llen = v->value_len;
	} else if((eq = links_attr(a, n, "http-equiv")) && !strcasecmp(eq->value, "content-type") &&
		  (v = links_attr(a, n, "content"))) {
		label = links_charset_param(v->value, &llen);
	}
	if(!label)
		return;
	links_charset_name(label, llen, true, l->charset, sizeof(l->charset));
	l->decided = true;
}

static void links_prescan(struct links *l)
{
	static const struct html_ops ops = { sniff_start_cb, NULL, NULL, NULL, NULL };
	struct html *t = html_new(&ops, l);

	if(!t)
		return;
	html_feed(t, l->sniff, l->sniff_len);
	html_free(t);
}

/* Are the first bytes UTF-8 (a sequence cut by their end allowed)? */
static bool sniff_is_utf8(const struct links *l)
{
	const unsigned char *p = (const unsigned char *)l->sniff;
	size_t n = l->sniff_len;
	unsigned cp;

	while(n > 0) {
		size_t k = utf8_decode(p, n, &cp);

		if(k == 0)
			return n < 4 && l->sniff_len == LINKS_SNIFF && p[0] >= 0xc2;
		p += k;
		n -= k;
	}
	return true;
}

/* The encoding, from what is known now: BOM, Content-Type, <meta>, the
 * bytes themselves. */
void links_decide(struct links *l)
{
	const unsigned char *p = (const unsigned char *)l->sniff;

	if(l->sniff_len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		l->charset[0] = '\0';
	} else if(l->sniff_len >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
					(p[0] == 0xfe && p[1] == 0xff))) {
		snprintf(l->charset, sizeof(l->charset), p[0] == 0xff ?
			 "UTF-16LE" : "UTF-16BE");
		memmove(l->sniff, l->sniff + 2, l->sniff_len - 2);
		l->sniff_len -= 2;
	} else if(l->declared[0] != '-') {
		memcpy(l->charset, l->declared, sizeof(l->charset));
	} else {
		links_prescan(l);
		if(!l->decided && !sniff_is_utf8(l))
			snprintf(l->charset, sizeof(l->charset), "WINDOWS-1252");
	}
	l->decided = true;
	if(!strncmp(l->charset, "UTF-16", 6)) {
		l->wide = iconv_open("UTF-8", l->charset);
		if(l->wide == (iconv_t)-1)
			l->charset[0] = '\0';
	} else if(l->charset[0] && !html_set_charset(l->html, l->charset)) {
		l->charset[0] = '\0';     /* iconv knows it not: bytes as UTF-8 */
	}
}

/* UTF-16 bytes to the tokenizer as UTF-8. */
static void links_wide(struct links *l, const char *data, size_t len)
{
	char in[LINKS_WIDE + 4], out[4 * LINKS_WIDE + 16];

	while(len > 0 || l->npartial) {
		size_t take = len < LINKS_WIDE ? len : LINKS_WIDE;
		size_t inleft = l->npartial + take, outleft = sizeof(out);
		char *ip = in, *op = out;

		memcpy(in, l->partial, l->npartial);
		memcpy(in + l->npartial, data, take);
		l->npartial = 0;
		data += take;
		len -= take;
		while(inleft > 0 && iconv(l->wide, &ip, &inleft, &op, &outleft) == (size_t)-1) {
			if(errno == EINVAL && inleft < sizeof(l->partial)) {
				/* Cut by the piece's end: kept for the next. */
				memcpy(l->partial, ip, inleft);
				l->npartial = inleft;
				break;
			}
			if(outleft < 3)
				break;
			memcpy(op, "\xef\xbf\xbd", 3);   /* U+FFFD, and on */
			op += 3;
			outleft -= 3;
			ip += inleft >= 2 ? 2 : 1;
			inleft -= inleft >= 2 ? 2 : 1;
		}
		html_feed(l->html, out, (size_t)(op - out));
		if(take == 0)
			break;
	}
}

void links_tokenize(struct links *l, const char *data, size_t len)
{
	if(l->wide != (iconv_t)-1)
		links_wide(l, data, len);
	else
		html_feed(l->html, data, len);
}

