/*
 * dcwrap.c - disclaimer fallback "wrap": the original message, untouched,
 * as a message/rfc822 part of a new multipart/mixed whose first part is
 * the disclaimer (the only way to add one to a signed message without
 * breaking its signature)
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dcwrap.h"
#include "dcpart.h"
#include "xalloc.h"

#define WRAP_TRIES	1000		/* boundaries tried before giving up */

static int	found(const char *, size_t, const struct dctext *,
		    const char *);
static int	boundary(const char *, size_t, const struct dctext *,
		    char *, size_t);
static void	text_part(const struct dctext *, int, const char *,
		    struct sbuf *);
static void	first_part(const struct dctext *, const char *, const char *,
		    struct sbuf *);
static int	eight_bit(const char *, size_t);
static void	set_hdr(struct disclaimer_out *, const char *, const char *);

/* eight_bit - any byte above 0x7f */
static int
eight_bit(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] > 0x7f)
			return 1;
	return 0;
}

/* found - does b occur in msg or in the disclaimer's forms */
static int
found(const char *msg, size_t len, const struct dctext *dt, const char *b)
{
	size_t	 n = strlen(b);

	return memmem(msg, len, b, n) != NULL || (dt->html.len > 0 &&
	    memmem(dt->html.p, dt->html.len, b, n) != NULL) ||
	    (dt->text.len > 0 && memmem(dt->text.p, dt->text.len, b, n) !=
	    NULL);
}

/*
 * boundary - "=_gatepost_mix_N" for the multipart/mixed; its
 * multipart/alternative uses "=_gatepost_alt_N": neither is a prefix of
 * the other (mimescan(3h) refuses a delimiter matched by prefix), and
 * neither occurs in the message or the disclaimer
 */
static int
boundary(const char *msg, size_t len, const struct dctext *dt, char *b,
    size_t size)
{
	char	 alt[64];
	unsigned k;

	for (k = 0; k < WRAP_TRIES; k++) {
		(void)snprintf(b, size, "=_gatepost_mix_%u", k);
		(void)snprintf(alt, sizeof(alt), "=_gatepost_alt_%u", k);
		if (!found(msg, len, dt, b) && !found(msg, len, dt, alt))
			return 0;
	}
	return -1;
}

/* text_part - a text/plain or text/html part: header block and body */
static void
text_part(const struct dctext *dt, int html, const char *eol,
    struct sbuf *out)
{
	struct sbuf t = { NULL, 0, 0 };
	int	 ascii;

	if (html) {
		/* the HTML form is ASCII (references for the rest) */
		sbuf_puts(&t, "<html><body>");
		sbuf_puts(&t, eol);
		dcpart_put_eol(&t, dt->html.p, dt->html.len, eol);
		sbuf_puts(&t, eol);
		sbuf_puts(&t, "</body></html>");
	} else
		dctext_plain(dt, eol, 0, &t);
	sbuf_puts(&t, eol);
	ascii = dcpart_is_ascii(t.p, t.len);
	sbuf_puts(out, html ? "Content-Type: text/html; charset=utf-8" :
	    "Content-Type: text/plain; charset=utf-8");
	sbuf_puts(out, eol);
	sbuf_puts(out, ascii ? "Content-Transfer-Encoding: 7bit" :
	    "Content-Transfer-Encoding: quoted-printable");
	sbuf_puts(out, eol);
	sbuf_puts(out, eol);
	if (ascii)
		sbuf_putn(out, t.p, t.len);
	else
		mime_qp_encode(t.p, t.len, eol, out);
	sbuf_free(&t);
}

/* first_part - both forms of the disclaimer, as alternatives */
static void
first_part(const struct dctext *dt, const char *b, const char *eol,
    struct sbuf *out)
{
	char	 alt[64];

	/* "=_gatepost_mix_N" -> "=_gatepost_alt_N" */
	(void)snprintf(alt, sizeof(alt), "=_gatepost_alt_%s",
	    b + strlen("=_gatepost_mix_"));
	sbuf_puts(out, "Content-Type: multipart/alternative; boundary=\"");
	sbuf_puts(out, alt);
	sbuf_puts(out, "\"");
	sbuf_puts(out, eol);
	sbuf_puts(out, eol);
	sbuf_puts(out, "--");
	sbuf_puts(out, alt);
	sbuf_puts(out, eol);
	text_part(dt, 0, eol, out);
	sbuf_puts(out, "--");
	sbuf_puts(out, alt);
	sbuf_puts(out, eol);
	text_part(dt, 1, eol, out);
	sbuf_puts(out, "--");
	sbuf_puts(out, alt);
	sbuf_puts(out, "--");
	sbuf_puts(out, eol);
}

/* set_hdr - one message header change */
static void
set_hdr(struct disclaimer_out *out, const char *name, const char *value)
{
	out->hdr[out->n_hdr].name = name;
	out->hdr[out->n_hdr++].value = xstrdup(value);
}

/* dcwrap_build - the wrapped message as body and header changes */
int
dcwrap_build(const char *msg, size_t len, const struct dctext *dt,
    int has_mv, int has_cd, struct disclaimer_out *out)
{
	struct sbuf b = { NULL, 0, 0 };
	char	 bnd[64], ct[96];
	const char *eol = mime_eol_crlf(msg, len, 1) ? "\r\n" : "\n";
	const char *cte = eight_bit(msg, len) ? "8bit" : "7bit";

	if (boundary(msg, len, dt, bnd, sizeof(bnd)) < 0)
		return -1;
	sbuf_reserve(&b, len + dt->text.len * 2 + dt->html.len * 2 + 1024);
	sbuf_puts(&b, "This is a multi-part message in MIME format.");
	sbuf_puts(&b, eol);
	sbuf_puts(&b, "--");
	sbuf_puts(&b, bnd);
	sbuf_puts(&b, eol);
	first_part(dt, bnd, eol, &b);
	sbuf_puts(&b, eol);
	sbuf_puts(&b, "--");
	sbuf_puts(&b, bnd);
	sbuf_puts(&b, eol);
	sbuf_puts(&b, "Content-Type: message/rfc822");
	sbuf_puts(&b, eol);
	sbuf_puts(&b, "Content-Disposition: inline");
	sbuf_puts(&b, eol);
	sbuf_puts(&b, "Content-Transfer-Encoding: ");
	sbuf_puts(&b, cte);
	sbuf_puts(&b, eol);
	sbuf_puts(&b, eol);
	sbuf_putn(&b, msg, len);
	if (len == 0 || msg[len - 1] != '\n')
		sbuf_puts(&b, eol);
	sbuf_puts(&b, eol);
	sbuf_puts(&b, "--");
	sbuf_puts(&b, bnd);
	sbuf_puts(&b, "--");
	sbuf_puts(&b, eol);
	out->body = b.p;
	out->body_len = b.len;
	(void)snprintf(ct, sizeof(ct), "multipart/mixed; boundary=\"%s\"", bnd);
	set_hdr(out, "Content-Type", ct);
	set_hdr(out, "Content-Transfer-Encoding", cte);
	if (has_cd)
		set_hdr(out, "Content-Disposition", "inline");
	if (!has_mv)
		set_hdr(out, "MIME-Version", "1.0");
	out->n_parts = 1;
	return 0;
}
