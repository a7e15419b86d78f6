/* pd_decide.c - one policy request to one answer */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cidr.h"
#include "decide.h"
#include "log.h"
#include "pd_decide.h"
#include "xalloc.h"

#define RL_WARN_INTERVAL 60		/* seconds between eviction warnings */

struct pd_wait {			/* one store call in flight */
	struct pd_env *env;		/* borrowed */
	struct pd_sess *sess;		/* borrowed; NULL = cancelled */
	struct pd_rl_memo *memo;	/* in sess: where the answer goes */
	int	 sync;			/* still inside the call */
	int	 done;			/* answered */
	uint64_t now;			/* request time */
	enum stage st;
	struct facts f;
	struct verdict v;		/* the rules' verdict so far */
	char	 queue_id[64];
	struct rl_req req;
};

static const char *const kind_name[] = {
	"dunno", "reject", "defer", "hold", "prepend"
};

static int stage_of(const char *, enum stage *);
static void sess_message(struct pd_env *, struct pd_sess *,
	    const struct pd_request *);
static void log_unknown(const struct pd_request *);
static void build_facts(const struct pd_request *, enum stage,
	    struct facts *);
static int rate_limits(struct pd_env *, struct pd_sess *,
	    const struct facts *, enum stage, uint64_t, struct verdict *,
	    const char *);
static int rl_call(struct pd_env *, struct pd_sess *, struct pd_rl_memo *,
	    enum rl_op, const struct facts *, enum stage, uint64_t, uint64_t,
	    const struct verdict *, const char *);
static void rl_done(void *, const struct rl_result *);
static void rl_hits(const struct pd_sess *, struct verdict *);
static void finish(struct pd_env *, struct pd_sess *, struct verdict *,
	    const struct facts *, const char *, struct pd_answer *);
static int has_rcpt_limits(const struct cfg_instance *);
static void make_answer(struct pd_sess *, const struct verdict *,
	    struct pd_answer *);
static void debug_request(const struct pd_sess *, const struct pd_request *,
	    const struct pd_answer *);
static uint64_t str_hash(const char *);

/* pd_env_init - register the metrics; consumes the cfg reference */
void
pd_env_init(struct pd_env *env, struct metrics *m, struct cfg *cfg,
    struct rl_store *rl)
{
	static const char *const req_l[] = { "face", "direction", "reply",
		NULL };
	static const char *const rel_l[] = { "result", NULL };
	static const char *const face_l[] = { "face", NULL };
	static const char *const ok[] = { "ok" }, *const error[] = { "error" };

	memset(env, 0, sizeof(*env));
	env->cfg = cfg;
	env->rl = rl;
	env->requests = metrics_family(m, "gatepost_policy_requests_total",
	    "Policy delegation requests answered, by face and reply.",
	    METRICS_COUNTER, req_l, NULL, 0);
	env->rule_hits = decide_hits_family(m);
	env->rl_keys = metrics_family(m, "gatepost_ratelimit_keys",
	    "Keys held by the rate-limit store.", METRICS_GAUGE, NULL,
	    NULL, 0);
	env->evictions = metrics_family(m,
	    "gatepost_ratelimit_evictions_total", "Rate-limit keys evicted "
	    "because their face was at its rate_key_budget.",
	    METRICS_COUNTER, face_l, NULL, 0);
	env->once = rl_once_new(PD_ONCE_SLOTS, PD_ONCE_TTL);
	env->reloads = metrics_family(m, "gatepost_config_reloads_total",
	    "Configuration reloads, by result.", METRICS_COUNTER, rel_l,
	    NULL, 0);
	env->refused = metrics_series(metrics_family(m,
	    "gatepost_policyd_connections_refused_total",
	    "Policy connections closed at once: policyd.max_connections "
	    "were open.", METRICS_COUNTER, NULL, NULL, 0), NULL);
	env->req_timeouts = metrics_series(metrics_family(m,
	    "gatepost_policyd_request_timeouts_total",
	    "Policy connections closed because a request was not complete "
	    "within policyd.request_timeout of its first byte.",
	    METRICS_COUNTER, NULL, NULL, 0), NULL);
	/* both results exist from the start, so rate() sees the first */
	(void)metrics_series(env->reloads, ok);
	(void)metrics_series(env->reloads, error);
}

