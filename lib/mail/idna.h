/*
 * NAME
 *	idna 3h
 * SUMMARY
 *	internationalised domain names to their ASCII (A-label) form
 * SYNOPSIS
 *	#include "idna.h"
 * DESCRIPTION
 *	idna_domain_ascii() writes the A-label form of a UTF-8 domain to
 *	out[len], as GMime does for a mailbox it shows (libidn2's
 *	idn2_to_ascii_8z() with default flags): the converted name, or the
 *	name as given when it is ASCII already (case kept) or when libidn2
 *	refuses it.  The rule engine uses it to find an internal domain
 *	written with U-labels in a field it cannot parse (the policy
 *	service has no GMime).  0, or -1 when the result does not fit in
 *	len (the caller must then treat the domain as not examined).
 *	Thread safe; allocates only inside libidn2.
 * SEE ALSO
 *	idn2_to_ascii_8z(3), RFC 5890
 */
#ifndef GP_IDNA_H
#define GP_IDNA_H

#include <stddef.h>

int	idna_domain_ascii(const char *, char *, size_t);

#endif
