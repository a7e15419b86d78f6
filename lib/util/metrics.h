/*
 * NAME
 *	metrics 3h
 * SUMMARY
 *	Prometheus counters, gauges and histograms, and their exposition
 * SYNOPSIS
 *	#include "metrics.h"
 * DESCRIPTION
 *	A registry holds metric families; a family has a name, help text,
 *	a type and a fixed list of label names; a series is one set of
 *	label values.  Series are created on first use and live as long
 *	as the registry.  Updates are C11 atomics: any thread may update
 *	any series without a lock.  Finding or creating a series takes a
 *	read/write lock on the family; hot paths should look a series up
 *	once (metrics_series()) and keep the pointer, which stays valid
 *	for the registry's life.
 *
 *	metrics_family() registers a family (call it at start-up, before
 *	threads; the label name list is NULL-terminated, borrowed for the
 *	registry's life; buckets (histograms only) are upper bounds in
 *	ascending order, borrowed, n_buckets of them).
 *
 *	metrics_series() finds or creates the series for the given label
 *	values (as many as the family has label names; copied).  A family
 *	refuses more than max_series series (metrics_family_cap()): the
 *	values are then replaced by the family's overflow value for
 *	every label ("other"), so cardinality stays bounded.
 *	metrics_family_cap_label() sets the cap and names the one label
 *	that takes the value overflow past it (copied), the others
 *	keeping theirs: a per-login family {face, login} capped at 1000
 *	with overflow "_other" counts the rest per face under
 *	login="_other".  It returns -1 when the family has no such label.
 *
 *	metrics_add() adds to a counter, metrics_set() sets a gauge,
 *	metrics_observe() records a histogram sample.  metrics_render()
 *	writes the text exposition format 0.0.4 (HELP and TYPE lines,
 *	_bucket/_sum/_count for histograms) into a malloc'ed buffer.
 *
 *	metrics_http_start() serves GET /metrics on "HOST:PORT" (loopback
 *	or any address the administrator names) with libmicrohttpd in its
 *	own thread; it returns 0, or -1 with a reason.  Call it after
 *	fork/daemonize and privilege drop.  metrics_http_stop() stops it.
 * SEE ALSO
 *	https://prometheus.io/docs/instrumenting/exposition_formats/
 */
#ifndef GP_METRICS_H
#define GP_METRICS_H

#include <stddef.h>
#include <stdint.h>

enum metrics_type { METRICS_COUNTER = 0, METRICS_GAUGE, METRICS_HISTOGRAM };

struct metrics;				/* the registry */
struct metrics_family;
struct metrics_series;

struct metrics *metrics_new(void);
void	metrics_free(struct metrics *);
struct metrics_family *metrics_family(struct metrics *, const char *name,
	    const char *help, enum metrics_type, const char *const *labels,
	    const double *buckets, size_t n_buckets);
void	metrics_family_cap(struct metrics_family *, size_t max_series);
int	metrics_family_cap_label(struct metrics_family *, size_t max_series,
	    const char *label, const char *overflow);
struct metrics_series *metrics_series(struct metrics_family *,
	    const char *const *values);
void	metrics_add(struct metrics_series *, uint64_t);
void	metrics_set(struct metrics_series *, int64_t);
void	metrics_observe(struct metrics_series *, double);
char	*metrics_render(struct metrics *, size_t *);

/* convenience: find the series and add in one call */
void	metrics_inc(struct metrics_family *, const char *const *, uint64_t);

struct metrics_http;
struct metrics_http *metrics_http_start(struct metrics *, const char *listen,
	    char *why, size_t whylen);
void	metrics_http_stop(struct metrics_http *);

#endif
