/*
 * NAME
 *	log 3h
 * SUMMARY
 *	logging to syslog (facility mail) or stderr
 * SYNOPSIS
 *	#include "log.h"
 * DESCRIPTION
 *	log_open() selects the destination once at start-up: syslog with
 *	the given ident and LOG_MAIL, or stderr ("IDENT[PID]: LEVEL: ...")
 *	when to_stderr is set.  Debug messages are dropped unless debug is
 *	set.  log.c is the only file that calls syslog(3).
 *
 *	log_info(), log_warn(), log_err() and log_debug() log one line;
 *	log_fatal() logs and exits with the given sysexits(3) code (bad
 *	config or environment at start-up); log_panic() logs and aborts
 *	(our own bug).  All are thread safe.
 *
 *	log_sanitize() copies a string for logging: at most max bytes,
 *	control characters, '"' and '\\' replaced by '?'.
 * SEE ALSO
 *	syslog(3), decide(3h) for the decision line
 */
#ifndef GP_LOG_H
#define GP_LOG_H

#include <stddef.h>


#define LOG_LINE_MAX	2048

void	log_open(const char *ident, int to_stderr, int debug);
int	log_debug_enabled(void);
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_fatal(int, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));
void	log_panic(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

void	log_sanitize(char *, size_t, const char *, size_t);

#endif
