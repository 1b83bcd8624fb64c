/*
 * crawl.c - seeds, robots.txt per origin, what jobs find into the frontier.
 *
 * Origins (scheme://host:port) are kept in a hash with their rules, at
 * most CRAWL_MAX_ORIGINS of them: past that the oldest whose rules are
 * known and that no job waits for is forgotten (its robots.txt is fetched
 * again if need be). A job of an origin whose robots.txt is not known yet
 * waits on it. robots.txt is a side fetch: it takes no place in the order
 * and writes no record.
 */
#include "crawl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gf.h"
#include "robots.h"
#include "scope.h"
#include "strset.h"
#include "url.h"

#define SITEMAP_DEPTH 2               /* levels of sitemap indexes followed */
#define CRAWL_SIDE_TIME 30.0          /* seconds a robots.txt may take */
#define CRAWL_MAX_ORIGINS 10000       /* robots.txt rules kept at most */

struct waiter {
	void *job;                    /* a job waiting for the rules */
	struct waiter *next;
};

struct origin {
	char *name;                   /* scheme://host:port */
	struct robots *rules;         /* NULL while robots.txt is fetched */
	struct waiter *waiters;       /* jobs waiting for it, in order */
	struct waiter **tail;
	struct origin *chain;         /* the hash bucket's next */
	struct origin *newer;         /* in the order they were made */
};

/* Sitemaps walked one at a time: those an index names, or a robots.txt.
 * The next is queued when the one before it is released, so the pages of
 * each enter the queue before the next sitemap does: sitemaps and pages
 * take turns, however many sitemaps there are (an index of 50,000 is not
 * read to its end before the first page), and the order is still the
 * order of releases. */
struct sitemap_list {
	unsigned id;                  /* queue entries name it so */
	char **url;                   /* the sitemaps, in order */
	size_t n;
	char *parent;                 /* who named them */
	long seed;
	int level;                    /* their depth in indexes */
	struct sitemap_list *chain;   /* the hash bucket's next */
};

#define LIST_BUCKETS 256

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

struct crawl {
	const struct gf_config *cfg;  /* options */
	struct gf_config side_cfg;    /* options of robots.txt fetches */
	struct crawl_ops ops;         /* the run */
	struct frontier *frontier;    /* what comes next */
	struct scope *scope;          /* what may come */
	struct origin **bucket;       /* robots.txt by origin */
	size_t nbuckets;              /* a power of two */
	size_t norigins;
	struct origin *oldest, *newest; /* the origins, for forgetting */
	char *agent;                  /* our product token */
	long nseeds;                  /* seeds anchored */
	struct strset seed_origins;   /* where credentials may go */
	struct sitemap_list *list[LIST_BUCKETS]; /* being walked, by id */
	unsigned next_list;           /* the next list's id (0 = none) */
	char **sitemap_origins;       /* seed origins, in order (--sitemap) */
	long *sitemap_seeds;          /* the seed of each */
	size_t nsitemap_origins;
	bool seeds_done;              /* all seeds are in */
};

/* ------------------------------------------------------------ set up */

struct crawl *crawl_new(const struct gf_config *cfg,
			const struct crawl_ops *ops, char *err, size_t errlen)
{
	struct crawl *c = calloc(1, sizeof(*c));

	if(!c)
		return NULL;
	c->cfg = cfg;
	c->ops = *ops;
	c->side_cfg = *cfg;
	c->side_cfg.max_redirs = 5;   /* RFC 9309: at least five hops */
	c->side_cfg.head = false;
	c->side_cfg.method = NULL;
	c->side_cfg.max_filesize = 0; /* capped in the body hook */
	c->side_cfg.keep_headers = false;
	c->side_cfg.retries = 0;
	/* A robots.txt that trickles must not hold the crawl. */
	if(c->side_cfg.max_time <= 0 || c->side_cfg.max_time > CRAWL_SIDE_TIME)
		c->side_cfg.max_time = CRAWL_SIDE_TIME;
	if(!strset_init(&c->seed_origins, 16)) {
		free(c);
		return NULL;
	}
	c->nbuckets = 64;
	c->bucket = calloc(c->nbuckets, sizeof(*c->bucket));
	c->frontier = frontier_memory_new(cfg->depth, cfg->max_pages, cfg->buffer_size);
	c->scope = scope_new((enum scope_mode)cfg->scope, cfg->include,
			     cfg->ninclude, cfg->exclude, cfg->nexclude, err, errlen);
	c->agent = robots_token(cfg->user_agent ? cfg->user_agent : "greenfetch");
	if(!c->bucket || !c->frontier || !c->scope || !c->agent) {
		crawl_free(c);
		return NULL;
	}
	return c;
}

