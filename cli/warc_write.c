/*
 * warc_write.c - the archive's files and records (see sink_warc.c): the
 * warcinfo record each file starts with, a released job's hops as request
 * and response (or revisit) records, the file rotated past --warc-max-size,
 * and the CDXJ index, sorted at the end for replay tools.
 */
#define _GNU_SOURCE                   /* strcasestr() */
#include "warc_impl.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fetch.h"
#include "fpset.h"
#include "url.h"
#include "version.h"

/* ------------------------------------------------------------- files */

/* Is argv[i] a -u value ("-u X", "--user X", "--user=X", "-uX")? */
static bool user_argument(char **argv, int i)
{
	const char *a = argv[i], *prev = i > 0 ? argv[i - 1] : "";

	return !strcmp(prev, "-u") || !strcmp(prev, "--user") ||
	       !strncmp(a, "--user=", 7) || (a[0] == '-' && a[1] == 'u' && a[2]);
}

/* USER:PASSWORD as USER:*** (the option's name kept). */
static void mask_password(struct gf_buf *b, const char *a)
{
	const char *colon = strchr(a, ':');

	gf_buf_add(b, a, colon ? (size_t)(colon - a) : strlen(a));
	if(colon)
		gf_buf_str(b, ":***");
}

/* The command line for warcinfo, passwords masked, credentials of -H
 * left out. */
static void command_line(const struct gf_config *cfg, struct gf_buf *b)
{
	for(int i = 0; i < cfg->argc; i++) {
		const char *a = cfg->argv[i];
		int oom = 0;
		char *masked = url_mask(a, &oom);

		if(i)
			gf_buf_add(b, " ", 1);
		if(user_argument(cfg->argv, i))
			mask_password(b, a);
		else if(i > 0 && (!strcmp(cfg->argv[i - 1], "-H") ||
			     !strcmp(cfg->argv[i - 1], "--header")) && strchr(a, ':') &&
		   (strncasecmp(a, "authorization", 13) == 0 || strcasestr(a, "token") ||
		    strncasecmp(a, "cookie", 6) == 0))
			gf_buf_str(b, "***");
		else
			gf_buf_str(b, masked ? masked : oom ? "***" : a);
		free(masked);
	}
}

static bool write_warcinfo(struct warcs *all)
{
	struct gf_buf fields = { 0 }, block = { 0 };
	char date[WARC_DATE_LEN], line[768], versions[256];
	const char *name = strrchr(all->path, '/');
	uint64_t at, len;
	struct warc_piece piece;
	bool ok;

	warc_new_id(all->warcinfo_id);
	warc_date(warc_now(), date);
	snprintf(line, sizeof(line), "WARC-Type: warcinfo\r\nWARC-Record-ID: %s\r\n"
		 "WARC-Date: %s\r\nWARC-Filename: %s\r\n"
		 "Content-Type: application/warc-fields\r\n", all->warcinfo_id, date,
		 name ? name + 1 : all->path);
	gf_buf_str(&fields, line);
	snprintf(line, sizeof(line), "software: greenfetch/%s (%s)\r\n"
		 "format: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/"
		 "warc-specifications/specifications/warc-format/warc-1.1/\r\ncommand: ",
		 GF_VERSION, fetch_versions(versions, sizeof(versions)));
	for(char *nl = strchr(line, '\n'); nl && nl < strstr(line, ")\r\n"); nl = strchr(nl, '\n'))
		*nl = ',';            /* the versions on one line */
	gf_buf_str(&block, line);
	command_line(all->cfg, &block);
	gf_buf_str(&block, "\r\n");
	piece = (struct warc_piece){ .p = block.s, .len = block.len, .fd = -1 };
	ok = !fields.oom && !block.oom &&
	     warc_out_record(all->out, fields.s, &piece, 1, &at, &len);
	free(fields.s);
	free(block.s);
	return ok;
}

/* Say why the archive cannot be written, once; the run stops. */
static int warc_failed(struct warcs *all, const char *what)
{
	if(!atomic_exchange(&all->failed, true))
		fprintf(stderr, "greenfetch: --warc-file %s: %s: no more URLs are "
			"started\n", what, strerror(errno));
	return GF_EIO;
}

/* The next file: FILE.warc.gz, or with --warc-max-size FILE-00001...; it
 * starts with warcinfo. */
