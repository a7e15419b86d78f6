/* check_scan_parse.c - unit tests for lib/scan/scan_parse.c */
#include "config.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan_parse.h"
#include "scan_text.h"
#include "unit.h"

#define L(s)		s, sizeof(s) - 1	/* literal with its length */

typedef int parse_fn(const char *, size_t, struct scan_verdict *);

/* one reply: want rc, result, score/threshold, symbols, virus, why */
struct case_ {
	const char *name;
	const char *in;
	size_t	 len;
	int	 rc;
	enum scan_result result;
	double	 score, thr;
	const char *symbols;		/* NULL: not checked */
	const char *extra;		/* virus name, action or why part */
};

static void check_case(const struct case_ *, parse_fn *, int);
static void scan_parse_suite(Suite *);

/* an error reply: -1, SCAN_ERROR, no score, why has WHY */
#define ERR(why)	-1, SCAN_ERROR, 0, 0, NULL, (why)

#define GTUBE_SYMS "GTUBE,MSGID_SHORT,NO_RECEIVED,NO_RELAYS,TVD_SPACE_RATIO"

static const struct case_ spamd_cases[] = {
	{ "check spam", L("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1000.0 / 5.0\r\n"
	    "\r\n"), 0, SCAN_SPAM, 1000.0, 5.0, "", NULL },
	{ "check clean negative zero", L("SPAMD/1.1 0 EX_OK\r\n"
	    "Spam: False ; -0.0 / 5.0\r\n\r\n"), 0, SCAN_CLEAN, 0, 5.0, "",
	    NULL },
	{ "symbols", L("SPAMD/1.1 0 EX_OK\r\nContent-length: 55\r\n"
	    "Spam: True ; 1000.0 / 5.0\r\n\r\n" GTUBE_SYMS), 0, SCAN_SPAM,
	    1000.0, 5.0, GTUBE_SYMS, NULL },
	{ "symbols clean", L("SPAMD/1.1 0 EX_OK\r\nContent-length: 33\r\n"
	    "Spam: False ; 1.2 / 5.0\r\n\r\nMSGID_SHORT,NO_RECEIVED,NO_RELAYS"),
	    0, SCAN_CLEAN, 1.2, 5.0, "MSGID_SHORT,NO_RECEIVED,NO_RELAYS",
	    NULL },
	{ "Yes and LF line ends", L("SPAMD/1.0 0 EX_OK\nspam: Yes ; 7.3 / "
	    "5.0\n\n"), 0, SCAN_SPAM, 7.3, 5.0, "", NULL },
	{ "no space around separators", L("SPAMD/1.1 0 EX_OK\r\nSpam: True;"
	    "12.5/5\r\n\r\n"), 0, SCAN_SPAM, 12.5, 5.0, "", NULL },
	{ "negative score", L("SPAMD/1.1 0 EX_OK\r\nSpam: False ; -3.1 / 5.0"
	    "\r\n\r\n"), 0, SCAN_CLEAN, -3.1, 5.0, "", NULL },
	{ "report body is not a list", L("SPAMD/1.1 0 EX_OK\r\n"
	    "Content-length: 19\r\nSpam: True ; 9.0 / 5.0\r\n\r\n"
	    " pts rule name\n---\n"), 0, SCAN_SPAM, 9.0, 5.0, "", NULL },
	{ "unknown header ignored", L("SPAMD/1.1 0 EX_OK\r\nX-Foo: bar\r\n"
	    "Spam: True ; 6.0 / 5.0\r\n\r\n"), 0, SCAN_SPAM, 6.0, 5.0, "",
	    NULL },
	{ "error code", L("SPAMD/1.0 76 Bad header line: (Content-length "
	    "mismatch: 10 vs. 5)\r\n"), ERR("spamd: Bad header line") },
	{ "EX_UNAVAILABLE", L("SPAMD/1.1 69 EX_UNAVAILABLE\r\n"), ERR("(69)") },
	{ "empty", "", 0, ERR("empty") },
	{ "truncated response line", L("SPAMD/1.1 0 EX"), ERR("truncated") },
	{ "truncated headers", L("SPAMD/1.1 0 EX_OK\r\n"
	    "Spam: True ; 1000"), ERR("truncated") },
	{ "truncated before blank line", L("SPAMD/1.1 0 EX_OK\r\n"
	    "Spam: True ; 1000.0 / 5.0\r\n"), ERR("truncated") },
	{ "truncated body", L("SPAMD/1.1 0 EX_OK\r\nContent-length: 55\r\n"
	    "Spam: True ; 1000.0 / 5.0\r\n\r\nGTUBE,MSG"), ERR("truncated") },
	{ "body longer than length", L("SPAMD/1.1 0 EX_OK\r\nContent-length: 2"
	    "\r\nSpam: True ; 1.0 / 5.0\r\n\r\nA,B,C"), ERR("data after") },
	{ "no Spam header", L("SPAMD/1.1 0 EX_OK\r\nContent-length: 0\r\n"
	    "\r\n"), ERR("no Spam header") },
	{ "two Spam headers", L("SPAMD/1.1 0 EX_OK\r\nSpam: False ; 1 / 5\r\n"
	    "Spam: True ; 9 / 5\r\n\r\n"), ERR("bad Spam") },
	{ "bad flag", L("SPAMD/1.1 0 EX_OK\r\nSpam: Maybe ; 1.0 / 5.0\r\n"
	    "\r\n"), ERR("bad Spam") },
	{ "bad score", L("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 1e3 / 5.0\r\n"
	    "\r\n"), ERR("bad Spam") },
	{ "missing threshold", L("SPAMD/1.1 0 EX_OK\r\nSpam: True ; 10.0\r\n"
	    "\r\n"), ERR("bad Spam") },
	{ "bad content length", L("SPAMD/1.1 0 EX_OK\r\nContent-length: -1"
	    "\r\nSpam: True ; 1 / 5\r\n\r\n"), ERR("Content-length") },
	{ "header without colon", L("SPAMD/1.1 0 EX_OK\r\nSpam True\r\n"
	    "\r\n"), ERR("bad header") },
	{ "HTTP is garbage", L("HTTP/1.1 200 OK\r\n"
	    "\r\n{}"), ERR("not a SPAMD") },
	{ "binary garbage", L("\x01\x02\xff\n\n"), ERR("not a SPAMD") },
	{ "bad code", L("SPAMD/1.1 x EX_OK\r\n\r\n"),
	    ERR("bad response code") },
};

