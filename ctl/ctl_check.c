/* ctl_check.c - gatepostctl check: validate and summarize a config */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "ctl.h"
#include "scan_policy.h"

static void print_nets(const char *, const struct cfg_nets *);
static void print_instance(const struct cfg *, const struct cfg_instance *);
static void print_spoofing(const struct cfg_instance *);
static void print_content(const struct cfg_instance *);
static void print_daemons(const struct cfg *);
static void print_scan(const char *, const struct cfg_scan *);
static const char *example_domain(const struct cfg *);

static const char *const auth_names[] = {"optional", "forbid", "require"};
static const char *const rcpt_names[] = {"any", "internal", "external"};
static const char *const rlkey_names[] = {"sasl_username", "client_address",
    "sender"};
static const char *const engine_names[] = {"spamd", "rspamd", "clamd"};

/* ctl_report_stderr - cfg_load_report() sink; ctx: quiet warnings */
void
ctl_report_stderr(void *ctx, enum cfg_report_kind kind, const char *line)
{
	const int *quiet = ctx;

	if (kind == CFG_REPORT_ERROR)
		(void)fprintf(stderr, "%s\n", line);
	else if (quiet == NULL || !*quiet)
		(void)fprintf(stderr, "warning: %s\n", line);
}

/* ctl_load - load a config, printing errors and warnings to stderr */
struct cfg *
ctl_load(const char *path, int quiet_warnings)
{
	return cfg_load_report(path, ctl_report_stderr, &quiet_warnings);
}

static void
print_nets(const char *what, const struct cfg_nets *n)
{
	char	 buf[64];
	size_t	 i;

	(void)printf("%s", what);
	for (i = 0; i < n->n; i++) {
		if (ipaddr_format(&n->v[i].addr, buf, sizeof(buf)) != 0)
			(void)snprintf(buf, sizeof(buf), "?");
		(void)printf("%s%s/%u", i ? ", " : " ", buf,
		    ipaddr_is_v4(&n->v[i].addr) ? n->v[i].plen - 96 :
		    n->v[i].plen);
	}
	if (n->n == 0)
		(void)printf(" (none)");
}

static void
print_spoofing(const struct cfg_instance *in)
{
	(void)printf("    spoofing: envelope_from=%s header_from=%s "
	    "display_name=%s malformed_from=%s",
	    in->spoof.envelope_from ? cfg_act_name(in->spoof.envelope_from) :
	    "off", in->spoof.header_from ? cfg_act_name(in->spoof.header_from)
	    : "off", in->spoof.display_name ?
	    cfg_act_name(in->spoof.display_name) : "off",
	    in->spoof.malformed_from ?
	    cfg_act_name(in->spoof.malformed_from) : "off");
	(void)printf(" (exceptions: %zu clients, %zu senders; %zu protected "
	    "names)%s%s\n", in->spoof.exc_clients.n, in->spoof.exc_senders.n,
	    in->spoof.protected_names.n,
	    in->spoof.check_headers & CFG_HDR_SENDER ? " +Sender" : "",
	    in->spoof.check_headers & CFG_HDR_RESENT_FROM ? " +Resent-From" :
	    "");
	if (in->send_as.set)
		(void)printf("    send_as: %zu logins%s%s, envelope_from=%s "
		    "header_from=%s null_sender=%s\n", in->send_as.n_logins,
		    in->send_as.file ? " incl. " : "",
		    in->send_as.file ? in->send_as.file : "",
		    cfg_act_name(in->send_as.envelope_from),
		    in->send_as.header_from ?
		    cfg_act_name(in->send_as.header_from) : "off",
		    in->send_as.null_sender ? "allowed" : "refused");
	else
		(void)printf("    send_as: off\n");
}

static void
print_scan(const char *what, const struct cfg_scan *s)
{
	if (!s->set) {
		(void)printf("    %s: off\n", what);
		return;
	}
	(void)printf("    %s: %s at %s, timeout %ums, max_size %zu "
	    "(oversize %s), on_error %s", what, engine_names[s->engine],
	    s->server, s->timeout_ms, s->max_size,
	    scan_oversize_name(s->oversize), cfg_act_name(s->on_error));
	if (s->engine != CFG_ENG_CLAMD) {
		(void)printf(", tag %.1f", s->tag_score);
		if (s->has_hold_score)
			(void)printf(", hold %.1f", s->hold_score);
		if (s->has_reject_score)
			(void)printf(", reject %.1f", s->reject_score);
	} else
		(void)printf(", action %s", cfg_act_name(s->action));
	(void)printf("\n");
}

