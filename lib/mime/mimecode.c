/* mimecode.c - base64 and quoted-printable codecs */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mimecode.h"
#include "xalloc.h"

#define QP_LINE		75	/* encoded characters before the "=" */
#define B64_LINE	76	/* encoded characters per line */

struct qp_walk {			/* one pass over quoted-printable */
	struct sbuf *out;		/* may be NULL: count only */
	size_t	 stop;			/* decoded offset to stop at */
	size_t	 at;			/* encoded offset reached */
	size_t	 bad;			/* malformed escapes */
};

static int	hexval(int);
static int	is_ws(int);
static size_t	eol_len(const char *, size_t, size_t);
static size_t	qp_escape(const char *, size_t, size_t, struct qp_walk *,
		    size_t *);
static void	qp_walk(const char *, size_t, struct qp_walk *);
static int	qp_literal(const char *, size_t, size_t, size_t);

static const char b64_alpha[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char hex_upper[] = "0123456789ABCDEF";

/* hexval - value of a hex digit, or -1 */
static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* is_ws - SP or HT */
static int
is_ws(int c)
{
	return c == ' ' || c == '\t';
}

/* eol_len - length of the line end at i (CRLF 2, LF 1), else 0 */
static size_t
eol_len(const char *p, size_t n, size_t i)
{
	if (i < n && p[i] == '\n')
		return 1;
	if (i + 1 < n && p[i] == '\r' && p[i + 1] == '\n')
		return 2;
	return 0;
}

/* mime_eol_crlf - does the text use CRLF (1) or LF (0); dflt if no LF */
int
mime_eol_crlf(const char *p, size_t n, int dflt)
{
	const char *lf = memchr(p, '\n', n);

	if (lf == NULL)
		return dflt;
	return lf > p && lf[-1] == '\r';
}

/* mime_b64_decode - strict base64 decoder; 0, or -1 on bad input */
int
mime_b64_decode(const char *in, size_t n, struct sbuf *out)
{
	unsigned long acc = 0;
	size_t	 i, q = 0, pad = 0;
	const char *v;
	unsigned char c;

	sbuf_reserve(out, n / 4 * 3 + 3);
	for (i = 0; i < n; i++) {
		c = (unsigned char)in[i];
		if (is_ws(c) || c == '\r' || c == '\n')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad != 0 || c == '\0' ||
		    (v = strchr(b64_alpha, c)) == NULL)
			return -1;
		acc = acc << 6 | (unsigned long)(v - b64_alpha);
		if (++q == 4) {
			out->p[out->len++] = (char)(acc >> 16);
			out->p[out->len++] = (char)(acc >> 8 & 0xff);
			out->p[out->len++] = (char)(acc & 0xff);
			acc = 0;
			q = 0;
		}
	}
	if (q == 1 || pad > 2 || (pad != 0 && q + pad != 4))
		return -1;
	if (q == 2)
		out->p[out->len++] = (char)(acc >> 4);
	else if (q == 3) {
		out->p[out->len++] = (char)(acc >> 10);
		out->p[out->len++] = (char)(acc >> 2 & 0xff);
	}
	return 0;
}

