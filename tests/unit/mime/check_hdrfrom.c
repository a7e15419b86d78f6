/* check_hdrfrom.c - header From parsing (lib/mime/hdrfrom.c over GMime) */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "hdrfrom.h"
#include "unit.h"

#define MAXF		3		/* fields per case */
#define MAXA		4		/* addresses checked per case */

/*
 * One case: the From field values, then what must come out: the number
 * of addresses, bad, and for each address "local@domain" (or "!" for an
 * invalid entry) and its display name.
 */
static const struct from_case {
	const char *name;
	const char *field[MAXF];	/* NULL-terminated */
	size_t	 n;
	int	 bad;
	const char *addr[MAXA];
	const char *display[MAXA];
} cases[] = {
	{ "plain address", { "alice@example.com" }, 1, 0,
	    { "alice@example.com" }, { "" } },
	{ "display name and angle address", { "Alice <alice@example.com>" },
	    1, 0, { "alice@example.com" }, { "Alice" } },
	{ "domain case folded, local part kept",
	    { "Alice <Alice.Smith@EXAMPLE.Com>" }, 1, 0,
	    { "Alice.Smith@example.com" }, { "Alice" } },
	/* malformed since issue 14: Python's email finds no address in it */
	{ "trailing dot on domain", { "<a@example.com.>" }, 2, 1,
	    { "a@example.com", "!" }, { "", "<a@example.com.>" } },
	{ "quoted display name with @",
	    { "\"ceo@example.com\" <x@evil.example>" }, 1, 0,
	    { "x@evil.example" }, { "ceo@example.com" } },
	/*
	 * Malformed since issue 14: GMime's loose mode reads x@evil.example
	 * named "ceo@example.com", its strict mode and Python's email read
	 * differently (policy=default: ceo@example.com).
	 */
	{ "unquoted address as display name",
	    { "ceo@example.com <x@evil.example>" }, 2, 1,
	    { "x@evil.example", "!" },
	    { "ceo@example.com", "ceo@example.com <x@evil.example>" } },
	{ "quoted local part with @",
	    { "\"quoted@local\"@example.com" }, 1, 0,
	    { "\"quoted@local\"@example.com" }, { "" } },
	{ "comment is not a display name",
	    { "Real Name <real@x.example> (ceo@example.com)" }, 1, 0,
	    { "real@x.example" }, { "Real Name" } },
	{ "comment inside addr-spec", { "user (comment) @ example.com" }, 1,
	    0, { "user@example.com" }, { "" } },
	{ "comment after display name",
	    { "Alice (the boss) <alice@example.com>" }, 1, 0,
	    { "alice@example.com" }, { "Alice" } },
	{ "RFC 2047 Q word", {
	    "=?UTF-8?Q?CEO_=3Cceo=40example=2Ecom=3E?= <x@evil.example>" }, 1,
	    0, { "x@evil.example" }, { "CEO <ceo@example.com>" } },
	{ "RFC 2047 B word", {
	    "=?UTF-8?B?Q0VPIDxjZW9AZXhhbXBsZS5jb20+?= <x@evil.example>" }, 1,
	    0, { "x@evil.example" }, { "CEO <ceo@example.com>" } },
	{ "RFC 2047 Latin-1 decoded to UTF-8",
	    { "=?ISO-8859-1?Q?J=F6rg?= <j@x.example>" }, 1, 0,
	    { "j@x.example" }, { "J\xc3\xb6rg" } },
	{ "RFC 2047 lower-case q", { "=?utf-8?q?Jane_Example?= <j@x.example>" },
	    1, 0, { "j@x.example" }, { "Jane Example" } },
	{ "adjacent encoded words joined", {
	    "=?UTF-8?Q?Jane?= =?UTF-8?Q?_Example?= <j@x.example>" }, 1, 0,
	    { "j@x.example" }, { "Jane Example" } },
	{ "encoded word in addr-spec is not decoded", {
	    "=?UTF-8?Q?ceo=40example=2Ecom?=@evil.example" }, 1, 0,
	    { "=?UTF-8?Q?ceo=40example=2Ecom?=@evil.example" }, { "" } },
	{ "control character in encoded word becomes space",
	    { "=?UTF-8?Q?CEO=0Aceo=40example=2Ecom?= <x@evil.example>" }, 1,
	    0, { "x@evil.example" }, { "CEO ceo@example.com" } },
	{ "folded field", { "Alice\r\n\t<alice@example.com>" }, 1, 0,
	    { "alice@example.com" }, { "Alice" } },
	{ "several addresses", { "a@x.example, B <b@y.example>" }, 2, 0,
	    { "a@x.example", "b@y.example" }, { "", "B" } },
	{ "trailing comma is an empty element", { "a@x.example," }, 1, 0,
	    { "a@x.example" }, { "" } },
	{ "group members walked",
	    { "Team: a@x.example, \"C\" <c@example.com>;" }, 2, 0,
	    { "a@x.example", "c@example.com" }, { "Team", "Team: C" } },
	{ "group name impersonating",
	    { "\"ceo@example.com\": x@evil.example;" }, 1, 0,
	    { "x@evil.example" }, { "ceo@example.com" } },
	{ "unquoted group name is a mailbox",
	    { "ceo@example.com: x@evil.example;" }, 3, 1,
	    { "ceo@example.com", "x@evil.example", "!" },
	    { "", "", "ceo@example.com: x@evil.example;" } },
	{ "empty group", { "undisclosed-recipients:;" }, 1, 0, { "!" },
	    { "undisclosed-recipients" } },
	{ "group and mailbox", { "G: a@x.example;, b@y.example" }, 2, 0,
	    { "a@x.example", "b@y.example" }, { "G", "" } },
	{ "route address commas stay inside",
	    { "<@relay.example,@r2.example:user@example.com>" }, 1, 0,
	    { "user@example.com" }, { "" } },
	{ "IDN U-label to A-label", { "user@b\xc3\xbc" "cher.example" }, 1, 0,
	    { "user@xn--bcher-kva.example" }, { "" } },
	{ "IDN A-label kept", { "user@XN--BCHER-KVA.example" }, 1, 0,
	    { "user@xn--bcher-kva.example" }, { "" } },
	{ "address literal", { "x@[192.0.2.1]" }, 1, 0, { "x@[192.0.2.1]" },
	    { "" } },
	{ "duplicate From fields both kept",
	    { "a@x.example", "ceo@example.com" }, 2, 0,
	    { "a@x.example", "ceo@example.com" }, { "", "" } },
	{ "no domain is invalid", { "foo" }, 1, 1, { "!" }, { "" } },
	{ "null address", { "<>" }, 1, 1, { "!" }, { "<>" } },
	{ "empty field", { "" }, 0, 1, { NULL }, { NULL } },
	{ "garbage keeps the raw text for display checks",
	    { "ceo@example.com <<<" }, 1, 1, { "!" },
	    { "ceo@example.com <<<" } },
	{ "missing domain after @", { "alice@" }, 1, 1, { "!" },
	    { "alice@" } },
	{ "double @", { "user@@x.example" }, 1, 1, { "!" },
	    { "user@@x.example" } },
	{ "dropped element is noticed",
	    { "good@x.example, garbage <<<>>> @@@, ok@y.example" }, 3, 1,
	    { "good@x.example", "ok@y.example", "!" },
	    { "", "", "good@x.example, garbage <<<>>> @@@, ok@y.example" } },
	{ "semicolon separator warned", { "a@x.example; evil@y.example" }, 2,
	    1, { "a@x.example", "!" },
	    { "", "a@x.example; evil@y.example" } },
	{ "missing comma warned", { "a@x.example d@y.example" }, 3, 1,
	    { "a@x.example", "d@y.example", "!" },
	    { "", "", "a@x.example d@y.example" } },
};

