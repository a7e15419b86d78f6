/*
 * check_dcrule.c - disclaimer entries: first match wins, exceptions,
 * and the config forms (one object as before, or a list)
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cfg.h"
#include "dcrule.h"
#include "unit.h"


static void	dcrule_suite(Suite *);
static struct cfg *load(const char *, struct cfg_errors *);

static const char rules_json[] =
"{ \"version\": 1, \"internal_domains\": [\"example.com\", \".example.com\"],"
"  \"instances\": [ { \"name\": \"out\", \"direction\": \"outbound\","
"    \"disclaimer\": ["
"      { \"match\": { \"senders\": [\"@sales.example.com\"] },"
"        \"text\": \"Sales.\" },"
"      { \"match\": { \"logins\": [\"Board\"], \"recipient_domains\":"
"        [\"partner.org\"] }, \"text\": \"Board to partner.\" },"
"      { \"match\": { \"external_recipients\": true },"
"        \"text\": \"External.\","
"        \"skip_senders\": [\"noreply@example.com\", \"@bounce.example.com\"],"
"        \"skip_if_header\": [ { \"name\": \"Auto-Submitted\" },"
"          { \"name\": \"X-Class\", \"value\": \"Bulk Mail\" } ] } ] } ] }";

static const struct choose_case {
	const char *name;
	const char *sender, *login;
	const char *rcpts[3];
	const char *hdr;		/* message header block */
	int	 want;			/* entry index, or -1 */
	enum disclaimer_result want_r;		/* when -1 */
} choose_cases[] = {
	{ "sender domain: first entry", "ann@sales.example.com", NULL,
	    { "x@example.com" }, "", 0, 0 },
	{ "first match wins over a later one", "ann@sales.example.com",
	    "board", { "x@partner.org" }, "", 0, 0 },
	{ "login and recipient domain, both needed", "b@example.com",
	    "BOARD", { "x@example.com", "y@partner.org" }, "", 1, 0 },
	{ "login without the recipient domain: next entry", "b@example.com",
	    "board", { "x@other.net" }, "", 2, 0 },
	{ "internal recipients only: no entry", "b@example.com", NULL,
	    { "x@example.com", "y@dept.example.com" }, "", -1,
	    DC_SKIPPED_NOMATCH },
	{ "one external recipient is enough", "b@example.com", NULL,
	    { "x@example.com", "y@other.net" }, "", 2, 0 },
	{ "skip_senders: address", "noreply@example.com", NULL,
	    { "y@other.net" }, "", -1, DC_SKIPPED_EXCEPTION },
	{ "skip_senders: domain", "ndr@bounce.example.com", NULL,
	    { "y@other.net" }, "", -1, DC_SKIPPED_EXCEPTION },
	{ "skip_if_header: presence", "b@example.com", NULL,
	    { "y@other.net" }, "Subject: x\r\nauto-submitted: auto-replied"
	    "\r\n\r\nbody\r\n", -1, DC_SKIPPED_EXCEPTION },
	{ "skip_if_header: value, folded, case", "b@example.com", NULL,
	    { "y@other.net" }, "X-Class:  bulk\r\n\tmail \r\n\r\n", -1,
	    DC_SKIPPED_EXCEPTION },
	{ "skip_if_header: other value", "b@example.com", NULL,
	    { "y@other.net" }, "X-Class: bulk\r\n\r\n", 2, 0 },
	{ "skip_if_header: only the header counts", "b@example.com", NULL,
	    { "y@other.net" }, "Subject: x\n\nAuto-Submitted: no\n", 2, 0 },
	{ "null sender matches no senders list", "", NULL,
	    { "y@other.net" }, "", 2, 0 },
};

/* load - parse a config text */
static struct cfg *
load(const char *json, struct cfg_errors *errs)
{
	memset(errs, 0, sizeof(*errs));
	return cfg_parse(json, strlen(json), "t.json", ".", NULL, errs);
}

