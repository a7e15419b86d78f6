/* pd_redis_conn.c - the Redis store's connection: handshake, backoff */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/adapters/libevent.h>

#include "log.h"
#include "pd_redis_int.h"
#include "xalloc.h"

static int server_split(const char *, char *, size_t, int *);
static void hs_send(struct rs *, enum hs_step, int, const char **);
static void connect_cb(const redisAsyncContext *, int);
static void disconnect_cb(const redisAsyncContext *, int);
static void hs_cb(redisAsyncContext *, void *, void *);
static int is_master(const redisReply *);
static void connect_to(struct rs *, const char *);
static void ask_sentinel(struct rs *);
static void sentinel_cb(redisAsyncContext *, void *, void *);
static void retry_cb(evutil_socket_t, short, void *);
static void hs_timeout_cb(evutil_socket_t, short, void *);

/* rs_timers - the reconnect and handshake timers */
void
rs_timers(struct rs *rs)
{
	rs->retry_ev = evtimer_new(rs->base, retry_cb, rs);
	rs->hs_ev = evtimer_new(rs->base, hs_timeout_cb, rs);
	if (rs->retry_ev == NULL || rs->hs_ev == NULL)
		log_panic("libevent: cannot create the store's timers");
}

/* rs_switch - log a change between shared and local counting, once */
void
rs_switch(struct rs *rs, enum rs_mode mode, const char *why)
{
	static const char *const what[] = {
		"counting locally, each limit times local_share",
		"answering 451 4.3.0 where a limit applies",
		"letting mail pass its rate limits"
	};

	metrics_set(rs->m_up, mode == RS_MODE_SHARED);
	if (rs->mode == mode)
		return;
	rs->mode = mode;
	if (mode == RS_MODE_SHARED)
		log_info("rate-limit store: redis %s answers; counting in the "
		    "shared store", rs->where);
	else
		log_warn("rate-limit store: redis %s unavailable (%s); "
		    "policyd.store.on_error: %s", rs->where, why,
		    what[rs->c.on_error]);
}

/* server_split - "HOST:PORT" or "[v6]:PORT" into host and port */
static int
server_split(const char *s, char *host, size_t hlen, int *port)
{
	const char *colon = strrchr(s, ':');
	size_t	 n;

	if (colon == NULL)
		return -1;
	n = (size_t)(colon - s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= hlen)
		return -1;
	memcpy(host, s, n);
	host[n] = '\0';
	*port = atoi(colon + 1);
	return *port > 0 && *port < 65536 ? 0 : -1;
}

/* hs_send - one handshake command */
static void
hs_send(struct rs *rs, enum hs_step step, int argc, const char **argv)
{
	if (redisAsyncCommandArgv(rs->ac, hs_cb, (void *)(intptr_t)step, argc,
	    argv, NULL) == REDIS_OK)
		rs->hs_left++;
}

/* rs_connect - connect to the server, or ask a Sentinel first */
void
rs_connect(struct rs *rs)
{
	if (rs->c.master != NULL) {
		rs->sent_tries = 0;
		ask_sentinel(rs);
		return;
	}
	(void)snprintf(rs->where, sizeof(rs->where), "%s", rs->c.server);
	connect_to(rs, rs->c.server);
}

