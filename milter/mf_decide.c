/* mf_decide.c - verdicts to replies: log, count, answer or defer */
#include "config.h"

#include <stdio.h>

#include "decide.h"
#include "log.h"
#include "mf_decide.h"
#include "mf_metrics.h"

/* mf_apply - log and count the hits; the enforced refusal, or NULL */
const struct rule_hit *
mf_apply(struct mf_conn *c, struct mf_msg *m, const struct verdict *v)
{
	const struct facts *f = m != NULL ? &m->facts : &c->facts;
	struct decide_memo *memo = m != NULL ? &m->memo : &c->memo;
	size_t	 i;

	/* each callback's verdict holds only that step's hits */
	decide_new_scope(memo);
	decide_report(memo, mf_metrics_hits(), m != NULL ? m->qid : NULL,
	    c->inst, v, f);
	for (i = 0; i < v->n_hit; i++) {
		const struct rule_hit *h = &v->hit[i];

		if (h->action == CFG_ACT_ACCEPT)
			continue;
		if (m != NULL && h->action == CFG_ACT_TAG)
			m->tags |= 1u << h->rule;
		if (m != NULL && h == v->refusal &&
		    h->action == CFG_ACT_HOLD && !m->held) {
			m->held = 1;
			m->hold = *h;
		}
	}
	if (v->refusal == NULL || v->refusal->action == CFG_ACT_HOLD)
		return NULL;
	return v->refusal;
}

/* mf_continue - carry on, silently at a no-reply step */
sfsistat
mf_continue(const struct mf_conn *c, unsigned long nr)
{
	return c != NULL && (c->pflags & nr) != 0 ? SMFIS_NOREPLY :
	    SMFIS_CONTINUE;
}

/* mf_status - the one mapping from a refusal to a milter reply */
sfsistat
mf_status(SMFICTX *ctx, const struct rule_hit *h)
{
	char	 code[8];

	(void)snprintf(code, sizeof(code), "%d", h->code);
	if (h->code < 400 || h->code > 599 ||
	    mf_setreply(ctx, code, h->dsn, h->text) != 0) {
		/* no text could be set: never let the message through */
		(void)mf_setreply(ctx, "451", "4.3.0",
		    "Temporary local problem, try again later");
		return SMFIS_TEMPFAIL;
	}
	return h->code >= 500 ? SMFIS_REJECT : SMFIS_TEMPFAIL;
}

/* mf_count_message - gatepost_messages_total, once per message */
void
mf_count_message(struct mf_conn *c, struct mf_msg *m, const char *action)
{
	if (m == NULL || m->counted)
		return;
	m->counted = 1;
	m->outcome = action;
	mf_metrics_message(c->inst, action);
}

/* mf_answer - reply now, or keep the refusal for a step that can */
sfsistat
mf_answer(SMFICTX *ctx, struct mf_conn *c, struct mf_msg *m,
    unsigned long nr, const struct rule_hit *h, enum mf_scope scope)
{
	if (h == NULL)
		return mf_continue(c, nr);
	if ((c->pflags & nr) != 0) {
		/* a recipient that cannot be refused refuses the message */
		if (m != NULL && !m->has_pending) {
			m->has_pending = 1;
			m->pending = *h;
		} else if (m == NULL && !c->has_pending) {
			c->has_pending = 1;
			c->pending = *h;
		}
		return SMFIS_NOREPLY;
	}
	if (scope == MF_SCOPE_RCPT && m != NULL) {
		m->rcpt_refused++;
		m->rcpt_refused_perm |= h->code >= 500;
	} else if (m != NULL) {
		mf_count_message(c, m, h->code >= 500 ? "rejected" :
		    "tempfailed");
	}
	return mf_status(ctx, h);
}

/* mf_fail - internal error: log it, answer 451 4.3.0 */
sfsistat
mf_fail(SMFICTX *ctx, struct mf_conn *c, struct mf_msg *m, unsigned long nr,
    const char *why)
{
	struct verdict v;
	struct rule_hit h;

	rule_hit_make(RULE_INTERNAL, CFG_ACT_TEMPFAIL, CFG_MODE_ENFORCE, why,
	    &h);
	if (c == NULL) {
		/*
		 * Without the connection the negotiated flags are unknown:
		 * a reply at a no-reply step is dropped by libmilter (and
		 * logged), while a missing reply would hang the MTA.
		 */
		log_err("NOQUEUE: internal error: %s", why);
		return mf_status(ctx, &h);
	}
	verdict_init(&v);
	(void)rule_add_hit(&v, &h);
	(void)mf_apply(c, m, &v);
	return mf_answer(ctx, c, m, nr, &h, MF_SCOPE_MSG);
}

/* mf_msg_hit - a plug-in's decision: logged, counted, kept for EOM */
void
mf_msg_hit(struct mf_conn *c, struct mf_msg *m, const struct rule_hit *h)
{
	const struct rule_hit *r;
	struct verdict v;

	verdict_init(&v);
	if (rule_add_hit(&v, h) != 0)
		return;
	if ((r = mf_apply(c, m, &v)) != NULL && !m->has_pending) {
		m->has_pending = 1;
		m->pending = *r;
	}
}
