/* daemon.c - detach, pid file, privilege drop, descriptor limit */
#include "config.h"

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "daemon.h"

/* daemon_detach - fork; the parent exits with the child's verdict */
int
daemon_detach(int keep_stderr, char *why, size_t whylen)
{
	int	 p[2], status, fd;
	char	 b;
	pid_t	 pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0) {
		(void)snprintf(why, whylen, "cannot become a daemon: %m");
		return -1;
	}
	if (pid > 0) {
		(void)close(p[1]);
		if (read(p[0], &b, 1) == 1)
			_exit(0);
		/* the child died before it was ready: pass its status on */
		if (waitpid(pid, &status, 0) == pid && WIFEXITED(status))
			_exit(WEXITSTATUS(status));
		_exit(1);
	}
	(void)close(p[0]);
	(void)setsid();
	if (chdir("/") < 0) {
		(void)snprintf(why, whylen, "chdir /: %m");
		return -1;
	}
	if ((fd = open("/dev/null", O_RDWR)) >= 0) {
		(void)dup2(fd, 0);
		(void)dup2(fd, 1);
		if (!keep_stderr)
			(void)dup2(fd, 2);
		if (fd > 2)
			(void)close(fd);
	}
	return p[1];
}

/* daemon_ready - tell the waiting parent that start-up succeeded */
void
daemon_ready(int fd)
{
	if (fd < 0)
		return;
	(void)!write(fd, "", 1);
	(void)close(fd);
}

/*
 * daemon_pidfile - write our pid
 *
 * Called as root, often in a directory the daemon's user may write (so
 * that the file can be removed at exit): whatever is there is removed,
 * not opened, so a planted symlink or hard link is never written
 * through and a stale file's mode is not inherited: the new file is
 * 0644 at most.
 */
int
daemon_pidfile(const char *path, char *why, size_t whylen)
{
	char	 buf[32];
	int	 fd, n;

	if (unlink(path) < 0 && errno != ENOENT)
		goto fail;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0)
		goto fail;
	n = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	if (write(fd, buf, (size_t)n) != n) {
		(void)close(fd);
		goto fail;
	}
	if (close(fd) == 0)
		return 0;
fail:
	(void)snprintf(why, whylen, "pid file %s: %m", path);
	return -1;
}

/* daemon_user - look up a user by name */
int
daemon_user(const char *name, struct daemon_user *u, char *why,
    size_t whylen)
{
	struct passwd pw, *res = NULL;
	char	 buf[4096];

	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) != 0 || res == NULL) {
		(void)snprintf(why, whylen, "-u %s: no such user", name);
		return -1;
	}
	u->uid = pw.pw_uid;
	u->gid = pw.pw_gid;
	(void)snprintf(u->name, sizeof(u->name), "%s", pw.pw_name);
	return 0;
}

/* daemon_drop - become the user for good */
int
daemon_drop(const struct daemon_user *u, char *why, size_t whylen)
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

/* daemon_nofile - raise the descriptor limit as far as allowed */
unsigned long
daemon_nofile(void)
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

/* daemon_opt - one of the flags every daemon takes, into o */
int
daemon_opt(struct daemon_opts *o, int ch, const char *arg)
{
	switch (ch) {
	case 'c': o->config = arg; return 1;
	case 'd': o->debug = 1; return 1;
	case 'e': o->to_stderr = 1; return 1;
	case 'f': o->foreground = 1; return 1;
	case 'p': o->pidfile = arg; return 1;
	case 't': o->check = 1; return 1;
	case 'u': o->user = arg; return 1;
	default: return 0;
	}
}
