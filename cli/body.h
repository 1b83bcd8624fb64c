/*
 * body.h - where response bodies go: stdout in input order (--body), files
 * under a directory (-o), or both.
 *
 * Flow: fetch -> body (hold | stream | file) -> stdout / DIR, at release.
 *
 * --body: the body of the URL at the head of the order streams to stdout as
 * it arrives. Bodies of URLs behind it are held: in memory while all held
 * bodies together stay within --buffer-size, past that in a temporary file
 * per body (unlinked as soon as it is made, so nothing is left behind by
 * any exit). When the head is released, the next body's held part is
 * written and that body streams from then on. --separator goes between
 * consecutive bodies (one per record, also for an empty body).
 *
 * -o: each body goes to a temporary file beside its final name (created
 * O_EXCL|O_NOFOLLOW, directories opened O_NOFOLLOW, so nothing is written
 * through a symlink), renamed to the final name when the transfer
 * succeeded and removed when it failed.
 */
#ifndef GF_BODY_H
#define GF_BODY_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "record.h"

struct bodies;
struct body_chunk;

struct body {
	struct gf_body hook;          /* what fetch writes to */
	struct bodies *all;           /* owner */
	uint64_t seq;                 /* place in the order */
	struct body_chunk *first;     /* held bytes (--body, behind the head) */
	struct body_chunk *last;      /* where the next ones go */
	size_t len;                   /* bytes held in memory */
	int spill_fd;                 /* the rest of the held body, -1 = none */
	bool streaming;               /* at the head: straight to stdout */
	bool streamed;                /* some of it is on stdout already */
	char *name;                   /* -o: final name under DIR (owned) */
	int dir_fd;                   /* -o: its directory, -1 = not open */
	int file_fd;                  /* -o: the temporary file, -1 = none */
	char *tmp;                    /* -o: its name in dir_fd (owned) */
	char error[256];              /* why a write failed */
};

/* The run's bodies; NULL with a message in err when DIR cannot be used. */
struct bodies *bodies_new(const struct gf_config *cfg, size_t window,
			  char *err, size_t errlen);
void bodies_free(struct bodies *all);

/* Is any body output wanted at all? */
bool bodies_active(const struct bodies *all);

/* Set up job seq's body (url for its -o name). NULL hook: no body wanted.
 * False when out of memory. */
bool body_init(struct bodies *all, struct body *b, uint64_t seq,
	       uint64_t index, const char *url);

/* The transfer is over: keep (rename) or drop the -o file; rec->file. */
void body_finish(struct body *b, struct gf_record *rec);

/* The record is released: write the held body, hand stdout to the next. */
void body_release(struct body *b);

/* Job seq, released in its turn, had no body (a crawl's sitemap): the
 * order goes on to the next. */
void bodies_skip(struct bodies *all, uint64_t seq);

/* Free what the body holds (temporary files included). */
void body_cleanup(struct body *b);

/* The first stdout error of the bodies: GF_OK, GF_EPIPE or GF_EIO. */
int bodies_error(const struct bodies *all);

/* Bytes held in memory and in spill files now, and spill files made. */
void bodies_usage(const struct bodies *all, uint64_t *mem, uint64_t *spilled,
		  unsigned long *spills);

#endif
