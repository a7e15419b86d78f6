/*
 * NAME
 *	mimecode 3h
 * SUMMARY
 *	MIME content transfer encodings (base64, quoted-printable), with
 *	exact control over line ends
 * SYNOPSIS
 *	#include "mimecode.h"
 * DESCRIPTION
 *	Output goes into a struct sbuf (sbuf(3h), the one growable buffer;
 *	its bytes are always followed by a NUL that len does not count).
 *
 *	mime_b64_decode() decodes base64 strictly: white space (SP, HT,
 *	CR, LF) is skipped, any other byte outside the alphabet, padding
 *	anywhere but at the very end, or a dangling single character is
 *	an error (-1), so a body no decoder would read the same way is
 *	never rewritten.  Missing final padding is accepted.
 *	mime_b64_encode() writes lines of 76 characters separated by eol;
 *	final_eol says whether the last line ends with eol too.
 *
 *	mime_qp_decode() decodes quoted-printable (RFC 2045 6.7): "=XX"
 *	(either case), soft line breaks "=" followed by optional white
 *	space and a line end, and hard line breaks, which are kept as
 *	they appear (CRLF or LF), minus the white space before them that
 *	transport may have added.  It returns the number of malformed
 *	escapes ("=" not followed by two hex digits or a line end); those
 *	are copied literally, as most decoders do.
 *	mime_qp_offset() returns the offset in the encoded text at which
 *	the decoded byte at offset dec starts (n when dec is the decoded
 *	length or more), walking the input exactly as mime_qp_decode()
 *	does.
 *	mime_qp_encode() encodes: hard line breaks (CRLF or LF in the
 *	input) become eol, lines stay within 76 characters with soft
 *	breaks, "=", control and 8-bit bytes become "=XX", as do white
 *	space before a line end or at the end of the input, a "." that
 *	starts a line and the "F" of a line starting "From ", so that no
 *	transport can alter the text.
 *
 *	mime_eol_crlf() reports the line-end style of a text: 1 when its
 *	first LF is preceded by CR, 0 when not, dflt when it has no LF.
 *
 *	All functions are pure and thread safe; the only allocation is
 *	the output buffer's growth.
 * SEE ALSO
 *	RFC 2045 sections 6.7 and 6.8, sbuf(3h)
 */
#ifndef GP_MIMECODE_H
#define GP_MIMECODE_H

#include <stddef.h>

#include "sbuf.h"

int	mime_b64_decode(const char *, size_t, struct sbuf *);
void	mime_b64_encode(const char *, size_t, const char *eol, int final_eol,
	    struct sbuf *);
size_t	mime_qp_decode(const char *, size_t, struct sbuf *);
size_t	mime_qp_offset(const char *, size_t, size_t dec);
void	mime_qp_encode(const char *, size_t, const char *eol, struct sbuf *);
int	mime_eol_crlf(const char *, size_t, int dflt);

#endif