/* fmt - "local@domain", or "!" for an invalid entry */
static void
fmt(const struct hdr_from_addr *a, char *buf, size_t len)
{
	if (!a->valid) {
		(void)snprintf(buf, len, "!");
		return;
	}
	ck_assert_int_eq(addr_format(&a->addr, buf, len), 0);
}

START_TEST(parse_table)
{
	const struct from_case *c = &cases[_i];
	struct hdr_from hf = {0};
	char	 got[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 1];
	size_t	 nf, i;

	for (nf = 0; nf < MAXF && c->field[nf] != NULL; nf++)
		;
	hdrfrom_parse(&hf, c->field, nf);
	ck_assert_msg(hf.n_fields == nf, "%s: n_fields got %u, want %zu",
	    c->name, hf.n_fields, nf);
	ck_assert_msg(hf.n == c->n, "%s: n got %zu, want %zu", c->name, hf.n,
	    c->n);
	ck_assert_msg(hf.bad == c->bad, "%s: bad got %d, want %d", c->name,
	    hf.bad, c->bad);
	for (i = 0; i < c->n && i < MAXA; i++) {
		fmt(&hf.v[i], got, sizeof(got));
		ck_assert_msg(strcmp(got, c->addr[i]) == 0,
		    "%s: addr[%zu] got \"%s\", want \"%s\"", c->name, i, got,
		    c->addr[i]);
		ck_assert_msg(strcmp(hf.v[i].display, c->display[i]) == 0,
		    "%s: display[%zu] got \"%s\", want \"%s\"", c->name, i,
		    hf.v[i].display, c->display[i]);
	}
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(no_from_field)
{
	struct hdr_from hf = {0};

	hdrfrom_parse(&hf, NULL, 0);
	ck_assert_uint_eq(hf.n_fields, 0);
	ck_assert_uint_eq(hf.n, 0);
	ck_assert_int_eq(hf.bad, 0);
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(accumulate_one_field_at_a_time)
{
	struct hdr_from hf = {0};

	hdrfrom_reset(&hf);
	hdrfrom_add(&hf, "A <a@x.example>");
	hdrfrom_add(&hf, "b@y.example, c@z.example");
	ck_assert_uint_eq(hf.n_fields, 2);
	ck_assert_uint_eq(hf.n, 3);
	ck_assert_str_eq(hf.v[2].addr.domain, "z.example");
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(too_many_addresses_fail_closed)
{
	char	 field[HDR_FROM_MAX * 24 + 64];
	const char *v[1] = { field };
	struct hdr_from hf = {0};
	size_t	 i, o = 0;

	for (i = 0; i < HDR_FROM_MAX + 4; i++)
		o += (size_t)snprintf(field + o, sizeof(field) - o,
		    "%su%zu@x.example", i > 0 ? ", " : "", i);
	hdrfrom_parse(&hf, v, 1);
	ck_assert_uint_eq(hf.n, HDR_FROM_MAX);
	ck_assert_int_eq(hf.bad, 1);
	ck_assert_int_eq(hf.v[HDR_FROM_MAX - 1].valid, 0);
	ck_assert_int_eq(hf.v[HDR_FROM_MAX - 2].valid, 1);
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(overlong_field_fails_closed)
{
	char	*field = malloc(HDRFROM_FIELD_MAX + 16);
	const char *v[1];
	struct hdr_from hf = {0};

	ck_assert_ptr_nonnull(field);
	memset(field, 'a', HDRFROM_FIELD_MAX + 1);
	memcpy(field + HDRFROM_FIELD_MAX + 1, "@x.example", sizeof("@x.example"));
	v[0] = field;
	hdrfrom_parse(&hf, v, 1);
	ck_assert_uint_eq(hf.n, 1);
	ck_assert_int_eq(hf.bad, 1);
	ck_assert_int_eq(hf.v[0].valid, 0);
	free(field);
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(long_display_cut_on_utf8_boundary)
{
	char	 field[FACTS_STR_MAX * 3];
	const char *v[1] = { field };
	struct hdr_from hf = {0};
	size_t	 i, o = 0, n;

	field[o++] = '"';
	for (i = 0; i < FACTS_STR_MAX; i++) {	/* "ö" is 2 bytes */
		field[o++] = '\xc3';
		field[o++] = '\xb6';
	}
	memcpy(field + o, "\" <a@x.example>", sizeof("\" <a@x.example>"));
	hdrfrom_parse(&hf, v, 1);
	ck_assert_uint_eq(hf.n, 1);
	n = strlen(hf.v[0].display);
	ck_assert_uint_le(n, FACTS_STR_MAX - 1);
	ck_assert_uint_eq(n % 2, 0);
	/* the cut name is not all that was checked: the field is malformed */
	ck_assert_int_eq(hf.bad, 1);
	ck_assert_uint_ge(hf.n_text, 1);
	ck_assert_str_eq(hf.text[0], field);
	hdrfrom_free(&hf);
}
END_TEST

/* has_text - one of the kept texts of the fields holds needle */
static int
has_text(const struct hdr_from *hf, const char *needle)
{
	size_t	 i;

	for (i = 0; i < hf->n_text; i++)
		if (strstr(hf->text[i], needle) != NULL)
			return 1;
	return 0;
}

/* Each bound at, below and above its size (STYLE.md 11). */
START_TEST(address_count_bound)
{
	static const size_t counts[] = { HDR_FROM_MAX - 1, HDR_FROM_MAX,
	    HDR_FROM_MAX + 1 };
	char	 field[HDR_FROM_MAX * 24 + 64];
	const char *v[1] = { field };
	struct hdr_from hf = {0};
	size_t	 i, o = 0, want = counts[_i];

	for (i = 0; i < want; i++)
		o += (size_t)snprintf(field + o, sizeof(field) - o,
		    "%su%zu@x.example", i > 0 ? ", " : "", i);
	hdrfrom_parse(&hf, v, 1);
	ck_assert_msg(hf.bad == (want > HDR_FROM_MAX), "%zu addresses: bad "
	    "got %d", want, hf.bad);
	ck_assert_msg(has_text(&hf, field), "%zu addresses: raw text not "
	    "kept whole", want);
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(display_length_bound)
{
	static const size_t lens[] = { FACTS_STR_MAX - 2, FACTS_STR_MAX - 1,
	    FACTS_STR_MAX };
	char	 field[FACTS_STR_MAX + 64];
	const char *v[1] = { field };
	struct hdr_from hf = {0};
	size_t	 n = lens[_i];

	field[0] = '"';
	memset(field + 1, 'n', n);
	memcpy(field + 1 + n, "\" <a@x.example>", sizeof("\" <a@x.example>"));
	hdrfrom_parse(&hf, v, 1);
	ck_assert_msg(hf.bad == (n > FACTS_STR_MAX - 1), "%zu-byte name: bad "
	    "got %d", n, hf.bad);
	ck_assert_int_eq(hf.v[0].valid, 1);
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(field_length_bound)
{
	static const size_t lens[] = { HDRFROM_FIELD_MAX - 1,
	    HDRFROM_FIELD_MAX, HDRFROM_FIELD_MAX + 1 };
	size_t	 n = lens[_i], pre = n - sizeof("<a@x.example>") + 1;
	char	*field = malloc(n + 1);
	const char *v[1];
	struct hdr_from hf = {0};

	ck_assert_ptr_nonnull(field);
	memset(field, ' ', pre);
	memcpy(field + pre, "<a@x.example>", sizeof("<a@x.example>"));
	ck_assert_uint_eq(strlen(field), n);
	v[0] = field;
	hdrfrom_parse(&hf, v, 1);
	ck_assert_msg(hf.bad == (n > HDRFROM_FIELD_MAX), "%zu bytes: bad got "
	    "%d", n, hf.bad);
	ck_assert_msg(has_text(&hf, field), "%zu bytes: text not kept whole",
	    n);
	hdrfrom_free(&hf);
	free(field);
}
END_TEST

/*
 * Issue 14's classes: what GMime returns but addr_parse() refuses, and
 * what the arrays could not hold, is malformed and kept whole.
 */
static const struct kept_case {
	const char *name, *field, *needle;
} kept_cases[] = {
	{ "encoded word as domain", "ceo@=?utf-8?q?example.com?=",
	    "ceo@example.com" },
	{ "DEL in quoted local part", "\"ce\x7fo\"@example.com",
	    "@example.com" },
	{ "domain literal holding a name", "ceo@[example.com]",
	    "@[example.com]" },
	/* make fuzz's differential (seed 1796713083): Python fails on it */
	{ "not UTF-8 (a lone 0xC3 byte)", "g: \"a@b\" <j_doe(c)\xc3"
	    "@b\xc3\xbc" "cher.example>;", "cher.example" },
	{ "sixteen empty groups first", "g0:;, g1:;, g2:;, g3:;, g4:;, g5:;, "
	    "g6:;, g7:;, g8:;, g9:;, g10:;, g11:;, g12:;, g13:;, g14:;, g15:;, "
	    "ceo@example.com", "ceo@example.com" },
	{ "long quoted prefix", "\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxx <<< ceo@example.com",
	    "ceo@example.com" },
};

START_TEST(malformed_kept_whole)
{
	const struct kept_case *c = &kept_cases[_i];
	const char *v[1] = { c->field };
	struct hdr_from hf = {0};

	hdrfrom_parse(&hf, v, 1);
	ck_assert_msg(hf.bad == 1, "%s: bad got %d, want 1", c->name, hf.bad);
	ck_assert_msg(has_text(&hf, c->needle), "%s: \"%s\" not kept",
	    c->name, c->needle);
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(second_field_after_sixteen)
{
	char	 field[HDR_FROM_MAX * 24 + 64];
	const char *v[2] = { field, "ceo@example.com" };
	struct hdr_from hf = {0};
	size_t	 i, o = 0;

	for (i = 0; i < HDR_FROM_MAX; i++)
		o += (size_t)snprintf(field + o, sizeof(field) - o,
		    "%su%zu@x.example", i > 0 ? ", " : "", i);
	hdrfrom_parse(&hf, v, 2);
	ck_assert_int_eq(hf.bad, 1);
	ck_assert(has_text(&hf, "ceo@example.com"));
	hdrfrom_free(&hf);
}
END_TEST

START_TEST(idna_domain_to_ascii)
{
	char	 a[ADDR_DOMAIN_MAX];

	ck_assert_int_eq(hdrfrom_domain_ascii("b\xc3\xbc" "cher.example", a,
	    sizeof(a)), 0);
	ck_assert_str_eq(a, "xn--bcher-kva.example");
}
END_TEST

static void
hdrfrom_suite(Suite *s)
{
	TCase	*tc;

	unit_loop(s, "From field values", parse_table, NELEM(cases));
	tc = unit_tests(s, "fields and limits", no_from_field,
	    accumulate_one_field_at_a_time, too_many_addresses_fail_closed,
	    overlong_field_fails_closed, long_display_cut_on_utf8_boundary,
	    second_field_after_sixteen, idna_domain_to_ascii, NULL);
	tcase_add_loop_test(tc, address_count_bound, 0, 3);
	tcase_add_loop_test(tc, display_length_bound, 0, 3);
	tcase_add_loop_test(tc, field_length_bound, 0, 3);
	unit_loop(s, "malformed fields kept whole", malformed_kept_whole,
	    NELEM(kept_cases));
}

int
main(void)
{
	hdrfrom_init();
	return unit_run("hdrfrom", hdrfrom_suite);
}
