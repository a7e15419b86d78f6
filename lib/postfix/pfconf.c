/* pfconf.c - a live Postfix configuration, from postconf(1) output */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pfconf.h"
#include "sbuf.h"
#include "xalloc.h"

#define PF_MAX_DEPTH	30

static void params_set(struct pf_params *, const char *, size_t,
    const char *, size_t);
static const char *params_get(const struct pf_params *, const char *);
static const char *next_line(const char *, const char **, size_t *);
static size_t trim(const char **, size_t);
static int split_assign(const char *, size_t, const char **, size_t *,
    const char **, size_t *);
static int parse_service(struct pfconf *, const char *, size_t);
static void expand(const struct pfconf *, const struct pf_service *,
    const char *, size_t, struct sbuf *, int);
static size_t expand_ref(const struct pfconf *, const struct pf_service *,
    const char *, size_t, struct sbuf *, int);
static void expand_name(const struct pfconf *, const struct pf_service *,
    const char *, size_t, struct sbuf *, int);
static size_t close_of(const char *, size_t, size_t);
static void strv_add(struct pf_strv *, const char *, size_t);
static void params_free(struct pf_params *);

/* params_set - set name to value, replacing an earlier setting */
static void
params_set(struct pf_params *p, const char *name, size_t nlen,
    const char *value, size_t vlen)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (strlen(p->v[i].name) == nlen &&
		    memcmp(p->v[i].name, name, nlen) == 0) {
			free(p->v[i].value);
			p->v[i].value = xstrndup(value, vlen);
			return;
		}
	p->v = xreallocarray(p->v, p->n + 1, sizeof(p->v[0]));
	p->v[p->n].name = xstrndup(name, nlen);
	p->v[p->n].value = xstrndup(value, vlen);
	p->n++;
}

static const char *
params_get(const struct pf_params *p, const char *name)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

/* next_line - the line at s (without its newline); NULL at the end */
static const char *
next_line(const char *s, const char **rest, size_t *len)
{
	const char *nl;

	if (*s == '\0')
		return NULL;
	nl = strchr(s, '\n');
	*len = nl != NULL ? (size_t)(nl - s) : strlen(s);
	*rest = nl != NULL ? nl + 1 : s + *len;
	return s;
}

/* trim - drop surrounding white space; the new length */
static size_t
trim(const char **p, size_t n)
{
	while (n > 0 && isspace((unsigned char)**p)) {
		(*p)++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)(*p)[n - 1]))
		n--;
	return n;
}

/* split_assign - "name = value" into its trimmed halves */
static int
split_assign(const char *line, size_t len, const char **name, size_t *nlen,
    const char **value, size_t *vlen)
{
	const char *eq = memchr(line, '=', len);

	if (eq == NULL)
		return -1;
	*name = line;
	*nlen = trim(name, (size_t)(eq - line));
	*value = eq + 1;
	*vlen = trim(value, len - (size_t)(eq - line) - 1);
	return *nlen > 0 ? 0 : -1;
}

/* pfconf_parse_main - postconf [-n] output */
int
pfconf_parse_main(struct pfconf *c, int all, const char *text, char *why,
    size_t whylen)
{
	const char *line, *name, *value;
	size_t	 len, nlen, vlen;
	unsigned lineno = 0;

	while ((line = next_line(text, &text, &len)) != NULL) {
		lineno++;
		if ((len = trim(&line, len)) == 0)
			continue;
		if (split_assign(line, len, &name, &nlen, &value, &vlen) < 0) {
			(void)snprintf(why, whylen, "line %u: not \"name = "
			    "value\"", lineno);
			return -1;
		}
		params_set(all ? &c->all : &c->main, name, nlen, value, vlen);
	}
	return 0;
}

/* parse_service - one postconf -M line */
static int
parse_service(struct pfconf *c, const char *line, size_t len)
{
	char	*f[8], *copy, *p, *save = NULL;
	const char *rest;
	struct pf_service *s;
	int	 i;

	copy = xstrndup(line, len);
	p = copy;
	for (i = 0; i < 8; i++, p = NULL)
		if ((f[i] = strtok_r(p, " \t", &save)) == NULL) {
			free(copy);
			return -1;
		}
	c->svc = xreallocarray(c->svc, c->n_svc + 1, sizeof(c->svc[0]));
	s = &c->svc[c->n_svc++];
	memset(s, 0, sizeof(*s));
	s->name = xstrdup(f[0]);
	s->type = xstrdup(f[1]);
	s->priv = xstrdup(f[2]);
	s->unpriv = xstrdup(f[3]);
	s->chroot = xstrdup(f[4]);
	s->wakeup = xstrdup(f[5]);
	s->maxproc = xstrdup(f[6]);
	s->command = xstrdup(f[7]);
	rest = save != NULL ? save : "";
	len = trim(&rest, strlen(rest));
	s->args = xstrndup(rest, len);
	free(copy);
	return 0;
}

