/* scan_policy.c - scanner verdicts to actions, headers and replies (pure) */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "scan_policy.h"

#define SCORE_CLAMP	99999.0

static void outcome_init(struct scan_outcome *, enum scan_kind);
static void on_error(const struct cfg_scan *, const struct scan_verdict *,
	    struct scan_outcome *);
static void spam(const struct cfg_scan *, const struct scan_verdict *,
	    struct scan_outcome *);
static void virus(const struct cfg_scan *, const struct scan_verdict *,
	    struct scan_outcome *);
static void oversize(const struct cfg_scan *, enum scan_kind,
	    struct scan_outcome *);

/* scan_engine_name - the engine as the config and metrics spell it */
const char *
scan_engine_name(enum cfg_engine e)
{
	switch (e) {
	case CFG_ENG_SPAMD:
		return "spamd";
	case CFG_ENG_RSPAMD:
		return "rspamd";
	case CFG_ENG_CLAMD:
		return "clamd";
	default:
		return "?";
	}
}

/* scan_oversize_name - the oversize choice as the config spells it */
const char *
scan_oversize_name(enum cfg_oversize v)
{
	switch (v) {
	case CFG_OVERSIZE_TRUNCATE:
		return "truncate";
	case CFG_OVERSIZE_TAG:
		return "tag";
	case CFG_OVERSIZE_ACCEPT:
		return "accept";
	case CFG_OVERSIZE_REJECT:
		return "reject";
	default:
		return "?";
	}
}

/* scan_policy_fits - may a message of this size be scanned */
int
scan_policy_fits(const struct cfg_scan *s, size_t size)
{
	return size <= s->max_size;
}

/* scan_format_score - one decimal, no negative zero, clamped */
void
scan_format_score(char *buf, size_t len, double score)
{
	if (score > SCORE_CLAMP)
		score = SCORE_CLAMP;
	if (score < -SCORE_CLAMP)
		score = -SCORE_CLAMP;
	if (score > -0.05 && score < 0.05)
		score = 0;		/* "-0.0" reads as a bug */
	(void)snprintf(buf, len, "%.1f", score);
}

/* outcome_init - nothing to do yet */
static void
outcome_init(struct scan_outcome *o, enum scan_kind kind)
{
	memset(o, 0, sizeof(*o));
	o->rule = kind == SCAN_KIND_SPAM ? RULE_SPAM : RULE_VIRUS;
	o->act = CFG_ACT_NONE;
	o->result = "clean";
	o->dsn = "";
}

/* on_error - scanner failed: on_error decides, never a silent pass */
static void
on_error(const struct cfg_scan *s, const struct scan_verdict *v,
    struct scan_outcome *o)
{
	o->result = "error";
	if (s->on_error == CFG_ACT_ACCEPT) {
		o->act = CFG_ACT_NONE;
		(void)snprintf(o->reason, sizeof(o->reason),
		    "%s failed, accepted unscanned (on_error accept): %s",
		    scan_engine_name(s->engine), v->why);
		return;
	}
	o->act = CFG_ACT_TEMPFAIL;
	o->code = 451;
	o->dsn = "4.3.0";
	(void)snprintf(o->text, sizeof(o->text),
	    "Content scanner unavailable, try again later");
	(void)snprintf(o->reason, sizeof(o->reason), "%s failed: %s",
	    scan_engine_name(s->engine), v->why);
}

/* spam - thresholds to action; headers on every scored verdict */
static void
spam(const struct cfg_scan *s, const struct scan_verdict *v,
    struct scan_outcome *o)
{
	char	 req[24];
	const char *limit = "tag_score";
	double	 lv = s->tag_score;

	scan_format_score(o->score, sizeof(o->score), v->score);
	scan_format_score(req, sizeof(req), s->tag_score);
	o->headers = 1;
	if (v->score >= s->tag_score) {
		o->act = CFG_ACT_TAG;
		o->flag = 1;
		o->result = "spam";
	}
	if (s->has_hold_score && v->score >= s->hold_score) {
		o->act = CFG_ACT_HOLD;
		limit = "hold_score";
		lv = s->hold_score;
	}
	if (s->has_reject_score && v->score >= s->reject_score) {
		o->act = CFG_ACT_REJECT;
		o->code = 550;
		o->dsn = "5.7.1";
		(void)snprintf(o->text, sizeof(o->text),
		    "Message content rejected as spam");
		limit = "reject_score";
		lv = s->reject_score;
	}
	(void)snprintf(o->status, sizeof(o->status),
	    "%s, score=%s required=%s tests=%s", o->flag ? "Yes" : "No",
	    o->score, req, v->symbols[0] != '\0' ? v->symbols : "none");
	scan_format_score(req, sizeof(req), lv);
	(void)snprintf(o->reason, sizeof(o->reason), "%s score %s %s %s %s"
	    " (%.120s)", scan_engine_name(s->engine), o->score, o->flag ? ">=" :
	    "<", limit, req, v->symbols[0] != '\0' ? v->symbols : "none");
}

