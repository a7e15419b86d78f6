/* check_pfconf.c - unit tests for lib/postfix/pfconf.c and lib/postfix/pfrestr.c */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfconf.h"
#include "pfrestr.h"
#include "unit.h"


static void	pfconf_suite(Suite *);
static void	 load(struct pfconf *);

static const char main_n[] =
"myhostname = gw.example.com\n"
"gatepost_policy = check_policy_service unix:/run/gatepost/policyd.sock\n"
"empty =\n"
"loop_a = x$loop_b\n"
"loop_b = y$loop_a\n"
"  spaced  =   a b  \n";

static const char main_all[] =
"myhostname = localhost\n"
"milter_macro_daemon_name = $myhostname\n"
"queue_directory = /var/spool/postfix\n"
"smtpd_sasl_auth_enable = no\n";

static const char master_m[] =
"smtp       inet  n       -       y       -       -       smtpd\n"
"192.0.2.10:25 inet n    -       n       -       -       smtpd "
"-o syslog_name=postfix-in -o {smtpd_relay_restrictions=a, b}\n"
"# a comment line\n"
"pickup     unix  n       -       y       60      1       pickup\n";

static const char master_p[] =
"192.0.2.10:25/inet/syslog_name = postfix-in\n"
"192.0.2.10:25/inet/milter_macro_daemon_name = in-$myhostname\n"
"192.0.2.10:25/inet/smtpd_sasl_auth_enable = yes\n"
"192.0.2.10:25/inet/smtpd_relay_restrictions = a, b\n";

static void
load(struct pfconf *c)
{
	char	 why[128];

	memset(c, 0, sizeof(*c));
	ck_assert_int_eq(pfconf_parse_main(c, 0, main_n, why, sizeof(why)),
	    0);
	ck_assert_int_eq(pfconf_parse_main(c, 1, main_all, why, sizeof(why)),
	    0);
	ck_assert_int_eq(pfconf_parse_master(c, master_m, why, sizeof(why)),
	    0);
	ck_assert_int_eq(pfconf_parse_params(c, master_p, why, sizeof(why)),
	    0);
}

START_TEST(check_parse)
{
	struct pfconf c;
	const struct pf_service *s;

	load(&c);
	ck_assert_uint_eq(c.n_svc, 3);
	s = pfconf_service(&c, "192.0.2.10:25", "inet");
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->command, "smtpd");
	ck_assert_str_eq(s->chroot, "n");
	ck_assert_uint_eq(s->opts.n, 4);
	ck_assert_str_eq(pfconf_service(&c, "pickup", NULL)->wakeup, "60");
	ck_assert_ptr_null(pfconf_service(&c, "pickup", "inet"));
	ck_assert_str_eq(pfconf_explicit(&c, "spaced"), "a b");
	ck_assert_str_eq(pfconf_explicit(&c, "empty"), "");
	ck_assert_ptr_null(pfconf_explicit(&c, "queue_directory"));
	pfconf_free(&c);
}
END_TEST

/* pfconf_raw: a service's -o, then main.cf, then the default */
START_TEST(check_precedence)
{
	struct pfconf c;
	const struct pf_service *in, *smtp;

	load(&c);
	in = pfconf_service(&c, "192.0.2.10:25", "inet");
	smtp = pfconf_service(&c, "smtp", "inet");
	ck_assert_str_eq(pfconf_raw(&c, in, "smtpd_sasl_auth_enable"), "yes");
	ck_assert_str_eq(pfconf_raw(&c, smtp, "smtpd_sasl_auth_enable"),
	    "no");
	ck_assert_str_eq(pfconf_raw(&c, smtp, "myhostname"),
	    "gw.example.com");
	ck_assert_str_eq(pfconf_raw(&c, NULL, "queue_directory"),
	    "/var/spool/postfix");
	ck_assert_ptr_null(pfconf_raw(&c, in, "no_such_parameter"));
	pfconf_free(&c);
}
END_TEST

static const struct exp_case {
	const char *name, *svc, *in, *want;
} exp_cases[] = {
	{ "plain text", NULL, "abc", "abc" },
	{ "$name", NULL, "$myhostname", "gw.example.com" },
	{ "${name}", NULL, "<${myhostname}>", "<gw.example.com>" },
	{ "$(name)", NULL, "<$(myhostname)>", "<gw.example.com>" },
	{ "name ends at punctuation", NULL, "$myhostname.x", "gw.example.com.x" },
	{ "$$ is a dollar", NULL, "a$$b", "a$b" },
	{ "${name} then text", NULL, "${myhostname}x", "gw.example.comx" },
	{ "unknown is empty", NULL, "[$nope]", "[]" },
	{ "?text when set", NULL, "${myhostname?yes}", "yes" },
	{ "?{text} when set", NULL, "${myhostname?{a, b}}", "a, b" },
	{ "?text when empty", NULL, "${empty?yes}", "" },
	{ ":text when empty", NULL, "${empty:dflt}", "dflt" },
	{ ":text when set", NULL, "${myhostname:dflt}", "" },
	{ "nested value", NULL, "$milter_macro_daemon_name", "gw.example.com" },
	{ "service -o sees main.cf", "192.0.2.10:25",
	    "$milter_macro_daemon_name", "in-gw.example.com" },
	{ "a loop terminates", NULL, "$loop_a", NULL },
};

