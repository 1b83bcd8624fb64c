/*
 * hubs.h - more hubs than one: -j N threads, each a hub of its own loop
 * (pool/hub.h) with its own curl multi handle and c-ares channel, fed
 * from the main hub.
 *
 * Flow: main hub -> hubs_start(record) -> hub_post to a hub thread ->
 *       fetch_start there -> done -> hub_post back -> done(arg, retry) on
 *       the main hub.
 *
 * The main hub keeps everything that has an order, a budget or a wait:
 * the input, the pool (and so the per-host limits, --rate, --delay and
 * the retries, which then hold across all hubs), the pile, the output. A
 * hub thread only runs tries. A URL goes to the hub with the fewest in
 * flight, and of those to its host's own, so that a host's URLs share
 * its connections as far as the work stays even.
 */
#ifndef GF_HUBS_H
#define GF_HUBS_H

#include "config.h"
#include "fetch.h"
#include "record.h"

struct hub;
struct hubs;

/* n hub threads (n >= 2) fed from hub, the caller's. NULL and a message
 * in *error when one cannot start. */
struct hubs *hubs_new(struct hub *hub, const struct gf_config *cfg,
		      struct gf_log *log, int n, const char **error);
/* Tries still running end as "interrupted", with their done callbacks
 * called on the caller's hub, before the threads are joined. */
void hubs_free(struct hubs *h);

/* As fetch_start(): done(arg, retry) is called on the caller's hub. The
 * body's callbacks run on a hub thread: they may only touch the job's own
 * data, or data under a lock. */
void hubs_start(struct hubs *h, const struct gf_config *cfg,
		struct gf_record *rec, struct gf_body *body,
		fetch_done_fn done, void *arg);

/* No more hubs_start() will come: each hub closes the connections and
 * frees the handles its running tries cannot use as they end. */
void hubs_drain(struct hubs *h);

#endif