#define JSON_GTUBE "{\"is_skipped\":true,\"score\":15.0,\"required_score\"" \
	":15.0,\"action\":\"reject\",\"symbols\":{\"GTUBE\":{\"name\":" \
	"\"GTUBE\",\"score\":0.0,\"metric_score\":0.0}},\"messages\":" \
	"{\"smtp_message\":\"Gtube pattern\"},\"message-id\":\"1@x\"}"

static const struct case_ rspamd_cases[] = {
	{ "gtube", L(JSON_GTUBE), 0, SCAN_SPAM, 15.0, 15.0, "GTUBE",
	    "reject" },
	{ "add header, two symbols", L("{\"score\":7.5,\"required_score\":15,"
	    "\"action\":\"add header\",\"symbols\":{\"A_1\":{},\"B\":{}}}"), 0,
	    SCAN_SPAM, 7.5, 15.0, "A_1,B", "add header" },
	{ "no action", L("{\"score\":0.0,\"required_score\":15.0,\"action\":"
	    "\"no action\",\"symbols\":{}}"), 0, SCAN_CLEAN, 0, 15.0, "",
	    "no action" },
	{ "greylist is clean", L("{\"score\":4.1,\"required_score\":15.0,"
	    "\"action\":\"greylist\"}"), 0, SCAN_CLEAN, 4.1, 15.0, "",
	    "greylist" },
	{ "integer score", L("{\"score\":20,\"action\":\"reject\"}"), 0,
	    SCAN_SPAM, 20, 0, "", "reject" },
	{ "unsafe symbol names", L("{\"score\":1,\"action\":\"no action\","
	    "\"symbols\":{\"A B\\r\\n\":{}}}"), 0, SCAN_CLEAN, 1, 0, "A_B__",
	    NULL },
	{ "error object", L("{\"error\":\"Message has invalid content\"}"),
	    ERR("rspamd: Message has") },
	{ "missing score", L("{\"action\":\"reject\"}"), ERR("lacks score") },
	{ "missing action", L("{\"score\":3}"), ERR("lacks score") },
	{ "string score", L("{\"score\":\"3\",\"action\":\"reject\"}"),
	    ERR("lacks score") },
	{ "symbols not an object", L("{\"score\":3,\"action\":\"reject\","
	    "\"symbols\":[\"A\"]}"), ERR("lacks") },
	{ "array", L("[1,2]"), ERR("not an object") },
	{ "truncated", L("{\"score\":15.0,\"required_score\":15.0,\"act"),
	    ERR("bad JSON") },
	{ "empty", "", 0, ERR("bad JSON") },
	{ "garbage", L("<html>502 Bad Gateway</html>"), ERR("bad JSON") },
	{ "duplicate key", L("{\"score\":1,\"score\":99,\"action\":\"x\"}"),
	    ERR("bad JSON") },
};

