/* pd_proto.c - policy delegation protocol: incremental parser, encoder */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pd_proto.h"
#include "xalloc.h"

/* Attribute names, sorted for bsearch, with their ids. */
static const struct attr_name {
	const char *name;
	enum pd_attr id;
} attr_names[] = {
	{"ccert_fingerprint", PD_A_CCERT_FINGERPRINT},
	{"ccert_issuer", PD_A_CCERT_ISSUER},
	{"ccert_pubkey_fingerprint", PD_A_CCERT_PUBKEY_FINGERPRINT},
	{"ccert_subject", PD_A_CCERT_SUBJECT},
	{"client_address", PD_A_CLIENT_ADDRESS},
	{"client_name", PD_A_CLIENT_NAME},
	{"client_port", PD_A_CLIENT_PORT},
	{"compatibility_level", PD_A_COMPATIBILITY_LEVEL},
	{"encryption_cipher", PD_A_ENCRYPTION_CIPHER},
	{"encryption_keysize", PD_A_ENCRYPTION_KEYSIZE},
	{"encryption_protocol", PD_A_ENCRYPTION_PROTOCOL},
	{"etrn_domain", PD_A_ETRN_DOMAIN},
	{"helo_name", PD_A_HELO_NAME},
	{"instance", PD_A_INSTANCE},
	{"mail_version", PD_A_MAIL_VERSION},
	{"policy_context", PD_A_POLICY_CONTEXT},
	{"protocol_name", PD_A_PROTOCOL_NAME},
	{"protocol_state", PD_A_PROTOCOL_STATE},
	{"queue_id", PD_A_QUEUE_ID},
	{"recipient", PD_A_RECIPIENT},
	{"recipient_count", PD_A_RECIPIENT_COUNT},
	{"request", PD_A_REQUEST},
	{"reverse_client_name", PD_A_REVERSE_CLIENT_NAME},
	{"sasl_method", PD_A_SASL_METHOD},
	{"sasl_sender", PD_A_SASL_SENDER},
	{"sasl_username", PD_A_SASL_USERNAME},
	{"sender", PD_A_SENDER},
	{"server_address", PD_A_SERVER_ADDRESS},
	{"server_port", PD_A_SERVER_PORT},
	{"size", PD_A_SIZE},
	{"stress", PD_A_STRESS},
};

#define N_ATTR_NAMES (sizeof(attr_names) / sizeof(attr_names[0]))

static int attr_cmp(const void *, const void *);
static int attr_lookup(const char *);
static void compact(struct pd_parser *);
static void start_request(struct pd_parser *);
static enum pd_status fail(struct pd_parser *, enum pd_status);
static enum pd_status take_line(struct pd_parser *, size_t, size_t);
static void finish(struct pd_parser *, struct pd_request *);

/* attr_cmp - bsearch comparison by name */
static int
attr_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct attr_name *)elem)->name);
}

/* attr_lookup - id of a known attribute name, or -1 */
static int
attr_lookup(const char *name)
{
	const struct attr_name *a;

	a = bsearch(name, attr_names, N_ATTR_NAMES, sizeof(attr_names[0]),
	    attr_cmp);
	return a == NULL ? -1 : (int)a->id;
}

/* pd_attr_name - the protocol name of an attribute */
const char *
pd_attr_name(enum pd_attr id)
{
	size_t	 i;

	for (i = 0; i < N_ATTR_NAMES; i++)
		if (attr_names[i].id == id)
			return attr_names[i].name;
	return "?";
}

/* pd_parser_init - an empty parser with its limits */
void
pd_parser_init(struct pd_parser *p, size_t max_request, unsigned max_attrs)
{
	memset(p, 0, sizeof(*p));
	p->max_request = max_request > 0 ? max_request : 65536;
	p->max_attrs = max_attrs > 0 ? max_attrs : 128;
	p->err = PD_NEED_MORE;
	start_request(p);
}

/* pd_parser_free - release the buffer; the parser may be re-inited */
void
pd_parser_free(struct pd_parser *p)
{
	free(p->buf);
	p->buf = NULL;
	p->cap = p->len = p->scan = p->done = 0;
}

/* pd_parser_reset - forget everything buffered, keep the buffer */
void
pd_parser_reset(struct pd_parser *p)
{
	p->len = p->scan = p->done = 0;
	p->err = PD_NEED_MORE;
	start_request(p);
}

/* start_request - clear the per-request state */
static void
start_request(struct pd_parser *p)
{
	memset(p->off, 0, sizeof(p->off));
	memset(&p->req, 0, sizeof(p->req));
	p->n_attrs = 0;
	p->lines = 0;
}

/* compact - drop the bytes of the request returned last */
static void
compact(struct pd_parser *p)
{
	if (p->done == 0)
		return;
	if (p->len > p->done)
		memmove(p->buf, p->buf + p->done, p->len - p->done);
	p->len -= p->done;
	p->scan -= p->done;
	p->done = 0;
	start_request(p);
}

