/* report.c - Postfix log lines to per-direction message counts */
#include "config.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg.h"
#include "report_int.h"
#include "xalloc.h"

#define QID_MAX		32		/* bytes of a queue ID, with NUL */
#define HOUR		3600
#define IDLE_QUEUED	(10 * 86400)	/* a queued ID never removed */
#define IDLE_OTHER	HOUR		/* an ID that was never queued */
#define MID_KEEP	HOUR		/* a Message-ID after its message */
#define PRUNE_EVERY	600		/* seconds of log time */

enum origin {				/* how a queue ID entered Postfix */
	ORIGIN_NONE = 0,		/* not in the logs */
	ORIGIN_FACE,			/* a face's smtpd */
	ORIGIN_SMTPD,			/* another smtpd (or qmqpd) */
	ORIGIN_PICKUP,			/* the maildrop: sendmail */
	ORIGIN_NOTIFY,			/* generated: bounce, delay notice */
	ORIGIN_REINJECT,		/* XFORWARD orig_queue_id= */
	ORIGIN_PROBE			/* generated: address verification */
};

struct qent {				/* one queue ID */
	char	 qid[QID_MAX];		/* the hash key */
	enum origin origin;
	enum report_dir dir;		/* ORIGIN_FACE: the face's; counted */
	int64_t	 t_arrive;		/* civil; INT64_MIN unknown */
	int64_t	 t_count;		/* civil time it was counted at */
	int64_t	 t_last;		/* its latest line */
	char	*msgid;			/* owned, may be NULL */
	unsigned counted:1;		/* decided: counted or skipped */
	unsigned skipped:1;		/* a re-injection, not counted */
	unsigned sized:1;		/* recipients and bytes added */
	unsigned hold:1;		/* smtpd decided HOLD */
	unsigned dropped:1;		/* refused or discarded */
	unsigned mid_ref:1;		/* holds a reference in mids */
};

struct sess {				/* one smtpd process */
	char	 key[128];		/* the hash key */
	char	 qid[QID_MAX];		/* its open transaction, or "" */
	int	 hold;			/* "NOQUEUE: hold" seen */
	int64_t	 t_last;
};

struct mid {				/* a counted message's Message-ID */
	int64_t	 t;			/* civil time last referenced */
	unsigned live;			/* counted queue IDs carrying it */
};

static struct qent *qent_get(struct report *, const struct mlog_str *, int);
static void qent_free(gpointer);
static void qent_remove(struct report *, struct qent *);
static struct sess *sess_get(struct report *, const struct mlog_line *);
static void sess_end(struct report *, struct sess *);
static int face_dir(const struct report *, const struct mlog_str *);
static int msg_dir(struct report *, struct qent *);
static void count(struct report *, struct qent *, const struct mlog_line *,
	    int);
static void add_size(struct report *, struct qent *,
	    const struct mlog_line *);
static void set_msgid(struct report *, struct qent *,
	    const struct mlog_str *);
static void mid_unref(struct report *, struct qent *);
static void on_client(struct report *, const struct mlog_line *);
static void on_hold(struct report *, const struct mlog_line *);
static void on_reject(struct report *, const struct mlog_line *);
static void on_line(struct report *, const struct mlog_line *);
static void prune(struct report *, int);
static int in_window(const struct report *, int64_t);
static int is(const struct mlog_str *, const char *);
static int is_probe_sender(const struct mlog_str *);

/* report_new - an empty report */
struct report *
report_new(const struct report_face *faces, size_t n_faces, int64_t from,
    int64_t to)
{
	struct report *r = xcalloc(1, sizeof(*r));

	r->faces = faces;
	r->n_faces = n_faces;
	r->from = from;
	r->to = to;
	r->now = INT64_MIN;
	r->pruned = INT64_MIN;
	r->st.first = INT64_MAX;
	r->st.last = INT64_MIN;
	r->qids = g_hash_table_new_full(g_str_hash, g_str_equal, NULL,
	    qent_free);
	r->sess = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, free);
	r->mids = g_hash_table_new_full(g_str_hash, g_str_equal, free, free);
	r->rs_index = g_hash_table_new(g_str_hash, g_str_equal);
	return r;
}

/* report_free - free a report and everything it holds */
void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	g_hash_table_destroy(r->qids);
	g_hash_table_destroy(r->sess);
	g_hash_table_destroy(r->mids);
	report_reasons_free(r);
	free(r->b);
	free(r);
}

/* report_stats - line and message statistics */
const struct report_stats *
report_stats(const struct report *r)
{
	return &r->st;
}

