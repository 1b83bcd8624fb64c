/*
 * redis.h - one connection to Redis on a hub: hiredis's async API through
 * its libev adapter, with what that adapter lacks: command timeouts (the
 * hub's own timer), reconnection with backoff, and Lua scripts sent again
 * on each new connection (a restarted Redis has forgotten them).
 *
 * Flow: frontier_redis (on the hub) -> gf_redis -> Redis -> replies, in
 * the order sent, to each command's callback on the hub.
 *
 * The hub never waits for Redis: a command goes out when it is given and
 * its reply comes as an event. Only gf_redis_open() (once, before the hub
 * runs) and gf_redis_sync() (at the end, when it no longer runs) block.
 */
#ifndef GF_REDIS_H
#define GF_REDIS_H

#include <stdbool.h>
#include <stddef.h>

struct hub;
struct redisReply;
struct gf_redis;

#define GF_REDIS_SCRIPTS 12           /* Lua scripts a connection keeps */
#define GF_REDIS_TIMEOUT 10.0         /* seconds a reply may take */

/* A command's reply; NULL when there will be none (the connection was
 * lost or timed out). The reply is hiredis's, freed after the call. */
typedef void (*gf_redis_fn)(void *arg, struct redisReply *reply);

/* redis://HOST[:PORT][/DB]: connect and PING, blocking (at the start), so
 * that an unreachable server is said at once. NULL with a message in err. */
struct gf_redis *gf_redis_open(const char *url, char *err, size_t errlen);
/* The async connection, on hub (once, before any command). */
void gf_redis_attach(struct gf_redis *r, struct hub *hub);
void gf_redis_free(struct gf_redis *r);
/* Leave the hub: the async connection goes (commands waiting get their
 * NULL reply); gf_redis_sync() still works. */
void gf_redis_free_async(struct gf_redis *r);

/* Keep a Lua script for gf_redis_eval() (before any command): its
 * number. */
int gf_redis_script(struct gf_redis *r, const char *lua);

/* Call fn(arg) on the hub each time a connection is up (again). */
void gf_redis_on_up(struct gf_redis *r, void (*fn)(void *arg), void *arg);

/* An error reply that a new connection cures (a script not loaded, a
 * server still loading its data): drop this one, within a second, and
 * connect again; commands waiting get their NULL reply. */
void gf_redis_reset(struct gf_redis *r);

/* Is a connection up, to send on? */
bool gf_redis_up(const struct gf_redis *r);

/* EVALSHA of a kept script with no keys and these arguments, the reply to
 * fn(arg). False when it could not be sent (no connection now): fn is
 * not called. */
bool gf_redis_eval(struct gf_redis *r, int script, int argc, const char **argv,
		   const size_t *len, gf_redis_fn fn, void *arg);

/* A plain command, likewise. */
bool gf_redis_command(struct gf_redis *r, int argc, const char **argv,
		      const size_t *len, gf_redis_fn fn, void *arg);

/* A blocking connection of its own, on the database, or NULL with a
 * message in err (redisFree() it). */
struct redisContext *gf_redis_blocking(struct gf_redis *r, char *err, size_t errlen);

/* The same script, blocking, on a connection of its own (at the end of
 * the run, when the hub no longer turns): the reply (freeReplyObject()
 * it), or NULL. */
struct redisReply *gf_redis_sync(struct gf_redis *r, int script, int argc,
				 const char **argv, const size_t *len);

/* "host:port", for messages. */
const char *gf_redis_name(const struct gf_redis *r);

#endif
