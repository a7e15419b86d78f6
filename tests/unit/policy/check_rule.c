/* check_rule.c - the rule engine, table driven over one gateway config */
#include "config.h"

#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "decide.h"
#include "hdrfrom.h"
#include "log.h"
#include "rule.h"
#include "unit.h"

#define LOG_LINE_MAX_TEST 1024

static const char cfg_json[] =
"{\"version\": 1,\n"
" \"internal_domains\": [\"example.com\", \".example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\",\n"
"   \"match\": {\"name\": \"inbound\", \"address\": [\"192.0.2.10:25\"]},\n"
"   \"clients\": {\"allow\": [\"198.51.100.0/24\", \"2001:db8::/32\"],\n"
"               \"deny\": [\"198.51.100.66/32\"]},\n"
"   \"auth\": \"forbid\", \"recipients\": \"internal\",\n"
"   \"spoofing\": {\"envelope_from\": \"reject\", \"header_from\": \"reject\",\n"
"     \"display_name\": \"tag\",\n"
"     \"exceptions\": {\"clients\": [\"198.51.100.5/32\"],\n"
"                    \"senders\": [\"alerts@example.com\"]},\n"
"     \"protected_names\": [\"Jane Example\"]},\n"
"   \"limits\": {\"messages_per_session\": 2}},\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\",\n"
"   \"match\": {\"name\": \"outbound\"},\n"
"   \"clients\": {\"allow\": [\"10.0.0.0/8\"]}, \"auth\": \"require\",\n"
"   \"send_as\": {\"logins\": {\"alice\": [\"alice@example.com\",\n"
"      \"@sales.example.com\"], \"bob\": [\"bob@example.com\"],\n"
"      \"svc\": [\"*\"]}, \"header_from\": \"reject\"}},\n"
"  {\"name\": \"mon\", \"direction\": \"inbound\", \"mode\": \"monitor\",\n"
"   \"clients\": {\"allow\": [\"198.51.100.0/24\"]}, \"auth\": \"forbid\",\n"
"   \"recipients\": \"internal\",\n"
"   \"spoofing\": {\"envelope_from\": \"reject\"},\n"
"   \"limits\": {\"messages_per_session\": 2}},\n"
"  {\"name\": \"strict\", \"direction\": \"outbound\", \"auth\": \"require\",\n"
"   \"recipients\": \"external\",\n"
"   \"send_as\": {\"logins\": {\"alice\": [\"alice@example.com\"]},\n"
"     \"null_sender\": false, \"envelope_from\": \"tempfail\"}}\n"
" ],\n"
" \"policyd\": {\"listen\": \"unix:/tmp/gatepost-test.sock\"}\n"
"}\n";

static struct cfg *cfg;

static void
setup(void)
{
	cfg = unit_cfg(cfg_json, "rules.json");
}

static void
teardown(void)
{
	cfg_release(cfg);
	cfg = NULL;
}

static const struct cfg_instance *
inst_named(const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (strcmp(cfg->inst[i].name, name) == 0)
			return &cfg->inst[i];
	ck_abort_msg("no instance %s", name);
	return NULL;
}

/* first_hit - the first hit of v is rule with action act */
static void
first_hit(const char *name, const struct verdict *v, int rule,
    enum cfg_act act)
{
	ck_assert_msg((int)v->hit[0].rule == rule, "%s: got rule %s, want %s",
	    name, rule_name(v->hit[0].rule), rule_name(rule));
	ck_assert_msg(v->hit[0].action == act, "%s: got %s, want %s", name,
	    cfg_act_name(v->hit[0].action), cfg_act_name(act));
}

/*
 * Envelope cases: evaluated CONNECT..RCPT as gatepost-policyd does.
 * want_rule -1: no hit at all.  want_code 0: not refused.
 */
