/*
 * writer.h - a run's disk writes that must not hold the hub and must keep
 * their order (eventlet's tpool, one thread): the archive's records, then
 * the journal lines that say they are done. Each task runs on the writer
 * thread, in the order it was given.
 *
 * Flow: sinks (at release, on the hub) -> writer -> FILE.
 *
 * The queue is bounded by the bytes its tasks hold: past WRITER_BACKLOG a
 * new task waits for room, so a disk slower than the network slows the
 * run instead of filling memory.
 */
#ifndef GF_WRITER_H
#define GF_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#define WRITER_BACKLOG (64u << 20)   /* bytes of tasks queued at most */

struct writer;

struct writer *writer_new(void);
/* Run every task left, then stop the thread. */
void writer_free(struct writer *w);

/* Queue fn(arg), holding about bytes of memory or disk; false when out
 * of memory (fn has not run: the caller still owns arg). */
bool writer_put(struct writer *w, void (*fn)(void *arg), void *arg, size_t bytes);

/* Wait until every task queued so far has run. */
void writer_drain(struct writer *w);

/* fn(arg) on the writer thread each time the queue runs dry, before
 * writer_drain() returns (writes held in a buffer go out then). */
void writer_on_idle(struct writer *w, void (*fn)(void *arg), void *arg);
/* From a task: run the idle function now (a journal line goes to disk
 * only after the records before it). */
void writer_flush(struct writer *w);

#endif
