/*
 * url.c - URL helpers that need no parser: finding a password.
 */
#include "url.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A scheme: a letter, then letters, digits, "+", "-" or ".". */
static bool is_scheme_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && ((c >= '0' && c <= '9') || c == '+' || c == '-' ||
			   c == '.'));
}

const char *url_find_password(const char *s, size_t *len)
{
	for(const char *p = strstr(s, "://"); p; p = strstr(p + 1, "://")) {
		const char *start = p, *auth = p + 3, *end, *at, *colon;

		/* A scheme before "://" (not "x ://"). */
		while(start > s && is_scheme_char(start[-1], false))
			start--;
		if(start == p || !is_scheme_char(*start, true))
			continue;
		end = auth + strcspn(auth, "/?#\\ \t\r\n\"'<>");
		at = NULL;
		for(const char *q = auth; q < end; q++)
			if(*q == '@')
				at = q;
		if(!at)
			continue;
		colon = memchr(auth, ':', (size_t)(at - auth));
		if(!colon || colon + 1 == at)
			continue;
		*len = (size_t)(at - colon - 1);
		return colon + 1;
	}
	return NULL;
}

char *url_mask(const char *s, int *oom)
{
	size_t len, n = strlen(s), used = 0;
	const char *pw = url_find_password(s, &len);
	char *out;

	*oom = 0;
	if(!pw)
		return NULL;
	/* Each password becomes "***": the result is at most n + 3 bytes
	 * longer per password of up to 2 bytes, so n * 2 + 4 is enough. */
	out = malloc(2 * n + 4);
	if(!out) {
		*oom = 1;
		return NULL;
	}
	while(pw) {
		size_t before = (size_t)(pw - s);

		memcpy(out + used, s, before);
		memcpy(out + used + before, "***", 3);
		used += before + 3;
		s = pw + len;
		pw = url_find_password(s, &len);
	}
	strcpy(out + used, s);
	return out;
}
