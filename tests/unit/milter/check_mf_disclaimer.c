/*
 * check_mf_disclaimer.c - the disclaimer plug-in in the milter's
 * end-of-message pipeline, driven through stub_smfi.c: body replacement
 * (of exactly what disclaimer_apply() makes of the milter's copy),
 * header changes of a single-part message, skips, faces without a
 * disclaimer, monitor mode, gatepost_disclaimers_total.
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "dcrule.h"
#include "disclaimer.h"
#include "log.h"
#include "metrics.h"
#include "mf_fixture.h"
#include "milter/mf_cb.h"
#include "milter/mf_cfg.h"
#include "milter/mf_ctx.h"
#include "milter/mf_disclaimer.h"
#include "milter/mf_metrics.h"
#include "stub_smfi.h"
#include "unit.h"

#define ALL_ACTS	0x1ffUL
#define ALL_PROTO	0x1fffffUL
#define HDR_MAX		6

/* the disclaimer alone, as the last entry of milter/mf_hooks.c */
const struct mf_hook *const mf_hooks[] = { &mf_disclaimer_hook, NULL };

static const char cfg_json[] =
"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\",\n"
"   \"match\": {\"name\": \"outbound\"},\n"
"   \"disclaimer\": {\"text\": \"Confidential.\",\n"
"     \"html\": \"<p>Confidential.</p>\"}},\n"
"  {\"name\": \"out8\", \"direction\": \"outbound\",\n"
"   \"match\": {\"name\": \"out8\"},\n"
"   \"disclaimer\": {\"text\": \"Vertraulich \\u2013 nur f\\u00fcr Sie.\"}},\n"
"  {\"name\": \"small\", \"direction\": \"outbound\",\n"
"   \"match\": {\"name\": \"small\"},\n"
"   \"disclaimer\": {\"text\": \"Confidential.\", \"max_size\": 100}},\n"
"  {\"name\": \"mon\", \"direction\": \"outbound\", \"mode\": \"monitor\",\n"
"   \"match\": {\"name\": \"mon\"},\n"
"   \"disclaimer\": {\"text\": \"Confidential.\"}},\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\",\n"
"   \"match\": {\"name\": \"inbound\"}}\n"
" ],\n"
" \"policyd\": {\"listen\": \"unix:/tmp/p.sock\"},\n"
" \"milter\": {\"socket\": \"unix:/tmp/m.sock\"}}\n";

#define ALT_CT	"multipart/alternative; boundary=\"b1\""
#define ALT_BODY "--b1\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b1\r\n" \
	"Content-Type: text/html\r\n\r\n<p>hi</p>\r\n--b1--\r\n"
#define SIG_CT	"multipart/signed; protocol=\"application/pgp-signature\"; " \
	"boundary=s"
#define SIG_BODY "--s\r\nContent-Type: text/plain\r\n\r\nhi\r\n--s\r\n" \
	"Content-Type: application/pgp-signature\r\n\r\nsig\r\n--s--\r\n"

static const struct dcase {
	const char *name;
	const char *face;
	const char *hdr[HDR_MAX][2];	/* fields after From and Subject */
	const char *body;
	const char *result;		/* metric label, NULL: not counted */
	const char *has[3];		/* stub_smfi lines that must exist */
	const char *absent;		/* line prefix that must not */
} cases[] = {
	{ "alternative: body replaced, no header changed", "outbound",
	    { { "MIME-Version", "1.0" }, { "Content-Type", ALT_CT } },
	    ALT_BODY, "added", { NULL }, "chgheader" },
	{ "single part: relabelled UTF-8, quoted-printable", "out8",
	    { { "MIME-Version", "1.0" }, { "Content-Type",
	    "text/plain;\n\tcharset=us-ascii" } }, "a=b\r\n", "added",
	    { "chgheader Content-Type 1 text/plain;\n\tcharset=UTF-8",
	    "chgheader Content-Transfer-Encoding 1 quoted-printable" },
	    "chgheader MIME-Version" },
	{ "no MIME at all: the three fields set", "out8", { { NULL } },
	    "plain\r\n", "added", { "chgheader Content-Type 1 text/plain; "
	    "charset=UTF-8", "chgheader Content-Transfer-Encoding 1 "
	    "quoted-printable", "chgheader MIME-Version 1 1.0" }, NULL },
	{ "signed: unchanged", "outbound", { { "MIME-Version", "1.0" },
	    { "Content-Type", SIG_CT } }, SIG_BODY, "skipped_signed",
	    { NULL }, "replacebody" },
	{ "over max_size: unchanged", "small", { { "MIME-Version", "1.0" },
	    { "Content-Type", ALT_CT } }, ALT_BODY, "skipped_size", { NULL },
	    "replacebody" },
	{ "already there: unchanged", "outbound", { { NULL } },
	    "hi\r\n\r\nConfidential.\r\n", "skipped_present", { NULL },
	    "replacebody" },
	{ "monitor mode still adds", "mon", { { NULL } }, "hi\r\n", "added",
	    { NULL }, "chgheader" },
	{ "face without a disclaimer: untouched, not counted", "inbound",
	    { { "Content-Type", ALT_CT } }, ALT_BODY, NULL, { NULL },
	    "replacebody" },
};

static SMFICTX *ctx;
static struct metrics *reg;

static char	*copy_of(const struct dcase *, size_t *);
static sfsistat	drive(const struct dcase *);
static size_t	want_body_len(const struct dcase *);
static void	mf_disclaimer_suite(Suite *);

