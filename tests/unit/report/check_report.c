/* check_report.c - unit tests for lib/report/report.c and lib/report/report_sum.c */
#include "config.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mlog.h"
#include "report.h"
#include "unit.h"

#define MAXL		24

/* log line prefixes after "Nov 28 HH:MM:SS " */
#define IN	" gw postfix-inbound/smtpd[11]: "
#define IN2	" gw postfix-inbound/smtpd[12]: "
#define OUT	" gw postfix-outbound/smtpd[21]: "
#define CL	" gw postfix/cleanup[31]: "
#define QM	" gw postfix/qmgr[41]: "
#define RE	" gw postfix-reinject/smtpd[51]: "
#define PU	" gw postfix/pickup[61]: "
#define BO	" gw postfix/bounce[71]: "
#define SM	" gw postfix/smtp[81]: "
#define CLIENT	"client=mx.example.net[192.0.2.1]"
#define SASL	"client=app[10.1.2.3], sasl_method=PLAIN, sasl_username=alice"
#define FROM	"; from=<a@example.org> to=<b@example.com> proto=ESMTP helo=<x>"
#define SENT	"to=<b@example.com>, relay=x[127.0.0.1]:2526, delay=0.1, " \
		"dsn=2.0.0, status=sent (250 2.0.0 Ok)"

static const struct report_face faces[] = {
	{ "postfix-inbound", REPORT_INBOUND },
	{ "postfix-outbound", REPORT_OUTBOUND },
};

static void	report_suite(Suite *);
static struct report *feed(const char *const *, size_t, int64_t, int64_t);
static void	 totals(struct report *, char *, size_t);
static struct report *traffic(const char *const *, size_t);

/*
 * Each case feeds lines ("HH:MM:SS" + prefix + text, on Nov 28 2026)
 * and wants per direction messages/held/recipients/bytes/rejects for
 * the directions with anything, then re-injections, arrivals not in
 * the logs, unparseable and foreign line counts.
 */
