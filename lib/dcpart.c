/* dcpart.c - the disclaimer transform of one text part */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "dcpart.h"
#include "xalloc.h"

#define LINE_MAX_8BIT	900	/* longest inserted line in a 7bit/8bit body */
#define QP_COL_MAX	76	/* RFC 2045 6.7 rule 5 */

static int	is_ascii(const char *, size_t);
static size_t	longest_line(const char *, size_t);
static int	decode(const char *, struct dcpart *);
static int	charset(struct dcpart *, enum charconv_class *);
static int	to_utf8(struct dcpart *);
static int	inline_pgp(const char *, size_t);
static int	present(const struct dcpart *, enum charconv_class,
		    const struct dc_text *);
static size_t	body_tag(const char *, size_t);
static void	put_eol_text(struct mbuf *, const char *, size_t, const char *);
static void	build_ins(struct dcpart *, const struct dc_text *, int,
		    struct mbuf *);
static int	insertion(struct dcpart *, enum charconv_class,
		    const struct dc_text *, int);
static int	qp_splice_ok(const char *, size_t);
static int	need_qp(const struct dcpart *, int);
static void	full_encode(const char *, struct dcpart *, const char *,
		    struct mbuf *);
static void	field_eol(const char *, const struct mime_field *,
		    struct mbuf *);

/* is_ascii - no byte above 0x7f, no ESC (ISO 2022 shifts) */
static int
is_ascii(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] > 0x7f || s[i] == 0x1b)
			return 0;
	return 1;
}

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

/* decode - the decoded body into w->text; 0, or -1 with w->why */
static int
decode(const char *msg, struct dcpart *w)
{
	const struct mime_part *p = w->p;
	const char *raw = msg + p->hdr.body;
	size_t	 rlen = p->end - p->hdr.body;

	switch (p->cte) {
	case MIME_CTE_7BIT:
	case MIME_CTE_8BIT:
	case MIME_CTE_BINARY:
		w->text = raw;
		w->tlen = rlen;
		return 0;
	case MIME_CTE_QP:
		w->qp_bad = mime_qp_decode(raw, rlen, &w->dec);
		break;
	case MIME_CTE_BASE64:
		if (mime_b64_decode(raw, rlen, &w->dec) < 0) {
			w->why = "text part is not clean base64";
			return -1;
		}
		break;
	default:
		w->why = "text part has an unknown transfer encoding";
		return -1;
	}
	w->text = w->dec.p == NULL ? "" : w->dec.p;
	w->tlen = w->dec.len;
	return 0;
}

/* to_utf8 - convert the working text to UTF-8 and relabel; 0 or -1 */
static int
to_utf8(struct dcpart *w)
{
	w->conv.len = 0;
	if (charconv_convert(w->cs, "UTF-8", w->text, w->tlen, &w->conv,
	    0) < 0) {
		w->why = "text part is not valid in its charset";
		return -1;
	}
	w->text = w->conv.p == NULL ? "" : w->conv.p;
	w->tlen = w->conv.len;
	w->relabel = 1;
	(void)strcpy(w->cs, "UTF-8");
	return 0;
}

/* charset - classify the part's charset; convert when text must be */
static int
charset(struct dcpart *w, enum charconv_class *cls)
{
	*cls = charconv_lookup(w->p->ct.charset, w->cs, sizeof(w->cs));
	switch (*cls) {
	case CHARCONV_UNKNOWN:
		if (!is_ascii(w->text, w->tlen)) {
			w->why = "text part has an unknown charset";
			return -1;
		}
		w->relabel = 1;		/* ASCII is valid UTF-8 */
		(void)strcpy(w->cs, "UTF-8");
		*cls = CHARCONV_UTF8;
		return 0;
	case CHARCONV_OTHER:
		*cls = CHARCONV_UTF8;
		return to_utf8(w);
	default:
		return 0;
	}
}

/* inline_pgp - does the text hold an inline PGP block */
static int
inline_pgp(const char *s, size_t n)
{
	static const char *const marks[] = {
		"-----BEGIN PGP SIGNED MESSAGE-----",
		"-----BEGIN PGP MESSAGE-----",
	};
	const char *p;
	size_t	 i, off, len;

	for (i = 0; i < 2; i++) {
		len = strlen(marks[i]);
		for (off = 0; off < n; off = (size_t)(p - s) + 1) {
			if ((p = memmem(s + off, n - off, marks[i], len)) ==
			    NULL)
				break;
			if (p == s || p[-1] == '\n')
				return 1;
		}
	}
	return 0;
}

