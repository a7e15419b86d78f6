/* mf_disclaimer.c - the disclaimer as a milter content plug-in */
#include "config.h"

#include <stdlib.h>

#include "dcrule.h"
#include "disclaimer.h"
#include "log.h"
#include "mf_disclaimer.h"

/*
 * Written once by mf_disclaimer_init() before any thread exists and only
 * read afterwards (docs/HACKING.md §5); the counters are atomics.
 */
static struct metrics_family *disclaimers;

static int	start(struct mf_conn *, struct mf_msg *, void **);
static int	eom(SMFICTX *, struct mf_conn *, struct mf_msg *, void *);
static void	fini(void *);
static void	outcome(const struct mf_conn *, const struct mf_msg *,
		    enum disclaimer_result, const struct disclaimer_out *);
static void	reject(struct mf_conn *, struct mf_msg *,
		    const struct disclaimer_out *);

const struct mf_hook mf_disclaimer_hook = {
	"disclaimer", start, NULL, eom, fini
};

/* mf_disclaimer_init - register the family; once, before threads */
void
mf_disclaimer_init(struct metrics *reg)
{
	static const char *const labels[] = { "face", "result", NULL };

	disclaimers = metrics_family(reg, "gatepost_disclaimers_total",
	    "Messages the disclaimer looked at, by outcome.",
	    METRICS_COUNTER, labels, NULL, 0);
}

/* start - take part when the face has a disclaimer */
static int
start(struct mf_conn *c, struct mf_msg *m, void **state)
{
	if (c->inst == NULL || !c->inst->disclaimer.set)
		return 0;
	mf_msg_want_raw(m, c->inst->disclaimer.max_size);
	*state = NULL;
	return 1;
}

/* outcome - count and log what happened */
static void
outcome(const struct mf_conn *c, const struct mf_msg *m,
    enum disclaimer_result r, const struct disclaimer_out *out)
{
	const char *v[2];

	v[0] = c->inst->name;
	v[1] = disclaimer_result_name(r);
	if (disclaimers != NULL)
		metrics_inc(disclaimers, v, 1);
	if (r == DC_ADDED)
		log_info("%s: instance=%s direction=%s disclaimer=%s parts=%zu",
		    mf_qid(m), c->inst->name, cfg_dir_name(c->inst->dir), v[1],
		    out->n_parts);
	else
		log_info("%s: instance=%s direction=%s disclaimer=%s "
		    "reason=\"%s\"", mf_qid(m), c->inst->name,
		    cfg_dir_name(c->inst->dir), v[1], out->why != NULL ?
		    out->why : "-");
}

/* reject - fallback reject: 550 5.7.1 with the cause in words */
static void
reject(struct mf_conn *c, struct mf_msg *m, const struct disclaimer_out *out)
{
	struct rule_hit h;

	rule_hit_make(RULE_DISCLAIMER, CFG_ACT_REJECT, c->inst->mode,
	    out->why != NULL ? out->why : "", &h);
	h.text = disclaimer_reject_text(out->cause);
	mf_msg_hit(c, m, &h);
}

/* eom - add the disclaimer to the milter's copy; hand the changes over */
static int
eom(SMFICTX *ctx, struct mf_conn *c, struct mf_msg *m, void *state)
{
	const struct cfg_instance *in = c->inst;
	struct disclaimer_conf conf;
	struct disclaimer_out out = { 0 };
	const char *raw = m->raw != NULL ? (const char *)m->raw : "";
	enum disclaimer_result r;
	size_t	 i;
	int	 e, rc = 0;

	(void)ctx;
	(void)state;
	/* over max_size, raw holds the start: the header for the choice */
	if ((e = dcrule_choose(in, &m->dcenv, m->facts.have_sender ?
	    &m->facts.sender : NULL, m->facts.sasl_user, raw, m->raw_len, &r,
	    &out.why)) >= 0) {
		dcrule_conf(&in->disclaimer.v[e], &conf);
		if (m->raw_over) {
			out.why = "message larger than disclaimer.max_size";
			r = disclaimer_fallback(DC_SKIPPED_SIZE, &conf, &out);
		} else
			r = disclaimer_apply(raw, m->raw_len, &conf, &out);
	}
	outcome(c, m, r, &out);
	m->disclaimer = disclaimer_result_name(r);
	if (r == DC_REJECTED)
		reject(c, m, &out);
	if (r != DC_ADDED && r != DC_WRAPPED)
		return 0;
	for (i = 0; i < out.n_hdr && rc == 0; i++)
		rc = mf_msg_chg_header(m, out.hdr[i].name, out.hdr[i].value);
	if (rc == 0) {
		free(m->new_body);
		m->new_body = (unsigned char *)out.body;
		m->new_body_len = out.body_len;
		out.body = NULL;	/* handed over: the milter frees it */
	}
	disclaimer_out_free(&out);
	return rc;
}

/* fini - nothing is kept per message */
static void
fini(void *state)
{
	(void)state;
}
