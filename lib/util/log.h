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
 *
 *	The structured event log (docs/events.md): log_events_open()
 *	selects it, at start-up and on every reload: json 0 keeps the
 *	text decision lines; json 1 makes the daemons write JSON events
 *	instead, through log_event(): appended as one line to path when
 *	path is not NULL (the file is opened before the old one is
 *	closed, so a reload to a path that cannot be opened keeps the old
 *	file and returns -1 with why), else logged at info like any line.
 *	log_events_json() says which format is in force and
 *	log_events_to_file() whether the events have a file of their own
 *	(the daemons then keep their text decision lines too); a mutex guards
 *	the file and the flag is atomic, so both may change while
 *	threads log.  log_ident_name() is the ident log_open() set.
 *	log_event_head() starts any event: {"event":EVENT,"time":
 *	"YYYY-MM-DDTHH:MM:SSZ" (UTC, of now),"daemon":DAEMON; the caller
 *	adds its fields and the closing brace (pure).
 * SEE ALSO
 *	syslog(3), decide(3h) for the decision line
 */
#ifndef GP_LOG_H
#define GP_LOG_H

#include <stddef.h>
#include <time.h>

#include "sbuf.h"


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

int	log_events_open(int json, const char *path, char *why, size_t whylen);
int	log_events_json(void);
int	log_events_to_file(void);
const char *log_ident_name(void);
void	log_event(const char *json);
void	log_event_head(struct sbuf *, const char *event, time_t now,
	    const char *daemon);

#endif