/* present - does the part's text already carry the disclaimer */
static int
present(const struct dcpart *w, enum charconv_class cls,
    const struct dc_text *dt)
{
	struct mbuf u8 = { NULL, 0, 0 }, t = { NULL, 0, 0 };
	struct mbuf key = { NULL, 0, 0 };
	const char *s = w->text;
	size_t	 n = w->tlen;
	int	 found;

	if (cls == CHARCONV_COMPAT) {
		(void)charconv_convert(w->cs, "UTF-8", s, n, &u8, 1);
		s = u8.p == NULL ? "" : u8.p;
		n = u8.len;
	}
	if (w->html) {
		dctext_textify(s, n, &t);
		mbuf_free(&u8);
		s = t.p == NULL ? "" : t.p;
		n = t.len;
	}
	dctext_key(s, n, &key);
	mbuf_free(&u8);
	mbuf_free(&t);
	found = dctext_has(&key, &dt->key_text) ||
	    dctext_has(&key, &dt->key_html);
	mbuf_free(&key);
	return found;
}

/* body_tag - offset of the last "</body" tag in s, or n */
static size_t
body_tag(const char *s, size_t n)
{
	const char *lt;
	size_t	 end = n;

	while (end > 0 && (lt = memrchr(s, '<', end)) != NULL) {
		end = (size_t)(lt - s);
		if (n - end >= 7 && strncasecmp(lt, "</body", 6) == 0 &&
		    strchr("> \t\r\n", lt[6]) != NULL && lt[6] != '\0')
			return end;
	}
	return n;
}

/* put_eol_text - s with its LF line ends written as eol */
static void
put_eol_text(struct mbuf *out, const char *s, size_t n, const char *eol)
{
	const char *nl;

	while (n > 0 && (nl = memchr(s, '\n', n)) != NULL) {
		mbuf_add(out, s, (size_t)(nl - s));
		mbuf_adds(out, eol);
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	mbuf_add(out, s, n);
}

/* build_ins - the UTF-8 bytes to insert and where (w->at) */
static void
build_ins(struct dcpart *w, const struct dc_text *dt, int crlf,
    struct mbuf *u8)
{
	const char *eol = mime_eol_crlf(w->text, w->tlen, crlf) ? "\r\n" :
	    "\n";
	size_t	 n = w->tlen;
	int	 ends = n > 0 && w->text[n - 1] == '\n';

	u8->len = 0;
	w->at = w->html ? body_tag(w->text, n) : n;
	if (w->at < n) {
		if (w->at > 0 && w->text[w->at - 1] != '\n')
			mbuf_adds(u8, eol);
		put_eol_text(u8, dt->html.p, dt->html.len, eol);
		mbuf_adds(u8, eol);
		return;
	}
	if (n > 0 && !ends)
		mbuf_adds(u8, eol);
	if (n > 0 && !w->html)
		mbuf_adds(u8, eol);
	if (w->html)
		put_eol_text(u8, dt->html.p, dt->html.len, eol);
	else
		dctext_plain(dt, eol, w->p->ct.flowed, u8);
	if (ends || n == 0)
		mbuf_adds(u8, eol);
}

/* insertion - w->ins in the working charset; relabels if it must */
static int
insertion(struct dcpart *w, enum charconv_class cls,
    const struct dc_text *dt, int crlf)
{
	struct mbuf u8 = { NULL, 0, 0 };

	build_ins(w, dt, crlf, &u8);
	if (cls == CHARCONV_ASCII && is_ascii(u8.p, u8.len))
		cls = CHARCONV_UTF8;	/* same bytes */
	if (cls == CHARCONV_COMPAT && charconv_convert("UTF-8", w->cs, u8.p,
	    u8.len, &w->ins, 0) == 0) {
		mbuf_free(&u8);
		return 0;
	}
	if (cls != CHARCONV_UTF8 && !w->relabel) {
		if (to_utf8(w) < 0) {
			mbuf_free(&u8);
			return -1;
		}
		build_ins(w, dt, crlf, &u8);
	}
	mbuf_free(&w->ins);
	w->ins = u8;
	return 0;
}

/* dcpart_prepare - decide what happens to one text part */
enum dcpart_res
dcpart_prepare(const char *msg, const struct mime_part *p,
    const struct dc_text *dt, int crlf, struct dcpart *w)
{
	enum charconv_class cls;

	memset(w, 0, sizeof(*w));
	w->p = p;
	w->html = strcmp(p->ct.subtype, "html") == 0;
	if (decode(msg, w) < 0 || charset(w, &cls) < 0)
		return DCPART_BAD;
	if (!w->html && inline_pgp(w->text, w->tlen))
		return DCPART_SIGNED;
	if (present(w, cls, dt))
		return DCPART_PRESENT;
	if (insertion(w, cls, dt, crlf) < 0)
		return DCPART_BAD;
	if (p->cte == MIME_CTE_QP && w->qp_bad > 0 && (w->relabel ||
	    !qp_splice_ok(msg + p->hdr.body, mime_qp_offset(msg +
	    p->hdr.body, p->end - p->hdr.body, w->at)))) {
		w->why = "text part has malformed quoted-printable";
		return DCPART_BAD;
	}
	return DCPART_OK;
}

/* qp_splice_ok - can encoded text go in at raw offset at */
static int
qp_splice_ok(const char *raw, size_t at)
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
    struct mbuf *out)
{
	const struct mime_part *p = w->p;
	struct mbuf t = { NULL, 0, 0 };
	int	 final = p->end > p->hdr.body && msg[p->end - 1] == '\n';