static void
print_content(const struct cfg_instance *in)
{
	size_t	 i;

	print_scan("spam", &in->spam);
	print_scan("virus", &in->virus);
	(void)printf("    headers: add %zu, remove %zu; archive: %s; "
	    "disclaimer: %s", in->n_hdr_add, in->hdr_remove.n,
	    in->archive_bcc ? in->archive_bcc : "off",
	    !in->disclaimer.set || in->disclaimer.n == 0 ? "off" :
	    in->disclaimer.v[0].html ? "text+html" : "text");
	if (in->disclaimer.n > 1)
		(void)printf(" (%zu entries, first match wins)",
		    in->disclaimer.n);
	(void)printf("\n");
	for (i = 0; i < in->n_rl; i++)
		(void)printf("    rate limit: %s %lu %s per %us -> %s\n",
		    rlkey_names[in->rl[i].key], in->rl[i].limit,
		    in->rl[i].count == CFG_RL_MESSAGES ? "messages" :
		    "recipients", in->rl[i].window,
		    cfg_act_name(in->rl[i].action));
}

/* print_face_limits - limits and TLS, when the instance sets them */
static void
print_face_limits(const struct cfg_instance *in)
{
	if (in->limits.message_size || in->limits.recipients ||
	    in->limits.messages_per_session || in->limits.connections ||
	    in->limits.connection_rate || in->limits.command_timeout ||
	    in->limits.greeting_timeout)
		(void)printf("    limits: message_size %zu, recipients %u, "
		    "messages_per_session %u, connections %u, connection_rate "
		    "%u, command_timeout %us, greeting_timeout %us (0: not "
		    "set)\n", in->limits.message_size,
		    in->limits.recipients, in->limits.messages_per_session,
		    in->limits.connections, in->limits.connection_rate,
		    in->limits.command_timeout, in->limits.greeting_timeout);
	if (in->tls.level != CFG_TLS_UNSET ||
	    in->tls.min_protocol != CFG_TLSP_UNSET || in->tls.cert_file)
		(void)printf("    tls: level %s, min_protocol %s, "
		    "certificate %s\n", cfg_tls_level_name(in->tls.level),
		    cfg_tls_proto_name(in->tls.min_protocol),
		    in->tls.cert_file ? in->tls.cert_file : "main.cf's");
}

static void
print_instance(const struct cfg *cfg, const struct cfg_instance *in)
{
	char	 buf[64];
	size_t	 i;

	(void)printf("  instance %s: direction %s, mode %s, syslog_name %s\n",
	    in->name, cfg_dir_name(in->dir), cfg_mode_name(in->mode),
	    in->syslog_name);
	(void)printf("    face: name \"%s\"",
	    in->match_name ? in->match_name : "");
	for (i = 0; i < in->n_match_addr; i++) {
		if (ipaddr_format(&in->match_addr[i].addr, buf, sizeof(buf)))
			(void)snprintf(buf, sizeof(buf), "?");
		(void)printf("%s%s%s%s:%u", i ? ", " : ", address ",
		    ipaddr_is_v4(&in->match_addr[i].addr) ? "" : "[", buf,
		    ipaddr_is_v4(&in->match_addr[i].addr) ? "" : "]",
		    in->match_addr[i].port);
	}
	(void)printf("\n");
	print_nets("    clients: allow", &in->allow);
	if (!in->has_allow)
		(void)printf(" (any client)");
	print_nets("; deny", &in->deny);
	(void)printf("\n    auth: %s; recipients: %s\n", auth_names[in->auth],
	    rcpt_names[in->recipients]);
	print_spoofing(in);
	print_content(in);
	print_face_limits(in);
	(void)cfg;
}

/* print_store - where rate limits count, and the control socket */
static void
print_store(const struct cfg *cfg)
{
	static const char *const err[] = { "local", "tempfail", "accept" };
	const struct cfg_store *s = &cfg->policyd.store;

	if (s->type == CFG_STORE_MEMORY)
		(void)printf("    rate-limit store: memory, %zu keys\n",
		    cfg->policyd.max_rate_keys);
	else
		(void)printf("    rate-limit store: redis %s%s (%zu "
		    "sentinels), prefix %s, timeout %u ms, on_error %s "
		    "(local_share %g)\n", s->server != NULL ? s->server : "sentinel master ",
		    s->server != NULL ? "" : s->master, s->sentinels.n,
		    s->prefix, s->timeout_ms, err[s->on_error], s->local_share);
	if (cfg->policyd.control != NULL)
		(void)printf("    control: %s\n", cfg->policyd.control);
}

