/* check_promtext.c - unit tests for lib/report/promtext.c */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "promtext.h"
#include "unit.h"


static void	promtext_suite(Suite *);

static const struct ok_case {
	const char *name, *in;
	size_t	 n;			/* samples */
	const char *metric;		/* of the last sample */
	const char *label, *lvalue;	/* one of its labels, or NULL */
	double	 value;
} ok_cases[] = {
	{ "bare sample", "up 1\n", 1, "up", NULL, NULL, 1 },
	{ "no final newline", "up 2", 1, "up", NULL, NULL, 2 },
	{ "comments and blank lines", "# HELP a x\n# TYPE a counter\n\n"
	    "a 3\n", 1, "a", NULL, NULL, 3 },
	{ "labels", "m{face=\"inbound\",direction=\"in\"} 7\n", 1, "m",
	    "direction", "in", 7 },
	{ "trailing comma in labels", "m{a=\"b\",} 1\n", 1, "m", "a", "b", 1 },
	{ "spaces around labels", "m { a = \"b\" , c=\"d\" } 4\n", 1, "m",
	    "c", "d", 4 },
	{ "escaped quote", "m{a=\"x\\\"y\"} 1\n", 1, "m", "a", "x\"y", 1 },
	{ "escaped backslash then n", "m{a=\"x\\\\n\"} 1\n", 1, "m", "a",
	    "x\\n", 1 },
	{ "escaped newline", "m{a=\"x\\ny\"} 1\n", 1, "m", "a", "x\ny", 1 },
	{ "comma and brace in a value", "m{a=\"1,}\"} 1\n", 1, "m", "a",
	    "1,}", 1 },
	{ "timestamp dropped", "m 5 1700000000000\n", 1, "m", NULL, NULL, 5 },
	{ "negative timestamp", "m 5 -1\n", 1, "m", NULL, NULL, 5 },
	{ "float", "m 0.25\n", 1, "m", NULL, NULL, 0.25 },
	{ "exponent", "m 1.5e3\n", 1, "m", NULL, NULL, 1500 },
	{ "+Inf", "m +Inf\n", 1, "m", NULL, NULL, INFINITY },
	{ "-Inf", "m -Inf\n", 1, "m", NULL, NULL, -INFINITY },
	{ "CRLF", "a 1\r\nb 2\r\n", 2, "b", NULL, NULL, 2 },
	{ "histogram series", "h_bucket{le=\"+Inf\"} 3\nh_sum 0.5\n"
	    "h_count 3\n", 3, "h_count", NULL, NULL, 3 },
	{ "colon in a name", "job:rate5m 9\n", 1, "job:rate5m", NULL, NULL,
	    9 },
};

START_TEST(check_ok)
{
	const struct ok_case *t = &ok_cases[_i];
	struct prom_samples s = { NULL, 0 };
	const struct prom_sample *last;
	char	 why[128] = "";

	ck_assert_msg(promtext_parse(t->in, strlen(t->in), &s, why,
	    sizeof(why)) == 0, "%s: %s", t->name, why);
	ck_assert_msg(s.n == t->n, "%s: got %zu samples, want %zu", t->name,
	    s.n, t->n);
	last = &s.v[s.n - 1];
	ck_assert_msg(strcmp(last->name, t->metric) == 0, "%s: got %s",
	    t->name, last->name);
	ck_assert_msg(last->value == t->value, "%s: got %g, want %g",
	    t->name, last->value, t->value);
	if (t->label != NULL)
		ck_assert_msg(promtext_label(last, t->label) != NULL &&
		    strcmp(promtext_label(last, t->label), t->lvalue) == 0,
		    "%s: label %s got %s", t->name, t->label,
		    promtext_label(last, t->label));
	ck_assert_ptr_null(promtext_label(last, "nope"));
	promtext_free(&s);
}
END_TEST

START_TEST(check_nan)
{
	struct prom_samples s = { NULL, 0 };
	char	 why[64];

	ck_assert_int_eq(promtext_parse("m NaN\n", 6, &s, why, sizeof(why)),
	    0);
	ck_assert(isnan(s.v[0].value));
	promtext_free(&s);
}
END_TEST

static const struct bad_case {
	const char *name, *in, *want;
} bad_cases[] = {
	{ "no value", "m\n", "line 1: expected a value" },
	{ "bad value", "a 1\nm abc\n", "line 2: bad value" },
	{ "junk after the timestamp", "m 1 2 3\n", "line 1: junk after the "
	    "value" },
	{ "unterminated labels", "m{a=\"b\" 1\n", "line 1: expected , or }" },
	{ "unterminated value", "m{a=\"b} 1\n", "line 1: unterminated label "
	    "value" },
	{ "label without =", "m{a} 1\n", "line 1: expected =\" after a "
	    "label name" },
	{ "digit first", "1m 1\n", "line 1: expected a name" },
	{ "HTML error page", "<html>\n", "line 1: expected a name" },
};

START_TEST(check_bad)
{
	const struct bad_case *t = &bad_cases[_i];
	struct prom_samples s = { NULL, 0 };
	char	 why[128] = "";

	ck_assert_msg(promtext_parse(t->in, strlen(t->in), &s, why,
	    sizeof(why)) == -1, "%s: parsed", t->name);
	ck_assert_msg(strncmp(why, t->want, strlen(t->want)) == 0,
	    "%s: got \"%s\", want \"%s\"", t->name, why, t->want);
	promtext_free(&s);
}
END_TEST

/* the text is taken by length: a NUL-free slice of a larger buffer */
START_TEST(check_length)
{
	struct prom_samples s = { NULL, 0 };
	char	 why[64];

	ck_assert_int_eq(promtext_parse("a 1\nb 2\n", 4, &s, why,
	    sizeof(why)), 0);
	ck_assert_uint_eq(s.n, 1);
	promtext_free(&s);
}
END_TEST

static void
promtext_suite(Suite *s)
{
	unit_loop(s, "exposition lines parsed", check_ok, NELEM(ok_cases));
	unit_one(s, "NaN value", check_nan);
	unit_loop(s, "malformed lines refused", check_bad, NELEM(bad_cases));
	unit_one(s, "text bounded by length", check_length);
}

UNIT_MAIN("promtext", promtext_suite)
