/*
 * body.c - held, streamed and saved bodies.
 *
 * The bodies of jobs not yet released are found by sequence number in a
 * ring as large as the pool's window (seq & mask), as in the pile.
 *
 * With -j the bodies are written from hub threads while the main hub
 * releases them: what they share (the ring, the head, the budget, stdout)
 * is under one lock. A file of -o is its job's alone.
 */
#include "body.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gf.h"
#include "outname.h"
#include "url.h"

#define BODY_CHUNK 65536               /* bytes of one held piece */

/* Held bodies are lists of fixed pieces, so memory follows what is held
 * (no doubling slack) and nothing is copied as a body grows. */
struct body_chunk {
	struct body_chunk *next;      /* the next piece */
	size_t len;                   /* bytes used in data */
	char data[BODY_CHUNK];
};

struct bodies {
	const struct gf_config *cfg;  /* options */
	struct body **active;         /* bodies not yet released, by seq */
	size_t mask;                  /* ring size - 1 */
	uint64_t head;                /* the next body to go to stdout */
	uint64_t held;                /* bytes held in memory, all bodies */
	uint64_t spilled;             /* bytes in spill files now */
	unsigned long spills;         /* spill files made so far */
	int dir_fd;                   /* -o DIR, -1 = none */
	struct outnames *names;       /* -o names given out */
	int error;                    /* first stdout error */
	pthread_mutex_t lock;         /* for all of the above but names */
};