static void origin_free(struct origin *o)
{
	while(o->waiters) {
		struct waiter *w = o->waiters;

		o->waiters = w->next;
		free(w);
	}
	robots_free(o->rules);
	free(o->name);
	free(o);
}

static void list_free(struct sitemap_list *l)
{
	for(size_t i = 0; i < l->n; i++)
		free(l->url[i]);
	free(l->url);
	free(l->parent);
	free(l);
}

void crawl_free(struct crawl *c)
{
	if(!c)
		return;
	for(size_t b = 0; b < LIST_BUCKETS; b++) {
		while(c->list[b]) {
			struct sitemap_list *l = c->list[b];

			c->list[b] = l->chain;
			list_free(l);
		}
	}
	while(c->oldest) {
		struct origin *o = c->oldest;

		c->oldest = o->newer;
		origin_free(o);
	}
	for(size_t i = 0; i < c->nsitemap_origins; i++)
		free(c->sitemap_origins[i]);
	free(c->sitemap_origins);
	free(c->sitemap_seeds);
	free(c->bucket);
	frontier_free(c->frontier);
	scope_free(c->scope);
	strset_release(&c->seed_origins);
	free(c->agent);
	free(c);
}

/* --sitemap: the seed's origin, once, for its robots.txt after the seeds. */
static void crawl_sitemap_origin(struct crawl *c, const char *origin, long seed)
{
	char **more;
	long *seeds;

	for(size_t i = 0; i < c->nsitemap_origins; i++)
		if(strcmp(c->sitemap_origins[i], origin) == 0)
			return;
	more = realloc(c->sitemap_origins, (c->nsitemap_origins + 1) * sizeof(*more));
	if(more)
		c->sitemap_origins = more;
	seeds = more ? realloc(c->sitemap_seeds,
			       (c->nsitemap_origins + 1) * sizeof(*seeds)) : NULL;
	if(seeds)
		c->sitemap_seeds = seeds;
	if(!more || !seeds || !(more[c->nsitemap_origins] = strdup(origin))) {
		gf_oom();
		return;
	}
	seeds[c->nsitemap_origins++] = seed;
}

bool crawl_seed(struct crawl *c, const char *line)
{
	char *url = url_normal(NULL, line);
	long seed;

	if(!url)
		return false;
	seed = scope_add_seed(c->scope, url);
	if(seed >= 0) {
		char *origin = url_origin(url);

		if(!origin || strset_add(&c->seed_origins, origin) < 0)
			gf_oom();
		if(origin && c->cfg->sitemap)
			crawl_sitemap_origin(c, origin, seed);
		free(origin);
		c->nseeds++;
		frontier_push(c->frontier, url, NULL, 0, seed, NULL);
	}
	free(url);
	return seed >= 0;
}

void crawl_seeds_done(struct crawl *c)
{
	c->seeds_done = true;
	/* The seeds' robots.txt, each to be read for the sitemaps it names
	 * once its turn comes, after the seeds themselves. */
	for(size_t i = 0; i < c->nsitemap_origins; i++) {
		char *robots = gf_aprintf("%s/robots.txt", c->sitemap_origins[i]);

		if(!robots) {
			gf_oom();
			continue;
		}
		frontier_push_work(c->frontier, FRONTIER_ROBOTS, robots, NULL,
				   c->sitemap_seeds[i], 0, 0, 0);
		free(robots);
	}
}

