/* check_mf_cb.c - the milter callbacks driven through stub_smfi.c */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>

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
#include "milter/mf_proto.h"
#include "stub_smfi.h"
#include "unit.h"

#define ALL_ACTS	0x1ffUL		/* what Postfix 3.7 offers */
#define ALL_PROTO	0x1fffffUL

/* A gateway with a policyd section: the milter enforces content only. */
static const char cfg_gateway[] =
"{\"version\": 1,\n"
" \"internal_domains\": [\"example.com\", \".example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\",\n"
"   \"match\": {\"name\": \"inbound\"},\n"
"   \"spoofing\": {\"envelope_from\": \"tag\", \"header_from\": \"reject\",\n"
"     \"display_name\": \"tag\", \"protected_names\": [\"Jane Example\"]},\n"
"   \"headers\": {\"add\": [{\"name\": \"X-Gatepost-Direction\",\n"
"                          \"value\": \"inbound\"}]},\n"
"   \"archive\": {\"bcc\": \"journal-in@example.com\"}},\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\",\n"
"   \"match\": {\"name\": \"outbound\"}, \"auth\": \"require\",\n"
"   \"send_as\": {\"logins\": {\"alice\": [\"alice@example.com\",\n"
"      \"@sales.example.com\"]}, \"header_from\": \"reject\"},\n"
"   \"headers\": {\"remove\": [\"X-Originating-IP\", \"X-Internal-*\"]},\n"
"   \"archive\": {\"bcc\": \"journal-out@example.com\"}},\n"
"  {\"name\": \"mon\", \"direction\": \"inbound\", \"mode\": \"monitor\",\n"
"   \"match\": {\"name\": \"mon\"},\n"
"   \"spoofing\": {\"header_from\": \"reject\"}},\n"
"  {\"name\": \"held\", \"direction\": \"inbound\",\n"
"   \"match\": {\"name\": \"held\"},\n"
"   \"spoofing\": {\"header_from\": \"hold\"}}\n"
" ],\n"
" \"policyd\": {\"listen\": \"unix:/tmp/p.sock\"},\n"
" \"milter\": {\"socket\": \"unix:/tmp/m.sock\"}}\n";

/* A milter-only site: the milter enforces the envelope rules too. */
static const char cfg_alone[] =
"{\"version\": 1,\n"
" \"internal_domains\": [\"example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\",\n"
"   \"match\": {\"name\": \"inbound\", \"address\": [\"192.0.2.10:25\"]},\n"
"   \"clients\": {\"allow\": [\"198.51.100.0/24\"]}, \"auth\": \"forbid\",\n"
"   \"recipients\": \"internal\",\n"
"   \"spoofing\": {\"envelope_from\": \"reject\",\n"
"                \"header_from\": \"reject\"}}\n"
" ],\n"
" \"unknown_instance\": \"reject\",\n"
" \"milter\": {\"socket\": \"unix:/tmp/m.sock\"}}\n";

static SMFICTX *ctx;
static struct metrics *reg;
static unsigned long neg_act, neg_proto;

/*
 * A content plug-in for the tests: takes messages with a subject of
 * "scan", keeps the raw copy, adds a header and rejects "spam".
 */
static int t_start(struct mf_conn *, struct mf_msg *, void **);
static int t_eom(SMFICTX *, struct mf_conn *, struct mf_msg *, void *);
static void t_fini(void *);
static const struct mf_hook t_hook = {"test", t_start, NULL, t_eom, t_fini};
const struct mf_hook *const mf_hooks[] = {&t_hook, NULL};
static int t_started, t_finished;
static char t_raw[4096];

static int
t_start(struct mf_conn *c, struct mf_msg *m, void **state)
{
	(void)c;
	t_started++;
	mf_msg_want_raw(m, 4096);
	*state = NULL;
	return 1;
}

static int
t_eom(SMFICTX *x, struct mf_conn *c, struct mf_msg *m, void *state)
{
	struct rule_hit h;

	(void)x;
	(void)state;
	if (m->raw_over)
		return 0;
	(void)snprintf(t_raw, sizeof(t_raw), "%.*s", (int)m->raw_len,
	    (const char *)m->raw);
	if (strstr(t_raw, "Subject: scan") == NULL)
		return 0;
	if (mf_msg_add_header(m, "X-Spam-Flag", "NO") != 0)
		return -1;
	if (strstr(t_raw, "spam") != NULL) {
		rule_hit_make(RULE_SPAM, CFG_ACT_REJECT, c->inst->mode,
		    "test scanner says spam", &h);
		mf_msg_hit(c, m, &h);
	}
	return 0;
}

