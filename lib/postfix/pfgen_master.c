/* pfgen_master.c - Postfix master.cf fragment for a gatepost config */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pfgen.h"
#include "sbuf.h"

struct face_out {			/* how one face's lines are written */
	struct sbuf *b;
	int	 commented;		/* a template: every line commented */
};

static void opt(const struct face_out *, const char *, const char *, ...)
    __attribute__((format(printf, 3, 4)));
static void master_header(struct sbuf *, const struct pfgen_opts *);
static void face_names(const struct face_out *, const struct cfg_instance *);
static void face_auth(const struct face_out *, const struct cfg_instance *);
static void face_relay(const struct face_out *, const struct cfg_instance *);
static void face_hooks(const struct face_out *, const struct cfg *,
    const struct cfg_instance *);
static void face_limits(const struct face_out *,
    const struct cfg_instance *);
static void face_tls(const struct face_out *, const struct cfg_instance *);
static void partners(struct sbuf *, const struct cfg *);
static void face_cleanup(const struct face_out *,
    const struct cfg_instance *);
static void helo_timeout(struct sbuf *, const struct cfg *, enum cfg_dir);
static void face_opts(const struct face_out *, const struct cfg *,
    const struct cfg_instance *);
static void master_face(struct sbuf *, const struct cfg *,
    const struct cfg_instance *);
static void master_template(struct sbuf *, const struct cfg *,
    const struct cfg_instance *);
static void master_local(struct sbuf *, const struct cfg_instance *);
static void master_delivery(struct sbuf *, const struct cfg *);
static void transport(struct sbuf *, const struct cfg *, const char *,
    const char *, enum cfg_dir, enum cfg_dir);
static void bind_opts(struct sbuf *, const struct cfg *, enum cfg_dir);
static void mynetworks(struct sbuf *, const struct cfg_nets *);
static void comment(struct sbuf *, const char *, const char *);

#define PFGEN_WIDTH	76

/* comment - text as comment lines of at most PFGEN_WIDTH columns */
static void
comment(struct sbuf *b, const char *indent, const char *text)
{
	size_t	 col = 0, w;
	const char *p = text, *sp;

	while (*p != '\0') {
		sp = strchr(p, ' ');
		w = sp != NULL ? (size_t)(sp - p) : strlen(p);
		if (col > 0 && col + 1 + w > PFGEN_WIDTH) {
			sbuf_puts(b, "\n");
			col = 0;
		}
		if (col == 0) {
			sbuf_printf(b, "%s#", indent);
			col = strlen(indent) + 1;
		}
		sbuf_printf(b, " %.*s", (int)w, p);
		col += 1 + w;
		p += w;
		while (*p == ' ')
			p++;
	}
	if (col > 0)
		sbuf_puts(b, "\n");
}

/* opt - one -o line, after its comment (why may be NULL) */
static void
opt(const struct face_out *f, const char *why, const char *fmt, ...)
{
	va_list	 ap;
	char	 line[1024];

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (why != NULL && !f->commented)
		comment(f->b, "  ", why);
	sbuf_printf(f->b, "%s  -o %s\n", f->commented ? "#" : "", line);
}

static void
master_header(struct sbuf *b, const struct pfgen_opts *o)
{
	sbuf_printf(b,
"# master.cf fragment for gatepost, written by \"gatepostctl postfix\" from\n"
"# %s.  Add it to /etc/postfix/master.cf and remove the stock\n"
"# \"smtp inet ... smtpd\" line: each face binds its own address, and no\n"
"# smtpd may listen on all of them.  Columns: service type private unpriv\n"
"# chroot wakeup maxproc command.  chroot is n because the gatepost sockets\n"
"# lie outside the queue directory; for a chrooted smtpd move them under\n"
"# /var/spool/postfix first (contrib/postfix/README.md).  Comment lines\n"
"# inside an entry are allowed; each explains the -o line below it.\n",
	    o->source != NULL ? o->source : "the config");
}

