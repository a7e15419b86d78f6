/* promtext.c - parse the Prometheus text exposition format */
#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "promtext.h"
#include "sbuf.h"
#include "xalloc.h"

struct cursor {				/* one line being parsed */
	const char *p;			/* next byte */
	const char *end;		/* end of the line */
};

static int is_name(int, int);
static const char *parse_name(struct cursor *, char **);
static const char *parse_labels(struct cursor *, struct prom_sample *);
static const char *parse_value(struct cursor *, double *);
static const char *parse_line(struct cursor *, struct prom_sample *);
static void skip_blank(struct cursor *);
static void sample_free(struct prom_sample *);

static int
is_name(int c, int first)
{
	return isalpha(c) || c == '_' || c == ':' || (!first && isdigit(c));
}

static void
skip_blank(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
		c->p++;
}

/* parse_name - a metric or label name; NULL, or a reason */
static const char *
parse_name(struct cursor *c, char **out)
{
	const char *s = c->p;

	if (c->p >= c->end || !is_name((unsigned char)*c->p, 1))
		return "expected a name";
	while (c->p < c->end && is_name((unsigned char)*c->p, 0))
		c->p++;
	*out = xstrndup(s, (size_t)(c->p - s));
	return NULL;
}

/* parse_labels - {name="value",...} after the metric name */
static const char *
parse_labels(struct cursor *c, struct prom_sample *s)
{
	struct prom_label *l;
	struct sbuf v;
	const char *why;
	char	 ch;

	for (c->p++; ; c->p++) {
		skip_blank(c);
		if (c->p < c->end && *c->p == '}')
			break;
		s->labels = xreallocarray(s->labels, s->n_labels + 1,
		    sizeof(s->labels[0]));
		l = &s->labels[s->n_labels++];
		l->value = NULL;
		if ((why = parse_name(c, &l->name)) != NULL) {
			l->name = NULL;
			return why;
		}
		skip_blank(c);
		if (c->p >= c->end || *c->p != '=')
			return "expected =\" after a label name";
		c->p++;
		skip_blank(c);
		if (c->p >= c->end || *c->p != '"')
			return "expected =\" after a label name";
		sbuf_init(&v);
		for (c->p++; c->p < c->end && *c->p != '"'; c->p++) {
			ch = *c->p;
			if (ch == '\\' && c->p + 1 < c->end) {
				c->p++;
				ch = *c->p == 'n' ? '\n' : *c->p;
			}
			sbuf_putn(&v, &ch, 1);
		}
		l->value = sbuf_take(&v);
		if (c->p >= c->end)
			return "unterminated label value";
		c->p++;
		skip_blank(c);
		if (c->p < c->end && *c->p == '}')
			break;
		if (c->p >= c->end || *c->p != ',')
			return "expected , or } after a label";
	}
	c->p++;
	return NULL;
}

/* parse_value - a sample value, then an optional timestamp */
static const char *
parse_value(struct cursor *c, double *out)
{
	char	 buf[64], *e;
	size_t	 n;

	skip_blank(c);
	for (n = 0; c->p + n < c->end && c->p[n] != ' ' && c->p[n] != '\t';
	    n++)
		;
	if (n == 0 || n >= sizeof(buf))
		return "expected a value";
	memcpy(buf, c->p, n);
	buf[n] = '\0';
	c->p += n;
	if (strcasecmp(buf, "+Inf") == 0 || strcasecmp(buf, "Inf") == 0)
		*out = INFINITY;
	else if (strcasecmp(buf, "-Inf") == 0)
		*out = -INFINITY;
	else if (strcasecmp(buf, "NaN") == 0)
		*out = NAN;
	else {
		*out = strtod(buf, &e);
		if (*e != '\0')
			return "bad value";
	}
	skip_blank(c);
	if (c->p < c->end && *c->p == '-')
		c->p++;
	while (c->p < c->end && isdigit((unsigned char)*c->p))
		c->p++;
	skip_blank(c);
	return c->p == c->end ? NULL : "junk after the value";
}

static const char *
parse_line(struct cursor *c, struct prom_sample *s)
{
	const char *why;

	if ((why = parse_name(c, &s->name)) != NULL)
		return why;
	skip_blank(c);
	if (c->p < c->end && *c->p == '{' &&
	    (why = parse_labels(c, s)) != NULL)
		return why;
	return parse_value(c, &s->value);
}

static void
sample_free(struct prom_sample *s)
{
	size_t	 i;

	for (i = 0; i < s->n_labels; i++) {
		free(s->labels[i].name);
		free(s->labels[i].value);
	}
	free(s->labels);
	free(s->name);
}

/* promtext_parse - every sample; 0, or -1 and why */
int
promtext_parse(const char *text, size_t len, struct prom_samples *out,
    char *why, size_t whylen)
{
	struct cursor c;
	struct prom_sample s;
	const char *end = text + len, *nl, *err;
	unsigned line = 0;

	for (; text < end; text = nl < end ? nl + 1 : end) {
		line++;
		nl = memchr(text, '\n', (size_t)(end - text));
		c.p = text;
		c.end = nl != NULL ? nl : end;
		if (c.end > c.p && c.end[-1] == '\r')
			c.end--;
		skip_blank(&c);
		if (c.p == c.end || *c.p == '#')
			continue;
		memset(&s, 0, sizeof(s));
		if ((err = parse_line(&c, &s)) != NULL) {
			sample_free(&s);
			(void)snprintf(why, whylen, "line %u: %s", line, err);
			return -1;
		}
		out->v = xreallocarray(out->v, out->n + 1, sizeof(out->v[0]));
		out->v[out->n++] = s;
		if (nl == NULL)
			break;
	}
	return 0;
}

/* promtext_label - a label's value, or NULL */
const char *
promtext_label(const struct prom_sample *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->n_labels; i++)
		if (strcmp(s->labels[i].name, name) == 0)
			return s->labels[i].value;
	return NULL;
}

/* promtext_free - release the samples */
void
promtext_free(struct prom_samples *out)
{
	size_t	 i;

	for (i = 0; i < out->n; i++)
		sample_free(&out->v[i]);
	free(out->v);
	out->v = NULL;
	out->n = 0;
}
