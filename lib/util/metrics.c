/* metrics.c - Prometheus registry and text exposition */
#include "config.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "sbuf.h"
#include "xalloc.h"

#define METRICS_DEFAULT_CAP	10000	/* series per family */
#define METRICS_OVERFLOW	"other"	/* label value past the cap */

struct metrics_series {
	char	**values;		/* owned, n_labels strings */
	uint64_t hash;			/* of the values, for lookup */
	_Atomic uint64_t count;		/* counter value, histogram count */
	_Atomic int64_t gauge;		/* gauge value */
	_Atomic uint64_t sum_bits;	/* histogram sum, a double's bits */
	_Atomic uint64_t *bucket;	/* owned, n_bounds + 1 (+Inf) */
	const double *bounds;		/* borrowed from the family */
	size_t	 n_bounds;
};

struct metrics_family {
	char	*name;			/* owned */
	char	*help;			/* owned */
	enum metrics_type type;
	const char *const *labels;	/* borrowed for the registry's life */
	size_t	 n_labels;
	const double *buckets;		/* borrowed, ascending upper bounds */
	size_t	 n_buckets;
	size_t	 max_series;		/* cardinality cap */
	int	 ovf_label;		/* past the cap: this label, -1 all */
	char	*ovf_value;		/* owned: its value there, or NULL */
	pthread_rwlock_t lock;		/* guards series/n_series/cap_series */
	struct metrics_series **series;	/* owned */
	size_t	 n_series;
	size_t	 cap_series;		/* allocated slots */
	struct metrics_family *next;	/* registration order */
};

struct metrics {
	pthread_mutex_t lock;		/* guards the family list */
	struct metrics_family *head;	/* owned */
	struct metrics_family *tail;	/* borrowed */
};


static uint64_t hash_values(const char *const *, size_t);
static struct metrics_series *series_new(const struct metrics_family *,
	    const char *const *, uint64_t);
static struct metrics_series *series_find(struct metrics_family *,
	    const char *const *, uint64_t);
static void series_free(struct metrics_series *, size_t);
static void buf_escape(struct sbuf *, const char *, int);
static void fmt_double(char *, size_t, double);
static void render_labels(struct sbuf *, const struct metrics_family *,
	    const struct metrics_series *, const char *);
static void render_family(struct sbuf *, struct metrics_family *);
static void render_series(struct sbuf *, const struct metrics_family *,
	    const struct metrics_series *);

/* metrics_new - create an empty registry */
struct metrics *
metrics_new(void)
{
	struct metrics *m = xcalloc(1, sizeof(*m));

	if (pthread_mutex_init(&m->lock, NULL) != 0)
		abort();
	return m;
}

/* metrics_free - free the registry, its families and series */
void
metrics_free(struct metrics *m)
{
	struct metrics_family *f, *next;
	size_t	 i;

	if (m == NULL)
		return;
	for (f = m->head; f != NULL; f = next) {
		next = f->next;
		for (i = 0; i < f->n_series; i++)
			series_free(f->series[i], f->n_labels);
		free(f->series);
		(void)pthread_rwlock_destroy(&f->lock);
		free(f->ovf_value);
		free(f->name);
		free(f->help);
		free(f);
	}
	(void)pthread_mutex_destroy(&m->lock);
	free(m);
}

/* metrics_family - register a metric family */
struct metrics_family *
metrics_family(struct metrics *m, const char *name, const char *help,
    enum metrics_type type, const char *const *labels,
    const double *buckets, size_t n_buckets)
{
	struct metrics_family *f = xcalloc(1, sizeof(*f));

	f->name = xstrdup(name);
	f->help = xstrdup(help != NULL ? help : "");
	f->type = type;
	f->labels = labels;
	while (labels != NULL && labels[f->n_labels] != NULL)
		f->n_labels++;
	if (type == METRICS_HISTOGRAM) {
		f->buckets = buckets;
		f->n_buckets = n_buckets;
	}
	f->max_series = METRICS_DEFAULT_CAP;
	f->ovf_label = -1;
	if (pthread_rwlock_init(&f->lock, NULL) != 0)
		abort();
	(void)pthread_mutex_lock(&m->lock);
	if (m->tail == NULL)
		m->head = f;
	else
		m->tail->next = f;
	m->tail = f;
	(void)pthread_mutex_unlock(&m->lock);
	/* A family without labels has exactly one series: show it as 0. */
	if (f->n_labels == 0)
		(void)metrics_series(f, NULL);
	return f;
}

/* metrics_family_cap - bound the number of series in a family */
void
metrics_family_cap(struct metrics_family *f, size_t max_series)
{
	(void)pthread_rwlock_wrlock(&f->lock);
	f->max_series = max_series == 0 ? 1 : max_series;
	(void)pthread_rwlock_unlock(&f->lock);
}

/*
 * metrics_family_cap_label - bound the series; past the bound only one
 * label (e.g. a login) reads overflow and the others keep their values,
 * so the family grows by at most one series per value of the others
 */
