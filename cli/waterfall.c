/*
 * waterfall.c - --waterfall FILE: every transfer drawn as a browser's
 * network panel draws a page load, in a self-contained SVG written when
 * the run ends. One row per record, in the order records are released;
 * one bar per row, split into its phases:
 *
 *   queue     from start until it left the queue (a slot, its host's turn)
 *   earlier   the hops and retries before the final hop
 *   dns       the final hop's name lookup
 *   connect   its TCP connect
 *   tls       its TLS handshake
 *   wait      its request until the first byte of the response
 *   receive   the rest of the response
 *
 * each from the record's own times (those -w writes: time_queue,
 * time_redirect, time_namelookup, time_connect, time_appconnect,
 * time_starttransfer, time_total), so the picture and -w agree. A phase
 * the hop did not go through (a reused connection: no connect) has no
 * width; a hop that failed in a phase shows that phase to its end.
 *
 * Only the first N rows are kept (--waterfall-rows): a run of a million
 * URLs costs N rows of memory and draws a note of the rest. A password in
 * a URL is drawn as "***", as in the records.
 */
#include "waterfall.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gf.h"
#include "url.h"
#include "utf8.h"

enum { PH_QUEUE, PH_EARLIER, PH_DNS, PH_CONNECT, PH_TLS, PH_WAIT, PH_RECEIVE,
       PHASES };

static const struct {
	const char *name, *label, *colour;
} phases[PHASES] = {
	{ "queue", "queue", "#c9ced6" },
	{ "earlier", "earlier hops", "#f2c14e" },
	{ "dns", "DNS", "#2a9d8f" },
	{ "connect", "connect", "#e76f51" },
	{ "tls", "TLS", "#8d5cc4" },
	{ "wait", "waiting for the first byte", "#90be6d" },
	{ "receive", "receiving", "#277da1" }
};

#define URL_KEPT 300                  /* bytes of a row's URL kept */

struct row {
	uint64_t index;
	char *url;                    /* as given, cut to URL_KEPT */
	char *error;                  /* NULL: it succeeded */
	long status;
	double start;                 /* seconds from the run's start */
	double at[PHASES + 1];        /* phase i is [at[i], at[i + 1]) */
	bool skipped;                 /* not fetched on purpose */
};

struct waterfall {
	struct sink sink;
	const struct gf_config *cfg;
	FILE *fp;
	double t0;                    /* gf_now() at the run's start */
	struct row *rows;             /* the first rows, as many as are drawn */
	size_t n, cap, max;
	uint64_t records, left_out, failed;
};

/* ---------------------------------------------------------- a record */

/* The phases' bounds from the record's times (seconds from its start):
 * the queue's and the earlier hops' always; of the final hop's, those it
 * reached in order (one it did not reach, before one it did, is empty),
 * and the one it was in when it ended lasts to the end. */
static void row_phases(struct row *w, const struct gf_record *rec)
{
	const double v[PHASES + 1] = {
		0, rec->time_queue, rec->time_queue + rec->time_redirect,
		rec->time_namelookup, rec->time_connect, rec->time_appconnect,
		rec->time_starttransfer, rec->time
	};
	int last = PH_EARLIER;        /* the last bound reached */
	double prev = 0;

	for(int i = PH_DNS + 1; i < PHASES; i++)
		if(v[i] > 0)
			last = i;
	for(int i = 0; i <= PHASES; i++) {
		double t = i <= PH_DNS || (i <= last && v[i] > 0) ? v[i] :
			   i <= last ? prev : rec->time;

		if(t < prev)
			t = prev;
		if(t > rec->time)
			t = rec->time;
		w->at[i] = w->start + t;
		prev = t;
	}
}

/* s, its URLs' passwords as "***", cut to URL_KEPT bytes; NULL out of
 * memory. */
static char *shown(const char *s)
{
	int oom;
	char *masked = url_mask(s, &oom), *out;
	const char *from = masked ? masked : s;
	size_t n = strlen(from);

	out = oom ? NULL : strndup(from, n < URL_KEPT ? n : URL_KEPT);
	free(masked);
	return out;
}