static int next_file(struct warcs *all)
{
	char err[512];

	if(all->out && !warc_out_close(all->out)) {
		all->out = NULL;
		return warc_failed(all, all->path);
	}
	all->out = NULL;
	free(all->path);
	all->path = all->cfg->warc_max_size ?
		gf_aprintf("%s-%05u%s", all->base, ++all->serial, all->ext) :
		gf_aprintf("%s%s", all->base, all->ext);
	if(!all->path)
		return errno = ENOMEM, warc_failed(all, all->base);
	/* A new run starts the archive afresh; --resume goes on with it. */
	if(!(all->out = warc_out_open(all->path, !strcmp(all->ext, ".warc.gz"),
				      !all->cfg->resume, err, sizeof(err)))) {
		if(!atomic_exchange(&all->failed, true))
			fprintf(stderr, "greenfetch: %s\n", err);
		return GF_EIO;
	}
	if(warc_out_size(all->out) == 0 && !write_warcinfo(all))
		return warc_failed(all, all->path);
	return GF_OK;
}

/* --resume: the file a killed run was writing may end in a member cut
 * short; it is cut off, so that what follows is an archive again. With
 * --warc-max-size the files go on from the last one. */
static void warc_repair_all(struct warcs *all)
{
	char *path = NULL;
	int64_t cut;

	if(all->cfg->warc_max_size) {
		for(;;) {
			char *next = gf_aprintf("%s-%05u%s", all->base, all->serial + 1, all->ext);

			if(!next || access(next, F_OK) != 0) {
				free(next);
				break;
			}
			free(path);
			path = next;
			all->serial++;
		}
		if(all->serial)
			all->serial--;    /* next_file() opens the last one again */
	} else {
		path = gf_aprintf("%s%s", all->base, all->ext);
	}
	if(path && (cut = warc_repair(path)) > 0)
		fprintf(stderr, "greenfetch: --warc-file %s: its last %lld bytes were "
			"a record cut short (a crash?): dropped\n", path, (long long)cut);
	free(path);
}

/* ----------------------------------------------------------- records */

/* The chunked framing undone, for the payload digest. */
static void dechunk(struct hop *h, const char *p, size_t n)
{
	struct dechunk *d = &h->dc;

	while(n > 0) {
		if(d->state == CH_DATA) {
			size_t k = n < d->left ? n : (size_t)d->left;

			warc_digest_add(&h->payload, p, k);
			p += k, n -= k, d->left -= k;
			if(d->left == 0)
				d->state = CH_DATA_END;
			continue;
		}
		char c = *p++;

		n--;
		switch(d->state) {
		case CH_SIZE:
			if(isxdigit((unsigned char)c) && d->left < (UINT64_MAX >> 4))
				d->left = d->left * 16 + (uint64_t)(isdigit((unsigned char)c) ?
					  c - '0' : tolower((unsigned char)c) - 'a' + 10);
			else
				d->state = c == '\n' ? (d->left ? CH_DATA : CH_TRAILER) : CH_EXT;
			break;
		case CH_EXT:
			if(c == '\n')
				d->state = d->left ? CH_DATA : CH_TRAILER;
			break;
		case CH_DATA_END:
			if(c == '\n')
				d->state = CH_SIZE, d->left = 0;
			break;
		case CH_TRAILER:
			/* Lines until an empty one; the framing is over then. */
			if(c == '\n')
				d->state = d->line_len ? CH_TRAILER : CH_DONE;
			d->line_len = c == '\n' ? 0 : d->line_len + (c != '\r');
			break;
		default:
			break;
		}
	}
}

/* Is the last response of the header chunked (HTTP/1.x)? */
static bool header_chunked(const struct gf_buf *hd)
{
	const char *last = hd->s, *p, *te;

	if(!hd->s)
		return false;
	for(p = hd->s; (p = strstr(p, "HTTP/")); p += 5)
		if(p == hd->s || p[-1] == '\n')
			last = p;
	if(strncmp(last, "HTTP/1", 6) != 0)
		return false;
	te = strcasestr(last, "\ntransfer-encoding:");
	return te && strcasestr(te, "chunked") &&
	       strcasestr(te, "chunked") < strchr(te + 1, '\n');
}

