/*
 * input.h - the URL-line reader: arguments, files and stdin as one stream of
 * URL lines, read without ever blocking the hub.
 *
 * Flow: (arguments | files | stdin) -> input -> pool.
 *
 * An argument starting with http:// or https:// is a URL; "-" is stdin; any
 * other argument is a file. No argument at all means stdin. Lines are
 * trimmed of surrounding whitespace (CR included); blank lines and lines
 * starting with '#' are skipped; a UTF-8 byte-order mark at the start of a
 * source is dropped. A line longer than INPUT_MAX_LINE is not kept: it comes
 * back with too_long set, its length and its first bytes, so that it still
 * yields a record.
 *
 * A pipe or terminal is read only when poll() says it is readable, so
 * input_next() answers GF_AGAIN instead of blocking; the caller waits for
 * input_fd() to become readable and asks again.
 */
#ifndef GF_INPUT_H
#define GF_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdint.h>

#define INPUT_MAX_LINE 65536          /* longest line taken as a URL */
#define INPUT_PREFIX   64             /* bytes kept of a longer line */

struct input_line {
	const char *text;             /* trimmed line; valid until the next call */
	size_t len;                   /* its length (it may contain NUL bytes) */
	bool too_long;                /* longer than INPUT_MAX_LINE: text is a prefix */
	size_t full_len;              /* length of a too-long line */
};

/* The splitter alone, for feeding bytes by hand (used by struct input). */
struct linebuf {
	char *buf;                    /* bytes read, not yet split */
	size_t len;                   /* bytes in buf */
	size_t start;                 /* where the current line starts */
	size_t cap;                   /* size of buf */
	bool skip_bom;                /* the next bytes start a source */
	bool dropping;                /* inside a too-long line */
	size_t dropped;               /* its length so far */
	size_t prefix_len;            /* bytes in prefix */
	char prefix[INPUT_PREFIX];    /* its first bytes */
};

int linebuf_init(struct linebuf *lb);
void linebuf_release(struct linebuf *lb);
/* Forget any partial line and expect a new source (BOM allowed again). */
void linebuf_reset(struct linebuf *lb);
/* Where to write more bytes, and how many fit (at least INPUT_MAX_LINE
 * after linebuf_next() answered GF_AGAIN). */
char *linebuf_space(struct linebuf *lb, size_t *avail);
/* n bytes were written at linebuf_space(). */
void linebuf_commit(struct linebuf *lb, size_t n);
/* The next URL line: GF_OK, or GF_AGAIN when more bytes are needed. At the
 * end of a source pass at_eof to get a last line without a newline. */
int linebuf_next(struct linebuf *lb, bool at_eof, struct input_line *line);

struct input;

/* A reader over the given arguments (none = stdin). */
struct input *input_new(char **args, size_t nargs);
void input_free(struct input *in);

/* Standard input was closed when the run began (its number now holds
 * /dev/null): reading "-" is then an error, not an empty source. */
void input_stdin_closed(struct input *in);

/* The next URL line: GF_OK, GF_AGAIN (wait for input_fd() to be readable)
 * or GF_EOF. Sources that cannot be opened or read are reported on stderr
 * and skipped. */
int input_next(struct input *in, struct input_line *line);

/* URL lines still to come that can be counted without waiting: the rest
 * of regular files and URL arguments. Stops at the first other source (a
 * pipe, a terminal, a device: endless, perhaps), and sets *more. Reads
 * the rest of the input: call it last. */
uint64_t input_count_rest(struct input *in, bool *more);

/* The URL lines of all of args (as input_new() reads them), counted
 * apart from any reader: each file through its own descriptor, a regular
 * file on standard input with pread(). False when a source is not a
 * regular file (its lines are not known before they come), or when *stop
 * became true. For the progress line's total, on a thread of its own. */
bool input_count_all(char **args, size_t nargs, const atomic_bool *stop,
		     uint64_t *total);

/* The fd to wait on after GF_AGAIN. */
int input_fd(const struct input *in);

/* Did any source fail to open or read? */
bool input_failed(const struct input *in);

#endif
