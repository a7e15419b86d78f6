/*
 * NAME
 *	disclaimer 3h
 * SUMMARY
 *	MIME-aware outbound disclaimers that never break a message
 * SYNOPSIS
 *	#include "disclaimer.h"
 * DESCRIPTION
 *	disclaimer_apply() adds the disclaimer in conf (disclaimer.text and
 *	disclaimer.html of an instance, UTF-8, either may be NULL; the
 *	other form is derived) to msg, a whole message of len bytes:
 *	header block, empty line, body, with LF or CRLF line ends (the
 *	milter rebuilds "Name: value\r\n" lines and appends the body
 *	chunks it got).  It decides where the disclaimer goes:
 *
 *	-	a single-part text/plain or text/html message (no
 *		Content-Type is text/plain): that part;
 *	-	multipart/alternative: every text/plain and text/html
 *		alternative (an alternative that is itself a multipart
 *		contributes its first text body);
 *	-	multipart/mixed, multipart/related (its root part: the
 *		"start" parameter's Content-ID, else the first part) and
 *		any other multipart: the first text body, depth first;
 *
 *	where a text body is a text/plain or text/html part that is not a
 *	file (Content-Disposition attachment, or a filename or name
 *	parameter), and never one inside a message/rfc822 part.  With
 *	conf->position DC_POS_BOTTOM (the default) text is appended after
 *	an empty line and HTML goes before the last "</body", or at the
 *	end; with DC_POS_TOP text goes at the start of the text (after a
 *	UTF-8 byte order mark), followed by an empty line, and HTML just
 *	after the first "<body ...>" tag, or at the start without one.  dcpart(3h) says how encodings,
 *	charsets and line ends are handled.
 *
 *	It returns DC_ADDED, or why nothing was done (the message then
 *	passes unchanged):
 *	DC_SKIPPED_SIGNED	multipart/signed, multipart/encrypted or
 *				application/(x-)pkcs7-mime anywhere outside a
 *				forwarded message, or inline PGP in the
 *				text body: a disclaimer would break it;
 *	DC_SKIPPED_PRESENT	a chosen text part already carries the
 *				disclaimer (a message injected twice, a
 *				reply quoting it with conf->replies
 *				DC_REPLIES_SKIP): no second copy.  In a
 *				reply (In-Reply-To or References present)
 *				with DC_REPLIES_ALWAYS (the default),
 *				quoted text does not count: lines starting
 *				with ">" in text/plain, <blockquote>
 *				elements in text/html;
 *	DC_SKIPPED_SIZE		len is over conf->max_size (0: the default,
 *				DC_MAX_SIZE_DEFAULT);
 *	DC_SKIPPED_UNPARSEABLE	MIME too broken to change safely
 *				(mimescan(3h), dcpart(3h)); never a reason
 *				to reject the message;
 *	DC_SKIPPED_NOTEXT	no text body to put it in (only attachments,
 *				only a forwarded message, calendar data...),
 *				or a disclaimer with nothing visible in it.
 *	out->why is then a static string for the log (NULL on DC_ADDED).
 *
 *	conf->fallback says what happens instead when the result is
 *	DC_SKIPPED_SIGNED, DC_SKIPPED_UNPARSEABLE or DC_SKIPPED_SIZE:
 *	DC_FALLBACK_PASS (the default) returns it; DC_FALLBACK_WRAP
 *	returns DC_WRAPPED with out filled by dcwrap(3h) (the original as
 *	message/rfc822 after the disclaimer), except for DC_SKIPPED_SIZE
 *	(a message over max_size is not held, so not wrapped) or a
 *	message header block that cannot be read (mimehdr(3h)), which
 *	pass; DC_FALLBACK_REJECT returns DC_REJECTED.  out->cause is then
 *	the skip result and out->why its reason.  disclaimer_fallback()
 *	is that step alone, for a caller that decided a skip itself (the
 *	milter's over-size copy): it only rejects, never wraps.
 *	disclaimer_reject_text() is the SMTP reply text for a rejected
 *	cause (static; for 550 5.7.1).
 *
 *	On DC_ADDED, out holds what a milter can apply with
 *	smfi_replacebody() and smfi_chgheader(): out->body, the new body
 *	(every byte after the header block's empty line; out->body_len
 *	bytes, owned), and out->hdr[0..n_hdr), changes to the message's
 *	own header fields: Content-Type (charset relabelled UTF-8),
 *	Content-Transfer-Encoding (quoted-printable) and MIME-Version
 *	(added with either when absent).  They are needed only when the
 *	message is a single text part; a multipart's part headers live in
 *	its body.  Each is to be applied as smfi_chgheader(ctx, name, 1,
 *	value), which replaces the first field of that name or adds one;
 *	values have no leading space, and folded lines are joined by a
 *	bare LF, as libmilter wants.  Everything outside the changed text
 *	parts (headers, preamble, epilogue, boundaries, attachments) is
 *	copied byte for byte from msg.  disclaimer_out_free() releases out.
 *
 *	disclaimer_render() returns the whole message those changes
 *	produce (malloc'ed, *outlen bytes; msg itself when nothing
 *	changed), for tests and simulation; header values' LFs become the
 *	header block's line end.
 *
 *	disclaimer_result_name() gives the metric label of a result
 *	(gatepost_disclaimers_total{face,result}): "added",
 *	"skipped_signed", "skipped_present", "skipped_size",
 *	"skipped_unparseable", "skipped_notext", and the two results
 *	dcrule(3h) decides before disclaimer_apply() is called:
 *	"skipped_nomatch", "skipped_exception"; and the fallback results
 *	"wrapped", "rejected".
 *
 *	Memory: the message is never copied whole except into the new
 *	body; decoded and converted copies of the chosen text parts come
 *	on top, so a call needs a small multiple of len.  Pure (no I/O but
 *	iconv's module loading, no globals, no logging) and thread safe.
 * SEE ALSO
 *	mimescan(3h), dcpart(3h), dctext(3h), docs/disclaimer.md
 */
