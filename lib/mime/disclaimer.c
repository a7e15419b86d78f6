/* disclaimer.c - choose the text parts, apply dcpart, splice the result */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dcpart.h"
#include "dctext.h"
#include "dcwrap.h"
#include "disclaimer.h"
#include "mimecode.h"
#include "mimescan.h"
#include "xalloc.h"

struct job {				/* one disclaimer_apply() call */
	const char *msg;		/* borrowed: the message */
	size_t	 len;			/* bytes of msg */
	int	 crlf;			/* msg uses CRLF line ends */
	struct mime_tree t;		/* its structure */
	struct dctext dt;		/* the disclaimer's forms */
	int	*v;			/* owned: chosen parts, in order */
	size_t	 n;			/* chosen parts */
	unsigned flags;			/* DCPART_TOP, DCPART_UNQUOTED */
};

static int	text_body(const struct mime_part *);
static int	cid_is(const char *, const struct mime_part *, const char *);
static int	related_root(const struct mime_tree *, const char *, int);
static int	choose(const struct job *, int, int *, size_t *);
static enum disclaimer_result prepare(struct job *, struct dcpart *,
		    const char **);
static void	splice(struct job *, struct dcpart *, struct disclaimer_out *);
static void	top_headers(struct job *, struct dcpart *,
		    struct disclaimer_out *);
static enum disclaimer_result apply(struct job *, struct disclaimer_out *);
static int	is_reply(const char *, size_t);
static int	wrappable(enum disclaimer_result);
static enum disclaimer_result wrap(struct job *, struct disclaimer_out *,
		    enum disclaimer_result);
static void	render_field(struct sbuf *, const char *, const char *,
		    const char *);
static void	render_headers(struct sbuf *, const char *,
		    const struct mime_hdr *, const struct disclaimer_out *,
		    const char *);

static const char *const result_names[DC_RESULT_MAX] = {
	"added", "skipped_signed", "skipped_present", "skipped_size",
	"skipped_unparseable", "skipped_notext", "skipped_nomatch",
	"skipped_exception", "wrapped", "rejected",
};

/* disclaimer_result_name - metric label of a result */
const char *
disclaimer_result_name(enum disclaimer_result r)
{
	return (unsigned)r < DC_RESULT_MAX ? result_names[r] : "unknown";
}

/* text_body - a text/plain or text/html part that is not a file */
static int
text_body(const struct mime_part *p)
{
	return p->kind == MIME_LEAF && !p->file &&
	    (mimescan_is(p, "text", "plain") || mimescan_is(p, "text", "html"));
}

/* cid_is - is the part's Content-ID start (both without <> and spaces) */
static int
cid_is(const char *msg, const struct mime_part *p, const char *start)
{
	const struct mime_field *f = &p->hdr.cid;
	size_t	 b = f->val, e = f->end, sb = 0, se = strlen(start);

	if (!mimehdr_present(f))
		return 0;
	while (b < e && strchr(" \t\r\n<", msg[b]) != NULL && msg[b] != '\0')
		b++;
	while (e > b && strchr(" \t\r\n>", msg[e - 1]) != NULL &&
	    msg[e - 1] != '\0')
		e--;
	while (sb < se && (start[sb] == '<' || start[sb] == ' '))
		sb++;
	while (se > sb && (start[se - 1] == '>' || start[se - 1] == ' '))
		se--;
	return e - b == se - sb && memcmp(msg + b, start + sb, se - sb) == 0;
}

/* related_root - the root part of a multipart/related, or -1 */
static int
related_root(const struct mime_tree *t, const char *msg, int idx)
{
	const struct mime_part *p = &t->v[idx];
	int	 c;

	if (p->ct.start[0] != '\0')
		for (c = p->child; c >= 0; c = t->v[c].next)
			if (cid_is(msg, &t->v[c], p->ct.start))
				return c;
	return p->child;
}

