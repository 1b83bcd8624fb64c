/*
 * journal.h - --journal FILE and --resume: each record of a run appended
 * to FILE as a JSON line when it is released, and the lines of earlier
 * runs read back, so that a rerun does only what they left.
 *
 * Flow: run -> sinks -> journal -> FILE (the writer);
 *       FILE -> journal reader -> run (skips, a crawl's replay).
 *
 * A line is the --json record with "failed", "content_type", "run" (the
 * run that wrote it, 1 for the first) and, in a crawl, "seq" (the job's
 * place in the crawl, from 0) and "new_links" (the links of the page that
 * entered the frontier). It goes to FILE whole,
 * with one write(2) on an O_APPEND descriptor, before the record goes to
 * stdout (with --warc-file, on the writer thread after the job's archive
 * records, so a line says they are written); a thread calls fdatasync(2)
 * each second while lines came, and
 * once more at the end, so the hub never waits for the disk. A crash
 * leaves at most the last line cut short: the reader drops it.
 *
 * A list resumes by input line: a line is done when the journal holds a
 * record of its index and URL (one that succeeded, or any with
 * --skip-failed). The done ones are kept as 64-bit fingerprints, about
 * 16 bytes each.
 *
 * A crawl resumes by replay. Its records are released in order and its
 * journal lines are too, so they are the first records of the crawl,
 * in order: the rerun crawls again from the seeds, and each page whose
 * record is the journal's next line is not fetched but released from
 * that line (its new links pushed as they were), so the frontier comes
 * back exactly; the first page past the journal is fetched. Pages that
 * failed are fetched again (keeping their index) once the crawl is over,
 * at the same point on every rerun, so that the other pages keep their
 * places. After a job was dropped in flight
 * (a signal), the crawl's later records are not written to the journal,
 * so that it stays a prefix of the crawl.
 */
#ifndef GF_JOURNAL_H
#define GF_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "record.h"
#include "sink.h"

struct writer;

/* The writer: lines to cfg->journal, as run number run; through writer
 * when given (after the archive's records of the same job), else at once.
 * NULL with a message in err when the file cannot be opened. */
struct sink *sink_journal_new(const struct gf_config *cfg, unsigned run,
			      struct writer *writer, char *err, size_t errlen);

/* A line read back; its strings point into the reader's buffer (valid
 * until the next read). */
struct journal_entry {
	uint64_t index;
	uint64_t seq;                 /* a crawl's: its job's place */
	bool has_seq;
	const char *url, *effective_url, *error, *file, *content_type;
	const char *etag, *last_modified, *parent, *new_links;
	long status, redirects, attempts, links;
	uint64_t bytes;
	double time;
	int depth;
	bool crawl;                   /* it has a depth */
	bool failed;
	bool unchanged;
	unsigned run;
};

struct journal_reader;

/* Open FILE to read back. With repair (--journal), a file that does not
 * exist reads as empty, and a last line cut short is cut off the file and
 * said on stderr; without (--since: a journal or --json output of an
 * earlier run), FILE is only read. NULL with a message in err when it
 * cannot be read or cut. */
struct journal_reader *journal_reader_open(const char *path, bool repair,
					   char *err, size_t errlen);
void journal_reader_free(struct journal_reader *jr);

/* The next line: GF_OK, or GF_EOF. A line that is not a record (not
 * greenfetch's, or damaged) is skipped and counted. */
int journal_read(struct journal_reader *jr, struct journal_entry *e);
/* The same; light: only index, url and failed are needed (a list's
 * resume), read the quick way where the line allows. */
int journal_read_as(struct journal_reader *jr, struct journal_entry *e, bool light);

/* Lines of the file, counted from the start; the next read is the
 * first line again. */
uint64_t journal_count_lines(struct journal_reader *jr);

/* The run number of the file's last line, 0 for an empty file. */
unsigned journal_last_run(const struct journal_reader *jr);

/* Lines skipped as not records, so far. */
uint64_t journal_bad_lines(const struct journal_reader *jr);

/* The entry as a record (strings copied): false when out of memory. */
bool journal_entry_record(const struct journal_entry *e, struct gf_record *rec);

/* The fingerprint a list's done line is known by. */
uint64_t journal_line_fp(uint64_t index, const char *url, size_t len);

#endif
