/* ctl_doctor.c - gatepostctl doctor: the live Postfix against the config */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "ctl.h"
#include "pfconf.h"
#include "pfdoctor.h"

#define DOC_USAGE "usage: gatepostctl doctor [-c FILE] " \
	"[--postfix-config DIR] [--socket PATH]\n"

static const struct option doc_opts[] = {
	{"config", required_argument, NULL, 'c'},
	{"postfix-config", required_argument, NULL, 'C'},
	{"socket", required_argument, NULL, 's'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* ctl_doctor - report every mismatch with its fix */
int
ctl_doctor(int argc, char **argv)
{
	const char *path = CTL_DEFAULT_CONFIG, *dir = NULL, *sock = NULL;
	struct pfconf pf;
	struct pfdoc doc;
	struct cfg *cfg;
	char	 why[512];
	size_t	 i, n;
	int	 c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", doc_opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'C': dir = optarg; break;
		case 's': sock = optarg; break;
		case 'h': (void)printf(DOC_USAGE); return 0;
		default: (void)fprintf(stderr, DOC_USAGE); return EX_USAGE;
		}
	}
	if (optind != argc) {
		(void)fprintf(stderr, DOC_USAGE);
		return EX_USAGE;
	}
	if ((cfg = ctl_load(path, 1)) == NULL)
		return 2;
	if (ctl_pfconf_read(dir, &pf, why, sizeof(why)) < 0) {
		(void)fprintf(stderr, "doctor: cannot read the Postfix "
		    "configuration: %s\n", why);
		pfconf_free(&pf);
		cfg_release(cfg);
		return 2;
	}
	memset(&doc, 0, sizeof(doc));
	(void)pfdoctor_check(cfg, &pf, &doc);
	for (i = 0; i < doc.n; i++)
		(void)printf("doctor: PROBLEM [%s] %s fix: %s\n", doc.v[i].id,
		    doc.v[i].problem, doc.v[i].fix);
	/* the store's problems are printed by ctl_store_doctor() itself */
	n = doc.n + (size_t)ctl_store_doctor(cfg, sock);
	if (n == 0)
		(void)printf("doctor: OK: Postfix (%s) matches %s: %zu face%s, "
		    "%zu instance%s\n", dir != NULL ? dir : "default config",
		    path, doc.n_faces, doc.n_faces == 1 ? "" : "s",
		    cfg->n_inst, cfg->n_inst == 1 ? "" : "s");
	else
		(void)printf("doctor: %zu problem%s found\n", n,
		    n == 1 ? "" : "s");
	c = n == 0 ? 0 : 1;
	pfdoctor_free(&doc);
	pfconf_free(&pf);
	cfg_release(cfg);
	return c;
}
