/*
 * NAME
 *	ratelimit 3h
 * SUMMARY
 *	rate limits over a counter store: sliding windows, keys, one
 *	atomic check-and-charge per message
 * SYNOPSIS
 *	#include "ratelimit.h"
 * DESCRIPTION
 *	Rate-limit state lives behind struct rl_store, a small table of
 *	operations, so that the logic here never knows where counters
 *	live: in this process (rl_mem_new(), rl_mem.c) or in a Redis
 *	shared by several gateways (policyd/pd_redis.c, running the
 *	script of rl_lua.c).  A store counts events per key in fixed
 *	windows of `window` seconds numbered now / window; it keeps the
 *	current and the previous window's counts.
 *
 *	One call, ops->run(), does all of one message's work in one
 *	atomic step: a struct rl_req lists the message's limits (items:
 *	key, window, limit, the message's own count n, and whether
 *	exceeding it refuses the message).  For each item the store
 *	computes the sliding estimate before this message (rl_estimate()
 *	over its two buckets, with the store's clock); an item is over
 *	when estimate + n > limit.  RL_OP_CHECK changes nothing.
 *	RL_OP_CHARGE adds n to every item's current bucket unless a
 *	blocking item is over, in which case nothing at all is charged
 *	(refused messages are not counted).  RL_OP_RESET deletes the
 *	items' keys.  The verdict arrives in a callback, exactly once per
 *	call: synchronously from the memory store, from the event loop
 *	for Redis, where status RL_ERR means that the store did not answer
 *	in time or failed (nothing is known about the counts then).  A
 *	call that timed out on our side may still have run on the server:
 *	it then charged the message although the caller applied
 *	policyd.store.on_error; such a charge only over-counts (by one
 *	message's n per timed-out call, for at most two windows) and never
 *	lets more mail through.
 *
 *	The clock is the store's: the memory store takes req->now, the
 *	Redis script the server's TIME unless req->now is non-zero (tests
 *	only, so one table runs against both stores).  result->now is the
 *	clock used; result->limit[] the limits applied (a fallback may scale
 *	them).  Every key lives for at most two windows after its
 *	last charge (the memory store's expiry sweep, Redis TTLs).
 *
 *	The sliding window is approximated with two buckets: the
 *	estimate is cur + prev * (window - elapsed) / window (rounded up),
 *	which assumes the previous window's events were spread evenly.
 *	Error bound: no aligned window ever counts more than limit events,
 *	so any span of window seconds holds fewer than 2 * limit accepted
 *	events (the worst case is a burst at the very end of a window);
 *	with steady traffic the estimate equals the true sliding count.
 *
 *	Keys belong to a face (the instance): the memory store holds at
 *	most req->budget keys per face, and a new key of a face at its
 *	budget evicts the face's longest-idle key (result->evicted), so
 *	that one face's traffic can neither evict nor block another's
 *	keys and a full store never stops limiting.  rl_budget() is the
 *	budget of an instance: its rate_key_budget, or an equal share of
 *	policyd.max_rate_keys among the instances without one (at least
 *	one key).
 *
 *	rl_key_make() writes the store key of one limit for one message:
 *	the instance name, the limit's index, its window and key type, and
 *	the key value (SASL login, client address, or envelope sender,
 *	lower-cased; "<>" for the null sender).  A client address is
 *	first normalised (IPv4-mapped IPv6 to IPv4) and cut to the limit's
 *	ipv4_prefix or ipv6_prefix; a shorter prefix than the address is
 *	written as "ADDR/LEN".  It returns the key length, or 0 when the
 *	limit does not apply (no login for sasl_username, sender or
 *	client unknown) or the buffer is short.  rl_key_value() does the
 *	same from a key value given as text (gatepostctl ratelimit).
 *	Because the window is part of the key, a reload that keeps a
 *	limit's window keeps its counts, and one that changes it starts
 *	afresh.
 *
 *	rl_plan() fills a request with the instance's limits that count
 *	messages (n = 1) when msgs is set and those that count recipients
 *	(n = rcpts) when rcpts > 0; rl_plan_value() fills one with every
 *	limit of the instance for a key value given as text, with n = 0
 *	(gatepostctl ratelimit show and reset).  rl_verdict() adds a
 *	RULE_RATE_LIMIT hit to the verdict for every item over its applied
 *	limit (its configured action, the instance's mode); rl_hit() makes
 *	that hit for one limit.  rl_scale() scales every limit by share
 *	(rounded down): the local fallback of a shared store.
 *
 *	rl_once_new() makes a table of messages already charged, by face
 *	and Postfix "instance", each remembered for ttl seconds:
 *	rl_once_seen() and rl_once_mark().  Postfix may send a message's
 *	requests again on a new policy connection (after
 *	smtpd_policy_service_max_idle/max_ttl, or on a retry); the table
 *	keeps such a message from being charged twice.  An empty instance
 *	is never remembered.
 *
 *	rl_eval() is the synchronous composition for a synchronous store
 *	(plan, charge, verdict); it returns the keys evicted.
 *
 *	Nothing here does I/O or reads the clock: now is an argument.
 *	A store is not thread safe; one event loop owns it.
 * SEE ALSO
 *	rule(3h), rl_lua.c, DESIGN.md "rate_limits" and "Shared rate-limit
 *	store"
 */