/* pd_env_set_cfg - publish a new snapshot (consumed), drop the old */
void
pd_env_set_cfg(struct pd_env *env, struct cfg *cfg)
{
	struct cfg *old = env->cfg;

	env->cfg = cfg;
	cfg_release(old);
}

/* pd_env_free - drop the snapshot and free the store */
void
pd_env_free(struct pd_env *env)
{
	if (env->cfg != NULL)
		cfg_release(env->cfg);
	if (env->rl != NULL)
		env->rl->ops->free(env->rl);
	rl_once_free(env->once);
	env->once = NULL;
	env->cfg = NULL;
	env->rl = NULL;
}

/* pd_sess_init - no message yet */
void
pd_sess_init(struct pd_sess *s)
{
	memset(s, 0, sizeof(*s));
}

/* pd_sess_free - release the pinned snapshot; cancel a store wait */
void
pd_sess_free(struct pd_sess *s)
{
	void	*owner = s->owner;

	if (s->wait != NULL)
		s->wait->sess = NULL;
	if (s->cfg != NULL)
		cfg_release(s->cfg);
	pd_sess_init(s);
	s->owner = owner;
}

/* str_hash - FNV-1a, to notice that the recipient changed */
static uint64_t
str_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* stage_of - protocol_state to stage; 1 for states we never decide */
static int
stage_of(const char *state, enum stage *st)
{
	static const struct {
		const char *name;
		enum stage st;
	} map[] = {
		{"CONNECT", STAGE_CONNECT}, {"EHLO", STAGE_HELO},
		{"HELO", STAGE_HELO}, {"MAIL", STAGE_MAIL},
		{"RCPT", STAGE_RCPT}, {"DATA", STAGE_DATA},
		{"BDAT", STAGE_DATA}, {"END-OF-MESSAGE", STAGE_EOM},
	};
	size_t	 i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcasecmp(state, map[i].name) == 0) {
			*st = map[i].st;
			return 0;
		}
	return 1;			/* VRFY, ETRN, and anything newer */
}

/* sess_message - start a new message when the instance changes */
static void
sess_message(struct pd_env *env, struct pd_sess *s,
    const struct pd_request *r)
{
	const char *id = r->v[PD_A_INSTANCE];
	struct ipaddr sa;
	const struct ipaddr *sap = NULL;
	unsigned long port;

	/* An empty instance cannot be correlated: each request stands
	 * alone.  An over-long one is compared by its prefix. */
	if (s->cfg != NULL && id[0] != '\0' &&
	    strncmp(s->instance, id, sizeof(s->instance) - 1) == 0)
		return;
	pd_sess_free(s);
	(void)snprintf(s->instance, sizeof(s->instance), "%s", id);
	s->cfg = cfg_retain(env->cfg);
	if (ipaddr_parse(r->v[PD_A_SERVER_ADDRESS], &sa) == 0)
		sap = &sa;
	port = strtoul(r->v[PD_A_SERVER_PORT], NULL, 10);
	s->inst = cfg_instance_find(s->cfg, r->v[PD_A_POLICY_CONTEXT], sap,
	    port > 65535 ? 0 : (unsigned)port);
	if (s->inst == NULL)
		log_unknown(r);
}

/* log_unknown - a face no instance matches is a configuration error */
static void
log_unknown(const struct pd_request *r)
{
	char	 pc[104], sa[104], sp[16];

	log_sanitize(pc, sizeof(pc), r->v[PD_A_POLICY_CONTEXT], 100);
	log_sanitize(sa, sizeof(sa), r->v[PD_A_SERVER_ADDRESS], 100);
	log_sanitize(sp, sizeof(sp), r->v[PD_A_SERVER_PORT], 10);
	log_err("configuration error: no instance matches policy_context="
	    "\"%s\" server_address=%s server_port=%s (set "
	    "smtpd_policy_service_policy_context, or match.name/"
	    "match.address)", pc, sa, sp);
}

