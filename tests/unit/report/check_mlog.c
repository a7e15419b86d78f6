/* check_mlog.c - unit tests for lib/report/mlog.c */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlog.h"
#include "unit.h"

#define REF		"2026-11-28T12:00:00"	/* the file's mtime */

static void	mlog_suite(Suite *);
static void	 describe(const struct mlog_line *, char *, size_t);

/*
 * mlog_parse: want rc and, for rc >= 0, a description of the result:
 * "KIND TIME NAME/PROC[PID] QID" then the kind's fields.
 */
static const struct parse_case {
	const char	*name, *line, *ref;
	int		 rc;
	const char	*want;
} parse_cases[] = {
	{ "maillog_file client with SASL",
	  "Nov 28 01:38:03 sandbox postfix-out/smtpd[10340]: 3936D51022D: "
	  "client=unknown[127.0.0.1], sasl_method=PLAIN, "
	  "sasl_username=alice@sandbox.test", REF, 0,
	  "client 2026-11-28T01:38:03 postfix-out/smtpd[10340] 3936D51022D "
	  "sasl=alice@sandbox.test orig=" },
	{ "classic syslog, space-padded day",
	  "Nov  3 01:38:03 gw postfix-inbound/smtpd[7]: 0794851022A: "
	  "client=mx.example.net[192.0.2.1]", REF, 0,
	  "client 2026-11-03T01:38:03 postfix-inbound/smtpd[7] 0794851022A "
	  "sasl= orig=" },
	{ "maillog_file, zero-padded day",
	  "Nov 03 01:38:03 gw postfix/qmgr[9]: 0794851022A: removed", REF, 0,
	  "removed 2026-11-03T01:38:03 postfix/qmgr[9] 0794851022A" },
	{ "RFC 3339 with fraction and offset (offset ignored)",
	  "2026-11-28T02:15:39.123456+01:00 gw postfix/qmgr[92]: "
	  "0794851022A: from=<a@example.org>, size=449, nrcpt=3 "
	  "(queue active)", REF, 0,
	  "queued 2026-11-28T02:15:39.123456 postfix/qmgr[92] 0794851022A "
	  "size=449 "
	  "nrcpt=3" },
	{ "RFC 3339 UTC, offset without colon",
	  "2026-11-28T02:15:39Z gw postfix/qmgr[92]: 0794851022A: removed",
	  REF, 0, "removed 2026-11-28T02:15:39 postfix/qmgr[92] 0794851022A" },
	{ "RFC 3339 +0100",
	  "2026-11-28T02:15:39-0500 gw postfix/qmgr[92]: 0794851022A: removed",
	  REF, 0, "removed 2026-11-28T02:15:39 postfix/qmgr[92] 0794851022A" },
	{ "classic stamp with a fraction (rsyslog high precision off)",
	  "Nov 28 01:38:03.5 gw postfix/qmgr[9]: 0794851022A: removed", REF,
	  0, "removed 2026-11-28T01:38:03.500000 postfix/qmgr[9] 0794851022A" },
	{ "CRLF line end",
	  "Nov 28 01:38:03 gw postfix/qmgr[9]: 0794851022A: removed\r\n", REF,
	  0, "removed 2026-11-28T01:38:03 postfix/qmgr[9] 0794851022A" },
	{ "year: December seen in January is last year",
	  "Dec 31 23:59:59 gw postfix/qmgr[9]: 0794851022A: removed",
	  "2027-01-02T00:10:00", 0,
	  "removed 2026-12-31T23:59:59 postfix/qmgr[9] 0794851022A" },
	{ "year: tomorrow is still this year (clock skew)",
	  "Nov 29 01:00:00 gw postfix/qmgr[9]: 0794851022A: removed", REF, 0,
	  "removed 2026-11-29T01:00:00 postfix/qmgr[9] 0794851022A" },
	{ "message-id",
	  "Nov 28 01:38:03 gw postfix/cleanup[1]: 0794851022A: "
	  "message-id=<20261128013802.010308@vm>", REF, 0,
	  "msgid 2026-11-28T01:38:03 postfix/cleanup[1] 0794851022A "
	  "id=<20261128013802.010308@vm>" },
	{ "empty message-id",
	  "Nov 28 01:38:03 gw postfix/cleanup[1]: 0794851022A: message-id=",
	  REF, 0, "msgid 2026-11-28T01:38:03 postfix/cleanup[1] 0794851022A "
	  "id=" },
	{ "NOQUEUE reject at RCPT",
	  "Nov 28 01:38:03 sandbox postfix-out/smtpd[10340]: NOQUEUE: reject: "
	  "RCPT from unknown[127.0.0.1]: 554 5.7.1 <victim@example.com>: "
	  "Recipient address rejected: Access denied; from=<d@example.net> "
	  "to=<victim@example.com> proto=ESMTP helo=<app1.example.net>", REF,
	  0, "reject 2026-11-28T01:38:03 postfix-out/smtpd[10340] - "
	  "stage=RCPT code=554 5.7.1 reason=<victim@example.com>: Recipient "
	  "address rejected: Access denied" },
	{ "reject from an IPv6 client, '; from=<' in the text",
	  "Nov 28 01:38:03 gw postfix-inbound/smtpd[5]: NOQUEUE: reject: "
	  "MAIL from x[2001:db8::1]: 450 4.7.1 <a@b>: Sender address "
	  "rejected: odd; from=<y>; from=<a@b> proto=ESMTP helo=<x>", REF, 0,
	  "reject 2026-11-28T01:38:03 postfix-inbound/smtpd[5] - stage=MAIL "
	  "code=450 4.7.1 reason=<a@b>: Sender address rejected: odd; "
	  "from=<y>" },
	{ "milter-reject at end of message, no 3-digit code",
	  "Nov 28 01:38:03 gw postfix/cleanup[1]: 0794851022A: milter-reject: "
	  "END-OF-MESSAGE from unknown[127.0.0.1]: 5.7.1 Header From in a "
	  "local domain not permitted from outside; from=<a@example.org> "
	  "to=<b@example.com> proto=ESMTP helo=<x>", REF, 0,
	  "reject 2026-11-28T01:38:03 postfix/cleanup[1] 0794851022A milter "
	  "stage=END-OF-MESSAGE code=5.7.1 reason=Header From in a local "
	  "domain not permitted from outside" },
	{ "milter tempfail",
	  "Nov 28 01:38:03 gw postfix/cleanup[1]: 0794851022A: milter-reject: "
	  "END-OF-MESSAGE from unknown[127.0.0.1]: 4.7.1 Service "
	  "unavailable - try again later; from=<a@b> to=<c@d> proto=ESMTP "
	  "helo=<x>", REF, 0,
	  "reject 2026-11-28T01:38:03 postfix/cleanup[1] 0794851022A milter "
	  "stage=END-OF-MESSAGE code=4.7.1 reason=Service unavailable - try "
	  "again later" },
	{ "header_checks reject",
	  "Nov 28 01:38:03 gw postfix/cleanup[1]: 0794851022A: reject: header "
	  "Subject: buy now from x[192.0.2.1]; from=<a@b> to=<c@d> "
	  "proto=ESMTP helo=<x>: 5.7.1 Spam not welcome", REF, 0,
	  "reject 2026-11-28T01:38:03 postfix/cleanup[1] 0794851022A "
	  "stage=header code=5.7.1 reason=Spam not welcome" },
	{ "policy HOLD before the queue ID",
	  "Nov 28 01:38:03 gw postfix-outbound/smtpd[3]: NOQUEUE: hold: RCPT "
	  "from x[10.1.2.3]: <b@example.net>: Recipient address triggers "
	  "HOLD action; from=<a@example.com> to=<b@example.net> proto=ESMTP "
	  "helo=<x>", REF, 0,
	  "hold 2026-11-28T01:38:03 postfix-outbound/smtpd[3] - stage=RCPT" },
	{ "milter hold",
	  "Nov 28 01:38:03 gw postfix/cleanup[1]: 0794851022A: milter-hold: "
	  "END-OF-MESSAGE from x[10.1.2.3]: milter triggers HOLD action; "
	  "from=<a@b> to=<c@d> proto=ESMTP helo=<x>", REF, 0,
	  "hold 2026-11-28T01:38:03 postfix/cleanup[1] 0794851022A milter "
	  "stage=END-OF-MESSAGE" },
	{ "milter discard",
	  "Nov 28 01:38:03 gw postfix/cleanup[1]: 0794851022A: "
	  "milter-discard: END-OF-MESSAGE from x[10.1.2.3]: milter triggers "
	  "DISCARD action; from=<a@b> to=<c@d> proto=ESMTP helo=<x>", REF, 0,
	  "discard 2026-11-28T01:38:03 postfix/cleanup[1] 0794851022A milter "
	  "stage=END-OF-MESSAGE" },
	{ "pickup",
	  "Nov 28 01:38:03 gw postfix/pickup[4]: 0794851022A: uid=0 "
	  "from=<root>", REF, 0,
	  "pickup 2026-11-28T01:38:03 postfix/pickup[4] 0794851022A" },
	{ "bounce notification",
	  "Nov 28 01:38:03 gw postfix/bounce[8]: 0794851022A: sender "
	  "non-delivery notification: 1A2B3C4D5E", REF, 0,
	  "notify 2026-11-28T01:38:03 postfix/bounce[8] 0794851022A "
	  "new=1A2B3C4D5E" },
	{ "XFORWARD re-injection",
	  "Nov 28 01:38:03 gw postfix-reinject/smtpd[6]: 1A2B3C4D5E: "
	  "client=mx.example.net[192.0.2.1], orig_queue_id=0794851022A, "
	  "orig_client=mx.example.net[192.0.2.1]", REF, 0,
	  "client 2026-11-28T01:38:03 postfix-reinject/smtpd[6] 1A2B3C4D5E "
	  "sasl= orig=0794851022A" },
	{ "disconnect",
	  "Nov 28 01:38:03 gw postfix-in/smtpd[10309]: disconnect from "
	  "unknown[127.0.0.1] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
	  REF, 0, "disconnect 2026-11-28T01:38:03 postfix-in/smtpd[10309] -" },
	{ "long queue ID",
	  "Nov 28 01:38:03 gw postfix/qmgr[9]: 4Bkq0M3fSbz1xWB: removed", REF,
	  0, "removed 2026-11-28T01:38:03 postfix/qmgr[9] 4Bkq0M3fSbz1xWB" },
	{ "submission service: syslog_name with a slash",
	  "Nov 28 01:38:03 gw postfix/submission/smtpd[2]: 0794851022A: "
	  "client=x[10.0.0.1]", REF, 0,
	  "client 2026-11-28T01:38:03 postfix/submission/smtpd[2] "
	  "0794851022A sasl= orig=" },
	{ "warning is no queue ID",
	  "Nov 28 01:38:03 gw postfix-out/smtpd[1]: warning: unknown[127.0.0.1]"
	  ": SASL LOGIN authentication failed: authentication failure", REF, 0,
	  "none 2026-11-28T01:38:03 postfix-out/smtpd[1] -" },
	{ "anvil statistics is no queue ID",
	  "Nov 28 01:38:03 gw postfix/anvil[1]: statistics: max connection "
	  "rate 1/60s for (smtp:127.0.0.1) at Nov 28 01:38:03", REF, 0,
	  "none 2026-11-28T01:38:03 postfix/anvil[1] -" },
	{ "expired: a from= line that is not queueing",
	  "Nov 28 01:38:03 gw postfix/qmgr[9]: 0794851022A: from=<a@b>, "
	  "status=expired, returned to sender", REF, 0,
	  "none 2026-11-28T01:38:03 postfix/qmgr[9] 0794851022A" },
	{ "delivery line is not used",
	  "Nov 28 01:38:03 gw postfix/smtp[1]: 0794851022A: to=<b@c>, "
	  "relay=x[127.0.0.1]:2526, delay=0.01, dsn=2.0.0, status=sent (250 "
	  "2.0.0 Ok)", REF, 0,
	  "none 2026-11-28T01:38:03 postfix/smtp[1] 0794851022A" },
	{ "a program without [pid]",
	  "Nov 28 01:38:03 gw postfix/postfix-script: starting the Postfix "
	  "mail system", REF, 0, "none 2026-11-28T01:38:03 "
	  "postfix/postfix-script[0] -" },
	{ "another program", "Nov 28 01:38:03 gw CRON[123]: (root) CMD (x)",
	  REF, 1, "none 2026-11-28T01:38:03 /CRON[123] -" },
	{ "gatepost's own log line is another program",
	  "Nov 28 01:38:03 gw gatepost-milter[77]: 0794851022A: "
	  "instance=inbound direction=inbound rule=spam action=reject", REF, 1,
	  "none 2026-11-28T01:38:03 /gatepost-milter[77] -" },
	{ "empty line", "", REF, -1, NULL },
	{ "truncated in the stamp", "Nov 28 01:3", REF, -1, NULL },
	{ "truncated in the program",
	  "Nov 28 01:38:03 sandbox postfix-in/smt", REF, -1, NULL },
	{ "truncated after the host", "Nov 28 01:38:03 sandbox", REF, -1,
	  NULL },
	{ "bad month", "Foo 28 01:38:03 gw postfix/qmgr[9]: X: removed", REF,
	  -1, NULL },
	{ "bad hour", "Nov 28 25:38:03 gw postfix/qmgr[9]: X: removed", REF,
	  -1, NULL },
	{ "bad RFC 3339 month",
	  "2026-13-28T02:15:39Z gw postfix/qmgr[92]: X: removed", REF, -1,
	  NULL },
	{ "binary garbage", "\x01\x02\xff\xfe garbage", REF, -1, NULL },
};

