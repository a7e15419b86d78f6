/* ctl_check.c - gatepostctl check: validate and summarize a config */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "ctl.h"

static void print_nets(const char *, const struct cfg_nets *);
static void print_instance(const struct cfg *, const struct cfg_instance *);
static void print_spoofing(const struct cfg_instance *);
static void print_content(const struct cfg_instance *);
static void print_daemons(const struct cfg *);
static void print_scan(const char *, const struct cfg_scan *);

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
	    "display_name=%s",
	    in->spoof.envelope_from ? cfg_act_name(in->spoof.envelope_from) :
	    "off", in->spoof.header_from ? cfg_act_name(in->spoof.header_from)
	    : "off", in->spoof.display_name ?
	    cfg_act_name(in->spoof.display_name) : "off");
	(void)printf(" (exceptions: %zu clients, %zu senders; %zu protected "
	    "names)\n", in->spoof.exc_clients.n, in->spoof.exc_senders.n,
	    in->spoof.protected_names.n);
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
	(void)printf("    %s: %s at %s, timeout %ums, max_size %zu, "
	    "on_error %s", what, engine_names[s->engine], s->server,
	    s->timeout_ms, s->max_size, cfg_act_name(s->on_error));
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
	    "disclaimer: %s\n", in->n_hdr_add, in->hdr_remove.n,
	    in->archive_bcc ? in->archive_bcc : "off",
	    in->disclaimer.set ? (in->disclaimer.html ? "text+html" :
	    "text") : "off");
	for (i = 0; i < in->n_rl; i++)
		(void)printf("    rate limit: %s %lu %s per %us -> %s\n",
		    rlkey_names[in->rl[i].key], in->rl[i].limit,
		    in->rl[i].count == CFG_RL_MESSAGES ? "messages" :
		    "recipients", in->rl[i].window,
		    cfg_act_name(in->rl[i].action));
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
		(void)printf("  policyd: listen %s, metrics %s; enforces the "
		    "envelope rules\n", cfg->policyd.listen ?
		    cfg->policyd.listen : "(from -l)", cfg->policyd.metrics ?
		    cfg->policyd.metrics : "off");
		print_store(cfg);
	}
	if (cfg->milter.set)
		(void)printf("  milter: socket %s, metrics %s; enforces %s\n",
		    cfg->milter.socket ? cfg->milter.socket : "(from -s)",
		    cfg->milter.metrics ? cfg->milter.metrics : "off",
		    cfg_milter_enforces_envelope(cfg) ?
		    "envelope and content rules (no policyd section)" :
		    "content rules");
	(void)printf("  unknown_instance: %s\n",
	    cfg_act_name(cfg->unknown_instance));
}

/* ctl_check - validate a config; summary on success */
int
ctl_check(int argc, char **argv)
{
	const char *path = CTL_DEFAULT_CONFIG;
	struct cfg *cfg;
	size_t	 i;
	int	 c;

	optind = 1;
	while ((c = getopt(argc, argv, "c:h")) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'h':
			(void)printf("usage: gatepostctl check [-c FILE]\n");
			return 0;
		default:
			return EX_USAGE;
		}
	}
	if (optind != argc) {
		(void)fprintf(stderr, "usage: gatepostctl check [-c FILE]\n");
		return EX_USAGE;
	}
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
	cfg_release(cfg);
	return 0;
}
