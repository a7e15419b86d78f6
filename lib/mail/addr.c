/*
 * addr.c - envelope addresses and domain names (pure: no I/O, no globals)
 *
 * Details the header leaves open:
 * - Postfix passes the policy "sender"/"recipient" in its internal,
 *   unquoted form (john doe@x, a@b@x) and the milter argument as the
 *   client wrote it (<"john doe"@x>).  Both are accepted: the last '@'
 *   outside quotes starts the domain, and the local part is stored in
 *   one canonical form (bare if a dot-atom, else quoted with '"' and '\'
 *   escaped), so the two spellings compare equal.
 * - The local part may be up to 255 octets in canonical form, not
 *   RFC 5321's 64: SRS and VERP senders exceed 64 in practice.
 *   Octets >= 0x80 are allowed in it (SMTPUTF8); domains must be
 *   ASCII (A-labels), so a U-label domain is refused.
 * - A leading "@" is a source route when more follows ("@a,@b:u@d");
 *   alone ("@d") it is an empty local part.
 * - On failure addr_parse() writes no result, domain_normalize()
 *   leaves "" in out, addr_format() returns -1 and writes "".
 * - Case folding is ASCII only and ignores the locale.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "why.h"
#include "ascii.h"

#define DOMAIN_TEXT_MAX	255		/* octets, RFC 1035 */
#define LABEL_MAX	63		/* octets, RFC 1035 */
#define LITERAL_MAX	64		/* > "IPv6:" + INET6_ADDRSTRLEN */

static int	is_ctrl(int);
static int	is_atext(int);
static int	is_dot_atom(const char *, size_t);
static const char *unbracket(const char *, const char **, size_t *);
static const char *skip_route(const char *, size_t, size_t *);
static const char *split_at(const char *, size_t, size_t *);
static size_t	unquote(const char *, size_t, char *, size_t);
static const char *canon_local(const char *, size_t, char *, size_t);
static const char *parse_domain(const char *, size_t, char *, size_t);
static const char *literal_check(const char *, size_t, char *, size_t);
static int	is_ldh(int);
static const char *labels_check(const char *, size_t);
static const char *domain_check(const char *, char *, size_t);
static size_t	trimmed_len(const char *);

/* is_ctrl - C0 controls and DEL: never valid in an envelope address */
static int
is_ctrl(int c)
{
	return c < 0x20 || c == 0x7f;
}

/* is_atext - RFC 5322 atext; octets >= 0x80 are UTF-8 (RFC 6531) */
static int
is_atext(int c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c >= 0x80)
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

