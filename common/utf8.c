/*
 * utf8.c - a strict UTF-8 decoder (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF).
 */
#include "utf8.h"

#include <stdint.h>
#include <string.h>

size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], min;
	size_t len;

	if(c < 0x80) {
		*cp = c;
		return 1;
	}
	if(c >= 0xc2 && c <= 0xdf) {
		len = 2; min = 0x80; c &= 0x1f;
	} else if(c >= 0xe0 && c <= 0xef) {
		len = 3; min = 0x800; c &= 0x0f;
	} else if(c >= 0xf0 && c <= 0xf4) {
		len = 4; min = 0x10000; c &= 0x07;
	} else {
		return 0;
	}
	if(n < len)
		return 0;
	for(size_t i = 1; i < len; i++) {
		if((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if(c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_ascii_run(const unsigned char *s, size_t n)
{
	const uint64_t high = 0x8080808080808080ull, ones = 0x0101010101010101ull;
	size_t i = 0;

	for(; n - i >= 8; i += 8) {
		uint64_t w;

		memcpy(&w, s + i, 8);
		/* A byte of 128 or more, or a zero byte (w - ones borrows). */
		if((w & high) || ((w - ones) & ~w & high))
			break;
	}
	while(i < n && s[i] != 0 && s[i] < 0x80)
		i++;
	return i;
}

bool utf8_ascii(const char *s)
{
	for(; *s; s++)
		if((unsigned char)*s >= 0x80)
			return false;
	return true;
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned cp;

	while(n > 0) {
		size_t len = utf8_decode(p, n, &cp);

		if(len == 0)
			return false;
		p += len;
		n -= len;
	}
	return true;
}

size_t utf8_encode(char *out, unsigned cp)
{
	if(cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if(cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if(cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}
