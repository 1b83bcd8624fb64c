/*
 * progress.h - the one-line progress display on a terminal's stderr.
 *
 * Flow: run (counts) -> progress -> stderr, at most 10 times a second.
 *
 * The line is redrawn in place (CR, the text, "erase to end of line"),
 * never erased first, so it does not flicker. A message for stderr goes
 * above it: written over it, then the line drawn again below. Records to
 * the same terminal erase it once per batch, and it is drawn again once
 * the batch is out; at the end it is erased.
 */
#ifndef GF_PROGRESS_H
#define GF_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct progress {
	bool drawn;                   /* a line is on the terminal now */
	char line[512];               /* its text, to draw again */
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

/* Before a message line to stderr: go to the start of the line, so that
 * the message writes over the progress line. */
void progress_above(struct progress *p);

/* After it (the message ended with "\033[K\n"): the line again. */
void progress_below(struct progress *p);

#endif
