/*
 * NAME
 *	pd_redis 3h
 * SUMMARY
 *	the shared rate-limit store: Redis, asynchronous, with a fallback
 * SYNOPSIS
 *	#include "pd_redis.h"
 * DESCRIPTION
 *	pd_redis_new() makes a struct rl_store (ratelimit(3h)) that runs
 *	every request as one EVALSHA of rl_lua_script on one hiredis
 *	asynchronous connection attached to the event loop (requests are
 *	pipelined; the daemon never blocks).  It consumes local, a memory
 *	store used while Redis cannot answer.
 *
 *	Connecting: TCP "HOST:PORT" or "unix:/path"; then AUTH (user and
 *	the first line of password_file, when set), SELECT database, ROLE
 *	(anything but a master is refused: a replica cannot count) and
 *	SCRIPT LOAD.  Only when all have answered is the store up.  Every
 *	call, the handshake included, has timeout_ms, enforced by our own
 *	timer (hiredis 0.14 has none for asynchronous calls).  A call that
 *	times out or fails, or a dropped connection, marks the store down:
 *	the connection is closed (every call in flight is answered by the
 *	fallback at once) and a new one is tried after a backoff that
 *	doubles from 100 ms to 5 s.  EVALSHA answered NOSCRIPT (a restart
 *	or SCRIPT FLUSH) is sent again once as EVAL, which loads the
 *	script.
 *
 *	While down, requests are answered at once by on_error: "local"
 *	runs them against the fallback memory store with every limit
 *	scaled by local_share (result status 0), "tempfail" and "accept"
 *	answer status RL_ERR for the caller to act on (pd_decide(3h)).
 *	Each switch between shared and local counting is logged once.
 *
 *	Metrics: gatepost_store_up (gauge), gatepost_store_requests_total
 *	{result="ok|error|timeout|down"}, gatepost_store_seconds
 *	(histogram of answered calls), gatepost_store_fallback_total
 *	(requests answered by on_error).
 *
 *	pd_redis_configure() applies a new store block (a reload): when
 *	the server, credentials or database change, the connection is
 *	replaced; calls in flight are answered by the fallback; policy
 *	connections are not dropped.  It returns -1 with a reason when the
 *	password file cannot be read (the old settings stay).
 *	pd_redis_test_clock() (tests only) makes the script take each
 *	request's own now instead of the server's TIME.
 *	Single-threaded: the event loop owns it.
 * SEE ALSO
 *	ratelimit(3h), rl_lua.c, hiredis async API
 */
#ifndef GP_PD_REDIS_H
#define GP_PD_REDIS_H

#include <stddef.h>

#include <event2/event.h>

#include "cfg.h"
#include "metrics.h"
#include "ratelimit.h"

struct rl_store *pd_redis_new(struct event_base *, struct metrics *,
	    struct rl_store *local);
int	pd_redis_configure(struct rl_store *, const struct cfg_store *,
	    char *, size_t);
int	pd_redis_is(const struct rl_store *);
int	pd_redis_up(const struct rl_store *);
void	pd_redis_test_clock(struct rl_store *, int);

#endif
