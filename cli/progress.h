/*
 * progress.h - the one-line progress display on a terminal's stderr.
 *
 * Flow: run (counts) -> progress -> stderr, at most 10 times a second.
 *
 * The line is drawn with a carriage return and erased (CR, then "erase to
 * end of line") before any record is written to the same terminal and when
 * the run ends, so it never mixes with records.
 */
#ifndef GF_PROGRESS_H
#define GF_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	bool drawn;                   /* a line is on the terminal now */
};

struct progress_counts {
	uint64_t done;                /* records written */
	uint64_t total;               /* URLs in the input, 0 = not known yet */
	int running;                  /* transfers in flight */
	uint64_t failed;              /* records that failed */
	uint64_t bytes;               /* body bytes received */
	double elapsed;               /* seconds since the start */
};

/* Format the line into buf (no CR, no newline). */
void progress_format(char *buf, size_t size, const struct progress_counts *c);

/* Draw it on stderr, replacing the line there. */
void progress_draw(struct progress *p, const struct progress_counts *c);

/* Erase a drawn line (nothing when none is drawn). */
void progress_erase(struct progress *p);

#endif