static void
face_names(const struct face_out *f, const struct cfg_instance *in)
{
	const char *name = pfgen_face_name(in);

	opt(f, "log as this face (syslog_name; gatepostctl report reads it)",
	    "syslog_name=%s", in->syslog_name);
	if (name == NULL) {
		if (!f->commented)
			sbuf_puts(f->b, "  # the instance has no match.name: "
			    "gatepost knows this face by its\n  # address "
			    "(server_address, {daemon_addr}) alone\n");
		return;
	}
	opt(f, "the face's name for gatepost-milter ({daemon_name})",
	    "milter_macro_daemon_name=%s", name);
	opt(f, "... and for gatepost-policyd (policy_context)",
	    "smtpd_policy_service_policy_context=%s", name);
}

static void
face_auth(const struct face_out *f, const struct cfg_instance *in)
{
	if (in->auth == CFG_AUTH_FORBID) {
		opt(f, "auth forbid: no AUTH, so no password can be "
		    "guessed through this face", "smtpd_sasl_auth_enable=no");
		if (in->tls.level == CFG_TLS_UNSET)	/* else face_tls() */
			opt(f, "opportunistic STARTTLS: senders that can "
			    "encrypt do, none has to (needs smtpd_tls_cert_file "
			    "in main.cf)", "smtpd_tls_security_level=may");
		return;
	}
	opt(f, in->auth == CFG_AUTH_REQUIRE ? "auth require: AUTH offered "
	    "(gatepost refuses mail without a login)" : "auth optional: "
	    "AUTH offered", "smtpd_sasl_auth_enable=yes");
	if (in->tls.level == CFG_TLS_UNSET)
		opt(f, "STARTTLS offered (needs smtpd_tls_cert_file in "
		    "main.cf)", "smtpd_tls_security_level=may");
	opt(f, "AUTH only after STARTTLS: passwords never cross the network "
	    "in clear", "smtpd_tls_auth_only=yes");
}

static void
mynetworks(struct sbuf *b, const struct cfg_nets *n)
{
	char	 a[64];
	size_t	 i;
	int	 v4;

	for (i = 0; i < n->n; i++) {
		v4 = ipaddr_is_v4(&n->v[i].addr);
		if (ipaddr_format(&n->v[i].addr, a, sizeof(a)) != 0)
			continue;
		sbuf_printf(b, "%s%s%s%s/%u", i ? "," : "", v4 ? "" : "[", a,
		    v4 ? "" : "]", v4 ? n->v[i].plen - 96 : n->v[i].plen);
	}
}

static void
face_relay(const struct face_out *f, const struct cfg_instance *in)
{
	struct sbuf nets;
	int	 by_net = in->has_allow && in->allow.n > 0 &&
	    in->auth != CFG_AUTH_REQUIRE;

	if (in->recipients == CFG_RCPTS_INTERNAL || (in->auth ==
	    CFG_AUTH_FORBID && !by_net)) {
		opt(f, in->recipients == CFG_RCPTS_INTERNAL ? "recipients "
		    "internal: only the internal domains (relay_domains), no "
		    "relay" : "no login and no trusted clients.allow: "
		    "relaying would be open, so only the internal domains",
		    "smtpd_relay_restrictions=reject_unauth_destination");
		return;
	}
	if (!by_net) {
		opt(f, "relaying only for clients that logged in",
		    "smtpd_relay_restrictions=permit_sasl_authenticated,"
		    "reject");
		return;
	}
	sbuf_init(&nets);
	mynetworks(&nets, &in->allow);
	opt(f, "the clients this face trusts to relay: its clients.allow",
	    "mynetworks=%s", sbuf_str(&nets));
	sbuf_free(&nets);
	opt(f, in->auth == CFG_AUTH_OPTIONAL ? "relaying for clients that "
	    "logged in or are in mynetworks" : "relaying for the clients in "
	    "mynetworks", "smtpd_relay_restrictions=%spermit_mynetworks,"
	    "reject", in->auth == CFG_AUTH_OPTIONAL ?
	    "permit_sasl_authenticated," : "");
}

