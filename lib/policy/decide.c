/* decide.c - the decision line and the per-message rule-hit count */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "decide.h"
#include "log.h"
#include "sbuf.h"

static void log_addr(char *, size_t, int, const struct mailaddr *,
    const char *);

/* log_addr - an envelope address for the log: normalized if it parsed */
static void
log_addr(char *dst, size_t len, int parsed, const struct mailaddr *a,
    const char *raw)
{
	char	 tmp[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	size_t	 n;

	if (parsed && addr_format(a, tmp, sizeof(tmp)) == 0) {
		log_sanitize(dst, len, tmp, 100);
		return;
	}
	if (*raw == '<')
		raw++;
	n = strlen(raw);
	if (n > 0 && raw[n - 1] == '>')
		n--;
	log_sanitize(dst, len, raw, n < 100 ? n : 100);
}

/* decide_log_format - the one decision line of DESIGN.md */
void
decide_log_format(char *buf, size_t len, const char *queue_id,
    const struct cfg_instance *inst, const struct rule_hit *hit,
    const struct facts *f)
{
	char	 qid[32], cname[104], caddr[104], from[104], to[104];
	char	 sasl[104];

	log_sanitize(qid, sizeof(qid),
	    queue_id != NULL && *queue_id != '\0' ? queue_id : "NOQUEUE", 31);
	log_sanitize(cname, sizeof(cname),
	    f->client_name[0] != '\0' ? f->client_name : "unknown", 100);
	log_sanitize(caddr, sizeof(caddr), f->client_addr, 100);
	log_addr(from, sizeof(from), f->have_sender, &f->sender,
	    f->sender_raw);
	log_addr(to, sizeof(to), f->have_rcpt, &f->rcpt, f->rcpt_raw);
	log_sanitize(sasl, sizeof(sasl), f->sasl_user, 100);
	(void)snprintf(buf, len, "%s: instance=%s direction=%s rule=%s "
	    "action=%s mode=%s reason=\"%s\" client=%s[%s] from=<%s> "
	    "to=<%s> sasl=<%s>", qid, inst != NULL ? inst->name : "-",
	    inst != NULL ? cfg_dir_name(inst->dir) : "-",
	    rule_name(hit->rule), cfg_act_name(hit->action),
	    cfg_mode_name(hit->mode), hit->reason, cname, caddr, from, to,
	    sasl);
}

/* json_addr - an envelope address as a JSON string: normalized if parsed */
static void
json_addr(struct sbuf *b, int parsed, const struct mailaddr *a,
    const char *raw)
{
	char	 tmp[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	size_t	 n;

	if (parsed && addr_format(a, tmp, sizeof(tmp)) == 0) {
		sbuf_json_str(b, tmp, 100);
		return;
	}
	if (*raw == '<')
		raw++;
	(void)snprintf(tmp, sizeof(tmp), "%s", raw);
	n = strlen(tmp);
	if (n > 0 && tmp[n - 1] == '>')
		tmp[n - 1] = '\0';
	sbuf_json_str(b, tmp, 100);
}

/* decide_event_format - one decision as a JSON event (docs/events.md) */
void
decide_event_format(struct sbuf *b, time_t now, const char *daemon,
    const char *queue_id, const struct cfg_instance *inst,
    const struct rule_hit *hit, const struct facts *f)
{
	log_event_head(b, "decision", now, daemon);
	sbuf_puts(b, ",\"queue_id\":");
	if (queue_id != NULL && *queue_id != '\0')
		sbuf_json_str(b, queue_id, 31);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"face\":");
	sbuf_json_str(b, inst != NULL ? inst->name : "-", 100);
	sbuf_printf(b, ",\"direction\":\"%s\",\"rule\":\"%s\","
	    "\"action\":\"%s\",\"mode\":\"%s\",\"reason\":",
	    inst != NULL ? cfg_dir_name(inst->dir) : "-",
	    rule_name(hit->rule), cfg_act_name(hit->action),
	    cfg_mode_name(hit->mode));
	sbuf_json_str(b, hit->reason, 200);
	if (hit->code > 0)
		sbuf_printf(b, ",\"reply\":\"%d %s\"", hit->code, hit->dsn);
	else
		sbuf_puts(b, ",\"reply\":null");
	sbuf_puts(b, ",\"client_name\":");
	sbuf_json_str(b, f->client_name[0] != '\0' ? f->client_name :
	    "unknown", 100);
	sbuf_puts(b, ",\"client_addr\":");
	sbuf_json_str(b, f->client_addr, 100);
	sbuf_puts(b, ",\"sender\":");
	json_addr(b, f->have_sender, &f->sender, f->sender_raw);
	sbuf_puts(b, ",\"recipient\":");
	json_addr(b, f->have_rcpt, &f->rcpt, f->rcpt_raw);
	sbuf_puts(b, ",\"sasl_username\":");
	sbuf_json_str(b, f->sasl_user, 100);
	sbuf_puts(b, "}");
}

/* decide_log - format and log: info for decisions, debug for accepts */
void
decide_log(const char *queue_id, const struct cfg_instance *inst,
    const struct rule_hit *hit, const struct facts *f)
{
	char	 buf[LOG_LINE_MAX];
	struct sbuf b;

	if (hit->action == CFG_ACT_ACCEPT && !log_debug_enabled())
		return;
	if (log_events_json()) {
		sbuf_init(&b);
		decide_event_format(&b, time(NULL), log_ident_name(), queue_id,
		    inst, hit, f);
		log_event(sbuf_str(&b));
		sbuf_free(&b);
		/* events in a file of their own: the log keeps its lines */
		if (!log_events_to_file())
			return;
	}
	decide_log_format(buf, sizeof(buf), queue_id, inst, hit, f);
	if (hit->action == CFG_ACT_ACCEPT)
		log_debug("%s", buf);
	else
		log_info("%s", buf);
}

/* decide_hits_family - gatepost_rule_hits_total in a registry */
struct metrics_family *
decide_hits_family(struct metrics *reg)
{
	static const char *const labels[] = { "face", "rule", "action",
	    "mode", NULL };

	if (reg == NULL)
		return NULL;
	return metrics_family(reg, "gatepost_rule_hits_total",
	    "Rule decisions other than accept, once per message and rule",
	    METRICS_COUNTER, labels, NULL, 0);
}

/* decide_new_scope - log every rule's hit again from now on */
void
decide_new_scope(struct decide_memo *memo)
{
	memo->logged = 0;
}

/* decide_report - log each hit once per scope, count once per message */
void
decide_report(struct decide_memo *memo, struct metrics_family *fam,
    const char *queue_id, const struct cfg_instance *inst,
    const struct verdict *v, const struct facts *f)
{
	const char *lv[5];
	uint32_t bit;
	size_t	 i;

	for (i = 0; i < v->n_hit; i++) {
		const struct rule_hit *h = &v->hit[i];

		bit = 1u << h->rule;
		if (!(memo->logged & bit))
			decide_log(queue_id, inst, h, f);
		memo->logged |= bit;
		if (h->action == CFG_ACT_ACCEPT || (memo->counted & bit))
			continue;
		memo->counted |= bit;
		if (fam == NULL)
			continue;
		lv[0] = inst != NULL ? inst->name : "-";
		lv[1] = rule_name(h->rule);
		lv[2] = cfg_act_name(h->action);
		lv[3] = cfg_mode_name(h->mode);
		lv[4] = NULL;
		metrics_inc(fam, lv, 1);
	}
}
