/* check_scan_policy.c - unit tests for lib/scan/scan_policy.c */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan_policy.h"
#include "unit.h"

#define NO		(-1e9)		/* threshold not configured */

static void scan_policy_suite(Suite *);

/* one verdict under one block and what must come out */
static const struct pcase {
	const char *name;
	enum scan_kind kind;
	double	 tag, hold, reject;	/* NO = absent */
	enum cfg_act virus_act, on_error;
	enum scan_result in;
	double	 score;
	const char *symbols, *virus;
	enum cfg_act act;
	const char *result;
	int	 headers, flag;
	const char *score_hdr, *status;	/* NULL: not checked */
	int	 code;
	const char *dsn, *text;
} cases[] = {
	{ "clean gets the score header", SCAN_KIND_SPAM, 5, NO, 15, 0, 0,
	    SCAN_CLEAN, 1.2, "MSGID_SHORT", NULL, CFG_ACT_NONE, "clean", 1,
	    0, "1.2", "No, score=1.2 required=5.0 tests=MSGID_SHORT", 0, "",
	    "" },
	{ "negative zero shown as 0.0", SCAN_KIND_SPAM, 5, NO, 15, 0, 0,
	    SCAN_CLEAN, -0.0001, "", NULL, CFG_ACT_NONE, "clean", 1, 0, "0.0",
	    "No, score=0.0 required=5.0 tests=none", 0, "", "" },
	{ "negative score", SCAN_KIND_SPAM, 5, NO, 15, 0, 0, SCAN_CLEAN,
	    -2.25, "", NULL, CFG_ACT_NONE, "clean", 1, 0, "-2.2", NULL, 0, "",
	    "" },
	{ "tag at exactly tag_score", SCAN_KIND_SPAM, 5, NO, 15, 0, 0,
	    SCAN_CLEAN, 5.0, "A,B", NULL, CFG_ACT_TAG, "spam", 1, 1, "5.0",
	    "Yes, score=5.0 required=5.0 tests=A,B", 0, "", "" },
	{ "engine says spam below our tag_score", SCAN_KIND_SPAM, 8, NO, 15,
	    0, 0, SCAN_SPAM, 6.0, "X", NULL, CFG_ACT_NONE, "clean", 1, 0,
	    "6.0", "No, score=6.0 required=8.0 tests=X", 0, "", "" },
	{ "hold between hold and reject", SCAN_KIND_SPAM, 5, 10, 15, 0, 0,
	    SCAN_SPAM, 12.0, "A", NULL, CFG_ACT_HOLD, "spam", 1, 1, "12.0",
	    "Yes, score=12.0 required=5.0 tests=A", 0, "", "" },
	{ "reject at reject_score", SCAN_KIND_SPAM, 5, 10, 15, 0, 0,
	    SCAN_SPAM, 15.0, "A", NULL, CFG_ACT_REJECT, "spam", 1, 1, "15.0",
	    NULL, 550, "5.7.1", "Message content rejected as spam" },
	{ "gtube", SCAN_KIND_SPAM, 5, NO, 15, 0, 0, SCAN_SPAM, 1000.0,
	    "GTUBE,NO_RELAYS", NULL, CFG_ACT_REJECT, "spam", 1, 1, "1000.0",
	    "Yes, score=1000.0 required=5.0 tests=GTUBE,NO_RELAYS", 550,
	    "5.7.1", "rejected as spam" },
	{ "no reject_score: tag only", SCAN_KIND_SPAM, 5, NO, NO, 0, 0,
	    SCAN_SPAM, 1000.0, "GTUBE", NULL, CFG_ACT_TAG, "spam", 1, 1,
	    "1000.0", NULL, 0, "", "" },
	{ "hold without reject_score", SCAN_KIND_SPAM, 5, 10, NO, 0, 0,
	    SCAN_SPAM, 1000.0, "", NULL, CFG_ACT_HOLD, "spam", 1, 1, NULL,
	    NULL, 0, "", "" },
	{ "huge score clamped", SCAN_KIND_SPAM, 5, NO, 15, 0, 0, SCAN_SPAM,
	    1e300, "", NULL, CFG_ACT_REJECT, "spam", 1, 1, "99999.0", NULL,
	    550, "5.7.1", "" },
	{ "spam error tempfails 4.3.0", SCAN_KIND_SPAM, 5, NO, 15, 0,
	    CFG_ACT_TEMPFAIL, SCAN_ERROR, 0, "", NULL, CFG_ACT_TEMPFAIL,
	    "error", 0, 0, "", "", 451, "4.3.0", "try again later" },
	{ "spam error accepted", SCAN_KIND_SPAM, 5, NO, 15, 0, CFG_ACT_ACCEPT,
	    SCAN_ERROR, 0, "", NULL, CFG_ACT_NONE, "error", 0, 0, "", "", 0,
	    "", "" },
	{ "spam over max_size, oversize accept", SCAN_KIND_SPAM, 5, NO, 15, 0, 0,
	    SCAN_SKIPPED_SIZE, 0, "", NULL, CFG_ACT_NONE, "skipped_size", 0,
	    0, "", "", 0, "", "" },
	{ "virus rejects naming the signature", SCAN_KIND_VIRUS, 0, NO, NO,
	    CFG_ACT_REJECT, 0, SCAN_VIRUS, 0, "", "Eicar-Test-Signature",
	    CFG_ACT_REJECT, "virus", 0, 0, "", "", 550, "5.7.1",
	    "Message content rejected: virus found (Eicar-Test-Signature)" },
	{ "virus default action rejects", SCAN_KIND_VIRUS, 0, NO, NO,
	    CFG_ACT_NONE, 0, SCAN_VIRUS, 0, "", "X", CFG_ACT_REJECT, "virus",
	    0, 0, "", "", 550, "5.7.1", "(X)" },
	{ "virus held", SCAN_KIND_VIRUS, 0, NO, NO, CFG_ACT_HOLD, 0,
	    SCAN_VIRUS, 0, "", "Eicar-Test-Signature", CFG_ACT_HOLD, "virus",
	    0, 0, "", "", 0, "", "" },
	{ "virus clean", SCAN_KIND_VIRUS, 0, NO, NO, CFG_ACT_REJECT, 0,
	    SCAN_CLEAN, 0, "", "", CFG_ACT_NONE, "clean", 0, 0, "", "", 0, "",
	    "" },
	{ "virus error tempfails", SCAN_KIND_VIRUS, 0, NO, NO, CFG_ACT_REJECT,
	    CFG_ACT_TEMPFAIL, SCAN_ERROR, 0, "", "", CFG_ACT_TEMPFAIL,
	    "error", 0, 0, "", "", 451, "4.3.0", "" },
	{ "virus error accepted", SCAN_KIND_VIRUS, 0, NO, NO, CFG_ACT_REJECT,
	    CFG_ACT_ACCEPT, SCAN_ERROR, 0, "", "", CFG_ACT_NONE, "error", 0,
	    0, "", "", 0, "", "" },
	{ "virus over max_size, oversize accept", SCAN_KIND_VIRUS, 0, NO, NO, CFG_ACT_REJECT,
	    0, SCAN_SKIPPED_SIZE, 0, "", "", CFG_ACT_NONE, "skipped_size", 0,
	    0, "", "", 0, "", "" },
};