/* pfconf_parse_master - postconf -M output */
int
pfconf_parse_master(struct pfconf *c, const char *text, char *why,
    size_t whylen)
{
	const char *line;
	size_t	 len;
	unsigned lineno = 0;

	while ((line = next_line(text, &text, &len)) != NULL) {
		lineno++;
		if ((len = trim(&line, len)) == 0 || *line == '#')
			continue;
		if (parse_service(c, line, len) < 0) {
			(void)snprintf(why, whylen, "line %u: fewer than 8 "
			    "master.cf fields", lineno);
			return -1;
		}
	}
	return 0;
}

/* pfconf_parse_params - postconf -P output */
int
pfconf_parse_params(struct pfconf *c, const char *text, char *why,
    size_t whylen)
{
	const char *line, *key, *value, *s1, *s2;
	size_t	 len, klen, vlen;
	unsigned lineno = 0;
	char	*svc, *type;
	struct pf_service *s;

	while ((line = next_line(text, &text, &len)) != NULL) {
		lineno++;
		if ((len = trim(&line, len)) == 0)
			continue;
		if (split_assign(line, len, &key, &klen, &value, &vlen) < 0)
			goto bad;
		for (s2 = key + klen; s2 > key && s2[-1] != '/'; s2--)
			;
		for (s1 = s2 > key ? s2 - 1 : key; s1 > key && s1[-1] != '/';
		    s1--)
			;
		if (s2 == key || s1 == key)
			goto bad;
		svc = xstrndup(key, (size_t)(s1 - key - 1));
		type = xstrndup(s1, (size_t)(s2 - s1 - 1));
		s = pfconf_service(c, svc, type);
		free(svc);
		free(type);
		if (s == NULL)
			goto bad;
		params_set(&s->opts, s2, klen - (size_t)(s2 - key), value,
		    vlen);
	}
	return 0;
bad:
	(void)snprintf(why, whylen, "line %u: not \"service/type/name = "
	    "value\" for a known service", lineno);
	return -1;
}

static void
params_free(struct pf_params *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].value);
	}
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

/* pfconf_free - release everything */
void
pfconf_free(struct pfconf *c)
{
	size_t	 i;

	params_free(&c->main);
	params_free(&c->all);
	for (i = 0; i < c->n_svc; i++) {
		free(c->svc[i].name);
		free(c->svc[i].type);
		free(c->svc[i].priv);
		free(c->svc[i].unpriv);
		free(c->svc[i].chroot);
		free(c->svc[i].wakeup);
		free(c->svc[i].maxproc);
		free(c->svc[i].command);
		free(c->svc[i].args);
		params_free(&c->svc[i].opts);
	}
	free(c->svc);
	c->svc = NULL;
	c->n_svc = 0;
}

/* pfconf_raw - a parameter as a service sees it, unexpanded */
const char *
pfconf_raw(const struct pfconf *c, const struct pf_service *s,
    const char *name)
{
	const char *v;

	if (s != NULL && (v = params_get(&s->opts, name)) != NULL)
		return v;
	if ((v = params_get(&c->main, name)) != NULL)
		return v;
	return params_get(&c->all, name);
}

/* pfconf_explicit - main.cf's own setting */
const char *
pfconf_explicit(const struct pfconf *c, const char *name)
{
	return params_get(&c->main, name);
}

/* close_of - index of the bracket closing the one at i, or len */
static size_t
close_of(const char *s, size_t len, size_t i)
{
	char	 open = s[i], shut = open == '(' ? ')' : '}';
	int	 depth = 0;

	for (; i < len; i++) {
		if (s[i] == open)
			depth++;
		else if (s[i] == shut && --depth == 0)
			return i;
	}
	return len;
}

/* expand_name - append the expanded value of a parameter */
static void
expand_name(const struct pfconf *c, const struct pf_service *s,
    const char *name, size_t nlen, struct sbuf *out, int depth)
{
	char	*n = xstrndup(name, nlen);
	const char *v = pfconf_raw(c, s, n);

	free(n);
	if (v != NULL && depth < PF_MAX_DEPTH)
		expand(c, s, v, strlen(v), out, depth + 1);
}

