/*
 * NAME
 *	daemon 3h
 * SUMMARY
 *	process set-up shared by the daemons: detach, pid file, privileges
 * SYNOPSIS
 *	#include "daemon.h"
 * DESCRIPTION
 *	A thin system module (docs/HACKING.md §3); nothing here logs.
 *
 *	daemon_detach() forks; the parent waits until the child (or a
 *	process it forks and hands the descriptor to) calls daemon_ready()
 *	and exits 0, or exits with the child's exit status when it dies
 *	during start-up, so that an init script sees start-up errors.  The
 *	child starts a new session, changes to "/" and points its standard
 *	streams at /dev/null (standard error too unless keep_stderr).  It
 *	returns the descriptor daemon_ready() writes to (close-on-exec), or
 *	-1 with a reason in why.  daemon_ready(-1) does nothing.
 *
 *	daemon_pidfile() writes the process id to a new file at path (mode
 *	0644 less the umask), after removing what was there: a symlink or
 *	hard link is never written through, a stale file's mode never
 *	kept.  0, or -1 with a reason in why.
 *
 *	daemon_user() looks a user up by name: 0, or -1 with a reason in
 *	why if there is none.  Every function that can fail here follows
 *	lib/'s one error convention (docs/HACKING.md §6): -1 and a reason
 *	in the caller's why[whylen].
 *	daemon_drop() changes to that user's uid, primary gid and
 *	supplementary groups, verifies that root cannot be regained and
 *	makes the process dumpable again (cores matter); 0, or -1 with a
 *	reason in why.
 *
 *	daemon_nofile() raises the soft RLIMIT_NOFILE to the hard limit and
 *	returns the new soft limit.
 *
 *	daemon_opt() takes one getopt() flag that every daemon shares
 *	(-c config, -d, -e, -f, -p pidfile, -t, -u user; arg is optarg)
 *	into o: 1, or 0 when ch is not one of them.  The strings are
 *	borrowed from argv.
 * SEE ALSO
 *	daemon(7), setresuid(2), getrlimit(2)
 */
#ifndef GP_DAEMON_H
#define GP_DAEMON_H

#include <sys/types.h>

#include <stddef.h>

struct daemon_opts {
	const char *config;		/* -c */
	const char *user;		/* -u */
	const char *pidfile;		/* -p */
	int	 foreground;		/* -f */
	int	 to_stderr;		/* -e */
	int	 debug;			/* -d */
	int	 check;			/* -t */
};

struct daemon_user {
	uid_t	 uid;
	gid_t	 gid;
	char	 name[64];
};

int	daemon_detach(int, char *, size_t);
void	daemon_ready(int);
int	daemon_pidfile(const char *, char *, size_t);
int	daemon_user(const char *, struct daemon_user *, char *, size_t);
int	daemon_drop(const struct daemon_user *, char *, size_t);
unsigned long daemon_nofile(void);
int	daemon_opt(struct daemon_opts *, int, const char *);

#endif