/* mime_b64_encode - base64 in lines of 76, separated by eol */
void
mime_b64_encode(const char *in, size_t n, const char *eol, int final_eol,
    struct sbuf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t	 i, col = 0;
	unsigned long acc;
	char	 q[4];

	for (i = 0; i < n; i += 3) {
		acc = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			acc |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			acc |= p[i + 2];
		q[0] = b64_alpha[acc >> 18 & 63];
		q[1] = b64_alpha[acc >> 12 & 63];
		q[2] = i + 1 < n ? b64_alpha[acc >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64_alpha[acc & 63] : '=';
		if (col == B64_LINE) {
			sbuf_puts(out, eol);
			col = 0;
		}
		sbuf_putn(out, q, 4);
		col += 4;
	}
	if (final_eol && n != 0)
		sbuf_puts(out, eol);
}

/* qp_escape - handle the "=" at i; returns the bytes it consumed */
static size_t
qp_escape(const char *in, size_t n, size_t i, struct qp_walk *w,
    size_t *dec)
{
	size_t	 j = i + 1, e;
	int	 hi, lo;
	char	 c;

	if (j + 1 < n && (hi = hexval((unsigned char)in[j])) >= 0 &&
	    (lo = hexval((unsigned char)in[j + 1])) >= 0) {
		c = (char)(hi << 4 | lo);
		if (w->out != NULL)
			sbuf_putn(w->out, &c, 1);
		(*dec)++;
		return 3;
	}
	while (j < n && is_ws((unsigned char)in[j]))
		j++;
	if (j == n)
		return j - i;			/* soft break at the end */
	if ((e = eol_len(in, n, j)) != 0)
		return j + e - i;		/* soft line break */
	w->bad++;
	if (w->out != NULL)
		sbuf_putn(w->out, "=", 1);
	(*dec)++;
	return 1;
}

/* qp_walk - decode (w->out) or locate (w->stop); see mime_qp_decode */
static void
qp_walk(const char *in, size_t n, struct qp_walk *w)
{
	size_t	 i = 0, j, e, dec = 0;

	while (i < n && dec < w->stop) {
		if (in[i] == '=') {
			i += qp_escape(in, n, i, w, &dec);
			continue;
		}
		if (is_ws((unsigned char)in[i])) {
			for (j = i; j < n && is_ws((unsigned char)in[j]); j++)
				;
			if (eol_len(in, n, j) == 0) {
				if (w->out != NULL)
					sbuf_putn(w->out, in + i, j - i);
				dec += j - i;
			}
			i = j;		/* white space before a break: gone */
			continue;
		}
		e = eol_len(in, n, i);
		e = e == 0 ? 1 : e;
		if (w->out != NULL)
			sbuf_putn(w->out, in + i, e);
		dec += e;
		i += e;
	}
	w->at = i;
}

/* mime_qp_decode - decode quoted-printable; returns malformed escapes */
size_t
mime_qp_decode(const char *in, size_t n, struct sbuf *out)
{
	struct qp_walk w = { out, SIZE_MAX, 0, 0 };

	sbuf_reserve(out, n);
	qp_walk(in, n, &w);
	return w.bad;
}

/* mime_qp_offset - encoded offset where decoded byte dec starts */
size_t
mime_qp_offset(const char *in, size_t n, size_t dec)
{
	struct qp_walk w = { NULL, dec, 0, 0 };

	qp_walk(in, n, &w);
	return w.at;
}

/* qp_literal - may the byte at i go out as itself at column col */
static int
qp_literal(const char *in, size_t n, size_t i, size_t col)
{
	unsigned char c = (unsigned char)in[i];

	if (is_ws(c))
		return i + 1 < n && eol_len(in, n, i + 1) == 0;
	if (c < 33 || c > 126 || c == '=')
		return 0;
	if (col == 0 && c == '.')
		return 0;
	if (col == 0 && c == 'F' && n - i >= 5 &&
	    memcmp(in + i, "From ", 5) == 0)
		return 0;
	return 1;
}

/* mime_qp_encode - quoted-printable with eol line ends */
void
mime_qp_encode(const char *in, size_t n, const char *eol, struct sbuf *out)
{
	size_t	 i = 0, col = 0, e, need;
	int	 lit;
	char	 esc[3];

	sbuf_reserve(out, n + n / 8 + 8);
	while (i < n) {
		if ((e = eol_len(in, n, i)) != 0) {
			sbuf_puts(out, eol);
			col = 0;
			i += e;
			continue;
		}
		lit = qp_literal(in, n, i, col);
		need = lit ? 1 : 3;
		if (col + need > QP_LINE) {
			sbuf_putn(out, "=", 1);
			sbuf_puts(out, eol);
			col = 0;
			lit = qp_literal(in, n, i, col);
			need = lit ? 1 : 3;
		}
		if (lit)
			sbuf_putn(out, in + i, 1);
		else {
			esc[0] = '=';
			esc[1] = hex_upper[(unsigned char)in[i] >> 4];
			esc[2] = hex_upper[(unsigned char)in[i] & 15];
			sbuf_putn(out, esc, 3);
		}
		col += need;
		i++;
	}
}
