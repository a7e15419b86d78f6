/*
 * NAME
 *	unit 3h
 * SUMMARY
 *	scaffolding shared by the Check unit tests
 * SYNOPSIS
 *	#include "unit.h"
 *
 *	NELEM(array)
 *	UNIT_MAIN(name, suite_fn)
 *	UNIT_MAIN_TCS(name, tc, ...)
 *
 *	typedef void unit_suite_fn(Suite *s);
 *	int	unit_run(const char *name, unit_suite_fn *suite_fn);
 *	TCase	*unit_tcase(Suite *s, const char *name);
 *	TCase	*unit_loop(Suite *s, const char *name, const TTest *fn,
 *		    size_t n);
 *	TCase	*unit_one(Suite *s, const char *name, const TTest *fn);
 *	TCase	*unit_tests(Suite *s, const char *name, const TTest *fn,
 *		    ..., NULL);
 *
 *	struct unit_tc { const char *name; const TTest *fn; size_t n; };
 *	UNIT_TC_LOOP(name, fn, cases)
 *	UNIT_TC_ONE(name, fn)
 *	void	unit_add(Suite *s, const struct unit_tc *tcs, size_t n);
 *
 *	const char *unit_top(void);
 *	char	*unit_slurp(const char *path, size_t *len);
 *	char	*unit_data(const char *dir, const char *file);
 *
 *	struct cfg *unit_cfg(const char *json, const char *name);
 *	int	unit_has_metric(struct metrics *reg, const char *line);
 *
 *	int64_t	unit_date(const char *s);
 *	void	unit_want_str(const char *name, const char *what,
 *		    const char *got, const char *want);
 * DESCRIPTION
 *	Every tests/unit/LAYER/check_NAME.c adds its test cases to its one
 *	Suite in a static NAME_suite(Suite *s) and ends with
 *	UNIT_MAIN("NAME", NAME_suite), which defines main(): unit_run()
 *	creates the suite called name, lets suite_fn add the test cases,
 *	runs it (Check's default fork mode) and frees it, and main() exits
 *	0 when no test failed, 1 otherwise.  A program that must do
 *	something first (load a corpus, initialise a table, act as a
 *	driver) writes its own main() ending in
 *	return unit_run("NAME", NAME_suite).  NELEM() is the number of
 *	elements of an array.
 *
 *	unit_tcase() creates a TCase, adds it to s and returns it for
 *	tests, fixtures and timeouts.  unit_loop() adds a TCase of that
 *	name running fn once for each _i in [0, n), a table of n cases
 *	(NELEM(cases)); unit_one() one running fn once; unit_tests() one
 *	running each test listed, in order, up to a NULL.  Each returns
 *	the TCase, for more tests, a fixture or a timeout.
 *
 *	A suite that is only such TCases may list them instead, each
 *	UNIT_TC_LOOP(name, fn, cases) (unit_loop() over NELEM(cases)) or
 *	UNIT_TC_ONE(name, fn) (unit_one()), in UNIT_MAIN_TCS("NAME", tc,
 *	...), which stands for the suite function and UNIT_MAIN();
 *	unit_add() adds the n TCases of the array tcs to s, in order.
 *
 *	unit_top() is the source tree, where the test data lives: $GP_TOP
 *	(tests/run-tests sets it), else ".".  unit_slurp() reads the file
 *	at path whole into a new buffer, terminated by a NUL that *len
 *	does not count (file_read(3h)); it returns NULL when the file
 *	cannot be read, so the caller decides whether that is a failure.
 *	unit_data() reads unit_top()/dir/file and fails the test when it
 *	cannot.  The caller frees what either returns.
 *
 *	unit_cfg() parses json as the configuration file name (relative
 *	paths in it resolve against ".") and returns it, the caller's
 *	reference; a config that does not load prints every error to
 *	stderr and fails the test.  unit_has_metric() tells whether the
 *	exposition of reg holds line (a sample line or a part of one) and
 *	prints the whole exposition to stderr when it does not.
 *
 *	unit_date() is the civil seconds of a date as mlog_parse_date(3h)
 *	reads it ("YYYY-MM-DD", "YYYY-MM-DD HH:MM", ISO forms); a date it
 *	does not read fails the test.  unit_want_str() fails the test
 *	("NAME: got WHAT "GOT", want "WANT"") when want is not NULL and
 *	got is not want: a table's NULL is "not checked".
 *
 *	unit_data(), unit_cfg(), unit_date() and unit_want_str() fail the
 *	test with Check's assertions, so they belong in a test or a
 *	checked fixture.  Not thread safe (Check is not).
 * SEE ALSO
 *	tests/README.md, check(3), file(3h), cfg(3h), metrics(3h)
 */
#ifndef GP_UNIT_H
#define GP_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include <check.h>

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

#define UNIT_MAIN(name, suite_fn) \
    int main(void) { return unit_run((name), (suite_fn)); }

#define UNIT_TC_LOOP(name, fn, cases)	{ (name), (fn), NELEM(cases) }
#define UNIT_TC_ONE(name, fn)		{ (name), (fn), 1 }

#define UNIT_MAIN_TCS(name, ...) \
    static void unit_tcs_suite(Suite *s) { \
	const struct unit_tc tcs[] = { __VA_ARGS__ }; \
	unit_add(s, tcs, NELEM(tcs)); } \
    UNIT_MAIN((name), unit_tcs_suite)

struct cfg;
struct metrics;

typedef void unit_suite_fn(Suite *);

struct unit_tc {
	const char	*name;
	const TTest	*fn;
	size_t		 n;	/* rows of its table; 1: once */
};

int	 unit_run(const char *, unit_suite_fn *);
TCase	*unit_tcase(Suite *, const char *);
TCase	*unit_loop(Suite *, const char *, const TTest *, size_t);
TCase	*unit_one(Suite *, const char *, const TTest *);
TCase	*unit_tests(Suite *, const char *, ...) __attribute__((sentinel));
void	 unit_add(Suite *, const struct unit_tc *, size_t);

const char *unit_top(void);
char	*unit_slurp(const char *, size_t *);
char	*unit_data(const char *, const char *);

struct cfg *unit_cfg(const char *, const char *);
int	 unit_has_metric(struct metrics *, const char *);
int64_t	 unit_date(const char *);
void	 unit_want_str(const char *, const char *, const char *,
	    const char *);

#endif
