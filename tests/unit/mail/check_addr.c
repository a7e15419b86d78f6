/* check_addr.c - unit tests for lib/mail/addr.c */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "unit.h"


static void	addr_suite(Suite *);

/* addr_parse accepts: expected null flag, local part and domain */
static const struct parse_case {
	const char	*name, *in;
	int		 null;
	const char	*local, *domain;
} parse_cases[] = {
	{ "null sender bracketed", "<>", 1, "", "" },
	{ "null sender bare", "", 1, "", "" },
	{ "plain", "user@example.com", 0, "user", "example.com" },
	{ "bracketed", "<user@example.com>", 0, "user", "example.com" },
	{ "upper-case domain", "User@Example.COM", 0, "User", "example.com" },
	{ "trailing dot", "<user@example.com.>", 0, "user", "example.com" },
	{ "subaddress", "user+tag@example.com", 0, "user+tag", "example.com" },
	{ "apostrophe", "o'brien@example.com", 0, "o'brien", "example.com" },
	{ "quoted with space", "\"john doe\"@Example.COM", 0, "\"john doe\"",
	    "example.com" },
	{ "quoted bracketed", "<\"john doe\"@example.com>", 0, "\"john doe\"",
	    "example.com" },
	{ "internal form with space", "john doe@example.com", 0,
	    "\"john doe\"", "example.com" },
	{ "quoted atom unquoted", "\"alice\"@example.com", 0, "alice",
	    "example.com" },
	{ "quoted dot-atom unquoted", "\"alice.smith\"@example.com", 0,
	    "alice.smith", "example.com" },
	{ "quoted double dot kept", "\"a..b\"@example.com", 0, "\"a..b\"",
	    "example.com" },
	{ "quoted leading dot kept", "\".alice\"@example.com", 0,
	    "\".alice\"", "example.com" },
	{ "escaped quote", "\"a\\\"b\"@example.com", 0, "\"a\\\"b\"",
	    "example.com" },
	{ "escaped backslash", "\"a\\\\b\"@example.com", 0, "\"a\\\\b\"",
	    "example.com" },
	{ "needless escape", "\"a\\b\"@example.com", 0, "ab", "example.com" },
	{ "empty quoted", "\"\"@example.com", 0, "\"\"", "example.com" },
	{ "quoted @", "\"a@b\"@example.com", 0, "\"a@b\"", "example.com" },
	{ "internal form with @", "a@b@example.com", 0, "\"a@b\"",
	    "example.com" },
	{ "source route", "<@a.example,@b.example:user@dom.example>", 0,
	    "user", "dom.example" },
	{ "source route unbracketed", "@a.example:user@dom.example", 0,
	    "user", "dom.example" },
	{ "source route literal", "<@[192.0.2.1]:user@dom.example>", 0,
	    "user", "dom.example" },
	{ "source route v6 literal",
	    "<@[IPv6:2001:db8::1],@b.example:user@dom.example>", 0, "user",
	    "dom.example" },
	{ "no domain", "postmaster", 0, "postmaster", "" },
	{ "no domain bracketed", "<postmaster>", 0, "postmaster", "" },
	{ "A-label", "user@xn--bcher-kva.example", 0, "user",
	    "xn--bcher-kva.example" },
	{ "A-label upper case", "user@XN--BCHER-KVA.example", 0, "user",
	    "xn--bcher-kva.example" },
	{ "underscore", "user@mail_relay.example.com", 0, "user",
	    "mail_relay.example.com" },
	{ "v4 literal", "user@[192.0.2.1]", 0, "user", "[192.0.2.1]" },
	{ "v6 literal", "user@[IPv6:2001:DB8::1]", 0, "user",
	    "[IPv6:2001:db8::1]" },
	{ "v6 literal lower tag", "<user@[ipv6:2001:db8::1]>", 0, "user",
	    "[IPv6:2001:db8::1]" },
	{ "UTF-8 local part", "b\xc3\xbc" "cher@example.com", 0,
	    "b\xc3\xbc" "cher", "example.com" },
};