bool crawl_next(struct crawl *c, struct crawl_item *item)
{
	return c->seeds_done && frontier_pop(c->frontier, item) == GF_OK;
}

size_t crawl_queued(const struct crawl *c)
{
	return frontier_size(c->frontier);
}

bool crawl_item_shown(const struct crawl_item *item)
{
	return item->kind == FRONTIER_PAGE;
}

/* Credentials (-H auth headers, -b cookies) were given for the seeds:
 * they go to the seeds' origins only, not to every origin in scope. */
static bool crawl_credentials(const struct crawl *c, const char *origin)
{
	return strset_has(&c->seed_origins, origin);
}

/* ------------------------------------------------------------ origins */

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

/* The rules from a fetch of robots.txt: parsed when it came (2xx, or cut
 * at the cap), all allowed for a 4xx, nothing allowed otherwise (5xx, no
 * answer: RFC 9309 2.3.1.4). */
static struct robots *rules_of(struct crawl *c, const struct gf_record *rec,
			       bool full, const char *text, size_t len)
{
	long status = rec->status;

	if(status >= 200 && status < 300 && (!rec->error || full))
		return robots_parse(text, len, c->agent);
	return robots_all(status >= 400 && status < 500);
}

/* robots.txt is in: the rules, the Crawl-delay, the waiting jobs. */
static void robots_done_cb(void *arg, double retry)
{
	struct side *sd = arg;
	struct crawl *c = sd->crawl;
	struct origin *o = sd->origin;
	struct waiter *w;

	(void)retry;                  /* side_cfg has no retries */
	o->rules = rules_of(c, &sd->rec, sd->full, sd->body, sd->len);
	if(!o->rules)
		o->rules = robots_all(true);
	if(robots_crawl_delay(o->rules) > 0 && c->cfg->delay <= 0) {
		char *h = url_origin_host(o->name);

		if(h)
			c->ops.host_delay(c->ops.ctx, h, robots_crawl_delay(o->rules));
		free(h);
	}
	side_free(sd);
	while((w = o->waiters)) {
		o->waiters = w->next;
		if(!o->waiters)
			o->tail = &o->waiters;
		c->ops.resume(c->ops.ctx, w->job);
		free(w);
	}
}

/* The rules of url's origin, or NULL while they are being fetched (then
 * job waits: *o is set for it). */
static struct robots *robots_for(struct crawl *c, const char *url,
				 struct origin **op)
{
	char *name = url_origin(url);
	struct origin *o;
	struct side *sd;
	char *robots_url;

	*op = NULL;
	if(!name)
		return NULL;
	if((o = origin_find(c, name))) {
		free(name);
		*op = o;
		return o->rules;
	}
	robots_url = gf_aprintf("%s/robots.txt", name);
	o = origin_add(c, name);
	sd = o && robots_url ? side_new(c, robots_url, ROBOTS_MAX_SIZE) : NULL;
	free(robots_url);
	*op = o;
	if(!o)
		return NULL;
	if(!sd) {
		o->rules = robots_all(true);
		return o->rules;
	}
	sd->origin = o;
	c->ops.side_fetch(c->ops.ctx, &c->side_cfg, &sd->rec, &sd->hook,
			  robots_done_cb, sd);
	return o->rules;              /* known at once when it failed at once */
}

/* Copy the sitemaps that rules name into p, for p's release. */
static void page_take_sitemaps(struct crawl_page *p, const struct robots *rules)
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
		page_take_sitemaps(p, rules);
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

/* -------------------------------------------------------------- pages */

static bool is_html(const char *ctype)
{
	size_t n;

	if(!ctype)
		return false;
	n = strcspn(ctype, "; \t");
	return (n == 9 && !strncasecmp(ctype, "text/html", 9)) ||
	       (n == 21 && !strncasecmp(ctype, "application/xhtml+xml", 21));
}

/* What a job finds in its body: a page's links, a sitemap's locations,
 * or the text of a robots.txt. False stops the transfer. */
