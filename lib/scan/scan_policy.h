/*
 * NAME
 *	scan_policy 3h
 * SUMMARY
 *	scanner verdicts to actions, headers and replies
 * SYNOPSIS
 *	#include "scan_policy.h"
 * DESCRIPTION
 *	scan_policy() applies an instance's spam or virus block to one
 *	scanner verdict and fills a struct scan_outcome: the action, the
 *	metrics result label, the X-Spam-* header values, the reply text
 *	and a reason for the log line.
 *
 *	Spam (gatepost's own thresholds decide, whatever the engine's own
 *	threshold or action said): a verdict with a score gets X-Spam-Score
 *	and X-Spam-Status; score >= tag_score adds X-Spam-Flag: YES (action
 *	tag, result "spam"); >= hold_score holds; >= reject_score rejects
 *	(550 5.7.1).  The higher action wins.  Below tag_score the action
 *	is none and the result "clean".
 *
 *	Virus: a signature found applies virus.action (reject by default,
 *	550 5.7.1 naming only the signature; or hold), result "virus".
 *
 *	Errors (scanner down, slow past its timeout, garbage): on_error
 *	tempfail (the default) answers 451 4.3.0; accept lets the message
 *	through unscanned and untagged.  Result "error" either way.
 *	Messages over max_size (scan_policy_fits() says whether one fits)
 *	follow the block's oversize choice, and o->oversize names it for
 *	the metrics.  A verdict SCAN_SKIPPED_SIZE (nothing was sent) gets
 *	result "skipped_size" and: accept, no action, no header; tag (spam
 *	only), no action and o->unscanned, the value of an
 *	X-Spam-Unscanned header that says why; reject, action reject with
 *	552 5.3.4 and a text the sender understands.  truncate (spam only)
 *	is decided by the caller, which sends the header and the first
 *	max_size bytes of the body: it calls scan_policy() on that verdict
 *	and then scan_policy_truncated(), which marks X-Spam-Status with
 *	"truncated=MAX_SIZE" and the log reason (a failed truncated scan
 *	stays an on_error outcome).  scan_oversize_name() is the label.
 *
 *	scan_policy_hit() turns an outcome into a rule hit (rule spam or
 *	virus) for the decision log and the milter's reply; the hit's text
 *	and reason are borrowed from the outcome, which must outlive it.
 *
 *	scan_format_score() writes a score as the headers show it ("7.3";
 *	never "-0.0"; clamped to +-99999).
 *
 *	Pure and thread safe: no I/O, clock, globals or allocation.
 * SEE ALSO
 *	scan_parse(3h), rule(3h), docs/scanners.md
 */
#ifndef GP_SCAN_POLICY_H
#define GP_SCAN_POLICY_H

#include <stddef.h>

#include "cfg.h"
#include "rule.h"
#include "scan_parse.h"

#define SCAN_HDR_MAX		512	/* bytes of a header value */
#define SCAN_TEXT_MAX		192	/* bytes of a reply text */
#define SCAN_REASON_MAX		256	/* bytes of a log reason */

enum scan_kind { SCAN_KIND_SPAM = 0, SCAN_KIND_VIRUS };

struct scan_outcome {
	enum rule_id rule;		/* RULE_SPAM or RULE_VIRUS */
	enum cfg_act act;		/* NONE, TAG, HOLD, REJECT, TEMPFAIL */
	const char *result;		/* metrics label; static */
	int	 headers;		/* add X-Spam-Score, X-Spam-Status */
	int	 flag;			/* add X-Spam-Flag: YES */
	char	 score[24];		/* X-Spam-Score value */
	char	 status[SCAN_HDR_MAX];	/* X-Spam-Status value */
	int	 code;			/* 550, 451; 0 = no reply */
	const char *dsn;		/* "5.7.1", "4.3.0"; static */
	char	 text[SCAN_TEXT_MAX];	/* reply text */
	char	 reason[SCAN_REASON_MAX]; /* log reason */
	const char *oversize;		/* oversize label; static, NULL =
					 * the message fit max_size */
	char	 unscanned[SCAN_HDR_MAX]; /* X-Spam-Unscanned value; "" =
					 * no such header */
};

int	scan_policy_fits(const struct cfg_scan *, size_t);
void	scan_policy(const struct cfg_scan *, enum scan_kind,
	    const struct scan_verdict *, struct scan_outcome *);
void	scan_policy_truncated(const struct cfg_scan *, struct scan_outcome *);
const char *scan_oversize_name(enum cfg_oversize);
void	scan_policy_hit(const struct scan_outcome *, enum cfg_mode,
	    struct rule_hit *);
void	scan_format_score(char *, size_t, double);
const char *scan_engine_name(enum cfg_engine);

#endif