/* build_facts - decode what the request tells at this stage */
static void
build_facts(const struct pd_request *r, enum stage st, struct facts *f)
{
	const char *rcpt = r->v[PD_A_RECIPIENT];

	facts_init(f);
	(void)facts_set_client(f, r->v[PD_A_CLIENT_ADDRESS]);
	facts_set_str(f->client_name, sizeof(f->client_name),
	    r->v[PD_A_CLIENT_NAME]);
	facts_set_str(f->helo, sizeof(f->helo), r->v[PD_A_HELO_NAME]);
	facts_set_str(f->sasl_user, sizeof(f->sasl_user),
	    r->v[PD_A_SASL_USERNAME]);
	/* Before MAIL an empty sender means "not yet", not "<>". */
	if (st >= STAGE_MAIL)
		(void)facts_set_sender(f, r->v[PD_A_SENDER]);
	/* Recipient rules only with a recipient (after RCPT, Postfix
	 * sends one only when the message has exactly one). */
	if (st >= STAGE_RCPT && rcpt[0] != '\0')
		(void)facts_set_rcpt(f, rcpt);
	f->rcpt_count = (unsigned)strtoul(r->v[PD_A_RECIPIENT_COUNT], NULL,
	    10);
	f->size = (size_t)strtoull(r->v[PD_A_SIZE], NULL, 10);
}

/* has_rcpt_limits - does the instance count recipients anywhere? */
static int
has_rcpt_limits(const struct cfg_instance *inst)
{
	size_t	 i;

	for (i = 0; i < inst->n_rl; i++)
		if (inst->rl[i].count == CFG_RL_RECIPIENTS)
			return 1;
	return 0;
}

/* memo_hits - one remembered answer's hits into the verdict */
static void
memo_hits(const struct cfg_instance *inst, const struct pd_rl_memo *m,
    struct verdict *v)
{
	static const char *const why = "rate-limit store unavailable "
	    "(policyd.store.on_error tempfail)";
	struct rule_hit h;
	size_t	 i;

	for (i = 0; i < inst->n_rl && i < CFG_RL_MAX; i++)
		if (m->over & (1u << i)) {
			rl_hit(inst, i, &h);
			(void)rule_add_hit(v, &h);
		}
	if (m->internal) {
		rule_hit_make(RULE_INTERNAL, CFG_ACT_TEMPFAIL,
		    CFG_MODE_ENFORCE, why, &h);
		(void)rule_add_hit(v, &h);
	}
}

/* rl_hits - the remembered rate-limit hits into the verdict */
static void
rl_hits(const struct pd_sess *s, struct verdict *v)
{
	memo_hits(s->inst, &s->rl_check, v);
	memo_hits(s->inst, &s->rl_charge, v);
}

/*
 * rate_limits - start the message's store call when one is due; 1 when
 * the answer will come later, 0 when the rate-limit hits are known
 */
static int
rate_limits(struct pd_env *env, struct pd_sess *s, const struct facts *f,
    enum stage st, uint64_t now, struct verdict *v, const char *qid)
{
	/* A message refused by a rule is neither checked nor counted. */
	if (s->inst->n_rl == 0 || v->refusal != NULL || st < STAGE_RCPT ||
	    s->rl_charge.done)
		return 0;
	if (rl_once_seen(env->once, s->inst->name, s->instance, now)) {
		/* charged on another connection: it passed its limits */
		s->rl_charge.done = 1;
		return 0;
	}
	if (!has_rcpt_limits(s->inst))
		return rl_call(env, s, &s->rl_charge, RL_OP_CHARGE, f, st, 0,
		    now, v, qid);
	if (st >= STAGE_DATA && f->rcpt_count > 0)
		return rl_call(env, s, &s->rl_charge, RL_OP_CHARGE, f, st,
		    f->rcpt_count, now, v, qid);
	if (!s->rl_check.done)
		return rl_call(env, s, &s->rl_check, RL_OP_CHECK, f, st, 1,
		    now, v, qid);
	return 0;
}

