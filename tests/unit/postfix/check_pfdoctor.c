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
#include "unit.h"



/* the instances every config has: inbound (forbid) and outbound (require) */
#define CFG_FACES \
"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n" \
" \"instances\": [\n" \
"  {\"name\": \"inbound\", \"direction\": \"inbound\", \"match\": {\"name\":" \
"   \"inbound\", \"address\": [\"192.0.2.10:25\"]}, \"auth\": \"forbid\"," \
"   \"recipients\": \"internal\"},\n" \
"  {\"name\": \"outbound\", \"direction\": \"outbound\", " \
"\"match\": {\"name\":   \"outbound\", \"address\": [\"10.0.0.10:25\"]}, " \
"\"auth\": \"require\""
/* outbound's rate limit */
#define CFG_RATE \
",   \"rate_limits\": [{\"key\": \"sasl_username\", \"limit\": 5, \"window\":" \
"    60, \"count\": \"recipients\", \"action\": \"defer\"}]"
/* both daemons on unix sockets in DIR */
#define CFG_SOCKETS(dir) \
" \"policyd\": {\"listen\": \"unix:" dir "/policyd.sock\"},\n" \
" \"milter\": {\"socket\": \"unix:" dir "/milter.sock\"}}\n"

/* 0: inbound + outbound; 1: plus a local instance; 2: chroot sockets;
 * 3: milter only, on inet; 4: as 0, outbound adds a disclaimer;
 * 5: as 0 with a virus block of 5 MB and connection caps of 150
 * (milter) and 250 (policyd); 6: TLS for both faces and a partner */
