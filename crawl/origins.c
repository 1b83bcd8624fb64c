/*
 * origins.c - robots.txt per origin: fetched once as a side fetch (no
 * place in the order, no record), its rules kept, jobs admitted by them.
 *
 * Origins (scheme://host:port) are kept in a hash with their rules, at
 * most CRAWL_MAX_ORIGINS of them: past that the oldest whose rules are
 * known and that no job waits for is forgotten (its robots.txt is fetched
 * again if need be). A job of an origin whose robots.txt is not known yet
 * waits on it.
 */
#include "crawl_impl.h"

#include <stdlib.h>
#include <string.h>

#include "frontier_redis.h"
#include "gf.h"
#include "robots.h"
#include "url.h"

struct waiter {
	void *job;                    /* a job waiting for the rules */
	struct waiter *next;
};

struct origin {
	struct crawl *crawl;          /* owner */
	char *name;                   /* scheme://host:port */
	struct robots *rules;         /* NULL while robots.txt is fetched */
	struct waiter *waiters;       /* jobs waiting for it, in order */
	struct waiter **tail;
	struct origin *chain;         /* the hash bucket's next */
	struct origin *newer;         /* in the order they were made */
};

/* robots.txt in flight for an origin. */
struct side {
	struct crawl *crawl;          /* owner */
	struct gf_record rec;         /* its record (not written) */
	struct gf_body hook;          /* collects the body, up to cap */
	char *body;
	size_t len, cap;
	bool full;                    /* the cap was reached: the transfer was
				       * cut there, and counts as whole */
	struct origin *origin;        /* for whom */
};

/* ------------------------------------------------------------ origins */

/* Forget the jobs waiting for o (they are gone, or o is). */
static void waiters_drop(struct origin *o)
{
	while(o->waiters) {
		struct waiter *w = o->waiters;

		o->waiters = w->next;
		free(w);
	}
	o->tail = &o->waiters;
}

static void origin_free(struct origin *o)
{
	waiters_drop(o);
	robots_free(o->rules);
	free(o->name);
	free(o);
}

