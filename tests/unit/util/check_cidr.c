/* check_cidr.c - unit tests for lib/util/cidr.c */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cidr.h"
#include "unit.h"


static void	cidr_suite(Suite *);

/* ipaddr_parse + ipaddr_format: want 0/-1, v4 = is_v4, out = format */
static const struct ip_case {
	const char	*name, *in;
	int		 want, v4;
	const char	*out;
} ip_cases[] = {
	{ "v4", "192.0.2.1", 0, 1, "192.0.2.1" },
	{ "v4 zero", "0.0.0.0", 0, 1, "0.0.0.0" },
	{ "v4 all ones", "255.255.255.255", 0, 1, "255.255.255.255" },
	{ "v4-mapped v6 is v4", "::ffff:192.0.2.1", 0, 1, "192.0.2.1" },
	{ "v4-mapped upper case", "::FFFF:192.0.2.1", 0, 1, "192.0.2.1" },
	{ "v4-mapped in hex", "::ffff:c000:201", 0, 1, "192.0.2.1" },
	{ "IPv6: tag", "IPv6:2001:db8::1", 0, 0, "2001:db8::1" },
	{ "ipv6: tag any case", "ipv6:2001:DB8::1", 0, 0, "2001:db8::1" },
	{ "IPv6: tag v4-mapped", "IPv6:::ffff:192.0.2.1", 0, 1, "192.0.2.1" },
	{ "v6 unspecified", "::", 0, 0, "::" },
	{ "v6 loopback", "::1", 0, 0, "::1" },
	{ "v6 trailing run", "1::", 0, 0, "1::" },
	{ "v6 ::/96 not dotted", "::2:3", 0, 0, "::2:3" },
	{ "v4-compatible is v6", "::192.0.2.1", 0, 0, "::c000:201" },
	{ "v6 link local", "FE80::1", 0, 0, "fe80::1" },
	{ "v6 full form", "2001:0db8:0000:0000:0000:0000:0000:0001", 0, 0,
	    "2001:db8::1" },
	{ "v6 first longest run", "2001:db8:0:0:1:0:0:1", 0, 0,
	    "2001:db8::1:0:0:1" },
	{ "v6 longest run wins", "2001:0:0:1:0:0:0:1", 0, 0,
	    "2001:0:0:1::1" },
	{ "v6 single zero kept", "2001:db8:0:1:1:1:1:1", 0, 0,
	    "2001:db8:0:1:1:1:1:1" },
	{ "empty", "", -1, 0, NULL },
	{ "v4 three octets", "1.2.3", -1, 0, NULL },
	{ "v4 five octets", "1.2.3.4.5", -1, 0, NULL },
	{ "v4 octet 300", "300.1.1.1", -1, 0, NULL },
	{ "v4 octet 256", "1.2.3.256", -1, 0, NULL },
	{ "v4 leading zero", "010.1.1.1", -1, 0, NULL },
	{ "v4 hex", "0x7f.0.0.1", -1, 0, NULL },
	{ "v4 leading space", " 192.0.2.1", -1, 0, NULL },
	{ "v4 trailing space", "192.0.2.1 ", -1, 0, NULL },
	{ "v4 with prefix", "192.0.2.0/24", -1, 0, NULL },
	{ "v4 bracketed", "[192.0.2.1]", -1, 0, NULL },
	{ "IPv6: tag with v4", "IPv6:192.0.2.1", -1, 0, NULL },
	{ "IPv6: tag alone", "IPv6:", -1, 0, NULL },
	{ "v6 two ::", "::1::2", -1, 0, NULL },
	{ "v6 nine groups", "1:2:3:4:5:6:7:8:9", -1, 0, NULL },
	{ "v6 five hex digits", "12345::", -1, 0, NULL },
	{ "v6 bad digit", "g::1", -1, 0, NULL },
	{ "v6 zone id", "fe80::1%eth0", -1, 0, NULL },
};

