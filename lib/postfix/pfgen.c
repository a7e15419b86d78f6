/* pfgen.c - Postfix main.cf fragment for a gatepost config */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfgen.h"
#include "sbuf.h"

static void main_header(struct sbuf *, const struct pfgen_opts *);
static void main_local(struct sbuf *, const struct cfg *);
static void main_inbound(struct sbuf *, const struct cfg *,
    const struct pfgen_opts *);
static void main_verify(struct sbuf *, const struct cfg *);
static void main_outbound(struct sbuf *, const struct cfg *);
static void main_auth(struct sbuf *, const struct cfg *);
static void main_partners(struct sbuf *, const struct cfg *);
static int has_dir(const struct cfg *, enum cfg_dir);
static void in_queue(struct sbuf *, char *);

/* What main.cf says of each daemon: its section, address and settings. */
struct pfgen_daemon {
	const char *head;		/* the section's title comment */
	const char *absent;		/* comment: the config has no section */
	const char *intro;		/* comment on the service's address */
	const char *edit;		/* comment: that address is unknown */
	const char *placeholder;	/* then the address written */
	int	(*target)(const char *, char *, size_t); /* to Postfix's form */
	const char *setting;		/* the parameter, before the address */
	const char *settings;		/* the parameters after it */
};

enum { PFGEN_POLICYD, PFGEN_MILTER };

static const struct pfgen_daemon daemons[] = {
	[PFGEN_POLICYD] = {
		"\n# -- gatepost-policyd: envelope decisions --\n",
		"# The config has no policyd section: gatepost-milter enforces "
		"the\n# envelope rules too, and there is no policy service to "
		"wire.\n",
		"# The policy service (policyd.listen).  The faces in master.cf "
		"list it\n# as $gatepost_policy, because a -o value cannot "
		"contain spaces.\n",
		"# EDIT: the address gatepost-policyd listens on (its -l "
		"flag).\n",
		"unix:/run/gatepost/policyd.sock",
		pfgen_policy_target,
		"gatepost_policy = check_policy_service ",
"# smtpd waits up to 100 s for an answer, and tries twice\n"
"# (smtpd_policy_service_try_limit = 2, the default): a policy service\n"
"# that holds its socket but does not answer (stopped, hung) costs up to\n"
"# 200 s per recipient before the default action below.  To shorten the\n"
"# worst case, lower the timeout (gatepost answers in milliseconds; 20s\n"
"# is plenty) and/or set smtpd_policy_service_try_limit = 1.  A service\n"
"# that is down (no socket) is answered at once.\n"
"smtpd_policy_service_timeout = 100s\n"
"# ... and keeps an idle connection open for 300 s (gatepost-policyd's\n"
"# idle_timeout, 600 s by default, outlasts it).\n"
"smtpd_policy_service_max_idle = 300s\n"
"# A policy service that cannot be reached defers mail (4xx): mail is\n"
"# never let through without gatepost's decision.\n"
"smtpd_policy_service_default_action = 451 4.3.5 Policy service "
"unavailable\n",
	},
	[PFGEN_MILTER] = {
		"\n# -- gatepost-milter: content decisions --\n",
		"# The config has no milter section: there is no milter to "
		"wire.\n",
		"# The content filter (milter.socket, in Postfix's syntax).  "
		"The faces in\n# master.cf list it as $gatepost_milters.\n",
		"# EDIT: the socket gatepost-milter listens on (its -s flag).\n",
		"unix:/run/gatepost/milter.sock",
		pfgen_milter_target,
		"gatepost_milters = ",
"# If the milter does not answer, defer the message (4xx): never accept it\n"
"# unfiltered.  Set explicitly: the default is tempfail up to Postfix 3.10\n"
"# but shutdown (421 and disconnect) from 3.11.\n"
"milter_default_action = tempfail\n"
"# Protocol 6 (libmilter 8.14 and later) lets gatepost-milter ask for the\n"
"# macros it needs and skip the steps it does not.\n"
"milter_protocol = 6\n",
	},
};

static int daemon_target(struct sbuf *, const struct pfgen_daemon *, int,
    const char *, char *, size_t);
static void main_daemon(struct sbuf *, const struct pfgen_daemon *, int,
    const char *);