/* report_dir_name - a direction as the config and metrics spell it */
const char *
report_dir_name(enum report_dir d)
{
	return (unsigned)d < REPORT_OTHER ? cfg_dir_name((enum cfg_dir)d) :
	    "other";
}

/* report_feed - one line, with mlog_parse()'s result */
void
report_feed(struct report *r, int rc, const struct mlog_line *l)
{
	r->st.lines++;
	if (rc < 0) {
		r->st.unparseable++;
		return;
	}
	if (rc > 0) {
		r->st.foreign++;
		return;
	}
	r->st.postfix++;
	if (in_window(r, l->time)) {
		if (l->time < r->st.first)
			r->st.first = l->time;
		if (l->time > r->st.last)
			r->st.last = l->time;
	}
	if (l->time > r->now)
		r->now = l->time;
	if (r->pruned == INT64_MIN)
		r->pruned = r->now;
	else if (r->now - r->pruned >= PRUNE_EVERY)
		prune(r, 0);
	on_line(r, l);
}

/* on_line - dispatch one Postfix event */
static void
on_line(struct report *r, const struct mlog_line *l)
{
	struct qent *q;

	switch (l->kind) {
	case MLOG_CLIENT:
		on_client(r, l);
		return;
	case MLOG_HOLD:
		on_hold(r, l);
		return;
	case MLOG_REJECT:
		on_reject(r, l);
		return;
	case MLOG_DISCONNECT:
		sess_end(r, sess_get(r, l));
		return;
	case MLOG_NOTIFY:
		q = qent_get(r, &l->new_queue_id, 1);
		q->origin = ORIGIN_NOTIFY;
		q->t_arrive = l->time;
		return;
	default:
		break;
	}
	if ((q = qent_get(r, &l->queue_id, l->kind != MLOG_REMOVED &&
	    l->kind != MLOG_NONE)) == NULL)
		return;
	q->t_last = l->time;
	if (l->kind == MLOG_PICKUP && q->origin == ORIGIN_NONE) {
		q->origin = ORIGIN_PICKUP;
		q->t_arrive = l->time;
	} else if (l->kind == MLOG_MSGID)
		set_msgid(r, q, &l->message_id);
	else if (l->kind == MLOG_QUEUED) {
		if (q->origin == ORIGIN_NONE && is_probe_sender(&l->sender))
			q->origin = ORIGIN_PROBE;
		count(r, q, l, 0);
	}
	else if (l->kind == MLOG_DISCARD && !q->counted)
		q->dropped = 1;
	else if (l->kind == MLOG_REMOVED)
		qent_remove(r, q);
}

/* on_client - "QID: client=...": a message starts arriving */
static void
on_client(struct report *r, const struct mlog_line *l)
{
	struct sess *s = sess_get(r, l);
	struct qent *q;
	int	 d;

	sess_end(r, s);
	if ((q = qent_get(r, &l->queue_id, 1)) == NULL)
		return;
	if (q->counted || q->dropped) {	/* a reused ID: a new message */
		qent_remove(r, q);
		q = qent_get(r, &l->queue_id, 1);
	}
	d = face_dir(r, &l->syslog_name);
	if (l->orig_queue_id.len > 0)
		q->origin = ORIGIN_REINJECT;
	else
		q->origin = d >= 0 ? ORIGIN_FACE : ORIGIN_SMTPD;
	q->dir = d >= 0 ? (enum report_dir)d : REPORT_OTHER;
	q->t_arrive = q->t_last = l->time;
	q->hold = s->hold;
	s->hold = 0;
	(void)snprintf(s->qid, sizeof(s->qid), "%s", q->qid);
}

/*
 * on_hold - a milter's or cleanup's hold is final; smtpd's (a policy
 * HOLD) counts when its transaction ends, as a later refusal of the
 * same transaction would undo it.
 */
static void
on_hold(struct report *r, const struct mlog_line *l)
{
	struct qent *q;
	struct sess *s;

	if (l->queue_id.len == 0) {
		sess_get(r, l)->hold = 1;
		return;
	}
	q = qent_get(r, &l->queue_id, 1);
	q->t_last = l->time;
	if (l->milter || is(&l->process, "cleanup")) {
		if (!q->dropped)
			count(r, q, l, 1);
		return;
	}
	q->hold = 1;
	s = sess_get(r, l);
	(void)snprintf(s->qid, sizeof(s->qid), "%s", q->qid);
}

