/*
 * frontier_redis.c - the frontier shared in Redis (see frontier_redis.h):
 * the ops of frontier.h over the scripts of frontier_lua.c, on the hub.
 */
#include <ev.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontier_redis_impl.h"
#include "gf.h"
#include "hub.h"
#include "redis.h"
#include "url.h"

#define SEEN_MAX (16u << 20)          /* bytes of the local seen set, at most */
#define HOSTS_MAX 10000               /* host names kept, at most */

/* The fingerprint a URL is seen by (salt: the kind of work, or a list
 * line's number), in hex. */
static uint64_t link_fp(const char *url, uint64_t salt, char out[17])
{
	uint64_t fp = fp_str(url, salt);

	snprintf(out, 17, "%016" PRIx64, fp);
	return fp;
}

/* Seen here: a link not sent twice. Past SEEN_MAX it is forgotten and
 * starts again: Redis has the last word, this set only saves sending. */
void frontier_seen_add(struct frontier_redis *r, uint64_t fp)
{
	if(fpset_bytes(&r->seen) >= SEEN_MAX) {
		fpset_release(&r->seen);
		fpset_init(&r->seen);
	}
	if(fpset_add(&r->seen, fp) < 0)
		gf_oom();
}

/* --------------------------------------------------------- commits */

static void commit_free(struct commit *c)
{
	for(int i = 0; i < c->argc; i++)
		free(c->argv[i]);
	free(c->argv);
	free(c->len);
	free(c);
}

static void commit_send(struct frontier_redis *r, struct commit *c);

static void live_drop(struct frontier_redis *r, uint64_t token)
{
	for(size_t i = 0; i < r->nlive; i++)
		if(r->live[i] == token) {
			r->live[i] = r->live[--r->nlive];
			return;
		}
}

/* A commit said again without its lease, record and take (it was fenced),
 * for its links. */
static void commit_links_only(struct frontier_redis *r, struct commit *c)
{
	static const int cut[] = { 1, 2, 5 };

	for(size_t i = 0; i < sizeof(cut) / sizeof(cut[0]); i++) {
		free(c->argv[cut[i]]);
		if(!(c->argv[cut[i]] = strdup("")))
			gf_oom();
		c->len[cut[i]] = 0;
	}
	commit_send(r, c);
}

/* Redis says: -1 (fenced), the links that were new, or with a take, an
 * array: those, then what TAKE says. */
static void commit_cb(void *arg, redisReply *reply)
{
	struct commit *c = arg, **pp;
	struct frontier_redis *r = c->fr;
	bool array;
	long long said;

	c->sent = false;
	if(!reply)
		return;               /* sent again when the connection is back */
	if(reply->type == REDIS_REPLY_ERROR) {
		/* Kept, and sent again on a new connection (NOSCRIPT after a
		 * restart, LOADING...). */
		fprintf(stderr, "greenfetch: --frontier: Redis: %s\n", reply->str);
		gf_redis_reset(r->rd);
		return;
	}
	array = reply->type == REDIS_REPLY_ARRAY && reply->elements >= 4;
	said = array ? reply->element[0]->integer :
	       reply->type == REDIS_REPLY_INTEGER ? reply->integer : 0;
	if(c->takes)
		c->takes = r->taking = false;
	if(said < 0 && c->argv[1][0]) {
		fprintf(stderr, "greenfetch: --frontier: the lease of a page had expired: "
			"its record is another worker's to give\n");
		live_drop(r, strtoull(c->argv[1], NULL, 10));
		if(c->argc > 6) {
			/* Its links still go in (this worker counts them seen). */
			commit_links_only(r, c);
			if(r->ready)
				r->ready(r->ready_arg);
			return;
		}
	}
	for(pp = &r->commits; *pp && *pp != c; pp = &(*pp)->next)
		;
	if(*pp)
		*pp = c->next;
	if(c->argv[1][0])
		live_drop(r, strtoull(c->argv[1], NULL, 10));
	if(array && !r->stopping)
		frontier_took(r, reply, 1);
	else
		r->idle = false;          /* its links may be queued now */
	commit_free(c);
	/* What it took, or else a TAKE (unless this one was, and found
	 * nothing). */
	if(r->ready && (!array || r->ntaken || r->over))
		r->ready(r->ready_arg);
}

