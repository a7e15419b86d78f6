/* pfdoctor_face.c - the faces in master.cf and their checks */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pfdoctor_int.h"
#include "pfgen.h"
#include "pfrestr.h"
#include "xalloc.h"

/* the restriction lists smtpd consults, in the order it consults them */
static const char *const lists[] = {
	"smtpd_client_restrictions", "smtpd_helo_restrictions",
	"smtpd_sender_restrictions", "smtpd_relay_restrictions",
	"smtpd_recipient_restrictions", "smtpd_data_restrictions",
	"smtpd_end_of_data_restrictions", NULL
};
#define L_RELAY	3			/* first list after the sender's */
#define L_DATA	5			/* first list after RCPT */

static int face_add(struct pfd *, const struct pf_service *);
static void face_names(struct pfd *, struct pfd_face *);
static int mynet_open(const struct pfd *, const struct pf_service *);
static int policy_in(const struct pfd *, const struct pfd_face *,
    const char *);
static int check_names(struct pfd *, const struct pfd_face *);
static void check_auth(struct pfd *, const struct pfd_face *);
static const char *starttls_missing(const struct pfd *,
	    const struct pfd_face *);
static void check_tls(struct pfd *, const struct pfd_face *);
static void check_milter(struct pfd *, const struct pfd_face *);
static int dkim_signer(const char *);
static void check_dkim_order(struct pfd *, const struct pfd_face *);
static void check_policy(struct pfd *, const struct pfd_face *);
static void check_relay(struct pfd *, const struct pfd_face *);
static void check_validation(struct pfd *, const struct pfd_face *);
static void check_conflict(struct pfd *, const struct pfd_face *);
static void jailed(struct pfd *, const struct pfd_face *, const char *,
    const char *);

/* face_add - a face for an inet smtpd or postscreen service */
static int
face_add(struct pfd *d, const struct pf_service *s)
{
	struct pfd_face f;
	const struct pf_service *smtpd = s;
	char	 host[256], *pass = NULL;

	memset(&f, 0, sizeof(f));
	if (strcmp(s->command, "postscreen") == 0) {
		pass = pfconf_value(d->pf, s, "smtpd_service_name");
		if ((smtpd = pfconf_service(d->pf, pass, "pass")) == NULL) {
			pfd_problem(d, "no-face", "postscreen %s hands clients "
			    "to \"%s pass\", which master.cf does not have",
			    s->name, pass);
			pfd_fix(d, "master.cf: add \"%s pass - - n - - "
			    "smtpd\" with the face's -o lines", pass);
			free(pass);
			return -1;
		}
	}
	f.listen = s;
	f.smtpd = smtpd;
	if (pfconf_service_port(s->name, host, sizeof(host), &f.port) == 0 &&
	    *host != '\0' && ipaddr_parse(host, &f.addr) == 0) {
		f.has_addr = 1;
		f.loopback = strncmp(host, "127.", 4) == 0 ||
		    strcmp(host, "::1") == 0;
	}
	(void)snprintf(f.label, sizeof(f.label), "smtpd %s%s%s%s%s", s->name,
	    f.has_addr ? "" : " (every address)", pass != NULL ?
	    " (postscreen, then " : "", pass != NULL ? pass : "",
	    pass != NULL ? " pass)" : "");
	free(pass);
	f.chroot = pfd_chroot(smtpd);
	face_names(d, &f);
	d->faces = xreallocarray(d->faces, d->n_faces + 1,
	    sizeof(d->faces[0]));
	d->faces[d->n_faces++] = f;
	return 0;
}

/* face_names - the names the face sends and the instances they find */
static void
face_names(struct pfd *d, struct pfd_face *f)
{
	const struct ipaddr *a = f->has_addr ? &f->addr : NULL;
	const char *m = "milter_macro_daemon_name";
	const char *p = "smtpd_policy_service_policy_context";

	f->dname = pfconf_value(d->pf, f->smtpd, m);
	f->pctx = pfconf_value(d->pf, f->smtpd, p);
	f->dname_set = pfconf_raw(d->pf, f->smtpd, m) !=
	    pfconf_raw(d->pf, NULL, m) || pfconf_explicit(d->pf, m) != NULL;
	f->pctx_set = *f->pctx != '\0';
	f->inst_m = cfg_instance_find(d->cfg, f->dname, a, f->port);
	f->inst_p = cfg_instance_find(d->cfg, f->pctx, a, f->port);
	f->inst = f->inst_p != NULL ? f->inst_p : f->inst_m;
}