/* virus - the configured action; the reply names only the signature */
static void
virus(const struct cfg_scan *s, const struct scan_verdict *v,
    struct scan_outcome *o)
{
	if (v->result != SCAN_VIRUS) {
		(void)snprintf(o->reason, sizeof(o->reason), "%s: clean",
		    scan_engine_name(s->engine));
		return;
	}
	o->result = "virus";
	o->act = s->action == CFG_ACT_HOLD ? CFG_ACT_HOLD : CFG_ACT_REJECT;
	if (o->act == CFG_ACT_REJECT) {
		o->code = 550;
		o->dsn = "5.7.1";
		(void)snprintf(o->text, sizeof(o->text),
		    "Message content rejected: virus found (%s)", v->virus);
	}
	(void)snprintf(o->reason, sizeof(o->reason), "%s found %s",
	    scan_engine_name(s->engine), v->virus);
}

/*
 * oversize - nothing was sent: the block's choice for larger messages.
 * A spam block's truncate lands here only when no prefix was kept (a
 * caller that cannot truncate): the message then gets the tag, so it is
 * never passed unscanned without a word.
 */
static void
oversize(const struct cfg_scan *s, enum scan_kind kind,
    struct scan_outcome *o)
{
	enum cfg_oversize v = s->oversize;
	const char *what = kind == SCAN_KIND_SPAM ? "spam" : "viruses";

	if (v == CFG_OVERSIZE_TRUNCATE)
		v = kind == SCAN_KIND_SPAM ? CFG_OVERSIZE_TAG :
		    CFG_OVERSIZE_REJECT;
	o->result = "skipped_size";
	o->oversize = scan_oversize_name(v);
	(void)snprintf(o->reason, sizeof(o->reason), "larger than max_size "
	    "%zu, not scanned (oversize %s)", s->max_size, o->oversize);
	if (v == CFG_OVERSIZE_TAG && kind == SCAN_KIND_SPAM)
		(void)snprintf(o->unscanned, sizeof(o->unscanned),
		    "not scanned for spam: larger than max_size=%zu bytes",
		    s->max_size);
	if (v != CFG_OVERSIZE_REJECT)
		return;
	o->act = CFG_ACT_REJECT;
	o->code = 552;
	o->dsn = "5.3.4";
	(void)snprintf(o->text, sizeof(o->text), "Message too large to be "
	    "scanned for %s (limit %zu bytes); send it smaller or split it",
	    what, s->max_size);
}

/* scan_policy_truncated - the verdict was on the first max_size bytes */
void
scan_policy_truncated(const struct cfg_scan *s, struct scan_outcome *o)
{
	size_t	 n;

	o->oversize = scan_oversize_name(CFG_OVERSIZE_TRUNCATE);
	if (o->headers) {
		n = strlen(o->status);
		(void)snprintf(o->status + n, sizeof(o->status) - n,
		    " truncated=%zu", s->max_size);
	}
	n = strlen(o->reason);
	(void)snprintf(o->reason + n, sizeof(o->reason) - n, "; larger than "
	    "max_size %zu: headers and the first %zu body bytes scanned",
	    s->max_size, s->max_size);
}

/* scan_policy - one verdict under one block */
void
scan_policy(const struct cfg_scan *s, enum scan_kind kind,
    const struct scan_verdict *v, struct scan_outcome *o)
{
	outcome_init(o, kind);
	switch (v->result) {
	case SCAN_SKIPPED_SIZE:
		oversize(s, kind, o);
		return;
	case SCAN_ERROR:
		on_error(s, v, o);
		return;
	default:
		break;
	}
	if (kind == SCAN_KIND_VIRUS)
		virus(s, v, o);
	else if (!v->has_score) {
		struct scan_verdict e = *v;

		scan_verdict_error(&e, "verdict without a score");
		on_error(s, &e, o);
	} else
		spam(s, v, o);
}

/* scan_policy_hit - the outcome as a rule hit; text borrowed from o */
void
scan_policy_hit(const struct scan_outcome *o, enum cfg_mode mode,
    struct rule_hit *h)
{
	rule_hit_make(o->rule, o->act, mode, o->reason, h);
	if (o->code != 0) {
		h->code = o->code;
		h->dsn = o->dsn;
		h->text = o->text;
	}
}
