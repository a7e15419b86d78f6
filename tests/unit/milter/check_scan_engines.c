/*
 * check_scan_engines.c - milter/scan*.c against a stub scanner it forks:
 * the exact request bytes of each engine, and every way a scanner can
 * fail (silent, not reading, slow, dripping, garbage, truncated, hung
 * up, refused) ending in an error verdict within timeout + 1 s.
 */
#include "config.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milter/scan.h"
#include "milter/scan_sock.h"
#include "scan_stub.h"
#include "unit.h"

#define L(s)		s, sizeof(s) - 1
#define TIMEOUT		600		/* ms, stub cases */
#define SLACK		1000		/* ms past the timeout allowed */
#define FULL		SIZE_MAX	/* stub reads the whole request */

static const char *const rcpts[] = { "b@example.com", "c@example.com" };
static const struct scan_env env = {
	"4ABC123", "192.0.2.1", "mx.example.net", "helo.example.net",
	"a@example.com", rcpts, 2, NULL
};
static const char msg[] = "From: a@example.com\r\nTo: b@example.com\r\n"
	"Subject: t\r\n\r\nhello\r\n";

static void block(struct cfg_scan *, enum cfg_engine, const char *,
	    unsigned);
static int why_matches(const char *, const char *);
static int64_t run(const struct cfg_scan *, const char *, size_t, size_t,
	    struct scan_verdict *);
static size_t request(enum cfg_engine, const char *, size_t, size_t,
	    char *, size_t);
static void scan_engines_suite(Suite *);

/* block - a config block for an engine at a server, rejecting at 15 */
static void
block(struct cfg_scan *s, enum cfg_engine e, const char *server,
    unsigned timeout_ms)
{
	scan_stub_block(s, e, server, timeout_ms, 64 * 1024 * 1024);
	s->has_reject_score = 1;
	s->reject_score = 15;
}

/* run - one whole scan in chunk-sized writes; elapsed ms */
static int64_t
run(const struct cfg_scan *s, const char *m, size_t len, size_t chunk,
    struct scan_verdict *v)
{
	int64_t	 t0 = scan_clock_ms();
	struct scan_job *j = scan_begin(s, &env, len);
	size_t	 off, n;
	double	 secs;

	for (off = 0; off < len; off += n) {
		n = len - off < chunk ? len - off : chunk;
		if (scan_write(j, m + off, n) != 0)
			break;		/* failed: finish says why */
	}
	scan_finish(j, v, &secs);
	ck_assert_msg(secs >= 0 && secs < (double)(s->timeout_ms + SLACK) /
	    1000, "seconds %g", secs);
	return scan_clock_ms() - t0;
}

/* request - the exact bytes an engine must send, written chunk-wise */
static size_t
request(enum cfg_engine e, const char *m, size_t len, size_t chunk, char *out,
    size_t max)
{
	size_t	 n = 0, off, k;

	if (e == CFG_ENG_SPAMD)
		n = (size_t)snprintf(out, max, "SYMBOLS SPAMC/1.5\r\n"
		    "Content-length: %zu\r\n\r\n", len);
	else if (e == CFG_ENG_RSPAMD)
		n = (size_t)snprintf(out, max, "POST /checkv2 HTTP/1.1\r\n"
		    "Host: rspamd\r\nConnection: close\r\nContent-Length: %zu"
		    "\r\nFrom: <a@example.com>\r\nQueue-Id: 4ABC123\r\n"
		    "IP: 192.0.2.1\r\nHostname: mx.example.net\r\n"
		    "Helo: helo.example.net\r\nRcpt: <b@example.com>\r\n"
		    "Rcpt: <c@example.com>\r\n\r\n", len);
	else {
		memcpy(out, "zINSTREAM", 10);
		n = 10;
	}
	ck_assert(n + len + 16 + len / 16384 < max);
	if (e != CFG_ENG_CLAMD) {
		memcpy(out + n, m, len);
		return n + len;
	}
	for (off = 0; off < len; off += k) {
		k = len - off < 65536 ? len - off : 65536;
		if (k > chunk - off % chunk)
			k = chunk - off % chunk;	/* a write ends here */
		out[n++] = (char)(k >> 24);
		out[n++] = (char)(k >> 16 & 0xff);
		out[n++] = (char)(k >> 8 & 0xff);
		out[n++] = (char)(k & 0xff);
		memcpy(out + n, m + off, k);
		n += k;
	}
	memset(out + n, 0, 4);
	return n + 4;
}

