/*
 * NAME
 *	report_int 3h
 * SUMMARY
 *	report(3h) internals shared by report.c and report_sum.c
 * SYNOPSIS
 *	#include "report_int.h"
 * DESCRIPTION
 *	struct report and the bucket and reason helpers.  report.c runs
 *	the per-message state machine; report_sum.c keeps the hourly
 *	buckets and the reject reasons and derives periods and
 *	summaries.  Not for use outside these two files.
 *
 *	report_bucket_get() finds or inserts the hourly bucket holding t
 *	(kept sorted by start).  report_reason_add() counts one reject
 *	reason, normalizing the text; report_new() creates rs_index and
 *	report_reasons_free() frees it with the reasons.
 * SEE ALSO
 *	report(3h)
 */
#ifndef GP_REPORT_INT_H
#define GP_REPORT_INT_H

#include <glib.h>

#include "report.h"

#define REPORT_MAX_REASONS	1000	/* distinct reasons kept */

struct report {
	const struct report_face *faces;	/* borrowed */
	size_t	 n_faces;
	int64_t	 from, to;		/* window, civil seconds */
	int64_t	 now;			/* latest line time seen */
	int64_t	 pruned;		/* now at the last prune */
	struct report_stats st;
	GHashTable *qids;		/* queue ID -> struct qent, owned */
	GHashTable *sess;		/* "name/proc[pid]" -> struct sess */
	GHashTable *mids;		/* Message-ID -> struct mid, owned */
	struct report_bucket *b;	/* owned, hourly, sorted by start */
	size_t	 n_b, cap_b;
	struct report_reason *rs;	/* owned */
	size_t	 n_rs, cap_rs;
	GHashTable *rs_index;		/* rs[].key -> index + 1 */
};

struct report_bucket *report_bucket_get(struct report *, int64_t);
void	report_reason_add(struct report *, enum report_dir,
	    const struct mlog_str *, const struct mlog_str *);
void	report_reasons_free(struct report *);

#endif
