/*
 * check_scan_job.c - the scan job API around the engines: header
 * hygiene, misuse, max_size, server specs, metrics.
 *
 * With arguments it is a driver for the integration tests, which scan
 * through the real daemons (tests/integration/t_scanners_direct):
 *
 *	check_scan_job --scan ENGINE SERVER FILE [KEY=VALUE ...]
 *
 * KEY is timeout_ms, max_size, chunk (bytes per write), tag, hold,
 * reject, on_error (tempfail, accept), action (reject, hold), oversize
 * (truncate, tag, accept, reject), sender, rcpt, ip, helo.  It prints two lines, "verdict ..." and "outcome ...",
 * whose KEY=VALUE fields the test reads.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "milter/scan.h"
#include "milter/scan_sock.h"
#include "scan_policy.h"
#include "scan_stub.h"
#include "unit.h"

#define L(s)		s, sizeof(s) - 1
#define FULL		SIZE_MAX

struct drv {				/* driver settings */
	struct cfg_scan s;
	struct scan_env e;
	const char *rcpt;
	size_t	 chunk;
};

static const char *const rcpts[] = { "b@example.com" };
static const struct scan_env env = {
	"4ABC123", "192.0.2.1", "mx.example.net", "helo.example.net",
	"a@example.com", rcpts, 1, NULL
};
static const char msg[] = "Subject: t\r\n\r\nhello\r\n";

static void block(struct cfg_scan *, enum cfg_engine, const char *,
	    unsigned);
static int drv_opt(struct drv *, const char *);
static int driver(int, char **);
static void scan_job_suite(Suite *);

/* block - a config block for an engine at a server */
static void
block(struct cfg_scan *s, enum cfg_engine e, const char *server,
    unsigned timeout_ms)
{
	scan_stub_block(s, e, server, timeout_ms, 1 << 20);
}

/* envelope values cannot inject protocol headers; misuse is an error */
START_TEST(hygiene_and_misuse)
{
	static const char *const bad_rcpt[] = { "x@y\r\nIP: 10.0.0.1" };
	struct scan_env e = env;
	struct scan_stub st;
	struct cfg_scan s;
	struct scan_verdict v;
	struct scan_job *j;
	static char got[4096];
	double	 secs;

	e.rcpts = bad_rcpt;
	e.n_rcpts = 1;
	ck_assert_int_eq(scan_stub_start(&st, 0, SCAN_STUB_SILENT, FULL,
	    L(""), 0), 0);
	block(&s, CFG_ENG_RSPAMD, st.server, 300);
	j = scan_begin(&s, &e, 10);
	ck_assert_int_eq(scan_write(j, "0123456789x", 11), -1);
	ck_assert_int_eq(scan_write(j, "0", 1), -1);	/* sticky */
	scan_finish(j, &v, &secs);
	(void)scan_stub_stop(&st, got, sizeof(got) - 1, NULL);
	ck_assert_msg(strstr(got, "Rcpt: <x@y??IP: 10.0.0.1>\r\n") != NULL,
	    "got %s", got);
	ck_assert_msg(strstr(v.why, "longer than announced"), "%s", v.why);
	ck_assert_int_eq(scan_stub_start(&st, 0, SCAN_STUB_SILENT, FULL,
	    L(""), 0), 0);
	block(&s, CFG_ENG_SPAMD, st.server, 300);
	j = scan_begin(&s, &env, 10);
	ck_assert_int_eq(scan_write(j, "01234", 5), 0);
	scan_finish(j, &v, &secs);
	(void)scan_stub_stop(&st, NULL, 0, NULL);
	ck_assert_msg(strstr(v.why, "shorter than announced"), "%s", v.why);
	scan_abort(scan_begin(&s, &env, 10));
	scan_abort(NULL);
}
END_TEST

