/* ctl_doctor.c - gatepostctl doctor: the live Postfix against the config */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>
#include <sysexits.h>
#include <unistd.h>

#include "ctl.h"
#include "file.h"
#include "pfconf.h"
#include "pfdoctor.h"

#define DOC_USAGE "usage: gatepostctl doctor [-c FILE] " \
	"[--postfix-config DIR] [--clamd-config FILE] [--socket PATH]\n"
#define DOC_CLAMD "/etc/clamav/clamd.conf"

static int no_main_cf(const char *);
static int clamd_conf(const char *, int, struct pfdoc *);

static pfdoc_stat_fn doc_stat;

/* doc_stat - the doctor's file facts (TLS certificates and keys) */
static int
doc_stat(void *ctx, const char *path, struct pfdoc_file *st)
{
	struct stat sb;

	(void)ctx;
	memset(st, 0, sizeof(*st));
	if (stat(path, &sb) != 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	st->exists = 1;
	st->uid = (unsigned long)sb.st_uid;
	st->mode = (unsigned)(sb.st_mode & 07777);
	return 0;
}

static const struct option doc_opts[] = {
	CTL_OPT_CONFIG,
	{"postfix-config", required_argument, NULL, 'C'},
	{"clamd-config", required_argument, NULL, 'K'},
	{"socket", required_argument, NULL, 's'},
	CTL_OPT_HELP_END
};

/*
 * no_main_cf - Postfix installed with Debian's "No configuration" has no
 *	main.cf, and postconf fails on it: say what to do instead.  The
 *	directory is DIR, else $MAIL_CONFIG, else /etc/postfix.  True when
 *	the directory exists without a main.cf (the guidance printed).
 */
static int
no_main_cf(const char *dir)
{
	const char *d = dir;
	struct stat st;
	char	 p[4096];

	if (d == NULL && ((d = getenv("MAIL_CONFIG")) == NULL || *d == '\0'))
		d = "/etc/postfix";
	if (stat(d, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;		/* postconf says what is wrong */
	(void)snprintf(p, sizeof(p), "%s/main.cf", d);
	if (access(p, F_OK) == 0 || errno != ENOENT)
		return 0;
	(void)fprintf(stderr, "doctor: %s does not exist: Postfix is not "
	    "configured yet (Debian's \"No configuration\").  Start from "
	    "Debian's template,\n"
	    "    cp /usr/share/postfix/main.cf.debian %s\n"
	    "set myhostname there, add the fragment of \"gatepostctl postfix "
	    "--main\" and, to master.cf, that of \"gatepostctl postfix "
	    "--master\" (contrib/postfix/README.md), then run doctor again.\n",
	    p, p);
	return 1;
}

/*
 * clamd_conf - clamd's StreamMaxLength into doc; a missing default file
 * is no error (clamd may run elsewhere), a named one must be read
 */
static int
clamd_conf(const char *path, int named, struct pfdoc *doc)
{
	char	 why[256], *text;
	size_t	 len;
	int	 r;

	if ((text = file_read(path, &len, why, sizeof(why))) == NULL) {
		if (!named)
			return 0;
		(void)fprintf(stderr, "doctor: %s\n", why);
		return -1;
	}
	r = pfdoctor_clamd_stream_max(text, &doc->clamd_stream_max);
	free(text);
	if (r < 0) {
		(void)fprintf(stderr, "doctor: %s: malformed StreamMaxLength\n",
		    path);
		return -1;
	}
	(void)snprintf(doc->clamd_conf, sizeof(doc->clamd_conf), "%s", path);
	return 0;
}

/* ctl_doctor - report every mismatch with its fix */
int
ctl_doctor(int argc, char **argv)
{
	const char *path = CTL_DEFAULT_CONFIG, *dir = NULL, *clamd = NULL;
	const char *sock = NULL;
	struct pfconf pf;
	struct pfdoc doc;
	struct cfg *cfg;
	char	 why[512];
	size_t	 i, problems;
	int	 c, rc;

	optind = 1;
	while ((c = ctl_getopt(argc, argv, doc_opts, DOC_USAGE, &rc)) >= 0) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'C': dir = optarg; break;
		case 'K': clamd = optarg; break;
		case 's': sock = optarg; break;
		}
	}
	if (c == CTL_OPT_END)
		return rc;
	if (optind != argc)
		return ctl_usage(DOC_USAGE);
	if ((cfg = ctl_load(path, 1)) == NULL)
		return 2;
	if (no_main_cf(dir)) {
		cfg_release(cfg);
		return 2;
	}
	if (ctl_pfconf_read(dir, &pf, why, sizeof(why)) < 0) {
		(void)fprintf(stderr, "doctor: cannot read the Postfix "
		    "configuration: %s\n", why);
		pfconf_free(&pf);
		cfg_release(cfg);
		return 2;
	}
	memset(&doc, 0, sizeof(doc));
	doc.stat = doc_stat;
	if (clamd_conf(clamd != NULL ? clamd : DOC_CLAMD, clamd != NULL,
	    &doc) < 0) {
		pfconf_free(&pf);
		cfg_release(cfg);
		return 2;
	}
	(void)pfdoctor_check(cfg, &pf, &doc);
	problems = doc.n - doc.n_warnings;
	for (i = 0; i < doc.n; i++)
		if (!doc.v[i].warning)
			(void)printf("doctor: PROBLEM [%s] %s fix: %s\n",
			    doc.v[i].id, doc.v[i].problem, doc.v[i].fix);
	/* the store's problems are printed by ctl_store_doctor() itself */
	problems += (size_t)ctl_store_doctor(cfg, sock);
	if (problems == 0)
		(void)printf("doctor: OK: Postfix (%s) matches %s: %zu face%s, "
		    "%zu instance%s%s\n", dir != NULL ? dir : "default config",
		    path, doc.n_faces, doc.n_faces == 1 ? "" : "s",
		    cfg->n_inst, cfg->n_inst == 1 ? "" : "s",
		    doc.n_warnings > 0 ? "; warnings below" : "");
	for (i = 0; i < doc.n; i++)
		if (doc.v[i].warning)
			(void)printf("doctor: WARNING [%s] %s fix: %s\n",
			    doc.v[i].id, doc.v[i].problem, doc.v[i].fix);
	if (problems > 0)
		(void)printf("doctor: %zu problem%s found\n", problems,
		    problems == 1 ? "" : "s");
	c = problems == 0 ? 0 : 1;
	pfdoctor_free(&doc);
	pfconf_free(&pf);
	cfg_release(cfg);
	return c;
}
