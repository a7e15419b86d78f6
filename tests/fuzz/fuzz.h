/*
 * NAME
 *	fuzz 3h
 * SUMMARY
 *	what every libFuzzer target of gatepost provides
 * SYNOPSIS
 *	#include "fuzz.h"
 * DESCRIPTION
 *	Each tests/fuzz/fuzz_TARGET.c defines LLVMFuzzerTestOneInput() and,
 *	when it has something to set up first, LLVMFuzzerInitialize()
 *	(optional, as in libFuzzer; replay.c calls it only when a target
 *	defines it).  Linked with clang's -fsanitize=fuzzer they are a
 *	libFuzzer binary (make fuzz); linked with replay.c they replay
 *	files without clang (make check).
 *
 *	FUZZ_ASSERT(cond) stops the process with __builtin_trap() when an
 *	invariant the code under test promises does not hold.  It is for
 *	real contract violations only: a trap is a finding.
 * SEE ALSO
 *	docs/fuzzing.md
 */
#ifndef GP_FUZZ_H
#define GP_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#define FUZZ_ASSERT(c)	do { if (!(c)) __builtin_trap(); } while (0)

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* fuzz_hash - FNV-1a of the input: parameters derived from the bytes */
static inline uint32_t
fuzz_hash(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* fuzz_rand - a small deterministic generator (xorshift32) */
static inline uint32_t
fuzz_rand(uint32_t *s)
{
	uint32_t x = *s != 0 ? *s : 0x9e3779b9u;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

#endif
