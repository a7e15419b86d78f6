/*
 * NAME
 *	scan_text 3h
 * SUMMARY
 *	bounded text helpers for the scanner reply parsers
 * SYNOPSIS
 *	#include "scan_text.h"
 * DESCRIPTION
 *	A struct scan_span is a piece of a reply buffer, borrowed, not
 *	NUL-terminated.  scan_span_line() takes one LF- or CRLF-ended line
 *	off the front of a span (0 when it is empty); scan_span_header()
 *	splits "Name: value" into trimmed name and value (-1 without a
 *	colon); scan_span_trim() drops white space at both ends;
 *	scan_span_ieq() compares with a word ignoring ASCII case;
 *	scan_span_ulong() reads 1 to 9 digits and nothing else.
 *	scan_head_end() finds the blank line that ends a header block
 *	(CRLF CRLF or LF LF, whichever comes first): the head's length and
 *	the body's offset, or -1 when there is none yet.
 *
 *	scan_parse_number() reads a decimal number ("-0.5", "1000.0"; no
 *	exponent, no space) without the C library's locale.
 *	scan_copy_token() copies at most n bytes into a buffer of size,
 *	replacing anything outside [A-Za-z0-9._:/+-] (and space unless
 *	allow_space is 0) with '_'.  scan_symbols_add() appends a name to
 *	a comma-separated list of at most size - 1 bytes; a name that does
 *	not fit ends the list with "..." and later names are dropped.
 *
 *	All pure and thread safe: no I/O, allocation or globals.
 * SEE ALSO
 *	scan_parse(3h)
 */
#ifndef GP_SCAN_TEXT_H
#define GP_SCAN_TEXT_H

#include <stddef.h>

struct scan_span {			/* a borrowed piece of a reply */
	const char *p;
	size_t	 n;			/* bytes */
};

int	scan_is_space(int);
int	scan_is_digit(int);
int	scan_span_line(struct scan_span *, struct scan_span *);
int	scan_span_header(struct scan_span, struct scan_span *,
	    struct scan_span *);
struct scan_span scan_span_trim(struct scan_span);
int	scan_span_ieq(struct scan_span, const char *);
int	scan_span_ulong(struct scan_span, unsigned long *);
int	scan_head_end(const char *, size_t, size_t *, size_t *);
int	scan_parse_number(const char *, size_t, double *);
void	scan_copy_token(char *, size_t, const char *, size_t, int);
void	scan_symbols_add(char *, size_t, const char *, size_t);

#endif
