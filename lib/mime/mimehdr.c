/* mimehdr.c - a MIME header block and its content fields, in place */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mimehdr.h"
#include "xalloc.h"

struct param {				/* one "; name=value", in place */
	size_t	 semi;			/* offset of the ";" before it */
	size_t	 name, name_end;	/* offsets of the attribute */
	size_t	 vs, ve;	/* offsets of the value, quotes included */
	int	 quoted;		/* value is a quoted-string */
	int	 junk;			/* text after the value before ";" */
	int	 novalue;		/* no "=" after the attribute */
	int	 sect;		/* RFC 2231 section number, -1: none */
	int	 ext;		/* RFC 2231 extended value ("name*") */
};

struct pval {		/* one parameter's value, plain or in RFC 2231 form */
	int	 plain;			/* "name=" seen: times */
	int	 single;		/* "name*=" seen: times */
	int	 nsec;			/* highest section number + 1 */
	int	 bad;			/* a malformed or repeated form */
	struct param sec[MIMEHDR_SECTIONS_MAX];	/* sections by number */
	unsigned char have[MIMEHDR_SECTIONS_MAX]; /* section seen */
	struct param one;		/* the plain or single form */
};

static size_t	line_end(const char *, size_t, size_t, size_t *);
static int	field_is(const char *, size_t, size_t, const char *);
static int	has_ctl(const char *, size_t, size_t);
static int	field_note(const char *, struct mime_hdr *, size_t, size_t,
		    size_t, const char **);
static int	is_fws(int);
static size_t	skip_cfws(const char *, size_t, size_t);
static size_t	token_end(const char *, size_t, size_t);
static int	skip_junk(const char *, size_t *, size_t);
static int	param_next(const char *, size_t *, size_t, struct param *);
static int	param_is(const char *, const struct param *, const char *);
static int	param_copy(const char *, const struct param *, char *, size_t);
static int	copy_lower(const char *, size_t, size_t, char *, size_t);
static int	param_attr(const char *, struct param *, const char *);
static void	pval_add(struct pval *, const struct param *);
static int	pct_decode(const char *, size_t, char *, size_t, size_t *);
static int	section_get(const char *, const struct param *, int, char *,
		    size_t, size_t *);
static int	pval_get(const char *, const struct pval *, char *, size_t);
static int	printable(const char *, int);
static int	no_slash(const char *, size_t, size_t);
static int	ctype_param(const char *, struct param *, struct mime_ctype *,
		    struct pval *);

/* line_end - offset after the line at pos; *ce = end of its content */
static size_t
line_end(const char *msg, size_t pos, size_t end, size_t *ce)
{
	const char *nl = memchr(msg + pos, '\n', end - pos);
	size_t	 e;

	if (nl == NULL) {
		*ce = end;
		return end;
	}
	e = (size_t)(nl - msg);
	*ce = e > pos && msg[e - 1] == '\r' ? e - 1 : e;
	return e + 1;
}

/* field_is - does the name at [off, end) equal name, ignoring case */
static int
field_is(const char *msg, size_t off, size_t end, const char *name)
{
	size_t	 n = strlen(name);

	return end - off == n && strncasecmp(msg + off, name, n) == 0;
}

/* has_ctl - a control character other than HT, CR, LF in [pos, end) */
static int
has_ctl(const char *msg, size_t pos, size_t end)
{
	unsigned char c;

	for (; pos < end; pos++) {
		c = (unsigned char)msg[pos];
		if ((c < 32 && c != '\t' && c != '\r' && c != '\n') || c == 127)
			return 1;
	}
	return 0;
}

/* mimehdr_present - is the field there */
int
mimehdr_present(const struct mime_field *f)
{
	return f->end != 0;
}

