/* check_pd_ratelimit.c - rate limits through pd_decide: when, how often */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "log.h"
#include "policyd/pd_decide.h"
#include "unit.h"

static const uint64_t seed[2] = { 3, 4 };

/*
 * A store in front of the memory store that counts calls and can fail
 * (RL_ERR) or hold its answer until answer_held() (an asynchronous
 * store, as Redis is).
 */
enum fake_mode { FAKE_PASS = 0, FAKE_FAIL, FAKE_HOLD };

struct fake {
	struct rl_store store;		/* first */
	struct rl_store *mem;		/* owned */
	enum fake_mode mode;
	int	 calls;
	rl_done_fn *held_fn;		/* a held call */
	void	*held_arg;
	struct rl_req held;
};

static void
fake_run(struct rl_store *st, const struct rl_req *req, rl_done_fn *fn,
    void *arg)
{
	struct fake *f = (struct fake *)st;
	struct rl_result res;

	f->calls++;
	if (f->mode == FAKE_FAIL) {
		memset(&res, 0, sizeof(res));
		res.status = RL_ERR;
		fn(arg, &res);
	} else if (f->mode == FAKE_HOLD) {
		f->held_fn = fn;
		f->held_arg = arg;
		f->held = *req;
	} else
		f->mem->ops->run(f->mem, req, fn, arg);
}

static void
fake_expire(struct rl_store *st, uint64_t now, size_t budget)
{
	struct fake *f = (struct fake *)st;

	f->mem->ops->expire(f->mem, now, budget);
}

static size_t
fake_count(const struct rl_store *st)
{
	const struct fake *f = (const struct fake *)st;

	return f->mem->ops->count(f->mem);
}

static void
fake_free(struct rl_store *st)
{
	struct fake *f = (struct fake *)st;

	f->mem->ops->free(f->mem);
	free(f);
}

static const struct rl_store_ops fake_ops = {
	fake_run, fake_expire, fake_count, fake_free
};

/* answer_held - the held call is answered by the memory store */
static void
answer_held(struct fake *f)
{
	rl_done_fn *fn = f->held_fn;

	ck_assert_ptr_nonnull(fn);
	f->held_fn = NULL;
	f->mem->ops->run(f->mem, &f->held, fn, f->held_arg);
}

struct fx {
	struct metrics *m;
	struct pd_env env;
	struct fake *fake;
	struct pd_answer resumed;	/* the last delayed answer */
	int	 n_resumed;
};

static struct fx *the_fx;

static void
resume(void *owner, const struct pd_answer *a)
{
	the_fx->resumed = *a;
	the_fx->n_resumed++;
}

/* fx_start - an env over the fake store with this config text */
static void
fx_start(struct fx *x, const char *json)
{
	struct cfg_errors errs;
	struct cfg *cfg;

	memset(x, 0, sizeof(*x));
	memset(&errs, 0, sizeof(errs));
	log_open("check_pd_ratelimit", 1, 0);
	cfg = cfg_parse(json, strlen(json), "test.json", NULL, file_read,
	    &errs);
	ck_assert_msg(cfg != NULL, "config: %s", errs.err.n ? errs.err.v[0] :
	    "?");
	cfg_errors_free(&errs);
	x->fake = calloc(1, sizeof(*x->fake));
	x->fake->store.ops = &fake_ops;
	x->fake->mem = rl_mem_new(seed);
	x->m = metrics_new();
	pd_env_init(&x->env, x->m, cfg, &x->fake->store);
	x->env.resume = resume;
	the_fx = x;
}

static void
fx_end(struct fx *x)
{
	pd_env_free(&x->env);
	metrics_free(x->m);
}

/* ask - one request; its answer (or "(waiting)") */
static const char *
ask(struct fx *x, struct pd_sess *s, const char *inst, const char *state,
    const char *login, const char *client, unsigned rcpts, uint64_t now)
{
	static struct pd_answer a;
	struct pd_request r;
	char	 n[16];
	size_t	 i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < PD_A__COUNT; i++)
		r.v[i] = "";
	(void)snprintf(n, sizeof(n), "%u", rcpts);
	r.v[PD_A_REQUEST] = "smtpd_access_policy";
	r.v[PD_A_PROTOCOL_STATE] = state;
	r.v[PD_A_INSTANCE] = inst;
	r.v[PD_A_SASL_USERNAME] = login;
	r.v[PD_A_CLIENT_ADDRESS] = client;
	r.v[PD_A_SENDER] = "someone@example.com";
	r.v[PD_A_RECIPIENT] = strcmp(state, "RCPT") == 0 ? "x@example.net" :
	    "";
	r.v[PD_A_RECIPIENT_COUNT] = n;
	r.v[PD_A_POLICY_CONTEXT] = client[0] != '\0' ? "inbound" : "outbound";
	if (pd_decide(&x->env, s, &r, now, &a) == 1)
		return "(waiting)";
	return a.action;
}

