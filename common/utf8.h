/*
 * utf8.h - UTF-8 checks for input lines and output escaping.
 */
#ifndef GF_UTF8_H
#define GF_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at s (n bytes available), or 0
 * when the bytes there are not one (overlong forms and surrogates included).
 * *cp gets the code point. */
size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

/* Code point cp in UTF-8 at out (4 bytes at most); its length. */
size_t utf8_encode(char *out, unsigned cp);

/* How many bytes from s on (n available) are ASCII other than NUL: 1 to
 * 127, read a word at a time. */
size_t utf8_ascii_run(const unsigned char *s, size_t n);

/* Is s (NUL-terminated) plain ASCII? */
bool utf8_ascii(const char *s);

/* Is all of s well-formed UTF-8? */
bool utf8_valid(const char *s, size_t n);

#endif