/* cidr_parse accepts: plen as stored, net = formatted network */
static const struct prefix_case {
	const char	*name, *in;
	unsigned	 plen;
	const char	*net;
} prefix_cases[] = {
	{ "v4 /24", "192.0.2.0/24", 120, "192.0.2.0" },
	{ "v4 host", "192.0.2.1", 128, "192.0.2.1" },
	{ "v4 /32", "192.0.2.1/32", 128, "192.0.2.1" },
	{ "v4 /31", "192.0.2.2/31", 127, "192.0.2.2" },
	{ "v4 /1", "128.0.0.0/1", 97, "128.0.0.0" },
	{ "v4 /0", "0.0.0.0/0", 96, "0.0.0.0" },
	{ "v4 length leading zero", "10.0.0.0/08", 104, "10.0.0.0" },
	{ "v6 /0", "::/0", 0, "::" },
	{ "v6 host", "2001:db8::1", 128, "2001:db8::1" },
	{ "v6 /128", "::1/128", 128, "::1" },
	{ "v6 /127", "2001:db8::/127", 127, "2001:db8::" },
	{ "v6 /32", "2001:db8::/32", 32, "2001:db8::" },
	{ "v6 /113", "2001:db8::8000/113", 113, "2001:db8::8000" },
	{ "v4-mapped /104", "::ffff:10.0.0.0/104", 104, "10.0.0.0" },
	{ "v4-mapped /96", "::ffff:0.0.0.0/96", 96, "0.0.0.0" },
	{ "v4-mapped host", "::ffff:192.0.2.1", 128, "192.0.2.1" },
	{ "IPv6: tag", "IPv6:2001:db8::/32", 32, "2001:db8::" },
};

/* cidr_parse rejects: err must contain want */
static const struct bad_case {
	const char	*name, *in, *want;
} bad_cases[] = {
	{ "null", NULL, "empty prefix" },
	{ "empty", "", "empty prefix" },
	{ "no length", "1.2.3.4/", "missing prefix length after '/'" },
	{ "no address", "/8", "missing address before '/'" },
	{ "v4 /33", "192.0.2.0/33", "/33 too large for IPv4 (max /32)" },
	{ "v4 /128", "192.0.2.0/128", "too large for IPv4" },
	{ "v6 /129", "2001:db8::/129", "/129 too large for IPv6 (max /128)" },
	{ "v4-mapped /129", "::ffff:10.0.0.0/129", "too large for IPv6" },
	{ "huge length", "10.0.0.0/99999999999999999999", "too large" },
	{ "plus sign", "10.0.0.0/+8", "not a decimal number" },
	{ "minus sign", "10.0.0.0/-8", "not a decimal number" },
	{ "hex length", "10.0.0.0/0x8", "not a decimal number" },
	{ "trailing space", "10.0.0.0/8 ", "not a decimal number" },
	{ "space after slash", "10.0.0.0/ 8", "not a decimal number" },
	{ "two slashes", "10.0.0.0/8/8", "not a decimal number" },
	{ "space before slash", "10.0.0.0 /8", "bad IPv4 or IPv6 address" },
	{ "three octets", "1.2.3", "bad IPv4 or IPv6 address" },
	{ "three octets /24", "1.2.3/24", "bad IPv4 or IPv6 address" },
	{ "five octets", "1.2.3.4.5", "bad IPv4 or IPv6 address" },
	{ "octet 300", "300.1.1.1", "bad IPv4 or IPv6 address" },
	{ "two ::", "::1::2", "bad IPv4 or IPv6 address" },
	{ "hostname", "mail.example.com", "bad IPv4 or IPv6 address" },
	{ "over-long", "IPv6:0000:0000:0000:0000:0000:0000:0000:0000:0000:"
	    "0000:0000:0000:0000/8", "address too long" },
};

