/* mf_scan.c - spam and virus scanners as milter content plug-ins */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "mf_scan.h"
#include "scan.h"
#include "scan_policy.h"
#include "xalloc.h"

#define SCAN_PIECE	65536		/* bytes per write to the scanner */
#define OUTCOME_FMT	"%s: instance=%s direction=%s rule=%s engine=%s " \
	"result=%s action=accept reason=\"%s\""

struct scan_state {			/* one plug-in, one message */
	enum scan_kind kind;
	struct scan_outcome o;		/* the recorded hit borrows from it */
};

/*
 * Written once by mf_scan_init() before any thread exists and only read
 * afterwards (docs/HACKING.md §5); the counters are atomics.
 */
static struct scan_metrics metrics;

static const struct cfg_scan *block(const struct cfg_instance *,
	    enum scan_kind);
static int take(struct mf_conn *, struct mf_msg *, void **, enum scan_kind);
static int take_spam(struct mf_conn *, struct mf_msg *, void **);
static int take_virus(struct mf_conn *, struct mf_msg *, void **);
static void run(const struct mf_msg *, const struct cfg_scan *, size_t,
	    struct scan_verdict *, double *);
static int scan_len(const struct mf_msg *, const struct cfg_scan *,
	    size_t *, int *);
static void log_outcome(const struct mf_conn *, const struct mf_msg *,
	    const struct cfg_scan *, const struct scan_outcome *);
static int headers(struct mf_msg *, const struct scan_outcome *);
static int eom(SMFICTX *, struct mf_conn *, struct mf_msg *, void *);
static void fini(void *);

const struct mf_hook mf_scan_virus_hook = {
	"virus", take_virus, NULL, eom, fini
};
const struct mf_hook mf_scan_spam_hook = {
	"spam", take_spam, NULL, eom, fini
};

/* mf_scan_init - register the scanner families; once, before threads */
void
mf_scan_init(struct metrics *reg)
{
	scan_metrics_init(&metrics, reg);
}

/* block - the instance's spam or virus block */
static const struct cfg_scan *
block(const struct cfg_instance *inst, enum scan_kind k)
{
	return k == SCAN_KIND_SPAM ? &inst->spam : &inst->virus;
}

/* take - scan this message when the face has the block */
static int
take(struct mf_conn *c, struct mf_msg *m, void **state, enum scan_kind k)
{
	const struct cfg_scan *s;
	struct scan_state *st;

	if (c->inst == NULL || !(s = block(c->inst, k))->set)
		return 0;
	mf_msg_want_raw(m, s->max_size);
	if (k == SCAN_KIND_SPAM && s->oversize == CFG_OVERSIZE_TRUNCATE)
		mf_msg_want_prefix(m, s->max_size);
	st = xcalloc(1, sizeof(*st));
	st->kind = k;
	*state = st;
	return 1;
}

static int
take_spam(struct mf_conn *c, struct mf_msg *m, void **state)
{
	return take(c, m, state, SCAN_KIND_SPAM);
}

static int
take_virus(struct mf_conn *c, struct mf_msg *m, void **state)
{
	return take(c, m, state, SCAN_KIND_VIRUS);
}

/*
 * scan_len - bytes of m->raw to send: the whole message when it fits
 * max_size, the header and the first max_size body bytes under
 * oversize truncate (*cut set); -1 when nothing is sent (too large)
 */
static int
scan_len(const struct mf_msg *m, const struct cfg_scan *s, size_t *len,
    int *cut)
{
	*cut = 0;
	*len = m->raw_len;
	if (!m->raw_over && m->raw_len <= s->max_size)
		return 0;
	if (s->oversize != CFG_OVERSIZE_TRUNCATE || m->raw == NULL)
		return -1;
	*cut = 1;
	*len = mf_msg_prefix_len(m, s->max_size);
	return 0;
}

