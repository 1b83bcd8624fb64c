/*
 * udp.c - the test server's UDP side (-u): a port that never answers, a
 * DNS server that answers SERVFAIL, or one that answers late.
 */
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* -u -D SEC: a DNS responder that answers every A query with 127.0.0.1
 * (TTL 300) and every other query with no data, SEC seconds late. */
struct slow_answer {
	ev_timer timer;               /* fires when the answer is due */
	int fd;                       /* the UDP socket */
	struct sockaddr_storage to;   /* who asked */
	socklen_t tolen;
	unsigned char msg[512];       /* the answer */
	size_t len;
};

static void slow_answer_cb(struct ev_loop *loop, ev_timer *w, int revents)
{
	struct slow_answer *a = container_of(w, struct slow_answer, timer);

	(void)loop;
	(void)revents;
	sendto(a->fd, a->msg, a->len, 0, (struct sockaddr *)&a->to, a->tolen);
	free(a);
}

static double slow_delay;

static void slow_query_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	static const unsigned char rr[] = {
		0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 1, 0x2c, 0, 4, 127, 0, 0, 1
	};
	struct slow_answer *a = calloc(1, sizeof(*a));
	ssize_t n;
	size_t q;

	(void)revents;
	if(!a)
		return;
	a->tolen = sizeof(a->to);
	n = recvfrom(w->fd, a->msg, sizeof(a->msg) - sizeof(rr), 0,
		     (struct sockaddr *)&a->to, &a->tolen);
	/* Find the end of the question: name, type, class. */
	for(q = 12; n > 12 && q < (size_t)n && a->msg[q]; q += a->msg[q] + 1u)
		;
	if(n <= 12 || q + 5 > (size_t)n) {
		free(a);
		return;
	}
	a->fd = w->fd;
	a->len = q + 5;
	a->msg[2] |= 0x80;                  /* a response */
	a->msg[3] = 0x80;                   /* RA, NOERROR */
	a->msg[7] = 0;                      /* no answers yet */
	a->msg[9] = a->msg[11] = 0;         /* no authority, no additional */
	if(a->msg[q + 1] == 0 && a->msg[q + 2] == 1) {  /* type A */
		memcpy(a->msg + a->len, rr, sizeof(rr));
		a->len += sizeof(rr);
		a->msg[7] = 1;
	}
	ev_timer_init(&a->timer, slow_answer_cb, slow_delay, 0.);
	ev_timer_start(loop, &a->timer);
}

/* -u: a UDP port that takes datagrams and never answers (a DNS server
 * that is down without saying so); with -S it answers every DNS query with
 * SERVFAIL instead; with -D SEC, slowly. */
int udp_serve(const char *addr, int port, bool servfail, double delay)
{
	struct sockaddr_in s4 = { .sin_family = AF_INET,
				  .sin_port = htons((unsigned short)port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if(fd < 0 || inet_pton(AF_INET, addr, &s4.sin_addr) != 1 ||
	   bind(fd, (struct sockaddr *)&s4, sizeof(s4)) < 0) {
		fprintf(stderr, "gf-testserver: cannot bind UDP %s\n", addr);
		return 1;
	}
	printf("%d\n", bound_port(fd));
	fflush(stdout);
	if(delay > 0) {
		slow_delay = delay;
		struct ev_loop *loop = ev_default_loop(EVFLAG_AUTO);
		ev_io io;

		ev_io_init(&io, slow_query_cb, fd, EV_READ);
		ev_io_start(loop, &io);
		ev_run(loop, 0);
		return 0;
	}
	for(;;) {
		unsigned char q[512];
		struct sockaddr_storage from;
		socklen_t flen = sizeof(from);
		ssize_t n;

		if(!servfail) {
			pause();
			continue;
		}
		n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&from, &flen);
		if(n < 12)
			continue;
		q[2] |= 0x80;                       /* a response */
		q[3] = (unsigned char)((q[3] & 0xf0) | 0x80 | 2); /* RA, SERVFAIL */
		sendto(fd, q, (size_t)n, 0, (struct sockaddr *)&from, flen);
	}
}