/* choose - the text parts of the subtree at idx that get the disclaimer */
static int
choose(const struct job *j, int idx, int *v, size_t *n)
{
	const struct mime_tree *t = &j->t;
	const struct mime_part *p = &t->v[idx];
	int	 c, found = 0;

	if (text_body(p)) {
		v[(*n)++] = idx;
		return 1;
	}
	if (p->kind != MIME_MULTI || p->file)
		return 0;
	if (mimescan_is(p, "multipart", "alternative")) {
		for (c = p->child; c >= 0; c = t->v[c].next)
			found |= choose(j, c, v, n);
		return found;
	}
	if (mimescan_is(p, "multipart", "related")) {
		c = related_root(t, j->msg, idx);
		return c >= 0 && choose(j, c, v, n);
	}
	for (c = p->child; c >= 0; c = t->v[c].next)
		if (choose(j, c, v, n))
			return 1;
	return 0;
}

/* prepare - dcpart_prepare() every chosen part; the combined verdict */
static enum disclaimer_result
prepare(struct job *j, struct dcpart *w, const char **why)
{
	enum dcpart_res r, worst = DCPART_OK;
	size_t	 i;

	for (i = 0; i < j->n; i++) {
		r = dcpart_prepare(j->msg, &j->t.v[j->v[i]], &j->dt, j->crlf,
		    j->flags, &w[i]);
		if (r == DCPART_SIGNED || (r == DCPART_BAD &&
		    worst != DCPART_SIGNED) || (r == DCPART_PRESENT &&
		    worst == DCPART_OK)) {
			worst = r;
			*why = r == DCPART_BAD ? w[i].why : NULL;
		}
	}
	switch (worst) {
	case DCPART_SIGNED:
		*why = "inline PGP in the text body";
		return DC_SKIPPED_SIGNED;
	case DCPART_PRESENT:
		*why = "the disclaimer is already there";
		return DC_SKIPPED_PRESENT;
	case DCPART_BAD:
		return DC_SKIPPED_UNPARSEABLE;
	default:
		return DC_ADDED;
	}
}

/* top_headers - header changes of a single-part message */
static void
top_headers(struct job *j, struct dcpart *w, struct disclaimer_out *out)
{
	if (w->relabel) {
		out->hdr[out->n_hdr].name = "Content-Type";
		out->hdr[out->n_hdr++].value = dcpart_value(j->msg, w, 0);
	}
	if (w->set_qp) {
		out->hdr[out->n_hdr].name = "Content-Transfer-Encoding";
		out->hdr[out->n_hdr++].value = dcpart_value(j->msg, w, 1);
	}
	if (out->n_hdr > 0 && !mimehdr_present(&j->t.v[0].hdr.mv)) {
		out->hdr[out->n_hdr].name = "MIME-Version";
		out->hdr[out->n_hdr++].value = xstrdup("1.0");
	}
}

/* splice - the new body: original bytes around the rewritten parts */
static void
splice(struct job *j, struct dcpart *w, struct disclaimer_out *out)
{
	struct sbuf b = { NULL, 0, 0 };
	size_t	 i, pos = j->t.v[0].hdr.body;
	const struct mime_part *p;

	sbuf_reserve(&b, j->len - pos + 4096);
	if (j->v[0] == 0) {
		dcpart_body(j->msg, &w[0], j->crlf, &b);
		top_headers(j, &w[0], out);
	} else {
		for (i = 0; i < j->n; i++) {
			p = &j->t.v[j->v[i]];
			sbuf_putn(&b, j->msg + pos, p->hdr.start - pos);
			dcpart_part(j->msg, &w[i], j->crlf, &b);
			pos = p->end;
		}
		sbuf_putn(&b, j->msg + pos, j->len - pos);
	}
	out->body = b.p;
	out->body_len = b.len;
	out->n_parts = j->n;
}

