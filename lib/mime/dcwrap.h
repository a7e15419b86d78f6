/*
 * NAME
 *	dcwrap 3h
 * SUMMARY
 *	disclaimer fallback "wrap": the original as message/rfc822 after
 *	the disclaimer, in a new multipart/mixed
 * SYNOPSIS
 *	#include "dcwrap.h"
 * DESCRIPTION
 *	dcwrap_build() fills out (as disclaimer_apply() does on DC_ADDED)
 *	with a new body: a multipart/mixed whose first part is the
 *	disclaimer (multipart/alternative: text/plain and text/html, both
 *	UTF-8, 7bit when ASCII, else quoted-printable) and whose second
 *	part is the whole original message msg (header block and body,
 *	byte for byte) as message/rfc822, Content-Disposition inline,
 *	Content-Transfer-Encoding 8bit when it has 8-bit bytes, else
 *	7bit.  The header changes: Content-Type (multipart/mixed and the
 *	boundary), Content-Transfer-Encoding (7bit or 8bit: a multipart
 *	is never encoded), Content-Disposition inline when the message
 *	had one (has_cd), MIME-Version 1.0 when it had none (has_mv).
 *	The boundaries, "=_gatepost_mix_N" and "=_gatepost_alt_N", occur
 *	nowhere in msg or in the disclaimer, and neither is a prefix of
 *	the other.  Returns 0, or -1 when no such boundary was found
 *	among WRAP_TRIES (out then untouched).  Pure, thread safe; the
 *	message is copied once.
 * SEE ALSO
 *	disclaimer(3h), RFC 2046 section 5.2.1
 */
#ifndef GP_DCWRAP_H
#define GP_DCWRAP_H

#include <stddef.h>

#include "dctext.h"
#include "disclaimer.h"

int	dcwrap_build(const char *msg, size_t len, const struct dctext *,
	    int has_mv, int has_cd, struct disclaimer_out *);

#endif