/* connect_to - open a connection to spec and queue the handshake */
static void
connect_to(struct rs *rs, const char *spec)
{
	struct timeval tv = { rs->c.timeout_ms / 1000,
	    (rs->c.timeout_ms % 1000) * 1000 };
	const char *argv[3];
	char	 host[256], db[16];
	int	 port;

	if (strncmp(spec, "unix:", 5) == 0)
		rs->ac = redisAsyncConnectUnix(spec + 5);
	else if (server_split(spec, host, sizeof(host), &port) == 0)
		rs->ac = redisAsyncConnect(host, port);
	if (rs->ac == NULL || rs->ac->err) {
		if (rs->ac != NULL)
			redisAsyncFree(rs->ac);
		rs->ac = NULL;
		rs_down(rs, "cannot connect");
		return;
	}
	rs->ac->data = rs;
	rs->state = RS_CONNECTING;
	rs->hs_left = 0;
	(void)redisLibeventAttach(rs->ac, rs->base);
	(void)redisAsyncSetConnectCallback(rs->ac, connect_cb);
	(void)redisAsyncSetDisconnectCallback(rs->ac, disconnect_cb);
	if (rs->password != NULL) {
		argv[0] = "AUTH";
		argv[1] = rs->c.user != NULL ? rs->c.user : rs->password;
		argv[2] = rs->password;
		hs_send(rs, HS_AUTH, rs->c.user != NULL ? 3 : 2, argv);
	}
	if (rs->c.database != 0) {
		(void)snprintf(db, sizeof(db), "%u", rs->c.database);
		argv[0] = "SELECT";
		argv[1] = db;
		hs_send(rs, HS_SELECT, 2, argv);
	}
	argv[0] = "ROLE";
	hs_send(rs, HS_ROLE, 1, argv);
	argv[0] = "SCRIPT";
	argv[1] = "LOAD";
	argv[2] = rl_lua_script;
	hs_send(rs, HS_LOAD, 3, argv);
	(void)event_add(rs->hs_ev, &tv);
}

/* rs_down - close the connection, answer what is in flight, retry */
void
rs_down(struct rs *rs, const char *why)
{
	struct timeval tv = { rs->backoff / 1000, (rs->backoff % 1000) * 1000 };
	redisAsyncContext *ac = rs->ac;

	rs->ac = NULL;
	rs->state = RS_DOWN;
	(void)event_del(rs->hs_ev);
	rs_close_sentinel(rs);
	rs_switch(rs, RS_MODE_LOCAL, why);
	if (!event_pending(rs->retry_ev, EV_TIMEOUT, NULL)) {
		(void)event_add(rs->retry_ev, &tv);
		rs->backoff = rs->backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX :
		    rs->backoff * 2;
	}
	/* pending calls get a NULL reply: answered by the fallback */
	if (ac != NULL)
		redisAsyncFree(ac);
}

/* retry_cb - the backoff is over: try again */
static void
retry_cb(evutil_socket_t fd, short what, void *arg)
{
	struct rs *rs = arg;

	if (rs->ac == NULL)
		rs_connect(rs);
}

/* hs_timeout_cb - the handshake (or a Sentinel) did not answer in time */
static void
hs_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct rs *rs = arg;

	if (rs->state == RS_ASKING) {
		rs_close_sentinel(rs);
		ask_sentinel(rs);
		return;
	}
	rs_down(rs, "no answer to the handshake within timeout_ms");
}

/* rs_close_sentinel - drop the Sentinel connection, if any */
void
rs_close_sentinel(struct rs *rs)
{
	redisAsyncContext *sac = rs->sac;

	rs->sac = NULL;
	if (sac != NULL)
		redisAsyncFree(sac);
}

/* ask_sentinel - ask the next sentinel where the master is */
static void
ask_sentinel(struct rs *rs)
{
	struct timeval tv = { rs->c.timeout_ms / 1000,
	    (rs->c.timeout_ms % 1000) * 1000 };
	const char *argv[3] = { "SENTINEL", "get-master-addr-by-name",
	    rs->c.master };
	const char *spec;
	char	 host[256];
	int	 port;

	(void)snprintf(rs->where, sizeof(rs->where), "sentinel master %s",
	    rs->c.master);
	if (rs->sent_tries >= rs->c.sentinels.n) {
		rs_down(rs, "no sentinel named the master");
		return;
	}
	spec = rs->c.sentinels.v[rs->sent_next++ % rs->c.sentinels.n];
	rs->sent_tries++;
	rs->state = RS_ASKING;
	if (server_split(spec, host, sizeof(host), &port) != 0 ||
	    (rs->sac = redisAsyncConnect(host, port)) == NULL ||
	    rs->sac->err) {
		if (rs->sac != NULL)
			redisAsyncFree(rs->sac);
		rs->sac = NULL;
		ask_sentinel(rs);
		return;
	}
	rs->sac->data = rs;
	(void)redisLibeventAttach(rs->sac, rs->base);
	if (redisAsyncCommandArgv(rs->sac, sentinel_cb, NULL, 3, argv,
	    NULL) != REDIS_OK) {
		rs_close_sentinel(rs);
		ask_sentinel(rs);
		return;
	}
	(void)event_add(rs->hs_ev, &tv);
}