/* is_dot_atom - can the local part go unquoted? */
static int
is_dot_atom(const char *s, size_t n)
{
	size_t	 i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && s[i + 1] == '.')
			return 0;
		if (s[i] != '.' && !is_atext((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

/*
 * unbracket - find the address inside optional angle brackets.  Returns
 * NULL, or the reason the brackets are unbalanced.
 */
static const char *
unbracket(const char *in, const char **start, size_t *len)
{
	size_t	 n = strlen(in);
	int	 open = n > 0 && in[0] == '<';
	int	 close = n > 0 && in[n - 1] == '>';

	if (open && close && n >= 2) {
		*start = in + 1;
		*len = n - 2;
		return NULL;
	}
	if (open || close)
		return "unbalanced angle brackets";
	*start = in;
	*len = n;
	return NULL;
}

/*
 * skip_route - measure an RFC 5321 source route "@a,@b:" so that it can
 * be dropped (RFC 5321 section 4.1.2 says receivers SHOULD ignore it).
 * Route domains are [literal] or anything up to ',' or ':'.
 */
static const char *
skip_route(const char *p, size_t n, size_t *skip)
{
	size_t	 i = 0, start;

	for (;;) {
		if (i >= n || p[i] != '@')
			return "bad source route";
		start = ++i;
		if (i < n && p[i] == '[') {
			while (i < n && p[i] != ']')
				i++;
			if (i < n)
				i++;
		} else
			while (i < n && p[i] != ',' && p[i] != ':')
				i++;
		if (i == start || i >= n || (p[i] != ',' && p[i] != ':'))
			return "bad source route";
		if (p[i++] == ':')
			break;
	}
	for (start = 0; start < i; start++)
		if (is_ctrl((unsigned char)p[start]))
			return "control character in address";
	*skip = i;
	return NULL;
}

/*
 * split_at - find the last '@' outside quotes (*at = n when there is
 * none), checking quotes, escapes, brackets and control characters.
 */
static const char *
split_at(const char *p, size_t n, size_t *at)
{
	size_t	 i;
	int	 quoted = 0;

	*at = n;
	for (i = 0; i < n; i++) {
		if (is_ctrl((unsigned char)p[i]))
			return "control character in address";
		if (quoted && p[i] == '\\') {
			if (++i == n)
				break;
			if (is_ctrl((unsigned char)p[i]))
				return "control character in address";
		} else if (p[i] == '"')
			quoted = !quoted;
		else if (!quoted && (p[i] == '<' || p[i] == '>'))
			return "unbalanced angle brackets";
		else if (!quoted && p[i] == '@')
			*at = i;
	}
	if (quoted)
		return "unbalanced quotes";
	return NULL;
}

/*
 * unquote - copy the local part with quotes and escapes removed; returns
 * its length, or size when it does not fit.  Outside quotes a backslash
 * is literal: Postfix's internal form (policy "sender") has no quoting.
 */
static size_t
unquote(const char *p, size_t n, char *out, size_t size)
{
	size_t	 i, o = 0;
	int	 quoted = 0;

	for (i = 0; i < n; i++) {
		if (p[i] == '"') {
			quoted = !quoted;
			continue;
		}
		if (quoted && p[i] == '\\' && i + 1 < n)
			i++;
		if (o + 1 >= size)
			return size;
		out[o++] = p[i];
	}
	out[o] = '\0';
	return o;
}

/*
 * canon_local - the local part in canonical form: bare when it is a
 * dot-atom, else one quoted string with '"' and '\' escaped.  So
 * "alice"@x, alice@x and the internal form agree, as do "john doe"@x
 * (milter argument) and john doe@x (policy attribute).
 */
static const char *
canon_local(const char *raw, size_t n, char *out, size_t size)
{
	size_t	 i, o = 0;
	int	 esc;

	if (is_dot_atom(raw, n)) {
		if (n >= size)
			return "local part too long";
		memcpy(out, raw, n);
		out[n] = '\0';
		return NULL;
	}
	if (size < 3)
		return "local part too long";
	out[o++] = '"';
	for (i = 0; i < n; i++) {
		esc = raw[i] == '"' || raw[i] == '\\';
		/* this octet, its escape, the closing quote and the NUL */
		if (o + (size_t)esc + 3 > size)
			return "local part too long";
		if (esc)
			out[o++] = '\\';
		out[o++] = raw[i];
	}
	out[o++] = '"';
	out[o] = '\0';
	return NULL;
}

/* parse_domain - normalize the n octets after the '@' */
static const char *
parse_domain(const char *p, size_t n, char *out, size_t size)
{
	char	 buf[DOMAIN_TEXT_MAX + 2];	/* trailing dot, NUL */

	if (n == 0)
		return "empty domain";
	if (n >= sizeof(buf))
		return "domain longer than 255 octets";
	memcpy(buf, p, n);
	buf[n] = '\0';
	return domain_check(buf, out, size);
}

/* addr_parse - parse an envelope address; *m changes only on success */
int
addr_parse(const char *in, struct mailaddr *m, char *err, size_t errlen)
{
	struct mailaddr	 tmp;
	char		 raw[ADDR_LOCAL_MAX];
	const char	*p, *why;
	size_t		 n, skip = 0, at, rawlen;

	if (in == NULL || m == NULL) {
		why_set(err, errlen, "no address");
		return -1;
	}
	memset(&tmp, 0, sizeof(tmp));
	if ((why = unbracket(in, &p, &n)) != NULL)
		goto bad;
	if (n == 0) {
		tmp.null = 1;
		*m = tmp;
		return 0;
	}
	/* "@dom" alone is an empty local part; with more, a route. */
	if (p[0] == '@' && (memchr(p, ':', n) != NULL ||
	    memchr(p + 1, '@', n - 1) != NULL) &&
	    (why = skip_route(p, n, &skip)) != NULL)
		goto bad;
	p += skip;
	n -= skip;
	if ((why = split_at(p, n, &at)) != NULL)
		goto bad;
	if ((rawlen = unquote(p, at, raw, sizeof(raw))) == sizeof(raw)) {
		why = "local part too long";
		goto bad;
	}
	if (at == 0 || (rawlen == 0 && memchr(p, '"', at) == NULL)) {
		why = "empty local part";
		goto bad;
	}
	if ((why = canon_local(raw, rawlen, tmp.local,
	    sizeof(tmp.local))) != NULL)
		goto bad;
	if (at < n && (why = parse_domain(p + at + 1, n - at - 1, tmp.domain,
	    sizeof(tmp.domain))) != NULL)
		goto bad;
	*m = tmp;
	return 0;
bad:
	why_set(err, errlen, "%s", why);
	return -1;
}

/* addr_format - local@domain, local alone, or "" for the null sender */
int
addr_format(const struct mailaddr *m, char *buf, size_t len)
{
	int	 n;

	if (m == NULL || buf == NULL || len == 0)
		return -1;
	if (m->null)
		n = snprintf(buf, len, "%s", "");
	else if (m->domain[0] == '\0')
		n = snprintf(buf, len, "%s", m->local);
	else
		n = snprintf(buf, len, "%s@%s", m->local, m->domain);
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* addr_equal - same domain, same local part ignoring ASCII case */
int
addr_equal(const struct mailaddr *a, const struct mailaddr *b)
{
	size_t	 la, lb;

	if (a->null || b->null)
		return a->null && b->null;
	if (strcmp(a->domain, b->domain) != 0)
		return 0;
	la = strlen(a->local);
	lb = strlen(b->local);
	return la == lb && ascii_ncaseeq(a->local, b->local, la);
}

/*
 * literal_check - validate "[a.b.c.d]" or "[IPv6:...]" (any case of the
 * tag) and write it with the tag spelled "IPv6:" and the rest lower case.
 */
static const char *
literal_check(const char *in, size_t len, char *out, size_t size)
{
	char		 tmp[LITERAL_MAX];
	unsigned char	 bin[16];
	const char	*tag = "";
	size_t		 i, n;
	int		 af = AF_INET, r;

	if (len < 2 || in[len - 1] != ']')
		return "unbalanced brackets in address literal";
	in++;
	n = len - 2;
	if (n >= 5 && ascii_ncaseeq(in, "IPv6:", 5)) {
		tag = "IPv6:";
		af = AF_INET6;
		in += 5;
		n -= 5;
	}
	if (n >= sizeof(tmp))
		return "bad address literal";
	for (i = 0; i < n; i++)
		tmp[i] = (char)ascii_tolower((unsigned char)in[i]);
	tmp[n] = '\0';
	if (inet_pton(af, tmp, bin) != 1)
		return "bad address literal";
	r = snprintf(out, size, "[%s%s]", tag, tmp);
	if (r < 0 || (size_t)r >= size)
		return "domain too long";
	return NULL;
}

/* is_ldh - letter, digit or hyphen (input already lower case) */
static int
is_ldh(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

/* labels_check - LDH (plus '_') labels of 1..63 octets, no edge hyphen */
static const char *
labels_check(const char *s, size_t len)
{
	size_t	 i, start = 0;
	int	 c;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			c = (unsigned char)s[i];
			if (!is_ldh(c) && c != '_')
				return "bad character in domain";
			continue;
		}
		if (i == start)
			return "empty domain label";
		if (i - start > LABEL_MAX)
			return "domain label longer than 63 octets";
		if (s[start] == '-' || s[i - 1] == '-')
			return "domain label starts or ends with '-'";
		start = i + 1;
	}
	return NULL;
}

/* domain_check - domain_normalize() with a reason on failure */
static const char *
domain_check(const char *in, char *out, size_t size)
{
	size_t		 i, len = strlen(in);
	const char	*why;

	if (len > 0 && in[0] == '[')
		why = literal_check(in, len, out, size);
	else {
		if (len > 0 && in[len - 1] == '.')
			len--;
		if (len == 0)
			return "empty domain";
		if (len > DOMAIN_TEXT_MAX)
			return "domain longer than 255 octets";
		if (len >= size)
			return "domain too long";
		for (i = 0; i < len; i++)
			out[i] = (char)ascii_tolower((unsigned char)in[i]);
		out[len] = '\0';
		why = labels_check(out, len);
	}
	return why;
}

/* domain_normalize - lower-case, strip one dot, validate; "" on error */
int
domain_normalize(const char *in, char *out, size_t len)
{
	if (out == NULL || len == 0)
		return -1;
	if (in != NULL && domain_check(in, out, len) == NULL)
		return 0;
	out[0] = '\0';
	return -1;
}

/* trimmed_len - length without one trailing dot */
static size_t
trimmed_len(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && s[n - 1] == '.' ? n - 1 : n;
}

/*
 * domain_match - "example.com" matches that domain only; ".example.com"
 * matches proper subdomains only, never example.com or badexample.com.
 * Tolerates case and one trailing dot on either side.
 */
int
domain_match(const char *domain, const char *pattern)
{
	size_t	 dl, pl;

	if (domain == NULL || pattern == NULL)
		return 0;
	dl = trimmed_len(domain);
	pl = trimmed_len(pattern);
	if (dl == 0 || pl == 0)
		return 0;
	if (pattern[0] == '.') {
		if (pl == 1 || dl <= pl)
			return 0;
		return ascii_ncaseeq(domain + dl - pl, pattern, pl);
	}
	return dl == pl && ascii_ncaseeq(domain, pattern, pl);
}

/* domain_list_match - 1 when any of the n patterns matches */
int
domain_list_match(char *const *list, size_t n, const char *domain)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (list[i] != NULL && domain_match(domain, list[i]))
			return 1;
	return 0;
}