/* rl_call - one store call; 1 when its answer is still to come */
static int
rl_call(struct pd_env *env, struct pd_sess *s, struct pd_rl_memo *memo,
    enum rl_op op, const struct facts *f, enum stage st, uint64_t rcpts,
    uint64_t now, const struct verdict *v, const char *qid)
{
	struct pd_wait *w = xcalloc(1, sizeof(*w));

	if (rl_plan(&w->req, op, s->cfg, s->inst, f, 1, rcpts, now) == 0) {
		memo->done = 1;
		free(w);
		return 0;
	}
	w->env = env;
	w->sess = s;
	w->memo = memo;
	w->sync = 1;
	w->now = now;
	w->st = st;
	w->f = *f;
	w->v = *v;
	(void)snprintf(w->queue_id, sizeof(w->queue_id), "%s", qid);
	s->wait = w;
	env->rl->ops->run(env->rl, &w->req, rl_done, w);
	if (w->done) {
		free(w);
		return 0;
	}
	w->sync = 0;
	return 1;
}

/* rl_done - the store answered: remember the hits, finish if delayed */
static void
rl_done(void *arg, const struct rl_result *res)
{
	struct pd_wait *w = arg;
	struct pd_sess *s = w->sess;
	struct pd_env *env = w->env;
	struct pd_answer a;
	size_t	 i;

	if (s == NULL) {		/* the connection went away */
		free(w);
		return;
	}
	s->wait = NULL;
	/* remembered as bits: the hits are made again from the snapshot */
	for (i = 0; res->status == 0 && i < w->req.n; i++)
		if (res->count[i] + w->req.item[i].n > res->limit[i])
			w->memo->over |= (uint16_t)(1u << w->req.item[i].idx);
	w->memo->internal = res->status != 0 &&
	    s->cfg->policyd.store.on_error == CFG_STORE_TEMPFAIL;
	w->memo->done = 1;
	if (res->status == 0 && res->charged)
		rl_once_mark(env->once, s->inst->name, s->instance, w->now);
	metrics_set(metrics_series(env->rl_keys, NULL),
	    (int64_t)env->rl->ops->count(env->rl));
	if (res->evicted > 0) {
		const char *lv[2] = { s->inst->name, NULL };

		metrics_inc(env->evictions, lv, (int64_t)res->evicted);
		if (w->now >= env->rl_evict_logged + RL_WARN_INTERVAL) {
			env->rl_evict_logged = w->now;
			log_warn("rate-limit keys of instance %s at its "
			    "rate_key_budget: evicting the longest idle",
			    s->inst->name);
		}
	}
	if (w->sync) {
		w->done = 1;
		return;
	}
	finish(env, s, &w->v, &w->f, w->queue_id, &a);
	free(w);
	env->resume(s->owner, &a);
}

/* finish - rate-limit hits, report, the answer */
static void
finish(struct pd_env *env, struct pd_sess *s, struct verdict *v,
    const struct facts *f, const char *qid, struct pd_answer *a)
{
	if (s->inst != NULL)
		rl_hits(s, v);
	decide_report(&s->memo, env->rule_hits, qid, s->inst, v, f);
	make_answer(s, v, a);
	pd_count_request(env, s->inst, a->kind);
}

/* make_answer - the reply: refusal, one unsent tag, or DUNNO */
static void
make_answer(struct pd_sess *s, const struct verdict *v, struct pd_answer *a)
{
	const struct rule_hit *h = v->refusal;
	const char *name, *value;
	size_t	 i;

	a->close = 0;
	if (h != NULL && h->code != 0) {
		a->kind = h->code >= 500 ? PD_REJECT : PD_DEFER;
		(void)snprintf(a->action, sizeof(a->action), "%d %s %s",
		    h->code, h->dsn, h->text);
		return;
	}
	if (h != NULL) {		/* hold: no code; text only logged */
		a->kind = PD_HOLD;
		(void)snprintf(a->action, sizeof(a->action), "HOLD held by "
		    "gatepost rule %s", rule_name(h->rule));
		return;
	}
	a->kind = PD_DUNNO;
	(void)snprintf(a->action, sizeof(a->action), "DUNNO");
	/* With a milter configured, tags are the milter's (DESIGN.md). */
	if (s->cfg->milter.set)
		return;
	for (i = 0; i < v->n_hit; i++) {
		h = &v->hit[i];
		if (h->action != CFG_ACT_TAG || (s->tags_sent & (1u << h->rule))
		    || rule_tag(h->rule, &name, &value) != 0)
			continue;
		s->tags_sent |= 1u << h->rule;
		a->kind = PD_PREPEND;
		(void)snprintf(a->action, sizeof(a->action), "PREPEND %s: %s",
		    name, value);
		return;
	}
}

