/* redis_stub.c - a private redis-server for tests */
#include "config.h"

#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hiredis/hiredis.h>

#include "redis_stub.h"

/* spawn - exec redis-server on the stub's socket */
static int
spawn(struct redis_stub *r)
{
	char	 log[200];
	const char *argv[40] = {
	    "redis-server", "--port", "0", "--unixsocket", r->sock,
	    "--unixsocketperm", "700", "--save", "", "--appendonly", "no",
	    "--dir", r->dir, "--logfile", log,
	    "--maxmemory-policy", "noeviction",
	};
	int	 n = 0, i;

	(void)snprintf(log, sizeof(log), "%s/redis.log", r->dir);
	while (argv[n] != NULL)
		n++;
	for (i = 0; r->extra != NULL && r->extra[i] != NULL && n < 38; i++)
		argv[n++] = r->extra[i];
	argv[n] = NULL;
	if ((r->pid = fork()) < 0)
		return -1;
	if (r->pid == 0) {
		/* a failed test must not leave a server behind */
		(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
		(void)execvp("redis-server", (char *const *)argv);
		_exit(127);
	}
	return 0;
}

/* wait_ready - PING answers within ten seconds */
static int
wait_ready(struct redis_stub *r)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	redisReply *rep;
	int	 i;

	for (i = 0; i < 500; i++) {
		if ((rep = redis_stub_cmd(r, "PING")) != NULL) {
			freeReplyObject(rep);
			return 0;
		}
		(void)nanosleep(&ts, NULL);
	}
	return -1;
}

/* redis_stub_start - a fresh server in a fresh directory */
int
redis_stub_start(struct redis_stub *r, const char *const *extra)
{
	memset(r, 0, sizeof(*r));
	(void)snprintf(r->dir, sizeof(r->dir), "/tmp/gp-redis-XXXXXX");
	if (mkdtemp(r->dir) == NULL)
		return -1;
	(void)snprintf(r->sock, sizeof(r->sock), "%s/redis.sock", r->dir);
	(void)snprintf(r->server, sizeof(r->server), "unix:%s", r->sock);
	r->extra = extra;
	return redis_stub_restart(r);
}

/* redis_stub_restart - start it again on the same socket */
int
redis_stub_restart(struct redis_stub *r)
{
	if (spawn(r) < 0)
		return -1;
	return wait_ready(r);
}

/* redis_stub_signal - SIGSTOP, SIGCONT, ... */
void
redis_stub_signal(struct redis_stub *r, int sig)
{
	if (r->pid > 0)
		(void)kill(r->pid, sig);
}

/* redis_stub_stop - kill and reap it */
void
redis_stub_stop(struct redis_stub *r)
{
	if (r->pid <= 0)
		return;
	(void)kill(r->pid, SIGCONT);
	(void)kill(r->pid, SIGKILL);
	(void)waitpid(r->pid, NULL, 0);
	r->pid = 0;
	(void)unlink(r->sock);
}

/* redis_stub_free - stop it and remove its directory and every file */
void
redis_stub_free(struct redis_stub *r)
{
	struct dirent *e;
	char	 p[512];
	DIR	*d;

	redis_stub_stop(r);
	if ((d = opendir(r->dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			(void)snprintf(p, sizeof(p), "%s/%s", r->dir,
			    e->d_name);
			(void)unlink(p);
		}
		(void)closedir(d);
	}
	(void)rmdir(r->dir);
}

/* redis_stub_cmd - one command on a blocking connection */
void *
redis_stub_cmd(struct redis_stub *r, const char *fmt, ...)
{
	struct timeval tv = { 2, 0 };
	redisContext *c = redisConnectUnixWithTimeout(r->sock, tv);
	va_list	 ap;
	void	*rep;

	if (c == NULL || c->err) {
		if (c != NULL)
			redisFree(c);
		return NULL;
	}
	(void)redisSetTimeout(c, tv);
	va_start(ap, fmt);
	rep = redisvCommand(c, fmt, ap);
	va_end(ap);
	redisFree(c);
	return rep;
}