static void
face_hooks(const struct face_out *f, const struct cfg *cfg,
    const struct cfg_instance *in)
{
	if (cfg->policyd.set) {
		opt(f, "gatepost decides first: in the sender restrictions it "
		    "answers at RCPT, before Postfix's relay check",
		    "smtpd_sender_restrictions=$gatepost_policy");
		if (cfg_instance_counts(in, CFG_RL_RECIPIENTS))
			opt(f, "rate limits counting recipients: asked again "
			    "at end of data, when the count is known",
			    "smtpd_end_of_data_restrictions="
			    "$gatepost_policy");
	}
	if (in->dir == CFG_DIR_INBOUND)
		opt(f, "only recipients the mailbox servers know: no "
		    "backscatter", "smtpd_recipient_restrictions="
		    "reject_unverified_recipient");
	if (cfg->milter.set)
		opt(f, "content rules: gatepost-milter",
		    "smtpd_milters=$gatepost_milters");
}

/* face_limits - limits.* as this smtpd's own settings */
static void
face_limits(const struct face_out *f, const struct cfg_instance *in)
{
	if (in->limits.message_size > 0) {
		opt(f, "limits.message_size: smtpd refuses larger messages "
		    "(552 5.3.4; at MAIL when the client announces SIZE=)",
		    "message_size_limit=%zu", in->limits.message_size);
		opt(f, "cleanup enforces main.cf's message_size_limit too: "
		    "this face's mail goes through a cleanup service of its "
		    "own, with the face's limit", "cleanup_service_name="
		    "gatepost-cleanup-%s", in->name);
	}
	if (in->limits.recipients > 0)
		opt(f, "limits.recipients: more recipients get 452 4.5.3",
		    "smtpd_recipient_limit=%u", in->limits.recipients);
	if (in->limits.connections > 0)
		opt(f, "limits.connections: concurrent connections per "
		    "client (anvil counts per service; 421 4.7.0)",
		    "smtpd_client_connection_count_limit=%u",
		    in->limits.connections);
	if (in->limits.connection_rate > 0)
		opt(f, "limits.connection_rate: connections per client per "
		    "anvil_rate_time_unit (main.cf, 60 s by default; "
		    "421 4.7.0)", "smtpd_client_connection_rate_limit=%u",
		    in->limits.connection_rate);
	if (in->limits.connections > 0 || in->limits.connection_rate > 0)
		opt(f, "the limits apply to every client: the default "
		    "exceptions are $mynetworks", "{ "
		    "smtpd_client_event_limit_exceptions = }");
	if (in->limits.command_timeout > 0)
		opt(f, "limits.command_timeout: seconds to wait for a "
		    "command or a piece of the data", "smtpd_timeout=%us",
		    in->limits.command_timeout);
	if (in->limits.messages_per_session > 0 && !f->commented)
		comment(f->b, "  ", "limits.messages_per_session is "
		    "enforced by gatepost-milter (421 4.7.0): Postfix has no "
		    "such setting");
}

/* face_tls - tls.* as this smtpd's own settings */
static void
face_tls(const struct face_out *f, const struct cfg_instance *in)
{
	const char *p = cfg_tls_proto_name(in->tls.min_protocol);

	if (in->tls.level == CFG_TLS_MAY)
		opt(f, "tls.level may: STARTTLS offered, not required",
		    "smtpd_tls_security_level=may");
	else if (in->tls.level == CFG_TLS_ENCRYPT)
		opt(f, in->dir == CFG_DIR_INBOUND ? "tls.level encrypt: no "
		    "mail without STARTTLS (530 5.7.0).  RFC 3207 says a "
		    "publicly referenced MX must not require it: senders "
		    "without TLS cannot reach you" : "tls.level encrypt: no "
		    "mail without STARTTLS (530 5.7.0)",
		    "smtpd_tls_security_level=encrypt");
	if (in->tls.min_protocol != CFG_TLSP_UNSET) {
		opt(f, "tls.min_protocol: older protocols are refused in the "
		    "handshake", "smtpd_tls_protocols=>=%s", p);
		opt(f, "... also where TLS is mandatory",
		    "smtpd_tls_mandatory_protocols=>=%s", p);
	}
	if (in->tls.cert_file != NULL)
		opt(f, "tls.key_file and tls.cert_file: the face's own "
		    "certificate (Postfix reads the key as root, before it "
		    "drops privileges: keep it mode 0600 or 0400, owner root)",
		    "smtpd_tls_chain_files=%s,%s", in->tls.key_file,
		    in->tls.cert_file);
}

