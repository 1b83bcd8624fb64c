/*
 * warc_impl.h - the archive sink's insides, shared by sink_warc.c (the
 * taps: hops as they come) and warc_write.c (the records of a released
 * job, the files, the CDXJ index).
 */
#ifndef GF_WARC_IMPL_H
#define GF_WARC_IMPL_H

#include <stdatomic.h>
#include <stdio.h>

#include "gf.h"
#include "sink.h"
#include "warc.h"
#include "writer.h"

enum { CH_SIZE, CH_EXT, CH_DATA, CH_DATA_END, CH_TRAILER, CH_DONE };

/* The chunked framing of a body, as it is undone. */
struct dechunk {
	int state;
	uint64_t left;                /* bytes of the chunk, or its size so far */
	size_t line_len;              /* of a trailer line */
};

/* One hop of a transfer, as it went over the wire. */
struct hop {
	struct hop *next;
	char *url;
	double date;                  /* gf_now() when it began */
	char ip[48];                  /* the server's, "" = none */
	const char *truncated;        /* WARC-Truncated, NULL = whole */
	bool ended;
	bool failed;                  /* the body could not be held */
	struct gf_buf request, header, body;
	int body_fd;                  /* the body past HOP_MEMORY, -1 = none */
	/* A body past HOP_MEMORY of a gzip'ed archive is deflated on the
	 * writer as it comes (body: the piece being gathered): */
	bool packing, pack_started, pack_ended;
	bool pack_failed;             /* a piece could not go */
	struct warc_body packed;      /* the writer's */
	uint64_t body_len;
	int chunked;                  /* the last response is */
	struct dechunk dc;
	bool digesting;               /* block and payload started */
	struct warc_digest block, payload;
};

/* A job's part: its hops, through its tap. */
struct part {
	struct sink_part part;        /* part.tap = &tap */
	struct gf_tap tap;
	struct warcs *all;
	struct hop *first, *last;
	bool oom;                     /* a hop could not be kept */
};

/* --warc-dedup: a payload archived already. */
struct seen_payload {
	uint64_t fp;                  /* of its digest, 0 = free */
	char *first;                  /* "URI\r\nWARC-Refers-To-Date: DATE" */
};

struct warc_task;

struct warcs {
	struct sink sink;
	const struct gf_config *cfg;
	char *base;                   /* FILE less .warc.gz or .warc */
	const char *ext;              /* ".warc.gz" or ".warc" */
	bool gzip;                    /* the former */
	unsigned serial;              /* --warc-max-size: the file's number */
	char *path;                   /* the file being written */
	char warcinfo_id[WARC_ID_LEN]; /* its warcinfo record */
	struct warc_out *out;
	FILE *cdx;                    /* --warc-cdx, NULL = none */
	char *cdx_path;
	struct writer *writer;        /* where records are written */
	struct seen_payload *seen;    /* --warc-dedup's, by digest (writer's) */
	size_t nseen, cap_seen;
	atomic_bool failed;           /* a write failed: said, the run stops */
	/* Jobs written, their hops to be freed on the hub that took them
	 * (freed on the writer, they would contend for its malloc arena). */
	_Atomic(struct warc_task *) done;
};

void hop_free(struct hop *h);
/* Start the hop's digests, over its header and the body bytes held
 * (false: out of memory); then more body bytes into them. A big body's
 * are taken as they come, on the transfer's hub; one held whole is
 * digested on the writer, where the record is written. */
bool warc_hop_digests_start(struct hop *h);
void warc_hop_body_digest(struct hop *h, const char *p, size_t n);
struct part *warc_part_new(struct warcs *all);
void warc_part_free(struct part *pt);
/* The hop's body is over (or is cut short): the rest to the writer. */
void warc_hop_pack_end(struct warcs *all, struct hop *h);

/* warc_write.c */
struct warcs *warc_new(const struct gf_config *cfg, struct writer *writer,
		       char *err, size_t errlen);
/* The part's hops (taken from it) to the writer, their records to be
 * written in order; unchanged: the last is a 304 to --since. */
void warc_queue(struct warcs *all, struct part *pt, bool unchanged);
void warc_finish(struct sink *s);

/* warc_cdx.c: the index line of a response or revisit record written at
 * offset at, len bytes (digest: its payload's, NULL for a revisit of a
 * 304); the index sorted, once the run is over. */
void warc_cdx_line(struct warcs *all, const struct hop *h, const char *digest,
		   uint64_t at, uint64_t len, const char *type);
void warc_cdx_sort(struct warcs *all);
void warc_free(struct sink *s);

#endif
