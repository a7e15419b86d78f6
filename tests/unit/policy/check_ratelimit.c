/* check_ratelimit.c - sliding windows, keys, verdicts and the mem store */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ratelimit.h"
#include "rl_table.h"
#include "unit.h"

/* a limit with the default prefixes (32 for IPv4, 64 for IPv6) */
#define RL(k, l, w, c, a)	{ (k), (l), (w), (c), (a), 32, 64 }

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
		RL(CFG_RL_SASL, 5, 60, CFG_RL_MESSAGES, CFG_ACT_DEFER),
		RL(CFG_RL_CLIENT, 5, 60, CFG_RL_MESSAGES, CFG_ACT_DEFER),
		RL(CFG_RL_SENDER, 5, 3600, CFG_RL_RECIPIENTS, CFG_ACT_HOLD),
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
	struct cfg_ratelimit rl = RL(CFG_RL_SASL, 3, 3600, CFG_RL_MESSAGES,
	    CFG_ACT_DEFER);
	struct cfg_instance in = inst_with(&rl, 1, CFG_MODE_ENFORCE);
	struct facts alice = facts_for("alice", "10.0.0.1", "a@example.com");
	struct facts bob = facts_for("bob", "10.0.0.1", "b@example.com");
	struct rl_store *st = rl_mem_new(seed);
	struct verdict v;
	int	 i;

	for (i = 0; i < 3; i++) {
		verdict_init(&v);
		ck_assert_int_eq(rl_eval(st, &in, &alice, CFG_RL_MESSAGES, 1,
		    1000 + i, &v), 0);
		ck_assert_msg(v.refusal == NULL, "message %d refused", i + 1);
	}
	verdict_init(&v);
	(void)rl_eval(st, &in, &alice, CFG_RL_MESSAGES, 1, 1010, &v);
	ck_assert_ptr_nonnull(v.refusal);
	ck_assert_int_eq(v.refusal->rule, RULE_RATE_LIMIT);
	ck_assert_int_eq(v.refusal->code, 450);
	ck_assert_str_eq(v.refusal->dsn, "4.7.1");
	/* refused messages are not counted: still 3 */
	verdict_init(&v);
	(void)rl_eval(st, &in, &alice, CFG_RL_MESSAGES, 1, 1011, &v);
	ck_assert_ptr_nonnull(v.refusal);
	/* another login has its own count */
	verdict_init(&v);
	(void)rl_eval(st, &in, &bob, CFG_RL_MESSAGES, 1, 1012, &v);
	ck_assert_ptr_null(v.refusal);
	/* limits that count recipients are not touched by messages */
	ck_assert_uint_eq(st->ops->count(st), 2);
	st->ops->free(st);
}
END_TEST

START_TEST(window_slides)
{
	struct cfg_ratelimit rl = RL(CFG_RL_CLIENT, 10, 100, CFG_RL_MESSAGES,
	    CFG_ACT_REJECT);
	struct cfg_instance in = inst_with(&rl, 1, CFG_MODE_ENFORCE);
	struct facts f = facts_for("", "192.0.2.1", "x@example.net");
	struct rl_store *st = rl_mem_new(seed);
	struct verdict v;
	int	 i, ok = 0;

	/* 10 in window [100, 200) */
	for (i = 0; i < 10; i++) {
		verdict_init(&v);
		(void)rl_eval(st, &in, &f, CFG_RL_MESSAGES, 1, 150, &v);
		ok += v.refusal == NULL;
	}
	ck_assert_int_eq(ok, 10);
	/* at 250 half the previous window still counts: 5 more fit */
	for (ok = 0, i = 0; i < 10; i++) {
		verdict_init(&v);
		(void)rl_eval(st, &in, &f, CFG_RL_MESSAGES, 1, 250, &v);
		ok += v.refusal == NULL;
	}
	ck_assert_int_eq(ok, 5);
	ck_assert_int_eq(v.refusal->code, 550);
	/* two windows later everything is forgotten */
	verdict_init(&v);
	(void)rl_eval(st, &in, &f, CFG_RL_MESSAGES, 10, 400, &v);
	ck_assert_ptr_null(v.refusal);
	st->ops->free(st);
}
END_TEST