/* on_reject - count a refusal; one after RCPT refuses the message */
static void
on_reject(struct report *r, const struct mlog_line *l)
{
	struct qent *q = NULL;
	int	 d;

	if (l->queue_id.len > 0 && (q = qent_get(r, &l->queue_id, 0)) !=
	    NULL) {
		q->t_last = l->time;
		if (!is(&l->stage, "RCPT") && !q->counted)
			q->dropped = 1;
	}
	if (is(&l->process, "cleanup"))
		d = q != NULL ? msg_dir(r, q) : REPORT_OTHER;
	else if ((d = face_dir(r, &l->syslog_name)) < 0)
		d = REPORT_OTHER;
	if (!in_window(r, l->time))
		return;
	report_bucket_get(r, l->time)->c[d].rejects++;
	report_reason_add(r, (enum report_dir)d, &l->code, &l->reason);
}

/*
 * is_probe_sender - the sender of Postfix's address-verification probes
 *	(reject_unverified_recipient): address_verify_sender defaults to
 *	$double_bounce_sender, "double-bounce" at $myorigin.  Such a
 *	message has no smtpd or pickup line: Postfix generated it.
 */
static int
is_probe_sender(const struct mlog_str *s)
{
	static const char lp[] = "double-bounce";

	return s->p != NULL && s->len >= sizeof(lp) - 1 &&
	    strncasecmp(s->p, lp, sizeof(lp) - 1) == 0 &&
	    (s->len == sizeof(lp) - 1 || s->p[sizeof(lp) - 1] == '@');
}

/* msg_dir - the direction a message's origin gives, before dedupe */
static int
msg_dir(struct report *r, struct qent *q)
{
	switch (q->origin) {
	case ORIGIN_FACE:
		return q->dir;
	case ORIGIN_PICKUP:
	case ORIGIN_NOTIFY:
	case ORIGIN_PROBE:
		return REPORT_LOCAL;
	default:
		return REPORT_OTHER;
	}
}

/* count - the message is queued (or held): count it once */
static void
count(struct report *r, struct qent *q, const struct mlog_line *l,
    int held)
{
	struct report_counts *c;

	if (q->counted) {
		add_size(r, q, l);
		return;
	}
	q->counted = 1;
	q->hold = 0;
	q->t_count = q->t_arrive != INT64_MIN ? q->t_arrive : l->time;
	if (q->origin == ORIGIN_REINJECT || (q->origin != ORIGIN_FACE &&
	    q->msgid != NULL && g_hash_table_contains(r->mids, q->msgid))) {
		q->skipped = 1;
		r->st.reinjected++;
		return;
	}
	if (q->origin == ORIGIN_NONE)
		r->st.no_origin++;
	q->dir = (enum report_dir)msg_dir(r, q);
	if (q->msgid != NULL)
		set_msgid(r, q, NULL);
	if (!in_window(r, q->t_count))
		return;
	c = &report_bucket_get(r, q->t_count)->c[q->dir];
	c->messages++;
	c->held += held != 0;
	add_size(r, q, l);
}

/* add_size - recipients and bytes from the first qmgr line */
static void
add_size(struct report *r, struct qent *q, const struct mlog_line *l)
{
	struct report_counts *c;

	if (l->kind != MLOG_QUEUED || q->sized || q->skipped)
		return;
	q->sized = 1;
	if (!in_window(r, q->t_count))
		return;
	c = &report_bucket_get(r, q->t_count)->c[q->dir];
	c->recipients += l->nrcpt;
	c->bytes += l->size;
}

/*
 * set_msgid - remember a queue ID's Message-ID (id NULL: the one it
 * has); a counted message publishes it in mids for re-injection dedupe
 */
static void
set_msgid(struct report *r, struct qent *q, const struct mlog_str *id)
{
	struct mid *m;

	if (id != NULL) {
		if (q->msgid != NULL || id->len == 0)
			return;
		q->msgid = xmalloc(id->len + 1);
		memcpy(q->msgid, id->p, id->len);
		q->msgid[id->len] = '\0';
	}
	if (!q->counted || q->skipped || q->mid_ref)
		return;
	if ((m = g_hash_table_lookup(r->mids, q->msgid)) == NULL) {
		m = xcalloc(1, sizeof(*m));
		g_hash_table_insert(r->mids, xstrdup(q->msgid), m);
	}
	m->live++;
	m->t = r->now;
	q->mid_ref = 1;
}

