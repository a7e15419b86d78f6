/*
 * NAME
 *	log 3h
 * SUMMARY
 *	logging to syslog (facility mail) or stderr, and the decision line
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
 *	log_decision_format() writes the one decision line DESIGN.md fixes:
 *	"QUEUEID|NOQUEUE: instance=NAME direction=DIR rule=RULE
 *	action=ACT mode=MODE reason="..." client=NAME[ADDR] from=<...>
 *	to=<...> sasl=<...>"; untrusted values are truncated to 100 bytes
 *	and control characters and quotes are replaced, so a peer cannot
 *	forge log lines.  inst may be NULL (unknown instance: "-");
 *	queue_id may be NULL or empty (NOQUEUE).  It is pure; log_decision()
 *	formats and logs at info (or debug for accepts).
 *
 *	log_sanitize() copies a string for logging: at most max bytes,
 *	control characters, '"' and '\\' replaced by '?'.
 * SEE ALSO
 *	syslog(3), DESIGN.md "Replies and logging"
 */
#ifndef GP_LOG_H
#define GP_LOG_H

#include <stddef.h>

#include "cfg.h"
#include "facts.h"
#include "rule.h"

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
void	log_decision_format(char *, size_t, const char *queue_id,
	    const struct cfg_instance *, const struct rule_hit *,
	    const struct facts *);
void	log_decision(const char *queue_id, const struct cfg_instance *,
	    const struct rule_hit *, const struct facts *);

#endif
