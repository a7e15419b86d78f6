/* check_pfdoctor.c - unit tests for lib/postfix/pfdoctor.c: findings per mismatch */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "pfconf.h"
#include "pfdoctor.h"
#include "sbuf.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static Suite	*pfdoctor_suite(void);

/* 0: inbound + outbound; 1: plus a local instance; 2: chroot sockets;
 * 3: milter only, on inet */
static const char *const cfgs[] = {
"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\", \"match\": {\"name\":"
"   \"inbound\", \"address\": [\"192.0.2.10:25\"]}, \"auth\": \"forbid\","
"   \"recipients\": \"internal\"},\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\", \"match\": {\"name\":"
"   \"outbound\", \"address\": [\"10.0.0.10:25\"]}, \"auth\": \"require\","
"   \"rate_limits\": [{\"key\": \"sasl_username\", \"limit\": 5, \"window\":"
"    60, \"count\": \"recipients\", \"action\": \"defer\"}]}],\n"
" \"policyd\": {\"listen\": \"unix:/run/gatepost/policyd.sock\"},\n"
" \"milter\": {\"socket\": \"unix:/run/gatepost/milter.sock\"}}\n",

"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\", \"match\": {\"name\":"
"   \"inbound\", \"address\": [\"192.0.2.10:25\"]}, \"auth\": \"forbid\","
"   \"recipients\": \"internal\"},\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\", \"match\": {\"name\":"
"   \"outbound\", \"address\": [\"10.0.0.10:25\"]}, \"auth\": \"require\","
"   \"rate_limits\": [{\"key\": \"sasl_username\", \"limit\": 5, \"window\":"
"    60, \"count\": \"recipients\", \"action\": \"defer\"}]},\n"
"  {\"name\": \"local\", \"direction\": \"local\"}],\n"
" \"policyd\": {\"listen\": \"unix:/run/gatepost/policyd.sock\"},\n"
" \"milter\": {\"socket\": \"unix:/run/gatepost/milter.sock\"}}\n",

"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\", \"match\": {\"name\":"
"   \"inbound\", \"address\": [\"192.0.2.10:25\"]}, \"auth\": \"forbid\","
"   \"recipients\": \"internal\"},\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\", \"match\": {\"name\":"
"   \"outbound\", \"address\": [\"10.0.0.10:25\"]}, \"auth\": \"require\","
"   \"rate_limits\": [{\"key\": \"sasl_username\", \"limit\": 5, \"window\":"
"    60, \"count\": \"recipients\", \"action\": \"defer\"}]}],\n"
" \"policyd\": {\"listen\": "
"\"unix:/var/spool/postfix/gatepost/policyd.sock\"},\n"
" \"milter\": {\"socket\": "
"\"unix:/var/spool/postfix/gatepost/milter.sock\"}}\n",

"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\", \"match\": {\"name\":"
"   \"inbound\", \"address\": [\"192.0.2.10:25\"]}, \"auth\": \"forbid\","
"   \"recipients\": \"internal\"},\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\", \"match\": {\"name\":"
"   \"outbound\", \"address\": [\"10.0.0.10:25\"]}, \"auth\": \"require\"}],\n"
" \"milter\": {\"socket\": \"inet:8891@127.0.0.1\"}}\n",

/* 4: config 0 with TLS for both faces and a partner */
"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n"
" \"tls\": {\"partners\": [\"partner.example\"]},\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\", \"match\": {\"name\":"
"   \"inbound\", \"address\": [\"192.0.2.10:25\"]}, \"auth\": \"forbid\","
"   \"recipients\": \"internal\", \"tls\": {\"level\": \"may\","
"   \"min_protocol\": \"TLSv1.2\", \"cert_file\": \"/etc/gp/in.pem\","
"   \"key_file\": \"/etc/gp/in.key\"}},\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\", \"match\": {\"name\":"
"   \"outbound\", \"address\": [\"10.0.0.10:25\"]}, \"auth\": \"require\","
"   \"tls\": {\"level\": \"encrypt\"},"
"   \"rate_limits\": [{\"key\": \"sasl_username\", \"limit\": 5, \"window\":"
"    60, \"count\": \"recipients\", \"action\": \"defer\"}]}],\n"
" \"policyd\": {\"listen\": \"unix:/run/gatepost/policyd.sock\"},\n"
" \"milter\": {\"socket\": \"unix:/run/gatepost/milter.sock\"}}\n",
};

