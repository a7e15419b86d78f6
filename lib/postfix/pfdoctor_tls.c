/* pfdoctor_tls.c - the doctor's TLS checks: tls.* against the live Postfix */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pfdoctor_int.h"

static int proto_index(const char *);
static int lowest_proto(const char *);
static void check_level(struct pfd *, const struct pfd_face *,
    const char *);
static void check_protocols(struct pfd *, const struct pfd_face *);
static void check_file(struct pfd *, const struct pfd_face *,
    const char *, const char *, int, int);
static void check_files(struct pfd *, const struct pfd_face *,
    const char *);
static int partner_listed(const struct pf_strv *, const char *);

/* protocol names in order; cfg_tls_proto counts from TLSv1 = 1 */
static const char *const protos[] = { "SSLv2", "SSLv3", "TLSv1",
    "TLSv1.1", "TLSv1.2", "TLSv1.3" };
#define NPROTO	(sizeof(protos) / sizeof(protos[0]))
#define PROTO_TLS1	2		/* index of TLSv1 */

/* proto_index - "TLSv1.2" -> its index, -1 for an unknown name */
static int
proto_index(const char *name)
{
	size_t	 i;

	for (i = 0; i < NPROTO; i++)
		if (strcasecmp(name, protos[i]) == 0)
			return (int)i;
	return -1;
}

/*
 * lowest_proto - the oldest protocol a smtpd_tls_protocols value leaves
 * enabled: ">=TLSv1.2", "<=TLSv1.3", "!SSLv2, !SSLv3" (exclusions) or
 * "TLSv1.2, TLSv1.3" (inclusions); NPROTO when none is left.  An empty
 * value enables everything the library has.
 */
static int
lowest_proto(const char *value)
{
	struct pf_strv t;
	int	 on[NPROTO], any_plain = 0, i, k;
	size_t	 j;

	pfconf_split(value, &t);
	for (j = 0; j < t.n; j++)
		if (t.v[j][0] != '!' && t.v[j][0] != '>' && t.v[j][0] != '<')
			any_plain = 1;
	for (i = 0; i < (int)NPROTO; i++)
		on[i] = !any_plain;
	for (j = 0; j < t.n; j++) {
		const char *s = t.v[j];

		if (strncmp(s, ">=", 2) == 0 && (k = proto_index(s + 2)) >= 0)
			for (i = 0; i < k; i++)
				on[i] = 0;
		else if (strncmp(s, "<=", 2) == 0 &&
		    (k = proto_index(s + 2)) >= 0)
			for (i = k + 1; i < (int)NPROTO; i++)
				on[i] = 0;
		else if (s[0] == '!' && (k = proto_index(s + 1)) >= 0)
			on[k] = 0;
		else if ((k = proto_index(s)) >= 0 && any_plain)
			on[k] = 1;
	}
	pfconf_strv_free(&t);
	for (i = 0; i < (int)NPROTO; i++)
		if (on[i])
			return i;
	return (int)NPROTO;
}

/* check_level - the face's STARTTLS level is tls.level */
static void
check_level(struct pfd *d, const struct pfd_face *f, const char *level)
{
	const char *want = cfg_tls_level_name(f->inst->tls.level);

	if (f->inst->tls.level == CFG_TLS_UNSET ||
	    strcasecmp(level, want) == 0)
		return;
	pfd_problem(d, "tls-level", "%s has smtpd_tls_security_level = %s "
	    "but instance %s says tls.level: %s", f->label, *level != '\0' ?
	    level : "(empty)", f->inst->name, want);
	pfd_fix(d, "master.cf %s: -o smtpd_tls_security_level=%s",
	    f->smtpd->name, want);
}