/* pfd_faces - every inet smtpd or postscreen service */
void
pfd_faces(struct pfd *d)
{
	const struct pf_service *s;
	size_t	 i;

	for (i = 0; i < d->pf->n_svc; i++) {
		s = &d->pf->svc[i];
		if (strcmp(s->type, "inet") == 0 &&
		    (strcmp(s->command, "smtpd") == 0 ||
		    strcmp(s->command, "postscreen") == 0))
			(void)face_add(d, s);
	}
}

/* pfd_faces_free - release the faces */
void
pfd_faces_free(struct pfd *d)
{
	size_t	 i;

	for (i = 0; i < d->n_faces; i++) {
		free(d->faces[i].dname);
		free(d->faces[i].pctx);
	}
	free(d->faces);
	d->faces = NULL;
	d->n_faces = 0;
}

/* policy_in - the policy service is in this list of the face */
static int
policy_in(const struct pfd *d, const struct pfd_face *f, const char *list)
{
	struct pfr_list l;
	char	*v = pfconf_value(d->pf, f->smtpd, list);
	int	 i = -1, hit = 0;

	pfrestr_parse(v, &l);
	while (!hit && (i = pfrestr_find(&l, "check_policy_service",
	    (size_t)(i + 1))) >= 0)
		hit = l.v[i].arg != NULL && (*d->policy == '\0' ||
		    pfd_ep_match(d, l.v[i].arg, d->policy, f->chroot));
	pfrestr_free(&l);
	free(v);
	return hit;
}

/* pfd_policy_wired - the face asks gatepost-policyd */
int
pfd_policy_wired(const struct pfd *d, const struct pfd_face *f)
{
	size_t	 i;

	if (!d->cfg->policyd.set)
		return 0;
	for (i = 0; lists[i] != NULL; i++)
		if (policy_in(d, f, lists[i]))
			return 1;
	return 0;
}

/* pfd_milter_wired - the face runs gatepost-milter */
int
pfd_milter_wired(const struct pfd *d, const struct pfd_face *f)
{
	struct pf_strv l;
	char	*v;
	size_t	 i;
	int	 hit = 0;

	if (!d->cfg->milter.set)
		return 0;
	v = pfconf_value(d->pf, f->smtpd, "smtpd_milters");
	pfconf_split(v, &l);
	for (i = 0; i < l.n && !hit; i++)
		hit = *d->milter == '\0' || pfd_ep_match(d, l.v[i], d->milter,
		    f->chroot);
	pfconf_strv_free(&l);
	free(v);
	return hit;
}

/* check_names - the face's names; 0 when the face has an instance */
static int
check_names(struct pfd *d, const struct pfd_face *f)
{
	int	 wired = pfd_milter_wired(d, f) || pfd_policy_wired(d, f);

	if (f->dname_set && !pfd_name_known(d->cfg, f->dname)) {
		pfd_problem(d, "unknown-name", "%s: milter_macro_daemon_name="
		    "%s matches no instance", f->label, f->dname);
		pfd_fix(d, "-o milter_macro_daemon_name=NAME with an "
		    "instance's match.name");
	}
	if (f->pctx_set && !pfd_name_known(d->cfg, f->pctx)) {
		pfd_problem(d, "unknown-name", "%s: smtpd_policy_service_"
		    "policy_context=%s matches no instance", f->label,
		    f->pctx);
		pfd_fix(d, "-o smtpd_policy_service_policy_context=NAME with "
		    "an instance's match.name");
	}
	if (f->inst_m != NULL && f->inst_p != NULL && f->inst_m != f->inst_p) {
		pfd_problem(d, "unknown-name", "%s: gatepost-milter sees "
		    "instance %s, gatepost-policyd instance %s", f->label,
		    f->inst_m->name, f->inst_p->name);
		pfd_fix(d, "give milter_macro_daemon_name and "
		    "smtpd_policy_service_policy_context the same value");
	}
	if (f->inst != NULL)
		return 0;
	if (wired) {
		pfd_problem(d, "unknown-face", "%s is wired to gatepost but "
		    "matches no instance: all its mail gets unknown_instance "
		    "(%s)", f->label, cfg_act_name(d->cfg->unknown_instance));
		pfd_fix(d, "name it (-o milter_macro_daemon_name=NAME -o "
		    "smtpd_policy_service_policy_context=NAME) or list its "
		    "address in an instance's match.address");
	} else if (!f->loopback) {
		pfd_problem(d, "bypass", "%s is not wired to gatepost: its "
		    "mail bypasses every gatepost rule and is not counted",
		    f->label);
		pfd_fix(d, "make it a face of an instance (gatepostctl postfix "
		    "--master) or remove it from master.cf");
	}
	return -1;
}