START_TEST(test_choose)
{
	const struct choose_case *c = &choose_cases[_i];
	struct cfg_errors errs;
	struct cfg *cfg = load(rules_json, &errs);
	struct dcrule_env env;
	struct mailaddr s, a;
	enum disclaimer_result r = DC_ADDED;
	const char *why = NULL;
	char	 err[128];
	size_t	 i;
	int	 got;

	ck_assert_msg(cfg != NULL, "config: %s", errs.err.n > 0 ?
	    errs.err.v[0] : "?");
	memset(&env, 0, sizeof(env));
	for (i = 0; i < NELEM(c->rcpts) && c->rcpts[i] != NULL; i++) {
		ck_assert_int_eq(addr_parse(c->rcpts[i], &a, err, sizeof(err)),
		    0);
		dcrule_rcpt(cfg, &cfg->inst[0], &a, &env);
	}
	ck_assert_int_eq(addr_parse(c->sender, &s, err, sizeof(err)), 0);
	got = dcrule_choose(&cfg->inst[0], &env, &s, c->login, c->hdr,
	    strlen(c->hdr), &r, &why);
	ck_assert_msg(got == c->want, "%s: got %d (%s), want %d", c->name,
	    got, why ? why : "-", c->want);
	if (got < 0)
		ck_assert_msg(r == c->want_r, "%s: got %s, want %s", c->name,
		    disclaimer_result_name(r),
		    disclaimer_result_name(c->want_r));
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

static const struct form_case {
	const char *name, *disclaimer;
	const char *err;		/* substring of the first error */
	size_t	 n;			/* entries when valid */
} form_cases[] = {
	{ "one object, as before", "{ \"text\": \"C.\", \"max_size\": 5 }",
	    NULL, 1 },
	{ "a list", "[ { \"text\": \"A.\", \"max_size\": 5 }, { \"html\": "
	    "\"<p>B.</p>\", \"max_size\": 9 } ]", NULL, 2 },
	{ "an empty list", "[]", "expected 1 to 32 entries", 0 },
	{ "a string", "\"C.\"", "expected an object or a list", 0 },
	{ "entry without text or html", "[ { \"match\": {} } ]",
	    "expected \"text\" or \"html\"", 0 },
	{ "unknown match key", "[ { \"text\": \"C.\", \"match\": { \"from\": "
	    "[] } } ]", "from", 0 },
	{ "skip_if_header without a name", "{ \"text\": \"C.\", "
	    "\"skip_if_header\": [ { \"value\": \"x\" } ] }", "name", 0 },
	{ "position top", "{ \"text\": \"C.\", \"max_size\": 5, "
	    "\"position\": \"top\" }", NULL, 1 },
	{ "unknown position", "{ \"text\": \"C.\", \"position\": "
	    "\"middle\" }", "bottom, top", 0 },
	{ "replies skip", "{ \"text\": \"C.\", \"max_size\": 5, "
	    "\"replies\": \"skip\" }", NULL, 1 },
	{ "unknown replies", "{ \"text\": \"C.\", \"replies\": "
	    "\"never\" }", "always, skip", 0 },
	{ "fallback wrap", "{ \"text\": \"C.\", \"max_size\": 5, "
	    "\"fallback\": \"wrap\" }", NULL, 1 },
	{ "unknown fallback", "{ \"text\": \"C.\", \"fallback\": "
	    "\"bounce\" }", "pass, wrap, reject", 0 },
	{ "bad skip_senders address", "{ \"text\": \"C.\", \"skip_senders\": "
	    "[\"not an address\"] }", "address", 0 },
};

START_TEST(test_forms)
{
	const struct form_case *c = &form_cases[_i];
	struct cfg_errors errs;
	struct cfg *cfg;
	char	 json[1024];

	(void)snprintf(json, sizeof(json), "{ \"version\": 1, \"instances\": "
	    "[ { \"name\": \"out\", \"direction\": \"outbound\", "
	    "\"disclaimer\": %s } ] }", c->disclaimer);
	cfg = load(json, &errs);
	if (c->err == NULL) {
		ck_assert_msg(cfg != NULL, "%s: %s", c->name, errs.err.n > 0 ?
		    errs.err.v[0] : "?");
		ck_assert_msg(cfg->inst[0].disclaimer.n == c->n,
		    "%s: got %zu entries, want %zu", c->name,
		    cfg->inst[0].disclaimer.n, c->n);
		/* the milter buffers for the largest entry */
		ck_assert_uint_eq(cfg->inst[0].disclaimer.max_size,
		    c->n == 1 ? 5 : 9);
	} else {
		ck_assert_msg(cfg == NULL && errs.err.n > 0 &&
		    strstr(errs.err.v[0], c->err) != NULL,
		    "%s: got %s, want an error with \"%s\"", c->name,
		    errs.err.n > 0 ? errs.err.v[0] : "no error", c->err);
	}
	if (cfg != NULL)
		cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

/* dcrule_conf maps every entry setting */
START_TEST(test_conf)
{
	struct cfg_errors errs;
	struct cfg *cfg;
	struct disclaimer_conf conf;

	cfg = load("{ \"version\": 1, \"instances\": [ { \"name\": \"o\", "
	    "\"direction\": \"outbound\", \"disclaimer\": [ { \"text\": \"T\","
	    " \"html\": \"<b>H</b>\", \"max_size\": 77, \"position\": \"top\","
	    " \"replies\": \"skip\", \"fallback\": \"reject\" }, { \"text\": "
	    "\"U\" } ] } ] }", &errs);
	ck_assert_ptr_nonnull(cfg);
	dcrule_conf(&cfg->inst[0].disclaimer.v[0], &conf);
	ck_assert_str_eq(conf.text, "T");
	ck_assert_str_eq(conf.html, "<b>H</b>");
	ck_assert_uint_eq(conf.max_size, 77);
	ck_assert_int_eq(conf.position, DC_POS_TOP);
	ck_assert_int_eq(conf.replies, DC_REPLIES_SKIP);
	ck_assert_int_eq(conf.fallback, DC_FALLBACK_REJECT);
	dcrule_conf(&cfg->inst[0].disclaimer.v[1], &conf);
	ck_assert_ptr_null(conf.html);
	ck_assert_uint_eq(conf.max_size, 10 * 1024 * 1024);
	ck_assert_int_eq(conf.position, DC_POS_BOTTOM);
	ck_assert_int_eq(conf.replies, DC_REPLIES_ALWAYS);
	ck_assert_int_eq(conf.fallback, DC_FALLBACK_PASS);
	ck_assert_uint_eq(cfg->inst[0].disclaimer.max_size, 10 * 1024 * 1024);
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

/* the list bound: at, and one above */
START_TEST(test_list_bound)
{
	struct cfg_errors errs;
	struct cfg *cfg;
	char	 json[8192], *p;
	int	 n, k;

	for (n = CFG_DISCLAIMERS_MAX; n <= CFG_DISCLAIMERS_MAX + 1; n++) {
		p = json + sprintf(json, "{ \"version\": 1, \"instances\": [ { "
		    "\"name\": \"out\", \"direction\": \"outbound\", "
		    "\"disclaimer\": [");
		for (k = 0; k < n; k++)
			p += sprintf(p, "%s{ \"text\": \"T%d.\" }", k ? "," : "",
			    k);
		(void)sprintf(p, "] } ] }");
		cfg = load(json, &errs);
		ck_assert_msg((cfg != NULL) == (n == CFG_DISCLAIMERS_MAX),
		    "%d entries: got %s, want %s", n, cfg ? "valid" : "error",
		    n == CFG_DISCLAIMERS_MAX ? "valid" : "error");
		if (cfg != NULL)
			cfg_release(cfg);
		cfg_errors_free(&errs);
	}
}
END_TEST

static void
dcrule_suite(Suite *s)
{
	TCase	*tc;

	unit_loop(s, "first match wins, exceptions", test_choose,
	    NELEM(choose_cases));
	tc = unit_loop(s, "config forms", test_forms, NELEM(form_cases));
	tcase_add_test(tc, test_list_bound);
	tcase_add_test(tc, test_conf);
}

UNIT_MAIN("dcrule", dcrule_suite)
