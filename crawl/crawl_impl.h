/*
 * crawl_impl.h - the crawl's insides, shared by crawl.c (seeds, pages,
 * links), origins.c (robots.txt per origin) and sitemaps.c (--sitemap).
 */
#ifndef GF_CRAWL_IMPL_H
#define GF_CRAWL_IMPL_H

#include "crawl.h"
#include "strset.h"

#define SITEMAP_DEPTH 2               /* levels of sitemap indexes followed */
#define CRAWL_SIDE_TIME 30.0          /* seconds a robots.txt may take */
#define CRAWL_MAX_ORIGINS 10000       /* robots.txt rules kept at most */
#define LIST_BUCKETS 256              /* sitemap lists, by id */

struct robots;

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

/* May a request to origin carry the credentials given for the seeds? */
bool crawl_credentials(const struct crawl *c, const char *origin);

/* origins.c: forget every origin; copy the sitemaps rules name into p. */
void origins_free(struct crawl *c);
void crawl_take_sitemaps(struct crawl_page *p, const struct robots *rules);

/* sitemaps.c: the lists and seed origins; a seed's origin for --sitemap;
 * the seeds are in; what a released sitemap or robots.txt names. */
void sitemaps_free(struct crawl *c);
void sitemaps_add_origin(struct crawl *c, const char *origin, long seed);
void sitemaps_seeds_done(struct crawl *c);
void crawl_release_sitemap(struct crawl *c, struct crawl_page *p,
			   const struct crawl_item *item, struct gf_record *rec,
			   const char *at);
void crawl_release_robots(struct crawl *c, struct crawl_page *p,
			  const struct crawl_item *item, struct gf_record *rec);

#endif