/* a well-behaved scanner: the request must be exact */
static const struct proto_case {
	const char *name;
	enum cfg_engine engine;
	int	 unix_socket;
	const char *reply;
	size_t	 reply_len;
	enum scan_result want;
	double	 score;
	const char *detail;		/* symbols or virus name */
} proto_cases[] = {
	{ "spamd tcp", CFG_ENG_SPAMD, 0, L("SPAMD/1.1 0 EX_OK\r\n"
	    "Content-length: 15\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n"
	    "GTUBE,NO_RELAYS"), SCAN_SPAM, 1000.0, "GTUBE,NO_RELAYS" },
	{ "spamd unix", CFG_ENG_SPAMD, 1, L("SPAMD/1.1 0 EX_OK\r\n"
	    "Content-length: 0\r\nSpam: False ; 0.5 / 5.0\r\n\r\n"),
	    SCAN_CLEAN, 0.5, "" },
	{ "rspamd tcp", CFG_ENG_RSPAMD, 0, L("HTTP/1.1 200 OK\r\n"
	    "Content-Length: 55\r\n\r\n{\"score\":15.0,\"action\":\"reject\","
	    "\"symbols\":{\"GTUBE\":{}}}"), SCAN_SPAM, 15.0, "GTUBE" },
	{ "rspamd unix", CFG_ENG_RSPAMD, 1, L("HTTP/1.1 200 OK\r\n\r\n"
	    "{\"score\":0.1,\"action\":\"no action\"}"), SCAN_CLEAN, 0.1, "" },
	{ "clamd tcp", CFG_ENG_CLAMD, 0, L("stream: Eicar-Test-Signature "
	    "FOUND\0"), SCAN_VIRUS, 0, "Eicar-Test-Signature" },
	{ "clamd unix", CFG_ENG_CLAMD, 1, L("stream: OK\0"), SCAN_CLEAN, 0,
	    "" },
};

START_TEST(protocol)
{
	const struct proto_case *c = &proto_cases[_i];
	static char want[4096], got[4096];
	struct scan_stub st;
	struct cfg_scan s;
	struct scan_verdict v;
	size_t	 wn, gn;

	wn = request(c->engine, msg, sizeof(msg) - 1, 7, want, sizeof(want));
	ck_assert_int_eq(scan_stub_start(&st, c->unix_socket,
	    SCAN_STUB_REPLY, wn, c->reply, c->reply_len, 0), 0);
	block(&s, c->engine, st.server, TIMEOUT);
	(void)run(&s, msg, sizeof(msg) - 1, 7, &v);
	gn = scan_stub_stop(&st, got, sizeof(got), NULL);
	ck_assert_msg(gn == wn && memcmp(got, want, wn) == 0,
	    "%s: request differs (got %zu bytes, want %zu): %.*s", c->name,
	    gn, wn, (int)(gn < 300 ? gn : 300), got);
	ck_assert_msg(v.result == c->want, "%s: got %s, want %s (%s)",
	    c->name, scan_result_name(v.result), scan_result_name(c->want),
	    v.why);
	if (c->engine == CFG_ENG_CLAMD)
		ck_assert_str_eq(v.virus, c->detail);
	else {
		ck_assert_msg(v.has_score && v.score == c->score,
		    "%s: got score %g", c->name, v.score);
		ck_assert_str_eq(v.symbols, c->detail);
	}
}
END_TEST

/* why_matches - why contains one of the '|'-separated alternatives */
static int
why_matches(const char *why, const char *alts)
{
	char	 buf[128], *p, *save = NULL;

	(void)snprintf(buf, sizeof(buf), "%s", alts);
	for (p = strtok_r(buf, "|", &save); p != NULL;
	    p = strtok_r(NULL, "|", &save))
		if (strstr(why, p) != NULL)
			return 1;
	return 0;
}

