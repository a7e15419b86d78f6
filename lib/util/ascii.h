/*
 * NAME
 *	ascii 3h
 * SUMMARY
 *	ASCII character classes and case, without the locale
 * SYNOPSIS
 *	#include "ascii.h"
 * DESCRIPTION
 *	Mail protocols compare domains, header names, keywords and
 *	attribute names ignoring ASCII case only; <ctype.h> follows the
 *	locale (and is undefined for negative char values), so pure code
 *	uses these instead.  Bytes of 0x80 and above are never letters.
 *
 *	ascii_tolower() maps 'A'..'Z' to 'a'..'z' and leaves every other
 *	byte alone.  ascii_isalpha(), ascii_isdigit() and ascii_isalnum()
 *	classify one byte.  ascii_ncaseeq() compares n bytes ignoring case;
 *	ascii_caseprefix() tells whether s starts with p ignoring case;
 *	ascii_strlower() lower-cases a string in place.  All are pure,
 *	inline and thread safe.
 * SEE ALSO
 *	addr(3h), cidr(3h)
 */
#ifndef GP_ASCII_H
#define GP_ASCII_H

#include <stddef.h>

static inline int
ascii_tolower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static inline int
ascii_isalpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int
ascii_isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline int
ascii_isalnum(int c)
{
	return ascii_isalpha(c) || ascii_isdigit(c);
}

/* ascii_ncaseeq - are n bytes equal, ignoring ASCII case? */
static inline int
ascii_ncaseeq(const char *a, const char *b, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (ascii_tolower((unsigned char)a[i]) !=
		    ascii_tolower((unsigned char)b[i]))
			return 0;
	return 1;
}

/* ascii_caseprefix - does s start with p, ignoring ASCII case? */
static inline int
ascii_caseprefix(const char *s, const char *p)
{
	for (; *p != '\0'; s++, p++)
		if (ascii_tolower((unsigned char)*s) !=
		    ascii_tolower((unsigned char)*p))
			return 0;
	return 1;
}

/* ascii_strlower - lower-case ASCII letters in place */
static inline void
ascii_strlower(char *s)
{
	for (; *s != '\0'; s++)
		*s = (char)ascii_tolower((unsigned char)*s);
}

#endif