	mbuf_reserve(&t, w->tlen + w->ins.len);
	mbuf_add(&t, w->text, w->at);
	mbuf_add(&t, w->ins.p, w->ins.len);
	mbuf_add(&t, w->text + w->at, w->tlen - w->at);
	if (p->cte == MIME_CTE_BASE64)
		mime_b64_encode(t.p, t.len, reol, final, out);
	else if (p->cte == MIME_CTE_QP || w->set_qp)
		mime_qp_encode(t.p, t.len, reol, out);
	else
		mbuf_add(out, t.p, t.len);
	mbuf_free(&t);
}

/* need_qp - must the part become quoted-printable */
static int
need_qp(const struct dcpart *w, int raw_text)
{
	int	 long_ins;

	long_ins = longest_line(w->ins.p, w->ins.len) > LINE_MAX_8BIT;
	switch (w->p->cte) {
	case MIME_CTE_7BIT:
		return long_ins || !is_ascii(w->ins.p, w->ins.len) ||
		    (!raw_text && !is_ascii(w->text, w->tlen));
	case MIME_CTE_8BIT:
	case MIME_CTE_BINARY:
		return long_ins;
	default:
		return 0;
	}
}

/* dcpart_body - the part's new body (after its empty line) */
void
dcpart_body(const char *msg, struct dcpart *w, int crlf, struct mbuf *out)
{
	const struct mime_part *p = w->p;
	const char *raw = msg + p->hdr.body;
	size_t	 rlen = p->end - p->hdr.body, at = 0;
	const char *reol = mime_eol_crlf(raw, rlen, crlf) ? "\r\n" : "\n";
	int	 raw_text = w->text == raw;

	w->set_qp = need_qp(w, raw_text);
	if (raw_text && !w->set_qp) {
		mbuf_add(out, raw, w->at);
		mbuf_add(out, w->ins.p, w->ins.len);
		mbuf_add(out, raw + w->at, rlen - w->at);
		return;
	}
	if (p->cte == MIME_CTE_QP && !w->relabel)
		at = mime_qp_offset(raw, rlen, w->at);
	if (p->cte != MIME_CTE_QP || w->relabel || !qp_splice_ok(raw, at)) {
		full_encode(msg, w, reol, out);
		return;
	}
	mbuf_add(out, raw, at);
	if (at > 0 && raw[at - 1] != '\n') {
		mbuf_add(out, "=", 1);
		mbuf_adds(out, reol);
	}
	mime_qp_encode(w->ins.p, w->ins.len, reol, out);
	if (at < rlen && w->ins.len > 0 && w->ins.p[w->ins.len - 1] != '\n') {
		mbuf_add(out, "=", 1);
		mbuf_adds(out, reol);
	}
	mbuf_add(out, raw + at, rlen - at);
}