static const struct env_case {
	const char *name;
	const char *inst, *client, *sasl, *from, *rcpt;
	int	 want_rule;
	enum cfg_act want_act;
	int	 want_code;
	const char *want_dsn;
} env_cases[] = {
	{"inbound anonymous from perimeter relay", "inbound", "198.51.100.7",
	    "", "someone@example.net", "user@example.com", -1, 0, 0, ""},
	{"inbound to internal subdomain", "inbound", "198.51.100.7", "",
	    "a@example.net", "u@eu.example.com", -1, 0, 0, ""},
	{"inbound from non-allowed client", "inbound", "203.0.113.9", "",
	    "a@example.net", "u@example.com", RULE_CLIENTS_ALLOW,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"inbound from denied client inside allow", "inbound",
	    "198.51.100.66", "", "a@example.net", "u@example.com",
	    RULE_CLIENTS_DENY, CFG_ACT_REJECT, 550, "5.7.1"},
	{"inbound v6 client allowed", "inbound", "2001:db8::25", "",
	    "a@example.net", "u@example.com", -1, 0, 0, ""},
	{"inbound v6 client outside allow", "inbound", "2001:db9::25", "",
	    "a@example.net", "u@example.com", RULE_CLIENTS_ALLOW,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"inbound v4-mapped client allowed", "inbound", "::ffff:198.51.100.7",
	    "", "a@example.net", "u@example.com", -1, 0, 0, ""},
	{"inbound unknown client with allow list", "inbound", NULL, "",
	    "a@example.net", "u@example.com", RULE_CLIENTS_ALLOW,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"AUTH on the inbound face", "inbound", "198.51.100.7", "alice",
	    "alice@example.net", "u@example.com", RULE_AUTH, CFG_ACT_REJECT,
	    550, "5.7.1"},
	{"inbound relay to external domain", "inbound", "198.51.100.7", "",
	    "a@example.net", "victim@example.org", RULE_RECIPIENTS,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"inbound relay to look-alike domain", "inbound", "198.51.100.7", "",
	    "a@example.net", "victim@badexample.com", RULE_RECIPIENTS,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"internal sender from the internet", "inbound", "198.51.100.7", "",
	    "ceo@example.com", "u@example.com", RULE_SPOOF_ENVELOPE,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"internal sender, case and trailing dot", "inbound", "198.51.100.7",
	    "", "<CEO@Example.COM.>", "u@example.com", RULE_SPOOF_ENVELOPE,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"internal subdomain sender", "inbound", "198.51.100.7", "",
	    "x@hr.example.com", "u@example.com", RULE_SPOOF_ENVELOPE,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"internal sender from exception client", "inbound", "198.51.100.5",
	    "", "ceo@example.com", "u@example.com", -1, 0, 0, ""},
	{"internal sender listed as exception", "inbound", "198.51.100.7",
	    "", "alerts@example.com", "u@example.com", -1, 0, 0, ""},
	{"null sender inbound", "inbound", "198.51.100.7", "", "",
	    "u@example.com", -1, 0, 0, ""},
	{"outbound without AUTH", "outbound", "10.1.2.3", "",
	    "alice@example.com", "x@example.net", RULE_AUTH, CFG_ACT_REJECT,
	    530, "5.7.0"},
	{"outbound alice as herself", "outbound", "10.1.2.3", "alice",
	    "alice@example.com", "x@example.net", -1, 0, 0, ""},
	{"outbound login case-insensitive", "outbound", "10.1.2.3", "ALICE",
	    "Alice@Example.com", "x@example.net", -1, 0, 0, ""},
	{"outbound alice as bob", "outbound", "10.1.2.3", "alice",
	    "bob@example.com", "x@example.net", RULE_SEND_AS_ENVELOPE,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"outbound alice in her @domain", "outbound", "10.1.2.3", "alice",
	    "anyone@sales.example.com", "x@example.net", -1, 0, 0, ""},
	{"outbound @domain is not its subdomains", "outbound", "10.1.2.3",
	    "alice", "x@eu.sales.example.com", "x@example.net",
	    RULE_SEND_AS_ENVELOPE, CFG_ACT_REJECT, 550, "5.7.1"},
	{"outbound login without send_as entry", "outbound", "10.1.2.3",
	    "dave", "dave@example.com", "x@example.net",
	    RULE_SEND_AS_ENVELOPE, CFG_ACT_REJECT, 550, "5.7.1"},
	{"outbound service account any sender", "outbound", "10.1.2.3",
	    "svc", "whatever@elsewhere.example.org", "x@example.net", -1, 0, 0,
	    ""},
	{"outbound null sender allowed by default", "outbound", "10.1.2.3",
	    "alice", "<>", "x@example.net", -1, 0, 0, ""},
	{"outbound from a non-allowed client", "outbound", "192.0.2.1",
	    "alice", "alice@example.com", "x@example.net", RULE_CLIENTS_ALLOW,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"null sender refused, tempfail action", "strict", "10.1.2.3",
	    "alice", "", "x@example.net", RULE_SEND_AS_ENVELOPE,
	    CFG_ACT_TEMPFAIL, 451, "4.7.1"},
	{"external-only face refuses internal rcpt", "strict", "10.1.2.3",
	    "alice", "alice@example.com", "u@example.com", RULE_RECIPIENTS,
	    CFG_ACT_REJECT, 550, "5.7.1"},
	{"external-only face passes external rcpt", "strict", "10.1.2.3",
	    "alice", "alice@example.com", "u@example.net", -1, 0, 0, ""},
	{"monitor mode logs but does not refuse", "mon", "203.0.113.9", "",
	    "ceo@example.com", "u@example.com", RULE_CLIENTS_ALLOW,
	    CFG_ACT_REJECT, 0, ""},
};