/* apply - choose, prepare, splice */
static enum disclaimer_result
apply(struct job *j, struct disclaimer_out *out)
{
	struct dcpart *w;
	enum disclaimer_result r;
	size_t	 i, k;
	int	 tmp;

	j->v = xcalloc(j->t.n, sizeof(*j->v));
	(void)choose(j, 0, j->v, &j->n);
	if (j->n == 0) {
		out->why = "no text body";
		return DC_SKIPPED_NOTEXT;
	}
	for (i = 1; i < j->n; i++)	/* document order */
		for (k = i; k > 0 && j->t.v[j->v[k - 1]].hdr.start >
		    j->t.v[j->v[k]].hdr.start; k--) {
			tmp = j->v[k];
			j->v[k] = j->v[k - 1];
			j->v[k - 1] = tmp;
		}
	w = xcalloc(j->n, sizeof(*w));
	if ((r = prepare(j, w, &out->why)) == DC_ADDED)
		splice(j, w, out);
	for (i = 0; i < j->n; i++)
		dcpart_free(&w[i]);
	free(w);
	return r;
}

/* is_reply - the message header has In-Reply-To or References */
static int
is_reply(const char *msg, size_t len)
{
	return mimehdr_field_is(msg, len, "In-Reply-To", NULL) ||
	    mimehdr_field_is(msg, len, "References", NULL);
}

/* wrappable - a result the fallback applies to */
static int
wrappable(enum disclaimer_result r)
{
	return r == DC_SKIPPED_SIGNED || r == DC_SKIPPED_UNPARSEABLE ||
	    r == DC_SKIPPED_SIZE;
}

/* wrap - fallback wrap; r unchanged when the message cannot be wrapped */
static enum disclaimer_result
wrap(struct job *j, struct disclaimer_out *out, enum disclaimer_result r)
{
	struct mime_hdr h;
	const char *why;

	if (r == DC_SKIPPED_SIZE || mimehdr_scan(j->msg, 0, j->len, &h,
	    &why) < 0 || dcwrap_build(j->msg, j->len, &j->dt,
	    mimehdr_present(&h.mv), mimehdr_present(&h.cd), out) < 0)
		return r;
	out->cause = r;
	return DC_WRAPPED;
}

/* disclaimer_fallback - DC_REJECTED for a fallback cause when asked */
enum disclaimer_result
disclaimer_fallback(enum disclaimer_result r,
    const struct disclaimer_conf *conf, struct disclaimer_out *out)
{
	if (conf->fallback != DC_FALLBACK_REJECT || !wrappable(r))
		return r;
	out->cause = r;
	return DC_REJECTED;
}

/* disclaimer_reject_text - the SMTP reply text for a rejected cause */
const char *
disclaimer_reject_text(enum disclaimer_result cause)
{
	switch (cause) {
	case DC_SKIPPED_SIGNED:
		return "This message must carry the company disclaimer, which "
		    "cannot be added to a signed or encrypted message without "
		    "breaking it";
	case DC_SKIPPED_SIZE:
		return "This message must carry the company disclaimer, but "
		    "it is too large to add one; send a smaller message";
	default:
		return "This message must carry the company disclaimer, but "
		    "its MIME structure is malformed; send it again from a "
		    "standard mail client";
	}
}

/* disclaimer_apply - add the disclaimer to a message, or say why not */
enum disclaimer_result
disclaimer_apply(const char *msg, size_t len,
    const struct disclaimer_conf *conf, struct disclaimer_out *out)
{
	struct job j;
	enum disclaimer_result r;
	size_t	 max = conf->max_size ? conf->max_size : DC_MAX_SIZE_DEFAULT;

	memset(out, 0, sizeof(*out));
	if (len > max) {
		out->why = "message larger than disclaimer.max_size";
		return disclaimer_fallback(DC_SKIPPED_SIZE, conf, out);
	}
	memset(&j, 0, sizeof(j));
	j.msg = msg;
	j.len = len;
	j.crlf = mime_eol_crlf(msg, len, 1);
	if (conf->position == DC_POS_TOP)
		j.flags |= DCPART_TOP;
	if (conf->replies == DC_REPLIES_ALWAYS && is_reply(msg, len))
		j.flags |= DCPART_UNQUOTED;
	dctext_prepare(conf->text, conf->html, &j.dt);
	if (j.dt.empty) {
		out->why = "the disclaimer is empty";
		r = DC_SKIPPED_NOTEXT;
	} else if (mimescan_parse(msg, len, &j.t) < 0 && !j.t.sealed) {
		out->why = j.t.why;
		r = DC_SKIPPED_UNPARSEABLE;
	} else if (j.t.sealed) {
		out->why = "signed or encrypted";
		r = DC_SKIPPED_SIGNED;
	} else
		r = apply(&j, out);
	if (r != DC_ADDED)
		disclaimer_out_free(out);
	if (r != DC_ADDED && conf->fallback == DC_FALLBACK_WRAP &&
	    !j.dt.empty && wrappable(r))
		r = wrap(&j, out, r);
	r = disclaimer_fallback(r, conf, out);
	mimescan_free(&j.t);
	dctext_free(&j.dt);
	free(j.v);
	return r;
}

