/*
 * crawl.c - seeds, robots.txt per origin, links into the frontier.
 *
 * Origins (scheme://host:port) are kept in a short list with their rules;
 * a page of an origin whose robots.txt is not known yet waits on it. The
 * robots.txt and sitemaps are side fetches: they take no place in the
 * order and write no record.
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
#include "sitemap.h"
#include "strset.h"

#define SITEMAP_DEPTH 3               /* levels of sitemap indexes followed */
#define CRAWL_SIDE_TIME 30.0          /* seconds a robots.txt or sitemap may take */

struct waiter {
	void *page;                   /* a job waiting for the rules */
	struct waiter *next;
};

struct origin {
	char *name;                   /* scheme://host:port */
	struct robots *rules;         /* NULL while robots.txt is fetched */
	struct waiter *waiters;       /* pages waiting for it, in order */
	struct waiter **tail;
	struct origin *next;
};

/* A side fetch in progress: robots.txt or a sitemap. */
struct side {
	struct crawl *crawl;          /* owner */
	struct gf_record rec;         /* its record (not written) */
	struct gf_body hook;          /* collects the body, up to cap */
	char *body;
	size_t len, cap;
	struct origin *origin;        /* robots.txt: for whom */
	long seed;                    /* sitemap: scope anchor of its pages */
	int level;                    /* sitemap: index depth */
	bool full;                    /* the cap was reached: the transfer was
				       * cut there, and counts as whole */
};

/* A sitemap to fetch, in order. */
struct sitemap_todo {
	char *url;
	long seed;
	int level;
	struct sitemap_todo *next;
};

struct crawl {
	const struct gf_config *cfg;  /* options */
	struct gf_config side_cfg;    /* options of side fetches */
	struct crawl_ops ops;         /* the run */
	struct frontier *frontier;    /* what comes next */
	struct scope *scope;          /* what may come */
	struct origin *origins;       /* robots.txt by origin */
	char *agent;                  /* our product token */
	long nseeds;                  /* seeds anchored */
	struct strset seed_origins;   /* where credentials may go */
	struct sitemap_todo *todo, **todo_tail; /* sitemaps to fetch */
	bool sitemap_running;         /* one is being fetched */
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
	/* A robots.txt or sitemap that trickles must not hold the crawl. */
	if(c->side_cfg.max_time <= 0 || c->side_cfg.max_time > CRAWL_SIDE_TIME)
		c->side_cfg.max_time = CRAWL_SIDE_TIME;
	c->todo_tail = &c->todo;
	if(!strset_init(&c->seed_origins, 16)) {
		free(c);
		return NULL;
	}
	c->frontier = frontier_new(cfg->depth, cfg->max_pages);
	c->scope = scope_new((enum scope_mode)cfg->scope, cfg->include,
			     cfg->ninclude, cfg->exclude, cfg->nexclude, err, errlen);
	c->agent = robots_token(cfg->user_agent ? cfg->user_agent : "greenfetch");
	if(!c->frontier || !c->scope || !c->agent) {
		crawl_free(c);
		return NULL;
	}
	return c;
}

void crawl_free(struct crawl *c)
{
	if(!c)
		return;
	while(c->origins) {
		struct origin *o = c->origins;

		c->origins = o->next;
		while(o->waiters) {
			struct waiter *w = o->waiters;

			o->waiters = w->next;
			free(w);
		}
		robots_free(o->rules);
		free(o->name);
		free(o);
	}
	while(c->todo) {
		struct sitemap_todo *t = c->todo;

		c->todo = t->next;
		free(t->url);
		free(t);
	}
	frontier_free(c->frontier);
	scope_free(c->scope);
	strset_release(&c->seed_origins);
	free(c->agent);
	free(c);
}

bool crawl_seed(struct crawl *c, const char *line)
{
	char *url = url_resolve(NULL, line);
	long seed;

	if(!url)
		return false;
	seed = scope_add_seed(c->scope, url);
	if(seed >= 0) {
		char *origin = url_origin(url);

		if(!origin || strset_add(&c->seed_origins, origin) < 0)
			gf_oom();
		free(origin);
		c->nseeds++;
		frontier_push(c->frontier, url, NULL, 0, seed, NULL);
	}
	free(url);
	return seed >= 0;
}

bool crawl_next(struct crawl *c, struct crawl_item *item)
{
	if(!c->seeds_done || c->sitemap_running)
		return false;
	return frontier_pop(c->frontier, item);
}