/* sentinel_cb - the master's address, then connect to it */
static void
sentinel_cb(redisAsyncContext *sac, void *r, void *priv)
{
	struct rs *rs = sac->data;
	redisReply *rep = r;
	char	 addr[300];

	if (rs == NULL || rs->sac != sac)
		return;			/* one we closed */
	rs->sac = NULL;
	(void)event_del(rs->hs_ev);
	if (rep == NULL || rep->type != REDIS_REPLY_ARRAY ||
	    rep->elements != 2 || rep->element[0]->type !=
	    REDIS_REPLY_STRING || rep->element[1]->type != REDIS_REPLY_STRING) {
		if (rep != NULL)
			redisAsyncFree(sac);
		ask_sentinel(rs);
		return;
	}
	(void)snprintf(addr, sizeof(addr), strchr(rep->element[0]->str, ':') ?
	    "[%.200s]:%.10s" : "%.200s:%.10s", rep->element[0]->str,
	    rep->element[1]->str);
	redisAsyncFree(sac);
	(void)snprintf(rs->where, sizeof(rs->where), "%.180s (sentinel master "
	    "%.100s)", addr, rs->c.master);
	rs->sent_tries = 0;
	connect_to(rs, addr);
}

/* connect_cb - only failures matter: hiredis frees the context */
static void
connect_cb(const redisAsyncContext *ac, int status)
{
	struct rs *rs = ac->data;

	if (status == REDIS_OK || rs == NULL || rs->ac != ac)
		return;
	rs->ac = NULL;
	rs_down(rs, ac->errstr[0] != '\0' ? ac->errstr : "cannot connect");
}

/* disconnect_cb - the server went away: hiredis frees the context */
static void
disconnect_cb(const redisAsyncContext *ac, int status)
{
	struct rs *rs = ac->data;

	if (rs == NULL || rs->ac != ac)
		return;			/* one we closed ourselves */
	rs->ac = NULL;
	rs_down(rs, ac->errstr[0] != '\0' ? ac->errstr : "connection closed");
}

/* is_master - a ROLE reply that says master */
static int
is_master(const redisReply *rep)
{
	return rep->type == REDIS_REPLY_ARRAY && rep->elements >= 1 &&
	    rep->element[0]->type == REDIS_REPLY_STRING &&
	    strcmp(rep->element[0]->str, "master") == 0;
}

/* hs_cb - one handshake reply; the store is up after the last */
static void
hs_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct rs *rs = ac->data;
	redisReply *rep = r;
	enum hs_step step = (enum hs_step)(intptr_t)priv;
	char	 why[160];

	if (rep == NULL || rs == NULL || rs->ac != ac)
		return;
	if (rep->type == REDIS_REPLY_ERROR) {
		(void)snprintf(why, sizeof(why), "%s: %.100s", step == HS_AUTH ?
		    "AUTH" : step == HS_SELECT ? "SELECT" : step == HS_ROLE ?
		    "ROLE" : "SCRIPT LOAD", rep->str);
		rs_down(rs, why);
		return;
	}
	if (step == HS_ROLE && !is_master(rep)) {
		rs_down(rs, "the server is not a master (ROLE)");
		return;
	}
	if (step == HS_LOAD) {
		if (rep->type != REDIS_REPLY_STRING || rep->len != 40) {
			rs_down(rs, "SCRIPT LOAD: unexpected reply");
			return;
		}
		memcpy(rs->sha, rep->str, 40);
		rs->sha[40] = '\0';
	}
	if (--rs->hs_left > 0)
		return;
	(void)event_del(rs->hs_ev);
	rs->state = RS_UP;
	rs->backoff = BACKOFF_MIN;
	rs_switch(rs, RS_MODE_SHARED, NULL);
}

