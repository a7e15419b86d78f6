/* check_pfgen.c - unit tests for lib/postfix/pfgen.c and lib/postfix/pfgen_master.c */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "pfgen.h"
#include "unit.h"



static const struct target_case {
	const char *name, *in;
	int	 want;
	const char *out;
} milter_cases[] = {
	{ "unix", "unix:/run/gatepost/milter.sock", 0,
	    "unix:/run/gatepost/milter.sock" },
	{ "local is unix", "local:/run/m.sock", 0, "unix:/run/m.sock" },
	{ "bare path", "/run/m.sock", 0, "unix:/run/m.sock" },
	{ "inet port@host", "inet:8891@127.0.0.1", 0, "inet:127.0.0.1:8891" },
	{ "inet port only", "inet:8891", 0, "inet:127.0.0.1:8891" },
	{ "inet6", "inet6:8891@::1", 0, "inet:[::1]:8891" },
	{ "unknown scheme", "tcp:1@h", -1, NULL },
};

START_TEST(check_milter_target)
{
	const struct target_case *t = &milter_cases[_i];
	char	 buf[128];
	int	 rc = pfgen_milter_target(t->in, buf, sizeof(buf));

	ck_assert_msg(rc == t->want, "%s: got %d, want %d", t->name, rc,
	    t->want);
	if (rc == 0)
		ck_assert_msg(strcmp(buf, t->out) == 0, "%s: got %s, want %s",
		    t->name, buf, t->out);
}
END_TEST

static const char json[] =
"{\"version\": 1, \"internal_domains\": [\"example.com\", \".example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"in\", \"direction\": \"inbound\", \"match\": {\"name\": "
"\"IN\", \"address\": [\"192.0.2.10:25\", \"[2001:db8::10]:25\"]}, "
"\"auth\": \"forbid\", \"recipients\": \"internal\", \"limits\": "
"{\"message_size\": 20000000, \"recipients\": 100, \"connections\": 20, "
"\"connection_rate\": 60, \"command_timeout\": 120, "
"\"greeting_timeout\": 30, \"messages_per_session\": 10}},\n"
"  {\"name\": \"relay\", \"direction\": \"internal\", \"match\": "
"{\"address\": [\"10.0.0.11:25\"]}, \"auth\": \"optional\", "
"\"clients\": {\"allow\": [\"10.0.0.0/8\", \"2001:db8:1::/48\"]}},\n"
"  {\"name\": \"lan\", \"direction\": \"outbound\", \"auth\": \"forbid\", "
"\"limits\": {\"message_size\": 1000}},\n"
"  {\"name\": \"local\", \"direction\": \"local\"}],\n"
" \"milter\": {\"socket\": \"inet:8891@127.0.0.1\"}}\n";