/* make_block - the cfg_scan a case describes */
static void
make_block(const struct pcase *c, struct cfg_scan *s)
{
	memset(s, 0, sizeof(*s));
	s->set = 1;
	s->engine = c->kind == SCAN_KIND_SPAM ? CFG_ENG_SPAMD : CFG_ENG_CLAMD;
	s->timeout_ms = 10000;
	s->max_size = 1048576;
	s->tag_score = c->tag;
	s->has_hold_score = c->hold != NO;
	s->hold_score = c->hold;
	s->has_reject_score = c->reject != NO;
	s->reject_score = c->reject;
	s->action = c->virus_act;
	s->on_error = c->on_error == CFG_ACT_NONE ? CFG_ACT_TEMPFAIL :
	    c->on_error;
	/* the table's over-max_size cases are the accept choice */
	s->oversize = CFG_OVERSIZE_ACCEPT;
}

/* outcome - what the block of cases[i] makes of v */
static void
outcome(size_t i, enum scan_kind kind, const struct scan_verdict *v,
    struct scan_outcome *o)
{
	struct cfg_scan s;

	make_block(&cases[i], &s);
	scan_policy(&s, kind, v, o);
}

/* a message over max_size under each oversize choice */
static const struct ocase {
	const char *name;
	enum scan_kind kind;
	enum cfg_oversize oversize;
	enum cfg_act act;
	const char *label;		/* o.oversize */
	int	 code;
	const char *dsn, *text, *unscanned;
} ocases[] = {
	{ "spam accept: passes, no header", SCAN_KIND_SPAM,
	    CFG_OVERSIZE_ACCEPT, CFG_ACT_NONE, "accept", 0, "", "", "" },
	{ "spam tag: X-Spam-Unscanned says why", SCAN_KIND_SPAM,
	    CFG_OVERSIZE_TAG, CFG_ACT_NONE, "tag", 0, "", "",
	    "not scanned for spam: larger than max_size=1048576 bytes" },
	{ "spam reject: 552 5.3.4", SCAN_KIND_SPAM, CFG_OVERSIZE_REJECT,
	    CFG_ACT_REJECT, "reject", 552, "5.3.4",
	    "too large to be scanned for spam (limit 1048576 bytes)", "" },
	{ "spam truncate with nothing sent tags", SCAN_KIND_SPAM,
	    CFG_OVERSIZE_TRUNCATE, CFG_ACT_NONE, "tag", 0, "", "",
	    "not scanned for spam" },
	{ "virus reject: 552 5.3.4", SCAN_KIND_VIRUS, CFG_OVERSIZE_REJECT,
	    CFG_ACT_REJECT, "reject", 552, "5.3.4",
	    "too large to be scanned for viruses", "" },
	{ "virus accept: passes", SCAN_KIND_VIRUS, CFG_OVERSIZE_ACCEPT,
	    CFG_ACT_NONE, "accept", 0, "", "", "" },
};

