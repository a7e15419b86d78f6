/*
 * check_mf_scan.c - the scanner plug-ins in the milter's end-of-message
 * pipeline, driven through stub_smfi.c against stub spamd and clamd
 * servers (scan_stub.c): replies, headers, hold, reject, on_error,
 * timeouts, max_size, faces without scanning, monitor mode, metrics.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "log.h"
#include "metrics.h"
#include "mf_fixture.h"
#include "milter/mf_cb.h"
#include "milter/mf_cfg.h"
#include "milter/mf_ctx.h"
#include "milter/mf_metrics.h"
#include "milter/mf_scan.h"
#include "milter/scan_sock.h"
#include "scan_stub.h"
#include "stub_smfi.h"
#include "unit.h"

#define L(s)		s, sizeof(s) - 1
#define ALL_ACTS	0x1ffUL
#define ALL_PROTO	0x1fffffUL
#define DOWN		NULL		/* scanner not running */

/* the scanners first, as milter/mf_hooks.c lists them */
const struct mf_hook *const mf_hooks[] = {
	&mf_scan_virus_hook, &mf_scan_spam_hook, NULL
};

#define CFG_FMT \
"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n" \
" \"instances\": [\n" \
"  {\"name\": \"inbound\", \"direction\": \"inbound\",\n" \
"   \"match\": {\"name\": \"inbound\"},\n" \
"   \"spam\": {\"engine\": \"spamd\", \"server\": \"%s\",\n" \
"     \"timeout_ms\": %u, \"max_size\": %u, \"tag_score\": 5.0,\n" \
"     \"hold_score\": 10.0, \"reject_score\": 15.0,\n" \
"     %s\"on_error\": \"%s\"},\n" \
"   \"virus\": {\"engine\": \"clamd\", \"server\": \"%s\",\n" \
"     %s\"timeout_ms\": %u, \"max_size\": %u}},\n" \
"  {\"name\": \"outbound\", \"direction\": \"outbound\",\n" \
"   \"match\": {\"name\": \"outbound\"}},\n" \
"  {\"name\": \"mon\", \"direction\": \"inbound\", \"mode\": \"monitor\",\n" \
"   \"match\": {\"name\": \"mon\"},\n" \
"   \"spam\": {\"engine\": \"spamd\", \"server\": \"%s\",\n" \
"     \"tag_score\": 5.0, \"reject_score\": 15.0}}\n" \
" ],\n" \
" \"policyd\": {\"listen\": \"unix:/tmp/p.sock\"},\n" \
" \"milter\": {\"socket\": \"unix:/tmp/m.sock\"}}\n"

#define SA(verdict, syms)	verdict, syms

