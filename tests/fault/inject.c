/*
 * inject.c - an LD_PRELOAD library that makes one call fail, for
 * tests/cli/faults.sh.
 *
 *   GF_FAIL=malloc:N    the N-th allocation (malloc, calloc, realloc,
 *                       strdup, strndup) returns NULL with ENOMEM
 *   GF_FAIL=write:N     the N-th write() fails with ENOSPC
 *   GF_FAIL=rename:N    the N-th rename() or renameat() fails with EIO
 *   GF_FAIL_COUNT=FILE  at exit, write how many such calls were made
 *   GF_FAIL_TRACE=1     print the stack of the failing call on stderr
 *
 * Only calls made by greenfetch's own code count, not those libraries make
 * inside themselves: what is tested is how greenfetch handles a failure it
 * is told about. N = 0 never fails (use it with GF_FAIL_COUNT).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

enum kind { NONE, MALLOC, WRITE, RENAME };

static enum kind fail_kind;
static long fail_at;                  /* the call that fails, from 1 */
static long calls;                    /* calls of fail_kind counted */
static uintptr_t text_lo, text_hi;    /* the executable's code */
static int ready;                     /* set up: count from now on */

/* Is the caller greenfetch's own code? */
static int ours(const void *ret)
{
	return ready && (uintptr_t)ret >= text_lo && (uintptr_t)ret < text_hi;
}

/* Count a call of kind k from ret; true if it is the one to fail. */
static int fails(enum kind k, const void *ret)
{
	if(k != fail_kind || !ours(ret) || ++calls != fail_at)
		return 0;
	if(getenv("GF_FAIL_TRACE")) {
		void *frames[32];

		ready = 0;
		backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
		ready = 1;
	}
	return 1;
}

void *malloc(size_t size)
{
	if(fails(MALLOC, __builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
	if(fails(MALLOC, __builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
	if(fails(MALLOC, __builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, size);
}

static char *copy(const char *s, size_t len)
{
	char *d = __libc_malloc(len + 1);

	if(d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

char *strdup(const char *s)
{
	if(fails(MALLOC, __builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return copy(s, strlen(s));
}

char *strndup(const char *s, size_t n)
{
	if(fails(MALLOC, __builtin_return_address(0))) {
		errno = ENOMEM;
		return NULL;
	}
	return copy(s, strnlen(s, n));
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);

	if(fails(WRITE, __builtin_return_address(0))) {
		errno = ENOSPC;
		return -1;
	}
	if(!real)
		real = (ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	return real(fd, buf, len);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);

	if(fails(RENAME, __builtin_return_address(0))) {
		errno = EIO;
		return -1;
	}
	if(!real)
		real = (int (*)(const char *, const char *))dlsym(RTLD_NEXT, "rename");
	return real(from, to);
}

int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	static int (*real)(int, const char *, int, const char *);

	if(fails(RENAME, __builtin_return_address(0))) {
		errno = EIO;
		return -1;
	}
	if(!real)
		real = (int (*)(int, const char *, int, const char *))
			dlsym(RTLD_NEXT, "renameat");
	return real(fromfd, from, tofd, to);
}

/* The executable is the first object dl_iterate_phdr() reports. */
static int find_text(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	for(int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if(ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			text_lo = info->dlpi_addr + ph->p_vaddr;
			text_hi = text_lo + ph->p_memsz;
		}
	}
	return 1;
}

static void report(void)
{
	const char *file = getenv("GF_FAIL_COUNT");
	char buf[32];
	int fd, n;

	ready = 0;
	if(!file)
		return;
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	n = snprintf(buf, sizeof(buf), "%ld\n", calls);
	if(fd >= 0 && n > 0) {
		ssize_t (*real)(int, const void *, size_t) =
			(ssize_t (*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");

		if(real(fd, buf, (size_t)n) != n)
			perror("inject: count");
	}
	if(fd >= 0)
		close(fd);
}

__attribute__((constructor)) static void setup(void)
{
	const char *spec = getenv("GF_FAIL");
	const char *colon = spec ? strchr(spec, ':') : NULL;

	if(!colon)
		return;
	if(strncmp(spec, "malloc:", 7) == 0)
		fail_kind = MALLOC;
	else if(strncmp(spec, "write:", 6) == 0)
		fail_kind = WRITE;
	else if(strncmp(spec, "rename:", 7) == 0)
		fail_kind = RENAME;
	fail_at = strtol(colon + 1, NULL, 10);
	dl_iterate_phdr(find_text, NULL);
	atexit(report);
	ready = 1;
}
