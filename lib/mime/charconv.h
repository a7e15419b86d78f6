/*
 * NAME
 *	charconv 3h
 * SUMMARY
 *	MIME charset names to iconv, classified; conversion with iconv(3)
 * SYNOPSIS
 *	#include "charconv.h"
 * DESCRIPTION
 *	charconv_lookup() maps a MIME charset name (any case, NULL or
 *	empty for the RFC 2045 default us-ascii) to the name iconv knows
 *	it by, written into name (size bytes), and classifies it:
 *
 *	CHARCONV_ASCII	us-ascii and its aliases;
 *	CHARCONV_UTF8	UTF-8;
 *	CHARCONV_COMPAT	a charset iconv knows in which every printable
 *			ASCII character, TAB, CR and LF stand for
 *			themselves (ISO-8859-*, windows-125x, KOI8-R,
 *			Shift_JIS, GBK, ISO-2022-JP...): ASCII text
 *			can be found and inserted in it as bytes;
 *	CHARCONV_OTHER	a charset iconv knows that is not like that
 *			(UTF-16, UTF-32, UTF-7, EBCDIC): text in it must
 *			be converted before it is searched or changed;
 *	CHARCONV_UNKNOWN a name iconv does not know, or one that is not
 *			a valid MIME charset token (so a name such as
 *			"utf-8//IGNORE" never reaches iconv_open()).
 *
 *	A few names mail software uses that glibc does not know are
 *	translated first (ks_c_5601-1987 is CP949, gb2312 is read as its
 *	superset GBK, x-sjis is Shift_JIS, ...).
 *
 *	charconv_convert() converts n bytes from one iconv name to
 *	another, appending to out.  Strict (lenient 0), any byte sequence
 *	that is invalid in the source or has no equivalent in the target
 *	fails the call (-1; out may hold a partial result).  Lenient,
 *	such input bytes are skipped one at a time, so the result is
 *	usable for searching but is not a faithful copy.  Stateful
 *	targets are returned to their initial state at the end.  Returns
 *	0 on success, -1 on failure or when iconv_open() fails.
 *
 *	Both are thread safe (each call opens its own iconv descriptor)
 *	and do no I/O beyond what iconv_open() loads from the system's
 *	gconv modules.
 * SEE ALSO
 *	iconv(3), iconv_open(3), RFC 2045 section 5.1, RFC 2278
 */
#ifndef GP_CHARCONV_H
#define GP_CHARCONV_H

#include <stddef.h>

#include "mimecode.h"

#define CHARCONV_NAME_MAX	64	/* bytes of a charset name, with NUL */

enum charconv_class {
	CHARCONV_ASCII = 0,
	CHARCONV_UTF8,
	CHARCONV_COMPAT,
	CHARCONV_OTHER,
	CHARCONV_UNKNOWN
};

enum charconv_class charconv_lookup(const char *mime, char *name, size_t size);
int	charconv_convert(const char *from, const char *to, const char *in,
	    size_t n, struct sbuf *out, int lenient);

#endif