/* addr_parse rejects: err must contain want */
static const struct bad_case {
	const char	*name, *in, *want;
} bad_cases[] = {
	{ "null pointer", NULL, "no address" },
	{ "open bracket only", "<user@example.com", "unbalanced angle" },
	{ "close bracket only", "user@example.com>", "unbalanced angle" },
	{ "lone open bracket", "<", "unbalanced angle" },
	{ "double brackets", "<<user@example.com>>", "unbalanced angle" },
	{ "bracket inside", "us<er@example.com", "unbalanced angle" },
	{ "open quote", "\"john@example.com", "unbalanced quotes" },
	{ "escaped closing quote", "\"john\\\"@example.com",
	    "unbalanced quotes" },
	{ "stray quote", "us\"er@example.com", "unbalanced quotes" },
	{ "empty domain", "user@", "empty domain" },
	{ "empty domain bracketed", "<user@>", "empty domain" },
	{ "root domain", "user@.", "empty domain" },
	{ "empty local part", "@example.com", "empty local part" },
	{ "empty local bracketed", "<@example.com>", "empty local part" },
	{ "route to nothing", "<@a.example:>", "empty local part" },
	{ "route without colon", "<@a.example,user@dom.example>",
	    "bad source route" },
	{ "route empty hop", "<@:user@dom.example>", "bad source route" },
	{ "route open literal", "<@[192.0.2.1:user@dom.example>",
	    "bad source route" },
	{ "space in domain", "user@exa mple.com", "bad character in domain" },
	{ "trailing space", "user@example.com ", "bad character in domain" },
	{ "U-label domain", "user@b\xc3\xbc" "cher.example",
	    "bad character in domain" },
	{ "leading hyphen", "user@-example.com", "starts or ends with '-'" },
	{ "trailing hyphen", "user@example-.com", "starts or ends with '-'" },
	{ "double dot", "user@example..com", "empty domain label" },
	{ "two trailing dots", "user@example.com..", "empty domain label" },
	{ "leading dot", "user@.example.com", "empty domain label" },
	{ "CRLF", "user\r\n@example.com", "control character" },
	{ "tab in domain", "user@exam\tple.com", "control character" },
	{ "control in quotes", "\"a\x01" "b\"@example.com",
	    "control character" },
	{ "control in route", "<@a\x01.example:user@dom.example>",
	    "control character" },
	{ "escaped control", "\"a\\\x7f" "b\"@example.com",
	    "control character" },
	{ "v4 literal octet", "user@[192.0.2.256]", "bad address literal" },
	{ "v4 literal unclosed", "user@[192.0.2.1", "unbalanced brackets" },
	{ "v6 literal with v4", "user@[IPv6:192.0.2.1]",
	    "bad address literal" },
	{ "v6 literal untagged", "user@[2001:db8::1]", "bad address literal" },
	{ "name literal", "user@[example.com]", "bad address literal" },
};

/* addr_format of a parsed address */
static const struct format_case {
	const char	*name, *in, *out;
} format_cases[] = {
	{ "null sender", "<>", "" },
	{ "normalized domain", "<User@Example.COM.>", "User@example.com" },
	{ "quotes dropped", "\"alice\"@x.example", "alice@x.example" },
	{ "quotes added", "john doe@example.com", "\"john doe\"@example.com" },
	{ "escape kept", "\"a\\\"b\"@example.com", "\"a\\\"b\"@example.com" },
	{ "no domain", "postmaster", "postmaster" },
	{ "route dropped", "<@a.example:u@d.example>", "u@d.example" },
	{ "literal", "u@[IPV6:2001:DB8::1]", "u@[IPv6:2001:db8::1]" },
};

/* addr_equal: want 1 when the two spellings are one address */
static const struct equal_case {
	const char	*name, *a, *b;
	int		 want;
} equal_cases[] = {
	{ "local case", "Alice@Example.com", "alice@example.com", 1 },
	{ "quotes and dot", "\"alice\"@example.com", "<alice@EXAMPLE.com.>",
	    1 },
	{ "milter and policy forms", "<\"john doe\"@example.com>",
	    "john doe@example.com", 1 },
	{ "quoted @ forms", "a@b@example.com", "\"a@b\"@example.com", 1 },
	{ "route", "<@a.example:alice@example.com>", "alice@example.com", 1 },
	{ "null senders", "<>", "", 1 },
	{ "other domain", "alice@example.com", "alice@example.org", 0 },
	{ "subdomain", "alice@a.example.com", "alice@example.com", 0 },
	{ "other local", "alice@example.com", "alicia@example.com", 0 },
	{ "prefix local", "alice@example.com", "alice2@example.com", 0 },
	{ "null vs bare", "<>", "postmaster", 0 },
	{ "bare vs domain", "postmaster", "postmaster@example.com", 0 },
};