/* expand_ref - one $reference at in[0]; the bytes consumed */
static size_t
expand_ref(const struct pfconf *c, const struct pf_service *s,
    const char *in, size_t len, struct sbuf *out, int depth)
{
	size_t	 i = 1, end, nlen;
	struct sbuf val;
	const char *t;

	if (len > 1 && in[1] == '$') {
		sbuf_putn(out, "$", 1);
		return 2;
	}
	if (len > 1 && (in[1] == '{' || in[1] == '(')) {
		end = close_of(in, len, 1);
		for (i = 2; i < end && (isalnum((unsigned char)in[i]) ||
		    in[i] == '_'); i++)
			;
		nlen = i - 2;
		if (i >= end || (in[i] != '?' && in[i] != ':')) {
			expand_name(c, s, in + 2, nlen, out, depth);
			return end < len ? end + 1 : len;
		}
		sbuf_init(&val);
		expand_name(c, s, in + 2, nlen, &val, depth);
		if ((val.len > 0) == (in[i] == '?')) {
			t = in + i + 1;
			nlen = trim(&t, end - i - 1);
			if (nlen >= 2 && *t == '{' && t[nlen - 1] == '}') {
				t++;
				nlen -= 2;
			}
			expand(c, s, t, nlen, out, depth + 1);
		}
		sbuf_free(&val);
		return end < len ? end + 1 : len;
	}
	while (i < len && (isalnum((unsigned char)in[i]) || in[i] == '_'))
		i++;
	expand_name(c, s, in + 1, i - 1, out, depth);
	return i;
}

/* expand - append in[0..len) with references expanded */
static void
expand(const struct pfconf *c, const struct pf_service *s, const char *in,
    size_t len, struct sbuf *out, int depth)
{
	size_t	 i = 0, j;

	while (i < len) {
		for (j = i; j < len && in[j] != '$'; j++)
			;
		sbuf_putn(out, in + i, j - i);
		if (j < len)
			j += expand_ref(c, s, in + j, len - j, out, depth);
		i = j;
	}
}

/* pfconf_expand - a text expanded as a service would */
char *
pfconf_expand(const struct pfconf *c, const struct pf_service *s,
    const char *text)
{
	struct sbuf out;

	sbuf_init(&out);
	expand(c, s, text, strlen(text), &out, 0);
	return sbuf_take(&out);
}

/* pfconf_value - a parameter's expanded value as a service sees it */
char *
pfconf_value(const struct pfconf *c, const struct pf_service *s,
    const char *name)
{
	const char *v = pfconf_raw(c, s, name);

	return pfconf_expand(c, s, v != NULL ? v : "");
}

static void
strv_add(struct pf_strv *l, const char *p, size_t n)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof(l->v[0]));
	l->v[l->n++] = xstrndup(p, n);
}

/* pfconf_split - a Postfix list into its elements */
void
pfconf_split(const char *s, struct pf_strv *l)
{
	const char *p, *t;
	size_t	 len = strlen(s), i = 0, j, n;

	l->v = NULL;
	l->n = 0;
	while (i < len) {
		if (isspace((unsigned char)s[i]) || s[i] == ',') {
			i++;
			continue;
		}
		if (s[i] == '{') {
			j = close_of(s, len, i);
			t = s + i + 1;
			n = trim(&t, (j < len ? j : len) - i - 1);
			strv_add(l, t, n);
			i = j < len ? j + 1 : len;
			continue;
		}
		for (p = s + i, j = i; j < len && !isspace((unsigned char)s[j])
		    && s[j] != ','; j++)
			;
		strv_add(l, p, j - i);
		i = j;
	}
}

/* pfconf_strv_free - release a split list */
void
pfconf_strv_free(struct pf_strv *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* pfconf_bool - Postfix's "yes" */
int
pfconf_bool(const char *v)
{
	return v != NULL && strcasecmp(v, "yes") == 0;
}

/* pfconf_service - a service by name and type (NULL: any) */
struct pf_service *
pfconf_service(const struct pfconf *c, const char *name, const char *type)
{
	size_t	 i;

	for (i = 0; i < c->n_svc; i++)
		if (strcmp(c->svc[i].name, name) == 0 && (type == NULL ||
		    strcmp(c->svc[i].type, type) == 0))
			return &c->svc[i];
	return NULL;
}

static const struct {
	const char *name;
	unsigned port;
} port_names[] = {
	{"smtp", 25}, {"submission", 587}, {"submissions", 465},
	{"smtps", 465}, {"urd", 465},
};

/* pfconf_service_port - "[host:]port" of an inet service */
int
pfconf_service_port(const char *name, char *host, size_t hostlen,
    unsigned *port)
{
	const char *colon = strrchr(name, ':'), *p;
	size_t	 hl = 0, i;
	char	*end;
	unsigned long n;

	p = name;
	if (colon != NULL) {
		hl = (size_t)(colon - name);
		if (*name == '[' && hl >= 2 && name[hl - 1] == ']') {
			name++;
			hl -= 2;
		}
		p = colon + 1;
	}
	if (hl >= hostlen)
		return -1;
	memcpy(host, name, hl);
	host[hl] = '\0';
	for (i = 0; i < sizeof(port_names) / sizeof(port_names[0]); i++)
		if (strcmp(p, port_names[i].name) == 0) {
			*port = port_names[i].port;
			return 0;
		}
	n = strtoul(p, &end, 10);
	if (!isdigit((unsigned char)*p) || *end != '\0' || n == 0 ||
	    n > 65535)
		return -1;
	*port = (unsigned)n;
	return 0;
}
