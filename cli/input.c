/*
 * input.c - URL lines from arguments, files and stdin.
 *
 * The linebuf keeps the unsplit tail of what was read. A line never needs
 * more than INPUT_MAX_LINE bytes of it: past that the line is dropped as it
 * arrives and only its first INPUT_PREFIX bytes and its length are kept, so
 * memory stays fixed whatever the input holds.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gf.h"

#define LINEBUF_SIZE (2 * INPUT_MAX_LINE)

static const char bom[3] = { '\xef', '\xbb', '\xbf' };

/* ---------------------------------------------------------------- linebuf */

int linebuf_init(struct linebuf *lb)
{
	memset(lb, 0, sizeof(*lb));
	lb->buf = malloc(LINEBUF_SIZE);
	if(!lb->buf)
		return GF_ENOMEM;
	lb->cap = LINEBUF_SIZE;
	lb->skip_bom = true;
	return GF_OK;
}

void linebuf_release(struct linebuf *lb)
{
	free(lb->buf);
	lb->buf = NULL;
}

void linebuf_reset(struct linebuf *lb)
{
	lb->len = lb->start = 0;
	lb->dropping = false;
	lb->dropped = 0;
	lb->skip_bom = true;
}

char *linebuf_space(struct linebuf *lb, size_t *avail)
{
	if(lb->start > 0) {
		memmove(lb->buf, lb->buf + lb->start, lb->len - lb->start);
		lb->len -= lb->start;
		lb->start = 0;
	}
	*avail = lb->cap - lb->len;
	return lb->buf + lb->len;
}

