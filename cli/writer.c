/*
 * writer.c - the writer thread (see writer.h): a FIFO of tasks under one
 * lock, two condition variables (work for the thread, room or an empty
 * queue for the hub).
 */
#define _GNU_SOURCE                   /* pthread_setname_np() */
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* The thread is woken for a batch, not for each task (a wake is a
 * context switch, dearer than a small record): at WRITER_BATCH tasks or
 * WRITER_WAKE bytes queued, and else it looks every WRITER_TICK_MS. */
#define WRITER_BATCH 64
#define WRITER_WAKE (1u << 20)
#define WRITER_TICK_MS 5

struct task {
	struct task *next;
	void (*fn)(void *arg);
	void *arg;
	size_t bytes;
};

struct writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work;          /* a task came, or stop */
	pthread_cond_t room;          /* a task ran */
	struct task *head, *tail;
	struct task *spare;           /* tasks run, for writer_put() to reuse */
	size_t bytes;                 /* held by the tasks queued */
	size_t queued;                /* tasks queued */
	size_t running;               /* tasks taken and not yet done */
	bool stop;
	void (*idle)(void *arg);      /* writer_on_idle() */
	void *idle_arg;
};

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	pthread_setname_np(pthread_self(), "gf-writer");  /* for top -H, perf */
	pthread_mutex_lock(&w->lock);
	for(;;) {
		struct task *t;

		while(!w->head && !w->stop) {
			struct timespec at;

			clock_gettime(CLOCK_REALTIME, &at);
			at.tv_nsec += WRITER_TICK_MS * 1000000L;
			if(at.tv_nsec >= 1000000000L)
				at.tv_sec++, at.tv_nsec -= 1000000000L;
			pthread_cond_timedwait(&w->work, &w->lock, &at);
		}
		if(!(t = w->head))
			break;
		w->head = t->next;
		w->queued--;
		if(!w->head)
			w->tail = NULL;
		w->running++;
		pthread_mutex_unlock(&w->lock);
		t->fn(t->arg);
		pthread_mutex_lock(&w->lock);
		if(!w->head && w->idle) {
			/* Dry: still running, so that a drain waits for it. */
			pthread_mutex_unlock(&w->lock);
			w->idle(w->idle_arg);
			pthread_mutex_lock(&w->lock);
		}
		w->running--;
		w->bytes -= t->bytes;
		/* Kept for the next writer_put(): freed here, it would go back
		 * to the arena of the thread that took it, under that arena's
		 * lock, while that thread allocates. */
		t->next = w->spare;
		w->spare = t;
		pthread_cond_broadcast(&w->room);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct writer *writer_new(void)
{
	struct writer *w = calloc(1, sizeof(*w));

	if(!w)
		return NULL;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->room, NULL);
	if(pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->room);
		free(w);
		return NULL;
	}
	return w;
}

void writer_free(struct writer *w)
{
	if(!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while(w->spare) {
		struct task *next = w->spare->next;

		free(w->spare);
		w->spare = next;
	}
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->room);
	free(w);
}

bool writer_put(struct writer *w, void (*fn)(void *arg), void *arg, size_t bytes)
{
	struct task *t;

	pthread_mutex_lock(&w->lock);
	/* Room first: one task bigger than the backlog still goes alone. */
	while(w->bytes > 0 && w->bytes + bytes > WRITER_BACKLOG)
		pthread_cond_wait(&w->room, &w->lock);
	if((t = w->spare))
		w->spare = t->next;
	else if(!(t = malloc(sizeof(*t)))) {
		pthread_mutex_unlock(&w->lock);
		return false;
	}
	*t = (struct task){ .fn = fn, .arg = arg, .bytes = bytes };
	w->bytes += bytes;
	if(w->tail)
		w->tail->next = t;
	else
		w->head = t;
	w->tail = t;
	if(++w->queued >= WRITER_BATCH || w->bytes >= WRITER_WAKE)
		pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return true;
}

void writer_drain(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	pthread_cond_signal(&w->work);
	while(w->head || w->running)
		pthread_cond_wait(&w->room, &w->lock);
	pthread_mutex_unlock(&w->lock);
}

void writer_on_idle(struct writer *w, void (*fn)(void *arg), void *arg)
{
	pthread_mutex_lock(&w->lock);
	w->idle = fn;
	w->idle_arg = arg;
	pthread_mutex_unlock(&w->lock);
}

void writer_flush(struct writer *w)
{
	if(w->idle)
		w->idle(w->idle_arg);
}
