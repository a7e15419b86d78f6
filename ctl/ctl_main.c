/* ctl_main.c - gatepostctl: the administrator's tool */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "ctl.h"

static void usage(FILE *);

static const struct ctl_cmd {
	const char *name;
	int	(*fn)(int, char **);
} ctl_cmds[] = {
	{"check", ctl_check},
	{"simulate", ctl_simulate},
	{"report", ctl_report},
	{"postfix", ctl_postfix},
	{"doctor", ctl_doctor},
	{"stats", ctl_stats},
	{"ratelimit", ctl_ratelimit},
};

/* usage - the manual in brief */
static void
usage(FILE *fp)
{
	(void)fprintf(fp,
"usage: gatepostctl COMMAND [options]\n"
"\n"
"Administer a gatepost two-faced mail gateway.\n"
"\n"
"Commands:\n"
"  check [-c FILE]\n"
"      Validate the configuration (default " CTL_DEFAULT_CONFIG ").\n"
"      Prints a summary of each instance and exits 0, or prints every\n"
"      error as FILE:LINE:COL: PATH: message and exits 1.\n"
"  check --keys\n"
"      List every configuration key: path, type, default, one line.\n"
"  simulate [-c FILE] --instance NAME [--client IP] [--client-name NAME]\n"
"           [--helo HOST] [--sasl-user LOGIN] [--from ADDR] [--rcpt ADDR]...\n"
"           [--header-from VALUE]... [--size BYTES]\n"
"      Run one message through the rules of an instance, stage by stage,\n"
"      with the code the daemons use, and print each rule's decision, the\n"
"      reply, the log line the daemon would write and the content actions.\n"
"      --instance takes an instance name, or a face name (match.name) as\n"
"      Postfix would send it.  Rate limits are stateful and not simulated.\n"
"  postfix [-c FILE] [--main|--master] [--relay-host NEXTHOP]\n"
"      Print the main.cf and master.cf fragments that wire Postfix to the\n"
"      config's instances, every setting commented.\n"
"  doctor [-c FILE] [--postfix-config DIR]\n"
"      Read the live Postfix configuration (postconf) and report each\n"
"      mismatch with the config as \"doctor: PROBLEM [id] ... fix: ...\".\n"
"  stats [-c FILE] [--json] [--policyd HOST:PORT] [--milter HOST:PORT]\n"
"        [--timeout SECONDS]\n"
"      Read both daemons' /metrics and print inbound vs outbound side by\n"
"      side: messages, recipients, bytes, archive copies, disclaimers,\n"
"      spam and virus verdicts, policy replies and rule decisions.\n"
"  ratelimit show|reset [-c FILE] [--socket PATH] [--instance NAME] KEY\n"
"      Ask gatepost-policyd over its control socket (policyd.control) for\n"
"      the counts of KEY (a login, client address or sender) under every\n"
"      rate limit, from whichever store is configured: used and remaining\n"
"      per limit; reset deletes them (logged by the daemon).\n"
"  report [-c FILE] [--face SYSLOG_NAME=DIRECTION]... [--from DATE]\n"
"         [--to DATE] [--by hour|day] [--format table|csv|json]\n"
"         [--plot FILE.png|FILE.svg] LOGFILE...\n"
"      Capacity report from Postfix logs (plain or gzip): messages,\n"
"      recipients, bytes and rejects per direction and period, busiest\n"
"      hour and growth; each message counted once, attributed by the\n"
"      syslog_name of the face that received it.\n"
"\n"
"Options:\n"
"  -h, --help     show this help\n"
"  -V, --version  show the version\n"
"\n"
"Exit status: 0 success (simulate: the message is accepted), 1 invalid\n"
"configuration (doctor: problems found), 2 simulate: the message is\n"
"refused (doctor: a configuration could not be read; ratelimit: the\n"
"daemon cannot be reached), 64 usage error.  ratelimit: 1 when the daemon\n"
"answers with an error.\n"
"See gatepostctl(8) and gatepost.json(5).\n");
}

int
main(int argc, char **argv)
{
	size_t	 i;

	if (argc < 2) {
		usage(stderr);
		return EX_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
		(void)printf("gatepostctl %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(ctl_cmds) / sizeof(ctl_cmds[0]); i++)
		if (strcmp(argv[1], ctl_cmds[i].name) == 0)
			return ctl_cmds[i].fn(argc - 1, argv + 1);
	(void)fprintf(stderr, "gatepostctl: unknown command \"%s\"\n\n",
	    argv[1]);
	usage(stderr);
	return EX_USAGE;
}