static const char *const cfgs[] = {
	CFG_FACES CFG_RATE "}],\n" CFG_SOCKETS("/run/gatepost"),
	CFG_FACES CFG_RATE "},\n"
	"  {\"name\": \"local\", \"direction\": \"local\"}],\n"
	CFG_SOCKETS("/run/gatepost"),
	CFG_FACES CFG_RATE "}],\n" CFG_SOCKETS("/var/spool/postfix/gatepost"),
	CFG_FACES "}],\n"
	" \"milter\": {\"socket\": \"inet:8891@127.0.0.1\"}}\n",
	CFG_FACES ",   \"disclaimer\": {\"text\": \"Confidential.\"}" CFG_RATE
	"}],\n" CFG_SOCKETS("/run/gatepost"),
"{\"version\": 1, \"internal_domains\": [\"example.com\"],\n"
" \"instances\": [\n"
"  {\"name\": \"inbound\", \"direction\": \"inbound\", \"match\": {\"name\":"
"   \"inbound\", \"address\": [\"192.0.2.10:25\"]}, \"auth\": \"forbid\","
"   \"recipients\": \"internal\", \"virus\": {\"server\": "
"   \"unix:/run/clamav/clamd.ctl\", \"max_size\": 5000000}},\n"
"  {\"name\": \"outbound\", \"direction\": \"outbound\", \"match\": {\"name\":"
"   \"outbound\", \"address\": [\"10.0.0.10:25\"]}, \"auth\": \"require\","
"   \"rate_limits\": [{\"key\": \"sasl_username\", \"limit\": 5, \"window\":"
"    60, \"count\": \"recipients\", \"action\": \"defer\"}]}],\n"
" \"policyd\": {\"listen\": \"unix:/run/gatepost/policyd.sock\","
"   \"max_connections\": 250},\n"
" \"milter\": {\"socket\": \"unix:/run/gatepost/milter.sock\","
"   \"max_connections\": 150}}\n",

/* 6: config 0 with TLS for both faces and a partner */
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
	{ "/etc/postfix/gateway.pem", 0, 0600 },	/* main_all: cert + key */
	{ "/etc/postfix/gateway-chain.pem", 0, 0600 },
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
"milter_default_action = tempfail\n"
"smtpd_tls_security_level =\n"
"smtpd_tls_cert_file = /etc/postfix/gateway.pem\n"
"smtpd_tls_chain_files =\n";

static const char master_m[] =
"192.0.2.10:25 inet n - n - - smtpd\n"
"10.0.0.10:25 inet n - n - - smtpd\n"
"pickup unix n - y 60 1 pickup\n"
"cleanup unix n - y - 0 cleanup\n";

static const char master_p[] =
"192.0.2.10:25/inet/milter_macro_daemon_name = inbound\n"
"192.0.2.10:25/inet/smtpd_policy_service_policy_context = inbound\n"
"192.0.2.10:25/inet/smtpd_sasl_auth_enable = no\n"
"192.0.2.10:25/inet/smtpd_tls_security_level = may\n"
"192.0.2.10:25/inet/smtpd_relay_restrictions = reject_unauth_destination\n"
"192.0.2.10:25/inet/smtpd_sender_restrictions = $gatepost_policy\n"
"192.0.2.10:25/inet/smtpd_recipient_restrictions = "
"reject_unverified_recipient\n"
"192.0.2.10:25/inet/smtpd_milters = $gatepost_milters\n"
"10.0.0.10:25/inet/milter_macro_daemon_name = outbound\n"
"10.0.0.10:25/inet/smtpd_policy_service_policy_context = outbound\n"
"10.0.0.10:25/inet/smtpd_sasl_auth_enable = yes\n"
"10.0.0.10:25/inet/smtpd_tls_security_level = may\n"
"10.0.0.10:25/inet/smtpd_tls_auth_only = yes\n"
"10.0.0.10:25/inet/smtpd_relay_restrictions = permit_sasl_authenticated, "
"reject\n"
"10.0.0.10:25/inet/smtpd_sender_restrictions = $gatepost_policy\n"
"10.0.0.10:25/inet/smtpd_end_of_data_restrictions = $gatepost_policy\n"
"10.0.0.10:25/inet/smtpd_milters = $gatepost_milters\n";

#define IN	"192.0.2.10:25/inet/"
#define OUT	"10.0.0.10:25/inet/"

/* the generated-style configuration but for what -P adds (config 0) */
static const struct param_case {
	const char *name;
	const char *want;		/* ids, sorted, space separated */
	const char *params_add;		/* appended to -P (later wins) */
} param_cases[] = {
	{ "AUTH on a forbid face", "auth-exposed",
	    IN "smtpd_sasl_auth_enable = yes\n" },
	{ "no AUTH on a require face", "auth-missing",
	    OUT "smtpd_sasl_auth_enable = no\n" },
	{ "AUTH before STARTTLS", "auth-cleartext",
	    OUT "smtpd_tls_auth_only = no\n" },
	{ "STARTTLS off on the AUTH face", "no-tls",
	    OUT "smtpd_tls_security_level = none\n" },
	{ "STARTTLS left to the empty default on the AUTH face", "no-tls",
	    OUT "smtpd_tls_security_level =\n" },
	{ "inbound face without STARTTLS: a warning", "no-starttls:warning",
	    IN "smtpd_tls_security_level =\n" },
	{ "-o milter_default_action=accept", "default-action",
	    IN "milter_default_action = accept\n" },
	{ "a face without the milter", "milter-missing",
	    IN "smtpd_milters =\n" },
	{ "a face with another milter", "milter-missing",
	    IN "smtpd_milters = inet:127.0.0.1:8891\n" },
	{ "a face without the policy service", "policy-missing",
	    IN "smtpd_sender_restrictions =\n" },
	{ "policy service after the relay check", "policy-late",
	    IN "smtpd_sender_restrictions =\n"
	    IN "smtpd_recipient_restrictions"
	    " = reject_unverified_recipient, $gatepost_policy\n" },
	{ "recipient rate limit without end of data", "policy-eod",
	    OUT "smtpd_end_of_data_restrictions =\n" },
	{ "daemon_name matching no instance", "unknown-name",
	    IN "milter_macro_daemon_name = inbund\n" },
	{ "policy_context matching no instance", "unknown-name",
	    IN "smtpd_policy_service_policy_context = INBOUND-X\n" },
	{ "names of two instances on one face", "unknown-name",
	    OUT "milter_macro_daemon_name = inbound\n" },
	{ "open relay: permit", "open-relay",
	    IN "smtpd_relay_restrictions = permit\n" },
	{ "open relay: mynetworks 0/0", "open-relay",
	    IN "mynetworks = 0.0.0.0/0\n" IN "smtpd_relay_restrictions = "
	    "permit_mynetworks, reject_unauth_destination\n" },
	{ "outbound cannot relay", "cannot-relay",
	    OUT "smtpd_relay_restrictions = reject_unauth_destination\n" },
	{ "inbound without recipient validation", "no-validation",
	    IN "smtpd_recipient_restrictions =\n" },
	{ "both names unknown, instance found by address",
	    "unknown-name unknown-name",
	    OUT "milter_macro_daemon_name = other\n"
	    OUT "smtpd_policy_service_policy_context = other\n" },
	{ "cleanup naming no instance", "unknown-name",
	    "cleanup/unix/milter_macro_daemon_name = nobody\n" },
};
/* what gatepostctl postfix writes for config 6 */
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
	{ "no certificate: no STARTTLS, so no AUTH on outbound", 0, NULL,
	    "smtpd_tls_cert_file =\n", NULL, NULL, NULL,
	    "no-starttls:warning no-tls" },
	{ "smtpd_use_tls = yes (obsolete) still offers STARTTLS", 0, NULL,
	    "smtpd_use_tls = yes\n", NULL, NULL,
	    OUT "smtpd_tls_security_level =\n", "" },
	{ "certificate in smtpd_tls_chain_files", 0, NULL,
	    "smtpd_tls_cert_file =\n"
	    "smtpd_tls_chain_files = /etc/postfix/gateway-chain.pem\n", NULL,
	    NULL, NULL, "" },
	{ "milter_default_action left to the default", 0, "", "gatepost_policy"
	    " = check_policy_service unix:/run/gatepost/policyd.sock\n"
	    "gatepost_milters = unix:/run/gatepost/milter.sock\n", NULL, NULL,
	    NULL, "default-action" },
	{ "milter_default_action accept", 0, NULL,
	    "milter_default_action = accept\n", NULL, NULL, NULL,
	    "default-action" },
	{ "inet milter: localhost is 127.0.0.1", 3, "milter_default_action = "
	    "tempfail\ngatepost_milters = inet:localhost:8891\n", NULL, NULL,
	    NULL, NULL, "" },
	{ "inet milter on another port", 3, "milter_default_action = "
	    "tempfail\ngatepost_milters = inet:127.0.0.1:8892\n", NULL, NULL,
	    NULL, NULL, "milter-missing milter-missing" },
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
	{ "virus.max_size and milter cap below Postfix's", 5, NULL, NULL,
	    NULL, NULL, NULL, "milter-connections virus-size" },
	{ "message_size_limit within virus.max_size", 5, NULL,
	    "message_size_limit = 4000000\n", NULL, NULL, NULL,
	    "milter-connections" },
	{ "message_size_limit 0: any size", 5, NULL,
	    "message_size_limit = 0\n", NULL, NULL, NULL,
	    "milter-connections virus-size" },
	{ "maxproc within both caps", 5, NULL, "message_size_limit = 4000000"
	    "\n", "192.0.2.10:25 inet n - n - 50 smtpd\n"
	    "10.0.0.10:25 inet n - n - 100 smtpd\n", NULL, NULL, "" },
	{ "default_process_limit above the policy cap", 5, NULL,
	    "message_size_limit = 4000000\ndefault_process_limit = 200\n",
	    NULL, NULL, NULL, "milter-connections policy-connections" },
	{ "wired face matching no instance", 0, NULL, NULL, NULL,
	    "192.0.2.99:25 inet n - n - - smtpd\n",
	    "192.0.2.99:25/inet/smtpd_milters = $gatepost_milters\n",
	    "unknown-face" },
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
	    "gatepost-inbound/pass/smtpd_tls_security_level = may\n"
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
	{ "OpenDKIM before gatepost on a disclaimer face", 4, NULL, NULL,
	    NULL, NULL, OUT "smtpd_milters = inet:127.0.0.1:8891, "
	    "$gatepost_milters\n", "dkim-order" },
	{ "rspamd (by socket name) before gatepost", 4, NULL, NULL, NULL,
	    NULL, OUT "smtpd_milters = unix:/run/rspamd/milter.sock "
	    "$gatepost_milters\n", "dkim-order" },
	{ "OpenDKIM after gatepost is the right order", 4, NULL, NULL, NULL,
	    NULL, OUT "smtpd_milters = $gatepost_milters, "
	    "unix:/run/opendkim/opendkim.sock\n", "" },
	{ "a signer first on a face without a disclaimer", 4, NULL, NULL,
	    NULL, NULL, IN "smtpd_milters = inet:localhost:8891 "
	    "$gatepost_milters\n", "" },
	{ "another milter before gatepost is fine", 4, NULL, NULL, NULL,
	    NULL, OUT "smtpd_milters = inet:127.0.0.1:9999 "
	    "$gatepost_milters\n", "" },
	{ "tls: generated-style config is clean", 6, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P, "" },
	{ "tls: inbound level not as configured", 6, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P IN "smtpd_tls_security_level = none\n",
	    "tls-level" },
	{ "tls: outbound may instead of encrypt", 6, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P OUT "smtpd_tls_security_level = may\n",
	    "tls-level" },
	{ "tls: old protocols allowed", 6, NULL, TLS_MAIN, TLS_MASTER, NULL,
	    TLS_P IN "smtpd_tls_protocols = !SSLv2, !SSLv3\n",
	    "tls-protocols" },
	{ "tls: mandatory protocols from TLSv1.1", 6, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P
	    IN "smtpd_tls_mandatory_protocols = >=TLSv1.1\n",
	    "tls-protocols" },
	{ "tls: only new protocols listed", 6, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P IN "smtpd_tls_protocols = TLSv1.2, TLSv1.3\n", "" },
	{ "tls: certificate file missing", 6, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P IN "smtpd_tls_chain_files = /etc/gp/in.key,"
	    "/etc/gp/gone.pem\n", "tls-cert-missing" },
	{ "tls: outbound cert missing", 6, NULL, TLS_MAIN, TLS_MASTER, NULL,
	    TLS_P OUT "smtpd_tls_cert_file = /etc/gp/gone.pem\n",
	    "tls-cert-missing" },
	{ "tls: cert and key in one file, readable by all", 6, NULL,
	    TLS_MAIN, TLS_MASTER, NULL,
	    TLS_P OUT "smtpd_tls_cert_file = /etc/gp/in.pem\n",
	    "tls-key-mode" },
	{ "tls: face with a level but no certificate", 6, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P IN "smtpd_tls_chain_files =\n"
	    IN "smtpd_tls_cert_file =\n", "tls-cert-missing" },
	{ "tls: key readable by the group", 6, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P OUT "smtpd_tls_key_file = /etc/gp/group.key\n",
	    "tls-key-mode" },
	{ "tls: key owned by another user", 6, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P IN "smtpd_tls_chain_files = /etc/gp/theirs.key,"
	    "/etc/gp/in.pem\n", "tls-key-mode" },
	{ "tls: partners without a policy table", 6, NULL,
	    "default_transport = smtp\n", TLS_MASTER, NULL, TLS_P,
	    "tls-partners" },
	{ "tls: partner missing from the table", 6, NULL, TLS_MAIN,
	    TLS_MASTER, NULL, TLS_P "gatepost-out/unix/smtp_tls_policy_maps = "
	    "inline:{ { partner.example = may }, other.example=secure }\n",
	    "tls-partners" },
	{ "tls: braced partner entry counts", 6, NULL, TLS_MAIN, TLS_MASTER,
	    NULL, TLS_P "gatepost-out/unix/smtp_tls_policy_maps = "
	    "inline:{ { partner.example = secure match=nexthop } }\n", "" },
	{ "tls: relayhost makes partners useless", 6, NULL,
	    TLS_MAIN "relayhost = [relay.example.net]\n", TLS_MASTER, NULL,
	    TLS_P, "tls-partners-relayhost" },
};