/* the files the TLS cases know: (path, uid, mode) */
static const struct fake_file {
	const char *path;
	unsigned long uid;
	unsigned mode;
} fake_files[] = {
	{ "/etc/gp/in.pem", 0, 0644 },
	{ "/etc/gp/in.key", 0, 0600 },
	{ "/etc/gp/out.pem", 0, 0400 },
	{ "/etc/gp/group.key", 0, 0640 },
	{ "/etc/gp/theirs.key", 110, 0600 },
};

/* fake_stat - a file system of fake_files only */
static int
fake_stat(void *ctx, const char *path, struct pfdoc_file *st)
{
	size_t	 i;

	(void)ctx;
	memset(st, 0, sizeof(*st));
	for (i = 0; i < NELEM(fake_files); i++)
		if (strcmp(path, fake_files[i].path) == 0) {
			st->exists = 1;
			st->uid = fake_files[i].uid;
			st->mode = fake_files[i].mode;
		}
	return 0;
}

static const char main_n[] =
"milter_default_action = tempfail\n"
"gatepost_policy = check_policy_service unix:/run/gatepost/policyd.sock\n"
"gatepost_milters = unix:/run/gatepost/milter.sock\n";

static const char main_all[] =
"myhostname = gw.example.com\n"
"queue_directory = /var/spool/postfix\n"
"milter_macro_daemon_name = $myhostname\n"
"smtpd_policy_service_policy_context =\n"
"smtpd_sasl_auth_enable = no\n"
"smtpd_tls_auth_only = no\n"
"smtpd_relay_restrictions = permit_mynetworks, permit_sasl_authenticated, "
"defer_unauth_destination\n"
"smtpd_recipient_restrictions =\n"
"smtpd_sender_restrictions =\n"
"smtpd_end_of_data_restrictions =\n"
"smtpd_milters =\n"
"non_smtpd_milters =\n"
"mynetworks = 127.0.0.0/8 [::1]/128\n"
"relay_recipient_maps =\n"
"smtpd_reject_unlisted_recipient = yes\n"
"smtpd_service_name = smtpd\n"
"cleanup_service_name = cleanup\n"
"smtpd_tls_key_file = $smtpd_tls_cert_file\n"
"milter_default_action = tempfail\n";

static const char master_m[] =
"192.0.2.10:25 inet n - n - - smtpd\n"
"10.0.0.10:25 inet n - n - - smtpd\n"
"pickup unix n - y 60 1 pickup\n"
"cleanup unix n - y - 0 cleanup\n";

static const char master_p[] =
"192.0.2.10:25/inet/milter_macro_daemon_name = inbound\n"
"192.0.2.10:25/inet/smtpd_policy_service_policy_context = inbound\n"
"192.0.2.10:25/inet/smtpd_sasl_auth_enable = no\n"
"192.0.2.10:25/inet/smtpd_relay_restrictions = reject_unauth_destination\n"
"192.0.2.10:25/inet/smtpd_sender_restrictions = $gatepost_policy\n"
"192.0.2.10:25/inet/smtpd_recipient_restrictions = "
"reject_unverified_recipient\n"
"192.0.2.10:25/inet/smtpd_milters = $gatepost_milters\n"
"10.0.0.10:25/inet/milter_macro_daemon_name = outbound\n"
"10.0.0.10:25/inet/smtpd_policy_service_policy_context = outbound\n"
"10.0.0.10:25/inet/smtpd_sasl_auth_enable = yes\n"
"10.0.0.10:25/inet/smtpd_tls_auth_only = yes\n"
"10.0.0.10:25/inet/smtpd_relay_restrictions = permit_sasl_authenticated, "
"reject\n"
"10.0.0.10:25/inet/smtpd_sender_restrictions = $gatepost_policy\n"
"10.0.0.10:25/inet/smtpd_end_of_data_restrictions = $gatepost_policy\n"
"10.0.0.10:25/inet/smtpd_milters = $gatepost_milters\n";

#define IN	"192.0.2.10:25/inet/"
#define OUT	"10.0.0.10:25/inet/"

/* what gatepostctl postfix writes for config 4 */
#define TLS_MAIN	"default_transport = gatepost-out\n"
#define TLS_MASTER	"192.0.2.10:25 inet n - n - - smtpd\n" \
	"10.0.0.10:25 inet n - n - - smtpd\n" \
	"gatepost-out unix - - n - - smtp\n"
