/*
 * backend.c - the three backends behind one small ops table.
 */
#include "backend.h"

#include <curl/curl.h>
#include <stdlib.h>

#include "fetch.h"
#include "hub.h"
#include "hubs.h"
#include "serial.h"

struct backend_ops {
	void (*start)(void *impl, const struct gf_config *cfg,
		      struct gf_record *rec, struct gf_body *body,
		      backend_done_fn done, void *arg);
	void (*drain)(void *impl);
	void (*free)(void *impl);
};

struct backend {
	const struct backend_ops *ops;
	void *impl;                   /* the fetch, hubs or serial */
};

static void hub_start(void *impl, const struct gf_config *cfg,
		      struct gf_record *rec, struct gf_body *body,
		      backend_done_fn done, void *arg)
{
	fetch_start(impl, cfg, rec, body, done, arg);
}

static void hub_drain(void *impl) { fetch_drain(impl); }
static void hub_free_impl(void *impl) { fetch_free(impl); }

static const struct backend_ops hub_ops = { hub_start, hub_drain, hub_free_impl };

static void threads_start(void *impl, const struct gf_config *cfg,
			  struct gf_record *rec, struct gf_body *body,
			  backend_done_fn done, void *arg)
{
	hubs_start(impl, cfg, rec, body, done, arg);
}

static void threads_drain(void *impl) { hubs_drain(impl); }
static void threads_free(void *impl) { hubs_free(impl); }

static const struct backend_ops threads_ops = {
	threads_start, threads_drain, threads_free
};

static void serial_start(void *impl, const struct gf_config *cfg,
			 struct gf_record *rec, struct gf_body *body,
			 backend_done_fn done, void *arg)
{
	done(arg, serial_try(impl, cfg, rec, body));
}

static void serial_drain(void *impl) { (void)impl; }
static void serial_free_impl(void *impl) { serial_free(impl); }

static const struct backend_ops serial_ops = {
	serial_start, serial_drain, serial_free_impl
};

struct backend *backend_new(struct hub *hub, const struct gf_config *cfg,
			    const struct backend_hooks *hooks, const char **error)
{
	struct backend *b = calloc(1, sizeof(*b));

	*error = "out of memory";
	if(!b)
		return NULL;
	if(cfg->serial) {
		b->ops = &serial_ops;
		b->impl = serial_new(cfg, hooks->log, hooks->stop, hooks->stop_arg);
		if(!b->impl)
			*error = "cannot start curl";
	} else if(cfg->hubs > 1) {
		b->ops = &threads_ops;
		b->impl = hubs_new(hub, cfg, hooks->log, cfg->hubs, error);
	} else {
		b->ops = &hub_ops;
		b->impl = fetch_new(hub_loop(hub), cfg, hooks->log, error);
	}
	if(!b->impl) {
		free(b);
		return NULL;
	}
	return b;
}

void backend_free(struct backend *b)
{
	if(!b)
		return;
	b->ops->free(b->impl);
	free(b);
}

void backend_start(struct backend *b, const struct gf_config *cfg,
		   struct gf_record *rec, struct gf_body *body,
		   backend_done_fn done, void *arg)
{
	b->ops->start(b->impl, cfg, rec, body, done, arg);
}

void backend_drain(struct backend *b)
{
	b->ops->drain(b->impl);
}

const char *backend_error_name(int exitcode)
{
	return curl_easy_strerror((CURLcode)exitcode);
}