static const char msg_only[] =
"{ \"version\": 1, \"instances\": [\n"
"  { \"name\": \"outbound\", \"direction\": \"outbound\",\n"
"    \"rate_limits\": [ { \"key\": \"sasl_username\", \"limit\": 2,\n"
"      \"window\": 3600, \"action\": \"defer\" } ] } ],\n"
"  \"policyd\": { \"store\": { \"on_error\": \"@\" } } }\n";

static const char msg_and_rcpt[] =
"{ \"version\": 1, \"instances\": [\n"
"  { \"name\": \"outbound\", \"direction\": \"outbound\",\n"
"    \"rate_limits\": [ { \"key\": \"sasl_username\", \"limit\": 2,\n"
"      \"window\": 3600, \"action\": \"defer\" },\n"
"      { \"key\": \"sasl_username\", \"limit\": 4, \"window\": 3600,\n"
"        \"count\": \"recipients\", \"action\": \"defer\" } ] } ],\n"
"  \"policyd\": {} }\n";

/* with - a config text with its "@" replaced by arg */
static const char *
with(const char *text, const char *arg)
{
	static char buf[2048];
	const char *at = strchr(text, '@');

	(void)snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - text), text,
	    arg, at + 1);
	return buf;
}

#define DUNNO	"DUNNO"
#define DEFER	"450 4.7.1 Message rate limit exceeded, try again later"
#define INTERNAL "451 4.3.0 Temporary local problem, try again later"

START_TEST(charged_once_across_connections)
{
	struct fx x;
	struct pd_sess s1, s2, s3;

	fx_start(&x, with(msg_only, "local"));
	pd_sess_init(&s1);
	pd_sess_init(&s2);
	pd_sess_init(&s3);
	ck_assert_str_eq(ask(&x, &s1, "A.1", "RCPT", "alice", "", 0, 100),
	    DUNNO);
	ck_assert_int_eq(x.fake->calls, 1);
	/* Postfix reconnects and asks again about the same message */
	ck_assert_str_eq(ask(&x, &s2, "A.1", "RCPT", "alice", "", 0, 101),
	    DUNNO);
	ck_assert_str_eq(ask(&x, &s3, "A.1", "RCPT", "alice", "", 0, 102),
	    DUNNO);
	ck_assert_int_eq(x.fake->calls, 1);
	/* so one more message fits, and the one after is deferred */
	ck_assert_str_eq(ask(&x, &s1, "A.2", "RCPT", "alice", "", 0, 103),
	    DUNNO);
	ck_assert_str_eq(ask(&x, &s2, "A.3", "RCPT", "alice", "", 0, 104),
	    DEFER);
	pd_sess_free(&s1);
	pd_sess_free(&s2);
	pd_sess_free(&s3);
	fx_end(&x);
}
END_TEST

START_TEST(refused_at_eom_not_counted)
{
	struct fx x;
	struct pd_sess s;

	fx_start(&x, msg_and_rcpt);
	pd_sess_init(&s);
	/* RCPT: a read-only check; nothing counted yet */
	ck_assert_str_eq(ask(&x, &s, "B.1", "RCPT", "bob", "", 0, 100),
	    DUNNO);
	ck_assert_uint_eq(x.fake->store.ops->count(&x.fake->store), 0);
	/* five recipients > 4: deferred at END-OF-MESSAGE, nothing charged,
	 * not even the message limit's slot */
	ck_assert_str_eq(ask(&x, &s, "B.1", "END-OF-MESSAGE", "bob", "", 5,
	    101), DEFER);
	ck_assert_uint_eq(x.fake->store.ops->count(&x.fake->store), 0);
	ck_assert_int_eq(x.fake->calls, 2);
	/* two messages still fit the message limit of 2 */
	ck_assert_str_eq(ask(&x, &s, "B.2", "RCPT", "bob", "", 0, 102),
	    DUNNO);
	ck_assert_str_eq(ask(&x, &s, "B.2", "END-OF-MESSAGE", "bob", "", 1,
	    103), DUNNO);
	ck_assert_str_eq(ask(&x, &s, "B.3", "RCPT", "bob", "", 0, 104),
	    DUNNO);
	ck_assert_str_eq(ask(&x, &s, "B.3", "END-OF-MESSAGE", "bob", "", 1,
	    105), DUNNO);
	/* the third is refused before DATA, by the RCPT check */
	ck_assert_str_eq(ask(&x, &s, "B.4", "RCPT", "bob", "", 0, 106),
	    DEFER);
	/* at most two store calls per message */
	ck_assert_int_eq(x.fake->calls, 7);
	pd_sess_free(&s);
	fx_end(&x);
}
END_TEST

static const struct err_case {
	const char *name, *on_error, *want;
} err_cases[] = {
	{ "tempfail: 451 4.3.0", "tempfail", INTERNAL },
	{ "accept: passes", "accept", DUNNO },
	/* the Redis store answers local itself; a failing store is RL_ERR */
	{ "local with an RL_ERR store: passes", "local", DUNNO },
};

