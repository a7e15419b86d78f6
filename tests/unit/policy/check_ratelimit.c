/* check_ratelimit.c - sliding windows, keys, verdicts and the mem store */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "unit.h"

static const uint64_t seed[2] = { 0x0123456789abcdefULL, 42 };

/* inst_with - an instance with the given limits */
static struct cfg_instance
inst_with(struct cfg_ratelimit *rl, size_t n, enum cfg_mode mode)
{
	struct cfg_instance in;

	memset(&in, 0, sizeof(in));
	in.name = "outbound";
	in.mode = mode;
	in.rl = rl;
	in.n_rl = n;
	return in;
}

/* facts_for - a session of login from client sending as sender */
static struct facts
facts_for(const char *login, const char *client, const char *sender)
{
	struct facts f;

	facts_init(&f);
	facts_set_str(f.sasl_user, sizeof(f.sasl_user), login);
	(void)facts_set_client(&f, client);
	if (sender != NULL)
		(void)facts_set_sender(&f, sender);
	return f;
}

/* rig - one limit on an instance, a memory store, a verdict and the
 * facts of an anonymous client 192.0.2.1 (sender NULL: none) */
struct rig {
	struct cfg_ratelimit rl;
	struct cfg_instance in;
	struct rl_store *st;
	struct verdict v;
	struct facts f;
};

static void
rig_up(struct rig *r, struct cfg_ratelimit rl, enum cfg_mode mode,
    const char *sender)
{
	r->rl = rl;
	r->in = inst_with(&r->rl, 1, mode);
	if (sender != NULL)
		r->f = facts_for("", "192.0.2.1", sender);
	r->st = rl_mem_new(100, seed);
	verdict_init(&r->v);
}

/* message - one message of f at now, in a new verdict r->v: rl_eval()'s
 * result */
static int
message(struct rig *r, const struct facts *f, uint64_t now)
{
	verdict_init(&r->v);
	return rl_eval(r->st, &r->in, f, CFG_RL_MESSAGES, 1, now, &r->v);
}

/* passed - how many of n messages of f at now pass; r->v: the last
 * verdict */
static int
passed(struct rig *r, const struct facts *f, int n, uint64_t now)
{
	int	 ok = 0;

	while (n-- > 0) {
		(void)message(r, f, now);
		ok += r->v.refusal == NULL;
	}
	return ok;
}

static const struct est_case {
	const char *name;
	uint64_t cur, prev, now;
	unsigned window;
	uint64_t want;
} est_cases[] = {
	{ "start of window: all of prev", 0, 10, 3600, 3600, 10 },
	{ "half way: half of prev", 4, 10, 5400, 3600, 9 },
	{ "last second: rounds up", 4, 10, 7199, 3600, 5 },
	{ "no previous", 7, 0, 100, 60, 7 },
	{ "window 0 counts cur only", 3, 9, 5, 0, 3 },
};

START_TEST(estimate)
{
	const struct est_case *c = &est_cases[_i];
	struct rl_counts k = { c->cur, c->prev };
	uint64_t got = rl_estimate(&k, c->now, c->window);

	ck_assert_msg(got == c->want, "%s: got %llu, want %llu", c->name,
	    (unsigned long long)got, (unsigned long long)c->want);
}
END_TEST

START_TEST(key_text)
{
	struct cfg_ratelimit rl[3] = {
		{ CFG_RL_SASL, 5, 60, CFG_RL_MESSAGES, CFG_ACT_DEFER },
		{ CFG_RL_CLIENT, 5, 60, CFG_RL_MESSAGES, CFG_ACT_DEFER },
		{ CFG_RL_SENDER, 5, 3600, CFG_RL_RECIPIENTS, CFG_ACT_HOLD },
	};
	struct cfg_instance in = inst_with(rl, 3, CFG_MODE_ENFORCE);
	struct facts f = facts_for("Alice", "10.1.2.3", "<Bob@Example.COM>");
	struct facts anon = facts_for("", "10.1.2.3", "<>");
	char	 k[RL_KEY_MAX];

	ck_assert_uint_gt(rl_key_make(k, sizeof(k), &in, 0, &f), 0);
	ck_assert_str_eq(k, "outbound\x1f" "0\x1f" "60\x1fsasl\x1f" "alice");
	ck_assert_uint_gt(rl_key_make(k, sizeof(k), &in, 1, &f), 0);
	ck_assert_str_eq(k, "outbound\x1f" "1\x1f" "60\x1f" "client\x1f"
	    "10.1.2.3");
	ck_assert_uint_gt(rl_key_make(k, sizeof(k), &in, 2, &f), 0);
	ck_assert_str_eq(k, "outbound\x1f" "2\x1f" "3600\x1fsender\x1f"
	    "bob@example.com");
	/* no login: a sasl_username limit does not apply */
	ck_assert_uint_eq(rl_key_make(k, sizeof(k), &in, 0, &anon), 0);
	ck_assert_uint_gt(rl_key_make(k, sizeof(k), &in, 2, &anon), 0);
	ck_assert_str_eq(k, "outbound\x1f" "2\x1f" "3600\x1fsender\x1f<>");
	/* short buffer */
	ck_assert_uint_eq(rl_key_make(k, 12, &in, 0, &f), 0);
}
END_TEST

