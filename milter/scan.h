/*
 * NAME
 *	scan 3h
 * SUMMARY
 *	content scanning: one interface over spamd, rspamd and clamd
 * SYNOPSIS
 *	#include "scan.h"
 * DESCRIPTION
 *	A scan is one job: scan_begin() connects to the block's server and
 *	sends the request head, scan_write() sends the message in pieces
 *	(any size; the caller keeps the message, the job keeps no copy),
 *	scan_finish() reads and parses the reply and frees the job.  The
 *	message is the header block as received, a blank line and the body,
 *	exactly size bytes in all (spamd and rspamd announce the length
 *	first, so a scan starts at end of message, when it is known).
 *
 *	Every step is bounded by one deadline, scan_begin() time plus the
 *	block's timeout_ms: connect, each send and the reply read give up
 *	then, so scan_finish() returns within timeout_ms plus parsing time
 *	whatever the scanner does (down, silent, slow, answering garbage).
 *
 *	Errors are sticky and never lost: a job whose connect failed is
 *	still a job; scan_write() then returns -1 at once (the caller may
 *	stop feeding it) and scan_finish() reports SCAN_ERROR with the
 *	reason.  A message larger than max_size is not sent at all: the job
 *	connects to nothing and finishes as SCAN_SKIPPED_SIZE.  scan_finish()
 *	always fills the verdict, sets *seconds (time spent on the scanner,
 *	0 when it was not contacted) and frees the job; scan_abort() frees a
 *	job without a verdict (message aborted).
 *
 *	The struct scan_env strings are only read during scan_begin().
 *	Jobs are independent: any thread may run its own, no globals.
 *	Engines live in scan_ENGINE.c behind struct scan_engine_ops
 *	(scan_engine.h); adding one is that file and one table entry.
 *
 *	scan_metrics_init() registers gatepost_scans_total{face,engine,
 *	result} and gatepost_scan_seconds{engine} (a histogram) in a
 *	registry at start-up; scan_metrics_count() records one scan (result
 *	is the scan_outcome label; seconds < 0 or a skipped scan add no
 *	histogram sample).  scan_metrics_oversize() counts a message over
 *	max_size in gatepost_scan_oversize_total{face,engine,action}, action
 *	the oversize choice applied (truncate, tag, accept, reject).  The
 *	struct may be zero (no metrics): then they do nothing.
 * SEE ALSO
 *	scan_parse(3h), scan_policy(3h), scan_sock(3h), metrics(3h)
 */
#ifndef GP_SCAN_H
#define GP_SCAN_H

#include <stddef.h>

#include "cfg.h"
#include "metrics.h"
#include "scan_parse.h"

struct scan_env {			/* envelope facts an engine may send */
	const char *queue_id;		/* NULL or "" = unknown */
	const char *client_addr;	/* NULL = unknown */
	const char *client_name;	/* NULL = unknown */
	const char *helo;		/* NULL = unknown */
	const char *sender;		/* no <>; "" = null sender */
	const char *const *rcpts;	/* n_rcpts addresses, no <> */
	size_t	 n_rcpts;
	const char *sasl_user;		/* NULL or "" = not authenticated */
};

struct scan_job;

struct scan_job *scan_begin(const struct cfg_scan *, const struct scan_env *,
	    size_t);
int	scan_write(struct scan_job *, const void *, size_t);
void	scan_finish(struct scan_job *, struct scan_verdict *, double *);
void	scan_abort(struct scan_job *);

struct scan_metrics {
	struct metrics_family *scans;	/* borrowed from the registry */
	struct metrics_family *seconds;	/* borrowed from the registry */
	struct metrics_family *oversize; /* borrowed from the registry */
};

void	scan_metrics_init(struct scan_metrics *, struct metrics *);
void	scan_metrics_count(const struct scan_metrics *, const char *face,
	    enum cfg_engine, const char *result, double seconds);
void	scan_metrics_oversize(const struct scan_metrics *, const char *face,
	    enum cfg_engine, const char *choice);

#endif