static void commit_send(struct frontier_redis *r, struct commit *c)
{
	if(!c->sent && gf_redis_eval(r->rd, r->script[FR_COMMIT], c->argc, (const char **)c->argv,
				     c->len, commit_cb, c))
		c->sent = true;
}

/* The links gathered, with the record under lease ("TOKEN ITEM", owned;
 * NULL: the seeds, or links found outside a page), as one commit; ok: the
 * page succeeded (its host recovers, if slowed). */
void frontier_commit(struct frontier_redis *r, char *lease, const char *record, bool ok)
{
	struct commit *c = calloc(1, sizeof(*c));
	int argc = 6 + 4 * (int)r->nlinks;

	if(!c || !(c->argv = calloc((size_t)argc, sizeof(char *))) ||
	   !(c->len = calloc((size_t)argc, sizeof(size_t))))
		gf_oom();
	c->fr = r;
	c->argv[0] = strdup(r->prefix);
	c->argv[1] = lease ? lease : strdup("");
	c->argv[2] = strdup(record ? record : "");
	c->argv[3] = gf_aprintf("%ld", r->cfg->max_pages);
	c->argv[4] = ok ? gf_aprintf("%d", r->cfg->per_host) : strdup("");
	/* More to do, in the same step, when this worker has room (not
	 * while it offers a list: it takes once the list is in). */
	c->takes = lease && !r->taking && !r->stopping && frontier_take_room(r) > 0;
	c->argv[5] = c->takes ? gf_aprintf("%d %d %ld %ld", frontier_take_room(r), r->cfg->per_host,
					   (long)(r->cfg->delay * 1000),
					   (long)(r->cfg->lease * 1000)) : strdup("");
	r->taking |= c->takes;
	for(size_t i = 0; i < r->nlinks; i++) {
		struct link *l = &r->links[i];

		c->argv[6 + 4 * i] = strdup(l->fp);
		c->argv[7 + 4 * i] = l->host ? l->host : strdup("");
		c->argv[8 + 4 * i] = l->item ? l->item : strdup("");
		c->argv[9 + 4 * i] = strdup(l->page ? "1" : "0");
	}
	r->nlinks = 0;
	c->argc = argc;
	for(int i = 0; i < argc; i++) {
		if(!c->argv[i])
			gf_oom();
		c->len[i] = strlen(c->argv[i]);
	}
	c->next = r->commits;
	r->commits = c;
	commit_send(r, c);
}

/* A script's arguments: the prefix, head (NULL: none), this worker's live
 * tokens (in *buf). How many; 0 when out of memory or none is live. */
static int token_args(const struct frontier_redis *r, const char *head,
		      const char ***argv, size_t **len, char **buf)
{
	int k = head ? 2 : 1, n = k + (int)r->nlive;
	char *p;

	*argv = calloc((size_t)n, sizeof(**argv));
	*len = calloc((size_t)n, sizeof(**len));
	*buf = p = malloc(r->nlive * 21 + 1);
	if(!*argv || !*len || !*buf || !r->nlive || !r->prefix)
		return 0;
	(*argv)[0] = r->prefix;
	if(head)
		(*argv)[1] = head;
	for(size_t i = 0; i < r->nlive; i++) {
		(*argv)[k + (int)i] = p;
		p += sprintf(p, "%" PRIu64, r->live[i]) + 1;
	}
	for(int i = 0; i < n; i++)
		(*len)[i] = strlen((*argv)[i]);
	return n;
}

/* Our leases get more time, a third of --lease before they would end. */
static void renew_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct frontier_redis *r = w->data;
	const char **argv;
	size_t *len;
	char ttl[24], *buf;
	int n;

	(void)loop, (void)revents;
	snprintf(ttl, sizeof(ttl), "%ld", (long)(r->cfg->lease * 1000));
	if((n = token_args(r, ttl, &argv, &len, &buf)))
		gf_redis_eval(r->rd, r->script[FR_RENEW], n, argv, len, NULL, NULL);
	free(argv);
	free(len);
	free(buf);
}

/* Connected again: what was not answered goes again (a commit that had
 * landed is then refused by its token: no harm). */
static void up_cb(void *arg)
{
	struct frontier_redis *r = arg;

	for(struct commit *c = r->commits; c; c = c->next)
		commit_send(r, c);
	renew_cb(r->loop, &r->renew, 0);  /* an outage may have eaten their time */
	r->idle = false;
	if(r->ready)
		r->ready(r->ready_arg);
}

/* ------------------------------------------------------------- ops */