START_TEST(limit_then_defer)
{
	struct facts alice = facts_for("alice", "10.0.0.1", "a@example.com");
	struct facts bob = facts_for("bob", "10.0.0.1", "b@example.com");
	struct rig r;
	int	 i;

	rig_up(&r, (struct cfg_ratelimit){ CFG_RL_SASL, 3, 3600,
	    CFG_RL_MESSAGES, CFG_ACT_DEFER }, CFG_MODE_ENFORCE,
	    NULL);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(message(&r, &alice, 1000 + i), 0);
		ck_assert_msg(r.v.refusal == NULL, "message %d refused", i + 1);
	}
	(void)message(&r, &alice, 1010);
	ck_assert_ptr_nonnull(r.v.refusal);
	ck_assert_int_eq(r.v.refusal->rule, RULE_RATE_LIMIT);
	ck_assert_int_eq(r.v.refusal->code, 450);
	ck_assert_str_eq(r.v.refusal->dsn, "4.7.1");
	/* refused messages are not counted: still 3 */
	(void)message(&r, &alice, 1011);
	ck_assert_ptr_nonnull(r.v.refusal);
	/* another login has its own count */
	(void)message(&r, &bob, 1012);
	ck_assert_ptr_null(r.v.refusal);
	/* limits that count recipients are not touched by messages */
	ck_assert_uint_eq(r.st->ops->count(r.st), 2);
	r.st->ops->free(r.st);
}
END_TEST

START_TEST(window_slides)
{
	struct rig r;

	rig_up(&r, (struct cfg_ratelimit){ CFG_RL_CLIENT, 10, 100,
	    CFG_RL_MESSAGES, CFG_ACT_REJECT }, CFG_MODE_ENFORCE,
	    "x@example.net");
	/* 10 in window [100, 200) */
	ck_assert_int_eq(passed(&r, &r.f, 10, 150), 10);
	/* at 250 half the previous window still counts: 5 more fit */
	ck_assert_int_eq(passed(&r, &r.f, 10, 250), 5);
	ck_assert_int_eq(r.v.refusal->code, 550);
	/* two windows later everything is forgotten */
	verdict_init(&r.v);
	(void)rl_eval(r.st, &r.in, &r.f, CFG_RL_MESSAGES, 10, 400, &r.v);
	ck_assert_ptr_null(r.v.refusal);
	r.st->ops->free(r.st);
}
END_TEST

START_TEST(store_full_and_expiry)
{
	struct rl_store *st = rl_mem_new(3, seed);
	struct rl_counts c;
	char	 k[32];
	int	 i;

	for (i = 0; i < 3; i++) {
		(void)snprintf(k, sizeof(k), "key%d", i);
		ck_assert_int_eq(st->ops->add(st, k, strlen(k), 100, 60, 1), 0);
	}
	ck_assert_int_eq(st->ops->add(st, "new", 3, 100, 60, 1), RL_FULL);
	/* known keys still count */
	ck_assert_int_eq(st->ops->add(st, "key1", 4, 101, 60, 1), 0);
	ck_assert_int_eq(st->ops->get(st, "key1", 4, 101, 60, &c), 0);
	ck_assert_uint_eq(c.cur, 2);
	/* idle two windows: expired, and room is made on demand */
	ck_assert_int_eq(st->ops->add(st, "new", 3, 240, 60, 1), 0);
	ck_assert_uint_le(st->ops->count(st), 3);
	st->ops->expire(st, 240, 1 << 20);
	ck_assert_uint_eq(st->ops->count(st), 1);
	ck_assert_int_eq(st->ops->get(st, "key1", 4, 240, 60, &c), 0);
	ck_assert_uint_eq(c.cur + c.prev, 0);
	rl_mem_set_max(st, 10);
	ck_assert_int_eq(st->ops->add(st, "more", 4, 240, 60, 1), 0);
	st->ops->free(st);
}
END_TEST