static void
t_fini(void *state)
{
	(void)state;
	t_finished++;
}

static void
setup_common(const char *json, int serving)
{
	ctx = mf_fixture_up("check_mf_cb", json, serving, &reg);
	t_started = t_finished = 0;
}

static void
setup(void)
{
	setup_common(cfg_gateway, 0);
}

static void
setup_serving(void)
{
	setup_common(cfg_gateway, 1);
}

static void
setup_alone(void)
{
	setup_common(cfg_alone, 0);
}

static void
teardown(void)
{
	mf_fixture_down(ctx, reg);
}

/* has_metric - the exposition contains this sample line */
static int
has_metric(const char *line)
{
	return unit_has_metric(reg, line);
}

/* counted - gatepost_messages_total of face, dir and action is n */
static int
counted(const char *face, const char *dir, const char *action, int n)
{
	char	 line[256];

	(void)snprintf(line, sizeof(line), "gatepost_messages_total{"
	    "face=\"%s\",direction=\"%s\",action=\"%s\"} %d", face, dir,
	    action, n);
	return has_metric(line);
}

static sfsistat
negotiate(void)
{
	unsigned long f2, f3;

	return mf_cb_negotiate(ctx, ALL_ACTS, ALL_PROTO, 0, 0, &neg_act,
	    &neg_proto, &f2, &f3);
}

/* start - negotiate and connect on a face from a client */
static sfsistat
start(const char *face, const char *client)
{
	struct sockaddr_in sa;

	ck_assert_int_eq(negotiate(), SMFIS_CONTINUE);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	ck_assert_int_eq(inet_pton(AF_INET, client, &sa.sin_addr), 1);
	stub_macro(ctx, "{daemon_name}", face);
	stub_macro(ctx, "{daemon_addr}", "192.0.2.10");
	stub_macro(ctx, "{daemon_port}", "25");
	return mf_cb_connect(ctx, "[client]", (struct sockaddr *)&sa);
}

static sfsistat
mail(const char *from, const char *sasl)
{
	char	 buf[256], size[] = "SIZE=1000";
	char	*argv[] = {buf, size, NULL};

	(void)snprintf(buf, sizeof(buf), "<%s>", from);
	stub_macro(ctx, "{auth_authen}", sasl);
	return mf_cb_envfrom(ctx, argv);
}

static sfsistat
rcpt(const char *to)
{
	char	 buf[256];
	char	*argv[] = {buf, NULL};

	(void)snprintf(buf, sizeof(buf), "<%s>", to);
	return mf_cb_envrcpt(ctx, argv);
}

static sfsistat
hdr(const char *name, const char *value)
{
	char	 n[128], v[1024];

	(void)snprintf(n, sizeof(n), "%s", name);
	(void)snprintf(v, sizeof(v), "%s", value);
	return mf_cb_header(ctx, n, v);
}

static sfsistat
body(const char *text)
{
	unsigned char buf[1024];
	size_t	 n = strlen(text);

	memcpy(buf, text, n);
	return mf_cb_body(ctx, buf, n);
}

/* message - headers (name, value pairs, NULL-terminated), eoh, body, eom */
static sfsistat
message(const char *const *h, const char *text)
{
	stub_macro(ctx, "i", "4ABCDE");
	for (; h != NULL && h[0] != NULL; h += 2)
		ck_assert_int_eq(hdr(h[0], h[1]), SMFIS_NOREPLY);
	ck_assert_int_eq(mf_cb_eoh(ctx), SMFIS_NOREPLY);
	if (text != NULL)
		(void)body(text);
	return mf_cb_eom(ctx);
}

/* inbound - a connection to face from 198.51.100.7, MAIL FROM
 * x@example.net, RCPT TO u@example.com */
static void
inbound(const char *face)
{
	(void)start(face, "198.51.100.7");
	(void)mail("x@example.net", NULL);
	(void)rcpt("u@example.com");
}

/* inbound_message - inbound(face), then a message with header From
 * from: the end-of-message reply */
static sfsistat
inbound_message(const char *face, const char *from)
{
	const char *h[] = {"From", from, NULL};

	inbound(face);
	return message(h, NULL);
}

