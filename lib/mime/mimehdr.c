/* mimehdr.c - a MIME header block and its content fields, in place */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "mimehdr.h"

struct param {				/* one "; name=value", in place */
	size_t	 name, name_end;	/* offsets of the attribute */
	size_t	 vs, ve;	/* offsets of the value, quotes included */
	int	 quoted;		/* value is a quoted-string */
	int	 junk;			/* text after the value before ";" */
	int	 novalue;		/* no "=" after the attribute */
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
static int	ctype_param(const char *, const struct param *,
		    struct mime_ctype *, int *, int *);

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

/* ctype_param - take one Content-Type parameter; -1 if it is bad */
static int
ctype_param(const char *msg, const struct param *p, struct mime_ctype *ct,
    int *seen_b, int *seen_c)
{
	size_t	 nl = p->name_end - p->name;
	const char *n = msg + p->name;

	if (p->novalue) {
		/* a valueless boundary or charset: readers disagree */
		return param_is(msg, p, "boundary") ||
		    param_is(msg, p, "charset") ? -1 : 0;
	}
	if (param_is(msg, p, "boundary")) {
		if ((*seen_b)++ || p->junk || p->ve == p->vs)
			return -1;
		if (param_copy(msg, p, ct->boundary,
		    sizeof(ct->boundary)) < 0 || ct->boundary[0] == '\0')
			return -1;
	} else if (param_is(msg, p, "charset")) {
		if ((*seen_c)++ || p->junk ||
		    param_copy(msg, p, ct->charset, sizeof(ct->charset)) < 0)
			return -1;
	} else if (param_is(msg, p, "start"))
		(void)param_copy(msg, p, ct->start, sizeof(ct->start));
	else if (param_is(msg, p, "format"))
		ct->flowed = field_is(msg, p->vs + (size_t)p->quoted,
		    p->ve - (size_t)p->quoted, "flowed");
	else if ((nl > 8 && strncasecmp(n, "boundary*", 9) == 0) ||
	    (nl > 7 && strncasecmp(n, "charset*", 8) == 0))
		return -1;		/* RFC 2231 boundary or charset */
	else if (nl >= 4 && strncasecmp(n, "name", 4) == 0 &&
	    (nl == 4 || n[4] == '*'))
		ct->has_name = 1;
	return 0;
}

/* mimehdr_ctype - parse a Content-Type value; 0, or -1 with *why */
int
mimehdr_ctype(const char *msg, const struct mime_field *f,
    struct mime_ctype *ct, const char **why)
{
	size_t	 pos = f->val, end = f->end, t, te, s, se;
	struct param p;
	int	 r, seen_b = 0, seen_c = 0;

	memset(ct, 0, sizeof(*ct));
	t = skip_cfws(msg, pos, end);
	te = token_end(msg, t, end);
	pos = skip_cfws(msg, te, end);
	if (te == t || pos >= end || msg[pos] != '/')
		goto bad;
	s = skip_cfws(msg, pos + 1, end);
	se = token_end(msg, s, end);
	if (se == s || copy_lower(msg, t, te, ct->type, sizeof(ct->type)) < 0 ||
	    copy_lower(msg, s, se, ct->subtype, sizeof(ct->subtype)) < 0)
		goto bad;
	pos = skip_cfws(msg, se, end);
	if (pos < end && msg[pos] != ';')
		goto bad;
	while ((r = param_next(msg, &pos, end, &p)) > 0)
		if (ctype_param(msg, &p, ct, &seen_b, &seen_c) < 0) {
			*why = "bad boundary or charset parameter";
			return -1;
		}
	if (r == 0)
		return 0;
	*why = "unterminated quoted string in Content-Type";
	return -1;
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
    const char *charset, struct mbuf *out)
{
	size_t	 pos = f->val, e = f->end;
	struct param p;

	/* without the field's line end, an empty value at the end of the
	 * field is not found after it (the new value would follow it) */
	if (e > pos && msg[e - 1] == '\n')
		e--;
	if (e > pos && msg[e - 1] == '\r')
		e--;
	while (param_next(msg, &pos, e, &p) > 0) {
		if (p.novalue || !param_is(msg, &p, "charset"))
			continue;
		mbuf_add(out, msg + f->off, p.vs - f->off);
		mbuf_adds(out, charset);
		mbuf_add(out, msg + p.ve, f->end - p.ve);
		return;
	}
	for (e = f->end; e > f->val && is_fws(msg[e - 1]); e--)
		;
	mbuf_add(out, msg + f->off, e - f->off);
	mbuf_adds(out, e > f->val && msg[e - 1] == ';' ? " charset=" :
	    "; charset=");
	mbuf_adds(out, charset);
	mbuf_add(out, msg + e, f->end - e);
}