bool warc_hop_digests_start(struct hop *h)
{
	if(h->digesting)
		return true;
	if(!warc_digest_init(&h->block) || !warc_digest_init(&h->payload))
		return false;
	h->digesting = true;
	h->chunked = header_chunked(&h->header);
	warc_digest_add(&h->block, h->header.s, h->header.len);
	warc_hop_body_digest(h, h->body.s, h->body.len);
	return true;
}

void warc_hop_body_digest(struct hop *h, const char *p, size_t n)
{
	warc_digest_add(&h->block, p, n);
	if(h->chunked > 0)
		dechunk(h, p, n);
	else
		warc_digest_add(&h->payload, p, n);
}

/* The hop's block and payload digests, as its bytes came. */
static bool hop_digests(struct hop *h, char block[WARC_DIGEST_LEN],
			char payload[WARC_DIGEST_LEN])
{
	if(!warc_hop_digests_start(h) || !h->block.ctx || !h->payload.ctx)
		return errno = ENOMEM, false;
	warc_digest_end(&h->block, block);
	warc_digest_end(&h->payload, payload);
	return true;
}

/* The fields every record of a hop has. */
static void common_fields(struct warcs *all, const struct hop *h, const char *type,
			  const char *id, struct gf_buf *f)
{
	char date[WARC_DATE_LEN], line[256];

	warc_date(h->date, date);
	snprintf(line, sizeof(line), "WARC-Type: %s\r\nWARC-Record-ID: %s\r\n"
		 "WARC-Date: %s\r\nWARC-Warcinfo-ID: %s\r\nWARC-Target-URI: ", type, id,
		 date, all->warcinfo_id);
	gf_buf_str(f, line);
	gf_buf_str(f, h->url);
	gf_buf_str(f, "\r\n");
	if(h->ip[0]) {
		gf_buf_str(f, "WARC-IP-Address: ");
		gf_buf_str(f, h->ip);
		gf_buf_str(f, "\r\n");
	}
}

/* The response (or revisit: a 304 to --since) of a hop. */
/* --warc-dedup: the first response of a payload, by its digest: its
 * URI and date, for the revisits of the same payload. */
static const char *dedup_find(struct warcs *all, const char *payload, const struct hop *h)
{
	uint64_t fp = fp_str(payload, 0);
	size_t i;

	if(4 * (all->nseen + 1) > 3 * all->cap_seen) {
		size_t cap = all->cap_seen ? 2 * all->cap_seen : 1024;
		struct seen_payload *more = calloc(cap, sizeof(*more));

		if(!more)
			return NULL;
		for(size_t k = 0; k < all->cap_seen; k++)
			if(all->seen[k].fp) {
				for(i = all->seen[k].fp & (cap - 1); more[i].fp; i = (i + 1) & (cap - 1))
					;
				more[i] = all->seen[k];
			}
		free(all->seen);
		all->seen = more;
		all->cap_seen = cap;
	}
	for(i = fp & (all->cap_seen - 1); all->seen[i].fp; i = (i + 1) & (all->cap_seen - 1))
		if(all->seen[i].fp == fp)
			return all->seen[i].first;
	{
		char date[WARC_DATE_LEN];

		warc_date(h->date, date);
		all->seen[i].first = gf_aprintf("%s\r\nWARC-Refers-To-Date: %s", h->url, date);
		all->seen[i].fp = all->seen[i].first ? fp : 0;
		all->nseen += all->seen[i].first != NULL;
	}
	return NULL;
}

