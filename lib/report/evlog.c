/* evlog.c - gatepost's JSON events, joined by queue id (docs/events.md) */
#include "config.h"

#include <glib.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "evlog.h"
#include "xalloc.h"

#define EV_RULES_MAX	16		/* distinct rules kept per message */

struct evmsg {				/* one queue id */
	int	 dir;
	int	 has_message;		/* its message event was seen */
	char	*rules[EV_RULES_MAX];	/* owned, distinct */
	size_t	 n_rules;
};

struct evlog {
	GHashTable *msgs;		/* queue id -> struct evmsg */
	GHashTable *rows;		/* "dir\trule\taction" -> count */
	struct evlog_counts c[EVLOG_NDIR];
	struct evlog_rule *r;		/* owned, after evlog_end() */
	size_t	 n_r;
	uint64_t events, configs;
};

static int dir_index(const char *);
static const char *str(json_t *, const char *);
static void add_rule(struct evmsg *, const char *);
static struct evmsg *msg_get(struct evlog *, const char *, int);
static void on_decision(struct evlog *, json_t *);
static void on_message(struct evlog *, json_t *);
static void row_add(struct evlog *, int, const char *, const char *,
    uint64_t);
static int row_cmp(const void *, const void *);
static void msg_free(gpointer);

static const char *const dirs[EVLOG_NDIR] = { "inbound", "outbound",
    "internal", "local", "other" };
static const char *const outcomes[EVLOG_NOUTCOME] = { "accepted", "held",
    "rejected", "tempfailed" };

/* evlog_dir_name - "inbound" ... "other" */
const char *
evlog_dir_name(int d)
{
	return d >= 0 && d < EVLOG_NDIR ? dirs[d] : "other";
}

/* evlog_outcome_name - "accepted" ... "tempfailed" */
const char *
evlog_outcome_name(int o)
{
	return o >= 0 && o < EVLOG_NOUTCOME ? outcomes[o] : "?";
}

static int
dir_index(const char *s)
{
	int	 i;

	for (i = 0; s != NULL && i < EVLOG_NDIR - 1; i++)
		if (strcmp(s, dirs[i]) == 0)
			return i;
	return EVLOG_NDIR - 1;
}

/* str - a string member, or NULL */
static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void
msg_free(gpointer p)
{
	struct evmsg *m = p;
	size_t	 i;

	for (i = 0; i < m->n_rules; i++)
		free(m->rules[i]);
	free(m);
}

/* evlog_new - an empty join */
struct evlog *
evlog_new(void)
{
	struct evlog *e = xcalloc(1, sizeof(*e));

	e->msgs = g_hash_table_new_full(g_str_hash, g_str_equal, free,
	    msg_free);
	e->rows = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	return e;
}

/* evlog_free - release everything */
void
evlog_free(struct evlog *e)
{
	size_t	 i;

	if (e == NULL)
		return;
	g_hash_table_destroy(e->msgs);
	g_hash_table_destroy(e->rows);
	for (i = 0; i < e->n_r; i++) {
		free(e->r[i].rule);
		free(e->r[i].action);
	}
	free(e->r);
	free(e);
}

/* add_rule - a rule into a message's set, once */
static void
add_rule(struct evmsg *m, const char *rule)
{
	size_t	 i;

	if (rule == NULL)
		return;
	for (i = 0; i < m->n_rules; i++)
		if (strcmp(m->rules[i], rule) == 0)
			return;
	if (m->n_rules < EV_RULES_MAX)
		m->rules[m->n_rules++] = xstrdup(rule);
}

/* msg_get - the entry of a queue id, made on first sight */
static struct evmsg *
msg_get(struct evlog *e, const char *qid, int dir)
{
	struct evmsg *m = g_hash_table_lookup(e->msgs, qid);

	if (m == NULL) {
		m = xcalloc(1, sizeof(*m));
		m->dir = dir;
		g_hash_table_insert(e->msgs, xstrdup(qid), m);
	}
	return m;
}

/* row_add - count into "dir rule action" */
static void
row_add(struct evlog *e, int dir, const char *rule, const char *action,
    uint64_t n)
{
	char	*key = g_strdup_printf("%d\t%s\t%s", dir, rule,
	    action != NULL ? action : "");
	uint64_t *v = g_hash_table_lookup(e->rows, key);
	char	*k;

	if (v != NULL) {
		*v += n;
		g_free(key);
		return;
	}
	v = xmalloc(sizeof(*v));
	*v = n;
	k = xstrdup(key);
	g_free(key);
	g_hash_table_insert(e->rows, k, v);
}