size_t crawl_queued(const struct crawl *c)
{
	return frontier_size(c->frontier);
}

bool crawl_busy(const struct crawl *c)
{
	return !c->seeds_done || c->sitemap_running;
}

/* ------------------------------------------------------- side fetches */

/* Credentials (-H auth headers, -b cookies) were given for the seeds:
 * they go to the seeds' origins only, not to every origin in scope. */
static bool crawl_credentials(const struct crawl *c, const char *origin)
{
	return strset_has(&c->seed_origins, origin);
}

static bool side_credentials_cb(struct gf_body *hook, const char *origin);

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

static struct side *side_new(struct crawl *c, const char *url, size_t cap)
{
	struct side *sd = calloc(1, sizeof(*sd));

	if(!sd)
		return NULL;
	sd->crawl = c;
	sd->cap = cap;
	sd->body = malloc(cap ? cap : 1);
	sd->rec.url = strdup(url);
	sd->rec.index = 0;
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

static bool side_credentials_cb(struct gf_body *hook, const char *origin)
{
	return crawl_credentials(container_of(hook, struct side, hook)->crawl,
				 origin);
}

static void side_free(struct side *sd)
{
	record_release(&sd->rec);
	free(sd->body);
	free(sd);
}

/* ------------------------------------------------------------ robots */

static struct origin *origin_find(struct crawl *c, const char *name)
{
	for(struct origin *o = c->origins; o; o = o->next)
		if(strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

/* The rules from a robots.txt side fetch, for the origin cache too. */
static struct robots *origin_rules(struct crawl *c, struct side *sd)
{
	long status = sd->rec.status;

	if(status >= 200 && status < 300 && (!sd->rec.error || sd->full))
		return robots_parse(sd->body, sd->len, c->agent);
	return robots_all(status >= 400 && status < 500);
}

/* robots.txt is in: the rules, the Crawl-delay, the waiting pages. */
static void robots_done_cb(void *arg)
{
	struct side *sd = arg;
	struct crawl *c = sd->crawl;
	struct origin *o = sd->origin;
	struct waiter *w;

	o->rules = origin_rules(c, sd);
	if(!o->rules)
		o->rules = robots_all(true);
	if(robots_crawl_delay(o->rules) > 0 && c->cfg->delay <= 0) {
		char *host = strstr(o->name, "://") + 3, *colon = strrchr(host, ':');
		char *h = gf_strndup(host, colon ? (size_t)(colon - host) : strlen(host));

		if(h && h[0] == '[') {
			memmove(h, h + 1, strlen(h));
			h[strlen(h) - 1] = '\0';
		}
		if(h)
			c->ops.host_delay(c->ops.ctx, h, robots_crawl_delay(o->rules));
		free(h);
	}
	side_free(sd);
	while((w = o->waiters)) {
		o->waiters = w->next;
		if(!o->waiters)
			o->tail = &o->waiters;
		c->ops.resume(c->ops.ctx, w->page);
		free(w);
	}
}

static enum crawl_robots robots_verdict(const struct origin *o, const char *url)
{
	char *path = url_path_query(url);
	bool ok = !path || robots_allowed(o->rules, path);

	free(path);
	return ok ? CRAWL_GO : CRAWL_DENY;
}

enum crawl_robots crawl_robots(struct crawl *c, const char *url, void *page)
{
	char *name;
	struct origin *o;
	struct waiter *w;

	if(!c->cfg->robots)
		return CRAWL_GO;
	name = url_origin(url);
	if(!name)
		return CRAWL_GO;
	o = origin_find(c, name);
	if(!o && (o = calloc(1, sizeof(*o)))) {
		char *robots_url = gf_aprintf("%s/robots.txt", name);
		struct side *sd;

		o->name = name;
		name = NULL;
		o->tail = &o->waiters;
		o->next = c->origins;
		c->origins = o;
		sd = robots_url ? side_new(c, robots_url, ROBOTS_MAX_SIZE) : NULL;
		free(robots_url);
		if(!sd) {
			o->rules = robots_all(true);
		} else {
			sd->origin = o;
			c->ops.side_fetch(c->ops.ctx, &c->side_cfg, &sd->rec, &sd->hook,
					  robots_done_cb, sd);
		}
	}
	free(name);
	if(!o)
		return CRAWL_GO;
	if(o->rules)
		return robots_verdict(o, url);
	w = malloc(sizeof(*w));
	if(!w)
		return CRAWL_GO;
	w->page = page;
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

static bool page_write_cb(struct gf_body *hook, const char *data, size_t len)
{
	struct crawl_page *p = container_of(hook, struct crawl_page, hook);

	if(p->html == 0) {
		p->html = is_html(hook->content_type) ? 1 : -1;
		if(p->html > 0 && !(p->links = links_new(p->crawl->cfg->assets)))
			gf_oom();
	}
	if(p->links)
		links_feed(p->links, data, len);
	if(p->inner) {
		p->inner->content_type = hook->content_type;
		if(!p->inner->write(p->inner, data, len)) {
			hook->error = p->inner->error;
			return false;
		}
	}
	return true;
}

static bool page_reset_cb(struct gf_body *hook)
{
	struct crawl_page *p = container_of(hook, struct crawl_page, hook);

	if(p->inner && p->inner->reset && !p->inner->reset(p->inner))
		return false;
	links_free(p->links);
	p->links = NULL;
	p->html = 0;
	return true;
}

/* Redirects are followed within the scope only. */
static bool page_follow_cb(struct gf_body *hook, const char *location)
{
	struct crawl_page *p = container_of(hook, struct crawl_page, hook);
	char *url = url_resolve(NULL, location);
	bool ok = url && scope_allows(p->crawl->scope, p->seed, url);

	free(url);
	return ok;
}

static bool page_credentials_cb(struct gf_body *hook, const char *origin)
{
	struct crawl_page *p = container_of(hook, struct crawl_page, hook);

	return crawl_credentials(p->crawl, origin);
}

void crawl_page_init(struct crawl *c, struct crawl_page *p, long seed,
		     struct gf_body *inner)
{
	memset(p, 0, sizeof(*p));
	p->crawl = c;
	p->seed = seed;
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
}

void crawl_page_free(struct crawl_page *p)
{
	links_free(p->links);
	p->links = NULL;
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

void crawl_release(struct crawl *c, struct crawl_page *p,
		   const struct crawl_item *item, struct gf_record *rec)
{
	const char *page = rec->effective_url ? rec->effective_url : item->url;
	/* A page that was not redirected is in the seen set already. */
	char *final = strcmp(page, item->url) ? url_resolve(NULL, page) : NULL;
	char *base = NULL;
	const char *host_at = NULL;   /* the page's host, the frontier's copy */
	size_t n = p->links ? links_count(p->links) : 0, dir;
	char plain[2048];
	CURLU *at = NULL;

	if(final)
		frontier_mark(c->frontier, final);
	rec->links = (long)n;
	if(n == 0 || record_failed(rec)) {
		free(final);
		return;
	}
	if(links_base(p->links))
		base = url_resolve(page, links_base(p->links));
	/* The base is parsed once for all links, and each other link once. A
	 * plain link on a page that is its own base (normal, from the
	 * frontier) needs no parse: it resolves to the page's directory and
	 * itself, on the page's host, which came with the page when it was
	 * found the same way. Most lead to pages seen already. */
	dir = !base && !final ? dir_len(page) : 0;
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
			if(!at && !(at = url_base(page)))
				break;
			if(!curl_url_get(at, CURLUPART_HOST, &host, 0))
				host_at = frontier_host(c->frontier, host);
			curl_free(host);
			host = NULL;
		}
		if(is_plain && host_at) {
			memcpy(plain + dir, ref, len + 1);
			if(!frontier_seen(c->frontier, plain) &&
			   scope_allows_host(c->scope, item->seed, plain, host_at))
				frontier_push(c->frontier, plain, item->url,
					      item->depth + 1, item->seed, host_at);
			continue;
		}
		if(!at && !(at = url_base(base ? base : page)))
			break;
		url = url_resolve_at(at, ref, &host);
		if(url && scope_allows_host(c->scope, item->seed, url, host))
			frontier_push(c->frontier, url, item->url, item->depth + 1,
				      item->seed,
				      host ? frontier_host(c->frontier, host) : NULL);
		free(url);
		free(host);
	}
	curl_url_cleanup(at);
	free(base);
	free(final);
}

/* ----------------------------------------------------------- sitemaps */

static void sitemap_next(struct crawl *c);
static void seed_robots_cb(void *arg);

static void sitemap_add(struct crawl *c, const char *url, long seed, int level)
{
	struct sitemap_todo *t = calloc(1, sizeof(*t));

	if(!t || !(t->url = strdup(url))) {
		free(t);
		return;
	}
	t->seed = seed;
	t->level = level;
	*c->todo_tail = t;
	c->todo_tail = &t->next;
}

static void sitemap_done_cb(void *arg)
{
	struct side *sd = arg;
	struct crawl *c = sd->crawl;
	struct sitemap sm;

	if(sd->rec.status == 200 && !sd->rec.error &&
	   sitemap_parse(&sm, sd->body, sd->len)) {
		for(size_t i = 0; i < sm.n; i++) {
			char *url = url_resolve(sd->rec.effective_url, sm.loc[i]);

			if(url && sm.index && sd->level < SITEMAP_DEPTH)
				sitemap_add(c, url, sd->seed, sd->level + 1);
			else if(url && !sm.index && scope_allows(c->scope, sd->seed, url))
				frontier_push(c->frontier, url, sd->rec.url, 0, sd->seed,
					      NULL);
			free(url);
		}
		sitemap_release(&sm);
	}
	side_free(sd);
	c->sitemap_running = false;
	sitemap_next(c);
}

/* Fetch the next sitemap; when none is left the frontier opens. Sitemaps
 * go one at a time, so their pages enter in the same order every time. */
static void sitemap_next(struct crawl *c)
{
	struct sitemap_todo *t;
	struct side *sd;

	while((t = c->todo)) {
		c->todo = t->next;
		if(!c->todo)
			c->todo_tail = &c->todo;
		sd = side_new(c, t->url, SITEMAP_MAX_SIZE);
		if(sd) {
			sd->seed = t->seed;
			sd->level = t->level;
		}
		free(t->url);
		free(t);
		if(!sd)
			continue;
		c->sitemap_running = true;
		c->ops.side_fetch(c->ops.ctx, &c->side_cfg, &sd->rec, &sd->hook,
				  sd->level < 0 ? seed_robots_cb : sitemap_done_cb, sd);
		return;
	}
	c->ops.resume(c->ops.ctx, NULL);
}

/* A seed origin's robots.txt came for --sitemap: its Sitemap lines, then
 * /sitemap.xml, go on the list; its rules serve the pages too. */
static void seed_robots_cb(void *arg)
{
	struct side *sd = arg;
	struct crawl *c = sd->crawl;
	struct robots *r = origin_rules(c, sd);
	char *name = url_origin(sd->rec.url), *url;
	struct origin *o = name ? origin_find(c, name) : NULL;

	for(size_t i = 0; r && i < robots_sitemaps(r); i++) {
		url = url_resolve(sd->rec.url, robots_sitemap(r, i));
		if(url)
			sitemap_add(c, url, sd->seed, 0);
		free(url);
	}
	url = url_resolve(sd->rec.url, "/sitemap.xml");
	if(url)
		sitemap_add(c, url, sd->seed, 0);
	free(url);
	if(r && name && !o && (o = calloc(1, sizeof(*o)))) {
		o->name = name;
		name = NULL;
		o->rules = r;
		r = NULL;
		o->tail = &o->waiters;
		o->next = c->origins;
		c->origins = o;
	}
	free(name);
	robots_free(r);
	side_free(sd);
	c->sitemap_running = false;
	sitemap_next(c);
}

void crawl_seeds_done(struct crawl *c)
{
	struct crawl_item item;
	char **seen = NULL;
	size_t nseen = 0, n;

	c->seeds_done = true;
	if(!c->cfg->sitemap)
		return;
	/* The origins of the seeds, in order, once each: walk the queue (only
	 * seeds are in it now) and put every seed back. */
	n = frontier_size(c->frontier);
	for(size_t k = 0; k < n && frontier_pop(c->frontier, &item); k++) {
		char *origin = url_origin(item.url);
		bool dup = false;

		for(size_t i = 0; origin && i < nseen; i++)
			dup |= strcmp(seen[i], origin) == 0;
		if(origin && !dup) {
			char **more = realloc(seen, (nseen + 1) * sizeof(*more));
			char *robots = gf_aprintf("%s/robots.txt", origin);

			if(more && robots) {
				seen = more;
				seen[nseen++] = origin;
				origin = NULL;
				sitemap_add(c, robots, item.seed, -1);
			}
			free(robots);
		}
		free(origin);
		frontier_requeue(c->frontier, &item);
	}
	for(size_t i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	sitemap_next(c);
}