static void
print_daemons(const struct cfg *cfg)
{
	if (cfg->policyd.set) {
		(void)printf("  policyd: listen %s, metrics %s, max_connections "
		    "%u, request_timeout %us; enforces the envelope rules\n",
		    cfg->policyd.listen ? cfg->policyd.listen : "(from -l)",
		    cfg->policyd.metrics ? cfg->policyd.metrics : "off",
		    cfg->policyd.max_connections,
		    cfg->policyd.request_timeout);
		print_store(cfg);
	}
	if (cfg->milter.set)
		(void)printf("  milter: socket %s, metrics %s, max_connections "
		    "%u, timeout %us; enforces %s\n",
		    cfg->milter.socket ? cfg->milter.socket : "(from -s)",
		    cfg->milter.metrics ? cfg->milter.metrics : "off",
		    cfg->milter.max_connections, cfg->milter.timeout,
		    cfg_milter_enforces_envelope(cfg) ?
		    "envelope and content rules (no policyd section)" :
		    "content rules");
	(void)printf("  unknown_instance: %s\n",
	    cfg_act_name(cfg->unknown_instance));
	if (cfg->tls.partners.n > 0)
		(void)printf("  tls: %zu partner domain%s over verified TLS "
		    "(CAs %s)\n", cfg->tls.partners.n, cfg->tls.partners.n == 1 ?
		    "" : "s", cfg->tls.ca_file);
	(void)printf("  log: %s%s%s\n", cfg->log.format == CFG_LOG_JSON ?
	    "JSON events" : "text decision lines", cfg->log.file ? " to " :
	    "", cfg->log.file ? cfg->log.file : "");
}

/* print_keys - check --keys: every key the loader knows, from its table */
static int
print_keys(void)
{
	struct cfg_keydoc d;
	size_t	 i;

	for (i = 0; cfg_key_doc(i, &d) == 0; i++) {
		(void)printf("%s\t%s", d.path, d.type);
		if (d.values != NULL)
			(void)printf(" (%s)", d.values);
		if (d.required)
			(void)printf(", required");
		else if (d.def != NULL)
			(void)printf(", default %s", d.def);
		(void)printf("\t%s\n", d.doc);
	}
	return 0;
}

#define CHECK_USAGE	"usage: gatepostctl check [-c FILE] | check --keys\n"

/*
 * example_domain - the first internal domain that is a documentation
 *	domain (RFC 2606: example, example.com, example.net, example.org
 *	and their subdomains), or NULL.  The shipped configuration names
 *	example.com; JSON has no comments, so this is where an
 *	administrator who installed the package learns that it is still
 *	the example.
 */
static const char *
example_domain(const struct cfg *cfg)
{
	static const char *const ex[] = {"example", "example.com",
	    "example.net", "example.org"};
	size_t	 i, j, n, m;

	for (i = 0; i < cfg->internal_domains.n; i++) {
		const char *d = cfg->internal_domains.v[i];

		n = strlen(d);
		for (j = 0; j < sizeof(ex) / sizeof(ex[0]); j++) {
			m = strlen(ex[j]);
			if (n >= m && strcmp(d + n - m, ex[j]) == 0 &&
			    (n == m || d[n - m - 1] == '.'))
				return d;
		}
	}
	return NULL;
}

/* ctl_check - validate a config; summary on success */
int
ctl_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keys", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = CTL_DEFAULT_CONFIG, *ex;
	struct cfg *cfg;
	size_t	 i;
	int	 c, keys = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'k':
			keys = 1;
			break;
		case 'h':
			(void)printf(CHECK_USAGE);
			return 0;
		default:
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		(void)fprintf(stderr, CHECK_USAGE);
		return EX_USAGE;
	}
	if (keys)
		return print_keys();
	if ((cfg = ctl_load(path, 0)) == NULL)
		return 1;
	(void)printf("%s: OK, %zu instance%s; internal domains:", path,
	    cfg->n_inst, cfg->n_inst == 1 ? "" : "s");
	for (i = 0; i < cfg->internal_domains.n; i++)
		(void)printf(" %s", cfg->internal_domains.v[i]);
	(void)printf("\n");
	for (i = 0; i < cfg->n_inst; i++)
		print_instance(cfg, &cfg->inst[i]);
	print_daemons(cfg);
	if ((ex = example_domain(cfg)) != NULL)
		(void)fprintf(stderr, "warning: %s: internal_domains names %s, "
		    "a documentation domain: this is still the example "
		    "configuration; adapt it before enabling the daemons "
		    "(gatepost.json(5); on Debian, README.Debian)\n", path, ex);
	cfg_release(cfg);
	return 0;
}
