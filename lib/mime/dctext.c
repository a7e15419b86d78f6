/* dctext.c - disclaimer text/HTML forms, HTML as text, detection keys */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dctext.h"

#define TAG_NAME_MAX	16	/* bytes of a tag name we compare */
#define ENTITY_MAX	12	/* bytes between "&" and ";" */

static size_t	html_tag(const char *, size_t, size_t, struct sbuf *);
static size_t	html_skip(const char *, size_t, size_t, const char *);
static int	after_eq(const char *, size_t, size_t);
static size_t	html_entity(const char *, size_t, size_t, struct sbuf *);
static int	numeric_ref(const char *, unsigned long *);
static int	in_list(const char *, const char *const *);
static void	put_utf8(struct sbuf *, unsigned long);
static void	put_space(struct sbuf *);
static void	squeeze(const char *, size_t, struct sbuf *);
static void	newlines(const char *, struct sbuf *);
static void	to_html(const char *, size_t, struct sbuf *);
static void	to_ncr(const char *, size_t, struct sbuf *);

static const char *const block_tags[] = {
	"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4",
	"h5", "h6", "blockquote", "hr", "table", "ul", "ol", "pre", "dd",
	"dt", "dl", "section", "article", "header", "footer", NULL
};
static const char *const skip_tags[] = {
	"script", "style", "title", NULL
};
static const struct {
	const char *name;
	unsigned long cp;
} entities[] = {
	{ "amp", '&' }, { "lt", '<' }, { "gt", '>' }, { "quot", '"' },
	{ "apos", '\'' }, { "nbsp", 0xa0 },
};

/* in_list - is s in the NULL-terminated list */
static int
in_list(const char *s, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

/* put_utf8 - append a code point as UTF-8 (bad ones as U+FFFD) */
static void
put_utf8(struct sbuf *out, unsigned long cp)
{
	unsigned char b[4];
	size_t	 n;

	if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (unsigned char)(0xf0 | cp >> 18);
		b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[3] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sbuf_putn(out, b, n);
}

/* put_space - one space, unless the output ends in white space */
static void
put_space(struct sbuf *out)
{
	if (out->len > 0 && out->p[out->len - 1] != ' ' &&
	    out->p[out->len - 1] != '\n')
		sbuf_putn(out, " ", 1);
}

/* html_skip - past "</name ...>" from i, or n */
static size_t
html_skip(const char *s, size_t n, size_t i, const char *name)
{
	size_t	 len = strlen(name);
	const char *lt, *gt;

	while (i < n && (lt = memchr(s + i, '<', n - i)) != NULL) {
		i = (size_t)(lt - s) + 1;
		if (n - i > len && s[i] == '/' &&
		    strncasecmp(s + i + 1, name, len) == 0) {
			gt = memchr(s + i, '>', n - i);
			return gt == NULL ? n : (size_t)(gt - s) + 1;
		}
	}
	return n;
}

/* after_eq - is s[k] preceded by "=" (and white space) within the tag */
static int
after_eq(const char *s, size_t j, size_t k)
{
	while (k > j && (s[k - 1] == ' ' || s[k - 1] == '\t' ||
	    s[k - 1] == '\r' || s[k - 1] == '\n'))
		k--;
	return k > j && s[k - 1] == '=';
}

/* html_tag - the tag or comment at s[i] == '<'; returns where text resumes */
static size_t
html_tag(const char *s, size_t n, size_t i, struct sbuf *out)
{
	char	 name[TAG_NAME_MAX];
	size_t	 j = i + 1, k, len = 0;
	const char *q;
	int	 closing = 0;

	if (n - i >= 4 && memcmp(s + i, "<!--", 4) == 0) {
		q = memmem(s + i + 4, n - i - 4, "-->", 3);
		return q == NULL ? n : (size_t)(q - s) + 3;
	}
	if (j < n && s[j] == '/') {
		closing = 1;
		j++;
	}
	for (; j < n && ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' &&
	    s[j] <= 'Z') || (s[j] >= '0' && s[j] <= '9')); j++)
		if (len + 1 < sizeof(name))
			name[len++] = (char)(s[j] | 0x20);
	name[len] = '\0';
	if (len == 0 && (j >= n || (s[j] != '!' && s[j] != '?'))) {
		sbuf_putn(out, "<", 1);	/* a lone "<" is text */
		return i + 1;
	}
	for (k = j; k < n && s[k] != '>'; k++) {
		/* quotes open an attribute value only after "=" */
		if ((s[k] != '"' && s[k] != '\'') || !after_eq(s, j, k))
			continue;
		if ((q = memchr(s + k + 1, s[k], n - k - 1)) == NULL)
			return n;
		k = (size_t)(q - s);
	}
	if (k >= n)
		return n;		/* unterminated: nothing visible left */
	if (!closing && in_list(name, skip_tags))
		return html_skip(s, n, k + 1, name);
	if (in_list(name, block_tags))
		sbuf_putn(out, "\n", 1);
	return k + 1;
}

