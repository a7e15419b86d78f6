/* cpath.c - the content path of one message, for simulation */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cpath.h"
#include "disclaimer.h"
#include "hdrfrom.h"
#include "hygiene.h"
#include "mimecode.h"
#include "xalloc.h"

struct field {				/* one header field, in place */
	size_t	 off, colon, end;	/* name, ":" and after its line end */
};

static struct cpath_step *step(struct cpath *, const char *, const char *,
    const char *, ...) __attribute__((format(printf, 4, 5)));
static int	next_field(const char *, size_t, size_t, struct field *);
static void	unfold(const char *, const struct field *, struct sbuf *);
static void	header_from(const struct cfg *, const struct cfg_instance *,
		    struct facts *, const char *, size_t, struct verdict *,
		    rule_trace_fn *, void *, struct cpath *);
static int	removed(const struct cfg_instance *, const char *,
		    const struct field *);
static void	hygiene(const struct cfg_instance *, const char *, size_t,
		    struct cpath *);
static char	*disclaimer(const struct cfg_instance *, struct facts *,
		    const struct dcrule_env *, const char *, size_t,
		    struct verdict *, struct cpath *, size_t *);
static void	added(const struct cfg_instance *, const struct verdict *,
		    const char *, struct sbuf *, struct cpath *);
static void	leave(const struct cfg_instance *, const struct verdict *,
		    const char *, size_t, struct cpath *);

/* step - append a step; its detail printf-style */
static struct cpath_step *
step(struct cpath *cp, const char *name, const char *result,
    const char *fmt, ...)
{
	struct cpath_step *s;
	va_list	 ap;

	if (cp->n_step == CPATH_STEPS_MAX)
		return NULL;
	s = &cp->step[cp->n_step++];
	(void)snprintf(s->name, sizeof(s->name), "%s", name);
	(void)snprintf(s->result, sizeof(s->result), "%s", result);
	va_start(ap, fmt);
	(void)vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
	va_end(ap);
	return s;
}

/* next_field - the header field at pos (0 at the empty line or end) */
static int
next_field(const char *msg, size_t len, size_t pos, struct field *f)
{
	const char *p;
	size_t	 e;

	if (pos >= len || msg[pos] == '\n' || (msg[pos] == '\r' &&
	    pos + 1 < len && msg[pos + 1] == '\n'))
		return 0;
	f->off = pos;
	p = memchr(msg + pos, ':', len - pos);
	f->colon = p == NULL ? len : (size_t)(p - msg);
	for (e = pos; (p = memchr(msg + e, '\n', len - e)) != NULL; ) {
		e = (size_t)(p - msg) + 1;
		if (e >= len || (msg[e] != ' ' && msg[e] != '\t'))
			break;
	}
	f->end = p == NULL ? len : e;
	if (f->colon > f->end)
		f->colon = f->end;
	return 1;
}

/* unfold - the field's value without its line ends */
static void
unfold(const char *msg, const struct field *f, struct sbuf *out)
{
	size_t	 i;

	out->len = 0;
	for (i = f->colon + 1; i < f->end; i++)
		if (msg[i] != '\r' && msg[i] != '\n')
			sbuf_putn(out, msg + i, 1);
	sbuf_putn(out, "", 1);
}