/* pd_count_request - gatepost_policy_requests_total for one answer */
void
pd_count_request(struct pd_env *env, const struct cfg_instance *inst,
    enum pd_kind kind)
{
	const char *lv[4];

	lv[0] = inst != NULL ? inst->name : "-";
	lv[1] = inst != NULL ? cfg_dir_name(inst->dir) : "-";
	lv[2] = kind_name[kind];
	lv[3] = NULL;
	metrics_inc(env->requests, lv, 1);
}

/* pd_answer_internal - 451 4.3.0, then close */
void
pd_answer_internal(struct pd_answer *a)
{
	struct rule_hit h;

	rule_hit_make(RULE_INTERNAL, CFG_ACT_TEMPFAIL, CFG_MODE_ENFORCE, "",
	    &h);
	a->kind = PD_DEFER;
	a->close = 1;
	(void)snprintf(a->action, sizeof(a->action), "%d %s %s", h.code,
	    h.dsn, h.text);
}

/* debug_request - one line per request when debugging */
static void
debug_request(const struct pd_sess *s, const struct pd_request *r,
    const struct pd_answer *a)
{
	char	 st[32], cl[104], fr[104], to[104], sasl[104], pc[104];

	if (!log_debug_enabled())
		return;
	log_sanitize(st, sizeof(st), r->v[PD_A_PROTOCOL_STATE], 20);
	log_sanitize(pc, sizeof(pc), r->v[PD_A_POLICY_CONTEXT], 100);
	log_sanitize(cl, sizeof(cl), r->v[PD_A_CLIENT_ADDRESS], 100);
	log_sanitize(fr, sizeof(fr), r->v[PD_A_SENDER], 100);
	log_sanitize(to, sizeof(to), r->v[PD_A_RECIPIENT], 100);
	log_sanitize(sasl, sizeof(sasl), r->v[PD_A_SASL_USERNAME], 100);
	log_debug("request: state=%s context=%s instance=%s client=%s "
	    "from=<%s> to=<%s> sasl=<%s> count=%.10s -> action=%s", st, pc,
	    s->inst != NULL ? s->inst->name : "-", cl, fr, to, sasl,
	    r->v[PD_A_RECIPIENT_COUNT], a != NULL ? a->action :
	    "(waiting for the rate-limit store)");
}

/* pd_decide - answer one policy request; 1 = the answer comes later */
int
pd_decide(struct pd_env *env, struct pd_sess *s, const struct pd_request *r,
    uint64_t now, struct pd_answer *a)
{
	struct facts f;
	struct verdict v;
	enum stage st = STAGE_RCPT;
	uint64_t rh;

	if (strcmp(r->v[PD_A_REQUEST], "smtpd_access_policy") != 0) {
		log_warn("malformed policy request: request=\"%.40s\", "
		    "expected smtpd_access_policy", r->v[PD_A_REQUEST]);
		pd_answer_internal(a);
		pd_count_request(env, NULL, a->kind);
		return 0;
	}
	sess_message(env, s, r);
	verdict_init(&v);
	if (stage_of(r->v[PD_A_PROTOCOL_STATE], &st) != 0) {
		make_answer(s, &v, a);
		pd_count_request(env, s->inst, a->kind);
		debug_request(s, r, a);
		return 0;
	}
	build_facts(r, st, &f);
	rh = str_hash(r->v[PD_A_RECIPIENT]);
	if (rh != s->rcpt_hash)
		decide_new_scope(&s->memo);
	s->rcpt_hash = rh;
	if (s->inst == NULL)
		rule_unknown_instance(s->cfg, &v);
	else {
		rule_eval(s->cfg, s->inst, &f, STAGE_CONNECT, st, &v);
		if (rate_limits(env, s, &f, st, now, &v,
		    r->v[PD_A_QUEUE_ID]) == 1) {
			debug_request(s, r, NULL);
			return 1;
		}
	}
	finish(env, s, &v, &f, r->v[PD_A_QUEUE_ID], a);
	debug_request(s, r, a);
	return 0;
}