static bool write_response(struct warcs *all, struct hop *h, const char *id,
			   bool revisit)
{
	struct gf_buf f = { 0 };
	char block[WARC_DIGEST_LEN], payload[WARC_DIGEST_LEN];
	struct warc_piece piece[2] = {
		{ .p = h->header.s, .len = h->header.len, .fd = -1 },
		{ .p = h->body.s, .len = h->body_fd >= 0 ? h->body_len : h->body.len,
		  .fd = h->body_fd },
	};
	const char *first = NULL;
	uint64_t at, len;
	bool ok;

	if(!hop_digests(h, block, payload))
		return false;
	if(!revisit && all->cfg->warc_dedup && h->body_len && !h->truncated &&
	   (first = dedup_find(all, payload, h))) {
		struct warc_digest d;         /* the block is the header alone */

		if(!warc_digest_init(&d))
			return errno = ENOMEM, false;
		warc_digest_add(&d, h->header.s, h->header.len);
		warc_digest_end(&d, block);
		warc_digest_free(&d);
		piece[1].len = 0;
		piece[1].fd = -1;
	}
	common_fields(all, h, revisit || first ? "revisit" : "response", id, &f);
	gf_buf_str(&f, "Content-Type: application/http;msgtype=response\r\n"
		   "WARC-Block-Digest: ");
	gf_buf_str(&f, block);
	if(first) {
		gf_buf_str(&f, "\r\nWARC-Profile: http://netpreserve.org/warc/1.1/"
			   "revisit/identical-payload-digest\r\nWARC-Payload-Digest: ");
		gf_buf_str(&f, payload);
		gf_buf_str(&f, "\r\nWARC-Refers-To-Target-URI: ");
		gf_buf_str(&f, first);
	} else if(revisit) {
		gf_buf_str(&f, "\r\nWARC-Profile: http://netpreserve.org/warc/1.1/"
			   "revisit/server-not-modified\r\nWARC-Refers-To-Target-URI: ");
		gf_buf_str(&f, h->url);
	} else {
		gf_buf_str(&f, "\r\nWARC-Payload-Digest: ");
		gf_buf_str(&f, payload);
	}
	gf_buf_str(&f, "\r\n");
	if(h->truncated || h->failed) {
		gf_buf_str(&f, "WARC-Truncated: ");
		gf_buf_str(&f, h->truncated ? h->truncated : "unspecified");
		gf_buf_str(&f, "\r\n");
	}
	if(h->pack_failed)
		h->packed.failed = true;
	ok = !f.oom && (h->packing && !first ?
			warc_out_record_deflated(all->out, f.s, &piece[0], &h->packed, &at, &len) :
			warc_out_record(all->out, f.s, piece, 2, &at, &len));
	if(ok)
		warc_cdx_line(all, h, revisit ? NULL : payload, at, len,
			 revisit || first ? "revisit" : "response");
	free(f.s);
	return ok;
}

static bool write_request(struct warcs *all, const struct hop *h, const char *id,
			  const char *response_id)
{
	struct gf_buf f = { 0 };
	struct warc_digest d;
	char digest[WARC_DIGEST_LEN];
	struct warc_piece piece = { .p = h->request.s, .len = h->request.len, .fd = -1 };
	uint64_t at, len;
	bool ok;

	if(!warc_digest_init(&d))
		return errno = ENOMEM, false;
	warc_digest_add(&d, h->request.s, h->request.len);
	warc_digest_end(&d, digest);
	warc_digest_free(&d);
	common_fields(all, h, "request", id, &f);
	gf_buf_str(&f, "WARC-Concurrent-To: ");
	gf_buf_str(&f, response_id);
	gf_buf_str(&f, "\r\nContent-Type: application/http;msgtype=request\r\n"
		   "WARC-Block-Digest: ");
	gf_buf_str(&f, digest);
	gf_buf_str(&f, "\r\n");
	ok = !f.oom && warc_out_record(all->out, f.s, &piece, 1, &at, &len);
	free(f.s);
	return ok;
}

/* A job's hops, on their way to the writer and back. */
struct warc_task {
	struct warcs *all;
	struct hop *first;
	bool unchanged;
	struct warc_task *done_next;  /* in all->done */
};

static void write_hops(struct warcs *all, struct hop *first, bool unchanged)
{
	if(all->cfg->warc_max_size && warc_out_size(all->out) >= all->cfg->warc_max_size &&
	   next_file(all))
		return;
	for(struct hop *h = first; h; h = h->next) {
		char req_id[WARC_ID_LEN], resp_id[WARC_ID_LEN];
		bool revisit = !h->next && unchanged;

		if(!h->header.len)
			continue;         /* no response: nothing came to archive */
		warc_new_id(req_id);
		warc_new_id(resp_id);
		if(!write_response(all, h, resp_id, revisit) ||
		   (h->request.len && !write_request(all, h, req_id, resp_id))) {
			warc_failed(all, all->path);
			return;
		}
	}
}

/* On the writer thread: the records, then the task back to the hub. */
static void task_run(void *arg)
{
	struct warc_task *t = arg;
	struct warcs *all = t->all;

	if(!atomic_load(&all->failed))
		write_hops(all, t->first, t->unchanged);
	t->done_next = atomic_load(&all->done);
	while(!atomic_compare_exchange_weak(&all->done, &t->done_next, t))
		;
}

