/*
 * frontier.c - the frontier interface: each call to its implementation.
 */
#include "frontier.h"

#include <stdlib.h>

void frontier_free(struct frontier *fr)
{
	if(fr)
		fr->ops->free(fr);
}

void frontier_stop(struct frontier *fr)
{
	if(fr && fr->ops->stop)
		fr->ops->stop(fr);
}

bool frontier_push(struct frontier *fr, const char *url, const char *parent,
		   int depth, long seed, const char *host)
{
	struct crawl_item it = {
		.url = (char *)url, .parent = (char *)parent, .depth = depth,
		.seed = seed, .host = host, .kind = FRONTIER_PAGE,
	};

	return fr->ops->push(fr, &it);
}

bool frontier_push_work(struct frontier *fr, int kind, const char *url,
			const char *parent, long seed, int level,
			unsigned list, unsigned pos)
{
	struct crawl_item it = {
		.url = (char *)url, .parent = (char *)parent, .seed = seed,
		.kind = kind, .level = level, .list = list, .pos = pos,
	};

	return fr->ops->push(fr, &it);
}

const char *frontier_host(struct frontier *fr, const char *host)
{
	return fr->ops->host(fr, host);
}

void frontier_mark(struct frontier *fr, const char *url)
{
	fr->ops->mark(fr, url);
}

bool frontier_seen(const struct frontier *fr, const char *url)
{
	return fr->ops->seen(fr, url);
}

bool frontier_full(const struct frontier *fr)
{
	return fr->ops->full(fr);
}

int frontier_pop(struct frontier *fr, struct crawl_item *item)
{
	return fr->ops->pop(fr, item);
}

void frontier_done(struct frontier *fr, const struct crawl_item *item,
		   long status, const char *record)
{
	fr->ops->done(fr, item, status, record);
}

size_t frontier_size(const struct frontier *fr)
{
	return fr->ops->size(fr);
}