START_TEST(negotiate_policyd_site)
{
	ck_assert_int_eq(negotiate(), SMFIS_CONTINUE);
	ck_assert_uint_eq(neg_act, SMFIF_ADDHDRS | SMFIF_CHGHDRS |
	    SMFIF_ADDRCPT | SMFIF_QUARANTINE | SMFIF_SETSYMLIST);
	ck_assert_uint_eq(neg_proto, SMFIP_NOHELO | SMFIP_NODATA |
	    SMFIP_NOUNKNOWN | SMFIP_NR_HDR | SMFIP_NR_EOH | SMFIP_NR_CONN |
	    SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NOBODY);
	ck_assert(stub_has(ctx, "setsymlist 0 " MF_MACROS_CONNECT));
	ck_assert(stub_has(ctx, "setsymlist 2 i {auth_authen}"));
	ck_assert(stub_has(ctx, "setsymlist 3 i"));
	ck_assert(stub_has(ctx, "setsymlist 5 i"));
	ck_assert(stub_has(ctx, "setsymlist 6 i"));
}
END_TEST

START_TEST(negotiate_counting_bytes_streams_body)
{
	ck_assert_int_eq(negotiate(), SMFIS_CONTINUE);
	ck_assert(neg_proto & SMFIP_NR_BODY);
	ck_assert(!(neg_proto & SMFIP_NOBODY));
}
END_TEST

START_TEST(negotiate_milter_only_replies_to_envelope)
{
	ck_assert_int_eq(negotiate(), SMFIS_CONTINUE);
	ck_assert(!(neg_proto & (SMFIP_NR_CONN | SMFIP_NR_MAIL |
	    SMFIP_NR_RCPT)));
	ck_assert(neg_proto & SMFIP_NR_HDR);
}
END_TEST

START_TEST(negotiate_asks_only_what_is_offered)
{
	unsigned long a, p, f2, f3;

	ck_assert_int_eq(mf_cb_negotiate(ctx, SMFIF_ADDHDRS, SMFIP_NR_HDR, 0,
	    0, &a, &p, &f2, &f3), SMFIS_CONTINUE);
	ck_assert_uint_eq(a, SMFIF_ADDHDRS);
	ck_assert_uint_eq(p, SMFIP_NR_HDR);
	ck_assert_uint_eq(stub_count(ctx, "setsymlist"), 0);
}
END_TEST

START_TEST(inbound_header_from_spoof_rejected)
{
	const char *h[] = {"From", "Boss <boss@example.com>", NULL};

	ck_assert_int_eq(start("inbound", "198.51.100.7"), SMFIS_NOREPLY);
	ck_assert_int_eq(mail("x@example.net", NULL), SMFIS_NOREPLY);
	ck_assert_int_eq(rcpt("u@example.com"), SMFIS_NOREPLY);
	ck_assert_int_eq(message(h, NULL), SMFIS_REJECT);
	ck_assert(stub_has(ctx, "setreply 550 5.7.1 Header From in a local "
	    "domain not permitted from outside"));
	ck_assert_uint_eq(stub_count(ctx, "addheader"), 0);
	ck_assert_uint_eq(stub_count(ctx, "addrcpt"), 0);
	ck_assert(counted("inbound", "inbound", "rejected", 1));
	ck_assert(has_metric("gatepost_rule_hits_total{face=\"inbound\","
	    "rule=\"spoofing.header_from\",action=\"reject\","
	    "mode=\"enforce\"} 1"));
}
END_TEST

START_TEST(inbound_encoded_from_spoof_rejected)
{
	const char *h[] = {"From",
	    "=?UTF-8?B?SmFuZSBFeGFtcGxl?= <JANE@Example.COM>", NULL};

	inbound("inbound");
	ck_assert_int_eq(message(h, NULL), SMFIS_REJECT);
}
END_TEST

START_TEST(display_name_spoof_tagged_once)
{
	const char *h[] = {"From",
	    "=?UTF-8?Q?Jane_Example_=3Cjane=40example=2Ecom=3E?= "
	    "<jane@evil.example>", "X-Gatepost-Spoof", "none", NULL};

	inbound("inbound");
	ck_assert_int_eq(message(h, "hello\r\n"), SMFIS_CONTINUE);
	ck_assert(stub_has(ctx, "chgheader X-Gatepost-Spoof 1 (null)"));
	ck_assert(stub_has(ctx, "addheader X-Gatepost-Spoof: display-name"));
	ck_assert_uint_eq(stub_count(ctx, "addheader X-Gatepost-Spoof"), 1);
	ck_assert(stub_has(ctx, "addheader X-Gatepost-Direction: inbound"));
	ck_assert(counted("inbound", "inbound", "accepted", 1));
}
END_TEST