/* over max_size: skipped without contacting the scanner */
START_TEST(oversize_not_sent)
{
	struct scan_stub st;
	struct cfg_scan s;
	struct scan_verdict v;
	struct scan_job *j;
	unsigned conns = 99;
	double	 secs;

	ck_assert_int_eq(scan_stub_start(&st, 0, SCAN_STUB_REPLY, FULL,
	    L("stream: OK\0"), 0), 0);
	block(&s, CFG_ENG_CLAMD, st.server, 600);
	s.max_size = sizeof(msg) - 2;
	j = scan_begin(&s, &env, sizeof(msg) - 1);
	ck_assert_int_eq(scan_write(j, msg, sizeof(msg) - 1), -1);
	scan_finish(j, &v, &secs);
	ck_assert(secs == 0);
	ck_assert_int_eq(scan_stub_stop(&st, NULL, 0, &conns), 0);
	ck_assert_int_eq(conns, 0);
	ck_assert_int_eq(v.result, SCAN_SKIPPED_SIZE);
}
END_TEST

/* metrics: the families exist and count; a zero struct is a no-op */
START_TEST(metrics)
{
	struct metrics *reg = metrics_new();
	struct scan_metrics m, none;
	char	*text;
	size_t	 len;

	memset(&none, 0, sizeof(none));
	scan_metrics_count(&none, "inbound", CFG_ENG_SPAMD, "spam", 0.1);
	scan_metrics_init(&m, reg);
	scan_metrics_count(&m, "inbound", CFG_ENG_SPAMD, "spam", 0.2);
	scan_metrics_count(&m, "inbound", CFG_ENG_CLAMD, "skipped_size", 0);
	text = metrics_render(reg, &len);
	ck_assert_ptr_nonnull(strstr(text, "gatepost_scans_total{face=\""
	    "inbound\",engine=\"spamd\",result=\"spam\"} 1"));
	ck_assert_ptr_nonnull(strstr(text, "gatepost_scans_total{face=\""
	    "inbound\",engine=\"clamd\",result=\"skipped_size\"} 1"));
	ck_assert_ptr_nonnull(strstr(text,
	    "gatepost_scan_seconds_count{engine=\"spamd\"} 1"));
	ck_assert_ptr_null(strstr(text, "gatepost_scan_seconds_count{engine="
	    "\"clamd\"}"));
	free(text);
	metrics_free(reg);
}
END_TEST

/* server specs: addresses, localhost and unix paths; names refused */
static const struct server_case {
	const char *in;
	int	 rc, family;
} server_cases[] = {
	{ "127.0.0.1:783", 0, AF_INET }, { "localhost:11333", 0, AF_INET },
	{ "[::1]:3310", 0, AF_INET6 }, { "[2001:db8::1]:1", 0, AF_INET6 },
	{ "unix:/run/clamav/clamd.ctl", 0, AF_UNIX },
	{ "spamd.example.net:783", -1, 0 }, { "127.0.0.1", -1, 0 },
	{ "127.0.0.1:0", -1, 0 }, { "127.0.0.1:65536", -1, 0 },
	{ "127.0.0.1:+5", -1, 0 }, { ":783", -1, 0 }, { "[::1:783", -1, 0 },
	{ "::1:783", -1, 0 }, { "unix:relative.sock", -1, 0 },
	{ "unix:", -1, 0 }, { "", -1, 0 },
};

START_TEST(server_specs)
{
	const struct server_case *c = &server_cases[_i];
	struct sockaddr_storage ss;
	socklen_t len;
	char	 why[128];
	int	 rc;

	rc = scan_server_parse(c->in, &ss, &len, why, sizeof(why));
	ck_assert_msg(rc == c->rc, "\"%s\": got %d, want %d", c->in, rc,
	    c->rc);
	ck_assert_msg(rc != 0 || ss.ss_family == c->family,
	    "\"%s\": got family %d, want %d", c->in, ss.ss_family, c->family);
}
END_TEST

static void
scan_job_suite(Suite *s)
{
	TCase	*tc;

	tc = unit_tests(s, "job API", hygiene_and_misuse, oversize_not_sent,
	    NULL);
	tcase_add_loop_test(tc, server_specs, 0, NELEM(server_cases));
	unit_one(s, "metrics families", metrics);
}