/* cidr_parse rejects host bits: the whole message is fixed */
static const struct host_case {
	const char	*name, *in, *want;
} host_cases[] = {
	{ "v4 /24", "192.0.2.1/24",
	    "host bits set beyond /24 (did you mean 192.0.2.0/24?)" },
	{ "v4 /31", "192.0.2.1/31",
	    "host bits set beyond /31 (did you mean 192.0.2.0/31?)" },
	{ "v4 /8", "10.1.2.3/8",
	    "host bits set beyond /8 (did you mean 10.0.0.0/8?)" },
	{ "v4 /0", "1.2.3.4/0",
	    "host bits set beyond /0 (did you mean 0.0.0.0/0?)" },
	{ "v6 /32", "2001:db8::1/32",
	    "host bits set beyond /32 (did you mean 2001:db8::/32?)" },
	{ "v6 /113", "2001:db8::c000/113",
	    "host bits set beyond /113 (did you mean 2001:db8::8000/113?)" },
	{ "v6 /0", "::1/0", "host bits set beyond /0 (did you mean ::/0?)" },
	{ "v4-mapped /104", "::ffff:10.1.0.0/104", "host bits set beyond "
	    "/104 (did you mean ::ffff:10.0.0.0/104?)" },
	{ "v4-mapped /80", "::ffff:10.0.0.1/80",
	    "host bits set beyond /80 (did you mean ::/80?)" },
};

/* cidr_match: want 1 when addr lies in prefix */
static const struct match_case {
	const char	*name, *prefix, *addr;
	int		 want;
} v4_match_cases[] = {
	{ "/24 first", "192.0.2.0/24", "192.0.2.0", 1 },
	{ "/24 last", "192.0.2.0/24", "192.0.2.255", 1 },
	{ "/24 next", "192.0.2.0/24", "192.0.3.0", 0 },
	{ "/24 previous", "192.0.2.0/24", "192.0.1.255", 0 },
	{ "/24 v4-mapped address", "192.0.2.0/24", "::ffff:192.0.2.7", 1 },
	{ "/24 IPv6: tagged", "192.0.2.0/24", "IPv6:::ffff:192.0.2.7", 1 },
	{ "/24 v4-compatible", "192.0.2.0/24", "::192.0.2.7", 0 },
	{ "/32 same", "192.0.2.1/32", "192.0.2.1", 1 },
	{ "/32 other", "192.0.2.1/32", "192.0.2.0", 0 },
	{ "host same", "192.0.2.1", "192.0.2.1", 1 },
	{ "host other", "192.0.2.1", "192.0.2.2", 0 },
	{ "/31 low", "192.0.2.0/31", "192.0.2.0", 1 },
	{ "/31 high", "192.0.2.0/31", "192.0.2.1", 1 },
	{ "/31 next", "192.0.2.0/31", "192.0.2.2", 0 },
	{ "/31 odd pair below", "192.0.2.2/31", "192.0.2.1", 0 },
	{ "/31 odd pair high", "192.0.2.2/31", "192.0.2.3", 1 },
	{ "/8 last", "10.0.0.0/8", "10.255.255.255", 1 },
	{ "/8 next", "10.0.0.0/8", "11.0.0.0", 0 },
	{ "/1 below", "128.0.0.0/1", "127.255.255.255", 0 },
	{ "/1 first", "128.0.0.0/1", "128.0.0.0", 1 },
	{ "/0 any v4", "0.0.0.0/0", "203.0.113.9", 1 },
	{ "/0 v4-mapped", "0.0.0.0/0", "::ffff:1.2.3.4", 1 },
	{ "/0 not v6", "0.0.0.0/0", "2001:db8::1", 0 },
	{ "/0 not ::", "0.0.0.0/0", "::", 0 },
}, v6_match_cases[] = {
	{ "/0 any v6", "::/0", "2001:db8::1", 1 },
	{ "/0 v4 too", "::/0", "192.0.2.1", 1 },
	{ "/0 ::", "::/0", "::", 1 },
	{ "/32 last", "2001:db8::/32", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
	    1 },
	{ "/32 next", "2001:db8::/32", "2001:db9::", 0 },
	{ "/32 previous", "2001:db8::/32",
	    "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", 0 },
	{ "/32 not v4", "2001:db8::/32", "192.0.2.1", 0 },
	{ "/128 same", "2001:db8::1/128", "2001:db8::1", 1 },
	{ "/128 other", "2001:db8::1/128", "2001:db8::2", 0 },
	{ "host other", "2001:db8::1", "2001:db8::3", 0 },
	{ "/127 high", "2001:db8::/127", "2001:db8::1", 1 },
	{ "/127 next", "2001:db8::/127", "2001:db8::2", 0 },
	{ "/113 in", "2001:db8::8000/113", "2001:db8::ffff", 1 },
	{ "/113 below", "2001:db8::8000/113", "2001:db8::7fff", 0 },
	{ "v4-mapped /104 in", "::ffff:10.0.0.0/104", "10.1.2.3", 1 },
	{ "v4-mapped /104 out", "::ffff:10.0.0.0/104", "11.0.0.0", 0 },
	{ "v4-mapped /96 any v4", "::ffff:0.0.0.0/96", "8.8.8.8", 1 },
	{ "v4-mapped /96 not v6", "::ffff:0.0.0.0/96", "2001:db8::1", 0 },
};