/* domain_normalize: want 0/-1 and the text */
static const struct norm_case {
	const char	*name, *in;
	int		 want;
	const char	*out;
} norm_cases[] = {
	{ "lower case", "Example.COM", 0, "example.com" },
	{ "trailing dot", "example.com.", 0, "example.com" },
	{ "single label", "localhost", 0, "localhost" },
	{ "A-label", "XN--BCHER-KVA.example", 0, "xn--bcher-kva.example" },
	{ "underscore", "_dmarc.example.com", 0, "_dmarc.example.com" },
	{ "inner hyphen", "a-b.example", 0, "a-b.example" },
	{ "digits", "123.example", 0, "123.example" },
	{ "v4 literal", "[192.0.2.1]", 0, "[192.0.2.1]" },
	{ "v6 literal", "[IPv6:2001:db8::1]", 0, "[IPv6:2001:db8::1]" },
	{ "v6 literal lower tag", "[ipv6:2001:DB8::1]", 0,
	    "[IPv6:2001:db8::1]" },
	{ "v6 literal upper tag", "[IPV6:::1]", 0, "[IPv6:::1]" },
	{ "empty", "", -1, "" },
	{ "root", ".", -1, "" },
	{ "two trailing dots", "example.com..", -1, "" },
	{ "leading hyphen", "-ab.example", -1, "" },
	{ "trailing hyphen", "ab-.example", -1, "" },
	{ "space", "exa mple.com", -1, "" },
	{ "slash", "example.com/x", -1, "" },
	{ "at sign", "user@example.com", -1, "" },
	{ "U-label", "b\xc3\xbc" "cher.example", -1, "" },
	{ "literal unclosed", "[192.0.2.1", -1, "" },
	{ "literal octet", "[300.0.0.1]", -1, "" },
	{ "literal name", "[example.com]", -1, "" },
	{ "literal v4 tagged v6", "[IPv6:192.0.2.1]", -1, "" },
	{ "literal empty", "[]", -1, "" },
	{ "literal trailing dot", "[192.0.2.1].", -1, "" },
};

/* domain_match: pattern semantics of DESIGN.md */
static const struct match_case {
	const char	*name, *domain, *pattern;
	int		 want;
} match_cases[] = {
	{ "exact", "example.com", "example.com", 1 },
	{ "exact domain case", "Example.COM", "example.com", 1 },
	{ "exact pattern case", "example.com", "EXAMPLE.com", 1 },
	{ "exact trailing dot", "example.com.", "example.com", 1 },
	{ "exact not subdomain", "a.example.com", "example.com", 0 },
	{ "exact not badexample", "badexample.com", "example.com", 0 },
	{ "exact not shorter", "example.co", "example.com", 0 },
	{ "exact not longer", "example.com.au", "example.com", 0 },
	{ "dot subdomain", "a.example.com", ".example.com", 1 },
	{ "dot deep subdomain", "x.y.example.com", ".example.com", 1 },
	{ "dot case", "A.EXAMPLE.COM", ".Example.Com", 1 },
	{ "dot not the domain", "example.com", ".example.com", 0 },
	{ "dot not badexample", "badexample.com", ".example.com", 0 },
	{ "dot not suffix elsewhere", "example.com.evil.net", ".example.com",
	    0 },
	{ "literal exact", "[192.0.2.1]", "[192.0.2.1]", 1 },
	{ "empty domain", "", "example.com", 0 },
	{ "empty pattern", "example.com", "", 0 },
	{ "both empty", "", "", 0 },
	{ "root pattern", "example.com", ".", 0 },
	{ "lone dot pattern", "example.com", "..", 0 },
};

/* length limits: built at run time */
static const struct len_case {
	const char	*name;
	size_t		 local, dom, label;	/* octets */
	int		 space, dot;		/* quote it, add a dot */
	const char	*want;			/* NULL: accepted */
} len_cases[] = {
	{ "local 64", 64, 11, 63, 0, 0, NULL },
	{ "local 200 (SRS)", 200, 11, 63, 0, 0, NULL },
	{ "local 255", 255, 11, 63, 0, 0, NULL },
	{ "local 256", 256, 11, 63, 0, 0, "local part too long" },
	{ "quoted local fits", 253, 11, 63, 1, 0, NULL },
	{ "quoted local too long", 254, 11, 63, 1, 0, "local part too long" },
	{ "label 63", 4, 63, 63, 0, 0, NULL },
	{ "label 64", 4, 64, 64, 0, 0, "longer than 63 octets" },
	{ "domain 255", 4, 255, 63, 0, 0, NULL },
	{ "domain 255 and dot", 4, 255, 63, 0, 1, NULL },
	{ "domain 256", 4, 256, 62, 0, 0, "domain longer than 255 octets" },
	{ "domain 300", 4, 300, 50, 0, 0, "domain longer than 255 octets" },
};