START_TEST(envelope_tag_from_policyd_applied)
{
	const char *h[] = {"From", "x@example.net", NULL};

	(void)start("inbound", "198.51.100.7");
	(void)mail("someone@example.com", NULL);
	(void)rcpt("u@example.com");
	ck_assert_int_eq(message(h, NULL), SMFIS_CONTINUE);
	ck_assert(stub_has(ctx, "addheader X-Gatepost-Spoof: envelope-from"));
	/* policyd logged and counted it: the milter does not again */
	ck_assert(!has_metric("rule=\"spoofing.envelope_from\""));
}
END_TEST

START_TEST(forged_headers_removed_highest_first)
{
	const char *h[] = {"From", "x@example.net", "X-Spam-Flag", "NO",
	    "Subject", "hi", "x-spam-flag", "NO", "X-Spam-Status", "No",
	    "X-Virus-Scanned", "clean", NULL};
	const char *op;
	size_t	 i, first = 0, second = 0;

	inbound("inbound");
	ck_assert_int_eq(message(h, NULL), SMFIS_CONTINUE);
	ck_assert(stub_has(ctx, "chgheader X-Spam-Status 1 (null)"));
	ck_assert(stub_has(ctx, "chgheader X-Virus-Scanned 1 (null)"));
	for (i = 0; (op = stub_op(ctx, i)) != NULL; i++) {
		if (strcmp(op, "chgheader x-spam-flag 2 (null)") == 0)
			first = i + 1;
		if (strcmp(op, "chgheader X-Spam-Flag 1 (null)") == 0)
			second = i + 1;
	}
	ck_assert_msg(first != 0 && second != 0 && first < second,
	    "index 2 must go before index 1");
	ck_assert_uint_eq(stub_count(ctx, "chgheader Subject"), 0);
}
END_TEST

START_TEST(outbound_keeps_spam_headers_strips_configured)
{
	const char *h[] = {"From", "Alice <alice@example.com>",
	    "X-Spam-Flag", "NO", "X-Originating-IP", "[10.1.2.3]",
	    "X-Internal-Host", "db1", NULL};

	(void)start("outbound", "10.1.2.3");
	(void)mail("alice@example.com", "alice");
	(void)rcpt("bob@example.org");
	ck_assert_int_eq(message(h, NULL), SMFIS_CONTINUE);
	ck_assert_uint_eq(stub_count(ctx, "chgheader X-Spam-Flag"), 0);
	ck_assert(stub_has(ctx, "chgheader X-Originating-IP 1 (null)"));
	ck_assert(stub_has(ctx, "chgheader X-Internal-Host 1 (null)"));
}
END_TEST

/* send_as.header_from: (header From values, want reply) */
static const struct send_as_case {
	const char *name;
	const char *from[3];
	sfsistat want;
} send_as_cases[] = {
	{"owned address", {"Alice <alice@example.com>"}, SMFIS_CONTINUE},
	{"owned domain, any case", {"ALICE@Sales.Example.COM"},
	    SMFIS_CONTINUE},
	{"not owned", {"Bob <bob@example.com>"}, SMFIS_REJECT},
	{"one of several not owned",
	    {"alice@example.com, bob@example.com"}, SMFIS_REJECT},
	{"second From field not owned", {"alice@example.com",
	    "bob@example.com"}, SMFIS_REJECT},
	{"missing From", {NULL}, SMFIS_REJECT},
	{"group hiding a foreign member",
	    {"Team: alice@example.com, eve@evil.example;"}, SMFIS_REJECT},
	{"unparseable part", {"alice@example.com, <<<@@@"}, SMFIS_REJECT},
	{"owned address in a comment is not enough",
	    {"eve@evil.example (alice@example.com)"}, SMFIS_REJECT},
};

