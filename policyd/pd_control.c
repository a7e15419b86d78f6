/* pd_control.c - the control socket: one command per line, for gatepostctl */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "log.h"
#include "pd_control.h"
#include "pd_redis.h"
#include "xalloc.h"

#define CTL_IDLE	60		/* seconds a client may stay silent */

struct ctl_job;

struct ctl_conn {
	struct pd_control *ctl;		/* borrowed */
	struct bufferevent *bev;	/* owned */
	long	 pid, uid;		/* peer credentials, -1 unknown */
	int	 closing;		/* close once the output is written */
	int	 in_dispatch;		/* inside dispatch(): no recursion */
	struct ctl_job *job;		/* a command waiting, or NULL */
	struct ctl_conn *prev, *next;	/* control's list */
};

struct ctl_job {			/* ratelimit show/reset in progress */
	struct ctl_conn *conn;		/* borrowed; NULL = cancelled */
	struct pd_env *env;		/* borrowed */
	struct cfg *cfg;		/* one reference, pinned */
	int	 reset;
	char	 value[256];
	char	 only[64];		/* --instance, or "" */
	size_t	 next;			/* next instance to look at */
	size_t	 shown;			/* limits reported */
	struct rl_req req;
};

struct pd_control {
	struct event_base *base;	/* borrowed */
	struct pd_env *env;		/* borrowed */
	struct evconnlistener *ln;	/* owned */
	struct ctl_conn *conns;		/* owned list */
};

struct ctl_cmd {
	const char *name;
	int	 min, max;		/* words, the name included */
	int	(*fn)(struct ctl_conn *, int, char **);	/* 1 = answer later */
	const char *usage;
};

static int cmd_ping(struct ctl_conn *, int, char **);
static int cmd_help(struct ctl_conn *, int, char **);
static int cmd_store(struct ctl_conn *, int, char **);
static int cmd_ratelimit(struct ctl_conn *, int, char **);
static void accept_cb(struct evconnlistener *, evutil_socket_t,
	    struct sockaddr *, int, void *);
static void read_cb(struct bufferevent *, void *);
static void write_cb(struct bufferevent *, void *);
static void event_cb(struct bufferevent *, short, void *);
static void conn_free(struct ctl_conn *);
static void conn_lines(struct ctl_conn *);
static void out(struct ctl_conn *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
static void job_next(struct ctl_job *);
static void job_done(void *, const struct rl_result *);
static void job_end(struct ctl_job *, const char *);

static const struct ctl_cmd cmds[] = {
	{ "ping", 1, 1, cmd_ping, "ping" },
	{ "help", 1, 1, cmd_help, "help" },
	{ "store", 1, 1, cmd_store, "store" },
	{ "ratelimit", 3, 5, cmd_ratelimit,
	  "ratelimit show|reset [--instance NAME] VALUE" },
};

/* pd_control_new - serve the control socket fd (taken over) */
struct pd_control *
pd_control_new(struct event_base *base, struct pd_env *env, int fd,
    const char *name)
{
	struct pd_control *c = xcalloc(1, sizeof(*c));

	c->base = base;
	c->env = env;
	c->ln = evconnlistener_new(base, accept_cb, c, LEV_OPT_CLOSE_ON_FREE |
	    LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (c->ln == NULL)
		log_panic("libevent: cannot listen on the control socket");
	log_info("control channel on %s", name);
	return c;
}

/* pd_control_free - close every client and the listener */
void
pd_control_free(struct pd_control *c)
{
	if (c == NULL)
		return;
	while (c->conns != NULL)
		conn_free(c->conns);
	evconnlistener_free(c->ln);
	free(c);
}

/* accept_cb - a new client */
static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct pd_control *ctl = arg;
	struct timeval idle = { CTL_IDLE, 0 };
	struct ctl_conn *c = xcalloc(1, sizeof(*c));
	struct ucred cr;
	socklen_t crlen = sizeof(cr);

	c->ctl = ctl;
	c->pid = c->uid = -1;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) == 0) {
		c->pid = (long)cr.pid;
		c->uid = (long)cr.uid;
	}
	c->bev = bufferevent_socket_new(ctl->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (c->bev == NULL) {
		(void)close(fd);
		free(c);
		return;
	}
	bufferevent_setcb(c->bev, read_cb, write_cb, event_cb, c);
	bufferevent_set_timeouts(c->bev, &idle, NULL);
	(void)bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->next = ctl->conns;
	if (ctl->conns != NULL)
		ctl->conns->prev = c;
	ctl->conns = c;
}