START_TEST(envelope_rules)
{
	const struct env_case *c = &env_cases[_i];
	const struct cfg_instance *in = inst_named(c->inst);
	struct verdict v;
	struct facts f;

	facts_init(&f);
	if (c->client != NULL)
		ck_assert_int_eq(facts_set_client(&f, c->client), 0);
	facts_set_str(f.sasl_user, sizeof(f.sasl_user), c->sasl);
	ck_assert_msg(facts_set_sender(&f, c->from) == 0, "%s: sender",
	    c->name);
	ck_assert_msg(facts_set_rcpt(&f, c->rcpt) == 0, "%s: rcpt", c->name);
	verdict_init(&v);
	rule_eval(cfg, in, &f, STAGE_CONNECT, STAGE_RCPT, &v);
	if (c->want_rule < 0) {
		ck_assert_msg(v.n_hit == 0 && v.refusal == NULL,
		    "%s: got %zu hits (first %s), want none", c->name, v.n_hit,
		    v.n_hit ? rule_name(v.hit[0].rule) : "-");
		return;
	}
	ck_assert_msg(v.n_hit >= 1, "%s: got no hit, want %s", c->name,
	    rule_name(c->want_rule));
	first_hit(c->name, &v, c->want_rule, c->want_act);
	if (c->want_code == 0) {
		ck_assert_msg(v.refusal == NULL, "%s: refused, want not",
		    c->name);
		ck_assert_int_eq(v.hit[0].mode, CFG_MODE_MONITOR);
		return;
	}
	ck_assert_msg(v.refusal == &v.hit[0], "%s: not refused", c->name);
	ck_assert_msg(v.refusal->code == c->want_code, "%s: got %d, want %d",
	    c->name, v.refusal->code, c->want_code);
	ck_assert_str_eq(v.refusal->dsn, c->want_dsn);
	ck_assert_msg(v.n_hit == 1, "%s: evaluation went on after refusal",
	    c->name);
}
END_TEST

/* Header From cases: "addr|display" entries, NULL-terminated. */
static const struct hdr_case {
	const char *name;
	const char *inst, *client, *sasl, *from;
	unsigned n_fields;
	const char *addrs[4];
	int	 want_rule;
	enum cfg_act want_act;
} hdr_cases[] = {
	{"inbound From in internal domain", "inbound", "198.51.100.7", "",
	    "a@example.net", 1, {"ceo@example.com|", NULL},
	    RULE_SPOOF_HEADER, CFG_ACT_REJECT},
	{"inbound From in internal subdomain, upper case", "inbound",
	    "198.51.100.7", "", "a@example.net", 1,
	    {"Boss@HR.Example.Com|Boss", NULL}, RULE_SPOOF_HEADER,
	    CFG_ACT_REJECT},
	{"inbound second From address internal", "inbound", "198.51.100.7",
	    "", "a@example.net", 1, {"x@example.net|", "ceo@example.com|",
	    NULL}, RULE_SPOOF_HEADER, CFG_ACT_REJECT},
	{"inbound malformed From showing an internal address", "inbound",
	    "198.51.100.7", "", "a@example.net", 1,
	    {"!|ceo@example.com <broken", NULL}, RULE_SPOOF_HEADER,
	    CFG_ACT_REJECT},
	{"inbound From exempt by client", "inbound", "198.51.100.5", "",
	    "a@example.net", 1, {"ceo@example.com|", NULL}, -1, 0},
	{"inbound external From", "inbound", "198.51.100.7", "",
	    "a@example.net", 1, {"news@example.net|Example News", NULL}, -1,
	    0},
	{"display name shows internal address", "inbound", "198.51.100.7",
	    "", "a@example.net", 1,
	    {"evil@example.net|ceo@example.com", NULL}, RULE_SPOOF_DISPLAY,
	    CFG_ACT_TAG},
	{"display name is a protected name", "inbound", "198.51.100.7", "",
	    "a@example.net", 1, {"evil@example.net|jane   EXAMPLE", NULL},
	    RULE_SPOOF_DISPLAY, CFG_ACT_TAG},
	{"display name look-alike domain", "inbound", "198.51.100.7", "",
	    "a@example.net", 1, {"evil@example.net|ceo@example.com.evil.net",
	    NULL}, -1, 0},
	{"outbound From owned", "outbound", "10.1.2.3", "alice",
	    "alice@example.com", 1, {"alice@example.com|Alice", NULL}, -1, 0},
	{"outbound From not owned", "outbound", "10.1.2.3", "alice",
	    "alice@example.com", 1, {"bob@example.com|Bob", NULL},
	    RULE_SEND_AS_HEADER, CFG_ACT_REJECT},
	{"outbound one of two From not owned", "outbound", "10.1.2.3",
	    "alice", "alice@example.com", 1, {"alice@example.com|",
	    "bob@example.com|", NULL}, RULE_SEND_AS_HEADER, CFG_ACT_REJECT},
	{"outbound missing From", "outbound", "10.1.2.3", "alice",
	    "alice@example.com", 0, {NULL}, RULE_SEND_AS_HEADER,
	    CFG_ACT_REJECT},
	{"outbound service account any From", "outbound", "10.1.2.3", "svc",
	    "svc@example.com", 1, {"ceo@example.com|", NULL}, -1, 0},
};

