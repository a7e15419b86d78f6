/* mf_eom.c - header rules and the end-of-message pipeline */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "mf_decide.h"
#include "mf_eom.h"
#include "xalloc.h"
#include "mf_metrics.h"

#define TAG_VALUE_MAX	256		/* bytes of one tag header value */

static const struct rule_hit *refusal(const struct mf_conn *,
    const struct mf_msg *);
static void policyd_tags(struct mf_conn *, struct mf_msg *);
static int run_hooks(SMFICTX *, struct mf_conn *, struct mf_msg *);
static int remove_fields(SMFICTX *, const struct mf_conn *,
    const struct mf_msg *);
static int tag_fields(SMFICTX *, const struct mf_msg *);
static int add_fields(SMFICTX *, const struct mf_conn *,
    const struct mf_msg *);
static int archive(SMFICTX *, const struct mf_conn *, const struct mf_msg *);

/* refusal - the refusal this message gets, or NULL */
static const struct rule_hit *
refusal(const struct mf_conn *c, const struct mf_msg *m)
{
	if (c->has_pending)
		return &c->pending;
	if (m->has_pending)
		return &m->pending;
	return NULL;
}

/* policyd_tags - tags of envelope rules policyd decided (not again) */
static void
policyd_tags(struct mf_conn *c, struct mf_msg *m)
{
	struct verdict v;
	size_t	 i;

	verdict_init(&v);
	rule_eval(c->cfg, c->inst, &m->facts, STAGE_CONNECT, STAGE_RCPT, &v);
	for (i = 0; i < v.n_hit; i++)
		if (v.hit[i].action == CFG_ACT_TAG)
			m->tags |= 1u << v.hit[i].rule;
}

/* mf_eom_rules - the header rules, once; a refusal is kept */
void
mf_eom_rules(struct mf_conn *c, struct mf_msg *m)
{
	const struct rule_hit *r;

	if (m->eoh_done)
		return;
	m->eoh_done = 1;
	if (c->inst == NULL || refusal(c, m) != NULL)
		return;
	m->facts.from = &m->from;
	m->facts.other = &m->other;
	if (!c->envelope)
		policyd_tags(c, m);
	verdict_init(&m->verdict);
	rule_eval(c->cfg, c->inst, &m->facts, STAGE_EOH, STAGE_EOH,
	    &m->verdict);
	if ((r = mf_apply(c, m, &m->verdict)) != NULL) {
		m->has_pending = 1;
		m->pending = *r;
	}
}

/* mf_eom_rcpt - an accepted recipient */
void
mf_eom_rcpt(const struct mf_conn *c, struct mf_msg *m)
{
	char	 a[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];

	m->n_rcpt++;
	m->facts.rcpt_count = m->n_rcpt;
	if (c->have_bcc && m->facts.have_rcpt &&
	    addr_equal(&c->bcc, &m->facts.rcpt))
		m->archive_present = 1;
	if (c->inst != NULL && c->inst->disclaimer.set && m->facts.have_rcpt)
		dcrule_rcpt(c->cfg, c->inst, &m->facts.rcpt, &m->dcenv);
	/* rspamd takes the envelope recipients in its request headers */
	if (c->inst != NULL && c->inst->spam.set &&
	    c->inst->spam.engine == CFG_ENG_RSPAMD && m->facts.have_rcpt &&
	    m->n_rcpts < MF_RCPTS_KEEP &&
	    addr_format(&m->facts.rcpt, a, sizeof(a)) == 0) {
		m->rcpts = xreallocarray(m->rcpts, m->n_rcpts + 1,
		    sizeof(*m->rcpts));
		m->rcpts[m->n_rcpts++] = xstrdup(a);
	}
}

/* run_hooks - the plug-ins' end of message, until a refusal */
static int
run_hooks(SMFICTX *ctx, struct mf_conn *c, struct mf_msg *m)
{
	size_t	 i;

	for (i = 0; i < MF_HOOK_MAX && mf_hooks[i] != NULL; i++) {
		if (!(m->hook_on & (1u << i)) || mf_hooks[i]->eom == NULL)
			continue;
		if (mf_hooks[i]->eom(ctx, c, m, m->hook_state[i]) != 0) {
			log_err("%s: content plug-in %s failed",
			    mf_qid(m), mf_hooks[i]->name);
			return -1;
		}
		if (refusal(c, m) != NULL)
			break;
	}
	return 0;
}

/* remove_fields - hygiene removals, highest index of a name first */
static int
remove_fields(SMFICTX *ctx, const struct mf_conn *c, const struct mf_msg *m)
{
	char	 name[104];
	size_t	 i;

	for (i = m->n_del; i-- > 0;) {
		const struct mf_hdr *d = &m->del[i];

		if (mf_chgheader(ctx, d->name, d->idx, NULL) != 0)
			return -1;
		log_sanitize(name, sizeof(name), d->name, 100);
		if (d->why == HYGIENE_FORGED)
			log_info("%s: instance=%s direction=%s header=%s "
			    "action=remove reason=\"%s\"", mf_qid(m), c->inst->name,
			    cfg_dir_name(c->inst->dir), name,
			    "only gatepost and its scanners set it");
		else
			log_debug("%s: instance=%s direction=%s header=%s "
			    "action=remove reason=\"headers.remove\"", mf_qid(m),
			    c->inst->name, cfg_dir_name(c->inst->dir), name);
	}
	return 0;
}

