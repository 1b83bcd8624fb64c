/*
 * gf.c - the small helpers declared in gf.h.
 */
#include "gf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

double gf_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *gf_strndup(const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if(!copy)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}

char *gf_aprintf(const char *fmt, ...)
{
	va_list ap;
	char *buf;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if(n < 0)
		return NULL;
	buf = malloc((size_t)n + 1);
	if(!buf)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return buf;
}

int gf_has_prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t plen = strlen(prefix);

	return len >= plen && strncasecmp(s, prefix, plen) == 0;
}

bool gf_mime_is(const char *ctype, const char *type)
{
	size_t n;

	if(!ctype)
		return false;
	n = strcspn(ctype, "; \t");
	return n == strlen(type) && strncasecmp(ctype, type, n) == 0;
}

void gf_buf_reserve(struct gf_buf *b, size_t n)
{
	char *more;

	if(b->oom || n + 1 <= b->cap)
		return;
	if(!(more = realloc(b->s, n + 1))) {
		b->oom = true;
		return;
	}
	b->s = more;
	b->cap = n + 1;
	b->s[b->len] = '\0';
}

void gf_buf_add(struct gf_buf *b, const char *s, size_t n)
{
	if(b->oom)
		return;
	if(b->len + n + 1 > b->cap)
		gf_buf_reserve(b, (b->len + n + 1) * 2);
	if(b->oom)
		return;
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void gf_buf_str(struct gf_buf *b, const char *s)
{
	gf_buf_add(b, s, strlen(s));
}

bool gf_write_all(int fd, const char *data, size_t len)
{
	while(len > 0) {
		ssize_t n = write(fd, data, len);

		if(n < 0 && errno == EINTR)
			continue;
		if(n < 0)
			return false;
		data += n;
		len -= (size_t)n;
	}
	return true;
}

static atomic_bool oom_seen;

void gf_oom(void)
{
	atomic_store(&oom_seen, true);
}

bool gf_oom_seen(void)
{
	return atomic_load(&oom_seen);
}

int gf_temp_fd(const char *what)
{
	const char *dir = getenv("TMPDIR");
	char *path = gf_aprintf("%s/greenfetch-%s-XXXXXX", dir && *dir ? dir : "/tmp",
				what);
	int fd = path ? mkstemp(path) : -1;

	if(!path)
		errno = ENOMEM;
	if(fd >= 0)
		unlink(path);
	free(path);
	return fd;
}
