/*
 * NAME
 *	mf_decide 3h
 * SUMMARY
 *	from rule verdicts to milter replies: logging, counting, deferring
 * SYNOPSIS
 *	#include "mf_decide.h"
 * DESCRIPTION
 *	mf_apply() takes a verdict from rule_eval(): every hit is logged
 *	with the one decision line (decide_log()) and counted in
 *	gatepost_rule_hits_total once per message and rule (once per
 *	connection before MAIL); tags are remembered for the end of
 *	message; an enforced hold is remembered for smfi_quarantine().  It
 *	returns the enforced refusal (reject, tempfail, defer) to answer,
 *	or NULL.
 *
 *	mf_answer() answers a refusal at a protocol step.  When the step
 *	was negotiated without a reply (its SMFIP_NR_* bit, nr), the
 *	refusal is kept (in the message, or the connection when there is
 *	none) and answered at the next step that can reply, at the latest
 *	at end of message; the callback gets SMFIS_NOREPLY (a recipient
 *	refusal kept this way refuses the whole message).  Otherwise the
 *	reply is set (smfi_setreply(): code, enhanced code, text) and the
 *	callback returns SMFIS_REJECT for 5xx or SMFIS_TEMPFAIL for 4xx;
 *	scope MF_SCOPE_MSG counts the message as rejected or tempfailed,
 *	MF_SCOPE_RCPT counts a refused recipient.  h NULL means continue.
 *
 *	mf_fail() is the internal-error path: it logs rule=internal
 *	action=tempfail with the reason (a static string) and answers
 *	451 4.3.0 like mf_answer().  mf_continue() is SMFIS_CONTINUE, or
 *	SMFIS_NOREPLY at a no-reply step.
 *
 *	mf_count_message() records a message's outcome in
 *	gatepost_messages_total once.
 * SEE ALSO
 *	mf_ctx(3h), rule(3h), log(3h)
 */
#ifndef GP_MF_DECIDE_H
#define GP_MF_DECIDE_H

#include "mf_ctx.h"

enum mf_scope { MF_SCOPE_MSG = 0, MF_SCOPE_RCPT };

const struct rule_hit *mf_apply(struct mf_conn *, struct mf_msg *,
	    const struct verdict *);
sfsistat mf_answer(SMFICTX *, struct mf_conn *, struct mf_msg *,
	    unsigned long, const struct rule_hit *, enum mf_scope);
sfsistat mf_fail(SMFICTX *, struct mf_conn *, struct mf_msg *,
	    unsigned long, const char *);
sfsistat mf_continue(const struct mf_conn *, unsigned long);
sfsistat mf_status(SMFICTX *, const struct rule_hit *);
void	mf_count_message(struct mf_conn *, struct mf_msg *, const char *);

#endif
