/*
 * progress.c - drawing and erasing the progress line.
 */
#include "progress.h"

#include <stdio.h>

static void human_bytes(char *buf, size_t size, double b)
{
	const char *unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while(b >= 1024 && u < 4) {
		b /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
}

static void clock_time(char *buf, size_t size, double s)
{
	long t = s > 0 && s < 1e9 ? (long)(s + 0.5) : 0;

	if(t >= 3600)
		snprintf(buf, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, size, "%ld:%02ld", t / 60, t % 60);
}

void progress_format(char *buf, size_t size, const struct progress_counts *c)
{
	double rate = c->elapsed > 0 ? (double)c->done / c->elapsed : 0;
	char total[32], bytes[32], elapsed[48], left[48], eta[64];

	if(c->total)
		snprintf(total, sizeof(total), "%llu", (unsigned long long)c->total);
	else
		snprintf(total, sizeof(total), "?");
	human_bytes(bytes, sizeof(bytes),
		    c->elapsed > 0 ? (double)c->bytes / c->elapsed : 0);
	clock_time(elapsed, sizeof(elapsed), c->elapsed);
	if(c->total && rate > 0) {
		clock_time(left, sizeof(left), (double)(c->total - c->done) / rate);
		snprintf(eta, sizeof(eta), ", ETA %s", left);
	} else {
		eta[0] = '\0';
	}
	snprintf(buf, size, "%llu/%s done, %d in flight, %llu failed, %.0f URL/s, "
		 "%s/s, %s elapsed%s", (unsigned long long)c->done, total, c->running,
		 (unsigned long long)c->failed, rate, bytes, elapsed, eta);
}

void progress_draw(struct progress *p, const struct progress_counts *c)
{
	progress_format(p->line, sizeof(p->line), c);
	fprintf(stderr, "\r%s\033[K", p->line);
	fflush(stderr);
	p->drawn = true;
}

void progress_above(struct progress *p)
{
	if(p->drawn)
		fputc('\r', stderr);
}

void progress_below(struct progress *p)
{
	if(!p->drawn)
		return;
	fprintf(stderr, "%s\033[K", p->line);
	fflush(stderr);
}

void progress_erase(struct progress *p)
{
	if(!p->drawn)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p->drawn = false;
}