/* conn_free - close a client; a waiting command is cancelled */
static void
conn_free(struct ctl_conn *c)
{
	struct pd_control *ctl = c->ctl;

	if (c->job != NULL)
		c->job->conn = NULL;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		ctl->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	bufferevent_free(c->bev);
	free(c);
}

/* out - one line of the answer */
static void
out(struct ctl_conn *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	(void)evbuffer_add_vprintf(bufferevent_get_output(c->bev), fmt, ap);
	va_end(ap);
	(void)evbuffer_add(bufferevent_get_output(c->bev), "\n", 1);
}

/* event_cb - EOF, error or idle timeout: close */
static void
event_cb(struct bufferevent *bev, short what, void *arg)
{
	conn_free(arg);
}

/* write_cb - the output is written: close if that was the last */
static void
write_cb(struct bufferevent *bev, void *arg)
{
	struct ctl_conn *c = arg;

	if (c->closing)
		conn_free(c);
}

/* read_cb - lines arrived */
static void
read_cb(struct bufferevent *bev, void *arg)
{
	conn_lines(arg);
}

/* split - words of a line, in place; -1 when there are too many */
static int
split(char *line, char **v)
{
	char	*p, *save = NULL;
	int	 n = 0;

	for (p = strtok_r(line, " \t\r", &save); p != NULL;
	    p = strtok_r(NULL, " \t\r", &save)) {
		if (n == PD_CTL_ARGS)
			return -1;
		v[n++] = p;
	}
	return n;
}

/* dispatch - run one command line; 1 when its answer comes later */
static int
dispatch(struct ctl_conn *c, char *line)
{
	char	*v[PD_CTL_ARGS];
	size_t	 i;
	int	 n = split(line, v);

	if (n < 0) {
		out(c, "ERR too many words (at most %d)", PD_CTL_ARGS);
		return 0;
	}
	if (n == 0) {
		out(c, "ERR empty command (try help)");
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(v[0], cmds[i].name) != 0)
			continue;
		if (n < cmds[i].min || n > cmds[i].max) {
			out(c, "ERR usage: %s", cmds[i].usage);
			return 0;
		}
		return cmds[i].fn(c, n, v);
	}
	out(c, "ERR unknown command \"%.40s\" (try help)", v[0]);
	return 0;
}

/* conn_lines - answer every complete line, until one must wait */
static void
conn_lines(struct ctl_conn *c)
{
	struct evbuffer *in = bufferevent_get_input(c->bev);
	size_t	 n;
	char	*line;

	while (c->job == NULL && !c->closing &&
	    (line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF)) != NULL) {
		if (n > PD_CTL_LINE) {
			free(line);
			out(c, "ERR line too long (at most %d bytes)",
			    PD_CTL_LINE);
			c->closing = 1;
			break;
		}
		c->in_dispatch = 1;
		if (dispatch(c, line) == 1)
			(void)bufferevent_disable(c->bev, EV_READ);
		c->in_dispatch = 0;
		free(line);
	}
	if (c->job == NULL && !c->closing &&
	    evbuffer_get_length(in) > PD_CTL_LINE) {
		out(c, "ERR line too long (at most %d bytes)", PD_CTL_LINE);
		c->closing = 1;
	}
}

/* cmd_ping - the daemon is alive */
static int
cmd_ping(struct ctl_conn *c, int argc, char **argv)
{
	out(c, "- pong %s", PACKAGE_VERSION);
	out(c, "OK");
	return 0;
}

/* cmd_help - the commands */
static int
cmd_help(struct ctl_conn *c, int argc, char **argv)
{
	size_t	 i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		out(c, "- %s", cmds[i].usage);
	out(c, "OK");
	return 0;
}

/* cmd_store - what store counts, and whether it answers */
static int
cmd_store(struct ctl_conn *c, int argc, char **argv)
{
	const struct cfg_store *s = &c->ctl->env->cfg->policyd.store;
	struct rl_store *st = c->ctl->env->rl;

	if (!pd_redis_is(st))
		out(c, "- type=memory keys=%zu up=1", st->ops->count(st));
	else
		out(c, "- type=redis server=%s%s prefix=%s database=%u up=%d",
		    s->server != NULL ? "" : "sentinel:", s->server != NULL ?
		    s->server : s->master, s->prefix, s->database,
		    pd_redis_up(st));
	out(c, "OK");
	return 0;
}

/* has_instance - is there an instance of that name? */
static int
has_instance(const struct cfg *cfg, const char *name)
{
	size_t	 i;

	for (i = 0; i < cfg->n_inst; i++)
		if (strcmp(cfg->inst[i].name, name) == 0)
			return 1;
	return 0;
}