static void
check_auth(struct pfd *d, const struct pfd_face *f)
{
	char	*v = pfconf_value(d->pf, f->smtpd, "smtpd_sasl_auth_enable");
	char	*t = pfconf_value(d->pf, f->smtpd, "smtpd_tls_auth_only");
	int	 sasl = pfconf_bool(v), tls_only = pfconf_bool(t);

	if (sasl && f->inst->auth == CFG_AUTH_FORBID) {
		pfd_problem(d, "auth-exposed", "%s offers AUTH "
		    "(smtpd_sasl_auth_enable = yes) but instance %s says "
		    "auth: forbid: passwords can be guessed through it",
		    f->label, f->inst->name);
		pfd_fix(d, "master.cf %s: -o smtpd_sasl_auth_enable=no",
		    f->smtpd->name);
	} else if (!sasl && f->inst->auth == CFG_AUTH_REQUIRE) {
		pfd_problem(d, "auth-missing", "%s does not offer AUTH but "
		    "instance %s says auth: require: all its mail is refused "
		    "(530)", f->label, f->inst->name);
		pfd_fix(d, "master.cf %s: -o smtpd_sasl_auth_enable=yes -o "
		    "smtpd_tls_auth_only=yes", f->smtpd->name);
	} else if (sasl && !tls_only) {
		pfd_problem(d, "auth-cleartext", "%s offers AUTH before "
		    "STARTTLS (smtpd_tls_auth_only = no): passwords can cross "
		    "the network in clear", f->label);
		pfd_fix(d, "master.cf %s: -o smtpd_tls_auth_only=yes",
		    f->smtpd->name);
	}
	free(v);
	free(t);
}

/*
 * starttls_missing - why the face offers no STARTTLS (a security level
 *	and a certificate are both needed), or NULL when it does
 */
static const char *
starttls_missing(const struct pfd *d, const struct pfd_face *f)
{
	static const char *const certs[] = {"smtpd_tls_cert_file",
	    "smtpd_tls_chain_files", "smtpd_tls_eccert_file",
	    "smtpd_tls_dcert_file"};
	const char *why = NULL;
	char	*v;
	size_t	 i;
	int	 cert = 0;

	v = pfconf_value(d->pf, f->smtpd, "smtpd_tls_security_level");
	if (*v == '\0') {		/* the obsolete switches */
		free(v);
		v = pfconf_value(d->pf, f->smtpd, "smtpd_use_tls");
		if (!pfconf_bool(v)) {
			free(v);
			v = pfconf_value(d->pf, f->smtpd, "smtpd_enforce_tls");
			if (!pfconf_bool(v))
				why = "smtpd_tls_security_level is empty";
		}
	} else if (strcmp(v, "none") == 0)
		why = "smtpd_tls_security_level = none";
	free(v);
	if (why != NULL)
		return why;
	for (i = 0; i < sizeof(certs) / sizeof(certs[0]) && !cert; i++) {
		v = pfconf_value(d->pf, f->smtpd, certs[i]);
		cert = *v != '\0' && strcmp(v, "none") != 0;
		free(v);
	}
	return cert ? NULL : "no certificate: smtpd_tls_cert_file (or "
	    "smtpd_tls_chain_files) is empty";
}

/*
 * check_tls - a face that offers AUTH only after STARTTLS needs
 *	STARTTLS, or it never offers AUTH (a problem); an inbound face
 *	without STARTTLS takes mail from the internet in clear (a warning)
 */
