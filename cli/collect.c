/*
 * collect.c - --frontier URL --collect: every record of a shared crawl,
 * once, as JSON Lines, in the order their pages were committed (by
 * discovery across the workers), until the crawl is over: no host has
 * URLs queued and no lease is out. Blocking: there is no hub to keep.
 */
#include "collect.h"

#include <hiredis/hiredis.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontier_redis.h"
#include "gf.h"
#include "redis.h"
#include "url.h"

/* The crawl's key prefix, from --crawl-id or from the seeds given as the
 * workers were given them. NULL: said why. */
static char *crawl_prefix(const struct gf_config *cfg)
{
	uint64_t seeds = 0;

	for(size_t i = 0; i < cfg->ninputs && !cfg->crawl_id; i++) {
		char *url = url_normal(NULL, cfg->inputs[i]);

		if(!url) {
			fprintf(stderr, "greenfetch: --collect: %s is not a URL: give the "
				"seeds as URLs, or --crawl-id\n", cfg->inputs[i]);
			return NULL;
		}
		seeds = frontier_redis_seed(seeds, url);
		free(url);
	}
	if(!cfg->crawl_id && !cfg->ninputs) {
		fprintf(stderr, "greenfetch: --collect needs --crawl-id or the seed URLs\n");
		return NULL;
	}
	return frontier_redis_prefix(cfg, seeds);
}

/* Is the crawl over? -1: the connection failed. */
static int crawl_over(redisContext *c, const char *prefix)
{
	redisReply *r = redisCommand(c, "EVAL %s 0 %s", frontier_lua_status, prefix);
	int over;

	if(!r || r->type != REDIS_REPLY_ARRAY || r->elements != 3) {
		freeReplyObject(r);
		return -1;
	}
	over = r->element[0]->integer && !r->element[1]->integer && !r->element[2]->integer;
	freeReplyObject(r);
	return over;
}

/* The records after id (updated), printed: how many, -1 on a failure.
 * Waiting up to block_ms for one to come, or not at all (0). */
static long read_records(redisContext *c, const char *stream, char *id, size_t idlen,
			 int block_ms)
{
	redisReply *r = block_ms ?
		redisCommand(c, "XREAD COUNT 1000 BLOCK %d STREAMS %s %s", block_ms, stream, id) :
		redisCommand(c, "XREAD COUNT 1000 STREAMS %s %s", stream, id);
	long n = 0;

	if(!r || r->type == REDIS_REPLY_ERROR) {
		freeReplyObject(r);
		return -1;
	}
	if(r->type == REDIS_REPLY_ARRAY && r->elements == 1) {
		redisReply *entries = r->element[0]->element[1];

		for(size_t i = 0; i < entries->elements; i++) {
			redisReply *e = entries->element[i], *f = e->element[1];

			for(size_t k = 0; k + 1 < f->elements; k += 2)
				if(!strcmp(f->element[k]->str, "r"))
					printf("%s\n", f->element[k + 1]->str);
			snprintf(id, idlen, "%s", e->element[0]->str);
			n++;
		}
	}
	freeReplyObject(r);
	return n;
}

enum run_status collect_run(const struct gf_config *cfg)
{
	char err[512], id[64] = "0", *prefix, *stream;
	struct gf_redis *rd;
	redisContext *c;
	double backoff = 0.1;

	if(!(prefix = crawl_prefix(cfg)))
		return RUN_USAGE;
	if(!(rd = gf_redis_open(cfg->frontier, err, sizeof(err))) ||
	   !(c = gf_redis_blocking(rd, err, sizeof(err)))) {
		fprintf(stderr, "greenfetch: %s\n", err);
		gf_redis_free(rd);
		free(prefix);
		return RUN_USAGE;
	}
	if(!(stream = gf_aprintf("%srecords", prefix)))
		gf_oom();
	for(;;) {
		long got = read_records(c, stream, id, sizeof(id), 500);
		int over = got == 0 ? crawl_over(c, prefix) : 0;

		if(over > 0 && (got = read_records(c, stream, id, sizeof(id), 0)) == 0)
			break;            /* nothing came after it was over */
		fflush(stdout);
		if(got >= 0 && over >= 0) {
			backoff = 0.1;
			continue;
		}
		/* Redis went away: again, with backoff, from where we were. */
		redisFree(c);
		while(!(c = gf_redis_blocking(rd, err, sizeof(err)))) {
			usleep((useconds_t)(backoff * 1e6));
			backoff = backoff * 2 > 5 ? 5 : backoff * 2;
		}
	}
	redisFree(c);
	gf_redis_free(rd);
	free(stream);
	free(prefix);
	return fflush(stdout) == 0 ? RUN_OK : RUN_FAILED;
}
