/*
 * pd-load - load generator for Postfix policy services (make bench).
 *
 * usage: pd-load -s HOST:PORT [-c CONNS] [-d SECONDS] [-w SECONDS]
 *            [-n REQUESTS] [-k KEYS] [-L LOGINS] [-t TIMEOUT_MS] [-r SEED]
 *
 * Keeps CONNS persistent connections (default 10) to a policy service on
 * loopback and replays, on each, what Postfix 3.7's smtpd sends: one
 * request at a time, the next only after the reply.  Requests carry all
 * 29 attributes Postfix 3.7 sends (postfix-sandbox/REPORT.md), in its
 * order, for a mix of messages on both faces:
 *   inbound  (policy_context=inbound, 60%): anonymous clients from
 *            2001:db8::/32, external senders, 1-3 internal recipients,
 *            STARTTLS on half of them; 1% spoof an internal sender
 *            (rejected at RCPT: no DATA follows);
 *   outbound (policy_context=outbound, 40%): clients from 10.0.0.0/8,
 *            SASL PLAIN logins uNNNNN sending as uNNNNN@example.com over
 *            TLS, 1-3 recipients anywhere; 1% send as someone else.
 * Each message is RCPT per recipient, then DATA and END-OF-MESSAGE (with
 * queue_id, recipient_count and size as Postfix fills them).  Client
 * addresses walk KEYS distinct values (default 100000: 80% of them
 * inbound addresses, 20% outbound logins, the rate-limit keys of
 * contrib/gatepost.json); run-bench gives gatepost a send-as file with
 * LOGINS (default KEYS/5, at most 100000) logins u00000.. so outbound
 * mail is allowed.
 *
 * Runs WARMUP seconds (default 1) unmeasured, then SECONDS (default 5) or
 * REQUESTS measured, then waits at most 2 s for replies in flight.  A
 * request unanswered after TIMEOUT_MS (default 10000) counts as a timeout
 * and its connection is closed.  Loopback (127.0.0.0/8) only.
 *
 * Prints one JSON object: requests, seconds, rps, latency quantiles in
 * microseconds (p50, p90, p99, max), replies by kind, errors, timeouts.
 * Exit 0; 1 on bad usage or when no connection could be made.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "hist.h"

#define POOL		4096	/* distinct message scripts */
#define MAXREQ		5	/* requests per script: 3 RCPT, DATA, EOM */
#define REQSZ		2048	/* bytes of one rendered request, at most */
#define RBUFSZ		1024	/* reply buffer */

enum { R_DUNNO, R_REJECT, R_DEFER, R_HOLD, R_OTHER, R_N };
static const char *const rname[R_N] = {
	"dunno", "reject", "defer", "hold", "other"
};

/* One request of a script, rendered around its client address. */
struct req {
	char	*head;		/* owned: attributes up to "client_address=" */
	char	*tail;		/* owned: from the address's line end */
	size_t	 hlen, tlen;
	size_t	 inst_off;	/* offset of the 8 hex digits in tail */
	size_t	 port_off;	/* offset of the 5-digit client_port in tail */
	long	 from_off;	/* sender's 5 login digits in head, or -1 */
	long	 login_off;	/* sasl_username's 5 digits in tail, or -1 */
};

struct script {
	int	 inbound;	/* 1 inbound face, 0 outbound */
	int	 spoof;		/* sends as another login */
	int	 nreq;
	struct req r[MAXREQ];
};

struct conn {
	int	 fd;
	int	 busy;		/* a request is in flight */
	int	 dead;
	int	 script;	/* index into pool */
	int	 step;		/* request of the script */
	uint64_t msgno;		/* message counter of this script run */
	uint64_t t0;		/* ns: request sent */
	size_t	 wlen, woff;
	size_t	 rlen;
	char	 wbuf[REQSZ + 64];
	char	 rbuf[RBUFSZ];
};

