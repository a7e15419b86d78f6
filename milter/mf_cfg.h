/*
 * NAME
 *	mf_cfg 3h
 * SUMMARY
 *	the milter's current configuration snapshot and its reload
 * SYNOPSIS
 *	#include "mf_cfg.h"
 * DESCRIPTION
 *	The one piece of shared mutable state (docs/HACKING.md §5): the
 *	current struct cfg, swapped under one mutex.  mf_cfg_set()
 *	publishes a snapshot (consuming the caller's reference) and drops
 *	the old one; connections that pinned the old snapshot keep it
 *	until they close.  mf_cfg_get() returns a new reference to the
 *	current snapshot (NULL before the first mf_cfg_set()); the caller
 *	releases it with cfg_release().
 *
 *	mf_cfg_report() is the cfg_load_report() sink that logs each
 *	error and warning with ctx (a string) as prefix.
 *
 *	mf_cfg_reload() loads path again with cfg_load_report().  A config that
 *	does not load is logged, error by error, and the old snapshot
 *	stays; either way gatepost_config_reloads_total{result} counts it.
 *	Settings that only take effect at start-up (milter.socket,
 *	socket_mode, socket_group, metrics) are reported when they change.
 *	Returns 0 when the new config is in use, -1 otherwise.  Thread
 *	safe; reloads are serialized by the caller (one reload thread).
 * SEE ALSO
 *	cfg(3h), gatepost-milter(8) "SIGNALS"
 */
#ifndef GP_MF_CFG_H
#define GP_MF_CFG_H

#include "cfg.h"

void	mf_cfg_set(struct cfg *);
struct cfg *mf_cfg_get(void);
int	mf_cfg_reload(const char *);
void	mf_cfg_report(void *, enum cfg_report_kind, const char *);

#endif
