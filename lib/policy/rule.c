/* rule.c - the rule engine: (cfg, instance, facts, stage) -> verdict */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "idna.h"
#include "rule.h"

struct scan_arg {			/* addr_scan_domains() callback */
	const struct cfg *cfg;
	const struct cfg_instance *inst;
	const char *login;
	int	 found;			/* a domain was seen */
};

static int display_has_internal_addr(const struct cfg *, const char *);
static int text_names_internal(const struct cfg *, const char *);

typedef enum cfg_act rule_fn(const struct cfg *, const struct cfg_instance *,
    const struct facts *, const char **);

static enum cfg_act r_clients_deny(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);
static enum cfg_act r_clients_allow(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);
static enum cfg_act r_auth(const struct cfg *, const struct cfg_instance *,
    const struct facts *, const char **);
static enum cfg_act r_send_as_env(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);
static enum cfg_act r_spoof_env(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);
static enum cfg_act r_recipients(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);
static enum cfg_act r_spoof_hdr(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);
static enum cfg_act r_spoof_display(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);
static enum cfg_act r_send_as_hdr(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);
static enum cfg_act r_spoof_malformed(const struct cfg *,
    const struct cfg_instance *, const struct facts *, const char **);

/* The fixed evaluation order, each rule with the stage it becomes known. */
static const struct rule_def {
	enum rule_id id;
	enum stage stage;
	rule_fn *fn;
} rule_defs[] = {
	{RULE_CLIENTS_DENY, STAGE_CONNECT, r_clients_deny},
	{RULE_CLIENTS_ALLOW, STAGE_CONNECT, r_clients_allow},
	{RULE_AUTH, STAGE_MAIL, r_auth},
	{RULE_SEND_AS_ENVELOPE, STAGE_MAIL, r_send_as_env},
	{RULE_SPOOF_ENVELOPE, STAGE_MAIL, r_spoof_env},
	{RULE_RECIPIENTS, STAGE_RCPT, r_recipients},
	{RULE_SPOOF_HEADER, STAGE_EOH, r_spoof_hdr},
	{RULE_SPOOF_MALFORMED, STAGE_EOH, r_spoof_malformed},
	{RULE_SPOOF_DISPLAY, STAGE_EOH, r_spoof_display},
	{RULE_SEND_AS_HEADER, STAGE_EOH, r_send_as_hdr},
};

/* Names (as in the config and logs) and reply texts, by rule_id. */
static const struct rule_text {
	const char *name;
	const char *text;
} rule_texts[RULE__COUNT] = {
	[RULE_CLIENTS_DENY] = {"clients.deny",
	    "Client host rejected: not permitted on this service"},
	[RULE_CLIENTS_ALLOW] = {"clients.allow",
	    "Client host rejected: not permitted on this service"},
	[RULE_AUTH] = {"auth",
	    "Authentication not permitted on this service"},
	[RULE_SEND_AS_ENVELOPE] = {"send_as.envelope_from",
	    "Sender address not owned by the authenticated user"},
	[RULE_SPOOF_ENVELOPE] = {"spoofing.envelope_from",
	    "Sender address in a local domain not permitted from outside"},
	[RULE_RECIPIENTS] = {"recipients",
	    "Relay access denied on this service"},
	[RULE_SPOOF_HEADER] = {"spoofing.header_from",
	    "Header From in a local domain not permitted from outside"},
	[RULE_SPOOF_DISPLAY] = {"spoofing.display_name",
	    "Header From display name impersonates a local sender"},
	[RULE_SEND_AS_HEADER] = {"send_as.header_from",
	    "Header From not owned by the authenticated user"},
	[RULE_SPOOF_MALFORMED] = {"spoofing.malformed_from",
	    "Header From field is malformed (RFC 5322); not accepted"},
	[RULE_UNKNOWN_INSTANCE] = {"unknown_instance",
	    "Service not configured, try again later"},
	[RULE_RATE_LIMIT] = {"rate_limits",
	    "Message rate limit exceeded, try again later"},
	[RULE_SPAM] = {"spam", "Message content rejected as spam"},
	[RULE_VIRUS] = {"virus", "Message content rejected: virus found"},
	[RULE_INTERNAL] = {"internal",
	    "Temporary local problem, try again later"},
	[RULE_DISCLAIMER] = {"disclaimer.fallback",
	    "This message must carry the company disclaimer"},
	[RULE_SESSION_LIMIT] = {"limits.messages_per_session",
	    "Too many messages in this session, reconnect later"},
};

