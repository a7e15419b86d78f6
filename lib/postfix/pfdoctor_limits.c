/* pfdoctor_limits.c - sizes and connection counts against Postfix's */
#include "config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pfdoctor_int.h"

#define PF_DEFAULT_SIZE	10240000	/* message_size_limit default */
#define PF_DEFAULT_PROC	100		/* default_process_limit default */

typedef int wired_fn(const struct pfd *, const struct pfd_face *);

static unsigned long long size_limit(const struct pfd *,
	    const struct pfd_face *);
static void check_sizes(struct pfd *, const struct pfd_face *);
static unsigned long maxproc(const struct pfd *, const struct pf_service *);
static unsigned long smtpd_procs(const struct pfd *, wired_fn *);
static void check_conns(struct pfd *);
static void check_daemon_conns(struct pfd *, const char *, const char *,
    wired_fn *, unsigned);

/* size_limit - the face's message_size_limit; 0 = no limit */
static unsigned long long
size_limit(const struct pfd *d, const struct pfd_face *f)
{
	char	*v = pfconf_value(d->pf, f->smtpd, "message_size_limit");
	char	*end;
	unsigned long long n = PF_DEFAULT_SIZE;

	if (*v != '\0') {
		n = strtoull(v, &end, 10);
		if (*end != '\0')
			n = PF_DEFAULT_SIZE;
	}
	free(v);
	return n;
}

/* check_sizes - mail the face takes that the virus scan cannot */
static void
check_sizes(struct pfd *d, const struct pfd_face *f)
{
	const struct cfg_scan *s = &f->inst->virus;
	unsigned long long lim;

	if (!s->set || !pfd_milter_wired(d, f))
		return;
	lim = size_limit(d, f);
	if (lim == 0 || lim > s->max_size) {
		pfd_problem(d, "virus-size", "%s (instance %s) takes messages "
		    "up to %s%llu bytes (message_size_limit) but virus.max_size "
		    "is %zu: larger ones are %s", f->label, f->inst->name,
		    lim == 0 ? "any size, not " : "", lim, s->max_size,
		    s->oversize == CFG_OVERSIZE_ACCEPT ? "delivered unscanned "
		    "(oversize accept)" : "refused 552 5.3.4 (oversize reject)");
		pfd_fix(d, "raise virus.max_size of %s to at least %llu, or "
		    "lower message_size_limit", f->inst->name, lim);
	}
	if (d->out->clamd_stream_max > 0 && s->engine == CFG_ENG_CLAMD &&
	    (lim == 0 || lim > d->out->clamd_stream_max)) {
		pfd_problem(d, "clamd-size", "%s (instance %s) takes messages "
		    "up to %llu bytes (message_size_limit; 0 = any) but clamd "
		    "takes streams of at most %zu bytes (StreamMaxLength in "
		    "%s): larger ones end as scanner errors (on_error)",
		    f->label, f->inst->name, lim, d->out->clamd_stream_max,
		    d->out->clamd_conf[0] != '\0' ? d->out->clamd_conf :
		    "clamd.conf");
		pfd_fix(d, "raise StreamMaxLength to at least %llu and restart "
		    "clamd, or lower message_size_limit", lim);
	}
}

/* maxproc - a service's process limit ("-": default_process_limit) */
static unsigned long
maxproc(const struct pfd *d, const struct pf_service *s)
{
	const char *v = s->maxproc;
	char	*dflt, *end;
	unsigned long n;

	if (v == NULL || strcmp(v, "-") == 0) {
		dflt = pfconf_value(d->pf, NULL, "default_process_limit");
		n = strtoul(dflt, &end, 10);
		if (*dflt == '\0' || *end != '\0')
			n = PF_DEFAULT_PROC;
		free(dflt);
		return n;
	}
	n = strtoul(v, &end, 10);
	return *end == '\0' ? n : PF_DEFAULT_PROC;
}

/* smtpd_procs - summed maxproc of the smtpd services wired to a daemon */
static unsigned long
smtpd_procs(const struct pfd *d, wired_fn *wired)
{
	unsigned long sum = 0;
	size_t	 i, j;

	for (i = 0; i < d->n_faces; i++) {
		if (!wired(d, &d->faces[i]))
			continue;
		/* postscreen faces may share one smtpd: count it once */
		for (j = 0; j < i; j++)
			if (d->faces[j].smtpd == d->faces[i].smtpd &&
			    wired(d, &d->faces[j]))
				break;
		if (j == i)
			sum += maxproc(d, d->faces[i].smtpd);
	}
	return sum;
}

/* check_conns - every smtpd process may hold one connection at peak */
static void
check_conns(struct pfd *d)
{
	if (d->cfg->milter.set)
		check_daemon_conns(d, "milter-connections", "milter",
		    pfd_milter_wired, d->cfg->milter.max_connections);
	if (d->cfg->policyd.set)
		check_daemon_conns(d, "policy-connections", "policyd",
		    pfd_policy_wired, d->cfg->policyd.max_connections);
}

/* check_daemon_conns - the smtpd processes wired to one daemon vs its max */
static void
check_daemon_conns(struct pfd *d, const char *id, const char *daemon,
    wired_fn *wired, unsigned max)
{
	unsigned long n;

	if ((n = smtpd_procs(d, wired)) <= max)
		return;
	pfd_problem(d, id, "the smtpd services using gatepost-%s may "
	    "run %lu processes (summed maxproc) but %s.max_connections is "
	    "%u: at peak load Postfix is refused", daemon, n, daemon, max);
	pfd_fix(d, "set %s.max_connections to at least %lu, or lower the "
	    "smtpd maxproc in master.cf", daemon, n);
}

/* pfd_check_limits - sizes per face, connection counts overall */
void
pfd_check_limits(struct pfd *d)
{
	size_t	 i;

	for (i = 0; i < d->n_faces; i++)
		if (d->faces[i].inst != NULL)
			check_sizes(d, &d->faces[i]);
	check_conns(d);
}

/* pfdoctor_clamd_stream_max - StreamMaxLength of a clamd.conf text */
int
pfdoctor_clamd_stream_max(const char *text, size_t *out)
{
	const char *p = text, *v;
	unsigned long long n;
	char	*end;
	int	 found = 0;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "StreamMaxLength", 15) == 0 &&
		    (p[15] == ' ' || p[15] == '\t')) {
			for (v = p + 15; *v == ' ' || *v == '\t'; v++)
				;
			if (!isdigit((unsigned char)*v))
				return -1;
			n = strtoull(v, &end, 10);
			switch (*end) {
			case 'k': case 'K': n *= 1024; end++; break;
			case 'm': case 'M': n *= 1024 * 1024; end++; break;
			case 'g': case 'G': n *= 1024ULL * 1024 * 1024; end++;
				break;
			default: break;
			}
			while (*end == ' ' || *end == '\t' || *end == '\r')
				end++;
			if ((*end != '\n' && *end != '\0') || n > SIZE_MAX)
				return -1;
			*out = (size_t)n;
			found = 1;	/* the last one wins, as in clamd */
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return found;
}