/* a misbehaving scanner: an error verdict, in time */
static const struct fail_case {
	const char *name;
	enum cfg_engine engine;
	enum scan_stub_mode mode;
	size_t	 expect;		/* FULL or bytes read before reply */
	const char *reply;
	size_t	 reply_len;
	unsigned delay_ms;
	size_t	 msg_len;		/* 0 = the short msg */
	const char *why;
	int	 min_ms;		/* waits the timeout out */
} fail_cases[] = {
	{ "spamd silent", CFG_ENG_SPAMD, SCAN_STUB_SILENT, FULL, L(""), 0, 0,
	    "timed out waiting", TIMEOUT },
	{ "rspamd silent", CFG_ENG_RSPAMD, SCAN_STUB_SILENT, FULL, L(""), 0,
	    0, "timed out waiting", TIMEOUT },
	{ "clamd silent", CFG_ENG_CLAMD, SCAN_STUB_SILENT, FULL, L(""), 0, 0,
	    "timed out waiting", TIMEOUT },
	{ "spamd never reads 8 MiB", CFG_ENG_SPAMD, SCAN_STUB_NOREAD, FULL,
	    L(""), 0, 8 << 20, "send: timed out", TIMEOUT },
	{ "clamd never reads 8 MiB", CFG_ENG_CLAMD, SCAN_STUB_NOREAD, FULL,
	    L(""), 0, 8 << 20, "send: timed out", TIMEOUT },
	{ "spamd answers after the timeout", CFG_ENG_SPAMD, SCAN_STUB_SLOW,
	    FULL, L("SPAMD/1.1 0 EX_OK\r\nSpam: False ; 0.0 / 5.0\r\n\r\n"),
	    TIMEOUT + 400, 0, "timed out", TIMEOUT },
	{ "rspamd drips past the deadline", CFG_ENG_RSPAMD, SCAN_STUB_DRIP,
	    FULL, L("HTTP/1.1 200 OK\r\n\r\n{\"score\":0,\"action\":\"no "
	    "action\"}"), 50, 0, "timed out", TIMEOUT },
	{ "spamd garbage", CFG_ENG_SPAMD, SCAN_STUB_REPLY, FULL,
	    L("220 mail ESMTP\r\n"), 0, 0, "not a SPAMD", 0 },
	{ "rspamd garbage", CFG_ENG_RSPAMD, SCAN_STUB_REPLY, FULL,
	    L("HTTP/1.1 200 OK\r\n\r\n<html>"), 0, 0, "bad JSON", 0 },
	{ "clamd garbage", CFG_ENG_CLAMD, SCAN_STUB_REPLY, FULL,
	    L("UNKNOWN COMMAND\n"), 0, 0, "unexpected", 0 },
	{ "spamd truncated", CFG_ENG_SPAMD, SCAN_STUB_REPLY, FULL,
	    L("SPAMD/1.1 0 EX_OK\r\nContent-length: 55\r\nSpam: True ; "
	    "1000.0 / 5.0\r\n\r\nGTUBE"), 0, 0, "truncated", 0 },
	{ "clamd truncated", CFG_ENG_CLAMD, SCAN_STUB_REPLY, FULL,
	    L("stream: Eicar-Te"), 0, 0, "truncated", 0 },
	{ "rspamd closes at once", CFG_ENG_RSPAMD, SCAN_STUB_CLOSE, FULL,
	    L(""), 0, 0, "rspamd", 0 },
	/*
	 * A peer closing with unread data resets the connection, and the
	 * reset may overtake its last words: the reason is best effort,
	 * the error is not.
	 */
	{ "clamd size limit mid-stream", CFG_ENG_CLAMD, SCAN_STUB_HANGUP,
	    300000, L("INSTREAM size limit exceeded. ERROR\0"), 0, 4 << 20,
	    "size limit|reset by peer|Broken pipe", 0 },
	{ "spamd error code", CFG_ENG_SPAMD, SCAN_STUB_REPLY, FULL,
	    L("SPAMD/1.0 76 Bad header line: x\r\n"), 0, 0,
	    "Bad header line", 0 },
	{ "rspamd HTTP 500", CFG_ENG_RSPAMD, SCAN_STUB_REPLY, FULL,
	    L("HTTP/1.1 500 Oops\r\nContent-Length: 13\r\n\r\n{\"error\":"
	    "\"x\"}"), 0, 0, "rspamd: x", 0 },
};

