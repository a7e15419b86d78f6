/* dcpart_out.c - the disclaimer transform of one text part: the output */
#include "config.h"

#include <string.h>

#include "dcpart.h"
#include "xalloc.h"

#define LINE_MAX_8BIT	900	/* longest inserted line in a 7bit/8bit body */
#define QP_COL_MAX	76	/* RFC 2045 6.7 rule 5 */

static size_t	longest_line(const char *, size_t);
static int	need_qp(const struct dcpart *, int);
static void	full_encode(const char *, struct dcpart *, const char *,
		    struct sbuf *);
static void	field_eol(const char *, const struct mime_field *,
		    struct sbuf *);
static void	ctype_utf8(const struct mime_part *, struct sbuf *);

/* longest_line - bytes in the longest line of s */
static size_t
longest_line(const char *s, size_t n)
{
	size_t	 i, len = 0, max = 0;

	for (i = 0; i < n; i++) {
		len = s[i] == '\n' ? 0 : len + 1;
		if (len > max)
			max = len;
	}
	return max;
}

/* dcpart_qp_splice_ok - can encoded text go in at raw offset at */
int
dcpart_qp_splice_ok(const char *raw, size_t at)
{
	const char *nl;
	size_t	 bol;

	if (at == 0 || raw[at - 1] == '\n')
		return 1;
	if (raw[at - 1] == '=' || raw[at - 1] == '\r')
		return 0;
	nl = memrchr(raw, '\n', at);
	bol = nl == NULL ? 0 : (size_t)(nl - raw) + 1;
	return at - bol < QP_COL_MAX;	/* room for the soft break's "=" */
}

/* full_encode - the whole new text, encoded as the part was */
static void
full_encode(const char *msg, struct dcpart *w, const char *reol,
    struct sbuf *out)
{
	const struct mime_part *p = w->p;
	struct sbuf t = { NULL, 0, 0 };
	int	 final = p->end > p->hdr.body && msg[p->end - 1] == '\n';

	sbuf_reserve(&t, w->tlen + w->ins.len);
	sbuf_putn(&t, w->text, w->at);
	sbuf_putn(&t, w->ins.p, w->ins.len);
	sbuf_putn(&t, w->text + w->at, w->tlen - w->at);
	if (p->cte == MIME_CTE_BASE64)
		mime_b64_encode(t.p, t.len, reol, final, out);
	else if (p->cte == MIME_CTE_QP || w->set_qp)
		mime_qp_encode(t.p, t.len, reol, out);
	else
		sbuf_putn(out, t.p, t.len);
	sbuf_free(&t);
}

/* need_qp - must the part become quoted-printable */
static int
need_qp(const struct dcpart *w, int raw_text)
{
	int	 long_ins;

	long_ins = longest_line(w->ins.p, w->ins.len) > LINE_MAX_8BIT;
	switch (w->p->cte) {
	case MIME_CTE_7BIT:
		return long_ins || !dcpart_is_ascii(w->ins.p, w->ins.len) ||
		    (!raw_text && !dcpart_is_ascii(w->text, w->tlen));
	case MIME_CTE_8BIT:
	case MIME_CTE_BINARY:
		return long_ins;
	default:
		return 0;
	}
}

/* dcpart_body - the part's new body (after its empty line) */
void
dcpart_body(const char *msg, struct dcpart *w, int crlf, struct sbuf *out)
{
	const struct mime_part *p = w->p;
	const char *raw = msg + p->hdr.body;
	size_t	 rlen = p->end - p->hdr.body, at = 0;
	const char *reol = mime_eol_crlf(raw, rlen, crlf) ? "\r\n" : "\n";
	int	 raw_text = w->text == raw;

	w->set_qp = need_qp(w, raw_text);
	if (raw_text && !w->set_qp) {
		sbuf_putn(out, raw, w->at);
		sbuf_putn(out, w->ins.p, w->ins.len);
		sbuf_putn(out, raw + w->at, rlen - w->at);
		return;
	}
	if (p->cte == MIME_CTE_QP && !w->relabel)
		at = mime_qp_offset(raw, rlen, w->at);
	if (p->cte != MIME_CTE_QP || w->relabel ||
	    !dcpart_qp_splice_ok(raw, at)) {
		full_encode(msg, w, reol, out);
		return;
	}
	sbuf_putn(out, raw, at);
	if (at > 0 && raw[at - 1] != '\n') {
		sbuf_putn(out, "=", 1);
		sbuf_puts(out, reol);
	}
	mime_qp_encode(w->ins.p, w->ins.len, reol, out);
	if (at < rlen && w->ins.len > 0 && w->ins.p[w->ins.len - 1] != '\n') {
		sbuf_putn(out, "=", 1);
		sbuf_puts(out, reol);
	}
	sbuf_putn(out, raw + at, rlen - at);
}