/* copy_of - the message as the milter copies it: fields, CRLF, body */
static char *
copy_of(const struct dcase *c, size_t *len)
{
	char	*m = malloc(4096), *p;
	size_t	 i, n;

	ck_assert_ptr_nonnull(m);
	n = (size_t)snprintf(m, 4096, "From: alice@example.com\r\n"
	    "Subject: hello\r\n");
	for (i = 0; i < HDR_MAX && c->hdr[i][0] != NULL; i++)
		n += (size_t)snprintf(m + n, 4096 - n, "%s: %s\r\n",
		    c->hdr[i][0], c->hdr[i][1]);
	n += (size_t)snprintf(m + n, 4096 - n, "\r\n%s", c->body);
	ck_assert_uint_lt(n, 4096);
	while ((p = strstr(m, "\n\t")) != NULL && p[-1] != '\r') {
		memmove(p + 1, p, n - (size_t)(p - m) + 1);	/* LF: CRLF */
		*p = '\r';
		n++;
	}
	*len = n;
	return m;
}

/* drive - one message on a face, from connect to end of message */
static sfsistat
drive(const struct dcase *c)
{
	static char from[] = "<alice@example.com>", to[] = "<bob@example.net>";
	char	*mail[] = { from, NULL }, *rcpt[] = { to, NULL };
	char	 name[64], value[256], *body = strdup(c->body);
	unsigned long a, p, f2, f3;
	size_t	 i;
	sfsistat r;

	ck_assert_int_eq(mf_cb_negotiate(ctx, ALL_ACTS, ALL_PROTO, 0, 0, &a,
	    &p, &f2, &f3), SMFIS_CONTINUE);
	stub_macro(ctx, "{daemon_name}", c->face);
	stub_macro(ctx, "{client_addr}", "10.0.0.7");
	(void)mf_cb_connect(ctx, "mua.example.com", NULL);
	(void)mf_cb_envfrom(ctx, mail);
	(void)mf_cb_envrcpt(ctx, rcpt);
	stub_macro(ctx, "i", "4QUEUE");
	(void)snprintf(name, sizeof(name), "From");
	(void)snprintf(value, sizeof(value), "alice@example.com");
	(void)mf_cb_header(ctx, name, value);
	(void)snprintf(name, sizeof(name), "Subject");
	(void)snprintf(value, sizeof(value), "hello");
	(void)mf_cb_header(ctx, name, value);
	for (i = 0; i < HDR_MAX && c->hdr[i][0] != NULL; i++) {
		(void)snprintf(name, sizeof(name), "%s", c->hdr[i][0]);
		(void)snprintf(value, sizeof(value), "%s", c->hdr[i][1]);
		(void)mf_cb_header(ctx, name, value);
	}
	(void)mf_cb_eoh(ctx);
	ck_assert_ptr_nonnull(body);
	(void)mf_cb_body(ctx, (unsigned char *)body, strlen(body));
	r = mf_cb_eom(ctx);
	free(body);
	return r;
}

/* the expected body length: disclaimer_apply() on the milter's copy */
static size_t
want_body_len(const struct dcase *c)
{
	const struct cfg_instance *in = NULL;
	struct cfg *cfg = mf_cfg_get();
	struct disclaimer_conf conf;
	struct disclaimer_out out;
	size_t	 len, i, n = 0;
	char	*m = copy_of(c, &len);

	for (i = 0; i < cfg->n_inst; i++)
		if (strcmp(cfg->inst[i].name, c->face) == 0)
			in = &cfg->inst[i];
	ck_assert_ptr_nonnull(in);
	dcrule_conf(&in->disclaimer.v[0], &conf);
	if (disclaimer_apply(m, len, &conf, &out) == DC_ADDED)
		n = out.body_len;
	disclaimer_out_free(&out);
	free(m);
	cfg_release(cfg);
	return n;
}

START_TEST(pipeline)
{
	const struct dcase *c = &cases[_i];
	char	 line[256];
	const char *op;
	size_t	 want;
	sfsistat r;

	ctx = mf_fixture_up("check_mf_disclaimer", cfg_json, 0, &reg);
	want = c->result != NULL && strcmp(c->result, "added") == 0 ?
	    want_body_len(c) : 0;
	r = drive(c);
	ck_assert_msg(r == SMFIS_CONTINUE, "%s: got status %d", c->name, r);
	mf_fixture_expect(ctx, c->name, c->has, NELEM(c->has), c->absent);
	if (want > 0) {
		(void)snprintf(line, sizeof(line), "replacebody %zu", want);
		ck_assert_msg(stub_has(ctx, line), "%s: no \"%s\"", c->name,
		    line);
	}
	if (c->result != NULL) {
		(void)snprintf(line, sizeof(line), "gatepost_disclaimers_total"
		    "{face=\"%s\",result=\"%s\"} 1", c->face, c->result);
		ck_assert_msg(unit_has_metric(reg, line), "%s", c->name);
	} else {
		op = metrics_render(reg, NULL);
		ck_assert_msg(strstr(op, "gatepost_disclaimers_total{") ==
		    NULL, "%s: counted", c->name);
		free((char *)op);
	}
	mf_fixture_down(ctx, reg);
}
END_TEST

static void
mf_disclaimer_suite(Suite *s)
{
	unit_loop(s, "disclaimer at end of message", pipeline, NELEM(cases));
}

UNIT_MAIN("mf_disclaimer", mf_disclaimer_suite)
