/* scan_stub.c - a misbehaving scanner for tests */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <stdint.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scan_stub.h"

struct stub_conf {
	enum scan_stub_mode mode;
	size_t	 expect;
	const char *reply;
	size_t	 reply_len;
	unsigned delay_ms;
	int	 cap;			/* capture file */
	int	 cnt;			/* connection count file */
};

static int listen_on(struct scan_stub *, int);
static size_t header_len(const char *, size_t, size_t *);
static int complete(const char *, size_t);
static void sleep_ms(unsigned);
static void serve(int, const struct stub_conf *);
static void child(int, const struct stub_conf *) __attribute__((noreturn));

static void
sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* listen_on - a listening socket on loopback or in st->dir */
static int
listen_on(struct scan_stub *st, int unix_socket)
{
	struct sockaddr_in in;
	struct sockaddr_un un;
	socklen_t len = sizeof(in);
	int	 fd;

	if (unix_socket) {
		fd = socket(AF_UNIX, SOCK_STREAM, 0);
		memset(&un, 0, sizeof(un));
		un.sun_family = AF_UNIX;
		(void)snprintf(un.sun_path, sizeof(un.sun_path), "%s/s",
		    st->dir);
		if (fd < 0 || bind(fd, (struct sockaddr *)&un,
		    sizeof(un)) != 0 || listen(fd, 16) != 0)
			return -1;
		(void)snprintf(st->server, sizeof(st->server), "unix:%s",
		    un.sun_path);
		return fd;
	}
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&in, sizeof(in)) != 0 ||
	    listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&in, &len) != 0)
		return -1;
	(void)snprintf(st->server, sizeof(st->server), "127.0.0.1:%u",
	    (unsigned)ntohs(in.sin_port));
	return fd;
}

/* header_len - bytes up to the blank line and Content-length, or 0 */
static size_t
header_len(const char *p, size_t n, size_t *clen)
{
	size_t	 i;

	*clen = 0;
	for (i = 0; i + 3 < n; i++) {
		if (strncasecmp(p + i, "\ncontent-length:", 16) == 0 &&
		    i + 16 < n)
			*clen = strtoul(p + i + 16, NULL, 10);
		if (memcmp(p + i, "\r\n\r\n", 4) == 0)
			return i + 4;
	}
	return 0;
}

/* complete - a whole spamd, rspamd or clamd request is in p */
static int
complete(const char *p, size_t n)
{
	size_t	 off = 10, h, clen;

	if (n >= 10 && memcmp(p, "zINSTREAM", 10) == 0) {
		while (off + 4 <= n) {
			clen = (size_t)(unsigned char)p[off] << 24 |
			    (size_t)(unsigned char)p[off + 1] << 16 |
			    (size_t)(unsigned char)p[off + 2] << 8 |
			    (unsigned char)p[off + 3];
			if (clen == 0)
				return 1;
			off += 4 + clen;
		}
		return 0;
	}
	return (h = header_len(p, n, &clen)) > 0 && n >= h + clen;
}

/* serve - one connection as the mode says */
static void
serve(int c, const struct stub_conf *k)
{
	static char buf[4 << 20];	/* the child's own copy */
	size_t	 got = 0, i;
	ssize_t	 r;

	if (k->mode == SCAN_STUB_CLOSE)
		return;
	if (k->mode == SCAN_STUB_NOREAD)
		for (;;)
			sleep_ms(1000);
	while (k->mode == SCAN_STUB_SILENT || (k->expect > 0 ?
	    got < k->expect : !complete(buf, got))) {
		r = read(c, buf + got % sizeof(buf), sizeof(buf) -
		    got % sizeof(buf));
		if (r <= 0)
			break;
		if (write(k->cap, buf + got % sizeof(buf), (size_t)r) != r)
			_exit(3);
		got += (size_t)r;
	}
	if (k->mode == SCAN_STUB_SLOW)
		sleep_ms(k->delay_ms);
	if (k->mode != SCAN_STUB_DRIP) {
		(void)send(c, k->reply, k->reply_len, MSG_NOSIGNAL);
		return;
	}
	for (i = 0; i < k->reply_len; i++) {
		(void)send(c, k->reply + i, 1, MSG_NOSIGNAL);
		sleep_ms(k->delay_ms);
	}
}

