/*
 * NAME
 *	mimehdr 3h
 * SUMMARY
 *	a MIME entity's header block, read in place: field offsets and
 *	the Content-Type, Content-Transfer-Encoding and
 *	Content-Disposition values the structure scanner needs
 * SYNOPSIS
 *	#include "mimehdr.h"
 * DESCRIPTION
 *	Everything here works on offsets into the caller's message text
 *	(msg), never on copies, so that an entity's bytes can later be
 *	spliced unchanged.  Lines end in LF or CRLF, mixed freely (the
 *	milter rebuilds header fields with CRLF but libmilter hands over
 *	folded values with bare LF).
 *
 *	mimehdr_scan() reads the header block that starts at off and
 *	ends at the first empty line or at end.  It fills h with the
 *	offsets of the block and of the first Content-Type,
 *	Content-Transfer-Encoding, Content-Disposition, Content-ID and
 *	MIME-Version fields, and returns 0, or -1 with a static reason
 *	in *why when the block is not a header block no two parsers
 *	could disagree about: a line that is neither "name:" (no space
 *	before the colon) nor a continuation, a continuation first, a CR
 *	not followed by LF, a control character in a Content-* field we
 *	read, or Content-Type or Content-Transfer-Encoding twice.  (An
 *	mbox "From " line is not a header field; a milter never sees
 *	one.)
 *
 *	mimehdr_ctype() parses a Content-Type value (RFC 2045 5.1, with
 *	comments and folding) into lower-case type and subtype and the
 *	parameters boundary, charset (copied, unquoted) and start (when
 *	it fits), and notes whether a name parameter (RFC 2231 forms
 *	included) is present and whether format is flowed.  boundary,
 *	charset and start may be in any RFC 2231 form: extended
 *	("charset*=us-ascii'en'utf-8", %XX-encoded, the value's own
 *	charset and language ignored: these values are ASCII), continued
 *	("boundary*0=...; boundary*1*=..."), in any order, at most
 *	MIMEHDR_SECTIONS_MAX sections of MIMEHDR_RAW_MAX bytes.  Other
 *	parameters are read leniently (text after a value up to the next
 *	";" is ignored).  -1 with *why for a type/subtype too long,
 *	text between the subtype and the first ";", a boundary or
 *	charset that is repeated (in one form or two, e.g. "charset" and
 *	"charset*"), valueless, junk-trailed, too long, empty (boundary),
 *	with a gap in its sections, a malformed section suffix ("*01"),
 *	a bad %XX, a missing "charset'language'" or a control or 8-bit
 *	byte once decoded, or an unterminated quoted string.
 *	MIMEHDR_CT_INVALID (with *why) when the value has no "/" before
 *	its first ";" ("text", "", "plain; charset=x"; "/plain" and
 *	"text/" are -1: readers see an unknown type): RFC 2045 5.2 says to read the part
 *	as if it had no Content-Type; ct is then empty.  A value starting
 *	with "multipart" or "message" is -1 instead: it claims a structure
 *	that cannot be read.
 *
 *	mimehdr_cte() maps a Content-Transfer-Encoding value to enum
 *	mime_cte (absent: 7bit).  mimehdr_cdisp() reports whether a
 *	Content-Disposition value marks a file: disposition "attachment"
 *	or any filename parameter.
 *
 *	mimehdr_set_charset() writes to out the Content-Type field at
 *	[off, end) (the whole field, name to line end) with its charset
 *	parameter's value replaced by charset, or with "; charset=..."
 *	added after the last parameter; an RFC 2231 charset ("charset*",
 *	"charset*0"...) is removed (from its ";" to its value's end) and
 *	"; charset=..." added; every other byte is kept.
 *
 *	mimehdr_field_is() tells whether the header block at the start of
 *	msg (up to its first empty line) has a field called name (ASCII
 *	case ignored) and, when value is not NULL, whose value, unfolded
 *	and trimmed, equals value ignoring ASCII case, a run of white
 *	space counting as one space.  Used by dcrule(3h) (skip_if_header)
 *	and disclaimer(3h) (In-Reply-To, References).
 *
 *	All functions are pure and thread safe.
 * SEE ALSO
 *	mimescan(3h), RFC 2045, RFC 2183, RFC 2231, RFC 5322 section 2.2
 */
#ifndef GP_MIMEHDR_H
#define GP_MIMEHDR_H

#include <stddef.h>

#include "mimecode.h"

#define MIMEHDR_TYPE_MAX	48	/* bytes of a type or subtype + NUL */
#define MIMEHDR_BOUNDARY_MAX	200	/* bytes of a boundary (RFC: 70) */
#define MIMEHDR_CHARSET_MAX	64	/* bytes of a charset + NUL */
#define MIMEHDR_START_MAX	256	/* bytes of a start parameter + NUL */
#define MIMEHDR_SECTIONS_MAX	64	/* RFC 2231 sections of one value */
#define MIMEHDR_RAW_MAX		1024	/* bytes of one section, encoded */
#define MIMEHDR_CT_INVALID	(-2)	/* mimehdr_ctype(): RFC 2045 5.2 */

enum mime_cte {
	MIME_CTE_7BIT = 0,		/* also: field absent */
	MIME_CTE_8BIT,
	MIME_CTE_BINARY,
	MIME_CTE_QP,
	MIME_CTE_BASE64,
	MIME_CTE_OTHER			/* x-uuencode and anything unknown */
};

struct mime_field {			/* one header field, in place */
	size_t	 off;	/* offset of the name; 0 with end 0: absent */
	size_t	 val;			/* offset just after the colon */
	size_t	 end;	/* offset after the field's last line end */
};

struct mime_hdr {			/* a header block, in place */
	size_t	 start;			/* offset of the first field */
	size_t	 end;			/* offset of the empty line (or end) */
	size_t	 body;	/* offset after the empty line (or end) */
	struct mime_field ct;		/* Content-Type */
	struct mime_field cte;		/* Content-Transfer-Encoding */
	struct mime_field cd;		/* Content-Disposition */
	struct mime_field cid;		/* Content-ID */
	struct mime_field mv;		/* MIME-Version */
};

struct mime_ctype {			/* a parsed Content-Type */
	char	 type[MIMEHDR_TYPE_MAX];	/* lower case */
	char	 subtype[MIMEHDR_TYPE_MAX];	/* lower case */
	char	 boundary[MIMEHDR_BOUNDARY_MAX + 1]; /* "" when absent */
	char	 charset[MIMEHDR_CHARSET_MAX];	/* "" when absent */
	char	 start[MIMEHDR_START_MAX];	/* "" when absent */
	int	 has_name;		/* a name parameter is present */
	int	 flowed;		/* format=flowed (RFC 3676) */
};

int	mimehdr_scan(const char *msg, size_t off, size_t end,
	    struct mime_hdr *h, const char **why);
int	mimehdr_ctype(const char *msg, const struct mime_field *,
	    struct mime_ctype *, const char **why);
enum mime_cte mimehdr_cte(const char *msg, const struct mime_field *);
int	mimehdr_cdisp(const char *msg, const struct mime_field *);
void	mimehdr_set_charset(const char *msg, const struct mime_field *,
	    const char *charset, struct sbuf *out);
int	mimehdr_present(const struct mime_field *);
int	mimehdr_field_is(const char *msg, size_t len, const char *name,
	    const char *value);

#endif
