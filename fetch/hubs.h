/*
 * hubs.h - more hubs than one: -j N threads, each with its own libev loop,
 * curl multi handle and c-ares channel, fed from the main hub.
 *
 * Flow: main hub -> hubs_start(record) -> a hub's inbox -> fetch_start on
 *       that hub -> done -> the main hub's inbox -> done(arg) on the main
 *       hub.
 *
 * The main hub keeps everything that has an order or a budget: the input,
 * the pool, the pile, the output. A hub thread only runs transfers, and a
 * record crosses threads twice, each time under a lock held for a list
 * splice. All of a host's URLs go to one hub when --per-host, --delay or
 * --rate apply, so those limits hold as with one hub (a redirect to
 * another host stays on its hub); otherwise a URL goes to the hub with the
 * fewest in flight. A URL waiting for its host keeps its pool slot.
 */
#ifndef GF_HUBS_H
#define GF_HUBS_H

#include "config.h"
#include "fetch.h"
#include "record.h"

struct ev_loop;
struct hubs;

/* n hub threads (n >= 2) fed from loop, the caller's hub. NULL and a
 * message in *error when one cannot start. */
struct hubs *hubs_new(struct ev_loop *loop, const struct gf_config *cfg,
		      int n, const char **error);
/* Transfers still running end as "interrupted", with their done callbacks
 * called on the caller's hub, before the threads are joined. */
void hubs_free(struct hubs *h);

/* As fetch_start(): done(arg) is called on the caller's hub. The body's
 * callbacks run on a hub thread: they may only touch the job's own data. */
void hubs_start(struct hubs *h, struct gf_record *rec, struct gf_body *body,
		fetch_done_fn done, void *arg);

/* No more hubs_start() will come: each hub closes the connections and
 * frees the handles its running transfers cannot use as they end. */
void hubs_drain(struct hubs *h);

#endif