/* child - accept and serve until killed */
static void
child(int lfd, const struct stub_conf *k)
{
	int	 c;

	/* never outlive a test that failed before scan_stub_stop() */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	(void)alarm(60);
	(void)signal(SIGPIPE, SIG_IGN);
	for (;;) {
		c = accept(lfd, NULL, NULL);
		if (c < 0)
			continue;
		if (write(k->cnt, "c", 1) != 1)
			_exit(3);
		serve(c, k);
		(void)close(c);
	}
}

/* scan_stub_start - listen, fork the server; 0 or -1 */
int
scan_stub_start(struct scan_stub *st, int unix_socket,
    enum scan_stub_mode mode, size_t expect, const void *reply,
    size_t reply_len, unsigned delay_ms)
{
	struct stub_conf k = { mode, expect, reply, reply_len, delay_ms, -1,
		-1 };
	char	 path[128];
	int	 lfd;

	memset(st, 0, sizeof(*st));
	(void)snprintf(st->dir, sizeof(st->dir), "/tmp/gp-stub.XXXXXX");
	if (mkdtemp(st->dir) == NULL || (lfd = listen_on(st, unix_socket)) < 0)
		return -1;
	(void)snprintf(path, sizeof(path), "%s/capture", st->dir);
	k.cap = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	(void)snprintf(path, sizeof(path), "%s/conns", st->dir);
	k.cnt = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0600);
	if (k.cap < 0 || k.cnt < 0)
		return -1;
	if ((st->pid = fork()) < 0)
		return -1;
	if (st->pid == 0)
		child(lfd, &k);
	(void)close(lfd);
	(void)close(k.cap);
	(void)close(k.cnt);
	return 0;
}

/* scan_stub_stop - kill the server, return what it received */
size_t
scan_stub_stop(struct scan_stub *st, char *buf, size_t len, unsigned *conns)
{
	char	 path[128];
	struct stat sb;
	size_t	 n = 0;
	ssize_t	 r;
	int	 fd;

	if (st->pid > 0) {
		(void)kill(st->pid, SIGKILL);
		(void)waitpid(st->pid, NULL, 0);
	}
	(void)snprintf(path, sizeof(path), "%s/capture", st->dir);
	if ((fd = open(path, O_RDONLY)) >= 0) {
		if (fstat(fd, &sb) == 0)
			n = (size_t)sb.st_size;
		r = buf != NULL ? read(fd, buf, len) : 0;
		(void)r;
		(void)close(fd);
	}
	(void)unlink(path);
	(void)snprintf(path, sizeof(path), "%s/conns", st->dir);
	if (conns != NULL)
		*conns = stat(path, &sb) == 0 ? (unsigned)sb.st_size : 0;
	(void)unlink(path);
	(void)snprintf(path, sizeof(path), "%s/s", st->dir);
	(void)unlink(path);
	(void)rmdir(st->dir);
	return n;
}

/* scan_stub_free_port - a loopback port with no listener, or 0 */
unsigned
scan_stub_free_port(void)
{
	struct sockaddr_in in;
	socklen_t len = sizeof(in);
	unsigned port = 0;
	int	 fd = socket(AF_INET, SOCK_STREAM, 0);

	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&in, sizeof(in)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&in, &len) == 0)
		port = ntohs(in.sin_port);
	if (fd >= 0)
		(void)close(fd);
	return port;
}

/* scan_stub_block - a scanner config block for the stub (or any server) */
void
scan_stub_block(struct cfg_scan *s, enum cfg_engine e, const char *server,
    unsigned timeout_ms, size_t max_size)
{
	memset(s, 0, sizeof(*s));
	s->set = 1;
	s->engine = e;
	s->server = (char *)(uintptr_t)server;
	s->timeout_ms = timeout_ms;
	s->max_size = max_size;
	s->tag_score = 5;
	s->action = CFG_ACT_REJECT;
	s->on_error = CFG_ACT_TEMPFAIL;
	/* the config's defaults */
	s->oversize = e == CFG_ENG_CLAMD ? CFG_OVERSIZE_REJECT :
	    CFG_OVERSIZE_TRUNCATE;
}