static struct script pool[POOL];
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static unsigned keys = 100000, logins;
static uint64_t msg_counter;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static char *
xstrndup(const char *s, size_t n)
{
	char	*p = malloc(n + 1);

	if (p == NULL) {
		perror("pd-load: malloc");
		exit(1);
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* render - one request; split around the client address */
static void
render(struct req *rq, const char *state, const char *helo, const char *qid,
    const char *sender, const char *rcpt, int nrcpt, int inbound,
    const char *login, int tls, unsigned size)
{
	char	 buf[REQSZ], *p;
	int	 n;

	n = snprintf(buf, sizeof(buf),
	    "request=smtpd_access_policy\n"
	    "protocol_state=%s\n"
	    "protocol_name=ESMTP\n"
	    "helo_name=%s\n"
	    "queue_id=%s\n"
	    "sender=%s\n"
	    "recipient=%s\n"
	    "recipient_count=%d\n"
	    "client_address=\001\n"
	    "client_name=unknown\n"
	    "reverse_client_name=unknown\n"
	    "client_port=00000\n"
	    "server_address=%s\n"
	    "server_port=25\n"
	    "instance=1f4a.6f1b2c3d.9e8f7.00000000\n"
	    "sasl_method=%s\n"
	    "sasl_username=%s\n"
	    "sasl_sender=\n"
	    "size=%u\n"
	    "ccert_subject=\n"
	    "ccert_issuer=\n"
	    "ccert_fingerprint=\n"
	    "ccert_pubkey_fingerprint=\n"
	    "encryption_protocol=%s\n"
	    "encryption_cipher=%s\n"
	    "encryption_keysize=%s\n"
	    "etrn_domain=\n"
	    "stress=\n"
	    "policy_context=%s\n"
	    "\n",
	    state, helo, qid, sender, rcpt, nrcpt,
	    inbound ? "192.0.2.10" : "10.0.0.10",
	    login[0] != '\0' ? "PLAIN" : "", login, size,
	    tls ? "TLSv1.3" : "", tls ? "TLS_AES_256_GCM_SHA384" : "",
	    tls ? "256" : "", inbound ? "inbound" : "outbound");
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		fprintf(stderr, "pd-load: request too long\n");
		exit(1);
	}
	p = strchr(buf, '\001');
	rq->head = xstrndup(buf, (size_t)(p - buf));
	rq->hlen = (size_t)(p - buf);
	rq->tail = xstrndup(p + 1, strlen(p + 1));
	rq->tlen = strlen(p + 1);
	/* the fixed-width fields live after the address: offsets in tail */
	rq->port_off = (size_t)(strstr(rq->tail, "client_port=") - rq->tail) +
	    12;
	rq->inst_off = (size_t)(strstr(rq->tail, "instance=") - rq->tail) + 9 +
	    20;
	/* outbound: the login and its address, patched per message */
	rq->from_off = rq->login_off = -1;
	if (login[0] != '\0') {
		rq->from_off = (long)(strstr(rq->head, "\nsender=u") - rq->head) +
		    9;
		rq->login_off = (long)(strstr(rq->tail, "sasl_username=u") -
		    rq->tail) + 15;
	}
}

/* make_script - one message: faces, senders, logins, recipients */
static void
make_script(struct script *s, unsigned idx)
{
	static const char *const ext[] = {
		"example.net", "example.org", "mail.example.net",
		"news.example.org", "corp.example.net"
	};
	static const char *const helos[] = {
		"mx1.example.net", "mail.example.org", "relay7.example.net",
		"smtp-out.example.org"
	};
	char	 sender[128], login[32], qid[16], rc[3][128];
	unsigned size = 2000 + (unsigned)(rng() % 60000);
	int	 tls, nrcpt, i, spoof;
	uint64_t x = rng();

	s->inbound = x % 10 < 6;
	nrcpt = 1 + (int)((x >> 8) % 10 < 7 ? 0 : (x >> 16) % 3);
	spoof = (x >> 24) % 100 == 0;
	(void)snprintf(qid, sizeof(qid), "4Xq%07X", idx);
	if (s->inbound) {
		tls = (x >> 32) & 1;
		login[0] = '\0';
		if (spoof)
			(void)snprintf(sender, sizeof(sender),
			    "ceo@example.com");
		else
			(void)snprintf(sender, sizeof(sender),
			    "user%u@%s", (unsigned)(rng() % 5000),
			    ext[rng() % 5]);
		for (i = 0; i < nrcpt; i++)
			(void)snprintf(rc[i], sizeof(rc[i]),
			    "staff%u@%sexample.com", (unsigned)(rng() % 2000),
			    rng() % 4 == 0 ? "sales." : "");
	} else {
		/* placeholders: build() writes the message's login */
		tls = 1;
		s->spoof = spoof;
		(void)snprintf(login, sizeof(login), "u00000");
		(void)snprintf(sender, sizeof(sender), "u00000@example.com");
		for (i = 0; i < nrcpt; i++)
			(void)snprintf(rc[i], sizeof(rc[i]), "contact%u@%s",
			    (unsigned)(rng() % 9000), rng() % 5 == 0 ?
			    "example.com" : ext[rng() % 5]);
	}
	s->nreq = 0;
	for (i = 0; i < nrcpt; i++) {
		render(&s->r[s->nreq++], "RCPT", helos[x % 4], "", sender,
		    rc[i], 0, s->inbound, login, tls, (x >> 40) & 1 ? size : 0);
		if (spoof)
			return;		/* rejected: no DATA */
	}
	render(&s->r[s->nreq++], "DATA", helos[x % 4], qid, sender,
	    nrcpt == 1 ? rc[0] : "", nrcpt, s->inbound, login, tls, 0);
	render(&s->r[s->nreq++], "END-OF-MESSAGE", helos[x % 4], qid, sender,
	    nrcpt == 1 ? rc[0] : "", nrcpt, s->inbound, login, tls, size);
}

/* client_addr - the address of message number m (walks the key space) */
static int
client_addr(char *buf, size_t sz, int inbound, uint64_t m)
{
	unsigned in_keys = keys - logins, k;

	if (inbound) {
		k = (unsigned)(m % (in_keys ? in_keys : 1));
		return snprintf(buf, sz, "2001:db8:%x:%x::25", k >> 16,
		    k & 0xffff);
	}
	k = (unsigned)(m % 0xfffffeu) + 1;
	return snprintf(buf, sz, "10.%u.%u.%u", (k >> 16) & 255,
	    (k >> 8) & 255, k & 255);
}

static void
put_hex(char *p, unsigned v, int width)
{
	static const char hx[] = "0123456789ABCDEF";

	while (width-- > 0) {
		p[width] = hx[v & 15];
		v >>= 4;
	}
}

/* put_dec - five decimal digits, in place */
static void
put_dec(char *p, unsigned v)
{
	int	 i;

	for (i = 4; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

/* build - render the connection's next request into wbuf */
static void
build(struct conn *c)
{
	struct script *s = &pool[c->script];
	struct req *rq = &s->r[c->step];
	char	 addr[64], *t;
	int	 al = client_addr(addr, sizeof(addr), s->inbound, c->msgno);

	memcpy(c->wbuf, rq->head, rq->hlen);
	memcpy(c->wbuf + rq->hlen, addr, (size_t)al);
	t = c->wbuf + rq->hlen + al;
	memcpy(t, rq->tail, rq->tlen);
	put_hex(t + rq->inst_off, (unsigned)c->msgno, 8);
	(void)snprintf(t + rq->port_off, 6, "%05u",
	    10000 + (unsigned)(c->msgno % 50000));
	t[rq->port_off + 5] = '\n';
	if (rq->login_off >= 0) {
		/* logins walk their key space too (rate limit per login) */
		unsigned u = (unsigned)((c->msgno * 7919u) % logins);

		put_dec(t + rq->login_off, u);
		put_dec(c->wbuf + rq->from_off, s->spoof ? (u + 1) % logins : u);
	}
	c->wlen = rq->hlen + (size_t)al + rq->tlen;
	c->woff = 0;
}

/* next_message - pick the connection's next script */
static void
next_message(struct conn *c)
{
	c->msgno = msg_counter++;
	c->script = (int)(rng() % POOL);
	c->step = 0;
}

static int
classify(const char *r)
{
	if (strncmp(r, "action=", 7) != 0)
		return -1;
	r += 7;
	if (strncasecmp(r, "DUNNO", 5) == 0 || strncasecmp(r, "OK", 2) == 0)
		return R_DUNNO;
	if (r[0] == '5' || strncasecmp(r, "REJECT", 6) == 0)
		return R_REJECT;
	if (r[0] == '4' || strncasecmp(r, "DEFER", 5) == 0)
		return R_DEFER;
	if (strncasecmp(r, "HOLD", 4) == 0)
		return R_HOLD;
	return R_OTHER;
}

static int
parse_target(const char *spec, struct sockaddr_in *sin)
{
	char	 host[64];
	const char *colon = strrchr(spec, ':');

	if (colon == NULL || (size_t)(colon - spec) >= sizeof(host))
		return -1;
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((unsigned short)atoi(colon + 1));
	if (inet_pton(AF_INET, host, &sin->sin_addr) != 1 ||
	    (ntohl(sin->sin_addr.s_addr) >> 24) != 127)
		return -1;
	return 0;
}

static int
send_some(struct conn *c)
{
	ssize_t	 n;

	while (c->woff < c->wlen) {
		n = write(c->fd, c->wbuf + c->woff, c->wlen - c->woff);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 1;
		if (n <= 0)
			return -1;
		c->woff += (size_t)n;
	}
	return 0;
}

struct stats {
	struct hist h;
	uint64_t replies[R_N];
	uint64_t errors, timeouts;
	uint64_t messages;		/* finished while measuring */
	uint64_t messages_all;		/* finished, warm-up included */
};

/* start_request - build, stamp and send; watch for output if stuck */
static int
start_request(int ep, struct conn *c)
{
	struct epoll_event ev;
	int	 r;

	build(c);
	c->t0 = hist_now();
	c->busy = 1;
	r = send_some(c);
	if (r < 0)
		return -1;
	ev.events = EPOLLIN | (r > 0 ? EPOLLOUT : 0);
	ev.data.ptr = c;
	if (r > 0 && epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev) < 0)
		return -1;
	return 0;
}

static void
kill_conn(struct conn *c)
{
	if (!c->dead) {
		close(c->fd);
		c->dead = 1;
		c->busy = 0;
	}
}

/* on_readable - take the reply; 1 when one completed */
static int
on_readable(struct conn *c, struct stats *st, int measuring, uint64_t t)
{
	ssize_t	 n;
	char	*end;
	int	 k;

	n = read(c->fd, c->rbuf + c->rlen, sizeof(c->rbuf) - 1 - c->rlen);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n <= 0) {
		st->errors++;
		kill_conn(c);
		return -1;
	}
	c->rlen += (size_t)n;
	c->rbuf[c->rlen] = '\0';
	if ((end = strstr(c->rbuf, "\n\n")) == NULL) {
		if (c->rlen >= sizeof(c->rbuf) - 1) {
			st->errors++;
			kill_conn(c);
			return -1;
		}
		return 0;
	}
	if (!c->busy || end + 2 != c->rbuf + c->rlen) {	/* unasked reply */
		st->errors++;
		kill_conn(c);
		return -1;
	}
	k = classify(c->rbuf);
	c->rlen = 0;
	c->busy = 0;
	if (measuring) {
		hist_add(&st->h, t - c->t0);
		if (k < 0)
			st->errors++;
		else
			st->replies[k]++;
	}
	if (++c->step >= pool[c->script].nreq ||
	    (k != R_DUNNO && k != R_OTHER && k != R_HOLD)) {
		next_message(c);	/* refused: Postfix ends the message */
		st->messages_all++;
		if (measuring)
			st->messages++;
	}
	return 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: pd-load -s HOST:PORT [-c CONNS] [-d SECONDS] "
	    "[-w SECONDS] [-n REQUESTS] [-k KEYS] [-L LOGINS] "
	    "[-t TIMEOUT_MS] [-r SEED]\n");
	exit(1);
}

