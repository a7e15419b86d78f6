/* scan_sock.c - scanner connections bounded by one deadline */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "scan_sock.h"

#define RETRY_MS	10		/* unix socket backlog full: retry */

static int wait_fd(int, short, int64_t);
static void why_errno(char *, size_t, const char *, int);
static int parse_inet(const char *, struct sockaddr_storage *, socklen_t *);

/* scan_clock_ms - monotonic milliseconds */
int64_t
scan_clock_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* why_errno - "what: strerror" into why */
static void
why_errno(char *why, size_t len, const char *what, int err)
{
	char	 buf[128];

	(void)snprintf(why, len, "%s: %s", what,
	    strerror_r(err, buf, sizeof(buf)));
}

/* wait_fd - poll one descriptor until ready (1), deadline (0), error */
static int
wait_fd(int fd, short events, int64_t deadline)
{
	struct pollfd p;
	int64_t	 left;
	int	 r;

	for (;;) {
		left = deadline - scan_clock_ms();
		if (left <= 0)
			return 0;
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		r = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (r > 0)
			return 1;	/* readable, writable, HUP or ERR */
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

/* parse_inet - "ADDR:PORT", "[ADDR]:PORT", "localhost:PORT" */
static int
parse_inet(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	char	 host[INET6_ADDRSTRLEN + 2], *end;
	const char *colon = strrchr(s, ':');
	size_t	 hl;
	long	 port;

	if (colon == NULL || colon == s || colon[1] == '\0')
		return -1;
	errno = 0;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || errno != 0 || port < 1 || port > 65535 ||
	    colon[1] < '0' || colon[1] > '9')
		return -1;
	hl = (size_t)(colon - s);
	if (s[0] == '[') {
		if (hl < 3 || s[hl - 1] != ']')
			return -1;
		s++;
		hl -= 2;
	} else if (memchr(s, ':', hl) != NULL)
		return -1;		/* IPv6 needs brackets: "[::1]:783" */
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (strcmp(host, "localhost") == 0)
		(void)snprintf(host, sizeof(host), "127.0.0.1");
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((unsigned short)port);
		*len = sizeof(*in4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)port);
		*len = sizeof(*in6);
		return 0;
	}
	return -1;
}

/* scan_server_parse - a server spec to a socket address */
int
scan_server_parse(const char *s, struct sockaddr_storage *ss, socklen_t *len,
    char *why, size_t whylen)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;

	if (s != NULL && strncmp(s, "unix:", 5) == 0) {
		if (s[5] != '/' || strlen(s + 5) >= sizeof(un->sun_path)) {
			(void)snprintf(why, whylen, "bad unix socket path");
			return -1;
		}
		memset(ss, 0, sizeof(*ss));
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, s + 5, strlen(s + 5) + 1);
		*len = (socklen_t)sizeof(*un);
		return 0;
	}
	if (s == NULL || parse_inet(s, ss, len) != 0) {
		(void)snprintf(why, whylen, "bad server (want ADDR:PORT, "
		    "[ADDR]:PORT or unix:/path)");
		return -1;
	}
	return 0;
}

/* scan_sock_connect - connect before the deadline; fd or -1 */
int
scan_sock_connect(const char *server, int64_t deadline, char *why,
    size_t whylen)
{
	struct sockaddr_storage ss;
	socklen_t slen, elen;
	int	 fd, r, err;

	if (scan_server_parse(server, &ss, &slen, why, whylen) != 0)
		return -1;
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0) {
		why_errno(why, whylen, "socket", errno);
		return -1;
	}
	while ((r = connect(fd, (struct sockaddr *)&ss, slen)) != 0 &&
	    errno == EAGAIN && scan_clock_ms() + RETRY_MS < deadline)
		(void)poll(NULL, 0, RETRY_MS);	/* unix backlog full */
	if (r != 0 && errno != EINPROGRESS) {
		why_errno(why, whylen, "connect", errno);
		(void)close(fd);
		return -1;
	}
	if (r != 0) {
		r = wait_fd(fd, POLLOUT, deadline);
		err = 0;
		elen = sizeof(err);
		if (r == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err,
		    &elen) != 0)
			err = errno;
		if (r <= 0 || err != 0) {
			if (r == 0)
				(void)snprintf(why, whylen,
				    "connect: timed out");
			else
				why_errno(why, whylen, "connect",
				    r < 0 ? errno : err);
			(void)close(fd);
			return -1;
		}
	}
	return fd;
}

/* scan_sock_sendv - send every byte of iov before the deadline */
int
scan_sock_sendv(int fd, struct iovec *iov, int n, int64_t deadline,
    char *why, size_t whylen)
{
	struct msghdr m;
	ssize_t	 w;
	int	 r;

	while (n > 0) {
		if (iov->iov_len == 0) {
			iov++;
			n--;
			continue;
		}
		memset(&m, 0, sizeof(m));
		m.msg_iov = iov;
		m.msg_iovlen = (size_t)n;
		w = sendmsg(fd, &m, MSG_NOSIGNAL);
		if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if ((r = wait_fd(fd, POLLOUT, deadline)) <= 0) {
				if (r == 0)
					(void)snprintf(why, whylen,
					    "send: timed out");
				else
					why_errno(why, whylen, "poll", errno);
				return -1;
			}
			continue;
		}
		if (w < 0) {
			why_errno(why, whylen, "send", errno);
			return -1;
		}
		while (n > 0 && (size_t)w >= iov->iov_len) {
			w -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* scan_sock_recv - some bytes, 0 at end of file, -1 on error/deadline */
ssize_t
scan_sock_recv(int fd, void *buf, size_t len, int64_t deadline, char *why,
    size_t whylen)
{
	ssize_t	 r;
	int	 w;

	for (;;) {
		r = recv(fd, buf, len, 0);
		if (r >= 0)
			return r;
		if (errno != EAGAIN && errno != EINTR) {
			why_errno(why, whylen, "recv", errno);
			return -1;
		}
		if ((w = wait_fd(fd, POLLIN, deadline)) <= 0) {
			if (w == 0)
				(void)snprintf(why, whylen,
				    "timed out waiting for the reply");
			else
				why_errno(why, whylen, "poll", errno);
			return -1;
		}
	}
}