int
metrics_family_cap_label(struct metrics_family *f, size_t max_series,
    const char *label, const char *overflow)
{
	size_t	 i;

	for (i = 0; i < f->n_labels; i++)
		if (strcmp(f->labels[i], label) == 0)
			break;
	if (i == f->n_labels)
		return -1;
	(void)pthread_rwlock_wrlock(&f->lock);
	f->max_series = max_series == 0 ? 1 : max_series;
	f->ovf_label = (int)i;
	free(f->ovf_value);
	f->ovf_value = xstrdup(overflow);
	(void)pthread_rwlock_unlock(&f->lock);
	return 0;
}

/* hash_values - FNV-1a over the label values, separated by NUL */
static uint64_t
hash_values(const char *const *v, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	const unsigned char *p;
	size_t	 i;

	for (i = 0; i < n; i++) {
		for (p = (const unsigned char *)v[i]; *p != '\0'; p++)
			h = (h ^ *p) * 1099511628211ULL;
		h = (h ^ 0xff) * 1099511628211ULL;
	}
	return h;
}

/* series_new - allocate a series with copies of the values */
static struct metrics_series *
series_new(const struct metrics_family *f, const char *const *values,
    uint64_t hash)
{
	struct metrics_series *s = xcalloc(1, sizeof(*s));
	size_t	 i;

	s->values = xcalloc(f->n_labels + 1, sizeof(char *));
	for (i = 0; i < f->n_labels; i++)
		s->values[i] = xstrdup(values[i] != NULL ? values[i] : "");
	s->hash = hash;
	if (f->type == METRICS_HISTOGRAM) {
		s->bucket = xcalloc(f->n_buckets + 1, sizeof(*s->bucket));
		s->bounds = f->buckets;
		s->n_bounds = f->n_buckets;
	}
	return s;
}

/* series_free - free one series */
static void
series_free(struct metrics_series *s, size_t n_labels)
{
	size_t	 i;

	for (i = 0; i < n_labels; i++)
		free(s->values[i]);
	free(s->values);
	free(s->bucket);
	free(s);
}

/* series_find - look a series up; caller holds the family lock */
static struct metrics_series *
series_find(struct metrics_family *f, const char *const *values,
    uint64_t hash)
{
	struct metrics_series *s;
	size_t	 i, j;

	for (i = 0; i < f->n_series; i++) {
		s = f->series[i];
		if (s->hash != hash)
			continue;
		for (j = 0; j < f->n_labels; j++)
			if (strcmp(s->values[j], values[j] != NULL ?
			    values[j] : "") != 0)
				break;
		if (j == f->n_labels)
			return s;
	}
	return NULL;
}

/* metrics_series - find or create the series for these label values */
struct metrics_series *
metrics_series(struct metrics_family *f, const char *const *values)
{
	const char *other[32];
	struct metrics_series *s;
	uint64_t h;
	size_t	 i;

	if (f->n_labels > 32)
		abort();
	if (f->n_labels == 0)
		values = other;
	h = hash_values(values, f->n_labels);
	(void)pthread_rwlock_rdlock(&f->lock);
	s = series_find(f, values, h);
	(void)pthread_rwlock_unlock(&f->lock);
	if (s != NULL)
		return s;

	(void)pthread_rwlock_wrlock(&f->lock);
	if ((s = series_find(f, values, h)) == NULL) {
		if (f->n_series >= f->max_series) {
			/* Past the cap every label reads "other", or the
			 * one label metrics_family_cap_label() named. */
			for (i = 0; i < f->n_labels; i++)
				other[i] = f->ovf_label < 0 ? METRICS_OVERFLOW
				    : (int)i == f->ovf_label ? f->ovf_value :
				    values[i];
			values = other;
			h = hash_values(values, f->n_labels);
			s = series_find(f, values, h);
		}
		if (s == NULL) {
			if (f->n_series == f->cap_series) {
				f->cap_series = f->cap_series ?
				    f->cap_series * 2 : 8;
				f->series = xreallocarray(f->series,
				    f->cap_series, sizeof(*f->series));
			}
			s = series_new(f, values, h);
			f->series[f->n_series++] = s;
		}
	}
	(void)pthread_rwlock_unlock(&f->lock);
	return s;
}

/* metrics_add - add to a counter */
void
metrics_add(struct metrics_series *s, uint64_t n)
{
	atomic_fetch_add_explicit(&s->count, n, memory_order_relaxed);
}

/* metrics_set - set a gauge */
void
metrics_set(struct metrics_series *s, int64_t v)
{
	atomic_store_explicit(&s->gauge, v, memory_order_relaxed);
}

/* metrics_inc - find the series and add to it */
void
metrics_inc(struct metrics_family *f, const char *const *values,
    uint64_t n)
{
	metrics_add(metrics_series(f, values), n);
}

/* metrics_observe - record one histogram sample */
void
metrics_observe(struct metrics_series *s, double v)
{
	uint64_t old, new;
	double	 sum;
	size_t	 i;

	/* Buckets are stored per bound (not cumulative) and summed when
	 * rendered, so one sample touches one bucket. */
	for (i = 0; i < s->n_bounds && v > s->bounds[i]; i++)
		;
	atomic_fetch_add_explicit(&s->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&s->count, 1, memory_order_relaxed);
	old = atomic_load_explicit(&s->sum_bits, memory_order_relaxed);
	do {
		memcpy(&sum, &old, sizeof(sum));
		sum += v;
		memcpy(&new, &sum, sizeof(new));
	} while (!atomic_compare_exchange_weak_explicit(&s->sum_bits, &old,
	    new, memory_order_relaxed, memory_order_relaxed));
}

