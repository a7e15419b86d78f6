/*
 * pd-ceiling - the fastest possible policy service: answers every
 * request "action=DUNNO".  The reference ("ceiling") of make bench's
 * policy section: whatever a policy service does, it cannot be faster
 * than reading the request and writing this reply.
 *
 * usage: pd-ceiling HOST:PORT
 *   Listens on HOST:PORT (loopback only), one thread, epoll, level
 *   triggered, many persistent connections.  A request ends at an empty
 *   line ("\n\n"); several queued requests are answered in order.
 *   SIGTERM or SIGINT stops it.  Exit 0, or 1 on a setup error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFSZ	8192		/* bytes buffered per connection */
#define MAXEV	256

struct conn {
	int	 fd;
	size_t	 len;		/* bytes in buf */
	int	 nl;		/* previous byte scanned was '\n' */
	size_t	 scan;		/* bytes of buf already scanned */
	char	 buf[BUFSZ];
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* listen_on - bind HOST:PORT (127.0.0.0/8 only) */
static int
listen_on(const char *spec)
{
	struct sockaddr_in sin;
	char	 host[64];
	const char *colon = strrchr(spec, ':');
	int	 fd, one = 1;

	if (colon == NULL || (size_t)(colon - spec) >= sizeof(host))
		return -1;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((unsigned short)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin.sin_addr) != 1 ||
	    (ntohl(sin.sin_addr.s_addr) >> 24) != 127) {
		fprintf(stderr, "pd-ceiling: %s: not a 127.x address\n", spec);
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0)) < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    listen(fd, 4096) < 0) {
		perror("pd-ceiling: bind/listen");
		close(fd);
		return -1;
	}
	return fd;
}

/* serve - read what is there, answer every complete request */
static int
serve(struct conn *c)
{
	static const char reply[] = "action=DUNNO\n\n";
	ssize_t	 n;
	size_t	 i, done = 0;

	n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
		return -1;
	if (n < 0)
		return 0;
	c->len += (size_t)n;
	for (i = c->scan; i < c->len; i++) {
		if (c->buf[i] == '\n' && c->nl) {
			if (write(c->fd, reply, sizeof(reply) - 1) !=
			    (ssize_t)sizeof(reply) - 1)
				return -1;
			done = i + 1;
			c->nl = 0;
			continue;
		}
		c->nl = c->buf[i] == '\n';
	}
	if (done > 0) {
		memmove(c->buf, c->buf + done, c->len - done);
		c->len -= done;
	}
	c->scan = c->len;
	return c->len == sizeof(c->buf) ? -1 : 0;	/* oversized request */
}

int
main(int argc, char **argv)
{
	struct epoll_event ev, evs[MAXEV];
	struct rlimit rl;
	int	 lfd, ep, n, i;

	if (argc != 2) {
		fprintf(stderr, "usage: pd-ceiling HOST:PORT\n");
		return 1;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	(void)signal(SIGPIPE, SIG_IGN);
	(void)signal(SIGTERM, on_signal);
	(void)signal(SIGINT, on_signal);
	if ((lfd = listen_on(argv[1])) < 0 || (ep = epoll_create1(0)) < 0)
		return 1;
	ev.events = EPOLLIN;
	ev.data.ptr = NULL;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev) < 0)
		return 1;
	while (!stop) {
		n = epoll_wait(ep, evs, MAXEV, 500);
		for (i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;

			if (c == NULL) {
				int fd = accept4(lfd, NULL, NULL,
				    SOCK_NONBLOCK);
				int one = 1;

				if (fd < 0)
					continue;
				(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY,
				    &one, sizeof(one));
				if ((c = calloc(1, sizeof(*c))) == NULL) {
					close(fd);
					continue;
				}
				c->fd = fd;
				ev.events = EPOLLIN;
				ev.data.ptr = c;
				if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) {
					close(fd);
					free(c);
				}
				continue;
			}
			if (serve(c) < 0) {
				close(c->fd);	/* also leaves the epoll set */
				free(c);
			}
		}
	}
	return 0;
}
