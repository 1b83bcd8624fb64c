/*
 * frontier_mem.c - the frontier in memory: the crawl queue and its seen
 * set.
 *
 * The queue is three parts, oldest first: head (a list in memory, where
 * entries are taken), the spill file (bytes from read_at to write_at),
 * and tail (a list in memory, where entries are put). When the lists hold
 * more than the budget, the tail is written to the end of the file; when
 * the head is empty it is filled from the file, or else takes the tail.
 * So the order is kept, and memory stays near the budget however long
 * the queue grows.
 */
#include "frontier.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fpset.h"
#include "gf.h"
#include "strset.h"

#define FRONTIER_MAX_HOSTS 10000      /* host names kept to share */
#define FRONTIER_READ (1 << 20)       /* bytes read from the file at once */

/* Salts of the seen set: pages, and the other work (its own names). */
#define SEEN_PAGE 0x7061676573ull
#define SEEN_WORK 0x776f726bull

/* One queued entry; its strings follow it in the same allocation. */
struct qnode {
	struct qnode *next;
	const char *host;             /* shared, or NULL */
	long seed;
	int depth;
	unsigned char kind;
	unsigned char level;
	bool has_parent;
	unsigned list, pos;
	size_t url_len, parent_len;
	char data[];                  /* url NUL parent NUL */
};

/* An entry as it is in the file, its strings after it. */
struct qrecord {
	uint32_t url_len;
	uint32_t parent_len;          /* + 1; 0 = no parent */
	int64_t seed;
	int32_t depth;
	uint8_t kind;
	uint8_t level;
	uint8_t pad[2];
	uint32_t list;
	uint32_t pos;
};

struct qlist {
	struct qnode *first, *last;
};

struct memfront {
	struct frontier base;         /* the interface: first */
	struct qlist head;            /* taken from here */
	struct qlist tail;            /* put here */
	size_t memory;                /* bytes of nodes in both lists */
	size_t budget;                /* ... before the tail is spilled */
	int fd;                       /* the spill file, -1 = none yet */
	uint64_t read_at, write_at;   /* its unread bytes */
	char *buf;                    /* for reading it */
	size_t buf_cap;
	size_t size;                  /* entries queued */
	struct fpset seen;            /* every URL queued or marked */
	struct strset hosts;          /* the hosts of items, shared */
	int max_depth;                /* deepest depth queued, < 0 = any */
	long max_pages;               /* pages queued at most, 0 = any */
	long pushed;                  /* pages queued so far */
};

static struct memfront *mem_new(int max_depth, long max_pages, size_t memory)
{
	struct memfront *fr = calloc(1, sizeof(*fr));

	if(!fr)
		return NULL;
	if(!strset_init(&fr->hosts, 16)) {
		free(fr);
		return NULL;
	}
	fpset_init(&fr->seen);
	fr->fd = -1;
	fr->budget = memory;
	fr->max_depth = max_depth;
	fr->max_pages = max_pages;
	return fr;
}

static void qlist_free(struct qlist *l)
{
	while(l->first) {
		struct qnode *n = l->first;

		l->first = n->next;
		free(n);
	}
	l->last = NULL;
}

static void mem_free(struct memfront *fr)
{
	if(!fr)
		return;
	qlist_free(&fr->head);
	qlist_free(&fr->tail);
	if(fr->fd >= 0)
		close(fr->fd);
	free(fr->buf);
	fpset_release(&fr->seen);
	strset_release(&fr->hosts);
	free(fr);
}

static const char *mem_host(struct memfront *fr, const char *host)
{
	const char *own;

	if(fr->hosts.n >= FRONTIER_MAX_HOSTS && !strset_has(&fr->hosts, host))
		return NULL;
	own = strset_intern(&fr->hosts, host);
	if(!own)
		gf_oom();
	return own;
}

/* Add a fingerprint to the seen set; false if it was there (or out of
 * memory). */