static void
mk_from(struct hdr_from *hf, unsigned n_fields, const char *const *spec)
{
	char	 buf[256], why[128];
	char	*bar;

	memset(hf, 0, sizeof(*hf));
	hf->n_fields = n_fields;
	for (; *spec != NULL; spec++) {
		struct hdr_from_addr *a = &hf->v[hf->n++];

		snprintf(buf, sizeof(buf), "%s", *spec);
		bar = strchr(buf, '|');
		ck_assert_ptr_nonnull(bar);
		*bar = '\0';
		if (strcmp(buf, "!") == 0) {	/* an entry that did not parse */
			hf->bad = 1;
			a->valid = 0;
		} else {
			a->valid = addr_parse(buf, &a->addr, why,
			    sizeof(why)) == 0;
			ck_assert_msg(a->valid, "bad test address %s: %s", buf,
			    why);
		}
		snprintf(a->display, sizeof(a->display), "%s", bar + 1);
	}
}

START_TEST(header_rules)
{
	const struct hdr_case *c = &hdr_cases[_i];
	const struct cfg_instance *in = inst_named(c->inst);
	struct hdr_from hf;
	struct verdict v;
	struct facts f;

	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, c->client), 0);
	facts_set_str(f.sasl_user, sizeof(f.sasl_user), c->sasl);
	ck_assert_int_eq(facts_set_sender(&f, c->from), 0);
	mk_from(&hf, c->n_fields, c->addrs);
	f.from = &hf;
	verdict_init(&v);
	rule_eval(cfg, in, &f, STAGE_EOH, STAGE_EOH, &v);
	if (c->want_rule < 0) {
		ck_assert_msg(v.n_hit == 0, "%s: got %s, want no hit", c->name,
		    rule_name(v.hit[0].rule));
		return;
	}
	ck_assert_msg(v.n_hit == 1, "%s: got %zu hits, want 1", c->name,
	    v.n_hit);
	first_hit(c->name, &v, c->want_rule, c->want_act);
	if (c->want_act == CFG_ACT_TAG) {
		ck_assert_ptr_null(v.refusal);
		ck_assert_uint_ne(v.tags & (1u << c->want_rule), 0);
	} else
		ck_assert_ptr_eq(v.refusal, &v.hit[0]);
}
END_TEST

START_TEST(stage_gating)
{
	struct verdict v;
	struct facts f;

	/* a client rule is not re-decided at the MAIL..RCPT stages */
	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, "203.0.113.9"), 0);
	ck_assert_int_eq(facts_set_sender(&f, "a@example.net"), 0);
	verdict_init(&v);
	rule_eval(cfg, inst_named("inbound"), &f, STAGE_MAIL, STAGE_RCPT, &v);
	ck_assert_uint_eq(v.n_hit, 0);
	/* sender rules wait for the sender: nothing at CONNECT */
	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, "198.51.100.7"), 0);
	verdict_init(&v);
	rule_eval(cfg, inst_named("outbound"), &f, STAGE_CONNECT,
	    STAGE_HELO, &v);
	ck_assert_msg(v.n_hit == 1 && v.hit[0].rule == RULE_CLIENTS_ALLOW,
	    "outbound connect: got %zu hits", v.n_hit);
}
END_TEST

START_TEST(monitor_evaluates_every_rule)
{
	struct verdict v;
	struct facts f;

	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, "203.0.113.9"), 0);
	facts_set_str(f.sasl_user, sizeof(f.sasl_user), "mallory");
	ck_assert_int_eq(facts_set_sender(&f, "ceo@example.com"), 0);
	ck_assert_int_eq(facts_set_rcpt(&f, "x@example.org"), 0);
	verdict_init(&v);
	rule_eval(cfg, inst_named("mon"), &f, STAGE_CONNECT, STAGE_RCPT, &v);
	ck_assert_ptr_null(v.refusal);
	ck_assert_uint_eq(v.n_hit, 4);
	ck_assert_int_eq(v.hit[0].rule, RULE_CLIENTS_ALLOW);
	ck_assert_int_eq(v.hit[1].rule, RULE_AUTH);
	ck_assert_int_eq(v.hit[2].rule, RULE_SPOOF_ENVELOPE);
	ck_assert_int_eq(v.hit[3].rule, RULE_RECIPIENTS);
	ck_assert_int_eq(v.hit[3].mode, CFG_MODE_MONITOR);
}
END_TEST

START_TEST(unknown_instance)
{
	struct verdict v;

	ck_assert_ptr_null(cfg_instance_find(cfg, "nosuchface", NULL, 0));
	verdict_init(&v);
	rule_unknown_instance(cfg, &v);
	ck_assert_ptr_nonnull(v.refusal);
	ck_assert_int_eq(v.refusal->code, 451);
	ck_assert_str_eq(v.refusal->dsn, "4.3.5");
	ck_assert_str_eq(rule_name(v.refusal->rule), "unknown_instance");
}
END_TEST