/* face_cleanup - the cleanup service of a face with its own size */
static void
face_cleanup(const struct face_out *f, const struct cfg_instance *in)
{
	if (in->limits.message_size == 0)
		return;
	if (!f->commented)
		comment(f->b, "", "the cleanup service of this face: "
		    "cleanup enforces message_size_limit too, and main.cf's "
		    "would refuse what a face with a higher limit accepts");
	sbuf_printf(f->b, "%sgatepost-cleanup-%s unix n - n - 0 cleanup\n",
	    f->commented ? "#" : "", in->name);
	opt(f, "log lines read postfix/gatepost-cleanup-NAME/cleanup",
	    "syslog_name=postfix/$service_name");
	opt(f, "limits.message_size", "message_size_limit=%zu",
	    in->limits.message_size);
}

static void
face_opts(const struct face_out *f, const struct cfg *cfg,
    const struct cfg_instance *in)
{
	face_names(f, in);
	face_auth(f, in);
	face_relay(f, in);
	face_hooks(f, cfg, in);
	face_limits(f, in);
	face_tls(f, in);
}

static void
master_face(struct sbuf *b, const struct cfg *cfg,
    const struct cfg_instance *in)
{
	struct face_out f = { b, 0 };
	char	 ep[80];
	size_t	 i;

	for (i = 0; i < in->n_match_addr; i++) {
		if (pfgen_endpoint(&in->match_addr[i], ep, sizeof(ep)) != 0)
			continue;
		sbuf_printf(b, "# listens on %s (match.address)%s\n", ep,
		    in->dir == CFG_DIR_INBOUND ? "; the MX records point "
		    "here" : "");
		if (in->dir == CFG_DIR_INBOUND)
			sbuf_printf(b,
"# postscreen in front (optional): replace the next line with\n"
"#   %s inet n - n - 1 postscreen\n"
"#     -o smtpd_service_name=gatepost-%s\n"
"# and name this smtpd \"gatepost-%s pass - - n - - smtpd\".\n",
			    ep, in->name, in->name);
		sbuf_printf(b, "%s inet n - n - - smtpd\n", ep);
		face_opts(&f, cfg, in);
	}
	face_cleanup(&f, in);
}

static void
master_template(struct sbuf *b, const struct cfg *cfg,
    const struct cfg_instance *in)
{
	struct face_out f = { b, 1 };

	sbuf_printf(b,
"# EDIT: the instance has no match.address, so no smtpd is bound for it.\n"
"# Bind its face to an address of its own (replace ADDRESS), and list\n"
"# ADDRESS:25 in match.address so gatepost knows the face by address too:\n"
"#ADDRESS:25 inet n - n - - smtpd\n");
	face_opts(&f, cfg, in);
	face_cleanup(&f, in);
}

static void
master_local(struct sbuf *b, const struct cfg_instance *in)
{
	const char *name = pfgen_face_name(in);

	sbuf_puts(b,
"# Replace the stock pickup line: pickup hands locally submitted mail to a\n"
"# cleanup service of its own, where non_smtpd_milters (main.cf) runs\n"
"# gatepost-milter under this face's name.\n"
"pickup unix n - n 60 1 pickup\n"
"  # clean up through gatepost-local\n"
"  -o cleanup_service_name=gatepost-local\n"
"# the cleanup service for pickup only\n"
"gatepost-local unix n - n - 0 cleanup\n");
	if (name == NULL) {
		sbuf_puts(b, "  # EDIT: the instance has no match.name; give "
		    "it one and name the face:\n  #-o "
		    "milter_macro_daemon_name=NAME\n");
		return;
	}
	sbuf_printf(b, "  # the face's name for gatepost-milter "
	    "({daemon_name})\n  -o milter_macro_daemon_name=%s\n", name);
}

static void
bind_opts(struct sbuf *b, const struct cfg *cfg, enum cfg_dir dir)
{
	const struct cfg_instance *in;
	const struct cfg_endpoint *e;
	char	 a[64];
	int	 v4, any = 0;

	for (v4 = 1; v4 >= 0; v4--) {
		if ((in = pfgen_find_dir(cfg, dir, v4, &e)) == NULL ||
		    ipaddr_format(&e->addr, a, sizeof(a)) != 0)
			continue;
		sbuf_printf(b, "  # connect from %s, the %s face's address\n"
		    "  -o smtp_bind_address%s=%s\n", a, in->name, v4 ? "" :
		    "6", a);
		any = 1;
	}
	if (!any)
		sbuf_printf(b, "  # EDIT: no %s instance has a match.address; "
		    "connect from the\n  # right address:\n"
		    "  #-o smtp_bind_address=ADDRESS\n", cfg_dir_name(dir));
}

