/*
 * mf_hooks.c - the content plug-ins, in end-of-message order: scanners
 * first, then the disclaimer.  The contract is in mf_ctx.h.  This table
 * is alone in its file so that a unit test can link a table of its own.
 */
#include "config.h"

#include "mf_ctx.h"
#include "mf_disclaimer.h"
#include "mf_scan.h"

const struct mf_hook *const mf_hooks[] = {
	&mf_scan_virus_hook,		/* a virus refused is not spam-scanned */
	&mf_scan_spam_hook,
	&mf_disclaimer_hook,		/* last: only messages nobody refused */
	NULL
};