static const struct session_case {
	const char *face;
	unsigned begun;			/* messages before this MAIL */
	int	 hit;			/* a hit wanted */
	int	 refused;		/* ... that refuses (421 4.7.0) */
} session_cases[] = {
	{ "inbound", 0, 0, 0 },
	{ "inbound", 1, 0, 0 },		/* below */
	{ "inbound", 2, 1, 1 },		/* at */
	{ "inbound", 3, 1, 1 },		/* above */
	{ "outbound", 1000, 0, 0 },	/* no limit set */
	{ "mon", 2, 1, 0 },		/* monitor: logged, not refused */
};

START_TEST(session_limit)
{
	const struct session_case *t = &session_cases[_i];
	const struct cfg_instance *in;
	struct verdict v;

	in = cfg_instance_find(cfg, t->face, NULL, 0);
	ck_assert_ptr_nonnull(in);
	verdict_init(&v);
	rule_session_limit(in, t->begun, &v);
	ck_assert_msg((v.n_hit == 1) == t->hit, "%s %u: got %zu hits, want %d",
	    t->face, t->begun, v.n_hit, t->hit);
	ck_assert_msg((v.refusal != NULL) == t->refused, "%s %u: refusal %d, "
	    "want %d", t->face, t->begun, v.refusal != NULL, t->refused);
	if (!t->hit)
		return;
	ck_assert_int_eq(v.hit[0].code, 421);
	ck_assert_str_eq(v.hit[0].dsn, "4.7.0");
	ck_assert_str_eq(rule_name(v.hit[0].rule),
	    "limits.messages_per_session");
}
END_TEST

START_TEST(tag_headers_and_names)
{
	const char *n, *val;

	ck_assert_int_eq(rule_tag(RULE_SPOOF_DISPLAY, &n, &val), 0);
	ck_assert_str_eq(n, "X-Gatepost-Spoof");
	ck_assert_str_eq(val, "display-name");
	ck_assert_int_eq(rule_tag(RULE_CLIENTS_ALLOW, &n, &val), -1);
	ck_assert_str_eq(rule_name(RULE_SPOOF_ENVELOPE),
	    "spoofing.envelope_from");
	ck_assert_int_eq(rule_stage(RULE_RECIPIENTS), STAGE_RCPT);
}
END_TEST

START_TEST(decision_log_line)
{
	struct rule_hit h;
	struct facts f;
	char	 line[LOG_LINE_MAX_TEST];

	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, "198.51.100.7"), 0);
	facts_set_str(f.client_name, sizeof(f.client_name), "mx.example.net");
	ck_assert_int_eq(facts_set_sender(&f, "<CEO@Example.com>"), 0);
	ck_assert_int_eq(facts_set_rcpt(&f, "u\"x@example.com"), -1);
	rule_hit_make(RULE_SPOOF_ENVELOPE, CFG_ACT_REJECT, CFG_MODE_ENFORCE,
	    "envelope sender in an internal domain", &h);
	decide_log_format(line, sizeof(line), NULL, inst_named("inbound"),
	    &h, &f);
	ck_assert_str_eq(line, "NOQUEUE: instance=inbound direction=inbound "
	    "rule=spoofing.envelope_from action=reject mode=enforce "
	    "reason=\"envelope sender in an internal domain\" "
	    "client=mx.example.net[198.51.100.7] from=<CEO@example.com> "
	    "to=<u?x@example.com> sasl=<>");
}
END_TEST

/* the same decision as a JSON event: valid JSON, hostile bytes escaped */
START_TEST(decision_event)
{
	struct rule_hit h;
	struct facts f;
	struct sbuf b;
	json_t	*j;
	json_error_t e;

	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, "198.51.100.7"), 0);
	facts_set_str(f.client_name, sizeof(f.client_name),
	    "mx\"\\\n\x80.example.net");
	ck_assert_int_eq(facts_set_sender(&f, "<CEO@Example.com>"), 0);
	rule_hit_make(RULE_SPOOF_ENVELOPE, CFG_ACT_REJECT, CFG_MODE_ENFORCE,
	    "envelope sender in an internal domain", &h);
	sbuf_init(&b);
	decide_event_format(&b, 86400 * 365, "gatepost-policyd", "ABC123",
	    inst_named("inbound"), &h, &f);
	j = json_loads(sbuf_str(&b), 0, &e);
	ck_assert_msg(j != NULL, "not JSON (%s): %s", e.text, sbuf_str(&b));
	ck_assert_str_eq(json_string_value(json_object_get(j, "event")),
	    "decision");
	ck_assert_str_eq(json_string_value(json_object_get(j, "time")),
	    "1971-01-01T00:00:00Z");
	ck_assert_str_eq(json_string_value(json_object_get(j, "queue_id")),
	    "ABC123");
	ck_assert_str_eq(json_string_value(json_object_get(j, "reply")),
	    "550 5.7.1");
	ck_assert_str_eq(json_string_value(json_object_get(j, "sender")),
	    "CEO@example.com");
	ck_assert_str_eq(json_string_value(json_object_get(j,
	    "client_name")), "mx\"\\??.example.net");
	ck_assert_ptr_null(strchr(sbuf_str(&b), '\n'));
	json_decref(j);
	sbuf_free(&b);
}
END_TEST


