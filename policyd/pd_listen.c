/* pd_listen.c - create the unix and inet listening sockets */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#include "pd_listen.h"
#include "xalloc.h"

static int open_unix(const char *, int, const char *, struct pd_listener *,
	    char *, size_t);
static int open_inet(const char *, struct pd_listener *, char *, size_t);
static int unix_stale(const char *, char *, size_t);
static int sock_setup(int);

/* sock_setup - non-blocking, close-on-exec */
static int
sock_setup(int fd)
{
	int	 fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

/* pd_listen_split - addresses separated by commas or white space */
int
pd_listen_split(const char *list, char *buf, size_t len, char **v, int max)
{
	char	*p, *save = NULL;
	int	 n = 0;

	(void)snprintf(buf, len, "%s", list);
	for (p = strtok_r(buf, ", \t\n", &save); p != NULL;
	    p = strtok_r(NULL, ", \t\n", &save)) {
		if (n == max)
			return -1;
		v[n++] = p;
	}
	return n;
}

/* pd_listen_open - one listening socket from a Postfix-style address */
int
pd_listen_open(const char *spec, int mode, const char *group,
    struct pd_listener *l, char *why, size_t whylen)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	(void)snprintf(l->name, sizeof(l->name), "%s", spec);
	if (strncmp(spec, "unix:", 5) == 0)
		return open_unix(spec + 5, mode, group, l, why, whylen);
	if (spec[0] == '/')
		return open_unix(spec, mode, group, l, why, whylen);
	if (strncmp(spec, "inet:", 5) == 0)
		return open_inet(spec + 5, l, why, whylen);
	return open_inet(spec, l, why, whylen);
}

/* unix_stale - 0 when path is absent or a dead socket (removed) */
static int
unix_stale(const char *path, char *why, size_t whylen)
{
	struct sockaddr_un sun;
	struct stat sb;
	int	 fd, rc;

	if (lstat(path, &sb) < 0)
		return 0;
	if (!S_ISSOCK(sb.st_mode)) {
		(void)snprintf(why, whylen, "%s: exists and is not a socket",
		    path);
		return EX_CANTCREAT;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		(void)snprintf(why, whylen, "socket: %m");
		return EX_OSERR;
	}
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	(void)close(fd);
	if (rc == 0) {
		(void)snprintf(why, whylen, "%s: socket in use by another "
		    "process (is gatepost-policyd already running?)", path);
		return EX_UNAVAILABLE;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		(void)snprintf(why, whylen, "%s: cannot remove stale socket: "
		    "%m", path);
		return EX_CANTCREAT;
	}
	return 0;
}

/* open_unix - bind and listen on a unix-domain socket */
static int
open_unix(const char *path, int mode, const char *group,
    struct pd_listener *l, char *why, size_t whylen)
{
	struct sockaddr_un sun;
	struct group *gr = NULL;
	mode_t	 old;
	int	 fd, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (path[0] != '/' || strlen(path) >= sizeof(sun.sun_path)) {
		(void)snprintf(why, whylen, "unix:%s: expected an absolute "
		    "path shorter than %zu bytes", path, sizeof(sun.sun_path));
		return EX_USAGE;
	}
	if (group != NULL && (gr = getgrnam(group)) == NULL) {
		(void)snprintf(why, whylen, "socket_group %s: no such group",
		    group);
		return EX_NOUSER;
	}
	if ((rc = unix_stale(path, why, whylen)) != 0)
		return rc;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 || sock_setup(fd) < 0) {
		(void)snprintf(why, whylen, "socket: %m");
		return EX_OSERR;
	}
	old = umask(0177);		/* no window with a wider mode */
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	(void)umask(old);
	if (rc < 0 || listen(fd, PD_LISTEN_BACKLOG) < 0) {
		(void)snprintf(why, whylen, "unix:%s: %m", path);
		(void)close(fd);
		return errno == EADDRINUSE ? EX_UNAVAILABLE : EX_CANTCREAT;
	}
	l->fd = fd;
	l->path = xstrdup(path);
	if ((gr != NULL && chown(path, (uid_t)-1, gr->gr_gid) < 0) ||
	    chmod(path, mode >= 0 ? (mode_t)mode : 0666) < 0) {
		(void)snprintf(why, whylen, "unix:%s: %m", path);
		pd_listen_close(l);
		return EX_CANTCREAT;
	}
	return 0;
}

/* open_inet - bind and listen on HOST:PORT */
static int
open_inet(const char *spec, struct pd_listener *l, char *why, size_t whylen)
{
	struct addrinfo hints, *res = NULL;
	char	 host[256];
	const char *colon = strrchr(spec, ':');
	size_t	 hlen;
	int	 fd, on = 1, rc;

	if (colon == NULL || colon[1] == '\0' ||
	    (size_t)(colon - spec) >= sizeof(host)) {
		(void)snprintf(why, whylen, "\"%s\": expected unix:/path or "
		    "inet:host:port", spec);
		return EX_USAGE;
	}
	hlen = (size_t)(colon - spec);
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
		spec++;
		hlen -= 2;
	}
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(hlen == 0 || strcmp(host, "*") == 0 ? NULL : host,
	    colon + 1, &hints, &res);
	if (rc != 0) {
		(void)snprintf(why, whylen, "%s: %s", l->name,
		    gai_strerror(rc));
		return EX_USAGE;
	}
	if ((fd = socket(res->ai_family, SOCK_STREAM, 0)) < 0 ||
	    sock_setup(fd) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0) {
		(void)snprintf(why, whylen, "socket: %m");
		freeaddrinfo(res);
		return EX_OSERR;
	}
	rc = bind(fd, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	if (rc < 0 || listen(fd, PD_LISTEN_BACKLOG) < 0) {
		rc = errno;
		(void)snprintf(why, whylen, "%s: %m", l->name);
		(void)close(fd);
		return rc == EADDRINUSE ? EX_UNAVAILABLE : EX_CANTCREAT;
	}
	l->fd = fd;
	return 0;
}

/* pd_listen_close - close and remove a unix socket's file */
void
pd_listen_close(struct pd_listener *l)
{
	if (l->fd >= 0)
		(void)close(l->fd);
	l->fd = -1;
	if (l->path != NULL)
		(void)unlink(l->path);
	free(l->path);
	l->path = NULL;
}
