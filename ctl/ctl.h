/*
 * NAME
 *	ctl 3h
 * SUMMARY
 *	gatepostctl subcommands
 * SYNOPSIS
 *	#include "ctl.h"
 * DESCRIPTION
 *	Each subcommand takes the arguments after its name (argv[0] is the
 *	subcommand) and returns the process exit status.  They print to
 *	stdout, errors to stderr, and never log to syslog.
 *
 *	ctl_load() loads a config for a subcommand, printing every error
 *	and warning to stderr (cfg_load_report() with ctl_report_stderr(),
 *	whose ctx points at an int: non-zero drops warnings); NULL on
 *	failure.
 *
 *	ctl_control_call() sends one command line to gatepost-policyd's
 *	control socket (ctl_control_path(): --socket, else policyd.control)
 *	and hands each data line to fn; 0 on "OK", 1 on "ERR" (reason in
 *	why), -1 when the daemon cannot be reached or is silent for
 *	timeout_ms.  ctl_store_doctor() checks the shared rate-limit store
 *	(reachable, a master, maxmemory-policy noeviction, and the daemon
 *	counting where the config says), printing doctor PROBLEM lines;
 *	it returns the number of problems.
 *	ctl_pfconf_read() runs postconf (with -c dir unless dir is NULL)
 *	for main.cf (-n and all parameters), master.cf (-M) and its -o
 *	overrides (-P) and parses them into pf (pfconf(3h)); 0, or -1
 *	with a reason.  postconf's own warnings reach stderr.
 *
 *	ctl_getopt() is getopt_long() with "c:h" and lo for a subcommand:
 *	the next option, -1 after the last, or CTL_OPT_END when -h printed
 *	usage to stdout (*rc = 0) or a bad option printed it to stderr
 *	(*rc = EX_USAGE); the caller sets optind = 1 first.  ctl_usage()
 *	prints usage to stderr and returns EX_USAGE.  A subcommand's long
 *	options open with CTL_OPT_CONFIG and close with CTL_OPT_HELP_END.
 * SEE ALSO
 *	gatepostctl(8)
 */
#ifndef GP_CTL_H
#define GP_CTL_H

#include "cfg.h"
#include "pfconf.h"

#define CTL_DEFAULT_CONFIG	"/etc/gatepost/gatepost.json"
#define CTL_OPT_END		(-2)	/* ctl_getopt(): help or error */

/* The long options behind ctl_getopt()'s "c:h": first and last in a table. */
#define CTL_OPT_CONFIG		{"config", required_argument, NULL, 'c'}
#define CTL_OPT_HELP_END	{"help", no_argument, NULL, 'h'}, \
				{NULL, 0, NULL, 0}

struct option;

int	ctl_check(int, char **);
int	ctl_simulate(int, char **);
int	ctl_report(int, char **);
int	ctl_postfix(int, char **);
int	ctl_doctor(int, char **);
int	ctl_stats(int, char **);
int	ctl_ratelimit(int, char **);
int	ctl_getopt(int, char **, const struct option *, const char *, int *);
int	ctl_usage(const char *);
const char *ctl_control_path(const struct cfg *, const char *);
int	ctl_control_call(const char *, const char *, int,
	    void (*)(void *, const char *), void *, char *, size_t);
int	ctl_store_doctor(const struct cfg *, const char *);
struct cfg *ctl_load(const char *, int);
void	ctl_report_stderr(void *, enum cfg_report_kind, const char *);
int	ctl_pfconf_read(const char *, struct pfconf *, char *, size_t);

#endif
