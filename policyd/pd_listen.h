/*
 * NAME
 *	pd_listen 3h
 * SUMMARY
 *	open the policy service's listening sockets
 * SYNOPSIS
 *	#include "pd_listen.h"
 * DESCRIPTION
 *	pd_listen_open() creates one listening socket, non-blocking and
 *	close-on-exec, from a Postfix-style address:
 *	"unix:/path" (or a bare absolute path) or "inet:HOST:PORT" (or
 *	"HOST:PORT"; HOST may be "[v6addr]", "*" or empty for every
 *	address).  A unix socket is created with mode socket_mode (-1:
 *	0666) and group socket_group (NULL: unchanged); a stale socket
 *	file is replaced, but a socket that accepts connections is "in
 *	use" and an error, as is a path that is not a socket.  Call it as
 *	root, before dropping privileges.
 *
 *	On success it fills l (l->path is the unix path to remove at exit,
 *	owned) and returns 0; otherwise it writes a reason and returns a
 *	sysexits(3) code: EX_USAGE (bad address), EX_NOUSER (unknown
 *	group), EX_UNAVAILABLE (in use), EX_CANTCREAT or EX_OSERR.
 *
 *	pd_listen_split() splits a list of addresses separated by commas
 *	or white space, as in "unix:/run/p.sock, inet:127.0.0.1:10040",
 *	into at most max entries copied into the caller's buffer; it
 *	returns the count, or -1 when there are more.
 *
 *	pd_listen_close() closes the socket and removes a unix socket's
 *	file (errors ignored: after a privilege drop the directory may not
 *	be writable).
 * SEE ALSO
 *	check_policy_service in postconf(5), unix(7), ip(7)
 */
#ifndef GP_PD_LISTEN_H
#define GP_PD_LISTEN_H

#include <stddef.h>

#define PD_LISTEN_MAX	8		/* listening sockets */
#define PD_LISTEN_BACKLOG 1024

struct pd_listener {
	int	 fd;			/* listening socket, -1 = none */
	char	*path;			/* owned: unix socket file, or NULL */
	char	 name[128];		/* the address as given, for logs */
};

int	pd_listen_open(const char *, int socket_mode, const char *socket_group,
	    struct pd_listener *, char *, size_t);
void	pd_listen_close(struct pd_listener *);
int	pd_listen_split(const char *, char *, size_t, char **, int max);

#endif