/* header_from - step 1: From fields, header rules */
static void
header_from(const struct cfg *cfg, const struct cfg_instance *inst,
    struct facts *f, const char *msg, size_t len, struct verdict *v,
    rule_trace_fn *trace, void *arg, struct cpath *cp)
{
	struct sbuf val[CPATH_FROM_MAX];
	const char *vals[CPATH_FROM_MAX + 1];
	struct field fl;
	size_t	 pos = 0, n = 0, i, hits = v->n_hit;

	memset(val, 0, sizeof(val));
	while (next_field(msg, len, pos, &fl)) {
		if (fl.colon - fl.off == 4 && strncasecmp(msg + fl.off,
		    "From", 4) == 0) {
			if (n == CPATH_FROM_MAX) {
				/* past the bound: a value that cannot parse */
				vals[n++] = "(";
				break;
			}
			unfold(msg, &fl, &val[n]);
			vals[n] = val[n].p;
			n++;
		}
		pos = fl.end;
	}
	cp->from = xcalloc(1, sizeof(*cp->from));
	hdrfrom_parse(cp->from, vals, n);
	f->from = cp->from;
	rule_eval_trace(cfg, inst, f, STAGE_EOH, STAGE_EOH, v, trace, arg);
	for (i = 0; i < n && i < CPATH_FROM_MAX; i++)
		sbuf_free(&val[i]);
	(void)step(cp, "header-from", v->refusal != NULL ? "refused" :
	    v->n_hit > hits ? "hit" : "pass", "%u From field%s, %zu "
	    "address%s%s", cp->from->n_fields, cp->from->n_fields == 1 ? "" :
	    "s", cp->from->n, cp->from->n == 1 ? "" : "es", cp->from->bad ?
	    ", some unparseable" : "");
}

/* removed - does the milter remove this field (any name length) */
static int
removed(const struct cfg_instance *inst, const char *msg,
    const struct field *f)
{
	char	*name;
	int	 r;

	if (f->colon == f->off)
		return 0;
	name = xstrndup(msg + f->off, f->colon - f->off);
	r = hygiene_check(inst, name) != HYGIENE_KEEP;
	free(name);
	return r;
}

/* hygiene - step 2: which fields go */
static void
hygiene(const struct cfg_instance *inst, const char *msg, size_t len,
    struct cpath *cp)
{
	struct field fl;
	size_t	 pos = 0, n = 0, dl = 0;
	char	 detail[sizeof(cp->step[0].detail)] = "";
	char	 res[32];
	int	 k;

	for (; next_field(msg, len, pos, &fl); pos = fl.end) {
		if (!removed(inst, msg, &fl))
			continue;
		n++;
		k = snprintf(detail + dl, sizeof(detail) - dl, "%s%.*s",
		    dl > 0 ? ", " : "", (int)(fl.colon - fl.off),
		    msg + fl.off);
		if (k > 0 && (size_t)k < sizeof(detail) - dl)
			dl += (size_t)k;
	}
	(void)snprintf(res, sizeof(res), n == 0 ? "nothing removed" :
	    "removed %zu", n);
	(void)step(cp, "hygiene", res, "%s", detail);
}

/* disclaimer - step 3: the new message, or NULL when unchanged */
static char *
disclaimer(const struct cfg_instance *inst, struct facts *f,
    const struct dcrule_env *env, const char *msg, size_t len,
    struct verdict *v, struct cpath *cp, size_t *outlen)
{
	struct disclaimer_conf conf;
	struct disclaimer_out out;
	struct rule_hit h;
	enum disclaimer_result r;
	const char *why = NULL;
	char	*res = NULL;
	int	 e;

	if (!inst->disclaimer.set)
		return NULL;
	memset(&out, 0, sizeof(out));
	e = dcrule_choose(inst, env, f->have_sender ? &f->sender : NULL,
	    f->sasl_user, msg, len, &r, &why);
	if (e >= 0) {
		dcrule_conf(&inst->disclaimer.v[e], &conf);
		r = disclaimer_apply(msg, len, &conf, &out);
		why = out.why;
	}
	if (e < 0)
		(void)step(cp, "disclaimer", disclaimer_result_name(r), "%s",
		    why != NULL ? why : "");
	else if (r == DC_ADDED)
		(void)step(cp, "disclaimer", disclaimer_result_name(r),
		    "entry %d, parts=%zu", e + 1, out.n_parts);
	else
		(void)step(cp, "disclaimer", disclaimer_result_name(r),
		    "entry %d: %s", e + 1, why != NULL ? why : "-");
	if (r == DC_REJECTED) {
		rule_hit_make(RULE_DISCLAIMER, CFG_ACT_REJECT, inst->mode,
		    why != NULL ? why : "", &h);
		h.text = disclaimer_reject_text(out.cause);
		(void)rule_add_hit(v, &h);
	}
	if (r == DC_ADDED || r == DC_WRAPPED)
		res = disclaimer_render(msg, len, &out, outlen);
	disclaimer_out_free(&out);
	return res;
}

