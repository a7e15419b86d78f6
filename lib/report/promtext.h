/*
 * NAME
 *	promtext 3h
 * SUMMARY
 *	parse the Prometheus text exposition format
 * SYNOPSIS
 *	#include "promtext.h"
 * DESCRIPTION
 *	promtext_parse() reads a /metrics body (text format 0.0.4) into
 *	samples: metric name, labels in the order written, value.  Comment
 *	lines (# HELP, # TYPE, anything after #) and empty lines are skipped;
 *	a trailing timestamp is accepted and dropped.  Label values may
 *	hold the escapes \\, \" and \n; values are floating point numbers,
 *	NaN, +Inf or -Inf.  A malformed line stops the parse: -1, with
 *	"line N: reason" in why and the samples read so far kept in out
 *	(free them either way with promtext_free()).  Lines are bounded
 *	only by the text: callers bound what they fetch.
 *
 *	promtext_label() is a sample's value for a label name (borrowed),
 *	or NULL when the sample has no such label.
 *
 *	Pure, thread safe.
 * SEE ALSO
 *	https://prometheus.io/docs/instrumenting/exposition_formats/,
 *	metrics(3h), gpstats(3h)
 */
#ifndef GP_PROMTEXT_H
#define GP_PROMTEXT_H

#include <stddef.h>

struct prom_label {
	char	*name;			/* owned */
	char	*value;			/* owned, unescaped */
};

struct prom_sample {
	char	*name;			/* owned */
	struct prom_label *labels;	/* owned */
	size_t	 n_labels;
	double	 value;
};

struct prom_samples {
	struct prom_sample *v;		/* owned */
	size_t	 n;
};

int	promtext_parse(const char *, size_t, struct prom_samples *, char *,
	    size_t);
const char *promtext_label(const struct prom_sample *, const char *);
void	promtext_free(struct prom_samples *);

#endif
