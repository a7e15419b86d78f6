/* pd_sys.c - daemonize, pid file, privilege drop, resource limits */
#include "config.h"

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pd_sys.h"

/* pd_sys_daemonize - fork; the parent exits with the child's verdict */
int
pd_sys_daemonize(void)
{
	int	 p[2], status, fd;
	char	 b;
	pid_t	 pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid > 0) {
		(void)close(p[1]);
		if (read(p[0], &b, 1) == 1)
			_exit(0);
		/* The child died before it was ready: pass its status on. */
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
			_exit(WEXITSTATUS(status));
		_exit(1);
	}
	(void)close(p[0]);
	(void)setsid();
	if (chdir("/") < 0)
		return -1;
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		(void)dup2(fd, 2);
		if (fd > 2)
			(void)close(fd);
	}
	return p[1];
}

/* pd_sys_ready - tell the waiting parent that start-up succeeded */
void
pd_sys_ready(int fd)
{
	if (fd < 0)
		return;
	(void)write(fd, "", 1);
	(void)close(fd);
}

/* pd_sys_pidfile - write our pid */
int
pd_sys_pidfile(const char *path)
{
	char	 buf[32];
	int	 fd, n;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		(void)close(fd);
		return -1;
	}
	return close(fd);
}

/* pd_sys_user - look up a user by name (or numeric uid) */
int
pd_sys_user(const char *name, struct pd_user *u)
{
	struct passwd pw, *res = NULL;
	char	 buf[4096];

	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
		return -1;
	u->uid = pw.pw_uid;
	u->gid = pw.pw_gid;
	(void)snprintf(u->name, sizeof(u->name), "%s", pw.pw_name);
	return 0;
}

/* pd_sys_drop - become the user for good */
int
pd_sys_drop(const struct pd_user *u, char *why, size_t whylen)
{
	uid_t	 r, e, s;

	if (initgroups(u->name, u->gid) < 0 ||
	    setresgid(u->gid, u->gid, u->gid) < 0 ||
	    setresuid(u->uid, u->uid, u->uid) < 0) {
		(void)snprintf(why, whylen, "cannot become user %s: %m",
		    u->name);
		return -1;
	}
	if (getresuid(&r, &e, &s) < 0 || r != u->uid || e != u->uid ||
	    s != u->uid || (u->uid != 0 && setuid(0) == 0)) {
		(void)snprintf(why, whylen, "privileges were not dropped to "
		    "user %s", u->name);
		return -1;
	}
	/* setuid makes the process non-dumpable; cores matter for bugs */
	(void)prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	return 0;
}

/* pd_sys_nofile - raise the descriptor limit as far as allowed */
unsigned long
pd_sys_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 0;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
		(void)getrlimit(RLIMIT_NOFILE, &rl);
	}
	return (unsigned long)rl.rlim_cur;
}

/* pd_sys_seed - random key for the rate-limit store's hash */
void
pd_sys_seed(uint64_t seed[2])
{
	struct timespec ts;

	if (getrandom(seed, 2 * sizeof(seed[0]), 0) ==
	    (ssize_t)(2 * sizeof(seed[0])))
		return;
	/* no entropy yet: weak, but the table still works */
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	seed[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	seed[1] = (uint64_t)ts.tv_sec;
}
