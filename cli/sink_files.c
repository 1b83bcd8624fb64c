/*
 * sink_files.c - -o DIR: each body in a file of its own under DIR.
 *
 * A body goes to a temporary file beside its final name (created
 * O_EXCL|O_NOFOLLOW, directories opened O_NOFOLLOW, so nothing is written
 * through a symlink), renamed to the final name when the transfer
 * succeeded and removed when it failed. A file is its job's alone: no
 * lock, also with -j.
 */
#define _XOPEN_SOURCE 700             /* nftw() */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gf.h"
#include "mirror.h"
#include "outname.h"
#include "sink.h"
#include "url.h"

struct file {
	struct sink_part part;        /* part.hook = &hook */
	struct gf_body hook;          /* what fetch writes to */
	struct files *all;            /* owner */
	uint64_t seq;                 /* for the temporary name */
	char *name;                   /* final name under DIR (owned), NULL =
					 the URL has none */
	int dir_fd;                   /* its directory, -1 = not open */
	int fd;                       /* the temporary file, -1 = none */
	char *tmp;                    /* its name in dir_fd (owned) */
	char error[256];              /* why a write failed */
};

struct files {
	struct sink sink;
	const char *dir;              /* -o DIR, as given */
	const char *tmpl;             /* --output-template, or NULL */
	int dir_fd;                   /* DIR */
	struct outnames *names;       /* names given out */
	struct mirror *mirror;        /* --convert-links: what was saved */
};

/* Open (creating) the directories of f->name under DIR, never through a
 * symlink; the last one stays open in f->dir_fd. Returns the file's own
 * name within it. */
