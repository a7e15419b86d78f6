/*
 * NAME
 *	pd_redis_int 3h
 * SUMMARY
 *	the Redis store's insides, shared by pd_redis.c (calls) and
 *	pd_redis_conn.c (connection, handshake, Sentinel)
 * SYNOPSIS
 *	#include "pd_redis_int.h"
 * DESCRIPTION
 *	rs_connect() starts a connection: to policyd.store.server, or to
 *	the master a Sentinel names (asking the sentinels in turn).
 *	rs_down() closes the connection, answers every call in flight by
 *	on_error and schedules a reconnect with backoff.  rs_switch() logs
 *	a change between shared and local counting once and sets
 *	gatepost_store_up.  Single-threaded.
 * SEE ALSO
 *	pd_redis(3h)
 */
#ifndef GP_PD_REDIS_INT_H
#define GP_PD_REDIS_INT_H

#include <time.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>

#include "pd_redis.h"

#define BACKOFF_MIN	100		/* ms before the first reconnect */
#define BACKOFF_MAX	5000		/* ms between reconnects, at most */
#define PASS_MAX	512		/* bytes of a password */

enum rs_state { RS_DOWN = 0, RS_ASKING, RS_CONNECTING, RS_UP };
enum rs_mode { RS_MODE_NONE = 0, RS_MODE_SHARED, RS_MODE_LOCAL };

struct call {				/* one EVALSHA in flight */
	struct rs *rs;			/* borrowed */
	struct event *timer;		/* owned: timeout_ms */
	rl_done_fn *done;
	void	*arg;
	int	 answered;		/* done() was called */
	int	 retried;		/* NOSCRIPT: sent again as EVAL */
	struct timespec t0;		/* sent */
	char	*buf;			/* owned: argument text */
	const char **argv;		/* owned */
	size_t	*argvlen;		/* owned */
	int	 argc;
	struct rl_req req;		/* copy */
};

struct rs {
	struct rl_store store;		/* first: the generic handle */
	struct event_base *base;	/* borrowed */
	struct rl_store *local;		/* owned: the fallback */
	redisAsyncContext *ac;		/* current connection, or NULL */
	redisAsyncContext *sac;		/* a Sentinel being asked, or NULL */
	size_t	 sent_next;		/* the next sentinel to ask */
	size_t	 sent_tries;		/* asked in this round */
	char	 where[300];		/* the server, for logs */
	enum rs_state state;
	enum rs_mode mode;		/* last logged */
	struct event *retry_ev;		/* owned: reconnect after backoff */
	struct event *hs_ev;		/* owned: handshake timeout */
	unsigned backoff;		/* ms */
	int	 hs_left;		/* handshake replies awaited */
	int	 test_clock;		/* send req->now to the script */
	int	 configured;		/* pd_redis_configure() ran */
	char	 sha[41];		/* of rl_lua_script */
	struct cfg_store c;		/* settings; strings owned */
	char	*password;		/* owned, may be NULL */
	struct metrics_series *m_up, *m_ok, *m_err, *m_timeout, *m_down;
	struct metrics_series *m_seconds, *m_fallback;
};

enum hs_step { HS_AUTH = 1, HS_SELECT, HS_ROLE, HS_LOAD };

void	rs_timers(struct rs *);
void	rs_connect(struct rs *);
void	rs_down(struct rs *, const char *);
void	rs_switch(struct rs *, enum rs_mode, const char *);
void	rs_close_sentinel(struct rs *);

#endif
