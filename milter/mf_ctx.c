/* mf_ctx.c - connection and message lifecycle, what a message keeps */
#include "config.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hdrfrom.h"
#include "mf_ctx.h"
#include "mf_metrics.h"
#include "xalloc.h"

static int doomed(const struct mf_conn *, const struct mf_msg *);
static int start_hooks(struct mf_conn *, struct mf_msg *);
static void raw_put(struct mf_msg *, const void *, size_t, size_t);
static size_t raw_prefix_lim(const struct mf_msg *);
static void raw_add(struct mf_msg *, const void *, size_t);
static int emit(struct mf_conn *, struct mf_msg *, const void *, size_t);
static int emit_value(struct mf_conn *, struct mf_msg *, const char *);
static size_t crlf_len(const char *);
static int hdr_push(struct mf_hdr **, size_t *, const char *, const char *);

static atomic_long live;		/* connections alive */
static atomic_long busy;		/* transactions in progress */
static atomic_int draining;		/* stopping: no new connections */
static atomic_long refused;		/* refused in this burst */

/* mf_conn_new - a connection pinning cfg (consumed) */
struct mf_conn *
mf_conn_new(struct cfg *cfg, unsigned long pflags)
{
	struct mf_conn *c = xcalloc(1, sizeof(*c));

	c->cfg = cfg;
	c->envelope = cfg != NULL && cfg_milter_enforces_envelope(cfg);
	c->pflags = pflags;
	facts_init(&c->facts);
	mf_metrics_connections(atomic_fetch_add(&live, 1) + 1);
	return c;
}

/* mf_conn_free - the message, the cfg reference, the connection */
void
mf_conn_free(struct mf_conn *c)
{
	if (c == NULL)
		return;
	mf_msg_reset(c);
	if (c->cfg != NULL)
		cfg_release(c->cfg);
	free(c);
	mf_metrics_connections(atomic_fetch_sub(&live, 1) - 1);
}

/* mf_conn_live - connections alive now */
size_t
mf_conn_live(void)
{
	long	 n = atomic_load(&live);

	return n > 0 ? (size_t)n : 0;
}

/*
 * mf_conn_admit - may one more connection open under a cap of max;
 * 0 yes, or the number of connections open.  *first is set on the first refusal of a burst,
 * *burst to the refusals of a burst that has just ended (0 if none), so
 * that the caller logs each burst once.
 */
size_t
mf_conn_admit(size_t max, int *first, long *burst)
{
	size_t	 n = mf_conn_live();

	*first = 0;
	*burst = 0;
	if (n < max) {
		if (atomic_load(&refused) > 0)
			*burst = atomic_exchange(&refused, 0);
		return 0;
	}
	*first = atomic_fetch_add(&refused, 1) == 0;
	return n;
}

/* mf_drain - from now on, refuse new connections */
void
mf_drain(void)
{
	atomic_store(&draining, 1);
}

/* mf_draining - is the filter stopping */
int
mf_draining(void)
{
	return atomic_load(&draining);
}

/* mf_msg_busy - transactions between MAIL and their end, now */
size_t
mf_msg_busy(void)
{
	long	 n = atomic_load(&busy);

	return n > 0 ? (size_t)n : 0;
}

/* mf_msg_done - the transaction has ended (end of message, abort) */
void
mf_msg_done(struct mf_msg *m)
{
	if (m != NULL && m->busy) {
		m->busy = 0;
		(void)atomic_fetch_sub(&busy, 1);
	}
}

/* mf_msg_begin - a new transaction, ending any previous one */
struct mf_msg *
mf_msg_begin(struct mf_conn *c)
{
	struct mf_msg *m;

	mf_msg_reset(c);
	m = xcalloc(1, sizeof(*m));
	m->busy = 1;
	(void)atomic_fetch_add(&busy, 1);
	m->facts = c->facts;
	hdrfrom_reset(&m->from);
	hdrfrom_reset(&m->other);
	verdict_init(&m->verdict);
	c->msg = m;
	return m;
}

