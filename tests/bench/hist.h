/*
 * NAME
 *	hist - fixed log-linear latency histogram for the bench tools
 * SYNOPSIS
 *	#include "hist.h"
 * DESCRIPTION
 *	Values are nanoseconds.  Below 64 ns each value has its bucket;
 *	above, each power of two is split into 64 buckets, so a quantile
 *	is reported within 1/64 (1.6%) of the true value, HDR-histogram
 *	style, in a fixed 19 KB array.  Not thread safe: one histogram per
 *	thread, merged with hist_merge().  hist_now() is the clock to
 *	measure with: CLOCK_MONOTONIC in ns.  Header-only (static
 *	functions).
 */
#ifndef BENCH_HIST_H
#define BENCH_HIST_H

#include <stdint.h>
#include <string.h>
#include <time.h>

#define HIST_SUB	64
#define HIST_NB		(HIST_SUB * 38)

struct hist {
	uint64_t n;			/* values recorded */
	uint64_t max;			/* ns */
	uint64_t b[HIST_NB];		/* counts per bucket */
};

/* hist_now - the monotonic clock, ns */
static inline uint64_t
hist_now(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* hist_idx - bucket of a value */
static inline unsigned
hist_idx(uint64_t v)
{
	unsigned e, i;

	if (v < HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);		/* >= 6 */
	i = (e - 5) * HIST_SUB + (unsigned)((v >> (e - 6)) & (HIST_SUB - 1));
	return i < HIST_NB ? i : HIST_NB - 1;
}

/* hist_low - lowest value of bucket i */
static inline uint64_t
hist_low(unsigned i)
{
	unsigned e;

	if (i < HIST_SUB)
		return i;
	e = i / HIST_SUB + 5;
	return ((uint64_t)1 << e) | ((uint64_t)(i % HIST_SUB) << (e - 6));
}

static inline void
hist_add(struct hist *h, uint64_t v)
{
	h->b[hist_idx(v)]++;
	h->n++;
	if (v > h->max)
		h->max = v;
}

static inline void
hist_merge(struct hist *to, const struct hist *from)
{
	unsigned i;

	for (i = 0; i < HIST_NB; i++)
		to->b[i] += from->b[i];
	to->n += from->n;
	if (from->max > to->max)
		to->max = from->max;
}

/* hist_q - the q quantile (0..1), midpoint of its bucket, in ns */
static inline uint64_t
hist_q(const struct hist *h, double q)
{
	uint64_t want, seen = 0;
	unsigned i;

	if (h->n == 0)
		return 0;
	want = (uint64_t)(q * (double)h->n);
	if (want >= h->n)
		want = h->n - 1;
	for (i = 0; i < HIST_NB; i++) {
		seen += h->b[i];
		if (seen > want) {
			uint64_t lo = hist_low(i), hi = i + 1 < HIST_NB ?
			    hist_low(i + 1) : lo;
			uint64_t mid = lo + (hi - lo) / 2;

			return mid > h->max ? h->max : mid;
		}
	}
	return h->max;
}

#endif
