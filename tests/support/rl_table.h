/*
 * NAME
 *	rl_table 3h
 * SUMMARY
 *	one table of store steps, run against every rate-limit store
 * SYNOPSIS
 *	#include "rl_table.h"
 * DESCRIPTION
 *	rl_table_run() runs the steps of the shared table, in order,
 *	against a fresh store st, with a test clock (every request names
 *	its now), and checks each result with ck_assert: the estimates
 *	before the message, and whether it was charged.  The memory store
 *	answers inside run(); an asynchronous store (Redis) is driven by
 *	calling pump(arg) until the answer has come.  prefix_ok is a free
 *	string for the failure messages ("memory", "redis").
 *
 *	rl_table_req1() fills req with one request of op for one key:
 *	face (NULL: none), budget, now, and the key's window and limit; a
 *	RL_OP_CHARGE counts 1 and is blocking.  rl_table_call() runs req
 *	on st, pumping as rl_table_run() does, puts the answer in res and
 *	returns its status.
 * SEE ALSO
 *	ratelimit(3h), check_ratelimit.c, check_pd_redis.c
 */
#ifndef GP_RL_TABLE_H
#define GP_RL_TABLE_H

#include "ratelimit.h"

typedef void rl_pump_fn(void *);

void	rl_table_run(struct rl_store *, rl_pump_fn *, void *, const char *);
void	rl_table_req1(struct rl_req *, enum rl_op, const char *, size_t,
	    const char *, uint64_t, unsigned, uint64_t);
int	rl_table_call(struct rl_store *, const struct rl_req *, rl_pump_fn *,
	    void *, struct rl_result *);

#endif