/* ctype_utf8 - "type/subtype; charset=UTF-8" of a defaulted part */
static void
ctype_utf8(const struct mime_part *p, struct sbuf *out)
{
	sbuf_puts(out, p->ct.type);
	sbuf_puts(out, "/");
	sbuf_puts(out, p->ct.subtype);
	sbuf_puts(out, "; charset=UTF-8");
}

/* field_eol - the line end the field at f ends with, if any */
static void
field_eol(const char *msg, const struct mime_field *f, struct sbuf *out)
{
	if (f->end > f->off && msg[f->end - 1] == '\n')
		sbuf_puts(out, f->end - f->off >= 2 && msg[f->end - 2] == '\r' ?
		    "\r\n" : "\n");
}

/* dcpart_headers - the part's header block with the changes made */
void
dcpart_headers(const char *msg, const struct dcpart *w, int crlf,
    struct sbuf *out)
{
	const struct mime_hdr *h = &w->p->hdr;
	const struct mime_field *f[2], *tmp;
	const char *eol = mime_eol_crlf(msg + h->start, h->end - h->start,
	    crlf) ? "\r\n" : "\n";
	size_t	 n = 0, i, pos = h->start, base = out->len;

	if (w->relabel && mimehdr_present(&h->ct))
		f[n++] = &h->ct;
	if (w->set_qp && mimehdr_present(&h->cte))
		f[n++] = &h->cte;
	if (n == 2 && f[0]->off > f[1]->off) {
		tmp = f[0];
		f[0] = f[1];
		f[1] = tmp;
	}
	for (i = 0; i < n; i++) {
		sbuf_putn(out, msg + pos, f[i]->off - pos);
		if (f[i] == &h->ct && w->p->ct_invalid) {
			/* an invalid value: write the one it was read as */
			sbuf_putn(out, msg + f[i]->off, f[i]->val - f[i]->off);
			sbuf_puts(out, " ");
			ctype_utf8(w->p, out);
			field_eol(msg, f[i], out);
		} else if (f[i] == &h->ct)
			mimehdr_set_charset(msg, f[i], "UTF-8", out);
		else {
			sbuf_putn(out, msg + f[i]->off, f[i]->val - f[i]->off);
			sbuf_puts(out, " quoted-printable");
			field_eol(msg, f[i], out);
		}
		pos = f[i]->end;
	}
	sbuf_putn(out, msg + pos, h->end - pos);
	if ((!w->relabel || mimehdr_present(&h->ct)) &&
	    (!w->set_qp || mimehdr_present(&h->cte)))
		return;
	if (out->len > base && out->p[out->len - 1] != '\n')
		sbuf_puts(out, eol);
	if (w->relabel && !mimehdr_present(&h->ct)) {
		sbuf_puts(out, "Content-Type: ");
		ctype_utf8(w->p, out);
		sbuf_puts(out, eol);
	}
	if (w->set_qp && !mimehdr_present(&h->cte)) {
		sbuf_puts(out, "Content-Transfer-Encoding: quoted-printable");
		sbuf_puts(out, eol);
	}
}

/* dcpart_part - the whole new part: header block, empty line, body */
void
dcpart_part(const char *msg, struct dcpart *w, int crlf, struct sbuf *out)
{
	const struct mime_hdr *h = &w->p->hdr;
	struct sbuf body = { NULL, 0, 0 };
	const char *eol = crlf ? "\r\n" : "\n";

	dcpart_body(msg, w, crlf, &body);	/* decides set_qp */
	dcpart_headers(msg, w, crlf, out);
	if (h->body > h->end)
		sbuf_putn(out, msg + h->end, h->body - h->end);
	else {
		/* no empty line: a header-only part (or none at all) */
		if (h->end > h->start && msg[h->end - 1] != '\n')
			sbuf_puts(out, eol);
		sbuf_puts(out, eol);
	}
	sbuf_putn(out, body.p, body.len);
	sbuf_free(&body);
}

/* dcpart_value - a changed field's new value, as smfi_chgheader wants */
char *
dcpart_value(const char *msg, const struct dcpart *w, int cte)
{
	const struct mime_field *f = &w->p->hdr.ct;
	struct sbuf t = { NULL, 0, 0 }, v = { NULL, 0, 0 };
	size_t	 i;

	if (cte)
		return xstrdup("quoted-printable");
	if (!mimehdr_present(f) || w->p->ct_invalid)
		ctype_utf8(w->p, &v);
	else {
		mimehdr_set_charset(msg, f, "UTF-8", &t);
		i = f->val - f->off;
		while (i < t.len && (t.p[i] == ' ' || t.p[i] == '\t'))
			i++;
		for (; i < t.len; i++)
			if (t.p[i] != '\r')
				sbuf_putn(&v, t.p + i, 1);
		while (v.len > 0 && v.p[v.len - 1] == '\n')
			v.len--;
	}
	sbuf_putn(&v, "", 1);
	sbuf_free(&t);
	return v.p;
}
