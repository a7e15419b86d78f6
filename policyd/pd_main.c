/* pd_main.c - gatepost-policyd: arguments, start-up, signals, reload */
#include "config.h"

#include <sys/random.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "cfg.h"
#include "daemon.h"
#include "log.h"
#include "metrics.h"
#include "pd_decide.h"
#include "pd_control.h"
#include "pd_listen.h"
#include "pd_redis.h"
#include "pd_server.h"
#include "ratelimit.h"

#define PD_IDENT	"gatepost-policyd"
#define PD_CONFIG	"/etc/gatepost/gatepost.json"
#define PD_GRACE	10		/* seconds to finish requests at exit */

struct opts {
	struct daemon_opts d;		/* -c, -d, -e, -f, -p, -t, -u */
	const char *listen[PD_LISTEN_MAX]; /* -l, repeatable */
	int	 n_listen;
};

struct pd_daemon {
	struct opts *o;
	struct event_base *base;
	struct pd_env env;
	struct pd_server *srv;
	struct metrics *m;
	struct metrics_http *http;
	struct pd_listener ln[PD_LISTEN_MAX];
	int	 n_ln;
	struct pd_listener ctl_ln;	/* policyd.control, fd -1 = none */
	struct pd_control *ctl;
	struct event *sig[3];		/* HUP, TERM, INT */
};

static const char usage_text[] =
"usage: gatepost-policyd [-dfet] [-c FILE] [-l ADDRESS]... [-u USER]\n"
"                        [-p FILE]\n"
"       gatepost-policyd -h | -V\n"
"\n"
"Postfix SMTP access policy delegation server (check_policy_service) for\n"
"gatepost's envelope rules: client lists, AUTH forbidden/required,\n"
"send-as, internal-domain envelope spoofing, recipient domains, rate\n"
"limits.  Answers DUNNO, explicit-code rejects and defers, HOLD or\n"
"PREPEND; never OK.  See gatepost-policyd(8).\n"
"\n"
"  -c FILE     configuration (default " PD_CONFIG ")\n"
"  -l ADDRESS  listen on unix:/PATH or inet:HOST:PORT (HOST may be\n"
"              [IPv6], * or empty); repeat, or separate with commas, for\n"
"              several.  Wins over policyd.listen in the configuration.\n"
"  -f          stay in the foreground and log to standard error\n"
"  -e          log to standard error instead of syslog (facility mail)\n"
"  -d          also log each request and every accept (debug)\n"
"  -u USER     switch to USER (its uid, gid and groups) after opening the\n"
"              sockets; the configuration must be readable by USER for\n"
"              SIGHUP to work\n"
"  -p FILE     write the process id to FILE (removed at exit)\n"
"  -t          check the configuration, print every error as\n"
"              FILE:LINE:COL: PATH: message, and exit 0 (valid) or 1\n"
"  -h          show this help and exit\n"
"  -V          show the version and exit\n"
"\n"
"Signals: SIGHUP reloads the configuration atomically (a bad one is\n"
"logged and the running one stays); SIGTERM and SIGINT stop accepting,\n"
"finish requests in progress (at most " "10" " s) and exit 0.\n"
"\n"
"Exit status: 0 on success; 1 for -t on an invalid configuration;\n"
"64 bad usage or address, 67 unknown user or group, 69 address in use,\n"
"71 system error, 73 cannot create socket or pid file, 78 invalid\n"
"configuration at start-up.\n";

static void parse_args(int, char **, struct opts *);
static int check_only(const struct opts *);
static struct cfg *load_or_log(const char *, int);
static void open_listeners(struct pd_daemon *, const struct cfg *);
static void limits_of(const struct cfg *, struct pd_limits *);
static void start_serving(struct pd_daemon *, struct cfg *);
static void on_signal(evutil_socket_t, short, void *);
static void reload(struct pd_daemon *);
static void stop_serving(struct pd_daemon *);
static void seed_of(uint64_t[2]);
static void open_control(struct pd_daemon *, const struct cfg *);
static void store_reload(struct pd_daemon *, const struct cfg *,
	    const struct cfg *);