/* On the hub: the jobs written. */
static void free_done(struct warcs *all)
{
	struct warc_task *t = atomic_exchange(&all->done, NULL);

	while(t) {
		struct warc_task *next = t->done_next;

		while(t->first) {
			struct hop *h = t->first->next;

			hop_free(t->first);
			t->first = h;
		}
		free(t);
		t = next;
	}
}

void warc_queue(struct warcs *all, struct part *pt, bool unchanged)
{
	struct warc_task *t;
	size_t bytes = 0;

	free_done(all);
	if(!pt->first)
		return;
	if(!(t = malloc(sizeof(*t)))) {
		errno = ENOMEM;
		warc_failed(all, all->path);
		return;
	}
	*t = (struct warc_task){ .all = all, .first = pt->first, .unchanged = unchanged };
	for(struct hop *h = pt->first; h; h = h->next) {
		warc_hop_pack_end(all, h);    /* a hop that never said it ended */
		/* A packed body is in its file, not in memory. */
		bytes += h->header.len + h->request.len + (h->packing ? 0 : (size_t)h->body_len);
	}
	pt->first = pt->last = NULL;
	if(!writer_put(all->writer, task_run, t, bytes)) {
		pt->first = t->first;         /* freed with the part */
		free(t);
		errno = ENOMEM;
		warc_failed(all, all->path);
	}
}

/* ------------------------------------------------------ the whole sink */

/* The writer ran dry, or a journal line is to follow: the records held
 * to the file. */
static void warcs_idle(void *arg)
{
	struct warcs *all = arg;

	if(all->out && !atomic_load(&all->failed) && !warc_out_flush(all->out))
		warc_failed(all, all->path);
}

struct warcs *warc_new(const struct gf_config *cfg, struct writer *writer,
		       char *err, size_t errlen)
{
	struct warcs *all = calloc(1, sizeof(*all));
	const char *file = cfg->warc_file;
	size_t n = strlen(file);

	err[0] = '\0';
	if(!all)
		return NULL;
	all->cfg = cfg;
	all->writer = writer;
	all->ext = n > 8 && !strcmp(file + n - 8, ".warc.gz") ? ".warc.gz" :
		   n > 5 && !strcmp(file + n - 5, ".warc") ? ".warc" : NULL;
	all->base = strndup(file, all->ext ? n - strlen(all->ext) : n);
	if(!all->ext)
		all->ext = ".warc.gz";
	all->gzip = !strcmp(all->ext, ".warc.gz");
	if(!all->base) {
		free(all);
		return NULL;
	}
	if(cfg->resume && !strcmp(all->ext, ".warc.gz"))
		warc_repair_all(all);
	if(next_file(all)) {
		snprintf(err, errlen, "--warc-file %s: cannot be written", file);
		warc_free(&all->sink);
		return NULL;
	}
	writer_on_idle(writer, warcs_idle, all);
	if(cfg->warc_cdx && (!(all->cdx_path = gf_aprintf("%s.cdxj", all->base)) ||
			     !(all->cdx = fopen(all->cdx_path, cfg->resume ? "ae" : "we")))) {
		snprintf(err, errlen, "--warc-cdx %s: %s", all->cdx_path ? all->cdx_path :
			 file, strerror(errno));
		warc_free(&all->sink);
		return NULL;
	}
	return all;
}

void warc_finish(struct sink *s)
{
	struct warcs *all = container_of(s, struct warcs, sink);

	writer_drain(all->writer);
	if(all->cdx) {
		fclose(all->cdx);
		all->cdx = NULL;
		warc_cdx_sort(all);
	}
}

void warc_free(struct sink *s)
{
	struct warcs *all = container_of(s, struct warcs, sink);

	writer_drain(all->writer);
	writer_on_idle(all->writer, NULL, NULL);
	free_done(all);
	if(all->out && !warc_out_close(all->out))
		warc_failed(all, all->path);
	if(all->cdx)
		fclose(all->cdx);
	for(size_t i = 0; i < all->cap_seen; i++)
		free(all->seen[i].first);
	free(all->seen);
	free(all->cdx_path);
	free(all->path);
	free(all->base);
	free(all);
}
