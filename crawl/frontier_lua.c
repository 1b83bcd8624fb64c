/*
 * frontier_lua.c - the shared frontier's Lua scripts, and the items its
 * queues keep (see frontier_redis.c): each step that must hold for all
 * workers at once is one script, so Redis runs it whole, and its clock is
 * the server's.
 *
 * Keys, under P = "gf:{CRAWL-ID}:" (one hash slot, for a Redis Cluster):
 *   q:HOST     LIST    the host's queued items ("KIND\tDEPTH\t...\tURL")
 *   hosts      ZSET    hosts with items queued and a slot free, by the
 *                      time (ms) they are ready (--delay, Crawl-delay); a
 *                      host at its --per-host limit leaves it until one
 *                      of its leases ends
 *   ready      HASH    host -> the time its next request may start
 *   gap        HASH    host -> its Crawl-delay (ms), when it has one
 *   busy       HASH    host -> its items leased (in flight, all workers)
 *   lease      HASH    token -> "HOST\tITEM"
 *   leases     ZSET    tokens by the time they expire
 *   token      STRING  the last token given
 *   seen:XXXX  HASH    fingerprints seen (the rest of their 16 hex digits)
 *                      in 65,536 buckets: a small hash is a listpack in
 *                      Redis, about 16 bytes an entry
 *   slow       HASH    host -> "LIMIT SLOW TOKEN AT GOOD": it answered 429
 *                      or 503, so it is slowed for all workers (as the
 *                      gate slows a host in one process: pool/gate.h) to
 *                      LIMIT in flight, SLOW ms more between starts,
 *                      since the lease TOKEN was given at AT (ms); GOOD
 *                      successes since then
 *   robots:ORIGIN      STRING  what its robots.txt said (see frontier_redis.h),
 *                      for a day (five minutes when it could not be read)
 *   robotsfetch:ORIGIN STRING  a worker fetches it now (for a minute)
 *   pages      STRING  pages queued (--max-pages)
 *   records    STREAM  every page's record, as JSON ("r")
 *   started    STRING  set once the seeds are in
 */
#include "frontier_redis.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "fpset.h"
#include "gf.h"

/* The clock, and an item back to its queue (a lease that expired or was
 * handed back). */
#define PRELUDE \
	"local P = ARGV[1]\n" \
	"local t = redis.call('TIME')\n" \
	"local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)\n" \
	"local function ready_again(host)\n" \
	"  local r = tonumber(redis.call('HGET', P .. 'ready', host) or 0)\n" \
	"  if r < now then r = now end\n" \
	"  redis.call('ZADD', P .. 'hosts', 'NX', r, host)\n" \
	"end\n" \
	"local function enqueue(host, item, front)\n" \
	"  redis.call(front and 'LPUSH' or 'RPUSH', P .. 'q:' .. host, item)\n" \
	"  ready_again(host)\n" \
	"end\n" \
	"local function requeue(tok)\n" \
	"  local l = redis.call('HGET', P .. 'lease', tok)\n" \
	"  redis.call('ZREM', P .. 'leases', tok)\n" \
	"  if not l then return end\n" \
	"  redis.call('HDEL', P .. 'lease', tok)\n" \
	"  local tab = string.find(l, '\\t', 1, true)\n" \
	"  local host = string.sub(l, 1, tab - 1)\n" \
	"  redis.call('HINCRBY', P .. 'busy', host, -1)\n" \
	"  enqueue(host, string.sub(l, tab + 1), true)\n" \
	"end\n" \
	"local function slowed(host)\n" \
	"  local s = redis.call('HGET', P .. 'slow', host)\n" \
	"  if not s then return nil end\n" \
	"  local f = {}\n" \
	"  for v in string.gmatch(s, '%d+') do f[#f + 1] = tonumber(v) end\n" \
	"  return f\n" \
	"end\n" \
	"local function set_slowed(host, f)\n" \
	"  redis.call('HSET', P .. 'slow', host, table.concat(f, ' '))\n" \
	"end\n"

/* take(max, per, delay, ttl): items at most, per host (0 = no limit),
 * delay (ms), lease (ms). Expired leases go back first. A slowed host has
 * fewer in flight and more time between starts. It gives: hosts queued,
 * leases out, ms until the next host is ready (-1: none queued), then
 * token, host, item of each item taken. */