static struct frontier_redis *of(const struct frontier *fr)
{
	return (struct frontier_redis *)fr;
}

static struct link *link_new(struct frontier_redis *r)
{
	if(r->nlinks == r->cap_links) {
		r->cap_links = r->cap_links ? 2 * r->cap_links : 64;
		if(!(r->links = realloc(r->links, r->cap_links * sizeof(*r->links))))
			gf_oom();
	}
	return &r->links[r->nlinks++];
}

/* The crawl has its name (from --crawl-id at once, else once the seeds
 * are in) and the hub runs: talk to Redis from now on. */
static void start(struct frontier_redis *r)
{
	struct hub *hub;

	if(r->prefix)
		return;
	hub = r->hub_of(r->ready_arg);
	if(!(r->prefix = frontier_redis_prefix(r->cfg, r->seeds)))
		gf_oom();
	r->loop = hub_loop(hub);
	gf_redis_attach(r->rd, hub);
	ev_timer_set(&r->renew, r->cfg->lease / 3, r->cfg->lease / 3);
	ev_timer_start(r->loop, &r->renew);
	ev_unref(r->loop);            /* renewing does not keep the hub alive */
}

static bool redis_push(struct frontier *fr, const struct crawl_item *item)
{
	struct frontier_redis *r = of(fr);
	char *host = item->host ? NULL : url_host_of(item->url);
	struct link *l;
	uint64_t fp;

	if(item->kind == FRONTIER_PAGE && r->cfg->depth >= 0 && item->depth > r->cfg->depth) {
		free(host);
		return false;
	}
	if(!item->host && !host)
		return false;             /* no host: no queue for it */
	l = link_new(r);
	if(r->cfg->shared_list && !item->parent) {
		/* A list's lines are each a job, the same URL twice too; its
		 * record is numbered by its line. */
		struct crawl_item line = *item;

		line.pos = (unsigned)r->nseeds;
		fp = link_fp(item->url, 0x100 + r->nseeds++, l->fp);
		l->item = frontier_item_encode(&line);
	} else {
		fp = link_fp(item->url, (uint64_t)item->kind, l->fp);
		l->item = frontier_item_encode(item);
	}
	l->host = strdup(item->host ? item->host : host);
	l->page = item->kind == FRONTIER_PAGE;
	free(host);
	if(!l->host || !l->item)
		gf_oom();
	frontier_seen_add(r, fp);
	if(!r->prefix && item->kind == FRONTIER_PAGE && !item->parent)
		r->seeds = frontier_redis_seed(r->seeds, item->url);
	/* A long list goes in batches, its name known from the start. */
	if(r->cfg->shared_list && r->nlinks >= 1000) {
		start(r);
		frontier_commit(r, NULL, NULL, false);
	}
	return true;                  /* as far as this worker knows */
}

static void redis_mark(struct frontier *fr, const char *url)
{
	struct frontier_redis *r = of(fr);
	struct link *l = link_new(r);

	frontier_seen_add(r, link_fp(url, FRONTIER_PAGE, l->fp));
	/* ... a list's final URLs are not marked: a line is a job. */
	if(r->cfg->shared_list)
		r->nlinks--;
	l->host = NULL;
	l->item = NULL;
	l->page = false;
}

static bool redis_seen(const struct frontier *fr, const char *url)
{
	/* Seen here; Redis has the last word on the others. */
	return fpset_has(&of(fr)->seen, fp_str(url, FRONTIER_PAGE));
}

static int redis_pop(struct frontier *fr, struct crawl_item *item)
{
	struct frontier_redis *r = of(fr);

	start(r);
	if(r->nlinks)
		frontier_commit(r, NULL, NULL, false);       /* the seeds, or links outside a page */
	if(r->ntaken) {
		*item = r->taken[r->first_taken++];
		r->ntaken--;
		return GF_OK;
	}
	if(r->over)
		return GF_EOF;
	if(!r->idle)
		frontier_take(r);
	return GF_AGAIN;
}

static void redis_done(struct frontier *fr, const struct crawl_item *item,
		       long status, const char *record)
{
	struct frontier_redis *r = of(fr);

	char *lease = NULL, *it = NULL;

	/* The item too: a token is only unique while Redis keeps its count. */
	if(item->lease && (!(it = frontier_item_encode(item)) ||
			   !(lease = gf_aprintf("%" PRIu64 " %s", item->lease, it))))
		gf_oom();
	free(it);
	if(lease || r->nlinks || record)
		frontier_commit(r, lease, record, status > 0 && status < 400);
}