static void
check_tls(struct pfd *d, const struct pfd_face *f)
{
	char	*v = pfconf_value(d->pf, f->smtpd, "smtpd_sasl_auth_enable");
	char	*t = pfconf_value(d->pf, f->smtpd, "smtpd_tls_auth_only");
	const char *why = starttls_missing(d, f);
	int	 auth_tls = pfconf_bool(v) && pfconf_bool(t);

	free(v);
	free(t);
	/* with tls.level, pfd_tls_face() owns the face's TLS findings */
	if (why == NULL || f->inst->tls.level != CFG_TLS_UNSET)
		return;
	if (auth_tls && f->inst->auth != CFG_AUTH_FORBID) {
		pfd_problem(d, "no-tls", "%s offers AUTH only after STARTTLS "
		    "but cannot offer STARTTLS (%s): it never offers AUTH, "
		    "and instance %s (auth: %s) %s", f->label, why,
		    f->inst->name, f->inst->auth == CFG_AUTH_REQUIRE ?
		    "require" : "optional", f->inst->auth == CFG_AUTH_REQUIRE
		    ? "refuses all its mail" : "sees no logins");
		pfd_fix(d, "main.cf: smtpd_tls_cert_file = /etc/postfix/"
		    "gateway.pem and smtpd_tls_key_file = /etc/postfix/"
		    "gateway.key (your certificate); master.cf %s: -o "
		    "smtpd_tls_security_level=may", f->smtpd->name);
	} else if (f->inst->dir == CFG_DIR_INBOUND &&
	    f->inst->tls.level == CFG_TLS_UNSET) {
		/* with tls.level, tls-level reports a face without it */
		pfd_warning(d, "no-starttls", "%s (instance %s, inbound) "
		    "offers no STARTTLS (%s): mail from the internet crosses "
		    "it in clear", f->label, f->inst->name, why);
		pfd_fix(d, "master.cf %s: -o smtpd_tls_security_level=may, "
		    "and main.cf: smtpd_tls_cert_file, smtpd_tls_key_file",
		    f->smtpd->name);
	}
}

/* jailed - a chrooted smtpd cannot reach the socket at all */
static void
jailed(struct pfd *d, const struct pfd_face *f, const char *what,
    const char *gp)
{
	pfd_problem(d, "chroot-socket", "%s runs chrooted in %s and cannot "
	    "reach %s at %s", f->label, d->qdir, what, gp);
	pfd_fix(d, "put the socket under %s (e.g. %s/gatepost/) and name it "
	    "relative to it in Postfix (unix:gatepost/...), or set the "
	    "chroot column of %s to n", d->qdir, d->qdir, f->smtpd->name);
}

static void
check_milter(struct pfd *d, const struct pfd_face *f)
{
	char	*v;

	if (!d->cfg->milter.set || pfd_milter_wired(d, f))
		return;
	if (f->chroot && *d->milter != '\0' && pfd_ep_jailed(d, d->milter)) {
		jailed(d, f, "gatepost-milter", d->milter);
		return;
	}
	v = pfconf_value(d->pf, f->smtpd, "smtpd_milters");
	pfd_problem(d, "milter-missing", "%s (instance %s) does not run "
	    "gatepost-milter (smtpd_milters = %s): content rules and message "
	    "counts are skipped", f->label, f->inst->name, *v != '\0' ? v :
	    "(empty)");
	pfd_fix(d, "master.cf %s: -o smtpd_milters=$gatepost_milters, and "
	    "main.cf: gatepost_milters = %s", f->smtpd->name, *d->milter !=
	    '\0' ? d->milter : "(gatepost-milter's socket)");
	free(v);
}

/*
 * dkim_signer - does a milter endpoint look like a DKIM signer: OpenDKIM
 * (default port 8891, "opendkim" or "dkim" in a socket path) or rspamd
 * (its milter proxy, default port 11332, "rspamd" in the path)
 */
static int
dkim_signer(const char *ep)
{
	static const char *const names[] = { "dkim", "rspamd" };
	static const char *const ports[] = { ":8891", "8891@", ":11332",
	    "11332@" };
	size_t	 i, n = strlen(ep), k;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasestr(ep, names[i]) != NULL)
			return 1;
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		k = strlen(ports[i]);
		if (ports[i][0] == ':' ? n >= k && strcmp(ep + n - k,
		    ports[i]) == 0 : strncmp(ep + (strncmp(ep, "inet:", 5) ==
		    0 ? 5 : 0), ports[i], k) == 0)
			return 1;
	}
	return 0;
}

/*
 * check_dkim_order - a face that adds disclaimers must run gatepost-milter
 * before a DKIM signer: Postfix runs smtpd_milters in order, and a body
 * signed before the disclaimer goes in fails verification
 */