#define HTTP_OK "HTTP/1.1 200 OK\r\nConnection: close\r\nServer: rspamd/3.4\r\n"

static const struct case_ rspamd_http_cases[] = {
	{ "200 with length", L(HTTP_OK "Content-Length: 203\r\n"
	    "Content-Type: application/json\r\n\r\n" JSON_GTUBE), 0,
	    SCAN_SPAM, 15.0, 15.0, "GTUBE", "reject" },
	{ "200 without length", L(HTTP_OK "\r\n{\"score\":1.5,\"action\":"
	    "\"no action\"}"), 0, SCAN_CLEAN, 1.5, 0, "", NULL },
	{ "HTTP/1.0 LF only", L("HTTP/1.0 200 OK\nContent-Length: 30\n\n"
	    "{\"score\":1,\"action\":\"reject\"}\n"), 0, SCAN_SPAM, 1, 0, "",
	    NULL },
	{ "truncated body", L(HTTP_OK "Content-Length: 203\r\n\r\n"
	    "{\"score\":15.0,"), ERR("truncated") },
	{ "truncated head", L("HTTP/1.1 200 OK\r\nContent-Le"), ERR("truncated")
	    },
	{ "empty", "", 0, ERR("empty") },
	{ "extra data", L(HTTP_OK "Content-Length: 2\r\n\r\n{}{}"),
	    ERR("data after") },
	{ "chunked", L(HTTP_OK "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n"
	    "0\r\n\r\n"), ERR("chunked") },
	{ "status 500 with error text", L("HTTP/1.1 500 Internal\r\n\r\n"
	    "{\"error\":\"task timeout\"}"), ERR("rspamd: task timeout") },
	{ "status 404 html", L("HTTP/1.1 404 Not Found\r\n\r\n<html>"),
	    ERR("HTTP status 404") },
	{ "status 503 with a verdict", L("HTTP/1.1 503 Busy\r\n\r\n"
	    "{\"score\":0,\"action\":\"no action\"}"), ERR("HTTP status 503") },
	{ "not http", L("SPAMD/1.1 0 EX_OK\r\n\r\n"), ERR("not an HTTP") },
	{ "bad length", L(HTTP_OK "Content-Length: x\r\n\r\n{}"),
	    ERR("Content-Length") },
};

