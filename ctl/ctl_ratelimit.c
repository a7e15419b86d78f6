/* ctl_ratelimit.c - gatepostctl ratelimit: counts in the configured store */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "ctl.h"

#define RL_USAGE "usage: gatepostctl ratelimit show|reset [-c FILE] " \
	"[--socket PATH] [--instance NAME] KEY\n"

static const struct option rl_opts[] = {
	CTL_OPT_CONFIG,
	{"socket", required_argument, NULL, 's'},
	{"instance", required_argument, NULL, 'i'},
	CTL_OPT_HELP_END
};

/* print_line - one data line of the answer */
static void
print_line(void *arg, const char *line)
{
	(void)printf("%s\n", line);
}

/* ctl_ratelimit - ask gatepost-policyd over its control socket */
int
ctl_ratelimit(int argc, char **argv)
{
	const char *path = CTL_DEFAULT_CONFIG, *sock = NULL, *inst = NULL;
	const char *verb;
	struct cfg *cfg;
	char	 cmd[1024], why[512];
	int	 c, rc, n;

	if (argc < 2 || (strcmp(argv[1], "show") != 0 &&
	    strcmp(argv[1], "reset") != 0)) {
		(void)fprintf(stderr, RL_USAGE);
		return argc >= 2 && strcmp(argv[1], "--help") == 0 ? 0 :
		    EX_USAGE;
	}
	verb = argv[1];
	argc--;
	argv++;
	optind = 1;
	while ((c = ctl_getopt(argc, argv, rl_opts, RL_USAGE, &rc)) >= 0)
		switch (c) {
		case 'c': path = optarg; break;
		case 's': sock = optarg; break;
		case 'i': inst = optarg; break;
		}
	if (c == CTL_OPT_END)
		return rc;
	if (optind + 1 != argc || argv[optind][0] == '\0' ||
	    strpbrk(argv[optind], " \t\r\n") != NULL ||
	    (inst != NULL && strpbrk(inst, " \t\r\n") != NULL))
		return ctl_usage(RL_USAGE);
	n = snprintf(cmd, sizeof(cmd), "ratelimit %s%s%s %s", verb,
	    inst != NULL ? " --instance " : "", inst != NULL ? inst : "",
	    argv[optind]);
	if (n < 0 || (size_t)n >= sizeof(cmd)) {
		(void)fprintf(stderr, "ratelimit: KEY too long\n");
		return EX_USAGE;
	}
	if ((cfg = ctl_load(path, 1)) == NULL)
		return 2;
	rc = ctl_control_call(ctl_control_path(cfg, sock), cmd, 5000,
	    print_line, NULL, why, sizeof(why));
	cfg_release(cfg);
	if (rc != 0)
		(void)fprintf(stderr, "ratelimit: %s\n", why);
	return rc == 0 ? 0 : rc == 1 ? 1 : 2;
}