/* many logins: each finds its own entry, in any case, and no other's */
START_TEST(many_logins)
{
	char	*json = malloc(200000), *p;
	struct cfg_errors errs;
	struct cfg *big;
	struct verdict v;
	struct facts f;
	char	 login[32], addr[64];
	int	 i;

	ck_assert_ptr_nonnull(json);
	p = json + sprintf(json, "{\"version\": 1, \"internal_domains\": "
	    "[\"example.com\"], \"instances\": [{\"name\": \"out\", "
	    "\"direction\": \"outbound\", \"send_as\": {\"logins\": {");
	for (i = 0; i < 500; i++)
		p += sprintf(p, "%s\"User%03d\": [\"u%03d@example.com\"]",
		    i ? ", " : "", (i * 7919) % 500, (i * 7919) % 500);
	(void)sprintf(p, "}}}]}");
	memset(&errs, 0, sizeof(errs));
	big = cfg_parse(json, strlen(json), "big.json", ".", NULL, &errs);
	cfg_errors_free(&errs);
	free(json);
	ck_assert_ptr_nonnull(big);
	for (i = 0; i < 500; i++) {
		facts_init(&f);
		(void)snprintf(login, sizeof(login), "USER%03d", i);
		facts_set_str(f.sasl_user, sizeof(f.sasl_user), login);
		(void)snprintf(addr, sizeof(addr), "u%03d@example.com", i);
		ck_assert_int_eq(facts_set_sender(&f, addr), 0);
		verdict_init(&v);
		rule_eval(big, &big->inst[0], &f, STAGE_MAIL, STAGE_MAIL, &v);
		ck_assert_msg(v.n_hit == 0, "%s: refused as %s", login, addr);
		(void)snprintf(addr, sizeof(addr), "u%03d@example.com",
		    (i + 1) % 500);
		ck_assert_int_eq(facts_set_sender(&f, addr), 0);
		verdict_init(&v);
		rule_eval(big, &big->inst[0], &f, STAGE_MAIL, STAGE_MAIL, &v);
		ck_assert_msg(v.n_hit == 1, "%s: allowed as %s", login, addr);
	}
	cfg_release(big);
}
END_TEST

/*
 * Issue 14: raw From fields through hdrfrom_parse() and the rules.  A
 * field that does not parse with certainty is header_from's case when
 * its text names an internal domain, else malformed_from's.
 */
static const struct raw_case {
	const char *name, *inst, *sasl;
	const char *field[3];		/* NULL-terminated */
	int	 want_rule;		/* -1 = no hit */
	const char *want_why;		/* substring of the log reason */
} raw_cases[] = {
	{"encoded word where the domain is", "inbound", "",
	    {"ceo@=?utf-8?q?example.com?=", NULL}, RULE_SPOOF_HEADER,
	    "does not parse and names an internal domain"},
	{"DEL in quoted local part", "inbound", "",
	    {"\"ce\x7fo\"@example.com", NULL}, RULE_SPOOF_HEADER,
	    "internal"},
	{"domain literal holding a name", "inbound", "",
	    {"ceo@[example.com]", NULL}, RULE_SPOOF_HEADER, "internal domain"},
	{"IDNA full stop in domain", "inbound", "",
	    {"ceo@example\xe3\x80\x82" "com <<", NULL}, RULE_SPOOF_HEADER,
	    "internal"},
	{"sixteen empty groups first", "inbound", "",
	    {"g0:;, g1:;, g2:;, g3:;, g4:;, g5:;, g6:;, g7:;, g8:;, g9:;, "
	    "g10:;, g11:;, g12:;, g13:;, g14:;, g15:;, ceo@example.com", NULL},
	    RULE_SPOOF_HEADER, "internal domain"},
	{"sixteen external then internal field", "inbound", "",
	    {"a0@x.net, a1@x.net, a2@x.net, a3@x.net, a4@x.net, a5@x.net, "
	    "a6@x.net, a7@x.net, a8@x.net, a9@x.net, a10@x.net, a11@x.net, "
	    "a12@x.net, a13@x.net, a14@x.net, a15@x.net", "ceo@example.com",
	    NULL}, RULE_SPOOF_HEADER, "internal domain"},
	{"internal address after a long quoted prefix", "inbound", "",
	    {"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "\" <x@evil.net> ceo@example.com", NULL}, RULE_SPOOF_HEADER,
	    "internal domain"},
	{"malformed, no internal domain", "inbound", "",
	    {"x@evil.net <<<", NULL}, RULE_SPOOF_MALFORMED, "does not parse"},
	{"empty From field", "inbound", "", {"", NULL}, RULE_SPOOF_MALFORMED,
	    "does not parse"},
	{"well-formed external From", "inbound", "",
	    {"News <news@example.net>", NULL}, -1, ""},
	{"look-alike domain in a malformed field", "inbound", "",
	    {"ceo@example.com.evil.net <<<", NULL}, RULE_SPOOF_MALFORMED,
	    "does not parse"},
	{"outbound display name is another address", "outbound", "bob",
	    {"alice.smith@example.com <bob@example.com>", NULL},
	    RULE_SEND_AS_HEADER, "display name is an address"},
	{"outbound display name is the address itself", "outbound", "bob",
	    {"\"bob@example.com\" <bob@example.com>", NULL}, -1, ""},
	{"outbound display name with a broken address", "outbound", "bob",
	    {"\"alice@ example.com\" <bob@example.com>", NULL},
	    RULE_SEND_AS_HEADER, "display name"},
	{"outbound malformed From", "outbound", "bob",
	    {"bob@example.com, ceo@=?utf-8?q?example.com?=", NULL},
	    RULE_SEND_AS_HEADER, "does not parse"},
};