#define TAKE \
	"local function take(max, per, delay, ttl)\n" \
	"  for _, tok in ipairs(redis.call('ZRANGEBYSCORE', P .. 'leases', '-inf', now, " \
	"'LIMIT', 0, 1000)) do requeue(tok) end\n" \
	"  local out, n = {}, 0\n" \
	"  local hosts = redis.call('ZRANGEBYSCORE', P .. 'hosts', '-inf', now, 'LIMIT', 0, 4 * max)\n" \
	"  for _, host in ipairs(hosts) do\n" \
	"    local gap = tonumber(redis.call('HGET', P .. 'gap', host) or 0)\n" \
	"    if delay > gap then gap = delay end\n" \
	"    local hper, f = per, slowed(host)\n" \
	"    if f then\n" \
	"      if hper == 0 or f[1] < hper then hper = f[1] end\n" \
	"      gap = gap + f[2]\n" \
	"    end\n" \
	"    while n < max do\n" \
	"      local busy = tonumber(redis.call('HGET', P .. 'busy', host) or 0)\n" \
	"      if hper > 0 and busy >= hper then\n" \
	"        redis.call('ZREM', P .. 'hosts', host)\n" \
	"        break\n" \
	"      end\n" \
	"      local q = P .. 'q:' .. host\n" \
	"      local item = redis.call('LPOP', q)\n" \
	"      if not item then redis.call('ZREM', P .. 'hosts', host) break end\n" \
	"      local tok = tostring(redis.call('INCR', P .. 'token'))\n" \
	"      redis.call('HSET', P .. 'lease', tok, host .. '\\t' .. item)\n" \
	"      redis.call('ZADD', P .. 'leases', now + ttl, tok)\n" \
	"      redis.call('HINCRBY', P .. 'busy', host, 1)\n" \
	"      out[#out + 1] = tok out[#out + 1] = host out[#out + 1] = item\n" \
	"      n = n + 1\n" \
	"      local empty = redis.call('LLEN', q) == 0\n" \
	"      if empty then redis.call('ZREM', P .. 'hosts', host) end\n" \
	"      if gap > 0 then\n" \
	"        redis.call('HSET', P .. 'ready', host, now + gap)\n" \
	"        if not empty then redis.call('ZADD', P .. 'hosts', now + gap, host) end\n" \
	"        break\n" \
	"      end\n" \
	"      if empty then break end\n" \
	"    end\n" \
	"    if n >= max then break end\n" \
	"  end\n" \
	"  local wait = -1\n" \
	"  local first = redis.call('ZRANGE', P .. 'hosts', 0, 0, 'WITHSCORES')\n" \
	"  if first[2] then wait = tonumber(first[2]) - now if wait < 0 then wait = 0 end end\n" \
	"  local head = { redis.call('ZCARD', P .. 'hosts'), redis.call('ZCARD', P .. 'leases'), wait }\n" \
	"  for _, v in ipairs(out) do head[#head + 1] = v end\n" \
	"  return head\n" \
	"end\n"

/* ARGV: P, "TOKEN ITEM" of the lease ("" = none: the seeds), record ("" =
 * none), max pages (0 = no limit), the per-host limit when the page
 * succeeded ("" when not: a slowed host recovers by its successes),
 * "MAX PER DELAY TTL" to take() more at once ("" = not), then per link:
 * fingerprint, host ("" = only mark it seen), item, "1" for a page. -1
 * when the lease is not ours any more (it expired and went to another
 * worker: fenced; or the token is another item's, given again by a Redis
 * that lost its last second); else the links that were new, or with a
 * take, { new links, then what take() gives }. */
