/*
 * sink_bodies.c - --body: the bodies on stdout, in the order of the input.
 *
 * The body of the job at the head of the order streams to stdout as it
 * arrives. Bodies of jobs behind it are held: in memory while all held
 * bodies together stay within --buffer-size, past that in a temporary file
 * per body (unlinked as soon as it is made, so nothing is left behind by
 * any exit). When the head is released, the next body's held part is
 * written and that body streams from then on. --separator goes between
 * consecutive bodies (one per record, also for an empty body).
 *
 * The bodies not yet released are found by sequence number in a ring as
 * large as the pool's window (seq & mask), as in the pile. With -j they
 * are written from hub threads while the main hub releases them: what they
 * share (the ring, the head, the budget, stdout) is under one lock.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf.h"
#include "sink.h"

#define BODY_CHUNK 65536               /* bytes of one held piece */

/* Held bodies are lists of fixed pieces, so memory follows what is held
 * (no doubling slack) and nothing is copied as a body grows. */
struct chunk {
	struct chunk *next;           /* the next piece */
	size_t len;                   /* bytes used in data */
	char data[BODY_CHUNK];
};

struct held {
	struct sink_part part;        /* part.hook = &hook */
	struct gf_body hook;          /* what fetch writes to */
	struct bodies *all;           /* owner */
	uint64_t seq;                 /* place in the order */
	struct chunk *first;          /* held bytes (behind the head) */
	struct chunk *last;           /* where the next ones go */
	size_t len;                   /* bytes held in memory */
	int spill_fd;                 /* the rest of the held body, -1 = none */
	bool streaming;               /* at the head: straight to stdout */
	bool streamed;                /* some of it is on stdout already */
	char error[256];              /* why holding failed */
};

struct bodies {
	struct sink sink;
	const char *separator;        /* between bodies, or NULL */
	bool unordered;               /* in the order of completion */
	uint64_t budget;              /* bytes to hold in memory, at most */
	struct held **active;         /* bodies not yet released, by seq */
	size_t mask;                  /* ring size - 1 */
	uint64_t head;                /* the next body to go to stdout */
	uint64_t held;                /* bytes held in memory, all bodies */
	int error;                    /* first stdout error */
	pthread_mutex_t lock;         /* for all of the above */
};

static void bodies_stdout(struct bodies *all, const char *data, size_t len)
{
	if(all->error || len == 0)
		return;
	if(fwrite(data, 1, len, stdout) != len)
		all->error = errno == EPIPE ? GF_EPIPE : GF_EIO;
}

static void bodies_separator(struct bodies *all, uint64_t seq)
{
	if(seq > 0 && all->separator)
		bodies_stdout(all, all->separator, strlen(all->separator));
}

/* Drop what is held of the body: memory, spill file. */
static void held_drop(struct held *b)
{
	b->all->held -= b->len;
	b->len = 0;
	while(b->first) {
		struct chunk *c = b->first;

		b->first = c->next;
		free(c);
	}
	b->last = NULL;
	if(b->spill_fd >= 0)
		close(b->spill_fd);
	b->spill_fd = -1;
}

/* Write what b holds (memory, then its spill file) and let go of it. */
static void held_dump(struct held *b)
{
	char buf[65536];
	ssize_t n;

	for(struct chunk *c = b->first; c; c = c->next)
		bodies_stdout(b->all, c->data, c->len);
	if(b->spill_fd >= 0 && lseek(b->spill_fd, 0, SEEK_SET) == 0)
		while((n = read(b->spill_fd, buf, sizeof(buf))) > 0)
			bodies_stdout(b->all, buf, (size_t)n);
	held_drop(b);
}

/* Put data in a new or open spill file. */
static bool held_spill(struct held *b, const char *data, size_t len)
{
	if(b->spill_fd < 0) {
		b->spill_fd = gf_temp_fd("spill");
		if(b->spill_fd < 0) {
			snprintf(b->error, sizeof(b->error), "cannot hold the body: %s",
				 strerror(errno));
			return false;
		}
	}
	if(write(b->spill_fd, data, len) != (ssize_t)len) {
		snprintf(b->error, sizeof(b->error), "cannot hold the body: %s",
			 strerror(errno));
		return false;
	}
	return true;
}

