/*
 * multi.h - curl's multi-socket API on the hub (the shape of curl's
 * docs/examples/evhiperfifo.c).
 *
 * Flow: fetch -> multi_add(easy) -> curl on libev -> done(easy, result).
 *
 * curl says which sockets to watch (CURLMOPT_SOCKETFUNCTION, one ev_io each
 * in a struct multi_sock freed on CURL_POLL_REMOVE) and when to time out
 * (CURLMOPT_TIMERFUNCTION, one ev_timer). Finished transfers are taken from
 * curl_multi_info_read() after each curl_multi_socket_action(), removed from
 * the multi handle, and handed to the done callback, which may add new
 * handles. curl_multi_socket_action() is never called from a curl callback:
 * a timeout of 0 is turned into a timer that fires on the next loop pass.
 */
#ifndef GF_MULTI_H
#define GF_MULTI_H

#include <curl/curl.h>

struct ev_loop;
struct multi;

/* A transfer is over; easy is no longer in the multi handle. */
typedef void (*multi_done_fn)(void *arg, CURL *easy, CURLcode result);

/* maxconns: connections kept open for reuse. */
struct multi *multi_new(struct ev_loop *loop, long maxconns,
			multi_done_fn done, void *arg);
void multi_free(struct multi *m);

/* Keep at most n connections, in use or idle: as a transfer ends beyond
 * that, the connection idle the longest is closed. */
void multi_set_maxconns(struct multi *m, long n);

/* Start easy on the hub; false if curl refuses it. */
int multi_add(struct multi *m, CURL *easy);

/* Stop easy before it is done (no done callback for it). */
void multi_remove(struct multi *m, CURL *easy);

#endif
