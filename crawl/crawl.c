/*
 * crawl.c - seeds, pages read as they stream, what they link to into the
 * frontier. robots.txt per origin is origins.c's, sitemaps sitemaps.c's.
 */
#include "crawl_impl.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "frontier_redis.h"
#include "gf.h"
#include "robots.h"
#include "refs.h"
#include "scope.h"
#include "strset.h"
#include "url.h"

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
	c->scope = scope_new((enum scope_mode)cfg->scope, cfg->include,
			     cfg->ninclude, cfg->exclude, cfg->nexclude, err, errlen);
	c->frontier = !c->scope ? NULL : cfg->frontier ?
		frontier_redis_new(cfg, ops->hub, ops->wake, ops->ctx, err, errlen) :
		frontier_memory_new(cfg->depth, cfg->max_pages, cfg->buffer_size);
	c->agent = robots_token(cfg->user_agent ? cfg->user_agent : "greenfetch");
	if(!c->bucket || !c->frontier || !c->scope || !c->agent) {
		crawl_free(c);
		return NULL;
	}
	return c;
}

void crawl_free(struct crawl *c)
{
	if(!c)
		return;
	sitemaps_free(c);
	origins_free(c);
	frontier_free(c->frontier);
	scope_free(c->scope);
	strset_release(&c->seed_origins);
	free(c->agent);
	free(c);
}

void crawl_stop(struct crawl *c)
{
	frontier_stop(c->frontier);
}