/* check_protocols - nothing older than tls.min_protocol is enabled */
static void
check_protocols(struct pfd *d, const struct pfd_face *f)
{
	static const char *const names[] = { "smtpd_tls_protocols",
	    "smtpd_tls_mandatory_protocols" };
	enum cfg_tls_proto min = f->inst->tls.min_protocol;
	const char *want = cfg_tls_proto_name(min);
	char	*v;
	size_t	 i;
	int	 low;

	if (min == CFG_TLSP_UNSET)
		return;
	for (i = 0; i < 2; i++) {
		v = pfconf_value(d->pf, f->smtpd, names[i]);
		low = lowest_proto(v);
		if (low < PROTO_TLS1 + (int)min - 1) {
			pfd_problem(d, "tls-protocols", "%s has %s = %s, which "
			    "allows %s, but instance %s says tls.min_protocol:"
			    " %s", f->label, names[i], *v != '\0' ? v :
			    "(empty)", protos[low], f->inst->name, want);
			pfd_fix(d, "master.cf %s: -o %s=>=%s", f->smtpd->name,
			    names[i], want);
		}
		free(v);
	}
}

/*
 * check_file - a named TLS file exists (reported unless quiet: the same
 * file was reported already); a key is root's alone
 */
static void
check_file(struct pfd *d, const struct pfd_face *f, const char *param,
    const char *path, int key, int quiet)
{
	struct pfdoc_file st;

	memset(&st, 0, sizeof(st));
	if (d->out->stat(d->out->stat_ctx, path, &st) != 0 || !st.exists) {
		if (quiet)
			return;
		pfd_problem(d, "tls-cert-missing", "%s: %s names %s, which "
		    "does not exist: smtpd cannot load it and offers no "
		    "STARTTLS (and so no AUTH)", f->label, param, path);
		pfd_fix(d, "install the file, or point %s (or the instance's "
		    "tls.cert_file and tls.key_file) at one that exists",
		    param);
		return;
	}
	if (!key || (st.uid == 0 && (st.mode & 077) == 0))
		return;
	pfd_problem(d, "tls-key-mode", "%s: private key %s (%s) is owner "
	    "uid %lu, mode %04o: anyone but root who can read it can "
	    "impersonate the gateway (Postfix reads it as root)", f->label,
	    path, param, st.uid, st.mode & 07777);
	pfd_fix(d, "chown root %s && chmod 0600 %s", path, path);
}

/* check_files - the certificates and keys the face would load */
static void
check_files(struct pfd *d, const struct pfd_face *f, const char *level)
{
	static const char *const params[] = { "smtpd_tls_cert_file",
	    "smtpd_tls_key_file", "smtpd_tls_eccert_file",
	    "smtpd_tls_eckey_file" };
	struct pf_strv t;
	char	*v, *cert = NULL;
	size_t	 i, j, named = 0;

	if (d->out->stat == NULL)
		return;
	v = pfconf_value(d->pf, f->smtpd, "smtpd_tls_chain_files");
	pfconf_split(v, &t);
	free(v);
	for (j = 0; j < t.n; j++, named++)
		/* the first file holds the key (key first, then chain) */
		check_file(d, f, "smtpd_tls_chain_files", t.v[j], j == 0, 0);
	pfconf_strv_free(&t);
	/* smtpd_tls_chain_files, when set, wins over the other four */
	for (i = 0; j == 0 && i < 4; i++) {
		v = pfconf_value(d->pf, f->smtpd, params[i]);
		if (*v != '\0' && i % 2 == 0) {
			check_file(d, f, params[i], v, 0, 0);
			named++;
		} else if (*v != '\0') {
			/* a key file defaults to its certificate file */
			check_file(d, f, params[i], v, 1, cert != NULL &&
			    strcmp(cert, v) == 0);
		}
		free(cert);
		cert = i % 2 == 0 ? v : NULL;
		if (i % 2 == 1)
			free(v);
	}
	free(cert);
	if (named > 0 || f->inst->tls.level == CFG_TLS_UNSET)
		return;
	pfd_problem(d, "tls-cert-missing", "%s (instance %s, tls.level: %s) "
	    "has no certificate: smtpd offers no STARTTLS (smtpd_tls_"
	    "security_level = %s)", f->label, f->inst->name,
	    cfg_tls_level_name(f->inst->tls.level), level);
	pfd_fix(d, "set tls.cert_file and tls.key_file (gatepostctl postfix "
	    "--master), or smtpd_tls_chain_files in main.cf");
}