static const struct msg_case {
	const char	*name;
	const char	*from, *to;	/* window, NULL: open */
	const char	*lines[MAXL];
	const char	*want;
} msg_cases[] = {
	{ "one inbound message", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:00" CL "A00001: message-id=<m1@x>",
	  "01:00:01" QM "A00001: from=<a@x>, size=1000, nrcpt=1 (queue active)",
	  "01:00:01" SM "A00001: " SENT,
	  "01:00:01" QM "A00001: removed",
	  "01:00:01" IN "disconnect from mx.example.net[192.0.2.1] commands=5",
	  }, "inbound=1/0/1/1000/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "many recipients: one message; a retry is not a second", NULL,
	  NULL, {
	  "01:00:00" OUT "A00001: " SASL,
	  "01:00:00" CL "A00001: message-id=<m1@x>",
	  "01:00:01" QM "A00001: from=<a@x>, size=2000, nrcpt=5 (queue active)",
	  "01:00:02" SM "A00001: to=<c@d>, relay=none, status=deferred (x)",
	  "01:10:02" QM "A00001: from=<a@x>, size=2000, nrcpt=2 (queue active)",
	  "01:10:03" QM "A00001: removed",
	  }, "outbound=1/0/5/2000/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "content filter re-injection counts once (Message-ID)", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:00" CL "A00001: message-id=<m1@x>",
	  "01:00:01" QM "A00001: from=<a@x>, size=1000, nrcpt=2 (queue active)",
	  "01:00:02" RE "B00001: client=localhost[127.0.0.1]",
	  "01:00:02" CL "B00001: message-id=<m1@x>",
	  "01:00:02" QM "B00001: from=<a@x>, size=1400, nrcpt=2 (queue active)",
	  "01:00:02" SM "A00001: to=<b@example.com>, relay=f[127.0.0.1]:10025, "
	      "status=sent (250 2.0.0 Ok: queued as B00001)",
	  "01:00:02" QM "A00001: removed",
	  "01:00:03" SM "B00001: " SENT,
	  "01:00:03" QM "B00001: removed",
	  }, "inbound=1/0/2/1000/0 reinj=1 noorig=0 bad=0 foreign=0" },
	{ "XFORWARD re-injection counts once", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:01" QM "A00001: from=<a@x>, size=1000, nrcpt=1 (queue active)",
	  "01:00:02" RE "B00001: client=mx.example.net[192.0.2.1], "
	      "orig_queue_id=A00001, orig_client=mx.example.net[192.0.2.1]",
	  "01:00:02" CL "B00001: message-id=<rewritten@filter>",
	  "01:00:02" QM "B00001: from=<a@x>, size=1400, nrcpt=1 (queue active)",
	  }, "inbound=1/0/1/1000/0 reinj=1 noorig=0 bad=0 foreign=0" },
	{ "another smtpd with a new Message-ID is other", NULL, NULL, {
	  "01:00:02" RE "C00001: client=localhost[127.0.0.1]",
	  "01:00:02" CL "C00001: message-id=<new@x>",
	  "01:00:02" QM "C00001: from=<a@x>, size=300, nrcpt=1 (queue active)",
	  }, "other=1/0/1/300/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "pickup is local; sendmail re-injection counts once", NULL, NULL, {
	  "01:00:00" OUT "A00001: " SASL,
	  "01:00:00" CL "A00001: message-id=<m2@x>",
	  "01:00:01" QM "A00001: from=<a@x>, size=800, nrcpt=1 (queue active)",
	  "01:00:02" PU "B00001: uid=0 from=<a@x>",
	  "01:00:02" CL "B00001: message-id=<m2@x>",
	  "01:00:02" QM "B00001: from=<a@x>, size=900, nrcpt=1 (queue active)",
	  "01:00:05" PU "C00001: uid=0 from=<root>",
	  "01:00:05" CL "C00001: message-id=<m3@x>",
	  "01:00:05" QM "C00001: from=<root>, size=200, nrcpt=1 (queue active)",
	  }, "outbound=1/0/1/800/0 local=1/0/1/200/0 reinj=1 noorig=0 bad=0 "
	  "foreign=0" },
	{ "a bounce is local", NULL, NULL, {
	  "01:00:02" CL "B00001: message-id=<bounce@gw>",
	  "01:00:02" BO "A00001: sender non-delivery notification: B00001",
	  "01:00:02" QM "B00001: from=<>, size=2500, nrcpt=1 (queue active)",
	  }, "local=1/0/1/2500/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "milter reject at end of message: a reject, not a message", NULL,
	  NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:00" CL "A00001: message-id=<m1@x>",
	  "01:00:01" CL "A00001: milter-reject: END-OF-MESSAGE from "
	      "mx[192.0.2.1]: 5.7.1 Message content rejected as spam" FROM,
	  "01:00:01" IN "disconnect from mx.example.net[192.0.2.1]",
	  }, "inbound=0/0/0/0/1 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "rejects at RCPT per face", NULL, NULL, {
	  "01:00:00" IN "NOQUEUE: reject: RCPT from mx[192.0.2.1]: 550 5.7.1 "
	      "<b@example.com>: Sender address rejected: Sender address in a "
	      "local domain not permitted from outside" FROM,
	  "01:00:00" OUT "NOQUEUE: reject: RCPT from app[10.1.2.3]: 450 4.7.1 "
	      "<b@example.com>: Recipient address rejected: Message rate limit "
	      "exceeded, try again later" FROM,
	  "01:00:01" OUT "NOQUEUE: reject: RCPT from app[10.1.2.3]: 450 4.7.1 "
	      "<c@example.com>: Recipient address rejected: Message rate limit "
	      "exceeded, try again later" FROM,
	  }, "inbound=0/0/0/0/1 outbound=0/0/0/0/2 reinj=0 noorig=0 bad=0 "
	  "foreign=0" },
	{ "policy HOLD counts held when the session ends", NULL, NULL, {
	  "01:00:00" OUT "NOQUEUE: hold: RCPT from app[10.1.2.3]: <b@x>: "
	      "Recipient address triggers HOLD action" FROM,
	  "01:00:00" OUT "A00001: " SASL,
	  "01:00:01" CL "A00001: message-id=<m1@x>",
	  "01:00:01" OUT "disconnect from app[10.1.2.3] commands=6",
	  }, "outbound=1/1/0/0/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "policy HOLD then a milter reject: not a message", NULL, NULL, {
	  "01:00:00" OUT "NOQUEUE: hold: RCPT from app[10.1.2.3]: <b@x>: "
	      "Recipient address triggers HOLD action" FROM,
	  "01:00:00" OUT "A00001: " SASL,
	  "01:00:01" CL "A00001: milter-reject: END-OF-MESSAGE from "
	      "app[10.1.2.3]: 5.7.1 Header From not owned by the "
	      "authenticated user" FROM,
	  "01:00:01" OUT "disconnect from app[10.1.2.3] commands=6",
	  }, "outbound=0/0/0/0/1 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "policy HOLD ends with the next transaction of the session", NULL,
	  NULL, {
	  "01:00:00" OUT "NOQUEUE: hold: RCPT from app[10.1.2.3]: <b@x>: "
	      "Recipient address triggers HOLD action" FROM,
	  "01:00:00" OUT "A00001: " SASL,
	  "01:00:01" OUT "B00001: " SASL,
	  "01:00:01" QM "B00001: from=<a@x>, size=700, nrcpt=1 (queue active)",
	  }, "outbound=2/1/1/700/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "policy HOLD pending at the end of the logs counts", NULL, NULL, {
	  "01:00:00" OUT "NOQUEUE: hold: RCPT from app[10.1.2.3]: <b@x>: "
	      "Recipient address triggers HOLD action" FROM,
	  "01:00:00" OUT "A00001: " SASL,
	  }, "outbound=1/1/0/0/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "milter hold, then released: held once, sized on release", NULL,
	  NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:01" CL "A00001: milter-hold: END-OF-MESSAGE from "
	      "mx[192.0.2.1]: milter triggers HOLD action" FROM,
	  "03:00:00" QM "A00001: from=<a@x>, size=500, nrcpt=1 (queue active)",
	  "03:00:01" QM "A00001: removed",
	  }, "inbound=1/1/1/500/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "header_checks hold in cleanup is final", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:01" CL "A00001: hold: header Subject: x from mx[192.0.2.1]"
	      FROM ": Held",
	  }, "inbound=1/1/0/0/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "arrival before the logs begin: other, noted", NULL, NULL, {
	  "00:00:01" QM "A00001: from=<a@x>, size=500, nrcpt=1 (queue active)",
	  "00:00:02" QM "A00001: removed",
	  }, "other=1/0/1/500/0 reinj=0 noorig=1 bad=0 foreign=0" },
	{ "interleaved transactions", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:00" IN2 "A00002: " CLIENT,
	  "01:00:00" OUT "A00003: " SASL,
	  "01:00:01" CL "A00002: message-id=<m2@x>",
	  "01:00:01" CL "A00003: message-id=<m3@x>",
	  "01:00:01" CL "A00001: message-id=<m1@x>",
	  "01:00:02" QM "A00003: from=<a@x>, size=30, nrcpt=3 (queue active)",
	  "01:00:02" QM "A00001: from=<a@x>, size=10, nrcpt=1 (queue active)",
	  "01:00:02" QM "A00002: from=<a@x>, size=20, nrcpt=2 (queue active)",
	  }, "inbound=2/0/3/30/0 outbound=1/0/3/30/0 reinj=0 noorig=0 bad=0 "
	  "foreign=0" },
	{ "a queue ID reused after removal is a new message", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:01" QM "A00001: from=<a@x>, size=10, nrcpt=1 (queue active)",
	  "01:00:02" QM "A00001: removed",
	  "05:00:00" OUT "A00001: " SASL,
	  "05:00:01" QM "A00001: from=<a@x>, size=20, nrcpt=1 (queue active)",
	  }, "inbound=1/0/1/10/0 outbound=1/0/1/20/0 reinj=0 noorig=0 bad=0 "
	  "foreign=0" },
	{ "a discarded message is not counted", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:01" CL "A00001: milter-discard: END-OF-MESSAGE from "
	      "mx[192.0.2.1]: milter triggers DISCARD action" FROM,
	  }, "reinj=0 noorig=0 bad=0 foreign=0" },
	{ "an abandoned transaction is not counted", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:01" IN "lost connection after DATA from mx[192.0.2.1]",
	  "01:00:01" IN "disconnect from mx[192.0.2.1] ehlo=1 mail=1 rcpt=1 "
	      "data=0/1 commands=3/4",
	  }, "reinj=0 noorig=0 bad=0 foreign=0" },
	{ "unparseable and foreign lines are counted, not fatal", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "garbage",
	  "01:00:00 gw postfix-inbou",
	  "01:00:00 gw CRON[5]: (root) CMD (true)",
	  "01:00:01" QM "A00001: from=<a@x>, size=10, nrcpt=1 (queue active)",
	  }, "inbound=1/0/1/10/0 reinj=0 noorig=0 bad=2 foreign=1" },
	{ "a reject in cleanup belongs to the message's face", NULL, NULL, {
	  "01:00:00" OUT "A00001: " SASL,
	  "01:00:01" CL "A00001: milter-reject: END-OF-MESSAGE from "
	      "app[10.1.2.3]: 4.7.1 Try again later" FROM,
	  }, "outbound=0/0/0/0/1 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "the window counts by arrival time", "2026-11-28 01:00",
	  "2026-11-28 02:00", {
	  "00:59:59" IN "A00001: " CLIENT,
	  "01:00:01" QM "A00001: from=<a@x>, size=10, nrcpt=1 (queue active)",
	  "01:30:00" IN "A00002: " CLIENT,
	  "01:30:01" QM "A00002: from=<a@x>, size=20, nrcpt=1 (queue active)",
	  "02:00:00" IN "A00003: " CLIENT,
	  "02:00:01" QM "A00003: from=<a@x>, size=40, nrcpt=1 (queue active)",
	  }, "inbound=1/0/1/20/0 reinj=0 noorig=0 bad=0 foreign=0" },
	{ "an arrival forgotten after an idle hour", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:30:00" IN "A00002: " CLIENT,
	  "02:30:00" IN "A00003: " CLIENT,
	  "02:45:00" QM "A00001: from=<a@x>, size=10, nrcpt=1 (queue active)",
	  }, "other=1/0/1/10/0 reinj=0 noorig=1 bad=0 foreign=0" },
	{ "a Message-ID seen again hours later is a new message", NULL, NULL, {
	  "01:00:00" IN "A00001: " CLIENT,
	  "01:00:00" CL "A00001: message-id=<m1@x>",
	  "01:00:01" QM "A00001: from=<a@x>, size=10, nrcpt=1 (queue active)",
	  "01:00:02" QM "A00001: removed",
	  "04:00:00" PU "B00001: uid=0 from=<a@x>",
	  "04:00:00" CL "B00001: message-id=<m1@x>",
	  "04:00:01" QM "B00001: from=<a@x>, size=10, nrcpt=1 (queue active)",
	  "04:20:00" PU "C00001: uid=0 from=<a@x>",
	  "04:20:00" CL "C00001: message-id=<m1@x>",
	  "04:20:01" QM "C00001: from=<a@x>, size=10, nrcpt=1 (queue active)",
	  }, "inbound=1/0/1/10/0 local=1/0/1/10/0 reinj=1 noorig=0 bad=0 "
	  "foreign=0" },
	{ "an address-verification probe is Postfix's own: local", NULL,
	  NULL, {
	  "01:00:00" CL "A00001: message-id=<20261128010000.A00001@gw>",
	  "01:00:00" QM "A00001: from=<double-bounce@gw.example.com>, "
	      "size=230, nrcpt=1 (queue active)",
	  "01:00:01" SM "A00001: to=<b@example.com>, relay=x[127.0.0.1]:2526, "
	      "delay=0.1, dsn=2.1.5, status=deliverable (250 2.1.5 Ok)",
	  "01:00:01" QM "A00001: removed",
	  "01:00:02" CL "A00002: message-id=<m2@x>",
	  "01:00:02" QM "A00002: from=<double-bouncer@x>, size=10, nrcpt=1 "
	      "(queue active)",
	  }, "local=1/0/1/230/0 other=1/0/1/10/0 reinj=0 noorig=1 bad=0 "
	  "foreign=0" },
};

