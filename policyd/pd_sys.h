/*
 * NAME
 *	pd_sys 3h
 * SUMMARY
 *	process set-up for the policy daemon: daemon, pid file, privileges
 * SYNOPSIS
 *	#include "pd_sys.h"
 * DESCRIPTION
 *	pd_sys_daemonize() forks; the parent waits until the child calls
 *	pd_sys_ready() and exits 0, or exits with the child's own exit
 *	status when the child dies during start-up, so that an init script
 *	sees start-up errors.  The child starts a new session, changes to
 *	"/" and points its standard streams at /dev/null.  It returns the
 *	descriptor pd_sys_ready() writes to.
 *
 *	pd_sys_pidfile() writes the process id to path (0644); it returns
 *	0 or -1 with errno set.
 *
 *	pd_sys_user() looks a user up: 0, or -1 if there is none.
 *	pd_sys_drop() changes to that user's uid, primary gid and
 *	supplementary groups and verifies that root cannot be regained;
 *	it returns 0, or -1 with a reason.
 *
 *	pd_sys_nofile() raises the soft RLIMIT_NOFILE to the hard limit
 *	and returns the new soft limit.
 *
 *	pd_sys_seed() fills a rate-limit store seed from getrandom(2).
 * SEE ALSO
 *	daemon(7), setresuid(2), getrlimit(2)
 */
#ifndef GP_PD_SYS_H
#define GP_PD_SYS_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

struct pd_user {
	uid_t	 uid;
	gid_t	 gid;
	char	 name[64];
};

int	pd_sys_daemonize(void);
void	pd_sys_ready(int);
int	pd_sys_pidfile(const char *);
int	pd_sys_user(const char *, struct pd_user *);
int	pd_sys_drop(const struct pd_user *, char *, size_t);
unsigned long pd_sys_nofile(void);
void	pd_sys_seed(uint64_t[2]);

#endif
