/*
 * mf_main.c - gatepost-milter: arguments, the supervisor, the worker
 *
 * libmilter's own signal thread sigwaits on SIGHUP, SIGTERM and SIGINT
 * and stops the filter on any of them, so SIGHUP cannot mean "reload"
 * inside a libmilter process without racing it.  Stopping is no better:
 * Debian's libmilter runs sessions on a worker pool whose controller,
 * once the filter stops, closes every session at once, so waiting after
 * smfi_main() returns saves no message in progress.
 *
 * gatepost-milter is therefore two processes: a small supervisor, whose
 * pid is in the pid file and which owns the signals, and a worker that
 * runs libmilter.  The supervisor turns SIGHUP (and SIGUSR1) into
 * SIGUSR1 and SIGTERM/SIGINT into SIGUSR2 for the worker; libmilter
 * ignores both, and the worker's control thread sigwaits on them.
 * SIGUSR1 reloads.  SIGUSR2 drains: negotiation refuses new connections
 * (Postfix answers them per milter_default_action), transactions in
 * progress finish (at most MF_DRAIN seconds), then smfi_stop() ends
 * libmilter and the worker exits 0; the supervisor exits with its
 * status.  A second SIGTERM to the supervisor stops the worker at once.
 * The parent-death signal is SIGUSR2 too: when the supervisor dies
 * (kill -9), the worker drains and exits at once, without waiting for
 * libmilter to notice a stop (seconds).
 */
#include "config.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "hdrfrom.h"
#include "log.h"
#include "mf_cb.h"
#include "mf_cfg.h"
#include "mf_ctx.h"
#include "mf_metrics.h"
#include "xalloc.h"

#define MF_IDENT	"gatepost-milter"
#define MF_CONFIG	"/etc/gatepost/gatepost.json"
#define MF_DRAIN	30		/* seconds for live connections */

struct opts {
	struct daemon_opts d;		/* -c, -d, -e, -f, -p, -t, -u */
	const char *socket;		/* -s */
};

static struct smfiDesc mf_desc = {
	"gatepost",
	SMFI_VERSION,
	SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_ADDRCPT | SMFIF_QUARANTINE |
	    SMFIF_CHGBODY | SMFIF_SETSYMLIST,
	mf_cb_connect,
	NULL,				/* helo: not needed */
	mf_cb_envfrom,
	mf_cb_envrcpt,
	mf_cb_header,
	mf_cb_eoh,
	mf_cb_body,
	mf_cb_eom,
	mf_cb_abort,
	mf_cb_close,
	NULL,				/* unknown */
	NULL,				/* data */
	mf_cb_negotiate,
};

static void usage(FILE *, int) __attribute__((noreturn));
static void parse_args(int, char **, struct opts *);
static struct cfg *load(const char *, int);
static const char *socket_path(const char *);
static void socket_perms(const struct cfg *, const char *);
static void socket_probe(const char *);
static void socket_open(const struct cfg *, const char *);
static void socket_release(void);
static void *control(void *);
static void drain(void);
static int worker(const struct opts *, struct cfg *, int, int);
static int supervise(const struct opts *, struct cfg *, int);

/* the config file's absolute path, for reloads after chdir("/") */
static char *config_path;
static pid_t supervisor;		/* the worker's parent */

/*
 * The unix socket this process put in place: its path and what stat()
 * said of it then.  Written by socket_open() before any thread exists;
 * released once (the flag) by the control thread at drain or by the
 * main thread at exit, whichever comes first.
 */
static struct {
	char	 path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	dev_t	 dev;
	ino_t	 ino;
	int	 set;			/* a unix socket was put in place */
	atomic_flag done;		/* released */
} mine = { .done = ATOMIC_FLAG_INIT };

/*
 * The /metrics endpoint: set by the worker before the control thread
 * exists, stopped once (the exchange) at drain, so that a successor
 * can bind the same port, or at exit.
 */
static _Atomic(struct metrics_http *) http;