/* parse_args - flags into o; exits on -h, -V and bad usage */
static void
parse_args(int argc, char **argv, struct opts *o)
{
	int	 c;

	memset(o, 0, sizeof(*o));
	o->d.config = PD_CONFIG;
	while ((c = getopt(argc, argv, "c:l:fedtu:p:hV")) != -1) {
		if (daemon_opt(&o->d, c, optarg))
			continue;
		switch (c) {
		case 'l':
			if (o->n_listen == PD_LISTEN_MAX) {
				(void)fprintf(stderr, "%s: too many -l\n",
				    PD_IDENT);
				exit(EX_USAGE);
			}
			o->listen[o->n_listen++] = optarg;
			break;
		case 'h':
			(void)fputs(usage_text, stdout);
			exit(0);
		case 'V':
			(void)printf("%s %s\n", PD_IDENT, PACKAGE_VERSION);
			exit(0);
		default:
			(void)fputs(usage_text, stderr);
			exit(EX_USAGE);
		}
	}
	if (optind != argc) {
		(void)fprintf(stderr, "%s: unexpected argument \"%s\"\n",
		    PD_IDENT, argv[optind]);
		exit(EX_USAGE);
	}
}

/* report_log - cfg_load_report() sink: the log */
static void
report_log(void *ctx, enum cfg_report_kind kind, const char *line)
{
	if (kind == CFG_REPORT_ERROR)
		log_err("%s", line);
	else
		log_warn("%s", line);
}

/* report_stderr - cfg_load_report() sink for -t: stderr */
static void
report_stderr(void *ctx, enum cfg_report_kind kind, const char *line)
{
	(void)fprintf(stderr, "%s%s\n", kind == CFG_REPORT_WARNING ?
	    "warning: " : "", line);
}

/* load_or_log - cfg_load, logging every error and warning */
static struct cfg *
load_or_log(const char *path, int reloading)
{
	struct cfg *cfg;

	cfg = cfg_load_report(path, report_log, NULL);
	if (cfg == NULL)
		log_err("%s: %s", path, reloading ? "reload failed; keeping "
		    "the running configuration" : "invalid configuration");
	return cfg;
}

/* check_only - -t: validate and report like gatepostctl check */
static int
check_only(const struct opts *o)
{
	struct cfg *cfg;

	if ((cfg = cfg_load_report(o->d.config, report_stderr, NULL)) == NULL)
		return 1;
	(void)printf("%s: OK, %zu instance%s%s\n", o->d.config, cfg->n_inst,
	    cfg->n_inst == 1 ? "" : "s", cfg->policyd.set ? "" :
	    " (no policyd section: the milter enforces envelope rules)");
	cfg_release(cfg);
	return 0;
}

/* limits_of - the server limits a config asks for */
static void
limits_of(const struct cfg *cfg, struct pd_limits *lim)
{
	lim->max_request = cfg->policyd.max_request ?
	    cfg->policyd.max_request : 65536;
	lim->max_attrs = cfg->policyd.max_attrs ? cfg->policyd.max_attrs : 128;
	lim->idle_timeout = cfg->policyd.idle_timeout ?
	    cfg->policyd.idle_timeout : 600;
	lim->request_timeout = cfg->policyd.request_timeout ?
	    cfg->policyd.request_timeout : CFG_REQUEST_TIMEOUT;
	lim->max_connections = cfg->policyd.max_connections ?
	    cfg->policyd.max_connections : CFG_MAX_CONNECTIONS;
}

/* open_listeners - every -l address, or policyd.listen */
static void
open_listeners(struct pd_daemon *d, const struct cfg *cfg)
{
	char	 buf[1024], why[512], *v[PD_LISTEN_MAX];
	int	 i, j, n, rc;

	for (i = 0; i < d->o->n_listen || (i == 0 && d->o->n_listen == 0);
	    i++) {
		const char *spec = d->o->n_listen ? d->o->listen[i] :
		    cfg->policyd.listen;

		if (spec == NULL)
			log_fatal(EX_USAGE, "no listen address: use -l or "
			    "\"policyd\": {\"listen\": ...}");
		n = pd_listen_split(spec, buf, sizeof(buf), v,
		    PD_LISTEN_MAX - d->n_ln);
		if (n <= 0)
			log_fatal(EX_USAGE, "listen \"%s\": expected one to %d "
			    "addresses", spec, PD_LISTEN_MAX);
		for (j = 0; j < n; j++) {
			rc = pd_listen_open(v[j], cfg->policyd.socket_mode,
			    cfg->policyd.socket_group, &d->ln[d->n_ln], why,
			    sizeof(why));
			if (rc != 0)
				log_fatal(rc, "cannot listen: %s", why);
			d->n_ln++;
		}
	}
}

