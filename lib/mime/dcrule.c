/* dcrule.c - which disclaimer entry a message gets */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "dcrule.h"
#include "mimehdr.h"
#include "rule.h"

static int	m_senders(const struct cfg_disclaimer *,
		    const struct mailaddr *);
static int	m_logins(const struct cfg_disclaimer *, const char *);
static int	m_rcpt_domains(const struct cfg_disclaimer *,
		    const struct dcrule_env *, size_t);
static int	m_external(const struct cfg_disclaimer *,
		    const struct dcrule_env *);
static int	entry_matches(const struct cfg_disclaimer *,
		    const struct dcrule_env *, size_t,
		    const struct mailaddr *, const char *);

/* dcrule_rcpt - fold one accepted recipient into env */
void
dcrule_rcpt(const struct cfg *cfg, const struct cfg_instance *in,
    const struct mailaddr *rcpt, struct dcrule_env *env)
{
	const struct cfg_disclaimer *d;
	size_t	 i;

	env->n_rcpt++;
	if (rcpt->domain[0] == '\0')
		return;
	if (!rule_internal(cfg, rcpt->domain))
		env->external = 1;
	for (i = 0; i < in->disclaimer.n; i++) {
		d = &in->disclaimer.v[i];
		if (domain_list_match(d->rcpt_domains.v, d->rcpt_domains.n,
		    rcpt->domain))
			env->rcpt_dom |= 1ul << i;
	}
}

/*
 * The match predicates, one per criterion (STYLE.md 3): 1 holds, 0 does
 * not, -1 not given (holds).
 */

/* m_senders - match.senders */
static int
m_senders(const struct cfg_disclaimer *d, const struct mailaddr *sender)
{
	if (d->senders.n == 0)
		return -1;
	return sender != NULL && rule_addr_listed(sender, &d->senders);
}

/* m_logins - match.logins */
static int
m_logins(const struct cfg_disclaimer *d, const char *login)
{
	size_t	 i;

	if (d->logins.n == 0)
		return -1;
	if (login == NULL || login[0] == '\0')
		return 0;
	for (i = 0; i < d->logins.n; i++)
		if (strcasecmp(d->logins.v[i], login) == 0)
			return 1;
	return 0;
}

/* m_rcpt_domains - match.recipient_domains */
static int
m_rcpt_domains(const struct cfg_disclaimer *d, const struct dcrule_env *env,
    size_t idx)
{
	if (d->rcpt_domains.n == 0)
		return -1;
	return (env->rcpt_dom >> idx) & 1ul ? 1 : 0;
}

/* m_external - match.external_recipients */
static int
m_external(const struct cfg_disclaimer *d, const struct dcrule_env *env)
{
	if (!d->external)
		return -1;
	return env->external;
}

/* entry_matches - every criterion given holds */
static int
entry_matches(const struct cfg_disclaimer *d, const struct dcrule_env *env,
    size_t idx, const struct mailaddr *sender, const char *login)
{
	return m_senders(d, sender) != 0 && m_logins(d, login) != 0 &&
	    m_rcpt_domains(d, env, idx) != 0 && m_external(d, env) != 0;
}

/* dcrule_header - a header field test on the message (mimehdr(3h)) */
int
dcrule_header(const char *msg, size_t len, const char *name,
    const char *value)
{
	return mimehdr_field_is(msg, len, name, value);
}

/* dcrule_choose - the entry that applies, or -1 with why */
int
dcrule_choose(const struct cfg_instance *in, const struct dcrule_env *env,
    const struct mailaddr *sender, const char *login, const char *msg,
    size_t len, enum disclaimer_result *r, const char **why)
{
	const struct cfg_disclaimer *d;
	size_t	 i, k;

	for (i = 0; i < in->disclaimer.n; i++)
		if (entry_matches(&in->disclaimer.v[i], env, i, sender, login))
			break;
	if (i == in->disclaimer.n) {
		*r = DC_SKIPPED_NOMATCH;
		*why = "no disclaimer entry matches";
		return -1;
	}
	d = &in->disclaimer.v[i];
	if (sender != NULL && d->skip_senders.n > 0 &&
	    rule_addr_listed(sender, &d->skip_senders)) {
		*r = DC_SKIPPED_EXCEPTION;
		*why = "sender in skip_senders";
		return -1;
	}
	for (k = 0; k < d->n_skip_hdr; k++)
		if (dcrule_header(msg, len, d->skip_hdr[k].name,
		    d->skip_hdr[k].value)) {
			*r = DC_SKIPPED_EXCEPTION;
			*why = "a skip_if_header field is present";
			return -1;
		}
	return (int)i;
}

/* dcrule_conf - the disclaimer_apply() settings of an entry */
void
dcrule_conf(const struct cfg_disclaimer *d, struct disclaimer_conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->text = d->text;
	conf->html = d->html;
	conf->max_size = d->max_size;
	conf->position = d->top ? DC_POS_TOP : DC_POS_BOTTOM;
	conf->replies = d->replies_skip ? DC_REPLIES_SKIP : DC_REPLIES_ALWAYS;
	conf->fallback = d->fallback == 2 ? DC_FALLBACK_REJECT :
	    d->fallback == 1 ? DC_FALLBACK_WRAP : DC_FALLBACK_PASS;
}