/* usage - the synopsis and flags, as gatepost-milter(8) has them */
static void
usage(FILE *fp, int status)
{
	(void)fprintf(fp,
	    "usage: %s [-defht] [-c config] [-p pidfile] [-s socket] "
	    "[-u user]\n"
	    "       %s -V\n"
	    "  -c FILE    configuration (default %s)\n"
	    "  -s SOCKET  unix:/path or inet:PORT@HOST (default: "
	    "milter.socket)\n"
	    "  -f         stay in the foreground\n"
	    "  -e         log to standard error instead of syslog\n"
	    "  -d         log debug lines (every accept too)\n"
	    "  -u USER    run as USER after opening the socket\n"
	    "  -p FILE    write the supervisor's pid to FILE\n"
	    "  -t         check the configuration and exit\n"
	    "  -h         this help; -V the version\n"
	    "signals (to the pid in the pid file): SIGHUP reload, SIGTERM "
	    "drain and exit 0\n"
	    "see gatepost-milter(8)\n", MF_IDENT, MF_IDENT, MF_CONFIG);
	exit(status);
}

/* parse_args - the command line into o */
static void
parse_args(int argc, char **argv, struct opts *o)
{
	int	 ch;

	memset(o, 0, sizeof(*o));
	o->d.config = MF_CONFIG;
	while ((ch = getopt(argc, argv, "c:defhp:s:tu:V")) != -1) {
		if (daemon_opt(&o->d, ch, optarg))
			continue;
		switch (ch) {
		case 'h': usage(stdout, 0);
		case 's': o->socket = optarg; break;
		case 'V':
			(void)printf("%s %s\n", MF_IDENT, PACKAGE_VERSION);
			exit(0);
		default: usage(stderr, EX_USAGE);
		}
	}
	if (optind != argc)
		usage(stderr, EX_USAGE);
}

/* report_stdio - cfg_load_report() sink for -t and start-up: stderr */
static void
report_stdio(void *ctx, enum cfg_report_kind kind, const char *line)
{
	(void)fprintf(stderr, "%s: %s%s\n", MF_IDENT,
	    kind == CFG_REPORT_WARNING ? "warning: " : "", line);
}

/* load - the config, every error and warning reported; NULL on error */
static struct cfg *
load(const char *path, int to_stdio)
{
	return cfg_load_report(path, to_stdio ? report_stdio : mf_cfg_report,
	    "");
}

/* socket_path - the file of a unix socket spec, or NULL */
static const char *
socket_path(const char *spec)
{
	if (strncmp(spec, "unix:", 5) == 0)
		return spec + 5;
	if (strncmp(spec, "local:", 6) == 0)
		return spec + 6;
	return spec[0] == '/' ? spec : NULL;
}

/*
 * socket_perms - milter.socket_mode and socket_group, for Postfix;
 * on failure the socket file is removed (it is not in place yet)
 */
static void
socket_perms(const struct cfg *cfg, const char *path)
{
	struct group gr, *res = NULL;
	char	 buf[4096];
	int	 rc = 0, err = 0;

	if (cfg->milter.socket_group != NULL) {
		if (getgrnam_r(cfg->milter.socket_group, &gr, buf, sizeof(buf),
		    &res) != 0 || res == NULL) {
			(void)unlink(path);
			log_fatal(EX_NOUSER, "milter.socket_group %s: no such "
			    "group", cfg->milter.socket_group);
		}
		rc = chown(path, (uid_t)-1, gr.gr_gid);
	}
	if (rc == 0 && cfg->milter.socket_mode >= 0)
		rc = chmod(path, (mode_t)cfg->milter.socket_mode);
	if (rc < 0) {
		err = errno;
		(void)unlink(path);
		errno = err;
		log_fatal(EX_OSERR, "chgrp/chmod %s: %m", path);
	}
}

/*
 * socket_probe - refuse to replace a socket something answers on (a
 * running gatepost-milter); a dead one, or none, may be replaced
 */
static void
socket_probe(const char *path)
{
	struct sockaddr_un sun;
	struct stat sb;
	int	 fd, rc;

	if (lstat(path, &sb) < 0)
		return;
	if (!S_ISSOCK(sb.st_mode))
		log_fatal(EX_CANTCREAT, "%s: exists and is not a socket", path);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	(void)snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		log_fatal(EX_OSERR, "socket: %m");
	rc = connect(fd, (struct sockaddr *)&sun, sizeof(sun));
	(void)close(fd);
	if (rc == 0)
		log_fatal(EX_UNAVAILABLE, "%s: socket in use by another "
		    "process (is gatepost-milter already running?)", path);
}

