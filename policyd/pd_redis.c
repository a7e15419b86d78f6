/* pd_redis.c - the Redis rate-limit store: calls, fallback, metrics */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "file.h"
#include "log.h"
#include "pd_redis_int.h"
#include "xalloc.h"

static void rs_run(struct rl_store *, const struct rl_req *, rl_done_fn *,
	    void *);
static void rs_expire(struct rl_store *, uint64_t, size_t);
static size_t rs_count(const struct rl_store *);
static void rs_free(struct rl_store *);
static void fallback(struct rs *, const struct rl_req *, rl_done_fn *,
	    void *);
static void call_fail(struct call *, struct metrics_series *);
static void call_free(struct call *);
static void reply_cb(redisAsyncContext *, void *, void *);
static void timeout_cb(evutil_socket_t, short, void *);

static const struct rl_store_ops rs_ops = {
	rs_run, rs_expire, rs_count, rs_free
};

/* pd_redis_new - a Redis store, not yet configured; consumes local */
struct rl_store *
pd_redis_new(struct event_base *base, struct metrics *m,
    struct rl_store *local)
{
	static const double b[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01,
	    0.025, 0.05, 0.1, 0.25, 0.5, 1 };
	static const char *const res_l[] = { "result", NULL };
	static const char *const ok[] = { "ok" }, *const err[] = { "error" };
	static const char *const to[] = { "timeout" }, *const dn[] = { "down" };
	struct metrics_family *f;
	struct rs *rs = xcalloc(1, sizeof(*rs));

	rs->store.ops = &rs_ops;
	rs->base = base;
	rs->local = local;
	cfg_store_defaults(&rs->c);
	rs->backoff = BACKOFF_MIN;
	rs_timers(rs);
	f = metrics_family(m, "gatepost_store_up", "1 when the shared "
	    "rate-limit store (Redis) answers, 0 while counting falls back "
	    "to policyd.store.on_error.", METRICS_GAUGE, NULL, NULL, 0);
	rs->m_up = metrics_series(f, NULL);
	f = metrics_family(m, "gatepost_store_requests_total", "Calls to the "
	    "shared rate-limit store, by result.", METRICS_COUNTER, res_l,
	    NULL, 0);
	rs->m_ok = metrics_series(f, ok);
	rs->m_err = metrics_series(f, err);
	rs->m_timeout = metrics_series(f, to);
	rs->m_down = metrics_series(f, dn);
	f = metrics_family(m, "gatepost_store_seconds", "Seconds from sending "
	    "a store call to its answer.", METRICS_HISTOGRAM, NULL, b,
	    sizeof(b) / sizeof(b[0]));
	rs->m_seconds = metrics_series(f, NULL);
	f = metrics_family(m, "gatepost_store_fallback_total", "Rate-limit "
	    "requests answered by policyd.store.on_error because the store "
	    "did not.", METRICS_COUNTER, NULL, NULL, 0);
	rs->m_fallback = metrics_series(f, NULL);
	return &rs->store;
}

/* pd_redis_is - is this store a Redis store? */
int
pd_redis_is(const struct rl_store *st)
{
	return st->ops == &rs_ops;
}

/* pd_redis_up - is the store answering? */
int
pd_redis_up(const struct rl_store *st)
{
	return ((const struct rs *)st)->state == RS_UP;
}

/* pd_redis_test_clock - tests only: the script takes req->now */
void
pd_redis_test_clock(struct rl_store *st, int on)
{
	((struct rs *)st)->test_clock = on;
}

/* read_password - the first line of a file; NULL with a reason */
static char *
read_password(const char *path, char *why, size_t whylen)
{
	char	*text, *p, r[128];
	size_t	 len;

	if ((text = file_read(path, &len, r, sizeof(r))) == NULL) {
		(void)snprintf(why, whylen, "password_file %s: %s", path, r);
		return NULL;
	}
	if (len > PASS_MAX) {
		explicit_bzero(text, len);
		free(text);
		(void)snprintf(why, whylen, "password_file %s: longer than %d "
		    "bytes", path, PASS_MAX);
		return NULL;
	}
	if ((p = strpbrk(text, "\r\n")) != NULL)
		*p = '\0';
	return text;
}

/* same_str - both NULL, or equal */
static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* same_list - two sentinel lists, equal */
static int
same_list(const struct cfg_strv *a, const struct cfg_strv *b)
{
	size_t	 i;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]) != 0)
			return 0;
	return 1;
}

