/* ctl_report_out.c - gatepostctl report as a table, CSV or JSON */
#include "config.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "ctl_report.h"
#include "mlog.h"

static void table_periods(FILE *, const struct ctl_report_view *);
static void table_totals(FILE *, const struct ctl_report_view *);
static void table_rates(FILE *, const struct ctl_report_view *);
static void table_rejects(FILE *, const struct ctl_report_view *);
static void fmt_period(const struct ctl_report_view *, int64_t, char *,
	    size_t);
static json_t *json_counts(const struct report_counts *);
static json_t *json_summary(const struct ctl_report_view *, int);
static json_t *json_time(int64_t);
static void table_events(FILE *, const struct evlog *);
static json_t *json_events(const struct evlog *);

/* ctl_report_shown - inbound and outbound always, others with traffic */
int
ctl_report_shown(const struct ctl_report_view *v, int d)
{
	return d == REPORT_INBOUND || d == REPORT_OUTBOUND ||
	    v->s[d].total.messages > 0 || v->s[d].total.rejects > 0;
}

/* fmt_period - a period's start as the table shows it */
static void
fmt_period(const struct ctl_report_view *v, int64_t t, char *buf,
    size_t len)
{
	mlog_fmt(t, v->by >= 86400 ? MLOG_FMT_DAY : MLOG_FMT_MINUTE, buf,
	    len);
}

/* ctl_report_table - the report for a terminal */
int
ctl_report_table(FILE *fp, const struct ctl_report_view *v)
{
	const struct report_stats *st = report_stats(v->r);
	char	 a[32], b[32];

	if (st->first > st->last)
		(void)fprintf(fp, "No Postfix traffic in the logs");
	else {
		mlog_fmt(st->first, MLOG_FMT_MINUTE, a, sizeof(a));
		mlog_fmt(st->last, MLOG_FMT_MINUTE, b, sizeof(b));
		(void)fprintf(fp, "Postfix traffic from %s to %s", a, b);
	}
	(void)fprintf(fp, " (by %s)\n\n", v->by >= 86400 ? "day" : "hour");
	table_periods(fp, v);
	table_totals(fp, v);
	table_rates(fp, v);
	table_rejects(fp, v);
	table_events(fp, v->ev);
	(void)fprintf(fp, "lines: %" PRIu64 " read, %" PRIu64 " Postfix, %"
	    PRIu64 " other programs, %" PRIu64 " unparseable\n"
	    "messages: %" PRIu64 " re-injections (content filter) counted "
	    "once, %" PRIu64 " with their arrival not in the logs\n",
	    st->lines, st->postfix, st->foreign, st->unparseable,
	    st->reinjected, st->no_origin);
	return ferror(fp) ? -1 : 0;
}

/* table_events - gatepost's events: messages and rules per direction */
static void
table_events(FILE *fp, const struct evlog *ev)
{
	const struct evlog_counts *c;
	const struct evlog_rule *r;
	size_t	 i, n;
	int	 d;

	if (ev == NULL || evlog_events(ev) == 0)
		return;
	c = evlog_counts(ev);
	(void)fprintf(fp, "gatepost events (%" PRIu64 ", %" PRIu64 " config; "
	    "message events joined with decisions by queue id)\n"
	    "%-10s %10s %10s %10s %10s %12s %12s %14s\n", evlog_events(ev),
	    evlog_configs(ev), "direction", "accepted", "held", "rejected",
	    "tempfailed", "recipients", "bytes", "decisions-only");
	for (d = 0; d < EVLOG_NDIR; d++)
		(void)fprintf(fp, "%-10s %10" PRIu64 " %10" PRIu64 " %10" PRIu64
		    " %10" PRIu64 " %12" PRIu64 " %12" PRIu64 " %14" PRIu64 "\n",
		    evlog_dir_name(d), c[d].messages[EVLOG_ACCEPTED],
		    c[d].messages[EVLOG_HELD], c[d].messages[EVLOG_REJECTED],
		    c[d].messages[EVLOG_TEMPFAILED], c[d].recipients,
		    c[d].bytes, c[d].decisions_only);
	r = evlog_rules(ev, &n);
	if (n > 0)
		(void)fprintf(fp, "\n%-10s %-30s %-10s %-10s %10s\n", "direction",
		    "rule", "counted", "action", "count");
	/* queued: messages with the rule; else refusals before queueing */
	for (i = 0; i < n; i++)
		(void)fprintf(fp, "%-10s %-30s %-10s %-10s %10" PRIu64 "\n",
		    evlog_dir_name(r[i].dir), r[i].rule, r[i].queued ?
		    "messages" : "NOQUEUE", r[i].queued ? "-" : r[i].action,
		    r[i].count);
	(void)fputc('\n', fp);
}