/*
 * socket_open - open the listening socket.  A unix socket is bound
 * under a temporary name, given its owner and mode, then renamed into
 * place: the path never names a socket with the wrong mode, a stale
 * socket is replaced atomically, and libmilter, which unlinks the path
 * it bound when it closes (mi_closener(), when not root), only knows
 * the temporary name, so it can never remove a successor's socket.
 */
static void
socket_open(const struct cfg *cfg, const char *spec)
{
	const char *path = socket_path(spec);
	char	 tmp[sizeof(mine.path)], conn[sizeof(tmp) + 8];
	struct stat sb;
	int	 n;

	if (path == NULL) {
		if (smfi_setconn((char *)(uintptr_t)spec) != MI_SUCCESS ||
		    smfi_opensocket(1) != MI_SUCCESS)
			log_fatal(EX_UNAVAILABLE, "%s: cannot open the socket",
			    spec);
		return;
	}
	n = snprintf(tmp, sizeof(tmp), "%s.new%ld", path, (long)getpid());
	if (path[0] != '/' || n < 0 || (size_t)n >= sizeof(tmp))
		log_fatal(EX_USAGE, "%s: expected an absolute path shorter "
		    "than %zu bytes", spec, sizeof(tmp) - 16);
	socket_probe(path);
	(void)snprintf(conn, sizeof(conn), "unix:%s", tmp);
	if (smfi_setconn(conn) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS)
		log_fatal(EX_UNAVAILABLE, "%s: cannot open the socket", spec);
	socket_perms(cfg, tmp);
	if (rename(tmp, path) < 0) {
		(void)unlink(tmp);
		log_fatal(EX_CANTCREAT, "rename %s to %s: %m", tmp, path);
	}
	if (stat(path, &sb) < 0)
		log_fatal(EX_OSERR, "%s: %m", path);
	(void)snprintf(mine.path, sizeof(mine.path), "%s", path);
	mine.dev = sb.st_dev;
	mine.ino = sb.st_ino;
	mine.set = 1;
	/* a fatal error from here on leaves no socket nobody answers on */
	if (atexit(socket_release) != 0)
		log_fatal(EX_OSERR, "atexit failed");
}

/*
 * socket_release - remove the socket file, once, and only while the
 * path still names the socket this process created: a successor may
 * have put its own there since
 */
static void
socket_release(void)
{
	struct stat sb;

	if (!mine.set || atomic_flag_test_and_set(&mine.done))
		return;
	if (stat(mine.path, &sb) < 0) {
		if (errno != ENOENT)
			log_warn("%s: %m", mine.path);
		return;
	}
	if (sb.st_dev != mine.dev || sb.st_ino != mine.ino) {
		log_info("%s now names another process's socket; leaving it",
		    mine.path);
		return;
	}
	if (unlink(mine.path) < 0 && errno != ENOENT)
		log_warn("cannot remove %s: %m", mine.path);
}

/* control - the thread that reloads on SIGUSR1, drains on SIGUSR2 */
static void *
control(void *arg)
{
	const char *path = arg;
	sigset_t set;
	int	 sig;

	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGUSR1);
	(void)sigaddset(&set, SIGUSR2);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGUSR1) {
			log_info("reloading %s", path);
			(void)mf_cfg_reload(path);
			continue;
		}
		/* a successor may take the path and the port while we drain */
		socket_release();
		metrics_http_stop(atomic_exchange(&http, NULL));
		if (getppid() != supervisor) {
			/* the parent-death signal: nobody will stop us */
			log_warn("the supervisor (pid %ld) is gone: draining "
			    "and exiting", (long)supervisor);
			drain();
			log_info("stopped");
			_exit(EX_SOFTWARE);
		}
		drain();
		if (smfi_stop() != MI_SUCCESS)
			log_err("smfi_stop failed");
		return NULL;
	}
}

/* drain - refuse new connections, let transactions finish (bounded) */
static void
drain(void)
{
	struct timespec tick = {0, 100 * 1000 * 1000};
	time_t	 end = time(NULL) + MF_DRAIN;
	size_t	 n;

	mf_drain();
	n = mf_msg_busy();
	log_info("stopping: no new connections; %zu message%s in progress",
	    n, n == 1 ? "" : "s");
	while (mf_msg_busy() > 0 && time(NULL) < end)
		(void)nanosleep(&tick, NULL);
	if ((n = mf_msg_busy()) > 0)
		log_warn("stopping: %zu message%s still in progress after %d s",
		    n, n == 1 ? "" : "s", MF_DRAIN);
}