static bool page_find(struct crawl_page *p, struct gf_body *hook,
		      const char *data, size_t len)
{
	if(p->item->kind == FRONTIER_SITEMAP) {
		if(!p->sitemap && !(p->sitemap = sitemap_new()))
			gf_oom();
		if(p->sitemap && !sitemap_feed(p->sitemap, data, len)) {
			hook->error = "sitemap read as far as it goes";
			return false;
		}
		return true;
	}
	if(p->item->kind == FRONTIER_ROBOTS) {
		size_t room = ROBOTS_MAX_SIZE - p->text_len;

		if(!p->text && !(p->text = malloc(ROBOTS_MAX_SIZE))) {
			gf_oom();
			return false;
		}
		memcpy(p->text + p->text_len, data, len < room ? len : room);
		p->text_len += len < room ? len : room;
		if(len >= room)
			hook->error = "robots.txt read as far as it goes";
		return len < room;
	}
	if(p->html == 0) {
		p->html = is_html(hook->content_type) ? 1 : -1;
		if(p->html > 0 && !(p->links = links_new(p->crawl->cfg->assets)))
			gf_oom();
		if(p->links)
			links_content_type(p->links, hook->content_type);
	}
	if(p->links)
		links_feed(p->links, data, len);
	return true;
}

static bool page_write_cb(struct gf_body *hook, const char *data, size_t len)
{
	struct crawl_page *p = container_of(hook, struct crawl_page, hook);

	if(!page_find(p, hook, data, len))
		return false;
	if(p->inner) {
		p->inner->content_type = hook->content_type;
		if(!p->inner->write(p->inner, data, len)) {
			hook->error = p->inner->error;
			return false;
		}
	}
	return true;
}

static void page_forget(struct crawl_page *p)
{
	links_free(p->links);
	p->links = NULL;
	p->html = 0;
	sitemap_free(p->sitemap);
	p->sitemap = NULL;
	free(p->text);
	p->text = NULL;
	p->text_len = 0;
}

static bool page_reset_cb(struct gf_body *hook)
{
	struct crawl_page *p = container_of(hook, struct crawl_page, hook);

	if(p->inner && p->inner->reset && !p->inner->reset(p->inner))
		return false;
	page_forget(p);
	hook->error = NULL;
	return true;
}

/* Redirects are followed within the scope only. */
static bool page_follow_cb(struct gf_body *hook, const char *location)
{
	struct crawl_page *p = container_of(hook, struct crawl_page, hook);
	char *url = url_normal(NULL, location);
	bool ok = url && scope_allows(p->crawl->scope, p->item->seed, url);

	free(url);
	return ok;
}

static bool page_credentials_cb(struct gf_body *hook, const char *origin)
{
	struct crawl_page *p = container_of(hook, struct crawl_page, hook);

	return crawl_credentials(p->crawl, origin);
}

void crawl_page_init(struct crawl *c, struct crawl_page *p,
		     const struct crawl_item *item, struct gf_body *inner)
{
	memset(p, 0, sizeof(*p));
	p->crawl = c;
	p->item = item;
	p->inner = inner;
	p->hook.write = page_write_cb;
	p->hook.reset = page_reset_cb;
	p->hook.follow = page_follow_cb;
	p->hook.credentials = page_credentials_cb;
}

void crawl_page_done(struct crawl_page *p)
{
	if(p->links)
		links_finish(p->links);
	if(p->sitemap)
		sitemap_finish(p->sitemap);
}

void crawl_page_free(struct crawl_page *p)
{
	page_forget(p);
	for(size_t i = 0; i < p->nfound; i++)
		free(p->found[i]);
	free(p->found);
	p->found = NULL;
	p->nfound = 0;
}

/* Is ref a plain relative path ("p1.html", "doc/a-b_2.txt": unreserved
 * characters, no "." or ".." segment)? Resolved on a normal URL, such a
 * link is that URL's directory followed by the link, the very string
 * libcurl makes. */