/* json_events - the same as JSON */
static json_t *
json_events(const struct evlog *ev)
{
	const struct evlog_counts *c = evlog_counts(ev);
	const struct evlog_rule *r;
	json_t	*dirs = json_object(), *rules = json_array(), *o;
	size_t	 i, n;
	int	 d, k;

	for (d = 0; d < EVLOG_NDIR; d++) {
		o = json_pack("{sI sI sI}", "recipients",
		    (json_int_t)c[d].recipients, "bytes",
		    (json_int_t)c[d].bytes, "decisions_only",
		    (json_int_t)c[d].decisions_only);
		for (k = 0; k < EVLOG_NOUTCOME; k++)
			(void)json_object_set_new(o, evlog_outcome_name(k),
			    json_integer((json_int_t)c[d].messages[k]));
		(void)json_object_set_new(dirs, evlog_dir_name(d), o);
	}
	r = evlog_rules(ev, &n);
	for (i = 0; i < n; i++)
		(void)json_array_append_new(rules, json_pack("{ss ss so sI}",
		    "direction", evlog_dir_name(r[i].dir), "rule", r[i].rule,
		    "action", r[i].action != NULL ? json_string(r[i].action) :
		    json_null(), "count", (json_int_t)r[i].count));
	return json_pack("{sI sI so so}", "events",
	    (json_int_t)evlog_events(ev), "config",
	    (json_int_t)evlog_configs(ev), "directions", dirs, "rules", rules);
}

/* table_periods - messages per period and direction */
static void
table_periods(FILE *fp, const struct ctl_report_view *v)
{
	char	 t[32];
	size_t	 i;
	int	 d;

	(void)fprintf(fp, "%-16s", "messages");
	for (d = 0; d < REPORT_NDIR; d++)
		if (ctl_report_shown(v, d))
			(void)fprintf(fp, " %10s", report_dir_name(d));
	(void)fprintf(fp, "\n");
	for (i = 0; i < v->n_p; i++) {
		fmt_period(v, v->p[i].start, t, sizeof(t));
		(void)fprintf(fp, "%-16s", t);
		for (d = 0; d < REPORT_NDIR; d++)
			if (ctl_report_shown(v, d))
				(void)fprintf(fp, " %10" PRIu64,
				    v->p[i].c[d].messages);
		(void)fprintf(fp, "\n");
	}
	(void)fprintf(fp, "\n");
}

/* table_totals - totals per direction */
static void
table_totals(FILE *fp, const struct ctl_report_view *v)
{
	const struct report_counts *c;
	int	 d;

	(void)fprintf(fp, "%-10s %10s %8s %11s %14s %9s\n", "total",
	    "messages", "held", "recipients", "bytes", "rejects");
	for (d = 0; d < REPORT_NDIR; d++) {
		if (!ctl_report_shown(v, d))
			continue;
		c = &v->s[d].total;
		(void)fprintf(fp, "%-10s %10" PRIu64 " %8" PRIu64 " %11" PRIu64
		    " %14" PRIu64 " %9" PRIu64 "\n", report_dir_name(d),
		    c->messages, c->held, c->recipients, c->bytes, c->rejects);
	}
	(void)fprintf(fp, "\n");
}

/* table_rates - busiest hour and growth per direction */
static void
table_rates(FILE *fp, const struct ctl_report_view *v)
{
	const struct report_summary *s;
	char	 t[32], a[32], b[32], g[96];
	int	 d;

	(void)fprintf(fp, "%-10s %-16s %8s %8s  %s\n", "peak hour", "start",
	    "msg/h", "msg/s", "growth (first to last period)");
	for (d = 0; d < REPORT_NDIR; d++) {
		if (!ctl_report_shown(v, d))
			continue;
		s = &v->s[d];
		if (s->peak_messages > 0)
			mlog_fmt(s->peak_start, MLOG_FMT_MINUTE, t, sizeof(t));
		else
			(void)snprintf(t, sizeof(t), "-");
		if (s->has_growth) {
			fmt_period(v, s->growth_first, a, sizeof(a));
			fmt_period(v, s->growth_last, b, sizeof(b));
			/* no "-0.0%" for a rounding error */
			(void)snprintf(g, sizeof(g), "%+.1f%% (%s to %s)",
			    s->growth > -0.05 && s->growth < 0.05 ? 0.0 :
			    s->growth, a, b);
		} else
			(void)snprintf(g, sizeof(g), "n/a");
		(void)fprintf(fp, "%-10s %-16s %8" PRIu64 " %8.3f  %s\n",
		    report_dir_name(d), t, s->peak_messages,
		    (double)s->peak_messages / 3600, g);
	}
	(void)fprintf(fp, "\n");
}

/* table_rejects - rejects by reason */
static void
table_rejects(FILE *fp, const struct ctl_report_view *v)
{
	const struct report_reason *rs;
	size_t	 i, n;

	rs = report_reasons(v->r, &n);
	if (n == 0) {
		(void)fprintf(fp, "rejects by reason: none\n\n");
		return;
	}
	(void)fprintf(fp, "%-10s %8s  %-10s %s\n", "rejects", "count", "code",
	    "reason");
	for (i = 0; i < n; i++)
		(void)fprintf(fp, "%-10s %8" PRIu64 "  %-10s %s\n",
		    report_dir_name(rs[i].dir), rs[i].count,
		    rs[i].code[0] != '\0' ? rs[i].code : "-", rs[i].text);
	(void)fprintf(fp, "\n");
}

