/* pfdoctor.c - cross-check a live Postfix configuration with gatepost's */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pfdoctor_int.h"
#include "pfgen.h"
#include "sbuf.h"
#include "xalloc.h"

static void vfmt(char **, const char *, va_list);
static void finding(struct pfd *, int, const char *, const char *, va_list);
static size_t ep_path(const struct pfd *, const char *, int, char *, size_t);
static int loopback(const char *, size_t);
static int same_inet(const char *, const char *);
static void check_default_action(struct pfd *);
static void check_instance(struct pfd *, const struct cfg_instance *);
static int face_at(const struct pfd *, const struct cfg_endpoint *);
static void check_local(struct pfd *);
static const struct cfg_instance *local_instance(const struct cfg *);
static void check_service_names(struct pfd *);
static int is_face_service(const struct pfd *, const struct pf_service *);
static int list_has(const struct pfd *, const struct pf_service *,
    const char *, const char *, int);

static void
vfmt(char **dst, const char *fmt, va_list ap)
{
	struct sbuf b;
	char	 line[2048];

	(void)vsnprintf(line, sizeof(line), fmt, ap);
	sbuf_init(&b);
	sbuf_puts(&b, line);
	free(*dst);
	*dst = sbuf_take(&b);
}

/* finding - start a finding (a problem, or a warning) */
static void
finding(struct pfd *d, int warning, const char *id, const char *fmt,
    va_list ap)
{
	struct pfdoc_finding *f;

	d->out->v = xreallocarray(d->out->v, d->out->n + 1,
	    sizeof(d->out->v[0]));
	f = &d->out->v[d->out->n++];
	f->id = xstrdup(id);
	f->problem = NULL;
	f->fix = xstrdup("");
	f->warning = warning;
	if (warning)
		d->out->n_warnings++;
	vfmt(&f->problem, fmt, ap);
}

/* pfd_finding - start a finding: a problem, or a warning (passes) */
void
pfd_finding(struct pfd *d, int warning, const char *id, const char *fmt,
    ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	finding(d, warning, id, fmt, ap);
	va_end(ap);
}

/* pfd_fix - the fix for the latest finding */
void
pfd_fix(struct pfd *d, const char *fmt, ...)
{
	va_list	 ap;

	if (d->out->n == 0)
		return;
	va_start(ap, fmt);
	vfmt(&d->out->v[d->out->n - 1].fix, fmt, ap);
	va_end(ap);
}

/* pfd_name_known - does an instance carry this face name */
int
pfd_name_known(const struct cfg *cfg, const char *name)
{
	const char *n;
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if ((n = pfgen_face_name(&cfg->inst[i])) != NULL &&
		    strcasecmp(n, name) == 0)
			return 1;
	return 0;
}

/* pfd_chroot - is this service chrooted ("-": n since Postfix 3.0) */
int
pfd_chroot(const struct pf_service *s)
{
	return s != NULL && strcmp(s->chroot, "y") == 0;
}

