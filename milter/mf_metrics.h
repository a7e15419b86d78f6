/*
 * NAME
 *	mf_metrics 3h
 * SUMMARY
 *	gatepost-milter's Prometheus metric families
 * SYNOPSIS
 *	#include "mf_metrics.h"
 * DESCRIPTION
 *	mf_metrics_init() registers the milter's families in a registry
 *	(metrics(3h)); call it once at start-up, before any thread exists.
 *	serving says whether the /metrics endpoint is up, which makes the
 *	byte count worth the cost of receiving every body
 *	(mf_metrics_serving()).  Until mf_metrics_init() is called the
 *	other functions do nothing.
 *
 *	The families (DESIGN.md "Metrics"; face is the instance name, "-"
 *	for an unknown instance):
 *	gatepost_messages_total{face,direction,action} with action
 *	accepted, rejected, tempfailed or held, once per message;
 *	gatepost_recipients_total{face,direction} and
 *	gatepost_bytes_total{face,direction} for accepted and held
 *	messages; gatepost_rule_hits_total{face,rule,action,mode} once per
 *	message (or connection) and rule;
 *	gatepost_archive_copies_total{face,direction};
 *	gatepost_config_reloads_total{result} with result ok or error;
 *	gatepost_login_messages_total{face,login}: accepted and held
 *	messages of authenticated clients per SASL login (lower case), at
 *	most MF_LOGIN_SERIES_MAX series, the rest under login="_other";
 *	gatepost_milter_connections (gauge, live connections);
 *	gatepost_milter_connections_refused_total (connections refused
 *	at negotiation because milter.max_connections were open).
 *
 *	All updates are lock-free after the first use of a series and may
 *	come from any thread.
 * SEE ALSO
 *	metrics(3h), gatepost-milter(8)
 */
#ifndef GP_MF_METRICS_H
#define GP_MF_METRICS_H

#include <stddef.h>

#include "cfg.h"
#include "metrics.h"
#include "rule.h"

#define MF_LOGIN_SERIES_MAX	1000	/* per-login series before "_other" */

void	mf_metrics_init(struct metrics *, int serving);
int	mf_metrics_serving(void);
void	mf_metrics_message(const struct cfg_instance *, const char *);
void	mf_metrics_volume(const struct cfg_instance *, unsigned, size_t);
struct metrics_family *mf_metrics_hits(void);
void	mf_metrics_archive(const struct cfg_instance *);
void	mf_metrics_reload(int);
void	mf_metrics_login(const struct cfg_instance *, const char *);
void	mf_metrics_connections(long);
void	mf_metrics_refused(void);

#endif
