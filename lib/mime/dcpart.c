/* dcpart.c - the disclaimer transform of one text part: the decisions */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "dcpart.h"
#include "xalloc.h"


static int	decode(const char *, struct dcpart *);
static int	charset(struct dcpart *, enum charconv_class *);
static int	to_utf8(struct dcpart *);
static int	valid_in(struct dcpart *);
static int	iso2022_ok(const char *, size_t);
static int	inline_pgp(const char *, size_t);
static int	blockquote_at(const char *, size_t);
static void	unquote(const char *, size_t, int, struct sbuf *);
static int	present(const struct dcpart *, enum charconv_class,
		    const struct dctext *);
static size_t	body_tag(const char *, size_t);
static size_t	body_open(const char *, size_t);
static void	build_top(struct dcpart *, const struct dctext *,
		    const char *, struct sbuf *);
static void	build_ins(struct dcpart *, const struct dctext *, int,
		    struct sbuf *);
static int	insertion(struct dcpart *, enum charconv_class,
		    const struct dctext *, int);
static int	visible(const struct dcpart *, enum charconv_class,
		    const struct dctext *);

/* dcpart_is_ascii - no byte above 0x7f, no ESC (ISO 2022 shifts) */
int
dcpart_is_ascii(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] > 0x7f || s[i] == 0x1b)
			return 0;
	return 1;
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

/* iso2022_ok - every ESC starts a designation ISO-2022-JP/KR/CN use */
static int
iso2022_ok(const char *s, size_t n)
{
	static const char *const seqs[] = {
		"(B", "(J", "(I", "$@", "$B", "$A", "$(C", "$(D", "$(Q",
		"$)C", "$)A", "$)G", "$*H", "$+I", ".A", ".F", "N", "O",
	};
	const char *esc;
	size_t	 i = 0, k, len;

	while (i < n && (esc = memchr(s + i, 0x1b, n - i)) != NULL) {
		i = (size_t)(esc - s) + 1;
		for (k = 0; k < sizeof(seqs) / sizeof(seqs[0]); k++) {
			len = strlen(seqs[k]);
			if (n - i >= len && memcmp(s + i, seqs[k], len) == 0)
				break;
		}
		if (k == sizeof(seqs) / sizeof(seqs[0]))
			return 0;
	}
	return 1;
}

/*
 * valid_in - is the text valid in its (multibyte or stateful) charset?
 * Decoders recover from broken Shift_JIS or ISO-2022-JP in different
 * ways, so text inserted after a broken sequence could be read as
 * part of it by some of them.  glibc passes unknown ISO 2022 escape
 * sequences through where others do not, so only known ones are let
 * through (iso2022_ok()).
 */
static int
valid_in(struct dcpart *w)
{
	struct sbuf t = { NULL, 0, 0 };
	int	 ok;

	ok = (strncasecmp(w->cs, "ISO-2022-", 9) != 0 ||
	    iso2022_ok(w->text, w->tlen)) &&
	    charconv_convert(w->cs, "UTF-8", w->text, w->tlen, &t, 0) == 0;
	sbuf_free(&t);
	if (!ok)
		w->why = "text part is not valid in its charset";
	return ok;
}