/* Hold data for later: memory within the budget, then the spill file. */
static bool held_keep(struct held *b, const char *data, size_t len)
{
	struct bodies *all = b->all;

	if(b->spill_fd >= 0 || all->held + len > all->budget)
		return held_spill(b, data, len);
	while(len > 0) {
		struct chunk *c = b->last;
		size_t n;

		if(!c || c->len == BODY_CHUNK) {
			c = malloc(sizeof(*c));
			if(!c)
				return held_spill(b, data, len);
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

static bool held_write_cb(struct gf_body *hook, const char *data, size_t len)
{
	struct held *b = container_of(hook, struct held, hook);

	pthread_mutex_lock(&b->all->lock);
	if(b->streaming) {
		bodies_stdout(b->all, data, len);
		b->streamed |= len > 0;
	} else if(!held_keep(b, data, len)) {
		hook->error = b->error;
	}
	pthread_mutex_unlock(&b->all->lock);
	return hook->error == NULL;
}

/* A retry: start the body again, unless part is on stdout already. */
static bool held_reset_cb(struct gf_body *hook)
{
	struct held *b = container_of(hook, struct held, hook);
	bool ok;

	pthread_mutex_lock(&b->all->lock);
	ok = !b->streamed;
	if(ok)
		held_drop(b);
	pthread_mutex_unlock(&b->all->lock);
	if(ok) {
		hook->error = NULL;
		b->error[0] = '\0';
	}
	return ok;
}

static bool bodies_open(struct sink *s, uint64_t seq,
			const struct gf_record *rec, bool hidden,
			struct sink_part **part)
{
	struct bodies *all = container_of(s, struct bodies, sink);
	struct held *b;

	(void)rec;
	*part = NULL;
	if(hidden)
		return true;
	b = calloc(1, sizeof(*b));
	if(!b)
		return false;
	b->all = all;
	b->seq = seq;
	b->spill_fd = -1;
	b->hook.write = held_write_cb;
	b->hook.reset = held_reset_cb;
	b->part.hook = &b->hook;
	pthread_mutex_lock(&all->lock);
	all->active[seq & all->mask] = b;
	if(!all->unordered && seq == all->head) {
		bodies_separator(all, seq);
		b->streaming = true;
	}
	pthread_mutex_unlock(&all->lock);
	*part = &b->part;
	return true;
}

/* The head moved on: the body now at the head streams from here. */
static void bodies_next_head(struct bodies *all)
{
	struct held *next = all->active[all->head & all->mask];

	if(next && next->seq == all->head) {
		bodies_separator(all, next->seq);
		next->streamed = next->len > 0 || next->spill_fd >= 0;
		held_dump(next);
		next->streaming = true;
	}
}

static int bodies_release(struct sink *s, struct sink_part *part,
			  uint64_t seq, const struct gf_record *rec, bool hidden)
{
	struct bodies *all = container_of(s, struct bodies, sink);
	struct held *b = part ? container_of(part, struct held, part) : NULL;
	int rc;

	(void)rec, (void)hidden;
	pthread_mutex_lock(&all->lock);
	if(!b && (all->unordered || seq != all->head)) {
		/* A job without a body, out of turn: nothing moves. */
	} else {
		if(b && !b->streaming) {
			bodies_separator(all, all->unordered ? all->head : b->seq);
			held_dump(b);
		}
		if(b)
			all->active[b->seq & all->mask] = NULL;
		all->head++;
		if(!all->unordered)
			bodies_next_head(all);
	}
	rc = all->error;
	pthread_mutex_unlock(&all->lock);
	return rc;
}

static void bodies_close(struct sink *s, struct sink_part *part)
{
	struct bodies *all = container_of(s, struct bodies, sink);
	struct held *b = container_of(part, struct held, part);

	pthread_mutex_lock(&all->lock);
	if(all->active[b->seq & all->mask] == b)
		all->active[b->seq & all->mask] = NULL;
	held_drop(b);
	pthread_mutex_unlock(&all->lock);
	free(b);
}

static int bodies_flush(struct sink *s)
{
	(void)s;
	if(fflush(stdout) == EOF)
		return errno == EPIPE ? GF_EPIPE : GF_EIO;
	return ferror(stdout) ? (errno == EPIPE ? GF_EPIPE : GF_EIO) : GF_OK;
}

static void bodies_free(struct sink *s)
{
	struct bodies *all = container_of(s, struct bodies, sink);

	free(all->active);
	pthread_mutex_destroy(&all->lock);
	free(all);
}

static const struct sink_ops bodies_ops = {
	.open = bodies_open,
	.release = bodies_release,
	.close = bodies_close,
	.flush = bodies_flush,
	.free = bodies_free,
};

struct sink *sink_bodies_new(const struct gf_config *cfg, size_t window)
{
	struct bodies *all = calloc(1, sizeof(*all));
	size_t size = 1;

	if(!all)
		return NULL;
	while(size < window)
		size <<= 1;
	all->sink.ops = &bodies_ops;
	all->separator = cfg->separator;
	all->unordered = cfg->unordered;
	all->budget = cfg->buffer_size;
	all->mask = size - 1;
	pthread_mutex_init(&all->lock, NULL);
	all->active = calloc(size, sizeof(*all->active));
	if(!all->active) {
		bodies_free(&all->sink);
		return NULL;
	}
	return &all->sink;
}
