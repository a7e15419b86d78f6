/*
 * NAME
 *	xalloc 3h
 * SUMMARY
 *	memory allocation that never returns NULL
 * SYNOPSIS
 *	#include "xalloc.h"
 * DESCRIPTION
 *	xmalloc(), xcalloc(), xrealloc(), xstrdup() and xstrndup() behave as
 *	their libc namesakes but abort the process (log_panic) when memory
 *	is exhausted, so callers never test for NULL.  All are thread safe.
 * SEE ALSO
 *	malloc(3)
 */
#ifndef GP_XALLOC_H
#define GP_XALLOC_H

#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);

#endif
