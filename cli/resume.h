/*
 * resume.h - --resume: what the journal says earlier runs did, as the run
 * asks it (see journal.h for the whole story): is this input line done
 * (a list), is this job the journal's next record (a crawl's replay), and
 * which failed pages are to be fetched again, and when.
 *
 * Flow: journal FILE -> resume -> run (skips; replayed jobs -> crawl).
 */
#ifndef GF_RESUME_H
#define GF_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "frontier.h"
#include "record.h"

struct resume;

/* Read cfg->journal back: all of it for a list, its first line for a
 * crawl. NULL with a message in err (out of memory: err empty). */
struct resume *resume_new(const struct gf_config *cfg, char *err, size_t errlen);
void resume_free(struct resume *rs);

/* The number of this run (1 + the journal's last). */
unsigned resume_run(const struct resume *rs);

/* A list: is input line index (its URL text, len bytes) done? Its
 * record when the journal says it was saved under -o (NULL: not, or not
 * known), for --convert-links. */
bool resume_line_done(struct resume *rs, uint64_t index, const char *url,
		      size_t len);
const struct gf_record *resume_saved(const struct resume *rs, uint64_t index);

/* A crawl: is job seq (its place in the crawl), of url, the journal's
 * next record? Then *rec is filled from it (owned by the caller), with
 * whether it failed and the run that wrote it, and it is taken. A job of
 * another URL where the journal has one ends the replay (said on
 * stderr): the rest is fetched. */
bool resume_take(struct resume *rs, uint64_t seq, const char *url,
		 struct gf_record *rec, bool *failed, unsigned *run);

/* A crawl: a page that failed in run `run`, to fetch again (copied, with
 * its record's index). They are fetched when the crawl is over (its queue
 * empty, nothing in flight): resume_again_start() then takes those an
 * earlier run fetched again at that point (or all, past the journal), and
 * resume_again_next() hands them out, in order, before any other page. */
void resume_again_add(struct resume *rs, const struct crawl_item *item,
		      uint64_t index, unsigned run);
bool resume_again_start(struct resume *rs);
bool resume_again_next(struct resume *rs, struct crawl_item *item, uint64_t *index);

/* Records an earlier run did that this one skips or replays. */
uint64_t resume_count(const struct resume *rs);

#endif