static size_t origin_hash(const char *name)
{
	size_t h = 5381;

	for(const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = h * 33 + *p;
	return h;
}

static struct origin *origin_find(struct crawl *c, const char *name)
{
	struct origin *o = c->bucket[origin_hash(name) & (c->nbuckets - 1)];

	while(o && strcmp(o->name, name) != 0)
		o = o->chain;
	return o;
}

static void origin_unlink(struct crawl *c, struct origin *o)
{
	struct origin **pp = &c->bucket[origin_hash(o->name) & (c->nbuckets - 1)];
	struct origin *prev = NULL;

	while(*pp != o)
		pp = &(*pp)->chain;
	*pp = o->chain;
	for(struct origin *p = c->oldest; p != o; p = p->newer)
		prev = p;
	if(prev)
		prev->newer = o->newer;
	else
		c->oldest = o->newer;
	if(c->newest == o)
		c->newest = prev;
	c->norigins--;
}

/* Past the bound: forget the oldest origins that nothing waits for. */
static void origins_prune(struct crawl *c)
{
	struct origin *o = c->oldest;

	while(o && c->norigins > CRAWL_MAX_ORIGINS) {
		struct origin *next = o->newer;

		if(o->rules && !o->waiters) {
			origin_unlink(c, o);
			origin_free(o);
		}
		o = next;
	}
}

static void origins_grow(struct crawl *c)
{
	size_t n = 2 * c->nbuckets;
	struct origin **bucket = calloc(n, sizeof(*bucket));

	if(!bucket)
		return;
	for(struct origin *o = c->oldest; o; o = o->newer) {
		size_t b = origin_hash(o->name) & (n - 1);

		o->chain = bucket[b];
		bucket[b] = o;
	}
	free(c->bucket);
	c->bucket = bucket;
	c->nbuckets = n;
}

/* A new origin (name owned), its rules not known yet. */
static struct origin *origin_add(struct crawl *c, char *name)
{
	struct origin *o = calloc(1, sizeof(*o));
	size_t b;

	if(!o) {
		free(name);
		return NULL;
	}
	if(c->norigins >= c->nbuckets)
		origins_grow(c);
	b = origin_hash(name) & (c->nbuckets - 1);
	o->crawl = c;
	o->name = name;
	o->tail = &o->waiters;
	o->chain = c->bucket[b];
	c->bucket[b] = o;
	if(c->newest)
		c->newest->newer = o;
	else
		c->oldest = o;
	c->newest = o;
	c->norigins++;
	origins_prune(c);
	return o;
}

/* Forget every origin and what waits for it. */
void origins_free(struct crawl *c)
{
	while(c->oldest) {
		struct origin *o = c->oldest;

		c->oldest = o->newer;
		origin_free(o);
	}
	free(c->bucket);
	c->bucket = NULL;
}

/* ------------------------------------------------------------ robots */

static bool side_write_cb(struct gf_body *hook, const char *data, size_t len)
{
	struct side *sd = container_of(hook, struct side, hook);
	size_t room = sd->cap - sd->len;

	if(len >= room) {
		/* Full: what came is what is read (RFC 9309 2.5 asks for 500
		 * KiB at least); the rest, perhaps endless, is not waited for. */
		memcpy(sd->body + sd->len, data, room);
		sd->len += room;
		sd->full = true;
		hook->error = "full";
		return false;
	}
	memcpy(sd->body + sd->len, data, len);
	sd->len += len;
	return true;
}

static bool side_credentials_cb(struct gf_body *hook, const char *origin)
{
	return crawl_credentials(container_of(hook, struct side, hook)->crawl,
				 origin);
}

static struct side *side_new(struct crawl *c, const char *url, size_t cap)
{
	struct side *sd = calloc(1, sizeof(*sd));

	if(!sd)
		return NULL;
	sd->crawl = c;
	sd->cap = cap;
	sd->body = malloc(cap ? cap : 1);
	sd->rec.url = strdup(url);
	sd->hook.write = side_write_cb;
	sd->hook.credentials = side_credentials_cb;
	if(!sd->body || !sd->rec.url) {
		free(sd->body);
		record_release(&sd->rec);
		free(sd);
		return NULL;
	}
	return sd;
}

static void side_free(struct side *sd)
{
	record_release(&sd->rec);
	free(sd->body);
	free(sd);
}

/* What a fetch of robots.txt says (as a shared frontier keeps it): 'P',
 * parse what came (2xx, or cut at the cap); 'A', all allowed (4xx);
 * 'D', nothing allowed (5xx, no answer: RFC 9309 2.3.1.4). */
static char verdict_of(const struct gf_record *rec, bool full)
{
	long status = rec->status;

	if(status >= 200 && status < 300 && (!rec->error || full))
		return 'P';
	return status >= 400 && status < 500 ? 'A' : 'D';
}

static struct robots *rules_of(struct crawl *c, char verdict, const char *text,
			       size_t len)
{
	struct robots *rules = verdict == 'P' ? robots_parse(text, len, c->agent) :
			       robots_all(verdict == 'A');

	return rules ? rules : robots_all(true);
}

/* o's rules are known: its Crawl-delay (for every worker too, unless
 * they know it: shared), and the jobs waiting go on. */
static void rules_known(struct crawl *c, struct origin *o, struct robots *rules,
			bool shared)
{
	double delay = robots_crawl_delay(rules);
	struct waiter *w;

	o->rules = rules;
	if(delay > 0 && c->cfg->delay <= 0) {
		char *h = url_origin_host(o->name);

		if(h)
			c->ops.host_delay(c->ops.ctx, h, delay);
		if(h && c->cfg->frontier && !shared)
			frontier_redis_gap(c->frontier, h, delay);
		free(h);
	}
	while((w = o->waiters)) {
		o->waiters = w->next;
		if(!o->waiters)
			o->tail = &o->waiters;
		c->ops.resume(c->ops.ctx, w->job);
		free(w);
	}
}

/* robots.txt is in: the rules (for every worker with --frontier). */
static void robots_done_cb(void *arg, double retry)
{
	struct side *sd = arg;
	struct crawl *c = sd->crawl;
	char verdict = verdict_of(&sd->rec, sd->full);

	(void)retry;                  /* side_cfg has no retries */
	/* Cut short by the end of the run, it says nothing for the others:
	 * the claim goes, and another worker fetches it. */
	if(c->cfg->frontier)
		frontier_redis_robots_put(c->frontier, sd->origin->name,
					  sd->rec.exitcode == GF_EXIT_ABORTED ? 0 : verdict,
					  verdict == 'P' ? sd->body : "",
					  verdict == 'P' ? sd->len : 0);
	rules_known(c, sd->origin, rules_of(c, verdict, sd->body, sd->len), false);
	side_free(sd);
}

/* Fetch o's robots.txt aside. */
static void robots_fetch(struct crawl *c, struct origin *o)
{
	char *url = gf_aprintf("%s/robots.txt", o->name);
	struct side *sd = url ? side_new(c, url, ROBOTS_MAX_SIZE) : NULL;

	free(url);
	if(!sd) {
		if(c->cfg->frontier)
			frontier_redis_robots_put(c->frontier, o->name, 0, "", 0);
		rules_known(c, o, robots_all(true), true);
		return;
	}
	sd->origin = o;
	c->ops.side_fetch(c->ops.ctx, &c->side_cfg, &sd->rec, &sd->hook,
			  robots_done_cb, sd);
}

/* What Redis says of o's robots.txt (--frontier). */
static void robots_shared_cb(void *arg, int what, const char *verdict, size_t len)
{
	struct origin *o = arg;
	struct crawl *c = o->crawl;

	if(what == FR_ROBOTS_KNOWN) {
		rules_known(c, o, rules_of(c, verdict[0], verdict + 1, len - 1), true);
	} else if(what == FR_ROBOTS_FETCH) {
		robots_fetch(c, o);
	} else {
		/* The run is ending: its jobs are gone already. */
		waiters_drop(o);
		o->rules = robots_all(false);
	}
}

/* The rules of url's origin, or NULL while they are being fetched (then
 * job waits: *o is set for it). */
static struct robots *robots_for(struct crawl *c, const char *url,
				 struct origin **op)
{
	char *name = url_origin(url);
	struct origin *o;

	*op = NULL;
	if(!name)
		return NULL;
	if((o = origin_find(c, name))) {
		free(name);
		*op = o;
		return o->rules;
	}
	if(!(*op = o = origin_add(c, name)))
		return NULL;
	if(c->cfg->frontier)
		frontier_redis_robots(c->frontier, o->name, robots_shared_cb, o);
	else
		robots_fetch(c, o);
	return o->rules;              /* known at once when it failed at once */
}

/* Copy the sitemaps that rules name into p, for p's release. */
void crawl_take_sitemaps(struct crawl_page *p, const struct robots *rules)
{
	size_t n = robots_sitemaps(rules);

	p->found = n ? calloc(n, sizeof(*p->found)) : NULL;
	for(size_t i = 0; p->found && i < n; i++)
		if((p->found[p->nfound] = strdup(robots_sitemap(rules, i))))
			p->nfound++;
	if(n && p->nfound < n)
		gf_oom();
}

enum crawl_robots crawl_admit(struct crawl *c, struct crawl_page *p, void *job)
{
	const struct crawl_item *item = p->item;
	struct origin *o;
	struct robots *rules;
	struct waiter *w;

	if(item->kind == FRONTIER_SITEMAP)
		return CRAWL_GO;
	if(!c->cfg->robots)   /* a robots.txt read for its sitemaps: fetch it */
		return CRAWL_GO;
	rules = robots_for(c, item->url, &o);
	if(!o)
		return item->kind == FRONTIER_ROBOTS ? CRAWL_DONE : CRAWL_GO;
	if(rules && item->kind == FRONTIER_ROBOTS) {
		crawl_take_sitemaps(p, rules);
		return CRAWL_DONE;
	}
	if(rules) {
		char *path = url_path_query(item->url);
		bool ok = !path || robots_allowed(rules, path);

		free(path);
		return ok ? CRAWL_GO : CRAWL_DENY;
	}
	if(!(w = malloc(sizeof(*w))))
		return CRAWL_GO;
	w->job = job;
	w->next = NULL;
	*o->tail = w;
	o->tail = &w->next;
	return CRAWL_WAIT;
}