static const char *file_open_dirs(struct file *f)
{
	char *path = f->name, *slash;
	int fd = dup(f->all->dir_fd);

	while(fd >= 0 && (slash = strchr(path, '/'))) {
		int next;

		*slash = '\0';
		mkdirat(fd, path, 0777);
		next = openat(fd, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		*slash = '/';
		if(next < 0)
			snprintf(f->error, sizeof(f->error), "cannot save to %s/%s: %s",
				 f->all->dir, f->name, strerror(errno));
		close(fd);
		fd = next;
		path = slash + 1;
	}
	f->dir_fd = fd;
	return fd >= 0 ? path : NULL;
}

static bool file_open(struct file *f)
{
	const char *base = file_open_dirs(f);

	if(!base)
		return false;
	f->tmp = gf_aprintf(".%.100s.greenfetch-%ld-%llu.part", base, (long)getpid(),
			    (unsigned long long)f->seq);
	f->fd = f->tmp ? openat(f->dir_fd, f->tmp, O_WRONLY | O_CREAT | O_EXCL |
			       O_NOFOLLOW | O_CLOEXEC, 0666) : -1;
	if(f->fd < 0) {
		snprintf(f->error, sizeof(f->error), "cannot save to %s/%s: %s",
			 f->all->dir, f->name, f->tmp ? strerror(errno) : "out of memory");
		return false;
	}
	return true;
}

static bool file_write(struct file *f, const char *data, size_t len)
{
	if(!f->name) {
		snprintf(f->error, sizeof(f->error), "cannot save to %s: no file "
			 "name for this URL (out of memory?)", f->all->dir);
		return false;
	}
	if(f->fd < 0 && !file_open(f))
		return false;
	if(!gf_write_all(f->fd, data, len)) {
		snprintf(f->error, sizeof(f->error), "cannot save to %s/%s: %s",
			 f->all->dir, f->name, strerror(errno));
		return false;
	}
	return true;
}

static bool file_write_cb(struct gf_body *hook, const char *data, size_t len)
{
	struct file *f = container_of(hook, struct file, hook);

	if(!file_write(f, data, len)) {
		hook->error = f->error;
		return false;
	}
	return true;
}

/* A retry: the file starts again. */
static bool file_reset_cb(struct gf_body *hook)
{
	struct file *f = container_of(hook, struct file, hook);

	if(f->fd >= 0 && (ftruncate(f->fd, 0) < 0 || lseek(f->fd, 0, SEEK_SET) < 0))
		return false;
	hook->error = NULL;
	f->error[0] = '\0';
	return true;
}

/* The name under DIR for url; NULL (and *oom) when out of memory, NULL
 * alone when url is no URL. */
static char *files_name(struct files *all, uint64_t index, const char *url,
			bool *oom)
{
	char why[8], *host, *name;
	int err;
	struct url *u = url_parse(url, 0, &err, why, sizeof(why));
	const char *h;

	*oom = !u && err == URL_NOMEM;
	if(!u)
		return NULL;
	h = url_host(u);
	host = strchr(h, ':') ? gf_aprintf("[%s]", h) : strdup(h);
	name = !host ? NULL : all->tmpl ?
		outname_for_template(all->names, all->tmpl, index, host,
				     url_port_given(u), url_path(u), url_query(u)) :
		outname_for_url(all->names, host, url_port_given(u), url_path(u),
				url_query(u));
	*oom = !name;
	free(host);
	url_free(u);
	return name;
}

static bool files_open(struct sink *s, uint64_t seq,
		       const struct gf_record *rec, bool hidden,
		       struct sink_part **part)
{
	struct files *all = container_of(s, struct files, sink);
	struct file *f;
	bool oom;

	*part = NULL;
	if(hidden)
		return true;
	f = calloc(1, sizeof(*f));
	if(!f)
		return false;
	f->all = all;
	f->seq = seq;
	f->fd = f->dir_fd = -1;
	f->hook.write = file_write_cb;
	f->hook.reset = file_reset_cb;
	f->part.hook = &f->hook;
	f->name = files_name(all, rec->index, rec->url, &oom);
	if(oom) {
		free(f);
		return false;
	}
	*part = &f->part;
	return true;
}

/* Close the file; a temporary one not renamed is removed. */
static void file_close(struct file *f)
{
	if(f->fd >= 0)
		close(f->fd);
	f->fd = -1;
	if(f->tmp && f->dir_fd >= 0)
		unlinkat(f->dir_fd, f->tmp, 0);
	free(f->tmp);
	f->tmp = NULL;
	if(f->dir_fd >= 0)
		close(f->dir_fd);
	f->dir_fd = -1;
}

/* Rename the finished file into place: rec->file, or an error. */
static void file_keep(struct file *f, struct gf_record *rec)
{
	const char *slash = strrchr(f->name, '/');
	char *path = gf_aprintf("%s/%s", f->all->dir, f->name);

	close(f->fd);
	f->fd = -1;
	if(!path) {
		snprintf(f->error, sizeof(f->error), "out of memory");
	} else if(renameat(f->dir_fd, f->tmp, f->dir_fd, slash ? slash + 1 :
			   f->name) == 0) {
		rec->file = path;
		if(f->all->mirror)
			mirror_add(f->all->mirror, rec->url, rec->effective_url,
				   f->name, rec->content_type);
		free(f->tmp);
		f->tmp = NULL;
	} else {
		snprintf(f->error, sizeof(f->error), "cannot save to %s: %s", path,
			 strerror(errno));
		free(path);
	}
}

/* --since: the URL did not change, its file stays as it is (the record
 * names it when it is there). */
static void file_unchanged(struct file *f, struct gf_record *rec)
{
	char *path = gf_aprintf("%s/%s", f->all->dir, f->name);

	if(path && faccessat(f->all->dir_fd, f->name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
		rec->file = path;
		if(f->all->mirror)
			mirror_add(f->all->mirror, rec->url, rec->effective_url,
				   f->name, rec->content_type);
		return;
	}
	free(path);
}

static void files_done(struct sink *s, struct sink_part *part,
		       struct gf_record *rec)
{
	struct file *f = part ? container_of(part, struct file, part) : NULL;

	(void)s;
	if(!f || !f->name)
		return;
	/* A page skipped for robots.txt was never fetched: no file. One
	 * that did not change (--since) keeps the file it has. */
	if(rec->unchanged)
		file_unchanged(f, rec);
	else if(!record_failed(rec) && !rec->skipped && (f->fd >= 0 || file_open(f)))
		file_keep(f, rec);
	if(!rec->file && f->error[0] && !rec->error)
		record_set_error(rec, GF_EXIT_WRITE, "%s", f->error);
	file_close(f);
}

static void files_close(struct sink *s, struct sink_part *part)
{
	struct file *f = container_of(part, struct file, part);

	(void)s;
	file_close(f);
	free(f->name);
	free(f);
}

/* --resume: the name the record's file got then is given again, so that
 * the names after it come out as they did; the mirror learns of it. */
static void files_replay(struct sink *s, const struct gf_record *rec)
{
	struct files *all = container_of(s, struct files, sink);
	bool oom;
	char *name = files_name(all, rec->index, rec->url, &oom);

	if(name && rec->file && all->mirror)
		mirror_add(all->mirror, rec->url, rec->effective_url, name,
			   rec->content_type);
	if(oom)
		gf_oom();
	free(name);
}

/* A temporary file of ours, left by a run that was killed? */
static int leftover_cb(const char *path, const struct stat *st, int type,
		       struct FTW *ftw)
{
	const char *base = path + ftw->base;

	(void)st;
	if(type == FTW_F && base[0] == '.' && strstr(base, ".greenfetch-") &&
	   strlen(base) > 5 && !strcmp(base + strlen(base) - 5, ".part"))
		unlink(path);
	return 0;
}

static void files_finish(struct sink *s)
{
	struct files *all = container_of(s, struct files, sink);

	if(all->mirror)
		mirror_convert(all->mirror, all->dir_fd, all->dir);
}

static void files_free(struct sink *s)
{
	struct files *all = container_of(s, struct files, sink);

	mirror_free(all->mirror);
	if(all->dir_fd >= 0)
		close(all->dir_fd);
	outnames_free(all->names);
	free(all);
}

static const struct sink_ops files_ops = {
	.open = files_open,
	.replay = files_replay,
	.done = files_done,
	.close = files_close,
	.finish = files_finish,
	.free = files_free,
};

struct sink *sink_files_new(const struct gf_config *cfg, char *err,
			    size_t errlen)
{
	struct files *all = calloc(1, sizeof(*all));

	err[0] = '\0';
	if(!all)
		return NULL;
	all->sink.ops = &files_ops;
	all->dir = cfg->output_dir;
	all->tmpl = cfg->output_template;
	all->names = outnames_new();
	all->mirror = cfg->convert_links ? mirror_new() : NULL;
	mkdir(all->dir, 0777);
	if(cfg->resume)
		nftw(all->dir, leftover_cb, 16, FTW_PHYS);
	all->dir_fd = open(all->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if(all->dir_fd < 0 || !all->names || (cfg->convert_links && !all->mirror)) {
		if(all->dir_fd < 0)
			snprintf(err, errlen, "-o %s: %s", all->dir, strerror(errno));
		files_free(&all->sink);
		return NULL;
	}
	return &all->sink;
}