START_TEST(store_failure)
{
	const struct err_case *c = &err_cases[_i];
	struct fx x;
	struct pd_sess s;

	fx_start(&x, with(msg_only, c->on_error));
	x.fake->mode = FAKE_FAIL;
	pd_sess_init(&s);
	ck_assert_msg(strcmp(ask(&x, &s, "C.1", "RCPT", "carol", "", 0, 100),
	    c->want) == 0, "%s", c->name);
	/* the answer is kept for the message: no second call */
	ck_assert_msg(strcmp(ask(&x, &s, "C.1", "RCPT", "carol", "", 0, 101),
	    c->want) == 0, "%s: repeated", c->name);
	ck_assert_int_eq(x.fake->calls, 1);
	pd_sess_free(&s);
	fx_end(&x);
}
END_TEST

START_TEST(answer_waits_for_the_store)
{
	struct fx x;
	struct pd_sess s, t;

	fx_start(&x, with(msg_only, "local"));
	x.fake->mode = FAKE_HOLD;
	pd_sess_init(&s);
	pd_sess_init(&t);
	ck_assert_str_eq(ask(&x, &s, "D.1", "RCPT", "dave", "", 0, 100),
	    "(waiting)");
	ck_assert_int_eq(x.n_resumed, 0);
	/* another connection's request that needs no counter (no login,
	 * so no sasl_username limit applies): answered at once */
	ck_assert_str_eq(ask(&x, &t, "E.1", "RCPT", "", "", 0, 100), DUNNO);
	ck_assert_int_eq(x.fake->calls, 1);
	answer_held(x.fake);
	ck_assert_int_eq(x.n_resumed, 1);
	ck_assert_str_eq(x.resumed.action, DUNNO);
	/* a connection that goes away while waiting is not called back */
	ck_assert_str_eq(ask(&x, &s, "D.2", "RCPT", "dave", "", 0, 101),
	    "(waiting)");
	pd_sess_free(&s);
	answer_held(x.fake);
	ck_assert_int_eq(x.n_resumed, 1);
	pd_sess_free(&t);
	fx_end(&x);
}
END_TEST

START_TEST(inbound_flood_keeps_outbound_limits)
{
	/* the attack from issue 15: 40 inbound keys in a 50-key store */
	static const char two[] =
	"{ \"version\": 1, \"instances\": [\n"
	"  { \"name\": \"inbound\", \"direction\": \"inbound\",\n"
	"    \"rate_limits\": [ { \"key\": \"client_address\", \"limit\": 9,\n"
	"      \"window\": 3600 } ] },\n"
	"  { \"name\": \"outbound\", \"direction\": \"outbound\",\n"
	"    \"rate_limits\": [ { \"key\": \"sasl_username\", \"limit\": 3,\n"
	"      \"window\": 3600 } ] } ],\n"
	"  \"policyd\": { \"max_rate_keys\": 50 } }\n";
	struct fx x;
	struct pd_sess s;
	char	 id[16], ip[32], *text;
	size_t	 len;
	int	 i;

	fx_start(&x, two);
	pd_sess_init(&s);
	for (i = 0; i < 400; i++) {
		(void)snprintf(id, sizeof(id), "F.%d", i);
		(void)snprintf(ip, sizeof(ip), "198.51.%d.%d", i / 250,
		    i % 250);
		ck_assert_str_eq(ask(&x, &s, id, "RCPT", "", ip, 0, 100),
		    DUNNO);
	}
	/* inbound holds its budget (25), no more; evictions are counted */
	ck_assert_uint_eq(x.fake->store.ops->count(&x.fake->store), 25);
	text = metrics_render(x.m, &len);
	ck_assert_msg(strstr(text, "gatepost_ratelimit_evictions_total{face="
	    "\"inbound\"} 375\n") != NULL, "%s", text);
	free(text);
	for (i = 0; i < 3; i++) {
		(void)snprintf(id, sizeof(id), "G.%d", i);
		ck_assert_str_eq(ask(&x, &s, id, "RCPT", "mallory", "", 0, 101),
		    DUNNO);
	}
	ck_assert_str_eq(ask(&x, &s, "G.3", "RCPT", "mallory", "", 0, 102),
	    DEFER);
	pd_sess_free(&s);
	fx_end(&x);
}
END_TEST

static void
pd_ratelimit_suite(Suite *s)
{
	TCase	*tc = unit_tests(s, "counting", charged_once_across_connections,
	    refused_at_eom_not_counted, NULL);

	tcase_add_loop_test(tc, store_failure, 0, NELEM(err_cases));
	tcase_add_test(tc, answer_waits_for_the_store);
	tcase_add_test(tc, inbound_flood_keeps_outbound_limits);
}

UNIT_MAIN("pd_ratelimit", pd_ratelimit_suite)
