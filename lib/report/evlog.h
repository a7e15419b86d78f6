/*
 * NAME
 *	evlog 3h
 * SUMMARY
 *	gatepost's JSON events (docs/events.md) joined by queue id
 * SYNOPSIS
 *	#include "evlog.h"
 * DESCRIPTION
 *	evlog_feed() takes one log line; when it holds a gatepost event (a
 *	JSON object on its own, or after "IDENT[PID]: " in a daemon's log)
 *	it is used and 1 returned, else 0 (the line is someone else's).
 *	Events of both daemons for one message are joined by queue id: a
 *	message's rules are those of its "message" event (the milter) and
 *	of every "decision" with its queue id (either daemon), each once.
 *	Decisions without a queue id (refused before Postfix queued
 *	anything) are counted apart, by direction, rule and action.
 *	evlog_counts() reports per direction (cfg_dir order: inbound,
 *	outbound, internal, local; index 4 "other") messages by outcome,
 *	recipients and bytes; evlog_rules() the rule rows, sorted by
 *	direction, then count (descending), then name; both borrowed
 *	until evlog_free().  Config events are counted (n_config).
 *	Pure: no I/O, no clock.  Not thread safe.
 * SEE ALSO
 *	docs/events.md, report(3h), gatepostctl(8) "report"
 */
#ifndef GP_EVLOG_H
#define GP_EVLOG_H

#include <stddef.h>
#include <stdint.h>

#define EVLOG_NDIR	5

enum evlog_outcome {
	EVLOG_ACCEPTED = 0, EVLOG_HELD, EVLOG_REJECTED, EVLOG_TEMPFAILED,
	EVLOG_NOUTCOME
};

struct evlog_counts {
	uint64_t messages[EVLOG_NOUTCOME]; /* by outcome */
	uint64_t decisions_only;	/* queue ids with decisions only */
	uint64_t recipients;
	uint64_t bytes;
};

struct evlog_rule {			/* one row */
	int	 dir;			/* 0 .. EVLOG_NDIR-1 */
	char	*rule;			/* owned */
	char	*action;		/* owned; NULL: per message rows */
	uint64_t count;			/* messages (or refusals) */
	int	 queued;		/* 1: messages; 0: before queueing */
};

struct evlog;

struct evlog *evlog_new(void);
void	evlog_free(struct evlog *);
int	evlog_feed(struct evlog *, const char *line, size_t len);
void	evlog_end(struct evlog *);
const struct evlog_counts *evlog_counts(const struct evlog *);
const struct evlog_rule *evlog_rules(const struct evlog *, size_t *);
uint64_t evlog_events(const struct evlog *);
uint64_t evlog_configs(const struct evlog *);
const char *evlog_dir_name(int);
const char *evlog_outcome_name(int);

#endif