/* run - the sorted ids of the findings for a case */
static char *
run(const struct doc_case *t)
{
	struct pfconf pf;
	struct pfdoc doc;
	struct sbuf m, ids;
	struct cfg *cfg = unit_cfg(cfgs[t->cfg], "doctor.json");
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
	for (i = 0; i < doc.n; i++)	/* warnings read "id:warning" */
		if (doc.v[i].warning) {
			ck_assert_int_ne(asprintf(&p, "%s:warning",
			    doc.v[i].id), -1);
			free(doc.v[i].id);
			doc.v[i].id = p;
		}
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

/* expect - the findings for a case are its want */
static void
expect(const struct doc_case *t)
{
	char	*got;

	got = run(t);
	ck_assert_msg(strcmp(got, t->want) == 0, "%s: got \"%s\", want \"%s\"",
	    t->name, got, t->want);
	free(got);
}

START_TEST(check_findings)
{
	expect(&doc_cases[_i]);
}
END_TEST

START_TEST(check_param_findings)
{
	const struct param_case *p = &param_cases[_i];
	struct doc_case t = { p->name, 0, NULL, NULL, NULL, NULL,
	    p->params_add, p->want };

	expect(&t);
}
END_TEST

/* a face missing for an instance address is named with its fix */
START_TEST(check_missing_face)
{
	struct pfconf pf;
	struct pfdoc doc;
	struct cfg *cfg = unit_cfg(cfgs[0], "doctor.json");
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

/* clamd's StreamMaxLength below message_size_limit; the parser */
START_TEST(check_clamd_stream_max)
{
	static const struct { const char *text; int rc; size_t want; } t[] = {
		{ "LocalSocket /run/clamd.ctl\nStreamMaxLength 25M\n", 1,
		    25 * 1024 * 1024 },
		{ "# StreamMaxLength 1M\nStreamMaxLength 3000\n", 1, 3000 },
		{ "StreamMaxLength 2k\nStreamMaxLength 1G", 1,
		    1024ULL * 1024 * 1024 },
		{ "MaxFileSize 25M\n", 0, 0 },
		{ "StreamMaxLength lots\n", -1, 0 },
		{ "StreamMaxLength 5X\n", -1, 0 },
	};
	struct pfconf pf;
	struct pfdoc doc;
	struct cfg *cfg = unit_cfg(cfgs[5], "doctor.json");
	char	 why[128];
	size_t	 i, n;

	for (i = 0; i < NELEM(t); i++) {
		n = 0;
		ck_assert_msg(pfdoctor_clamd_stream_max(t[i].text, &n) ==
		    t[i].rc && n == t[i].want, "case %zu: got %zu", i, n);
	}
	memset(&pf, 0, sizeof(pf));
	memset(&doc, 0, sizeof(doc));
	doc.clamd_stream_max = 1000000;
	(void)snprintf(doc.clamd_conf, sizeof(doc.clamd_conf),
	    "/etc/clamav/clamd.conf");
	ck_assert_int_eq(pfconf_parse_main(&pf, 0, main_n, why, sizeof(why)),
	    0);
	ck_assert_int_eq(pfconf_parse_main(&pf, 0, "message_size_limit = "
	    "4000000\n", why, sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_main(&pf, 1, main_all, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_master(&pf, "192.0.2.10:25 inet n - n "
	    "- 10 smtpd\n10.0.0.10:25 inet n - n - 10 smtpd\n", why,
	    sizeof(why)), 0);
	ck_assert_int_eq(pfconf_parse_params(&pf, master_p, why,
	    sizeof(why)), 0);
	(void)pfdoctor_check(cfg, &pf, &doc);
	for (i = n = 0; i < doc.n; i++)
		if (strcmp(doc.v[i].id, "clamd-size") == 0) {
			n++;
			ck_assert_msg(strstr(doc.v[i].problem, "1000000 bytes") !=
			    NULL && strstr(doc.v[i].problem, "/etc/clamav/"
			    "clamd.conf") != NULL, "got %s", doc.v[i].problem);
		}
	ck_assert_uint_eq(n, 1);
	pfdoctor_free(&doc);
	pfconf_free(&pf);
	cfg_release(cfg);
}
END_TEST

UNIT_MAIN_TCS("pfdoctor",
    UNIT_TC_LOOP("one finding per mismatch", check_findings, doc_cases),
    UNIT_TC_LOOP("one finding per -P mismatch", check_param_findings,
		param_cases),
    UNIT_TC_ONE("missing face names address and fix", check_missing_face),
    UNIT_TC_ONE("clamd StreamMaxLength", check_clamd_stream_max))
