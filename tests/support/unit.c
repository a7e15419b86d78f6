/*
 * unit.c - scaffolding shared by the Check unit tests (unit(3h))
 */
#include "config.h"

#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "file.h"
#include "metrics.h"
#include "mlog.h"
#include "unit.h"

/* unit_run - build, run and free a suite; the exit status of the program */
int
unit_run(const char *name, unit_suite_fn *suite_fn)
{
	Suite	*s = suite_create(name);
	SRunner	*sr;
	int	 failed;

	suite_fn(s);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/* unit_tcase - a new TCase, already part of the suite */
TCase *
unit_tcase(Suite *s, const char *name)
{
	TCase	*tc = tcase_create(name);

	suite_add_tcase(s, tc);
	return tc;
}

/* unit_loop - a new TCase driving fn over a table of n cases */
TCase *
unit_loop(Suite *s, const char *name, const TTest *fn, size_t n)
{
	TCase	*tc = unit_tcase(s, name);

	tcase_add_loop_test(tc, fn, 0, (int)n);
	return tc;
}

/* unit_one - a new TCase with one table-less test */
TCase *
unit_one(Suite *s, const char *name, const TTest *fn)
{
	return unit_loop(s, name, fn, 1);
}

/* unit_add - a TCase for each of the n listed, in order */
void
unit_add(Suite *s, const struct unit_tc *tcs, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		(void)unit_loop(s, tcs[i].name, tcs[i].fn, tcs[i].n);
}

/* unit_tests - a new TCase with the tests listed up to a NULL, in order */
TCase *
unit_tests(Suite *s, const char *name, ...)
{
	TCase	*tc = unit_tcase(s, name);
	const TTest *fn;
	va_list	 ap;

	va_start(ap, name);
	while ((fn = va_arg(ap, const TTest *)) != NULL)
		tcase_add_test(tc, fn);
	va_end(ap);
	return tc;
}

/* unit_top - the source tree: $GP_TOP, else the current directory */
const char *
unit_top(void)
{
	const char *t = getenv("GP_TOP");

	return t != NULL && *t != '\0' ? t : ".";
}

/* unit_slurp - a whole file, NUL-terminated; NULL if it cannot be read */
char *
unit_slurp(const char *path, size_t *len)
{
	char	 why[256];

	return file_read(path, len, why, sizeof(why));
}

/* unit_data - read unit_top()/dir/file, failing the test when it cannot */
char *
unit_data(const char *dir, const char *file)
{
	char	 path[1024], why[256];
	char	*text;
	size_t	 len;

	(void)snprintf(path, sizeof(path), "%s/%s/%s", unit_top(), dir, file);
	text = file_read(path, &len, why, sizeof(why));
	ck_assert_msg(text != NULL, "cannot read %s: %s", path, why);
	return text;
}

/* unit_cfg - parse a test config named name; fail the test if it is bad */
struct cfg *
unit_cfg(const char *json, const char *name)
{
	struct cfg_errors errs;
	struct cfg *cfg;
	size_t	 i;

	memset(&errs, 0, sizeof(errs));
	cfg = cfg_parse(json, strlen(json), name, ".", NULL, &errs);
	for (i = 0; i < errs.err.n; i++)
		(void)fprintf(stderr, "%s\n", errs.err.v[i]);
	cfg_errors_free(&errs);
	ck_assert_msg(cfg != NULL, "test config %s does not load", name);
	return cfg;
}

/* unit_has_metric - the exposition contains this text */
int
unit_has_metric(struct metrics *reg, const char *line)
{
	char	*text = metrics_render(reg, NULL);
	int	 found = strstr(text, line) != NULL;

	if (!found)
		(void)fprintf(stderr, "metric not found: %s\n%s", line, text);
	free(text);
	return found;
}

/* unit_want_str - got is want, unless want is NULL (not checked) */
void
unit_want_str(const char *name, const char *what, const char *got,
    const char *want)
{
	ck_assert_msg(want == NULL || strcmp(got, want) == 0,
	    "%s: got %s \"%s\", want \"%s\"", name, what, got, want);
}

/* unit_date - civil seconds of a date mlog_parse_date() reads */
int64_t
unit_date(const char *s)
{
	int64_t	 t;
	int	 has_time;

	ck_assert_msg(mlog_parse_date(s, &t, &has_time) == 0, "bad %s", s);
	return t;
}