static void
check_dkim_order(struct pfd *d, const struct pfd_face *f)
{
	struct pf_strv l;
	char	*v;
	size_t	 i;

	if (f->inst == NULL || !f->inst->disclaimer.set ||
	    !d->cfg->milter.set || *d->milter == '\0')
		return;
	v = pfconf_value(d->pf, f->smtpd, "smtpd_milters");
	pfconf_split(v, &l);
	for (i = 0; i < l.n && !pfd_ep_match(d, l.v[i], d->milter,
	    f->chroot); i++) {
		if (!dkim_signer(l.v[i]))
			continue;
		pfd_problem(d, "dkim-order", "%s (instance %s) adds "
		    "disclaimers, but the DKIM signer %s runs before "
		    "gatepost-milter (smtpd_milters = %s): every signature "
		    "it makes breaks", f->label, f->inst->name, l.v[i], v);
		pfd_fix(d, "master.cf %s: -o smtpd_milters=$gatepost_milters,"
		    "%s (gatepost first, the signer last; "
		    "contrib/postfix/README.md)", f->smtpd->name, l.v[i]);
		break;
	}
	pfconf_strv_free(&l);
	free(v);
}

static void
check_policy(struct pfd *d, const struct pfd_face *f)
{
	size_t	 i;

	if (!d->cfg->policyd.set)
		return;
	if (!pfd_policy_wired(d, f)) {
		if (f->chroot && *d->policy != '\0' &&
		    pfd_ep_jailed(d, d->policy)) {
			jailed(d, f, "gatepost-policyd", d->policy);
			return;
		}
		pfd_problem(d, "policy-missing", "%s (instance %s) does not "
		    "ask gatepost-policyd (check_policy_service %s in none of "
		    "its restriction lists): envelope rules are skipped",
		    f->label, f->inst->name, *d->policy != '\0' ? d->policy :
		    "...");
		pfd_fix(d, "master.cf %s: -o smtpd_sender_restrictions="
		    "$gatepost_policy, and main.cf: gatepost_policy = "
		    "check_policy_service %s", f->smtpd->name, *d->policy !=
		    '\0' ? d->policy : "(gatepost-policyd's -l address)");
		return;
	}
	for (i = 0; i < L_RELAY && !policy_in(d, f, lists[i]); i++)
		;
	if (i == L_RELAY) {
		pfd_problem(d, "policy-late", "%s asks gatepost-policyd only "
		    "in its relay, recipient or data restrictions: Postfix's "
		    "own checks decide first", f->label);
		pfd_fix(d, "master.cf %s: -o smtpd_sender_restrictions="
		    "$gatepost_policy", f->smtpd->name);
	}
	if (cfg_instance_counts(f->inst, CFG_RL_RECIPIENTS) &&
	    !policy_in(d, f, lists[L_DATA]) &&
	    !policy_in(d, f, lists[L_DATA + 1])) {
		pfd_problem(d, "policy-eod", "instance %s has rate limits "
		    "counting recipients, but %s does not ask gatepost-policyd "
		    "at end of data, where the count is known", f->inst->name,
		    f->label);
		pfd_fix(d, "master.cf %s: -o smtpd_end_of_data_restrictions="
		    "$gatepost_policy", f->smtpd->name);
	}
}

/* mynet_open - the face's mynetworks trusts the whole internet */
static int
mynet_open(const struct pfd *d, const struct pf_service *s)
{
	struct pf_strv l;
	char	*v = pfconf_value(d->pf, s, "mynetworks");
	size_t	 i, n;
	int	 open = 0;

	pfconf_split(v, &l);
	for (i = 0; i < l.n; i++) {
		n = strlen(l.v[i]);
		if (n >= 2 && strcmp(l.v[i] + n - 2, "/0") == 0)
			open = 1;
	}
	pfconf_strv_free(&l);
	free(v);
	return open;
}