/* pfd_tls_face - a face's TLS against its instance's tls block */
void
pfd_tls_face(struct pfd *d, const struct pfd_face *f)
{
	char	*level = pfconf_value(d->pf, f->smtpd,
	    "smtpd_tls_security_level");
	char	*sasl = pfconf_value(d->pf, f->smtpd,
	    "smtpd_sasl_auth_enable");

	check_level(d, f, level);
	check_protocols(d, f);
	if (strcasecmp(level, "may") == 0 ||
	    strcasecmp(level, "encrypt") == 0 || pfconf_bool(sasl) ||
	    f->inst->tls.level != CFG_TLS_UNSET)
		check_files(d, f, level);
	free(level);
	free(sasl);
}

/* partner_listed - an inline policy table names the domain, verified */
static int
partner_listed(const struct pf_strv *t, const char *dom)
{
	static const char *const levels[] = { "secure", "verify",
	    "dane-only", "fingerprint" };
	size_t	 i, k, n = strlen(dom);
	const char *v;

	for (i = 0; i < t->n; i++) {
		if (strncasecmp(t->v[i], dom, n) != 0)
			continue;
		v = t->v[i] + n;
		v += strspn(v, " \t");
		if (*v++ != '=')
			continue;
		v += strspn(v, " \t");
		for (k = 0; k < 4; k++)
			if (strncasecmp(v, levels[k], strlen(levels[k])) == 0)
				return 1;
	}
	return 0;
}

/* pfd_tls_partners - tls.partners in force for internet mail */
void
pfd_tls_partners(struct pfd *d)
{
	const struct cfg *cfg = d->cfg;
	const struct pf_service *svc;
	struct pf_strv t;
	char	*relay, *dt, *maps, *c;
	size_t	 i, len;

	if (cfg->tls.partners.n == 0)
		return;
	relay = pfconf_value(d->pf, NULL, "relayhost");
	if (*relay != '\0') {
		pfd_problem(d, "tls-partners-relayhost", "relayhost = %s: "
		    "smtp_tls_policy_maps is keyed by the next hop, so with a "
		    "relayhost the tls.partners entries (by domain) do "
		    "nothing, and partner mail may leave without verified TLS",
		    relay);
		pfd_fix(d, "drop relayhost, or require verified TLS to the "
		    "relayhost itself (a [%s] entry in the policy table) and "
		    "let it enforce the partners", relay);
	}
	free(relay);
	dt = pfconf_value(d->pf, NULL, "default_transport");
	if ((c = strchr(dt, ':')) != NULL)
		*c = '\0';
	svc = pfconf_service(d->pf, dt, "unix");
	maps = pfconf_value(d->pf, svc, "smtp_tls_policy_maps");
	if (*maps == '\0') {
		pfd_problem(d, "tls-partners", "default_transport %s has no "
		    "smtp_tls_policy_maps: tls.partners (%s%s) are not in "
		    "force, their mail may leave in clear", dt,
		    cfg->tls.partners.v[0], cfg->tls.partners.n > 1 ? ", ..." :
		    "");
		pfd_fix(d, "master.cf %s: -o smtp_tls_policy_maps="
		    "$gatepost_tls_policy, and main.cf gatepost_tls_policy "
		    "(gatepostctl postfix)", dt);
	} else if (strncmp(maps, "inline:", 7) == 0) {
		/* inline:{ a=secure, { b = secure } }: split inside the braces */
		c = maps + 7 + strspn(maps + 7, " \t");
		len = strlen(c);
		if (*c == '{' && len > 1 && c[len - 1] == '}') {
			c[len - 1] = '\0';
			c++;
		}
		pfconf_split(c, &t);
		for (i = 0; i < cfg->tls.partners.n; i++) {
			if (partner_listed(&t, cfg->tls.partners.v[i]))
				continue;
			pfd_problem(d, "tls-partners", "default_transport %s: "
			    "smtp_tls_policy_maps does not require verified "
			    "TLS for partner %s", dt, cfg->tls.partners.v[i]);
			pfd_fix(d, "regenerate gatepost_tls_policy "
			    "(gatepostctl postfix --main)");
		}
		pfconf_strv_free(&t);
	}
	free(maps);
	free(dt);
}
