/*
 * addr_scan.c - the domains a text could show after an '@' (pure)
 *
 * The fail-closed half of address handling (SECURITY.md, "What cannot be
 * parsed"): a sender that does not parse with certainty counts as
 * internal when its text names an internal domain.  This file finds the
 * domains such a text can name, as generously as any reader could: for
 * each '@' it skips what a lenient parser or a mail client ignores
 * (white space, control characters, quotes, backslashes, comments,
 * '[' of a domain literal) and reads labels separated by dots, where a
 * dot is '.', U+3002, U+FF0E or U+FF61 (IDNA maps all four to '.') and
 * the same ignorable text may stand around a dot ("a @ b . com").
 * Fullwidth ASCII (U+FF01..U+FF5E) is mapped to ASCII and upper case to
 * lower case, as IDNA (UTS 46) does; other 8-bit octets stay, and the
 * callback gets, besides the whole run, its leading ASCII-only part, so
 * "internal.com<invalid UTF-8>" still names internal.com.
 *
 * A comment is skipped only if it ends within SCAN_COMMENT octets
 * (RFC 5322's line length): that bounds the work to O(length * 998)
 * for any text.  Where a longer comment stands, fn gets NULL: the text
 * may name a domain this cannot see, and the caller fails closed.
 *
 * No other bound drops input: a run longer than the buffer keeps its tail
 * (whole labels), which is what a suffix match looks at; a tail that
 * equals an internal domain by accident can only refuse more.
 */
#include "config.h"

#include <string.h>

#include "addr.h"

#define SCAN_BUF	1024		/* bytes of one candidate domain */
#define SCAN_COMMENT	998		/* bytes a skipped comment may span */

struct run {				/* the candidate being read */
	char	 buf[SCAN_BUF];
	size_t	 n;			/* bytes in buf */
	size_t	 ascii;			/* leading ASCII-only bytes, or n */
	int	 eight;			/* buf holds an 8-bit octet */
};

static size_t	skip_ignorable(const unsigned char *, size_t, size_t, int *);
static size_t	dot_len(const unsigned char *, size_t, size_t);
static size_t	fullwidth(const unsigned char *, size_t, size_t, int *);
static void	run_put(struct run *, int);
static int	run_emit(const struct run *, addr_domain_fn *, void *);
static int	read_run(const unsigned char *, size_t, size_t,
		    struct run *, addr_domain_fn *, void *);

/*
 * skip_ignorable - white space, controls, quotes, '\', '[', comments;
 * *gaveup is set when a comment longer than SCAN_COMMENT stops it.
 */
static size_t
skip_ignorable(const unsigned char *s, size_t len, size_t i, int *gaveup)
{
	size_t	 depth = 0, open = 0;

	for (; i < len; i++) {
		unsigned char c = s[i];

		if (depth > 0) {
			if (i - open > SCAN_COMMENT) {
				*gaveup = 1;	/* see the file comment */
				return open;
			}
			if (c == '\\' && i + 1 < len)
				i++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
			continue;
		}
		if (c == '(') {
			depth++;
			open = i;
		} else if (!(c <= 0x20 || c == 0x7f || c == '"' || c == '\\' ||
		    c == '['))
			break;
	}
	return i;
}

/* dot_len - octets of a dot at s[i] ('.' or an IDNA full stop), or 0 */
static size_t
dot_len(const unsigned char *s, size_t len, size_t i)
{
	if (s[i] == '.')
		return 1;
	if (i + 2 >= len)
		return 0;
	if (s[i] == 0xe3 && s[i + 1] == 0x80 && s[i + 2] == 0x82)
		return 3;			/* U+3002 */
	if (s[i] == 0xef && s[i + 1] == 0xbc && s[i + 2] == 0x8e)
		return 3;			/* U+FF0E */
	if (s[i] == 0xef && s[i + 1] == 0xbd && s[i + 2] == 0xa1)
		return 3;			/* U+FF61 */
	return 0;
}

