/* check_evlog.c - unit tests for lib/report/evlog.c: events joined by queue id */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "evlog.h"
#include "unit.h"

static const char *const lines[] = {
	/* policyd at RCPT, before a queue id: a refusal apart */
	"{\"event\":\"decision\",\"queue_id\":null,\"direction\":\"inbound\","
	"\"rule\":\"spoofing.envelope_from\",\"action\":\"reject\"}",
	/* in a daemon's log, after "IDENT[PID]: info: " */
	"gatepost-policyd[7]: info: {\"event\":\"decision\",\"queue_id\":"
	"\"AAA1\",\"direction\":\"outbound\",\"rule\":\"rate_limits\","
	"\"action\":\"hold\"}",
	/* the same rule twice for one message counts once */
	"{\"event\":\"decision\",\"queue_id\":\"AAA1\",\"direction\":"
	"\"outbound\",\"rule\":\"rate_limits\",\"action\":\"hold\"}",
	"{\"event\":\"message\",\"queue_id\":\"AAA1\",\"direction\":"
	"\"outbound\",\"outcome\":\"held\",\"recipients\":3,\"size\":1000,"
	"\"rules\":[\"send_as.header_from\",\"rate_limits\"]}",
	"{\"event\":\"message\",\"queue_id\":\"BBB2\",\"direction\":"
	"\"inbound\",\"outcome\":\"accepted\",\"recipients\":1,\"size\":10,"
	"\"rules\":[]}",
	/* a decision whose message the milter never finished */
	"{\"event\":\"decision\",\"queue_id\":\"CCC3\",\"direction\":"
	"\"inbound\",\"rule\":\"spam\",\"action\":\"reject\"}",
	/* accepts are not rule hits */
	"{\"event\":\"decision\",\"queue_id\":\"BBB2\",\"direction\":"
	"\"inbound\",\"rule\":\"auth\",\"action\":\"accept\"}",
	"{\"event\":\"config\",\"reason\":\"start\"}",
};

/* not events: Postfix lines, other JSON, broken JSON */
static const char *const others[] = {
	"Dec 08 05:00:00 gw postfix/qmgr[1]: AAA1: removed",
	"{\"level\":\"info\"}",
	"{\"event\":\"decision\",\"queue_id\":",
	"gatepost-milter[2]: info: AAA1: instance=inbound {x}",
};

START_TEST(join)
{
	struct evlog *e = evlog_new();
	const struct evlog_counts *c;
	const struct evlog_rule *r;
	size_t	 i, n;

	for (i = 0; i < NELEM(lines); i++)
		ck_assert_msg(evlog_feed(e, lines[i], strlen(lines[i])) == 1,
		    "line %zu not taken", i);
	for (i = 0; i < NELEM(others); i++)
		ck_assert_msg(evlog_feed(e, others[i], strlen(others[i])) == 0,
		    "other %zu taken", i);
	evlog_end(e);
	ck_assert_uint_eq(evlog_events(e), 8);
	ck_assert_uint_eq(evlog_configs(e), 1);
	c = evlog_counts(e);
	ck_assert_uint_eq(c[1].messages[EVLOG_HELD], 1);
	ck_assert_uint_eq(c[1].recipients, 3);
	ck_assert_uint_eq(c[1].bytes, 1000);
	ck_assert_uint_eq(c[0].messages[EVLOG_ACCEPTED], 1);
	ck_assert_uint_eq(c[0].decisions_only, 1);
	r = evlog_rules(e, &n);
	ck_assert_uint_eq(n, 4);
	/* sorted: direction, per message before refusals, count, name */
	ck_assert_str_eq(r[0].rule, "spam");
	ck_assert_int_eq(r[0].queued, 1);
	ck_assert_str_eq(r[1].rule, "spoofing.envelope_from");
	ck_assert_str_eq(r[1].action, "reject");
	ck_assert_int_eq(r[1].queued, 0);
	ck_assert_str_eq(r[2].rule, "rate_limits");
	ck_assert_uint_eq(r[2].count, 1);
	ck_assert_str_eq(r[3].rule, "send_as.header_from");
	evlog_free(e);
}
END_TEST

static void
evlog_suite(Suite *s)
{
	(void)unit_tests(s, "events joined by queue id", join, NULL);
}

UNIT_MAIN("evlog", evlog_suite)
