/*
 * mf_fixture.c - a milter under test: config, metrics and a stub
 * context (mf_fixture(3h))
 */
#include "config.h"

#include <check.h>
#include <string.h>

#include "log.h"
#include "metrics.h"
#include "mf_fixture.h"
#include "milter/mf_cb.h"
#include "milter/mf_cfg.h"
#include "milter/mf_metrics.h"
#include "unit.h"

/* mf_fixture_up - logging, metrics and json as the config; a new context */
SMFICTX *
mf_fixture_up(const char *ident, const char *json, int serving,
    struct metrics **reg)
{
	log_open(ident, 1, 0);
	*reg = metrics_new();
	mf_metrics_init(*reg, serving);
	mf_cfg_set(unit_cfg(json, "test.json"));
	return stub_ctx_new();
}

/* mf_fixture_down - close and free the context, drop config and metrics */
void
mf_fixture_down(SMFICTX *ctx, struct metrics *reg)
{
	(void)mf_cb_close(ctx);
	stub_ctx_free(ctx);
	mf_cfg_set(NULL);
	metrics_free(reg);
}

/* mf_fixture_expect - these stub_smfi lines, and none starting so */
void
mf_fixture_expect(SMFICTX *ctx, const char *name, const char *const *has,
    size_t n, const char *absent)
{
	const char *op;
	size_t	 i;

	for (i = 0; i < n && has[i] != NULL; i++)
		ck_assert_msg(stub_has(ctx, has[i]), "%s: no \"%s\"", name,
		    has[i]);
	for (i = 0; (op = stub_op(ctx, i)) != NULL && absent != NULL; i++)
		ck_assert_msg(strncmp(op, absent, strlen(absent)) != 0,
		    "%s: unexpected \"%s\"", name, op);
}