/* open_control - policyd.control, as root: mode 0600 unless set */
static void
open_control(struct pd_daemon *d, const struct cfg *cfg)
{
	const char *p = cfg->policyd.control;
	char	 spec[256], why[512];
	int	 rc;

	d->ctl_ln.fd = -1;
	if (p == NULL)
		return;
	(void)snprintf(spec, sizeof(spec), "%s%s", strncmp(p, "unix:", 5) ==
	    0 ? "" : "unix:", p);
	rc = pd_listen_open(spec, cfg->policyd.control_mode >= 0 ?
	    cfg->policyd.control_mode : 0600, cfg->policyd.control_group,
	    &d->ctl_ln, why, sizeof(why));
	if (rc != 0)
		log_fatal(rc, "control socket: %s", why);
}

/* seed_of - a random key for the rate-limit store's hash */
static void
seed_of(uint64_t seed[2])
{
	struct timespec ts;

	if (getrandom(seed, 2 * sizeof(seed[0]), 0) ==
	    (ssize_t)(2 * sizeof(seed[0])))
		return;
	/* no entropy yet: weak, but the table still works */
	(void)clock_gettime(CLOCK_REALTIME, &ts);
	seed[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	seed[1] = (uint64_t)ts.tv_sec;
}

/* start_serving - store, metrics, loop, listeners, signals */
static void
start_serving(struct pd_daemon *d, struct cfg *cfg)
{
	static const int sigs[] = { SIGHUP, SIGTERM, SIGINT };
	struct pd_limits lim;
	struct event *ev;
	struct rl_store *st;
	uint64_t seed[2];
	char	 why[512];
	size_t	 i;

	seed_of(seed);
	d->m = metrics_new();
	if ((d->base = event_base_new()) == NULL)
		log_fatal(EX_OSERR, "libevent: cannot create the event loop");
	st = rl_mem_new(seed);
	if (cfg->policyd.store.type == CFG_STORE_REDIS) {
		st = pd_redis_new(d->base, d->m, st);
		if (pd_redis_configure(st, &cfg->policyd.store, why,
		    sizeof(why)) < 0)
			log_fatal(EX_CONFIG, "policyd.store: %s", why);
	}
	pd_env_init(&d->env, d->m, cfg, st);
	limits_of(cfg, &lim);
	d->srv = pd_server_new(d->base, &d->env, &lim);
	for (i = 0; i < (size_t)d->n_ln; i++) {
		if (pd_server_listen(d->srv, d->ln[i].fd, d->ln[i].name) < 0)
			log_fatal(EX_OSERR, "libevent: cannot listen on %s",
			    d->ln[i].name);
		d->ln[i].fd = -1;	/* the listener owns it now */
	}
	if (d->ctl_ln.fd >= 0) {
		d->ctl = pd_control_new(d->base, &d->env, d->ctl_ln.fd,
		    d->ctl_ln.name);
		d->ctl_ln.fd = -1;	/* the listener owns it now */
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		ev = evsignal_new(d->base, sigs[i], on_signal, d);
		if (ev == NULL || event_add(ev, NULL) < 0)
			log_fatal(EX_OSERR, "libevent: cannot catch signals");
		d->sig[i] = ev;
	}
	if (cfg->policyd.metrics != NULL && (d->http = metrics_http_start(d->m,
	    cfg->policyd.metrics, why, sizeof(why))) == NULL)
		log_fatal(EX_UNAVAILABLE, "metrics: %s", why);
}

/* store_reload - a new store block: reconnect; a new type needs a restart */
static void
store_reload(struct pd_daemon *d, const struct cfg *cfg,
    const struct cfg *old)
{
	char	 why[512];

	if (cfg->policyd.store.type != old->policyd.store.type) {
		log_warn("policyd.store.type changed: restart to apply it");
		return;
	}
	if (cfg->policyd.store.type == CFG_STORE_REDIS &&
	    pd_redis_configure(d->env.rl, &cfg->policyd.store, why,
	    sizeof(why)) < 0)
		log_err("policyd.store: %s; keeping the running store "
		    "settings", why);
}

/* reload - SIGHUP: publish a valid new config, else keep the old one */
static void
reload(struct pd_daemon *d)
{
	const char *lv[2] = { "ok", NULL };
	struct pd_limits lim;
	struct cfg *cfg, *old = d->env.cfg;

	if ((cfg = load_or_log(d->o->d.config, 1)) == NULL) {
		lv[0] = "error";
		metrics_inc(d->env.reloads, lv, 1);
		return;
	}
	if (d->o->n_listen == 0 && (cfg->policyd.listen == NULL ||
	    old->policyd.listen == NULL ||
	    strcmp(cfg->policyd.listen, old->policyd.listen) != 0))
		log_warn("policyd.listen changed: restart to apply it");
	if ((cfg->policyd.control == NULL) != (old->policyd.control == NULL) ||
	    (cfg->policyd.control != NULL &&
	    strcmp(cfg->policyd.control, old->policyd.control) != 0))
		log_warn("policyd.control changed: restart to apply it");
	if ((cfg->policyd.metrics == NULL) != (old->policyd.metrics == NULL) ||
	    (cfg->policyd.metrics != NULL &&
	    strcmp(cfg->policyd.metrics, old->policyd.metrics) != 0))
		log_warn("policyd.metrics changed: restart to apply it");
	limits_of(cfg, &lim);
	pd_server_set_limits(d->srv, &lim);
	store_reload(d, cfg, old);
	/* an event file that cannot be opened keeps the old one */
	(void)cfg_event_open(old, cfg);
	pd_env_set_cfg(&d->env, cfg);
	metrics_inc(d->env.reloads, lv, 1);
	log_info("reloaded %s: %zu instance%s", d->o->d.config, cfg->n_inst,
	    cfg->n_inst == 1 ? "" : "s");
}

/* on_signal - HUP reloads; TERM and INT drain and stop */
static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct pd_daemon *d = arg;

	if (sig == SIGHUP) {
		log_info("SIGHUP: reloading %s", d->o->d.config);
		reload(d);
		return;
	}
	log_info("%s: finishing %zu connection%s and exiting",
	    sig == SIGTERM ? "SIGTERM" : "SIGINT",
	    pd_server_connections(d->srv),
	    pd_server_connections(d->srv) == 1 ? "" : "s");
	pd_server_drain(d->srv, PD_GRACE);
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct pd_daemon d;
	struct daemon_user user;
	struct cfg *cfg;
	char	 why[256];
	int	 ready = -1;

	parse_args(argc, argv, &o);
	if (o.d.check)
		return check_only(&o);
	(void)signal(SIGPIPE, SIG_IGN);
	log_open(PD_IDENT, o.d.to_stderr || o.d.foreground, o.d.debug);
	memset(&d, 0, sizeof(d));
	d.o = &o;
	if ((cfg = load_or_log(o.d.config, 0)) == NULL)
		exit(EX_CONFIG);
	if (cfg_event_open(NULL, cfg) < 0)
		exit(EX_CANTCREAT);
	if (!cfg->policyd.set)
		log_warn("%s has no \"policyd\" section: the milter enforces "
		    "the envelope rules too (DESIGN: who enforces what)",
		    o.d.config);
	if (o.d.user != NULL && daemon_user(o.d.user, &user, why,
	    sizeof(why)) < 0)
		log_fatal(EX_NOUSER, "%s", why);
	(void)daemon_nofile();
	open_listeners(&d, cfg);
	open_control(&d, cfg);
	if (!o.d.foreground && (ready = daemon_detach(o.d.to_stderr, why,
	    sizeof(why))) < 0)
		log_fatal(EX_OSERR, "%s", why);
	if (o.d.pidfile != NULL && daemon_pidfile(o.d.pidfile, why,
	    sizeof(why)) < 0)
		log_fatal(EX_CANTCREAT, "%s", why);
	if (o.d.user != NULL && daemon_drop(&user, why, sizeof(why)) < 0)
		log_fatal(EX_OSERR, "%s", why);
	if (geteuid() == 0)
		log_warn("serving mail as root: start gatepost-policyd with -u "
		    "USER (e.g. -u gatepost, as the systemd unit's User= "
		    "does)");
	start_serving(&d, cfg);
	log_info("ready: %d listener%s, %d instance%s, descriptors %lu%s",
	    d.n_ln, d.n_ln == 1 ? "" : "s", (int)cfg->n_inst,
	    cfg->n_inst == 1 ? "" : "s", daemon_nofile(),
	    cfg->policyd.metrics ? ", metrics on" : "");
	daemon_ready(ready);
	(void)event_base_dispatch(d.base);
	stop_serving(&d);
	return 0;
}

/* stop_serving - close everything, remove the socket and pid files */
static void
stop_serving(struct pd_daemon *d)
{
	int	 i;

	pd_server_free(d->srv);
	pd_control_free(d->ctl);
	metrics_http_stop(d->http);
	for (i = 0; i < d->n_ln; i++)
		pd_listen_close(&d->ln[i]);
	pd_listen_close(&d->ctl_ln);
	if (d->o->d.pidfile != NULL)
		(void)unlink(d->o->d.pidfile);
	log_info("stopped");
	pd_env_free(&d->env);
	for (i = 0; i < 3; i++)
		event_free(d->sig[i]);
	event_base_free(d->base);
	metrics_free(d->m);
}