static bool redis_full(const struct frontier *fr)
{
	(void)fr;
	return false;                 /* Redis counts the pages */
}

static const char *redis_host(struct frontier *fr, const char *host)
{
	struct frontier_redis *r = of(fr);

	return r->hosts.n < HOSTS_MAX ? strset_intern(&r->hosts, host) : NULL;
}

static size_t redis_size(const struct frontier *fr)
{
	return of(fr)->ntaken;
}

/* At the end, blocking: commits not yet answered go again; leases not
 * committed (a SIGINT, or pages that were taken and not started) are
 * handed back at once. */
static void redis_finish(struct frontier_redis *r)
{
	struct redisReply *reply;
	const char **argv;
	size_t *len;
	char *buf;
	int n;

	for(struct commit *c = r->commits; c; c = c->next) {
		c->len[5] = 0;    /* take nothing more */
		if((reply = gf_redis_sync(r->rd, r->script[FR_COMMIT], c->argc,
					  (const char **)c->argv, c->len))) {
			if(c->argv[1][0])
				live_drop(r, strtoull(c->argv[1], NULL, 10));
			freeReplyObject(reply);
		}
	}
	if((n = token_args(r, NULL, &argv, &len, &buf)))
		freeReplyObject(gf_redis_sync(r->rd, r->script[FR_BACK], n, argv, len));
	free(argv);
	free(len);
	free(buf);
}

static void redis_stop(struct frontier *fr)
{
	struct frontier_redis *r = of(fr);

	if(!r->rd)
		return;
	r->stopping = true;
	if(r->loop) {
		if(ev_is_active(&r->renew))
			ev_ref(r->loop);
		ev_timer_stop(r->loop, &r->renew);
		ev_timer_stop(r->loop, &r->poll);
	}
	gf_redis_free_async(r->rd);   /* replies NULL: commits kept */
	frontier_share_stop(r);
	if(r->loop)
		ev_timer_stop(r->loop, &r->poll);
	redis_finish(r);
	gf_redis_free(r->rd);
	r->rd = NULL;
	r->loop = NULL;
}

static void redis_free(struct frontier *fr)
{
	struct frontier_redis *r = of(fr);

	redis_stop(fr);
	while(r->commits) {
		struct commit *next = r->commits->next;

		commit_free(r->commits);
		r->commits = next;
	}
	for(size_t i = 0; i < r->nlinks; i++) {
		free(r->links[i].host);
		free(r->links[i].item);
	}
	for(size_t i = 0; i < r->ntaken; i++) {
		free(r->taken[r->first_taken + i].url);
		free(r->taken[r->first_taken + i].parent);
	}
	free(r->links);
	free(r->taken);
	free(r->live);
	free(r->prefix);
	fpset_release(&r->seen);
	strset_release(&r->hosts);
	free(r);
}

static const struct frontier_ops redis_ops = {
	.push = redis_push, .pop = redis_pop, .done = redis_done,
	.mark = redis_mark, .seen = redis_seen, .full = redis_full,
	.host = redis_host, .size = redis_size, .stop = redis_stop, .free = redis_free,
};

struct frontier *frontier_redis_new(const struct gf_config *cfg,
				    struct hub *(*hub_of)(void *arg),
				    void (*ready)(void *arg), void *arg,
				    char *err, size_t errlen)
{
	struct frontier_redis *r = calloc(1, sizeof(*r));

	if(!r || !strset_init(&r->hosts, 64)) {
		free(r);
		return NULL;
	}
	r->fr.ops = &redis_ops;
	r->cfg = cfg;
	r->ready = ready;
	r->ready_arg = arg;
	r->hub_of = hub_of;
	fpset_init(&r->seen);
	if(!(r->rd = gf_redis_open(cfg->frontier, err, errlen))) {
		strset_release(&r->hosts);
		free(r);
		return NULL;
	}
	for(int i = 0; i < FR_SCRIPTS; i++)
		r->script[i] = gf_redis_script(r->rd, frontier_lua[i]);
	gf_redis_on_up(r->rd, up_cb, r);
	frontier_take_init(r);
	ev_init(&r->renew, renew_cb);
	r->renew.data = r;
	return &r->fr;
}

unsigned long frontier_redis_skip_line(struct frontier *fr)
{
	return ++of(fr)->nseeds;
}