START_TEST(recipients_and_monitor)
{
	struct cfg_ratelimit rl = RL(CFG_RL_SENDER, 10, 60,
	    CFG_RL_RECIPIENTS, CFG_ACT_HOLD);
	struct cfg_instance in = inst_with(&rl, 1, CFG_MODE_MONITOR);
	struct facts f = facts_for("", "192.0.2.1", "list@example.net");
	struct rl_store *st = rl_mem_new(seed);
	struct verdict v;

	verdict_init(&v);
	(void)rl_eval(st, &in, &f, CFG_RL_MESSAGES, 1, 10, &v);
	ck_assert_uint_eq(st->ops->count(st), 0);
	(void)rl_eval(st, &in, &f, CFG_RL_RECIPIENTS, 8, 10, &v);
	ck_assert_uint_eq(v.n_hit, 0);
	/* 8 + 8 > 10: a hit, but monitor mode refuses nothing ... */
	(void)rl_eval(st, &in, &f, CFG_RL_RECIPIENTS, 8, 11, &v);
	ck_assert_uint_eq(v.n_hit, 1);
	ck_assert_int_eq(v.hit[0].action, CFG_ACT_HOLD);
	ck_assert_int_eq(v.hit[0].mode, CFG_MODE_MONITOR);
	ck_assert_ptr_null(v.refusal);
	/* ... and so the recipients were counted */
	verdict_init(&v);
	(void)rl_eval(st, &in, &f, CFG_RL_RECIPIENTS, 0, 12, &v);
	ck_assert_uint_eq(v.n_hit, 1);
	st->ops->free(st);
}
END_TEST

/* charge1 - charge one key once (a blocking limit of 1000000) */
static struct rl_result
charge1(struct rl_store *st, const char *face, size_t budget,
    const char *key, uint64_t now, unsigned window)
{
	static struct rl_req req;
	struct rl_result res;

	rl_table_req1(&req, RL_OP_CHARGE, face, budget, key, now, window,
	    1000000);
	ck_assert_int_eq(rl_table_call(st, &req, NULL, NULL, &res), 0);
	return res;
}

/* peek - the estimate of one key, read only */
static uint64_t
peek(struct rl_store *st, const char *key, uint64_t now, unsigned window)
{
	static struct rl_req req;
	struct rl_result res;

	rl_table_req1(&req, RL_OP_CHECK, NULL, 0, key, now, window, 1000000);
	ck_assert_int_eq(rl_table_call(st, &req, NULL, NULL, &res), 0);
	return res.count[0];
}

START_TEST(shared_table_memory)
{
	struct rl_store *st = rl_mem_new(seed);

	rl_table_run(st, NULL, NULL, "memory");
	st->ops->free(st);
}
END_TEST

static const struct budget_case {
	const char *name;
	size_t	 keys;			/* new keys charged in the face */
	size_t	 budget;
	size_t	 want_evicted;
} budget_cases[] = {
	{ "below the budget", 3, 4, 0 },
	{ "at the budget", 4, 4, 0 },
	{ "one above the budget", 5, 4, 1 },
	{ "far above the budget", 40, 4, 36 },
};

START_TEST(budget_per_face)
{
	const struct budget_case *c = &budget_cases[_i];
	struct rl_store *st = rl_mem_new(seed);
	size_t	 i, evicted = 0;
	char	 k[32];

	/* outbound's keys first, then inbound floods its own face */
	(void)charge1(st, "outbound", 2, "login-a", 100, 3600);
	(void)charge1(st, "outbound", 2, "login-b", 101, 3600);
	for (i = 0; i < c->keys; i++) {
		(void)snprintf(k, sizeof(k), "in%zu", i);
		evicted += charge1(st, "inbound", c->budget, k, 200 + i,
		    3600).evicted;
	}
	ck_assert_msg(evicted == c->want_evicted, "%s: got %zu, want %zu",
	    c->name, evicted, c->want_evicted);
	/* inbound cannot evict or block outbound keys */
	ck_assert_uint_eq(peek(st, "login-a", 300, 3600), 1);
	ck_assert_uint_eq(peek(st, "login-b", 300, 3600), 1);
	ck_assert_uint_eq(st->ops->count(st), 2 + (c->keys < c->budget ?
	    c->keys : c->budget));
	/* the newest inbound key is always counted */
	(void)snprintf(k, sizeof(k), "in%zu", c->keys - 1);
	ck_assert_uint_eq(peek(st, k, 300, 3600), 1);
	st->ops->free(st);
}
END_TEST

