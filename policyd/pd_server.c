/* pd_server.c - accept, read, decide, reply: the policy event loop */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/listener.h>

#include "log.h"
#include "pd_server.h"
#include "xalloc.h"

#define OUT_PAUSE	65536		/* bytes unread by the peer: stop */
#define TICK_EXPIRE	4096		/* store slots looked at per second */

struct pd_conn {
	struct pd_server *srv;		/* borrowed */
	int	 fd;
	struct event *rev;		/* owned: read + idle timeout */
	struct event *wev;		/* owned: write backlog, or NULL */
	struct event *req_ev;		/* owned: request_timeout timer */
	unsigned long answered;		/* requests answered */
	unsigned long timed;		/* answered when req_ev was armed */
	char	*out;			/* owned: unwritten reply bytes */
	size_t	 out_len, out_off;	/* bytes held, bytes written */
	int	 closing;		/* close once out is written */
	int	 waiting;		/* an answer is due from the store */
	struct pd_parser p;
	struct pd_sess sess;
	char	 peer[64];		/* for logs */
	struct pd_conn *prev, *next;	/* server's list */
};

struct pd_server {
	struct event_base *base;	/* borrowed */
	struct pd_env *env;		/* borrowed */
	struct pd_limits lim;
	struct evconnlistener *ln[8];	/* owned */
	size_t	 n_ln;
	struct event *pause_ev;		/* owned: re-enable after EMFILE */
	struct event *drain_ev;		/* owned: drain deadline */
	struct event *tick_ev;		/* owned: once a second */
	time_t	 emfile_logged;		/* last EMFILE warning */
	unsigned long refused;		/* closed in this burst (cap) */
	int	 draining;
	size_t	 n_conn;
	struct pd_conn *conns;		/* owned list */
};

static void accept_cb(struct evconnlistener *, evutil_socket_t,
	    struct sockaddr *, int, void *);
static void accept_err_cb(struct evconnlistener *, void *);
static void resume_cb(evutil_socket_t, short, void *);
static void drain_cb(evutil_socket_t, short, void *);
static void tick_cb(evutil_socket_t, short, void *);
static void read_cb(evutil_socket_t, short, void *);
static void write_cb(evutil_socket_t, short, void *);
static void conn_close(struct pd_conn *);
static void conn_process(struct pd_conn *);
static void conn_reply(struct pd_conn *, const struct pd_answer *);
static void conn_flush(struct pd_conn *);
static void conn_peer(struct pd_conn *, struct sockaddr *, int);
static void conn_idle_done(struct pd_conn *);
static void conn_request_timer(struct pd_conn *);
static void request_timeout_cb(evutil_socket_t, short, void *);
static int over_cap(struct pd_server *, evutil_socket_t);
static void conn_resume(void *, const struct pd_answer *);
static void log_proto_error(const struct pd_conn *, enum pd_status);

/* pd_server_new - a server on base; no listeners yet */
struct pd_server *
pd_server_new(struct event_base *base, struct pd_env *env,
    const struct pd_limits *lim)
{
	struct pd_server *s = xcalloc(1, sizeof(*s));
	struct timeval one = { 1, 0 };

	s->base = base;
	s->env = env;
	env->resume = conn_resume;
	s->lim = *lim;
	s->pause_ev = evtimer_new(base, resume_cb, s);
	s->drain_ev = evtimer_new(base, drain_cb, s);
	s->tick_ev = event_new(base, -1, EV_PERSIST, tick_cb, s);
	if (s->pause_ev == NULL || s->drain_ev == NULL || s->tick_ev == NULL ||
	    event_add(s->tick_ev, &one) < 0)
		log_panic("libevent: cannot create timers");
	return s;
}

/* pd_server_listen - serve an already listening socket */
int
pd_server_listen(struct pd_server *s, int fd, const char *name)
{
	struct evconnlistener *l;

	if (s->n_ln == sizeof(s->ln) / sizeof(s->ln[0]))
		return -1;
	l = evconnlistener_new(s->base, accept_cb, s, LEV_OPT_CLOSE_ON_FREE |
	    LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (l == NULL)
		return -1;
	evconnlistener_set_error_cb(l, accept_err_cb);
	s->ln[s->n_ln++] = l;
	log_info("listening on %s", name);
	return 0;
}

/* pd_server_set_limits - limits for connections accepted from now on */
void
pd_server_set_limits(struct pd_server *s, const struct pd_limits *lim)
{
	s->lim = *lim;
}

/* pd_server_connections - connections open */
size_t
pd_server_connections(const struct pd_server *s)
{
	return s->n_conn;
}

/* tick_cb - once a second: expire idle rate-limit keys */
static void
tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pd_server *s = arg;
	struct rl_store *rl = s->env->rl;

	rl->ops->expire(rl, (uint64_t)time(NULL), TICK_EXPIRE);
	metrics_set(metrics_series(s->env->rl_keys, NULL),
	    (int64_t)rl->ops->count(rl));
}