/* added - step 4: headers.add, then one field per tag name */
static void
added(const struct cfg_instance *inst, const struct verdict *v,
    const char *eol, struct sbuf *b, struct cpath *cp)
{
	const char *name, *value, *seen[RULE_MAX_HITS];
	size_t	 i, k, n = 0, ns = 0;

	for (i = 0; i < inst->n_hdr_add; i++, n++) {
		sbuf_puts(b, inst->hdr_add[i].name);
		sbuf_puts(b, ": ");
		sbuf_puts(b, inst->hdr_add[i].value);
		sbuf_puts(b, eol);
	}
	for (i = 0; i < v->n_hit; i++) {
		if (v->hit[i].action != CFG_ACT_TAG ||
		    rule_tag(v->hit[i].rule, &name, &value) != 0)
			continue;
		for (k = 0; k < ns && strcasecmp(seen[k], name) != 0; k++)
			;
		if (k < ns)
			continue;	/* joined below with the first */
		seen[ns++] = name;
		sbuf_puts(b, name);
		sbuf_puts(b, ": ");
		sbuf_puts(b, value);
		for (k = i + 1; k < v->n_hit; k++) {
			const char *n2, *v2;

			if (v->hit[k].action == CFG_ACT_TAG &&
			    rule_tag(v->hit[k].rule, &n2, &v2) == 0 &&
			    strcasecmp(n2, name) == 0) {
				sbuf_puts(b, ", ");
				sbuf_puts(b, v2);
			}
		}
		sbuf_puts(b, eol);
		n++;
	}
	(void)step(cp, "headers", n == 0 ? "nothing added" : "added", "%zu "
	    "field%s (headers.add, tags)", n, n == 1 ? "" : "s");
}

/* leave - the message as it would leave: cp->out */
static void
leave(const struct cfg_instance *inst, const struct verdict *v,
    const char *msg, size_t len, struct cpath *cp)
{
	struct sbuf b = { NULL, 0, 0 };
	struct field fl;
	size_t	 pos = 0;
	const char *eol = mime_eol_crlf(msg, len, 1) ? "\r\n" : "\n";

	sbuf_reserve(&b, len + 1024);
	for (; next_field(msg, len, pos, &fl); pos = fl.end)
		if (!removed(inst, msg, &fl))
			sbuf_putn(&b, msg + fl.off, fl.end - fl.off);
	if (b.len > 0 && b.p[b.len - 1] != '\n')
		sbuf_puts(&b, eol);
	added(inst, v, eol, &b, cp);
	if (pos < len)
		sbuf_putn(&b, msg + pos, len - pos);	/* empty line, body */
	else
		sbuf_puts(&b, eol);
	cp->out_len = b.len;
	sbuf_putn(&b, "", 1);
	cp->out = b.p;
}

/* cpath_run - the whole content path of one message */
int
cpath_run(const struct cfg *cfg, const struct cfg_instance *inst,
    struct facts *f, const struct dcrule_env *env, const char *msg,
    size_t len, struct verdict *v, rule_trace_fn *trace, void *arg,
    struct cpath *cp)
{
	char	*m;
	size_t	 mlen;

	memset(cp, 0, sizeof(*cp));
	header_from(cfg, inst, f, msg, len, v, trace, arg, cp);
	if (v->refusal != NULL)
		return 0;
	hygiene(inst, msg, len, cp);
	m = disclaimer(inst, f, env, msg, len, v, cp, &mlen);
	if (v->refusal == NULL) {
		if (m != NULL)
			leave(inst, v, m, mlen, cp);
		else
			leave(inst, v, msg, len, cp);
	}
	free(m);
	return 0;
}

/* cpath_free - release what cpath_run() made */
void
cpath_free(struct cpath *cp)
{
	if (cp->from != NULL)
		hdrfrom_free(cp->from);	/* the field texts it keeps */
	free(cp->from);
	free(cp->out);
	cp->from = NULL;
	cp->out = NULL;
}