/* pairs of spellings that must parse to the same prefix */
static const struct same_case {
	const char	*name, *a, *b;
} same_cases[] = {
	{ "v4-mapped /104 is /8", "::ffff:10.0.0.0/104", "10.0.0.0/8" },
	{ "v4-mapped host is /32", "::ffff:192.0.2.1", "192.0.2.1/32" },
	{ "v4-mapped /96 is /0", "::ffff:0.0.0.0/96", "0.0.0.0/0" },
	{ "IPv6: tag and case", "IPv6:2001:db8::/32", "2001:DB8:0::/32" },
	{ "host is /128", "2001:db8::1", "2001:db8::1/128" },
};

/* check_ipaddr_parse - result, family and canonical text */
START_TEST(check_ipaddr_parse)
{
	const struct ip_case	*tc = &ip_cases[_i];
	struct ipaddr		 a;
	char			 buf[64];
	int			 got;

	got = ipaddr_parse(tc->in, &a);
	ck_assert_msg(got == tc->want, "%s: got %d, want %d", tc->name, got,
	    tc->want);
	if (tc->want != 0)
		return;
	got = ipaddr_is_v4(&a);
	ck_assert_msg(got == tc->v4, "%s: is_v4 got %d, want %d", tc->name,
	    got, tc->v4);
	got = ipaddr_format(&a, buf, sizeof(buf));
	ck_assert_msg(got == 0, "%s: format got %d, want 0", tc->name, got);
	ck_assert_msg(strcmp(buf, tc->out) == 0, "%s: got \"%s\", want \"%s\"",
	    tc->name, buf, tc->out);
}
END_TEST

/* check_format_round_trip - format(parse(format(x))) is stable */
START_TEST(check_format_round_trip)
{
	const struct ip_case	*tc = &ip_cases[_i];
	struct ipaddr		 a, b;
	char			 buf[64], buf2[64];

	if (tc->want != 0)
		return;
	ck_assert_int_eq(ipaddr_parse(tc->in, &a), 0);
	ck_assert_int_eq(ipaddr_format(&a, buf, sizeof(buf)), 0);
	ck_assert_msg(ipaddr_parse(buf, &b) == 0, "%s: \"%s\" does not parse",
	    tc->name, buf);
	ck_assert_msg(memcmp(a.b, b.b, sizeof(a.b)) == 0,
	    "%s: \"%s\" parses to another address", tc->name, buf);
	ck_assert_int_eq(ipaddr_format(&b, buf2, sizeof(buf2)), 0);
	ck_assert_msg(strcmp(buf, buf2) == 0, "%s: got \"%s\", want \"%s\"",
	    tc->name, buf2, buf);
}
END_TEST

/* check_ipaddr_bad_untouched - a failed parse leaves *a alone */
START_TEST(check_ipaddr_bad_untouched)
{
	struct ipaddr	 a;

	memset(&a, 0xa5, sizeof(a));
	ck_assert_int_eq(ipaddr_parse("300.1.1.1", &a), -1);
	ck_assert_int_eq(a.b[0], 0xa5);
	ck_assert_int_eq(a.b[15], 0xa5);
	ck_assert_int_eq(ipaddr_parse(NULL, &a), -1);
	ck_assert_int_eq(ipaddr_parse("192.0.2.1", NULL), -1);
}
END_TEST