START_TEST(budget_evicts_longest_idle)
{
	struct rl_store *st = rl_mem_new(seed);

	(void)charge1(st, "f", 3, "a", 100, 3600);
	(void)charge1(st, "f", 3, "b", 101, 3600);
	(void)charge1(st, "f", 3, "c", 102, 3600);
	/* a is charged again: b is now the longest idle */
	(void)charge1(st, "f", 3, "a", 103, 3600);
	ck_assert_uint_eq(charge1(st, "f", 3, "d", 104, 3600).evicted, 1);
	ck_assert_uint_eq(peek(st, "a", 105, 3600), 2);
	ck_assert_uint_eq(peek(st, "b", 105, 3600), 0);
	ck_assert_uint_eq(peek(st, "c", 105, 3600), 1);
	ck_assert_uint_eq(peek(st, "d", 105, 3600), 1);
	st->ops->free(st);
}
END_TEST

START_TEST(budget_of_instances)
{
	struct cfg_instance in[3];
	struct cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	memset(in, 0, sizeof(in));
	cfg.inst = in;
	cfg.n_inst = 3;
	cfg.policyd.max_rate_keys = 90;
	/* equal shares */
	ck_assert_uint_eq(rl_budget(&cfg, &in[0]), 30);
	/* one fixed budget: the others share what is left */
	in[2].rate_key_budget = 50;
	ck_assert_uint_eq(rl_budget(&cfg, &in[2]), 50);
	ck_assert_uint_eq(rl_budget(&cfg, &in[0]), 20);
	/* fixed budgets above the maximum: at least one key each */
	in[2].rate_key_budget = 1000;
	ck_assert_uint_eq(rl_budget(&cfg, &in[1]), 1);
	ck_assert_uint_eq(rl_budget(NULL, &in[1]), SIZE_MAX);
}
END_TEST

START_TEST(expiry_sweep)
{
	struct rl_store *st = rl_mem_new(seed);

	(void)charge1(st, "f", 100, "key0", 100, 60);
	(void)charge1(st, "f", 100, "key1", 101, 60);
	(void)charge1(st, "f", 100, "key1", 130, 60);
	ck_assert_uint_eq(peek(st, "key1", 131, 60), 2);
	/* key0 idle two windows (expiry 180), key1 until 240 */
	st->ops->expire(st, 180, 1 << 20);
	ck_assert_uint_eq(st->ops->count(st), 1);
	st->ops->expire(st, 240, 1 << 20);
	ck_assert_uint_eq(st->ops->count(st), 0);
	ck_assert_uint_eq(peek(st, "key1", 240, 60), 0);
	st->ops->free(st);
}
END_TEST

START_TEST(table_against_reference)
{
	/* random charges and expiries agree with a plain array model */
	enum { NK = 3000 };
	static uint64_t model_exp[NK];
	struct rl_store *st = rl_mem_new(seed);
	char	 k[32];
	uint64_t now = 1000;
	unsigned r = 12345;
	size_t	 live, i;

	memset(model_exp, 0, sizeof(model_exp));
	for (i = 0; i < 30000; i++) {
		unsigned key;

		r = r * 1103515245u + 12345u;
		key = (r >> 8) % NK;
		if (i % 500 == 0)
			now += 7;
		(void)snprintf(k, sizeof(k), "k%u", key);
		(void)charge1(st, "f", NK, k, now, 10);
		model_exp[key] = (now / 10 + 2) * 10;
		if (i % 97 == 0)
			st->ops->expire(st, now, 64);
	}
	st->ops->expire(st, now, (size_t)1 << 20);
	for (live = 0, i = 0; i < NK; i++) {
		(void)snprintf(k, sizeof(k), "k%zu", i);
		if (model_exp[i] > now) {
			live++;
			ck_assert_msg(peek(st, k, now, 10) > 0, "key %zu lost",
			    i);
		} else
			ck_assert_msg(peek(st, k, now, 10) == 0, "key %zu kept",
			    i);
	}
	ck_assert_uint_eq(st->ops->count(st), live);
	st->ops->free(st);
}
END_TEST

static const struct prefix_case {
	const char *name, *client;
	unsigned v4, v6;
	const char *want;		/* key value; NULL = no key */
} prefix_cases[] = {
	{ "v4 host", "192.0.2.77", 32, 64, "192.0.2.77" },
	{ "v4 /24", "192.0.2.77", 24, 64, "192.0.2.0/24" },
	{ "v4 /1", "192.0.2.77", 1, 64, "128.0.0.0/1" },
	{ "v4-mapped is v4", "::ffff:192.0.2.77", 24, 64, "192.0.2.0/24" },
	{ "v4-mapped host", "::FFFF:192.0.2.77", 32, 64, "192.0.2.77" },
	{ "v6 /64 default", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", 32, 64,
	  "2001:db8:1:2::/64" },
	{ "v6 /63", "2001:db8:1:3::1", 32, 63, "2001:db8:1:2::/63" },
	{ "v6 /65", "2001:db8:1:2:ffff::1", 32, 65, "2001:db8:1:2:8000::/65" },
	{ "v6 /128 host", "2001:db8::1", 32, 128, "2001:db8::1" },
	{ "Postfix IPv6: prefix", "IPv6:2001:db8::1", 32, 64, "2001:db8::/64" },
	{ "not an address", "unknown", 32, 64, NULL },
};