START_TEST(raw_from_rules)
{
	const struct raw_case *c = &raw_cases[_i];
	const struct cfg_instance *in = inst_named(c->inst);
	struct hdr_from hf = {0};
	struct verdict v;
	struct facts f;
	size_t	 nf;

	for (nf = 0; nf < 3 && c->field[nf] != NULL; nf++)
		continue;
	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, c->sasl[0] != '\0' ?
	    "10.1.2.3" : "198.51.100.7"), 0);
	facts_set_str(f.sasl_user, sizeof(f.sasl_user), c->sasl);
	ck_assert_int_eq(facts_set_sender(&f, "bob@example.net"), 0);
	hdrfrom_parse(&hf, c->field, nf);
	f.from = &hf;
	verdict_init(&v);
	rule_eval(cfg, in, &f, STAGE_EOH, STAGE_EOH, &v);
	if (c->want_rule < 0) {
		ck_assert_msg(v.n_hit == 0, "%s: got %s (%s), want no hit",
		    c->name, rule_name(v.hit[0].rule), v.hit[0].reason);
	} else {
		ck_assert_msg(v.n_hit >= 1 && (int)v.hit[0].rule ==
		    c->want_rule, "%s: got %s, want %s", c->name, v.n_hit ?
		    rule_name(v.hit[0].rule) : "no hit",
		    rule_name(c->want_rule));
		ck_assert_msg(strstr(v.hit[0].reason, c->want_why) != NULL,
		    "%s: reason \"%s\", want \"%s\"", c->name,
		    v.hit[0].reason, c->want_why);
		ck_assert_msg(v.refusal == &v.hit[0], "%s: not refused",
		    c->name);
		ck_assert_int_eq(v.refusal->code, 550);
		ck_assert_str_eq(v.refusal->dsn, "5.7.1");
	}
	hdrfrom_free(&hf);
}
END_TEST

/* spoofing.check_headers: Sender / Resent-From fields in f->other */
static const struct other_case {
	const char *name, *from, *other;
	int	 want_rule;		/* -1 = no hit */
} other_cases[] = {
	{"internal Sender with an external From", "x@example.net",
	    "ceo@example.com", RULE_SPOOF_HEADER},
	{"Sender hidden in an encoded word", "x@example.net",
	    "ceo@=?utf-8?q?example.com?=", RULE_SPOOF_HEADER},
	{"malformed external Sender", "x@example.net", "x@example.net <<<",
	    RULE_SPOOF_MALFORMED},
	{"external Sender", "x@example.net", "list@example.org", -1},
	{"not configured: no other fields", "x@example.net", NULL, -1},
};

START_TEST(other_header_rules)
{
	const struct other_case *c = &other_cases[_i];
	struct hdr_from hf = {0}, ho = {0};
	const char *fv[1] = { c->from }, *ov[1] = { c->other };
	struct verdict v;
	struct facts f;

	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, "198.51.100.7"), 0);
	ck_assert_int_eq(facts_set_sender(&f, "x@example.net"), 0);
	hdrfrom_parse(&hf, fv, 1);
	f.from = &hf;
	if (c->other != NULL) {
		hdrfrom_parse(&ho, ov, 1);
		f.other = &ho;
	}
	verdict_init(&v);
	rule_eval(cfg, inst_named("inbound"), &f, STAGE_EOH, STAGE_EOH, &v);
	if (c->want_rule < 0)
		ck_assert_msg(v.refusal == NULL, "%s: refused by %s", c->name,
		    rule_name(v.refusal->rule));
	else
		ck_assert_msg(v.refusal != NULL && (int)v.refusal->rule ==
		    c->want_rule, "%s: got %s, want %s", c->name,
		    v.refusal ? rule_name(v.refusal->rule) : "accept",
		    rule_name(c->want_rule));
	hdrfrom_free(&hf);
	hdrfrom_free(&ho);
}
END_TEST

