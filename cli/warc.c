/*
 * warc.c - the WARC file layer (see warc.h): records framed, deflated
 * into gzip members, written with write(2); digests through OpenSSL.
 */
#include "warc.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "gf.h"

#define WARC_CHUNK 65536              /* bytes deflated or copied at a time */
#define WARC_BUFFER (256 * 1024)      /* bytes gathered for one write(2) */
#define WARC_PROBE (1 << 20)          /* body bytes deflated before a look */

/* ------------------------------------------------------------ digests */

/* SHA-1, fetched from its provider once: EVP_sha1() would look it up
 * again, under a lock, for each of the three digests of every hop. */
static EVP_MD *sha1;
static pthread_once_t sha1_once = PTHREAD_ONCE_INIT;

static void sha1_fetch(void)
{
	sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
}

bool warc_digest_init(struct warc_digest *d)
{
	pthread_once(&sha1_once, sha1_fetch);
	d->ctx = EVP_MD_CTX_new();
	if(d->ctx && EVP_DigestInit_ex(d->ctx, sha1 ? sha1 : EVP_sha1(), NULL) == 1)
		return true;
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
	return false;
}

void warc_digest_add(struct warc_digest *d, const void *p, size_t n)
{
	if(d->ctx && n)
		EVP_DigestUpdate(d->ctx, p, n);
}

/* RFC 4648 base32 of the 20 bytes: 32 digits, no padding needed. */
static void base32(const unsigned char *md, char *out)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

	for(int i = 0; i < 4; i++) {      /* 4 groups of 5 bytes, 8 digits each */
		uint64_t v = 0;

		for(int k = 0; k < 5; k++)
			v = v << 8 | md[5 * i + k];
		for(int k = 7; k >= 0; k--) {
			out[8 * i + k] = digits[v & 31];
			v >>= 5;
		}
	}
	out[32] = '\0';
}