static const char lua_commit[] = PRELUDE TAKE
	"local record, maxp, ok = ARGV[3], tonumber(ARGV[4]), ARGV[5]\n"
	"local tok, item = string.match(ARGV[2], '^(%d+) (.*)$')\n"
	"local lease\n"
	"if tok then\n"
	"  lease = redis.call('HGET', P .. 'lease', tok)\n"
	"  if not lease or string.sub(lease, -#item - 1) ~= '\\t' .. item then return -1 end\n"
	"end\n"
	"local added = 0\n"
	"for i = 7, #ARGV - 3, 4 do\n"
	"  local fp, host, item, page = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]\n"
	"  local bucket = P .. 'seen:' .. string.sub(fp, 1, 4)\n"
	"  if redis.call('HSETNX', bucket, string.sub(fp, 5), '') == 1 and host ~= '' then\n"
	"    if page ~= '1' or maxp == 0 or redis.call('INCR', P .. 'pages') <= maxp then\n"
	"      enqueue(host, item, false)\n"
	"      added = added + 1\n"
	"    end\n"
	"  end\n"
	"end\n"
	"if record ~= '' then redis.call('XADD', P .. 'records', '*', 'r', record) end\n"
	"if lease then\n"
	"  redis.call('HDEL', P .. 'lease', tok)\n"
	"  redis.call('ZREM', P .. 'leases', tok)\n"
	"  local host = string.sub(lease, 1, string.find(lease, '\\t', 1, true) - 1)\n"
	"  redis.call('HINCRBY', P .. 'busy', host, -1)\n"
	"  if redis.call('LLEN', P .. 'q:' .. host) > 0 then ready_again(host) end\n"
	"  local f = ok ~= '' and slowed(host)\n"
	"  if f then\n"
	"    local per = tonumber(ok)\n"
	"    f[2] = math.floor(f[2] * 0.95)\n"
	"    if f[2] < 5 then f[2] = 0 end\n"
	"    f[5] = f[5] + 1\n"
	"    if f[5] >= f[1] then f[5] = 0 f[1] = f[1] + 1 end\n"
	"    if f[5] == 0 and f[2] == 0 and (per == 0 or f[1] >= per) then\n"
	"      redis.call('HDEL', P .. 'slow', host)\n"
	"    else set_slowed(host, f) end\n"
	"  end\n"
	"end\n"
	"redis.call('SET', P .. 'started', '1')\n"
	"local max, per, delay, ttl = string.match(ARGV[6], '^(%d+) (%d+) (%d+) (%d+)$')\n"
	"if not max then return added end\n"
	"local head = take(tonumber(max), tonumber(per), tonumber(delay), tonumber(ttl))\n"
	"table.insert(head, 1, added)\n"
	"return head\n";

/* ARGV: P, then take()'s. */
static const char lua_take[] = PRELUDE TAKE
	"return take(tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), "
	"tonumber(ARGV[5]))\n";

/* ARGV: P, lease (ms), tokens: those still ours get more time. */
static const char lua_renew[] = PRELUDE
	"local ttl = tonumber(ARGV[2])\n"
	"for i = 3, #ARGV do\n"
	"  if redis.call('HEXISTS', P .. 'lease', ARGV[i]) == 1 then\n"
	"    redis.call('ZADD', P .. 'leases', 'XX', now + ttl, ARGV[i])\n"
	"  end\n"
	"end\n"
	"return 0\n";

/* ARGV: P, tokens: handed back (SIGINT), to the front of their queues. */
static const char lua_back[] = PRELUDE
	"for i = 2, #ARGV do requeue(ARGV[i]) end\n"
	"return 0\n";

/* ARGV: P, host, Crawl-delay (ms): kept for every worker. */
static const char lua_gap[] = PRELUDE
	"redis.call('HSET', P .. 'gap', ARGV[2], ARGV[3])\n"
	"return 0\n";

/* ARGV: P, host, the lease token of the page it answered 429 or 503
 * to, Retry-After (ms, 0 = none): the host is slowed for every worker,
 * as pool/gate.h's gate_throttle() slows it for one: half the slots it
 * has in flight (one at least), twice the added time between starts
 * (from 50 ms to 30 s), once a second at most and not for a page leased
 * before the last time (a burst is one signal); either way its next
 * start is held back Retry-After or that time. The reply: its limit. */