START_TEST(oversize_table)
{
	const struct ocase *c = &ocases[_i];
	struct cfg_scan s;
	struct scan_verdict v;
	struct scan_outcome o;

	make_block(&cases[c->kind == SCAN_KIND_SPAM ? 0 : 14], &s);
	s.oversize = c->oversize;
	scan_verdict_init(&v);
	v.result = SCAN_SKIPPED_SIZE;
	scan_policy(&s, c->kind, &v, &o);
	ck_assert_msg(o.act == c->act, "%s: got act %s, want %s", c->name,
	    cfg_act_name(o.act), cfg_act_name(c->act));
	ck_assert_msg(strcmp(o.result, "skipped_size") == 0,
	    "%s: got result %s, want skipped_size", c->name, o.result);
	ck_assert_msg(o.oversize != NULL && strcmp(o.oversize, c->label) ==
	    0, "%s: got label %s, want %s", c->name, o.oversize != NULL ?
	    o.oversize : "NULL", c->label);
	ck_assert_msg(o.code == c->code && strcmp(o.dsn, c->dsn) == 0,
	    "%s: got %d %s, want %d %s", c->name, o.code, o.dsn, c->code,
	    c->dsn);
	ck_assert_msg(strstr(o.text, c->text) != NULL,
	    "%s: got text \"%s\", want \"%s\"", c->name, o.text, c->text);
	ck_assert_msg(c->unscanned[0] == '\0' ? o.unscanned[0] == '\0' :
	    strstr(o.unscanned, c->unscanned) != NULL,
	    "%s: got unscanned \"%s\", want \"%s\"", c->name, o.unscanned,
	    c->unscanned);
	ck_assert_msg(!o.headers && !o.flag, "%s: X-Spam-Status added",
	    c->name);
}
END_TEST

/* a truncated scan says so in X-Spam-Status and the log reason */
START_TEST(truncated_marked)
{
	struct cfg_scan s;
	struct scan_verdict v;
	struct scan_outcome o;

	make_block(&cases[0], &s);
	s.oversize = CFG_OVERSIZE_TRUNCATE;
	scan_verdict_init(&v);
	v.result = SCAN_SPAM;
	v.has_score = 1;
	v.score = 7.5;
	scan_policy(&s, SCAN_KIND_SPAM, &v, &o);
	scan_policy_truncated(&s, &o);
	ck_assert_int_eq(o.act, CFG_ACT_TAG);
	ck_assert_str_eq(o.oversize, "truncate");
	ck_assert_str_eq(o.status,
	    "Yes, score=7.5 required=5.0 tests=none truncated=1048576");
	ck_assert_ptr_nonnull(strstr(o.reason, "first 1048576 body bytes"));
	/* a failed truncated scan stays an on_error outcome, no header */
	scan_verdict_init(&v);
	scan_verdict_error(&v, "timed out");
	scan_policy(&s, SCAN_KIND_SPAM, &v, &o);
	scan_policy_truncated(&s, &o);
	ck_assert_int_eq(o.act, CFG_ACT_TEMPFAIL);
	ck_assert_int_eq(o.headers, 0);
	ck_assert_str_eq(o.status, "");
	/* a message that fit carries no oversize label */
	scan_verdict_init(&v);
	v.result = SCAN_CLEAN;
	v.has_score = 1;
	scan_policy(&s, SCAN_KIND_SPAM, &v, &o);
	ck_assert_ptr_null(o.oversize);
	ck_assert_str_eq(o.unscanned, "");
}
END_TEST