/* charset - classify the part's charset; convert when text must be */
static int
charset(struct dcpart *w, enum charconv_class *cls)
{
	*cls = charconv_lookup(w->p->ct.charset, w->cs, sizeof(w->cs));
	switch (*cls) {
	case CHARCONV_UNKNOWN:
		if (!dcpart_is_ascii(w->text, w->tlen)) {
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

/* blockquote_at - 1 "<blockquote", -1 "</blockquote", 0 neither */
static int
blockquote_at(const char *s, size_t n)
{
	int	 close = n > 1 && s[1] == '/';
	size_t	 k = close ? 2 : 1;

	if (n < k + 11 || strncasecmp(s + k, "blockquote", 10) != 0 ||
	    strchr("> \t\r\n\f/", s[k + 10]) == NULL || s[k + 10] == '\0')
		return 0;
	return close ? -1 : 1;
}

/*
 * unquote - the text without what a reply quotes: lines starting with
 * ">" (after spaces) in text/plain, <blockquote> elements (nested) in
 * text/html.  Linear: memchr per line or tag.
 */
static void
unquote(const char *s, size_t n, int html, struct sbuf *out)
{
	const char *e, *lt;
	size_t	 i = 0, k, len;
	int	 depth = 0, q;

	sbuf_reserve(out, n + 1);
	while (!html && i < n) {
		e = memchr(s + i, '\n', n - i);
		len = e == NULL ? n - i : (size_t)(e - (s + i)) + 1;
		for (k = i; k < i + len && (s[k] == ' ' || s[k] == '\t'); k++)
			;
		if (k == i + len || s[k] != '>')
			sbuf_putn(out, s + i, len);
		i += len;
	}
	while (html && i < n) {
		lt = memchr(s + i, '<', n - i);
		len = lt == NULL ? n - i : (size_t)(lt - (s + i));
		if (depth == 0)
			sbuf_putn(out, s + i, len);
		i += len;
		if (i >= n)
			break;
		q = blockquote_at(s + i, n - i);
		if (q == 0) {
			if (depth == 0)
				sbuf_putn(out, s + i, 1);
			i++;
			continue;
		}
		if (q > 0 || depth > 0)
			depth += q;
		/* the tag itself goes too */
		lt = memchr(s + i, '>', n - i);
		i = lt == NULL ? n : (size_t)(lt - s) + 1;
	}
}

/* present - does the part's text already carry the disclaimer */
static int
present(const struct dcpart *w, enum charconv_class cls,
    const struct dctext *dt)
{
	struct sbuf u8 = { NULL, 0, 0 }, t = { NULL, 0, 0 };
	struct sbuf key = { NULL, 0, 0 }, uq = { NULL, 0, 0 };
	const char *s = w->text;
	size_t	 n = w->tlen;
	int	 found;

	if (cls == CHARCONV_COMPAT) {
		(void)charconv_convert(w->cs, "UTF-8", s, n, &u8, 1);
		s = u8.p == NULL ? "" : u8.p;
		n = u8.len;
	}
	if (w->unquoted) {
		unquote(s, n, w->html, &uq);
		sbuf_free(&u8);
		s = uq.p == NULL ? "" : uq.p;
		n = uq.len;
	}
	if (w->html) {
		dctext_textify(s, n, &t);
		sbuf_free(&u8);
		sbuf_free(&uq);
		s = t.p == NULL ? "" : t.p;
		n = t.len;
	}
	dctext_key(s, n, &key);
	sbuf_free(&u8);
	sbuf_free(&uq);
	sbuf_free(&t);
	found = dctext_has(&key, &dt->key_text) ||
	    dctext_has(&key, &dt->key_html);
	sbuf_free(&key);
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
		    strchr("> \t\r\n\f/", lt[6]) != NULL && lt[6] != '\0')
			return end;
	}
	return n;
}

/* dcpart_put_eol - s with its LF line ends written as eol */
void
dcpart_put_eol(struct sbuf *out, const char *s, size_t n, const char *eol)
{
	const char *nl;

	while (n > 0 && (nl = memchr(s, '\n', n)) != NULL) {
		sbuf_putn(out, s, (size_t)(nl - s));
		sbuf_puts(out, eol);
		n -= (size_t)(nl - s) + 1;
		s = nl + 1;
	}
	sbuf_putn(out, s, n);
}

/*
 * body_open - offset just after the first "<body" tag, 0 when there is
 * none, n when it is not closed (the insertion would then be inside the
 * tag: visible() refuses it).  Quoted attribute values may hold ">".
 */
static size_t
body_open(const char *s, size_t n)
{
	const char *lt;
	size_t	 off = 0, i;
	char	 q = 0;

	while (off < n && (lt = memchr(s + off, '<', n - off)) != NULL) {
		off = (size_t)(lt - s) + 1;
		if (n - off < 5 || strncasecmp(lt, "<body", 5) != 0 ||
		    strchr("> \t\r\n\f/", lt[5]) == NULL || lt[5] == '\0')
			continue;
		for (i = off + 4; i < n; i++) {
			if (q != 0 && s[i] == q)
				q = 0;
			else if (q == 0 && (s[i] == '"' || s[i] == '\''))
				q = s[i];
			else if (q == 0 && s[i] == '>')
				return i + 1;
		}
		return n;
	}
	return 0;
}

/*
 * build_top - position top: text/plain at the start of the text (after
 * a UTF-8 byte order mark) with an empty line after it; text/html just
 * after the first <body> tag, or at the start when there is none
 */
static void
build_top(struct dcpart *w, const struct dctext *dt, const char *eol,
    struct sbuf *u8)
{
	size_t	 n = w->tlen;

	if (w->html) {
		w->at = body_open(w->text, n);
		if (w->at > 0 && w->text[w->at - 1] != '\n')
			sbuf_puts(u8, eol);
		dcpart_put_eol(u8, dt->html.p, dt->html.len, eol);
		sbuf_puts(u8, eol);
		return;
	}
	w->at = n >= 3 && memcmp(w->text, "\xef\xbb\xbf", 3) == 0 &&
	    strcmp(w->cs, "UTF-8") == 0 ? 3 : 0;
	dctext_plain(dt, eol, w->p->ct.flowed, u8);
	sbuf_puts(u8, eol);
	if (n > w->at)
		sbuf_puts(u8, eol);	/* an empty line before the text */
}

/* build_ins - the UTF-8 bytes to insert and where (w->at) */
static void
build_ins(struct dcpart *w, const struct dctext *dt, int crlf,
    struct sbuf *u8)
{
	const char *eol = mime_eol_crlf(w->text, w->tlen, crlf) ? "\r\n" :
	    "\n";
	size_t	 n = w->tlen;
	int	 ends = n > 0 && w->text[n - 1] == '\n';

	u8->len = 0;
	if (w->top) {
		build_top(w, dt, eol, u8);
		return;
	}
	w->at = w->html ? body_tag(w->text, n) : n;
	if (w->at < n) {
		if (w->at > 0 && w->text[w->at - 1] != '\n')
			sbuf_puts(u8, eol);
		dcpart_put_eol(u8, dt->html.p, dt->html.len, eol);
		sbuf_puts(u8, eol);
		return;
	}
	if (n > 0 && !ends)
		sbuf_puts(u8, eol);
	if (n > 0 && !w->html)
		sbuf_puts(u8, eol);
	if (w->html)
		dcpart_put_eol(u8, dt->html.p, dt->html.len, eol);
	else
		dctext_plain(dt, eol, w->p->ct.flowed, u8);
	if (ends || n == 0)
		sbuf_puts(u8, eol);
}

/* insertion - w->ins in the working charset; relabels if it must */
static int
insertion(struct dcpart *w, enum charconv_class cls,
    const struct dctext *dt, int crlf)
{
	struct sbuf u8 = { NULL, 0, 0 };

	build_ins(w, dt, crlf, &u8);
	if (cls == CHARCONV_ASCII && dcpart_is_ascii(u8.p, u8.len))
		cls = CHARCONV_UTF8;	/* same bytes */
	if (cls == CHARCONV_COMPAT && charconv_convert("UTF-8", w->cs, u8.p,
	    u8.len, &w->ins, 0) == 0) {
		sbuf_free(&u8);
		return 0;
	}
	if (cls != CHARCONV_UTF8 && !w->relabel) {
		if (to_utf8(w) < 0) {
			sbuf_free(&u8);
			return -1;
		}
		build_ins(w, dt, crlf, &u8);
	}
	sbuf_free(&w->ins);
	w->ins = u8;
	return 0;
}

/*
 * visible - would the changed text show the disclaimer?  The same test
 * as present(), on the text with the insertion made: it fails when the
 * insertion point is inside an unterminated HTML comment, script or
 * style, or in a non-ASCII shift state of an ISO 2022 text, where the
 * disclaimer would be hidden or garbled (and added again next time).
 */
static int
visible(const struct dcpart *w, enum charconv_class cls,
    const struct dctext *dt)
{
	struct sbuf t = { NULL, 0, 0 };
	struct dcpart v = *w;
	int	 seen;

	sbuf_reserve(&t, w->tlen + w->ins.len);
	sbuf_putn(&t, w->text, w->at);
	sbuf_putn(&t, w->ins.p, w->ins.len);
	sbuf_putn(&t, w->text + w->at, w->tlen - w->at);
	v.text = t.p;
	v.tlen = t.len;
	seen = present(&v, cls, dt);
	sbuf_free(&t);
	return seen;
}

/* dcpart_prepare - decide what happens to one text part */
enum dcpart_res
dcpart_prepare(const char *msg, const struct mime_part *p,
    const struct dctext *dt, int crlf, unsigned flags, struct dcpart *w)
{
	enum charconv_class cls;

	memset(w, 0, sizeof(*w));
	w->p = p;
	w->top = (flags & DCPART_TOP) != 0;
	w->unquoted = (flags & DCPART_UNQUOTED) != 0;
	w->html = strcmp(p->ct.subtype, "html") == 0;
	if (decode(msg, w) < 0 || charset(w, &cls) < 0 ||
	    (cls == CHARCONV_COMPAT && !valid_in(w)))
		return DCPART_BAD;
	if (!w->html && inline_pgp(w->text, w->tlen))
		return DCPART_SIGNED;
	if (present(w, cls, dt))
		return DCPART_PRESENT;
	if (insertion(w, cls, dt, crlf) < 0)
		return DCPART_BAD;
	if (w->at > 0 && w->text[w->at - 1] == '\r') {
		/* the CR and an inserted LF would become one line end */
		w->why = "a bare CR where the disclaimer goes";
		return DCPART_BAD;
	}
	if (!visible(w, w->relabel ? CHARCONV_UTF8 : cls, dt)) {
		w->why = "the disclaimer would not be visible in the text part";
		return DCPART_BAD;
	}
	if (p->cte == MIME_CTE_QP && w->qp_bad > 0 && (w->relabel ||
	    !dcpart_qp_splice_ok(msg + p->hdr.body, mime_qp_offset(msg +
	    p->hdr.body, p->end - p->hdr.body, w->at)))) {
		w->why = "text part has malformed quoted-printable";
		return DCPART_BAD;
	}
	return DCPART_OK;
}

/* dcpart_free - release what prepare and body allocated */
void
dcpart_free(struct dcpart *w)
{
	sbuf_free(&w->dec);
	sbuf_free(&w->conv);
	sbuf_free(&w->ins);
}
