/*
 * NAME
 *	dcpart 3h
 * SUMMARY
 *	the disclaimer transform of one text part: decode, find where the
 *	disclaimer goes, convert charsets, re-encode
 * SYNOPSIS
 *	#include "dcpart.h"
 * DESCRIPTION
 *	dcpart_prepare() looks at one text/plain or text/html part p of
 *	msg and decides, without writing anything:
 *
 *	-	the decoded text (7bit, 8bit and binary bodies are used in
 *		place; quoted-printable is decoded; base64 is decoded
 *		strictly, and a body that is not clean base64 is
 *		DCPART_BAD);
 *	-	the working charset: the part's own when it is ASCII-
 *		compatible and the disclaimer can be written in it (iconv,
 *		no transliteration); otherwise the part is relabelled
 *		UTF-8 and its text converted, which must succeed strictly
 *		(DCPART_BAD when the text is not valid in its charset, or
 *		the charset is unknown and the text is not plain ASCII, or
 *		the text is not valid in its own charset, where decoders
 *		could resynchronise at different places);
 *	-	where the disclaimer goes: for text/plain at the end, after
 *		an empty line; for text/html before the last "</body", or
 *		at the end when there is none; the inserted text uses the
 *		line ends of the text it goes into, and format=flowed
 *		rules;
 *	-	DCPART_PRESENT when the text (HTML rendered as text) already
 *		contains the disclaimer's text or HTML form (dctext_key());
 *		DCPART_SIGNED when a text/plain part holds inline PGP
 *		("-----BEGIN PGP SIGNED MESSAGE-----" or "-----BEGIN PGP
 *		MESSAGE-----" at a line start).
 *
 *	dcpart_put_eol() appends text with each LF written as eol (the
 *	message's line end), for inserted text of any part.
 *
 *	dcpart_body() then writes the part's new body (the bytes after
 *	its header block's empty line) to out and sets w->set_qp when the
 *	transfer encoding must become quoted-printable (a 7bit part that
 *	now holds 8-bit text).  Quoted-printable, 7bit and 8bit bodies
 *	are spliced: the original encoded bytes stay as they are and only
 *	the encoded disclaimer is inserted (with soft line breaks where
 *	the insertion point is inside a line); base64 bodies, and any
 *	part whose charset changes, are re-encoded whole, in the original
 *	encoding, line length and line ends.
 *
 *	dcpart_headers() writes the part's header block (up to, not
 *	including, its empty line) with Content-Type's charset set to
 *	UTF-8 when w->relabel and Content-Transfer-Encoding set to
 *	quoted-printable when w->set_qp; every other byte is kept, and
 *	a field that is needed but absent is added at the end of the
 *	block.  dcpart_value() gives the same two changes as bare field
 *	values (no name, no leading space, folded lines joined by LF, as
 *	smfi_chgheader() wants them) for the message's own header, which
 *	the milter changes field by field.
 *
 *	dcpart_part() writes the whole new part (header block, empty
 *	line, body) for a part inside a multipart, adding the empty line
 *	if the part had none.
 *
 *	dcpart_free() releases w.  dcpart_is_ascii() and
 *	dcpart_qp_splice_ok() are shared by dcpart.c (the decisions) and
 *	dcpart_out.c (the output): plain ASCII without ESC; whether
 *	encoded text may be inserted at an offset of a quoted-printable
 *	body (at a line start, or where a soft break fits).
 *
 *	All functions are pure and thread safe (iconv descriptors are per
 *	call).
 * SEE ALSO
 *	disclaimer(3h), dctext(3h), mimescan(3h), charconv(3h)
 */
#ifndef GP_DCPART_H
#define GP_DCPART_H

#include <stddef.h>

#include "charconv.h"
#include "dctext.h"
#include "mimecode.h"
#include "mimescan.h"

enum dcpart_res { DCPART_OK = 0, DCPART_PRESENT, DCPART_SIGNED, DCPART_BAD };

struct dcpart {
	const struct mime_part *p;	/* borrowed: the part */
	int	 html;			/* text/html (else text/plain) */
	struct sbuf dec;		/* owned: decoded body, if decoded */
	struct sbuf conv;		/* owned: text converted to UTF-8 */
	const char *text;		/* borrowed: the working text */
	size_t	 tlen;			/* bytes of text */
	char	 cs[CHARCONV_NAME_MAX];	/* iconv name of the working charset */
	int	 relabel;		/* part becomes charset=UTF-8 */
	int	 set_qp;		/* part becomes quoted-printable */
	size_t	 qp_bad;		/* malformed "=" escapes in the body */
	struct sbuf ins;		/* owned: bytes to insert, working cs */
	size_t	 at;			/* insertion offset in text */
	int	 top;	/* position top: start of text, after <body> */
	int	 unquoted;	/* ignore quoted text when looking for it */
	const char *why;		/* static: reason for DCPART_BAD */
};

#define DCPART_TOP	1u	/* position top */
#define DCPART_UNQUOTED	2u	/* look for the disclaimer outside quotes */

enum dcpart_res dcpart_prepare(const char *msg, const struct mime_part *,
	    const struct dctext *, int crlf, unsigned flags, struct dcpart *);
void	dcpart_put_eol(struct sbuf *, const char *, size_t, const char *eol);
void	dcpart_body(const char *msg, struct dcpart *, int crlf, struct sbuf *);
void	dcpart_part(const char *msg, struct dcpart *, int crlf, struct sbuf *);
void	dcpart_headers(const char *msg, const struct dcpart *, int crlf,
	    struct sbuf *);
char	*dcpart_value(const char *msg, const struct dcpart *, int cte);
void	dcpart_free(struct dcpart *);
int	dcpart_is_ascii(const char *, size_t);
int	dcpart_qp_splice_ok(const char *raw, size_t at);

#endif