static bool row_take(struct waterfall *wf, struct row *w, const struct gf_record *rec)
{
	memset(w, 0, sizeof(*w));
	w->index = rec->index;
	w->status = rec->status;
	w->skipped = rec->skipped;
	w->start = rec->started > 0 ? rec->started - wf->t0 : 0;
	if(w->start < 0)
		w->start = 0;
	w->url = shown(rec->url);
	w->error = rec->error ? shown(rec->error) : NULL;
	if(!w->url || (rec->error && !w->error)) {
		free(w->url);
		free(w->error);
		return false;
	}
	row_phases(w, rec);
	return true;
}

static int wf_release(struct sink *s, struct sink_part *part, uint64_t seq,
		      const struct gf_record *rec, bool hidden)
{
	struct waterfall *wf = container_of(s, struct waterfall, sink);

	(void)part;
	(void)seq;
	if(hidden)
		return GF_OK;
	wf->records++;
	if(record_failed(rec))
		wf->failed++;
	if(wf->n == wf->max) {
		wf->left_out++;
		return GF_OK;
	}
	if(wf->n == wf->cap) {
		size_t cap = wf->cap ? 2 * wf->cap : 64;
		struct row *more = realloc(wf->rows, (cap < wf->max ? cap : wf->max) *
					   sizeof(*more));

		if(!more) {
			gf_oom();
			wf->left_out++;
			return GF_OK;
		}
		wf->rows = more;
		wf->cap = cap < wf->max ? cap : wf->max;
	}
	if(!row_take(wf, &wf->rows[wf->n], rec)) {
		gf_oom();
		wf->left_out++;
		return GF_OK;
	}
	wf->n++;
	return GF_OK;
}

/* ----------------------------------------------------------- drawing */

#define WIDTH 1200
#define LABEL_X 8                     /* the URLs' column */
#define CHART_X 380                   /* where the time axis starts */
#define CHART_W (WIDTH - CHART_X - 24)
#define TOP 86                        /* the first row */
#define ROW_H 16
#define BAR_H 10

/* Text for XML: escaped, control bytes and broken UTF-8 as '?'; plain
 * runs written at once. */
static void xml_text(FILE *fp, const char *s)
{
	size_t n = strlen(s);

	while(n > 0) {
		size_t k = 0;
		unsigned cp;

		while(k < n && (unsigned char)s[k] >= 0x20 && (unsigned char)s[k] < 0x80 &&
		      !strchr("&<>\"", s[k]))
			k++;
		fwrite(s, 1, k, fp);
		s += k;
		n -= k;
		if(n == 0)
			break;
		k = utf8_decode((const unsigned char *)s, n, &cp);
		if(k == 0 || cp < 0x20 || cp == 0xfffe || cp == 0xffff)
			fputc(k && (cp == '\t' || cp == '\n') ? ' ' : '?', fp);
		else if(cp == '&')
			fputs("&amp;", fp);
		else if(cp == '<')
			fputs("&lt;", fp);
		else if(cp == '>')
			fputs("&gt;", fp);
		else if(cp == '"')
			fputs("&quot;", fp);
		else
			fwrite(s, 1, k, fp);
		k = k ? k : 1;
		s += k;
		n -= k;
	}
}

/* v, not negative, with places (at most 6) decimals, rounded: printf's
 * own way with doubles is most of the drawing's time. */
