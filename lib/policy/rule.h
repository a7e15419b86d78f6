/*
 * NAME
 *	rule 3h
 * SUMMARY
 *	the rule engine: configuration and facts to decisions
 * SYNOPSIS
 *	#include "rule.h"
 * DESCRIPTION
 *	rule_eval() evaluates, for one instance, every rule that becomes
 *	decidable in the stages first..last (inclusive) given the facts,
 *	and appends what fired to the verdict: each hit carries the rule,
 *	the configured action, the SMTP reply (code, enhanced code, text)
 *	and the mode.  Rules run in a fixed order (clients.deny,
 *	clients.allow, auth, send_as.envelope_from, spoofing.envelope_from,
 *	recipients, spoofing.header_from, spoofing.malformed_from,
 *	spoofing.display_name, send_as.header_from).  In enforce mode the first refusal (reject,
 *	tempfail, hold) ends the evaluation and becomes v->refusal; in
 *	monitor mode every rule is evaluated and logged but nothing is
 *	refused.  Tags are collected as hits with action tag; rule_tag()
 *	names the header a tag adds.
 *
 *	rule_eval_trace() is rule_eval() that also reports every rule it
 *	considers, fired or not (act CFG_ACT_NONE = passed), to a callback:
 *	gatepostctl simulate prints the daemons' own evaluation this way.
 *
 *	rule_unknown_instance() fills a verdict for a request that matched
 *	no instance, per cfg->unknown_instance.
 *
 *	rule_session_limit() fills a verdict for a MAIL command past the
 *	face's limits.messages_per_session: begun is the number of
 *	messages the session started before this one; the hit is a
 *	tempfail answered "421 4.7.0" (Postfix then closes the session).
 *	Only the milter sees a session's boundaries, so only it asks.
 *
 *	rule_hit_make() builds a hit for rules decided outside the engine
 *	(rate limits, scanners) so that replies stay in one place.
 *
 *	rule_content() reports the content-stage work an instance wants
 *	for a message: headers to add, disclaimer, archive copy, scans.
 *
 *	Everything here is pure: no I/O, clock, globals or allocation; the
 *	strings in hits are static or borrowed from the cfg.
 * SEE ALSO
 *	cfg(3h), facts(3h), DESIGN.md "Replies and logging"
 */
#ifndef GP_RULE_H
#define GP_RULE_H

#include <stddef.h>

#include "cfg.h"
#include "facts.h"

enum rule_id {
	RULE_CLIENTS_DENY = 0,
	RULE_CLIENTS_ALLOW,
	RULE_AUTH,
	RULE_SEND_AS_ENVELOPE,
	RULE_SPOOF_ENVELOPE,
	RULE_RECIPIENTS,
	RULE_SPOOF_HEADER,
	RULE_SPOOF_DISPLAY,
	RULE_SEND_AS_HEADER,
	RULE_SPOOF_MALFORMED,		/* spoofing.malformed_from */
	RULE_UNKNOWN_INSTANCE,
	RULE_RATE_LIMIT,
	RULE_SPAM,
	RULE_VIRUS,
	RULE_INTERNAL,			/* internal error, malformed input */
	RULE_DISCLAIMER,		/* disclaimer fallback reject */
	RULE_SESSION_LIMIT,		/* limits.messages_per_session */
	RULE__COUNT
};

#define RULE_MAX_HITS	16

struct rule_hit {
	enum rule_id rule;
	enum cfg_act action;		/* as configured */
	enum cfg_mode mode;
	int	 code;			/* 550, 530, 451, 450; 0 = none */
	const char *dsn;		/* "5.7.1"; borrowed, static */
	const char *text;		/* reply text; static */
	const char *reason;		/* log reason; static */
};

struct verdict {
	size_t	 n_hit;
	struct rule_hit hit[RULE_MAX_HITS];
	const struct rule_hit *refusal;	/* enforced refusal, or NULL */
	unsigned tags;			/* bit per rule_id tagged */
};

struct rule_content {
	const struct cfg_header *hdr_add; /* borrowed from cfg */
	size_t	 n_hdr_add;
	int	 disclaimer;		/* wanted and size fits */
	const char *archive_bcc;	/* borrowed, NULL = none */
	int	 spam_scan;		/* wanted and size fits */
	int	 virus_scan;
};

void	verdict_init(struct verdict *);
void	rule_eval(const struct cfg *, const struct cfg_instance *,
	    const struct facts *, enum stage, enum stage, struct verdict *);
typedef void rule_trace_fn(void *, enum rule_id, enum stage,
	    const struct rule_hit *);
void	rule_eval_trace(const struct cfg *, const struct cfg_instance *,
	    const struct facts *, enum stage, enum stage, struct verdict *,
	    rule_trace_fn *, void *);
enum stage rule_stage(enum rule_id);
void	rule_unknown_instance(const struct cfg *, struct verdict *);
void	rule_session_limit(const struct cfg_instance *, unsigned begun,
	    struct verdict *);
void	rule_hit_make(enum rule_id, enum cfg_act, enum cfg_mode,
	    const char *, struct rule_hit *);
int	rule_add_hit(struct verdict *, const struct rule_hit *);
void	rule_content(const struct cfg_instance *, const struct facts *,
	    struct rule_content *);
int	rule_tag(enum rule_id, const char **, const char **);
const char *rule_name(enum rule_id);
int	rule_is_refusal(enum cfg_act);
int	rule_addr_listed(const struct mailaddr *, const struct cfg_strv *);
int	rule_internal(const struct cfg *, const char *domain);

#endif