/* field_note - record a complete field if it is one we need */
static int
field_note(const char *msg, struct mime_hdr *h, size_t off, size_t val,
    size_t end, const char **why)
{
	struct mime_field f = { off, val, end }, *slot = NULL;
	size_t	 ne = off;
	int	 once = 0;

	while (msg[ne] != ':')
		ne++;
	if (field_is(msg, off, ne, "Content-Type")) {
		slot = &h->ct;
		once = 1;
	} else if (field_is(msg, off, ne, "Content-Transfer-Encoding")) {
		slot = &h->cte;
		once = 1;
	} else if (field_is(msg, off, ne, "Content-Disposition"))
		slot = &h->cd;
	else if (field_is(msg, off, ne, "Content-ID"))
		slot = &h->cid;
	else if (field_is(msg, off, ne, "MIME-Version"))
		slot = &h->mv;
	if (slot == NULL)
		return 0;
	if (slot != &h->mv && has_ctl(msg, val, end)) {
		/* parsers disagree on what such bytes separate */
		*why = "control character in a content header field";
		return -1;
	}
	if (mimehdr_present(slot)) {
		if (once) {
			*why = "a content header field appears twice";
			return -1;
		}
		return 0;		/* the first one counts */
	}
	*slot = f;
	return 0;
}

/* mimehdr_scan - the header block at off; 0, or -1 with *why */
int
mimehdr_scan(const char *msg, size_t off, size_t end, struct mime_hdr *h,
    const char **why)
{
	size_t	 pos = off, le, ce, i, f_off = 0, f_val = 0;
	int	 open = 0;

	memset(h, 0, sizeof(*h));
	h->start = pos;
	h->end = h->body = end;
	for (; pos < end; pos = le) {
		le = line_end(msg, pos, end, &ce);
		if (ce == pos) {		/* the empty line */
			h->end = pos;
			h->body = le;
			break;
		}
		if (memchr(msg + pos, '\r', ce - pos) != NULL) {
			/* some parsers end a line there, others do not */
			*why = "bare CR in a header field";
			return -1;
		}
		if (msg[pos] == ' ' || msg[pos] == '\t') {
			if (!open) {
				*why = "header block starts with a "
				    "continuation";
				return -1;
			}
			continue;
		}
		for (i = pos; i < ce && msg[i] > 32 && msg[i] < 127 &&
		    msg[i] != ':'; i++)
			;
		/* "Name :" is obsolete syntax some parsers reject: so do we */
		if (i == pos || i == ce || msg[i] != ':') {
			*why = "malformed header line";
			return -1;
		}
		if (open && field_note(msg, h, f_off, f_val, pos, why) < 0)
			return -1;
		open = 1;
		f_off = pos;
		f_val = i + 1;
	}
	if (open && field_note(msg, h, f_off, f_val, h->end, why) < 0)
		return -1;
	return 0;
}