/* drv_opt - one KEY=VALUE driver setting; -1 if unknown */
static int
drv_opt(struct drv *d, const char *kv)
{
	const char *v = strchr(kv, '=');
	size_t	 k = v != NULL ? (size_t)(v - kv) : 0;

	if (v++ == NULL)
		return -1;
#define KEY(name)	(k == sizeof(name) - 1 && strncmp(kv, name, k) == 0)
	if (KEY("timeout_ms"))
		d->s.timeout_ms = (unsigned)strtoul(v, NULL, 10);
	else if (KEY("max_size"))
		d->s.max_size = strtoul(v, NULL, 10);
	else if (KEY("chunk"))
		d->chunk = strtoul(v, NULL, 10);
	else if (KEY("tag"))
		d->s.tag_score = strtod(v, NULL);
	else if (KEY("hold")) {
		d->s.has_hold_score = 1;
		d->s.hold_score = strtod(v, NULL);
	} else if (KEY("reject")) {
		d->s.has_reject_score = 1;
		d->s.reject_score = strtod(v, NULL);
	} else if (KEY("on_error"))
		d->s.on_error = strcmp(v, "accept") == 0 ? CFG_ACT_ACCEPT :
		    CFG_ACT_TEMPFAIL;
	else if (KEY("action"))
		d->s.action = strcmp(v, "hold") == 0 ? CFG_ACT_HOLD :
		    CFG_ACT_REJECT;
	else if (KEY("oversize"))
		d->s.oversize = strcmp(v, "accept") == 0 ?
		    CFG_OVERSIZE_ACCEPT : strcmp(v, "tag") == 0 ?
		    CFG_OVERSIZE_TAG : strcmp(v, "reject") == 0 ?
		    CFG_OVERSIZE_REJECT : CFG_OVERSIZE_TRUNCATE;
	else if (KEY("sender"))
		d->e.sender = v;
	else if (KEY("rcpt")) {
		d->rcpt = v;
		d->e.rcpts = &d->rcpt;
		d->e.n_rcpts = 1;
	} else if (KEY("ip"))
		d->e.client_addr = v;
	else if (KEY("helo"))
		d->e.helo = v;
	else
		return -1;
#undef KEY
	return 0;
}

/* driver - one scan through a real daemon, printed for a script */
static int
driver(int argc, char **argv)
{
	static const char *engines[] = { "spamd", "rspamd", "clamd" };
	struct drv d;
	struct scan_verdict v;
	struct scan_outcome o;
	struct scan_job *j;
	size_t	 len, off, n;
	char	*m;
	double	 secs;
	int	 i, e = -1;

	for (i = 0; argc >= 5 && i < 3; i++)
		if (strcmp(argv[2], engines[i]) == 0)
			e = i;
	if (argc < 5 || strcmp(argv[1], "--scan") != 0 || e < 0 ||
	    (m = unit_slurp(argv[4], &len)) == NULL) {
		fprintf(stderr, "usage: %s --scan spamd|rspamd|clamd SERVER "
		    "FILE [KEY=VALUE ...]\n", argv[0]);
		return 2;
	}
	memset(&d, 0, sizeof(d));
	block(&d.s, (enum cfg_engine)e, argv[3], 10000);
	d.s.max_size = 64 << 20;
	d.e = env;
	d.chunk = 65536;
	for (i = 5; i < argc; i++)
		if (drv_opt(&d, argv[i]) != 0) {
			fprintf(stderr, "unknown setting %s\n", argv[i]);
			return 2;
		}
	j = scan_begin(&d.s, &d.e, len);
	for (off = 0; off < len; off += n) {
		n = len - off < d.chunk ? len - off : d.chunk;
		if (scan_write(j, m + off, n) != 0)
			break;
	}
	scan_finish(j, &v, &secs);
	free(m);
	scan_policy(&d.s, e == CFG_ENG_CLAMD ? SCAN_KIND_VIRUS :
	    SCAN_KIND_SPAM, &v, &o);
	printf("verdict result=%s score=%.1f threshold=%.1f action=\"%s\" "
	    "symbols=%s virus=%s ms=%.0f why=\"%s\"\n",
	    scan_result_name(v.result), v.score, v.threshold, v.action,
	    v.symbols[0] ? v.symbols : "-", v.virus[0] ? v.virus : "-",
	    secs * 1000, v.why);
	printf("outcome act=%s result=%s code=%d dsn=%s text=\"%s\" "
	    "score=\"%s\" status=\"%s\" flag=%d\n", cfg_act_name(o.act),
	    o.result, o.code, o.dsn[0] ? o.dsn : "-", o.text, o.score,
	    o.status, o.flag);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		return driver(argc, argv);
	return unit_run("scan_job", scan_job_suite);
}