/* accept_err_cb - out of descriptors: pause accepting for a second */
static void
accept_err_cb(struct evconnlistener *l, void *arg)
{
	struct pd_server *s = arg;
	struct timeval one = { 1, 0 };
	time_t	 now = time(NULL);
	int	 err = EVUTIL_SOCKET_ERROR();
	size_t	 i;

	if (now != s->emfile_logged) {
		errno = err;
		log_warn("accept: %m (%zu connections open); pausing for a "
		    "second", s->n_conn);
		s->emfile_logged = now;
	}
	for (i = 0; i < s->n_ln; i++)
		(void)evconnlistener_disable(s->ln[i]);
	(void)event_add(s->pause_ev, &one);
}

/* resume_cb - accept again after a pause */
static void
resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pd_server *s = arg;
	size_t	 i;

	if (s->draining)
		return;
	for (i = 0; i < s->n_ln; i++)
		(void)evconnlistener_enable(s->ln[i]);
}

/* conn_peer - a name for the peer in logs */
static void
conn_peer(struct pd_conn *c, struct sockaddr *sa, int len)
{
	char	 a[INET6_ADDRSTRLEN];
	struct ucred cr;
	socklen_t crlen = sizeof(cr);

	if (sa->sa_family == AF_INET && inet_ntop(AF_INET,
	    &((struct sockaddr_in *)sa)->sin_addr, a, sizeof(a)) != NULL)
		(void)snprintf(c->peer, sizeof(c->peer), "%s:%u", a,
		    ntohs(((struct sockaddr_in *)sa)->sin_port));
	else if (sa->sa_family == AF_INET6 && inet_ntop(AF_INET6,
	    &((struct sockaddr_in6 *)sa)->sin6_addr, a, sizeof(a)) != NULL)
		(void)snprintf(c->peer, sizeof(c->peer), "[%s]:%u", a,
		    ntohs(((struct sockaddr_in6 *)sa)->sin6_port));
	else if (getsockopt(c->fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) == 0)
		(void)snprintf(c->peer, sizeof(c->peer), "unix pid=%ld",
		    (long)cr.pid);
	else
		(void)snprintf(c->peer, sizeof(c->peer), "fd %d", c->fd);
}

/*
 * over_cap - max_connections are open: the new one is to be closed at
 * once; the first of a burst is logged, the burst's end too, each
 * counted
 */
static int
over_cap(struct pd_server *s, evutil_socket_t fd)
{
	if (s->n_conn < s->lim.max_connections) {
		if (s->refused > 0)
			log_info("policy connections below max_connections "
			    "%u again; %lu closed meanwhile",
			    s->lim.max_connections, s->refused);
		s->refused = 0;
		return 0;
	}
	if (s->refused++ == 0)
		log_warn("%zu policy connections open, at policyd."
		    "max_connections %u: closing new ones at once until some "
		    "close", s->n_conn, s->lim.max_connections);
	if (s->env->refused != NULL)
		metrics_add(s->env->refused, 1);
	return 1;
}

/* accept_cb - a new policy connection */
static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int salen, void *arg)
{
	struct pd_server *s = arg;
	struct pd_conn *c;
	struct timeval idle = { (time_t)s->lim.idle_timeout, 0 };

	if (s->draining || over_cap(s, fd)) {
		(void)close(fd);
		return;
	}
	c = xcalloc(1, sizeof(*c));
	c->srv = s;
	c->fd = fd;
	pd_parser_init(&c->p, s->lim.max_request, s->lim.max_attrs);
	pd_sess_init(&c->sess);
	c->sess.owner = c;
	conn_peer(c, sa, salen);
	c->rev = event_new(s->base, fd, EV_READ | EV_PERSIST, read_cb, c);
	c->req_ev = evtimer_new(s->base, request_timeout_cb, c);
	if (c->rev == NULL || c->req_ev == NULL ||
	    event_add(c->rev, &idle) < 0) {
		log_err("libevent: cannot watch a new connection");
		if (c->rev != NULL)
			event_free(c->rev);
		if (c->req_ev != NULL)
			event_free(c->req_ev);
		(void)close(fd);
		free(c);
		return;
	}
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	s->n_conn++;
	log_debug("connect from %s (%zu open)", c->peer, s->n_conn);
}

