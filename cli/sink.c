/*
 * sink.c - the sinks of a run, and the tee a body goes through to them.
 */
#include "sink.h"

#include "gf.h"

bool sinks_add(struct sinks *all, struct sink *s)
{
	if(!s)
		return false;
	if(all->n == SINKS_MAX) {
		s->ops->free(s);
		return false;
	}
	all->sink[all->n++] = s;
	return true;
}

void sinks_free(struct sinks *all)
{
	for(size_t i = 0; i < all->n; i++)
		all->sink[i]->ops->free(all->sink[i]);
	all->n = 0;
}

/* The body to each part that takes it, in the order of the sinks; the
 * first that cannot take it stops the transfer with its reason. */
static bool tee_write(struct gf_body *tee, const char *data, size_t len)
{
	struct sinks_job *job = container_of(tee, struct sinks_job, tee);

	for(size_t i = 0; i < SINKS_MAX; i++) {
		struct gf_body *hook = job->part[i] ? job->part[i]->hook : NULL;

		if(!hook)
			continue;
		hook->content_type = tee->content_type;
		if(!hook->write(hook, data, len)) {
			tee->error = hook->error;
			return false;
		}
	}
	return true;
}

/* A retry: every part starts again, or the retry cannot be. */
static bool tee_reset(struct gf_body *tee)
{
	struct sinks_job *job = container_of(tee, struct sinks_job, tee);
	bool ok = true;

	for(size_t i = 0; i < SINKS_MAX; i++) {
		struct gf_body *hook = job->part[i] ? job->part[i]->hook : NULL;

		if(hook && hook->reset && !hook->reset(hook))
			ok = false;
	}
	tee->error = NULL;
	return ok;
}

bool sinks_open(struct sinks *all, struct sinks_job *job, uint64_t seq,
		const struct gf_record *rec, bool hidden)
{
	size_t hooks = 0;

	*job = (struct sinks_job){ .hidden = hidden };
	for(size_t i = 0; i < all->n; i++) {
		struct sink *s = all->sink[i];

		if(s->ops->open && !s->ops->open(s, seq, rec, hidden, &job->part[i])) {
			sinks_close(all, job);
			return false;
		}
		if(job->part[i] && job->part[i]->tap)
			job->tap = job->part[i]->tap;
		if(job->part[i] && job->part[i]->hook) {
			job->hook = job->part[i]->hook;
			hooks++;
		}
	}
	if(hooks > 1) {
		job->tee.write = tee_write;
		job->tee.reset = tee_reset;
		job->hook = &job->tee;
	}
	return true;
}

void sinks_replay(struct sinks *all, const struct gf_record *rec)
{
	for(size_t i = 0; i < all->n; i++)
		if(all->sink[i]->ops->replay)
			all->sink[i]->ops->replay(all->sink[i], rec);
}

void sinks_done(struct sinks *all, struct sinks_job *job, struct gf_record *rec)
{
	for(size_t i = 0; i < all->n; i++)
		if(all->sink[i]->ops->done)
			all->sink[i]->ops->done(all->sink[i], job->part[i], rec);
}

int sinks_release(struct sinks *all, struct sinks_job *job, uint64_t seq,
		  const struct gf_record *rec)
{
	int first = GF_OK;

	for(size_t i = 0; i < all->n; i++) {
		struct sink *s = all->sink[i];
		int rc = s->ops->release ? s->ops->release(s, job->part[i], seq, rec,
							   job->hidden) : GF_OK;

		if(!first)
			first = rc;
	}
	return first;
}

void sinks_close(struct sinks *all, struct sinks_job *job)
{
	for(size_t i = 0; i < all->n; i++) {
		if(job->part[i])
			all->sink[i]->ops->close(all->sink[i], job->part[i]);
		job->part[i] = NULL;
	}
	job->hook = NULL;
}

void sinks_finish(struct sinks *all)
{
	for(size_t i = 0; i < all->n; i++)
		if(all->sink[i]->ops->finish)
			all->sink[i]->ops->finish(all->sink[i]);
}

int sinks_flush(struct sinks *all)
{
	int first = GF_OK;

	for(size_t i = 0; i < all->n; i++) {
		struct sink *s = all->sink[i];
		int rc = s->ops->flush ? s->ops->flush(s) : GF_OK;

		if(!first)
			first = rc;
	}
	return first;
}
