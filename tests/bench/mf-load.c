/*
 * mf-load - milter load driver for make bench: speaks the Sendmail 8
 * milter protocol (version 6) to a filter the way Postfix 3.7's smtpd and
 * cleanup do.
 *
 * usage: mf-load -s SOCKET [-f inbound|outbound] [-c CONC] [-m MSGS]
 *            [-z BYTES] [-d SECONDS] [-w SECONDS] [-N MIN] [-H SECONDS]
 *            [-t TIMEOUT_MS] [-v]
 *   -s  inet:PORT@127.x.y.z, 127.x.y.z:PORT or unix:/path
 *   -f  the face the messages arrive on (default inbound):
 *         inbound   client 198.51.100.23, no AUTH, external sender and
 *                   From:, internal recipient
 *         outbound  client 10.1.2.3, {auth_authen}=alice over TLS,
 *                   alice@example.com sending to an external recipient
 *   -c  concurrent connections (threads), default 1
 *   -m  messages per connection, default 1
 *   -z  message size in bytes (headers + body), default 2048: up to 8 KB
 *       a text/plain message, above a multipart/mixed with text and HTML
 *       parts and a base64 attachment filling it up
 *   -d  measure for SECONDS (default 5) after -w SECONDS warm-up
 *       (default 1); measuring goes on past -d until -N messages (default
 *       1) completed, but never past -H seconds (default 60)
 *   -t  per-reply timeout (default 30000 ms): a filter that does not
 *       answer in time costs its connection, counted as an error
 *   -v  print each connection's negotiation to stderr
 *
 * Per connection: SMFIC_OPTNEG (version 6, every action, Postfix's v6
 * protocol mask), then CONNECT, HELO and per message MAIL, RCPT, DATA,
 * headers, EOH, body chunks of at most 65535 bytes, BODYEOB, then ABORT
 * (as Postfix's mail_reset does after each transaction) and at the end
 * QUIT.  Each event goes with the macros Postfix would send for it (the
 * gatepost harness's milter_*_macros, or the filter's SMFIR_SETSYMLIST
 * lists), macros are sent even for events the filter negotiated away, as
 * Postfix does.  The driver honours what the filter negotiates: no event
 * it declined (SMFIP_NO*), no wait for a reply it declined (SMFIP_NR_*,
 * SMFIP_NOHREPL), leading space of header values (SMFIP_HDR_LEADSPC),
 * SMFIR_SKIP from the body callback, SMFIR_ACCEPT for the rest of a
 * message or connection.  Every modification reply at end of message is
 * parsed and checked against the actions the filter asked for.
 *
 * Latency of a message: from MAIL (from the connect, for a connection's
 * first message) to the final reply at end of message.  Prints one JSON
 * object.  Exit 0; 1 on bad usage; 2 when no message completed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <libmilter/mfapi.h>
#include <libmilter/mfdef.h>

#include "hist.h"

#define CHUNK		65535		/* Postfix's MILTER_CHUNK_SIZE */
#define MAXPKT		(1 << 26)	/* largest reply we accept */
#define V6_PROTO	0x001FFFFFu	/* Postfix MILTER8_V6_PROTO_MASK */
#define ALL_ACTIONS	0x000001FFu
#define NSTAGE		7		/* SMFIM_CONNECT .. SMFIM_EOH */

enum { M_ADDHDR, M_INSHDR, M_CHGHDR, M_ADDRCPT, M_DELRCPT, M_CHGFROM,
	M_REPLBODY, M_QUAR, M_N };
static const char *const mname[M_N] = {
	"addheader", "insheader", "chgheader", "addrcpt", "delrcpt",
	"chgfrom", "replbody", "quarantine"
};
enum { F_ACCEPT, F_REJECT, F_TEMPFAIL, F_DISCARD, F_OTHER, F_N };
static const char *const fname[F_N] = {
	"accepted", "rejected", "tempfailed", "discarded", "other"
};

struct kv {
	const char *k, *v;
};

/* What one message looks like on the wire, built once. */
struct message {
	const char *face;
	struct kv macros[32];		/* every macro with a value */
	int	 nmacros;
	const char *stage_of[32];	/* harness stage of each macro */
	char	 client[64], helo[64], from[128], rcpt[128];
	int	 nhdr;
	char	*hname[16], *hval[16];
	char	*body;			/* owned, CRLF */
	size_t	 blen;
};