/* numeric_ref - "NNN" or "xHH" (after "&#") to a code point; 0 or -1 */
static int
numeric_ref(const char *d, unsigned long *cp)
{
	int	 hex = *d == 'x' || *d == 'X';
	size_t	 len;

	if (hex)
		d++;
	len = strlen(d);
	if (len == 0 || len > 7 || strspn(d, hex ? "0123456789abcdefABCDEF" :
	    "0123456789") != len)
		return -1;
	*cp = strtoul(d, NULL, hex ? 16 : 10);
	return 0;
}

/* html_entity - the reference at s[i] == '&'; returns where text resumes */
static size_t
html_entity(const char *s, size_t n, size_t i, struct sbuf *out)
{
	const char *semi = memchr(s + i, ';', n - i < ENTITY_MAX ? n - i :
	    ENTITY_MAX);
	char	 ent[ENTITY_MAX + 1];
	unsigned long cp;
	size_t	 k, len;

	if (semi == NULL || (len = (size_t)(semi - s) - i - 1) == 0)
		goto literal;
	memcpy(ent, s + i + 1, len);
	ent[len] = '\0';
	if (ent[0] == '#') {
		if (numeric_ref(ent + 1, &cp) < 0)
			goto literal;
		put_utf8(out, cp);
		return (size_t)(semi - s) + 1;
	}
	for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++)
		if (strcmp(ent, entities[k].name) == 0) {
			put_utf8(out, entities[k].cp);
			return (size_t)(semi - s) + 1;
		}
literal:
	sbuf_putn(out, "&", 1);
	return i + 1;
}

/* dctext_textify - HTML to UTF-8 text */
void
dctext_textify(const char *s, size_t n, struct sbuf *out)
{
	size_t	 i = 0, j;

	sbuf_reserve(out, n / 2 + 16);
	while (i < n) {
		if (s[i] == '<')
			i = html_tag(s, n, i, out);
		else if (s[i] == '&')
			i = html_entity(s, n, i, out);
		else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' ||
		    s[i] == '\n') {
			put_space(out);
			i++;
		} else {
			for (j = i; j < n && s[j] != '<' && s[j] != '&' &&
			    s[j] != ' ' && s[j] != '\t' && s[j] != '\r' &&
			    s[j] != '\n'; j++)
				;
			sbuf_putn(out, s + i, j - i);
			i = j;
		}
	}
}

/* dctext_key - normalised text for finding the disclaimer */
void
dctext_key(const char *s, size_t n, struct sbuf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t	 i;
	int	 bol = 1, space = 0;

	sbuf_reserve(out, n);
	for (i = 0; i < n; i++) {
		if (u[i] == '\n') {
			bol = space = 1;
			continue;
		}
		if (u[i] == ' ' || u[i] == '\t' || u[i] == '\r' ||
		    u[i] == '\f' || u[i] == '\v' || (bol && u[i] == '>')) {
			space = 1;
			continue;
		}
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] == 0xa0) {
			space = 1;
			i++;
			continue;
		}
		if (space && out->len > 0)
			sbuf_putn(out, " ", 1);
		sbuf_putn(out, s + i, 1);
		bol = space = 0;
	}
}

/* dctext_has - does key hay contain key needle */
int
dctext_has(const struct sbuf *hay, const struct sbuf *needle)
{
	return needle->len > 0 && hay->len >= needle->len &&
	    memmem(hay->p, hay->len, needle->p, needle->len) != NULL;
}

/* squeeze - lines trimmed, runs of blank lines to one, ends trimmed */
static void
squeeze(const char *s, size_t n, struct sbuf *out)
{
	size_t	 i = 0, b, e, nl;
	int	 blank = 0;

	while (i < n) {
		for (nl = i; nl < n && s[nl] != '\n'; nl++)
			;
		for (b = i; b < nl && (s[b] == ' ' || s[b] == '\t' ||
		    s[b] == '\r'); b++)
			;
		for (e = nl; e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' ||
		    s[e - 1] == '\r'); e--)
			;
		if (e == b)
			blank = out->len > 0;
		else {
			if (out->len > 0)
				sbuf_puts(out, blank ? "\n\n" : "\n");
			sbuf_putn(out, s + b, e - b);
			blank = 0;
		}
		i = nl + 1;
	}
}