/* conn_close - close and free one connection */
static void
conn_close(struct pd_conn *c)
{
	struct pd_server *s = c->srv;

	event_free(c->rev);
	event_free(c->req_ev);
	if (c->wev != NULL)
		event_free(c->wev);
	(void)close(c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->n_conn--;
	log_debug("disconnect from %s (%zu open)", c->peer, s->n_conn);
	pd_parser_free(&c->p);
	pd_sess_free(&c->sess);
	free(c->out);
	free(c);
	if (s->draining && s->n_conn == 0)
		(void)event_base_loopexit(s->base, NULL);
}

/* read_cb - bytes (or the idle timeout) on a connection */
static void
read_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pd_conn *c = arg;
	size_t	 room;
	ssize_t	 n;
	char	*dst;

	if (what & EV_TIMEOUT) {
		if (pd_parser_pending(&c->p))
			log_warn("policy client %s: timeout after %u s in the "
			    "middle of a request; closing the connection",
			    c->peer, c->srv->lim.idle_timeout);
		else
			log_info("policy client %s: idle for %u s "
			    "(idle_timeout); closing the connection", c->peer,
			    c->srv->lim.idle_timeout);
		conn_close(c);
		return;
	}
	dst = pd_parser_space(&c->p, &room);
	n = room > 0 ? read(fd, dst, room) : 0;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n < 0 || (n == 0 && room > 0)) {
		if (pd_parser_pending(&c->p))
			log_warn("policy client %s: connection closed in the "
			    "middle of a request", c->peer);
		conn_close(c);
		return;
	}
	pd_parser_fill(&c->p, (size_t)n);
	conn_process(c);
}

/* conn_process - answer every complete request, or the error */
static void
conn_process(struct pd_conn *c)
{
	struct pd_request req;
	struct pd_answer ans;
	enum pd_status st = PD_NEED_MORE;

	if (c->waiting)
		return;
	while (!c->closing && (st = pd_parser_next(&c->p, &req)) ==
	    PD_REQUEST) {
		if (pd_decide(c->srv->env, &c->sess, &req,
		    (uint64_t)time(NULL), &ans) == 1) {
			/* the store answers later: conn_resume() */
			c->waiting = 1;
			return;
		}
		conn_reply(c, &ans);
		c->answered++;
		if (ans.close)
			c->closing = 1;
	}
	if (!c->closing && st != PD_NEED_MORE) {
		log_proto_error(c, st);
		pd_answer_internal(&ans);
		pd_count_request(c->srv->env, c->sess.inst, ans.kind);
		conn_reply(c, &ans);
		c->closing = 1;
	}
	conn_request_timer(c);
	conn_idle_done(c);
}

/*
 * conn_request_timer - a request begun since the last answer starts
 * its own request_timeout; reads do not extend it
 */
static void
conn_request_timer(struct pd_conn *c)
{
	struct timeval tv = { (time_t)c->srv->lim.request_timeout, 0 };

	if (c->closing || !pd_parser_pending(&c->p)) {
		(void)event_del(c->req_ev);
		return;
	}
	if (evtimer_pending(c->req_ev, NULL) && c->timed == c->answered)
		return;			/* the same request, still running */
	c->timed = c->answered;
	if (evtimer_add(c->req_ev, &tv) < 0)
		log_panic("libevent: cannot arm the request timer");
}

/* request_timeout_cb - a request did not complete in time: 451, close */
static void
request_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pd_conn *c = arg;
	struct pd_answer ans;

	log_warn("policy client %s: request not complete %u s after its "
	    "first byte (request_timeout); answering 451 4.3.0 and closing "
	    "the connection", c->peer, c->srv->lim.request_timeout);
	if (c->srv->env->req_timeouts != NULL)
		metrics_add(c->srv->env->req_timeouts, 1);
	pd_answer_internal(&ans);
	pd_count_request(c->srv->env, c->sess.inst, ans.kind);
	conn_reply(c, &ans);
	conn_close(c);
}

/* conn_resume - the store answered: reply, then go on */
static void
conn_resume(void *arg, const struct pd_answer *a)
{
	struct pd_conn *c = arg;

	c->waiting = 0;
	conn_reply(c, a);
	c->answered++;
	if (a->close)
		c->closing = 1;
	conn_process(c);
}

