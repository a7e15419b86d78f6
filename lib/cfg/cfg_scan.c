/* cfg_scan.c - configuration loader: spam, virus and rate limit blocks */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>

#include "cfg_int.h"
#include "xalloc.h"

static const char *const spam_keys[] = {
	"engine", "server", "timeout_ms", "max_size", "tag_score",
	"hold_score", "reject_score", "on_error", NULL
};
static const char *const spam_required[] = {
	"engine", "server", "tag_score", NULL
};
static const char *const virus_keys[] = {
	"engine", "server", "timeout_ms", "max_size", "action", "on_error",
	NULL
};
static const char *const virus_required[] = { "server", NULL };
static const char *const rl_keys[] = {
	"key", "limit", "window", "count", "action", "ipv4_prefix",
	"ipv6_prefix", NULL
};
static const char *const rl_required[] = { "key", "limit", "window", NULL };

struct scan_kind {			/* what differs between the blocks */
	const char *key;		/* "spam" or "virus" */
	const char *const *keys;	/* allowed keys */
	const char *const *required;	/* required keys */
	const struct cfg_enum *engines;	/* allowed engines */
};

static const struct scan_kind spam_kind = {
	"spam", spam_keys, spam_required, &cfg_enum_spam_engine
};
static const struct scan_kind virus_kind = {
	"virus", virus_keys, virus_required, &cfg_enum_virus_engine
};

static json_t *scan_common(struct cfg_ctx *, json_t *,
    const struct scan_kind *, struct cfg_scan *, size_t *);
static void spam_scores(struct cfg_ctx *, json_t *, struct cfg_scan *);
static void score_order(struct cfg_ctx *, json_t *, const char *, double,
    const char *, double);
static void rl_one(struct cfg_ctx *, json_t *, struct cfg_ratelimit *);

/*
 * scan_common - the keys spam and virus share.  Returns the block with
 * its key pushed (the caller pops *m), or NULL when it is absent or not
 * an object.
 */
static json_t *
scan_common(struct cfg_ctx *c, json_t *obj, const struct scan_kind *k,
    struct cfg_scan *s, size_t *m)
{
	unsigned long long u;
	json_t	*v;

	if ((v = cfg_member(c, obj, k->key, m)) == NULL)
		return NULL;
	s->set = 1;
	if (cfg_v_obj(c, v, k->keys) < 0) {
		cfg_pop(c, *m);
		return NULL;
	}
	cfg_require(c, v, k->required);
	CFG_ENUM(c, v, "engine", k->engines, s->engine);
	(void)cfg_checked(c, v, "server", cfg_ok_server, "server",
	    "IP:PORT, localhost:PORT or unix:/path", &s->server);
	if (cfg_uint(c, v, "timeout_ms", UINT_MAX, &u) > 0)
		s->timeout_ms = (unsigned)u;
	if (cfg_uint(c, v, "max_size", SIZE_MAX, &u) > 0)
		s->max_size = (size_t)u;
	CFG_ENUM(c, v, "on_error", &cfg_enum_on_error, s->on_error);
	return v;
}

/* cfg_walk_scans - the spam and virus blocks of an instance */
void
cfg_walk_scans(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v;
	size_t	 m;

	if ((v = scan_common(c, obj, &spam_kind, &in->spam, &m)) != NULL) {
		spam_scores(c, v, &in->spam);
		cfg_pop(c, m);
	}
	if ((v = scan_common(c, obj, &virus_kind, &in->virus, &m)) != NULL) {
		CFG_ENUM(c, v, "action", &cfg_enum_virus_act,
		    in->virus.action);
		cfg_pop(c, m);
	}
}

/* spam_scores - tag_score <= hold_score <= reject_score, where given */
static void
spam_scores(struct cfg_ctx *c, json_t *v, struct cfg_scan *s)
{
	int	 has_tag;

	has_tag = cfg_num(c, v, "tag_score", &s->tag_score) > 0;
	s->has_hold_score = cfg_num(c, v, "hold_score", &s->hold_score) > 0;
	s->has_reject_score = cfg_num(c, v, "reject_score",
	    &s->reject_score) > 0;
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

/* cfg_walk_rate_limits - the rate_limits list of an instance */
void
cfg_walk_rate_limits(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v, *e;
	size_t	 m, mi, i;

	if ((v = cfg_member(c, obj, "rate_limits", &m)) == NULL)
		return;
	if (json_is_array(v) && json_array_size(v) > CFG_RL_MAX)
		cfg_error(c, "%zu rate limits: at most %d per instance",
		    json_array_size(v), CFG_RL_MAX);
	else if (cfg_v_arr(c, v) == 0) {
		in->rl = xcalloc(json_array_size(v) + 1, sizeof(*in->rl));
		json_array_foreach(v, i, e) {
			mi = cfg_push_index(c, i);
			rl_one(c, e, &in->rl[in->n_rl++]);
			cfg_pop(c, mi);
		}
		if (in->n_rl > 0 && !c->cfg->policyd.set)
			cfg_warning(c, "rate limits need gatepost-policyd; "
			    "the milter does not enforce them");
	}
	cfg_pop(c, m);
}

/* rl_one - one rate limit: key, limit, window; count and action */
static void
rl_one(struct cfg_ctx *c, json_t *e, struct cfg_ratelimit *rl)
{
	unsigned long long u;

	rl->count = CFG_RL_MESSAGES;
	rl->action = CFG_ACT_DEFER;
	rl->ipv4_prefix = 32;
	rl->ipv6_prefix = 64;
	if (cfg_v_obj(c, e, rl_keys) < 0)
		return;
	cfg_require(c, e, rl_required);
	CFG_ENUM(c, e, "key", &cfg_enum_rl_key, rl->key);
	if (cfg_uint(c, e, "limit", ULONG_MAX, &u) > 0)
		rl->limit = (unsigned long)u;
	if (cfg_uint(c, e, "window", UINT_MAX, &u) > 0)
		rl->window = (unsigned)u;
	CFG_ENUM(c, e, "count", &cfg_enum_rl_count, rl->count);
	CFG_ENUM(c, e, "action", &cfg_enum_rl_act, rl->action);
	if (cfg_uint(c, e, "ipv4_prefix", 32, &u) > 0)
		rl->ipv4_prefix = (unsigned)u;
	if (cfg_uint(c, e, "ipv6_prefix", 128, &u) > 0)
		rl->ipv6_prefix = (unsigned)u;
}
