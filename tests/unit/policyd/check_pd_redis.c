/* check_pd_redis.c - the Redis store against a private redis-server */
#include "config.h"

#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <hiredis/hiredis.h>

#include "file.h"
#include "log.h"
#include "pd_decide.h"
#include "pd_redis.h"
#include "redis_stub.h"
#include "rl_table.h"
#include "unit.h"

static const uint64_t seed[2] = { 7, 11 };

struct fx {
	struct event_base *base;
	struct metrics *m;
	struct rl_store *st;
	struct redis_stub r;
	struct cfg_store c;
};

/* pump - one turn of the event loop, at most 50 ms */
static void
pump(void *arg)
{
	struct fx *f = arg;
	struct timeval tv = { 0, 50000 };

	(void)event_base_loopexit(f->base, &tv);
	(void)event_base_loop(f->base, EVLOOP_ONCE);
}

/* now_ms - monotonic milliseconds */
static long long
now_ms(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* wait_up - pump until the store is up (or down), at most ms */
static int
wait_state(struct fx *f, int up, long long ms)
{
	long long end = now_ms() + ms;

	while (pd_redis_up(f->st) != up && now_ms() < end)
		pump(f);
	return pd_redis_up(f->st) == up;
}

/* fx_server - redis-server with extra arguments, a store not yet
 * configured for it */
static void
fx_server(struct fx *f, enum cfg_store_err on_error, int test_clock,
    const char *const *extra)
{
	memset(f, 0, sizeof(*f));
	(void)signal(SIGPIPE, SIG_IGN);
	log_open("check_pd_redis", 1, 0);
	ck_assert_int_eq(redis_stub_start(&f->r, extra), 0);
	f->base = event_base_new();
	f->m = metrics_new();
	f->st = pd_redis_new(f->base, f->m, rl_mem_new(seed));
	pd_redis_test_clock(f->st, test_clock);
	cfg_store_defaults(&f->c);
	f->c.type = CFG_STORE_REDIS;
	f->c.server = strdup(f->r.server);
	free(f->c.prefix);
	f->c.prefix = strdup("gptest:");
	f->c.timeout_ms = 200;
	f->c.on_error = on_error;
}

/* fx_start - redis-server, a store configured for it, connected */
static void
fx_start(struct fx *f, enum cfg_store_err on_error, int test_clock)
{
	char	 why[256];

	fx_server(f, on_error, test_clock, NULL);
	ck_assert_int_eq(pd_redis_configure(f->st, &f->c, why, sizeof(why)),
	    0);
	ck_assert_msg(wait_state(f, 1, 5000), "store not up");
}

/* fx_end - free everything, stop the server */
static void
fx_end(struct fx *f)
{
	f->st->ops->free(f->st);
	cfg_store_free(&f->c);
	metrics_free(f->m);
	event_base_free(f->base);
	redis_stub_free(&f->r);
}

/* one - a request of one blocking item: key, limit, n */
static void
one(struct rl_req *req, enum rl_op op, const char *key, uint64_t limit,
    uint64_t now)
{
	rl_table_req1(req, op, "t", 100, key, now, 3600, limit);
}

/* charge - one charge of key through the store of f; its status */
static int
charge(struct fx *f, struct rl_req *req, const char *key, uint64_t limit,
    uint64_t now, struct rl_result *res)
{
	one(req, RL_OP_CHARGE, key, limit, now);
	return rl_table_call(f->st, req, pump, f, res);
}

START_TEST(shared_table_redis)
{
	struct fx f;

	fx_start(&f, CFG_STORE_TEMPFAIL, 1);
	rl_table_run(f.st, pump, &f, "redis");
	fx_end(&f);
}
END_TEST

START_TEST(keys_prefix_and_ttl)
{
	static struct rl_req req;
	struct rl_result res;
	redisReply *rep;
	struct fx f;

	fx_start(&f, CFG_STORE_TEMPFAIL, 0);
	ck_assert_int_eq(charge(&f, &req, "login", 10, 0, &res), 0);
	ck_assert_int_eq(res.charged, 1);
	/* the server's clock, not ours */
	rep = redis_stub_cmd(&f.r, "TIME");
	ck_assert_ptr_nonnull(rep);
	ck_assert_int_le(llabs(atoll(rep->element[0]->str) -
	    (long long)res.now), 2);
	freeReplyObject(rep);
	rep = redis_stub_cmd(&f.r, "TTL gptest:login");
	ck_assert_ptr_nonnull(rep);
	ck_assert_int_gt(rep->integer, 3600);
	ck_assert_int_le(rep->integer, 3 * 3600);
	freeReplyObject(rep);
	rep = redis_stub_cmd(&f.r, "DBSIZE");
	ck_assert_int_eq(rep->integer, 1);
	freeReplyObject(rep);
	fx_end(&f);
}
END_TEST

START_TEST(noscript_reloads)
{
	static struct rl_req req;
	struct rl_result res;
	redisReply *rep;
	struct fx f;

	fx_start(&f, CFG_STORE_TEMPFAIL, 1);
	ck_assert_int_eq(charge(&f, &req, "login", 10, 1000, &res), 0);
	rep = redis_stub_cmd(&f.r, "SCRIPT FLUSH");
	ck_assert_ptr_nonnull(rep);
	freeReplyObject(rep);
	/* NOSCRIPT: sent again as EVAL, answered, and the count kept */
	ck_assert_int_eq(rl_table_call(f.st, &req, pump, &f, &res), 0);
	ck_assert_uint_eq(res.count[0], 1);
	ck_assert_int_eq(res.charged, 1);
	ck_assert(pd_redis_up(f.st));
	fx_end(&f);
}
END_TEST

static const struct err_case {
	const char *name;
	enum cfg_store_err on_error;
	int	 status;		/* want */
	unsigned passed;		/* of 4 with limit 4 */
} err_cases[] = {
	{ "local: limits times 0.5", CFG_STORE_LOCAL, 0, 2 },
	{ "tempfail: an error for the caller", CFG_STORE_TEMPFAIL, RL_ERR, 0 },
	{ "accept: an error for the caller", CFG_STORE_ACCEPT, RL_ERR, 0 },
};

START_TEST(killed_then_restarted)
{
	const struct err_case *c = &err_cases[_i];
	static struct rl_req req;
	struct rl_result res;
	struct fx f;
	unsigned passed = 0;
	long long t0;
	int	 i;

	fx_start(&f, c->on_error, 0);
	redis_stub_stop(&f.r);
	for (i = 0; i < 4; i++) {
		one(&req, RL_OP_CHARGE, "login", 4, 0);
		t0 = now_ms();
		ck_assert_int_eq(rl_table_call(f.st, &req, pump, &f, &res),
		    c->status);
		ck_assert_msg(now_ms() - t0 <= 200 + 1000, "%s: too slow",
		    c->name);
		passed += res.status == 0 && res.charged;
	}
	ck_assert_msg(passed == c->passed, "%s: got %u, want %u", c->name,
	    passed, c->passed);
	ck_assert(!pd_redis_up(f.st));
	/* back: shared counting resumes, no restart needed */
	ck_assert_int_eq(redis_stub_restart(&f.r), 0);
	ck_assert_msg(wait_state(&f, 1, 8000), "%s: no reconnect", c->name);
	ck_assert_int_eq(charge(&f, &req, "login", 4, 0, &res), 0);
	ck_assert_int_eq(res.charged, 1);
	fx_end(&f);
}
END_TEST

START_TEST(stalled_server_times_out)
{
	static struct rl_req req;
	struct rl_result res;
	struct fx f;
	long long t0, dt;

	fx_start(&f, CFG_STORE_TEMPFAIL, 0);
	redis_stub_signal(&f.r, SIGSTOP);
	one(&req, RL_OP_CHARGE, "login", 4, 0);
	t0 = now_ms();
	ck_assert_int_eq(rl_table_call(f.st, &req, pump, &f, &res), RL_ERR);
	dt = now_ms() - t0;
	ck_assert_msg(dt >= 150 && dt <= 200 + 1000, "answered in %lld ms",
	    dt);
	ck_assert(!pd_redis_up(f.st));
	redis_stub_signal(&f.r, SIGCONT);
	ck_assert_msg(wait_state(&f, 1, 8000), "no recovery after SIGCONT");
	fx_end(&f);
}
END_TEST

START_TEST(replica_refused)
{
	struct redis_stub master;
	redisReply *rep;
	struct fx f;

	/* the fixture's server becomes a replica of another one */
	fx_start(&f, CFG_STORE_TEMPFAIL, 0);
	ck_assert_int_eq(redis_stub_start(&master, NULL), 0);
	rep = redis_stub_cmd(&f.r, "REPLICAOF 127.0.0.1 1");
	ck_assert_ptr_nonnull(rep);
	freeReplyObject(rep);
	/* drop the connection: the handshake's ROLE now says replica */
	rep = redis_stub_cmd(&f.r, "CLIENT KILL TYPE normal");
	freeReplyObject(rep);
	ck_assert_msg(wait_state(&f, 0, 3000), "still up");
	pump(&f);
	ck_assert_msg(!wait_state(&f, 1, 1500), "a replica was accepted");
	redis_stub_free(&master);
	fx_end(&f);
}
END_TEST

/* secret - a password file of len bytes of 'p' (and a newline) */
static const char *
secret(struct fx *f, const char *text, size_t len)
{
	static char path[256];
	FILE	*fp;
	size_t	 i;

	(void)snprintf(path, sizeof(path), "%s/secret", f->r.dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	if (text != NULL)
		(void)fputs(text, fp);
	for (i = 0; text == NULL && i < len; i++)
		(void)fputc('p', fp);
	(void)fclose(fp);
	return path;
}

static const char *const acl[] = {
	"--requirepass", "not-for-gatepost",
	"--user", "gatepost", "on", ">s3cret", "~gptest:*", "+@all", NULL
};

START_TEST(acl_user_and_password_file)
{
	static struct rl_req req;
	struct rl_result res;
	struct fx f;
	char	 why[256];

	fx_server(&f, CFG_STORE_TEMPFAIL, 0, acl);
	f.c.user = strdup("gatepost");
	f.c.password_file = strdup(secret(&f, "s3cret\nignored second line\n",
	    0));
	ck_assert_int_eq(pd_redis_configure(f.st, &f.c, why, sizeof(why)),
	    0);
	ck_assert_msg(wait_state(&f, 1, 5000), "not up with the ACL user");
	ck_assert_int_eq(charge(&f, &req, "login", 10, 0, &res), 0);
	ck_assert_int_eq(res.charged, 1);
	/* a wrong password: the store stays down (SIGHUP-style reconfigure) */
	(void)secret(&f, "wrong\n", 0);
	ck_assert_int_eq(pd_redis_configure(f.st, &f.c, why, sizeof(why)),
	    0);
	ck_assert_msg(!wait_state(&f, 1, 1500), "up with a wrong password");
	ck_assert_int_eq(rl_table_call(f.st, &req, pump, &f, &res), RL_ERR);
	fx_end(&f);
}
END_TEST

static const struct pw_case {
	const char *name;
	size_t	 len;
	int	 want;
} pw_cases[] = {
	{ "511 bytes", 511, 0 },
	{ "512 bytes: the most", 512, 0 },
	{ "513 bytes: refused", 513, -1 },
};

START_TEST(password_file_bound)
{
	const struct pw_case *c = &pw_cases[_i];
	struct fx f;
	char	 why[256];

	fx_server(&f, CFG_STORE_TEMPFAIL, 0, NULL);
	f.c.password_file = strdup(secret(&f, NULL, c->len));
	ck_assert_msg(pd_redis_configure(f.st, &f.c, why, sizeof(why)) ==
	    c->want, "%s", c->name);
	if (c->want < 0)
		ck_assert_msg(strstr(why, "longer than 512 bytes") != NULL,
		    "%s: %s", c->name, why);
	/* and a file that is not there */
	free(f.c.password_file);
	f.c.password_file = strdup("/nonexistent/secret");
	ck_assert_int_eq(pd_redis_configure(f.st, &f.c, why, sizeof(why)), -1);
	fx_end(&f);
}
END_TEST

START_TEST(reconfigure_moves_to_another_server)
{
	static struct rl_req req;
	struct redis_stub other;
	struct rl_result res;
	redisReply *rep;
	struct fx f;
	char	 why[256];

	fx_start(&f, CFG_STORE_TEMPFAIL, 0);
	ck_assert_int_eq(redis_stub_start(&other, NULL), 0);
	free(f.c.server);
	f.c.server = strdup(other.server);
	ck_assert_int_eq(pd_redis_configure(f.st, &f.c, why, sizeof(why)),
	    0);
	ck_assert_msg(wait_state(&f, 1, 5000), "not up on the new server");
	ck_assert_int_eq(charge(&f, &req, "moved", 10, 0, &res), 0);
	rep = redis_stub_cmd(&other, "DBSIZE");
	ck_assert_int_eq(rep->integer, 1);
	freeReplyObject(rep);
	rep = redis_stub_cmd(&f.r, "DBSIZE");
	ck_assert_int_eq(rep->integer, 0);
	freeReplyObject(rep);
	redis_stub_free(&other);
	fx_end(&f);
}
END_TEST

static struct pd_answer last;
static int n_answers;

static void
resumed(void *owner, const struct pd_answer *a)
{
	last = *a;
	n_answers++;
}

/* decide - one RCPT request through pd_decide; waits for the store */
static const char *
decide(struct fx *f, struct pd_env *env, struct pd_sess *s,
    const char *inst, const char *client)
{
	static struct pd_answer a;
	struct pd_request r;
	size_t	 i;
	int	 before = n_answers;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < PD_A__COUNT; i++)
		r.v[i] = "";
	r.v[PD_A_REQUEST] = "smtpd_access_policy";
	r.v[PD_A_PROTOCOL_STATE] = "RCPT";
	r.v[PD_A_INSTANCE] = inst;
	r.v[PD_A_CLIENT_ADDRESS] = client;
	r.v[PD_A_SENDER] = "x@example.net";
	r.v[PD_A_RECIPIENT] = "y@example.com";
	r.v[PD_A_RECIPIENT_COUNT] = "0";
	r.v[PD_A_POLICY_CONTEXT] = "inbound";
	if (pd_decide(env, s, &r, (uint64_t)time(NULL), &a) == 0)
		return a.action;
	for (i = 0; i < 200 && n_answers == before; i++)
		pump(f);
	ck_assert_msg(n_answers > before, "no answer");
	return last.action;
}

START_TEST(decide_through_redis)
{
	static const char text[] =
	"{ \"version\": 1, \"instances\": [\n"
	"  { \"name\": \"inbound\", \"direction\": \"inbound\",\n"
	"    \"rate_limits\": [ { \"key\": \"client_address\",\n"
	"      \"limit\": 3, \"window\": 3600 } ] } ],\n"
	"  \"policyd\": {} }\n";
	struct cfg_errors errs;
	struct pd_sess s1, s2;
	struct pd_env env;
	struct cfg *cfg;
	struct fx f;
	char	 id[16], addr[64];
	int	 i, ok = 0;

	fx_start(&f, CFG_STORE_TEMPFAIL, 0);
	memset(&errs, 0, sizeof(errs));
	cfg = cfg_parse(text, strlen(text), "t.json", NULL, file_read, &errs);
	ck_assert_ptr_nonnull(cfg);
	cfg_errors_free(&errs);
	pd_env_init(&env, f.m, cfg, f.st);
	env.resume = resumed;
	pd_sess_init(&s1);
	pd_sess_init(&s2);
	/* six addresses of one /64: one limit of 3, in Redis */
	for (i = 0; i < 6; i++) {
		(void)snprintf(id, sizeof(id), "M.%d", i);
		(void)snprintf(addr, sizeof(addr), "2001:db8:0:7::%x",
		    i * 257 + 1);
		ok += strcmp(decide(&f, &env, &s1, id, addr), "DUNNO") == 0;
	}
	ck_assert_int_eq(ok, 3);
	ck_assert_str_eq(last.action,
	    "450 4.7.1 Message rate limit exceeded, try again later");
	/* M.0 asked again on a new connection: not charged again, passes */
	ck_assert_str_eq(decide(&f, &env, &s2, "M.0", "2001:db8:0:7::1"),
	    "DUNNO");
	pd_sess_free(&s1);
	pd_sess_free(&s2);
	f.st = NULL;			/* env owns it now */
	pd_env_free(&env);
	cfg_store_free(&f.c);
	metrics_free(f.m);
	event_base_free(f.base);
	redis_stub_free(&f.r);
}
END_TEST

static void
redis_suite(Suite *s)
{
	TCase	*tc;

	tc = unit_tests(s, "semantics against redis-server",
	    shared_table_redis, keys_prefix_and_ttl, noscript_reloads,
	    reconfigure_moves_to_another_server, decide_through_redis, NULL);
	tcase_set_timeout(tc, 60);
	tc = unit_loop(s, "faults", killed_then_restarted, NELEM(err_cases));
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, stalled_server_times_out);
	tcase_add_test(tc, replica_refused);
	tcase_add_test(tc, acl_user_and_password_file);
	tcase_add_loop_test(tc, password_file_bound, 0, NELEM(pw_cases));
}

UNIT_MAIN("pd_redis", redis_suite)