/* disclaimer_out_free - release the new body and header values */
void
disclaimer_out_free(struct disclaimer_out *out)
{
	size_t	 i;

	free(out->body);
	out->body = NULL;
	out->body_len = 0;
	for (i = 0; i < out->n_hdr; i++)
		free(out->hdr[i].value);
	out->n_hdr = 0;
	out->n_parts = 0;
}

/* render_field - "Name: value" with eol line ends */
static void
render_field(struct sbuf *b, const char *name, const char *value,
    const char *eol)
{
	sbuf_puts(b, name);
	sbuf_puts(b, ": ");
	for (; *value != '\0'; value++)
		if (*value == '\n')
			sbuf_puts(b, eol);
		else
			sbuf_putn(b, value, 1);
	sbuf_puts(b, eol);
}

/* render_headers - the header block with out's fields set */
static void
render_headers(struct sbuf *b, const char *msg, const struct mime_hdr *h,
    const struct disclaimer_out *out, const char *eol)
{
	const char *nl;
	size_t	 f, fe, ne, k;
	int	 done[DC_HDR_MAX] = { 0 };

	for (f = h->start; f < h->end; f = fe) {
		for (fe = f; fe < h->end; ) {
			nl = memchr(msg + fe, '\n', h->end - fe);
			fe = nl == NULL ? h->end : (size_t)(nl - msg) + 1;
			if (fe < h->end && msg[fe] != ' ' && msg[fe] != '\t')
				break;
		}
		for (ne = f; ne < fe && msg[ne] != ':' && msg[ne] != ' ' &&
		    msg[ne] != '\t'; ne++)
			;
		for (k = 0; k < out->n_hdr; k++)
			if (!done[k] && strlen(out->hdr[k].name) == ne - f &&
			    strncasecmp(msg + f, out->hdr[k].name, ne - f) == 0)
				break;
		if (k == out->n_hdr)
			sbuf_putn(b, msg + f, fe - f);
		else {
			render_field(b, out->hdr[k].name, out->hdr[k].value,
			    eol);
			done[k] = 1;
		}
	}
	if (b->len > 0 && b->p[b->len - 1] != '\n')
		sbuf_puts(b, eol);
	for (k = 0; k < out->n_hdr; k++)
		if (!done[k])
			render_field(b, out->hdr[k].name, out->hdr[k].value,
			    eol);
}

/* disclaimer_render - the whole message the changes in out produce */
char *
disclaimer_render(const char *msg, size_t len, const struct disclaimer_out *out,
    size_t *outlen)
{
	struct sbuf b = { NULL, 0, 0 };
	struct mime_hdr h;
	const char *why, *eol = mime_eol_crlf(msg, len, 1) ? "\r\n" : "\n";

	if (out->body == NULL || mimehdr_scan(msg, 0, len, &h, &why) < 0) {
		sbuf_putn(&b, msg, len);
		sbuf_putn(&b, "", 1);
		*outlen = len;
		return b.p;
	}
	sbuf_reserve(&b, h.body + out->body_len + 1024);
	sbuf_putn(&b, msg, h.start);
	render_headers(&b, msg, &h, out, eol);
	if (h.body > h.end)
		sbuf_putn(&b, msg + h.end, h.body - h.end);
	else
		sbuf_puts(&b, eol);
	sbuf_putn(&b, out->body, out->body_len);
	*outlen = b.len;
	sbuf_putn(&b, "", 1);
	return b.p;
}