struct bodies *bodies_new(const struct gf_config *cfg, size_t window,
			  char *err, size_t errlen)
{
	struct bodies *all = calloc(1, sizeof(*all));
	size_t size = 1;

	err[0] = '\0';
	if(!all)
		return NULL;
	while(size < window)
		size <<= 1;
	all->cfg = cfg;
	pthread_mutex_init(&all->lock, NULL);
	all->mask = size - 1;
	all->dir_fd = -1;
	all->active = calloc(size, sizeof(*all->active));
	all->names = cfg->output_dir ? outnames_new() : NULL;
	if(!all->active || (cfg->output_dir && !all->names)) {
		bodies_free(all);
		return NULL;
	}
	if(cfg->output_dir) {
		mkdir(cfg->output_dir, 0777);
		all->dir_fd = open(cfg->output_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if(all->dir_fd < 0) {
			snprintf(err, errlen, "-o %s: %s", cfg->output_dir,
				 strerror(errno));
			bodies_free(all);
			return NULL;
		}
	}
	return all;
}

void bodies_free(struct bodies *all)
{
	if(!all)
		return;
	if(all->dir_fd >= 0)
		close(all->dir_fd);
	outnames_free(all->names);
	free(all->active);
	pthread_mutex_destroy(&all->lock);
	free(all);
}

bool bodies_active(const struct bodies *all)
{
	return all->cfg->body || all->cfg->output_dir;
}

int bodies_error(const struct bodies *all)
{
	return all->error;
}

void bodies_usage(const struct bodies *all, uint64_t *mem, uint64_t *spilled,
		  unsigned long *spills)
{
	*mem = all->held;
	*spilled = all->spilled;
	*spills = all->spills;
}

/* ------------------------------------------------------------ stdout */

static void bodies_stdout(struct bodies *all, const char *data, size_t len)
{
	if(all->error || len == 0)
		return;
	if(fwrite(data, 1, len, stdout) != len)
		all->error = errno == EPIPE ? GF_EPIPE : GF_EIO;
}

static void bodies_separator(struct bodies *all, uint64_t seq)
{
	if(seq > 0 && all->cfg->separator)
		bodies_stdout(all, all->cfg->separator, strlen(all->cfg->separator));
}

/* Write what b holds (memory, then its spill file) and let go of it. */
static void body_dump(struct body *b)
{
	struct bodies *all = b->all;
	char buf[65536];
	ssize_t n;

	while(b->first) {
		struct body_chunk *c = b->first;

		bodies_stdout(all, c->data, c->len);
		b->first = c->next;
		free(c);
	}
	b->last = NULL;
	all->held -= b->len;
	b->len = 0;
	if(b->spill_fd < 0)
		return;
	lseek(b->spill_fd, 0, SEEK_SET);
	while((n = read(b->spill_fd, buf, sizeof(buf))) > 0) {
		bodies_stdout(all, buf, (size_t)n);
		all->spilled -= (uint64_t)n;
	}
	close(b->spill_fd);
	b->spill_fd = -1;
}

/* Put data in a new or open spill file. */
static bool body_spill(struct body *b, const char *data, size_t len)
{
	struct bodies *all = b->all;

	if(b->spill_fd < 0) {
		const char *dir = getenv("TMPDIR");
		char *path = gf_aprintf("%s/greenfetch-spill-XXXXXX",
					dir && *dir ? dir : "/tmp");

		b->spill_fd = path ? mkstemp(path) : -1;
		if(b->spill_fd < 0) {
			snprintf(b->error, sizeof(b->error), "cannot hold the body: %s",
				 path ? strerror(errno) : "out of memory");
			free(path);
			return false;
		}
		unlink(path); /* gone with the last close, whatever happens */
		free(path);
		all->spills++;
	}
	if(write(b->spill_fd, data, len) != (ssize_t)len) {
		snprintf(b->error, sizeof(b->error), "cannot hold the body: %s",
			 strerror(errno));
		return false;
	}
	all->spilled += len;
	return true;
}

/* Hold data for later: memory within the budget, then the spill file. */
static bool body_hold(struct body *b, const char *data, size_t len)
{
	struct bodies *all = b->all;

	if(b->spill_fd >= 0 || all->held + len > all->cfg->buffer_size)
		return body_spill(b, data, len);
	while(len > 0) {
		struct body_chunk *c = b->last;
		size_t n;

		if(!c || c->len == BODY_CHUNK) {
			c = malloc(sizeof(*c));
			if(!c)
				return body_spill(b, data, len);
			c->next = NULL;
			c->len = 0;
			if(b->last)
				b->last->next = c;
			else
				b->first = c;
			b->last = c;
		}
		n = BODY_CHUNK - c->len < len ? BODY_CHUNK - c->len : len;
		memcpy(c->data + c->len, data, n);
		c->len += n;
		b->len += n;
		all->held += n;
		data += n;
		len -= n;
	}
	return true;
}

/* -------------------------------------------------------------- files */

/* Open (creating) the directories of b->name under DIR, never through a
 * symlink; the last one stays open in b->dir_fd. Returns the file's own
 * name within it. */
static const char *body_open_dirs(struct body *b)
{
	char *path = b->name, *slash;
	int fd = dup(b->all->dir_fd);

	while(fd >= 0 && (slash = strchr(path, '/'))) {
		int next;

		*slash = '\0';
		mkdirat(fd, path, 0777);
		next = openat(fd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		*slash = '/';
		if(next < 0)
			snprintf(b->error, sizeof(b->error), "cannot save to %s/%s: %s",
				 b->all->cfg->output_dir, b->name, strerror(errno));
		close(fd);
		fd = next;
		path = slash + 1;
	}
	b->dir_fd = fd;
	return fd >= 0 ? path : NULL;
}

static bool body_open_file(struct body *b)
{
	const char *base = body_open_dirs(b);

	if(!base)
		return false;
	b->tmp = gf_aprintf(".%.100s.greenfetch-%ld-%llu.part", base, (long)getpid(),
			    (unsigned long long)b->seq);
	b->file_fd = b->tmp ? openat(b->dir_fd, b->tmp, O_WRONLY | O_CREAT | O_EXCL |
				    O_NOFOLLOW | O_CLOEXEC, 0666) : -1;
	if(b->file_fd < 0) {
		snprintf(b->error, sizeof(b->error), "cannot save to %s/%s: %s",
			 b->all->cfg->output_dir, b->name,
			 b->tmp ? strerror(errno) : "out of memory");
		return false;
	}
	return true;
}

static bool body_to_file(struct body *b, const char *data, size_t len)
{
	if(!b->name) {
		snprintf(b->error, sizeof(b->error), "cannot save to %s: no file "
			 "name for this URL (out of memory?)", b->all->cfg->output_dir);
		return false;
	}
	if(b->file_fd < 0 && !body_open_file(b))
		return false;
	while(len > 0) {
		ssize_t n = write(b->file_fd, data, len);

		if(n < 0 && errno == EINTR)
			continue;
		if(n < 0) {
			snprintf(b->error, sizeof(b->error), "cannot save to %s/%s: %s",
				 b->all->cfg->output_dir, b->name, strerror(errno));
			return false;
		}
		data += n;
		len -= (size_t)n;
	}
	return true;
}

/* ------------------------------------------------------------- a body */

static bool body_write_cb(struct gf_body *hook, const char *data, size_t len)
{
	struct body *b = container_of(hook, struct body, hook);
	const struct gf_config *cfg = b->all->cfg;

	if(cfg->output_dir && !body_to_file(b, data, len)) {
		hook->error = b->error;
		return false;
	}
	if(!cfg->body)
		return true;
	pthread_mutex_lock(&b->all->lock);
	if(b->streaming) {
		bodies_stdout(b->all, data, len);
		b->streamed |= len > 0;
	} else if(!body_hold(b, data, len)) {
		hook->error = b->error;
	}
	pthread_mutex_unlock(&b->all->lock);
	return hook->error == NULL;
}

/* Drop what is held of the body: memory, spill file. */
static void body_drop_held(struct body *b)
{
	if(b->len) {
		b->all->held -= b->len;
		b->len = 0;
	}
	while(b->first) {
		struct body_chunk *c = b->first;

		b->first = c->next;
		free(c);
	}
	b->last = NULL;
	if(b->spill_fd >= 0) {
		off_t size = lseek(b->spill_fd, 0, SEEK_END);

		if(size > 0)
			b->all->spilled -= (uint64_t)size;
		close(b->spill_fd);
		b->spill_fd = -1;
	}
}

/* A retry: start the body again, unless part is on stdout already. */
static bool body_reset_cb(struct gf_body *hook)
{
	struct body *b = container_of(hook, struct body, hook);

	pthread_mutex_lock(&b->all->lock);
	if(b->streamed) {
		pthread_mutex_unlock(&b->all->lock);
		return false;
	}
	body_drop_held(b);
	pthread_mutex_unlock(&b->all->lock);
	if(b->file_fd >= 0 && (ftruncate(b->file_fd, 0) < 0 ||
			       lseek(b->file_fd, 0, SEEK_SET) < 0))
		return false;
	hook->error = NULL;
	b->error[0] = '\0';
	return true;
}

bool body_init(struct bodies *all, struct body *b, uint64_t seq,
	       uint64_t index, const char *url)
{
	const struct gf_config *cfg = all->cfg;

	memset(b, 0, sizeof(*b));
	b->all = all;
	b->seq = seq;
	b->spill_fd = b->file_fd = b->dir_fd = -1;
	b->hook.write = body_write_cb;
	b->hook.reset = body_reset_cb;
	if(cfg->output_dir) {
		char why[8];
		int err;
		struct url *u = url_parse(url, 0, &err, why, sizeof(why));

		if(!u && err == URL_NOMEM)
			return false;
		if(u) {
			const char *h = url_host(u);
			char *host = strchr(h, ':') ? gf_aprintf("[%s]", h) : strdup(h);

			b->name = !host ? NULL : cfg->output_template ?
				outname_for_template(all->names, cfg->output_template,
						     index, host, url_port_given(u),
						     url_path(u), url_query(u)) :
				outname_for_url(all->names, host, url_port_given(u),
						url_path(u), url_query(u));
			free(host);
			url_free(u);
			if(!b->name)
				return false;
		}
	}
	if(!cfg->body)
		return true;
	pthread_mutex_lock(&all->lock);
	all->active[seq & all->mask] = b;
	if(!cfg->unordered && seq == all->head) {
		bodies_separator(all, seq);
		b->streaming = true;
	}
	pthread_mutex_unlock(&all->lock);
	return true;
}

/* Close the -o file; a temporary one not renamed is removed. */
static void body_close_file(struct body *b)
{
	if(b->file_fd >= 0)
		close(b->file_fd);
	b->file_fd = -1;
	if(b->tmp && b->dir_fd >= 0)
		unlinkat(b->dir_fd, b->tmp, 0);
	free(b->tmp);
	b->tmp = NULL;
	if(b->dir_fd >= 0)
		close(b->dir_fd);
	b->dir_fd = -1;
}

void body_finish(struct body *b, struct gf_record *rec)
{
	struct bodies *all = b->all;

	if(!all->cfg->output_dir || !b->name)
		return;
	/* A page skipped for robots.txt was never fetched: no file. */
	if(!record_failed(rec) && !rec->skipped &&
	   (b->file_fd >= 0 || body_open_file(b))) {
		char *file = gf_aprintf("%s/%s", all->cfg->output_dir, b->name);

		close(b->file_fd);
		b->file_fd = -1;
		if(!file)
			snprintf(b->error, sizeof(b->error), "out of memory");
		else if(renameat(b->dir_fd, b->tmp, b->dir_fd, strrchr(b->name, '/') ?
				 strrchr(b->name, '/') + 1 : b->name) == 0)
			rec->file = file;
		else
			snprintf(b->error, sizeof(b->error), "cannot save to %s: %s",
				 file, strerror(errno));
		if(rec->file) {
			free(b->tmp);
			b->tmp = NULL;
		} else {
			free(file);
		}
	}
	if(!rec->file && b->error[0] && !rec->error)
		record_set_error(rec, GF_EXIT_WRITE, "%s", b->error);
	body_close_file(b);
}

/* The head moved on: the body now at the head streams from here. */
static void bodies_next_head(struct bodies *all)
{
	struct body *next = all->active[all->head & all->mask];

	if(next && next->seq == all->head) {
		bodies_separator(all, next->seq);
		next->streamed = next->len > 0 || next->spill_fd >= 0;
		body_dump(next);
		next->streaming = true;
	}
}

void body_release(struct body *b)
{
	struct bodies *all = b->all;

	if(!all->cfg->body)
		return;
	pthread_mutex_lock(&all->lock);
	if(!b->streaming) {
		bodies_separator(all, all->cfg->unordered ? all->head : b->seq);
		body_dump(b);
	}
	all->active[b->seq & all->mask] = NULL;
	all->head++;
	if(!all->cfg->unordered)
		bodies_next_head(all);
	pthread_mutex_unlock(&all->lock);
}

void bodies_skip(struct bodies *all, uint64_t seq)
{
	if(!all->cfg->body || all->cfg->unordered)
		return;
	pthread_mutex_lock(&all->lock);
	if(seq == all->head) {
		all->head++;
		bodies_next_head(all);
	}
	pthread_mutex_unlock(&all->lock);
}

void body_cleanup(struct body *b)
{
	if(!b->all)
		return;
	pthread_mutex_lock(&b->all->lock);
	if(b->all->active[b->seq & b->all->mask] == b)
		b->all->active[b->seq & b->all->mask] = NULL;
	body_drop_held(b);
	pthread_mutex_unlock(&b->all->lock);
	body_close_file(b);
	free(b->name);
	b->name = NULL;
}