START_TEST(client_prefix)
{
	const struct prefix_case *c = &prefix_cases[_i];
	struct cfg_ratelimit rl = RL(CFG_RL_CLIENT, 5, 60, CFG_RL_MESSAGES,
	    CFG_ACT_DEFER);
	struct cfg_instance in;
	struct facts f;
	char	 k[RL_KEY_MAX], want[RL_KEY_MAX];
	size_t	 n;

	rl.ipv4_prefix = c->v4;
	rl.ipv6_prefix = c->v6;
	in = inst_with(&rl, 1, CFG_MODE_ENFORCE);
	facts_init(&f);
	facts_set_str(f.client_addr, sizeof(f.client_addr), c->client);
	n = rl_key_make(k, sizeof(k), &in, 0, &f);
	if (c->want == NULL) {
		ck_assert_msg(n == 0, "%s: got a key %s", c->name, k);
		return;
	}
	(void)snprintf(want, sizeof(want), "outbound\x1f" "0\x1f" "60\x1f"
	    "client\x1f%s", c->want);
	ck_assert_msg(n > 0 && strcmp(k, want) == 0, "%s: got %s, want %s",
	    c->name, n > 0 ? k + 20 : "(none)", c->want);
	/* the same key from the text an operator types */
	ck_assert_uint_eq(rl_key_value(k, sizeof(k), &in, 0, c->client), n);
	ck_assert_str_eq(k, want);
}
END_TEST

START_TEST(one_v6_network_one_limit)
{
	/* six addresses of one /64 share one limit of 3 */
	struct cfg_ratelimit rl = RL(CFG_RL_CLIENT, 3, 3600, CFG_RL_MESSAGES,
	    CFG_ACT_DEFER);
	struct cfg_instance in = inst_with(&rl, 1, CFG_MODE_ENFORCE);
	struct rl_store *st = rl_mem_new(seed);
	struct verdict v;
	char	 a[64];
	int	 i, ok = 0;

	for (i = 1; i <= 6; i++) {
		struct facts f;

		(void)snprintf(a, sizeof(a), "2001:db8:0:1::%x", i * 4099);
		f = facts_for("", a, "x@example.net");
		verdict_init(&v);
		(void)rl_eval(st, &in, &f, CFG_RL_MESSAGES, 1, 100 + i, &v);
		ok += v.refusal == NULL;
	}
	ck_assert_int_eq(ok, 3);
	st->ops->free(st);
}
END_TEST

START_TEST(charged_once)
{
	struct rl_once *o = rl_once_new(16, 3600);
	char	 id[32];
	int	 i, seen = 0;

	ck_assert_int_eq(rl_once_seen(o, "out", "A1.1", 100), 0);
	rl_once_mark(o, "out", "A1.1", 100);
	ck_assert_int_eq(rl_once_seen(o, "out", "A1.1", 101), 1);
	/* another face, another message */
	ck_assert_int_eq(rl_once_seen(o, "in", "A1.1", 101), 0);
	/* forgotten after the ttl */
	ck_assert_int_eq(rl_once_seen(o, "out", "A1.1", 3700), 0);
	/* an empty instance is never remembered */
	rl_once_mark(o, "out", "", 100);
	ck_assert_int_eq(rl_once_seen(o, "out", "", 100), 0);
	/* more messages than slots: old ones may be lost, new ones not */
	for (i = 0; i < 100; i++) {
		(void)snprintf(id, sizeof(id), "M%d", i);
		rl_once_mark(o, "out", id, 200);
	}
	ck_assert_int_eq(rl_once_seen(o, "out", "M99", 201), 1);
	for (i = 0; i < 100; i++) {
		(void)snprintf(id, sizeof(id), "M%d", i);
		seen += rl_once_seen(o, "out", id, 201);
	}
	ck_assert_int_le(seen, 16);
	ck_assert_int_ge(seen, 4);
	rl_once_free(o);
}
END_TEST