START_TEST(parse)
{
	const struct parse_case *c = &parse_cases[_i];
	struct mlog_line ml;
	char	 got[512];
	int	 rc;

	rc = mlog_parse(c->line, strlen(c->line), unit_date(c->ref), &ml);
	ck_assert_msg(rc == c->rc, "%s: got %d, want %d", c->name, rc, c->rc);
	if (c->want == NULL)
		return;
	describe(&ml, got, sizeof(got));
	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got \"%s\", want \"%s\"",
	    c->name, got, c->want);
}
END_TEST

/* describe - the parse result as one comparable string */
static void
describe(const struct mlog_line *l, char *buf, size_t len)
{
	static const char *const kinds[] = {
		"none", "client", "pickup", "msgid", "queued", "removed",
		"reject", "hold", "discard", "notify", "disconnect"
	};
	char	 t[32];
	int	 n;

	mlog_fmt(l->time, MLOG_FMT_ISO, t, sizeof(t));
	if (l->usec != 0)
		(void)snprintf(t + strlen(t), sizeof(t) - strlen(t), ".%06ld",
		    l->usec);
	n = snprintf(buf, len, "%s %s %.*s/%.*s[%lu] %.*s%s", kinds[l->kind],
	    t, (int)l->syslog_name.len, l->syslog_name.p, (int)l->process.len,
	    l->process.p, l->pid, (int)l->queue_id.len, l->queue_id.p,
	    l->queue_id.len ? "" : "-");
	if (n < 0 || (size_t)n >= len)
		return;
	buf += n;
	len -= (size_t)n;
	if (l->kind == MLOG_CLIENT)
		(void)snprintf(buf, len, " sasl=%.*s orig=%.*s",
		    (int)l->sasl_username.len, l->sasl_username.p,
		    (int)l->orig_queue_id.len, l->orig_queue_id.p);
	else if (l->kind == MLOG_QUEUED)
		(void)snprintf(buf, len, " size=%llu nrcpt=%lu",
		    (unsigned long long)l->size, l->nrcpt);
	else if (l->kind == MLOG_MSGID)
		(void)snprintf(buf, len, " id=%.*s", (int)l->message_id.len,
		    l->message_id.p);
	else if (l->kind == MLOG_NOTIFY)
		(void)snprintf(buf, len, " new=%.*s",
		    (int)l->new_queue_id.len, l->new_queue_id.p);
	else if (l->kind == MLOG_REJECT)
		(void)snprintf(buf, len, "%s stage=%.*s code=%.*s reason=%.*s",
		    l->milter ? " milter" : "", (int)l->stage.len, l->stage.p,
		    (int)l->code.len, l->code.p, (int)l->reason.len,
		    l->reason.p);
	else if (l->kind == MLOG_HOLD || l->kind == MLOG_DISCARD)
		(void)snprintf(buf, len, "%s stage=%.*s",
		    l->milter ? " milter" : "", (int)l->stage.len, l->stage.p);
}