/* is_fws - folding white space: SP, HT, CR, LF */
static int
is_fws(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* skip_cfws - skip white space, line ends and (nested) comments */
static size_t
skip_cfws(const char *msg, size_t pos, size_t end)
{
	int	 depth = 0;

	for (; pos < end; pos++) {
		if (depth > 0 && msg[pos] == '\\' && pos + 1 < end)
			pos++;
		else if (msg[pos] == '(')
			depth++;
		else if (depth > 0 && msg[pos] == ')')
			depth--;
		else if (depth == 0 && !is_fws(msg[pos]))
			break;
	}
	return pos;
}

/* token_end - end of the RFC 2045 token at pos */
static size_t
token_end(const char *msg, size_t pos, size_t end)
{
	unsigned char c;

	for (; pos < end; pos++) {
		c = (unsigned char)msg[pos];
		if (c <= 32 || c == 127 ||
		    strchr("()<>@,;:\\\"/[]?=", c) != NULL)
			break;
	}
	return pos;
}

/* skip_junk - past text that is no parameter, up to ";"; -1 if quoted */
static int
skip_junk(const char *msg, size_t *posp, size_t end)
{
	const char *semi = memchr(msg + *posp, ';', end - *posp);
	size_t	 stop = semi == NULL ? end : (size_t)(semi - msg);

	/* a stray quote: parsers disagree on where the next ";" is */
	if (memchr(msg + *posp, '"', stop - *posp) != NULL)
		return -1;
	*posp = stop;
	return 0;
}

/* param_next - the next parameter; 1, 0 at the end, -1 malformed */
static int
param_next(const char *msg, size_t *posp, size_t end, struct param *p)
{
	size_t	 pos = *posp;

	memset(p, 0, sizeof(*p));
	for (;;) {
		pos = skip_cfws(msg, pos, end);
		if (pos >= end)
			return 0;
		if (msg[pos] != ';') {
			if (skip_junk(msg, &pos, end) < 0)
				return -1;
			continue;
		}
		p->semi = pos;
		pos = skip_cfws(msg, pos + 1, end);
		p->name = pos;
		p->name_end = pos = token_end(msg, pos, end);
		pos = skip_cfws(msg, pos, end);
		if (p->name == p->name_end)
			continue;		/* ";;" or junk: next round */
		if (pos < end && msg[pos] == '=')
			break;
		p->novalue = 1;			/* "; name" without a value */
		*posp = pos;
		return 1;
	}
	pos = skip_cfws(msg, pos + 1, end);
	p->vs = pos;
	if (pos < end && msg[pos] == '"') {
		p->quoted = 1;
		for (pos++; pos < end && msg[pos] != '"'; pos++)
			if (msg[pos] == '\\')
				pos++;
		if (pos >= end)
			return -1;
		pos++;
	} else
		pos = token_end(msg, pos, end);
	p->ve = pos;
	pos = skip_cfws(msg, pos, end);
	if (pos < end && msg[pos] != ';') {
		p->junk = 1;
		if (skip_junk(msg, &pos, end) < 0)
			return -1;
	}
	*posp = pos;
	return 1;
}

/* param_is - does the attribute equal name (ignoring case) */
static int
param_is(const char *msg, const struct param *p, const char *name)
{
	return field_is(msg, p->name, p->name_end, name);
}

/* param_copy - the unquoted value into buf; -1 when it does not fit */
static int
param_copy(const char *msg, const struct param *p, char *buf, size_t size)
{
	size_t	 i = p->vs, e = p->ve, n = 0;

	if (p->quoted) {
		i++;
		e--;
	}
	for (; i < e; i++) {
		if (p->quoted && msg[i] == '\\' && i + 1 < e)
			i++;
		if (msg[i] == '\r' || msg[i] == '\n')
			continue;	/* folded inside quotes */
		if (n + 1 >= size)
			return -1;
		buf[n++] = msg[i];
	}
	buf[n] = '\0';
	return 0;
}

/* copy_lower - [pos, end) in lower case into buf; -1 if too long */
static int
copy_lower(const char *msg, size_t pos, size_t end, char *buf, size_t size)
{
	size_t	 n = 0;

	if (end - pos >= size)
		return -1;
	for (; pos < end; pos++) {
		buf[n] = msg[pos];
		if (buf[n] >= 'A' && buf[n] <= 'Z')
			buf[n] = (char)(buf[n] - 'A' + 'a');
		n++;
	}
	buf[n] = '\0';
	return 0;
}

/*
 * param_attr - is the parameter attr, in any RFC 2231 form?  0 when it
 * is not; 1 with p->sect (-1: not continued) and p->ext set; -1 for
 * attr with a malformed suffix ("attr*x", "attr*01", "attr*99999").
 */
static int
param_attr(const char *msg, struct param *p, const char *attr)
{
	size_t	 al = strlen(attr), i = p->name + al, e = p->name_end, d;
	int	 n = 0;

	if (e - p->name < al || strncasecmp(msg + p->name, attr, al) != 0)
		return 0;
	p->sect = -1;
	p->ext = 0;
	if (i == e)
		return 1;
	if (msg[i++] != '*')
		return 0;		/* another attribute: "charsetx" */
	if (i == e) {
		p->ext = 1;
		return 1;
	}
	if (msg[i] == '0' && i + 1 < e && msg[i + 1] != '*')
		return -1;		/* RFC 2231: no leading zeros */
	for (d = i; i < e && msg[i] >= '0' && msg[i] <= '9'; i++)
		if ((n = n * 10 + (msg[i] - '0')) >= MIMEHDR_SECTIONS_MAX)
			return -1;	/* more sections than we keep */
	if (i == d)
		return -1;		/* "attr**" or "attr*x" */
	if (i < e && msg[i] == '*' && i + 1 == e)
		p->ext = 1;
	else if (i != e)
		return -1;
	p->sect = n;
	return 1;
}

/* pval_add - note one form of the parameter; repeats make it bad */
static void
pval_add(struct pval *v, const struct param *p)
{
	if (p->novalue || p->junk) {
		v->bad = 1;		/* readers disagree on such values */
		return;
	}
	if (p->sect < 0) {
		if (p->ext ? v->single++ : v->plain++)
			v->bad = 1;
		v->one = *p;
		return;
	}
	if (v->have[p->sect]++)
		v->bad = 1;
	v->sec[p->sect] = *p;
	if (p->sect >= v->nsec)
		v->nsec = p->sect + 1;
}

/* pct_decode - RFC 2231 %XX decoding of s[0..n) onto buf; -1 if bad */
static int
pct_decode(const char *s, size_t n, char *buf, size_t size, size_t *len)
{
	static const char hex[] = "0123456789abcdef0123456789ABCDEF";
	const char *h, *l;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (*len + 1 >= size)
			return -1;
		if (s[i] != '%') {
			buf[(*len)++] = s[i];
			continue;
		}
		if (i + 2 >= n || s[i + 1] == '\0' || s[i + 2] == '\0' ||
		    (h = strchr(hex, s[i + 1])) == NULL ||
		    (l = strchr(hex, s[i + 2])) == NULL)
			return -1;
		buf[*len] = (char)(((h - hex) % 16) * 16 + (l - hex) % 16);
		if ((unsigned char)buf[*len] < 32 || buf[*len] == 127)
			return -1;	/* a NUL or line end in a value */
		(*len)++;
		i += 2;
	}
	buf[*len] = '\0';
	return 0;
}

