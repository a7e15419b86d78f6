/*
 * NAME
 *	ratelimit 3h
 * SUMMARY
 *	rate limits over a counter store: sliding windows, keys, verdicts
 * SYNOPSIS
 *	#include "ratelimit.h"
 * DESCRIPTION
 *	Rate-limit state lives behind struct rl_store, a small table of
 *	operations, so that the logic here never knows where counters
 *	live: in this process today (rl_mem_new(), rl_mem.c), in a store
 *	shared by several gateways later.  A store counts events per key
 *	in fixed windows of `window` seconds numbered now / window; it
 *	keeps the current and the previous window's counts.
 *
 *	ops->get() reads both counts for the window containing now
 *	(zeros for an unknown or expired key).  ops->add() adds n to the
 *	current window and returns 0, or RL_FULL when the key is new and
 *	the store holds its maximum of keys (the event is then not
 *	counted).  ops->expire() drops keys idle for two windows, looking
 *	at no more than budget slots per call so that it can run from a
 *	timer without stalling the caller.  ops->count() is the number of
 *	keys held, ops->free() frees the store.
 *
 *	The sliding window is approximated with those two buckets: the
 *	estimate is cur + prev * (window - elapsed) / window (rounded up),
 *	which assumes the previous window's events were spread evenly.  A
 *	message is refused when the estimate plus its own count would
 *	exceed the limit; refused messages are not counted.  Error bound:
 *	no aligned window ever counts more than limit events, so any span
 *	of window seconds holds fewer than 2 * limit accepted events (the
 *	worst case is a burst at the very end of a window); with steady
 *	traffic the estimate equals the true sliding count.  Events bunched
 *	at the start of the previous window are over-weighted, which errs
 *	on the side of refusing.
 *
 *	rl_key_make() writes the store key of one limit for one message:
 *	the instance name, the limit's index, its window and key type, and
 *	the key value (SASL login, client address, or envelope sender,
 *	lower-cased; "<>" for the null sender).  It returns the key length,
 *	or 0 when the limit does not apply (no login for sasl_username,
 *	sender unknown) or the buffer is short.  Because the window is
 *	part of the key, a reload that keeps a limit's window keeps its
 *	counts, and one that changes it starts afresh.
 *
 *	rl_eval() checks every limit of the instance that counts `what`
 *	(messages or recipients), with n the message's own count; each
 *	limit that would be exceeded adds a RULE_RATE_LIMIT hit to the
 *	verdict (its configured action, the instance's mode).  Unless an
 *	enforced refusal results, every applicable limit is then charged
 *	n.  It returns the number of keys the store could not take
 *	(RL_FULL), for the caller to warn about; those limits do not
 *	apply to the message.
 *
 *	Nothing here does I/O or reads the clock: now is an argument.
 *	A store is not thread safe; one event loop owns it.
 * SEE ALSO
 *	rule(3h), DESIGN.md "rate_limits" and "Planned next"
 */
#ifndef GP_RATELIMIT_H
#define GP_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "facts.h"
#include "rule.h"

#define RL_FULL		(-2)		/* the store cannot take a new key */
#define RL_KEY_MAX	640		/* bytes of a key */

struct rl_counts {
	uint64_t cur;			/* events in the current window */
	uint64_t prev;			/* events in the previous window */
};

struct rl_store;

struct rl_store_ops {
	int	(*get)(struct rl_store *, const char *key, size_t keylen,
		    uint64_t now, unsigned window, struct rl_counts *);
	int	(*add)(struct rl_store *, const char *key, size_t keylen,
		    uint64_t now, unsigned window, uint64_t n);
	void	(*expire)(struct rl_store *, uint64_t now, size_t budget);
	size_t	(*count)(const struct rl_store *);
	void	(*free)(struct rl_store *);
};

struct rl_store {
	const struct rl_store_ops *ops;	/* static */
};

uint64_t rl_estimate(const struct rl_counts *, uint64_t now,
	    unsigned window);
size_t	rl_key_make(char *, size_t, const struct cfg_instance *, size_t idx,
	    const struct facts *);
int	rl_eval(struct rl_store *, const struct cfg_instance *,
	    const struct facts *, enum cfg_rlcount what, uint64_t n,
	    uint64_t now, struct verdict *);

/* rl_mem.c: the in-process store, an open-addressing hash table */
struct rl_store *rl_mem_new(size_t max_keys, const uint64_t seed[2]);
void	rl_mem_set_max(struct rl_store *, size_t max_keys);

#endif