static int
connect_all(struct conn *cs, int nc, const struct sockaddr_in *sin, int ep)
{
	struct epoll_event ev;
	int	 i, one = 1, ok = 0;

	for (i = 0; i < nc; i++) {
		struct conn *c = &cs[i];

		c->fd = socket(AF_INET, SOCK_STREAM, 0);
		if (c->fd < 0 || connect(c->fd, (const struct sockaddr *)sin,
		    sizeof(*sin)) < 0) {
			if (c->fd >= 0)
				close(c->fd);
			c->dead = 1;
			continue;
		}
		(void)setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
		(void)fcntl(c->fd, F_SETFL, O_NONBLOCK);
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
			close(c->fd);
			c->dead = 1;
			continue;
		}
		next_message(c);
		ok++;
	}
	return ok;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct epoll_event evs[512];
	struct rlimit rl;
	struct stats st;
	struct conn *cs;
	const char *target = NULL;
	double	 dur = 5, warm = 1;
	uint64_t maxreq = 0, done = 0, t, t_meas, t_end, t_stop = 0, t_scan = 0;
	long	 timeout_ms = 10000;
	int	 nc = 10, ch, ep, i, n, ok, live;

	while ((ch = getopt(argc, argv, "s:c:d:w:n:k:L:t:r:")) != -1) {
		switch (ch) {
		case 's': target = optarg; break;
		case 'c': nc = atoi(optarg); break;
		case 'd': dur = atof(optarg); break;
		case 'w': warm = atof(optarg); break;
		case 'n': maxreq = strtoull(optarg, NULL, 10); break;
		case 'k': keys = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'L': logins = (unsigned)strtoul(optarg, NULL, 10); break;
		case 't': timeout_ms = atol(optarg); break;
		case 'r': rng_state += strtoull(optarg, NULL, 10) *
			      0xbf58476d1ce4e5b9ULL; break;
		default: usage();
		}
	}
	if (target == NULL || parse_target(target, &sin) < 0 || nc < 1 ||
	    nc > 20000 || dur <= 0 || dur > 600 || warm < 0 || warm > 60 ||
	    keys < 10 || timeout_ms < 1)
		usage();
	if (rng_state == 0)
		rng_state = 1;		/* xorshift never leaves 0 */
	if (logins == 0)
		logins = keys / 5;
	if (logins >= keys || logins > 100000)
		usage();
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	(void)signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < POOL; i++)
		make_script(&pool[i], (unsigned)i);
	memset(&st, 0, sizeof(st));
	if ((cs = calloc((size_t)nc, sizeof(*cs))) == NULL ||
	    (ep = epoll_create1(0)) < 0)
		return 1;
	if ((ok = connect_all(cs, nc, &sin, ep)) == 0) {
		fprintf(stderr, "pd-load: cannot connect to %s\n", target);
		return 1;
	}
	for (i = 0; i < nc; i++)
		if (!cs[i].dead && start_request(ep, &cs[i]) < 0) {
			st.errors++;
			kill_conn(&cs[i]);
		}
	t = hist_now();
	t_meas = t + (uint64_t)(warm * 1e9);
	t_end = t_meas + (uint64_t)(dur * 1e9);
	for (;;) {
		int measuring;

		t = hist_now();
		if (t_stop == 0 && (t >= t_end || (maxreq && done >= maxreq)))
			t_stop = t;
		if (t_stop == 0 && t - t_scan < 100000000u)
			goto wait;
		t_scan = t;
		live = 0;
		for (i = 0; i < nc; i++) {
			if (cs[i].dead || !cs[i].busy)
				continue;
			if (t - cs[i].t0 > (uint64_t)timeout_ms * 1000000u) {
				st.timeouts++;
				kill_conn(&cs[i]);
				continue;
			}
			live++;
		}
		if (t_stop != 0 && (live == 0 || t > t_stop + 2000000000u))
			break;
		if (live == 0 && t_stop == 0) {
			int any = 0;

			for (i = 0; i < nc; i++)
				any |= !cs[i].dead;
			if (!any)
				break;
		}
wait:
		n = epoll_wait(ep, evs, 512, 100);
		t = hist_now();
		measuring = t >= t_meas && t_stop == 0;
		for (i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			struct epoll_event ev;

			if (c->dead)
				continue;
			if (evs[i].events & EPOLLOUT) {
				int r = send_some(c);

				if (r < 0) {
					st.errors++;
					kill_conn(c);
					continue;
				}
				if (r == 0) {
					ev.events = EPOLLIN;
					ev.data.ptr = c;
					(void)epoll_ctl(ep, EPOLL_CTL_MOD,
					    c->fd, &ev);
				}
			}
			if (!(evs[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
				continue;
			if (on_readable(c, &st, measuring, t) != 1)
				continue;
			if (measuring)
				done++;
			if (t_stop == 0 && start_request(ep, c) < 0) {
				st.errors++;
				kill_conn(c);
			}
		}
	}
	{
		double secs = (double)((t_stop ? t_stop : hist_now()) -
		    t_meas) / 1e9;

		if (secs <= 0)
			secs = 1e-9;
		printf("{\"target\": \"%s\", \"conns\": %d, \"connected\": %d, "
		    "\"seconds\": %.3f, \"requests\": %llu, \"rps\": %.1f, "
		    "\"p50_us\": %.1f, \"p90_us\": %.1f, \"p99_us\": %.1f, "
		    "\"max_us\": %.1f, \"keys\": %u, \"logins\": %u, "
		    "\"errors\": %llu, \"timeouts\": %llu, \"messages\": %llu, "
		    "\"messages_all\": %llu, \"replies\": {",
		    target, nc, ok, secs, (unsigned long long)st.h.n,
		    (double)st.h.n / secs, hist_q(&st.h, 0.5) / 1e3,
		    hist_q(&st.h, 0.9) / 1e3, hist_q(&st.h, 0.99) / 1e3,
		    st.h.max / 1e3, keys, logins,
		    (unsigned long long)st.errors,
		    (unsigned long long)st.timeouts,
		    (unsigned long long)st.messages,
		    (unsigned long long)st.messages_all);
		for (i = 0; i < R_N; i++)
			printf("%s\"%s\": %llu", i ? ", " : "", rname[i],
			    (unsigned long long)st.replies[i]);
		printf("}}\n");
	}
	return 0;
}
