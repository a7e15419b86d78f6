/*
 * NAME
 *	decide 3h
 * SUMMARY
 *	one home for what both daemons do with a verdict's hits: the
 *	decision log line, and gatepost_rule_hits_total once per message
 * SYNOPSIS
 *	#include "decide.h"
 * DESCRIPTION
 *	decide_log_format() writes the one decision line DESIGN.md fixes:
 *	"QUEUEID|NOQUEUE: instance=NAME direction=DIR rule=RULE
 *	action=ACT mode=MODE reason="..." client=NAME[ADDR] from=<...>
 *	to=<...> sasl=<...>"; untrusted values are truncated to 100 bytes
 *	and control characters and quotes are replaced, so a peer cannot
 *	forge log lines.  inst may be NULL (unknown instance: "-");
 *	queue_id may be NULL or empty (NOQUEUE).  It is pure.
 *	decide_event_format() is the same decision as one JSON event of
 *	docs/events.md ("event": "decision"), at now, from daemon (the
 *	log ident), pure.  decide_log() logs the decision: as a JSON event
 *	when log_events_json() (log(3h)), and as the line when not or when
 *	the events have a file of their own, at info (at debug for
 *	accepts, which JSON events also skip unless debug).
 *
 *	decide_hits_family() registers gatepost_rule_hits_total{face,rule,
 *	action,mode} in a registry (NULL when reg is NULL).
 *
 *	decide_report() logs and counts the hits of one verdict against a
 *	per-message memo (struct decide_memo, zeroed at each new message):
 *	a hit is logged unless its rule was already logged in the memo's
 *	current log scope, and counted in the family (which may be NULL)
 *	at most once per message and rule, never for accept (the metric
 *	counts decisions other than accept: docs/metrics.md).
 *	decide_new_scope() starts a new log scope: the policy service
 *	starts one when the recipient changes (Postfix asks again for
 *	every recipient and restriction list); the milter at every
 *	callback, since each of its verdicts holds only that step's hits.
 * SEE ALSO
 *	rule(3h), metrics(3h), DESIGN.md "Replies and logging"
 */
#ifndef GP_DECIDE_H
#define GP_DECIDE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cfg.h"
#include "facts.h"
#include "metrics.h"
#include "rule.h"
#include "sbuf.h"

/* one bit per rule_id */
_Static_assert(RULE__COUNT <= 32, "rule ids no longer fit the bit masks");

struct decide_memo {			/* per message; zero = new */
	uint32_t counted;		/* rule bits counted in the metric */
	uint32_t logged;		/* rule bits logged in this scope */
};

void	decide_log_format(char *, size_t, const char *queue_id,
	    const struct cfg_instance *, const struct rule_hit *,
	    const struct facts *);
void	decide_event_format(struct sbuf *, time_t, const char *daemon,
	    const char *queue_id, const struct cfg_instance *,
	    const struct rule_hit *, const struct facts *);
void	decide_log(const char *queue_id, const struct cfg_instance *,
	    const struct rule_hit *, const struct facts *);
struct metrics_family *decide_hits_family(struct metrics *);
void	decide_new_scope(struct decide_memo *);
void	decide_report(struct decide_memo *, struct metrics_family *,
	    const char *queue_id, const struct cfg_instance *,
	    const struct verdict *, const struct facts *);

#endif
