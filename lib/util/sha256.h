/*
 * NAME
 *	sha256 3h
 * SUMMARY
 *	SHA-256 (FIPS 180-4) of a buffer, as hex
 * SYNOPSIS
 *	#include "sha256.h"
 * DESCRIPTION
 *	sha256_hex() writes the SHA-256 of len bytes at p into out as 64
 *	lower-case hex digits and a NUL (out holds SHA256_HEX_LEN bytes).
 *	The configuration's hash in the reload event (docs/events.md) is
 *	this, over the file's bytes, so "sha256sum gatepost.json" matches
 *	it.  Pure, thread safe.
 * SEE ALSO
 *	cfg(3h)
 */
#ifndef GP_SHA256_H
#define GP_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN	65

void	sha256_hex(const void *p, size_t len, char *out);

#endif
