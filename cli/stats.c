/*
 * stats.c - --stats-json: the run's counts, and the one JSON object.
 */
#include "stats.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "format.h"
#include "gf.h"

/* ------------------------------------------------------------ hosts */

static size_t host_slot(const struct stats_host *t, size_t cap, const char *host)
{
	unsigned h = 2166136261u;

	for(const char *p = host; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for(size_t i = h & (cap - 1);; i = (i + 1) & (cap - 1))
		if(!t[i].host || strcmp(t[i].host, host) == 0)
			return i;
}

static bool hosts_grow(struct stats *st)
{
	size_t cap = st->cap ? 2 * st->cap : 64;
	struct stats_host *t = calloc(cap, sizeof(*t));

	if(!t)
		return false;
	for(size_t i = 0; i < st->cap; i++)
		if(st->hosts[i].host)
			t[host_slot(t, cap, st->hosts[i].host)] = st->hosts[i];
	free(st->hosts);
	st->hosts = t;
	st->cap = cap;
	return true;
}

/* One more URL of host (copied when new). The table stays at most half
 * full; a host that finds no room counts among the others. */
static void host_count(struct stats *st, const char *host)
{
	struct stats_host *h = NULL;

	if(host && st->nhosts < STATS_HOSTS && 2 * (st->nhosts + 1) > st->cap)
		hosts_grow(st);
	if(host && st->cap)
		h = &st->hosts[host_slot(st->hosts, st->cap, host)];
	if(h && !h->host) {
		if(st->nhosts < STATS_HOSTS && 2 * (st->nhosts + 1) <= st->cap &&
		   (h->host = strdup(host)))
			st->nhosts++;
		else
			h = NULL;
	}
	if(h)
		h->urls++;
	else
		st->others++;
}

/* ------------------------------------------------------------ records */

void stats_add(struct stats *st, const struct gf_record *rec, const char *host)
{
	long cls = rec->status / 100;

	st->urls++;
	st->failed += record_failed(rec) != 0;
	st->skipped += rec->skipped;
	st->unchanged += rec->unchanged;
	st->by_class[cls >= 1 && cls <= 5 ? cls : 0]++;
	if(rec->exitcode > 0 && rec->exitcode < STATS_EXITS)
		st->by_exit[rec->exitcode]++;
	st->bytes += rec->bytes;
	st->time_sum += rec->time;
	host_count(st, host);
}

void stats_release(struct stats *st)
{
	for(size_t i = 0; i < st->cap; i++)
		free(st->hosts[i].host);
	free(st->hosts);
	memset(st, 0, sizeof(*st));
}

/* ------------------------------------------------------------ output */

/* The exit codes seen, as [{"exitcode":N,"error":"...","urls":N}]. */
static void write_errors(const struct stats *st, FILE *fp)
{
	bool first = true;

	fputs("\"errors\":[", fp);
	for(int code = 1; code < STATS_EXITS; code++) {
		if(!st->by_exit[code])
			continue;
		fprintf(fp, "%s{\"exitcode\":%d,\"error\":", first ? "" : ",", code);
		format_json_value(fp, backend_error_name(code));
		fprintf(fp, ",\"urls\":%llu}", (unsigned long long)st->by_exit[code]);
		first = false;
	}
	fputs("]", fp);
}

static int by_urls(const void *a, const void *b)
{
	const struct stats_host *x = *(const struct stats_host *const *)a;
	const struct stats_host *y = *(const struct stats_host *const *)b;

	if(x->urls != y->urls)
		return x->urls < y->urls ? 1 : -1;
	return strcmp(x->host, y->host);
}

/* The 10 busiest hosts, the most URLs first (then by name). */
static bool write_hosts(const struct stats *st, FILE *fp)
{
	const struct stats_host **all = malloc((st->nhosts + 1) * sizeof(*all));
	size_t n = 0;

	if(!all)
		return false;
	for(size_t i = 0; i < st->cap; i++)
		if(st->hosts[i].host)
			all[n++] = &st->hosts[i];
	qsort(all, n, sizeof(*all), by_urls);
	fprintf(fp, "\"hosts\":%zu,\"busiest_hosts\":[", st->nhosts);
	for(size_t i = 0; i < n && i < 10; i++) {
		fprintf(fp, "%s{\"host\":", i ? "," : "");
		format_json_value(fp, all[i]->host);
		fprintf(fp, ",\"urls\":%llu}", (unsigned long long)all[i]->urls);
	}
	fprintf(fp, "],\"urls_of_other_hosts\":%llu", (unsigned long long)st->others);
	free(all);
	return true;
}

static bool stats_write(const struct stats *st, const struct stats_run *run, FILE *fp)
{
	static const char *const cls[] = { "none", "1xx", "2xx", "3xx", "4xx", "5xx" };

	fprintf(fp, "{\"urls\":%llu,\"ok\":%llu,\"failed\":%llu,\"skipped\":%llu,"
		"\"unchanged\":%llu,\"status\":{", (unsigned long long)st->urls,
		(unsigned long long)(st->urls - st->failed),
		(unsigned long long)st->failed, (unsigned long long)st->skipped,
		(unsigned long long)st->unchanged);
	for(size_t i = 0; i < ARRAY_SIZE(cls); i++)
		fprintf(fp, "%s\"%s\":%llu", i ? "," : "", cls[i],
			(unsigned long long)st->by_class[i]);
	fputs("},", fp);
	write_errors(st, fp);
	fprintf(fp, ",\"bytes\":%llu,\"wall_s\":%.3f,\"urls_per_s\":%.1f,"
		"\"time_sum_s\":%.3f,\"mode\":\"%s\",\"concurrency\":%d,\"hubs\":%d,"
		"\"peak_in_flight\":%d,", (unsigned long long)st->bytes, run->wall,
		run->wall > 0 ? (double)st->urls / run->wall : 0.0, st->time_sum,
		run->serial ? "serial" : "concurrent", run->concurrency, run->hubs,
		run->peak_in_flight);
	if(!write_hosts(st, fp))
		return false;
	fputs("}\n", fp);
	return fflush(fp) == 0 && !ferror(fp);
}

bool stats_save(const struct stats *st, const struct stats_run *run,
		const char *path)
{
	bool to_stderr = strcmp(path, "-") == 0;
	FILE *fp = to_stderr ? stderr : fopen(path, "w");
	bool ok = fp && stats_write(st, run, fp);

	if(fp && !to_stderr && fclose(fp) != 0)
		ok = false;
	if(!ok)
		fprintf(stderr, "greenfetch: --stats-json %s: %s\n", path, strerror(errno));
	return ok;
}
