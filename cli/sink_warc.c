/*
 * sink_warc.c - --warc-file FILE: each hop of each job (redirects,
 * retries, sitemaps) and each robots.txt fetch archived as a WARC 1.1
 * request record and a response record, exactly as they went over the
 * wire (headers, chunked framing and content coding kept), tied by
 * WARC-Concurrent-To; a 304 to --since as a revisit.
 *
 * Flow: fetch (a job's tap, on its hub: the digests) -> hops, held in
 * memory; past HOP_MEMORY a body goes to the writer thread in pieces, to
 * be deflated there into an unlinked temporary file -> at the job's
 * release, in order, to the writer thread: records -> warc.c -> FILE
 * (and a CDXJ line each) -> the hops back to the hub to be freed.
 *
 * The payload digest is over the body after its chunked framing is
 * undone, content coding kept; the block digest over the bytes of the
 * block. A hop cut short is archived as far as it got, with
 * WARC-Truncated.
 */
#include "sink_warc.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gf.h"
#include "version.h"
#include "warc.h"
#include "warc_impl.h"

#define HOP_MEMORY (256 * 1024)       /* body bytes of a hop held in memory */

/* ------------------------------------------------------- a hop's tap */

/* A piece of a big body, to be deflated on the writer thread (the hub
 * keeps to receiving and the digests). */
struct pack_task {
	struct hop *h;
	char *p;
	size_t n;
	int fd;                       /* >= 0: the first piece, into this file */
	bool end;
};

static void pack_run(void *arg)
{
	struct pack_task *t = arg;

	if(t->fd >= 0 ? !warc_body_start(&t->h->packed, t->fd, t->p, t->n) : false)
		t->h->pack_failed = true;
	else if(t->fd < 0)
		warc_body_add(&t->h->packed, t->p, t->n);
	if(t->end)
		warc_body_end(&t->h->packed);
	free(t->p);
	free(t);
}

/* The bytes gathered in h->body to the writer (end: and the body is
 * over). */
static void pack_queue(struct warcs *all, struct hop *h, bool end)
{
	struct pack_task *t = malloc(sizeof(*t));
	size_t n = h->body.len;

	if(!t) {
		h->pack_failed = true;
		return;
	}
	*t = (struct pack_task){ .h = h, .p = h->body.s, .n = n, .end = end, .fd = -1 };
	if(!h->pack_started) {
		h->pack_started = true;
		if((t->fd = gf_temp_fd("warc")) < 0)
			h->pack_failed = true;
	}
	h->body = (struct gf_buf){ 0 };
	if(!writer_put(all->writer, pack_run, t, n)) {
		free(t->p);
		if(t->fd >= 0)
			close(t->fd);
		free(t);
		h->pack_failed = true;
	}
}

/* Body bytes: into the digests, and held for the writer. */
static void hop_body(struct warcs *all, struct hop *h, const char *p, size_t n)
{
	h->body_len += n;
	if(h->body_fd < 0 && !h->packing && h->body.len + n <= HOP_MEMORY) {
		gf_buf_add(&h->body, p, n);
		return;
	}
	/* Big: digested as it comes, on this hub where the bytes are in
	 * the cache (a body held whole is digested on the writer). */
	if(!warc_hop_digests_start(h))
		h->failed = true;
	warc_hop_body_digest(h, p, n);
	if(all->gzip) {
		/* Big: deflated on the writer as it comes, in pieces of
		 * HOP_MEMORY; its record is then a copy. */
		if(!h->packing) {
			h->packing = true;
			pack_queue(all, h, false);
		}
		gf_buf_add(&h->body, p, n);
		if(h->body.len >= HOP_MEMORY)
			pack_queue(all, h, false);
		return;
	}
	if(h->body_fd < 0) {
		h->body_fd = gf_temp_fd("warc");
		if(h->body_fd < 0 || !gf_write_all(h->body_fd, h->body.s, h->body.len))
			h->failed = true;
		free(h->body.s);
		h->body = (struct gf_buf){ 0 };
	}
	if(h->body_fd >= 0 && !gf_write_all(h->body_fd, p, n))
		h->failed = true;
}

/* The hop's body is over: the last of it to the writer, once. */
void warc_hop_pack_end(struct warcs *all, struct hop *h)
{
	if(h->packing && !h->pack_ended) {
		h->pack_ended = true;
		pack_queue(all, h, true);
	}
}

