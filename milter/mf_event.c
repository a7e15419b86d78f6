/* mf_event.c - the "message" event at end of message (docs/events.md) */
#include "config.h"

#include <string.h>
#include <time.h>

#include "addr.h"
#include "log.h"
#include "mf_event.h"
#include "rule.h"

static void event_rules(struct sbuf *, const struct mf_msg *);
static void event_scans(struct sbuf *, const struct mf_msg *);

/* event_rules - every rule the message hit, once, by name */
static void
event_rules(struct sbuf *b, const struct mf_msg *m)
{
	uint32_t bits = m->memo.counted | m->tags;
	int	 id, n = 0;

	sbuf_puts(b, ",\"rules\":[");
	for (id = 0; id < RULE__COUNT; id++) {
		if (!(bits & (1u << id)))
			continue;
		sbuf_printf(b, "%s\"%s\"", n++ ? "," : "", rule_name(id));
	}
	sbuf_puts(b, "]");
}

/* event_scans - the scanners' verdicts */
static void
event_scans(struct sbuf *b, const struct mf_msg *m)
{
	size_t	 i;

	sbuf_puts(b, ",\"scans\":[");
	for (i = 0; i < m->n_scans; i++) {
		sbuf_printf(b, "%s{\"engine\":\"%s\",\"result\":\"%s\","
		    "\"score\":", i ? "," : "", m->scans[i].engine,
		    m->scans[i].result);
		if (m->scans[i].score[0] != '\0')
			sbuf_json_str(b, m->scans[i].score, 23);
		else
			sbuf_puts(b, "null");
		sbuf_puts(b, "}");
	}
	sbuf_puts(b, "]");
}

/* mf_event_format - the message event */
void
mf_event_format(struct sbuf *b, time_t now, const char *daemon,
    const struct mf_conn *c, const struct mf_msg *m)
{
	const struct facts *f = &m->facts;
	char	 from[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	int	 kept = m->outcome != NULL && (strcmp(m->outcome,
	    "accepted") == 0 || strcmp(m->outcome, "held") == 0);

	log_event_head(b, "message", now, daemon);
	sbuf_puts(b, ",\"queue_id\":");
	if (m->qid[0] != '\0')
		sbuf_json_str(b, m->qid, MF_QID_MAX - 1);
	else
		sbuf_puts(b, "null");
	sbuf_puts(b, ",\"face\":");
	sbuf_json_str(b, c->inst != NULL ? c->inst->name : "-", 100);
	sbuf_printf(b, ",\"direction\":\"%s\",\"client_name\":",
	    c->inst != NULL ? cfg_dir_name(c->inst->dir) : "-");
	sbuf_json_str(b, f->client_name[0] != '\0' ? f->client_name :
	    "unknown", 100);
	sbuf_puts(b, ",\"client_addr\":");
	sbuf_json_str(b, f->client_addr, 100);
	sbuf_puts(b, ",\"sender\":");
	if (f->have_sender && addr_format(&f->sender, from, sizeof(from)) == 0)
		sbuf_json_str(b, from, 100);
	else
		sbuf_json_str(b, f->sender_raw, 100);
	sbuf_puts(b, ",\"sasl_username\":");
	sbuf_json_str(b, f->sasl_user, 100);
	sbuf_printf(b, ",\"recipients\":%u,\"size\":%zu,\"outcome\":\"%s\"",
	    m->n_rcpt, m->bytes, m->outcome != NULL ? m->outcome :
	    "tempfailed");
	event_rules(b, m);
	event_scans(b, m);
	sbuf_puts(b, ",\"disclaimer\":");
	if (m->disclaimer != NULL)
		sbuf_printf(b, "\"%s\"", m->disclaimer);
	else
		sbuf_puts(b, "null");
	sbuf_printf(b, ",\"archive\":%s}", kept && c->inst != NULL &&
	    c->inst->archive_bcc != NULL ? "true" : "false");
}

/* mf_event_message - write the message event when JSON is in force */
void
mf_event_message(const struct mf_conn *c, const struct mf_msg *m)
{
	struct sbuf b;

	if (!log_events_json())
		return;
	sbuf_init(&b);
	mf_event_format(&b, time(NULL), log_ident_name(), c, m);
	log_event(sbuf_str(&b));
	sbuf_free(&b);
}