/* parse_ok - parse or fail the test, naming the case */
static void
parse_ok(const char *name, const char *in, struct mailaddr *m)
{
	char	 err[128] = "";

	ck_assert_msg(addr_parse(in, m, err, sizeof(err)) == 0,
	    "%s: \"%s\" rejected: %s", name, in, err);
}

/* check_parse - null flag, local part and domain */
START_TEST(check_parse)
{
	const struct parse_case	*tc = &parse_cases[_i];
	struct mailaddr		 m;

	parse_ok(tc->name, tc->in, &m);
	ck_assert_msg(m.null == tc->null, "%s: null got %d, want %d",
	    tc->name, m.null, tc->null);
	ck_assert_msg(strcmp(m.local, tc->local) == 0,
	    "%s: local got \"%s\", want \"%s\"", tc->name, m.local, tc->local);
	ck_assert_msg(strcmp(m.domain, tc->domain) == 0,
	    "%s: domain got \"%s\", want \"%s\"", tc->name, m.domain,
	    tc->domain);
}
END_TEST

/* check_round_trip - parse(format(parse(x))) is the same address */
START_TEST(check_round_trip)
{
	const struct parse_case	*tc = &parse_cases[_i];
	struct mailaddr		 a, b;
	char			 buf[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX];

	parse_ok(tc->name, tc->in, &a);
	ck_assert_int_eq(addr_format(&a, buf, sizeof(buf)), 0);
	parse_ok(tc->name, buf, &b);
	ck_assert_msg(b.null == a.null && strcmp(a.local, b.local) == 0 &&
	    strcmp(a.domain, b.domain) == 0, "%s: \"%s\" parses differently",
	    tc->name, buf);
}
END_TEST

/* check_bad - rejected with the reason; the result is left alone */
START_TEST(check_bad)
{
	const struct bad_case	*tc = &bad_cases[_i];
	struct mailaddr		 m;
	char			 err[128] = "";
	int			 got;

	memset(&m, 0, sizeof(m));
	(void)snprintf(m.local, sizeof(m.local), "untouched");
	got = addr_parse(tc->in, &m, err, sizeof(err));
	ck_assert_msg(got == -1, "%s: got %d, want -1", tc->name, got);
	ck_assert_msg(strstr(err, tc->want) != NULL,
	    "%s: got \"%s\", want \"%s\"", tc->name, err, tc->want);
	ck_assert_msg(strcmp(m.local, "untouched") == 0, "%s: result changed",
	    tc->name);
}
END_TEST

/* check_format - canonical text */
START_TEST(check_format)
{
	const struct format_case	*tc = &format_cases[_i];
	struct mailaddr			 m;
	char			 buf[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX];

	parse_ok(tc->name, tc->in, &m);
	ck_assert_int_eq(addr_format(&m, buf, sizeof(buf)), 0);
	ck_assert_msg(strcmp(buf, tc->out) == 0,
	    "%s: got \"%s\", want \"%s\"", tc->name, buf, tc->out);
}
END_TEST

/* check_format_buffer - exact fit works, one short fails with "" */
START_TEST(check_format_buffer)
{
	struct mailaddr	 m;
	char		 buf[64];

	parse_ok("format buffer", "user@example.com", &m);
	ck_assert_int_eq(addr_format(&m, buf, sizeof("user@example.com")), 0);
	ck_assert_str_eq(buf, "user@example.com");
	ck_assert_int_eq(addr_format(&m, buf, sizeof("user@example.com") - 1),
	    -1);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(addr_format(&m, NULL, 0), -1);
	ck_assert_int_eq(addr_parse("a@b.example", &m, NULL, 0), 0);
	ck_assert_int_eq(addr_parse("a@", &m, NULL, 0), -1);
}
END_TEST

