/*
 * NAME
 *	dcrule 3h
 * SUMMARY
 *	which disclaimer entry a message gets: match, exceptions
 * SYNOPSIS
 *	#include "dcrule.h"
 * DESCRIPTION
 *	An instance's disclaimer is a list of entries (cfg(3h), struct
 *	cfg_disclaimer); the first entry whose match holds applies, and
 *	its own exceptions may then still skip the message.
 *
 *	dcrule_rcpt() notes one accepted recipient in env (zeroed by the
 *	caller per message): for each entry, whether the recipient's
 *	domain is in its match.recipient_domains, and whether it is
 *	outside internal_domains.  Memory stays one bit per entry
 *	whatever the number of recipients.
 *
 *	dcrule_choose() returns the index of the entry that applies, or
 *	-1 with *r and *why (a static string) set: DC_SKIPPED_NOMATCH
 *	when no entry matches, DC_SKIPPED_EXCEPTION when the matching
 *	entry's skip_senders lists the envelope sender or one of its
 *	skip_if_header tests holds for the message header in msg.  An
 *	entry matches when every criterion it gives holds (none: every
 *	message): match.senders lists the envelope sender ("a@d", "@d",
 *	"@.d"; never the null sender unless "*"); match.logins holds
 *	the SASL login (ignoring case; no login: no match);
 *	match.recipient_domains holds the domain of at least one
 *	recipient; match.external_recipients: at least one recipient is
 *	outside internal_domains.  A skip_if_header test holds when a
 *	field of that name (ignoring case) is present and, with a value,
 *	when the field's value, unfolded and trimmed of white space,
 *	equals it ignoring ASCII case.
 *
 *	dcrule_conf() fills the disclaimer_apply() settings of an entry
 *	(borrowing its strings).
 *
 *	Pure and thread safe; never allocates.
 * SEE ALSO
 *	disclaimer(3h), docs/disclaimer.md
 */
#ifndef GP_DCRULE_H
#define GP_DCRULE_H

#include <stddef.h>

#include "addr.h"
#include "cfg.h"
#include "disclaimer.h"

struct dcrule_env {			/* one message's recipients, folded */
	unsigned long rcpt_dom;	/* bit per entry: a recipient domain in */
	int	 external;	/* a recipient outside internal_domains */
	unsigned n_rcpt;		/* recipients noted */
};

void	dcrule_rcpt(const struct cfg *, const struct cfg_instance *,
	    const struct mailaddr *rcpt, struct dcrule_env *);
int	dcrule_choose(const struct cfg_instance *, const struct dcrule_env *,
	    const struct mailaddr *sender, const char *login, const char *msg,
	    size_t len, enum disclaimer_result *r, const char **why);
int	dcrule_header(const char *msg, size_t len, const char *name,
	    const char *value);
void	dcrule_conf(const struct cfg_disclaimer *, struct disclaimer_conf *);

#endif