static bool plain_path(const char *ref)
{
	size_t seg = 0;

	if(!*ref || *ref == '/')
		return false;
	for(const char *s = ref; ; s++) {
		if(*s == '/' || *s == '\0') {
			if((seg == 1 && s[-1] == '.') ||
			   (seg == 2 && s[-1] == '.' && s[-2] == '.'))
				return false;
			if(!*s)
				return true;
			seg = 0;
			continue;
		}
		if(!isalnum((unsigned char)*s) && !strchr("-._~", *s))
			return false;
		seg++;
	}
}

/* The directory of a normal URL: its length up to the last '/' of the
 * path, that '/' included. */
static size_t dir_len(const char *url)
{
	size_t end = strcspn(url, "?");

	while(end > 0 && url[end - 1] != '/')
		end--;
	return end;
}

/* A page's links into the frontier. */
static void release_links(struct crawl *c, struct crawl_page *p,
			  const struct crawl_item *item, const char *page,
			  bool redirected)
{
	char *base = NULL;
	const char *host_at = NULL;   /* the page's host, the frontier's copy */
	size_t n = links_count(p->links), dir;
	char plain[2048];
	struct url *at = NULL;

	if(links_base(p->links))
		base = url_normal(page, links_base(p->links));
	/* The base is parsed once for all links, and each other link once. A
	 * plain link on a page that is its own base (normal, from the
	 * frontier) needs no parse: it resolves to the page's directory and
	 * itself, on the page's host, which came with the page when it was
	 * found the same way. Most lead to pages seen already. */
	dir = !base && !redirected ? dir_len(page) : 0;
	if(dir >= sizeof(plain))
		dir = 0;
	if(dir)
		host_at = item->host;
	memcpy(plain, page, dir);
	for(size_t i = 0; i < n; i++) {
		const char *ref = links_get(p->links, i);
		size_t len = strlen(ref);
		bool is_plain = dir && dir + len < sizeof(plain) && plain_path(ref);
		char *host = NULL, *url;

		if(is_plain && !host_at) {
			if((host = url_host_of(page)))
				host_at = frontier_host(c->frontier, host);
			free(host);
			host = NULL;
			if(!host_at)
				is_plain = false;
		}
		if(is_plain) {
			memcpy(plain + dir, ref, len + 1);
			if(!frontier_seen(c->frontier, plain) &&
			   scope_allows_host(c->scope, item->seed, plain, host_at))
				frontier_push(c->frontier, plain, item->url,
					      item->depth + 1, item->seed, host_at);
			continue;
		}
		if(!at && !(at = url_base(base ? base : page)))
			break;
		url = url_normal_at(at, ref, &host);
		if(url && scope_allows_host(c->scope, item->seed, url, host))
			frontier_push(c->frontier, url, item->url, item->depth + 1,
				      item->seed,
				      host ? frontier_host(c->frontier, host) : NULL);
		free(url);
		free(host);
	}
	url_free(at);
	free(base);
}

/* Queue the first sitemap of l from pos on that may be queued (not seen
 * before); none left: l is done. */
static void list_push_next(struct crawl *c, struct sitemap_list *l, size_t pos)
{
	struct sitemap_list **pp;

	for(; pos < l->n; pos++)
		if(frontier_push_work(c->frontier, FRONTIER_SITEMAP, l->url[pos],
				      l->parent, l->seed, l->level, l->id,
				      (unsigned)pos))
			return;
	for(pp = &c->list[l->id % LIST_BUCKETS]; *pp != l; pp = &(*pp)->chain)
		;
	*pp = l->chain;
	list_free(l);
}

static struct sitemap_list *list_find(struct crawl *c, unsigned id)
{
	struct sitemap_list *l = c->list[id % LIST_BUCKETS];

	while(l && l->id != id)
		l = l->chain;
	return l;
}

/* A new list of the sitemaps refs names (resolved on at), in the seed's
 * scope: a sitemap is the site's word about itself, not a way to send us
 * elsewhere. Its first goes in the queue. */