static const struct case_ clamd_cases[] = {
	{ "ok", L("stream: OK\0"), 0, SCAN_CLEAN, 0, 0, NULL, NULL },
	{ "ok newline", L("stream: OK\n"), 0, SCAN_CLEAN, 0, 0, NULL, NULL },
	{ "found", L("stream: Eicar-Test-Signature FOUND\0"), 0, SCAN_VIRUS,
	    0, 0, NULL, "Eicar-Test-Signature" },
	{ "found unofficial", L("stream: Gatepost.Test.Pattern.UNOFFICIAL "
	    "FOUND\0"), 0, SCAN_VIRUS, 0, 0, NULL,
	    "Gatepost.Test.Pattern.UNOFFICIAL" },
	{ "session prefix", L("3: stream: Win.Test.EICAR_HDB-1 FOUND\0"), 0,
	    SCAN_VIRUS, 0, 0, NULL, "Win.Test.EICAR_HDB-1" },
	{ "unsafe name", L("stream: Bad%Name<x> FOUND\0"), 0, SCAN_VIRUS, 0,
	    0, NULL, "Bad_Name_x_" },
	{ "size limit", L("INSTREAM size limit exceeded. ERROR\0"),
	    ERR("clamd: INSTREAM size limit exceeded") },
	{ "stream error", L("stream: Can't allocate memory ERROR\0"),
	    ERR("clamd: stream: Can_t allocate") },
	{ "unknown command", L("UNKNOWN COMMAND\n"), ERR("unexpected") },
	{ "read timed out", L("COMMAND READ TIMED OUT\n"), ERR("unexpected") },
	{ "truncated", L("stream: Eicar-Test-Sig"), ERR("truncated") },
	{ "truncated ok", L("stream: OK"), ERR("truncated") },
	{ "empty", "", 0, ERR("empty") },
	{ "found without name", L("stream:  FOUND\0"), ERR("unexpected") },
	{ "garbage", L("\x89PNG\r\n\x1a\n"), ERR("unexpected") },
	{ "spamd reply", L("SPAMD/1.1 0 EX_OK\r\n"), ERR("unexpected") },
};

/* check_case - run one parser on one case and compare */
static void
check_case(const struct case_ *c, parse_fn *parse, int is_virus)
{
	struct scan_verdict v;
	int	 rc;

	memset(&v, 0x5a, sizeof(v));	/* the parser must set everything */
	rc = parse(c->in, c->len, &v);
	ck_assert_msg(rc == c->rc, "%s: got %d, want %d (%s)", c->name, rc,
	    c->rc, v.why);
	ck_assert_msg(v.result == c->result, "%s: got result %s, want %s",
	    c->name, scan_result_name(v.result), scan_result_name(c->result));
	if (c->rc != 0) {
		ck_assert_msg(c->extra == NULL || strstr(v.why, c->extra),
		    "%s: got why \"%s\", want \"%s\"", c->name, v.why,
		    c->extra);
		return;
	}
	ck_assert_msg(v.why[0] == '\0', "%s: why set", c->name);
	if (!is_virus) {
		ck_assert_msg(v.has_score, "%s: no score", c->name);
		ck_assert_msg(fabs(v.score - c->score) < 1e-9 &&
		    fabs(v.threshold - c->thr) < 1e-9,
		    "%s: got %g/%g, want %g/%g", c->name, v.score,
		    v.threshold, c->score, c->thr);
		unit_want_str(c->name, "action", v.action, c->extra);
	} else
		unit_want_str(c->name, "virus", v.virus, c->extra);
	unit_want_str(c->name, "symbols", v.symbols, c->symbols);
}

/* each parser's table; one TCase each, _i counting through all rows */
static const struct parser {
	const char *tcase;
	const struct case_ *cases;
	size_t	 n;
	parse_fn *parse;
	int	 is_virus;
} parsers[] = {
	{ "spamd replies", spamd_cases, NELEM(spamd_cases), scan_parse_spamd,
	    0 },
	{ "rspamd JSON", rspamd_cases, NELEM(rspamd_cases), scan_parse_rspamd,
	    0 },
	{ "rspamd HTTP framing", rspamd_http_cases, NELEM(rspamd_http_cases),
	    scan_parse_rspamd_http, 0 },
	{ "clamd replies", clamd_cases, NELEM(clamd_cases), scan_parse_clamd,
	    1 },
};

START_TEST(parser_reply)
{
	const struct parser *p = parsers;
	size_t	 i = (size_t)_i;

	while (i >= p->n)
		i -= (p++)->n;
	check_case(&p->cases[i], p->parse, p->is_virus);
}
END_TEST

