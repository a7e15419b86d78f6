/* mf_cfg.c - the current config snapshot, swapped under one mutex */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "mf_cfg.h"
#include "mf_metrics.h"

static int str_changed(const char *, const char *);
static void startup_only(const struct cfg *, const struct cfg *);

static pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cfg *cfg_current;		/* guarded by cfg_lock; owned ref */

/* mf_cfg_set - publish a snapshot (consumes the reference) */
void
mf_cfg_set(struct cfg *cfg)
{
	struct cfg *old;

	(void)pthread_mutex_lock(&cfg_lock);
	old = cfg_current;
	cfg_current = cfg;
	(void)pthread_mutex_unlock(&cfg_lock);
	if (old != NULL)
		cfg_release(old);
}

/* mf_cfg_get - a new reference to the current snapshot */
struct cfg *
mf_cfg_get(void)
{
	struct cfg *cfg;

	(void)pthread_mutex_lock(&cfg_lock);
	cfg = cfg_current != NULL ? cfg_retain(cfg_current) : NULL;
	(void)pthread_mutex_unlock(&cfg_lock);
	return cfg;
}

static int
str_changed(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/* startup_only - warn about settings a reload cannot apply */
static void
startup_only(const struct cfg *old, const struct cfg *new)
{
	if (str_changed(old->milter.socket, new->milter.socket) ||
	    old->milter.socket_mode != new->milter.socket_mode ||
	    str_changed(old->milter.socket_group, new->milter.socket_group))
		log_warn("reload: milter.socket, socket_mode and socket_group "
		    "take effect at the next restart");
	if (str_changed(old->milter.metrics, new->milter.metrics))
		log_warn("reload: milter.metrics takes effect at the next "
		    "restart");
}

/* mf_cfg_report - cfg_load_report() sink: the log; ctx: a prefix */
void
mf_cfg_report(void *ctx, enum cfg_report_kind kind, const char *line)
{
	const char *prefix = ctx;

	if (kind == CFG_REPORT_ERROR)
		log_err("%s%s", prefix, line);
	else
		log_warn("%s%s", prefix, line);
}

/* mf_cfg_reload - load path; publish it only if it is valid */
int
mf_cfg_reload(const char *path)
{
	struct cfg *cfg, *old;

	if ((cfg = cfg_load_report(path, mf_cfg_report, "reload: ")) == NULL) {
		log_err("reload: %s: configuration not loaded; the previous "
		    "one stays in use", path);
		mf_metrics_reload(0);
		return -1;
	}
	if ((old = mf_cfg_get()) != NULL)
		startup_only(old, cfg);
	/* an event file that cannot be opened keeps the old one */
	(void)cfg_event_open(old, cfg);
	cfg_release(old);
	mf_cfg_set(cfg);
	mf_metrics_reload(1);
	log_info("reload: %s: configuration loaded, %zu instance%s", path,
	    cfg->n_inst, cfg->n_inst == 1 ? "" : "s");
	return 0;
}
