/* mf_metrics.c - the milter's metric families */
#include "config.h"

#include <ctype.h>
#include <stdint.h>

#include "decide.h"
#include "mf_disclaimer.h"
#include "mf_metrics.h"
#include "mf_scan.h"

/*
 * Written once by mf_metrics_init() before any thread exists and only
 * read afterwards (docs/HACKING.md §5); the counters are atomics.
 */
static struct {
	int	 serving;
	struct metrics_family *messages;
	struct metrics_family *rcpts;
	struct metrics_family *bytes;
	struct metrics_family *hits;
	struct metrics_family *archive;
	struct metrics_family *reloads;
	struct metrics_family *logins;
	struct metrics_series *conns;
	struct metrics_series *refused;
} fam;

static const char *const l_msg[] = {"face", "direction", "action", NULL};
static const char *const l_face[] = {"face", "direction", NULL};
static const char *const l_result[] = {"result", NULL};
static const char *const l_login[] = {"face", "login", NULL};
static const char *const l_none[] = {NULL};

static const char *face(const struct cfg_instance *);
static const char *dir(const struct cfg_instance *);

/* mf_metrics_init - register the families; once, before threads */
void
mf_metrics_init(struct metrics *reg, int serving)
{
	fam.serving = serving;
	fam.messages = metrics_family(reg, "gatepost_messages_total",
	    "Messages by face, direction and what happened to them",
	    METRICS_COUNTER, l_msg, NULL, 0);
	fam.rcpts = metrics_family(reg, "gatepost_recipients_total",
	    "Recipients of accepted and held messages", METRICS_COUNTER,
	    l_face, NULL, 0);
	fam.bytes = metrics_family(reg, "gatepost_bytes_total",
	    "Bytes of accepted and held messages (header and body)",
	    METRICS_COUNTER, l_face, NULL, 0);
	fam.hits = decide_hits_family(reg);
	fam.archive = metrics_family(reg, "gatepost_archive_copies_total",
	    "Archive copies added as envelope recipients", METRICS_COUNTER,
	    l_face, NULL, 0);
	fam.reloads = metrics_family(reg, "gatepost_config_reloads_total",
	    "Configuration reloads by result", METRICS_COUNTER, l_result,
	    NULL, 0);
	fam.logins = metrics_family(reg, "gatepost_login_messages_total",
	    "Messages queued per SASL login (accepted and held); logins past "
	    "the cap count under login=\"_other\"", METRICS_COUNTER, l_login,
	    NULL, 0);
	(void)metrics_family_cap_label(fam.logins, MF_LOGIN_SERIES_MAX,
	    "login", "_other");
	fam.conns = metrics_series(metrics_family(reg,
	    "gatepost_milter_connections", "Milter connections open now",
	    METRICS_GAUGE, l_none, NULL, 0), NULL);
	fam.refused = metrics_series(metrics_family(reg,
	    "gatepost_milter_connections_refused_total", "Milter connections "
	    "refused at negotiation: milter.max_connections were open",
	    METRICS_COUNTER, l_none, NULL, 0), NULL);
	mf_scan_init(reg);		/* gatepost_scans_total, _scan_seconds */
	mf_disclaimer_init(reg);	/* gatepost_disclaimers_total */
}

/* mf_metrics_serving - is /metrics up (bytes are then counted) */
int
mf_metrics_serving(void)
{
	return fam.serving;
}

static const char *
face(const struct cfg_instance *inst)
{
	return inst != NULL ? inst->name : "-";
}

static const char *
dir(const struct cfg_instance *inst)
{
	return inst != NULL ? cfg_dir_name(inst->dir) : "-";
}

/* mf_metrics_message - one message's outcome */
void
mf_metrics_message(const struct cfg_instance *inst, const char *action)
{
	const char *v[] = {face(inst), dir(inst), action};

	if (fam.messages != NULL)
		metrics_inc(fam.messages, v, 1);
}

/* mf_metrics_volume - recipients and bytes of a queued message */
void
mf_metrics_volume(const struct cfg_instance *inst, unsigned rcpts,
    size_t bytes)
{
	const char *v[] = {face(inst), dir(inst)};

	if (fam.rcpts == NULL)
		return;
	metrics_inc(fam.rcpts, v, rcpts);
	metrics_inc(fam.bytes, v, (uint64_t)bytes);
}

/*
 * mf_metrics_login - one queued message of an authenticated client, so
 * that a compromised account's surge shows per login; logins are
 * compared case-insensitively (as send_as does), so counted lower-case,
 * cut at 100 bytes.
 */
void
mf_metrics_login(const struct cfg_instance *inst, const char *login)
{
	char	 low[101];
	size_t	 i;
	const char *v[] = {face(inst), low};

	if (fam.logins == NULL || login == NULL || *login == '\0')
		return;
	for (i = 0; login[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)login[i]);
	low[i] = '\0';
	metrics_inc(fam.logins, v, 1);
}

/* mf_metrics_hits - gatepost_rule_hits_total (decide(3h) counts) */
struct metrics_family *
mf_metrics_hits(void)
{
	return fam.hits;
}

/* mf_metrics_archive - one archive copy */
void
mf_metrics_archive(const struct cfg_instance *inst)
{
	const char *v[] = {face(inst), dir(inst)};

	if (fam.archive != NULL)
		metrics_inc(fam.archive, v, 1);
}

/* mf_metrics_reload - one configuration reload */
void
mf_metrics_reload(int ok)
{
	const char *v[] = {ok ? "ok" : "error"};

	if (fam.reloads != NULL)
		metrics_inc(fam.reloads, v, 1);
}

/* mf_metrics_refused - one connection over milter.max_connections */
void
mf_metrics_refused(void)
{
	if (fam.refused != NULL)
		metrics_add(fam.refused, 1);
}

/* mf_metrics_connections - the live connection gauge */
void
mf_metrics_connections(long n)
{
	if (fam.conns != NULL)
		metrics_set(fam.conns, n);
}
