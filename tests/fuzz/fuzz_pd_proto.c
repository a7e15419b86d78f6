/*
 * fuzz_pd_proto.c - the policy delegation codec (policyd/pd_proto.c)
 *
 * The input is the byte stream a Postfix client sends on one
 * connection.  It is parsed the way pd_server.c does it: bytes go in
 * through pd_parser_space()/pd_parser_fill() or pd_parser_feed() in
 * chunks of arbitrary size, and after each chunk pd_parser_next() is
 * called until it wants more; a parser error ends the connection.  The
 * limits (max_request, max_attrs) and the chunk sizes are derived from
 * a hash of the input, so every input is replayed the same way.
 *
 * Checked: what the parser returns (requests, their values and counts,
 * the error and its line, whether a request is pending) does not
 * depend on how the stream was cut; pd_parser_reset() forgets
 * everything; a request's values are within the limits and hold no
 * line end; there is always room for more bytes while the parser wants
 * them (else the daemon would spin); pd_reply() stays inside its buffer
 * and writes one clean "action=..." line whatever the text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "pd_proto.h"

struct run {				/* one pass over the stream */
	uint32_t rnd;			/* chunk sizes; 0: all that fits */
	uint32_t trace;			/* hash of everything returned */
	unsigned requests;		/* PD_REQUEST results */
	enum pd_status last;		/* final status */
};

static void	trace_add(struct run *, const void *, size_t);
static void	check_request(const struct pd_parser *,
		    const struct pd_request *, struct run *);
static void	check_reply(const char *, uint32_t *);
static size_t	put_chunk(struct pd_parser *, const uint8_t *, size_t,
		    struct run *);
static void	run_stream(struct pd_parser *, const uint8_t *, size_t,
		    struct run *);

/* trace_add - fold bytes into the run's trace */
static void
trace_add(struct run *r, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n-- > 0)
		r->trace = (r->trace ^ *b++) * 16777619u;
}