/* on_decision - by queue id into its message; without one, apart */
static void
on_decision(struct evlog *e, json_t *o)
{
	const char *qid = str(o, "queue_id"), *rule = str(o, "rule");
	const char *act = str(o, "action");
	int	 dir = dir_index(str(o, "direction"));

	if (rule == NULL || act == NULL || strcmp(act, "accept") == 0)
		return;
	if (qid == NULL) {
		row_add(e, dir, rule, act, 1);
		return;
	}
	add_rule(msg_get(e, qid, dir), rule);
}

/* on_message - the milter's facts of one finished message */
static void
on_message(struct evlog *e, json_t *o)
{
	const char *qid = str(o, "queue_id"), *oc = str(o, "outcome");
	int	 dir = dir_index(str(o, "direction")), i;
	struct evmsg *m;
	json_t	*v;
	size_t	 k;

	for (i = 0; i < EVLOG_NOUTCOME; i++)
		if (oc != NULL && strcmp(oc, outcomes[i]) == 0)
			break;
	if (i == EVLOG_NOUTCOME)
		return;
	e->c[dir].messages[i]++;
	e->c[dir].recipients += (uint64_t)json_integer_value(
	    json_object_get(o, "recipients"));
	e->c[dir].bytes += (uint64_t)json_integer_value(
	    json_object_get(o, "size"));
	if (qid == NULL)
		qid = "(none)";
	m = msg_get(e, qid, dir);
	m->dir = dir;
	m->has_message = 1;
	json_array_foreach(json_object_get(o, "rules"), k, v)
		add_rule(m, json_string_value(v));
}

/* evlog_feed - one line: 1 when it was a gatepost event */
int
evlog_feed(struct evlog *e, const char *line, size_t len)
{
	const char *p = memchr(line, '{', len);
	const char *ev;
	json_t	*o;

	if (p == NULL || (p != line && (p < line + 2 || p[-1] != ' ' ||
	    p[-2] != ':')) || len - (size_t)(p - line) < 10 ||
	    strncmp(p, "{\"event\":", 9) != 0)
		return 0;
	if ((o = json_loadb(p, len - (size_t)(p - line), 0, NULL)) == NULL)
		return 0;
	ev = str(o, "event");
	if (ev == NULL) {
		json_decref(o);
		return 0;
	}
	e->events++;
	if (strcmp(ev, "decision") == 0)
		on_decision(e, o);
	else if (strcmp(ev, "message") == 0)
		on_message(e, o);
	else if (strcmp(ev, "config") == 0)
		e->configs++;
	json_decref(o);
	return 1;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct evlog_rule *x = a, *y = b;

	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	if (x->queued != y->queued)
		return x->queued > y->queued ? -1 : 1;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->rule, y->rule);
}

/* evlog_end - per message rule rows; sort */
void
evlog_end(struct evlog *e)
{
	GHashTableIter it;
	gpointer k, v;
	struct evmsg *m;
	size_t	 i;
	char	**f;

	g_hash_table_iter_init(&it, e->msgs);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		m = v;
		if (!m->has_message)
			e->c[m->dir].decisions_only++;
		for (i = 0; i < m->n_rules; i++)
			row_add(e, m->dir, m->rules[i], NULL, 1);
	}
	e->r = xcalloc(g_hash_table_size(e->rows) + 1, sizeof(*e->r));
	g_hash_table_iter_init(&it, e->rows);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		f = g_strsplit(k, "\t", 3);
		e->r[e->n_r].dir = atoi(f[0]);
		e->r[e->n_r].rule = xstrdup(f[1]);
		e->r[e->n_r].action = f[2][0] != '\0' ? xstrdup(f[2]) : NULL;
		e->r[e->n_r].queued = f[2][0] == '\0';
		e->r[e->n_r].count = *(uint64_t *)v;
		e->n_r++;
		g_strfreev(f);
	}
	qsort(e->r, e->n_r, sizeof(*e->r), row_cmp);
}

const struct evlog_counts *
evlog_counts(const struct evlog *e)
{
	return e->c;
}

const struct evlog_rule *
evlog_rules(const struct evlog *e, size_t *n)
{
	*n = e->n_r;
	return e->r;
}

uint64_t
evlog_events(const struct evlog *e)
{
	return e->events;
}

uint64_t
evlog_configs(const struct evlog *e)
{
	return e->configs;
}
