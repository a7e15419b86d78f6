/* gpstats.c - inbound vs outbound: fold the daemons' metrics together */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gpstats.h"
#include "xalloc.h"

#define COL_UNKNOWN	4

struct family {				/* a metric we show, and how */
	const char *name;
	enum gpstats_sec sec;
	const char *keys[3];		/* label names of the row keys */
};

static const struct family families[] = {
	{"gatepost_messages_total", GPS_MESSAGES, {"action", NULL, NULL}},
	{"gatepost_recipients_total", GPS_RECIPIENTS, {NULL, NULL, NULL}},
	{"gatepost_bytes_total", GPS_BYTES, {NULL, NULL, NULL}},
	{"gatepost_archive_copies_total", GPS_ARCHIVE, {NULL, NULL, NULL}},
	{"gatepost_disclaimers_total", GPS_DISCLAIMERS, {"result", NULL,
	    NULL}},
	{"gatepost_scans_total", GPS_SCANS, {"engine", "result", NULL}},
	{"gatepost_policy_requests_total", GPS_REQUESTS, {"reply", NULL,
	    NULL}},
	{"gatepost_rule_hits_total", GPS_RULES, {"rule", "action", "mode"}},
};

static const char *const col_names[GPSTATS_NCOL] = {
	"inbound", "outbound", "internal", "local", "unknown"
};

static int column(const struct gpstats *, const struct prom_sample *);
static int same_key(const char *, const char *);
static void add_row(struct gpstats *, const struct family *,
    const struct prom_sample *);
static void add_note(struct gpstats *, const char *, const char *,
    const char *, double);
static void add_scan_time(struct gpstats *, const struct prom_sample *);

/* gpstats_col_name - a column's name */
const char *
gpstats_col_name(int col)
{
	return col >= 0 && col < GPSTATS_NCOL ? col_names[col] : "unknown";
}

/* gpstats_init - an empty table with the config's directions */
void
gpstats_init(struct gpstats *st, const struct cfg *cfg)
{
	size_t	 i;

	memset(st, 0, sizeof(*st));
	st->cfg = cfg;
	for (i = 0; cfg != NULL && i < cfg->n_inst; i++)
		st->used[cfg->inst[i].dir] = 1;
}

/* column - the direction a sample belongs to */
static int
column(const struct gpstats *st, const struct prom_sample *s)
{
	const char *d = promtext_label(s, "direction");
	const char *f = promtext_label(s, "face");
	size_t	 i;
	int	 c;

	for (c = 0; d != NULL && c < COL_UNKNOWN; c++)
		if (strcmp(d, col_names[c]) == 0)
			return c;
	for (i = 0; f != NULL && st->cfg != NULL && i < st->cfg->n_inst; i++)
		if (strcmp(f, st->cfg->inst[i].name) == 0)
			return (int)st->cfg->inst[i].dir;
	return COL_UNKNOWN;
}

static int
same_key(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static void
add_row(struct gpstats *st, const struct family *f,
    const struct prom_sample *s)
{
	const char *k[3];
	struct gpstats_row *r = NULL;
	size_t	 i;
	int	 j, col = column(st, s);

	for (j = 0; j < 3; j++) {
		k[j] = f->keys[j] != NULL ? promtext_label(s, f->keys[j]) :
		    NULL;
		if (f->keys[j] != NULL && k[j] == NULL)
			k[j] = "";
	}
	for (i = 0; i < st->n_rows && r == NULL; i++)
		if (st->rows[i].sec == f->sec && same_key(st->rows[i].k[0],
		    k[0]) && same_key(st->rows[i].k[1], k[1]) &&
		    same_key(st->rows[i].k[2], k[2]))
			r = &st->rows[i];
	if (r == NULL) {
		st->rows = xreallocarray(st->rows, st->n_rows + 1,
		    sizeof(st->rows[0]));
		r = &st->rows[st->n_rows++];
		memset(r, 0, sizeof(*r));
		r->sec = f->sec;
		for (j = 0; j < 3; j++)
			r->k[j] = k[j] != NULL ? xstrdup(k[j]) : NULL;
	}
	r->v[col] += s->value;
	st->used[col] = 1;
}

static void
add_note(struct gpstats *st, const char *source, const char *kind,
    const char *name, double v)
{
	struct gpstats_note *n;
	size_t	 i;

	for (i = 0; i < st->n_notes; i++) {
		n = &st->notes[i];
		if (strcmp(n->source, source) == 0 && strcmp(n->kind, kind) ==
		    0 && strcmp(n->name, name) == 0) {
			n->v += v;
			return;
		}
	}
	st->notes = xreallocarray(st->notes, st->n_notes + 1,
	    sizeof(st->notes[0]));
	n = &st->notes[st->n_notes++];
	n->source = xstrdup(source);
	n->kind = xstrdup(kind);
	n->name = xstrdup(name);
	n->v = v;
}

static void
add_scan_time(struct gpstats *st, const struct prom_sample *s)
{
	const char *e = promtext_label(s, "engine");
	struct gpstats_scan *sc = NULL;
	size_t	 i;
	int	 sum = strcmp(s->name, "gatepost_scan_seconds_sum") == 0;

	if (e == NULL)
		return;
	for (i = 0; i < st->n_scans && sc == NULL; i++)
		if (strcmp(st->scans[i].engine, e) == 0)
			sc = &st->scans[i];
	if (sc == NULL) {
		st->scans = xreallocarray(st->scans, st->n_scans + 1,
		    sizeof(st->scans[0]));
		sc = &st->scans[st->n_scans++];
		sc->engine = xstrdup(e);
		sc->sum = 0;
		sc->count = 0;
	}
	if (sum)
		sc->sum += s->value;
	else
		sc->count += s->value;
}

/* gpstats_add - fold one daemon's samples in */
void
gpstats_add(struct gpstats *st, const char *source,
    const struct prom_samples *in)
{
	const struct prom_sample *s;
	const char *r;
	size_t	 i, j;

	for (i = 0; i < in->n; i++) {
		s = &in->v[i];
		for (j = 0; j < sizeof(families) / sizeof(families[0]); j++)
			if (strcmp(s->name, families[j].name) == 0)
				add_row(st, &families[j], s);
		if (strcmp(s->name, "gatepost_config_reloads_total") == 0 &&
		    (r = promtext_label(s, "result")) != NULL)
			add_note(st, source, "config_reloads", r, s->value);
		else if (strcmp(s->name, "gatepost_ratelimit_keys") == 0 ||
		    strcmp(s->name, "gatepost_milter_connections") == 0)
			add_note(st, source, "gauges", s->name, s->value);
		else if (strcmp(s->name, "gatepost_scan_seconds_sum") == 0 ||
		    strcmp(s->name, "gatepost_scan_seconds_count") == 0)
			add_scan_time(st, s);
	}
}

/* gpstats_free - release the table */
void
gpstats_free(struct gpstats *st)
{
	size_t	 i;
	int	 j;

	for (i = 0; i < st->n_rows; i++)
		for (j = 0; j < 3; j++)
			free(st->rows[i].k[j]);
	for (i = 0; i < st->n_notes; i++) {
		free(st->notes[i].source);
		free(st->notes[i].kind);
		free(st->notes[i].name);
	}
	for (i = 0; i < st->n_scans; i++)
		free(st->scans[i].engine);
	free(st->rows);
	free(st->notes);
	free(st->scans);
	memset(st, 0, sizeof(*st));
}
