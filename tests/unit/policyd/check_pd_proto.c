/* check_pd_proto.c - policy protocol codec: golden files and edge cases */
#include "config.h"

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policyd/pd_proto.h"
#include "unit.h"

#define GOLDEN_DIR	"tests/data/policy"
#define GOLDEN_MAX_REQ	2048		/* limits the proto-* files assume */
#define GOLDEN_MAX_ATTR	40

struct out {				/* growing text */
	char	*p;
	size_t	 len, cap;
};

static void
out_add(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->p = realloc(o->p, o->cap);
		ck_assert_ptr_nonnull(o->p);
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void
out_str(struct out *o, const char *s)
{
	out_add(o, s, strlen(s));
}

/* out_value - a value with bytes outside printable ASCII as \xHH */
static void
out_value(struct out *o, const char *s)
{
	char	 hex[8];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c >= 0x7f || c == '\\') {
			(void)snprintf(hex, sizeof(hex), "\\x%02x", c);
			out_str(o, hex);
		} else
			out_add(o, s, 1);
	}
}

/* dump_request - the golden text of one parsed request */
static void
dump_request(struct out *o, const struct pd_request *r)
{
	char	 line[128];
	int	 i;

	(void)snprintf(line, sizeof(line),
	    "request: attrs=%u unknown=%u repeated=%u\n", r->n_attrs,
	    r->n_unknown, r->n_repeat);
	out_str(o, line);
	for (i = 0; i < PD_A__COUNT; i++) {
		if (!r->present[i])
			continue;
		out_str(o, "  ");
		out_str(o, pd_attr_name((enum pd_attr)i));
		out_str(o, "=");
		out_value(o, r->v[i]);
		out_str(o, "\n");
	}
}

/* run_stream - parse data fed in chunks of size step; golden text */
static char *
run_stream(const char *data, size_t len, size_t step)
{
	struct pd_parser p;
	struct pd_request r;
	struct out o = { NULL, 0, 0 };
	enum pd_status st = PD_NEED_MORE;
	char	 line[160];
	size_t	 off = 0, n;

	pd_parser_init(&p, GOLDEN_MAX_REQ, GOLDEN_MAX_ATTR);
	out_str(&o, "");
	while (st < PD_ERR_SYNTAX) {
		while ((st = pd_parser_next(&p, &r)) == PD_REQUEST)
			dump_request(&o, &r);
		if (st != PD_NEED_MORE || off == len)
			break;
		n = len - off < step ? len - off : step;
		off += pd_parser_feed(&p, data + off, n);
	}
	if (st == PD_NEED_MORE)
		(void)snprintf(line, sizeof(line), "end: pending=%d\n",
		    pd_parser_pending(&p));
	else
		(void)snprintf(line, sizeof(line), "error: %s (line %u)\n",
		    pd_parser_error(&p), p.err_line);
	out_str(&o, line);
	pd_parser_free(&p);
	return o.p;
}

/* golden_one - one .in file against its .ref, at several chunk sizes */
static int
golden_one(const char *base)
{
	static const size_t steps[] = { 1, 2, 7, 64, 1000, 1 << 20 };
	char	 in[512], ref[512], *data, *want, *got;
	size_t	 len, rlen, i;
	FILE	*fp;

	(void)snprintf(in, sizeof(in), "%s/%s.in", GOLDEN_DIR, base);
	(void)snprintf(ref, sizeof(ref), "%s/%s.ref", GOLDEN_DIR, base);
	data = unit_slurp(in, &len);
	ck_assert_msg(data != NULL, "%s: cannot read", in);
	want = unit_slurp(ref, &rlen);
	if (want == NULL && getenv("GP_UPDATE_GOLDEN") != NULL) {
		got = run_stream(data, len, 1 << 20);
		fp = fopen(ref, "w");
		ck_assert_ptr_nonnull(fp);
		(void)fputs(got, fp);
		(void)fclose(fp);
		want = got;
	}
	ck_assert_msg(want != NULL, "%s: missing (GP_UPDATE_GOLDEN=1 writes "
	    "it)", ref);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		got = run_stream(data, len, steps[i]);
		ck_assert_msg(strcmp(got, want) == 0,
		    "%s, chunks of %zu bytes: got\n%s\nwant\n%s", base,
		    steps[i], got, want);
		if (got != want)
			free(got);
	}
	free(data);
	free(want);
	return 1;
}

START_TEST(golden_files)
{
	DIR	*d = opendir(GOLDEN_DIR);
	struct dirent *e;
	char	 base[256];
	size_t	 n;
	int	 count = 0;

	ck_assert_msg(d != NULL, "%s: cannot open (run from the top "
	    "directory)", GOLDEN_DIR);
	while ((e = readdir(d)) != NULL) {
		n = strlen(e->d_name);
		if (strncmp(e->d_name, "proto-", 6) != 0 || n < 4 ||
		    strcmp(e->d_name + n - 3, ".in") != 0 ||
		    n - 3 >= sizeof(base))
			continue;
		memcpy(base, e->d_name, n - 3);
		base[n - 3] = '\0';
		count += golden_one(base);
	}
	(void)closedir(d);
	ck_assert_msg(count >= 10, "only %d golden files", count);
}
END_TEST

