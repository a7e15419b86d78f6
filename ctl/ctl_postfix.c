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
	{"config", required_argument, NULL, 'c'},
	{"main", no_argument, NULL, 'm'},
	{"master", no_argument, NULL, 'M'},
	{"relay-host", required_argument, NULL, 'r'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

/* ctl_postfix - print the Postfix fragments for the config's instances */
int
ctl_postfix(int argc, char **argv)
{
	struct pfgen_opts o = { CTL_DEFAULT_CONFIG, NULL };
	struct cfg *cfg;
	char	*text;
	int	 c, which = 3;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", pf_opts, NULL)) != -1) {
		switch (c) {
		case 'c': o.source = optarg; break;
		case 'm': which = 1; break;
		case 'M': which = 2; break;
		case 'r': o.relay_host = optarg; break;
		case 'h': (void)printf(PF_USAGE); return 0;
		default: (void)fprintf(stderr, PF_USAGE); return EX_USAGE;
		}
	}
	if (optind != argc) {
		(void)fprintf(stderr, PF_USAGE);
		return EX_USAGE;
	}
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
