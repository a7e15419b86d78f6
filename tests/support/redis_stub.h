/*
 * NAME
 *	redis_stub 3h
 * SUMMARY
 *	a private redis-server for tests, started and stopped by pid
 * SYNOPSIS
 *	#include "redis_stub.h"
 * DESCRIPTION
 *	redis_stub_start() runs redis-server in a fresh temporary
 *	directory, listening only on a unix socket there (no TCP port, no
 *	persistence), with "maxmemory-policy noeviction", and waits up to
 *	ten seconds until it answers PING.  extra is appended to its
 *	arguments (NULL-terminated, may be NULL).  It fills r->server with
 *	"unix:/tmp/.../redis.sock" and returns 0, or -1.
 *	redis_stub_signal() sends a signal to it (SIGSTOP, SIGCONT);
 *	redis_stub_stop() kills it with SIGKILL and reaps it, keeping the
 *	directory; redis_stub_restart() starts it again on the same socket;
 *	redis_stub_free() stops it and removes the directory with every
 *	file in it.
 *	redis_stub_cmd() runs one command on a blocking connection and
 *	returns the reply (the caller frees it with freeReplyObject), or
 *	NULL.
 * SEE ALSO
 *	redis-server(1), check_pd_redis.c
 */
#ifndef GP_REDIS_STUB_H
#define GP_REDIS_STUB_H

#include <sys/types.h>

struct redis_stub {
	pid_t	 pid;			/* 0 = not running */
	char	 dir[128];		/* temporary directory */
	char	 sock[200];		/* its unix socket */
	char	 server[210];		/* "unix:" + sock */
	const char *const *extra;	/* borrowed */
};

int	redis_stub_start(struct redis_stub *, const char *const *extra);
int	redis_stub_restart(struct redis_stub *);
void	redis_stub_signal(struct redis_stub *, int);
void	redis_stub_stop(struct redis_stub *);
void	redis_stub_free(struct redis_stub *);
void	*redis_stub_cmd(struct redis_stub *, const char *fmt, ...);

#endif
