/*
 * NAME
 *	mf_disclaimer 3h
 * SUMMARY
 *	the disclaimer as a content plug-in of the milter
 * SYNOPSIS
 *	#include "mf_disclaimer.h"
 * DESCRIPTION
 *	mf_disclaimer_hook is a struct mf_hook (mf_ctx(3h)), last in
 *	mf_hooks[]: it runs only when the scanners did not refuse the
 *	message.  It takes part in a message when its instance has a
 *	disclaimer block (any direction; normally outbound) and asks the
 *	milter to keep the message up to disclaimer.max_size
 *	(mf_msg_want_raw()).  At end of message it hands that copy to
 *	disclaimer_apply() (disclaimer(3h)) and, when the disclaimer was
 *	added, sets the new body (smfi_replacebody) and the message's own
 *	header changes (mf_msg_chg_header(): Content-Type relabelled
 *	UTF-8, Content-Transfer-Encoding, MIME-Version; needed only for a
 *	single-part message).  Monitor mode does not stop it: a disclaimer
 *	refuses nothing.  A message larger than max_size passes unchanged.
 *
 *	Every message it looks at is counted in
 *	gatepost_disclaimers_total{face,result} (result added,
 *	skipped_signed, skipped_present, skipped_size, skipped_unparseable,
 *	skipped_notext) and logged at info: "QUEUEID: instance=NAME
 *	direction=DIR disclaimer=RESULT parts=N" or "... reason="..."".
 *	A skip is never a refusal.
 *
 *	mf_disclaimer_init() registers the family; call it once at
 *	start-up, before any thread (nothing is counted until then).
 * SEE ALSO
 *	mf_ctx(3h), disclaimer(3h), docs/disclaimer.md
 */
#ifndef GP_MF_DISCLAIMER_H
#define GP_MF_DISCLAIMER_H

#include "metrics.h"
#include "mf_ctx.h"

extern const struct mf_hook mf_disclaimer_hook;

void	mf_disclaimer_init(struct metrics *);

#endif
