/*
 * NAME
 *	mf_proto 3h
 * SUMMARY
 *	what gatepost-milter negotiates: actions, protocol steps, macros
 * SYNOPSIS
 *	#include "mf_proto.h"
 * DESCRIPTION
 *	Negotiation happens before CONNECT, before the face is known, so
 *	mf_proto_choose() decides from the whole current config what every
 *	face on this socket can do without.  Given the MTA's offered
 *	actions and protocol flags it fills the ones to ask for:
 *
 *	actions: add and change header fields, add recipients,
 *	quarantine, choose macros (SMFIF_SETSYMLIST); replace the body
 *	only when some instance has a disclaimer.
 *
 *	steps skipped always: HELO, DATA, unknown commands.  Header fields
 *	and end of header never get a reply (SMFIP_NR_HDR, SMFIP_NR_EOH):
 *	header decisions are answered at end of message.  Unless the
 *	milter enforces the envelope rules (a milter-only site, no policyd
 *	section), CONNECT, MAIL and RCPT get no reply either
 *	(SMFIP_NR_CONN, _MAIL, _RCPT), so the only round trip left per
 *	message is end of message.
 *
 *	body: not sent at all (SMFIP_NOBODY) when no instance wants
 *	content (disclaimer, spam or virus scanning) and bytes are not
 *	counted (no /metrics endpoint).  When bytes are counted, every body
 *	chunk streams without a reply (SMFIP_NR_BODY), which for the usual
 *	one-chunk message costs less than any reply.  Otherwise chunks are
 *	answered, so a face or message that needs no content returns
 *	SMFIS_SKIP at its first chunk (SMFIP_SKIP, when offered).
 *
 *	Flags the MTA does not offer are not asked for (libmilter itself
 *	emulates the no-reply flags for an MTA without them).
 *
 *	mf_proto_symlist() asks for the macros the milter reads, per stage
 *	(Postfix honours this over its milter_*_macros):
 *	CONNECT "{daemon_name} {daemon_addr} {daemon_port} {client_addr}
 *	{client_name}", MAIL "i {auth_authen}", RCPT "i", end of header
 *	"i", end of message "i".  It returns 0, or -1 when a list was
 *	refused.
 * SEE ALSO
 *	xxfi_negotiate(3), smfi_setsymlist(3), gatepost-milter(8)
 */
#ifndef GP_MF_PROTO_H
#define GP_MF_PROTO_H

#include "cfg.h"
#include "mf_smfi.h"

#define MF_MACROS_CONNECT \
	"{daemon_name} {daemon_addr} {daemon_port} {client_addr} {client_name}"
#define MF_MACROS_MAIL	"i {auth_authen}"
#define MF_MACROS_RCPT	"i"
#define MF_MACROS_EOH	"i"
#define MF_MACROS_EOM	"i"

int	mf_proto_wants_content(const struct cfg *);
void	mf_proto_choose(const struct cfg *, int, unsigned long,
	    unsigned long, unsigned long *, unsigned long *);
int	mf_proto_symlist(SMFICTX *);

#endif
