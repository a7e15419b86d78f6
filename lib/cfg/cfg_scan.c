/* cfg_scan.c - configuration loader: spam scores and rate limits */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "xalloc.h"

static cfg_elem_fn rl_one;
static void score_order(struct cfg_ctx *, json_t *, const char *, double,
    const char *, double);

/* cfg_c_spam - tag_score <= hold_score <= reject_score, where given */
void
cfg_c_spam(struct cfg_ctx *c, json_t *v, void *base)
{
	struct cfg_scan *s = &((struct cfg_instance *)base)->spam;
	int	 has_tag;

	has_tag = json_is_number(json_object_get(v, "tag_score"));
	s->has_hold_score = json_is_number(json_object_get(v, "hold_score"));
	s->has_reject_score = json_is_number(json_object_get(v,
	    "reject_score"));
	if (has_tag && s->has_hold_score)
		score_order(c, v, "hold_score", s->hold_score, "tag_score",
		    s->tag_score);
	if (has_tag && s->has_reject_score)
		score_order(c, v, "reject_score", s->reject_score,
		    "tag_score", s->tag_score);
	if (s->has_hold_score && s->has_reject_score)
		score_order(c, v, "reject_score", s->reject_score,
		    "hold_score", s->hold_score);
}

/* score_order - report at obj.hi when its value is below lo's */
static void
score_order(struct cfg_ctx *c, json_t *obj, const char *hi, double hv,
    const char *lo, double lv)
{
	size_t	 m;

	if (hv >= lv)
		return;
	(void)cfg_member(c, obj, hi, &m);
	cfg_error(c, "%s %g is below %s %g", hi, hv, lo, lv);
	cfg_pop(c, m);
}

/* cfg_w_rate_limits - the rate_limits list of an instance */
void
cfg_w_rate_limits(struct cfg_ctx *c, json_t *obj, void *base)
{
	struct cfg_instance *in = base;
	size_t	 m;

	json_t	*v = json_object_get(obj, "rate_limits");

	if (json_is_array(v) && json_array_size(v) > CFG_RL_MAX) {
		(void)cfg_member(c, obj, "rate_limits", &m);
		cfg_error(c, "%zu rate limits: at most %d per instance",
		    json_array_size(v), CFG_RL_MAX);
		cfg_pop(c, m);
		return;
	}
	(void)cfg_list(c, obj, "rate_limits", rl_one, in);
	if (in->n_rl > 0 && !c->cfg->policyd.set) {
		(void)cfg_member(c, obj, "rate_limits", &m);
		cfg_warning(c, "rate limits need gatepost-policyd; the milter "
		    "does not enforce them");
		cfg_pop(c, m);
	}
}

/* rl_one - one rate limit, by the key table */
static void
rl_one(struct cfg_ctx *c, json_t *e, void *base)
{
	struct cfg_instance *in = base;
	struct cfg_ratelimit *rl;

	in->rl = xreallocarray(in->rl, in->n_rl + 1, sizeof(*in->rl));
	rl = &in->rl[in->n_rl++];
	memset(rl, 0, sizeof(*rl));
	cfg_defaults_apply("instances[].rate_limits[]", rl);
	(void)cfg_walk_block(c, e, "instances[].rate_limits[]", rl);
}