START_TEST(lua_arguments)
{
	static struct rl_req req;
	const char *argv[64];
	size_t	 len[64], n;
	char	 buf[4096];
	struct rl_result res;
	long long v[4] = { 1234, 1, 7, 0 };

	memset(&req, 0, sizeof(req));
	req.op = RL_OP_CHARGE;
	req.now = 0;
	req.n = 2;
	req.item[0].keylen = 3;
	memcpy(req.item[0].key, "a\x1f" "b", 3);
	req.item[0].window = 60;
	req.item[0].limit = 5;
	req.item[0].n = 1;
	req.item[0].blocking = 1;
	req.item[1].keylen = 1;
	memcpy(req.item[1].key, "c", 1);
	req.item[1].window = 3600;
	req.item[1].limit = 100;
	req.item[1].n = 12;
	ck_assert_uint_eq(rl_lua_argc(&req), 12);
	n = rl_lua_args(&req, "gp:", buf, sizeof(buf), argv, len, 64);
	ck_assert_uint_eq(n, 12);
	ck_assert_uint_eq(len[0], 6);
	ck_assert_int_eq(memcmp(argv[0], "gp:a\x1f" "b", 6), 0);
	ck_assert_str_eq(argv[1], "gp:c");
	ck_assert_str_eq(argv[2], "charge");
	ck_assert_str_eq(argv[3], "0");
	ck_assert_str_eq(argv[4], "60");
	ck_assert_str_eq(argv[5], "5");
	ck_assert_str_eq(argv[6], "1");
	ck_assert_str_eq(argv[7], "1");
	ck_assert_str_eq(argv[10], "12");
	ck_assert_str_eq(argv[11], "0");
	/* short buffer or argument vector: nothing */
	ck_assert_uint_eq(rl_lua_args(&req, "gp:", buf, 20, argv, len, 64), 0);
	ck_assert_uint_eq(rl_lua_args(&req, "gp:", buf, sizeof(buf), argv,
	    len, 11), 0);
	/* the reply: exactly 2 + n integers */
	ck_assert_int_eq(rl_lua_result(&req, v, 4, &res), 0);
	ck_assert_uint_eq(res.now, 1234);
	ck_assert_int_eq(res.charged, 1);
	ck_assert_uint_eq(res.count[0], 7);
	ck_assert_int_eq(rl_lua_result(&req, v, 3, &res), -1);
	ck_assert_int_eq(res.status, RL_ERR);
}
END_TEST

START_TEST(counts_survive_reload)
{
	struct cfg_ratelimit old = RL(CFG_RL_SASL, 2, 3600, CFG_RL_MESSAGES,
	    CFG_ACT_DEFER);
	struct cfg_ratelimit raised = RL(CFG_RL_SASL, 3, 3600, CFG_RL_MESSAGES,
	    CFG_ACT_DEFER);
	struct cfg_ratelimit rewindowed = RL(CFG_RL_SASL, 3, 60,
	    CFG_RL_MESSAGES, CFG_ACT_DEFER);
	struct cfg_instance a = inst_with(&old, 1, CFG_MODE_ENFORCE);
	struct cfg_instance b = inst_with(&raised, 1, CFG_MODE_ENFORCE);
	struct cfg_instance c = inst_with(&rewindowed, 1, CFG_MODE_ENFORCE);
	struct facts f = facts_for("alice", "10.0.0.1", "a@example.com");
	struct rl_store *st = rl_mem_new(seed);
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
	TCase	*tc;

	(void)unit_loop(s, "sliding estimate", estimate, NELEM(est_cases));
	tc = unit_tests(s, "limits and keys", key_text, limit_then_defer,
	    window_slides, recipients_and_monitor, counts_survive_reload,
	    NULL);
	tcase_add_loop_test(tc, client_prefix, 0, NELEM(prefix_cases));
	tcase_add_test(tc, one_v6_network_one_limit);
	tcase_add_test(tc, charged_once);
	tc = unit_one(s, "memory store", shared_table_memory);
	tcase_add_loop_test(tc, budget_per_face, 0, NELEM(budget_cases));
	tcase_add_test(tc, budget_evicts_longest_idle);
	tcase_add_test(tc, budget_of_instances);
	tcase_add_test(tc, expiry_sweep);
	tcase_add_test(tc, table_against_reference);
	(void)unit_one(s, "redis script calls", lua_arguments);
}

UNIT_MAIN("ratelimit", ratelimit_suite)
