/* report_sum.c - report buckets, periods, summaries and reject reasons */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"
#include "xalloc.h"

#define HOUR		3600
#define REASON_MAX	200		/* bytes of a normalized reason */

static int64_t floor_to(int64_t, int64_t);
static int64_t covered(const struct report *, int64_t, int64_t);
static void growth(const struct report *, const struct report_bucket *,
	    size_t, int64_t, int, struct report_summary *);
static char *normalize(const struct mlog_str *);
static size_t skip_bracket(const char *, size_t, size_t, char *, size_t *);
static int reason_cmp(const void *, const void *);

/* floor_to - t rounded down to a multiple of by */
static int64_t
floor_to(int64_t t, int64_t by)
{
	int64_t q = t / by;

	if (t % by != 0 && t < 0)
		q--;
	return q * by;
}

/* report_bucket_get - the hourly bucket holding t, inserted in order */
struct report_bucket *
report_bucket_get(struct report *r, int64_t t)
{
	int64_t	 h = floor_to(t, HOUR);
	size_t	 lo = 0, hi = r->n_b, mid;

	/* Logs come in time order: the last bucket is the usual answer. */
	if (r->n_b > 0 && r->b[r->n_b - 1].start == h)
		return &r->b[r->n_b - 1];
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r->b[mid].start < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n_b && r->b[lo].start == h)
		return &r->b[lo];
	if (r->n_b == r->cap_b) {
		r->cap_b = r->cap_b ? r->cap_b * 2 : 64;
		r->b = xreallocarray(r->b, r->cap_b, sizeof(*r->b));
	}
	memmove(&r->b[lo + 1], &r->b[lo], (r->n_b - lo) * sizeof(*r->b));
	memset(&r->b[lo], 0, sizeof(*r->b));
	r->b[lo].start = h;
	r->n_b++;
	return &r->b[lo];
}

/* report_periods - buckets of by seconds over the covered time */
struct report_bucket *
report_periods(const struct report *r, int64_t by, size_t *n)
{
	struct report_bucket *p;
	int64_t	 first, last;
	size_t	 i, k;
	int	 d;

	*n = 0;
	if (r->st.first > r->st.last || by <= 0)
		return NULL;
	first = floor_to(r->st.first, by);
	last = floor_to(r->st.last, by);
	*n = (size_t)((last - first) / by + 1);
	p = xcalloc(*n, sizeof(*p));
	for (k = 0; k < *n; k++)
		p[k].start = first + (int64_t)k * by;
	for (i = 0; i < r->n_b; i++) {
		int64_t s = floor_to(r->b[i].start, by);

		if (s < first || s > last)
			continue;
		k = (size_t)((s - first) / by);
		for (d = 0; d < REPORT_NDIR; d++) {
			p[k].c[d].messages += r->b[i].c[d].messages;
			p[k].c[d].held += r->b[i].c[d].held;
			p[k].c[d].recipients += r->b[i].c[d].recipients;
			p[k].c[d].bytes += r->b[i].c[d].bytes;
			p[k].c[d].rejects += r->b[i].c[d].rejects;
		}
	}
	return p;
}

/* report_summary - totals, busiest hour and growth per direction */
void
report_summary(const struct report *r, int64_t by,
    struct report_summary out[REPORT_NDIR])
{
	struct report_bucket *p;
	size_t	 i, n;
	int	 d;

	memset(out, 0, REPORT_NDIR * sizeof(*out));
	p = report_periods(r, by, &n);
	for (i = 0; i < n; i++)
		for (d = 0; d < REPORT_NDIR; d++) {
			out[d].total.messages += p[i].c[d].messages;
			out[d].total.held += p[i].c[d].held;
			out[d].total.recipients += p[i].c[d].recipients;
			out[d].total.bytes += p[i].c[d].bytes;
			out[d].total.rejects += p[i].c[d].rejects;
		}
	for (i = 0; i < r->n_b; i++)
		for (d = 0; d < REPORT_NDIR; d++)
			if (r->b[i].c[d].messages > out[d].peak_messages) {
				out[d].peak_messages = r->b[i].c[d].messages;
				out[d].peak_start = r->b[i].start;
			}
	for (d = 0; d < REPORT_NDIR; d++)
		growth(r, p, n, by, d, &out[d]);
	free(p);
}

/* covered - seconds of [s, s + by) inside the logs' time span */
static int64_t
covered(const struct report *r, int64_t s, int64_t by)
{
	int64_t lo = s > r->st.first ? s : r->st.first;
	int64_t hi = s + by < r->st.last + 1 ? s + by : r->st.last + 1;

	return hi > lo ? hi - lo : 0;
}

/*
 * growth - messages per hour in the last period against the first,
 * using only periods the logs cover for at least half: a log that
 * starts at 23:50 says nothing about that day's rate.
 */
static void
growth(const struct report *r, const struct report_bucket *p, size_t n,
    int64_t by, int d, struct report_summary *s)
{
	size_t	 a, z;
	double	 ra, rz;

	for (a = 0; a < n && covered(r, p[a].start, by) * 2 < by; a++)
		;
	for (z = n; z > a && covered(r, p[z - 1].start, by) * 2 < by; z--)
		;
	if (z == 0 || z - 1 <= a)
		return;
	z--;
	ra = (double)p[a].c[d].messages / (double)covered(r, p[a].start, by);
	rz = (double)p[z].c[d].messages / (double)covered(r, p[z].start, by);
	if (ra <= 0)
		return;
	s->has_growth = 1;
	s->growth = (rz / ra - 1) * 100;
	s->growth_first = p[a].start;
	s->growth_last = p[z].start;
}

