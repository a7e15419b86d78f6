/*
 * NAME
 *	digest 3h
 * SUMMARY
 *	SHA-256 (FIPS 180-4) of a buffer, as hex, through Nettle
 * SYNOPSIS
 *	#include "digest.h"
 * DESCRIPTION
 *	digest_sha256_hex() writes the SHA-256 of len bytes at p into out
 *	as 64 lower-case hex digits and a NUL (out holds DIGEST_HEX_LEN
 *	bytes).  The configuration's hash in the reload event
 *	(docs/events.md) is this, over the file's bytes, so "sha256sum
 *	gatepost.json" matches it.  The hash itself is Nettle's (Debian's
 *	nettle-dev), not ours.  Pure, thread safe.
 * SEE ALSO
 *	cfg(3h), nettle(3)
 */
#ifndef GP_DIGEST_H
#define GP_DIGEST_H

#include <stddef.h>

#define DIGEST_HEX_LEN	65

void	digest_sha256_hex(const void *p, size_t len, char *out);

#endif