/* buf_escape - append text escaped as exposition format requires */
static void
buf_escape(struct sbuf *b, const char *s, int quote)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			sbuf_puts(b, "\\\\");
		else if (*s == '\n')
			sbuf_puts(b, "\\n");
		else if (*s == '"' && quote)
			sbuf_puts(b, "\\\"");
		else
			sbuf_putc(b, *s);
	}
}

/* fmt_double - shortest text that reads back as the same double */
static void
fmt_double(char *out, size_t len, double v)
{
	int	 prec;

	if (isinf(v)) {
		(void)snprintf(out, len, "%s", v > 0 ? "+Inf" : "-Inf");
		return;
	}
	if (isnan(v)) {
		(void)snprintf(out, len, "NaN");
		return;
	}
	for (prec = 1; prec < 17; prec++) {
		(void)snprintf(out, len, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
	(void)snprintf(out, len, "%.17g", v);
}

/* render_labels - "{a="x",b="y"}", with an optional extra le label */
static void
render_labels(struct sbuf *b, const struct metrics_family *f,
    const struct metrics_series *s, const char *le)
{
	size_t	 i;

	if (f->n_labels == 0 && le == NULL)
		return;
	sbuf_printf(b, "{");
	for (i = 0; i < f->n_labels; i++) {
		sbuf_printf(b, "%s%s=\"", i ? "," : "", f->labels[i]);
		buf_escape(b, s->values[i], 1);
		sbuf_printf(b, "\"");
	}
	if (le != NULL)
		sbuf_printf(b, "%sle=\"%s\"", f->n_labels ? "," : "", le);
	sbuf_printf(b, "}");
}

/* render_series - the sample line(s) of one series */
static void
render_series(struct sbuf *b, const struct metrics_family *f,
    const struct metrics_series *s)
{
	char	 num[64];
	uint64_t cum = 0, bits;
	double	 sum;
	size_t	 i;

	switch (f->type) {
	case METRICS_COUNTER:
		sbuf_printf(b, "%s", f->name);
		render_labels(b, f, s, NULL);
		sbuf_printf(b, " %llu\n", (unsigned long long)
		    atomic_load_explicit(&s->count, memory_order_relaxed));
		break;
	case METRICS_GAUGE:
		sbuf_printf(b, "%s", f->name);
		render_labels(b, f, s, NULL);
		sbuf_printf(b, " %lld\n", (long long)
		    atomic_load_explicit(&s->gauge, memory_order_relaxed));
		break;
	case METRICS_HISTOGRAM:
		for (i = 0; i <= f->n_buckets; i++) {
			cum += atomic_load_explicit(&s->bucket[i],
			    memory_order_relaxed);
			fmt_double(num, sizeof(num), i < f->n_buckets ?
			    f->buckets[i] : INFINITY);
			sbuf_printf(b, "%s_bucket", f->name);
			render_labels(b, f, s, num);
			sbuf_printf(b, " %llu\n", (unsigned long long)cum);
		}
		bits = atomic_load_explicit(&s->sum_bits,
		    memory_order_relaxed);
		memcpy(&sum, &bits, sizeof(sum));
		fmt_double(num, sizeof(num), sum);
		sbuf_printf(b, "%s_sum", f->name);
		render_labels(b, f, s, NULL);
		sbuf_printf(b, " %s\n%s_count", num, f->name);
		render_labels(b, f, s, NULL);
		/* _count is the +Inf bucket, so the two always agree. */
		sbuf_printf(b, " %llu\n", (unsigned long long)cum);
		break;
	}
}

/* render_family - HELP, TYPE and every series of one family */
static void
render_family(struct sbuf *b, struct metrics_family *f)
{
	static const char *const tname[] = {
		"counter", "gauge", "histogram"
	};
	size_t	 i;

	sbuf_printf(b, "# HELP %s ", f->name);
	buf_escape(b, f->help, 0);
	sbuf_printf(b, "\n# TYPE %s %s\n", f->name, tname[f->type]);
	(void)pthread_rwlock_rdlock(&f->lock);
	for (i = 0; i < f->n_series; i++)
		render_series(b, f, f->series[i]);
	(void)pthread_rwlock_unlock(&f->lock);
}

/* metrics_render - the text exposition of every family */
char *
metrics_render(struct metrics *m, size_t *lenp)
{
	struct metrics_family *f;
	struct sbuf b;

	sbuf_init(&b);
	sbuf_reserve(&b, 4096);
	(void)pthread_mutex_lock(&m->lock);
	for (f = m->head; f != NULL; f = f->next)
		render_family(&b, f);
	(void)pthread_mutex_unlock(&m->lock);
	if (lenp != NULL)
		*lenp = b.len;
	return b.p;
}