static const struct has_case {
	const char *name;
	int	 master;		/* 1 master.cf, 0 main.cf */
	const char *want;
} has_cases[] = {
	{ "milter in Postfix syntax", 0,
	    "\ngatepost_milters = inet:127.0.0.1:8891\n" },
	{ "no policy service without policyd", 0, "no policy service" },
	{ "milter_default_action explicit", 0,
	    "\nmilter_default_action = tempfail\n" },
	{ "local mail filtered", 0, "\nnon_smtpd_milters = $gatepost_milters\n" },
	{ "relay domains", 0, "\nrelay_domains = example.com, .example.com\n" },
	{ "relay host", 0, "    .example.com=gatepost-in:[10.1.1.1]:25 }\n" },
	{ "default transport", 0, "\ndefault_transport = gatepost-out\n" },
	{ "v6 face", 1, "\n[2001:db8::10]:25 inet n - n - - smtpd\n" },
	{ "face name from match.name", 1,
	    "\n  -o milter_macro_daemon_name=IN\n" },
	{ "address-only face has no name", 1,
	    "gatepost knows this face by its\n" },
	{ "mynetworks from clients.allow", 1,
	    "\n  -o mynetworks=10.0.0.0/8,[2001:db8:1::]/48\n" },
	{ "auth optional relays for both", 1, "\n  -o smtpd_relay_restrictions="
	    "permit_sasl_authenticated,permit_mynetworks,reject\n" },
	{ "TLS-only AUTH", 1, "\n  -o smtpd_tls_auth_only=yes\n" },
	{ "template for an instance without address", 1,
	    "\n#ADDRESS:25 inet n - n - - smtpd\n#  -o syslog_name=postfix-lan\n"
	    },
	{ "forbid without allow: no relay", 1,
	    "#  -o smtpd_relay_restrictions=reject_unauth_destination\n" },
	{ "pickup through its own cleanup", 1,
	    "\n  -o cleanup_service_name=gatepost-local\n" },
	{ "local face name", 1, "\n  -o milter_macro_daemon_name=local\n" },
	{ "public bind address v4", 1, "\n  -o smtp_bind_address=192.0.2.10\n" },
	{ "public bind address v6", 1,
	    "\n  -o smtp_bind_address6=2001:db8::10\n" },
	{ "no outbound address to bind", 1,
	    "  #-o smtp_bind_address=ADDRESS\n" },
	{ "inbound recipient validation", 1, "\n  -o smtpd_recipient_"
	    "restrictions=reject_unverified_recipient\n" },
	{ "limits: size on smtpd", 1, "\n  -o message_size_limit=20000000\n"
	    "  # cleanup enforces" },
	{ "limits: the face's own cleanup", 1, "\n  -o cleanup_service_name="
	    "gatepost-cleanup-in\n" },
	{ "limits: cleanup service with the size", 1, "\ngatepost-cleanup-in "
	    "unix n - n - 0 cleanup\n  # log lines read postfix/gatepost-"
	    "cleanup-NAME/cleanup\n  -o syslog_name=postfix/$service_name\n"
	    "  # limits.message_size\n  -o message_size_limit=20000000\n" },
	{ "limits: recipients", 1, "\n  -o smtpd_recipient_limit=100\n" },
	{ "limits: connections", 1,
	    "\n  -o smtpd_client_connection_count_limit=20\n" },
	{ "limits: connection rate", 1,
	    "\n  -o smtpd_client_connection_rate_limit=60\n" },
	{ "limits: no mynetworks exception", 1,
	    "\n  -o { smtpd_client_event_limit_exceptions = }\n" },
	{ "limits: command timeout", 1, "\n  -o smtpd_timeout=120s\n" },
	{ "limits: greeting timeout on the inbound face's transport", 1,
	    "  #-o smtp_bind_address=ADDRESS\n  # limits.greeting_timeout of the in "
	    "face: seconds the next hop may take\n  # to greet\n"
	    "  -o smtp_helo_timeout=30s\n" },
	{ "limits: session limit is the milter's", 1,
	    "limits.messages_per_session is enforced by gatepost-milter" },
	{ "limits: template cleanup commented", 1,
	    "\n#gatepost-cleanup-lan unix n - n - 0 cleanup\n"
	    "#  -o syslog_name=postfix/$service_name\n"
	    "#  -o message_size_limit=1000\n" },
};

/* what must not be there: nothing without its key */
static const struct has_case no_cases[] = {
	{ "limits: none, no cleanup service", 1, "gatepost-cleanup-relay" },
};

START_TEST(check_contains)
{
	const struct has_case *t = &has_cases[_i];
	struct pfgen_opts o = { "test.json", "[10.1.1.1]:25" };
	struct cfg *cfg;
	char	*text, *p;

	cfg = unit_cfg(json, "test.json");
	text = t->master ? pfgen_master(cfg, &o) : pfgen_main(cfg, &o);
	ck_assert_msg(strstr(text, t->want) != NULL, "%s: \"%s\" not in\n%s",
	    t->name, t->want, text);
	for (p = text; *p != '\0'; p += strcspn(p, "\n") + (p[strcspn(p,
	    "\n")] != '\0'))
		ck_assert_msg(strcspn(p, "\n") <= 80 || strncmp(p,
		    "transport_maps", 14) == 0, "%s: line over 80 columns: "
		    "%.90s", t->name, p);
	free(text);
	cfg_release(cfg);
}
END_TEST

START_TEST(check_absent)
{
	const struct has_case *t = &no_cases[_i];
	struct pfgen_opts o = { "test.json", "[10.1.1.1]:25" };
	struct cfg *cfg;
	char	*text;

	cfg = cfg_parse(json, strlen(json), "test.json", ".", NULL, NULL);
	ck_assert_ptr_nonnull(cfg);
	text = t->master ? pfgen_master(cfg, &o) : pfgen_main(cfg, &o);
	ck_assert_msg(strstr(text, t->want) == NULL, "%s: \"%s\" in\n%s",
	    t->name, t->want, text);
	free(text);
	cfg_release(cfg);
}
END_TEST

UNIT_MAIN_TCS("pfgen",
    UNIT_TC_LOOP("libmilter spec to smtpd_milters", check_milter_target,
		milter_cases),
    UNIT_TC_LOOP("fragments carry each setting", check_contains, has_cases),
    UNIT_TC_LOOP("fragments carry nothing unasked", check_absent, no_cases))
