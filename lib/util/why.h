/*
 * NAME
 *	why 3h
 * SUMMARY
 *	lib/'s one error convention: a reason in the caller's buffer
 * SYNOPSIS
 *	#include "why.h"
 * DESCRIPTION
 *	A lib/ function that can fail returns -1 (or NULL) and writes a
 *	human-readable reason into a buffer its caller passes as
 *	"char *why, size_t whylen" (docs/HACKING.md §6).  why_set() writes
 *	one, formatted, truncating to whylen; a NULL or empty buffer is
 *	allowed and gets nothing.  Thread safe.
 * SEE ALSO
 *	snprintf(3)
 */
#ifndef GP_WHY_H
#define GP_WHY_H

#include <stddef.h>

void	why_set(char *, size_t, const char *, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
