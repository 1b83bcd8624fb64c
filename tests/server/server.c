/*
 * gf-testserver - the HTTP/1.1 server greenfetch's demo and tests talk to.
 * Its endpoints are routes.c's, its UDP and DNS fakes udp.c's.
 *
 * One libev loop, one struct conn per client, keep-alive, no blocking call:
 * a /delay/SECONDS request parks its connection on a timer, so a thousand
 * slow requests cost a thousand small structs and nothing else. Listens on
 * 127.0.0.1 (or -b ADDR) and prints the port it got on stdout.
 *
 * Endpoints:
 *   /                      200 "ok"
 *   /delay/SECONDS         200 after SECONDS (fractional allowed)
 *   /status/CODE           that status
 *   /bytes/N               N bytes of body
 *   /redirect/N            N redirects (302), then 200
 *   /redirect-to?url=U[&status=C][&delay=S]   a redirect to U (default
 *                          302), after S seconds
 *   /links/N/I             an HTML page with N links to /links/N/0..N-1
 *   /farm/N/ID[?delay=S]   an endless link farm: N links to /farm/N/(ID*N+K)
 *                          (with ?delay=S, each page S seconds late)
 *   /sitemaps/D/ID/N       a sitemap index of N sitemaps /sitemaps/D-1/...,
 *                          or at D = 0 a sitemap of N pages /page/sm-ID-K
 *   /echo-headers          the request's header lines as the body
 *   /drip/N/SECONDS        N bytes, one at a time over SECONDS
 *   /page/ANYTHING         200, "page /page/ANYTHING"
 *   /status/CODE?retry-after=V   that status with a Retry-After header
 *   /flaky/KEY/N[?mode=close]    503 (or a closed connection) for the first
 *                          N requests of KEY, then 200
 *   /gzip-bomb/N           N MiB of zeros, gzip-encoded
 *   /big-header/N          a response with an N-byte header line
 *   /many-headers/N        a response with N header lines
 *   /loop/I                a redirect to /loop/(I+1)%3, for ever
 *   /stats                 "max_inflight N": the most requests at once,
 *                          "limited N": the 429s of /limit/, and "robots N":
 *                          the requests for /robots.txt
 *   /limit/N/ANY[?retry-after=V]  200 while fewer than N were answered 200
 *                          in the last second, else 429 (Retry-After: V)
 *   /raw/NAME[?bytewise]   scripted bytes of a hostile server (see raws[]),
 *                          one byte per write with ?bytewise
 *
 * With -a it never accepts and its listen backlog is 0: once one connection
 * waits in the backlog, further connects go unanswered (a connect timeout).
 * With -u it binds a UDP port instead and never answers on it; -u -S
 * answers each DNS query there with SERVFAIL; -u -D SEC answers A queries
 * with 127.0.0.1 (others with no data) SEC seconds late.
 * A request in absolute form (as to a proxy) is answered as the origin.
 * With -d DIR, any other path is a file under DIR (index.html for "/"),
 * sent as it is with "Content-Encoding: VALUE" when the query is ce=VALUE,
 * and with "X-Robots-Tag: V" when it is xrt=V ('+' for a space).
 * With -R NAME, /robots.txt is answered as /raw/NAME.
 * With -l FILE each request is logged as "CONN METHOD TARGET TIME" on a
 * line, followed by "CONN H Name: value" for each of its header lines, and
 * each connection's end as "CONN closed TIME".
 */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *reason(int code)
{
	switch(code) {
	case 200: return "OK";
	case 204: return "No Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 303: return "See Other";
	case 307: return "Temporary Redirect";
	case 308: return "Permanent Redirect";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	default:  return "Whatever";
	}
}

static void conn_uncount(struct conn *c);

void conn_free(struct conn *c)
{
	if(c->srv->log) {
		fprintf(c->srv->log, "%lu closed %.6f\n", c->id, ev_time());
		fflush(c->srv->log);
	}
	conn_uncount(c);
	ev_io_stop(c->srv->loop, &c->rio);
	ev_io_stop(c->srv->loop, &c->wio);
	ev_timer_stop(c->srv->loop, &c->delay);
	close(c->rio.fd);
	free(c->delayed_extra);
	free(c->out);
	free(c);
}

/* --------------------------------------------------------- responses */

static void conn_write_cb(struct ev_loop *loop, ev_io *w, int revents);

void respond(struct conn *c, int code, const char *ctype,
		    const char *extra, const char *body, size_t len,
		    unsigned long long gen, bool head_only)
{
	unsigned long long clen = body ? len : gen;
	int n;

	n = asprintf(&c->out, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\n"
		     "Content-Length: %llu\r\n%sConnection: %s\r\n\r\n",
		     code, reason(code), ctype, clen, extra ? extra : "",
		     c->keepalive ? "keep-alive" : "close");
	if(n < 0) {
		c->out = NULL;
		conn_free(c);
		return;
	}
	c->outlen = (size_t)n;
	c->outoff = 0;
	c->gen_left = head_only ? 0 : gen;
	c->gen_pos = 0;
	if(body && len && !head_only) {
		char *more = realloc(c->out, c->outlen + len);

		if(!more) {
			conn_free(c);
			return;
		}
		c->out = more;
		memcpy(c->out + c->outlen, body, len);
		c->outlen += len;
	}
	ev_io_start(c->srv->loop, &c->wio);
}