struct result {
	struct hist h;
	uint64_t final[F_N];
	uint64_t mods[M_N];		/* of measured messages */
	uint64_t replbody_bytes;
	uint64_t replbody_msgs;		/* measured messages with a new body */
	uint64_t cur[M_N + 1];		/* this message's; [M_N] body bytes */
	uint64_t errors, violations, conns, skips;
	uint32_t actions, proto;	/* last negotiated */
	char	 symlist[NSTAGE][256];
};

static struct message msg;
static const char *target;
static int conc = 1, per_conn = 1, verbose;
static long timeout_ms = 30000;
static uint64_t t_meas, t_end, t_hard, min_msgs = 1;
static atomic_uint_least64_t measured;
static atomic_int stop_all;

/* The harness's milter_*_macros (tests/harness/gpharness.py), by stage. */
static const char *const stage_macros[NSTAGE] = {
	"j {daemon_name} {daemon_addr} {daemon_port} v _ {client_addr} "
	"{client_port} {client_name} {client_ptr} {client_connections}",
	"{tls_version} {cipher} {cipher_bits} {cert_subject} {cert_issuer} "
	"{client_resolve}",
	"i {auth_type} {auth_authen} {auth_ssf} {auth_author} {mail_mailer} "
	"{mail_host} {mail_addr}",
	"i {rcpt_mailer} {rcpt_host} {rcpt_addr}",
	"i",
	"i",	/* SMFIM_EOM */
	"i",	/* SMFIM_EOH */
};

static void *
xmalloc(size_t n)
{
	void	*p = malloc(n);

	if (p == NULL) {
		perror("mf-load: malloc");
		exit(1);
	}
	return p;
}

/* ------------------------------------------------------------ message */

static void
add_macro(const char *k, const char *v)
{
	msg.macros[msg.nmacros].k = k;
	msg.macros[msg.nmacros++].v = v;
}

static void
add_header(const char *n, const char *v)
{
	msg.hname[msg.nhdr] = strdup(n);
	msg.hval[msg.nhdr++] = strdup(v);
}

/* append - add text to the body being built */
static void
append(size_t *len, size_t cap, const char *s)
{
	size_t	 n = strlen(s);

	if (*len + n > cap)
		n = cap - *len;
	memcpy(msg.body + *len, s, n);
	*len += n;
}

/* build_body - text, or multipart with text, HTML and an attachment */
static void
build_body(size_t want)
{
	static const char para[] =
	    "Please find the quarterly figures attached. The numbers for "
	    "the northern region are\r\nahead of plan; the southern region "
	    "is catching up after the delayed launch.\r\n\r\n";
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t	 len = 0, cap = want + 4096, hdr = 600, i;

	msg.body = xmalloc(cap);
	if (want <= 8192) {
		while (len + sizeof(para) < (want > hdr ? want - hdr : 256))
			append(&len, cap, para);
		append(&len, cap, "-- \r\nNews desk\r\n");
		msg.blen = len;
		return;
	}
	append(&len, cap, "This is a multi-part message in MIME format.\r\n"
	    "\r\n--=_bench_outer\r\nContent-Type: multipart/alternative; "
	    "boundary=\"=_bench_alt\"\r\n\r\n--=_bench_alt\r\nContent-Type: "
	    "text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
	    "quoted-printable\r\n\r\n");
	for (i = 0; i < 4; i++)
		append(&len, cap, para);
	append(&len, cap, "--=_bench_alt\r\nContent-Type: text/html; "
	    "charset=utf-8\r\n\r\n<html><body>\r\n");
	for (i = 0; i < 4; i++) {
		append(&len, cap, "<p>");
		append(&len, cap, para);
		append(&len, cap, "</p>\r\n");
	}
	append(&len, cap, "</body></html>\r\n--=_bench_alt--\r\n\r\n"
	    "--=_bench_outer\r\nContent-Type: application/pdf; "
	    "name=\"figures.pdf\"\r\nContent-Disposition: attachment; "
	    "filename=\"figures.pdf\"\r\nContent-Transfer-Encoding: base64"
	    "\r\n\r\n");
	while (len + 78 + 40 + hdr < want) {
		for (i = 0; i < 76; i++)
			msg.body[len + i] = b64[(len * 7 + i * 13) % 64];
		msg.body[len + 76] = '\r';
		msg.body[len + 77] = '\n';
		len += 78;
	}
	append(&len, cap, "--=_bench_outer--\r\n");
	msg.blen = len;
}

