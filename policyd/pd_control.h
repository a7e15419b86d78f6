/*
 * NAME
 *	pd_control 3h
 * SUMMARY
 *	the policy daemon's control channel for gatepostctl
 * SYNOPSIS
 *	#include "pd_control.h"
 * DESCRIPTION
 *	A local unix socket (policyd.control, mode control_mode, default
 *	0600, group control_group) that speaks a small line protocol:
 *	the client sends one command per line, words separated by blanks
 *	(at most PD_CTL_LINE bytes and PD_CTL_ARGS words; no quoting), and
 *	the daemon answers zero or more data lines that begin with "- ",
 *	then one status line: "OK" or "ERR reason".  Several commands may
 *	follow on one connection, answered in order; an over-long line is
 *	answered "ERR line too long" and the connection closed.  A client
 *	idle for 60 s is closed.
 *
 *	Commands live in one dispatch table (name, minimum and maximum
 *	words, handler); a handler may answer at once or later (after a
 *	store call), the connection reading nothing meanwhile.  Commands:
 *	"ping"; "help"; "store" (type, server, prefix, database, up);
 *	"ratelimit show [--instance NAME] VALUE" (per instance and limit:
 *	the count in the window and what remains, from the configured
 *	store; VALUE is a login, client address or sender, normalised as
 *	the limit's key is); "ratelimit reset [--instance NAME] VALUE"
 *	(deletes those counts; logged with the peer's uid and pid).
 *
 *	pd_control_new() serves an already listening socket (it takes the
 *	descriptor).  pd_control_free() closes it and every client;
 *	answers still due from the store are dropped.  Single-threaded.
 * SEE ALSO
 *	gatepostctl(8) "ratelimit", gatepost-policyd(8) "CONTROL CHANNEL"
 */
#ifndef GP_PD_CONTROL_H
#define GP_PD_CONTROL_H

#include <event2/event.h>

#include "pd_decide.h"

#define PD_CTL_LINE	1024		/* bytes of a command line */
#define PD_CTL_ARGS	16		/* words of a command */

struct pd_control;

struct pd_control *pd_control_new(struct event_base *, struct pd_env *,
	    int fd, const char *name);
void	pd_control_free(struct pd_control *);

#endif
