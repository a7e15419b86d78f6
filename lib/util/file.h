/*
 * NAME
 *	file 3h
 * SUMMARY
 *	read a whole file into memory
 * SYNOPSIS
 *	#include "file.h"
 * DESCRIPTION
 *	file_read() reads the regular file at path into a new buffer,
 *	terminated by a NUL that *len does not count, and returns it (the
 *	caller frees it).  Files larger than FILE_READ_MAX bytes are
 *	refused.  On failure it returns NULL and writes the reason,
 *	without the path, into why (e.g. "No such file or directory",
 *	"not a regular file", "too large (more than 16777216 bytes)"),
 *	so the caller can say "cannot read PATH: REASON".  errno is
 *	preserved from the failing call where there is one.
 *
 *	It has the signature of cfg_reader_fn (cfg(3h)).  Thread safe; it
 *	never logs.
 * SEE ALSO
 *	cfg(3h), read(2)
 */
#ifndef GP_FILE_H
#define GP_FILE_H

#include <stddef.h>

#define FILE_READ_MAX	(16u * 1024 * 1024)	/* bytes */

char	*file_read(const char *, size_t *, char *, size_t);

#endif
