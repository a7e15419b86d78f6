/*
 * NAME
 *	mf_eom 3h
 * SUMMARY
 *	gatepost-milter's header rules and end-of-message pipeline
 * SYNOPSIS
 *	#include "mf_eom.h"
 * DESCRIPTION
 *	mf_eom_rules() evaluates the header rules (spoofing.header_from,
 *	spoofing.display_name, send_as.header_from) once, with the parsed
 *	header From; the end-of-header callback calls it so that a refused
 *	message streams no more body to plug-ins, and mf_eom() calls it
 *	again (a no-op then).  A refusal is kept in the message and
 *	answered at end of message.  When gatepost-policyd enforces the
 *	envelope rules (the config has a policyd section), their tags are
 *	recomputed here without logging or counting them again, because
 *	the milter applies every tag.
 *
 *	mf_eom() is the end-of-message pipeline, in this order:
 *	1. refusals: a pending connection or message refusal, the header
 *	   rules' verdict: answered, nothing else happens;
 *	2. content plug-ins' eom() (mf_ctx(3h)): scanners, then the
 *	   disclaimer; the first enforced refusal ends the pipeline;
 *	3. header changes: the fields hygiene(3h) removes (highest index
 *	   first, so the others keep theirs), the plug-ins' changed
 *	   fields (mf_msg_chg_header()), headers.add, one field per
 *	   tag header name (values of several tags joined by ", "), the
 *	   plug-ins' fields;
 *	4. body replacement, when a plug-in set one;
 *	5. the archive copy: archive.bcc as an envelope recipient unless
 *	   it already is one (compared normalized);
 *	6. an enforced hold: smfi_quarantine();
 *	7. metrics: gatepost_messages_total (accepted or held),
 *	   recipients and bytes.
 *	Any failing change answers 451 4.3.0: a message is never passed on
 *	with half its changes.
 *
 *	mf_eom_rcpt() notes an accepted recipient: the count, and whether
 *	it is the archive address.
 * SEE ALSO
 *	mf_ctx(3h), mf_decide(3h), rule(3h)
 */
#ifndef GP_MF_EOM_H
#define GP_MF_EOM_H

#include "mf_ctx.h"

void	mf_eom_rules(struct mf_conn *, struct mf_msg *);
void	mf_eom_rcpt(const struct mf_conn *, struct mf_msg *);
sfsistat mf_eom(SMFICTX *, struct mf_conn *, struct mf_msg *);

#endif