/* check_equal - case-insensitive local part, exact domain */
START_TEST(check_equal)
{
	const struct equal_case	*tc = &equal_cases[_i];
	struct mailaddr		 a, b;
	int			 got;

	parse_ok(tc->name, tc->a, &a);
	parse_ok(tc->name, tc->b, &b);
	got = addr_equal(&a, &b);
	ck_assert_msg(got == tc->want, "%s: got %d, want %d", tc->name, got,
	    tc->want);
	got = addr_equal(&b, &a);
	ck_assert_msg(got == tc->want, "%s (swapped): got %d, want %d",
	    tc->name, got, tc->want);
}
END_TEST

/* check_normalize - result and text */
START_TEST(check_normalize)
{
	const struct norm_case	*tc = &norm_cases[_i];
	char			 out[ADDR_DOMAIN_MAX];
	int			 got;

	memset(out, 'x', sizeof(out));
	got = domain_normalize(tc->in, out, sizeof(out));
	ck_assert_msg(got == tc->want, "%s: got %d, want %d", tc->name, got,
	    tc->want);
	ck_assert_msg(strcmp(out, tc->out) == 0,
	    "%s: got \"%s\", want \"%s\"", tc->name, out, tc->out);
}
END_TEST

/* check_normalize_buffer - a short output buffer is an error */
START_TEST(check_normalize_buffer)
{
	char	 out[12];

	ck_assert_int_eq(domain_normalize("Example.COM.", out, 12), 0);
	ck_assert_str_eq(out, "example.com");
	ck_assert_int_eq(domain_normalize("example.com", out, 11), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(domain_normalize("[192.0.2.1]", out, 11), -1);
	(void)snprintf(out, sizeof(out), "garbage");
	ck_assert_int_eq(domain_normalize(NULL, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(domain_normalize("example.com", NULL, 0), -1);
}
END_TEST

/* check_match - exact and subdomain patterns */
START_TEST(check_match)
{
	const struct match_case	*tc = &match_cases[_i];
	int			 got;

	got = domain_match(tc->domain, tc->pattern);
	ck_assert_msg(got == tc->want, "%s: got %d, want %d", tc->name, got,
	    tc->want);
}
END_TEST

/* check_list_match - any pattern; NULL entries and empty lists never */
START_TEST(check_list_match)
{
	char	 exact[] = "example.com", sub[] = ".example.net";
	char	*list[] = { exact, NULL, sub };

	ck_assert_int_eq(domain_list_match(list, NELEM(list), "example.com"),
	    1);
	ck_assert_int_eq(domain_list_match(list, NELEM(list), "a.example.net"),
	    1);
	ck_assert_int_eq(domain_list_match(list, NELEM(list), "example.net"),
	    0);
	ck_assert_int_eq(domain_list_match(list, NELEM(list),
	    "badexample.com"), 0);
	ck_assert_int_eq(domain_list_match(list, 0, "example.com"), 0);
	ck_assert_int_eq(domain_list_match(NULL, 0, "example.com"), 0);
}
END_TEST

/* build_domain - n octets of labels, each label octets, '.' between */
static void
build_domain(char *buf, size_t n, size_t label)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		buf[i] = i % (label + 1) == label ? '.' : 'b';
	buf[n] = '\0';
}

/* check_lengths - local part and domain limits */
START_TEST(check_lengths)
{
	const struct len_case	*tc = &len_cases[_i];
	char			 in[700], err[128] = "";
	struct mailaddr		 m;
	size_t			 o;
	int			 got;

	memset(in, 'a', tc->local);
	if (tc->space)
		in[tc->local / 2] = ' ';
	o = tc->local;
	in[o++] = '@';
	build_domain(in + o, tc->dom, tc->label);
	ck_assert_msg(in[o + tc->dom - 1] != '.', "%s: bad table", tc->name);
	if (tc->dot)
		(void)snprintf(in + o + tc->dom, sizeof(in) - o - tc->dom, ".");
	got = addr_parse(in, &m, err, sizeof(err));
	ck_assert_msg(got == (tc->want == NULL ? 0 : -1),
	    "%s: got %d (%s), want %d", tc->name, got, err,
	    tc->want == NULL ? 0 : -1);
	if (tc->want != NULL)
		ck_assert_msg(strstr(err, tc->want) != NULL,
		    "%s: got \"%s\", want \"%s\"", tc->name, err, tc->want);
	else
		ck_assert_msg(strlen(m.domain) == tc->dom,
		    "%s: domain got %zu octets, want %zu", tc->name,
		    strlen(m.domain), tc->dom);
}
END_TEST

/*
 * addr_scan_domains (addr_scan.c): does the text name example.com (or a
 * subdomain) to a generous reader?  Issue 14's shapes.
 */
static const struct scan_case {
	const char *name, *text;
	int	 want;
} scan_cases[] = {
	{ "plain", "ceo@example.com", 1 },
	{ "upper case", "CEO@EXAMPLE.COM", 1 },
	{ "subdomain", "x@hr.example.com", 1 },
	{ "trailing dot", "x@example.com.", 1 },
	{ "white space around @ and dot", "ceo @ example . com", 1 },
	{ "comment after @", "ceo@(c)example.com", 1 },
	{ "quotes in domain", "ceo@\"example\".com", 1 },
	{ "domain literal", "ceo@[example.com]", 1 },
	{ "control character", "ceo@\001example.com", 1 },
	{ "U+3002 full stop", "ceo@example\xe3\x80\x82" "com", 1 },
	{ "U+FF0E full stop", "ceo@example\xef\xbc\x8e" "com", 1 },
	{ "fullwidth letters", "ceo@\xef\xbd\x85xample.com", 1 },
	{ "8-bit after the domain", "ceo@example.com\xff", 1 },
	{ "run cut before ignorable dot", "ceo@example.com\r.net", 1 },
	{ "comment before dot", "ceo@example.com (x).evil.net", 1 },
	{ "look-alike suffix", "ceo@example.com.evil.net", 0 },
	{ "look-alike prefix", "ceo@badexample.com", 0 },
	{ "no @", "ceo example.com", 0 },
	{ "external", "x@example.net", 0 },
	{ "second address", "a@example.net, b@example.com", 1 },
	{ "comment too long to skip", "ceo@(" /* 999 x, then ")" */
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxx)example.net", 2 },
};

/* scan_example - addr_scan_domains() callback */
static int
scan_example(void *arg, const char *dom)
{
	(void)arg;
	if (dom == NULL)
		return 2;		/* not examined */
	return domain_match(dom, "example.com") ||
	    domain_match(dom, ".example.com");
}

START_TEST(check_scan)
{
	const struct scan_case *c = &scan_cases[_i];
	int	 got = addr_scan_domains(c->text, strlen(c->text), scan_example,
	    NULL);

	ck_assert_msg(got == c->want, "%s: got %d, want %d", c->name, got,
	    c->want);
}
END_TEST

/* SCAN_BUF (1024): a run at, below and above it keeps its tail */
START_TEST(check_scan_long)
{
	static const size_t lens[] = { 1000, 1023, 1024, 1025, 5000 };
	char	 buf[6000];
	size_t	 n = lens[_i], o = 0;

	o += (size_t)snprintf(buf, sizeof(buf), "x@");
	while (o < n)
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "a.");
	(void)snprintf(buf + o, sizeof(buf) - o, "example.com");
	ck_assert_msg(addr_scan_domains(buf, strlen(buf), scan_example,
	    NULL) == 1, "%zu: subdomain not found", n);
}
END_TEST

/* addr_suite - every behaviour of lib/mail/addr.c */
static void
addr_suite(Suite *s)
{
	unit_loop(s, "envelope address parse", check_parse,
	    NELEM(parse_cases));
	unit_loop(s, "format round trip", check_round_trip, NELEM(parse_cases));
	unit_loop(s, "malformed addresses", check_bad, NELEM(bad_cases));
	unit_loop(s, "address format", check_format, NELEM(format_cases));
	unit_one(s, "format and error buffer bounds", check_format_buffer);
	unit_loop(s, "address equality", check_equal, NELEM(equal_cases));
	unit_loop(s, "domain normalize", check_normalize, NELEM(norm_cases));
	unit_one(s, "domain normalize buffer bounds", check_normalize_buffer);
	unit_loop(s, "domain match subdomain semantics", check_match,
	    NELEM(match_cases));
	unit_one(s, "domain list match", check_list_match);
	unit_loop(s, "length limits", check_lengths, NELEM(len_cases));
	unit_loop(s, "domains a text names", check_scan, NELEM(scan_cases));
	unit_loop(s, "long runs keep their tail", check_scan_long, 5);
}

UNIT_MAIN("addr", addr_suite)
