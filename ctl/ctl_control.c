/* ctl_control.c - gatepostctl's client for gatepost-policyd's control socket */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

#define CTL_REPLY_MAX	(1024 * 1024)	/* bytes of one answer */

/* ctl_control_path - the socket: --socket, else policyd.control */
const char *
ctl_control_path(const struct cfg *cfg, const char *opt)
{
	const char *p = opt != NULL ? opt : cfg->policyd.control;

	if (p != NULL && strncmp(p, "unix:", 5) == 0)
		p += 5;
	return p;
}

/* put_all - write a whole buffer */
static int
put_all(int fd, const char *p, size_t n)
{
	ssize_t	 w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * ctl_control_call - send one command line, hand every data line (the
 * "- " removed) to fn, and return 0 for "OK", 1 for "ERR" (the reason
 * in why), or -1 when the daemon cannot be reached or does not answer
 * in timeout_ms (the reason in why)
 */
int
ctl_control_call(const char *path, const char *cmd, int timeout_ms,
    void (*fn)(void *, const char *), void *arg, char *why, size_t whylen)
{
	struct sockaddr_un sun;
	struct pollfd pfd;
	char	*buf, *line, *nl;
	size_t	 len = 0, cap = 8192, off = 0;
	ssize_t	 r;
	int	 fd, rc = -1;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (path == NULL || strlen(path) >= sizeof(sun.sun_path)) {
		(void)snprintf(why, whylen, "no control socket (set "
		    "policyd.control, or --socket PATH)");
		return -1;
	}
	(void)memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0 ||
	    put_all(fd, cmd, strlen(cmd)) < 0 || put_all(fd, "\n", 1) < 0) {
		(void)snprintf(why, whylen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			(void)close(fd);
		return -1;
	}
	if ((buf = malloc(cap)) == NULL) {
		(void)snprintf(why, whylen, "out of memory");
		(void)close(fd);
		return -1;
	}
	for (;;) {
		while ((nl = memchr(buf + off, '\n', len - off)) != NULL) {
			*nl = '\0';
			line = buf + off;
			off = (size_t)(nl - buf) + 1;
			if (strncmp(line, "- ", 2) == 0) {
				fn(arg, line + 2);
				continue;
			}
			rc = strcmp(line, "OK") == 0 ? 0 : 1;
			(void)snprintf(why, whylen, "%s", strncmp(line, "ERR ",
			    4) == 0 ? line + 4 : line);
			goto done;
		}
		if (len + 4096 > CTL_REPLY_MAX) {
			(void)snprintf(why, whylen, "answer too long");
			goto done;
		}
		if (len + 4096 > cap) {
			char	*nb = realloc(buf, cap = len + 8192);

			if (nb == NULL) {
				(void)snprintf(why, whylen, "out of memory");
				goto done;
			}
			buf = nb;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, timeout_ms) <= 0 ||
		    (r = read(fd, buf + len, cap - len - 1)) <= 0) {
			(void)snprintf(why, whylen, "%s: no answer", path);
			goto done;
		}
		len += (size_t)r;
	}
done:
	free(buf);
	(void)close(fd);
	return rc;
}