/* rule_name - the rule's name as the config and logs spell it */
const char *
rule_name(enum rule_id id)
{
	if ((unsigned)id >= RULE__COUNT)
		return "?";
	return rule_texts[id].name;
}

/* rule_is_refusal - does this action refuse (or divert) the message */
int
rule_is_refusal(enum cfg_act act)
{
	return act == CFG_ACT_REJECT || act == CFG_ACT_TEMPFAIL ||
	    act == CFG_ACT_HOLD || act == CFG_ACT_DEFER;
}

/* rule_hit_make - a hit with its SMTP reply filled in */
void
rule_hit_make(enum rule_id id, enum cfg_act act, enum cfg_mode mode,
    const char *reason, struct rule_hit *h)
{
	memset(h, 0, sizeof(*h));
	h->rule = id;
	h->action = act;
	h->mode = mode;
	h->reason = reason != NULL ? reason : "";
	h->text = rule_name(id) != NULL ? rule_texts[id].text : "";
	switch (act) {
	case CFG_ACT_REJECT:
		h->code = 550;
		h->dsn = "5.7.1";
		break;
	case CFG_ACT_TEMPFAIL:
		h->code = 451;
		h->dsn = "4.7.1";
		break;
	case CFG_ACT_DEFER:
		h->code = 450;
		h->dsn = "4.7.1";
		break;
	default:
		h->code = 0;
		h->dsn = "";
		break;
	}
	if (id == RULE_INTERNAL && act == CFG_ACT_TEMPFAIL)
		h->dsn = "4.3.0";
	if (id == RULE_UNKNOWN_INSTANCE && act == CFG_ACT_TEMPFAIL)
		h->dsn = "4.3.5";
	if (id == RULE_UNKNOWN_INSTANCE && act == CFG_ACT_REJECT)
		h->text = "Mail service not configured for this address";
	if (id == RULE_SESSION_LIMIT && act == CFG_ACT_TEMPFAIL) {
		/* a connection limit: Postfix hangs up after a 421 */
		h->code = 421;
		h->dsn = "4.7.0";
	}
}

/* verdict_init - no hits yet */
void
verdict_init(struct verdict *v)
{
	memset(v, 0, sizeof(*v));
}

/* rule_add_hit - append a hit; the first enforced refusal is the answer */
int
rule_add_hit(struct verdict *v, const struct rule_hit *h)
{
	struct rule_hit *slot;

	if (v->n_hit >= RULE_MAX_HITS)
		return -1;
	slot = &v->hit[v->n_hit++];
	*slot = *h;
	if (h->action == CFG_ACT_TAG)
		v->tags |= 1u << h->rule;
	if (v->refusal == NULL && h->mode == CFG_MODE_ENFORCE &&
	    rule_is_refusal(h->action))
		v->refusal = slot;
	return 0;
}

/* rule_eval - evaluate the rules of stages first..last, in order */
void
rule_eval(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, enum stage first, enum stage last,
    struct verdict *v)
{
	rule_eval_trace(cfg, inst, f, first, last, v, NULL, NULL);
}

/* rule_stage - the stage at which a rule becomes decidable */
enum stage
rule_stage(enum rule_id id)
{
	size_t	 i;

	for (i = 0; i < sizeof(rule_defs) / sizeof(rule_defs[0]); i++)
		if (rule_defs[i].id == id)
			return rule_defs[i].stage;
	return STAGE_EOM;
}