void respond_text(struct conn *c, int code, const char *extra,
			 bool head_only, const char *fmt, ...)
{
	char body[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if(n < 0)
		n = 0;
	if((size_t)n >= sizeof(body))
		n = sizeof(body) - 1;
	respond(c, code, "text/plain", extra, body, (size_t)n, 0, head_only);
}

/* ------------------------------------------------------- connections */

/* "CONN METHOD TARGET", then "CONN H Name: value" per header line. */
static void log_request(struct conn *c, const char *method, const char *target)
{
	const char *line = strstr(c->in, "\r\n") + 2;

	fprintf(c->srv->log, "%lu %s %s %.6f\n", c->id, method, target,
		ev_time());
	while(*line) {
		const char *end = strstr(line, "\r\n");

		fprintf(c->srv->log, "%lu H %.*s\n", c->id, (int)(end - line), line);
		line = end + 2;
	}
	fflush(c->srv->log);
}

/* Parse the head in c->in if complete; start answering it. */
static void conn_handle(struct conn *c)
{
	char *eoh = memmem(c->in, c->inlen, "\r\n\r\n", 4);
	char method[16], target[8192], version[16];

	if(!eoh) {
		if(c->inlen == sizeof(c->in)) {
			c->keepalive = false;
			c->busy = true;
			respond_text(c, 400, NULL, false, "request too large\n");
		}
		return;
	}
	c->head_len = (size_t)(eoh - c->in) + 4;
	eoh[2] = '\0'; /* the head is now a string ending in "\r\n" */
	c->busy = true;
	c->counted = true;
	if(++c->srv->inflight > c->srv->max_inflight)
		c->srv->max_inflight = c->srv->inflight;
	if(sscanf(c->in, "%15s %8191s %15s", method, target, version) != 3) {
		c->keepalive = false;
		respond_text(c, 400, NULL, false, "bad request\n");
		return;
	}
	c->keepalive = strcmp(version, "HTTP/1.1") == 0 &&
		       !strcasestr(c->in, "\r\nConnection: close");
	if(c->srv->log)
		log_request(c, method, target);
	route(c, method, target);
}

/* The response is out: close, or take the next request. */
static void conn_uncount(struct conn *c)
{
	if(c->counted)
		c->srv->inflight--;
	c->counted = false;
}

static void conn_done(struct conn *c)
{
	conn_uncount(c);
	ev_io_stop(c->srv->loop, &c->wio);
	free(c->out);
	c->out = NULL;
	c->busy = false;
	if(!c->keepalive) {
		conn_free(c);
		return;
	}
	memmove(c->in, c->in + c->head_len, c->inlen - c->head_len);
	c->inlen -= c->head_len;
	c->head_len = 0;
	ev_io_start(c->srv->loop, &c->rio);
	conn_handle(c);
}

/* Write what is queued, the head (and small body), else the generated
 * body: 1 while some is left (or the write would block),
 * 0 once all is out (so the request ends now, not at the next event: a
 * client that has it all may already send its next), -1 when the
 * connection is gone. */
static int conn_write_some(struct conn *c, int fd)
{
	char buf[65536];
	size_t len;
	ssize_t n;

	if(c->outoff < c->outlen) {
		n = write(fd, c->out + c->outoff, c->one_byte ? 1 : c->outlen - c->outoff);
		if(n > 0)
			c->outoff += (size_t)n;
	} else if(c->gen_left > 0) {
		len = c->gen_left < sizeof(buf) ? (size_t)c->gen_left : sizeof(buf);
		for(size_t i = 0; i < len; i++)
			buf[i] = (char)('a' + (c->gen_pos + i) % 26);
		n = write(fd, buf, len);
		if(n > 0) {
			c->gen_left -= (unsigned long long)n;
			c->gen_pos += (unsigned long long)n;
		}
	} else {
		return 0;
	}
	if(n < 0 && errno != EAGAIN && errno != EINTR) {
		conn_free(c);
		return -1;
	}
	return n < 0 || c->outoff < c->outlen || c->gen_left > 0;
}

/* /raw/endless: the next chunk, for ever. False out of memory. */
static bool conn_next_chunk(struct conn *c)
{
	static const char chunk[] = "4000\r\n";
	char *more = realloc(c->out, sizeof(chunk) - 1 + 0x4000 + 2);

	if(!more)
		return false;
	c->out = more;
	memcpy(c->out, chunk, sizeof(chunk) - 1);
	memset(c->out + sizeof(chunk) - 1, 'e', 0x4000);
	memcpy(c->out + sizeof(chunk) - 1 + 0x4000, "\r\n", 2);
	c->outlen = sizeof(chunk) - 1 + 0x4000 + 2;
	c->outoff = 0;
	return true;
}

static void conn_write_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = container_of(w, struct conn, wio);

	(void)loop;
	(void)revents;
	if(conn_write_some(c, w->fd) != 0)
		return;
	if(c->drip_left > 0) {
		ev_io_stop(c->srv->loop, w); /* the next tick restarts it */
	} else if(c->endless) {
		if(!conn_next_chunk(c))
			conn_free(c);
	} else if(c->after == RAW_STALL) {
		ev_io_stop(c->srv->loop, w); /* say nothing more, keep it open */
	} else if(c->after == RAW_RESET) {
		struct linger lg = { 1, 0 };

		setsockopt(w->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		conn_free(c);
	} else if(c->after == RAW_CLOSE) {
		conn_free(c);
	} else {
		conn_done(c);
	}
}

static void conn_read_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct conn *c = container_of(w, struct conn, rio);
	ssize_t n;

	(void)loop;
	(void)revents;
	if(c->inlen == sizeof(c->in)) {
		/* Full while busy: wait for the response to drain. */
		ev_io_stop(c->srv->loop, &c->rio);
		return;
	}
	n = read(w->fd, c->in + c->inlen, sizeof(c->in) - c->inlen);
	if(n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if(n <= 0) {
		conn_free(c);
		return;
	}
	c->inlen += (size_t)n;
	if(!c->busy)
		conn_handle(c);
}

static void accept_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct server *srv = container_of(w, struct server, accept_io);

	(void)revents;
	for(;;) {
		int fd = accept4(w->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		int one = 1;
		struct conn *c;

		if(fd < 0)
			return;
		c = calloc(1, sizeof(*c));
		if(!c) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->srv = srv;
		c->id = ++srv->conns;
		ev_io_init(&c->rio, conn_read_cb, fd, EV_READ);
		ev_io_init(&c->wio, conn_write_cb, fd, EV_WRITE);
		ev_timer_init(&c->delay, delay_cb, 0., 0.);
		ev_io_start(loop, &c->rio);
	}
}

/* ------------------------------------------------------------- main */

static int listen_on(const char *addr, int port, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int one = 1, fd;

	memset(&ss, 0, sizeof(ss));
	if(strchr(addr, ':')) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((unsigned short)port);
		if(inet_pton(AF_INET6, addr, &s6->sin6_addr) != 1)
			return -1;
		len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons((unsigned short)port);
		if(inet_pton(AF_INET, addr, &s4->sin_addr) != 1)
			return -1;
		len = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if(fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if(bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, backlog) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if(getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	if(ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

int main(int argc, char **argv)
{
	struct server srv = { 0 };
	const char *addr = "127.0.0.1", *logfile = NULL;
	struct rlimit rl;
	long port = 0;
	bool no_accept = false, udp_sink = false, servfail = false;
	double slow_delay = 0;
	int opt, fd;

	while((opt = getopt(argc, argv, "ab:d:D:p:l:uSR:")) != -1) {
		char *end;

		switch(opt) {
		case 'a': no_accept = true; break;
		case 'u': udp_sink = true; break;
		case 'S': servfail = true; break;
		case 'd': srv.docroot = optarg; break;
		case 'R': srv.robots_raw = optarg; break;
		case 'D': slow_delay = strtod(optarg, NULL); break;
		case 'b': addr = optarg; break;
		case 'l': logfile = optarg; break;
		case 'p':
			port = strtol(optarg, &end, 10);
			if(*end || port < 0 || port > 65535) {
				fprintf(stderr, "gf-testserver: bad port '%s'\n", optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: gf-testserver [-a|-u [-S|-D SEC]] [-d DIR] [-R RAW] [-b ADDR] [-p PORT] [-l LOG]\n");
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	if(getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if(logfile && !(srv.log = fopen(logfile, "a"))) {
		perror(logfile);
		return 1;
	}
	if(udp_sink)
		return udp_serve(addr, (int)port, servfail, slow_delay);
	fd = listen_on(addr, (int)port, no_accept ? 0 : 4096);
	if(fd < 0) {
		fprintf(stderr, "gf-testserver: cannot listen on %s port %ld: %s\n",
			addr, port, strerror(errno));
		return 1;
	}
	printf("%d\n", bound_port(fd));
	fflush(stdout);
	srv.loop = ev_default_loop(EVFLAG_AUTO);
	ev_io_init(&srv.accept_io, accept_cb, fd, EV_READ);
	while(no_accept)
		pause();
	ev_io_start(srv.loop, &srv.accept_io);
	ev_run(srv.loop, 0);
	return 0;
}