static const struct mcase {
	const char *name;
	const char *face;
	const char *spamd;		/* Spam: value; DOWN; "": silent */
	const char *syms;		/* spamd's symbols */
	const char *clamd;		/* reply incl. NUL; DOWN: refused */
	size_t	 clamd_len;
	const char *on_error;
	unsigned max_size, timeout_ms;
	sfsistat want;
	const char *has[3];		/* stub_smfi lines that must exist */
	const char *absent;		/* line prefix that must not */
	unsigned spamd_conns, clamd_conns;
	const char *metric;
	const char *sa_over, *av_over;	/* oversize; NULL = default */
} cases[] = {
	{ "clean: score headers, no flag", "inbound",
	    SA("False ; 1.0 / 5.0", "A_1,B"), L("stream: OK\0"), "tempfail",
	    1 << 20, 5000, SMFIS_CONTINUE, { "addheader X-Spam-Score: 1.0",
	    "addheader X-Spam-Status: No, score=1.0 required=5.0 tests=A_1,B",
	    NULL }, "addheader X-Spam-Flag", 1, 1,
	    "gatepost_scans_total{face=\"inbound\",engine=\"spamd\","
	    "result=\"clean\"} 1", NULL, NULL },
	{ "tag: X-Spam-Flag once, the forged one removed", "inbound",
	    SA("True ; 7.0 / 5.0", "X"), L("stream: OK\0"), "tempfail",
	    1 << 20, 5000, SMFIS_CONTINUE, { "addheader X-Spam-Flag: YES",
	    "chgheader X-Spam-Flag 1 (null)", "addheader X-Spam-Status: Yes, "
	    "score=7.0 required=5.0 tests=X" }, NULL, 1, 1,
	    "gatepost_rule_hits_total{face=\"inbound\",rule=\"spam\","
	    "action=\"tag\",mode=\"enforce\"} 1", NULL, NULL },
	{ "hold_score holds", "inbound", SA("True ; 12.0 / 5.0", "X"),
	    L("stream: OK\0"), "tempfail", 1 << 20, 5000, SMFIS_CONTINUE,
	    { "quarantine gatepost spam", "addheader X-Spam-Flag: YES",
	    NULL }, NULL, 1, 1, "gatepost_messages_total{face=\"inbound\","
	    "direction=\"inbound\",action=\"held\"} 1", NULL, NULL },
	{ "GTUBE rejected 550 5.7.1", "inbound",
	    SA("True ; 1000.0 / 5.0", "GTUBE"), L("stream: OK\0"),
	    "tempfail", 1 << 20, 5000, SMFIS_REJECT, { "setreply 550 5.7.1 "
	    "Message content rejected as spam", NULL, NULL }, "addheader", 1,
	    1, "gatepost_scans_total{face=\"inbound\",engine=\"spamd\","
	    "result=\"spam\"} 1", NULL, NULL },
	{ "virus rejected naming the signature, not spam-scanned",
	    "inbound", SA("False ; 0.0 / 5.0", ""),
	    L("stream: Eicar-Test-Signature FOUND\0"), "tempfail", 1 << 20,
	    5000, SMFIS_REJECT, { "setreply 550 5.7.1 Message content "
	    "rejected: virus found (Eicar-Test-Signature)", NULL, NULL },
	    "addheader", 0, 1, "gatepost_scans_total{face=\"inbound\","
	    "engine=\"clamd\",result=\"virus\"} 1", NULL, NULL },
	{ "spamd down: 451 4.3.0", "inbound", DOWN, "", L("stream: OK\0"),
	    "tempfail", 1 << 20, 5000, SMFIS_TEMPFAIL, { "setreply 451 4.3.0 "
	    "Content scanner unavailable, try again later", NULL, NULL },
	    "addheader", 0, 1, "gatepost_scans_total{face=\"inbound\","
	    "engine=\"spamd\",result=\"error\"} 1", NULL, NULL },
	{ "clamd down: 451 4.3.0", "inbound", SA("False ; 0.0 / 5.0", ""),
	    DOWN, 0, "tempfail", 1 << 20, 5000, SMFIS_TEMPFAIL,
	    { "setreply 451 4.3.0 Content scanner unavailable, try again "
	    "later", NULL, NULL }, "addheader", 0, 0, NULL, NULL, NULL },
	{ "spamd silent: 451 within timeout + 1 s", "inbound", "", "",
	    L("stream: OK\0"), "tempfail", 1 << 20, 500, SMFIS_TEMPFAIL,
	    { "setreply 451 4.3.0 Content scanner unavailable, try again "
	    "later", NULL, NULL }, "addheader", 1, 1, NULL, NULL, NULL },
	{ "spamd down, on_error accept: passes unscanned", "inbound", DOWN,
	    "", L("stream: OK\0"), "accept", 1 << 20, 5000, SMFIS_CONTINUE,
	    { NULL, NULL, NULL }, "addheader X-Spam", 0, 1,
	    "gatepost_messages_total{face=\"inbound\",direction=\"inbound\","
	    "action=\"accepted\"} 1", NULL, NULL },
	{ "outbound: no scanner contacted", "outbound",
	    SA("True ; 1000.0 / 5.0", "GTUBE"), L("stream: OK\0"),
	    "tempfail", 1 << 20, 5000, SMFIS_CONTINUE, { NULL, NULL, NULL },
	    "addheader X-Spam", 0, 0, NULL, NULL, NULL },
	{ "over max_size, oversize accept: not sent, counted", "inbound",
	    SA("True ; 1000.0 / 5.0", "GTUBE"), L("stream: OK\0"),
	    "tempfail", 64, 5000, SMFIS_CONTINUE, { NULL, NULL, NULL },
	    "addheader X-Spam", 0, 0, "gatepost_scans_total{face=\"inbound\","
	    "engine=\"clamd\",result=\"skipped_size\"} 1", "accept",
	    "accept" },
	{ "over max_size, virus default: 552 5.3.4, not sent", "inbound",
	    SA("True ; 1000.0 / 5.0", "GTUBE"), L("stream: OK\0"),
	    "tempfail", 64, 5000, SMFIS_REJECT, { "setreply 552 5.3.4 "
	    "Message too large to be scanned for viruses (limit 64 bytes); "
	    "send it smaller or split it",
	    NULL, NULL }, "addheader", 0, 0, "gatepost_scan_oversize_total{"
	    "face=\"inbound\",engine=\"clamd\",action=\"reject\"} 1",
	    "accept", NULL },
	{ "over max_size, spam default truncate: header + 40 body bytes",
	    "inbound", SA("False ; 1.0 / 5.0", "A"), L("stream: OK\0"),
	    "tempfail", 40, 5000, SMFIS_CONTINUE, { "addheader X-Spam-Status: "
	    "No, score=1.0 required=5.0 tests=A truncated=40", NULL, NULL },
	    "addheader X-Spam-Unscanned", 1, 0,
	    "gatepost_scan_oversize_total{face=\"inbound\","
	    "engine=\"spamd\",action=\"truncate\"} 1", NULL, "accept" },
	{ "over max_size, spam tag: X-Spam-Unscanned, not sent", "inbound",
	    SA("True ; 1000.0 / 5.0", "GTUBE"), L("stream: OK\0"),
	    "tempfail", 16, 5000, SMFIS_CONTINUE, { "addheader "
	    "X-Spam-Unscanned: not scanned for spam: larger than "
	    "max_size=16 bytes", NULL, NULL }, "addheader X-Spam-Status", 0,
	    0, "gatepost_scan_oversize_total{face=\"inbound\","
	    "engine=\"spamd\",action=\"tag\"} 1", "tag", "accept" },
	{ "over max_size, spam reject: 552 5.3.4", "inbound",
	    SA("False ; 0.0 / 5.0", ""), L("stream: OK\0"), "tempfail", 16,
	    5000, SMFIS_REJECT, { "setreply 552 5.3.4 Message too large to "
	    "be scanned for spam (limit 16 bytes); send it smaller or split "
	    "it", NULL, NULL }, "addheader", 0, 0,
	    "gatepost_rule_hits_total{face=\"inbound\",rule=\"spam\","
	    "action=\"reject\",mode=\"enforce\"} 1", "reject", "accept" },
	{ "monitor mode: GTUBE tagged, not rejected", "mon",
	    SA("True ; 1000.0 / 5.0", "GTUBE"), L("stream: OK\0"),
	    "tempfail", 1 << 20, 5000, SMFIS_CONTINUE,
	    { "addheader X-Spam-Flag: YES", NULL, NULL }, "setreply", 1, 0,
	    "gatepost_rule_hits_total{face=\"mon\",rule=\"spam\","
	    "action=\"reject\",mode=\"monitor\"} 1", NULL, NULL },
};

