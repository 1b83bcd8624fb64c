/*
 * gf.h - what every part of greenfetch shares: the error enum, container_of,
 * a monotonic clock and small checked string helpers.
 *
 * Errors are plain ints from enum gf_error, GF_OK = 0, tested as `if(rc)`.
 * Library errors (curl, c-ares, libev) are translated at the module that
 * calls the library; nothing above it sees a CURLcode.
 */
#ifndef GF_H
#define GF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gf_error {
	GF_OK = 0,
	GF_EOF,         /* no more input */
	GF_AGAIN,       /* nothing now; wait for the fd or the event given */
	GF_ENOMEM,      /* an allocation failed */
	GF_EIO,         /* a read or write failed; errno says why */
	GF_EPIPE,       /* the reader of our output went away */
	GF_EUSAGE       /* the command line is wrong */
};

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Seconds on the monotonic clock, for durations only. */
double gf_now(void);

/* A NUL-terminated copy of len bytes of s, or NULL when out of memory. */
char *gf_strndup(const char *s, size_t len);

/* Something (a link, a page) was dropped for want of memory; the run ends
 * with a message and a non-zero exit. Safe from any thread. */
void gf_oom(void);
bool gf_oom_seen(void);

/* A string formatted like printf, or NULL when out of memory. */
char *gf_aprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Does s (len bytes) start with prefix, ignoring ASCII case? */
int gf_has_prefix_ci(const char *s, size_t len, const char *prefix);

/* Is a Content-Type value (NULL = none) of this type, parameters aside
 * ("text/html; charset=utf-8" is "text/html")? */
bool gf_mime_is(const char *ctype, const char *type);

/* A string that grows; an append that fails sets oom and is dropped. */
struct gf_buf {
	char *s;                      /* the text, NUL-terminated (or NULL) */
	size_t len, cap;
	bool oom;
};

void gf_buf_add(struct gf_buf *b, const char *s, size_t n);
/* Room for n bytes (and the NUL) without growing. */
void gf_buf_reserve(struct gf_buf *b, size_t n);
void gf_buf_str(struct gf_buf *b, const char *s);

/* A temporary file of ours, in $TMPDIR (or /tmp), unlinked at once so
 * that it is gone with its last close whatever happens: its fd, or -1
 * (errno set). what names it ("spill": greenfetch-spill-XXXXXX). */
int gf_temp_fd(const char *what);

/* All of data to fd, through EINTR and short writes; false (errno set)
 * when a write fails. */
bool gf_write_all(int fd, const char *data, size_t len);

#endif