/* check_format_buffer - exact fit works, one short fails with "" */
START_TEST(check_format_buffer)
{
	struct ipaddr	 a;
	char		 buf[64];

	ck_assert_int_eq(ipaddr_parse("192.0.2.1", &a), 0);
	ck_assert_int_eq(ipaddr_format(&a, buf, sizeof("192.0.2.1")), 0);
	ck_assert_str_eq(buf, "192.0.2.1");
	ck_assert_int_eq(ipaddr_format(&a, buf, sizeof("192.0.2.1") - 1), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ipaddr_parse("2001:db8::1", &a), 0);
	ck_assert_int_eq(ipaddr_format(&a, buf, sizeof("2001:db8::1")), 0);
	ck_assert_str_eq(buf, "2001:db8::1");
	ck_assert_int_eq(ipaddr_format(&a, buf, 4), -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(ipaddr_format(&a, NULL, 0), -1);
}
END_TEST

/* check_prefix_parse - stored length and network */
START_TEST(check_prefix_parse)
{
	const struct prefix_case	*tc = &prefix_cases[_i];
	struct cidr			 c;
	char				 err[128] = "", buf[64];
	int				 got;

	got = cidr_parse(tc->in, &c, err, sizeof(err));
	ck_assert_msg(got == 0, "%s: got %d (%s), want 0", tc->name, got, err);
	ck_assert_msg(c.plen == tc->plen, "%s: plen got %u, want %u",
	    tc->name, c.plen, tc->plen);
	ck_assert_int_eq(ipaddr_format(&c.addr, buf, sizeof(buf)), 0);
	ck_assert_msg(strcmp(buf, tc->net) == 0, "%s: got \"%s\", want \"%s\"",
	    tc->name, buf, tc->net);
}
END_TEST

/* parse_fails - cidr_parse(in) fails with want in its reason (exact: as
 * its reason) */
static void
parse_fails(const char *name, const char *in, struct cidr *c,
    const char *want, int exact)
{
	char	 err[128] = "";
	int	 got;

	got = cidr_parse(in, c, err, sizeof(err));
	ck_assert_msg(got == -1, "%s: got %d, want -1", name, got);
	ck_assert_msg(exact ? strcmp(err, want) == 0 : strstr(err, want) !=
	    NULL, "%s: got \"%s\", want \"%s\"", name, err, want);
}

/* check_bad_prefix - rejected, with the expected reason */
START_TEST(check_bad_prefix)
{
	const struct bad_case	*tc = &bad_cases[_i];
	struct cidr		 c;

	memset(&c, 0xa5, sizeof(c));
	parse_fails(tc->name, tc->in, &c, tc->want, 0);
	ck_assert_msg(c.plen == 0xa5a5a5a5u, "%s: result changed", tc->name);
}
END_TEST

/* check_host_bits - rejected with a suggestion */
START_TEST(check_host_bits)
{
	struct cidr	 c;

	parse_fails(host_cases[_i].name, host_cases[_i].in, &c,
	    host_cases[_i].want, 1);
}
END_TEST

/* run_match - shared body of the v4 and v6 match tables */
static void
run_match(const struct match_case *tc)
{
	struct cidr	 c;
	struct ipaddr	 a;
	char		 err[128] = "";
	int		 got;

	ck_assert_msg(cidr_parse(tc->prefix, &c, err, sizeof(err)) == 0,
	    "%s: prefix: %s", tc->name, err);
	ck_assert_msg(ipaddr_parse(tc->addr, &a) == 0, "%s: bad address",
	    tc->name);
	got = cidr_match(&c, &a);
	ck_assert_msg(got == tc->want, "%s: got %d, want %d", tc->name, got,
	    tc->want);
}

/* check_v4_match, check_v6_match - prefix boundaries per family */
START_TEST(check_v4_match)
{
	run_match(&v4_match_cases[_i]);
}
END_TEST

START_TEST(check_v6_match)
{
	run_match(&v6_match_cases[_i]);
}
END_TEST

/* check_same_prefix - two spellings, one struct cidr */
START_TEST(check_same_prefix)
{
	const struct same_case	*tc = &same_cases[_i];
	struct cidr		 a, b;
	char			 err[128] = "";

	ck_assert_msg(cidr_parse(tc->a, &a, err, sizeof(err)) == 0, "%s: %s",
	    tc->name, err);
	ck_assert_msg(cidr_parse(tc->b, &b, err, sizeof(err)) == 0, "%s: %s",
	    tc->name, err);
	ck_assert_msg(a.plen == b.plen, "%s: got %u, want %u", tc->name,
	    a.plen, b.plen);
	ck_assert_msg(memcmp(a.addr.b, b.addr.b, sizeof(a.addr.b)) == 0,
	    "%s: addresses differ", tc->name);
}
END_TEST

/* check_list_match - any prefix in the list; an empty list never */
START_TEST(check_list_match)
{
	static const char *const texts[] = {
		"10.0.0.0/8", "2001:db8::/32", "192.0.2.1"
	};
	struct cidr	 list[NELEM(texts)];
	struct ipaddr	 a;
	size_t		 i;

	for (i = 0; i < NELEM(texts); i++)
		ck_assert_int_eq(cidr_parse(texts[i], &list[i], NULL, 0), 0);
	ck_assert_int_eq(ipaddr_parse("2001:db8::5", &a), 0);
	ck_assert_int_eq(cidr_list_match(list, NELEM(list), &a), 1);
	ck_assert_int_eq(cidr_list_match(list, 0, &a), 0);
	ck_assert_int_eq(ipaddr_parse("::ffff:192.0.2.1", &a), 0);
	ck_assert_int_eq(cidr_list_match(list, NELEM(list), &a), 1);
	ck_assert_int_eq(ipaddr_parse("192.0.2.2", &a), 0);
	ck_assert_int_eq(cidr_list_match(list, NELEM(list), &a), 0);
	ck_assert_int_eq(cidr_list_match(NULL, 0, &a), 0);
}
END_TEST

/* check_error_buffer - NULL and tiny error buffers are safe */
START_TEST(check_error_buffer)
{
	struct cidr	 c;
	char		 err[8];

	ck_assert_int_eq(cidr_parse("192.0.2.1/24", &c, NULL, 0), -1);
	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(cidr_parse("192.0.2.1/24", &c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "host bi");
	ck_assert_int_eq(cidr_parse("192.0.2.0/24", NULL, err, sizeof(err)),
	    -1);
}
END_TEST

/* cidr_suite - every behaviour of lib/util/cidr.c */
static void
cidr_suite(Suite *s)
{
	unit_loop(s, "address parse and format", check_ipaddr_parse,
	    NELEM(ip_cases));
	unit_loop(s, "format round trip", check_format_round_trip,
	    NELEM(ip_cases));
	unit_one(s, "failed parse leaves result alone",
	    check_ipaddr_bad_untouched);
	unit_one(s, "format buffer bounds", check_format_buffer);
	unit_loop(s, "prefix parse", check_prefix_parse, NELEM(prefix_cases));
	unit_loop(s, "bad prefixes", check_bad_prefix, NELEM(bad_cases));
	unit_loop(s, "host bits set", check_host_bits, NELEM(host_cases));
	unit_loop(s, "v4 prefix boundary", check_v4_match,
	    NELEM(v4_match_cases));
	unit_loop(s, "v6 prefix boundary", check_v6_match,
	    NELEM(v6_match_cases));
	unit_loop(s, "v4-mapped spellings are one prefix", check_same_prefix,
	    NELEM(same_cases));
	unit_one(s, "list match", check_list_match);
	unit_one(s, "error buffer bounds", check_error_buffer);
}

UNIT_MAIN("cidr", cidr_suite)