static void list_start(struct crawl *c, const struct crawl_item *item,
		       const char *at, const char *const *refs, size_t n,
		       int level)
{
	struct sitemap_list *l = calloc(1, sizeof(*l));

	if(!l || !(l->url = calloc(n ? n : 1, sizeof(*l->url))) ||
	   !(l->parent = strdup(item->url))) {
		if(l) {
			free(l->url);
			free(l);
		}
		gf_oom();
		return;
	}
	for(size_t i = 0; i < n; i++) {
		char *url = url_normal(at, refs[i]);

		if(url && scope_allows(c->scope, item->seed, url))
			l->url[l->n++] = url;
		else
			free(url);
	}
	l->id = ++c->next_list ? c->next_list : ++c->next_list;
	l->seed = item->seed;
	l->level = level;
	l->chain = c->list[l->id % LIST_BUCKETS];
	c->list[l->id % LIST_BUCKETS] = l;
	list_push_next(c, l, 0);
}

/* A sitemap's locations: pages (depth 0, as the seeds), or in an index,
 * sitemaps one level down; then the next sitemap of its list. */
static void release_sitemap(struct crawl *c, struct crawl_page *p,
			    const struct crawl_item *item, struct gf_record *rec,
			    const char *at)
{
	struct sitemap *sm = p->sitemap;
	struct sitemap_list *l = item->list ? list_find(c, item->list) : NULL;

	if(sm && rec->status / 100 == 2 && sitemap_valid(sm)) {
		size_t n = sitemap_count(sm);

		if(sitemap_is_index(sm) && item->level < SITEMAP_DEPTH) {
			const char **refs = calloc(n ? n : 1, sizeof(*refs));

			for(size_t i = 0; refs && i < n; i++)
				refs[i] = sitemap_loc(sm, i);
			if(refs)
				list_start(c, item, at, refs, n, item->level + 1);
			else
				gf_oom();
			free(refs);
		} else if(!sitemap_is_index(sm)) {
			for(size_t i = 0; i < n; i++) {
				char *url = url_normal(at, sitemap_loc(sm, i));

				if(url && scope_allows(c->scope, item->seed, url))
					frontier_push(c->frontier, url, item->url, 0,
						      item->seed, NULL);
				free(url);
			}
		}
	}
	if(l)
		list_push_next(c, l, (size_t)item->pos + 1);
}

/* The sitemaps a robots.txt names (read now with --no-robots, or copied
 * from the origin's rules), then /sitemap.xml. */
static void release_robots(struct crawl *c, struct crawl_page *p,
			   const struct crawl_item *item, struct gf_record *rec)
{
	const char **refs;

	if(p->text || (!c->cfg->robots && rec->status / 100 == 2)) {
		struct robots *r = robots_parse(p->text ? p->text : "", p->text_len,
						c->agent);

		if(r)
			page_take_sitemaps(p, r);
		robots_free(r);
	}
	refs = calloc(p->nfound + 1, sizeof(*refs));
	if(!refs) {
		gf_oom();
		return;
	}
	for(size_t i = 0; i < p->nfound; i++)
		refs[i] = p->found[i];
	refs[p->nfound] = "/sitemap.xml";
	list_start(c, item, item->url, refs, p->nfound + 1, 0);
	free(refs);
}

void crawl_release(struct crawl *c, struct crawl_page *p,
		   const struct crawl_item *item, struct gf_record *rec)
{
	const char *page = rec->effective_url ? rec->effective_url : item->url;
	/* A page that was not redirected is in the seen set already. */
	char *final = strcmp(page, item->url) ? url_normal(NULL, page) : NULL;

	if(item->kind == FRONTIER_ROBOTS) {
		release_robots(c, p, item, rec);
	} else if(item->kind == FRONTIER_SITEMAP) {
		release_sitemap(c, p, item, rec, page);
	} else {
		if(final)
			frontier_mark(c->frontier, final);
		rec->links = p->links ? (long)links_count(p->links) : 0;
		if(rec->links > 0 && !record_failed(rec))
			release_links(c, p, item, page, final != NULL);
	}
	frontier_done(c->frontier, item);
	free(final);
}