/* tag_fields - one field per tag header name, values joined */
static int
tag_fields(SMFICTX *ctx, const struct mf_msg *m)
{
	struct {
		const char *name;
		char	 value[TAG_VALUE_MAX];
	} t[RULE__COUNT];
	const char *name, *value;
	size_t	 n = 0, i;
	int	 id;

	for (id = 0; id < RULE__COUNT; id++) {
		if (!(m->tags & (1u << id)) || rule_tag(id, &name, &value) != 0)
			continue;
		for (i = 0; i < n && strcasecmp(t[i].name, name) != 0; i++)
			;
		if (i == n) {
			t[n].name = name;
			t[n++].value[0] = '\0';
		}
		(void)snprintf(t[i].value + strlen(t[i].value),
		    sizeof(t[i].value) - strlen(t[i].value), "%s%s",
		    t[i].value[0] != '\0' ? ", " : "", value);
	}
	for (i = 0; i < n; i++)
		if (mf_addheader(ctx, t[i].name, t[i].value) != 0)
			return -1;
	return 0;
}

/* add_fields - removals, plug-in changes, headers.add, tags, plug-in fields */
static int
add_fields(SMFICTX *ctx, const struct mf_conn *c, const struct mf_msg *m)
{
	size_t	 i;

	if (remove_fields(ctx, c, m) != 0)
		return -1;
	for (i = 0; i < m->n_chg; i++)
		if (mf_chgheader(ctx, m->chg[i].name, 1, m->chg[i].value) != 0)
			return -1;
	for (i = 0; i < c->inst->n_hdr_add; i++)
		if (mf_addheader(ctx, c->inst->hdr_add[i].name,
		    c->inst->hdr_add[i].value) != 0)
			return -1;
	if (tag_fields(ctx, m) != 0)
		return -1;
	for (i = 0; i < m->n_add; i++)
		if (mf_addheader(ctx, m->add[i].name, m->add[i].value) != 0)
			return -1;
	return 0;
}

/* archive - archive.bcc as a recipient, once */
static int
archive(SMFICTX *ctx, const struct mf_conn *c, const struct mf_msg *m)
{
	char	 bcc[104];

	if (c->inst->archive_bcc == NULL || m->archive_present)
		return 0;
	if (mf_addrcpt(ctx, c->inst->archive_bcc) != 0)
		return -1;
	mf_metrics_archive(c->inst);
	log_sanitize(bcc, sizeof(bcc), c->inst->archive_bcc, 100);
	log_info("%s: instance=%s direction=%s archive=<%s> action=bcc",
	    mf_qid(m), c->inst->name, cfg_dir_name(c->inst->dir), bcc);
	return 0;
}

/* mf_eom - the end-of-message pipeline (see mf_eom.h) */
sfsistat
mf_eom(SMFICTX *ctx, struct mf_conn *c, struct mf_msg *m)
{
	const struct rule_hit *r;
	char	 reason[128];

	mf_msg_qid(ctx, m);
	if (mf_msg_eoh(c, m) != 0)
		return mf_fail(ctx, c, m, 0, "content plug-in failed");
	mf_eom_rules(c, m);
	if ((r = refusal(c, m)) != NULL)
		return mf_answer(ctx, c, m, 0, r, MF_SCOPE_MSG);
	if (run_hooks(ctx, c, m) != 0)
		return mf_fail(ctx, c, m, 0, "content plug-in failed");
	if ((r = refusal(c, m)) != NULL)
		return mf_answer(ctx, c, m, 0, r, MF_SCOPE_MSG);
	if (add_fields(ctx, c, m) != 0)
		return mf_fail(ctx, c, m, 0, "changing header fields failed");
	if (m->new_body != NULL &&
	    mf_replacebody(ctx, m->new_body, m->new_body_len) != 0)
		return mf_fail(ctx, c, m, 0, "replacing the body failed");
	if (archive(ctx, c, m) != 0)
		return mf_fail(ctx, c, m, 0, "adding the archive copy failed");
	if (m->held) {
		(void)snprintf(reason, sizeof(reason), "gatepost %s",
		    rule_name(m->hold.rule));
		if (mf_quarantine(ctx, reason) != 0)
			return mf_fail(ctx, c, m, 0, "hold failed");
	}
	mf_count_message(c, m, m->held ? "held" : "accepted");
	mf_metrics_volume(c->inst, m->n_rcpt, m->bytes);
	mf_metrics_login(c->inst, m->facts.sasl_user);
	log_debug("%s: instance=%s direction=%s action=%s rcpts=%u bytes=%zu",
	    mf_qid(m), c->inst->name, cfg_dir_name(c->inst->dir),
	    m->held ? "hold" : "accept", m->n_rcpt, m->bytes);
	return SMFIS_CONTINUE;
}
