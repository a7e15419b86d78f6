/*
 * NAME
 *	ctl_report 3h
 * SUMMARY
 *	gatepostctl report: output formats and the gnuplot plot
 * SYNOPSIS
 *	#include "ctl_report.h"
 * DESCRIPTION
 *	ctl_report_table(), ctl_report_csv() and ctl_report_json() print
 *	a finished report(3h) to fp in periods of by seconds (3600 or
 *	86400); from and to are the window asked for (INT64_MIN and
 *	INT64_MAX when open).  They return 0, or -1 when writing failed.
 *
 *	ctl_report_plot() draws inbound and outbound messages per period
 *	into path (".png" or ".svg") by running gnuplot(1) on a
 *	generated script and data file in a private temporary directory.
 *	It returns 0, or -1 with a reason in why.
 *
 *	ctl_report_shown() says whether a direction gets a column:
 *	inbound and outbound always, the others when they saw traffic.
 * SEE ALSO
 *	report(3h), gatepostctl(8)
 */
#ifndef GP_CTL_REPORT_H
#define GP_CTL_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "evlog.h"
#include "report.h"

struct ctl_report_view {		/* what the output functions print */
	struct report *r;		/* borrowed, finished */
	const struct evlog *ev;		/* borrowed, finished */
	int64_t	 by;			/* period, seconds */
	int64_t	 from, to;		/* window asked for */
	struct report_bucket *p;	/* owned: report_periods() */
	size_t	 n_p;
	struct report_summary s[REPORT_NDIR];
};

int	ctl_report_table(FILE *, const struct ctl_report_view *);
int	ctl_report_csv(FILE *, const struct ctl_report_view *);
int	ctl_report_json(FILE *, const struct ctl_report_view *);
int	ctl_report_plot(const char *path, const struct ctl_report_view *,
	    char *why, size_t whylen);
int	ctl_report_shown(const struct ctl_report_view *, int dir);

#endif