bool crawl_seed(struct crawl *c, const char *line, size_t len)
{
	char *text = strndup(line, len), *url;
	long seed;

	if(!text)
		gf_oom();
	url = url_normal(NULL, text);
	free(text);
	if(!url)
		return false;
	seed = scope_add_seed(c->scope, url);
	if(seed >= 0) {
		char *origin = url_origin(url);

		if(!origin || strset_add(&c->seed_origins, origin) < 0)
			gf_oom();
		if(origin && c->cfg->sitemap)
			sitemaps_add_origin(c, origin, seed);
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
	sitemaps_seeds_done(c);
}

int crawl_next(struct crawl *c, struct crawl_item *item)
{
	return c->seeds_done ? frontier_pop(c->frontier, item) : GF_EOF;
}

bool crawl_shared(const struct crawl *c)
{
	return c->cfg->frontier != NULL;
}

uint64_t crawl_index(struct crawl *c, const struct crawl_item *item, uint64_t index)
{
	if(!c->cfg->shared_list)
		return index;
	if(!item)
		return frontier_redis_skip_line(c->frontier);
	return item->kind == FRONTIER_PAGE && !item->parent ? (uint64_t)item->pos + 1 : index;
}

void crawl_overloaded(struct crawl *c, const struct crawl_item *item, double retry)
{
	if(c->cfg->frontier && item->lease)
		frontier_redis_slow(c->frontier, item, retry);
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
bool crawl_credentials(const struct crawl *c, const char *origin)
{
	return strset_has(&c->seed_origins, origin);
}

/* -------------------------------------------------------------- pages */

static bool is_html(const char *ctype)
{
	return gf_mime_is(ctype, "text/html") || gf_mime_is(ctype, "application/xhtml+xml");
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
		bool sheet = p->crawl->cfg->assets && gf_mime_is(hook->content_type, "text/css");

		p->html = is_html(hook->content_type) || sheet ? 1 : -1;
		p->nofollow = p->crawl->cfg->robots &&
			      robots_nofollow(hook->robots_tag, p->crawl->agent);
		if(p->html > 0 && !(p->links = sheet ? links_new_sheet() :
				    links_new(p->crawl->cfg->assets)))
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

/* A link found on a page, in normal form, into the frontier; with a
 * journal, the links that entered go to *entered too. */
static void take_link(struct crawl *c, const struct crawl_item *item,
		      const char *url, const char *host, struct gf_buf *entered)
{
	if(!frontier_seen(c->frontier, url) &&
	   scope_allows_host(c->scope, item->seed, url, host) &&
	   frontier_push(c->frontier, url, item->url, item->depth + 1,
			 item->seed, host) && entered) {
		if(entered->len)
			gf_buf_add(entered, "\n", 1);
		gf_buf_str(entered, url);
	}
}

/* An absolute http(s) link in normal form but for its fragment into the
 * frontier, with no libcurl (there are many: a site's docs link to its
 * project's pages from each of theirs). False: not one of those. */
static bool take_absolute(struct crawl *c, const struct crawl_item *item,
			  const char *ref, char *out, size_t cap, struct gf_buf *entered)
{
	size_t at, len;
	char host[256];

	if(url_absolute_fast(ref, out, cap, &at, &len) < 0 || len >= sizeof(host))
		return false;
	memcpy(host, out + at, len);
	host[len] = '\0';
	take_link(c, item, out, frontier_host(c->frontier, host), entered);
	return true;
}

/* A page's links into the frontier, resolved on its base: its <base
 * href>, else its URL after redirects (final), else the URL it was
 * fetched by. Most resolve the quick way, on the base's host (which came
 * with the page when no <base> or redirect moved it), and so do most
 * absolute links; libcurl is asked for the others, with the base parsed
 * once. Most lead to pages seen already; a reference met before on the
 * page, or one to the page itself, is not resolved again. */
static void release_links(struct crawl *c, struct crawl_page *p,
			  const struct crawl_item *item, const char *final,
			  struct gf_buf *entered)
{
	const char *page = final ? final : item->url, *on, *host_at = NULL;
	char *base = NULL, quick[4096];
	size_t n = links_count(p->links);
	struct url *at = NULL;
	struct page_refs refs;

	if(!page_refs_init(&refs, n)) {
		gf_oom();
		return;
	}
	if(links_base(p->links))
		base = url_normal(page, links_base(p->links));
	on = base ? base : page;
	if(!base && !final)
		host_at = item->host;
	for(size_t i = 0; i < n; i++) {
		const char *ref = links_get(p->links, i);
		char *host = NULL, *url;

		/* "#..." (a third of the links of a page of docs) is the page
		 * itself, when it is its own base: seen already. */
		if((!base && (*ref == '#' || !*ref)) || page_refs_seen(&refs, p->links, i))
			continue;
		if(take_absolute(c, item, ref, quick, sizeof(quick), entered))
			continue;
		if(url_resolve_fast(on, ref, quick, sizeof(quick)) >= 0) {
			if(!host_at && (host = url_host_of(on)))
				host_at = frontier_host(c->frontier, host);
			free(host);
			host = NULL;
			if(host_at) {
				take_link(c, item, quick, host_at, entered);
				continue;
			}
		}
		if(!at && !(at = url_base(on)))
			break;
		if((url = url_normal_at(at, ref, &host)))
			take_link(c, item, url, host ? frontier_host(c->frontier, host) : NULL,
				  entered);
		free(url);
		free(host);
	}
	url_free(at);
	free(base);
	page_refs_release(&refs);
}

/* Links known already ('\n'-joined, in normal form) into the frontier:
 * those of a page replayed (--resume) or that did not change (--since).
 * How many there were. */
static long release_known(struct crawl *c, const struct crawl_item *item,
			  const char *links, struct gf_buf *entered)
{
	long n = 0;

	for(const char *p = links; p && *p; n++) {
		const char *nl = strchr(p, '\n');
		char *url = nl ? strndup(p, (size_t)(nl - p)) : strdup(p);
		char *host = url ? url_host_of(url) : NULL;

		if(host)
			take_link(c, item, url, frontier_host(c->frontier, host), entered);
		else if(!url)
			gf_oom();
		free(host);
		free(url);
		p = nl ? nl + 1 : NULL;
	}
	return n;
}

/* Do the page's robots directives (X-Robots-Tag, <meta name=robots>)
 * say its links are not to be followed? Not with --no-robots. */
static bool nofollow(const struct crawl *c, const struct crawl_page *p)
{
	return c->cfg->robots && (p->nofollow ||
				  robots_nofollow(links_robots(p->links), NULL));
}

/* Where a page's redirects led, in normal form, marked seen; NULL when
 * it was not redirected (it is in the seen set already). */
static char *mark_final(struct crawl *c, const struct crawl_item *item,
			const struct gf_record *rec)
{
	const char *page = rec->effective_url ? rec->effective_url : item->url;
	char *final = strcmp(page, item->url) ? url_normal(NULL, page) : NULL;

	if(final)
		frontier_mark(c->frontier, final);
	return final;
}

void crawl_release(struct crawl *c, struct crawl_page *p,
		   const struct crawl_item *item, struct gf_record *rec)
{
	const char *page = rec->effective_url ? rec->effective_url : item->url;
	char *final = NULL;

	if(item->kind == FRONTIER_ROBOTS) {
		crawl_release_robots(c, p, item, rec);
	} else if(item->kind == FRONTIER_SITEMAP) {
		crawl_release_sitemap(c, p, item, rec, page);
	} else {
		struct gf_buf entered = { 0 };

		final = mark_final(c, item, rec);
		rec->links = p->links ? (long)links_count(p->links) : 0;
		if(rec->unchanged && rec->since_links)
			rec->links = release_known(c, item, rec->since_links,
						   c->cfg->journal ? &entered : NULL);
		else if(rec->links > 0 && !record_failed(rec) && !nofollow(c, p))
			release_links(c, p, item, final, c->cfg->journal ? &entered : NULL);
		if(entered.oom)
			gf_oom();
		free(rec->new_links);
		rec->new_links = entered.s;
	}
	if(c->ops.record_json && crawl_item_shown(item)) {
		char *json = c->ops.record_json(c->ops.ctx, rec);

		if(!json)
			gf_oom();
		frontier_done(c->frontier, item, rec->status, json);
		free(json);
	} else {
		frontier_done(c->frontier, item, rec->status, NULL);
	}
	free(final);
}

void crawl_replay(struct crawl *c, const struct crawl_item *item,
		  const struct gf_record *rec)
{
	if(item->kind == FRONTIER_PAGE) {
		free(mark_final(c, item, rec));
		release_known(c, item, rec->new_links, NULL);
	}
	frontier_done(c->frontier, item, 0, NULL);
}