/* feed - a report over lines "HH:MM:SS rest" of Nov 28 2026 */
static struct report *
feed(const char *const *lines, size_t n, int64_t from, int64_t to)
{
	struct report *r = report_new(faces, NELEM(faces), from, to);
	struct mlog_line ml;
	char	 buf[1024];
	size_t	 i;
	int	 rc;

	for (i = 0; i < n && lines[i] != NULL; i++) {
		(void)snprintf(buf, sizeof(buf), "Nov 28 %s", lines[i]);
		if (strncmp(lines[i], "garbage", 7) == 0)
			(void)snprintf(buf, sizeof(buf), "%s", lines[i]);
		rc = mlog_parse(buf, strlen(buf), unit_date("2026-11-28 23:59"),
		    &ml);
		report_feed(r, rc, &ml);
	}
	report_end(r);
	return r;
}

/* totals - "DIR=m/h/r/b/j ..." for directions with anything, and stats */
static void
totals(struct report *r, char *buf, size_t len)
{
	struct report_summary s[REPORT_NDIR];
	const struct report_stats *st = report_stats(r);
	const struct report_counts *c;
	size_t	 o = 0;
	int	 d;

	report_summary(r, 3600, s);
	buf[0] = '\0';
	for (d = 0; d < REPORT_NDIR; d++) {
		c = &s[d].total;
		if (c->messages + c->rejects + c->bytes == 0)
			continue;
		o += (size_t)snprintf(buf + o, len - o, "%s=%" PRIu64 "/%"
		    PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64 " ",
		    report_dir_name(d), c->messages, c->held, c->recipients,
		    c->bytes, c->rejects);
	}
	(void)snprintf(buf + o, len - o, "reinj=%" PRIu64 " noorig=%" PRIu64
	    " bad=%" PRIu64 " foreign=%" PRIu64, st->reinjected,
	    st->no_origin, st->unparseable, st->foreign);
}

