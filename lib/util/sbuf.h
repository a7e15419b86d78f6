/*
 * NAME
 *	sbuf 3h
 * SUMMARY
 *	a growable, always terminated string
 * SYNOPSIS
 *	#include "sbuf.h"
 * DESCRIPTION
 *	struct sbuf collects text for pure modules that produce reports or
 *	configuration fragments (pfgen(3h), pfdoctor(3h)) without doing
 *	I/O themselves.  sbuf_init() makes an empty string; sbuf_puts(),
 *	sbuf_putn() and sbuf_printf() append; sbuf_str() is the text so far
 *	(borrowed, "" when empty, valid until the next append);
 *	sbuf_take() hands the text over (the caller frees it) and leaves
 *	an empty buffer; sbuf_free() releases it.  Memory comes from
 *	xalloc(3h): appending never fails.  Not thread safe; one owner.
 * SEE ALSO
 *	xalloc(3h)
 */
#ifndef GP_SBUF_H
#define GP_SBUF_H

#include <stddef.h>

struct sbuf {
	char	*s;			/* owned, NUL-terminated or NULL */
	size_t	 len;			/* bytes used, without the NUL */
	size_t	 cap;			/* bytes allocated */
};

void	sbuf_init(struct sbuf *);
void	sbuf_puts(struct sbuf *, const char *);
void	sbuf_putn(struct sbuf *, const char *, size_t);
void	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
const char *sbuf_str(const struct sbuf *);
char	*sbuf_take(struct sbuf *);
void	sbuf_free(struct sbuf *);

#endif
