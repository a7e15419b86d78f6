/*
 * check_mimehdr.c - Content-Type parameters: RFC 2231 forms, bounds,
 * the RFC 2045 5.2 default, and the charset relabelling
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimehdr.h"
#include "unit.h"


static void	mimehdr_suite(Suite *);
static int	ctype(const char *, struct mime_ctype *, const char **);

static const struct ct_case {
	const char *name, *in;
	int	 want;			/* mimehdr_ctype() result */
	const char *boundary, *charset;	/* wanted values when 0 */
} ct_cases[] = {
	{ "plain parameters", "text/plain; charset=utf-8", 0, "", "utf-8" },
	{ "extended charset with language",
	    "text/plain; charset*=us-ascii'en-us'utf-8", 0, "", "utf-8" },
	{ "extended charset without language",
	    "text/plain; charset*=''iso-8859-1", 0, "", "iso-8859-1" },
	{ "continued boundary, quoted and extended sections",
	    "multipart/mixed; boundary*0=\"a b\"; boundary*1*=%3D%3dc", 0,
	    "a b==c", "" },
	{ "continued boundary out of order, folded",
	    "multipart/mixed;\r\n boundary*1=yz;\r\n\tboundary*0=wx", 0,
	    "wxyz", "" },
	{ "first section extended with charset and language",
	    "multipart/mixed; boundary*0*=us-ascii'en'p%41rt; boundary*1=2",
	    0, "pArt2", "" },
	{ "plain and extended charset", "text/plain; charset=utf-8; "
	    "charset*=''koi8-r", -1, NULL, NULL },
	{ "extended and continued boundary",
	    "multipart/mixed; boundary*=''x; boundary*0=y", -1, NULL, NULL },
	{ "gap in sections", "multipart/mixed; boundary*0=a; boundary*2=c",
	    -1, NULL, NULL },
	{ "section repeated", "multipart/mixed; boundary*0=a; boundary*0=b",
	    -1, NULL, NULL },
	{ "leading zero in a section", "multipart/mixed; boundary*00=a", -1,
	    NULL, NULL },
	{ "no section number", "multipart/mixed; boundary**=''a", -1, NULL,
	    NULL },
	{ "first extended section without charset'language'",
	    "text/plain; charset*=utf-8", -1, NULL, NULL },
	{ "bad percent escape", "text/plain; charset*=''utf%2", -1, NULL,
	    NULL },
	{ "percent escape of a NUL", "multipart/mixed; boundary*=''a%00b",
	    -1, NULL, NULL },
	{ "percent escape of a line end", "multipart/mixed; "
	    "boundary*=''a%0D%0Ab", -1, NULL, NULL },
	{ "8-bit byte once decoded", "text/plain; charset*=''utf%FF8", -1,
	    NULL, NULL },
	{ "empty continued boundary", "multipart/mixed; boundary*0=\"\"",
	    -1, NULL, NULL },
	{ "valueless extended charset", "text/plain; charset*", -1, NULL,
	    NULL },
	{ "section 63 is the last kept", NULL, 0, NULL, "" },
	{ "section 64 is malformed", NULL, -1, NULL, NULL },
	{ "name in RFC 2231 form does not disturb", "text/plain; name*0*="
	    "utf-8''%E2%82%AC; name*1=x.txt; charset=us-ascii", 0, "",
	    "us-ascii" },
	{ "no slash: RFC 2045 default", "text", MIMEHDR_CT_INVALID, NULL,
	    NULL },
	{ "empty value: RFC 2045 default", "", MIMEHDR_CT_INVALID, NULL,
	    NULL },
	{ "parameters without a type: RFC 2045 default",
	    "charset=utf-8; format=flowed", MIMEHDR_CT_INVALID, NULL, NULL },
	{ "no slash but multipart: malformed", "multipart; boundary=x", -1,
	    NULL, NULL },
	{ "no slash but message: malformed", "message", -1, NULL, NULL },
	{ "empty type: malformed", "/plain", -1, NULL, NULL },
	{ "empty subtype: malformed", "text/", -1, NULL, NULL },
};

/* ctype - parse "Content-Type: in\n" */
static int
ctype(const char *in, struct mime_ctype *ct, const char **why)
{
	struct mime_field f;
	char	*buf;
	int	 r;

	if (asprintf(&buf, "Content-Type:%s\n", in) < 0)
		abort();
	f.off = 0;
	f.val = strlen("Content-Type:");
	f.end = strlen(buf);
	r = mimehdr_ctype(buf, &f, ct, why);
	free(buf);
	return r;
}

