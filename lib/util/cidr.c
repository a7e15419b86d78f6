/*
 * cidr.c - IPv4/IPv6 addresses and prefixes (pure: no I/O, no globals)
 *
 * Details the header leaves open:
 * - IPv4 text follows inet_pton(3): four decimal octets, no leading
 *   zeros ("010.1.1.1" is refused rather than guessed at as octal).
 *   "IPv6:" (any case) must be followed by IPv6 text.
 * - The prefix length range follows the notation: 0..32 (stored +96)
 *   for dotted quads, 0..128 for IPv6 text, so "::ffff:10.0.0.0/104"
 *   is 10.0.0.0/8, "::/0" matches IPv4 clients too and "0.0.0.0/0"
 *   matches IPv4 only.  Lengths are digits only; "/08" is 8, as in
 *   Postfix cidr tables.
 * - On failure no result is written; ipaddr_format() returns -1 and
 *   writes "" when the buffer is too small.
 */
#include "config.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "cidr.h"
#include "why.h"

/* Longest text we parse: "IPv6:" + INET6_ADDRSTRLEN (46, with NUL). */
#define CIDR_TEXT_MAX	64
#define CIDR_V4_OFFSET	96		/* bits before the IPv4 part */

static int	parse_text(const char *, struct ipaddr *, int *);
static int	fmt_v4(const uint8_t *, char *, size_t);
static int	fmt_v6(const uint8_t *, char *, size_t);
static int	parse_len(const char *, unsigned *);
static void	mask_host_bits(struct ipaddr *, unsigned);
static int	split_prefix(const char *, char *, size_t, const char **,
		    char *, size_t);
static int	check_len(const char *, int, unsigned *, char *, size_t);
static int	fmt_written(const struct ipaddr *, int, char *, size_t);
static int	check_host_bits(const struct cidr *, int, unsigned, char *,
		    size_t);

static const uint8_t v4_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/*
 * parse_text - parse one address; *v6 tells whether it was written as
 * IPv6 text (which decides the prefix length range in cidr_parse).
 * inet_pton() is strict: exactly four decimal octets, no leading zeros
 * (so "010.1.1.1" cannot be mistaken for octal), no surrounding space.
 */
static int
parse_text(const char *s, struct ipaddr *a, int *v6)
{
	uint8_t	 v4[4];

	if (s == NULL)
		return -1;
	if (ascii_caseprefix(s, "IPv6:")) {
		*v6 = 1;
		return inet_pton(AF_INET6, s + 5, a->b) == 1 ? 0 : -1;
	}
	if (strchr(s, ':') != NULL) {
		*v6 = 1;
		return inet_pton(AF_INET6, s, a->b) == 1 ? 0 : -1;
	}
	*v6 = 0;
	if (inet_pton(AF_INET, s, v4) != 1)
		return -1;
	memcpy(a->b, v4_mapped, sizeof(v4_mapped));
	memcpy(a->b + 12, v4, sizeof(v4));
	return 0;
}

/* ipaddr_parse - parse IPv4 or IPv6 text; *a changes only on success */
int
ipaddr_parse(const char *s, struct ipaddr *a)
{
	struct ipaddr	 tmp;
	int		 v6;

	if (a == NULL || parse_text(s, &tmp, &v6) != 0)
		return -1;
	*a = tmp;
	return 0;
}

/* ipaddr_is_v4 - is the address v4-mapped (::ffff:0:0/96)? */
int
ipaddr_is_v4(const struct ipaddr *a)
{
	return memcmp(a->b, v4_mapped, sizeof(v4_mapped)) == 0;
}

