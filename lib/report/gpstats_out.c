/* gpstats_out.c - the side-by-side table as text and as JSON */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpstats.h"
#include "sbuf.h"
#include "xalloc.h"

#define COL_WIDTH	12

static const char *const sec_title[GPS_NSEC] = {
	"messages", "recipients", "bytes", "archive copies", "disclaimers",
	"spam and virus scans", "policy requests", "rule decisions"
};
static const char *const sec_key[GPS_NSEC] = {
	"messages", "recipients", "bytes", "archive_copies", "disclaimers",
	"scans", "policy_requests", "rule_decisions"
};

static int rank(const struct gpstats_row *);
static int cmp_str(const char *, const char *);
static int cmp_rows(const void *, const void *);
static const struct gpstats_row **sorted(const struct gpstats *);
static void label(const struct gpstats_row *, char *, size_t);
static void number(struct sbuf *, double);
static void notes_text(const struct gpstats *, struct sbuf *);
static const char *gauge_name(const char *);
static void source_notes(const struct gpstats *, const char *, struct sbuf *);
static json_t *dir_json(const struct gpstats *, const struct gpstats_row **,
    int);
static void row_json(json_t *, const struct gpstats_row *, double);
static json_t *notes_json(const struct gpstats *, const char *);
static json_t *num(double);

/* rank - known items in their natural order, the rest alphabetical */
static int
rank(const struct gpstats_row *r)
{
	static const char *const msg[] = { "accepted", "held", "rejected",
		"tempfailed", NULL };
	static const char *const req[] = { "dunno", "prepend", "hold",
		"defer", "reject", NULL };
	const char *const *l = r->sec == GPS_MESSAGES ? msg :
	    r->sec == GPS_REQUESTS ? req : NULL;
	int	 i;

	for (i = 0; l != NULL && l[i] != NULL; i++)
		if (r->k[0] != NULL && strcmp(r->k[0], l[i]) == 0)
			return i;
	return 99;
}

static int
cmp_str(const char *a, const char *b)
{
	return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
cmp_rows(const void *pa, const void *pb)
{
	const struct gpstats_row *a = *(const struct gpstats_row *const *)pa;
	const struct gpstats_row *b = *(const struct gpstats_row *const *)pb;
	int	 c;

	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (rank(a) != rank(b))
		return rank(a) < rank(b) ? -1 : 1;
	if ((c = cmp_str(a->k[0], b->k[0])) != 0 ||
	    (c = cmp_str(a->k[1], b->k[1])) != 0)
		return c;
	return cmp_str(a->k[2], b->k[2]);
}

static const struct gpstats_row **
sorted(const struct gpstats *st)
{
	const struct gpstats_row **v;
	size_t	 i;

	v = xcalloc(st->n_rows + 1, sizeof(v[0]));
	for (i = 0; i < st->n_rows; i++)
		v[i] = &st->rows[i];
	qsort(v, st->n_rows, sizeof(v[0]), cmp_rows);
	return v;
}

/* label - the row's text: "  rule action (monitor)" */
static void
label(const struct gpstats_row *r, char *buf, size_t len)
{
	if (r->k[0] == NULL)
		(void)snprintf(buf, len, "%s", sec_title[r->sec]);
	else
		(void)snprintf(buf, len, "  %s%s%s%s", r->k[0],
		    r->k[1] != NULL ? " " : "", r->k[1] != NULL ? r->k[1] : "",
		    r->k[2] != NULL && strcmp(r->k[2], "monitor") == 0 ?
		    " (monitor)" : "");
}

static void
number(struct sbuf *b, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		sbuf_printf(b, " %*.0f", COL_WIDTH - 1, v);
	else
		sbuf_printf(b, " %*.3f", COL_WIDTH - 1, v);
}

/* gauge_name - a gauge as the table names it */
static const char *
gauge_name(const char *metric)
{
	if (strcmp(metric, "gatepost_ratelimit_keys") == 0)
		return "rate-limit keys";
	if (strcmp(metric, "gatepost_milter_connections") == 0)
		return "connections open";
	return metric;
}

/* source_notes - "SOURCE: config reloads: ok N, error N; gauge N" */
static void
source_notes(const struct gpstats *st, const char *src, struct sbuf *b)
{
	const struct gpstats_note *n;
	size_t	 i;
	int	 reloads = 0;

	sbuf_printf(b, "%s:", src);
	for (i = 0; i < st->n_notes; i++) {
		n = &st->notes[i];
		if (strcmp(n->source, src) == 0 &&
		    strcmp(n->kind, "config_reloads") == 0)
			sbuf_printf(b, "%s %s %.0f", reloads++ ? "," :
			    " config reloads:", n->name, n->v);
	}
	for (i = 0; i < st->n_notes; i++) {
		n = &st->notes[i];
		if (strcmp(n->source, src) == 0 &&
		    strcmp(n->kind, "gauges") == 0)
			sbuf_printf(b, "%s %s %.0f", reloads++ ? ";" : "",
			    gauge_name(n->name), n->v);
	}
	sbuf_puts(b, "\n");
}

static void
notes_text(const struct gpstats *st, struct sbuf *b)
{
	size_t	 i, j;

	for (i = 0; i < st->n_notes; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(st->notes[j].source, st->notes[i].source) ==
			    0)
				break;
		if (j == i)
			source_notes(st, st->notes[i].source, b);
	}
	for (i = 0; i < st->n_scans; i++)
		sbuf_printf(b, "scan time: %s %.0f scans, average %.3f s\n",
		    st->scans[i].engine, st->scans[i].count,
		    st->scans[i].count > 0 ? st->scans[i].sum /
		    st->scans[i].count : 0.0);
}