START_TEST(outbound_send_as_header_from)
{
	const struct send_as_case *c = &send_as_cases[_i];
	sfsistat r;
	size_t	 i;

	(void)start("outbound", "10.1.2.3");
	(void)mail("alice@example.com", "alice");
	(void)rcpt("bob@example.org");
	stub_macro(ctx, "i", "4ABCDE");
	for (i = 0; i < 3 && c->from[i] != NULL; i++)
		(void)hdr("From", c->from[i]);
	(void)mf_cb_eoh(ctx);
	r = mf_cb_eom(ctx);
	ck_assert_msg(r == c->want, "%s: got %d, want %d", c->name, r,
	    c->want);
	if (c->want == SMFIS_REJECT)
		ck_assert(stub_has(ctx, "setreply 550 5.7.1 Header From not "
		    "owned by the authenticated user"));
}
END_TEST

START_TEST(archive_copy_once)
{
	const char *h[] = {"From", "x@example.net", NULL};

	inbound("inbound");
	ck_assert_int_eq(message(h, NULL), SMFIS_CONTINUE);
	ck_assert(stub_has(ctx, "addrcpt journal-in@example.com"));
	ck_assert(has_metric("gatepost_archive_copies_total{face=\"inbound\","
	    "direction=\"inbound\"} 1"));
	ck_assert(has_metric("gatepost_recipients_total{face=\"inbound\","
	    "direction=\"inbound\"} 1"));

	/* a second message on the connection, the journal already there */
	stub_clear(ctx);
	(void)mail("x@example.net", NULL);
	(void)rcpt("u@example.com");
	(void)rcpt("Journal-In@EXAMPLE.com");
	ck_assert_int_eq(message(h, NULL), SMFIS_CONTINUE);
	ck_assert_uint_eq(stub_count(ctx, "addrcpt"), 0);
	ck_assert(has_metric("gatepost_archive_copies_total{face=\"inbound\","
	    "direction=\"inbound\"} 1"));
	ck_assert(counted("inbound", "inbound", "accepted", 2));
}
END_TEST

START_TEST(monitor_mode_logs_but_accepts)
{
	ck_assert_int_eq(inbound_message("mon", "boss@example.com"),
	    SMFIS_CONTINUE);
	ck_assert(counted("mon", "inbound", "accepted", 1));
	ck_assert(has_metric("gatepost_rule_hits_total{face=\"mon\","
	    "rule=\"spoofing.header_from\",action=\"reject\","
	    "mode=\"monitor\"} 1"));
}
END_TEST

START_TEST(hold_quarantines)
{
	ck_assert_int_eq(inbound_message("held", "boss@example.com"),
	    SMFIS_CONTINUE);
	ck_assert(stub_has(ctx, "quarantine gatepost spoofing.header_from"));
	ck_assert(counted("held", "inbound", "held", 1));
}
END_TEST

START_TEST(unknown_instance_tempfails_at_first_reply)
{
	const char *h[] = {"From", "x@example.net", NULL};

	ck_assert_int_eq(start("nosuchface", "198.51.100.7"), SMFIS_NOREPLY);
	ck_assert_int_eq(mail("x@example.net", NULL), SMFIS_NOREPLY);
	(void)rcpt("u@example.com");
	ck_assert_int_eq(message(h, NULL), SMFIS_TEMPFAIL);
	ck_assert(stub_has(ctx, "setreply 451 4.3.5 Service not configured, "
	    "try again later"));
	ck_assert(has_metric("gatepost_messages_total{face=\"-\","
	    "direction=\"-\",action=\"tempfailed\"} 1"));
}
END_TEST

START_TEST(failed_change_tempfails)
{
	const char *h[] = {"From", "x@example.net", NULL};

	inbound("inbound");
	stub_fail(ctx, 1);
	ck_assert_int_eq(message(h, NULL), SMFIS_TEMPFAIL);
	ck_assert(has_metric("gatepost_rule_hits_total{face=\"inbound\","
	    "rule=\"internal\",action=\"tempfail\",mode=\"enforce\"} 1"));
}
END_TEST

START_TEST(no_state_tempfails)
{
	ck_assert_int_eq(mf_cb_eom(ctx), SMFIS_TEMPFAIL);
	ck_assert(stub_has(ctx, "setreply 451 4.3.0 Temporary local problem, "
	    "try again later"));
	ck_assert_int_eq(mf_cb_close(ctx), SMFIS_CONTINUE);
}
END_TEST

START_TEST(connections_counted_live)
{
	size_t	 before = mf_conn_live();

	(void)start("inbound", "198.51.100.7");
	ck_assert_uint_eq(mf_conn_live(), before + 1);
	(void)mf_cb_close(ctx);
	ck_assert_uint_eq(mf_conn_live(), before);
	ck_assert_ptr_null(mf_getpriv(ctx));
}
END_TEST

