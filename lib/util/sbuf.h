/*
 * NAME
 *	sbuf 3h
 * SUMMARY
 *	the one growable byte buffer (text or binary, always terminated)
 * SYNOPSIS
 *	#include "sbuf.h"
 * DESCRIPTION
 *	struct sbuf collects bytes: reports and configuration fragments
 *	(pfgen(3h), pfdoctor(3h)), metrics exposition, JSON paths (jpos(3h)),
 *	decoded and rebuilt MIME parts.  A zeroed struct, or sbuf_init(),
 *	is an empty buffer.  sbuf_putn() appends n bytes, sbuf_puts() a C
 *	string, sbuf_putc() one byte, sbuf_printf() formatted text;
 *	sbuf_reserve() makes room for n more bytes in advance (one copy
 *	when the final size is known).  The bytes are p[0..len), always
 *	followed by a NUL when p is not NULL, so text can be used as a C
 *	string; binary content may hold NULs of its own.  sbuf_str() is the
 *	text so far (borrowed, "" when empty, valid until the next change);
 *	sbuf_trunc() cuts back to a length seen before; sbuf_take() hands
 *	the bytes over (the caller frees them) and leaves an empty buffer;
 *	sbuf_free() releases them.  Memory comes from xalloc(3h): appending
 *	never fails (exhaustion is log_panic()).  Capacity doubles, so n
 *	appends cost O(total) copies.  Not thread safe; one owner.
 *	sbuf_json_str() appends s as a JSON string (quotes included): at
 *	most max bytes of it, '"' and '\\' escaped, control characters as
 *	\\u00XX, bytes outside ASCII as '?' (untrusted input cannot
 *	break the JSON or the log line).
 * SEE ALSO
 *	xalloc(3h)
 */
#ifndef GP_SBUF_H
#define GP_SBUF_H

#include <stddef.h>

struct sbuf {
	char	*p;			/* owned; NUL after len, or NULL */
	size_t	 len;			/* bytes used, without the NUL */
	size_t	 cap;			/* bytes allocated */
};

void	sbuf_init(struct sbuf *);
void	sbuf_reserve(struct sbuf *, size_t);
void	sbuf_putn(struct sbuf *, const void *, size_t);
void	sbuf_puts(struct sbuf *, const char *);
void	sbuf_putc(struct sbuf *, int);
void	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	sbuf_trunc(struct sbuf *, size_t);
const char *sbuf_str(const struct sbuf *);
char	*sbuf_take(struct sbuf *);
void	sbuf_free(struct sbuf *);
void	sbuf_json_str(struct sbuf *, const char *, size_t max);

#endif