#ifndef GP_RATELIMIT_H
#define GP_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

#include "cfg.h"
#include "facts.h"
#include "rule.h"

#define RL_ERR		(-1)		/* store failed or timed out */
#define RL_KEY_MAX	640		/* bytes of a key */
#define RL_ITEMS_MAX	CFG_RL_MAX	/* limits in one request */

struct rl_counts {
	uint64_t cur;			/* events in the current window */
	uint64_t prev;			/* events in the previous window */
};

enum rl_op {
	RL_OP_CHECK = 0,		/* read only */
	RL_OP_CHARGE,			/* check, and charge unless refused */
	RL_OP_RESET			/* delete the keys */
};

struct rl_item {
	char	 key[RL_KEY_MAX];	/* without the store's prefix */
	size_t	 keylen;		/* bytes */
	unsigned window;		/* seconds */
	uint64_t limit;			/* events per window */
	uint64_t n;			/* the message's own count */
	int	 blocking;		/* over = the message is refused */
	size_t	 idx;			/* index in the instance's limits */
};

struct rl_req {
	enum rl_op op;
	char	 face[64];		/* instance name: the key budget */
	size_t	 budget;		/* keys this face may hold */
	uint64_t now;			/* seconds; 0 = the store's clock */
	size_t	 n;			/* items */
	struct rl_item item[RL_ITEMS_MAX];
};

struct rl_result {
	int	 status;		/* 0, or RL_ERR */
	int	 charged;		/* RL_OP_CHARGE: counted */
	uint64_t now;			/* the store's clock, seconds */
	uint64_t count[RL_ITEMS_MAX];	/* estimate before this message */
	uint64_t limit[RL_ITEMS_MAX];	/* limit applied (scaled locally) */
	size_t	 evicted;		/* keys evicted for room */
};

typedef void rl_done_fn(void *, const struct rl_result *);

struct rl_store;

struct rl_store_ops {
	void	(*run)(struct rl_store *, const struct rl_req *,
		    rl_done_fn *, void *);
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
size_t	rl_key_value(char *, size_t, const struct cfg_instance *, size_t idx,
	    const char *value);
size_t	rl_budget(const struct cfg *, const struct cfg_instance *);
size_t	rl_plan(struct rl_req *, enum rl_op, const struct cfg *,
	    const struct cfg_instance *, const struct facts *, int msgs,
	    uint64_t rcpts, uint64_t now);
size_t	rl_plan_value(struct rl_req *, enum rl_op, const struct cfg *,
	    const struct cfg_instance *, const char *value, uint64_t now);
int	rl_item_over(const struct rl_item *, uint64_t count);
void	rl_hit(const struct cfg_instance *, size_t idx, struct rule_hit *);
void	rl_verdict(const struct cfg_instance *, const struct rl_req *,
	    const struct rl_result *, struct verdict *);
void	rl_scale(struct rl_req *, double share);
size_t	rl_eval(struct rl_store *, const struct cfg_instance *,
	    const struct facts *, enum cfg_rlcount what, uint64_t n,
	    uint64_t now, struct verdict *);

/* rl_mem.c: the in-process store, a chained hash table */
struct rl_store *rl_mem_new(const uint64_t seed[2]);

/* rl_once.c: messages charged already (face, Postfix instance) */
struct rl_once;
struct rl_once *rl_once_new(size_t slots, unsigned ttl);
int	rl_once_seen(const struct rl_once *, const char *face,
	    const char *instance, uint64_t now);
void	rl_once_mark(struct rl_once *, const char *face, const char *instance,
	    uint64_t now);
void	rl_once_free(struct rl_once *);

/* rl_lua.c: the Redis store's script, and its arguments */
extern const char rl_lua_script[];
size_t	rl_lua_argc(const struct rl_req *);
size_t	rl_lua_args(const struct rl_req *, const char *prefix, char *buf,
	    size_t len, const char **argv, size_t *argvlen, size_t max);
int	rl_lua_result(const struct rl_req *, const long long *v, size_t n,
	    struct rl_result *);

#endif
