/*
 * NAME
 *	mf_scan 3h
 * SUMMARY
 *	the spam and virus scanners as content plug-ins of the milter
 * SYNOPSIS
 *	#include "mf_scan.h"
 * DESCRIPTION
 *	mf_scan_virus_hook and mf_scan_spam_hook are struct mf_hook
 *	plug-ins (mf_ctx(3h)), listed in mf_hooks[] in that order: a virus
 *	refused is not spam-scanned.  Each takes part in a message only
 *	when its instance has the block (virus, spam): a face without one
 *	never contacts a scanner.  start() asks the milter to keep the
 *	message up to the block's max_size (mf_msg_want_raw()); at end of
 *	message eom() sends that copy to the scanner in bounded pieces
 *	(scan(3h): one deadline, start + timeout_ms, for the whole
 *	conversation), applies the block (scan_policy(3h)) and
 *	- records the decision with mf_msg_hit(): rule spam or virus with
 *	  action tag, hold, reject (550 5.7.1) or, for a scanner failure
 *	  under on_error tempfail, tempfail (451 4.3.0); the milter logs,
 *	  counts, applies monitor mode and answers;
 *	- adds X-Spam-Score and X-Spam-Status to every message a spam
 *	  engine scored, and X-Spam-Flag: YES from tag_score on (once;
 *	  forged copies from outside were removed by the hygiene);
 *	- counts gatepost_scans_total{face,engine,result} and observes
 *	  gatepost_scan_seconds{engine}.
 *	A message over max_size is not sent (result skipped_size, logged
 *	at info); a scanner failure under on_error accept passes the
 *	message unscanned and untagged, logged as a warning.
 *
 *	mf_scan_init() registers the scanner metric families; call it once
 *	at start-up, before any thread (the plug-ins count nothing until
 *	then).
 *
 *	The plug-in state (struct per message) owns the outcome whose text
 *	and reason the recorded hit borrows until fini().  Thread safety:
 *	as every plug-in, one message is handled by one thread at a time;
 *	the metric families are written once before threads.
 * SEE ALSO
 *	mf_ctx(3h), scan(3h), scan_policy(3h), docs/scanners.md
 */
#ifndef GP_MF_SCAN_H
#define GP_MF_SCAN_H

#include "metrics.h"
#include "mf_ctx.h"

extern const struct mf_hook mf_scan_virus_hook;
extern const struct mf_hook mf_scan_spam_hook;

void	mf_scan_init(struct metrics *);

#endif