#ifndef GP_DISCLAIMER_H
#define GP_DISCLAIMER_H

#include <stddef.h>

#define DC_MAX_SIZE_DEFAULT	((size_t)10 * 1024 * 1024)	/* bytes */
#define DC_HDR_MAX		4

enum disclaimer_result {
	DC_ADDED = 0,
	DC_SKIPPED_SIGNED,
	DC_SKIPPED_PRESENT,
	DC_SKIPPED_SIZE,
	DC_SKIPPED_UNPARSEABLE,
	DC_SKIPPED_NOTEXT,
	DC_SKIPPED_NOMATCH,		/* dcrule(3h): no entry matches */
	DC_SKIPPED_EXCEPTION,		/* dcrule(3h): skip_senders/_if_header */
	DC_WRAPPED,			/* fallback wrap: dcwrap(3h) */
	DC_REJECTED			/* fallback reject */
};
#define DC_RESULT_MAX	(DC_REJECTED + 1)

enum disclaimer_position {
	DC_POS_BOTTOM = 0,		/* end of text, before </body> */
	DC_POS_TOP			/* start of text, after <body> */
};

enum disclaimer_replies {
	DC_REPLIES_ALWAYS = 0,		/* quoted copies do not count */
	DC_REPLIES_SKIP			/* a quoted copy is enough */
};

/* when a message cannot take a disclaimer */
enum disclaimer_fallback_mode {
	DC_FALLBACK_PASS = 0,		/* unchanged (the skip result) */
	DC_FALLBACK_WRAP,		/* dcwrap(3h) */
	DC_FALLBACK_REJECT		/* DC_REJECTED */
};

struct disclaimer_conf {
	const char *text;		/* borrowed, UTF-8, may be NULL */
	const char *html;	/* borrowed, UTF-8 fragment, may be NULL */
	size_t	 max_size;		/* bytes; 0 = DC_MAX_SIZE_DEFAULT */
	enum disclaimer_position position;	/* default bottom */
	enum disclaimer_replies replies;	/* default always */
	enum disclaimer_fallback_mode fallback;	/* default pass */
};

struct disclaimer_hdr {
	const char *name;		/* static, e.g. "Content-Type" */
	char	*value;			/* owned; LF between folded lines */
};

struct disclaimer_out {
	char	*body;	/* owned: the new body; NULL unless added */
	size_t	 body_len;		/* bytes */
	struct disclaimer_hdr hdr[DC_HDR_MAX];	/* message header fields
					 * to set */
	size_t	 n_hdr;
	size_t	 n_parts;		/* text parts that got the disclaimer */
	const char *why;		/* static: reason for a skip, or NULL */
	enum disclaimer_result cause;	/* DC_WRAPPED, DC_REJECTED: the skip */
};

enum disclaimer_result disclaimer_apply(const char *msg, size_t len,
	    const struct disclaimer_conf *, struct disclaimer_out *);
void	disclaimer_out_free(struct disclaimer_out *);
char	*disclaimer_render(const char *msg, size_t len,
	    const struct disclaimer_out *, size_t *outlen);
const char *disclaimer_result_name(enum disclaimer_result);
enum disclaimer_result disclaimer_fallback(enum disclaimer_result,
	    const struct disclaimer_conf *, struct disclaimer_out *);
const char *disclaimer_reject_text(enum disclaimer_result cause);

#endif
