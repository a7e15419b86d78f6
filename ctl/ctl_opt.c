/* ctl_opt.c - the option parsing every subcommand shares */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <sysexits.h>

#include "ctl.h"

/*
 * ctl_getopt - the next option of a subcommand ("c:h" and the long
 *	options lo); -h and an unknown option print usage and end the
 *	parse
 */
int
ctl_getopt(int argc, char **argv, const struct option *lo,
    const char *usage, int *rc)
{
	int	 c;

	switch ((c = getopt_long(argc, argv, "c:h", lo, NULL))) {
	case 'h':
		(void)printf("%s", usage);
		*rc = 0;
		return CTL_OPT_END;
	case '?':
	case ':':
		*rc = ctl_usage(usage);
		return CTL_OPT_END;
	default:
		return c;
	}
}

/* ctl_usage - usage on stderr; returns EX_USAGE for the caller */
int
ctl_usage(const char *usage)
{
	(void)fprintf(stderr, "%s", usage);
	return EX_USAGE;
}