/*
 * worker - open the socket, drop privileges, serve until stopped;
 * closing "dropped" tells the supervisor it may drop its own
 */
static int
worker(const struct opts *o, struct cfg *cfg, int ready, int dropped)
{
	/* a copy: a reload frees cfg, and the socket is removed at exit */
	char	*spec = xstrdup(o->socket != NULL ? o->socket :
	    cfg->milter.socket);
	struct daemon_user user;
	struct metrics *reg;
	struct metrics_http *mh = NULL;
	pthread_t tid;
	pid_t	 sup = getppid();
	char	 why[256];

	supervisor = sup;
	if (prctl(PR_SET_PDEATHSIG, SIGUSR2) < 0)
		log_warn("prctl(PR_SET_PDEATHSIG): %m");
	(void)signal(SIGPIPE, SIG_IGN);
	(void)daemon_nofile();
	if (o->d.user != NULL && daemon_user(o->d.user, &user, why,
	    sizeof(why)) < 0)
		log_fatal(EX_NOUSER, "%s", why);
	hdrfrom_init();
	reg = metrics_new();
	mf_metrics_init(reg, cfg->milter.metrics != NULL);
	if (smfi_register(mf_desc) != MI_SUCCESS)
		log_fatal(EX_SOFTWARE, "libmilter refused the filter "
		    "description");
	if (smfi_settimeout((int)cfg->milter.timeout) != MI_SUCCESS)
		log_fatal(EX_SOFTWARE, "smfi_settimeout(%u) failed",
		    cfg->milter.timeout);
	socket_open(cfg, spec);
	/* the event file is opened as root, like the socket */
	if (cfg_event_open(NULL, cfg) < 0)
		log_fatal(EX_CANTCREAT, "log.file: cannot open the event log");
	if (o->d.user != NULL) {
		if (daemon_drop(&user, why, sizeof(why)) < 0)
			log_fatal(EX_OSERR, "%s", why);
		/* changing credentials cleared the parent-death signal */
		if (prctl(PR_SET_PDEATHSIG, SIGUSR2) < 0)
			log_warn("prctl(PR_SET_PDEATHSIG): %m");
		if (getppid() != sup)
			log_fatal(EX_SOFTWARE, "the supervisor is gone");
		(void)close(dropped);
	}
	if (cfg->milter.metrics != NULL &&
	    (mh = metrics_http_start(reg, cfg->milter.metrics, why,
	    sizeof(why))) == NULL)
		log_fatal(EX_UNAVAILABLE, "milter.metrics %s: %s",
		    cfg->milter.metrics, why);
	atomic_store(&http, mh);
	if (geteuid() == 0)
		log_warn("serving mail as root: start gatepost-milter with -u "
		    "USER (e.g. -u gatepost, as the systemd unit's User= "
		    "does)");
	log_info("ready: socket %s, %zu instance%s%s%s", spec, cfg->n_inst,
	    cfg->n_inst == 1 ? "" : "s", cfg->milter.metrics != NULL ?
	    ", metrics on " : "", cfg->milter.metrics != NULL ?
	    cfg->milter.metrics : "");
	/* consumes cfg: from here on a reload may free it */
	mf_cfg_set(cfg);
	if (pthread_create(&tid, NULL, control, config_path) != 0)
		log_fatal(EX_OSERR, "cannot start the control thread");
	(void)pthread_detach(tid);
	daemon_ready(ready);
	if (smfi_main() != MI_SUCCESS)
		log_err("libmilter stopped with an error");
	if (!mf_draining() && getppid() == sup)
		log_warn("stopped by a signal to the filter process itself: "
		    "%zu message%s cut short (signal the supervisor, pid %ld)",
		    mf_msg_busy(), mf_msg_busy() == 1 ? "" : "s", (long)sup);
	else if (!mf_draining())
		log_warn("stopped by a signal to the filter process itself "
		    "after the supervisor (pid %ld) died: %zu message%s cut "
		    "short", (long)sup, mf_msg_busy(), mf_msg_busy() == 1 ? "" :
		    "s");
	metrics_http_stop(atomic_exchange(&http, NULL));
	/* ours only: a successor may own the path by now */
	socket_release();
	free(spec);
	log_info("stopped");
	return 0;
}