/* pfgen_endpoint - a match.address entry as a master.cf service name */
int
pfgen_endpoint(const struct cfg_endpoint *e, char *buf, size_t len)
{
	char	 a[64];
	int	 v4 = ipaddr_is_v4(&e->addr), n;

	if (ipaddr_format(&e->addr, a, sizeof(a)) != 0)
		return -1;
	n = snprintf(buf, len, "%s%s%s:%u", v4 ? "" : "[", a, v4 ? "" : "]",
	    e->port);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* pfgen_face_name - the name the instance's face must carry */
const char *
pfgen_face_name(const struct cfg_instance *in)
{
	return in->match_name != NULL && *in->match_name != '\0' ?
	    in->match_name : NULL;
}

/* pfgen_find_dir - first instance of a direction with such an address */
const struct cfg_instance *
pfgen_find_dir(const struct cfg *cfg, enum cfg_dir dir, int v4,
    const struct cfg_endpoint **addr)
{
	size_t	 i, j;

	for (i = 0; i < cfg->n_inst; i++) {
		if (cfg->inst[i].dir != dir)
			continue;
		for (j = 0; j < cfg->inst[i].n_match_addr; j++)
			if (v4 < 0 ||
			    ipaddr_is_v4(&cfg->inst[i].match_addr[j].addr) ==
			    v4) {
				*addr = &cfg->inst[i].match_addr[j];
				return &cfg->inst[i];
			}
	}
	return NULL;
}

/* pfgen_policy_target - policyd.listen in check_policy_service syntax */
int
pfgen_policy_target(const char *spec, char *buf, size_t len)
{
	int	 n;

	if (strncmp(spec, "unix:/", 6) != 0 && strncmp(spec, "inet:", 5) != 0)
		return -1;
	n = snprintf(buf, len, "%s", spec);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* pfgen_milter_target - a libmilter socket spec in smtpd_milters syntax */
int
pfgen_milter_target(const char *spec, char *buf, size_t len)
{
	const char *at, *port;
	int	 n, v6;

	if (strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0
	    || *spec == '/') {
		n = snprintf(buf, len, "unix:%s", strchr(spec, '/'));
		return n < 0 || (size_t)n >= len ? -1 : 0;
	}
	v6 = strncmp(spec, "inet6:", 6) == 0;
	if (!v6 && strncmp(spec, "inet:", 5) != 0)
		return -1;
	port = spec + (v6 ? 6 : 5);
	if ((at = strchr(port, '@')) == NULL)
		n = snprintf(buf, len, "inet:%s:%s", v6 ? "[::1]" : "127.0.0.1",
		    port);
	else
		n = snprintf(buf, len, "inet:%s%s%s:%.*s", v6 ? "[" : "",
		    at + 1, v6 ? "]" : "", (int)(at - port), port);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/*
 * daemon_target - the head of a daemon's section and, into t, its
 *	address in Postfix's form (the placeholder after an EDIT line when
 *	addr is unset or unusable); -1 when the config has no section for
 *	the daemon (set is 0), which the comment says
 */
static int
daemon_target(struct sbuf *b, const struct pfgen_daemon *dm, int set,
    const char *addr, char *t, size_t tlen)
{
	sbuf_puts(b, dm->head);
	if (!set) {
		sbuf_puts(b, dm->absent);
		return -1;
	}
	sbuf_puts(b, dm->intro);
	if (addr == NULL || dm->target(addr, t, tlen) < 0) {
		sbuf_puts(b, dm->edit);
		(void)snprintf(t, tlen, "%s", dm->placeholder);
	}
	in_queue(b, t);
	return 0;
}

/* in_queue - a socket in the queue directory, named relative to it */
static void
in_queue(struct sbuf *b, char *t)
{
	size_t	 n = strlen("unix:" PFGEN_QUEUE_DIR);

	if (strncmp(t, "unix:" PFGEN_QUEUE_DIR, n) != 0 || t[n] == '\0')
		return;
	memmove(t + 5, t + n, strlen(t + n) + 1);
	sbuf_puts(b, "# The socket lies in the queue directory: named relative "
	    "to it, a chrooted\n# smtpd (chroot y) reaches it too.\n");
}

static int
has_dir(const struct cfg *cfg, enum cfg_dir dir)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (cfg->inst[i].dir == dir)
			return 1;
	return 0;
}

static void
main_header(struct sbuf *b, const struct pfgen_opts *o)
{
	sbuf_printf(b,
"# main.cf fragment for gatepost, written by \"gatepostctl postfix\" from\n"
"# %s.  Add it to /etc/postfix/main.cf (postconf -e sets one\n"
"# line at a time); master.cf needs its own fragment (gatepostctl postfix\n"
"# --master).  Then check the result with \"gatepostctl doctor\".  Each\n"
"# setting follows the comment that explains it; EDIT marks a value\n"
"# gatepost cannot know.\n", o->source != NULL ? o->source : "the config");
}

/* main_daemon - one daemon's section: its address, then its settings */
static void
main_daemon(struct sbuf *b, const struct pfgen_daemon *dm, int set,
    const char *addr)
{
	char	 t[512];

	if (daemon_target(b, dm, set, addr, t, sizeof(t)) < 0)
		return;
	sbuf_printf(b, "%s%s\n", dm->setting, t);
	sbuf_puts(b, dm->settings);
}

static void
main_local(struct sbuf *b, const struct cfg *cfg)
{
	sbuf_puts(b, "\n# -- mail submitted on the gateway itself "
	    "(sendmail, pickup) --\n");
	if (has_dir(cfg, CFG_DIR_LOCAL) && cfg->milter.set) {
		sbuf_puts(b,
"# Filtered too, and counted as direction local rather than inbound or\n"
"# outbound: pickup hands it to the gatepost-local cleanup service\n"
"# (master.cf), which names the face of the local instance.\n"
"non_smtpd_milters = $gatepost_milters\n");
		return;
	}
	sbuf_puts(b,
"# Not filtered and not counted: it belongs to no face (non_smtpd_milters\n"
"# stays empty).  To filter it and count it as local mail, add an instance\n"
"# {\"name\": \"local\", \"direction\": \"local\"} and run gatepostctl "
"postfix\n"
"# again: it then sets non_smtpd_milters = $gatepost_milters and gives\n"
"# pickup a cleanup service that names the face \"local\".\n");
}

static void
main_inbound(struct sbuf *b, const struct cfg *cfg,
    const struct pfgen_opts *o)
{
	const char *hop = o->relay_host != NULL ? o->relay_host :
	    PFGEN_RELAY_PLACEHOLDER;
	size_t	 i;

	sbuf_puts(b, "\n# -- delivery of inbound mail --\n"
"# The internal domains (internal_domains): the gateway relays mail for\n"
"# them, and a face with \"recipients\": \"internal\" accepts nothing else\n"
"# (reject_unauth_destination).\nrelay_domains =");
	for (i = 0; i < cfg->internal_domains.n; i++)
		sbuf_printf(b, "%s %s", i ? "," : "",
		    cfg->internal_domains.v[i]);
	sbuf_puts(b, "\n# Mail for them goes to the mailbox servers through "
	    "the gatepost-in\n# transport (master.cf).");
	if (o->relay_host == NULL)
		sbuf_puts(b, "  EDIT: " PFGEN_RELAY_PLACEHOLDER " stands for "
		    "your\n# mailbox server(s) (gatepostctl postfix "
		    "--relay-host).  Until it is\n# replaced, recipient "
		    "validation cannot reach them and the inbound\n# face "
		    "refuses every recipient (550 5.1.1); after replacing "
		    "it, clear\n# the cached refusals (see "
		    "address_verify_map below).");
	sbuf_puts(b, "\ntransport_maps = inline:{");
	for (i = 0; i < cfg->internal_domains.n; i++)
		sbuf_printf(b, "%s\n    %s=gatepost-in:%s", i ? "," : "",
		    cfg->internal_domains.v[i], hop);
	sbuf_puts(b, " }\n");
}

static void
main_verify(struct sbuf *b, const struct cfg *cfg)
{
	if (!has_dir(cfg, CFG_DIR_INBOUND))
		return;
	sbuf_puts(b,
"# Recipient validation on the inbound face (reject_unverified_recipient in\n"
"# master.cf): Postfix asks the mailbox servers whether a recipient exists\n"
"# before it accepts the message, so the gateway never accepts mail it\n"
"# would have to bounce to a forged sender (backscatter).  If you can list\n"
"# the valid recipients, set relay_recipient_maps and drop the probe.\n"
"# The answers are cached here ...\n"
"address_verify_map = btree:$data_directory/verify_cache\n"
"# ... and a recipient the mailbox servers do not know is refused for good\n"
"# (550; Postfix's default 450 would make the sender retry).  A refusal\n"
"# stays cached (address_verify_negative_expire_time, 3 days) even after\n"
"# the mailbox servers or transport_maps change: then clear the cache,\n"
"#   postfix stop; rm $data_directory/verify_cache.db; postfix start\n"
"unverified_recipient_reject_code = 550\n");
}

static void
main_outbound(struct sbuf *b, const struct cfg *cfg)
{
	sbuf_puts(b,
"\n# -- delivery of outbound mail --\n"
"# Internet-bound mail leaves through the gatepost-out transport\n"
"# (master.cf), bound to the public address: binding a face to an address\n"
"# governs only the connections Postfix accepts, not those it makes.\n"
"default_transport = gatepost-out\n");
	main_partners(b, cfg);
}

/* main_partners - tls.partners as the internet transport's policy table */
static void
main_partners(struct sbuf *b, const struct cfg *cfg)
{
	size_t	 i;

	if (cfg->tls.partners.n == 0)
		return;
	sbuf_puts(b,
"# tls.partners: mail to these domains leaves only over TLS with a\n"
"# certificate verified against tls.ca_file and naming the domain or a\n"
"# subdomain of it (\"secure\"), or stays in the queue.  gatepost-out\n"
"# (master.cf) uses this table.  It is keyed by the next hop: with a\n"
"# relayhost, or a transport_maps next hop for the domain, these entries\n"
"# do nothing (gatepostctl doctor says so).\n"
"gatepost_tls_policy = inline:{ ");
	for (i = 0; i < cfg->tls.partners.n; i++)
		sbuf_printf(b, "%s%s=secure", i > 0 ? ", " : "",
		    cfg->tls.partners.v[i]);
	sbuf_puts(b, " }\n");
}

static void
main_auth(struct sbuf *b, const struct cfg *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (cfg->inst[i].auth != CFG_AUTH_FORBID &&
		    cfg->inst[i].dir != CFG_DIR_LOCAL)
			break;
	if (i == cfg->n_inst)
		return;
	sbuf_printf(b,
"\n# -- AUTH --\n"
"# The %s face offers AUTH, only after STARTTLS: it needs a SASL back\n"
"# end and a certificate (below).  Without a certificate it offers\n"
"# neither STARTTLS nor AUTH and refuses all mail (gatepostctl doctor\n"
"# reports it).  EDIT: set your SASL back end, for example Dovecot's\n"
"#   smtpd_sasl_type = dovecot\n"
"#   smtpd_sasl_path = private/auth\n"
"# or Cyrus (saslauthd; smtpd_sasl_type = cyrus, smtpd.conf).  With a\n"
"# realm (smtpd_sasl_local_domain, or logins as alice@realm) Postfix\n"
"# reports the login as alice@realm: key send_as on that form.\n",
	    cfg->inst[i].name);
}

static void
main_tls(struct sbuf *b, const struct cfg *cfg)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (cfg->inst[i].dir != CFG_DIR_LOCAL)
			break;
	if (i == cfg->n_inst)
		return;
	sbuf_puts(b,
"\n# -- STARTTLS --\n"
"# Every face offers STARTTLS (smtpd_tls_security_level=may in master.cf):\n"
"# opportunistic on a face without AUTH (senders that can encrypt do, none\n"
"# has to), and the way to AUTH on a face with it.  Both need this\n"
"# certificate.  EDIT: set yours, for example\n"
"#   smtpd_tls_cert_file = /etc/postfix/gateway.pem\n"
"#   smtpd_tls_key_file = /etc/postfix/gateway.key\n");
}

/* pfgen_main - the main.cf fragment */
char *
pfgen_main(const struct cfg *cfg, const struct pfgen_opts *o)
{
	struct sbuf b;

	sbuf_init(&b);
	main_header(&b, o);
	main_daemon(&b, &daemons[PFGEN_POLICYD], cfg->policyd.set,
	    cfg->policyd.listen);
	main_daemon(&b, &daemons[PFGEN_MILTER], cfg->milter.set,
	    cfg->milter.socket);
	main_local(&b, cfg);
	main_inbound(&b, cfg, o);
	main_verify(&b, cfg);
	main_outbound(&b, cfg);
	main_auth(&b, cfg);
	main_tls(&b, cfg);
	return sbuf_take(&b);
}
