/*
 * NAME
 *	pfrestr 3h
 * SUMMARY
 *	what a Postfix SMTPD restriction list does, for gatepostctl doctor
 * SYNOPSIS
 *	#include "pfrestr.h"
 * DESCRIPTION
 *	pfrestr_parse() splits an expanded restriction list (the value of
 *	smtpd_relay_restrictions and friends) into restrictions with their
 *	argument: check_* restrictions, reject_rbl_client, reject_rhsbl_*,
 *	permit_dnswl_client and permit_rhswl_client take the next element
 *	("check_policy_service unix:/p", "check_policy_service { inet:h:p,
 *	timeout=10s }").  Free with pfrestr_free().
 *
 *	pfrestr_eval() answers one question of a list: does it permit,
 *	block or leave undecided (the list ends) a RCPT to a domain the
 *	gateway does not relay for, sent by a client of the given kind
 *	(PFR_ANON: no login, not in mynetworks; PFR_SASL: logged in;
 *	PFR_MYNET: in mynetworks)?  permit permits everyone;
 *	permit_sasl_authenticated and permit_mynetworks permit their kind
 *	(permit_mynetworks also PFR_ANON when mynet_open, i.e. mynetworks
 *	contains a /0); reject_unauth_destination, defer_unauth_destination,
 *	reject and defer block.  Everything else (lookup tables, policy
 *	services, other checks) is taken to decide nothing, so an answer
 *	of PFR_PERMIT or PFR_END means no rule in the list stops the relay.
 *	pfrestr_relays() combines the relay and recipient lists as smtpd
 *	does (the mail is relayed unless one of them blocks).
 *
 *	pfrestr_find() is the index of the first restriction named name at
 *	or after from, or -1.
 *
 *	Pure, thread safe.
 * SEE ALSO
 *	postconf(5) smtpd_relay_restrictions, pfdoctor(3h)
 */
#ifndef GP_PFRESTR_H
#define GP_PFRESTR_H

#include <stddef.h>

enum pfr_client { PFR_ANON = 0, PFR_SASL, PFR_MYNET };
enum pfr_result { PFR_END = 0, PFR_PERMIT, PFR_BLOCK };

struct pfr_item {
	char	*name;			/* owned: "check_policy_service" */
	char	*arg;			/* owned, NULL when it takes none */
};

struct pfr_list {
	struct pfr_item *v;		/* owned */
	size_t	 n;
};

void	pfrestr_parse(const char *, struct pfr_list *);
void	pfrestr_free(struct pfr_list *);
enum pfr_result pfrestr_eval(const struct pfr_list *, enum pfr_client, int);
int	pfrestr_relays(const struct pfr_list *, const struct pfr_list *,
	    enum pfr_client, int);
int	pfrestr_find(const struct pfr_list *, const char *, size_t);

#endif
