/* scan.c - scan jobs: connect, send, read the verdict, one deadline */
#include "config.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scan.h"
#include "scan_engine.h"
#include "scan_sock.h"
#include "xalloc.h"

enum job_state { JOB_OPEN = 0, JOB_SKIPPED, JOB_FAILED };

struct scan_job {
	const struct scan_engine_ops *ops; /* static */
	enum job_state state;
	int	 fd;			/* -1 = not connected */
	int64_t	 start;			/* ms, monotonic */
	int64_t	 deadline;		/* ms, monotonic: start + timeout */
	size_t	 size;			/* bytes announced */
	size_t	 sent;			/* bytes of message sent */
	char	*head;			/* owned until sent, SCAN_HEAD_MAX */
	size_t	 head_len;		/* bytes in head */
	char	 what[96];		/* "spamd 127.0.0.1:783" for reasons */
	char	 why[SCAN_WHY_MAX];	/* JOB_FAILED: the first failure */
};

static const double seconds_buckets[] = {
	0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
};
static const char *const scans_labels[] = { "face", "engine", "result",
	NULL };
static const char *const seconds_labels[] = { "engine", NULL };
static const char *const oversize_labels[] = { "face", "engine", "action",
	NULL };

static const struct scan_engine_ops *engine_ops(enum cfg_engine);
static void job_fail(struct scan_job *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
static int peer_spoke(int);
static int read_reply(struct scan_job *, struct scan_verdict *);
static int send_head(struct scan_job *, const struct cfg_scan *);

/* engine_ops - the engine table: one line per engine */
static const struct scan_engine_ops *
engine_ops(enum cfg_engine e)
{
	switch (e) {
	case CFG_ENG_SPAMD:
		return &scan_spamd_ops;
	case CFG_ENG_RSPAMD:
		return &scan_rspamd_ops;
	case CFG_ENG_CLAMD:
		return &scan_clamd_ops;
	default:
		return NULL;
	}
}

/* job_fail - remember the first failure; later ones add nothing */
static void
job_fail(struct scan_job *j, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (j->state == JOB_FAILED)
		return;
	n = snprintf(j->why, sizeof(j->why), "%s: ", j->what);
	if (n > 0 && (size_t)n < sizeof(j->why)) {
		va_start(ap, fmt);
		(void)vsnprintf(j->why + n, sizeof(j->why) - (size_t)n, fmt,
		    ap);
		va_end(ap);
	}
	j->state = JOB_FAILED;
}

/* scan_job_put - append bytes to the request head */
int
scan_job_put(struct scan_job *j, const void *p, size_t n)
{
	if (n > SCAN_HEAD_MAX - j->head_len)
		return -1;
	memcpy(j->head + j->head_len, p, n);
	j->head_len += n;
	return 0;
}

/* scan_job_printf - append formatted text to the request head */
int
scan_job_printf(struct scan_job *j, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 room = SCAN_HEAD_MAX - j->head_len;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(j->head + j->head_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room)
		return -1;		/* the cut text lies past head_len */
	j->head_len += (size_t)n;
	return 0;
}

/* scan_job_send - send before the deadline; a failure fails the job */
int
scan_job_send(struct scan_job *j, struct iovec *iov, int n)
{
	char	 why[SCAN_WHY_MAX];

	if (scan_sock_sendv(j->fd, iov, n, j->deadline, why,
	    sizeof(why)) != 0) {
		job_fail(j, "%s", why);
		return -1;
	}
	return 0;
}

/* scan_job_size - the announced message size */
size_t
scan_job_size(const struct scan_job *j)
{
	return j->size;
}

/* scan_env_value - a protocol-safe copy of an envelope string */
void
scan_env_value(char *dst, size_t len, const char *src)
{
	size_t	 i;

	if (len == 0)
		return;
	for (i = 0; src != NULL && src[i] != '\0' && i + 1 < len; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
	}
	dst[i] = '\0';
}

/* send_head - connect and send the head the engine wrote */
static int
send_head(struct scan_job *j, const struct cfg_scan *s)
{
	char	 why[SCAN_WHY_MAX];
	struct iovec iov;

	j->fd = scan_sock_connect(s->server, j->deadline, why, sizeof(why));
	if (j->fd < 0) {
		job_fail(j, "%s", why);
		return -1;
	}
	iov.iov_base = j->head;
	iov.iov_len = j->head_len;
	return scan_job_send(j, &iov, 1);
}

/* scan_begin - start a scan of a size-byte message */
struct scan_job *
scan_begin(const struct cfg_scan *s, const struct scan_env *env, size_t size)
{
	struct scan_job *j = xcalloc(1, sizeof(*j));

	j->fd = -1;
	j->start = scan_clock_ms();
	j->deadline = j->start + s->timeout_ms;
	j->size = size;
	j->ops = engine_ops(s->engine);
	(void)snprintf(j->what, sizeof(j->what), "%s %.64s",
	    j->ops != NULL ? j->ops->name : "?", s->server != NULL ?
	    s->server : "-");
	if (j->ops == NULL) {
		job_fail(j, "unknown engine");
		return j;
	}
	if (size > s->max_size) {
		j->state = JOB_SKIPPED;
		return j;
	}
	j->head = xmalloc(SCAN_HEAD_MAX);
	if (j->ops->head(j, env) != 0)
		job_fail(j, "request head too long");
	else
		(void)send_head(j, s);
	free(j->head);
	j->head = NULL;
	return j;
}

/* peer_spoke - the scanner answered or hung up before the message ended */
static int
peer_spoke(int fd)
{
	struct pollfd p;

	p.fd = fd;
	p.events = POLLIN;
	p.revents = 0;
	return poll(&p, 1, 0) > 0;
}

/* scan_write - send one piece of the message */
int
scan_write(struct scan_job *j, const void *p, size_t n)
{
	if (j->state != JOB_OPEN)
		return -1;
	if (n > j->size - j->sent) {
		job_fail(j, "message longer than announced");
		return -1;
	}
	if (n == 0)
		return 0;
	if (peer_spoke(j->fd)) {
		/* clamd over StreamMaxLength: stop, finish reads why */
		job_fail(j, "answered before the end of the message");
		return -1;
	}
	if (j->ops->body(j, p, n) != 0)
		return -1;
	j->sent += n;
	return 0;
}

/* read_reply - read until parse() accepts, EOF, overflow or deadline */
static int
read_reply(struct scan_job *j, struct scan_verdict *v)
{
	size_t	 max = j->ops->reply_max, len = 0;
	char	*buf = xmalloc(max), why[SCAN_WHY_MAX];
	ssize_t	 r;
	int	 rc = -1;

	for (;;) {
		if (len == max) {
			scan_verdict_error(v, "reply longer than %zu bytes",
			    max);
			break;
		}
		r = scan_sock_recv(j->fd, buf + len, max - len, j->deadline,
		    why, sizeof(why));
		if (r < 0) {
			scan_verdict_error(v, "%s", why);
			break;
		}
		if (r == 0) {		/* closed: the reply is what we have */
			rc = j->ops->parse(buf, len, v);
			break;
		}
		len += (size_t)r;
		if (j->ops->parse(buf, len, v) == 0) {
			rc = 0;
			break;
		}
	}
	free(buf);
	return rc;
}

/* scan_finish - the verdict; frees the job */
void
scan_finish(struct scan_job *j, struct scan_verdict *v, double *seconds)
{
	struct scan_verdict r;

	scan_verdict_init(v);
	scan_verdict_init(&r);
	*seconds = 0;
	if (j->state == JOB_SKIPPED) {
		v->result = SCAN_SKIPPED_SIZE;
		scan_abort(j);
		return;
	}
	if (j->state == JOB_OPEN && j->sent != j->size)
		job_fail(j, "message shorter than announced");
	if (j->state == JOB_OPEN && j->ops->tail != NULL)
		(void)j->ops->tail(j);
	if (j->fd >= 0 && read_reply(j, &r) != 0 && j->state == JOB_OPEN)
		job_fail(j, "%s", r.why);
	if (j->state == JOB_FAILED) {
		/* a scanner that hung up mid-message may have said why */
		if (j->fd >= 0 && r.result == SCAN_ERROR && r.why[0] != '\0' &&
		    strstr(j->why, r.why) == NULL)
			scan_verdict_error(v, "%.80s (%.60s)", j->why, r.why);
		else
			scan_verdict_error(v, "%s", j->why);
	} else
		*v = r;
	*seconds = (double)(scan_clock_ms() - j->start) / 1000.0;
	scan_abort(j);
}

/* scan_abort - free a job without a verdict */
void
scan_abort(struct scan_job *j)
{
	if (j == NULL)
		return;
	if (j->fd >= 0)
		(void)close(j->fd);
	free(j->head);
	free(j);
}

/* scan_metrics_init - register the scanner families */
void
scan_metrics_init(struct scan_metrics *m, struct metrics *reg)
{
	m->scans = metrics_family(reg, "gatepost_scans_total",
	    "Content scans by face, engine and result (clean, spam, virus, "
	    "skipped_size, error).", METRICS_COUNTER, scans_labels, NULL, 0);
	m->seconds = metrics_family(reg, "gatepost_scan_seconds",
	    "Time spent on one scan, connect to verdict.", METRICS_HISTOGRAM,
	    seconds_labels, seconds_buckets,
	    sizeof(seconds_buckets) / sizeof(seconds_buckets[0]));
	m->oversize = metrics_family(reg, "gatepost_scan_oversize_total",
	    "Messages over a scanner's max_size, by face, engine and the "
	    "oversize action applied (truncate, tag, accept, reject).",
	    METRICS_COUNTER, oversize_labels, NULL, 0);
}

/* scan_metrics_oversize - one message over max_size and what was done */
void
scan_metrics_oversize(const struct scan_metrics *m, const char *face,
    enum cfg_engine e, const char *choice)
{
	const struct scan_engine_ops *ops = engine_ops(e);
	const char *v[3];

	if (m == NULL || m->oversize == NULL)
		return;
	v[0] = face != NULL ? face : "-";
	v[1] = ops != NULL ? ops->name : "?";
	v[2] = choice;
	metrics_inc(m->oversize, v, 1);
}

/* scan_metrics_count - one scan: its result and, if it ran, its time */
void
scan_metrics_count(const struct scan_metrics *m, const char *face,
    enum cfg_engine e, const char *result, double seconds)
{
	const struct scan_engine_ops *ops = engine_ops(e);
	const char *engine = ops != NULL ? ops->name : "?";
	const char *v[3];
	struct metrics_series *s;

	if (m == NULL || m->scans == NULL)
		return;
	v[0] = face != NULL ? face : "-";
	v[1] = engine;
	v[2] = result;
	metrics_inc(m->scans, v, 1);
	if (seconds < 0 || strcmp(result, "skipped_size") == 0 ||
	    m->seconds == NULL)
		return;
	v[0] = engine;
	if ((s = metrics_series(m->seconds, v)) != NULL)
		metrics_observe(s, seconds);
}