/* every prefix of a good reply is an error, never a verdict */
START_TEST(prefixes_never_pass)
{
	static const char sp[] = "SPAMD/1.1 0 EX_OK\r\nContent-length: 5\r\n"
	    "Spam: True ; 1000.0 / 5.0\r\n\r\nGTUBE";
	static const char hp[] = HTTP_OK "Content-Length: 203\r\n\r\n"
	    JSON_GTUBE;
	static const char cl[] = "stream: Eicar-Test-Signature FOUND";
	struct scan_verdict v;
	size_t	 n;

	for (n = 0; n < sizeof(sp) - 1; n++)
		ck_assert_msg(scan_parse_spamd(sp, n, &v) == -1 &&
		    v.result == SCAN_ERROR, "spamd prefix %zu: got %s", n,
		    scan_result_name(v.result));
	for (n = 0; n < sizeof(hp) - 1; n++)
		ck_assert_msg(scan_parse_rspamd_http(hp, n, &v) == -1,
		    "rspamd prefix %zu passed", n);
	for (n = 0; n < sizeof(cl); n++)
		ck_assert_msg(scan_parse_clamd(cl, n, &v) == -1,
		    "clamd prefix %zu passed", n);
	ck_assert_int_eq(scan_parse_spamd(sp, sizeof(sp) - 1, &v), 0);
	ck_assert_int_eq(scan_parse_rspamd_http(hp, sizeof(hp) - 1, &v), 0);
	ck_assert_int_eq(scan_parse_clamd(cl, sizeof(cl), &v), 0);
}
END_TEST

/* a long symbol list is cut at a name boundary and marked */
START_TEST(symbols_bounded)
{
	char	 reply[8192], body[4096];
	struct scan_verdict v;
	size_t	 n = 0, len;
	int	 i;

	for (i = 0; i < 200; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n, "%sRULE_%03d",
		    i ? "," : "", i);
	len = (size_t)snprintf(reply, sizeof(reply), "SPAMD/1.1 0 EX_OK\r\n"
	    "Content-length: %zu\r\nSpam: True ; 50.0 / 5.0\r\n\r\n%s", n,
	    body);
	ck_assert_int_eq(scan_parse_spamd(reply, len, &v), 0);
	n = strlen(v.symbols);
	ck_assert_msg(n < SCAN_SYMBOLS_MAX, "got %zu bytes", n);
	ck_assert_msg(n > SCAN_SYMBOLS_MAX - 16, "got %zu bytes", n);
	ck_assert_str_eq(v.symbols + n - 4, ",...");
	ck_assert_msg(strncmp(v.symbols, "RULE_000,RULE_001,", 18) == 0,
	    "got %.30s", v.symbols);
}
END_TEST

/* numbers: sign, fraction, nothing else, no locale */
START_TEST(numbers)
{
	static const struct {
		const char *in;
		int	 rc;
		double	 want;
	} t[] = {
		{ "5", 0, 5 }, { "5.0", 0, 5 }, { "-0.0", 0, 0 },
		{ "+2.25", 0, 2.25 }, { "1000.0", 0, 1000 }, { ".5", 0, 0.5 },
		{ "5.", 0, 5 }, { "", -1, 0 }, { "-", -1, 0 }, { ".", -1, 0 },
		{ "1e3", -1, 0 }, { "1,5", -1, 0 }, { "nan", -1, 0 },
		{ " 1", -1, 0 }, { "0x10", -1, 0 },
	};
	size_t	 i;
	double	 d;

	for (i = 0; i < NELEM(t); i++) {
		d = -99;
		ck_assert_msg(scan_parse_number(t[i].in, strlen(t[i].in), &d) ==
		    t[i].rc, "\"%s\": got rc %d", t[i].in, -t[i].rc - 1);
		ck_assert_msg(t[i].rc != 0 || fabs(d - t[i].want) < 1e-12,
		    "\"%s\": got %g, want %g", t[i].in, d, t[i].want);
	}
}
END_TEST

static void
scan_parse_suite(Suite *s)
{
	size_t	 i, at;

	for (i = 0, at = 0; i < NELEM(parsers); at += parsers[i++].n)
		tcase_add_loop_test(unit_tcase(s, parsers[i].tcase),
		    parser_reply, (int)at, (int)(at + parsers[i].n));
	unit_tests(s, "truncation and bounds", prefixes_never_pass,
	    symbols_bounded, numbers, NULL);
}

UNIT_MAIN("scan_parse", scan_parse_suite)