/* check_headers: known names only */
START_TEST(check_headers_config)
{
	static const char bad[] = "{\"version\": 1, \"internal_domains\": "
	    "[\"example.com\"], \"instances\": [{\"name\": \"in\", "
	    "\"direction\": \"inbound\", \"spoofing\": {\"header_from\": "
	    "\"reject\", \"check_headers\": [\"Sender\", \"Reply-To\"]}}]}";
	static const char good[] = "{\"version\": 1, \"internal_domains\": "
	    "[\"example.com\"], \"instances\": [{\"name\": \"in\", "
	    "\"direction\": \"inbound\", \"spoofing\": {\"header_from\": "
	    "\"reject\", \"check_headers\": [\"From\", \"sender\", "
	    "\"Resent-From\"]}}]}";
	struct cfg_errors errs;
	struct cfg *c;

	memset(&errs, 0, sizeof(errs));
	c = cfg_parse(bad, strlen(bad), "bad.json", ".", NULL, &errs);
	ck_assert_ptr_null(c);
	ck_assert_uint_ge(errs.err.n, 1);
	ck_assert_ptr_nonnull(strstr(errs.err.v[0], "Reply-To"));
	cfg_errors_free(&errs);
	memset(&errs, 0, sizeof(errs));
	c = cfg_parse(good, strlen(good), "good.json", ".", NULL, &errs);
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->inst[0].spoof.check_headers, CFG_HDR_SENDER |
	    CFG_HDR_RESENT_FROM);
	ck_assert_int_eq(c->inst[0].spoof.malformed_from, CFG_ACT_REJECT);
	cfg_release(c);
	cfg_errors_free(&errs);
}
END_TEST

/* Envelope senders that do not parse, on the inbound face. */
static const struct bad_env_case {
	const char *name, *from;
	int	 refused;
} bad_env_cases[] = {
	{"local part longer than the parser takes",
	    "<aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "@example.com>", 1},
	{"control character in quoted local part", "<\"ce\x01o\"@example.com>",
	    1},
	{"U+3002 as a dot", "<ceo@example\xe3\x80\x82" "com>", 1},
	{"external and unparseable", "<\"x\x01\"@example.net>", 0},
};

START_TEST(unparseable_envelope)
{
	const struct bad_env_case *c = &bad_env_cases[_i];
	struct verdict v;
	struct facts f;

	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, "198.51.100.7"), 0);
	ck_assert_msg(facts_set_sender(&f, c->from) != 0, "%s: parses",
	    c->name);
	verdict_init(&v);
	rule_eval(cfg, inst_named("inbound"), &f, STAGE_MAIL, STAGE_MAIL, &v);
	if (!c->refused) {
		ck_assert_msg(v.refusal == NULL, "%s: refused", c->name);
		return;
	}
	ck_assert_msg(v.refusal != NULL && v.refusal->rule ==
	    RULE_SPOOF_ENVELOPE, "%s: not refused by spoofing.envelope_from",
	    c->name);
	ck_assert_int_eq(v.refusal->code, 550);
}
END_TEST

/* FACTS_SENDER_MAX: at, below and above; past it the sender is cut. */
START_TEST(sender_length_bound)
{
	static const size_t lens[] = { FACTS_SENDER_MAX - 2,
	    FACTS_SENDER_MAX - 1, FACTS_SENDER_MAX };
	char	 from[FACTS_SENDER_MAX + 32];
	size_t	 n = lens[_i];
	struct verdict v;
	struct facts f;

	/* "<" + quoted local part of 'a' + "\"@example.net>": external */
	memset(from, 'a', n);
	from[0] = '<';
	from[1] = '"';
	memcpy(from + n - 14, "\"@example.net>", 15);
	ck_assert_uint_eq(strlen(from), n);
	facts_init(&f);
	ck_assert_int_eq(facts_set_client(&f, "198.51.100.7"), 0);
	(void)facts_set_sender(&f, from);
	ck_assert_int_eq(f.sender_cut, n >= FACTS_SENDER_MAX);
	verdict_init(&v);
	rule_eval(cfg, inst_named("inbound"), &f, STAGE_MAIL, STAGE_MAIL, &v);
	ck_assert_msg((v.refusal != NULL) == (n >= FACTS_SENDER_MAX),
	    "%zu bytes: refused %d", n, v.refusal != NULL);
}
END_TEST

static void
rule_suite(Suite *s)
{
	TCase	*tc;

	tc = unit_tests(s, "raw From fields (issue 14)", check_headers_config,
	    NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, raw_from_rules, 0, NELEM(raw_cases));
	tcase_add_loop_test(tc, unparseable_envelope, 0, NELEM(bad_env_cases));
	tcase_add_loop_test(tc, sender_length_bound, 0, 3);
	tcase_add_loop_test(tc, other_header_rules, 0, NELEM(other_cases));
	tc = unit_loop(s, "envelope rules", envelope_rules, NELEM(env_cases));
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = unit_loop(s, "header From rules", header_rules, NELEM(hdr_cases));
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = unit_tests(s, "stages, modes and instances", stage_gating,
	    monitor_evaluates_every_rule, unknown_instance,
	    tag_headers_and_names, decision_log_line, decision_event,
	    many_logins, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = unit_loop(s, "messages per session", session_limit,
	    NELEM(session_cases));
	tcase_add_checked_fixture(tc, setup, teardown);
}

UNIT_MAIN("rule", rule_suite)