START_TEST(recipients_and_monitor)
{
	struct rig r;

	rig_up(&r, (struct cfg_ratelimit){ CFG_RL_SENDER, 10, 60,
	    CFG_RL_RECIPIENTS, CFG_ACT_HOLD }, CFG_MODE_MONITOR,
	    "list@example.net");
	(void)rl_eval(r.st, &r.in, &r.f, CFG_RL_MESSAGES, 1, 10, &r.v);
	ck_assert_uint_eq(r.st->ops->count(r.st), 0);
	(void)rl_eval(r.st, &r.in, &r.f, CFG_RL_RECIPIENTS, 8, 10, &r.v);
	ck_assert_uint_eq(r.v.n_hit, 0);
	/* 8 + 8 > 10: a hit, but monitor mode refuses nothing ... */
	(void)rl_eval(r.st, &r.in, &r.f, CFG_RL_RECIPIENTS, 8, 11, &r.v);
	ck_assert_uint_eq(r.v.n_hit, 1);
	ck_assert_int_eq(r.v.hit[0].action, CFG_ACT_HOLD);
	ck_assert_int_eq(r.v.hit[0].mode, CFG_MODE_MONITOR);
	ck_assert_ptr_null(r.v.refusal);
	/* ... and so the recipients were counted */
	verdict_init(&r.v);
	(void)rl_eval(r.st, &r.in, &r.f, CFG_RL_RECIPIENTS, 0, 12, &r.v);
	ck_assert_uint_eq(r.v.n_hit, 1);
	r.st->ops->free(r.st);
}
END_TEST

START_TEST(table_against_reference)
{
	/* random adds and expiries agree with a plain array model */
	enum { NK = 3000 };
	static uint32_t model_exp[NK];
	struct rl_store *st = rl_mem_new(NK, seed);
	struct rl_counts c;
	char	 k[32];
	uint64_t now = 1000;
	unsigned r = 12345;
	size_t	 live, i;

	memset(model_exp, 0, sizeof(model_exp));
	for (i = 0; i < 60000; i++) {
		unsigned key;

		r = r * 1103515245u + 12345u;
		key = (r >> 8) % NK;
		if (i % 500 == 0)
			now += 7;
		(void)snprintf(k, sizeof(k), "k%u", key);
		ck_assert_int_eq(st->ops->add(st, k, strlen(k), now, 10, 1), 0);
		model_exp[key] = (uint32_t)((now / 10 + 2) * 10);
		if (i % 97 == 0)
			st->ops->expire(st, now, 64);
	}
	st->ops->expire(st, now, (size_t)1 << 20);
	for (live = 0, i = 0; i < NK; i++) {
		(void)snprintf(k, sizeof(k), "k%zu", i);
		(void)st->ops->get(st, k, strlen(k), now, 10, &c);
		if (model_exp[i] > now) {
			live++;
			ck_assert_msg(c.cur + c.prev > 0, "key %zu lost", i);
		} else
			ck_assert_msg(c.cur + c.prev == 0, "key %zu kept", i);
	}
	ck_assert_uint_eq(st->ops->count(st), live);
	st->ops->free(st);
}
END_TEST

START_TEST(counts_survive_reload)
{
	struct cfg_ratelimit old = { CFG_RL_SASL, 2, 3600, CFG_RL_MESSAGES,
	    CFG_ACT_DEFER };
	struct cfg_ratelimit raised = { CFG_RL_SASL, 3, 3600, CFG_RL_MESSAGES,
	    CFG_ACT_DEFER };
	struct cfg_ratelimit rewindowed = { CFG_RL_SASL, 3, 60,
	    CFG_RL_MESSAGES, CFG_ACT_DEFER };
	struct cfg_instance a = inst_with(&old, 1, CFG_MODE_ENFORCE);
	struct cfg_instance b = inst_with(&raised, 1, CFG_MODE_ENFORCE);
	struct cfg_instance c = inst_with(&rewindowed, 1, CFG_MODE_ENFORCE);
	struct facts f = facts_for("alice", "10.0.0.1", "a@example.com");
	struct rl_store *st = rl_mem_new(100, seed);
	struct verdict v;

	verdict_init(&v);
	(void)rl_eval(st, &a, &f, CFG_RL_MESSAGES, 1, 100, &v);
	(void)rl_eval(st, &a, &f, CFG_RL_MESSAGES, 1, 101, &v);
	ck_assert_ptr_null(v.refusal);
	/* a reload raises the limit: the two already counted still count */
	(void)rl_eval(st, &b, &f, CFG_RL_MESSAGES, 1, 102, &v);
	ck_assert_ptr_null(v.refusal);
	(void)rl_eval(st, &b, &f, CFG_RL_MESSAGES, 1, 103, &v);
	ck_assert_ptr_nonnull(v.refusal);
	/* a new window is a new limit: counting starts afresh */
	verdict_init(&v);
	(void)rl_eval(st, &c, &f, CFG_RL_MESSAGES, 1, 104, &v);
	ck_assert_ptr_null(v.refusal);
	st->ops->free(st);
}
END_TEST

static void
ratelimit_suite(Suite *s)
{
	unit_loop(s, "sliding estimate", estimate, NELEM(est_cases));
	unit_tests(s, "limits and keys", key_text, limit_then_defer,
	    window_slides, recipients_and_monitor, counts_survive_reload, NULL);
	unit_tests(s, "memory store", store_full_and_expiry,
	    table_against_reference, NULL);
}

UNIT_MAIN("ratelimit", ratelimit_suite)