/* gpstats_table - the table as text */
char *
gpstats_table(const struct gpstats *st)
{
	const struct gpstats_row **v = sorted(st);
	struct sbuf b;
	char	 l[256];
	size_t	 i, w = 24;
	int	 c, last = -1;

	for (i = 0; i < st->n_rows; i++) {
		label(v[i], l, sizeof(l));
		if (strlen(l) > w)
			w = strlen(l);
	}
	sbuf_init(&b);
	sbuf_printf(&b, "%-*s", (int)w, "");
	for (c = 0; c < GPSTATS_NCOL; c++)
		if (st->used[c])
			sbuf_printf(&b, " %*s", COL_WIDTH - 1,
			    gpstats_col_name(c));
	sbuf_puts(&b, "\n");
	for (i = 0; i < st->n_rows; i++) {
		if (v[i]->k[0] != NULL && (int)v[i]->sec != last)
			sbuf_printf(&b, "%s\n", sec_title[v[i]->sec]);
		last = (int)v[i]->sec;
		label(v[i], l, sizeof(l));
		sbuf_printf(&b, "%-*s", (int)w, l);
		for (c = 0; c < GPSTATS_NCOL; c++)
			if (st->used[c])
				number(&b, v[i]->v[c]);
		sbuf_puts(&b, "\n");
	}
	if (st->n_rows == 0)
		sbuf_puts(&b, "(no mail counted yet)\n");
	if (st->n_notes > 0 || st->n_scans > 0)
		sbuf_puts(&b, "\n");
	notes_text(st, &b);
	free(v);
	return sbuf_take(&b);
}

/* num - a JSON integer when the value is one */
static json_t *
num(double v)
{
	if (v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	return json_real(v);
}

/* row_json - one row's value in a direction's object */
static void
row_json(json_t *d, const struct gpstats_row *r, double v)
{
	json_t	*o = json_object_get(d, sec_key[r->sec]), *sub;

	if (r->sec == GPS_RULES) {
		(void)json_array_append_new(o, json_pack("{s:s, s:s, s:s, s:o}",
		    "rule", r->k[0], "action", r->k[1] != NULL ? r->k[1] : "",
		    "mode", r->k[2] != NULL ? r->k[2] : "", "count", num(v)));
	} else if (r->k[0] == NULL) {
		(void)json_object_set_new(d, sec_key[r->sec], num(v));
	} else if (r->k[1] == NULL) {
		(void)json_object_set_new(o, r->k[0], num(v));
	} else {
		if ((sub = json_object_get(o, r->k[0])) == NULL) {
			sub = json_object();
			(void)json_object_set_new(o, r->k[0], sub);
		}
		(void)json_object_set_new(sub, r->k[1], num(v));
	}
}

static json_t *
dir_json(const struct gpstats *st, const struct gpstats_row **v, int c)
{
	json_t	*d = json_object();
	size_t	 i;
	int	 s;

	for (s = 0; s < GPS_NSEC; s++)
		(void)json_object_set_new(d, sec_key[s], s == GPS_RULES ?
		    json_array() : s == GPS_RECIPIENTS || s == GPS_BYTES ||
		    s == GPS_ARCHIVE ? json_integer(0) : json_object());
	for (i = 0; i < st->n_rows; i++)
		row_json(d, v[i], v[i]->v[c]);
	return d;
}

static json_t *
notes_json(const struct gpstats *st, const char *kind)
{
	json_t	*o = json_object(), *src;
	size_t	 i;

	for (i = 0; i < st->n_notes; i++) {
		if (strcmp(st->notes[i].kind, kind) != 0)
			continue;
		if ((src = json_object_get(o, st->notes[i].source)) == NULL) {
			src = json_object();
			(void)json_object_set_new(o, st->notes[i].source, src);
		}
		(void)json_object_set_new(src, st->notes[i].name,
		    num(st->notes[i].v));
	}
	return o;
}

/* gpstats_json - the table as a JSON object (a new reference) */
json_t *
gpstats_json(const struct gpstats *st)
{
	const struct gpstats_row **v = sorted(st);
	json_t	*root = json_object(), *dirs = json_object(), *sc;
	size_t	 i;
	int	 c;

	for (c = 0; c < GPSTATS_NCOL; c++)
		if (st->used[c])
			(void)json_object_set_new(dirs, gpstats_col_name(c),
			    dir_json(st, v, c));
	(void)json_object_set_new(root, "directions", dirs);
	(void)json_object_set_new(root, "config_reloads",
	    notes_json(st, "config_reloads"));
	(void)json_object_set_new(root, "gauges", notes_json(st, "gauges"));
	sc = json_object();
	for (i = 0; i < st->n_scans; i++)
		(void)json_object_set_new(sc, st->scans[i].engine,
		    json_pack("{s:o, s:f}", "count", num(st->scans[i].count),
		    "sum", st->scans[i].sum));
	(void)json_object_set_new(root, "scan_seconds", sc);
	free(v);
	return root;
}