/* store_copy - a deep copy of a store block into dst (freed first) */
static void
store_copy(struct cfg_store *dst, const struct cfg_store *c)
{
	size_t	 i;

	cfg_store_free(dst);
	*dst = *c;
	dst->server = c->server != NULL ? xstrdup(c->server) : NULL;
	dst->master = c->master != NULL ? xstrdup(c->master) : NULL;
	dst->user = c->user != NULL ? xstrdup(c->user) : NULL;
	dst->password_file = c->password_file != NULL ?
	    xstrdup(c->password_file) : NULL;
	dst->prefix = xstrdup(c->prefix);
	dst->sentinels.v = xcalloc(c->sentinels.n + 1, sizeof(char *));
	for (i = 0; i < c->sentinels.n; i++)
		dst->sentinels.v[i] = xstrdup(c->sentinels.v[i]);
}

/* pd_redis_configure - apply a store block; reconnect when it changed */
int
pd_redis_configure(struct rl_store *st, const struct cfg_store *c,
    char *why, size_t whylen)
{
	struct rs *rs = (struct rs *)st;
	char	*pw = NULL;
	int	 changed;

	if (c->password_file != NULL &&
	    (pw = read_password(c->password_file, why, whylen)) == NULL)
		return -1;
	changed = !rs->configured || !same_str(rs->c.server, c->server) ||
	    !same_str(rs->c.master, c->master) ||
	    !same_list(&rs->c.sentinels, &c->sentinels) ||
	    !same_str(rs->c.user, c->user) || !same_str(rs->password, pw) ||
	    rs->c.database != c->database;
	store_copy(&rs->c, c);
	rs->configured = 1;
	if (rs->password != NULL)
		explicit_bzero(rs->password, strlen(rs->password));
	free(rs->password);
	rs->password = pw;
	if (!changed)
		return 0;
	if (rs->ac != NULL || rs->sac != NULL)
		rs_down(rs, "the store settings changed");
	(void)event_del(rs->retry_ev);
	rs_connect(rs);
	return 0;
}

/* fallback - answer by on_error, at once */
static void
fallback(struct rs *rs, const struct rl_req *req, rl_done_fn *done,
    void *arg)
{
	struct rl_result res;
	struct rl_req *r;

	metrics_add(rs->m_fallback, 1);
	if (rs->c.on_error != CFG_STORE_LOCAL) {
		memset(&res, 0, sizeof(res));
		res.status = RL_ERR;
		done(arg, &res);
		return;
	}
	r = xmalloc(sizeof(*r));
	*r = *req;
	rl_scale(r, rs->c.local_share);
	if (r->now == 0)
		r->now = (uint64_t)time(NULL);
	rs->local->ops->run(rs->local, r, done, arg);
	free(r);
}

/* call_send - EVALSHA, or EVAL once the script was missing */
static int
call_send(struct call *c)
{
	c->argv[0] = c->retried ? "EVAL" : "EVALSHA";
	c->argvlen[0] = strlen(c->argv[0]);
	c->argv[1] = c->retried ? rl_lua_script : c->rs->sha;
	c->argvlen[1] = strlen(c->argv[1]);
	return redisAsyncCommandArgv(c->rs->ac, reply_cb, c, c->argc, c->argv,
	    c->argvlen) == REDIS_OK ? 0 : -1;
}

/* rs_run - one request as one script call */
static void
rs_run(struct rl_store *st, const struct rl_req *req, rl_done_fn *done,
    void *arg)
{
	struct rs *rs = (struct rs *)st;
	struct timeval tv = { rs->c.timeout_ms / 1000,
	    (rs->c.timeout_ms % 1000) * 1000 };
	struct call *c;
	size_t	 n, len, max;
	char	 nk[16];

	if (rs->state != RS_UP) {
		metrics_add(rs->m_down, 1);
		fallback(rs, req, done, arg);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->rs = rs;
	c->done = done;
	c->arg = arg;
	c->req = *req;
	if (!rs->test_clock)
		c->req.now = 0;
	max = 3 + rl_lua_argc(req);
	len = req->n * (strlen(rs->c.prefix) + RL_KEY_MAX + 1) + 64 * max + 16;
	c->buf = xmalloc(len);
	c->argv = xcalloc(max, sizeof(*c->argv));
	c->argvlen = xcalloc(max, sizeof(*c->argvlen));
	n = rl_lua_args(&c->req, rs->c.prefix, c->buf + 16, len - 16,
	    c->argv + 3, c->argvlen + 3, max - 3);
	(void)snprintf(nk, sizeof(nk), "%zu", req->n);
	memcpy(c->buf, nk, strlen(nk) + 1);
	c->argv[2] = c->buf;
	c->argvlen[2] = strlen(nk);
	c->argc = (int)(n + 3);
	(void)clock_gettime(CLOCK_MONOTONIC, &c->t0);
	if (n == 0 || call_send(c) < 0) {
		/* not sent: no reply will come to free it */
		call_fail(c, rs->m_err);
		call_free(c);
		return;
	}
	/* sent: from here on only reply_cb() frees it */
	if ((c->timer = evtimer_new(rs->base, timeout_cb, c)) == NULL) {
		call_fail(c, rs->m_err);
		return;
	}
	(void)event_add(c->timer, &tv);
}

/* call_fail - answer a call by on_error */
static void
call_fail(struct call *c, struct metrics_series *why)
{
	if (c->answered)
		return;
	c->answered = 1;
	if (c->timer != NULL)
		(void)event_del(c->timer);
	metrics_add(why, 1);
	fallback(c->rs, &c->req, c->done, c->arg);
}

/* call_free - free a call */
static void
call_free(struct call *c)
{
	if (c->timer != NULL)
		event_free(c->timer);
	free(c->buf);
	free(c->argv);
	free(c->argvlen);
	free(c);
}

/* timeout_cb - no answer in timeout_ms: fall back, drop the connection */
static void
timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct call *c = arg;
	struct rs *rs = c->rs;
	char	 why[96];

	call_fail(c, rs->m_timeout);
	(void)snprintf(why, sizeof(why), "no answer within timeout_ms %u",
	    rs->c.timeout_ms);
	/* the NULL reply for c, from redisAsyncFree(), frees it */
	rs_down(rs, why);
}