/* ep_path - the file a unix endpoint names, as a process sees it */
static size_t
ep_path(const struct pfd *d, const char *p, int chroot, char *buf,
    size_t len)
{
	int	 n;

	if (*p != '/' || chroot)
		n = snprintf(buf, len, "%s%s%s", d->qdir, *p == '/' ? "" :
		    "/", p);
	else
		n = snprintf(buf, len, "%s", p);
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

/* pfd_ep_match - does Postfix's endpoint pf reach gatepost's gp */
int
pfd_ep_match(const struct pfd *d, const char *pf, const char *gp,
    int chroot)
{
	char	 a[600], b[600], *e;
	size_t	 n = strcspn(pf, ", \t");

	if (*gp == '\0' || n >= sizeof(a))
		return 0;
	memcpy(a, pf, n);
	a[n] = '\0';
	if (strncmp(gp, "unix:", 5) == 0) {
		e = strncmp(a, "unix:", 5) == 0 ? a + 5 : a;
		if (strchr(e, ':') != NULL ||
		    ep_path(d, e, chroot, b, sizeof(b)) == 0)
			return 0;
		return strcmp(b, gp + 5) == 0;
	}
	e = strncmp(a, "inet:", 5) == 0 ? a + 5 : a;
	return same_inet(e, gp + 5);
}

/* loopback - a host name for the loopback interface */
static int
loopback(const char *h, size_t n)
{
	return (n == 9 && strncasecmp(h, "localhost", 9) == 0) ||
	    (n == 9 && strncmp(h, "127.0.0.1", 9) == 0) ||
	    (n == 5 && strncmp(h, "[::1]", 5) == 0) ||
	    (n == 3 && strncmp(h, "::1", 3) == 0);
}

/* same_inet - "host:port" twice, loopback spellings alike */
static int
same_inet(const char *a, const char *b)
{
	const char *pa = strrchr(a, ':'), *pb = strrchr(b, ':');
	size_t	 na, nb;

	if (pa == NULL || pb == NULL || strcmp(pa, pb) != 0)
		return 0;
	na = (size_t)(pa - a);
	nb = (size_t)(pb - b);
	if (loopback(a, na) && loopback(b, nb))
		return 1;
	return na == nb && strncasecmp(a, b, na) == 0;
}

/* pfd_ep_jailed - a chrooted process cannot reach gp at all */
int
pfd_ep_jailed(const struct pfd *d, const char *gp)
{
	size_t	 q = strlen(d->qdir);

	return strncmp(gp, "unix:", 5) == 0 && (strncmp(gp + 5, d->qdir, q)
	    != 0 || gp[5 + q] != '/');
}

static void
check_default_action(struct pfd *d)
{
	const char *v = pfconf_explicit(d->pf, "milter_default_action");
	size_t	 i;

	if (!d->cfg->milter.set)
		return;
	if (v == NULL) {
		pfd_problem(d, "default-action", "milter_default_action is "
		    "left to the version default (tempfail up to Postfix "
		    "3.10, shutdown from 3.11)");
		pfd_fix(d, "main.cf: milter_default_action = tempfail");
	} else if (strcasecmp(v, "accept") == 0) {
		pfd_problem(d, "default-action", "milter_default_action = "
		    "accept: when gatepost-milter fails, mail passes "
		    "unfiltered");
		pfd_fix(d, "main.cf: milter_default_action = tempfail");
	}
	for (i = 0; i < d->pf->n_svc; i++) {
		v = pfconf_raw(d->pf, &d->pf->svc[i], "milter_default_action");
		if (v == NULL || strcasecmp(v, "accept") != 0 ||
		    pfconf_explicit(d->pf, "milter_default_action") == v)
			continue;
		pfd_problem(d, "default-action", "master.cf %s %s sets "
		    "milter_default_action=accept: when gatepost-milter "
		    "fails, its mail passes unfiltered", d->pf->svc[i].name,
		    d->pf->svc[i].type);
		pfd_fix(d, "remove that -o milter_default_action=accept");
	}
}

/* face_at - some face is bound to this address */
static int
face_at(const struct pfd *d, const struct cfg_endpoint *e)
{
	size_t	 i;

	for (i = 0; i < d->n_faces; i++)
		if (d->faces[i].has_addr && d->faces[i].port == e->port &&
		    memcmp(&d->faces[i].addr, &e->addr, sizeof(e->addr)) == 0)
			return 1;
	return 0;
}

static void
check_instance(struct pfd *d, const struct cfg_instance *in)
{
	const char *name = pfgen_face_name(in);
	char	 ep[80];
	size_t	 i;

	if (in->dir == CFG_DIR_LOCAL)
		return;
	for (i = 0; i < in->n_match_addr; i++) {
		if (face_at(d, &in->match_addr[i]) ||
		    pfgen_endpoint(&in->match_addr[i], ep, sizeof(ep)) != 0)
			continue;
		pfd_problem(d, "no-face", "instance %s: no smtpd is bound to "
		    "its address %s", in->name, ep);
		pfd_fix(d, "master.cf: add \"%s inet n - n - - smtpd\" with "
		    "the instance's -o lines (gatepostctl postfix --master)",
		    ep);
	}
	if (in->n_match_addr > 0)
		return;
	for (i = 0; i < d->n_faces; i++)
		if (d->faces[i].inst == in)
			return;
	pfd_problem(d, "no-face", "instance %s has no face: no smtpd carries "
	    "its name %s", in->name, name != NULL ? name : "(none: it has "
	    "no match.name either)");
	pfd_fix(d, "master.cf: bind an smtpd for it with -o "
	    "milter_macro_daemon_name=%s -o "
	    "smtpd_policy_service_policy_context=%s, and list its address "
	    "in match.address", name != NULL ? name : in->name,
	    name != NULL ? name : in->name);
}

static const struct cfg_instance *
local_instance(const struct cfg *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (cfg->inst[i].dir == CFG_DIR_LOCAL)
			return &cfg->inst[i];
	return NULL;
}

/* list_has - a list parameter of a service names gatepost's endpoint */
static int
list_has(const struct pfd *d, const struct pf_service *s, const char *param,
    const char *gp, int chroot)
{
	struct pf_strv l;
	char	*v = pfconf_value(d->pf, s, param);
	size_t	 i;
	int	 hit = 0;

	pfconf_split(v, &l);
	for (i = 0; i < l.n && !hit; i++)
		hit = pfd_ep_match(d, l.v[i], gp, chroot);
	pfconf_strv_free(&l);
	free(v);
	return hit;
}

static void
check_local(struct pfd *d)
{
	const struct cfg_instance *loc = local_instance(d->cfg), *got;
	const struct pf_service *pickup, *cl;
	char	*cname, *dname;

	if (!d->cfg->milter.set || *d->milter == '\0' || (pickup =
	    pfconf_service(d->pf, "pickup", "unix")) == NULL)
		return;
	cname = pfconf_value(d->pf, pickup, "cleanup_service_name");
	cl = pfconf_service(d->pf, cname, "unix");
	dname = pfconf_value(d->pf, cl, "milter_macro_daemon_name");
	got = cfg_instance_find(d->cfg, dname, NULL, 0);
	if (pfd_chroot(cl) && pfd_ep_jailed(d, d->milter) &&
	    list_has(d, cl, "non_smtpd_milters", d->milter, 0)) {
		pfd_problem(d, "chroot-socket", "cleanup service %s (used by "
		    "pickup) runs chrooted in %s and cannot reach "
		    "gatepost-milter at %s: locally submitted mail is deferred",
		    cname, d->qdir, d->milter);
		pfd_fix(d, "set the chroot column of %s to n (gatepostctl "
		    "postfix gives pickup a cleanup service of its own), or "
		    "put the socket under %s", cname, d->qdir);
	} else if (!list_has(d, cl, "non_smtpd_milters", d->milter,
	    pfd_chroot(cl))) {
		if (loc != NULL) {
			pfd_problem(d, "local", "instance %s (direction local): "
			    "non_smtpd_milters does not run gatepost-milter, "
			    "so locally submitted mail is neither filtered nor "
			    "counted", loc->name);
			pfd_fix(d, "main.cf: non_smtpd_milters = "
			    "$gatepost_milters (gatepostctl postfix)");
		}
	} else if (got == NULL || got != loc) {
		pfd_problem(d, "local", "locally submitted mail (pickup -> "
		    "cleanup service %s) is named \"%s\", which %s", cname,
		    dname, got == NULL ? "matches no instance: it gets "
		    "unknown_instance" : "is not a local instance: it is "
		    "counted in the wrong direction");
		pfd_fix(d, "master.cf: pickup -o cleanup_service_name="
		    "gatepost-local, and \"gatepost-local unix n - n - 0 "
		    "cleanup -o milter_macro_daemon_name=%s\"", loc != NULL &&
		    pfgen_face_name(loc) != NULL ? pfgen_face_name(loc) :
		    "local");
	}
	free(cname);
	free(dname);
}

static int
is_face_service(const struct pfd *d, const struct pf_service *s)
{
	size_t	 i;

	for (i = 0; i < d->n_faces; i++)
		if (d->faces[i].listen == s || d->faces[i].smtpd == s)
			return 1;
	return 0;
}

static void
check_service_names(struct pfd *d)
{
	static const char *const params[] = { "milter_macro_daemon_name",
		"smtpd_policy_service_policy_context" };
	const struct pf_service *s;
	const char *v;
	size_t	 i, j;

	for (i = 0; i < d->pf->n_svc; i++) {
		s = &d->pf->svc[i];
		if (is_face_service(d, s))
			continue;
		for (j = 0; j < 2; j++) {
			v = pfconf_raw(d->pf, s, params[j]);
			if (v == NULL || v == pfconf_explicit(d->pf,
			    params[j]) || v == pfconf_raw(d->pf, NULL,
			    params[j]) || *v == '\0' ||
			    pfd_name_known(d->cfg, v))
				continue;
			pfd_problem(d, "unknown-name", "master.cf %s %s: "
			    "%s=%s matches no instance", s->name, s->type,
			    params[j], v);
			pfd_fix(d, "use an instance's match.name, or add an "
			    "instance named %s", v);
		}
	}
}

/* pfdoctor_check - every check; the number of findings added */
size_t
pfdoctor_check(const struct cfg *cfg, const struct pfconf *pf,
    struct pfdoc *out)
{
	struct pfd d;
	size_t	 before = out->n, i;

	memset(&d, 0, sizeof(d));
	d.cfg = cfg;
	d.pf = pf;
	d.out = out;
	d.qdir = pfconf_value(pf, NULL, "queue_directory");
	if (cfg->milter.set && cfg->milter.socket != NULL &&
	    pfgen_milter_target(cfg->milter.socket, d.milter,
	    sizeof(d.milter)) < 0)
		d.milter[0] = '\0';
	if (cfg->policyd.set && cfg->policyd.listen != NULL &&
	    pfgen_policy_target(cfg->policyd.listen, d.policy,
	    sizeof(d.policy)) < 0)
		d.policy[0] = '\0';
	pfd_faces(&d);
	out->n_faces = d.n_faces;
	check_default_action(&d);
	for (i = 0; i < cfg->n_inst; i++)
		check_instance(&d, &cfg->inst[i]);
	for (i = 0; i < d.n_faces; i++)
		pfd_face_check(&d, &d.faces[i]);
	check_local(&d);
	check_service_names(&d);
	pfd_check_limits(&d);
	pfd_tls_partners(&d);
	pfd_faces_free(&d);
	free(d.qdir);
	return out->n - before;
}

/* pfdoctor_free - release the findings */
void
pfdoctor_free(struct pfdoc *out)
{
	size_t	 i;

	for (i = 0; i < out->n; i++) {
		free(out->v[i].id);
		free(out->v[i].problem);
		free(out->v[i].fix);
	}
	free(out->v);
	out->v = NULL;
	out->n = 0;
	out->n_warnings = 0;
}
