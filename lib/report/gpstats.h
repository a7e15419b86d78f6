/*
 * NAME
 *	gpstats 3h
 * SUMMARY
 *	inbound vs outbound: the daemons' metrics side by side
 * SYNOPSIS
 *	#include "gpstats.h"
 * DESCRIPTION
 *	gpstats_init() starts an empty table whose columns are the
 *	directions of cfg's instances.  gpstats_add() folds in the samples
 *	of one daemon's /metrics (source names it: "policyd", "milter"):
 *	messages by action, recipients, bytes, archive copies, disclaimers
 *	by result, scans by engine and result, policy requests by reply and
 *	rule decisions by rule, action and mode, each in the column of its
 *	direction.  A sample with a direction label goes by it; one with a
 *	face label only goes by that instance's direction in cfg; anything
 *	else lands in column "unknown".  Configuration reloads and gauges
 *	are kept per source, scan times per engine.  Values of the same
 *	row and column add up, so the two daemons' rule decisions combine.
 *	Unknown metric names are ignored.
 *
 *	gpstats_table() renders the table as text (a header line with the
 *	used columns, one line per row, the per-source notes after it);
 *	gpstats_json() as a JSON object { "directions": { DIR: { "messages":
 *	{...}, "recipients": N, "bytes": N, "archive_copies": N,
 *	"disclaimers": {...}, "scans": { ENGINE: {...} },
 *	"policy_requests": {...}, "rule_decisions": [ {"rule", "action",
 *	"mode", "count"} ] } }, "config_reloads": { SOURCE: {...} },
 *	"gauges": { SOURCE: {...} }, "scan_seconds": { ENGINE: {"count",
 *	"sum"} } } (a new reference).  Both return malloc'ed text or a new
 *	object; gpstats_free() releases the table.
 *
 *	Pure, not thread safe (one owner).
 * SEE ALSO
 *	gatepostctl(8), promtext(3h), metrics(3h)
 */
#ifndef GP_GPSTATS_H
#define GP_GPSTATS_H

#include <stddef.h>

#include <jansson.h>

#include "cfg.h"
#include "promtext.h"

#define GPSTATS_NCOL	5		/* 4 directions and "unknown" */

enum gpstats_sec {
	GPS_MESSAGES = 0, GPS_RECIPIENTS, GPS_BYTES, GPS_ARCHIVE,
	GPS_DISCLAIMERS, GPS_SCANS, GPS_REQUESTS, GPS_RULES, GPS_NSEC
};

struct gpstats_row {
	enum gpstats_sec sec;
	char	*k[3];			/* owned keys, NULL when unused */
	double	 v[GPSTATS_NCOL];	/* per direction */
};

struct gpstats_note {			/* per source: reloads, gauges */
	char	*source;		/* owned */
	char	*kind;			/* owned: "config_reloads", "gauges" */
	char	*name;			/* owned: "ok", "gatepost_..." */
	double	 v;
};

struct gpstats_scan {			/* per engine scan time */
	char	*engine;		/* owned */
	double	 sum;			/* seconds */
	double	 count;
};

struct gpstats {
	const struct cfg *cfg;		/* borrowed */
	int	 used[GPSTATS_NCOL];	/* column shown */
	struct gpstats_row *rows;	/* owned */
	size_t	 n_rows;
	struct gpstats_note *notes;	/* owned */
	size_t	 n_notes;
	struct gpstats_scan *scans;	/* owned */
	size_t	 n_scans;
};

void	gpstats_init(struct gpstats *, const struct cfg *);
void	gpstats_add(struct gpstats *, const char *,
	    const struct prom_samples *);
char	*gpstats_table(const struct gpstats *);
json_t	*gpstats_json(const struct gpstats *);
void	gpstats_free(struct gpstats *);
const char *gpstats_col_name(int);

#endif