/* rule_eval_trace - rule_eval, reporting every rule considered */
void
rule_eval_trace(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, enum stage first, enum stage last,
    struct verdict *v, rule_trace_fn *trace, void *arg)
{
	struct rule_hit h;
	const char *reason;
	enum cfg_act act;
	size_t	 i;

	for (i = 0; i < sizeof(rule_defs) / sizeof(rule_defs[0]); i++) {
		const struct rule_def *d = &rule_defs[i];

		if (v->refusal != NULL)
			return;
		if (d->stage < first || d->stage > last)
			continue;
		reason = "";
		act = d->fn(cfg, inst, f, &reason);
		rule_hit_make(d->id, act, inst->mode, reason, &h);
		if (d->id == RULE_AUTH && act != CFG_ACT_NONE &&
		    inst->auth == CFG_AUTH_REQUIRE) {
			h.code = 530;
			h.dsn = "5.7.0";
			h.text = "Authentication required";
		}
		if (trace != NULL)
			trace(arg, d->id, d->stage, &h);
		if (act != CFG_ACT_NONE)
			(void)rule_add_hit(v, &h);
	}
}

/* rule_unknown_instance - the verdict for a face no instance matches */
void
rule_unknown_instance(const struct cfg *cfg, struct verdict *v)
{
	struct rule_hit h;

	rule_hit_make(RULE_UNKNOWN_INSTANCE,
	    cfg->unknown_instance == CFG_ACT_REJECT ? CFG_ACT_REJECT :
	    CFG_ACT_TEMPFAIL, CFG_MODE_ENFORCE,
	    "no instance matches this service (check match.name and "
	    "match.address)", &h);
	(void)rule_add_hit(v, &h);
}

/* rule_session_limit - a MAIL past limits.messages_per_session */
void
rule_session_limit(const struct cfg_instance *inst, unsigned begun,
    struct verdict *v)
{
	struct rule_hit h;

	if (inst == NULL || inst->limits.messages_per_session == 0 ||
	    begun < inst->limits.messages_per_session)
		return;
	rule_hit_make(RULE_SESSION_LIMIT, CFG_ACT_TEMPFAIL, inst->mode,
	    "session reached limits.messages_per_session", &h);
	(void)rule_add_hit(v, &h);
}

/* is_internal - domain belongs to the internal domains */
static int
is_internal(const struct cfg *cfg, const char *domain)
{
	return domain[0] != '\0' &&
	    domain_list_match(cfg->internal_domains.v, cfg->internal_domains.n,
	    domain);
}