/* mid_unref - a counted message left the queue */
static void
mid_unref(struct report *r, struct qent *q)
{
	struct mid *m;

	if (!q->mid_ref)
		return;
	if ((m = g_hash_table_lookup(r->mids, q->msgid)) != NULL) {
		m->live--;
		m->t = r->now;
	}
	q->mid_ref = 0;
}

/* qent_get - the entry of a queue ID; created when create is set */
static struct qent *
qent_get(struct report *r, const struct mlog_str *id, int create)
{
	char	 key[QID_MAX];
	struct qent *q;

	if (id->len == 0 || id->len >= sizeof(key))
		return NULL;
	memcpy(key, id->p, id->len);
	key[id->len] = '\0';
	if ((q = g_hash_table_lookup(r->qids, key)) != NULL || !create)
		return q;
	q = xcalloc(1, sizeof(*q));
	memcpy(q->qid, key, id->len + 1);
	q->t_arrive = INT64_MIN;
	q->t_last = r->now;
	g_hash_table_insert(r->qids, q->qid, q);
	return q;
}

/* qent_free - hash table value destructor */
static void
qent_free(gpointer p)
{
	struct qent *q = p;

	free(q->msgid);
	free(q);
}

/* qent_remove - the queue ID is gone */
static void
qent_remove(struct report *r, struct qent *q)
{
	mid_unref(r, q);
	(void)g_hash_table_remove(r->qids, q->qid);
}

/* sess_get - the state of the smtpd process that logged l */
static struct sess *
sess_get(struct report *r, const struct mlog_line *l)
{
	char	 key[sizeof(((struct sess *)0)->key)];
	struct sess *s;

	(void)snprintf(key, sizeof(key), "%.*s/%.*s[%lu]",
	    (int)l->syslog_name.len, l->syslog_name.p, (int)l->process.len,
	    l->process.p, l->pid);
	if ((s = g_hash_table_lookup(r->sess, key)) == NULL) {
		s = xcalloc(1, sizeof(*s));
		memcpy(s->key, key, sizeof(key));
		g_hash_table_insert(r->sess, s->key, s);
	}
	s->t_last = l->time;
	return s;
}

/* sess_end - the smtpd transaction is over: count a pending hold */
static void
sess_end(struct report *r, struct sess *s)
{
	struct mlog_line none;
	struct mlog_str id;
	struct qent *q;

	id.p = s->qid;
	id.len = strlen(s->qid);
	if ((q = qent_get(r, &id, 0)) != NULL && q->hold && !q->dropped) {
		memset(&none, 0, sizeof(none));
		none.time = r->now;
		count(r, q, &none, 1);
	}
	s->qid[0] = '\0';
}

/* report_end - the input is over: count holds still pending */
void
report_end(struct report *r)
{
	prune(r, 1);
}

/*
 * prune - forget what the logs will not mention again (all: end of
 * input, finish every pending transaction)
 */
static void
prune(struct report *r, int all)
{
	GHashTableIter it;
	gpointer k, v;

	r->pruned = r->now;
	g_hash_table_iter_init(&it, r->sess);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct sess *s = v;

		if (all || r->now - s->t_last > IDLE_OTHER) {
			sess_end(r, s);
			g_hash_table_iter_remove(&it);
		}
	}
	g_hash_table_iter_init(&it, r->qids);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct qent *q = v;
		int64_t	 idle = r->now - q->t_last;

		if (q->counted ? idle > IDLE_QUEUED : idle > IDLE_OTHER) {
			mid_unref(r, q);
			g_hash_table_iter_remove(&it);
		}
	}
	g_hash_table_iter_init(&it, r->mids);
	while (g_hash_table_iter_next(&it, &k, &v)) {
		struct mid *m = v;

		if (m->live == 0 && r->now - m->t > MID_KEEP)
			g_hash_table_iter_remove(&it);
	}
}

/* face_dir - the direction of the face with this syslog_name, or -1 */
static int
face_dir(const struct report *r, const struct mlog_str *name)
{
	size_t	 i;

	for (i = 0; i < r->n_faces; i++)
		if (strlen(r->faces[i].syslog_name) == name->len &&
		    memcmp(r->faces[i].syslog_name, name->p, name->len) == 0)
			return (int)r->faces[i].dir;
	return -1;
}

/* in_window - is t in [from, to) */
static int
in_window(const struct report *r, int64_t t)
{
	return t >= r->from && t < r->to;
}

/* is - does a slice equal a literal */
static int
is(const struct mlog_str *s, const char *lit)
{
	return s->len == strlen(lit) && memcmp(s->p, lit, s->len) == 0;
}
