/* ctl_postfix.c - gatepostctl postfix: main.cf/master.cf for a config */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include "ctl.h"
#include "pfgen.h"

#define PF_USAGE "usage: gatepostctl postfix [-c FILE] [--main|--master] " \
	"[--relay-host NEXTHOP]\n"

static const struct option pf_opts[] = {
	CTL_OPT_CONFIG,
	{"main", no_argument, NULL, 'm'},
	{"master", no_argument, NULL, 'M'},
	{"relay-host", required_argument, NULL, 'r'},
	CTL_OPT_HELP_END
};

/* ctl_postfix - print the Postfix fragments for the config's instances */
int
ctl_postfix(int argc, char **argv)
{
	struct pfgen_opts o = { CTL_DEFAULT_CONFIG, NULL };
	struct cfg *cfg;
	char	*text;
	int	 c, rc, which = 3;

	optind = 1;
	while ((c = ctl_getopt(argc, argv, pf_opts, PF_USAGE, &rc)) >= 0) {
		switch (c) {
		case 'c': o.source = optarg; break;
		case 'm': which = 1; break;
		case 'M': which = 2; break;
		case 'r': o.relay_host = optarg; break;
		}
	}
	if (c == CTL_OPT_END)
		return rc;
	if (optind != argc)
		return ctl_usage(PF_USAGE);
	if ((cfg = ctl_load(o.source, 1)) == NULL)
		return 1;
	if (which & 1) {
		text = pfgen_main(cfg, &o);
		(void)printf("%s%s", which == 3 ? "# ===== main.cf =====\n" :
		    "", text);
		free(text);
	}
	if (which & 2) {
		text = pfgen_master(cfg, &o);
		(void)printf("%s%s", which == 3 ? "\n# ===== master.cf =====\n"
		    : "", text);
		free(text);
	}
	cfg_release(cfg);
	return 0;
}