/* supervise - own the signals, run the worker, exit as it does */
static int
supervise(const struct opts *o, struct cfg *cfg, int ready)
{
	struct daemon_user user;
	sigset_t set;
	pid_t	 pid;
	int	 sig, status = 0, stopping = 0, dropped[2] = {-1, -1};
	char	 why[256], c;

	(void)sigemptyset(&set);
	(void)sigaddset(&set, SIGHUP);
	(void)sigaddset(&set, SIGTERM);
	(void)sigaddset(&set, SIGINT);
	(void)sigaddset(&set, SIGUSR1);
	(void)sigaddset(&set, SIGCHLD);
	/* the worker's control thread waits for SIGUSR2 */
	(void)sigaddset(&set, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		log_fatal(EX_OSERR, "sigprocmask: %m");
	if (o->d.pidfile != NULL && daemon_pidfile(o->d.pidfile, why,
	    sizeof(why)) < 0)
		log_fatal(EX_CANTCREAT, "%s", why);
	if (o->d.user != NULL && daemon_user(o->d.user, &user, why,
	    sizeof(why)) < 0)
		log_fatal(EX_NOUSER, "%s", why);
	if (o->d.user != NULL && pipe2(dropped, O_CLOEXEC) < 0)
		log_fatal(EX_OSERR, "pipe: %m");
	if ((pid = fork()) < 0)
		log_fatal(EX_OSERR, "fork: %m");
	if (pid == 0) {
		if (dropped[0] >= 0)
			(void)close(dropped[0]);
		exit(worker(o, cfg, ready, dropped[1]));
	}
	if (ready >= 0)
		(void)close(ready);
	cfg_release(cfg);
	if (o->d.user != NULL) {
		/*
		 * The worker opens the socket as root.  Once it has dropped
		 * privileges (or died) the supervisor drops its own and can
		 * still signal it; signals stay blocked meanwhile, so none is
		 * lost.
		 */
		(void)close(dropped[1]);
		while (read(dropped[0], &c, 1) < 0 && errno == EINTR)
			;
		(void)close(dropped[0]);
		if (daemon_drop(&user, why, sizeof(why)) < 0)
			log_fatal(EX_OSERR, "%s", why);
	}
	(void)sigdelset(&set, SIGUSR2);
	for (;;) {
		if (sigwait(&set, &sig) != 0)
			continue;
		if (sig == SIGHUP || sig == SIGUSR1) {
			(void)kill(pid, SIGUSR1);
		} else if (sig == SIGTERM || sig == SIGINT) {
			log_info("%s: %s", sig == SIGTERM ? "SIGTERM" : "SIGINT",
			    stopping ? "stopping now" : "stopping");
			(void)kill(pid, stopping ? SIGTERM : SIGUSR2);
			stopping = 1;
		} else if (waitpid(pid, &status, WNOHANG) == pid) {
			break;
		}
	}
	if (o->d.pidfile != NULL)
		(void)unlink(o->d.pidfile);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	log_err("worker killed by signal %d", WTERMSIG(status));
	return EX_SOFTWARE;
}

int
main(int argc, char **argv)
{
	struct opts o;
	struct cfg *cfg;
	char	 why[256];
	int	 ready = -1;

	parse_args(argc, argv, &o);
	if (o.d.check) {
		/* as gatepostctl check: 1 for an invalid configuration */
		if ((cfg = load(o.d.config, 1)) == NULL)
			return 1;
		(void)printf("%s: %s: configuration OK, %zu instance%s\n",
		    MF_IDENT, o.d.config, cfg->n_inst, cfg->n_inst == 1 ? "" :
		    "s");
		cfg_release(cfg);
		return 0;
	}
	log_open(MF_IDENT, o.d.to_stderr || o.d.foreground, o.d.debug);
	if ((cfg = load(o.d.config, 0)) == NULL)
		log_fatal(EX_CONFIG, "%s: configuration not loaded", o.d.config);
	if (o.socket == NULL && cfg->milter.socket == NULL)
		log_fatal(EX_USAGE, "no socket: give -s or milter.socket");
	if ((config_path = realpath(o.d.config, NULL)) == NULL)
		log_fatal(EX_CONFIG, "%s: %m", o.d.config);
	if (!o.d.foreground && (ready = daemon_detach(o.d.to_stderr, why,
	    sizeof(why))) < 0)
		log_fatal(EX_OSERR, "%s", why);
	return supervise(&o, cfg, ready);
}