START_TEST(messages)
{
	const struct msg_case *c = &msg_cases[_i];
	struct report *r;
	char	 got[512];

	r = feed(c->lines, MAXL, c->from ? unit_date(c->from) : INT64_MIN,
	    c->to ? unit_date(c->to) : INT64_MAX);
	totals(r, got, sizeof(got));
	ck_assert_msg(strcmp(got, c->want) == 0, "%s: got \"%s\", want \"%s\"",
	    c->name, got, c->want);
	report_free(r);
}
END_TEST

/* rejects by reason: normalized, merged, most frequent first */
START_TEST(reasons)
{
	static const char *const lines[] = {
	  "01:00:00" IN "NOQUEUE: reject: RCPT from a[192.0.2.1]: 554 5.7.1 "
	      "Service unavailable; Client host [192.0.2.1] blocked using "
	      "zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.1"
	      FROM,
	  "01:00:01" IN "NOQUEUE: reject: RCPT from b[192.0.2.2]: 554 5.7.1 "
	      "Service unavailable; Client host [192.0.2.2] blocked using "
	      "zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.2"
	      FROM,
	  "01:00:02" IN "NOQUEUE: reject: CONNECT from c[192.0.2.3]: 554 "
	      "5.7.1 c[192.0.2.3]: Client host rejected: Access denied" FROM,
	  "01:00:03" OUT "NOQUEUE: reject: RCPT from app[10.1.2.3]: 450 4.7.1 "
	      "<b@example.com>: Recipient address rejected: Message rate limit "
	      "exceeded, try again later" FROM,
	  "01:00:04" OUT "NOQUEUE: reject: RCPT from app[10.1.2.3]: 450 4.7.1 "
	      "<c@example.com>: Recipient address rejected: Message rate limit "
	      "exceeded, try again later" FROM,
	  "01:00:05" OUT "NOQUEUE: reject: RCPT from app[10.1.2.3]: 450 4.7.1 "
	      "<d@example.com>: Recipient address rejected: Message rate limit "
	      "exceeded, try again later" FROM,
	};
	static const struct {
		const char *dir, *code, *text;
		uint64_t count;
	} want[] = {
		{ "outbound", "450 4.7.1", "Recipient address rejected: "
		  "Message rate limit exceeded, try again later", 3 },
		{ "inbound", "554 5.7.1", "Service unavailable; Client host "
		  "[*] blocked using zen.spamhaus.org", 2 },
		{ "inbound", "554 5.7.1", "Client host rejected: Access denied",
		  1 },
	};
	const struct report_reason *rs;
	struct report *r = feed(lines, NELEM(lines), INT64_MIN, INT64_MAX);
	size_t	 i, n;

	rs = report_reasons(r, &n);
	ck_assert_msg(n == NELEM(want), "got %zu reasons, want %zu", n,
	    NELEM(want));
	for (i = 0; i < n; i++) {
		ck_assert_msg(strcmp(report_dir_name(rs[i].dir), want[i].dir)
		    == 0 && strcmp(rs[i].code, want[i].code) == 0 &&
		    strcmp(rs[i].text, want[i].text) == 0 &&
		    rs[i].count == want[i].count,
		    "reason %zu: got %s %s \"%s\" %" PRIu64 ", want %s %s "
		    "\"%s\" %" PRIu64, i, report_dir_name(rs[i].dir),
		    rs[i].code, rs[i].text, rs[i].count, want[i].dir,
		    want[i].code, want[i].text, want[i].count);
	}
	report_free(r);
}
END_TEST

