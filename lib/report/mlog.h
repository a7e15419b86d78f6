/*
 * NAME
 *	mlog 3h
 * SUMMARY
 *	one Postfix log line: timestamp, program, queue ID and event
 * SYNOPSIS
 *	#include "mlog.h"
 * DESCRIPTION
 *	mlog_parse() splits one log line (without its newline) written
 *	by Postfix's maillog_file, a classic syslog daemon or rsyslog
 *	with RFC 3339 stamps:
 *
 *	    Nov 28 01:38:03 host postfix-inbound/smtpd[10309]: TEXT
 *	    Nov  3 01:38:03 host postfix-inbound/smtpd[10309]: TEXT
 *	    2026-11-28T01:38:03.123456+01:00 host postfix/qmgr[92]: TEXT
 *
 *	The program is split at its last '/' into the syslog_name
 *	("postfix-inbound", "postfix/submission") and the Postfix process
 *	("smtpd").  TEXT is classified into the events a traffic report
 *	needs (enum mlog_kind) and their values are picked out.
 *
 *	Time is civil time as written, as seconds since 1970-01-01
 *	00:00:00 of that clock: an RFC 3339 offset is parsed and ignored,
 *	so stamps of one host compare the same whichever format wrote
 *	them, and buckets follow the host's wall clock.  A stamp without
 *	a year takes the year of ref (a civil time: the file's
 *	modification time), or the year before when that would put the
 *	line more than a day after ref.  A fraction of a second goes
 *	to usec (for ordering lines of several files).
 *
 *	Returns 0 for a Postfix line (a program with a '/'), 1 for a
 *	well-formed line of another program (out is filled as far as the
 *	header goes, kind MLOG_NONE), -1 for a line that is not a log
 *	line (no stamp, no host, no program): truncated and garbled lines.
 *	Every string in out is a slice of line (borrowed, not
 *	NUL-terminated).  Pure: no allocation, no I/O.
 *
 *	mlog_mktime() converts a civil date and time to seconds;
 *	mlog_civil() is its inverse.  mlog_fmt() writes "YYYY-MM-DD",
 *	"YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM:SS" (what = MLOG_FMT_*).
 *	mlog_parse_date() reads a command-line date, "YYYY-MM-DD" with an
 *	optional " HH:MM[:SS]" or "THH:MM[:SS]", into *t; *has_time says
 *	whether a time was given.  It returns 0, or -1 for bad input.
 * SEE ALSO
 *	report(3h), gatepostctl(8) "report"
 */
#ifndef GP_MLOG_H
#define GP_MLOG_H

#include <stddef.h>
#include <stdint.h>

struct mlog_str {			/* a slice of the line */
	const char *p;			/* borrowed; NULL when absent */
	size_t	 len;			/* bytes */
};

enum mlog_kind {
	MLOG_NONE = 0,			/* a line the report does not use */
	MLOG_CLIENT,			/* smtpd: "QID: client=..." */
	MLOG_PICKUP,			/* pickup: "QID: uid=N from=<...>" */
	MLOG_MSGID,			/* cleanup: "QID: message-id=..." */
	MLOG_QUEUED,			/* qmgr: "from=<>, size=, nrcpt=" */
	MLOG_REMOVED,			/* qmgr: "QID: removed" */
	MLOG_REJECT,			/* "[milter-]reject: STAGE from ..." */
	MLOG_HOLD,			/* "[milter-]hold: ..." */
	MLOG_DISCARD,			/* "[milter-]discard: ..." */
	MLOG_NOTIFY,			/* bounce: "... notification: QID2" */
	MLOG_DISCONNECT			/* smtpd: "disconnect from ..." */
};

struct mlog_line {
	int64_t	 time;			/* civil seconds since 1970-01-01 */
	long	 usec;			/* microseconds, when the stamp has */
	struct mlog_str host;
	struct mlog_str syslog_name;	/* "postfix-inbound" */
	struct mlog_str process;	/* "smtpd"; whole program if no '/' */
	unsigned long pid;		/* 0 when absent */
	struct mlog_str queue_id;	/* empty for NOQUEUE and none */
	enum mlog_kind kind;
	struct mlog_str text;		/* message after the queue ID */
	/* values by kind */
	struct mlog_str sasl_username;	/* CLIENT, may be empty */
	struct mlog_str orig_queue_id;	/* CLIENT re-injected via XFORWARD */
	struct mlog_str message_id;	/* MSGID, as logged ("<a@b>") */
	struct mlog_str sender;		/* QUEUED: envelope sender, no <> */
	uint64_t size;			/* QUEUED: bytes */
	unsigned long nrcpt;		/* QUEUED: recipients */
	struct mlog_str new_queue_id;	/* NOTIFY: the notification's ID */
	int	 milter;		/* REJECT/HOLD/DISCARD by a milter */
	struct mlog_str stage;		/* REJECT/HOLD/DISCARD: "RCPT" */
	struct mlog_str code;		/* REJECT: "554 5.7.1", "5.7.1", "" */
	struct mlog_str reason;		/* REJECT: text after the code */
};

#define MLOG_FMT_DAY	0		/* 2026-11-28 */
#define MLOG_FMT_MINUTE	1		/* 2026-11-28 01:00 */
#define MLOG_FMT_ISO	2		/* 2026-11-28T01:00:00 */

int	mlog_parse(const char *line, size_t len, int64_t ref,
	    struct mlog_line *out);
int64_t	mlog_mktime(int year, int mon, int mday, int hour, int min,
	    int sec);
void	mlog_civil(int64_t t, int *year, int *mon, int *mday, int *hour,
	    int *min, int *sec);
void	mlog_fmt(int64_t t, int what, char *buf, size_t len);
int	mlog_parse_date(const char *s, int64_t *t, int *has_time);

#endif