/* fmt_v4 - dotted quad of four bytes */
static int
fmt_v4(const uint8_t *b, char *buf, size_t len)
{
	int	 n;

	n = snprintf(buf, len, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * fmt_v6 - RFC 5952 text: lower-case hex, no leading zeros, the first
 * longest run of two or more zero groups as "::".  Done by hand because
 * glibc's inet_ntop() writes ::/96 addresses as "::0.2.0.3".
 */
static int
fmt_v6(const uint8_t *b, char *buf, size_t len)
{
	char	 tmp[INET6_ADDRSTRLEN];
	int	 i, best = -1, bestlen = 1, cur = -1, n;
	size_t	 o = 0;

	for (i = 0; i < 8; i++) {
		if (b[2 * i] != 0 || b[2 * i + 1] != 0) {
			cur = -1;
			continue;
		}
		if (cur < 0)
			cur = i;
		if (i - cur + 1 > bestlen) {
			best = cur;
			bestlen = i - cur + 1;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			n = snprintf(tmp + o, sizeof(tmp) - o, "::");
			i += bestlen - 1;
		} else
			n = snprintf(tmp + o, sizeof(tmp) - o, "%s%x",
			    i == 0 || i == best + bestlen ? "" : ":",
			    (unsigned)(b[2 * i] << 8 | b[2 * i + 1]));
		if (n < 0 || (size_t)n >= sizeof(tmp) - o)
			return -1;
		o += (size_t)n;
	}
	n = snprintf(buf, len, "%s", tmp);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* ipaddr_format - canonical text: dotted quad for IPv4, else RFC 5952 */
int
ipaddr_format(const struct ipaddr *a, char *buf, size_t len)
{
	int	 r;

	if (buf == NULL || len == 0)
		return -1;
	if (ipaddr_is_v4(a))
		r = fmt_v4(a->b + 12, buf, len);
	else
		r = fmt_v6(a->b, buf, len);
	if (r != 0)
		buf[0] = '\0';
	return r;
}

/*
 * parse_len - decimal prefix length; digits only (no sign, no space).
 * Values past any valid length saturate, so a long digit string cannot
 * overflow; the caller reports it as too large.
 */
static int
parse_len(const char *s, unsigned *len)
{
	unsigned	 v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v < 1000)
			v = v * 10 + (unsigned)(*s - '0');
	}
	*len = v;
	return 0;
}

/* mask_host_bits - clear every bit after the first plen */
static void
mask_host_bits(struct ipaddr *a, unsigned plen)
{
	unsigned	 i;

	for (i = 0; i < 16; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		if (plen <= 8 * i)
			a->b[i] = 0;
		else
			a->b[i] &= (uint8_t)(0xff << (8 - (plen - 8 * i)));
	}
}

/*
 * split_prefix - copy the address part of "ADDR[/LEN]" into abuf and
 * point *lenp at LEN (NULL when there is no '/').
 */
static int
split_prefix(const char *s, char *abuf, size_t asize, const char **lenp,
    char *err, size_t errlen)
{
	const char	*slash;
	size_t		 n;

	if (s == NULL || *s == '\0') {
		why_set(err, errlen, "empty prefix");
		return -1;
	}
	slash = strchr(s, '/');
	n = slash == NULL ? strlen(s) : (size_t)(slash - s);
	*lenp = slash == NULL ? NULL : slash + 1;
	if (n == 0) {
		why_set(err, errlen, "missing address before '/'");
		return -1;
	}
	if (n >= asize) {
		why_set(err, errlen, "address too long");
		return -1;
	}
	memcpy(abuf, s, n);
	abuf[n] = '\0';
	return 0;
}

/* check_len - validate LEN for the family the address was written in */
static int
check_len(const char *lens, int v6, unsigned *len, char *err, size_t errlen)
{
	unsigned	 max = v6 ? 128 : 32;

	if (lens == NULL) {
		*len = max;
		return 0;
	}
	if (*lens == '\0') {
		why_set(err, errlen, "missing prefix length after '/'");
		return -1;
	}
	if (parse_len(lens, len) != 0) {
		why_set(err, errlen, "prefix length is not a decimal number");
		return -1;
	}
	if (*len > max) {
		why_set(err, errlen, "prefix length /%.10s too large for %s "
		    "(max /%u)", lens, v6 ? "IPv6" : "IPv4", max);
		return -1;
	}
	return 0;
}

/* fmt_written - network text in the notation the user wrote it in */
static int
fmt_written(const struct ipaddr *a, int v6, char *buf, size_t len)
{
	char	 quad[INET_ADDRSTRLEN];
	int	 n;

	if (!ipaddr_is_v4(a))
		return fmt_v6(a->b, buf, len);
	if (!v6)
		return fmt_v4(a->b + 12, buf, len);
	if (fmt_v4(a->b + 12, quad, sizeof(quad)) != 0)
		return -1;
	n = snprintf(buf, len, "::ffff:%s", quad);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * check_host_bits - refuse "192.0.2.1/24", which is a typo more often
 * than not, and suggest the network (len is the length as written).
 */
static int
check_host_bits(const struct cidr *c, int v6, unsigned len, char *err,
    size_t errlen)
{
	struct ipaddr	 net = c->addr;
	char		 text[INET6_ADDRSTRLEN];

	mask_host_bits(&net, c->plen);
	if (memcmp(net.b, c->addr.b, sizeof(net.b)) == 0)
		return 0;
	if (fmt_written(&net, v6, text, sizeof(text)) != 0)
		text[0] = '\0';
	why_set(err, errlen, "host bits set beyond /%u (did you mean %s/%u?)",
	    len, text, len);
	return -1;
}

/* cidr_parse - parse "ADDR" or "ADDR/LEN"; *c changes only on success */
int
cidr_parse(const char *s, struct cidr *c, char *err, size_t errlen)
{
	char		 abuf[CIDR_TEXT_MAX];
	const char	*lens;
	struct cidr	 tmp;
	unsigned	 len;
	int		 v6;

	if (c == NULL) {
		why_set(err, errlen, "no result buffer");
		return -1;
	}
	if (split_prefix(s, abuf, sizeof(abuf), &lens, err, errlen) != 0)
		return -1;
	if (parse_text(abuf, &tmp.addr, &v6) != 0) {
		why_set(err, errlen, "bad IPv4 or IPv6 address");
		return -1;
	}
	if (check_len(lens, v6, &len, err, errlen) != 0)
		return -1;
	tmp.plen = v6 ? len : len + CIDR_V4_OFFSET;
	if (check_host_bits(&tmp, v6, len, err, errlen) != 0)
		return -1;
	*c = tmp;
	return 0;
}

/* cidr_match - 1 when a lies inside c, else 0; never allocates */
int
cidr_match(const struct cidr *c, const struct ipaddr *a)
{
	unsigned	 full, rest;
	uint8_t		 mask;

	if (c == NULL || a == NULL || c->plen > 128)
		return 0;
	full = c->plen / 8;
	rest = c->plen % 8;
	if (memcmp(c->addr.b, a->b, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return (c->addr.b[full] & mask) == (a->b[full] & mask);
}

/* cidr_list_match - 1 when a lies inside any of the n prefixes */
int
cidr_list_match(const struct cidr *list, size_t n, const struct ipaddr *a)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (cidr_match(&list[i], a))
			return 1;
	return 0;
}