/* mlog_parse_date: want rc and the ISO form */
static const struct date_case {
	const char	*name, *in;
	int		 rc, has_time;
	const char	*iso;
} date_cases[] = {
	{ "date", "2026-11-28", 0, 0, "2026-11-28T00:00:00" },
	{ "date and minute", "2026-11-28 14:05", 0, 1, "2026-11-28T14:05:00" },
	{ "ISO with seconds", "2026-11-28T14:05:09", 0, 1,
	  "2026-11-28T14:05:09" },
	{ "leap day", "2028-02-29", 0, 0, "2028-02-29T00:00:00" },
	{ "epoch", "1970-01-01", 0, 0, "1970-01-01T00:00:00" },
	{ "before the epoch", "1969-12-31 23:59", 0, 1,
	  "1969-12-31T23:59:00" },
	{ "bad month", "2026-13-01", -1, 0, NULL },
	{ "no dashes", "20261128", -1, 0, NULL },
	{ "trailing junk", "2026-11-28x", -1, 0, NULL },
	{ "hour only", "2026-11-28 14", -1, 0, NULL },
	{ "empty", "", -1, 0, NULL },
};

START_TEST(parse_date)
{
	const struct date_case *c = &date_cases[_i];
	int64_t	 t = 0;
	char	 got[32];
	int	 has_time = -1, rc;

	rc = mlog_parse_date(c->in, &t, &has_time);
	ck_assert_msg(rc == c->rc, "%s: got %d, want %d", c->name, rc, c->rc);
	if (rc != 0)
		return;
	mlog_fmt(t, MLOG_FMT_ISO, got, sizeof(got));
	ck_assert_msg(strcmp(got, c->iso) == 0, "%s: got %s, want %s",
	    c->name, got, c->iso);
	ck_assert_msg(has_time == c->has_time, "%s: has_time got %d, want %d",
	    c->name, has_time, c->has_time);
}
END_TEST

/* mlog_civil inverts mlog_mktime over four centuries of days */
START_TEST(civil_roundtrip)
{
	int64_t	 t;
	int	 y, mo, d, h, mi, s;

	for (t = -86400LL * 365 * 200; t < 86400LL * 365 * 200;
	    t += 86400 + 3661) {
		mlog_civil(t, &y, &mo, &d, &h, &mi, &s);
		ck_assert_msg(mlog_mktime(y, mo, d, h, mi, s) == t,
		    "%lld: got %04d-%02d-%02d %02d:%02d:%02d", (long long)t,
		    y, mo, d, h, mi, s);
	}
}
END_TEST

static void
mlog_suite(Suite *s)
{
	TCase	*tc;

	unit_loop(s, "log lines", parse, NELEM(parse_cases));
	tc = unit_loop(s, "dates", parse_date, NELEM(date_cases));
	tcase_add_test(tc, civil_roundtrip);
}

UNIT_MAIN("mlog", mlog_suite)