static void
check_relay(struct pfd *d, const struct pfd_face *f)
{
	struct pfr_list relay, rcpt;
	char	*a = pfconf_value(d->pf, f->smtpd, "smtpd_relay_restrictions");
	char	*b = pfconf_value(d->pf, f->smtpd,
	    "smtpd_recipient_restrictions");
	int	 open = mynet_open(d, f->smtpd);
	enum pfr_client who = f->inst->auth == CFG_AUTH_FORBID ? PFR_MYNET :
	    PFR_SASL;

	pfrestr_parse(a, &relay);
	pfrestr_parse(b, &rcpt);
	if (pfrestr_relays(&relay, &rcpt, PFR_ANON, open)) {
		pfd_problem(d, "open-relay", "%s is an open relay: a client "
		    "without login relays to any domain "
		    "(smtpd_relay_restrictions = %s; "
		    "smtpd_recipient_restrictions = %s)", f->label, a, b);
		pfd_fix(d, "master.cf %s: -o smtpd_relay_restrictions=%s",
		    f->smtpd->name, f->inst->recipients == CFG_RCPTS_INTERNAL
		    || f->inst->auth == CFG_AUTH_FORBID ?
		    "reject_unauth_destination" :
		    "permit_sasl_authenticated,reject");
	} else if (f->inst->recipients != CFG_RCPTS_INTERNAL &&
	    f->inst->dir != CFG_DIR_INBOUND &&
	    (who == PFR_SASL || f->inst->has_allow) &&
	    !pfrestr_relays(&relay, &rcpt, who, open)) {
		pfd_problem(d, "cannot-relay", "%s refuses to relay for its "
		    "own %s (instance %s, recipients %s): mail to other "
		    "domains gets \"Relay access denied\"", f->label, who ==
		    PFR_SASL ? "logged-in clients" : "clients (mynetworks)",
		    f->inst->name, f->inst->recipients == CFG_RCPTS_ANY ?
		    "any" : "external");
		pfd_fix(d, "master.cf %s: -o smtpd_relay_restrictions=%s",
		    f->smtpd->name, who == PFR_SASL ?
		    "permit_sasl_authenticated,reject" :
		    "permit_mynetworks,reject -o mynetworks=CLIENTS");
	}
	pfrestr_free(&relay);
	pfrestr_free(&rcpt);
	free(a);
	free(b);
}

static void
check_validation(struct pfd *d, const struct pfd_face *f)
{
	struct pfr_list l;
	char	*v, *maps, *unl;
	size_t	 i;
	int	 verify = 0, unlisted = 0;

	if (f->inst->dir != CFG_DIR_INBOUND)
		return;
	for (i = 0; lists[i] != NULL && i < L_DATA; i++) {
		v = pfconf_value(d->pf, f->smtpd, lists[i]);
		pfrestr_parse(v, &l);
		verify |= pfrestr_find(&l, "reject_unverified_recipient", 0)
		    >= 0;
		unlisted |= pfrestr_find(&l, "reject_unlisted_recipient", 0)
		    >= 0;
		pfrestr_free(&l);
		free(v);
	}
	maps = pfconf_value(d->pf, f->smtpd, "relay_recipient_maps");
	unl = pfconf_value(d->pf, f->smtpd, "smtpd_reject_unlisted_recipient");
	if (!verify && (*maps == '\0' || (!pfconf_bool(unl) && !unlisted))) {
		pfd_problem(d, "no-validation", "%s (instance %s, inbound) "
		    "accepts mail for unknown recipients in the internal "
		    "domains: it bounces later, to forged senders "
		    "(backscatter)", f->label, f->inst->name);
		pfd_fix(d, "master.cf %s: -o smtpd_recipient_restrictions="
		    "reject_unverified_recipient, or main.cf: "
		    "relay_recipient_maps = (a map of valid recipients)",
		    f->smtpd->name);
	}
	free(maps);
	free(unl);
}

/* check_conflict - a face on all addresses shares a port */
static void
check_conflict(struct pfd *d, const struct pfd_face *f)
{
	size_t	 i;

	if (f->has_addr)
		return;
	for (i = 0; i < d->n_faces; i++)
		if (d->faces[i].has_addr && d->faces[i].port == f->port) {
			pfd_problem(d, "bind-conflict", "%s listens on every "
			    "address, port %u, like the face %s: master "
			    "cannot bind both, and the two faces are not kept "
			    "apart", f->label, f->port, d->faces[i].label);
			pfd_fix(d, "remove \"%s %s\" from master.cf (gatepost "
			    "faces bind one address each)", f->listen->name,
			    f->listen->type);
			return;
		}
}

/* pfd_face_check - every check of one face */
void
pfd_face_check(struct pfd *d, const struct pfd_face *f)
{
	check_conflict(d, f);
	if (check_names(d, f) < 0)
		return;
	check_auth(d, f);
	check_tls(d, f);
	pfd_tls_face(d, f);
	check_milter(d, f);
	check_dkim_order(d, f);
	check_policy(d, f);
	check_relay(d, f);
	check_validation(d, f);
}