/* log_proto_error - one line naming the peer, the error and the limit */
static void
log_proto_error(const struct pd_conn *c, enum pd_status st)
{
	char	 lim[64] = "";

	if (st == PD_ERR_TOO_LONG)
		(void)snprintf(lim, sizeof(lim), " of %zu bytes",
		    c->p.max_request);
	else if (st == PD_ERR_TOO_MANY)
		(void)snprintf(lim, sizeof(lim), " (%u)", c->p.max_attrs);
	log_warn("policy client %s: %s%s at line %u; answering 451 4.3.0 "
	    "and closing the connection", c->peer, pd_parser_error(&c->p),
	    lim, c->p.err_line);
}

/* conn_idle_done - close when closing or draining and nothing is left */
static void
conn_idle_done(struct pd_conn *c)
{
	if (c->out_len > c->out_off || c->waiting)
		return;
	if (c->closing || (c->srv->draining && !pd_parser_pending(&c->p)))
		conn_close(c);
}

/* conn_reply - send one reply, keeping what the peer has not taken */
static void
conn_reply(struct pd_conn *c, const struct pd_answer *a)
{
	char	 buf[PD_REPLY_MAX + 16];
	size_t	 n = pd_reply(buf, sizeof(buf), a->action);
	ssize_t	 w = 0;

	if (c->out_len == c->out_off) {
		c->out_len = c->out_off = 0;
		w = write(c->fd, buf, n);
		if (w < 0 && errno != EAGAIN && errno != EINTR) {
			log_debug("policy client %s: write: %m", c->peer);
			c->closing = 1;
			return;
		}
		if (w == (ssize_t)n)
			return;
		if (w < 0)
			w = 0;
	}
	c->out = xrealloc(c->out, c->out_len + n - (size_t)w);
	memcpy(c->out + c->out_len, buf + w, n - (size_t)w);
	c->out_len += n - (size_t)w;
	if (c->wev == NULL &&
	    (c->wev = event_new(c->srv->base, c->fd, EV_WRITE | EV_PERSIST,
	    write_cb, c)) == NULL)
		log_panic("libevent: cannot create a write event");
	(void)event_add(c->wev, NULL);
	if (c->out_len - c->out_off > OUT_PAUSE)
		(void)event_del(c->rev);
}

/* write_cb - the peer can take more of the backlog */
static void
write_cb(evutil_socket_t fd, short what, void *arg)
{
	conn_flush(arg);
}

/* conn_flush - write the backlog; resume reading when it is gone */
static void
conn_flush(struct pd_conn *c)
{
	struct timeval idle = { (time_t)c->srv->lim.idle_timeout, 0 };
	ssize_t	 w;

	w = write(c->fd, c->out + c->out_off, c->out_len - c->out_off);
	if (w < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (w < 0) {
		log_debug("policy client %s: write: %m", c->peer);
		conn_close(c);
		return;
	}
	c->out_off += (size_t)w;
	if (c->out_off < c->out_len)
		return;
	c->out_off = c->out_len = 0;
	(void)event_del(c->wev);
	if (!event_pending(c->rev, EV_READ, NULL))
		(void)event_add(c->rev, &idle);
	conn_idle_done(c);
}

/* drain_cb - the grace period is over */
static void
drain_cb(evutil_socket_t fd, short what, void *arg)
{
	struct pd_server *s = arg;

	if (s->n_conn > 0)
		log_warn("shutdown: closing %zu connections still busy",
		    s->n_conn);
	(void)event_base_loopexit(s->base, NULL);
}

/* pd_server_drain - stop accepting; leave when every request is done */
void
pd_server_drain(struct pd_server *s, unsigned grace)
{
	struct timeval tv = { (time_t)grace, 0 };
	struct pd_conn *c, *next;
	size_t	 i;

	if (s->draining)
		return;
	s->draining = 1;
	for (i = 0; i < s->n_ln; i++)
		evconnlistener_free(s->ln[i]);
	s->n_ln = 0;
	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		conn_idle_done(c);
	}
	if (s->n_conn == 0)
		(void)event_base_loopexit(s->base, NULL);
	else
		(void)event_add(s->drain_ev, &tv);
}

/* pd_server_free - close every connection and listener */
void
pd_server_free(struct pd_server *s)
{
	size_t	 i;

	if (s == NULL)
		return;
	s->draining = 0;		/* no loopexit from conn_close */
	while (s->conns != NULL)
		conn_close(s->conns);
	for (i = 0; i < s->n_ln; i++)
		evconnlistener_free(s->ln[i]);
	event_free(s->pause_ev);
	event_free(s->drain_ev);
	event_free(s->tick_ev);
	free(s);
}