/* reply_ok - the script's integer array into a result */
static int
reply_ok(const struct call *c, const redisReply *rep, struct rl_result *res)
{
	long long v[2 + RL_ITEMS_MAX];
	size_t	 i;

	if (rep->type != REDIS_REPLY_ARRAY || rep->elements > 2 + RL_ITEMS_MAX)
		return -1;
	for (i = 0; i < rep->elements; i++) {
		if (rep->element[i]->type != REDIS_REPLY_INTEGER)
			return -1;
		v[i] = rep->element[i]->integer;
	}
	return rl_lua_result(&c->req, v, rep->elements, res);
}

/* reply_cb - the script answered (or the connection went away) */
static void
reply_cb(redisAsyncContext *ac, void *r, void *priv)
{
	struct call *c = priv;
	struct rs *rs = c->rs;
	redisReply *rep = r;
	struct rl_result res;
	struct timespec t1;
	char	 why[160];

	if (c->answered || rep == NULL) {
		call_fail(c, rs->m_err);
		call_free(c);
		return;
	}
	if (rep->type == REDIS_REPLY_ERROR && !c->retried &&
	    strncmp(rep->str, "NOSCRIPT", 8) == 0) {
		c->retried = 1;
		if (call_send(c) == 0)
			return;
	}
	if (reply_ok(c, rep, &res) == 0) {
		c->answered = 1;
		(void)event_del(c->timer);
		(void)clock_gettime(CLOCK_MONOTONIC, &t1);
		metrics_add(rs->m_ok, 1);
		metrics_observe(rs->m_seconds, (double)(t1.tv_sec -
		    c->t0.tv_sec) + (double)(t1.tv_nsec - c->t0.tv_nsec) / 1e9);
		c->done(c->arg, &res);
		call_free(c);
		return;
	}
	(void)snprintf(why, sizeof(why), "unexpected script reply: %.100s",
	    rep->type == REDIS_REPLY_ERROR ? rep->str : "not integers");
	call_fail(c, rs->m_err);
	call_free(c);
	if (rs->ac == ac)
		rs_down(rs, why);
}

/* rs_expire - Redis expires keys itself; the fallback needs sweeping */
static void
rs_expire(struct rl_store *st, uint64_t now, size_t budget)
{
	struct rs *rs = (struct rs *)st;

	rs->local->ops->expire(rs->local, now, budget);
}

/* rs_count - keys of the local fallback (Redis keys are not counted) */
static size_t
rs_count(const struct rl_store *st)
{
	const struct rs *rs = (const struct rs *)st;

	return rs->local->ops->count(rs->local);
}

/* rs_free - close the connection (answering calls in flight), free */
static void
rs_free(struct rl_store *st)
{
	struct rs *rs = (struct rs *)st;
	redisAsyncContext *ac;

	if (rs == NULL)
		return;
	ac = rs->ac;
	rs->ac = NULL;
	rs->state = RS_DOWN;
	if (ac != NULL)
		redisAsyncFree(ac);
	event_free(rs->retry_ev);
	event_free(rs->hs_ev);
	rs->local->ops->free(rs->local);
	cfg_store_free(&rs->c);
	if (rs->password != NULL)
		explicit_bzero(rs->password, strlen(rs->password));
	free(rs->password);
	free(rs);
}