/* run - send len bytes of the milter's copy, read the verdict */
static void
run(const struct mf_msg *m, const struct cfg_scan *s, size_t len,
    struct scan_verdict *v, double *secs)
{
	char	 sender[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	struct scan_env env;
	struct scan_job *j;
	size_t	 off, n;

	memset(&env, 0, sizeof(env));
	env.queue_id = m->qid;
	env.client_addr = m->facts.client_addr;
	env.client_name = m->facts.client_name;
	env.helo = m->facts.helo;
	env.sasl_user = m->facts.sasl_user;
	if (m->facts.have_sender &&
	    addr_format(&m->facts.sender, sender, sizeof(sender)) == 0)
		env.sender = sender;
	env.rcpts = (const char *const *)m->rcpts;
	env.n_rcpts = m->n_rcpts;
	j = scan_begin(s, &env, len);
	for (off = 0; off < len; off += n) {
		n = len - off < SCAN_PIECE ? len - off : SCAN_PIECE;
		if (scan_write(j, m->raw + off, n) != 0)
			break;		/* failed: scan_finish() says why */
	}
	scan_finish(j, v, secs);
}

/* log_outcome - outcomes without a hit; hits are logged by mf_apply() */
static void
log_outcome(const struct mf_conn *c, const struct mf_msg *m,
    const struct cfg_scan *s, const struct scan_outcome *o)
{
	const char *rule = rule_name(o->rule);
	const char *engine = scan_engine_name(s->engine);
	const char *dir = cfg_dir_name(c->inst->dir);

	if (o->act != CFG_ACT_NONE)
		return;
	if (strcmp(o->result, "error") == 0)
		log_warn(OUTCOME_FMT, mf_qid(m), c->inst->name, dir, rule,
		    engine, o->result, o->reason);
	else if (strcmp(o->result, "skipped_size") == 0)
		log_info(OUTCOME_FMT, mf_qid(m), c->inst->name, dir, rule,
		    engine, o->result, o->reason);
	else
		log_debug(OUTCOME_FMT, mf_qid(m), c->inst->name, dir, rule,
		    engine, o->result, o->reason);
}

/* headers - X-Spam-Score, X-Spam-Status, X-Spam-Flag: once each */
static int
headers(struct mf_msg *m, const struct scan_outcome *o)
{
	if (o->unscanned[0] != '\0')
		return mf_msg_add_header(m, "X-Spam-Unscanned", o->unscanned);
	if (!o->headers)
		return 0;
	if (mf_msg_add_header(m, "X-Spam-Score", o->score) != 0 ||
	    mf_msg_add_header(m, "X-Spam-Status", o->status) != 0)
		return -1;
	if (o->flag && mf_msg_add_header(m, "X-Spam-Flag", "YES") != 0)
		return -1;
	return 0;
}

/* eom - scan, decide, tag, count */
static int
eom(SMFICTX *ctx, struct mf_conn *c, struct mf_msg *m, void *state)
{
	struct scan_state *st = state;
	const struct cfg_scan *s = block(c->inst, st->kind);
	struct scan_verdict v;
	struct cfg_scan t;
	struct rule_hit h;
	double	 secs = -1;
	size_t	 len;
	int	 cut;

	if (scan_len(m, s, &len, &cut) != 0) {
		scan_verdict_init(&v);
		v.result = SCAN_SKIPPED_SIZE;
	} else {
		/* a prefix may be longer than max_size by its header */
		t = *s;
		if (cut)
			t.max_size = len;
		(void)mf_progress(ctx);
		run(m, &t, len, &v, &secs);
	}
	scan_policy(s, st->kind, &v, &st->o);
	if (cut)
		scan_policy_truncated(s, &st->o);
	scan_metrics_count(&metrics, c->inst->name, s->engine, st->o.result,
	    secs);
	if (st->o.oversize != NULL)
		scan_metrics_oversize(&metrics, c->inst->name, s->engine,
		    st->o.oversize);
	log_outcome(c, m, s, &st->o);
	if (m->n_scans < sizeof(m->scans) / sizeof(m->scans[0])) {
		struct mf_scan_rec *sr = &m->scans[m->n_scans++];

		sr->engine = scan_engine_name(s->engine);
		sr->result = st->o.result;
		(void)snprintf(sr->score, sizeof(sr->score), "%s", st->o.score);
	}
	if (headers(m, &st->o) != 0)
		return -1;
	if (st->o.act != CFG_ACT_NONE) {
		scan_policy_hit(&st->o, c->inst->mode, &h);
		mf_msg_hit(c, m, &h);
	}
	return 0;
}

/* fini - the message is over */
static void
fini(void *state)
{
	free(state);
}