static SMFICTX *ctx;
static struct metrics *reg;

static sfsistat drive(const char *);
static void mf_scan_suite(Suite *);

/* drive - one message on a face, from connect to end of message */
static sfsistat
drive(const char *face)
{
	static char from[] = "<alice@example.org>", to[] = "<bob@example.com>";
	char	*mail[] = { from, NULL }, *rcpt[] = { to, NULL };
	char	 n1[] = "From", v1[] = "alice@example.org";
	char	 n2[] = "X-Spam-Flag", v2[] = "NO";
	char	 n3[] = "Subject", v3[] = "hello";
	unsigned char text[] = "see you at noon, the long way round\r\n";
	unsigned long a, p, f2, f3;

	ck_assert_int_eq(mf_cb_negotiate(ctx, ALL_ACTS, ALL_PROTO, 0, 0, &a,
	    &p, &f2, &f3), SMFIS_CONTINUE);
	stub_macro(ctx, "{daemon_name}", face);
	stub_macro(ctx, "{client_addr}", "198.51.100.7");
	(void)mf_cb_connect(ctx, "mx.example.org", NULL);
	(void)mf_cb_envfrom(ctx, mail);
	(void)mf_cb_envrcpt(ctx, rcpt);
	stub_macro(ctx, "i", "4QUEUE");
	(void)mf_cb_header(ctx, n1, v1);
	(void)mf_cb_header(ctx, n2, v2);
	(void)mf_cb_header(ctx, n3, v3);
	(void)mf_cb_eoh(ctx);
	(void)mf_cb_body(ctx, text, sizeof(text) - 1);
	return mf_cb_eom(ctx);
}