static void
build_message(const char *face, size_t size)
{
	int	 in = strcmp(face, "inbound") == 0;

	msg.face = in ? "inbound" : "outbound";
	(void)snprintf(msg.client, sizeof(msg.client), "%s",
	    in ? "198.51.100.23" : "10.1.2.3");
	(void)snprintf(msg.helo, sizeof(msg.helo), "%s",
	    in ? "mx1.example.net" : "app1.example.com");
	(void)snprintf(msg.from, sizeof(msg.from), "%s",
	    in ? "news@example.net" : "alice@example.com");
	(void)snprintf(msg.rcpt, sizeof(msg.rcpt), "%s",
	    in ? "bob@example.com" : "partner@example.net");
	add_macro("j", "gw.gatepost.test");
	add_macro("{daemon_name}", msg.face);
	add_macro("{daemon_addr}", in ? "127.0.0.2" : "127.0.0.3");
	add_macro("{daemon_port}", "25");
	add_macro("v", "Postfix 3.7.11");
	add_macro("_", in ? "unknown [198.51.100.23]" : "unknown [10.1.2.3]");
	add_macro("{client_addr}", msg.client);
	add_macro("{client_port}", "41234");
	add_macro("{client_name}", "unknown");
	add_macro("{client_ptr}", "unknown");
	add_macro("{client_connections}", "1");
	add_macro("{client_resolve}", "FAIL");
	if (!in) {
		add_macro("{tls_version}", "TLSv1.3");
		add_macro("{cipher}", "TLS_AES_256_GCM_SHA384");
		add_macro("{cipher_bits}", "256");
		add_macro("{auth_type}", "PLAIN");
		add_macro("{auth_authen}", "alice");
	}
	add_macro("{mail_mailer}", "smtp");
	add_macro("{mail_host}", in ? "[127.0.0.1]:2526" : "[127.0.0.1]:2527");
	add_macro("{mail_addr}", msg.from);
	add_macro("{rcpt_mailer}", "smtp");
	add_macro("{rcpt_host}", in ? "[127.0.0.1]:2526" : "[127.0.0.1]:2527");
	add_macro("{rcpt_addr}", msg.rcpt);
	add_macro("i", "4XbnchQ1d2z");
	add_header("Received", in ? "from mail.example.net (mail.example.net "
	    "[203.0.113.9])\n\tby mx1.example.net (Postfix) with ESMTPS id "
	    "4Xaa1; Mon, 6 Jan 2025 10:00:00 +0000" : "from app1.example.com "
	    "(app1.example.com [10.1.2.3])\n\tby mail.example.com with "
	    "ESMTPSA id 4Xab2; Mon, 6 Jan 2025 10:00:00 +0000");
	add_header("From", in ? "\"Example News\" <news@example.net>" :
	    "\"Alice Example\" <alice@example.com>");
	add_header("To", in ? "<bob@example.com>" : "<partner@example.net>");
	add_header("Subject", "Quarterly figures");
	add_header("Date", "Mon, 6 Jan 2025 10:00:00 +0000");
	add_header("Message-ID", "<bench.20250106100000@example.net>");
	add_header("MIME-Version", "1.0");
	add_header("Content-Type", size <= 8192 ?
	    "text/plain; charset=utf-8" :
	    "multipart/mixed; boundary=\"=_bench_outer\"");
	add_header("X-Mailer", "make-bench mf-load");
	if (!in)
		add_header("X-Originating-IP", "[10.1.2.3]");
	build_body(size);
}

/* ------------------------------------------------------------ wire */

struct conn {
	int	 fd;
	uint32_t actions, proto;	/* negotiated */
	char	*sym[NSTAGE];		/* owned: filter's macro lists */
	char	*buf;			/* owned: reply data */
	size_t	 cap;
	char	*out;			/* owned: the command being sent */
	size_t	 ocap;
	int	 accept_con;		/* filter accepted the connection */
};

/* io_all - read (out 0) or write (out 1) all n bytes at p; -1 on error */
static int
io_all(int fd, void *p, size_t n, int out)
{
	while (n > 0) {
		ssize_t	 r = out ? write(fd, p, n) : read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p = (char *)p + r;
		n -= (size_t)r;
	}
	return 0;
}

/* send_pkt - one command in one write: length, code, data parts */
static int
send_pkt(struct conn *c, char cmd, const void *d1, size_t l1,
    const void *d2, size_t l2)
{
	uint32_t len = htonl((uint32_t)(1 + l1 + l2));
	size_t	 n = 5 + l1 + l2;

	if (n > c->ocap) {
		free(c->out);
		c->ocap = n;
		c->out = xmalloc(c->ocap);
	}
	memcpy(c->out, &len, 4);
	c->out[4] = cmd;
	if (l1 > 0)
		memcpy(c->out + 5, d1, l1);
	if (l2 > 0)
		memcpy(c->out + 5 + l1, d2, l2);
	return io_all(c->fd, c->out, n, 1);
}