/* fullwidth - U+FF01..U+FF5E at s[i]: its octets, the ASCII in *c */
static size_t
fullwidth(const unsigned char *s, size_t len, size_t i, int *c)
{
	unsigned cp;

	if (i + 2 >= len || s[i] != 0xef || (s[i + 1] & 0xc0) != 0x80 ||
	    (s[i + 2] & 0xc0) != 0x80)
		return 0;
	cp = 0xf000 | (unsigned)(s[i + 1] & 0x3f) << 6 | (s[i + 2] & 0x3f);
	if (cp < 0xff01 || cp > 0xff5e)
		return 0;
	*c = (int)(cp - 0xff01 + 0x21);
	return 3;
}

/* run_put - append one octet; when full, drop the leading label */
static void
run_put(struct run *r, int c)
{
	char	*dot;

	if (c >= 'A' && c <= 'Z')
		c += 'a' - 'A';
	if (c >= 0x80 && !r->eight) {
		r->eight = 1;
		r->ascii = r->n;
	}
	if (r->n + 1 >= sizeof(r->buf)) {
		dot = memchr(r->buf + 1, '.', r->n - 1);
		if (dot == NULL)
			dot = r->buf + r->n / 2;
		r->n -= (size_t)(dot - r->buf);
		memmove(r->buf, dot, r->n);
		r->ascii = r->n;		/* the ASCII part is gone */
	}
	r->buf[r->n++] = (char)c;
}

/* run_emit - report the run and its ASCII part, without trailing dots */
static int
run_emit(const struct run *r, addr_domain_fn *fn, void *arg)
{
	char	 d[SCAN_BUF];
	size_t	 n = r->n;
	int	 rc;

	while (n > 0 && r->buf[n - 1] == '.')
		n--;
	if (n == 0)
		return 0;
	memcpy(d, r->buf, n);
	d[n] = '\0';
	if ((rc = fn(arg, d)) != 0 || !r->eight)
		return rc;
	n = r->ascii < n ? r->ascii : n;
	while (n > 0 && d[n - 1] == '.')
		n--;
	if (n == 0)
		return 0;
	d[n] = '\0';
	return fn(arg, d);
}

/*
 * read_run - labels and dots from s[i] on, reported to fn.  Where
 * ignorable text stands before a dot ("a@example.com (x).evil.net",
 * "a@example.com<CR>.net"), the run so far is reported too: readers
 * that stop there see it.  Returns fn's first non-zero value, or 0.
 */
static int
read_run(const unsigned char *s, size_t len, size_t i, struct run *r,
    addr_domain_fn *fn, void *arg)
{
	size_t	 k, j;
	int	 c, rc, gaveup = 0;

	memset(r, 0, sizeof(*r));
	r->ascii = SCAN_BUF;
	while (i < len) {
		if ((k = dot_len(s, len, i)) > 0) {
			run_put(r, '.');
			i = skip_ignorable(s, len, i + k, &gaveup);
			continue;
		}
		c = s[i];
		if ((k = fullwidth(s, len, i, &c)) > 0 && c != '.') {
			if (!((c >= '0' && c <= '9') || (c >= 'A' &&
			    c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-'))
				break;
			run_put(r, c);
			i += k;
			continue;
		}
		if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
		    (c >= 'a' && c <= 'z') || c == '-' || c == '_' ||
		    c >= 0x80) {
			run_put(r, c);
			i++;
			continue;
		}
		/* ignorable text continues the run only before a dot */
		j = skip_ignorable(s, len, i, &gaveup);
		if (j == i || j >= len || dot_len(s, len, j) == 0)
			break;
		if ((rc = run_emit(r, fn, arg)) != 0)
			return rc;
		i = j;
	}
	if ((rc = run_emit(r, fn, arg)) != 0)
		return rc;
	return gaveup ? fn(arg, NULL) : 0;
}

/* addr_scan_domains - call fn for every domain s[0..len) may name */
int
addr_scan_domains(const char *text, size_t len, addr_domain_fn *fn,
    void *arg)
{
	const unsigned char *s = (const unsigned char *)text;
	struct run r;
	size_t	 i, j;
	int	 rc, gaveup;

	for (i = 0; i < len; i++) {
		if (s[i] != '@')
			continue;
		gaveup = 0;
		j = skip_ignorable(s, len, i + 1, &gaveup);
		if (gaveup && (rc = fn(arg, NULL)) != 0)
			return rc;
		if ((rc = read_run(s, len, j, &r, fn, arg)) != 0)
			return rc;
	}
	return 0;
}