START_TEST(pipeline)
{
	const struct mcase *c = &cases[_i];
	struct scan_stub sa, av;
	char	 sa_reply[512], json[4096], down[64], got[4096];
	char	 sa_over[64] = "", av_over[64] = "";
	unsigned sa_conns = 0, av_conns = 0;
	size_t	 n = 0;
	int64_t	 t0, ms;
	sfsistat r;

	(void)snprintf(down, sizeof(down), "127.0.0.1:%u",
	    scan_stub_free_port());
	if (c->spamd != DOWN) {
		(void)snprintf(sa_reply, sizeof(sa_reply), "SPAMD/1.1 0 EX_OK"
		    "\r\nContent-length: %zu\r\nSpam: %s\r\n\r\n%s",
		    strlen(c->syms), c->spamd, c->syms);
		ck_assert_int_eq(scan_stub_start(&sa, 0, c->spamd[0] == '\0' ?
		    SCAN_STUB_SILENT : SCAN_STUB_REPLY, 0, sa_reply,
		    strlen(sa_reply), 0), 0);
	}
	if (c->clamd != DOWN)
		ck_assert_int_eq(scan_stub_start(&av, 1, SCAN_STUB_REPLY, 0,
		    c->clamd, c->clamd_len, 0), 0);
	if (c->sa_over != NULL)
		(void)snprintf(sa_over, sizeof(sa_over), "\"oversize\": "
		    "\"%s\", ", c->sa_over);
	if (c->av_over != NULL)
		(void)snprintf(av_over, sizeof(av_over), "\"oversize\": "
		    "\"%s\", ", c->av_over);
	(void)snprintf(json, sizeof(json), CFG_FMT,
	    c->spamd != DOWN ? sa.server : down, c->timeout_ms, c->max_size,
	    sa_over, c->on_error, c->clamd != DOWN ? av.server : down,
	    av_over, c->timeout_ms, c->max_size,
	    c->spamd != DOWN ? sa.server : down);
	ctx = mf_fixture_up("check_mf_scan", json, 0, &reg);
	t0 = scan_clock_ms();
	r = drive(c->face);
	ms = scan_clock_ms() - t0;
	if (c->spamd != DOWN)
		n = scan_stub_stop(&sa, got, sizeof(got) - 1, &sa_conns);
	if (c->clamd != DOWN)
		(void)scan_stub_stop(&av, NULL, 0, &av_conns);
	ck_assert_msg(r == c->want, "%s: got status %d, want %d", c->name, r,
	    c->want);
	mf_fixture_expect(ctx, c->name, c->has, NELEM(c->has), c->absent);
	ck_assert_uint_le(stub_count(ctx, "addheader X-Spam-Flag"), 1);
	ck_assert_msg(sa_conns == c->spamd_conns && av_conns == c->clamd_conns,
	    "%s: got %u spamd and %u clamd connections, want %u and %u",
	    c->name, sa_conns, av_conns, c->spamd_conns, c->clamd_conns);
	ck_assert_msg(ms <= c->timeout_ms * 2 + 1000, "%s: took %lld ms",
	    c->name, (long long)ms);
	ck_assert_msg(c->metric == NULL || unit_has_metric(reg, c->metric),
	    "%s", c->name);
	if (sa_conns > 0 && c->spamd[0] != '\0') {
		got[n < sizeof(got) ? n : sizeof(got) - 1] = '\0';
		ck_assert_msg(strstr(got, "\r\n\r\nFrom: alice@example.org"
		    "\r\nX-Spam-Flag: NO\r\nSubject: hello\r\n\r\nsee you "
		    "at noon") != NULL, "%s: spamd got %s", c->name, got);
	}
	mf_fixture_down(ctx, reg);
}
END_TEST