/* check_reply - pd_reply() of text into buffers of several sizes */
static void
check_reply(const char *text, uint32_t *rnd)
{
	size_t	 len = fuzz_rand(rnd) % (PD_REPLY_MAX + 16), o, i;
	char	*buf = malloc(len > 0 ? len : 1);

	FUZZ_ASSERT(buf != NULL);
	o = pd_reply(buf, len, text);
	if (len < sizeof("action=") + 2) {
		FUZZ_ASSERT(o == 0);
		free(buf);
		return;
	}
	FUZZ_ASSERT(o + 1 <= len && o >= sizeof("action=") + 1);
	FUZZ_ASSERT(memcmp(buf, "action=", 7) == 0);
	FUZZ_ASSERT(buf[o - 2] == '\n' && buf[o - 1] == '\n' && buf[o] == 0);
	for (i = 7; i < o - 2; i++)
		FUZZ_ASSERT((unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f);
	free(buf);
}

/* check_request - the promises about one request; fold it into trace */
static void
check_request(const struct pd_parser *p, const struct pd_request *req,
    struct run *r)
{
	size_t	 i, n, present = 0;

	FUZZ_ASSERT(req->n_attrs >= 1 && req->n_attrs <= p->max_attrs);
	FUZZ_ASSERT(req->n_unknown + req->n_repeat <= req->n_attrs);
	for (i = 0; i < PD_A__COUNT; i++) {
		FUZZ_ASSERT(req->v[i] != NULL);
		n = strlen(req->v[i]);
		FUZZ_ASSERT(n < p->max_request);
		FUZZ_ASSERT(memchr(req->v[i], '\n', n) == NULL);
		FUZZ_ASSERT(req->present[i] <= 1);
		FUZZ_ASSERT(req->present[i] || n == 0);
		present += req->present[i];
		trace_add(r, &req->present[i], 1);
		trace_add(r, req->v[i], n + 1);
	}
	FUZZ_ASSERT(present + req->n_unknown + req->n_repeat == req->n_attrs);
	trace_add(r, &req->n_attrs, sizeof(req->n_attrs));
	trace_add(r, &req->n_unknown, sizeof(req->n_unknown));
	trace_add(r, &req->n_repeat, sizeof(req->n_repeat));
	r->requests++;
}

/* put_chunk - hand bytes over as the daemon's read_cb does; taken */
static size_t
put_chunk(struct pd_parser *p, const uint8_t *data, size_t n,
    struct run *r)
{
	size_t	 room, take = n;
	char	*dst;

	if (r->rnd != 0) {
		take = 1 + fuzz_rand(&r->rnd) % 300;
		if (take > n)
			take = n;
		if (fuzz_rand(&r->rnd) % 2)
			return pd_parser_feed(p, (const char *)data, take);
	}
	dst = pd_parser_space(p, &room);
	/* while the parser wants bytes it must have room for them */
	FUZZ_ASSERT(room > 0);
	if (take > room)
		take = room;
	memcpy(dst, data, take);
	pd_parser_fill(p, take);
	return take;
}

/* run_stream - all of data through the parser; results into r */
static void
run_stream(struct pd_parser *p, const uint8_t *data, size_t n,
    struct run *r)
{
	struct pd_request req;
	enum pd_status st = PD_NEED_MORE;
	size_t	 off = 0;
	int	 pending;

	while (off < n && st == PD_NEED_MORE) {
		off += put_chunk(p, data + off, n - off, r);
		while ((st = pd_parser_next(p, &req)) == PD_REQUEST)
			check_request(p, &req, r);
	}
	r->last = st;
	trace_add(r, &st, sizeof(st));
	if (st != PD_NEED_MORE) {
		FUZZ_ASSERT(st == PD_ERR_SYNTAX || st == PD_ERR_TOO_LONG ||
		    st == PD_ERR_TOO_MANY);
		FUZZ_ASSERT(p->err_line >= 1);
		FUZZ_ASSERT(strcmp(pd_parser_error(p), "no error") != 0);
		/* the error is sticky */
		FUZZ_ASSERT(pd_parser_next(p, &req) == st);
		trace_add(r, &p->err_line, sizeof(p->err_line));
	} else {
		pending = pd_parser_pending(p);
		trace_add(r, &pending, sizeof(pending));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t h = fuzz_hash(data, size), rnd = h | 1;
	struct pd_parser p;
	struct pd_request req;
	struct run whole, cut, again;
	size_t	 max_request;
	unsigned max_attrs;

	max_request = fuzz_rand(&rnd) % 4 == 0 ? 0 :
	    16 + fuzz_rand(&rnd) % 4096;
	max_attrs = fuzz_rand(&rnd) % 4 == 0 ? 0 : 1 + fuzz_rand(&rnd) % 40;

	memset(&whole, 0, sizeof(whole));
	pd_parser_init(&p, max_request, max_attrs);
	run_stream(&p, data, size, &whole);

	/* the same stream again after a reset: nothing may be left over */
	memset(&again, 0, sizeof(again));
	pd_parser_reset(&p);
	run_stream(&p, data, size, &again);
	pd_parser_free(&p);
	FUZZ_ASSERT(again.trace == whole.trace &&
	    again.requests == whole.requests && again.last == whole.last);

	/* in random chunks, alternating feed and space/fill */
	memset(&cut, 0, sizeof(cut));
	cut.rnd = rnd | 1;
	pd_parser_init(&p, max_request, max_attrs);
	run_stream(&p, data, size, &cut);
	FUZZ_ASSERT(cut.trace == whole.trace &&
	    cut.requests == whole.requests && cut.last == whole.last);
	pd_parser_free(&p);

	/* the encoder, with the first request's values as reply texts */
	pd_parser_init(&p, max_request, max_attrs);
	(void)pd_parser_feed(&p, (const char *)data, size);
	if (pd_parser_next(&p, &req) == PD_REQUEST) {
		check_reply(req.v[PD_A_SENDER], &rnd);
		check_reply(req.v[PD_A_RECIPIENT], &rnd);
		check_reply(req.v[PD_A_HELO_NAME], &rnd);
	}
	pd_parser_free(&p);
	return 0;
}