/*
 * section_get - append one section's value (unquoted; %-decoded when
 * extended, past "charset'language'" when first) to buf at *len
 */
static int
section_get(const char *msg, const struct param *p, int first, char *buf,
    size_t size, size_t *len)
{
	char	 raw[MIMEHDR_RAW_MAX];
	const char *s = raw, *q;
	size_t	 k;

	if (param_copy(msg, p, raw, sizeof(raw)) < 0)
		return -1;
	if (!p->ext) {
		k = strlen(raw);
		if (*len + k >= size)
			return -1;
		memcpy(buf + *len, raw, k + 1);
		*len += k;
		return 0;
	}
	if (first) {
		/* charset'language'value: the value is ASCII to us */
		if ((q = strchr(raw, '\'')) == NULL ||
		    (q = strchr(q + 1, '\'')) == NULL)
			return -1;
		s = q + 1;
	}
	return pct_decode(s, strlen(s), buf, size, len);
}

/* pval_get - the whole value into buf: 1, 0 when absent, -1 if bad */
static int
pval_get(const char *msg, const struct pval *v, char *buf, size_t size)
{
	size_t	 len = 0;
	int	 i;

	buf[0] = '\0';
	if (v->bad || v->plain + v->single + v->nsec == 0)
		return v->bad ? -1 : 0;
	if (v->plain + v->single + (v->nsec > 0) > 1)
		return -1;		/* two forms: readers pick either */
	if (v->nsec == 0)
		return section_get(msg, &v->one, 1, buf, size, &len) < 0 ?
		    -1 : 1;
	for (i = 0; i < v->nsec; i++)
		if (!v->have[i] || section_get(msg, &v->sec[i], i == 0, buf,
		    size, &len) < 0)
			return -1;	/* a gap: some readers stop there */
	return 1;
}

