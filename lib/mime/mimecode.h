/*
 * NAME
 *	mimecode 3h
 * SUMMARY
 *	MIME content transfer encodings (base64, quoted-printable) and a
 *	growable byte buffer, with exact control over line ends
 * SYNOPSIS
 *	#include "mimecode.h"
 * DESCRIPTION
 *	struct mbuf is a growable byte buffer; mbuf_add() appends n bytes,
 *	mbuf_adds() a C string, mbuf_free() releases it and leaves it
 *	empty.  The contents are never NUL-terminated implicitly; call
 *	mbuf_add(b, "", 1) when a C string is wanted.  Growth is checked
 *	for overflow and aborts on exhaustion (xalloc).
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
 *	RFC 2045 sections 6.7 and 6.8
 */
#ifndef GP_MIMECODE_H
#define GP_MIMECODE_H

#include <stddef.h>

struct mbuf {
	char	*p;			/* owned, may be NULL when cap is 0 */
	size_t	 len;			/* bytes used */
	size_t	 cap;			/* bytes allocated */
};

void	mbuf_add(struct mbuf *, const void *, size_t);
void	mbuf_adds(struct mbuf *, const char *);
void	mbuf_reserve(struct mbuf *, size_t);
void	mbuf_free(struct mbuf *);

int	mime_b64_decode(const char *, size_t, struct mbuf *);
void	mime_b64_encode(const char *, size_t, const char *eol, int final_eol,
	    struct mbuf *);
size_t	mime_qp_decode(const char *, size_t, struct mbuf *);
size_t	mime_qp_offset(const char *, size_t, size_t dec);
void	mime_qp_encode(const char *, size_t, const char *eol, struct mbuf *);
int	mime_eol_crlf(const char *, size_t, int dflt);

#endif
