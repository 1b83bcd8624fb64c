/*
 * warc.h - WARC 1.1 records as they go into a file: one gzip member each
 * (or plain, for FILE.warc), with their digests (sha1, base32), record
 * ids (urn:uuid) and dates. The file layer under sink_warc.c.
 *
 * Flow: sink_warc (hops of a job, at its release) -> warc -> FILE.
 */
#ifndef GF_WARC_H
#define GF_WARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WARC_DIGEST_LEN 38            /* "sha1:" and 32 base32 digits, NUL */
#define WARC_ID_LEN 48                /* "<urn:uuid:...>", NUL */
#define WARC_STORED 2048              /* records under it are stored, not deflated */
#define WARC_DATE_LEN 64              /* 2026-12-01T16:07:31.123456Z, NUL (room for any year) */

/* A running SHA-1. */
struct warc_digest {
	void *ctx;                    /* OpenSSL's EVP_MD_CTX, NULL = none */
};

bool warc_digest_init(struct warc_digest *d);
void warc_digest_add(struct warc_digest *d, const void *p, size_t n);
/* "sha1:" and the base32 of the digest, into out; the digest is over. */
void warc_digest_end(struct warc_digest *d, char out[WARC_DIGEST_LEN]);
void warc_digest_free(struct warc_digest *d);

/* A new record id, "<urn:uuid:...>" (random, version 4). */
void warc_new_id(char out[WARC_ID_LEN]);

/* Seconds since the epoch, now (the wall clock, not gf_now()'s). */
double warc_now(void);

/* The time t (seconds since the epoch) as WARC-Date writes it, with
 * microseconds; and as the 14 digits of a CDX timestamp. */
void warc_date(double t, char out[WARC_DATE_LEN]);
void warc_timestamp14(double t, char out[32]);

/* A piece of a record's block: bytes in memory, or len bytes of fd from
 * offset 0 (fd >= 0). */
struct warc_piece {
	const char *p;
	uint64_t len;
	int fd;
};

struct warc_out;

/* Open path for writing records (gzip: one member a record), appended to
 * what is there, or (fresh) started afresh. NULL with a message in err. */
struct warc_out *warc_out_open(const char *path, bool gzip, bool fresh, char *err,
			       size_t errlen);
/* Close; false when the last writes failed. */
bool warc_out_close(struct warc_out *w);

/* Write a record: "WARC/1.1", the header fields (lines ending in CRLF),
 * Content-Length, the block from its pieces, the two CRLFs. Where it
 * starts in the file and how many bytes it took come back. False (errno
 * set) when a write failed. Records are gathered in a buffer: they are
 * in the file after warc_out_flush() or warc_out_close(). */
bool warc_out_record(struct warc_out *w, const char *fields,
		     const struct warc_piece *piece, size_t npieces,
		     uint64_t *offset, uint64_t *length);

/* Write what is held in the buffer; false (errno set) when it failed. */
bool warc_out_flush(struct warc_out *w);

/* Bytes in the file, with those in the buffer. */
uint64_t warc_out_size(const struct warc_out *w);

/* A big body deflated as it comes (a gzip'ed archive), so that writing
 * its record later is a copy: pigz's way, the raw deflate stream ended
 * by a sync flush is spliced into the record's member. */
struct warc_body {
	void *z;                      /* its z_stream, NULL = none */
	int fd;                       /* the deflated bytes */
	uint64_t raw, packed;         /* bytes in, bytes out */
	uint32_t crc;                 /* CRC-32 of the bytes in */
	bool probed;                  /* whether it compresses is known */
	bool failed;
};

/* Start with the bytes held so far (n at p), into fd (taken). */
bool warc_body_start(struct warc_body *b, int fd, const void *p, size_t n);
void warc_body_add(struct warc_body *b, const void *p, size_t n);
/* The last bytes are in: flush them out. */
void warc_body_end(struct warc_body *b);
void warc_body_free(struct warc_body *b);

/* warc_out_record() for a record whose block is head then body. */
bool warc_out_record_deflated(struct warc_out *w, const char *fields,
			      const struct warc_piece *head, struct warc_body *body,
			      uint64_t *offset, uint64_t *length);

/* A gzip'ed archive that a crash left cut short: cut after its last whole
 * member. The bytes cut, or -1 (errno set) when it cannot be read. */
int64_t warc_repair(const char *path);

#endif
