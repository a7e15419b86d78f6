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
 * SEE ALSO
 *	ratelimit(3h), check_ratelimit.c, check_pd_redis.c
 */
#ifndef GP_RL_TABLE_H
#define GP_RL_TABLE_H

#include "ratelimit.h"

typedef void rl_pump_fn(void *);

void	rl_table_run(struct rl_store *, rl_pump_fn *, void *, const char *);
int	rl_table_call(struct rl_store *, const struct rl_req *, rl_pump_fn *,
	    void *, struct rl_result *);

#endif