START_TEST(check_expand)
{
	const struct exp_case *t = &exp_cases[_i];
	struct pfconf c;
	char	*got;

	load(&c);
	got = pfconf_expand(&c, t->svc != NULL ? pfconf_service(&c, t->svc,
	    NULL) : NULL, t->in);
	if (t->want != NULL)
		ck_assert_msg(strcmp(got, t->want) == 0, "%s: got \"%s\", want "
		    "\"%s\"", t->name, got, t->want);
	else
		ck_assert_msg(strncmp(got, "xyxy", 4) == 0, "%s: got \"%s\"",
		    t->name, got);
	free(got);
	pfconf_free(&c);
}
END_TEST

static const struct bad_case {
	const char *name, *main, *master, *params, *want;
} bad_cases[] = {
	{ "main.cf line without =", "a = b\nnonsense\n", NULL, NULL,
	    "line 2: not \"name = value\"" },
	{ "master.cf line too short", NULL, "smtp inet n - y -\n", NULL,
	    "line 1: fewer than 8 master.cf fields" },
	{ "-o for an unknown service", NULL, "smtp inet n - y - - smtpd\n",
	    "other/inet/a = b\n", "line 1: not \"service/type/name = value\" "
	    "for a known service" },
	{ "-o without a type", NULL, "smtp inet n - y - - smtpd\n",
	    "smtp/a = b\n", "line 1: not" },
};

START_TEST(check_bad)
{
	const struct bad_case *t = &bad_cases[_i];
	struct pfconf c;
	char	 why[128] = "";
	int	 rc = 0;

	memset(&c, 0, sizeof(c));
	if (t->main != NULL)
		rc = pfconf_parse_main(&c, 0, t->main, why, sizeof(why));
	if (rc == 0 && t->master != NULL)
		rc = pfconf_parse_master(&c, t->master, why, sizeof(why));
	if (rc == 0 && t->params != NULL)
		rc = pfconf_parse_params(&c, t->params, why, sizeof(why));
	ck_assert_msg(rc == -1, "%s: got %d, want -1", t->name, rc);
	ck_assert_msg(strncmp(why, t->want, strlen(t->want)) == 0,
	    "%s: got \"%s\", want \"%s\"", t->name, why, t->want);
	pfconf_free(&c);
}
END_TEST

static const struct split_case {
	const char *name, *in;
	size_t	 n;
	const char *v[4];
} split_cases[] = {
	{ "commas and spaces", "a, b  c,d", 4, { "a", "b", "c", "d" } },
	{ "empty", "  ,, ", 0, { NULL } },
	{ "braced element", "x { a b , c } y", 3, { "x", "a b , c", "y" } },
	{ "nested braces", "{a {b} c}", 1, { "a {b} c" } },
	{ "newlines separate", "a\n\tb", 2, { "a", "b" } },
};

START_TEST(check_split)
{
	const struct split_case *t = &split_cases[_i];
	struct pf_strv l;
	size_t	 i;

	pfconf_split(t->in, &l);
	ck_assert_msg(l.n == t->n, "%s: got %zu elements, want %zu", t->name,
	    l.n, t->n);
	for (i = 0; i < l.n; i++)
		ck_assert_msg(strcmp(l.v[i], t->v[i]) == 0, "%s: [%zu] got "
		    "\"%s\", want \"%s\"", t->name, i, l.v[i], t->v[i]);
	pfconf_strv_free(&l);
}
END_TEST

static const struct port_case {
	const char *name, *in;
	int	 want;
	const char *host;
	unsigned port;
} port_cases[] = {
	{ "v4 and number", "192.0.2.10:25", 0, "192.0.2.10", 25 },
	{ "v6 and name", "[2001:db8::1]:smtp", 0, "2001:db8::1", 25 },
	{ "port name only", "submission", 0, "", 587 },
	{ "number only", "2525", 0, "", 2525 },
	{ "host name", "mx.example.com:smtps", 0, "mx.example.com", 465 },
	{ "unix service name", "pickup", -1, NULL, 0 },
	{ "port 0", "192.0.2.1:0", -1, NULL, 0 },
	{ "port too big", "192.0.2.1:65536", -1, NULL, 0 },
};