#define TLS_P	IN "smtpd_tls_security_level = may\n" \
	IN "smtpd_tls_protocols = >=TLSv1.2\n" \
	IN "smtpd_tls_mandatory_protocols = >=TLSv1.2\n" \
	IN "smtpd_tls_chain_files = /etc/gp/in.key,/etc/gp/in.pem\n" \
	OUT "smtpd_tls_security_level = encrypt\n" \
	OUT "smtpd_tls_cert_file = /etc/gp/out.pem\n" \
	"gatepost-out/unix/smtp_tls_policy_maps = " \
	"inline:{ partner.example=secure }\n"

static const struct doc_case {
	const char *name;
	int	 cfg;			/* index into cfgs */
	const char *main;		/* NULL: main_n */
	const char *main_add;		/* appended to main.cf */
	const char *master;		/* NULL: master_m */
	const char *master_add;		/* appended to -M */
	const char *params_add;		/* appended to -P (later wins) */
	const char *want;		/* ids, sorted, space separated */
} doc_cases[] = {
	{ "generated-style config is clean", 0, NULL, NULL, NULL, NULL, NULL,
	    "" },
	{ "AUTH on a forbid face", 0, NULL, NULL, NULL, NULL,
	    IN "smtpd_sasl_auth_enable = yes\n", "auth-exposed" },
	{ "no AUTH on a require face", 0, NULL, NULL, NULL, NULL,
	    OUT "smtpd_sasl_auth_enable = no\n", "auth-missing" },
	{ "AUTH before STARTTLS", 0, NULL, NULL, NULL, NULL,
	    OUT "smtpd_tls_auth_only = no\n", "auth-cleartext" },
	{ "milter_default_action left to the default", 0, "", "gatepost_policy"
	    " = check_policy_service unix:/run/gatepost/policyd.sock\n"
	    "gatepost_milters = unix:/run/gatepost/milter.sock\n", NULL, NULL,
	    NULL, "default-action" },
	{ "milter_default_action accept", 0, NULL,
	    "milter_default_action = accept\n", NULL, NULL, NULL,
	    "default-action" },
	{ "-o milter_default_action=accept", 0, NULL, NULL, NULL, NULL,
	    IN "milter_default_action = accept\n", "default-action" },
	{ "a face without the milter", 0, NULL, NULL, NULL, NULL,
	    IN "smtpd_milters =\n", "milter-missing" },
	{ "inet milter: localhost is 127.0.0.1", 3, "milter_default_action = "
	    "tempfail\ngatepost_milters = inet:localhost:8891\n", NULL, NULL,
	    NULL, NULL, "" },
	{ "inet milter on another port", 3, "milter_default_action = "
	    "tempfail\ngatepost_milters = inet:127.0.0.1:8892\n", NULL, NULL,
	    NULL, NULL, "milter-missing milter-missing" },
	{ "a face with another milter", 0, NULL, NULL, NULL, NULL,
	    IN "smtpd_milters = inet:127.0.0.1:8891\n", "milter-missing" },
	{ "a face without the policy service", 0, NULL, NULL, NULL, NULL,
	    IN "smtpd_sender_restrictions =\n", "policy-missing" },
	{ "policy service after the relay check", 0, NULL, NULL, NULL, NULL,
	    IN "smtpd_sender_restrictions =\n" IN "smtpd_recipient_restrictions"
	    " = reject_unverified_recipient, $gatepost_policy\n",
	    "policy-late" },
	{ "recipient rate limit without end of data", 0, NULL, NULL, NULL,
	    NULL, OUT "smtpd_end_of_data_restrictions =\n", "policy-eod" },
	{ "daemon_name matching no instance", 0, NULL, NULL, NULL, NULL,
	    IN "milter_macro_daemon_name = inbund\n", "unknown-name" },
	{ "policy_context matching no instance", 0, NULL, NULL, NULL, NULL,
	    IN "smtpd_policy_service_policy_context = INBOUND-X\n",
	    "unknown-name" },
	{ "names of two instances on one face", 0, NULL, NULL, NULL, NULL,
	    OUT "milter_macro_daemon_name = inbound\n", "unknown-name" },
	{ "open relay: permit", 0, NULL, NULL, NULL, NULL,
	    IN "smtpd_relay_restrictions = permit\n", "open-relay" },
	{ "open relay: mynetworks 0/0", 0, NULL, NULL, NULL, NULL,
	    IN "mynetworks = 0.0.0.0/0\n" IN "smtpd_relay_restrictions = "
	    "permit_mynetworks, reject_unauth_destination\n", "open-relay" },
	{ "outbound cannot relay", 0, NULL, NULL, NULL, NULL,
	    OUT "smtpd_relay_restrictions = reject_unauth_destination\n",
	    "cannot-relay" },
	{ "inbound without recipient validation", 0, NULL, NULL, NULL, NULL,
	    IN "smtpd_recipient_restrictions =\n", "no-validation" },
	{ "relay_recipient_maps validates", 0, NULL,
	    "relay_recipient_maps = hash:/etc/postfix/relay_recipients\n",
	    NULL, NULL, IN "smtpd_recipient_restrictions =\n", "" },
	{ "relay_recipient_maps without unlisted rejection", 0, NULL,
	    "relay_recipient_maps = hash:/etc/postfix/relay_recipients\n"
	    "smtpd_reject_unlisted_recipient = no\n", NULL, NULL,
	    IN "smtpd_recipient_restrictions =\n", "no-validation" },
	{ "stock smtpd on every address", 0, NULL, NULL, NULL,
	    "smtp inet n - y - - smtpd\n", NULL, "bind-conflict bypass" },
	{ "loopback reinjection smtpd is fine", 0, NULL, NULL, NULL,
	    "127.0.0.1:10025 inet n - n - - smtpd\n", NULL, "" },
	{ "wired face matching no instance", 0, NULL, NULL, NULL,
	    "192.0.2.99:25 inet n - n - - smtpd\n",
	    "192.0.2.99:25/inet/smtpd_milters = $gatepost_milters\n",
	    "unknown-face" },
	{ "both names unknown, instance found by address", 0, NULL, NULL,
	    NULL, NULL,
	    OUT "milter_macro_daemon_name = other\n"
	    OUT "smtpd_policy_service_policy_context = other\n",
	    "unknown-name unknown-name" },
	{ "chrooted face, sockets outside the queue", 0, NULL, NULL,
	    "192.0.2.10:25 inet n - y - - smtpd\n"
	    "10.0.0.10:25 inet n - n - - smtpd\n", NULL, NULL,
	    "chroot-socket chroot-socket" },
	{ "chrooted faces, sockets inside the queue", 2,
	    "milter_default_action = tempfail\n"
	    "gatepost_policy = check_policy_service unix:gatepost/policyd.sock\n"
	    "gatepost_milters = unix:/gatepost/milter.sock\n", NULL,
	    "192.0.2.10:25 inet n - y - - smtpd\n"
	    "10.0.0.10:25 inet n - y - - smtpd\n", NULL, NULL, "" },
	{ "postscreen in front", 0, NULL, NULL,
	    "192.0.2.10:25 inet n - n - 1 postscreen\n"
	    "gatepost-inbound pass - - n - - smtpd\n"
	    "10.0.0.10:25 inet n - n - - smtpd\n", NULL,
	    IN "smtpd_service_name = gatepost-inbound\n"
	    "gatepost-inbound/pass/milter_macro_daemon_name = inbound\n"
	    "gatepost-inbound/pass/smtpd_policy_service_policy_context = "
	    "inbound\n"
	    "gatepost-inbound/pass/smtpd_relay_restrictions = "
	    "reject_unauth_destination\n"
	    "gatepost-inbound/pass/smtpd_sender_restrictions = "
	    "$gatepost_policy\n"
	    "gatepost-inbound/pass/smtpd_recipient_restrictions = "
	    "reject_unverified_recipient\n"
	    "gatepost-inbound/pass/smtpd_milters = $gatepost_milters\n", "" },
	{ "postscreen without its pass service", 0, NULL, NULL,
	    "192.0.2.10:25 inet n - n - 1 postscreen\n"
	    "10.0.0.10:25 inet n - n - - smtpd\n", NULL,
	    IN "smtpd_service_name = nowhere\n", "no-face no-face" },
	{ "local instance wired", 1, NULL,
	    "non_smtpd_milters = $gatepost_milters\n",
	    "192.0.2.10:25 inet n - n - - smtpd\n"
	    "10.0.0.10:25 inet n - n - - smtpd\n"
	    "pickup unix n - n 60 1 pickup\n"
	    "gatepost-local unix n - n - 0 cleanup\n", NULL,
	    "pickup/unix/cleanup_service_name = gatepost-local\n"
	    "gatepost-local/unix/milter_macro_daemon_name = local\n", "" },
	{ "local instance, no non_smtpd_milters", 1, NULL, NULL, NULL, NULL,
	    NULL, "local" },
	{ "local mail through a chrooted cleanup", 0, NULL,
	    "non_smtpd_milters = $gatepost_milters\n", NULL, NULL, NULL,
	    "chroot-socket" },
	{ "local mail named as no instance", 0, NULL,
	    "non_smtpd_milters = $gatepost_milters\n",
	    "192.0.2.10:25 inet n - n - - smtpd\n"
	    "10.0.0.10:25 inet n - n - - smtpd\n"
	    "pickup unix n - y 60 1 pickup\n"
	    "cleanup unix n - n - 0 cleanup\n", NULL, NULL, "local" },
	{ "cleanup naming no instance", 0, NULL, NULL, NULL, NULL,
	    "cleanup/unix/milter_macro_daemon_name = nobody\n",
	    "unknown-name" },
	{ "tls: generated-style config is clean", 4, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P, "" },
	{ "tls: inbound level not as configured", 4, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P IN "smtpd_tls_security_level = none\n",
	    "tls-level" },
	{ "tls: outbound may instead of encrypt", 4, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P OUT "smtpd_tls_security_level = may\n",
	    "tls-level" },
	{ "tls: old protocols allowed", 4, NULL, TLS_MAIN, TLS_MASTER, NULL,
	    TLS_P IN "smtpd_tls_protocols = !SSLv2, !SSLv3\n",
	    "tls-protocols" },
	{ "tls: mandatory protocols from TLSv1.1", 4, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P
	    IN "smtpd_tls_mandatory_protocols = >=TLSv1.1\n",
	    "tls-protocols" },
	{ "tls: only new protocols listed", 4, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P IN "smtpd_tls_protocols = TLSv1.2, TLSv1.3\n", "" },
	{ "tls: certificate file missing", 4, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P IN "smtpd_tls_chain_files = /etc/gp/in.key,"
	    "/etc/gp/gone.pem\n", "tls-cert-missing" },
	{ "tls: outbound cert missing", 4, NULL, TLS_MAIN, TLS_MASTER, NULL,
	    TLS_P OUT "smtpd_tls_cert_file = /etc/gp/gone.pem\n",
	    "tls-cert-missing" },
	{ "tls: cert and key in one file, readable by all", 4, NULL,
	    TLS_MAIN, TLS_MASTER, NULL,
	    TLS_P OUT "smtpd_tls_cert_file = /etc/gp/in.pem\n",
	    "tls-key-mode" },
	{ "tls: face with a level but no certificate", 4, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P IN "smtpd_tls_chain_files =\n",
	    "tls-cert-missing" },
	{ "tls: key readable by the group", 4, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P OUT "smtpd_tls_key_file = /etc/gp/group.key\n",
	    "tls-key-mode" },
	{ "tls: key owned by another user", 4, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P IN "smtpd_tls_chain_files = /etc/gp/theirs.key,"
	    "/etc/gp/in.pem\n", "tls-key-mode" },
	{ "tls: partners without a policy table", 4, NULL,
	    "default_transport = smtp\n", TLS_MASTER, NULL, TLS_P,
	    "tls-partners" },
	{ "tls: partner missing from the table", 4, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P "gatepost-out/unix/smtp_tls_policy_maps = "
	    "inline:{ { partner.example = may }, other.example=secure }\n",
	    "tls-partners" },
	{ "tls: braced partner entry counts", 4, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P "gatepost-out/unix/smtp_tls_policy_maps = "
	    "inline:{ { partner.example = secure match=nexthop } }\n", "" },
	{ "tls: relayhost makes partners useless", 4, NULL,
	    TLS_MAIN "relayhost = [relay.example.net]\n", TLS_MASTER, NULL,
	    TLS_P, "tls-partners-relayhost" },
};

