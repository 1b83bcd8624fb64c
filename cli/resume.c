/*
 * resume.c - the journal as --resume asks it (see resume.h): a set of
 * fingerprints for a list, a cursor one line ahead for a crawl.
 */
#include "resume.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fpset.h"
#include "gf.h"
#include "journal.h"

struct again {
	struct crawl_item item;       /* owned strings */
	uint64_t index;               /* of its record */
	unsigned run;                 /* that it failed in */
};

struct resume {
	const struct gf_config *cfg;
	struct journal_reader *jr;
	unsigned run;                 /* this run's number */
	uint64_t count;               /* records skipped or replayed */
	/* A list */
	struct fpset done;            /* lines done, by journal_line_fp() */
	struct gf_record *saved;      /* with --convert-links: those saved, */
	size_t nsaved, cap_saved;     /* by index */
	/* A crawl */
	struct journal_entry next;    /* the journal's next line ... */
	bool more;                    /* ... if there is one */
	struct again *again;          /* failed pages to fetch again, in order; */
	size_t nagain, cap_again;     /* those before first_again are handed */
	size_t first_again, batch_end; /* out, those to batch_end are next */
};

static int by_index(const void *a, const void *b)
{
	const struct gf_record *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

/* --convert-links must know the files of the lines it skips. */
static bool keep_saved(struct resume *rs, const struct journal_entry *e)
{
	struct gf_record *rec;

	if(rs->nsaved == rs->cap_saved) {
		size_t cap = rs->cap_saved ? 2 * rs->cap_saved : 64;
		struct gf_record *more = realloc(rs->saved, cap * sizeof(*more));

		if(!more)
			return false;
		rs->saved = more;
		rs->cap_saved = cap;
	}
	rec = &rs->saved[rs->nsaved++];
	memset(rec, 0, sizeof(*rec));
	return journal_entry_record(e, rec);
}

/* A list: every line of the journal into the done set. */
static bool load_list(struct resume *rs)
{
	struct journal_entry e;

	if(!fpset_reserve(&rs->done, journal_count_lines(rs->jr)))
		return false;
	while(journal_read_as(rs->jr, &e, !rs->cfg->convert_links) == GF_OK) {
		if(e.failed && !rs->cfg->skip_failed)
			continue;
		if(fpset_add(&rs->done, journal_line_fp(e.index, e.url,
							strlen(e.url))) < 0)
			return false;
		if(rs->cfg->convert_links && e.file && !keep_saved(rs, &e))
			return false;
	}
	if(rs->nsaved)
		qsort(rs->saved, rs->nsaved, sizeof(*rs->saved), by_index);
	return true;
}

struct resume *resume_new(const struct gf_config *cfg, char *err, size_t errlen)
{
	struct resume *rs = calloc(1, sizeof(*rs));

	err[0] = '\0';
	if(!rs)
		return NULL;
	rs->cfg = cfg;
	fpset_init(&rs->done);
	if(!(rs->jr = journal_reader_open(cfg->journal, true, err, errlen))) {
		free(rs);
		return NULL;
	}
	rs->run = journal_last_run(rs->jr) + 1;
	if(cfg->crawl) {
		rs->more = journal_read(rs->jr, &rs->next) == GF_OK;
	} else if(!load_list(rs)) {
		resume_free(rs);
		return NULL;
	}
	return rs;
}

void resume_free(struct resume *rs)
{
	if(!rs)
		return;
	if(journal_bad_lines(rs->jr))
		fprintf(stderr, "greenfetch: --journal %s: %llu line%s that are not "
			"records skipped\n", rs->cfg->journal,
			(unsigned long long)journal_bad_lines(rs->jr),
			journal_bad_lines(rs->jr) == 1 ? "" : "s");
	journal_reader_free(rs->jr);
	fpset_release(&rs->done);
	for(size_t i = 0; i < rs->nsaved; i++)
		record_release(&rs->saved[i]);
	free(rs->saved);
	for(size_t i = rs->first_again; i < rs->nagain; i++) {
		free(rs->again[i].item.url);
		free(rs->again[i].item.parent);
	}
	free(rs->again);
	free(rs);
}

unsigned resume_run(const struct resume *rs)
{
	return rs->run;
}

uint64_t resume_count(const struct resume *rs)
{
	return rs->count;
}

bool resume_line_done(struct resume *rs, uint64_t index, const char *url,
		      size_t len)
{
	bool done = fpset_has(&rs->done, journal_line_fp(index, url, len));

	rs->count += done;
	return done;
}

const struct gf_record *resume_saved(const struct resume *rs, uint64_t index)
{
	struct gf_record key = { .index = index };

	return rs->nsaved ? bsearch(&key, rs->saved, rs->nsaved, sizeof(key),
				    by_index) : NULL;
}

/* The journal and the crawl part ways: the rest is fetched. */
static void replay_over(struct resume *rs, uint64_t seq)
{
	fprintf(stderr, "greenfetch: --journal %s: record %llu is not the crawl's "
		"(the site or the command changed?): fetching from there\n",
		rs->cfg->journal, (unsigned long long)seq + 1);
	rs->more = false;
}

/* The crawl's place of the journal's next line. */
static uint64_t next_seq(const struct resume *rs)
{
	return rs->next.has_seq ? rs->next.seq : rs->next.index - 1;
}

bool resume_take(struct resume *rs, uint64_t seq, const char *url,
		 struct gf_record *rec, bool *failed, unsigned *run)
{
	if(!rs->more || next_seq(rs) > seq)
		return false;
	if(next_seq(rs) < seq || strcmp(rs->next.url, url) != 0) {
		replay_over(rs, seq);
		return false;
	}
	memset(rec, 0, sizeof(*rec));
	if(!journal_entry_record(&rs->next, rec)) {
		record_release(rec);
		gf_oom();
		rs->more = false;
		return false;
	}
	*failed = rs->next.failed;
	*run = rs->next.run;
	rs->more = journal_read(rs->jr, &rs->next) == GF_OK;
	rs->count++;
	return true;
}

void resume_again_add(struct resume *rs, const struct crawl_item *item,
		      uint64_t index, unsigned run)
{
	struct again *a;

	if(rs->nagain == rs->cap_again) {
		size_t cap = rs->cap_again ? 2 * rs->cap_again : 16;
		struct again *more = realloc(rs->again, cap * sizeof(*more));

		if(!more) {
			gf_oom();
			return;
		}
		rs->again = more;
		rs->cap_again = cap;
	}
	a = &rs->again[rs->nagain];
	a->item = *item;
	a->index = index;
	a->run = run;
	a->item.url = strdup(item->url);
	a->item.parent = item->parent ? strdup(item->parent) : NULL;
	if(!a->item.url || (item->parent && !a->item.parent)) {
		free(a->item.url);
		free(a->item.parent);
		gf_oom();
		return;
	}
	rs->nagain++;
}

/* The pages are added in the journal's order, so by run: those of the
 * runs before the one whose lines come next are a prefix. */
bool resume_again_start(struct resume *rs)
{
	unsigned before = rs->more ? rs->next.run : rs->run;

	rs->batch_end = rs->first_again;
	while(rs->batch_end < rs->nagain && rs->again[rs->batch_end].run < before)
		rs->batch_end++;
	return rs->batch_end > rs->first_again;
}

bool resume_again_next(struct resume *rs, struct crawl_item *item, uint64_t *index)
{
	if(rs->first_again == rs->batch_end)
		return false;
	*index = rs->again[rs->first_again].index;
	*item = rs->again[rs->first_again++].item;
	return true;
}