void linebuf_commit(struct linebuf *lb, size_t n)
{
	lb->len += n;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Trim [*s, *s + *n) and say whether anything but a comment is left. */
static bool trim_line(const char **s, size_t *n)
{
	while(*n > 0 && is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while(*n > 0 && is_space((*s)[*n - 1]))
		(*n)--;
	return *n > 0 && **s != '#';
}

/* Drop a byte-order mark at the start of a source. GF_AGAIN: too few bytes
 * yet to tell. */
static int linebuf_skip_bom(struct linebuf *lb, bool at_eof)
{
	size_t have = lb->len - lb->start;
	size_t n = have < sizeof(bom) ? have : sizeof(bom);

	if(memcmp(lb->buf + lb->start, bom, n) == 0) {
		if(n < sizeof(bom) && !at_eof)
			return GF_AGAIN;
		if(n == sizeof(bom))
			lb->start += sizeof(bom);
	}
	lb->skip_bom = false;
	return GF_OK;
}

/* Start dropping the line at start: keep its first bytes and its length. */
static void linebuf_begin_drop(struct linebuf *lb, const char *s, size_t n)
{
	size_t keep = n < INPUT_PREFIX ? n : INPUT_PREFIX;
	const char *t = s;
	size_t tn = keep;

	while(tn > 0 && is_space(*t)) {
		t++;
		tn--;
	}
	memcpy(lb->prefix, t, tn);
	lb->dropped = tn + (n - keep);
	lb->prefix_len = tn;
	lb->dropping = true;
}

static int linebuf_emit_dropped(struct linebuf *lb, struct input_line *line)
{
	lb->dropping = false;
	if(lb->prefix_len > 0 && lb->prefix[0] == '#')
		return GF_AGAIN;
	line->text = lb->prefix;
	line->len = lb->prefix_len;
	line->too_long = true;
	line->full_len = lb->dropped;
	return GF_OK;
}

/* Go on dropping a too-long line; GF_OK once its end was seen. */
static int linebuf_drop(struct linebuf *lb, bool at_eof, struct input_line *line)
{
	char *s = lb->buf + lb->start;
	char *nl = memchr(s, '\n', lb->len - lb->start);
	size_t n = nl ? (size_t)(nl - s) : lb->len - lb->start;

	lb->dropped += n;
	lb->start += nl ? n + 1 : n;
	if(!nl && !at_eof)
		return GF_AGAIN;
	return linebuf_emit_dropped(lb, line);
}

int linebuf_next(struct linebuf *lb, bool at_eof, struct input_line *line)
{
	for(;;) {
		const char *s;
		char *nl;
		size_t n;

		if(lb->skip_bom && linebuf_skip_bom(lb, at_eof) == GF_AGAIN)
			return GF_AGAIN;
		if(lb->dropping) {
			if(linebuf_drop(lb, at_eof, line) == GF_OK)
				return GF_OK;
			if(lb->dropping)
				return GF_AGAIN;
			continue;
		}
		s = lb->buf + lb->start;
		n = lb->len - lb->start;
		nl = memchr(s, '\n', n);
		if(!nl && n > INPUT_MAX_LINE) {
			linebuf_begin_drop(lb, s, n);
			lb->start = lb->len;
			continue;
		}
		if(!nl && (!at_eof || n == 0))
			return GF_AGAIN;
		if(nl)
			n = (size_t)(nl - s);
		lb->start += nl ? n + 1 : n;
		if(n > INPUT_MAX_LINE) {
			linebuf_begin_drop(lb, s, n);
			if(linebuf_emit_dropped(lb, line) == GF_OK)
				return GF_OK;
			continue;
		}
		if(!trim_line(&s, &n))
			continue;
		line->text = s;
		line->len = n;
		line->too_long = false;
		line->full_len = n;
		return GF_OK;
	}
}

/* ------------------------------------------------------------------ input */

struct input {
	char **args;                  /* the sources, in order */
	size_t nargs;                 /* how many */
	size_t next;                  /* the next source to open */
	int fd;                       /* the open source, -1 = none */
	bool fd_owned;                /* close fd when done (not stdin) */
	bool fd_gated;                /* a pipe or tty: poll before read */
	bool fd_eof;                  /* read() returned 0 */
	const char *name;             /* the open source's name, for messages */
	bool failed;                  /* a source could not be read */
	bool stdin_closed;            /* "-" is a closed stream */
	struct linebuf lb;            /* the open source's unsplit bytes */
	char *stdin_arg[1];           /* the sources when none are given */
};

struct input *input_new(char **args, size_t nargs)
{
	struct input *in = calloc(1, sizeof(*in));

	if(!in)
		return NULL;
	if(linebuf_init(&in->lb)) {
		free(in);
		return NULL;
	}
	in->stdin_arg[0] = "-";
	in->args = nargs ? args : in->stdin_arg;
	in->nargs = nargs ? nargs : 1;
	in->fd = -1;
	return in;
}

static void input_close(struct input *in)
{
	if(in->fd >= 0 && in->fd_owned)
		close(in->fd);
	in->fd = -1;
	linebuf_reset(&in->lb);
}

void input_free(struct input *in)
{
	if(!in)
		return;
	input_close(in);
	linebuf_release(&in->lb);
	free(in);
}

static bool is_url_arg(const char *arg)
{
	size_t len = strlen(arg);

	return gf_has_prefix_ci(arg, len, "http://") ||
	       gf_has_prefix_ci(arg, len, "https://");
}

static void input_fail(struct input *in, const char *what)
{
	fprintf(stderr, "greenfetch: %s: %s\n", what, strerror(errno));
	in->failed = true;
}

/* Does a missing file's name look like a host (a URL without its
 * scheme): "example.org", "example.org:8080/path"? */
static bool looks_like_host(const char *arg)
{
	size_t host = strcspn(arg, ":/");
	bool dot = memchr(arg, '.', host) != NULL;

	if(host == 0 || !dot || arg[0] == '.' || arg[host - 1] == '.')
		return false;
	for(size_t i = 0; i < host; i++)
		if(!((arg[i] >= 'a' && arg[i] <= 'z') || (arg[i] >= 'A' && arg[i] <= 'Z') ||
		     (arg[i] >= '0' && arg[i] <= '9') || arg[i] == '-' || arg[i] == '.'))
			return false;
	return true;
}

/* Open source arg as the current fd; false if it could not be. */
static bool input_open(struct input *in, const char *arg)
{
	struct stat st;

	in->name = strcmp(arg, "-") == 0 ? "stdin" : arg;
	in->fd_owned = strcmp(arg, "-") != 0;
	if(!in->fd_owned && in->stdin_closed) {
		fprintf(stderr, "greenfetch: stdin: closed, nothing to read\n");
		in->failed = true;
		return false;
	}
	in->fd = in->fd_owned ? open(arg, O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
	if(in->fd < 0 && errno == ENOENT && looks_like_host(arg)) {
		fprintf(stderr, "greenfetch: %s: no such file (did you mean "
			"https://%s%s?)\n", arg, arg, strchr(arg, '/') ? "" : "/");
		in->failed = true;
		input_close(in);
		return false;
	}
	if(in->fd < 0 || fstat(in->fd, &st) < 0) {
		input_fail(in, in->name);
		input_close(in);
		return false;
	}
	if(S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		input_fail(in, in->name);
		input_close(in);
		return false;
	}
	in->fd_gated = !S_ISREG(st.st_mode);
	in->fd_eof = false;
	return true;
}

/* Read once from the current fd: GF_OK (bytes or EOF seen) or GF_AGAIN. */
static int input_read(struct input *in)
{
	struct pollfd pfd = { .fd = in->fd, .events = POLLIN };
	size_t avail;
	char *space = linebuf_space(&in->lb, &avail);
	ssize_t n;

	if(in->fd_gated && poll(&pfd, 1, 0) == 0)
		return GF_AGAIN;
	n = read(in->fd, space, avail);
	if(n < 0 && (errno == EINTR || errno == EAGAIN))
		return GF_AGAIN;
	if(n < 0) {
		input_fail(in, in->name);
		n = 0;
	}
	if(n == 0)
		in->fd_eof = true;
	linebuf_commit(&in->lb, (size_t)n);
	return GF_OK;
}

int input_next(struct input *in, struct input_line *line)
{
	for(;;) {
		if(in->fd < 0) {
			const char *arg;

			if(in->next == in->nargs)
				return GF_EOF;
			arg = in->args[in->next++];
			if(is_url_arg(arg)) {
				line->text = arg;
				line->len = strlen(arg);
				line->too_long = false;
				line->full_len = line->len;
				return GF_OK;
			}
			if(!input_open(in, arg))
				continue;
		}
		if(linebuf_next(&in->lb, in->fd_eof, line) == GF_OK)
			return GF_OK;
		if(in->fd_eof) {
			input_close(in);
			continue;
		}
		if(input_read(in) == GF_AGAIN)
			return GF_AGAIN;
	}
}

/* May the next source be read to its end without waiting? */
static bool input_next_is_finite(const struct input *in)
{
	const char *arg = in->args[in->next];
	struct stat st;

	if(is_url_arg(arg))
		return true;
	if(strcmp(arg, "-") == 0)
		return in->stdin_closed ||
		       (fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode));
	return stat(arg, &st) != 0 || S_ISREG(st.st_mode);
}

uint64_t input_count_rest(struct input *in, bool *more)
{
	struct input_line line;
	uint64_t n = 0;

	*more = false;
	for(;;) {
		if(in->fd >= 0 && in->fd_gated && !in->fd_eof) {
			/* The lines read already, not what may follow. */
			while(linebuf_next(&in->lb, false, &line) == GF_OK)
				n++;
			*more = true;
			return n;
		}
		if(in->fd < 0 && in->next < in->nargs && !input_next_is_finite(in)) {
			*more = true;
			return n;
		}
		if(input_next(in, &line) != GF_OK)
			return n;
		n++;
	}
}

/* The URL lines of the regular file fd, read with pread() from 0. */
static bool count_fd(int fd, const atomic_bool *stop, uint64_t *total)
{
	struct linebuf lb;
	struct input_line line;
	off_t at = 0;
	bool ok = true;

	if(linebuf_init(&lb))
		return false;
	for(;;) {
		size_t avail;
		char *space = linebuf_space(&lb, &avail);
		ssize_t n = pread(fd, space, avail, at);

		if(n < 0 || *stop) {
			ok = false;
			break;
		}
		linebuf_commit(&lb, (size_t)n);
		at += n;
		while(linebuf_next(&lb, n == 0, &line) == GF_OK)
			(*total)++;
		if(n == 0)
			break;
	}
	linebuf_release(&lb);
	return ok;
}

bool input_count_all(char **args, size_t nargs, const atomic_bool *stop,
		     uint64_t *total)
{
	static char *dash[] = { "-" };

	if(nargs == 0) {
		args = dash;
		nargs = 1;
	}
	*total = 0;
	for(size_t i = 0; i < nargs; i++) {
		bool is_stdin = strcmp(args[i], "-") == 0, ok;
		struct stat st;
		int fd;

		if(is_url_arg(args[i])) {
			(*total)++;
			continue;
		}
		fd = is_stdin ? STDIN_FILENO : open(args[i], O_RDONLY | O_CLOEXEC);
		if(fd < 0)
			continue;     /* the reader says so, and skips it */
		ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		     count_fd(fd, stop, total);
		if(!is_stdin)
			close(fd);
		if(!ok)
			return false;
	}
	return true;
}

void input_stdin_closed(struct input *in)
{
	in->stdin_closed = true;
}

int input_fd(const struct input *in)
{
	return in->fd;
}

bool input_failed(const struct input *in)
{
	return in->failed;
}