/* report_reason_add - count one reject under its normalized reason */
void
report_reason_add(struct report *r, enum report_dir d,
    const struct mlog_str *code, const struct mlog_str *reason)
{
	static const struct mlog_str none = {"", 0};
	char	*text = normalize(reason), *key;
	gpointer v;
	size_t	 klen;

	klen = code->len + strlen(text) + 8;
	key = xmalloc(klen);
	(void)snprintf(key, klen, "%d\037%.*s\037%s", (int)d,
	    (int)code->len, code->p != NULL ? code->p : "", text);
	if (!g_hash_table_contains(r->rs_index, key) &&
	    r->n_rs >= REPORT_MAX_REASONS) {
		free(text);
		text = xstrdup("(other)");
		(void)snprintf(key, klen, "%d\037\037%s", (int)d, text);
		code = &none;
	}
	if ((v = g_hash_table_lookup(r->rs_index, key)) != NULL) {
		r->rs[GPOINTER_TO_SIZE(v) - 1].count++;
		free(text);
		free(key);
		return;
	}
	if (r->n_rs == r->cap_rs) {
		r->cap_rs = r->cap_rs ? r->cap_rs * 2 : 16;
		r->rs = xreallocarray(r->rs, r->cap_rs, sizeof(*r->rs));
	}
	r->rs[r->n_rs].dir = d;
	r->rs[r->n_rs].code = xmalloc(code->len + 1);
	memcpy(r->rs[r->n_rs].code, code->p, code->len);
	r->rs[r->n_rs].code[code->len] = '\0';
	r->rs[r->n_rs].text = text;
	r->rs[r->n_rs].count = 1;
	r->rs[r->n_rs].key = key;
	r->n_rs++;
	g_hash_table_insert(r->rs_index, key, GSIZE_TO_POINTER(r->n_rs));
}

/*
 * normalize - a reason without what varies per message: the leading
 * "<rcpt>: " or "host[addr]: ", bracket contents, URLs
 */
static char *
normalize(const struct mlog_str *in)
{
	const char *p = in->p != NULL ? in->p : "";
	size_t	 n = in->len, i = 0, o = 0, sp;
	char	*out = xmalloc(REASON_MAX + 1);

	for (sp = 0; sp < n && p[sp] != ' '; sp++)
		;
	if (sp >= 3 && sp < n && p[sp - 1] == ':' && (p[sp - 2] == '>' ||
	    p[sp - 2] == ']'))
		i = sp + 1;
	while (i < n && o < REASON_MAX) {
		if ((p[i] == '<' || p[i] == '[') && o + 3 <= REASON_MAX) {
			i = skip_bracket(p, n, i, out, &o);
			continue;
		}
		if (n - i >= 7 && (memcmp(p + i, "http://", 7) == 0 ||
		    (n - i >= 8 && memcmp(p + i, "https://", 8) == 0)))
			break;
		out[o++] = (unsigned char)p[i] < 0x20 ? ' ' : p[i];
		i++;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == ';' ||
	    out[o - 1] == ','))
		o--;
	if (o == 0)
		memcpy(out, "(none)", (o = 6));
	out[o] = '\0';
	return out;
}

/* skip_bracket - "<...>" or "[...]" as "<*>" or "[*]" */
static size_t
skip_bracket(const char *p, size_t n, size_t i, char *out, size_t *o)
{
	char	 close = p[i] == '<' ? '>' : ']';
	size_t	 j;

	for (j = i + 1; j < n && p[j] != close; j++)
		;
	if (j == n) {			/* unbalanced: keep the text */
		out[(*o)++] = p[i];
		return i + 1;
	}
	out[(*o)++] = p[i];
	out[(*o)++] = '*';
	out[(*o)++] = close;
	return j + 1;
}

/* reason_cmp - by count (descending), direction, code, text */
static int
reason_cmp(const void *a, const void *b)
{
	const struct report_reason *x = a, *y = b;
	int	 c;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	if ((c = strcmp(x->code, y->code)) != 0)
		return c;
	return strcmp(x->text, y->text);
}

/* report_reasons - the reject reasons, most frequent first */
const struct report_reason *
report_reasons(struct report *r, size_t *n)
{
	size_t	 i;

	/* Sorting moves the entries: point the index at their new slots. */
	if (r->n_rs > 1)
		qsort(r->rs, r->n_rs, sizeof(*r->rs), reason_cmp);
	for (i = 0; i < r->n_rs; i++)
		g_hash_table_insert(r->rs_index, r->rs[i].key,
		    GSIZE_TO_POINTER(i + 1));
	*n = r->n_rs;
	return r->rs;
}

/* report_reasons_free - free the reasons and their index */
void
report_reasons_free(struct report *r)
{
	size_t	 i;

	g_hash_table_destroy(r->rs_index);
	for (i = 0; i < r->n_rs; i++) {
		free(r->rs[i].code);
		free(r->rs[i].text);
		free(r->rs[i].key);
	}
	free(r->rs);
}