static const struct reply_case {
	const char *name, *text, *want;
	size_t	 buflen;
} reply_cases[] = {
	{ "dunno", "DUNNO", "action=DUNNO\n\n", PD_REPLY_MAX },
	{ "reject", "550 5.7.1 Relay access denied",
	    "action=550 5.7.1 Relay access denied\n\n", PD_REPLY_MAX },
	{ "control chars", "HOLD a\nb\rc",
	    "action=HOLD a b c\n\n", PD_REPLY_MAX },
	{ "truncated", "450 4.7.1 rate limit exceeded",
	    "action=450 4.7\n\n", 17 },
	{ "too small", "DUNNO", "", 5 },
};

START_TEST(reply_encoding)
{
	const struct reply_case *c = &reply_cases[_i];
	char	 buf[PD_REPLY_MAX];
	size_t	 n;

	buf[0] = '\0';
	n = pd_reply(buf, c->buflen, c->text);
	ck_assert_msg(n == strlen(c->want), "%s: got %zu, want %zu", c->name,
	    n, strlen(c->want));
	if (n > 0)
		ck_assert_msg(strcmp(buf, c->want) == 0, "%s: got \"%s\"",
		    c->name, buf);
}
END_TEST

START_TEST(read_in_place)
{
	static const char req[] = "request=smtpd_access_policy\n"
	    "protocol_state=RCPT\n\nrequest=smtpd_access_policy\n"
	    "protocol_state=DATA\n\n";
	struct pd_parser p;
	struct pd_request r;
	size_t	 room;
	char	*dst;

	pd_parser_init(&p, 65536, 128);
	dst = pd_parser_space(&p, &room);
	ck_assert_uint_ge(room, sizeof(req));
	memcpy(dst, req, sizeof(req) - 1);
	pd_parser_fill(&p, sizeof(req) - 1);
	ck_assert_int_eq(pd_parser_next(&p, &r), PD_REQUEST);
	ck_assert_str_eq(r.v[PD_A_PROTOCOL_STATE], "RCPT");
	ck_assert_str_eq(r.v[PD_A_SENDER], "");
	ck_assert_int_eq(r.present[PD_A_SENDER], 0);
	ck_assert_int_eq(pd_parser_next(&p, &r), PD_REQUEST);
	ck_assert_str_eq(r.v[PD_A_PROTOCOL_STATE], "DATA");
	ck_assert_int_eq(pd_parser_next(&p, &r), PD_NEED_MORE);
	ck_assert_int_eq(pd_parser_pending(&p), 0);
	pd_parser_free(&p);
}
END_TEST

START_TEST(buffer_grows_to_limit)
{
	struct pd_parser p;
	struct pd_request r;
	char	 chunk[1000];
	size_t	 total = 0, room;
	enum pd_status st;

	memset(chunk, 'a', sizeof(chunk));
	pd_parser_init(&p, 10000, 128);
	(void)pd_parser_feed(&p, "helo_name=", 10);
	ck_assert_uint_eq(p.cap, PD_BUF_INITIAL);
	do {
		total += pd_parser_feed(&p, chunk, sizeof(chunk));
		st = pd_parser_next(&p, &r);
		(void)pd_parser_space(&p, &room);
	} while (st == PD_NEED_MORE && total < 20000);
	ck_assert_int_eq(st, PD_ERR_TOO_LONG);
	ck_assert_uint_le(p.cap, 10001);
	/* the error is sticky */
	ck_assert_int_eq(pd_parser_next(&p, &r), PD_ERR_TOO_LONG);
	pd_parser_reset(&p);
	(void)pd_parser_feed(&p, "request=x\n\n", 12);
	ck_assert_int_eq(pd_parser_next(&p, &r), PD_REQUEST);
	pd_parser_free(&p);
}
END_TEST

START_TEST(attr_names_cover_enum)
{
	int	 i;

	for (i = 0; i < PD_A__COUNT; i++)
		ck_assert_msg(strcmp(pd_attr_name((enum pd_attr)i), "?") != 0,
		    "attribute %d has no name", i);
}
END_TEST

static void
pd_proto_suite(Suite *s)
{
	unit_one(s, "golden request streams", golden_files);
	unit_loop(s, "reply encoding", reply_encoding, NELEM(reply_cases));
	unit_tests(s, "buffering", read_in_place, buffer_grows_to_limit,
	    attr_names_cover_enum, NULL);
}

UNIT_MAIN("pd_proto", pd_proto_suite)