START_TEST(test_ctype)
{
	const struct ct_case *c = &ct_cases[_i];
	struct mime_ctype ct;
	const char *why = NULL;
	char	 in[8192], *p = in;
	int	 r, k, last;

	if (c->in != NULL)
		(void)snprintf(in, sizeof(in), "%s", c->in);
	else {
		/* boundary in sections 0..last, one byte each */
		last = c->want == 0 ? MIMEHDR_SECTIONS_MAX - 1 :
		    MIMEHDR_SECTIONS_MAX;
		p += sprintf(p, "multipart/mixed");
		for (k = 0; k <= last; k++)
			p += sprintf(p, "; boundary*%d=b", k);
	}
	r = ctype(in, &ct, &why);
	ck_assert_msg(r == c->want, "%s: got %d (%s), want %d", c->name, r,
	    why ? why : "-", c->want);
	if (r != 0)
		return;
	if (c->boundary != NULL)
		ck_assert_msg(strcmp(ct.boundary, c->boundary) == 0,
		    "%s: boundary got \"%s\", want \"%s\"", c->name,
		    ct.boundary, c->boundary);
	else
		ck_assert_msg(strlen(ct.boundary) == MIMEHDR_SECTIONS_MAX,
		    "%s: boundary of %zu bytes", c->name, strlen(ct.boundary));
	ck_assert_msg(strcmp(ct.charset, c->charset) == 0,
	    "%s: charset got \"%s\", want \"%s\"", c->name, ct.charset,
	    c->charset);
}
END_TEST

/* the raw section buffer and the boundary: at, below and above */
START_TEST(test_bounds)
{
	static const struct {
		const char *name;
		int	 raw;		/* fill the charset of an extended */
		size_t	 fill;		/* bytes of boundary or raw section */
		int	 want;
	} cases[] = {
		{ "boundary one below MIMEHDR_BOUNDARY_MAX", 0,
		    MIMEHDR_BOUNDARY_MAX - 1, 0 },
		{ "boundary of MIMEHDR_BOUNDARY_MAX bytes", 0,
		    MIMEHDR_BOUNDARY_MAX, 0 },
		{ "boundary one byte over", 0, MIMEHDR_BOUNDARY_MAX + 1, -1 },
		{ "raw section one below its buffer", 1, MIMEHDR_RAW_MAX - 2,
		    0 },
		{ "raw section at its buffer", 1, MIMEHDR_RAW_MAX - 1, 0 },
		{ "raw section one over its buffer", 1, MIMEHDR_RAW_MAX, -1 },
	};
	struct mime_ctype ct;
	const char *why;
	char	 in[4096];
	size_t	 i, n, fill;
	int	 r;

	for (i = 0; i < NELEM(cases); i++) {
		fill = cases[i].fill;
		n = (size_t)snprintf(in, sizeof(in), "multipart/mixed; %s",
		    cases[i].raw ? "boundary*=" : "boundary*0=");
		if (cases[i].raw) {
			/* "CHARSET''b": fill raw bytes, one decoded */
			memset(in + n, 'c', fill - 3);
			(void)snprintf(in + n + fill - 3, sizeof(in) - n -
			    fill + 3, "''b");
		} else {
			memset(in + n, 'b', fill);
			in[n + fill] = '\0';
		}
		why = NULL;
		r = ctype(in, &ct, &why);
		ck_assert_msg(r == cases[i].want, "%s: got %d (%s), want %d",
		    cases[i].name, r, why ? why : "-", cases[i].want);
		if (r == 0)
			ck_assert_msg(strlen(ct.boundary) == (cases[i].raw ?
			    1 : fill), "%s: boundary of %zu bytes",
			    cases[i].name, strlen(ct.boundary));
	}
}
END_TEST

static const struct set_case {
	const char *name, *in, *want;
} set_cases[] = {
	{ "plain charset replaced", "Content-Type: text/plain; charset=x\n",
	    "Content-Type: text/plain; charset=UTF-8\n" },
	{ "extended charset replaced by a plain one",
	    "Content-Type: text/plain; charset*=''us-ascii; format=flowed\n",
	    "Content-Type: text/plain; format=flowed; charset=UTF-8\n" },
	{ "continued charset removed, folding kept",
	    "Content-Type: text/plain;\n charset*0=us-; charset*1=ascii\n",
	    "Content-Type: text/plain; charset=UTF-8\n" },
	{ "no charset: added", "Content-Type: text/plain\r\n",
	    "Content-Type: text/plain; charset=UTF-8\r\n" },
};

START_TEST(test_set_charset)
{
	const struct set_case *c = &set_cases[_i];
	struct mime_field f = { 0, strlen("Content-Type:"), strlen(c->in) };
	struct sbuf b = { NULL, 0, 0 };

	mimehdr_set_charset(c->in, &f, "UTF-8", &b);
	sbuf_putn(&b, "", 1);
	ck_assert_msg(strcmp(b.p, c->want) == 0, "%s: got \"%s\", want \"%s\"",
	    c->name, b.p, c->want);
	sbuf_free(&b);
}
END_TEST

static void
mimehdr_suite(Suite *s)
{
	tcase_add_test(unit_loop(s, "content-type parameters", test_ctype,
	    NELEM(ct_cases)), test_bounds);
	unit_loop(s, "charset relabelling", test_set_charset,
	    NELEM(set_cases));
}

UNIT_MAIN("mimehdr", mimehdr_suite)