/* mf_msg_reset - free all per-message state (envfrom, abort, close) */
void
mf_msg_reset(struct mf_conn *c)
{
	struct mf_msg *m = c->msg;
	size_t	 i;

	if (m == NULL)
		return;
	mf_msg_done(m);
	/* every recipient refused: the transaction was refused */
	if (!m->counted && m->rcpt_refused > 0 && m->n_rcpt == 0)
		mf_metrics_message(c->inst, m->rcpt_refused_perm ?
		    "rejected" : "tempfailed");
	for (i = 0; i < MF_HOOK_MAX && mf_hooks[i] != NULL; i++)
		if ((m->hook_on & (1u << i)) && mf_hooks[i]->fini != NULL)
			mf_hooks[i]->fini(m->hook_state[i]);
	hdrfrom_free(&m->from);
	hdrfrom_free(&m->other);
	for (i = 0; i < m->n_del; i++)
		free(m->del[i].name);
	for (i = 0; i < m->n_add; i++) {
		free(m->add[i].name);
		free(m->add[i].value);
	}
	for (i = 0; i < m->n_chg; i++) {
		free(m->chg[i].name);
		free(m->chg[i].value);
	}
	for (i = 0; i < m->n_rcpts; i++)
		free(m->rcpts[i]);
	free(m->rcpts);
	free(m->del);
	free(m->add);
	free(m->chg);
	free(m->raw);
	free(m->new_body);
	free(m);
	c->msg = NULL;
}

/* mf_msg_qid - copy the queue ID once Postfix has assigned it */
void
mf_msg_qid(SMFICTX *ctx, struct mf_msg *m)
{
	const char *v;

	if (m == NULL || m->qid[0] != '\0')
		return;
	if ((v = mf_getsymval(ctx, "i")) != NULL && *v != '\0')
		facts_set_str(m->qid, sizeof(m->qid), v);
}

/* mf_qid - the queue ID for log lines */
const char *
mf_qid(const struct mf_msg *m)
{
	return m != NULL && m->qid[0] != '\0' ? m->qid : "NOQUEUE";
}

/* doomed - the message is refused already: no plug-in work */
static int
doomed(const struct mf_conn *c, const struct mf_msg *m)
{
	return c->inst == NULL || c->has_pending || m->has_pending ||
	    (m->verdict.refusal != NULL &&
	    m->verdict.refusal->action != CFG_ACT_HOLD);
}

/* start_hooks - ask each plug-in once whether it takes this message */
static int
start_hooks(struct mf_conn *c, struct mf_msg *m)
{
	size_t	 i;
	int	 r;

	if (m->started)
		return 0;
	m->started = 1;
	if (doomed(c, m))
		return 0;
	for (i = 0; i < MF_HOOK_MAX && mf_hooks[i] != NULL; i++) {
		void	*state = NULL;

		r = mf_hooks[i]->start(c, m, &state);
		if (r < 0)
			return -1;
		if (r > 0) {
			m->hook_on |= 1u << i;
			m->hook_state[i] = state;
		}
	}
	return 0;
}

/* raw_put - append to the copy, growing it up to lim bytes */
static void
raw_put(struct mf_msg *m, const void *p, size_t n, size_t lim)
{
	size_t	 cap;

	if (n == 0)
		return;
	if (m->raw_len + n > m->raw_cap) {
		cap = m->raw_cap > 0 ? m->raw_cap : 16384;
		while (cap < m->raw_len + n)
			cap *= 2;
		if (cap > lim)
			cap = lim;
		m->raw = xrealloc(m->raw, cap);
		m->raw_cap = cap;
	}
	memcpy(m->raw + m->raw_len, p, n);
	m->raw_len += n;
}

/* raw_prefix_lim - bytes the prefix may hold: header, then body bytes */
static size_t
raw_prefix_lim(const struct mf_msg *m)
{
	if (!m->in_body)
		return m->raw_prefix > MF_PREFIX_HDR ? m->raw_prefix :
		    MF_PREFIX_HDR;
	if (!m->raw_hdr_whole)
		return m->raw_hdr;	/* a cut header takes no body after */
	return m->raw_hdr + m->raw_prefix;
}