START_TEST(failure)
{
	const struct fail_case *c = &fail_cases[_i];
	static char want[4096];
	struct scan_stub st;
	struct cfg_scan s;
	struct scan_verdict v;
	size_t	 len = c->msg_len ? c->msg_len : sizeof(msg) - 1, wn;
	char	*m = NULL;
	int64_t	 ms;

	if (c->msg_len) {
		m = malloc(len);
		ck_assert_ptr_nonnull(m);
		memset(m, 'x', len);
	}
	wn = c->expect != FULL ? c->expect : request(c->engine, msg,
	    sizeof(msg) - 1, 65536, want, sizeof(want));
	ck_assert_int_eq(scan_stub_start(&st, 0, c->mode, wn, c->reply,
	    c->reply_len, c->delay_ms), 0);
	block(&s, c->engine, st.server, TIMEOUT);
	ms = run(&s, m != NULL ? m : msg, len, 65536, &v);
	(void)scan_stub_stop(&st, NULL, 0, NULL);
	free(m);
	ck_assert_msg(v.result == SCAN_ERROR, "%s: got %s", c->name,
	    scan_result_name(v.result));
	ck_assert_msg(why_matches(v.why, c->why),
	    "%s: got why \"%s\", want \"%s\"", c->name, v.why, c->why);
	ck_assert_msg(ms >= c->min_ms - 20 && ms <= TIMEOUT + SLACK,
	    "%s: took %lld ms (timeout %d)", c->name, (long long)ms, TIMEOUT);
}
END_TEST

/* nothing listening: refused at once, or a missing socket */
START_TEST(unreachable)
{
	struct cfg_scan s;
	struct scan_verdict v;
	char	 server[64];
	int64_t	 ms;

	(void)snprintf(server, sizeof(server), "127.0.0.1:%u",
	    scan_stub_free_port());
	block(&s, CFG_ENG_SPAMD, server, TIMEOUT);
	ms = run(&s, msg, sizeof(msg) - 1, 64, &v);
	ck_assert_int_eq(v.result, SCAN_ERROR);
	ck_assert_msg(strstr(v.why, "Connection refused") &&
	    strstr(v.why, "spamd 127.0.0.1:"), "got \"%s\"", v.why);
	ck_assert_msg(ms < 200, "took %lld ms", (long long)ms);
	block(&s, CFG_ENG_CLAMD, "unix:/nonexistent/gp-clamd.sock", TIMEOUT);
	(void)run(&s, msg, sizeof(msg) - 1, 64, &v);
	ck_assert_msg(v.result == SCAN_ERROR &&
	    strstr(v.why, "No such file"), "got \"%s\"", v.why);
	block(&s, CFG_ENG_RSPAMD, "rspamd.example.net:11333", TIMEOUT);
	(void)run(&s, msg, sizeof(msg) - 1, 64, &v);
	ck_assert_msg(v.result == SCAN_ERROR && strstr(v.why, "bad server"),
	    "got \"%s\"", v.why);
}
END_TEST

/* big messages: clamd chunks of at most 64 KiB, bytes intact */
START_TEST(clamd_chunks)
{
	static char m[200000], want[220000], got[220000];
	struct scan_stub st;
	struct cfg_scan s;
	struct scan_verdict v;
	size_t	 i, wn, gn;

	for (i = 0; i < sizeof(m); i++)
		m[i] = (char)('a' + i % 26);
	wn = request(CFG_ENG_CLAMD, m, sizeof(m), 100000, want, sizeof(want));
	ck_assert_int_eq(scan_stub_start(&st, 1, SCAN_STUB_REPLY, wn,
	    L("stream: OK\0"), 0), 0);
	block(&s, CFG_ENG_CLAMD, st.server, 5000);
	(void)run(&s, m, sizeof(m), 100000, &v);
	gn = scan_stub_stop(&st, got, sizeof(got), NULL);
	ck_assert_int_eq(gn, wn);
	ck_assert(memcmp(got, want, wn) == 0);
	ck_assert_int_eq(v.result, SCAN_CLEAN);
}
END_TEST

static void
scan_engines_suite(Suite *s)
{
	TCase	*tc;

	tc = unit_tcase(s, "protocol bytes and replies");
	tcase_add_loop_test(tc, protocol, 0, NELEM(proto_cases));
	tcase_add_test(tc, clamd_chunks);
	tc = unit_tcase(s, "failures decided within timeout + 1 s");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, failure, 0, NELEM(fail_cases));
	tcase_add_test(tc, unreachable);
}

UNIT_MAIN("scan_engines", scan_engines_suite)