/* printable - printable ASCII only (space too when spaces) */
static int
printable(const char *s, int spaces)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s > 126 || (unsigned char)*s < 32 ||
		    (*s == ' ' && !spaces))
			return 0;
	return 1;
}

/* ctype_param - note one Content-Type parameter; -1 if it is bad */
static int
ctype_param(const char *msg, struct param *p, struct mime_ctype *ct,
    struct pval *v)
{
	size_t	 nl = p->name_end - p->name;
	const char *n = msg + p->name;
	int	 r;

	if ((r = param_attr(msg, p, "boundary")) != 0) {
		if (r < 0)
			return -1;
		pval_add(&v[0], p);
	} else if ((r = param_attr(msg, p, "charset")) != 0) {
		if (r < 0)
			return -1;
		pval_add(&v[1], p);
	} else if (param_attr(msg, p, "start") > 0)
		pval_add(&v[2], p);
	else if (p->novalue)
		return 0;
	else if (param_is(msg, p, "format"))
		ct->flowed = field_is(msg, p->vs + (size_t)p->quoted,
		    p->ve - (size_t)p->quoted, "flowed");
	else if (nl >= 4 && strncasecmp(n, "name", 4) == 0 &&
	    (nl == 4 || n[4] == '*'))
		ct->has_name = 1;
	return 0;
}

/* no_slash - no "/" before the first ";" (or end) of the value */
static int
no_slash(const char *msg, size_t pos, size_t end)
{
	const char *semi = memchr(msg + pos, ';', end - pos);
	size_t	 e = semi == NULL ? end : (size_t)(semi - msg);

	return memchr(msg + pos, '/', e - pos) == NULL;
}

/* mimehdr_ctype - parse a Content-Type value; 0, or -1/-2 with *why */
int
mimehdr_ctype(const char *msg, const struct mime_field *f,
    struct mime_ctype *ct, const char **why)
{
	size_t	 pos = f->val, end = f->end, t, te, s, se;
	struct param p;
	struct pval *v;
	int	 r, bad;

	memset(ct, 0, sizeof(*ct));
	t = skip_cfws(msg, pos, end);
	te = token_end(msg, t, end);
	pos = skip_cfws(msg, te, end);
	if (no_slash(msg, f->val, end))
		goto invalid;
	if (te == t || pos >= end || msg[pos] != '/')
		goto bad;
	s = skip_cfws(msg, pos + 1, end);
	se = token_end(msg, s, end);
	if (se == s)
		goto bad;
	if (copy_lower(msg, t, te, ct->type, sizeof(ct->type)) < 0 ||
	    copy_lower(msg, s, se, ct->subtype, sizeof(ct->subtype)) < 0)
		goto bad;
	pos = skip_cfws(msg, se, end);
	if (pos < end && msg[pos] != ';')
		goto bad;
	v = xcalloc(3, sizeof(*v));
	bad = 0;
	while ((r = param_next(msg, &pos, end, &p)) > 0)
		bad |= ctype_param(msg, &p, ct, v) < 0;
	if (r == 0 && !bad) {
		bad = pval_get(msg, &v[0], ct->boundary,
		    sizeof(ct->boundary)) < 0 || !printable(ct->boundary, 1) ||
		    pval_get(msg, &v[1], ct->charset, sizeof(ct->charset)) < 0 ||
		    !printable(ct->charset, 0);
		if (v[0].plain + v[0].single + v[0].nsec > 0 &&
		    ct->boundary[0] == '\0')
			bad = 1;	/* an empty boundary */
		if (pval_get(msg, &v[2], ct->start, sizeof(ct->start)) < 0)
			ct->start[0] = '\0';	/* best effort, as before */
	}
	free(v);
	if (r < 0) {
		*why = "unterminated quoted string in Content-Type";
		return -1;
	}
	if (bad) {
		*why = "bad boundary or charset parameter";
		return -1;
	}
	return 0;
invalid:
	/*
	 * No type/subtype at all: RFC 2045 5.2 says to read it as if it
	 * were absent (text/plain; charset=us-ascii), and so do parsers
	 * (Python's email counts the "/").  A value that starts with
	 * multipart or message claims a structure we cannot see, and
	 * stays malformed; so does "/plain" or "text/", which readers
	 * take as an unknown type.
	 */
	if (field_is(msg, t, te, "multipart") || field_is(msg, t, te,
	    "message"))
		goto bad;
	*why = "invalid Content-Type (read as text/plain)";
	return MIMEHDR_CT_INVALID;
bad:
	*why = "malformed Content-Type";
	return -1;
}