/*
 * raw_add - append to the message copy: the whole message up to
 * raw_max; past it, the prefix (header and raw_prefix body bytes) when
 * a plug-in asked for one, else nothing
 */
static void
raw_add(struct mf_msg *m, const void *p, size_t n)
{
	size_t	 lim;

	if (m->raw_max == 0 && m->raw_prefix == 0)
		return;
	if (!m->raw_over && m->raw_len <= m->raw_max &&
	    n <= m->raw_max - m->raw_len) {
		raw_put(m, p, n, m->raw_max);
		return;
	}
	m->raw_over = 1;
	if (m->raw_prefix == 0) {
		free(m->raw);
		m->raw = NULL;
		m->raw_len = m->raw_cap = 0;
		return;
	}
	lim = raw_prefix_lim(m);
	if (m->raw_len > lim)
		m->raw_len = lim;	/* a longer whole copy, now cut */
	raw_put(m, p, n < lim - m->raw_len ? n : lim - m->raw_len, lim);
}

/* emit - message bytes to the copy and to streaming plug-ins */
static int
emit(struct mf_conn *c, struct mf_msg *m, const void *p, size_t n)
{
	size_t	 i;

	if (m->hook_on == 0 || n == 0 || doomed(c, m))
		return 0;
	raw_add(m, p, n);
	for (i = 0; i < MF_HOOK_MAX && mf_hooks[i] != NULL; i++)
		if ((m->hook_on & (1u << i)) && mf_hooks[i]->data != NULL &&
		    mf_hooks[i]->data(c, m, m->hook_state[i], p, n) != 0)
			return -1;
	return 0;
}

/* emit_value - a header value with its folds as CRLF */
static int
emit_value(struct mf_conn *c, struct mf_msg *m, const char *v)
{
	const char *nl;

	while ((nl = strchr(v, '\n')) != NULL) {
		size_t	 n = (size_t)(nl - v);

		if (n > 0 && v[n - 1] == '\r')
			n--;
		if (emit(c, m, v, n) != 0 || emit(c, m, "\r\n", 2) != 0)
			return -1;
		v = nl + 1;
	}
	if (emit(c, m, v, strlen(v)) != 0 || emit(c, m, "\r\n", 2) != 0)
		return -1;
	return 0;
}

/* crlf_len - bytes of a header value with its folds as CRLF, plus CRLF */
static size_t
crlf_len(const char *v)
{
	const char *p;
	size_t	 n = 2;

	for (p = v; *p != '\0'; p++)
		n += (*p == '\n' && (p == v || p[-1] != '\r')) ? 2 : 1;
	return n;
}

/* hdr_push - append a field to a removal or addition list */
static int
hdr_push(struct mf_hdr **list, size_t *n, const char *name,
    const char *value)
{
	struct mf_hdr *h;

	if (*n >= MF_HDR_MAX)
		return -1;
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	h = &(*list)[(*n)++];
	memset(h, 0, sizeof(*h));
	h->name = xstrdup(name);
	h->value = value != NULL ? xstrdup(value) : NULL;
	return 0;
}

/* mf_msg_header - record one header field */
int
mf_msg_header(struct mf_conn *c, struct mf_msg *m, const char *name,
    const char *value)
{
	enum hygiene_why why;
	size_t	 i;
	int	 idx = 1;

	if (name == NULL || value == NULL || start_hooks(c, m) != 0)
		return -1;
	m->bytes += strlen(name) + 2 + crlf_len(value);
	if (strcasecmp(name, "From") == 0)
		hdrfrom_add(&m->from, value);
	else if (c->inst != NULL && (((c->inst->spoof.check_headers &
	    CFG_HDR_SENDER) && strcasecmp(name, "Sender") == 0) ||
	    ((c->inst->spoof.check_headers & CFG_HDR_RESENT_FROM) &&
	    strcasecmp(name, "Resent-From") == 0)))
		hdrfrom_add(&m->other, value);
	if ((why = hygiene_check(c->inst, name)) != HYGIENE_KEEP) {
		/* smfi_chgheader() counts fields of the same name from 1 */
		for (i = 0; i < m->n_del; i++)
			idx += strcasecmp(m->del[i].name, name) == 0;
		if (hdr_push(&m->del, &m->n_del, name, NULL) != 0)
			return -1;
		m->del[m->n_del - 1].idx = idx;
		m->del[m->n_del - 1].why = why;
	}
	if (m->hook_on == 0)
		return 0;
	if (emit(c, m, name, strlen(name)) != 0 || emit(c, m, ": ", 2) != 0)
		return -1;
	return emit_value(c, m, value);
}

