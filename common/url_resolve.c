/*
 * url_resolve.c - references resolved on a normal URL without libcurl,
 * for the links most pages hold ("page.html#s", "../lib/x.html", "/a?b"):
 * RFC 3986 5.2 with 5.2.4's removal of dot segments, on strings.
 *
 * It takes only what it is sure to resolve as url_normal_at() does (a
 * fuzz target compares the two): a reference of unreserved characters,
 * sub-delimiters, ':', '@', '/', '?' and '#', with no scheme, no
 * authority and no percent escape; or an absolute http(s) URL in normal
 * form already but for its fragment and an empty path. Anything else is
 * left to libcurl.
 */
#include "url.h"

#include <string.h>

/* The characters a reference taken here may hold (RFC 3986 2.2, 2.3). */
static bool plain(unsigned char c)
{
	static const bool ok[128] = {
		['!'] = 1, ['$'] = 1, ['&'] = 1, ['\''] = 1, ['('] = 1, [')'] = 1,
		['*'] = 1, ['+'] = 1, [','] = 1, [';'] = 1, ['='] = 1, [':'] = 1,
		['@'] = 1, ['/'] = 1, ['?'] = 1, ['#'] = 1, ['-'] = 1, ['.'] = 1,
		['_'] = 1, ['~'] = 1,
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
		['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
		['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
		['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
		['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
		['y'] = 1, ['z'] = 1,
		['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
		['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
		['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
		['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
		['Y'] = 1, ['Z'] = 1
	};

	return c < 128 && ok[c];
}

/* RFC 3986 5.2.4 on path (len bytes from '/'), written at out: its new
 * length. out may be path itself: the output never passes the input. */
static size_t remove_dots(char *out, const char *path, size_t len)
{
	const char *in = path, *end = path + len;
	size_t n = 0;

	while(in < end) {
		/* in is at a '/': the segment after it, to the next '/'. */
		const char *seg = in + 1, *next = memchr(seg, '/', (size_t)(end - seg));
		size_t slen = (size_t)((next ? next : end) - seg);

		if(slen == 1 && seg[0] == '.') {
			if(!next)
				out[n++] = '/';
		} else if(slen == 2 && seg[0] == '.' && seg[1] == '.') {
			while(n > 0 && out[--n] != '/')
				;
			if(!next)
				out[n++] = '/';
		} else {
			out[n++] = '/';
			memmove(out + n, seg, slen);
			n += slen;
		}
		in = next ? next : end;
	}
	return n;
}

/* Has the path (n bytes) a "." or ".." segment? */
static bool dot_segment(const char *path, size_t n)
{
	for(size_t i = 0; i < n; i++)
		if(path[i] == '.' && (i == 0 || path[i - 1] == '/') &&
		   (i + 1 == n || path[i + 1] == '/' ||
		    (path[i + 1] == '.' && (i + 2 == n || path[i + 2] == '/'))))
			return true;
	return false;
}

/* a (n bytes) then b (m bytes) in out, or -1 when cap is too small. */
static long join(char *out, size_t cap, const char *a, size_t n,
		 const char *b, size_t m)
{
	if(n + m + 1 > cap)
		return -1;
	memcpy(out, a, n);
	memcpy(out + n, b, m);
	out[n + m] = '\0';
	return (long)(n + m);
}

long url_resolve_fast(const char *base, const char *ref, char *out, size_t cap)
{
	const char *auth, *path, *query, *r;
	size_t rlen, rpath, pre, dir, total;
	bool in_query = false, slash = false;

	/* The reference: its characters, no scheme, no authority, no empty
	 * segment in its path (libcurl's rules for "//" differ from the
	 * RFC's after a "./"). */
	for(r = ref; *r && *r != '#'; r++) {
		if(!plain((unsigned char)*r))
			return -1;
		if(*r == '?')
			in_query = true;
		if(*r == ':' && !in_query && !slash)
			return -1;
		if(*r == '/' && !in_query && r[1] == '/')
			return -1;
		if(*r == '/')
			slash = true;
	}
	/* The fragment is dropped, but libcurl refuses some. */
	for(const char *f = r; *f; f++)
		if(!plain((unsigned char)*f))
			return -1;
	rlen = (size_t)(r - ref);
	rpath = strcspn(ref, "?#");
	if(rpath < rlen && (rpath + 1 == rlen || dot_segment(ref, rpath)))
		return -1;            /* libcurl's own ways with a query */
	/* The base: scheme://authority/path?query, normal. */
	if(!(auth = strstr(base, "://")) || !(path = strchr(auth + 3, '/')))
		return -1;
	query = path + strcspn(path, "?");
	if(rlen == 0)                 /* the base itself */
		return join(out, cap, base, strlen(base), "", 0);
	if(ref[0] == '?')             /* the base with another query */
		return join(out, cap, base, (size_t)(query - base), ref, rlen);
	pre = (size_t)(path - base);
	dir = 0;
	if(ref[0] != '/')
		for(const char *p = path; p < query; p++)
			if(*p == '/')
				dir = (size_t)(p - path) + 1;
	if(pre + dir + rlen + 1 > cap)
		return -1;
	memcpy(out, base, pre + dir);
	memcpy(out + pre + dir, ref, rpath);
	total = pre + remove_dots(out + pre, out + pre, dir + rpath);
	memcpy(out + total, ref + rpath, rlen - rpath);
	total += rlen - rpath;
	out[total] = '\0';
	return (long)total;
}

/* A host taken as it is: lower-case letters, digits, '-' and '.', no
 * empty label, the last one starting with a letter (not an IPv4 address
 * in any of its spellings, which libcurl writes out); its length. */
static size_t plain_host(const char *h)
{
	size_t n = strspn(h, "abcdefghijklmnopqrstuvwxyz0123456789-."), last = 0;

	for(size_t i = 0; i < n; i++) {
		if(h[i] != '.')
			continue;
		if(i == 0 || h[i - 1] == '.' || i + 1 == n)
			return 0;     /* an empty label */
		last = i + 1;
	}
	return n > 0 && h[last] >= 'a' && h[last] <= 'z' ? n : 0;
}

long url_absolute_fast(const char *ref, char *out, size_t cap, size_t *host_at,
		       size_t *host_len)
{
	size_t pre = !strncmp(ref, "http://", 7) ? 7 : !strncmp(ref, "https://", 8) ? 8 : 0;
	size_t hn, path, rpath, rlen, total;
	const char *r;

	if(!pre || !(hn = plain_host(ref + pre)))
		return -1;
	path = pre + hn;
	if(ref[path] && !strchr("/?#", ref[path]))
		return -1;    /* a port, userinfo, or a byte left to libcurl */
	for(r = ref + path; *r; r++)
		if(!plain((unsigned char)*r))
			return -1;
	rlen = path + strcspn(ref + path, "#");
	rpath = path + strcspn(ref + path, "?#");
	if(rpath < rlen && rpath + 1 == rlen)
		return -1;            /* an empty query */
	for(r = ref + path; r < ref + rpath; r++)
		if(*r == '/' && r[1] == '/')
			return -1;
	if(dot_segment(ref + path, rpath - path) || rlen + 2 > cap)
		return -1;
	memcpy(out, ref, rpath);
	total = rpath;
	if(rpath == path)
		out[total++] = '/';   /* "http://h" is "http://h/" */
	memcpy(out + total, ref + rpath, rlen - rpath);
	total += rlen - rpath;
	out[total] = '\0';
	*host_at = pre;
	*host_len = hn;
	return (long)total;
}

size_t url_ref_key(const char *ref)
{
	size_t n = strcspn(ref, "#");

	for(const char *f = ref + n; *f; f++)
		if(!plain((unsigned char)*f))
			return n + strlen(ref + n);
	return n;
}