/* at milter.max_connections: refused at negotiation, counted, then back */
START_TEST(connections_over_cap_tempfail)
{
	char	 json[sizeof(cfg_gateway) + 64], *p;
	SMFICTX	*first = ctx, *extra;
	size_t	 before = mf_conn_live();

	(void)snprintf(json, sizeof(json), "%s", cfg_gateway);
	ck_assert_ptr_nonnull(p = strstr(json, "\"unix:/tmp/m.sock\"}"));
	(void)snprintf(p, sizeof(json) - (size_t)(p - json), "\"unix:/tmp/"
	    "m.sock\", \"max_connections\": %zu}}\n", before + 1);
	mf_cfg_set(unit_cfg(json, "test.json"));
	ck_assert_int_ne(start("inbound", "198.51.100.7"), SMFIS_TEMPFAIL);
	ctx = extra = stub_ctx_new();
	ck_assert_int_eq(negotiate(), SMFIS_TEMPFAIL);
	ck_assert_int_eq(negotiate(), SMFIS_TEMPFAIL);
	ck_assert_uint_eq(mf_conn_live(), before + 1);
	ck_assert(has_metric("gatepost_milter_connections_refused_total 2"));
	ck_assert_int_eq(mf_cb_close(extra), SMFIS_CONTINUE);
	stub_ctx_free(extra);
	/* below the cap again: the next connection is served */
	ctx = first;
	(void)mf_cb_close(ctx);
	ck_assert_uint_eq(mf_conn_live(), before);
	ck_assert_int_ne(start("inbound", "198.51.100.9"), SMFIS_TEMPFAIL);
	ck_assert(has_metric("gatepost_milter_connections_refused_total 2"));
}
END_TEST

START_TEST(reload_keeps_pinned_config)
{
	const char *h[] = {"From", "boss@example.com", NULL};

	(void)start("inbound", "198.51.100.7");
	/* a new config without the inbound face: this connection keeps its */
	mf_cfg_set(unit_cfg(cfg_alone, "test.json"));
	(void)mail("x@example.net", NULL);
	(void)rcpt("u@example.com");
	ck_assert_int_eq(message(h, NULL), SMFIS_REJECT);
	ck_assert(stub_has(ctx, "setreply 550 5.7.1 Header From in a local "
	    "domain not permitted from outside"));
}
END_TEST

START_TEST(plugin_sees_raw_message_and_decides)
{
	const char *h[] = {"From", "x@example.net", "Subject", "scan",
	    "X-Long", "a\n\tb", NULL};

	inbound("inbound");
	ck_assert_int_eq(message(h, "clean text\r\n"), SMFIS_CONTINUE);
	ck_assert_int_eq(t_started, 1);
	ck_assert_str_eq(t_raw, "From: x@example.net\r\nSubject: scan\r\n"
	    "X-Long: a\r\n\tb\r\n\r\nclean text\r\n");
	ck_assert(stub_has(ctx, "addheader X-Spam-Flag: NO"));

	stub_clear(ctx);
	(void)mail("x@example.net", NULL);
	(void)rcpt("u@example.com");
	ck_assert_int_eq(message(h, "buy spam now\r\n"), SMFIS_REJECT);
	ck_assert(stub_has(ctx, "setreply 550 5.7.1 Message content "
	    "rejected as spam"));
	(void)mf_cb_close(ctx);
	ck_assert_int_eq(t_finished, 2);
}
END_TEST

START_TEST(body_bytes_counted)
{
	const char *h[] = {"From", "x@example.net", NULL};

	(void)start("inbound", "198.51.100.7");
	ck_assert(neg_proto & SMFIP_NR_BODY);
	(void)mail("x@example.net", NULL);
	(void)rcpt("u@example.com");
	stub_macro(ctx, "i", "4ABCDE");
	(void)hdr(h[0], h[1]);
	(void)mf_cb_eoh(ctx);
	ck_assert_int_eq(body("0123456789"), SMFIS_NOREPLY);
	ck_assert_int_eq(mf_cb_eom(ctx), SMFIS_CONTINUE);
	/* "From: x@example.net\r\n" 21 + "\r\n" 2 + 10 */
	ck_assert(has_metric("gatepost_bytes_total{face=\"inbound\","
	    "direction=\"inbound\"} 33"));
}
END_TEST