/* mf_msg_eoh - end of the header: plug-ins decided, blank line sent */
int
mf_msg_eoh(struct mf_conn *c, struct mf_msg *m)
{
	if (start_hooks(c, m) != 0)
		return -1;
	if (m->in_body)
		return 0;
	m->bytes += 2;
	if (emit(c, m, "\r\n", 2) != 0)
		return -1;
	/* the prefix keeps body bytes only after a whole header */
	m->raw_hdr = m->raw_len;
	m->raw_hdr_whole = m->raw_len == m->bytes;
	m->in_body = 1;
	return 0;
}

/* mf_msg_body - one body chunk */
int
mf_msg_body(struct mf_conn *c, struct mf_msg *m, const unsigned char *p,
    size_t n)
{
	if (!m->in_body && mf_msg_eoh(c, m) != 0)
		return -1;
	m->bytes += n;
	return emit(c, m, p, n);
}

/* mf_msg_wants_body - does anything still need body chunks */
int
mf_msg_wants_body(const struct mf_conn *c, const struct mf_msg *m)
{
	size_t	 i;

	if (m->hook_on == 0 || doomed(c, m))
		return 0;
	if (m->raw_max > 0 && !m->raw_over)
		return 1;
	if (m->raw_prefix > 0 && m->raw_len < raw_prefix_lim(m))
		return 1;
	for (i = 0; i < MF_HOOK_MAX && mf_hooks[i] != NULL; i++)
		if ((m->hook_on & (1u << i)) && mf_hooks[i]->data != NULL)
			return 1;
	return 0;
}

/* mf_msg_want_raw - a plug-in wants the message copy, up to max bytes */
void
mf_msg_want_raw(struct mf_msg *m, size_t max)
{
	if (max > m->raw_max)
		m->raw_max = max;
}

/* mf_msg_want_prefix - past raw_max, keep header + max body bytes */
void
mf_msg_want_prefix(struct mf_msg *m, size_t max)
{
	if (max > m->raw_prefix)
		m->raw_prefix = max;
}

/*
 * mf_msg_prefix_len - bytes of m->raw making the header and the first
 * max body bytes, ending at a line end (spamd reads lines and would wait
 * for the end of a cut one); just the header when no line fits
 */
size_t
mf_msg_prefix_len(const struct mf_msg *m, size_t max)
{
	size_t	 lim, n, floor = m->raw_hdr_whole ? m->raw_hdr : 0;

	if (!m->in_body || !m->raw_hdr_whole)
		lim = max;
	else
		lim = m->raw_hdr + max < m->raw_hdr ? SIZE_MAX :
		    m->raw_hdr + max;
	if (m->raw_len <= lim && !m->raw_over)
		return m->raw_len;	/* the whole message */
	n = m->raw_len < lim ? m->raw_len : lim;
	while (n > floor && m->raw[n - 1] != '\n')
		n--;
	return n;
}

/* mf_msg_add_header - a plug-in's header field, added at end of message */
int
mf_msg_add_header(struct mf_msg *m, const char *name, const char *value)
{
	if (name == NULL || value == NULL)
		return -1;
	return hdr_push(&m->add, &m->n_add, name, value);
}

/* mf_msg_chg_header - a plug-in's new value for a field, at end of message */
int
mf_msg_chg_header(struct mf_msg *m, const char *name, const char *value)
{
	if (name == NULL || value == NULL)
		return -1;
	return hdr_push(&m->chg, &m->n_chg, name, value);
}