/* beyond REPORT_MAX_REASONS distinct reasons the rest are "(other)" */
START_TEST(reasons_capped)
{
	struct report *r = report_new(faces, NELEM(faces), INT64_MIN,
	    INT64_MAX);
	const struct report_reason *rs;
	struct mlog_line ml;
	char	 buf[512];
	size_t	 i, n;

	for (i = 0; i < 1100; i++) {
		(void)snprintf(buf, sizeof(buf), "Nov 28 01:00:00" IN
		    "NOQUEUE: reject: RCPT from a[192.0.2.1]: 550 5.7.1 "
		    "<b@x>: Recipient address rejected: reason %zu" FROM, i);
		report_feed(r, mlog_parse(buf, strlen(buf),
		    unit_date("2026-11-28 23:59"), &ml), &ml);
	}
	report_end(r);
	rs = report_reasons(r, &n);
	ck_assert_msg(n == 1001, "got %zu reasons, want 1001", n);
	ck_assert_msg(strcmp(rs[0].text, "(other)") == 0 && rs[0].count ==
	    100, "first: got \"%s\" %" PRIu64 ", want \"(other)\" 100",
	    rs[0].text, rs[0].count);
	report_free(r);
}
END_TEST

/* messages at HH:MM:SS, one inbound each */
static struct report *
traffic(const char *const *times, size_t n)
{
	char	 (*lines)[160] = calloc(2 * n, sizeof(*lines));
	const char **pl = calloc(2 * n, sizeof(*pl));
	struct report *r;
	size_t	 i;

	for (i = 0; i < n; i++) {
		(void)snprintf(lines[2 * i], sizeof(lines[0]), "%s" IN
		    "A%05zu: " CLIENT, times[i], i);
		(void)snprintf(lines[2 * i + 1], sizeof(lines[0]), "%s" QM
		    "A%05zu: from=<a@x>, size=10, nrcpt=1 (queue active)",
		    times[i], i);
		pl[2 * i] = lines[2 * i];
		pl[2 * i + 1] = lines[2 * i + 1];
	}
	r = feed(pl, 2 * n, INT64_MIN, INT64_MAX);
	free(pl);
	free(lines);
	return r;
}