/* partners - tls.partners in force on the internet transport */
static void
partners(struct sbuf *b, const struct cfg *cfg)
{
	if (cfg->tls.partners.n == 0)
		return;
	sbuf_printf(b, "  # tls.partners: verified TLS or no delivery "
	    "(gatepost_tls_policy, main.cf)\n"
	    "  -o smtp_tls_policy_maps=$gatepost_tls_policy\n"
	    "  # tls.ca_file: the CAs that verify the partners' "
	    "certificates\n  -o smtp_tls_CAfile=%s\n", cfg->tls.ca_file);
}

/* helo_timeout - limits.greeting_timeout of the faces feeding a transport */
static void
helo_timeout(struct sbuf *b, const struct cfg *cfg, enum cfg_dir dir)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++) {
		if (cfg->inst[i].dir != dir ||
		    cfg->inst[i].limits.greeting_timeout == 0)
			continue;
		sbuf_printf(b, "  # limits.greeting_timeout of the %s face: "
		    "seconds the next hop may take\n  # to greet\n"
		    "  -o smtp_helo_timeout=%us\n", cfg->inst[i].name,
		    cfg->inst[i].limits.greeting_timeout);
		return;
	}
}

static void
master_delivery(struct sbuf *b, const struct cfg *cfg)
{
	transport(b, cfg,
"\n# == delivery: binding a face to an address governs only the connections\n"
"# == Postfix accepts; these transports choose the address it sends from.\n"
"# Internet-bound mail (default_transport in main.cf) leaves from the\n"
"# public address, the one the MX, SPF and reverse DNS name.\n",
	    "gatepost-out", CFG_DIR_INBOUND, CFG_DIR_OUTBOUND);
	partners(b, cfg);
	transport(b, cfg,
"# Mail for the internal domains (transport_maps in main.cf) goes to the\n"
"# mailbox servers from the internal address.\n",
	    "gatepost-in", CFG_DIR_OUTBOUND, CFG_DIR_INBOUND);
}

/*
 * transport - one smtp delivery transport after its comment: bound to
 *	the address of the bind faces, with the HELO timeout of the helo
 *	faces
 */
static void
transport(struct sbuf *b, const struct cfg *cfg, const char *comment,
    const char *name, enum cfg_dir bind, enum cfg_dir helo)
{
	sbuf_puts(b, comment);
	sbuf_printf(b, "%s unix - - n - - smtp\n"
	    "  # log lines read postfix/%s/smtp\n"
	    "  -o syslog_name=postfix/$service_name\n", name, name);
	bind_opts(b, cfg, bind);
	helo_timeout(b, cfg, helo);
}

/* pfgen_master - the master.cf fragment */
char *
pfgen_master(const struct cfg *cfg, const struct pfgen_opts *o)
{
	struct sbuf b;
	const struct cfg_instance *in;
	size_t	 i;

	sbuf_init(&b);
	master_header(&b, o);
	for (i = 0; i < cfg->n_inst; i++) {
		in = &cfg->inst[i];
		sbuf_printf(&b, "\n# == instance \"%s\": direction %s%s%s "
		    "==\n", in->name, cfg_dir_name(in->dir),
		    in->dir == CFG_DIR_LOCAL ? "" : ", auth ",
		    in->dir == CFG_DIR_LOCAL ? "" : in->auth ==
		    CFG_AUTH_FORBID ? "forbid" : in->auth == CFG_AUTH_REQUIRE ?
		    "require" : "optional");
		if (in->dir == CFG_DIR_LOCAL)
			master_local(&b, in);
		else if (in->n_match_addr > 0)
			master_face(&b, cfg, in);
		else
			master_template(&b, cfg, in);
	}
	master_delivery(&b, cfg);
	return sbuf_take(&b);
}
