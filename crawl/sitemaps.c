/*
 * sitemaps.c - --sitemap: the seeds' robots.txt read for the sitemaps it
 * names, and sitemaps (and indexes of them) walked one at a time.
 */
#include "crawl_impl.h"

#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "robots.h"
#include "scope.h"
#include "sitemap.h"
#include "url.h"

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

static void list_free(struct sitemap_list *l)
{
	for(size_t i = 0; i < l->n; i++)
		free(l->url[i]);
	free(l->url);
	free(l->parent);
	free(l);
}

/* Forget the lists being walked. */
void sitemaps_free(struct crawl *c)
{
	for(size_t b = 0; b < LIST_BUCKETS; b++) {
		while(c->list[b]) {
			struct sitemap_list *l = c->list[b];

			c->list[b] = l->chain;
			list_free(l);
		}
	}
	for(size_t i = 0; i < c->nsitemap_origins; i++)
		free(c->sitemap_origins[i]);
	free(c->sitemap_origins);
	free(c->sitemap_seeds);
}

/* --sitemap: the seed's origin, once, for its robots.txt after the seeds. */
void sitemaps_add_origin(struct crawl *c, const char *origin, long seed)
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

/* The seeds are in: their origins' robots.txt, each to be read for the
 * sitemaps it names once its turn comes, after the seeds themselves. */
void sitemaps_seeds_done(struct crawl *c)
{
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
	if(crawl_shared(c)) {
		/* Other workers may take any of them: no list to walk (its
		 * turns are one process's order), all are queued now. */
		for(size_t i = 0; i < l->n; i++)
			frontier_push_work(c->frontier, FRONTIER_SITEMAP, l->url[i],
					   l->parent, item->seed, level, 0, 0);
		list_free(l);
		return;
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
void crawl_release_sitemap(struct crawl *c, struct crawl_page *p,
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
void crawl_release_robots(struct crawl *c, struct crawl_page *p,
			   const struct crawl_item *item, struct gf_record *rec)
{
	const char **refs;

	if(p->text || (!c->cfg->robots && rec->status / 100 == 2)) {
		struct robots *r = robots_parse(p->text ? p->text : "", p->text_len,
						c->agent);

		if(r)
			crawl_take_sitemaps(p, r);
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