void warc_digest_end(struct warc_digest *d, char out[WARC_DIGEST_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	memcpy(out, "sha1:", 5);
	if(!d->ctx || EVP_DigestFinal_ex(d->ctx, md, &n) != 1 || n != 20)
		memset(md, 0, 20);
	base32(md, out + 5);
}

void warc_digest_free(struct warc_digest *d)
{
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
}

/* ------------------------------------------------------- ids, dates */

/* Record ids need to be unique, not secret: xoshiro128++ per thread,
 * seeded once from getrandom(), not a system call per record. */
static uint32_t next_random(void)
{
	static _Thread_local uint32_t s[4];
	static _Thread_local bool seeded;
	uint32_t r, t;

	if(!seeded) {
		if(getrandom(s, sizeof(s), 0) != (ssize_t)sizeof(s)) {
			uint64_t x = (uint64_t)(warc_now() * 1e9) ^ (uint64_t)getpid() << 32;

			for(int i = 0; i < 4; i++)
				s[i] = (uint32_t)((x = x * 6364136223846793005ULL + 1442695040888963407ULL) >> 16);
		}
		seeded = true;
	}
	r = ((s[0] + s[3]) << 7 | (s[0] + s[3]) >> 25) + s[0];
	t = s[1] << 9;
	s[2] ^= s[0], s[3] ^= s[1], s[1] ^= s[2], s[0] ^= s[3];
	s[2] ^= t;
	s[3] = s[3] << 11 | s[3] >> 21;
	return r;
}

void warc_new_id(char out[WARC_ID_LEN])
{
	unsigned char b[16];

	for(int i = 0; i < 4; i++) {
		uint32_t r = next_random();

		memcpy(b + 4 * i, &r, 4);
	}
	b[6] = (b[6] & 0x0f) | 0x40;          /* version 4 */
	b[8] = (b[8] & 0x3f) | 0x80;          /* the RFC 4122 variant */
	/* By hand: snprintf's 16 conversions were a tenth of a small record. */
	static const char hex[] = "0123456789abcdef";
	char *o = out + 10;

	memcpy(out, "<urn:uuid:", 10);
	for(int i = 0; i < 16; i++) {
		if(i == 4 || i == 6 || i == 8 || i == 10)
			*o++ = '-';
		*o++ = hex[b[i] >> 4];
		*o++ = hex[b[i] & 15];
	}
	memcpy(o, ">", 2);
}

double warc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void utc(double t, struct tm *tm)
{
	time_t s = (time_t)t;

	gmtime_r(&s, tm);
}

void warc_date(double t, char out[WARC_DATE_LEN])
{
	struct tm tm;
	long us = (long)((t - (double)(time_t)t) * 1e6);

	utc(t, &tm);
	snprintf(out, WARC_DATE_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%06ldZ",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		 tm.tm_sec, us < 0 ? 0 : us > 999999 ? 999999 : us);
}

void warc_timestamp14(double t, char out[32])
{
	struct tm tm;

	utc(t, &tm);
	snprintf(out, 32, "%04d%02d%02d%02d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* ------------------------------------------------------------- files */

struct warc_out {
	int fd;
	bool gzip;
	uint64_t size;                /* bytes in the file */
	/* Two deflaters: records of a few hundred bytes have little to
	 * compress and cost 20 us each at level 1 (every byte a literal),
	 * so they are stored in their member; bigger ones go through
	 * level 1. z: the one of the current record. */
	z_stream deflated, stored, *z;
	bool z_on;
	unsigned char out[WARC_CHUNK];
	/* Bytes not yet written: a write(2) a record was most of the cost
	 * of small ones. warc_out_flush() writes them. */
	char *buf;
	size_t buf_len;
};

struct warc_out *warc_out_open(const char *path, bool gzip, bool fresh, char *err,
			       size_t errlen)
{
	struct warc_out *w = calloc(1, sizeof(*w));
	struct stat st;

	if(!w || !(w->buf = malloc(WARC_BUFFER))) {
		free(w);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->gzip = gzip;
	w->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
		     (fresh ? O_TRUNC : 0), 0666);
	if(w->fd < 0 || fstat(w->fd, &st) < 0) {
		snprintf(err, errlen, "--warc-file %s: %s", path, strerror(errno));
		if(w->fd >= 0)
			close(w->fd);
		free(w->buf);
		free(w);
		return NULL;
	}
	w->size = (uint64_t)st.st_size;
	/* windowBits 15 + 16: a gzip wrapper; level 1: archives are big. */
	if(gzip && deflateInit2(&w->deflated, 1, Z_DEFLATED, 15 + 16, 8,
				Z_DEFAULT_STRATEGY) == Z_OK) {
		w->z_on = deflateInit2(&w->stored, 0, Z_DEFLATED, 15 + 16, 1,
				       Z_DEFAULT_STRATEGY) == Z_OK;
		if(!w->z_on)
			deflateEnd(&w->deflated);
	}
	if(gzip && !w->z_on) {
		snprintf(err, errlen, "--warc-file %s: zlib cannot start", path);
		warc_out_close(w);
		return NULL;
	}
	return w;
}

bool warc_out_close(struct warc_out *w)
{
	bool ok;

	if(!w)
		return true;
	ok = warc_out_flush(w);
	if(w->z_on) {
		deflateEnd(&w->deflated);
		deflateEnd(&w->stored);
	}
	ok = close(w->fd) == 0 && ok;
	free(w->buf);
	free(w);
	return ok;
}

bool warc_out_flush(struct warc_out *w)
{
	bool ok = gf_write_all(w->fd, w->buf, w->buf_len);

	w->buf_len = 0;
	return ok;
}

uint64_t warc_out_size(const struct warc_out *w)
{
	return w->size;
}

static bool put_raw(struct warc_out *w, const void *p, size_t n)
{
	if(w->buf_len + n > WARC_BUFFER && !warc_out_flush(w))
		return false;
	if(n >= WARC_BUFFER) {
		if(!gf_write_all(w->fd, p, n))
			return false;
	} else {
		memcpy(w->buf + w->buf_len, p, n);
		w->buf_len += n;
	}
	w->size += n;
	return true;
}

/* n bytes at p into the record: deflated (flush Z_FINISH ends the
 * member) or as they are. */
static bool put(struct warc_out *w, const void *p, size_t n, int flush)
{
	if(!w->gzip)
		return put_raw(w, p, n);
	w->z->next_in = (unsigned char *)p;
	w->z->avail_in = (uInt)n;
	do {
		int rc;

		w->z->next_out = w->out;
		w->z->avail_out = sizeof(w->out);
		rc = deflate(w->z, flush);
		if(rc == Z_STREAM_ERROR)
			return errno = EIO, false;
		if(!put_raw(w, w->out, sizeof(w->out) - w->z->avail_out))
			return false;
	} while(w->z->avail_out == 0 || (flush == Z_FINISH && w->z->avail_in));
	return true;
}

/* len bytes of fd from its start into the record: deflated, or (raw)
 * copied as they are. */
static bool put_file(struct warc_out *w, int fd, uint64_t len, bool raw)
{
	char buf[WARC_CHUNK];
	uint64_t at = 0;

	while(at < len) {
		size_t want = len - at < sizeof(buf) ? (size_t)(len - at) : sizeof(buf);
		ssize_t got = pread(fd, buf, want, (off_t)at);

		if(got <= 0)
			return errno = got < 0 ? errno : EIO, false;
		if(!(raw ? put_raw(w, buf, (size_t)got) : put(w, buf, (size_t)got, Z_NO_FLUSH)))
			return false;
		at += (uint64_t)got;
	}
	return true;
}

bool warc_out_record(struct warc_out *w, const char *fields,
		     const struct warc_piece *piece, size_t npieces,
		     uint64_t *offset, uint64_t *length)
{
	uint64_t block = 0;
	char head[64];
	bool ok;

	for(size_t i = 0; i < npieces; i++)
		block += piece[i].len;
	snprintf(head, sizeof(head), "Content-Length: %llu\r\n\r\n",
		 (unsigned long long)block);
	*offset = w->size;
	w->z = block + strlen(fields) < WARC_STORED ? &w->stored : &w->deflated;
	ok = put(w, "WARC/1.1\r\n", 10, Z_NO_FLUSH) &&
	     put(w, fields, strlen(fields), Z_NO_FLUSH) &&
	     put(w, head, strlen(head), Z_NO_FLUSH);
	for(size_t i = 0; ok && i < npieces; i++)
		ok = piece[i].fd >= 0 ? put_file(w, piece[i].fd, piece[i].len, false) :
		     put(w, piece[i].p, (size_t)piece[i].len, Z_NO_FLUSH);
	ok = ok && put(w, "\r\n\r\n", 4, Z_FINISH);
	if(w->gzip)
		deflateReset(w->z);
	*length = w->size - *offset;
	return ok;
}

/* ------------------------------------------------ bodies deflated early */

static bool body_out(struct warc_body *b, int flush)
{
	z_stream *z = b->z;
	unsigned char out[WARC_CHUNK];

	do {
		z->next_out = out;
		z->avail_out = sizeof(out);
		if(deflate(z, flush) == Z_STREAM_ERROR)
			return false;
		if(!gf_write_all(b->fd, (char *)out, sizeof(out) - z->avail_out))
			return false;
		b->packed += sizeof(out) - z->avail_out;
	} while(z->avail_out == 0);
	return true;
}

/* A body that does not compress (images, video, archives: most big
 * ones) costs 20 s a GiB at level 1 for nothing: once WARC_PROBE bytes
 * have gone in, one that saved less than an eighth goes on stored. */
static bool body_stored(struct warc_body *b)
{
	z_stream *z = b->z;
	unsigned char out[WARC_CHUNK];
	int rc;

	do {
		z->next_out = out;
		z->avail_out = sizeof(out);
		rc = deflateParams(z, 0, Z_DEFAULT_STRATEGY);
		if(!gf_write_all(b->fd, (char *)out, sizeof(out) - z->avail_out))
			return false;
		b->packed += sizeof(out) - z->avail_out;
	} while(rc == Z_BUF_ERROR);
	return rc == Z_OK;
}

void warc_body_add(struct warc_body *b, const void *p, size_t n)
{
	z_stream *z = b->z;

	if(!z || b->failed || !n)
		return;
	b->crc = (uint32_t)crc32(b->crc, p, (uInt)n);
	b->raw += n;
	z->next_in = (unsigned char *)p;
	z->avail_in = (uInt)n;
	if(!body_out(b, Z_NO_FLUSH))
		b->failed = true;
	if(!b->probed && b->raw >= WARC_PROBE) {
		b->probed = true;
		if(b->packed > b->raw - b->raw / 8 && !body_stored(b))
			b->failed = true;
	}
}

bool warc_body_start(struct warc_body *b, int fd, const void *p, size_t n)
{
	z_stream *z = calloc(1, sizeof(*z));

	*b = (struct warc_body){ .fd = fd, .crc = (uint32_t)crc32(0, NULL, 0) };
	/* Raw deflate (no wrapper): the record's member has its own. */
	if(fd < 0 || !z || deflateInit2(z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		free(z);
		b->failed = true;
		return false;
	}
	b->z = z;
	warc_body_add(b, p, n);
	return !b->failed;
}

void warc_body_end(struct warc_body *b)
{
	z_stream *z = b->z;

	if(!z || b->failed)
		return;
	z->next_in = NULL;
	z->avail_in = 0;
	/* A sync flush ends on a byte, with no final block: more follows. */
	if(!body_out(b, Z_SYNC_FLUSH))
		b->failed = true;
	deflateEnd(z);
	free(z);
	b->z = NULL;
}

void warc_body_free(struct warc_body *b)
{
	if(b->z) {
		deflateEnd(b->z);
		free(b->z);
	}
	if(b->fd >= 0)
		close(b->fd);
	b->z = NULL;
	b->fd = -1;
}

/* Bytes through the raw deflater, their CRC kept. */
static bool put_raw_deflated(struct warc_out *w, z_stream *z, uint32_t *crc,
			     uint64_t *len, const void *p, size_t n, int flush)
{
	*crc = (uint32_t)crc32(*crc, p, (uInt)n);
	*len += n;
	z->next_in = (unsigned char *)p;
	z->avail_in = (uInt)n;
	do {
		z->next_out = w->out;
		z->avail_out = sizeof(w->out);
		if(deflate(z, flush) == Z_STREAM_ERROR)
			return errno = EIO, false;
		if(!put_raw(w, w->out, sizeof(w->out) - z->avail_out))
			return false;
	} while(z->avail_out == 0 || (flush == Z_FINISH && z->avail_in));
	return true;
}

static void le32(unsigned char *p, uint32_t v)
{
	for(int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Long: one gzip member spliced from three deflate streams (the record's
 * head, the body deflated as it came, its end), CRC-32s combined. */
bool warc_out_record_deflated(struct warc_out *w, const char *fields,
			      const struct warc_piece *head, struct warc_body *body,
			      uint64_t *offset, uint64_t *length)
{
	static const unsigned char gz[10] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
	z_stream z = { 0 };
	uint32_t crc = (uint32_t)crc32(0, NULL, 0), tail_crc = crc;
	uint64_t len = 0, tail_len = 0;
	unsigned char trailer[8];
	char cl[64];
	bool ok;

	if(!w->gzip || body->failed)
		return errno = EIO, false;
	if(deflateInit2(&z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return errno = ENOMEM, false;
	snprintf(cl, sizeof(cl), "Content-Length: %llu\r\n\r\n",
		 (unsigned long long)(head->len + body->raw));
	*offset = w->size;
	ok = put_raw(w, gz, sizeof(gz)) &&
	     put_raw_deflated(w, &z, &crc, &len, "WARC/1.1\r\n", 10, Z_NO_FLUSH) &&
	     put_raw_deflated(w, &z, &crc, &len, fields, strlen(fields), Z_NO_FLUSH) &&
	     put_raw_deflated(w, &z, &crc, &len, cl, strlen(cl), Z_NO_FLUSH) &&
	     put_raw_deflated(w, &z, &crc, &len, head->p, (size_t)head->len, Z_SYNC_FLUSH);
	/* The body's deflate blocks refer back only within the body. */
	ok = ok && put_file(w, body->fd, body->packed, true);
	deflateReset(&z);
	ok = ok && put_raw_deflated(w, &z, &tail_crc, &tail_len, "\r\n\r\n", 4, Z_FINISH);
	deflateEnd(&z);
	crc = (uint32_t)crc32_combine(crc32_combine(crc, body->crc, (z_off_t)body->raw),
				      tail_crc, (z_off_t)tail_len);
	le32(trailer, crc);
	le32(trailer + 4, (uint32_t)(len + body->raw + tail_len));
	ok = ok && put_raw(w, trailer, sizeof(trailer));
	*length = w->size - *offset;
	return ok;
}

/* --------------------------------------------------------- repairing */

int64_t warc_repair(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	unsigned char in[WARC_CHUNK], out[WARC_CHUNK];
	uint64_t at = 0, good = 0, size;
	struct stat st;
	z_stream z = { 0 };
	int rc = Z_OK;

	if(fd < 0)
		return errno == ENOENT ? 0 : -1;
	if(fstat(fd, &st) < 0 || inflateInit2(&z, 15 + 16) != Z_OK) {
		close(fd);
		return -1;
	}
	size = (uint64_t)st.st_size;
	/* Member by member: where each one ends is a good place to cut. */
	while(at < size) {
		ssize_t got = pread(fd, in, sizeof(in), (off_t)at);

		if(got <= 0)
			break;
		z.next_in = in;
		z.avail_in = (uInt)got;
		while(z.avail_in > 0) {
			uInt before = z.avail_in;

			z.next_out = out;
			z.avail_out = sizeof(out);
			rc = inflate(&z, Z_NO_FLUSH);
			at += before - z.avail_in;
			if(rc == Z_STREAM_END) {
				good = at;
				inflateReset(&z);
			} else if(rc != Z_OK && rc != Z_BUF_ERROR) {
				break;
			} else if(before == z.avail_in && z.avail_out == sizeof(out)) {
				rc = Z_DATA_ERROR;    /* no way on */
				break;
			}
		}
		if(rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
			break;
	}
	inflateEnd(&z);
	if(good < size && ftruncate(fd, (off_t)good) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	return (int64_t)(size - good);
}