START_TEST(policy_table)
{
	const struct pcase *c = &cases[_i];
	struct cfg_scan s;
	struct scan_verdict v;
	struct scan_outcome o;

	make_block(c, &s);
	scan_verdict_init(&v);
	v.result = c->in;
	v.has_score = c->kind == SCAN_KIND_SPAM && c->in != SCAN_ERROR;
	v.score = c->score;
	(void)snprintf(v.symbols, sizeof(v.symbols), "%s", c->symbols);
	(void)snprintf(v.virus, sizeof(v.virus), "%s", c->virus);
	if (c->in == SCAN_ERROR)
		scan_verdict_error(&v, "connect: Connection refused");
	scan_policy(&s, c->kind, &v, &o);
	ck_assert_msg(o.act == c->act, "%s: got act %s, want %s", c->name,
	    cfg_act_name(o.act), cfg_act_name(c->act));
	ck_assert_msg(strcmp(o.result, c->result) == 0,
	    "%s: got result %s, want %s", c->name, o.result, c->result);
	ck_assert_msg(o.headers == c->headers && o.flag == c->flag,
	    "%s: got headers %d flag %d, want %d %d", c->name, o.headers,
	    o.flag, c->headers, c->flag);
	unit_want_str(c->name, "score", o.score, c->score_hdr);
	unit_want_str(c->name, "status", o.status, c->status);
	ck_assert_msg(o.code == c->code && strcmp(o.dsn, c->dsn) == 0,
	    "%s: got %d %s, want %d %s", c->name, o.code, o.dsn, c->code,
	    c->dsn);
	ck_assert_msg(strstr(o.text, c->text) != NULL,
	    "%s: got text \"%s\", want \"%s\"", c->name, o.text, c->text);
	ck_assert_msg(o.reason[0] != '\0', "%s: no reason", c->name);
}
END_TEST

/* the reply of an error names no internal detail; the log reason does */
START_TEST(error_reply_hides_detail)
{
	struct scan_verdict v;
	struct scan_outcome o;
	struct rule_hit h;

	scan_verdict_init(&v);
	scan_verdict_error(&v, "connect 10.1.2.3:783: timed out");
	outcome(11, SCAN_KIND_SPAM, &v, &o);
	ck_assert_ptr_null(strstr(o.text, "10.1.2.3"));
	ck_assert_ptr_nonnull(strstr(o.reason, "10.1.2.3"));
	scan_policy_hit(&o, CFG_MODE_ENFORCE, &h);
	ck_assert_int_eq(h.rule, RULE_SPAM);
	ck_assert_int_eq(h.action, CFG_ACT_TEMPFAIL);
	ck_assert_int_eq(h.code, 451);
	ck_assert_str_eq(h.dsn, "4.3.0");
	ck_assert_ptr_eq(h.text, o.text);
	ck_assert_ptr_eq(h.reason, o.reason);
}
END_TEST

/* hits carry the rule, mode and the outcome's reply */
START_TEST(hits)
{
	struct scan_verdict v;
	struct scan_outcome o;
	struct rule_hit h;

	scan_verdict_init(&v);
	v.result = SCAN_VIRUS;
	(void)snprintf(v.virus, sizeof(v.virus), "Eicar-Test-Signature");
	outcome(14, SCAN_KIND_VIRUS, &v, &o);
	scan_policy_hit(&o, CFG_MODE_MONITOR, &h);
	ck_assert_int_eq(h.rule, RULE_VIRUS);
	ck_assert_int_eq(h.mode, CFG_MODE_MONITOR);
	ck_assert_int_eq(h.code, 550);
	ck_assert_str_eq(h.text, o.text);
	scan_verdict_init(&v);
	v.has_score = 1;
	v.score = 6;
	outcome(3, SCAN_KIND_SPAM, &v, &o);
	scan_policy_hit(&o, CFG_MODE_ENFORCE, &h);
	ck_assert_int_eq(h.action, CFG_ACT_TAG);
	ck_assert_int_eq(h.code, 0);
}
END_TEST

/* a spam verdict without a score is an error, not a pass */
START_TEST(no_score_is_error)
{
	struct scan_verdict v;
	struct scan_outcome o;

	scan_verdict_init(&v);
	v.result = SCAN_CLEAN;
	outcome(0, SCAN_KIND_SPAM, &v, &o);
	ck_assert_str_eq(o.result, "error");
	ck_assert_int_eq(o.act, CFG_ACT_TEMPFAIL);
}
END_TEST

START_TEST(size_fits)
{
	struct cfg_scan s;

	make_block(&cases[0], &s);
	ck_assert(scan_policy_fits(&s, 0));
	ck_assert(scan_policy_fits(&s, 1048576));
	ck_assert(!scan_policy_fits(&s, 1048577));
	ck_assert_str_eq(scan_engine_name(CFG_ENG_RSPAMD), "rspamd");
}
END_TEST

static void
scan_policy_suite(Suite *s)
{
	unit_loop(s, "verdict table", policy_table, NELEM(cases));
	unit_tests(s, "replies and hits", error_reply_hides_detail, hits,
	    no_score_is_error, size_fits, NULL);
	tcase_add_test(unit_loop(s, "over max_size", oversize_table,
	    NELEM(ocases)), truncated_marked);
}

UNIT_MAIN("scan_policy", scan_policy_suite)
