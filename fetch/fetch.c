/*
 * fetch.c - one URL at a time on the hub, many at once.
 *
 * Each URL gets a struct fetch_job (an xfer plus what the hub needs); the job
 * is freed by fetch_finish(), which every path ends in exactly once. Between
 * hops the job holds its easy handle, so a redirect to the same host can reuse
 * the connection; handles go back to a free list afterwards.
 */
#include "fetch.h"

#include <ares.h>
#include <stdio.h>
#include <stdlib.h>

#include "dns.h"
#include "gf.h"
#include "multi.h"
#include "xfer.h"

struct fetch {
	const struct gf_config *cfg;  /* options */
	struct multi *multi;          /* curl on the hub */
	struct dns *dns;              /* c-ares on the hub */
	struct curl_slist *headers;   /* request headers, shared by all */
	CURL **spare;                 /* easy handles ready for reuse */
	size_t nspare;                /* how many */
	size_t spare_cap;             /* room in spare */
	struct fetch_job *jobs;       /* every job started and not finished */
	bool closing;                 /* in fetch_free(): start nothing */
};

struct fetch_job {
	struct xfer x;                /* the transfer */
	struct fetch *f;              /* owner */
	struct curl_slist *resolve;   /* CURLOPT_RESOLVE entry of this hop */
	fetch_done_fn done;           /* whom to tell */
	void *arg;                    /* its argument */
	bool in_multi;                /* the easy handle is in the multi handle */
	struct fetch_job *prev;       /* list of f->jobs */
	struct fetch_job *next;
};

static void fetch_hop(struct fetch_job *job);

static CURL *fetch_easy_get(struct fetch *f)
{
	if(f->nspare > 0)
		return f->spare[--f->nspare];
	return curl_easy_init();
}

static void fetch_easy_put(struct fetch *f, CURL *easy)
{
	if(!easy)
		return;
	if(f->nspare == f->spare_cap) {
		size_t cap = f->spare_cap ? 2 * f->spare_cap : 16;
		CURL **more = realloc(f->spare, cap * sizeof(*more));

		if(!more) {
			curl_easy_cleanup(easy);
			return;
		}
		f->spare = more;
		f->spare_cap = cap;
	}
	f->spare[f->nspare++] = easy;
}

static void fetch_finish(struct fetch_job *job)
{
	struct fetch *f = job->f;
	fetch_done_fn done = job->done;
	void *arg = job->arg;

	if(job->prev)
		job->prev->next = job->next;
	else
		f->jobs = job->next;
	if(job->next)
		job->next->prev = job->prev;
	xfer_end(&job->x);
	fetch_easy_put(job->f, job->x.easy);
	curl_slist_free_all(job->resolve);
	free(job);
	done(arg);
}

/* Start the current hop on curl, with addrs (NULL: an IP literal). */
static void fetch_launch(struct fetch_job *job, const char *addrs)
{
	struct fetch *f = job->f;
	CURL *easy = job->x.easy ? job->x.easy : fetch_easy_get(f);

	if(f->closing || !easy) {
		xfer_fail(&job->x, f->closing ? "interrupted" : "out of memory");
		fetch_easy_put(f, easy);
		fetch_finish(job);
		return;
	}
	job->x.easy = easy;
	curl_slist_free_all(job->resolve);
	job->resolve = NULL;
	if(addrs) {
		char *entry = gf_aprintf("%s:%ld:%s", job->x.host, job->x.port,
					 addrs);

		job->resolve = entry ? curl_slist_append(NULL, entry) : NULL;
		free(entry);
		if(!job->resolve) {
			xfer_fail(&job->x, "out of memory");
			fetch_finish(job);
			return;
		}
	}
	if(!xfer_prepare(&job->x, easy, f->headers)) {
		fetch_finish(job);
		return;
	}
	curl_easy_setopt(easy, CURLOPT_RESOLVE, job->resolve);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, job);
	job->in_multi = multi_add(f->multi, easy);
	if(!job->in_multi) {
		xfer_fail(&job->x, "cannot start the transfer");
		fetch_finish(job);
	}
}

static void fetch_dns_cb(void *arg, const char *addrs, const char *error)
{
	struct fetch_job *job = arg;

	if(!addrs) {
		xfer_fail(&job->x, "%s", error ? error : "could not resolve host");
		fetch_finish(job);
		return;
	}
	fetch_launch(job, addrs);
}

static void fetch_hop(struct fetch_job *job)
{
	if(job->x.ip_literal)
		fetch_launch(job, NULL);
	else
		dns_resolve(job->f->dns, job->x.host, fetch_dns_cb, job);
}

static void fetch_multi_done_cb(void *arg, CURL *easy, CURLcode result)
{
	struct fetch_job *job = NULL;

	(void)arg;
	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&job);
	job->in_multi = false;
	if(xfer_hop_done(&job->x, result) == XFER_HOP)
		fetch_hop(job);
	else
		fetch_finish(job);
}

struct fetch *fetch_new(struct ev_loop *loop, const struct gf_config *cfg,
			const char **error)
{
	struct fetch *f = calloc(1, sizeof(*f));
	bool ok;

	*error = "out of memory";
	if(!f)
		return NULL;
	f->cfg = cfg;
	f->headers = xfer_headers(cfg, &ok);
	f->dns = ok ? dns_new(loop, cfg, error) : NULL;
	if(f->dns) {
		f->multi = multi_new(loop, (long)cfg->concurrency * 2,
				     fetch_multi_done_cb, f);
		if(!f->multi)
			*error = "cannot start curl";
	}
	if(!f->multi) {
		fetch_free(f);
		return NULL;
	}
	return f;
}

void fetch_free(struct fetch *f)
{
	if(!f)
		return;
	/* Finish what is still running: the jobs waiting for names get a
	 * failure from dns_free(), the rest are taken out of curl. */
	f->closing = true;
	dns_free(f->dns);
	while(f->jobs) {
		struct fetch_job *job = f->jobs;

		if(job->in_multi)
			multi_remove(f->multi, job->x.easy);
		job->in_multi = false;
		xfer_fail(&job->x, "interrupted");
		fetch_finish(job);
	}
	multi_free(f->multi);
	while(f->nspare > 0)
		curl_easy_cleanup(f->spare[--f->nspare]);
	free(f->spare);
	curl_slist_free_all(f->headers);
	free(f);
}

void fetch_start(struct fetch *f, struct gf_record *rec, fetch_done_fn done,
		 void *arg)
{
	struct fetch_job *job = calloc(1, sizeof(*job));

	if(!job) {
		record_set_error(rec, "out of memory");
		done(arg);
		return;
	}
	job->f = f;
	job->done = done;
	job->arg = arg;
	job->next = f->jobs;
	if(f->jobs)
		f->jobs->prev = job;
	f->jobs = job;
	if(xfer_begin(&job->x, f->cfg, rec) == XFER_DONE)
		fetch_finish(job);
	else
		fetch_hop(job);
}

int fetch_global_init(void)
{
	if(curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return GF_ENOMEM;
	if(ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS) {
		curl_global_cleanup();
		return GF_ENOMEM;
	}
	return GF_OK;
}

void fetch_global_cleanup(void)
{
	ares_library_cleanup();
	curl_global_cleanup();
}

const char *fetch_versions(char *buf, size_t size)
{
	curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	snprintf(buf, size, "libcurl %s (%s)\nc-ares %s", cv->version,
		 cv->ssl_version ? cv->ssl_version : "no TLS", ares_version(NULL));
	return buf;
}