/* read_pkt - one reply into c->buf; returns its code, -1 on error */
static int
read_pkt(struct conn *c, size_t *len)
{
	uint32_t nl;
	unsigned char cmd;
	size_t	 n;

	if (io_all(c->fd, &nl, 4, 0) < 0)
		return -1;
	n = ntohl(nl);
	if (n < 1 || n > MAXPKT || io_all(c->fd, &cmd, 1, 0) < 0)
		return -1;
	n--;
	if (n + 1 > c->cap) {
		free(c->buf);
		c->cap = n + 1;
		c->buf = xmalloc(c->cap);
	}
	if (io_all(c->fd, c->buf, n, 0) < 0)
		return -1;
	c->buf[n] = '\0';
	*len = n;
	return cmd;
}

/* in_list - is name in the space-separated list? */
static int
in_list(const char *list, const char *name)
{
	size_t	 n = strlen(name);
	const char *p = list;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

/* send_macros - SMFIC_MACRO for a stage, if any macro has a value */
static int
send_macros(struct conn *c, int stage, char cmd)
{
	const char *list = c->sym[stage] ? c->sym[stage] : stage_macros[stage];
	char	 buf[2048];
	size_t	 len = 1;
	int	 i;

	buf[0] = cmd;
	for (i = 0; i < msg.nmacros; i++) {
		size_t	 kl = strlen(msg.macros[i].k),
			 vl = strlen(msg.macros[i].v);

		if (!in_list(list, msg.macros[i].k) ||
		    len + kl + vl + 2 > sizeof(buf))
			continue;
		/* Postfix has no queue id before the first accepted RCPT */
		if (stage == SMFIM_ENVFROM && strcmp(msg.macros[i].k, "i") == 0)
			continue;
		memcpy(buf + len, msg.macros[i].k, kl + 1);
		len += kl + 1;
		memcpy(buf + len, msg.macros[i].v, vl + 1);
		len += vl + 1;
	}
	if (len == 1)
		return 0;
	return send_pkt(c, SMFIC_MACRO, buf, len, NULL, 0);
}

/* ------------------------------------------------------------ replies */

/* need - bytes of strings and longs a modification must carry */
static int
check_mod(struct conn *c, struct result *r, int code, size_t len)
{
	static const struct {
		char	 code;
		int	 idx, nstr, hasidx;
		uint32_t action;
	} mods[] = {
		{SMFIR_ADDHEADER, M_ADDHDR, 2, 0, SMFIF_ADDHDRS},
		{SMFIR_INSHEADER, M_INSHDR, 2, 1, SMFIF_ADDHDRS},
		{SMFIR_CHGHEADER, M_CHGHDR, 2, 1, SMFIF_CHGHDRS},
		{SMFIR_ADDRCPT, M_ADDRCPT, 1, 0, SMFIF_ADDRCPT},
		{SMFIR_ADDRCPT_PAR, M_ADDRCPT, 1, 0, SMFIF_ADDRCPT_PAR},
		{SMFIR_DELRCPT, M_DELRCPT, 1, 0, SMFIF_DELRCPT},
		{SMFIR_CHGFROM, M_CHGFROM, 1, 0, SMFIF_CHGFROM},
		{SMFIR_REPLBODY, M_REPLBODY, 0, 0, SMFIF_CHGBODY},
		{SMFIR_QUARANTINE, M_QUAR, 1, 0, SMFIF_QUARANTINE},
	};
	size_t	 i, off, nul = 0;

	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		if (mods[i].code == code)
			break;
	if (i == sizeof(mods) / sizeof(mods[0]))
		return -1;
	if ((c->actions & mods[i].action) == 0)
		r->violations++;
	r->cur[mods[i].idx]++;
	if (code == SMFIR_REPLBODY) {
		r->cur[M_N] += len;
		return 0;
	}
	off = mods[i].hasidx ? 4 : 0;
	if (len < off)
		return -1;
	for (; off < len; off++)
		nul += c->buf[off] == '\0';
	/* a string ends in NUL; read_pkt's terminator is not counted */
	if ((int)nul < mods[i].nstr || (len > 0 && c->buf[len - 1] != '\0'))
		return -1;
	return 0;
}

/*
 * await - read the reply to an event: 'c', 'a', 's', 'r', 't', 'y', 'd'
 * (returned), skipping progress, and at end of message taking the
 * modification replies first.  -1 on a protocol or I/O error.
 */
static int
await(struct conn *c, struct result *r, int eom)
{
	size_t	 len;
	int	 code, guard;

	for (guard = 0; guard < 1000000; guard++) {
		if ((code = read_pkt(c, &len)) < 0)
			return -1;
		switch (code) {
		case SMFIR_PROGRESS:
			continue;
		case SMFIR_CONTINUE:
		case SMFIR_ACCEPT:
		case SMFIR_REJECT:
		case SMFIR_TEMPFAIL:
		case SMFIR_DISCARD:
		case SMFIR_SKIP:
			return code;
		case SMFIR_REPLYCODE:
			return len >= 3 && c->buf[0] == '4' ? SMFIR_TEMPFAIL :
			    SMFIR_REJECT;
		case SMFIR_SHUTDOWN:
		case SMFIR_CONN_FAIL:
			return SMFIR_TEMPFAIL;
		default:
			if (!eom || check_mod(c, r, code, len) < 0)
				return -1;
		}
	}
	return -1;
}

/* event - macros, then the event unless negotiated away, then reply */
static int
event(struct conn *c, struct result *r, int stage, char cmd, uint32_t no,
    uint32_t nr, const void *d, size_t l, const void *d2, size_t l2)
{
	if (stage >= 0 && send_macros(c, stage, cmd) < 0)
		return -1;
	if (no != 0 && (c->proto & no) != 0)
		return SMFIR_CONTINUE;
	if (send_pkt(c, cmd, d, l, d2, l2) < 0)
		return -1;
	if (nr != 0 && (c->proto & nr) != 0)
		return SMFIR_CONTINUE;
	return await(c, r, 0);
}

/* ------------------------------------------------------------ session */

static int
dial(void)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct timeval tv;
	int	 fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (strncmp(target, "unix:", 5) == 0) {
		struct sockaddr_un *sun = (struct sockaddr_un *)&ss;

		sun->sun_family = AF_UNIX;
		(void)snprintf(sun->sun_path, sizeof(sun->sun_path), "%s",
		    target + 5);
		sl = sizeof(*sun);
	} else {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		char	 host[64];
		const char *p = target, *sep;
		int	 port;

		if (strncmp(p, "inet:", 5) == 0)
			p += 5;
		if ((sep = strchr(p, '@')) != NULL) {
			port = atoi(p);
			(void)snprintf(host, sizeof(host), "%s", sep + 1);
		} else if ((sep = strrchr(p, ':')) != NULL) {
			port = atoi(sep + 1);
			(void)snprintf(host, sizeof(host), "%.*s",
			    (int)(sep - p), p);
		} else
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)port);
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1 ||
		    (ntohl(sin->sin_addr.s_addr) >> 24) != 127)
			return -1;
		sl = sizeof(*sin);
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) < 0)
		return -1;
	tv.tv_sec = timeout_ms / 1000;
	tv.tv_usec = (timeout_ms % 1000) * 1000;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (ss.ss_family == AF_INET)
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one,
		    sizeof(one));
	if (connect(fd, (struct sockaddr *)&ss, sl) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* negotiate - SMFIC_OPTNEG as Postfix offers it; keep what comes back */
static int
negotiate(struct conn *c, struct result *r)
{
	uint32_t o[3] = { htonl(6), htonl(ALL_ACTIONS), htonl(V6_PROTO) };
	size_t	 len, off;
	int	 code;

	if (send_pkt(c, SMFIC_OPTNEG, o, sizeof(o), NULL, 0) < 0)
		return -1;
	if ((code = read_pkt(c, &len)) != SMFIC_OPTNEG || len < 12)
		return -1;
	memcpy(o, c->buf, 12);
	c->actions = ntohl(o[1]);
	c->proto = ntohl(o[2]);
	if ((c->proto & ~V6_PROTO) != 0 || (c->actions & ~ALL_ACTIONS) != 0)
		r->violations++;
	for (off = 12; off + 4 < len; ) {
		uint32_t st;
		size_t	 sl;

		memcpy(&st, c->buf + off, 4);
		st = ntohl(st);
		off += 4;
		sl = strnlen(c->buf + off, len - off);
		if (st < NSTAGE) {
			free(c->sym[st]);
			c->sym[st] = strndup(c->buf + off, sl);
			(void)snprintf(r->symlist[st], sizeof(r->symlist[st]),
			    "%s", c->sym[st]);
		}
		off += sl + 1;
	}
	r->actions = c->actions;
	r->proto = c->proto;
	if (verbose)
		fprintf(stderr, "mf-load: negotiated version %u actions 0x%x "
		    "protocol 0x%x\n", ntohl(o[0]), c->actions, c->proto);
	return 0;
}

/* open_session - connect, negotiate, CONNECT and HELO */
static int
open_session(struct conn *c, struct result *r)
{
	unsigned char cd[128];
	size_t	 hl = strlen("[") + strlen(msg.client) + 1, al;
	uint16_t port = htons(41234);
	int	 rc;

	memset(c, 0, sizeof(*c));
	if ((c->fd = dial()) < 0)
		return -1;
	r->conns++;
	if (negotiate(c, r) < 0)
		return -1;
	/* hostname "[addr]" (unresolved), family, port, address */
	(void)snprintf((char *)cd, sizeof(cd), "[%s]", msg.client);
	hl = strlen((char *)cd) + 1;
	cd[hl] = SMFIA_INET;
	memcpy(cd + hl + 1, &port, 2);
	al = strlen(msg.client) + 1;
	memcpy(cd + hl + 3, msg.client, al);
	rc = event(c, r, SMFIM_CONNECT, SMFIC_CONNECT, SMFIP_NOCONNECT,
	    SMFIP_NR_CONN, cd, hl + 3 + al, NULL, 0);
	if (rc == SMFIR_ACCEPT)
		c->accept_con = 1;
	else if (rc != SMFIR_CONTINUE)
		return rc < 0 ? -1 : rc;
	if (c->accept_con)
		return 0;
	rc = event(c, r, SMFIM_HELO, SMFIC_HELO, SMFIP_NOHELO, SMFIP_NR_HELO,
	    msg.helo, strlen(msg.helo) + 1, NULL, 0);
	if (rc == SMFIR_ACCEPT)
		c->accept_con = 1;
	else if (rc != SMFIR_CONTINUE)
		return rc < 0 ? -1 : rc;
	return 0;
}

static void
close_session(struct conn *c)
{
	int	 i;

	if (c->fd >= 0) {
		(void)send_pkt(c, SMFIC_QUIT, NULL, 0, NULL, 0);
		close(c->fd);
	}
	c->fd = -1;
	for (i = 0; i < NSTAGE; i++)
		free(c->sym[i]);
	free(c->buf);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* content - headers, EOH, body chunks, EOB; returns the final code */
static int
content(struct conn *c, struct result *r)
{
	char	 hb[4096];
	size_t	 off;
	int	 i, rc;

	for (i = 0; i < msg.nhdr && !(c->proto & SMFIP_NOHDRS); i++) {
		const char *v = msg.hval[i];
		size_t	 nl = strlen(msg.hname[i]) + 1, vl;

		/* Postfix eats the space after the colon unless LEADSPC */
		if (c->proto & SMFIP_HDR_LEADSPC) {
			(void)snprintf(hb, sizeof(hb), " %s", v);
			v = hb;
		}
		vl = strlen(v) + 1;
		rc = event(c, r, SMFIM_EOH, SMFIC_HEADER, 0, SMFIP_NOHREPL,
		    msg.hname[i], nl, v, vl);
		if (rc != SMFIR_CONTINUE)
			return rc;
	}
	if (!(c->proto & SMFIP_NOEOH)) {
		rc = event(c, r, SMFIM_EOH, SMFIC_EOH, 0, SMFIP_NR_EOH, NULL, 0,
		    NULL, 0);
		if (rc != SMFIR_CONTINUE)
			return rc;
	}
	for (off = 0; off < msg.blen && !(c->proto & SMFIP_NOBODY); ) {
		size_t	 n = msg.blen - off > CHUNK ? CHUNK : msg.blen - off;

		rc = event(c, r, SMFIM_EOM, SMFIC_BODY, 0, SMFIP_NR_BODY,
		    msg.body + off, n, NULL, 0);
		off += n;
		if (rc == SMFIR_SKIP) {
			r->skips++;
			break;
		}
		if (rc != SMFIR_CONTINUE)
			return rc;
	}
	if (send_macros(c, SMFIM_EOM, SMFIC_BODYEOB) < 0 ||
	    send_pkt(c, SMFIC_BODYEOB, NULL, 0, NULL, 0) < 0)
		return -1;
	return await(c, r, 1);
}

/* transaction - one message; returns the final reply code */
static int
transaction(struct conn *c, struct result *r)
{
	char	 from[160], rcpt[160], size[32];
	int	 rc;

	if (c->accept_con)
		return SMFIR_ACCEPT;
	(void)snprintf(from, sizeof(from), "<%s>", msg.from);
	(void)snprintf(size, sizeof(size), "SIZE=%zu", msg.blen + 600);
	{
		char	 args[200];
		size_t	 fl = strlen(from) + 1, sl = strlen(size) + 1;

		memcpy(args, from, fl);
		memcpy(args + fl, size, sl);
		rc = event(c, r, SMFIM_ENVFROM, SMFIC_MAIL, SMFIP_NOMAIL,
		    SMFIP_NR_MAIL, args, fl + sl, NULL, 0);
	}
	if (rc != SMFIR_CONTINUE)
		return rc;
	(void)snprintf(rcpt, sizeof(rcpt), "<%s>", msg.rcpt);
	rc = event(c, r, SMFIM_ENVRCPT, SMFIC_RCPT, SMFIP_NORCPT,
	    SMFIP_NR_RCPT, rcpt, strlen(rcpt) + 1, NULL, 0);
	if (rc != SMFIR_CONTINUE)
		return rc;
	rc = event(c, r, SMFIM_DATA, SMFIC_DATA, SMFIP_NODATA, SMFIP_NR_DATA,
	    NULL, 0, NULL, 0);
	if (rc != SMFIR_CONTINUE)
		return rc;
	return content(c, r);
}

static int
final_kind(int rc)
{
	switch (rc) {
	case SMFIR_ACCEPT:
	case SMFIR_CONTINUE:
		return F_ACCEPT;
	case SMFIR_REJECT:
		return F_REJECT;
	case SMFIR_TEMPFAIL:
		return F_TEMPFAIL;
	case SMFIR_DISCARD:
		return F_DISCARD;
	default:
		return F_OTHER;
	}
}

static void *
worker(void *arg)
{
	struct result *r = arg;
	struct conn c;
	int	 i;

	memset(&c, 0, sizeof(c));
	c.fd = -1;
	while (!atomic_load(&stop_all) && hist_now() < t_hard) {
		uint64_t t0 = hist_now();
		int	 rc = open_session(&c, r);

		if (rc != 0) {
			r->errors++;
			close_session(&c);
			if (rc < 0)
				(void)usleep(10000);
			continue;
		}
		for (i = 0; i < per_conn && !atomic_load(&stop_all); i++) {
			uint64_t t1;

			if (i > 0)
				t0 = hist_now();
			memset(r->cur, 0, sizeof(r->cur));
			rc = transaction(&c, r);
			t1 = hist_now();
			if (rc < 0) {
				r->errors++;
				break;
			}
			if (t1 >= t_meas) {
				int	 k;

				hist_add(&r->h, t1 - t0);
				r->final[final_kind(rc)]++;
				for (k = 0; k < M_N; k++)
					r->mods[k] += r->cur[k];
				r->replbody_bytes += r->cur[M_N];
				r->replbody_msgs += r->cur[M_REPLBODY] > 0;
				atomic_fetch_add(&measured, 1);
			}
			/* Postfix's mail_reset after each transaction */
			if (!c.accept_con &&
			    send_pkt(&c, SMFIC_ABORT, NULL, 0, NULL, 0) < 0) {
				r->errors++;
				break;
			}
		}
		close_session(&c);
	}
	return NULL;
}

static void
usage(void)
{
	fprintf(stderr, "usage: mf-load -s SOCKET [-f inbound|outbound] "
	    "[-c CONC] [-m MSGS] [-z BYTES] [-d SECONDS] [-w SECONDS] "
	    "[-N MIN] [-H SECONDS] [-t TIMEOUT_MS] [-v]\n");
	exit(1);
}

static void
print_json(struct result *all, double secs, size_t size)
{
	int	 i;

	printf("{\"target\": \"%s\", \"face\": \"%s\", \"conc\": %d, "
	    "\"per_conn\": %d, \"size\": %zu, \"wire_bytes\": %zu, "
	    "\"seconds\": %.3f, \"messages\": %llu, \"mps\": %.2f, "
	    "\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
	    "\"connections\": %llu, \"errors\": %llu, \"violations\": %llu, "
	    "\"body_skips\": %llu, \"actions\": %u, \"protocol\": %u, ",
	    target, msg.face, conc, per_conn, size, msg.blen,
	    secs, (unsigned long long)all->h.n, (double)all->h.n / secs,
	    hist_q(&all->h, 0.5) / 1e6, hist_q(&all->h, 0.99) / 1e6,
	    all->h.max / 1e6, (unsigned long long)all->conns,
	    (unsigned long long)all->errors,
	    (unsigned long long)all->violations,
	    (unsigned long long)all->skips, all->actions, all->proto);
	printf("\"final\": {");
	for (i = 0; i < F_N; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", fname[i],
		    (unsigned long long)all->final[i]);
	printf("}, \"mods\": {");
	for (i = 0; i < M_N; i++)
		printf("%s\"%s\": %llu", i ? ", " : "", mname[i],
		    (unsigned long long)all->mods[i]);
	printf(", \"replbody_bytes\": %llu, \"replbody_msgs\": %llu}, "
	    "\"symlist\": {", (unsigned long long)all->replbody_bytes,
	    (unsigned long long)all->replbody_msgs);
	for (i = 0; i < NSTAGE; i++) {
		const char *p;

		printf("%s\"%d\": \"", i ? ", " : "", i);
		for (p = all->symlist[i]; *p != '\0'; p++)
			if (*p != '"' && *p != '\\' && (unsigned char)*p >= 32)
				putchar(*p);
		putchar('"');
	}
	printf("}}\n");
}

int
main(int argc, char **argv)
{
	struct result *res, all;
	pthread_t *th;
	const char *face = "inbound";
	double	 dur = 5, warm = 1, hard = 60;
	size_t	 size = 2048;
	uint64_t t0, t_stop;
	int	 ch, i;

	while ((ch = getopt(argc, argv, "s:f:c:m:z:d:w:N:H:t:v")) != -1) {
		switch (ch) {
		case 's': target = optarg; break;
		case 'f': face = optarg; break;
		case 'c': conc = atoi(optarg); break;
		case 'm': per_conn = atoi(optarg); break;
		case 'z': size = strtoull(optarg, NULL, 10); break;
		case 'd': dur = atof(optarg); break;
		case 'w': warm = atof(optarg); break;
		case 'N': min_msgs = strtoull(optarg, NULL, 10); break;
		case 'H': hard = atof(optarg); break;
		case 't': timeout_ms = atol(optarg); break;
		case 'v': verbose = 1; break;
		default: usage();
		}
	}
	if (target == NULL || conc < 1 || conc > 1000 || per_conn < 1 ||
	    size < 512 || size > (64u << 20) || dur <= 0 || hard < dur ||
	    hard > 3600 || warm < 0 || timeout_ms < 1 ||
	    (strcmp(face, "inbound") != 0 && strcmp(face, "outbound") != 0))
		usage();
	(void)signal(SIGPIPE, SIG_IGN);
	build_message(face, size);
	res = calloc((size_t)conc, sizeof(*res));
	th = calloc((size_t)conc, sizeof(*th));
	if (res == NULL || th == NULL)
		return 1;
	t0 = hist_now();
	t_meas = t0 + (uint64_t)(warm * 1e9);
	t_end = t_meas + (uint64_t)(dur * 1e9);
	t_hard = t0 + (uint64_t)((warm + hard) * 1e9);
	for (i = 0; i < conc; i++)
		if (pthread_create(&th[i], NULL, worker, &res[i]) != 0) {
			perror("mf-load: pthread_create");
			return 1;
		}
	for (;;) {
		uint64_t t = hist_now();

		if ((t >= t_end && atomic_load(&measured) >= min_msgs) ||
		    t >= t_hard)
			break;
		(void)usleep(2000);
	}
	t_stop = hist_now();
	atomic_store(&stop_all, 1);
	for (i = 0; i < conc; i++)
		(void)pthread_join(th[i], NULL);
	memset(&all, 0, sizeof(all));
	for (i = 0; i < conc; i++) {
		int	 k;

		hist_merge(&all.h, &res[i].h);
		for (k = 0; k < F_N; k++)
			all.final[k] += res[i].final[k];
		for (k = 0; k < M_N; k++)
			all.mods[k] += res[i].mods[k];
		all.replbody_bytes += res[i].replbody_bytes;
		all.replbody_msgs += res[i].replbody_msgs;
		all.errors += res[i].errors;
		all.violations += res[i].violations;
		all.conns += res[i].conns;
		all.skips += res[i].skips;
		if (res[i].conns > 0) {
			all.actions = res[i].actions;
			all.proto = res[i].proto;
			memcpy(all.symlist, res[i].symlist,
			    sizeof(all.symlist));
		}
	}
	/* messages that finished after t_stop are counted too: time them */
	{
		double secs = (double)(t_stop - t_meas) / 1e9;

		print_json(&all, secs > 0 ? secs : 1e-9, size);
	}
	return all.h.n > 0 ? 0 : 2;
}