/* busiest hour, and growth between fully covered first/last hours */
START_TEST(peak_and_growth)
{
	static const char *const t[] = {
		"10:00:00", "10:30:00", "11:15:00", "12:00:00", "12:10:00",
		"12:20:00", "12:59:59",
	};
	struct report_summary s[REPORT_NDIR];
	struct report *r = traffic(t, NELEM(t));
	char	 a[32];

	report_summary(r, 3600, s);
	mlog_fmt(s[REPORT_INBOUND].peak_start, MLOG_FMT_MINUTE, a, sizeof(a));
	ck_assert_msg(s[REPORT_INBOUND].peak_messages == 4 &&
	    strcmp(a, "2026-11-28 12:00") == 0, "peak: got %s %" PRIu64
	    ", want 2026-11-28 12:00 4", a, s[REPORT_INBOUND].peak_messages);
	ck_assert_msg(s[REPORT_INBOUND].has_growth &&
	    s[REPORT_INBOUND].growth > 99.99 &&
	    s[REPORT_INBOUND].growth < 100.01, "growth: got %d %f, want "
	    "+100%%", s[REPORT_INBOUND].has_growth, s[REPORT_INBOUND].growth);
	ck_assert_msg(!s[REPORT_OUTBOUND].has_growth, "outbound: growth "
	    "without traffic");
	report_summary(r, 86400, s);
	ck_assert_msg(!s[REPORT_INBOUND].has_growth, "by day: one period "
	    "has no growth");
	ck_assert_msg(s[REPORT_INBOUND].total.messages == 7, "by day: got %"
	    PRIu64 " messages, want 7", s[REPORT_INBOUND].total.messages);
	report_free(r);
}
END_TEST

