/*
 * dunno-policy - a Postfix SMTP access policy service that answers every
 * request with the same action (DUNNO unless told otherwise) and logs it.
 *
 * usage: dunno-policy [-a ACTION] ENDPOINT LOGFILE
 *   ENDPOINT  unix:/path  or  inet:127.x.y.z:PORT  (loopback only)
 *   ACTION    the reply, e.g. DUNNO (default) or "450 4.7.1 try later"
 *   LOGFILE   appended to; one line per request: its attributes in the
 *             order received, "name=value", separated by TAB.
 *
 * Used by the harness self-test (tests/integration/t_harness_selftest) to
 * prove that check_policy_service is wired on every face.  One process,
 * poll(2), many connections, many requests per connection (smtpd keeps its
 * connection open).  SIGTERM or SIGINT: close, unlink the socket, exit 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_CONN	64
#define MAX_REQ		65536		/* bytes per request */

struct conn {
	int fd;				/* -1: slot free */
	size_t len;			/* bytes in buf */
	char buf[MAX_REQ];
};

static volatile sig_atomic_t stop;
static struct conn conns[MAX_CONN];
static const char *action = "DUNNO";
static FILE *log_fp;

static void
on_signal(int sig)
{
	stop = sig;
}

/* listen_on - open the listening socket for ENDPOINT, -1 on error */
static int
listen_on(const char *ep)
{
	int fd = -1;

	if (strncmp(ep, "unix:", 5) == 0) {
		struct sockaddr_un sun;

		memset(&sun, 0, sizeof(sun));
		sun.sun_family = AF_UNIX;
		if (strlen(ep + 5) >= sizeof(sun.sun_path))
			return -1;
		memcpy(sun.sun_path, ep + 5, strlen(ep + 5) + 1);
		(void)unlink(sun.sun_path);
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
		    bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
		    chmod(sun.sun_path, 0666) != 0)	/* user postfix */
			goto fail;
	} else if (strncmp(ep, "inet:", 5) == 0) {
		struct sockaddr_in sin;
		char host[64];
		const char *colon = strrchr(ep + 5, ':');
		int one = 1;

		if (colon == NULL || (size_t)(colon - ep - 5) >= sizeof(host))
			return -1;
		memcpy(host, ep + 5, (size_t)(colon - ep - 5));
		host[colon - ep - 5] = '\0';
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((unsigned short)atoi(colon + 1));
		if (strncmp(host, "127.", 4) != 0 ||
		    inet_pton(AF_INET, host, &sin.sin_addr) != 1)
			return -1;
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
		    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one,
			sizeof(one)) != 0 ||
		    bind(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0)
			goto fail;
	} else
		return -1;
	if (listen(fd, 64) != 0)
		goto fail;
	return fd;
fail:
	if (fd >= 0)
		(void)close(fd);
	return -1;
}

/* log_request - one line: the request's attributes, TAB-separated */
static void
log_request(char *req, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (req[i] == '\t' || req[i] == '\r')
			req[i] = ' ';
		else if (req[i] == '\n')
			req[i] = i + 1 < len ? '\t' : '\n';
	}
	(void)fwrite(req, 1, len, log_fp);
	(void)fflush(log_fp);
}

/* write_all - write the whole reply; -1 on error */
static int
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* serve - answer every complete request in c's buffer; -1 to close */
static int
serve(struct conn *c)
{
	char reply[1100];
	char *end;
	size_t used;

	while ((end = memmem(c->buf, c->len, "\n\n", 2)) != NULL) {
		used = (size_t)(end - c->buf) + 2;
		log_request(c->buf, used - 1);
		(void)snprintf(reply, sizeof(reply), "action=%.1000s\n\n",
		    action);
		if (write_all(c->fd, reply, strlen(reply)) != 0)
			return -1;
		memmove(c->buf, c->buf + used, c->len - used);
		c->len -= used;
	}
	return c->len >= sizeof(c->buf) ? -1 : 0;
}

/* on_readable - read from c, serve, close on EOF or error */
static void
on_readable(struct conn *c)
{
	ssize_t n = read(c->fd, c->buf + c->len, sizeof(c->buf) - c->len);

	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0 || (c->len += (size_t)n, serve(c) != 0)) {
		(void)close(c->fd);
		c->fd = -1;
		c->len = 0;
	}
}

/* on_accept - take a new connection into a free slot */
static void
on_accept(int lfd)
{
	int fd = accept(lfd, NULL, NULL);
	int i;

	if (fd < 0)
		return;
	for (i = 0; i < MAX_CONN; i++) {
		if (conns[i].fd < 0) {
			conns[i].fd = fd;
			conns[i].len = 0;
			return;
		}
	}
	(void)close(fd);
}

/*
 * run - the poll loop, until a signal arrives.  SIGTERM and SIGINT are
 * blocked except inside ppoll, so a signal cannot slip in between the
 * check of stop and the wait.
 */
static void
run(int lfd, const sigset_t *waitmask)
{
	struct pollfd pfd[MAX_CONN + 1];
	int map[MAX_CONN + 1];
	int i, n;

	while (!stop) {
		n = 0;
		pfd[n].fd = lfd;
		pfd[n++].events = POLLIN;
		for (i = 0; i < MAX_CONN; i++) {
			if (conns[i].fd < 0)
				continue;
			map[n] = i;
			pfd[n].fd = conns[i].fd;
			pfd[n++].events = POLLIN;
		}
		if (ppoll(pfd, (nfds_t)n, NULL, waitmask) < 0)
			continue;		/* EINTR: check stop */
		if (pfd[0].revents & POLLIN)
			on_accept(lfd);
		for (i = 1; i < n; i++)
			if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
				on_readable(&conns[map[i]]);
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t block, waitmask;
	int ch, lfd, i;

	while ((ch = getopt(argc, argv, "a:")) != -1) {
		if (ch != 'a')
			goto usage;
		action = optarg;
	}
	if (argc - optind != 2)
		goto usage;
	if ((log_fp = fopen(argv[optind + 1], "a")) == NULL) {
		perror(argv[optind + 1]);
		return 1;
	}
	(void)sigemptyset(&block);
	(void)sigaddset(&block, SIGTERM);
	(void)sigaddset(&block, SIGINT);
	(void)sigprocmask(SIG_BLOCK, &block, &waitmask);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: ppoll returns */
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
	(void)signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < MAX_CONN; i++)
		conns[i].fd = -1;
	if ((lfd = listen_on(argv[optind])) < 0) {
		fprintf(stderr, "dunno-policy: cannot listen on %s: %s\n",
		    argv[optind], strerror(errno));
		return 1;
	}
	fprintf(stderr, "dunno-policy: listening on %s\n", argv[optind]);
	run(lfd, &waitmask);
	if (strncmp(argv[optind], "unix:", 5) == 0)
		(void)unlink(argv[optind] + 5);
	fprintf(stderr, "dunno-policy: stopped by signal %d\n", (int)stop);
	return 0;
usage:
	fprintf(stderr, "usage: dunno-policy [-a ACTION] ENDPOINT LOGFILE\n");
	return 2;
}