/* load_cfg - one of the test configs */
static struct cfg *
load_cfg(int i)
{
	struct cfg_errors errs;
	struct cfg *cfg;

	memset(&errs, 0, sizeof(errs));
	cfg = cfg_parse(cfgs[i], strlen(cfgs[i]), "doctor.json", ".", NULL,
	    &errs);
	if (errs.err.n > 0)
		fprintf(stderr, "%s\n", errs.err.v[0]);
	cfg_errors_free(&errs);
	ck_assert_msg(cfg != NULL, "test config %d does not load", i);
	return cfg;
}

/* run - the sorted ids of the findings for a case */
static char *
run(const struct doc_case *t)
{
	struct pfconf pf;
	struct pfdoc doc;
	struct sbuf m, ids;
	struct cfg *cfg = load_cfg(t->cfg);
	char	 why[128], *p;
	size_t	 i, j;

	memset(&pf, 0, sizeof(pf));
	memset(&doc, 0, sizeof(doc));
	doc.stat = fake_stat;
	sbuf_init(&m);
	sbuf_puts(&m, t->master != NULL ? t->master : master_m);
	sbuf_puts(&m, t->master_add != NULL ? t->master_add : "");
	ck_assert_int_eq(pfconf_parse_main(&pf, 0, t->main != NULL ? t->main :
	    main_n, why, sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_main(&pf, 0, t->main_add != NULL ?
	    t->main_add : "", why, sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_main(&pf, 1, main_all, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_master(&pf, sbuf_str(&m), why,
	    sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_params(&pf, master_p, why,
	    sizeof(why)), 0);
	ck_assert_msg(pfconf_parse_params(&pf, t->params_add != NULL ?
	    t->params_add : "", why, sizeof(why)) == 0, "%s: %s", t->name,
	    why);
	(void)pfdoctor_check(cfg, &pf, &doc);
	for (i = 0; i < doc.n; i++) {	/* sort ids, then join */
		for (j = i + 1; j < doc.n; j++)
			if (strcmp(doc.v[j].id, doc.v[i].id) < 0) {
				p = doc.v[i].id;
				doc.v[i].id = doc.v[j].id;
				doc.v[j].id = p;
			}
	}
	sbuf_init(&ids);
	for (i = 0; i < doc.n; i++) {
		sbuf_printf(&ids, "%s%s", i ? " " : "", doc.v[i].id);
		ck_assert_msg(*doc.v[i].problem != '\0' && *doc.v[i].fix !=
		    '\0', "%s: finding %s without text", t->name, doc.v[i].id);
	}
	pfdoctor_free(&doc);
	pfconf_free(&pf);
	sbuf_free(&m);
	cfg_release(cfg);
	return sbuf_take(&ids);
}

START_TEST(check_findings)
{
	const struct doc_case *t = &doc_cases[_i];
	char	*got;

	got = run(t);
	ck_assert_msg(strcmp(got, t->want) == 0, "%s: got \"%s\", want \"%s\"",
	    t->name, got, t->want);
	free(got);
}
END_TEST

/* a face missing for an instance address is named with its fix */
START_TEST(check_missing_face)
{
	struct pfconf pf;
	struct pfdoc doc;
	struct cfg *cfg = load_cfg(0);
	char	 why[128];

	memset(&pf, 0, sizeof(pf));
	memset(&doc, 0, sizeof(doc));
	ck_assert_int_eq(pfconf_parse_main(&pf, 0, main_n, why, sizeof(why)),
	    0);
	ck_assert_int_eq(pfconf_parse_main(&pf, 1, main_all, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_master(&pf,
	    "192.0.2.10:25 inet n - n - - smtpd\n", why, sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_params(&pf, "192.0.2.10:25/inet/"
	    "milter_macro_daemon_name = inbound\n", why, sizeof(why)), 0);
	(void)pfdoctor_check(cfg, &pf, &doc);
	ck_assert_uint_ge(doc.n, 1);
	ck_assert_str_eq(doc.v[0].id, "no-face");
	ck_assert_msg(strstr(doc.v[0].problem, "instance outbound") != NULL &&
	    strstr(doc.v[0].problem, "10.0.0.10:25") != NULL, "got %s",
	    doc.v[0].problem);
	ck_assert_msg(strstr(doc.v[0].fix, "10.0.0.10:25 inet n - n - - "
	    "smtpd") != NULL, "got %s", doc.v[0].fix);
	ck_assert_uint_eq(doc.n_faces, 1);
	pfdoctor_free(&doc);
	pfconf_free(&pf);
	cfg_release(cfg);
}
END_TEST

static Suite *
pfdoctor_suite(void)
{
	Suite	*s = suite_create("pfdoctor");
	TCase	*tc = tcase_create("one finding per mismatch");

	tcase_add_loop_test(tc, check_findings, 0, (int)NELEM(doc_cases));
	suite_add_tcase(s, tc);
	tc = tcase_create("missing face names address and fix");
	tcase_add_test(tc, check_missing_face);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(pfdoctor_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