static const char lua_slow[] = PRELUDE
	"local host, tok, retry = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])\n"
	"local f = slowed(host) or { 0, 0, 0, 0, 0 }\n"
	"if f[1] == 0 or (tok > f[3] and now >= f[4] + 1000) then\n"
	"  local busy = tonumber(redis.call('HGET', P .. 'busy', host) or 0)\n"
	"  local limit = math.floor((f[1] > 0 and f[1] or busy) / 2)\n"
	"  f[1] = limit > 0 and limit or 1\n"
	"  f[2] = f[2] > 0 and f[2] * 2 or 50\n"
	"  if f[2] > 30000 then f[2] = 30000 end\n"
	"  f[3] = tonumber(redis.call('GET', P .. 'token') or 0)\n"
	"  f[4] = now f[5] = 0\n"
	"end\n"
	"set_slowed(host, f)\n"
	"local hold = now + (retry > 0 and retry or f[2])\n"
	"if tonumber(redis.call('HGET', P .. 'ready', host) or 0) < hold then\n"
	"  redis.call('HSET', P .. 'ready', host, hold)\n"
	"  redis.call('ZADD', P .. 'hosts', 'XX', 'GT', hold, host)\n"
	"end\n"
	"return f[1]\n";

/* ARGV: P, origin, a claim's time (ms). The reply: what the origin's
 * robots.txt said, when a worker has read it; "" when this worker is to
 * fetch it (no other is); nil while another fetches it. */
static const char lua_robots[] =
	"local P, o = ARGV[1], ARGV[2]\n"
	"local v = redis.call('GET', P .. 'robots:' .. o)\n"
	"if v then return v end\n"
	"if redis.call('SET', P .. 'robotsfetch:' .. o, '1', 'NX', 'PX', ARGV[3]) then\n"
	"  return ''\n"
	"end\n"
	"return false\n";

/* ARGV: P, origin, what its robots.txt said ("": nothing, the fetch
 * was given up), for how long (ms). The claim goes. */
static const char lua_robots_put[] =
	"local P, o = ARGV[1], ARGV[2]\n"
	"if ARGV[3] ~= '' then\n"
	"  redis.call('SET', P .. 'robots:' .. o, ARGV[3], 'PX', ARGV[4])\n"
	"end\n"
	"redis.call('DEL', P .. 'robotsfetch:' .. o)\n"
	"return 0\n";

const char *const frontier_lua[FR_SCRIPTS] = {
	[FR_COMMIT] = lua_commit, [FR_TAKE] = lua_take, [FR_RENEW] = lua_renew,
	[FR_BACK] = lua_back, [FR_GAP] = lua_gap, [FR_SLOW] = lua_slow,
	[FR_ROBOTS] = lua_robots, [FR_ROBOTS_PUT] = lua_robots_put,
};

/* ARGV: P. The reply: started (0/1), hosts queued, leases out. */
const char frontier_lua_status[] = PRELUDE
	"return { redis.call('EXISTS', P .. 'started'), redis.call('ZCARD', P .. 'hosts'), "
	"redis.call('ZCARD', P .. 'leases') }\n";

/* ------------------------------------------------------ the items */

char *frontier_item_encode(const struct crawl_item *it)
{
	return gf_aprintf("%d\t%d\t%ld\t%d\t%u\t%u\t%s\t%s", it->kind, it->depth,
			  it->seed, it->level, it->list, it->pos,
			  it->parent ? it->parent : "", it->url);
}

bool frontier_item_decode(const char *s, size_t n, struct crawl_item *it)
{
	char *copy = strndup(s, n), *f[8], *p = copy;
	int k = 0;

	if(!copy)
		return false;
	for(; k < 7 && p; k++) {
		f[k] = p;
		if((p = strchr(p, '\t')))
			*p++ = '\0';
	}
	if(k < 7 || !p) {
		free(copy);
		return false;
	}
	f[7] = p;
	*it = (struct crawl_item){ .kind = atoi(f[0]), .depth = atoi(f[1]),
		.seed = atol(f[2]), .level = atoi(f[3]),
		.list = (unsigned)strtoul(f[4], NULL, 10),
		.pos = (unsigned)strtoul(f[5], NULL, 10),
		.parent = f[6][0] ? strdup(f[6]) : NULL, .url = strdup(f[7]) };
	free(copy);
	return it->url != NULL;
}

/* ------------------------------------------------------- the name */

uint64_t frontier_redis_seed(uint64_t hash, const char *url)
{
	return fp_str(url, hash ^ 0x67667265);
}

char *frontier_redis_prefix(const struct gf_config *cfg, uint64_t seeds)
{
	if(cfg->crawl_id)
		return gf_aprintf("gf:{%s}:", cfg->crawl_id);
	return gf_aprintf("gf:{%016" PRIx64 "}:", seeds);
}