static void tap_begin(struct gf_tap *t, const char *url)
{
	struct part *pt = container_of(t, struct part, tap);
	struct hop *h = calloc(1, sizeof(*h));

	if(!h || !(h->url = strdup(url))) {
		hop_free(h);
		pt->oom = true;
		return;
	}
	h->date = warc_now();
	/* Room for a usual request and header at once: growing them line
	 * by line was most of the hub's allocations for a small hop. */
	gf_buf_reserve(&h->request, 512);
	gf_buf_reserve(&h->header, 1024);
	h->body_fd = -1;
	h->packed.fd = -1;
	if(pt->last)
		pt->last->next = h;
	else
		pt->first = h;
	pt->last = h;
}

static void tap_data(struct gf_tap *t, enum gf_tap_kind kind, const char *p, size_t n)
{
	struct part *pt = container_of(t, struct part, tap);
	struct hop *h = pt->last;

	if(!h || h->ended)
		return;
	if(kind == GF_TAP_REQUEST) {
		gf_buf_add(&h->request, p, n);
	} else if(kind == GF_TAP_HEADER) {
		gf_buf_add(&h->header, p, n);
	} else {
		hop_body(pt->all, h, p, n);
	}
}

static void tap_end(struct gf_tap *t, const char *ip, const char *truncated)
{
	struct part *pt = container_of(t, struct part, tap);
	struct hop *h = pt->last;

	if(!h || h->ended)
		return;
	h->ended = true;
	warc_hop_pack_end(pt->all, h);
	snprintf(h->ip, sizeof(h->ip), "%s", ip ? ip : "");
	h->truncated = truncated;
}

/* ------------------------------------------------------------- parts */

void hop_free(struct hop *h)
{
	if(!h)
		return;
	free(h->url);
	free(h->request.s);
	free(h->header.s);
	free(h->body.s);
	if(h->body_fd >= 0)
		close(h->body_fd);
	if(h->packing)
		warc_body_free(&h->packed);
	warc_digest_free(&h->block);
	warc_digest_free(&h->payload);
	free(h);
}

struct part *warc_part_new(struct warcs *all)
{
	struct part *pt = calloc(1, sizeof(*pt));

	if(!pt)
		return NULL;
	pt->all = all;
	pt->tap.begin = tap_begin;
	pt->tap.data = tap_data;
	pt->tap.end = tap_end;
	pt->part.tap = &pt->tap;
	return pt;
}

static void hop_free_task(void *arg)
{
	hop_free(arg);
}

void warc_part_free(struct part *pt)
{
	while(pt->first) {
		struct hop *next = pt->first->next;

		/* A body being packed is the writer's until its pieces are in. */
		if(!pt->first->packing ||
		   !writer_put(pt->all->writer, hop_free_task, pt->first, 0)) {
			if(pt->first->packing)
				writer_drain(pt->all->writer);
			hop_free(pt->first);
		}
		pt->first = next;
	}
	free(pt);
}

static bool warcs_open(struct sink *s, uint64_t seq, const struct gf_record *rec,
		       bool hidden, struct sink_part **part)
{
	struct warcs *all = container_of(s, struct warcs, sink);
	struct part *pt = warc_part_new(all);

	(void)seq, (void)rec, (void)hidden;
	*part = pt ? &pt->part : NULL;
	return pt != NULL;
}

static int warcs_release(struct sink *s, struct sink_part *part, uint64_t seq,
			 const struct gf_record *rec, bool hidden)
{
	struct warcs *all = container_of(s, struct warcs, sink);
	struct part *pt = part ? container_of(part, struct part, part) : NULL;

	(void)seq, (void)hidden;
	if(pt && !atomic_load(&all->failed))
		warc_queue(all, pt, rec->unchanged);
	return atomic_load(&all->failed) ? GF_EIO : GF_OK;
}

static void warcs_close(struct sink *s, struct sink_part *part)
{
	(void)s;
	warc_part_free(container_of(part, struct part, part));
}

static const struct sink_ops warcs_ops = {
	.open = warcs_open,
	.release = warcs_release,
	.close = warcs_close,
	.finish = warc_finish,
	.free = warc_free,
};

struct gf_tap *sink_warc_side(struct sink *s)
{
	struct part *pt = warc_part_new(container_of(s, struct warcs, sink));

	return pt ? &pt->tap : NULL;
}

void sink_warc_side_end(struct sink *s, struct gf_tap *tap, const struct gf_record *rec)
{
	struct warcs *all = container_of(s, struct warcs, sink);
	struct part *pt = container_of(tap, struct part, tap);

	if(!atomic_load(&all->failed))
		warc_queue(all, pt, rec->unchanged);
	warc_part_free(pt);
}

struct sink *sink_warc_new(const struct gf_config *cfg, struct writer *writer,
			   char *err, size_t errlen)
{
	struct warcs *all = warc_new(cfg, writer, err, errlen);

	if(!all)
		return NULL;
	all->sink.ops = &warcs_ops;
	return &all->sink;
}