/* field_eol - the line end the field at f ends with, if any */
static void
field_eol(const char *msg, const struct mime_field *f, struct mbuf *out)
{
	if (f->end > f->off && msg[f->end - 1] == '\n')
		mbuf_adds(out, f->end - f->off >= 2 && msg[f->end - 2] == '\r' ?
		    "\r\n" : "\n");
}

/* dcpart_headers - the part's header block with the changes made */
void
dcpart_headers(const char *msg, const struct dcpart *w, int crlf,
    struct mbuf *out)
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
		mbuf_add(out, msg + pos, f[i]->off - pos);
		if (f[i] == &h->ct)
			mimehdr_set_charset(msg, f[i], "UTF-8", out);
		else {
			mbuf_add(out, msg + f[i]->off, f[i]->val - f[i]->off);
			mbuf_adds(out, " quoted-printable");
			field_eol(msg, f[i], out);
		}
		pos = f[i]->end;
	}
	mbuf_add(out, msg + pos, h->end - pos);
	if ((!w->relabel || mimehdr_present(&h->ct)) &&
	    (!w->set_qp || mimehdr_present(&h->cte)))
		return;
	if (out->len > base && out->p[out->len - 1] != '\n')
		mbuf_adds(out, eol);
	if (w->relabel && !mimehdr_present(&h->ct)) {
		mbuf_adds(out, "Content-Type: ");
		mbuf_adds(out, w->p->ct.type);
		mbuf_adds(out, "/");
		mbuf_adds(out, w->p->ct.subtype);
		mbuf_adds(out, "; charset=UTF-8");
		mbuf_adds(out, eol);
	}
	if (w->set_qp && !mimehdr_present(&h->cte)) {
		mbuf_adds(out, "Content-Transfer-Encoding: quoted-printable");
		mbuf_adds(out, eol);
	}
}

/* dcpart_part - the whole new part: header block, empty line, body */
void
dcpart_part(const char *msg, struct dcpart *w, int crlf, struct mbuf *out)
{
	const struct mime_hdr *h = &w->p->hdr;
	struct mbuf body = { NULL, 0, 0 };
	const char *eol = crlf ? "\r\n" : "\n";

	dcpart_body(msg, w, crlf, &body);	/* decides set_qp */
	dcpart_headers(msg, w, crlf, out);
	if (h->body > h->end)
		mbuf_add(out, msg + h->end, h->body - h->end);
	else {
		/* no empty line: a header-only part (or none at all) */
		if (h->end > h->start && msg[h->end - 1] != '\n')
			mbuf_adds(out, eol);
		mbuf_adds(out, eol);
	}
	mbuf_add(out, body.p, body.len);
	mbuf_free(&body);
}

/* dcpart_value - a changed field's new value, as smfi_chgheader wants */
char *
dcpart_value(const char *msg, const struct dcpart *w, int cte)
{
	const struct mime_field *f = &w->p->hdr.ct;
	struct mbuf t = { NULL, 0, 0 }, v = { NULL, 0, 0 };
	size_t	 i;

	if (cte)
		return xstrdup("quoted-printable");
	if (!mimehdr_present(f)) {
		mbuf_adds(&v, w->p->ct.type);
		mbuf_adds(&v, "/");
		mbuf_adds(&v, w->p->ct.subtype);
		mbuf_adds(&v, "; charset=UTF-8");
	} else {
		mimehdr_set_charset(msg, f, "UTF-8", &t);
		i = f->val - f->off;
		while (i < t.len && (t.p[i] == ' ' || t.p[i] == '\t'))
			i++;
		for (; i < t.len; i++)
			if (t.p[i] != '\r')
				mbuf_add(&v, t.p + i, 1);
		while (v.len > 0 && v.p[v.len - 1] == '\n')
			v.len--;
	}
	mbuf_add(&v, "", 1);
	mbuf_free(&t);
	return v.p;
}

/* dcpart_free - release what prepare and body allocated */
void
dcpart_free(struct dcpart *w)
{
	mbuf_free(&w->dec);
	mbuf_free(&w->conv);
	mbuf_free(&w->ins);
}
