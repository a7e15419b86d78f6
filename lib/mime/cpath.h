/*
 * NAME
 *	cpath 3h
 * SUMMARY
 *	the outbound content path of one whole message, as gatepost-milter
 *	runs it at end of message, without a milter: for simulation
 * SYNOPSIS
 *	#include "cpath.h"
 * DESCRIPTION
 *	cpath_run() takes a whole message (msg, len: header block, empty
 *	line, body; LF or CRLF), the envelope facts f of an accepted
 *	transaction (client, sasl_user, sender; f->from is set here and
 *	borrowed until cpath_free()), env (the accepted recipients folded
 *	by dcrule_rcpt()) and the verdict v of the envelope stages, and
 *	runs, in the milter's order:
 *
 *	1.	"header-from": the From fields of msg parsed (hdrfrom(3h))
 *		and the header rules (STAGE_EOH) evaluated into v; trace,
 *		when not NULL, sees each rule's decision;
 *	2.	"hygiene": the fields hygiene(3h) removes (forged on
 *		inbound, headers.remove);
 *	3.	"disclaimer": the entry dcrule(3h) chooses and
 *		disclaimer_apply() with its settings; a fallback reject
 *		adds the disclaimer.fallback hit to v;
 *	4.	"headers": headers.add and the tag fields of v's hits.
 *
 *	Each step appends a struct cpath_step (name, result, detail) to
 *	cp->step, in order; later features add their own steps here.
 *	When v ends with no enforced refusal, cp->out is the message as
 *	it would leave (cp->out_len bytes, owned): removed fields gone,
 *	the disclaimer's header changes and body in, added fields at the
 *	end of the header block, every other byte as in msg.  Otherwise
 *	cp->out is NULL.  Returns 0.  Like the milter, it reads any header
 *	block field by field: a malformed one is the disclaimer's
 *	business (skipped_unparseable), not a reason to stop.
 *
 *	Bounds: at most CPATH_STEPS_MAX steps, HDR_FROM_MAX addresses
 *	(hdrfrom(3h)), CPATH_FROM_MAX From fields (more: the message is
 *	treated as malformed by the header rules, as hdrfrom does for its
 *	own bound).  Pure but for iconv and GMime's parser; thread safe.
 * SEE ALSO
 *	gatepostctl(8) simulate --message, disclaimer(3h), hygiene(3h)
 */
#ifndef GP_CPATH_H
#define GP_CPATH_H

#include <stddef.h>

#include "cfg.h"
#include "dcrule.h"
#include "facts.h"
#include "rule.h"

#define CPATH_STEPS_MAX	32		/* steps of one run */
#define CPATH_FROM_MAX	16		/* From fields read */

struct cpath_step {
	char	 name[24];		/* "disclaimer" */
	char	 result[40];		/* "added", "pass", "removed 2" */
	char	 detail[240];		/* free text, may be empty */
};

struct cpath {
	struct cpath_step step[CPATH_STEPS_MAX];
	size_t	 n_step;
	struct hdr_from *from;		/* owned: what f->from points to */
	char	*out;			/* owned: message leaving, or NULL */
	size_t	 out_len;		/* bytes */
};

int	cpath_run(const struct cfg *, const struct cfg_instance *,
	    struct facts *f, const struct dcrule_env *, const char *msg,
	    size_t len, struct verdict *v, rule_trace_fn *trace, void *arg,
	    struct cpath *);
void	cpath_free(struct cpath *);

#endif