/* ctl_report_csv - one row per period and shown direction */
int
ctl_report_csv(FILE *fp, const struct ctl_report_view *v)
{
	const struct report_counts *c;
	char	 t[32];
	size_t	 i;
	int	 d;

	(void)fprintf(fp, "period,direction,messages,held,recipients,bytes,"
	    "rejects\n");
	for (i = 0; i < v->n_p; i++) {
		mlog_fmt(v->p[i].start, MLOG_FMT_ISO, t, sizeof(t));
		for (d = 0; d < REPORT_NDIR; d++) {
			if (!ctl_report_shown(v, d))
				continue;
			c = &v->p[i].c[d];
			(void)fprintf(fp, "%s,%s,%" PRIu64 ",%" PRIu64 ",%"
			    PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", t,
			    report_dir_name(d), c->messages, c->held,
			    c->recipients, c->bytes, c->rejects);
		}
	}
	return ferror(fp) ? -1 : 0;
}

/* json_time - an ISO civil time, or null when unbounded */
static json_t *
json_time(int64_t t)
{
	char	 buf[32];

	if (t == INT64_MIN || t == INT64_MAX)
		return json_null();
	mlog_fmt(t, MLOG_FMT_ISO, buf, sizeof(buf));
	return json_string(buf);
}

/* json_counts - one set of counters */
static json_t *
json_counts(const struct report_counts *c)
{
	return json_pack("{sI sI sI sI sI}", "messages",
	    (json_int_t)c->messages, "held", (json_int_t)c->held,
	    "recipients", (json_int_t)c->recipients, "bytes",
	    (json_int_t)c->bytes, "rejects", (json_int_t)c->rejects);
}

/* json_summary - a direction's totals, busiest hour and growth */
static json_t *
json_summary(const struct ctl_report_view *v, int d)
{
	const struct report_summary *s = &v->s[d];
	json_t	*o = json_counts(&s->total);

	if (s->peak_messages > 0)
		(void)json_object_set_new(o, "peak_hour", json_pack(
		    "{so sI sf}", "start", json_time(s->peak_start),
		    "messages", (json_int_t)s->peak_messages, "per_second",
		    (double)s->peak_messages / 3600));
	else
		(void)json_object_set_new(o, "peak_hour", json_null());
	if (s->has_growth)
		(void)json_object_set_new(o, "growth", json_pack(
		    "{sf so so}", "percent", s->growth, "first",
		    json_time(s->growth_first), "last",
		    json_time(s->growth_last)));
	else
		(void)json_object_set_new(o, "growth", json_null());
	return o;
}

/* ctl_report_json - everything, for scripts */
int
ctl_report_json(FILE *fp, const struct ctl_report_view *v)
{
	const struct report_stats *st = report_stats(v->r);
	const struct report_reason *rs;
	json_t	*root, *dirs, *periods, *p, *rej;
	size_t	 i, n;
	int	 d, rc;

	dirs = json_object();
	for (d = 0; d < REPORT_NDIR; d++)
		(void)json_object_set_new(dirs, report_dir_name(d),
		    json_summary(v, d));
	periods = json_array();
	for (i = 0; i < v->n_p; i++) {
		p = json_pack("{so}", "start", json_time(v->p[i].start));
		for (d = 0; d < REPORT_NDIR; d++)
			(void)json_object_set_new(p, report_dir_name(d),
			    json_counts(&v->p[i].c[d]));
		(void)json_array_append_new(periods, p);
	}
	rej = json_array();
	rs = report_reasons(v->r, &n);
	for (i = 0; i < n; i++)
		(void)json_array_append_new(rej, json_pack("{ss ss ss sI}",
		    "direction", report_dir_name(rs[i].dir), "code",
		    rs[i].code, "reason", rs[i].text, "count",
		    (json_int_t)rs[i].count));
	root = json_pack("{ss so so so so s{sI sI sI sI} s{sI sI} so so so}",
	    "by", v->by >= 86400 ? "day" : "hour",
	    "from", json_time(v->from), "to", json_time(v->to),
	    "first", json_time(st->first <= st->last ? st->first : INT64_MIN),
	    "last", json_time(st->first <= st->last ? st->last : INT64_MIN),
	    "lines", "read", (json_int_t)st->lines, "postfix",
	    (json_int_t)st->postfix, "other_programs", (json_int_t)st->foreign,
	    "unparseable", (json_int_t)st->unparseable,
	    "messages", "reinjected", (json_int_t)st->reinjected, "no_origin",
	    (json_int_t)st->no_origin,
	    "directions", dirs, "periods", periods, "rejects", rej);
	if (root == NULL)
		return -1;
	if (v->ev != NULL && evlog_events(v->ev) > 0)
		(void)json_object_set_new(root, "events", json_events(v->ev));
	rc = json_dumpf(root, fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	(void)fputc('\n', fp);
	return rc != 0 || ferror(fp) ? -1 : 0;
}