/* pd_parser_space - where to put new bytes, and how many fit */
char *
pd_parser_space(struct pd_parser *p, size_t *room)
{
	size_t	 limit = p->max_request + 1, ncap;

	compact(p);
	/* One byte over the limit is enough to tell an oversized request. */
	if (p->len == p->cap && p->cap < limit) {
		ncap = p->cap == 0 ? PD_BUF_INITIAL : p->cap * 2;
		if (ncap > limit)
			ncap = limit;
		p->buf = xrealloc(p->buf, ncap);
		p->cap = ncap;
	}
	*room = p->cap - p->len;
	return p->buf + p->len;
}

/* pd_parser_fill - n bytes were written at pd_parser_space() */
void
pd_parser_fill(struct pd_parser *p, size_t n)
{
	p->len += n;
}

/* pd_parser_feed - copy bytes in; returns how many were taken */
size_t
pd_parser_feed(struct pd_parser *p, const char *data, size_t n)
{
	size_t	 room, take;
	char	*dst = pd_parser_space(p, &room);

	take = n < room ? n : room;
	memcpy(dst, data, take);
	pd_parser_fill(p, take);
	return take;
}

/* pd_parser_pending - part of a request is buffered */
int
pd_parser_pending(const struct pd_parser *p)
{
	return p->len > p->done;
}

/* fail - remember an error; the parser stays in it */
static enum pd_status
fail(struct pd_parser *p, enum pd_status err)
{
	p->err = err;
	p->err_line = p->lines;
	return err;
}

/* take_line - decode the attribute line buf[start..end) */
static enum pd_status
take_line(struct pd_parser *p, size_t start, size_t end)
{
	char	*line = p->buf + start, *eq;
	size_t	 len = end - start;
	int	 id;

	if (memchr(line, '\0', len) != NULL)
		return fail(p, PD_ERR_SYNTAX);
	eq = memchr(line, '=', len);
	if (eq == NULL || eq == line)
		return fail(p, PD_ERR_SYNTAX);
	if (++p->n_attrs > p->max_attrs)
		return fail(p, PD_ERR_TOO_MANY);
	*eq = '\0';
	line[len] = '\0';
	p->req.n_attrs++;
	if ((id = attr_lookup(line)) < 0) {
		p->req.n_unknown++;
		return PD_NEED_MORE;
	}
	if (p->off[id] != 0)
		p->req.n_repeat++;
	/* Last value wins, as in a dictionary built line by line. */
	p->off[id] = (unsigned)(eq + 1 - p->buf);
	return PD_NEED_MORE;
}

/* finish - fill the caller's request from the recorded offsets */
static void
finish(struct pd_parser *p, struct pd_request *req)
{
	size_t	 i;

	*req = p->req;
	for (i = 0; i < PD_A__COUNT; i++) {
		req->present[i] = p->off[i] != 0;
		req->v[i] = p->off[i] != 0 ? p->buf + p->off[i] : "";
	}
}

/* pd_parser_next - the next complete request, if one is buffered */
enum pd_status
pd_parser_next(struct pd_parser *p, struct pd_request *req)
{
	enum pd_status st;
	char	*nl;
	size_t	 end;

	if (p->err != PD_NEED_MORE)
		return p->err;
	compact(p);
	while (p->scan < p->len) {
		nl = memchr(p->buf + p->scan, '\n', p->len - p->scan);
		if (nl == NULL)
			break;
		end = (size_t)(nl - p->buf);
		p->lines++;
		if (end + 1 > p->max_request)
			return fail(p, PD_ERR_TOO_LONG);
		if (end > p->scan && p->buf[end - 1] == '\r')
			end--;
		if (end == p->scan) {
			p->scan = (size_t)(nl - p->buf) + 1;
			if (p->n_attrs == 0) {
				/* stray empty lines between requests */
				p->done = p->scan;
				compact(p);
				continue;
			}
			p->done = p->scan;
			finish(p, req);
			return PD_REQUEST;
		}
		if ((st = take_line(p, p->scan, end)) != PD_NEED_MORE)
			return st;
		p->scan = (size_t)(nl - p->buf) + 1;
	}
	if (p->len > p->max_request) {
		p->lines++;		/* the unterminated one */
		return fail(p, PD_ERR_TOO_LONG);
	}
	return PD_NEED_MORE;
}

/* pd_parser_error - a description of the parser's error for the log */
const char *
pd_parser_error(const struct pd_parser *p)
{
	switch (p->err) {
	case PD_ERR_SYNTAX:
		return "malformed request: a line is not \"name=value\"";
	case PD_ERR_TOO_LONG:
		return "request exceeds max_request";
	case PD_ERR_TOO_MANY:
		return "request exceeds max_attrs attributes";
	default:
		return "no error";
	}
}

/* pd_reply - "action=TEXT\n\n", control characters made spaces */
size_t
pd_reply(char *buf, size_t len, const char *text)
{
	static const char pfx[] = "action=";
	size_t	 o, i;

	if (len < sizeof(pfx) + 2)
		return 0;
	memcpy(buf, pfx, sizeof(pfx) - 1);
	o = sizeof(pfx) - 1;
	for (i = 0; text[i] != '\0' && o + 3 <= len - 1; i++) {
		unsigned char c = (unsigned char)text[i];

		buf[o++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	buf[o++] = '\n';
	buf[o++] = '\n';
	buf[o] = '\0';
	return o;
}