/* addr_in_list - address matches "*", "@domain", "@.domain" or "a@d" */
static int
addr_in_list(const struct mailaddr *a, const struct cfg_strv *list)
{
	char	 full[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	size_t	 i;

	if (addr_format(a, full, sizeof(full)) != 0)
		return 0;
	for (i = 0; i < list->n; i++) {
		const char *e = list->v[i];

		if (strcmp(e, "*") == 0)
			return 1;
		if (e[0] == '@') {
			if (a->domain[0] != '\0' && domain_match(a->domain,
			    e + 1))
				return 1;
			continue;
		}
		if (!a->null && strcasecmp(full, e) == 0)
			return 1;
	}
	return 0;
}

/* spoof_exempt - an exception exempts the message from spoofing.* */
static int
spoof_exempt(const struct cfg_instance *inst, const struct facts *f)
{
	if (f->have_client && cidr_list_match(inst->spoof.exc_clients.v,
	    inst->spoof.exc_clients.n, &f->client))
		return 1;
	if (f->have_sender && !f->sender.null &&
	    addr_in_list(&f->sender, &inst->spoof.exc_senders))
		return 1;
	return 0;
}

/* sender_known - MAIL FROM has been seen */
static int
sender_known(const struct facts *f)
{
	return f->have_sender || f->sender_raw[0] != '\0';
}

/*
 * login_find - the send_as entry of a SASL login, or NULL.  cfg keeps the
 * logins sorted and unique ignoring case (cfg_sendas.c), so a binary
 * search: sites with thousands of logins ask this on every request.
 */
static const struct cfg_login *
login_find(const struct cfg_instance *inst, const char *login)
{
	size_t	 lo = 0, hi = inst->send_as.n_logins, mid;
	int	 r;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		r = strcasecmp(login, inst->send_as.logins[mid].login);
		if (r == 0)
			return &inst->send_as.logins[mid];
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* login_owns - may this login use this address */
static int
login_owns(const struct cfg_instance *inst, const char *login,
    const struct mailaddr *a)
{
	const struct cfg_login *l = login_find(inst, login);

	if (l == NULL)
		return 0;
	return addr_in_list(a, &l->addrs);
}

static enum cfg_act
r_clients_deny(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	if (!f->have_client || inst->deny.n == 0)
		return CFG_ACT_NONE;
	if (!cidr_list_match(inst->deny.v, inst->deny.n, &f->client))
		return CFG_ACT_NONE;
	*why = "client address is in clients.deny";
	return CFG_ACT_REJECT;
}

static enum cfg_act
r_clients_allow(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	if (!inst->has_allow)
		return CFG_ACT_NONE;
	if (!f->have_client) {
		*why = "client address unknown; clients.allow is set";
		return CFG_ACT_REJECT;
	}
	if (cidr_list_match(inst->allow.v, inst->allow.n, &f->client))
		return CFG_ACT_NONE;
	*why = "client address is not in clients.allow";
	return CFG_ACT_REJECT;
}

static enum cfg_act
r_auth(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	int	 authed = f->sasl_user[0] != '\0';

	if (inst->auth == CFG_AUTH_FORBID && authed) {
		*why = "client authenticated on a face where AUTH is forbidden";
		return CFG_ACT_REJECT;
	}
	if (inst->auth == CFG_AUTH_REQUIRE && !authed) {
		*why = "no SASL login on a face that requires AUTH";
		return CFG_ACT_REJECT;
	}
	return CFG_ACT_NONE;
}

static enum cfg_act
r_send_as_env(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	if (!inst->send_as.set || f->sasl_user[0] == '\0' || !sender_known(f))
		return CFG_ACT_NONE;
	if (!f->have_sender) {
		*why = "envelope sender does not parse";
		return inst->send_as.envelope_from;
	}
	if (f->sender.null) {
		if (inst->send_as.null_sender)
			return CFG_ACT_NONE;
		*why = "null sender not allowed for logins (send_as.null_sender)";
		return inst->send_as.envelope_from;
	}
	if (login_owns(inst, f->sasl_user, &f->sender))
		return CFG_ACT_NONE;
	*why = login_find(inst, f->sasl_user) == NULL ?
	    "login has no send_as entry" :
	    "envelope sender not in the login's send_as list";
	return inst->send_as.envelope_from;
}

/*
 * r_spoof_env - an envelope sender in an internal domain.  One that does
 * not parse counts as internal when its text names an internal domain,
 * or when it was too long to keep whole (SECURITY.md: fail closed).
 */
static enum cfg_act
r_spoof_env(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	if (inst->spoof.envelope_from == CFG_ACT_NONE || !sender_known(f))
		return CFG_ACT_NONE;
	if (f->have_sender) {
		if (f->sender.null || !is_internal(cfg, f->sender.domain))
			return CFG_ACT_NONE;
		*why = "envelope sender in an internal domain";
	} else if (f->sender_cut)
		*why = "envelope sender too long to examine (counted as "
		    "internal)";
	else if (text_names_internal(cfg, f->sender_raw))
		*why = "envelope sender does not parse and names an internal "
		    "domain";
	else
		return CFG_ACT_NONE;
	if (spoof_exempt(inst, f))
		return CFG_ACT_NONE;
	return inst->spoof.envelope_from;
}

static enum cfg_act
r_recipients(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	int	 internal;

	if (inst->recipients == CFG_RCPTS_ANY ||
	    (!f->have_rcpt && f->rcpt_raw[0] == '\0'))
		return CFG_ACT_NONE;
	internal = f->have_rcpt && is_internal(cfg, f->rcpt.domain);
	if (inst->recipients == CFG_RCPTS_INTERNAL && !internal) {
		*why = "recipient domain is not internal (no relay)";
		return CFG_ACT_REJECT;
	}
	if (inst->recipients == CFG_RCPTS_EXTERNAL && internal) {
		*why = "recipient domain is internal on an external-only face";
		return CFG_ACT_REJECT;
	}
	return CFG_ACT_NONE;
}

/* scan_internal - addr_scan_domains() callback: an internal domain? */
static int
scan_internal(void *arg, const char *dom)
{
	struct scan_arg *sa = arg;
	char	 a[ADDR_DOMAIN_MAX];
	const unsigned char *p;

	sa->found = 1;
	if (dom == NULL)
		return 1;		/* not examined: counts as internal */
	for (p = (const unsigned char *)dom; *p != '\0' && *p < 0x80; p++)
		continue;
	if (*p == '\0')
		return is_internal(sa->cfg, dom);
	return idna_domain_ascii(dom, a, sizeof(a)) == 0 &&
	    is_internal(sa->cfg, a);
}

/* text_names_internal - the text of a sender names an internal domain */
static int
text_names_internal(const struct cfg *cfg, const char *s)
{
	struct scan_arg sa;

	memset(&sa, 0, sizeof(sa));
	sa.cfg = cfg;
	return addr_scan_domains(s, strlen(s), scan_internal, &sa);
}

/* any_display_internal - some display name shows an internal address */
static int
any_display_internal(const struct cfg *cfg, const struct hdr_from *hf)
{
	size_t	 i;

	for (i = 0; i < hf->n; i++)
		if (display_has_internal_addr(cfg, hf->v[i].display))
			return 1;
	return 0;
}

/*
 * hdr_internal - why the header From counts as internal, or NULL: an
 * address that parsed in an internal domain, or a field whose whole text
 * (raw or RFC 2047-decoded, kept by hdrfrom) names one, so that breaking
 * the syntax, or hiding the address where one reader sees a name and
 * another an address, is no way around spoofing.header_from.  A
 * well-formed field whose display name shows the internal address is
 * left to spoofing.display_name when that rule is on (its own action,
 * e.g. tag for "'alice@example.com' via List" <list@example.net>).
 */
static const char *
hdr_internal(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct hdr_from *hf)
{
	size_t	 i;

	for (i = 0; i < hf->n; i++) {
		if (hf->v[i].valid && is_internal(cfg, hf->v[i].addr.domain))
			return "header From address in an internal domain";
		if (!hf->v[i].valid && display_has_internal_addr(cfg,
		    hf->v[i].display))
			return "malformed header From shows an internal "
			    "address";
	}
	if (!hf->bad && inst->spoof.display_name != CFG_ACT_NONE &&
	    any_display_internal(cfg, hf))
		return NULL;
	for (i = 0; i < hf->n_text; i++) {
		if (!text_names_internal(cfg, hf->text[i]))
			continue;
		return hf->bad ? "header From does not parse and names an "
		    "internal domain" : "header From names an internal domain "
		    "outside its address (a comment, quotes or an encoded "
		    "word)";
	}
	return NULL;
}

static enum cfg_act
r_spoof_hdr(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	const char *r;

	if (inst->spoof.header_from == CFG_ACT_NONE || f->from == NULL)
		return CFG_ACT_NONE;
	if ((r = hdr_internal(cfg, inst, f->from)) == NULL && f->other != NULL &&
	    hdr_internal(cfg, inst, f->other) != NULL)
		r = "a Sender or Resent-From field (spoofing.check_headers) "
		    "names an internal domain";
	if (r == NULL)
		return CFG_ACT_NONE;
	*why = r;
	return spoof_exempt(inst, f) ? CFG_ACT_NONE : inst->spoof.header_from;
}

/*
 * r_spoof_malformed - a header From that does not parse with certainty
 * and names no internal domain (that one is header_from's case).
 */
static enum cfg_act
r_spoof_malformed(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	if (inst->spoof.malformed_from == CFG_ACT_NONE || f->from == NULL ||
	    (!f->from->bad && (f->other == NULL || !f->other->bad)))
		return CFG_ACT_NONE;
	if (inst->spoof.header_from != CFG_ACT_NONE &&
	    (hdr_internal(cfg, inst, f->from) != NULL || (f->other != NULL &&
	    hdr_internal(cfg, inst, f->other) != NULL)))
		return CFG_ACT_NONE;
	*why = f->from->bad ? "header From does not parse with certainty (a "
	    "syntax error, an address that is not valid, or more than "
	    "gatepost examines)" : "a Sender or Resent-From field "
	    "(spoofing.check_headers) does not parse with certainty";
	return spoof_exempt(inst, f) ? CFG_ACT_NONE :
	    inst->spoof.malformed_from;
}

/* fold - lower-case ASCII, collapse white space, trim; bounded */
static void
fold(char *dst, size_t len, const char *src)
{
	size_t	 o = 0;
	int	 space = 0;

	for (; *src != '\0' && o + 1 < len; src++) {
		unsigned char c = (unsigned char)*src;

		if (c == ' ' || c == '\t' || c == '"' || c == '\'') {
			space = o > 0;
			continue;
		}
		if (space && o + 2 < len)
			dst[o++] = ' ';
		space = 0;
		dst[o++] = (char)tolower(c);
	}
	dst[o] = '\0';
}

/* display_has_internal_addr - an "x@internal.domain" inside the text */
static int
display_has_internal_addr(const struct cfg *cfg, const char *s)
{
	return text_names_internal(cfg, s);
}

/* display_has_protected - a protected name inside the display name */
static int
display_has_protected(const struct cfg_instance *inst, const char *s)
{
	char	 hay[FACTS_STR_MAX], needle[FACTS_STR_MAX];
	size_t	 i;

	fold(hay, sizeof(hay), s);
	for (i = 0; i < inst->spoof.protected_names.n; i++) {
		fold(needle, sizeof(needle), inst->spoof.protected_names.v[i]);
		if (needle[0] != '\0' && strstr(hay, needle) != NULL)
			return 1;
	}
	return 0;
}

static enum cfg_act
r_spoof_display(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	size_t	 i;

	if (inst->spoof.display_name == CFG_ACT_NONE || f->from == NULL)
		return CFG_ACT_NONE;
	for (i = 0; i < f->from->n; i++) {
		const struct hdr_from_addr *a = &f->from->v[i];

		/* an internal From address is spoofing.header_from's case */
		if (a->valid && is_internal(cfg, a->addr.domain))
			continue;
		if (display_has_internal_addr(cfg, a->display))
			*why = "external From shows an internal address in "
			    "its display name";
		else if (display_has_protected(inst, a->display))
			*why = "external From uses a protected display name";
		else
			continue;
		return spoof_exempt(inst, f) ? CFG_ACT_NONE :
		    inst->spoof.display_name;
	}
	return CFG_ACT_NONE;
}

/* scan_found - addr_scan_domains() callback: note that a domain is named */
static int
scan_found(void *arg, const char *dom)
{
	struct scan_arg *sa = arg;

	(void)dom;
	sa->found = 1;
	return 1;
}

/*
 * display_addrs_owned - a display name that is itself an address
 * ("alice@example.com <bob@example.com>", which several clients show as
 * alice) may name only addresses the login owns; one that names a
 * domain but holds no address that parses fails closed.
 */
static int
display_addrs_owned(const struct cfg_instance *inst, const char *login,
    const char *s)
{
	struct scan_arg sa;
	struct mailaddr m;
	char	 tok[FACTS_STR_MAX], why[128];
	size_t	 n;

	memset(&sa, 0, sizeof(sa));
	(void)addr_scan_domains(s, strlen(s), scan_found, &sa);
	if (!sa.found)
		return 1;
	for (; *s != '\0'; s += n + (s[n] != '\0')) {
		n = strcspn(s, " \t\"<>,;:()[]");
		if (n == 0 || memchr(s, '@', n) == NULL)
			continue;
		if (n >= sizeof(tok))
			return 0;
		memcpy(tok, s, n);
		tok[n] = '\0';
		if (addr_parse(tok, &m, why, sizeof(why)) != 0 || m.null ||
		    m.domain[0] == '\0' || !login_owns(inst, login, &m))
			return 0;
	}
	return 1;
}

static enum cfg_act
r_send_as_hdr(const struct cfg *cfg, const struct cfg_instance *inst,
    const struct facts *f, const char **why)
{
	size_t	 i;

	if (!inst->send_as.set || inst->send_as.header_from == CFG_ACT_NONE ||
	    f->from == NULL || f->sasl_user[0] == '\0')
		return CFG_ACT_NONE;
	if (f->from->n_fields == 0 || f->from->n == 0) {
		*why = "message has no header From";
		return inst->send_as.header_from;
	}
	for (i = 0; i < f->from->n; i++) {
		const struct hdr_from_addr *a = &f->from->v[i];

		if (!a->valid) {
			*why = "header From address does not parse";
			return inst->send_as.header_from;
		}
		if (!login_owns(inst, f->sasl_user, &a->addr)) {
			*why = "header From address not in the login's "
			    "send_as list";
			return inst->send_as.header_from;
		}
		if (!display_addrs_owned(inst, f->sasl_user, a->display)) {
			*why = "header From display name is an address the "
			    "login does not own";
			return inst->send_as.header_from;
		}
	}
	if (f->from->bad) {
		*why = "header From does not parse with certainty";
		return inst->send_as.header_from;
	}
	return CFG_ACT_NONE;
}

/* rule_content - content-stage work the instance wants for a message */
void
rule_content(const struct cfg_instance *inst, const struct facts *f,
    struct rule_content *c)
{
	memset(c, 0, sizeof(*c));
	c->hdr_add = inst->hdr_add;
	c->n_hdr_add = inst->n_hdr_add;
	c->disclaimer = inst->disclaimer.set && inst->disclaimer.n > 0;
	c->archive_bcc = inst->archive_bcc;
	c->spam_scan = inst->spam.set;
	c->virus_scan = inst->virus.set;
}

/* rule_tag - the header a tag action adds: name and value (static) */
int
rule_tag(enum rule_id id, const char **name, const char **value)
{
	switch (id) {
	case RULE_SPOOF_ENVELOPE:
		*name = "X-Gatepost-Spoof";
		*value = "envelope-from";
		return 0;
	case RULE_SPOOF_HEADER:
		*name = "X-Gatepost-Spoof";
		*value = "header-from";
		return 0;
	case RULE_SPOOF_DISPLAY:
		*name = "X-Gatepost-Spoof";
		*value = "display-name";
		return 0;
	case RULE_SEND_AS_ENVELOPE:
		*name = "X-Gatepost-Send-As";
		*value = "envelope-from";
		return 0;
	case RULE_SEND_AS_HEADER:
		*name = "X-Gatepost-Send-As";
		*value = "header-from";
		return 0;
	default:
		return -1;
	}
}

/* rule_addr_listed - the one address-list match, for dcrule(3h) */
int
rule_addr_listed(const struct mailaddr *a, const struct cfg_strv *list)
{
	return addr_in_list(a, list);
}

/* rule_internal - the one internal-domain test, for dcrule(3h) */
int
rule_internal(const struct cfg *cfg, const char *domain)
{
	return is_internal(cfg, domain);
}
