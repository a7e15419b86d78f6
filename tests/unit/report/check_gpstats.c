/* check_gpstats.c - unit tests for lib/report/gpstats.c and lib/report/gpstats_out.c */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cfg.h"
#include "gpstats.h"
#include "promtext.h"
#include "unit.h"

static void	gpstats_suite(Suite *);

static const char json[] =
"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"in\", \"direction\": \"inbound\"},\n"
"  {\"name\": \"out\", \"direction\": \"outbound\"},\n"
"  {\"name\": \"lan\", \"direction\": \"internal\"}]}\n";

static const char policyd[] =
"gatepost_policy_requests_total{face=\"in\",direction=\"inbound\","
"reply=\"reject\"} 2\n"
"gatepost_rule_hits_total{face=\"in\",rule=\"auth\",action=\"reject\","
"mode=\"enforce\"} 2\n"
"gatepost_config_reloads_total{result=\"ok\"} 1\n";

static const char milter[] =
"gatepost_messages_total{face=\"out\",direction=\"outbound\","
"action=\"accepted\"} 10\n"
"gatepost_messages_total{face=\"in\",direction=\"inbound\","
"action=\"rejected\"} 1\n"
"gatepost_rule_hits_total{face=\"in\",rule=\"auth\",action=\"reject\","
"mode=\"enforce\"} 3\n"
"gatepost_disclaimers_total{face=\"lan\",result=\"added\"} 4\n"
"gatepost_scans_total{face=\"ghost\",engine=\"spamd\",result=\"spam\"} 5\n"
"gatepost_scan_seconds_sum{engine=\"spamd\"} 1\n"
"gatepost_scan_seconds_count{engine=\"spamd\"} 4\n"
"gatepost_unrelated_total 99\n";

static struct cfg *cfg;
static struct gpstats st;

static void
add(const char *source, const char *text)
{
	struct prom_samples s = { NULL, 0 };
	char	 why[64];

	ck_assert_int_eq(promtext_parse(text, strlen(text), &s, why,
	    sizeof(why)), 0);
	gpstats_add(&st, source, &s);
	promtext_free(&s);
}

static void
setup(void)
{
	cfg = unit_cfg(json, "t.json");
	gpstats_init(&st, cfg);
	add("policyd", policyd);
	add("milter", milter);
}

static void
teardown(void)
{
	gpstats_free(&st);
	cfg_release(cfg);
}

/* both daemons' rule hits add up; a face maps to its direction */
START_TEST(check_fold)
{
	char	*t = gpstats_table(&st);

	ck_assert_msg(strstr(t, "      inbound    outbound    internal     "
	    "unknown\n") != NULL, "header:\n%s", t);
	ck_assert_msg(strstr(t, "  auth reject") != NULL && strstr(t,
	    "5           0           0           0\n") != NULL, "sum:\n%s", t);
	ck_assert_msg(strstr(t, "  added ") != NULL && strstr(t,
	    "0           0           4           0\n") != NULL, "face:\n%s", t);
	ck_assert_msg(strstr(t, "  spamd spam") != NULL, "scan:\n%s", t);
	ck_assert_msg(strstr(t, "unrelated") == NULL, "unknown metric:\n%s",
	    t);
	ck_assert_msg(strstr(t, "scan time: spamd 4 scans, average 0.250 s")
	    != NULL, "scan time:\n%s", t);
	ck_assert_msg(strstr(t, "policyd: config reloads: ok 1\n") != NULL,
	    "notes:\n%s", t);
	ck_assert_msg(strstr(t, "messages\n  accepted") != NULL &&
	    strstr(t, "  accepted") < strstr(t, "  rejected"), "order:\n%s",
	    t);
	free(t);
}
END_TEST

START_TEST(check_json)
{
	json_t	*j = gpstats_json(&st), *d;

	d = json_object_get(json_object_get(j, "directions"), "outbound");
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(d,
	    "messages"), "accepted")), 10);
	ck_assert_int_eq(json_integer_value(json_object_get(d, "bytes")), 0);
	d = json_object_get(json_object_get(j, "directions"), "inbound");
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(
	    json_object_get(d, "rule_decisions"), 0), "count")), 5);
	ck_assert_ptr_null(json_object_get(json_object_get(j, "directions"),
	    "local"));
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(
	    json_object_get(j, "scan_seconds"), "spamd"), "count")), 4);
	json_decref(j);
}
END_TEST

/* an idle gateway: columns from the config, a clear empty table */
START_TEST(check_empty)
{
	struct gpstats e;
	char	*t;

	gpstats_init(&e, cfg);
	t = gpstats_table(&e);
	ck_assert_msg(strstr(t, "(no mail counted yet)") != NULL &&
	    strstr(t, "unknown") == NULL, "got:\n%s", t);
	free(t);
	gpstats_free(&e);
}
END_TEST

static void
gpstats_suite(Suite *s)
{
	TCase	*tc = unit_tests(s, "daemons folded side by side",
	    check_fold, check_json, check_empty, NULL);

	tcase_add_checked_fixture(tc, setup, teardown);
}

UNIT_MAIN("gpstats", gpstats_suite)