/* newlines - s with CRLF and lone CR as LF, trailing line ends dropped */
static void
newlines(const char *s, struct sbuf *out)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r' && s[1] == '\n')
			continue;
		sbuf_putn(out, *s == '\r' ? "\n" : s, 1);
	}
	while (out->len > 0 && out->p[out->len - 1] == '\n')
		out->len--;
}

/* to_html - text escaped as a <p> with <br> line breaks */
static void
to_html(const char *s, size_t n, struct sbuf *out)
{
	size_t	 i;

	sbuf_puts(out, "<p>");
	for (i = 0; i < n; i++) {
		if (s[i] == '&')
			sbuf_puts(out, "&amp;");
		else if (s[i] == '<')
			sbuf_puts(out, "&lt;");
		else if (s[i] == '>')
			sbuf_puts(out, "&gt;");
		else if (s[i] == '"')
			sbuf_puts(out, "&quot;");
		else if (s[i] == '\n')
			sbuf_puts(out, "<br>\n");
		else
			sbuf_putn(out, s + i, 1);
	}
	sbuf_puts(out, "</p>");
}

/* to_ncr - UTF-8 to ASCII, other characters as &#N; (bad bytes U+FFFD) */
static void
to_ncr(const char *s, size_t n, struct sbuf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long cp;
	size_t	 i = 0, k, len;
	char	 ref[16];

	while (i < n) {
		if (u[i] < 0x80) {
			sbuf_putn(out, s + i++, 1);
			continue;
		}
		len = u[i] >= 0xf0 ? 4 : u[i] >= 0xe0 ? 3 :
		    u[i] >= 0xc0 ? 2 : 0;
		cp = len == 0 || i + len > n ? 0xfffd :
		    u[i] & (0x7fu >> len);
		for (k = 1; k < len && i + len <= n; k++) {
			if ((u[i + k] & 0xc0) != 0x80) {
				cp = 0xfffd;
				len = k;
				break;
			}
			cp = cp << 6 | (u[i + k] & 0x3f);
		}
		(void)snprintf(ref, sizeof(ref), "&#%lu;", cp);
		sbuf_puts(out, ref);
		i += len == 0 || i + len > n ? 1 : len;
	}
}

/* dctext_prepare - both forms of the disclaimer and their keys */
void
dctext_prepare(const char *text, const char *html, struct dctext *dt)
{
	struct sbuf tmp = { NULL, 0, 0 }, h = { NULL, 0, 0 };

	memset(dt, 0, sizeof(*dt));
	if (text != NULL && *text != '\0')
		newlines(text, &dt->text);
	else if (html != NULL && *html != '\0') {
		dctext_textify(html, strlen(html), &tmp);
		squeeze(tmp.p, tmp.len, &dt->text);
		tmp.len = 0;
	}
	if (html != NULL && *html != '\0')
		newlines(html, &h);
	else
		to_html(dt->text.p, dt->text.len, &h);
	to_ncr(h.p, h.len, &dt->html);
	dctext_key(dt->text.p, dt->text.len, &dt->key_text);
	dctext_textify(dt->html.p, dt->html.len, &tmp);
	dctext_key(tmp.p, tmp.len, &dt->key_html);
	dt->empty = dt->key_text.len == 0 && dt->key_html.len == 0;
	sbuf_free(&tmp);
	sbuf_free(&h);
}

/* dctext_free - release the forms */
void
dctext_free(struct dctext *dt)
{
	sbuf_free(&dt->text);
	sbuf_free(&dt->html);
	sbuf_free(&dt->key_text);
	sbuf_free(&dt->key_html);
}

/* dctext_plain - the text form with eol line ends, flowed if asked */
void
dctext_plain(const struct dctext *dt, const char *eol, int flowed,
    struct sbuf *out)
{
	const char *s = dt->text.p;
	size_t	 n = dt->text.len, i = 0, nl, e;

	while (i < n) {
		for (nl = i; nl < n && s[nl] != '\n'; nl++)
			;
		e = nl;
		if (flowed) {
			while (e > i && s[e - 1] == ' ')
				e--;
			if (e > i && (s[i] == ' ' || s[i] == '>' ||
			    (e - i >= 5 && memcmp(s + i, "From ", 5) == 0)))
				sbuf_putn(out, " ", 1);
		}
		sbuf_putn(out, s + i, e - i);
		if (nl < n)
			sbuf_puts(out, eol);
		i = nl + 1;
	}
}
