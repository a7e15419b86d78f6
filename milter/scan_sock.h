/*
 * NAME
 *	scan_sock 3h
 * SUMMARY
 *	scanner connections with one deadline for every operation
 * SYNOPSIS
 *	#include "scan_sock.h"
 * DESCRIPTION
 *	scan_clock_ms() reads the monotonic clock in milliseconds; a
 *	deadline is such a time.  Every function below gives up when the
 *	deadline passes, so a caller that computes one deadline (start +
 *	timeout) bounds a whole conversation with a scanner, however many
 *	reads and writes it takes.
 *
 *	scan_server_parse() accepts "unix:/path", "HOST:PORT" and
 *	"[HOST]:PORT" where HOST is an IPv4 or IPv6 address or "localhost"
 *	(127.0.0.1).  Names are refused: a resolver lookup could not be
 *	bounded by the deadline.  It returns 0, or -1 with a reason.
 *
 *	scan_sock_connect() parses the server and connects a non-blocking,
 *	close-on-exec socket; it returns the descriptor, or -1 with a
 *	reason ("connect: Connection refused", "connect: timed out").
 *	scan_sock_sendv() sends all of an I/O vector (it may modify the
 *	vector); MSG_NOSIGNAL keeps SIGPIPE away from the process.
 *	scan_sock_recv() reads what is there, waiting for at least one
 *	byte: it returns the count, 0 at end of file, or -1 with a reason.
 *
 *	Thread safe, no globals; errors are reported, never logged.
 * SEE ALSO
 *	scan(3h), poll(2)
 */
#ifndef GP_SCAN_SOCK_H
#define GP_SCAN_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

int64_t	scan_clock_ms(void);
int	scan_server_parse(const char *, struct sockaddr_storage *,
	    socklen_t *, char *, size_t);
int	scan_sock_connect(const char *, int64_t, char *, size_t);
int	scan_sock_sendv(int, struct iovec *, int, int64_t, char *, size_t);
ssize_t	scan_sock_recv(int, void *, size_t, int64_t, char *, size_t);

#endif
