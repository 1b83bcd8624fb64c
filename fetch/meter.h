/*
 * meter.h - --limit-rate on a hub: one token bucket for all its
 * transfers' bodies.
 *
 * A write that finds the bucket empty pauses its transfer (the write
 * callback returns CURL_WRITEFUNC_PAUSE, and curl keeps the data); when
 * the bucket has tokens again the meter resumes every transfer it paused,
 * from a timer of the hub, outside curl's callbacks.
 */
#ifndef GF_METER_H
#define GF_METER_H

#include <curl/curl.h>
#include <ev.h>
#include <stdbool.h>
#include <stddef.h>

struct meter;

/* A meter of rate bytes a second on loop (NULL: --serial's, whose writes
 * sleep rather than pause); NULL out of memory. */
struct meter *meter_new(struct ev_loop *loop, double rate);
void meter_free(struct meter *m);

/* May easy write n bytes now? They are counted. False: easy is to pause,
 * and the meter resumes it. */
bool meter_take(struct meter *m, CURL *easy, size_t n);

/* easy leaves curl: the meter forgets it. */
void meter_forget(struct meter *m, CURL *easy);

#endif
