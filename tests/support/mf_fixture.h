/*
 * NAME
 *	mf_fixture 3h
 * SUMMARY
 *	a milter under test: config, metrics and a stub context
 * SYNOPSIS
 *	#include "mf_fixture.h"
 *
 *	SMFICTX	*mf_fixture_up(const char *ident, const char *json,
 *		    int serving, struct metrics **reg);
 *	void	mf_fixture_down(SMFICTX *ctx, struct metrics *reg);
 *
 *	void	mf_fixture_expect(SMFICTX *ctx, const char *name,
 *		    const char *const *has, size_t n, const char *absent);
 * DESCRIPTION
 *	mf_fixture_up() sets up what the milter callbacks need, as
 *	gatepost-milter does at start: logging to stderr as ident, a new
 *	metrics registry with the milter's families (mf_metrics_init(),
 *	serving as there) stored in *reg, json published as the current
 *	config (unit_cfg(3h), named "test.json"; a config that does not
 *	load fails the test), and returns a new stub context
 *	(stub_smfi(3h)) for the test to drive.
 *
 *	mf_fixture_down() closes the connection on ctx (xxfi_close),
 *	frees ctx, unpublishes the config and frees reg.
 *
 *	mf_fixture_expect() fails the test named name unless ctx recorded
 *	each line of has (the first n, or up to a NULL) and no line that
 *	starts with absent (NULL: anything goes).
 *
 *	Use them from a test, or from a checked fixture's setup and
 *	teardown.  Not thread safe.
 * SEE ALSO
 *	unit(3h), stub_smfi(3h), mf_cfg(3h), mf_metrics(3h)
 */
#ifndef GP_MF_FIXTURE_H
#define GP_MF_FIXTURE_H

#include <stddef.h>

#include "stub_smfi.h"

struct metrics;

SMFICTX	*mf_fixture_up(const char *, const char *, int,
	    struct metrics **);
void	 mf_fixture_down(SMFICTX *, struct metrics *);
void	 mf_fixture_expect(SMFICTX *, const char *, const char *const *,
	    size_t, const char *);

#endif