static void num(FILE *fp, double v, int places)
{
	static const long scale[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
	long long f = (long long)(v * scale[places] + 0.5);
	char buf[32];
	int k = (int)sizeof(buf);

	for(int i = 0; i < places; i++, f /= 10)
		buf[--k] = (char)('0' + f % 10);
	if(places)
		buf[--k] = '.';
	do {
		buf[--k] = (char)('0' + f % 10);
		f /= 10;
	} while(f > 0);
	fwrite(buf + k, 1, sizeof(buf) - (size_t)k, fp);
}

/* A step of the axis: 1, 2 or 5 times a power of ten, some ten ticks. */
static double tick_step(double span)
{
	double raw = span / 10, p = pow(10, floor(log10(raw)));

	return raw <= p ? p : raw <= 2 * p ? 2 * p : raw <= 5 * p ? 5 * p : 10 * p;
}

static void draw_head(struct waterfall *wf, double span, double px, double wall)
{
	const struct gf_config *cfg = wf->cfg;
	FILE *fp = wf->fp;
	double step = tick_step(span), bottom = TOP + (double)wf->n * ROW_H;
	int x = CHART_X;

	fprintf(fp, "<text class=\"head\" x=\"%d\" y=\"22\">greenfetch%s: %" PRIu64
		" record%s in %.2f s, ", LABEL_X, cfg->serial ? " --serial" : cfg->crawl ?
		" --crawl" : "", wf->records, wf->records == 1 ? "" : "s", wall);
	if(cfg->serial)
		fputs("one at a time, blocking", fp);
	else
		fprintf(fp, "%d at a time on %d hub%s", cfg->concurrency, cfg->hubs,
			cfg->hubs == 1 ? "" : "s");
	fprintf(fp, "; %" PRIu64 " failed</text>\n", wf->failed);
	for(int i = 0; i < PHASES; i++) {
		fprintf(fp, "<rect class=\"%s\" x=\"%d\" y=\"34\" width=\"10\" height=\"10\"/>"
			"<text x=\"%d\" y=\"43\">%s</text>\n", phases[i].name, x, x + 14,
			phases[i].label);
		x += 14 + 6 * (int)strlen(phases[i].label) + 16;
	}
	fprintf(fp, "<text x=\"%d\" y=\"43\"><tspan class=\"failed\">\u2715</tspan> failed</text>\n",
		LABEL_X);
	fprintf(fp, "<g class=\"axis\"><text x=\"%d\" y=\"70\">seconds</text>\n", LABEL_X);
	for(int k = 0; k * step <= span * (1 + 1e-9); k++) {
		double tx = CHART_X + k * step * px;

		fprintf(fp, "<line x1=\"%.2f\" y1=\"74\" x2=\"%.2f\" y2=\"%.0f\"/>"
			"<text x=\"%.2f\" y=\"70\" text-anchor=\"middle\">%g</text>\n",
			tx, tx, bottom, tx, k * step);
	}
	fputs("</g>\n", fp);
}

static void draw_row(FILE *fp, const struct row *w, size_t i, double px)
{
	int y = TOP + (int)i * ROW_H;

	fprintf(fp, "<g class=\"rec%s\" data-index=\"%" PRIu64 "\"><title>", w->error ?
		" failed" : "", w->index);
	xml_text(fp, w->url);
	if(w->error) {
		fputs("\n", fp);
		xml_text(fp, w->error);
	}
	fprintf(fp, "\nstatus %ld, ", w->status);
	num(fp, w->at[PHASES] - w->at[0], 3);
	fputs(" s from ", fp);
	num(fp, w->start, 3);
	fputs(" s", fp);
	for(int k = 0; k < PHASES; k++) {
		fprintf(fp, "%s%s ", k ? ", " : "\n", phases[k].name);
		num(fp, w->at[k + 1] - w->at[k], 3);
	}
	fprintf(fp, "</title><text x=\"%d\" y=\"%d\">%" PRIu64 " ", LABEL_X,
		y + BAR_H - 1, w->index);
	xml_text(fp, w->url);
	fputs("</text>", fp);
	for(int k = 0; k < PHASES; k++) {
		if(w->at[k + 1] <= w->at[k])
			continue;
		fprintf(fp, "<rect class=\"%s\" x=\"", phases[k].name);
		num(fp, CHART_X + w->at[k] * px, 2);
		fprintf(fp, "\" y=\"%d\" width=\"", y);
		num(fp, (w->at[k + 1] - w->at[k]) * px, 2);
		fprintf(fp, "\" height=\"%d\"/>", BAR_H);
	}
	if(w->error || w->skipped) {
		fprintf(fp, "<text class=\"%s\" x=\"", w->error ? "failed" : "note");
		num(fp, CHART_X + (w->error ? w->at[PHASES] : w->at[0]) * px + 6, 2);
		fprintf(fp, "\" y=\"%d\">%s</text>", y + BAR_H - 1, w->error ? "\u2715" : "skipped");
	}
	fputs("</g>\n", fp);
}

static void draw(struct waterfall *wf)
{
	FILE *fp = wf->fp;
	double span = wf->cfg->waterfall_span, wall = gf_now() - wf->t0, px;
	double height = TOP + (double)wf->n * ROW_H + (wf->left_out ? 30 : 12);

	for(size_t i = 0; i < wf->n && wf->cfg->waterfall_span <= 0; i++)
		if(wf->rows[i].at[PHASES] > span)
			span = wf->rows[i].at[PHASES];
	if(span < 1e-3)
		span = 1e-3;
	px = CHART_W / span;
	fprintf(fp, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%.0f\" "
		"viewBox=\"0 0 %d %.0f\" data-chart-x=\"%d\" data-px-per-second=\"%.6f\">\n"
		"<style>text{font:11px sans-serif;fill:#222}.head{font-size:14px;"
		"font-weight:bold}.axis line{stroke:#e3e6ea}.axis text{fill:#666}"
		".failed,.rec.failed>text{fill:#c1121f}.note{fill:#666}",
		WIDTH, height, WIDTH, height, CHART_X, px);
	for(int i = 0; i < PHASES; i++)
		fprintf(fp, ".%s{fill:%s}", phases[i].name, phases[i].colour);
	fprintf(fp, "</style>\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n");
	draw_head(wf, span, px, wall);
	for(size_t i = 0; i < wf->n; i++)
		draw_row(fp, &wf->rows[i], i, px);
	if(wf->left_out)
		fprintf(fp, "<text class=\"note\" x=\"%d\" y=\"%.0f\">\u2026 and %" PRIu64
			" more record%s, not drawn (--waterfall-rows %ld)</text>\n", LABEL_X,
			TOP + (double)wf->n * ROW_H + 16, wf->left_out,
			wf->left_out == 1 ? "" : "s", wf->cfg->waterfall_rows);
	fputs("</svg>\n", fp);
}

static void wf_finish(struct sink *s)
{
	struct waterfall *wf = container_of(s, struct waterfall, sink);

	draw(wf);
	if(fflush(wf->fp) || ferror(wf->fp))
		fprintf(stderr, "greenfetch: --waterfall %s: %s\n", wf->cfg->waterfall,
			strerror(errno));
}

static void wf_free(struct sink *s)
{
	struct waterfall *wf = container_of(s, struct waterfall, sink);

	for(size_t i = 0; i < wf->n; i++) {
		free(wf->rows[i].url);
		free(wf->rows[i].error);
	}
	free(wf->rows);
	if(wf->fp)
		fclose(wf->fp);
	free(wf);
}

static const struct sink_ops waterfall_ops = {
	.release = wf_release,
	.finish = wf_finish,
	.free = wf_free,
};

struct sink *sink_waterfall_new(const struct gf_config *cfg, char *err, size_t errlen)
{
	struct waterfall *wf = calloc(1, sizeof(*wf));

	err[0] = '\0';
	if(!wf)
		return NULL;
	wf->sink.ops = &waterfall_ops;
	wf->cfg = cfg;
	wf->t0 = gf_now();
	wf->max = (size_t)cfg->waterfall_rows;
	/* The file now, so that a path that cannot be written stops the run
	 * before it fetches anything. */
	if(!(wf->fp = fopen(cfg->waterfall, "w"))) {
		snprintf(err, errlen, "--waterfall %s: %s", cfg->waterfall, strerror(errno));
		wf_free(&wf->sink);
		return NULL;
	}
	return &wf->sink;
}