static bool mark(struct memfront *fr, uint64_t fp)
{
	int rc = fpset_add(&fr->seen, fp);

	if(rc < 0)
		gf_oom();
	return rc > 0;
}

static void mem_mark(struct memfront *fr, const char *url)
{
	mark(fr, fp_str(url, SEEN_PAGE));
}

static bool mem_seen(const struct memfront *fr, const char *url)
{
	return fpset_has(&fr->seen, fp_str(url, SEEN_PAGE));
}

static bool mem_full(const struct memfront *fr)
{
	return fr->max_pages > 0 && fr->pushed >= fr->max_pages;
}

/* ------------------------------------------------------------ the queue */

static size_t qnode_size(const struct qnode *n)
{
	return sizeof(*n) + n->url_len + n->parent_len + 2;
}

static void qlist_put(struct qlist *l, struct qnode *n)
{
	n->next = NULL;
	if(l->last)
		l->last->next = n;
	else
		l->first = n;
	l->last = n;
}

static struct qnode *qnode_new(const char *url, size_t url_len,
			       const char *parent, size_t parent_len)
{
	struct qnode *n = malloc(sizeof(*n) + url_len + parent_len + 2);

	if(!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->url_len = url_len;
	n->parent_len = parent ? parent_len : 0;
	n->has_parent = parent != NULL;
	memcpy(n->data, url, url_len);
	n->data[url_len] = '\0';
	if(parent)
		memcpy(n->data + url_len + 1, parent, parent_len);
	n->data[url_len + 1 + n->parent_len] = '\0';
	return n;
}

static bool spill_open(struct memfront *fr)
{
	fr->fd = gf_temp_fd("queue");
	return fr->fd >= 0;
}

/* Append the tail to the file, oldest first, and free it. False when it
 * cannot be written: the tail then stays in memory. */
static bool spill_tail(struct memfront *fr)
{
	char *out;
	size_t len = 0, cap = 0;
	bool ok;

	if(!fr->tail.first || (fr->fd < 0 && !spill_open(fr)))
		return false;
	for(struct qnode *n = fr->tail.first; n; n = n->next)
		cap += sizeof(struct qrecord) + n->url_len + n->parent_len;
	out = malloc(cap);
	if(!out)
		return false;
	for(struct qnode *n = fr->tail.first; n; n = n->next) {
		struct qrecord r = {
			.url_len = (uint32_t)n->url_len,
			.parent_len = n->has_parent ? (uint32_t)n->parent_len + 1 : 0,
			.seed = n->seed, .depth = n->depth, .kind = n->kind,
			.level = n->level, .list = n->list, .pos = n->pos,
		};

		memcpy(out + len, &r, sizeof(r));
		len += sizeof(r);
		memcpy(out + len, n->data, n->url_len);
		len += n->url_len;
		memcpy(out + len, n->data + n->url_len + 1, n->parent_len);
		len += n->parent_len;
	}
	ok = pwrite(fr->fd, out, len, (off_t)fr->write_at) == (ssize_t)len;
	free(out);
	if(!ok)
		return false;
	fr->write_at += len;
	for(struct qnode *n = fr->tail.first; n; n = n->next)
		fr->memory -= qnode_size(n);
	qlist_free(&fr->tail);
	return true;
}

/* The read buffer, at least want bytes: false when out of memory. */
static bool spill_buffer(struct memfront *fr, size_t want)
{
	char *more;

	if(fr->buf_cap >= want)
		return true;
	more = realloc(fr->buf, want);
	if(!more)
		return false;
	fr->buf = more;
	fr->buf_cap = want;
	return true;
}

/* The entry r, its URL and parent at p, into the head. */
static void spill_entry(struct memfront *fr, const struct qrecord *r,
			const char *p, size_t plen)
{
	struct qnode *node = qnode_new(p, r->url_len, r->parent_len ? p + r->url_len :
				       NULL, plen);

	if(!node) {
		gf_oom();
		fr->size--;
		return;
	}
	node->seed = (long)r->seed;
	node->depth = r->depth;
	node->kind = r->kind;
	node->level = r->level;
	node->list = r->list;
	node->pos = r->pos;
	qlist_put(&fr->head, node);
	fr->memory += qnode_size(node);
}

/* The whole entries of the have bytes in the buffer, into the head: the
 * bytes they took. *need: the size of the first entry when it does not
 * fit in the buffer at all. */
static size_t spill_parse(struct memfront *fr, size_t have, size_t *need)
{
	size_t at = 0;

	*need = 0;
	while(at + sizeof(struct qrecord) <= have) {
		struct qrecord r;
		size_t plen, len;

		memcpy(&r, fr->buf + at, sizeof(r));
		plen = r.parent_len ? r.parent_len - 1 : 0;
		len = sizeof(r) + r.url_len + plen;
		if(at + len > have) {
			if(at == 0)
				*need = len;
			break;
		}
		spill_entry(fr, &r, fr->buf + at + sizeof(r), plen);
		at += len;
	}
	return at;
}

/* Fill the empty head with the file's oldest entries. */
static void spill_read(struct memfront *fr)
{
	/* Half the budget at most: the head and the tail fit in 1.5 times
	 * the budget together. */
	size_t want = fr->budget / 2 < FRONTIER_READ ? fr->budget / 2 : FRONTIER_READ;
	size_t have, at, need;

	if(want < 4096)
		want = 4096;
	if(fr->buf_cap > want)
		want = fr->buf_cap;   /* grown for an entry larger than that */
	if(!spill_buffer(fr, want))
		return;
	have = fr->write_at - fr->read_at < want ?
	       (size_t)(fr->write_at - fr->read_at) : want;
	if(pread(fr->fd, fr->buf, have, (off_t)fr->read_at) != (ssize_t)have) {
		/* The file failed us: what it held is lost, and said so. */
		gf_oom();
		fr->read_at = fr->write_at;
		return;
	}
	at = spill_parse(fr, have, &need);
	if(need) {
		/* One entry larger than the buffer: grow it. */
		if(!spill_buffer(fr, need)) {
			gf_oom();
			fr->read_at = fr->write_at;
			return;
		}
		spill_read(fr);
		return;
	}
	fr->read_at += at;
	if(fr->read_at == fr->write_at) {
		/* Read to the end: start it again from nothing. */
		fr->read_at = fr->write_at = 0;
		if(ftruncate(fr->fd, 0) != 0)
			errno = 0;
	}
}

static bool enqueue(struct memfront *fr, struct qnode *n)
{
	qlist_put(&fr->tail, n);
	fr->memory += qnode_size(n);
	fr->size++;
	if(fr->memory > fr->budget)
		spill_tail(fr);
	return true;
}

static struct qnode *dequeue(struct memfront *fr)
{
	struct qnode *n;

	if(!fr->head.first && fr->read_at < fr->write_at)
		spill_read(fr);
	if(!fr->head.first) {
		fr->head = fr->tail;
		fr->tail.first = fr->tail.last = NULL;
	}
	n = fr->head.first;
	if(!n)
		return NULL;
	fr->head.first = n->next;
	if(!fr->head.first)
		fr->head.last = NULL;
	fr->memory -= qnode_size(n);
	fr->size--;
	return n;
}

static struct qnode *item_node(const char *url, const char *parent)
{
	struct qnode *n = qnode_new(url, strlen(url), parent,
				    parent ? strlen(parent) : 0);

	if(!n)
		gf_oom();
	return n;
}

static bool mem_push(struct memfront *fr, const char *url, const char *parent,
		   int depth, long seed, const char *host)
{
	struct qnode *n;

	if(fr->max_depth >= 0 && depth > fr->max_depth)
		return false;
	if(mem_full(fr) || mem_seen(fr, url))
		return false;
	if(!(n = item_node(url, parent)))
		return false;
	if(!mark(fr, fp_str(url, SEEN_PAGE))) {
		free(n);
		return false;
	}
	n->depth = depth;
	n->seed = seed;
	n->host = host;
	n->kind = FRONTIER_PAGE;
	fr->pushed++;
	return enqueue(fr, n);
}

static bool mem_push_work(struct memfront *fr, int kind, const char *url,
			const char *parent, long seed, int level,
			unsigned list, unsigned pos)
{
	struct qnode *n;

	if(mem_full(fr) || fpset_has(&fr->seen, fp_str(url, SEEN_WORK)))
		return false;
	if(!(n = item_node(url, parent)))
		return false;
	if(!mark(fr, fp_str(url, SEEN_WORK))) {
		free(n);
		return false;
	}
	n->seed = seed;
	n->kind = (unsigned char)kind;
	n->level = (unsigned char)level;
	n->list = list;
	n->pos = pos;
	return enqueue(fr, n);
}

static bool mem_pop(struct memfront *fr, struct crawl_item *item)
{
	struct qnode *n;

	while((n = dequeue(fr))) {
		bool has_parent = n->has_parent;

		/* The page limit makes work that could add pages moot. */
		if(n->kind != FRONTIER_PAGE && mem_full(fr)) {
			free(n);
			continue;
		}
		item->url = strdup(n->data);
		item->parent = has_parent ? strdup(n->data + n->url_len + 1) : NULL;
		item->depth = n->depth;
		item->seed = n->seed;
		item->host = n->host;
		item->kind = n->kind;
		item->level = n->level;
		item->list = n->list;
		item->pos = n->pos;
		free(n);
		if(item->url && (item->parent || !has_parent))
			return true;
		free(item->url);
		free(item->parent);
		gf_oom();
	}
	return false;
}

static size_t mem_size(const struct memfront *fr)
{
	return fr->size;
}

void frontier_memory_usage(const struct frontier *base, struct frontier_usage *u)
{
	const struct memfront *fr = (const struct memfront *)base;

	u->queue_memory = fr->memory;
	u->queue_file = fr->write_at - fr->read_at;
	u->seen = fpset_bytes(&fr->seen);
}

/* ------------------------------------------------- the interface */

#define MEM(fr) ((struct memfront *)(fr))
#define CMEM(fr) ((const struct memfront *)(fr))

static bool op_push(struct frontier *fr, const struct crawl_item *it)
{
	if(it->kind == FRONTIER_PAGE)
		return mem_push(MEM(fr), it->url, it->parent, it->depth, it->seed,
				it->host);
	return mem_push_work(MEM(fr), it->kind, it->url, it->parent, it->seed,
			     it->level, it->list, it->pos);
}

static int op_pop(struct frontier *fr, struct crawl_item *item)
{
	return mem_pop(MEM(fr), item) ? GF_OK : GF_EOF;
}

static void op_done(struct frontier *fr, const struct crawl_item *item,
		    long status, const char *record)
{
	(void)fr;                     /* nothing to commit in memory */
	(void)item, (void)status, (void)record;
}

static void op_mark(struct frontier *fr, const char *url) { mem_mark(MEM(fr), url); }
static bool op_seen(const struct frontier *fr, const char *url) { return mem_seen(CMEM(fr), url); }
static bool op_full(const struct frontier *fr) { return mem_full(CMEM(fr)); }
static const char *op_host(struct frontier *fr, const char *h) { return mem_host(MEM(fr), h); }
static size_t op_size(const struct frontier *fr) { return mem_size(CMEM(fr)); }
static void op_free(struct frontier *fr) { mem_free(MEM(fr)); }

static const struct frontier_ops mem_ops = {
	.push = op_push, .pop = op_pop, .done = op_done, .mark = op_mark,
	.seen = op_seen, .full = op_full, .host = op_host, .size = op_size,
	.free = op_free
};

struct frontier *frontier_memory_new(int max_depth, long max_pages, size_t memory)
{
	struct memfront *fr = mem_new(max_depth, max_pages, memory);

	if(!fr)
		return NULL;
	fr->base.ops = &mem_ops;
	return &fr->base;
}
