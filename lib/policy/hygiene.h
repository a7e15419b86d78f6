/*
 * NAME
 *	hygiene 3h
 * SUMMARY
 *	which header fields the milter removes from a message
 * SYNOPSIS
 *	#include "hygiene.h"
 * DESCRIPTION
 *	hygiene_check() says whether a header field with the given name
 *	is removed on this instance, and why:
 *
 *	HYGIENE_FORGED: on an inbound instance, a field that only gatepost
 *	or the scanners behind it may set: X-Gatepost-*, X-Spam-*, X-Spam,
 *	X-Spamd-*, X-Rspamd-* and X-Virus-*.  A message arriving from
 *	outside cannot carry them legitimately, so a copy the sender wrote
 *	is removed before gatepost adds its own.
 *
 *	HYGIENE_CONFIG: the name matches the instance's headers.remove
 *	list (any direction), typically outbound fields that leak the
 *	internal network (X-Originating-IP, Received).
 *
 *	HYGIENE_KEEP otherwise.  Names compare case-insensitively; a
 *	pattern ending in "*" matches every name starting with the text
 *	before it (hygiene_name_match()).
 *
 *	Pure, thread safe, no allocation.
 * SEE ALSO
 *	gatepost-milter(8), gatepost.json(5) "headers"
 */
#ifndef GP_HYGIENE_H
#define GP_HYGIENE_H

#include "cfg.h"

enum hygiene_why {
	HYGIENE_KEEP = 0,
	HYGIENE_FORGED,			/* inbound: ours or our scanners' */
	HYGIENE_CONFIG			/* headers.remove */
};

enum hygiene_why hygiene_check(const struct cfg_instance *, const char *);
int	hygiene_name_match(const char *, const char *);
const char *hygiene_why_name(enum hygiene_why);

#endif