/* mimehdr_cte - the transfer encoding a field names */
enum mime_cte
mimehdr_cte(const char *msg, const struct mime_field *f)
{
	static const struct {
		const char *name;
		enum mime_cte cte;
	} names[] = {
		{ "7bit", MIME_CTE_7BIT }, { "8bit", MIME_CTE_8BIT },
		{ "binary", MIME_CTE_BINARY },
		{ "quoted-printable", MIME_CTE_QP },
		{ "base64", MIME_CTE_BASE64 },
	};
	size_t	 t, te, i;

	if (!mimehdr_present(f))
		return MIME_CTE_7BIT;
	t = skip_cfws(msg, f->val, f->end);
	te = token_end(msg, t, f->end);
	if (skip_cfws(msg, te, f->end) != f->end)
		return MIME_CTE_OTHER;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (field_is(msg, t, te, names[i].name))
			return names[i].cte;
	return MIME_CTE_OTHER;
}

/* mimehdr_cdisp - does the disposition mark a file */
int
mimehdr_cdisp(const char *msg, const struct mime_field *f)
{
	size_t	 pos, t, te;
	struct param p;

	if (!mimehdr_present(f))
		return 0;
	t = skip_cfws(msg, f->val, f->end);
	te = token_end(msg, t, f->end);
	if (field_is(msg, t, te, "attachment"))
		return 1;
	pos = te;
	while (param_next(msg, &pos, f->end, &p) > 0)
		if (p.name_end - p.name >= 8 &&
		    strncasecmp(msg + p.name, "filename", 8) == 0)
			return 1;
	return 0;
}

/* mimehdr_set_charset - the Content-Type field with charset set */
void
mimehdr_set_charset(const char *msg, const struct mime_field *f,
    const char *charset, struct sbuf *out)
{
	size_t	 pos = f->val, e = f->end, from = f->off;
	struct param p;

	/* without the field's line end, an empty value at the end of the
	 * field is not found after it (the new value would follow it) */
	if (e > pos && msg[e - 1] == '\n')
		e--;
	if (e > pos && msg[e - 1] == '\r')
		e--;
	while (param_next(msg, &pos, e, &p) > 0) {
		if (p.novalue || param_attr(msg, &p, "charset") <= 0)
			continue;
		if (p.sect >= 0 || p.ext) {
			/* RFC 2231 form: cut it, add a plain one below */
			sbuf_putn(out, msg + from, p.semi - from);
			from = p.ve;
			continue;
		}
		sbuf_putn(out, msg + from, p.vs - from);
		sbuf_puts(out, charset);
		sbuf_putn(out, msg + p.ve, f->end - p.ve);
		return;
	}
	for (e = f->end; e > from && e > f->val && is_fws(msg[e - 1]); e--)
		;
	sbuf_putn(out, msg + from, e - from);
	sbuf_puts(out, e > f->val && msg[e - 1] == ';' ? " charset=" :
	    "; charset=");
	sbuf_puts(out, charset);
	sbuf_putn(out, msg + e, f->end - e);
}
