/*
 * NAME
 *	mimescan 3h
 * SUMMARY
 *	a splice-oriented MIME structure scanner: the part tree of a
 *	message as offsets into its original bytes
 * SYNOPSIS
 *	#include "mimescan.h"
 * DESCRIPTION
 *	mimescan_parse() finds the MIME structure of msg (a whole
 *	message: header block, empty line, body; LF or CRLF line ends)
 *	without copying or re-serialising anything.  Each part records
 *	where its header block, body and end lie in msg, its parsed
 *	Content-Type, its transfer encoding and whether it is a file
 *	(struct mime_part), so a caller can rewrite one part and copy
 *	every other byte of the message unchanged.
 *
 *	Parts form a tree (parent, first child, next sibling; indexes
 *	into t->v, 0 is the message itself).  A multipart body is split
 *	at its delimiter lines ("--" boundary, optional "--", optional
 *	white space, line end; RFC 2046 5.1.1); the line end before a
 *	delimiter belongs to the delimiter, not to the part.  Parts that
 *	are never opened: any message type (a forwarded message is left as it
 *	is), multipart/signed, multipart/encrypted and
 *	application/(x-)pkcs7-mime, which set t->sealed.  A part without
 *	a Content-Type, or with one that has no type/subtype at all
 *	(RFC 2045 5.2; ct_invalid is then set), is text/plain (charset
 *	us-ascii), or message/rfc822 inside multipart/digest.
 *
 *	MIME that parsers could read in different ways is refused rather
 *	than guessed at: mimescan_parse() returns -1 and sets t->why (a
 *	static string) for a malformed header block or Content-Type
 *	(mimehdr(3h)), a multipart without a usable boundary, with no
 *	delimiter or no close delimiter, a line that starts with the
 *	delimiter but continues with other text (some parsers match
 *	boundaries by prefix), a delimiter after a bare CR (some parsers
 *	end lines there), a multipart with a quoted-printable or
 *	base64 transfer encoding, nesting deeper than MIME_DEPTH_MAX or
 *	more than MIME_PARTS_MAX parts.  The parts found so far stay in
 *	t until mimescan_free().
 *
 *	Cost: each nesting level reads its body once (memchr per line),
 *	so time is O(size x depth); memory is one struct mime_part per
 *	part, at most MIME_PARTS_MAX of them.  Pure and thread safe.
 * SEE ALSO
 *	mimehdr(3h), RFC 2045, RFC 2046, RFC 1847, RFC 8551
 */
#ifndef GP_MIMESCAN_H
#define GP_MIMESCAN_H

#include <stddef.h>

#include "mimehdr.h"

#define MIME_DEPTH_MAX	32		/* multipart nesting levels */
#define MIME_PARTS_MAX	1000		/* parts in one message */

enum mime_kind {
	MIME_LEAF = 0,			/* a single part */
	MIME_MULTI,			/* any other multipart type */
	MIME_MESSAGE,			/* any message type: never opened */
	MIME_SEALED			/* signed or encrypted: never opened */
};

struct mime_part {
	struct mime_hdr hdr;		/* offsets of the header block */
	size_t	 end;			/* offset: end of the body */
	struct mime_ctype ct;		/* parsed (or default) Content-Type */
	enum mime_kind kind;
	enum mime_cte cte;
	int	 file;			/* Content-Disposition marks a file, */
					/* or Content-Type has a name */
	int	 ct_invalid;	/* Content-Type there but invalid: defaulted */
	int	 parent;		/* index, -1 for the message */
	int	 child;			/* first child, -1 */
	int	 next;			/* next sibling, -1 */
	int	 depth;			/* 0 for the message */
};

struct mime_tree {
	struct mime_part *v;		/* owned; v[0] is the message */
	size_t	 n;			/* parts used */
	size_t	 cap;			/* parts allocated */
	int	 sealed;		/* a signed/encrypted part was found */
	const char *why;	/* static: why parsing failed, or NULL */
};

int	mimescan_parse(const char *msg, size_t len, struct mime_tree *);
void	mimescan_free(struct mime_tree *);
int	mimescan_is(const struct mime_part *, const char *type,
	    const char *subtype);

#endif
