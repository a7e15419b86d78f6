/*
 * check_cpath.c - the content path runner behind simulate --message:
 * steps in the milter's order, the message as it would leave
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "cpath.h"
#include "disclaimer.h"
#include "unit.h"


static void	cpath_suite(Suite *);

static const char conf_json[] =
"{ \"version\": 1, \"internal_domains\": [\"example.com\"],"
"  \"instances\": [ { \"name\": \"out\", \"direction\": \"outbound\","
"    \"auth\": \"require\","
"    \"send_as\": { \"logins\": { \"alice\": [\"alice@example.com\"] },"
"      \"header_from\": \"reject\" },"
"    \"headers\": { \"add\": [ { \"name\": \"X-Face\", \"value\": \"out\" } ],"
"      \"remove\": [\"X-Originating-IP\"] },"
"    \"disclaimer\": [ { \"match\": { \"senders\": [\"signed@example.com\"] },"
"      \"text\": \"C.\", \"fallback\": \"reject\" }, { \"text\": \"C.\" } ]"
"  } ] }";

static const struct case_ {
	const char *name, *sender, *in;
	const char *out;		/* leaving message, or NULL: refused */
	const char *dc;			/* the disclaimer step's result */
} cases[] = {
	{ "removed, added, disclaimer appended; other bytes kept",
	    "alice@example.com",
	    "From: alice@example.com\r\nX-Originating-IP: 10.1.1.1\r\n"
	    "Subject: s\r\n\r\nHi\r\n",
	    "From: alice@example.com\r\nSubject: s\r\nX-Face: out\r\n"
	    "\r\nHi\r\n\r\nC.\r\n", "added" },
	{ "a From the login may not use is refused before content",
	    "alice@example.com", "From: bob@example.com\n\nHi\n", NULL,
	    NULL },
	{ "fallback reject refuses a signed message", "signed@example.com",
	    "From: alice@example.com\nContent-Type: multipart/signed; "
	    "boundary=b\n\n--b\n\nx\n--b--\n", NULL, "rejected" },
	{ "header without a body: fields still added", "alice@example.com",
	    "From: alice@example.com\nSubject: s\n",
	    "From: alice@example.com\nSubject: s\nX-Face: out\n\nC.\n",
	    "added" },
};

START_TEST(test_run)
{
	const struct case_ *c = &cases[_i];
	struct cfg_errors errs;
	struct cfg *cfg;
	struct dcrule_env env;
	struct verdict v;
	struct facts f;
	struct cpath cp;
	size_t	 i;
	const char *dc = NULL;

	memset(&errs, 0, sizeof(errs));
	cfg = cfg_parse(conf_json, strlen(conf_json), "t.json", ".", NULL,
	    &errs);
	ck_assert_msg(cfg != NULL, "config: %s", errs.err.n ? errs.err.v[0] :
	    "?");
	facts_init(&f);
	facts_set_str(f.sasl_user, sizeof(f.sasl_user), "alice");
	ck_assert_int_eq(facts_set_sender(&f, c->sender), 0);
	memset(&env, 0, sizeof(env));
	verdict_init(&v);
	ck_assert_int_eq(cpath_run(cfg, &cfg->inst[0], &f, &env, c->in,
	    strlen(c->in), &v, NULL, NULL, &cp), 0);
	ck_assert_msg(cp.n_step >= 1 && strcmp(cp.step[0].name,
	    "header-from") == 0, "%s: first step %s", c->name,
	    cp.n_step ? cp.step[0].name : "none");
	for (i = 0; i < cp.n_step; i++)
		if (strcmp(cp.step[i].name, "disclaimer") == 0)
			dc = cp.step[i].result;
	ck_assert_msg((dc == NULL) == (c->dc == NULL) && (dc == NULL ||
	    strcmp(dc, c->dc) == 0), "%s: disclaimer got %s, want %s",
	    c->name, dc ? dc : "-", c->dc ? c->dc : "-");
	if (c->out == NULL)
		ck_assert_msg(cp.out == NULL && v.refusal != NULL,
		    "%s: not refused", c->name);
	else
		ck_assert_msg(cp.out != NULL && cp.out_len == strlen(c->out) &&
		    memcmp(cp.out, c->out, cp.out_len) == 0,
		    "%s: got\n%s\nwant\n%s", c->name, cp.out ? cp.out : "(null)",
		    c->out);
	cpath_free(&cp);
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

static void
cpath_suite(Suite *s)
{
	unit_loop(s, "content path", test_run, NELEM(cases));
}

UNIT_MAIN("cpath", cpath_suite)