/* cmd_ratelimit - show or reset the counts of one key value */
static int
cmd_ratelimit(struct ctl_conn *c, int argc, char **argv)
{
	struct ctl_job *j;
	const char *only = "", *value = NULL;
	int	 i, reset;

	if (strcmp(argv[1], "show") != 0 && strcmp(argv[1], "reset") != 0) {
		out(c, "ERR usage: ratelimit show|reset [--instance NAME] "
		    "VALUE");
		return 0;
	}
	reset = strcmp(argv[1], "reset") == 0;
	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--instance") == 0 && i + 1 < argc)
			only = argv[++i];
		else if (value == NULL && argv[i][0] != '-')
			value = argv[i];
		else {
			out(c, "ERR usage: ratelimit show|reset [--instance "
			    "NAME] VALUE");
			return 0;
		}
	}
	if (value == NULL || strlen(value) >= sizeof(j->value) ||
	    strlen(only) >= sizeof(j->only)) {
		out(c, "ERR usage: ratelimit show|reset [--instance NAME] "
		    "VALUE");
		return 0;
	}
	if (only[0] != '\0' && !has_instance(c->ctl->env->cfg, only)) {
		out(c, "ERR no instance \"%.60s\"", only);
		return 0;
	}
	j = xcalloc(1, sizeof(*j));
	j->conn = c;
	j->env = c->ctl->env;
	j->cfg = cfg_retain(c->ctl->env->cfg);
	j->reset = reset;
	(void)snprintf(j->value, sizeof(j->value), "%s", value);
	(void)snprintf(j->only, sizeof(j->only), "%s", only);
	c->job = j;
	job_next(j);
	return c->job != NULL;
}

/* job_next - the next instance with limits for the value, or the end */
static void
job_next(struct ctl_job *j)
{
	const struct cfg_instance *in;

	for (; j->next < j->cfg->n_inst; j->next++) {
		in = &j->cfg->inst[j->next];
		if (j->only[0] != '\0' && strcmp(in->name, j->only) != 0)
			continue;
		if (rl_plan_value(&j->req, j->reset ? RL_OP_RESET :
		    RL_OP_CHECK, j->cfg, in, j->value,
		    (uint64_t)time(NULL)) == 0)
			continue;
		j->next++;
		j->env->rl->ops->run(j->env->rl, &j->req, job_done, j);
		return;
	}
	job_end(j, j->shown > 0 ? NULL : "no rate limit applies to that "
	    "value");
}

/* job_done - one instance's counts */
static void
job_done(void *arg, const struct rl_result *res)
{
	static const char *const kname[] = { "sasl_username",
	    "client_address", "sender" };
	struct ctl_job *j = arg;
	const struct cfg_instance *in = &j->cfg->inst[j->next - 1];
	char	 v[128];
	size_t	 i;

	if (j->conn == NULL) {
		job_end(j, NULL);
		return;
	}
	if (res->status != 0) {
		job_end(j, "the rate-limit store did not answer");
		return;
	}
	for (i = 0; i < j->req.n; i++) {
		const struct rl_item *it = &j->req.item[i];
		const struct cfg_ratelimit *l = &in->rl[it->idx];
		const char *kv = strrchr(it->key, '\x1f');

		log_sanitize(v, sizeof(v), kv != NULL ? kv + 1 : "", 100);
		out(j->conn, "- instance=%s index=%zu key=%s value=%s "
		    "window=%u count=%s limit=%lu used=%llu remaining=%llu",
		    in->name, it->idx, kname[l->key], v, l->window,
		    l->count == CFG_RL_MESSAGES ? "messages" : "recipients",
		    (unsigned long)res->limit[i],
		    (unsigned long long)res->count[i],
		    (unsigned long long)(res->count[i] >= res->limit[i] ? 0 :
		    res->limit[i] - res->count[i]));
		if (j->reset)
			log_info("control: ratelimit reset instance=%s "
			    "index=%zu key=%s value=%s (was %llu) by uid=%ld "
			    "pid=%ld",
			    in->name, it->idx, kname[l->key], v,
			    (unsigned long long)res->count[i], j->conn->uid,
			    j->conn->pid);
		j->shown++;
	}
	job_next(j);
}

/* job_end - the status line; reading resumes */
static void
job_end(struct ctl_job *j, const char *err)
{
	struct ctl_conn *c = j->conn;

	cfg_release(j->cfg);
	free(j);
	if (c == NULL)
		return;
	c->job = NULL;
	if (err != NULL)
		out(c, "ERR %s", err);
	else
		out(c, "OK");
	(void)bufferevent_enable(c->bev, EV_READ);
	if (!c->in_dispatch)
		conn_lines(c);
}