/* periods run from the first to the last line, gaps as zeros */
START_TEST(periods_with_gaps)
{
	static const char *const t[] = {
		"10:05:00", "10:06:00", "13:59:00",
	};
	static const uint64_t want[] = { 2, 0, 0, 1 };
	struct report *r = traffic(t, NELEM(t));
	struct report_summary s[REPORT_NDIR];
	struct report_bucket *p;
	char	 a[32];
	size_t	 i, n;

	p = report_periods(r, 3600, &n);
	ck_assert_msg(n == NELEM(want), "got %zu periods, want %zu", n,
	    NELEM(want));
	for (i = 0; i < n; i++) {
		mlog_fmt(p[i].start, MLOG_FMT_MINUTE, a, sizeof(a));
		ck_assert_msg(p[i].c[REPORT_INBOUND].messages == want[i],
		    "%s: got %" PRIu64 ", want %" PRIu64, a,
		    p[i].c[REPORT_INBOUND].messages, want[i]);
	}
	/* 10:00 is covered 55 minutes, 13:00 59: both count; 2 -> 1 */
	report_summary(r, 3600, s);
	ck_assert_msg(s[REPORT_INBOUND].has_growth, "no growth");
	free(p);
	report_free(r);
}
END_TEST

/* no input at all: no periods, no growth, nothing to divide by */
START_TEST(empty)
{
	struct report *r = report_new(faces, NELEM(faces), INT64_MIN,
	    INT64_MAX);
	struct report_summary s[REPORT_NDIR];
	size_t	 n;

	report_end(r);
	ck_assert_msg(report_periods(r, 3600, &n) == NULL && n == 0,
	    "got %zu periods, want none", n);
	report_summary(r, 3600, s);
	ck_assert_msg(s[REPORT_INBOUND].peak_messages == 0 &&
	    !s[REPORT_INBOUND].has_growth, "summary of nothing");
	(void)report_reasons(r, &n);
	ck_assert_msg(n == 0, "got %zu reasons", n);
	report_free(r);
}
END_TEST

static void
report_suite(Suite *s)
{
	unit_loop(s, "messages counted once per direction", messages,
	    NELEM(msg_cases));
	unit_tests(s, "reject reasons", reasons, reasons_capped, NULL);
	unit_tests(s, "periods, peak and growth", peak_and_growth,
	    periods_with_gaps, empty, NULL);
}

UNIT_MAIN("report", report_suite)