/* rspamd gets the envelope (sender and every recipient) in its headers */
START_TEST(rspamd_envelope)
{
	static const char reply[] = "HTTP/1.1 200 OK\r\nContent-Type: "
	    "application/json\r\nContent-Length: 61\r\n\r\n{\"action\": "
	    "\"no action\", \"score\": 0.5, \"required_score\": 15.0}";
	static char from[] = "<alice@example.org>";
	static char to1[] = "<bob@example.com>", to2[] = "<Carol@Example.COM>";
	char	*mail[] = { from, NULL }, *r1[] = { to1, NULL };
	char	*r2[] = { to2, NULL };
	char	 n1[] = "From", v1[] = "alice@example.org";
	unsigned char text[] = "hello\r\n";
	char	 json[2048], got[4096];
	struct scan_stub rs;
	unsigned long a, p, f2, f3;
	unsigned conns = 0;
	size_t	 n;

	ck_assert_int_eq(scan_stub_start(&rs, 0, SCAN_STUB_REPLY, 0, reply,
	    strlen(reply), 0), 0);
	(void)snprintf(json, sizeof(json), "{\"version\": 1, "
	    "\"internal_domains\": [\"example.com\"], \"instances\": [{"
	    "\"name\": \"inbound\", \"direction\": \"inbound\", "
	    "\"spam\": {\"engine\": \"rspamd\", \"server\": \"%s\", "
	    "\"tag_score\": 5.0}}], \"policyd\": {}}", rs.server);
	ctx = mf_fixture_up("check_mf_scan", json, 0, &reg);
	ck_assert_int_eq(mf_cb_negotiate(ctx, ALL_ACTS, ALL_PROTO, 0, 0, &a,
	    &p, &f2, &f3), SMFIS_CONTINUE);
	stub_macro(ctx, "{daemon_name}", "inbound");
	stub_macro(ctx, "{client_addr}", "198.51.100.7");
	(void)mf_cb_connect(ctx, "mx.example.org", NULL);
	(void)mf_cb_envfrom(ctx, mail);
	(void)mf_cb_envrcpt(ctx, r1);
	(void)mf_cb_envrcpt(ctx, r2);
	stub_macro(ctx, "i", "4QUEUE");
	(void)mf_cb_header(ctx, n1, v1);
	(void)mf_cb_eoh(ctx);
	(void)mf_cb_body(ctx, text, sizeof(text) - 1);
	ck_assert_int_eq(mf_cb_eom(ctx), SMFIS_CONTINUE);
	n = scan_stub_stop(&rs, got, sizeof(got) - 1, &conns);
	got[n] = '\0';
	ck_assert_uint_eq(conns, 1);
	ck_assert_msg(strstr(got, "From: <alice@example.org>\r\n") != NULL &&
	    strstr(got, "Rcpt: <bob@example.com>\r\n") != NULL &&
	    strstr(got, "Rcpt: <Carol@example.com>\r\n") != NULL &&
	    strstr(got, "IP: 198.51.100.7\r\n") != NULL,
	    "rspamd request lacks the envelope:\n%s", got);
	mf_fixture_down(ctx, reg);
}
END_TEST

static void
mf_scan_suite(Suite *s)
{
	TCase	*tc = unit_tcase(s, "scanners at end of message");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, pipeline, 0, NELEM(cases));
	tcase_add_test(tc, rspamd_envelope);
}

UNIT_MAIN("mf_scan", mf_scan_suite)