START_TEST(check_port)
{
	const struct port_case *t = &port_cases[_i];
	char	 host[64];
	unsigned port = 0;
	int	 rc = pfconf_service_port(t->in, host, sizeof(host), &port);

	ck_assert_msg(rc == t->want, "%s: got %d, want %d", t->name, rc,
	    t->want);
	if (rc == 0) {
		ck_assert_msg(strcmp(host, t->host) == 0, "%s: host got %s",
		    t->name, host);
		ck_assert_msg(port == t->port, "%s: port got %u, want %u",
		    t->name, port, t->port);
	}
}
END_TEST

static const struct restr_case {
	const char *name, *relay, *rcpt;
	enum pfr_client who;
	int	 mynet_open, want;
} restr_cases[] = {
	{ "Postfix default blocks anonymous relay",
	    "permit_mynetworks, permit_sasl_authenticated, "
	    "defer_unauth_destination", "", PFR_ANON, 0, 0 },
	{ "default relays for a login",
	    "permit_mynetworks, permit_sasl_authenticated, "
	    "defer_unauth_destination", "", PFR_SASL, 0, 1 },
	{ "reject_unauth_destination blocks a login too",
	    "reject_unauth_destination", "", PFR_SASL, 0, 0 },
	{ "permit_sasl_authenticated,reject", "permit_sasl_authenticated, "
	    "reject", "", PFR_SASL, 0, 1 },
	{ "permit_sasl_authenticated,reject: anonymous",
	    "permit_sasl_authenticated, reject", "", PFR_ANON, 0, 0 },
	{ "bare permit is open", "permit", "", PFR_ANON, 0, 1 },
	{ "permit ends the relay list only", "permit",
	    "reject_unauth_destination", PFR_ANON, 0, 0 },
	{ "both lists empty", "", "", PFR_ANON, 0, 1 },
	{ "recipient list alone blocks", "", "permit_mynetworks, "
	    "reject_unauth_destination", PFR_ANON, 0, 0 },
	{ "mynetworks 0/0 is open", "permit_mynetworks, reject", "",
	    PFR_ANON, 1, 1 },
	{ "policy service decides nothing", "check_policy_service "
	    "unix:/p, permit", "", PFR_ANON, 0, 1 },
	{ "access map argument is not a restriction", "check_client_access "
	    "reject, permit", "", PFR_ANON, 0, 1 },
	{ "braced policy service", "check_policy_service { inet:h:1, "
	    "timeout=10s }, reject", "", PFR_ANON, 0, 0 },
};

START_TEST(check_restr)
{
	const struct restr_case *t = &restr_cases[_i];
	struct pfr_list a, b;
	int	 got;

	pfrestr_parse(t->relay, &a);
	pfrestr_parse(t->rcpt, &b);
	got = pfrestr_relays(&a, &b, t->who, t->mynet_open);
	ck_assert_msg(got == t->want, "%s: got %d, want %d", t->name, got,
	    t->want);
	pfrestr_free(&a);
	pfrestr_free(&b);
}
END_TEST

START_TEST(check_restr_args)
{
	struct pfr_list l;

	pfrestr_parse("permit_mynetworks check_policy_service { inet:h:1, "
	    "timeout=10s } reject_rbl_client zen.example reject", &l);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_str_eq(l.v[1].name, "check_policy_service");
	ck_assert_str_eq(l.v[1].arg, "inet:h:1, timeout=10s");
	ck_assert_str_eq(l.v[2].arg, "zen.example");
	ck_assert_ptr_null(l.v[3].arg);
	ck_assert_int_eq(pfrestr_find(&l, "REJECT", 0), 3);
	ck_assert_int_eq(pfrestr_find(&l, "permit", 0), -1);
	pfrestr_free(&l);
}
END_TEST

static void
pfconf_suite(Suite *s)
{
	unit_one(s, "postconf output parsed", check_parse);
	unit_one(s, "service -o, main.cf, default", check_precedence);
	unit_loop(s, "parameter expansion", check_expand, NELEM(exp_cases));
	unit_loop(s, "malformed postconf output", check_bad, NELEM(bad_cases));
	unit_loop(s, "list splitting", check_split, NELEM(split_cases));
	unit_loop(s, "inet service names", check_port, NELEM(port_cases));
	unit_loop(s, "relay verdicts", check_restr, NELEM(restr_cases));
	unit_one(s, "restriction arguments", check_restr_args);
}

UNIT_MAIN("pfconf", pfconf_suite)