START_TEST(milter_only_client_rejected_at_connect)
{
	ck_assert_int_eq(start("inbound", "203.0.113.9"), SMFIS_REJECT);
	ck_assert(stub_has(ctx, "setreply 550 5.7.1 Client host rejected: "
	    "not permitted on this service"));
}
END_TEST

START_TEST(milter_only_envelope_rules)
{
	ck_assert_int_eq(start("inbound", "198.51.100.7"), SMFIS_CONTINUE);
	ck_assert_int_eq(mail("x@example.net", "alice"), SMFIS_REJECT);
	ck_assert(counted("inbound", "inbound", "rejected", 1));
	ck_assert_int_eq(mail("ceo@example.com", NULL), SMFIS_REJECT);
	ck_assert_int_eq(mail("x@example.net", NULL), SMFIS_CONTINUE);
	ck_assert_int_eq(rcpt("victim@example.org"), SMFIS_REJECT);
	ck_assert_int_eq(rcpt("u@example.com"), SMFIS_CONTINUE);
	ck_assert_int_eq(mf_cb_abort(ctx), SMFIS_CONTINUE);
	/* every recipient refused, then RSET: one refused message */
	ck_assert_int_eq(mail("x@example.net", NULL), SMFIS_CONTINUE);
	ck_assert_int_eq(rcpt("victim@example.org"), SMFIS_REJECT);
	ck_assert_int_eq(mf_cb_abort(ctx), SMFIS_CONTINUE);
	ck_assert(counted("inbound", "inbound", "rejected", 3));
}
END_TEST

START_TEST(milter_only_unknown_instance_at_connect)
{
	struct sockaddr_in sa;

	ck_assert_int_eq(negotiate(), SMFIS_CONTINUE);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(0xc6336407);	/* 198.51.100.7 */
	stub_macro(ctx, "{daemon_name}", "other");
	stub_macro(ctx, "{daemon_addr}", "192.0.2.11");
	stub_macro(ctx, "{daemon_port}", "25");
	ck_assert_int_eq(mf_cb_connect(ctx, "[client]",
	    (struct sockaddr *)&sa), SMFIS_REJECT);
	ck_assert(stub_has(ctx, "setreply 550 5.7.1 Mail service not "
	    "configured for this address"));
}
END_TEST

START_TEST(milter_only_address_fallback)
{
	/* Postfix's default {daemon_name} is $myhostname: match.address */
	ck_assert_int_eq(start("mx.example.com", "198.51.100.7"),
	    SMFIS_CONTINUE);
}
END_TEST

static void
mf_cb_suite(Suite *s)
{
	TCase	*tc;

	tc = unit_tests(s, "negotiation", negotiate_policyd_site,
	    negotiate_asks_only_what_is_offered, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = unit_tests(s, "negotiation counting bytes",
	    negotiate_counting_bytes_streams_body, body_bytes_counted, NULL);
	tcase_add_checked_fixture(tc, setup_serving, teardown);
	tc = unit_tests(s, "header From rules and tags",
	    inbound_header_from_spoof_rejected,
	    inbound_encoded_from_spoof_rejected, display_name_spoof_tagged_once,
	    envelope_tag_from_policyd_applied, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, outbound_send_as_header_from, 0,
	    NELEM(send_as_cases));
	tcase_add_test(tc, monitor_mode_logs_but_accepts);
	tcase_add_test(tc, hold_quarantines);
	tc = unit_tests(s, "header hygiene and archive",
	    forged_headers_removed_highest_first,
	    outbound_keeps_spam_headers_strips_configured, archive_copy_once,
	    NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = unit_tests(s, "failures, instances, lifecycle",
	    unknown_instance_tempfails_at_first_reply, failed_change_tempfails,
	    no_state_tempfails, connections_counted_live,
	    connections_over_cap_tempfail, reload_keeps_pinned_config,
	    plugin_sees_raw_message_and_decides, NULL);
	tcase_add_checked_fixture(tc, setup, teardown);
	tc = unit_tests(s, "milter-only site",
	    negotiate_milter_only_replies_to_envelope,
	    milter_only_client_rejected_at_connect, milter_only_envelope_rules,
	    milter_only_unknown_instance_at_connect,
	    milter_only_address_fallback, NULL);
	tcase_add_checked_fixture(tc, setup_alone, teardown);
}

UNIT_MAIN("mf_cb", mf_cb_suite)
