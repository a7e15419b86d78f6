/* scan_parse.c - content scanner replies to verdicts (pure) */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scan_parse.h"
#include "scan_text.h"

#define SPAMD_MSG_MAX	64		/* bytes of a spamd error text kept */

static int spamd_status(struct scan_span, struct scan_verdict *);
static int spamd_spam(struct scan_span, struct scan_verdict *);
static int spamd_headers(struct scan_span, struct scan_verdict *, int *,
	    unsigned long *);
static void spamd_symbols(struct scan_span, struct scan_verdict *);
static int clamd_line(struct scan_span, struct scan_verdict *);

/* scan_verdict_init - a clean verdict with nothing known */
void
scan_verdict_init(struct scan_verdict *v)
{
	memset(v, 0, sizeof(*v));
	v->result = SCAN_CLEAN;
}

/* scan_verdict_error - mark the verdict failed, with a reason */
void
scan_verdict_error(struct scan_verdict *v, const char *fmt, ...)
{
	va_list	 ap;

	v->result = SCAN_ERROR;
	va_start(ap, fmt);
	(void)vsnprintf(v->why, sizeof(v->why), fmt, ap);
	va_end(ap);
}

/* scan_result_name - the metrics label of a result */
const char *
scan_result_name(enum scan_result r)
{
	switch (r) {
	case SCAN_CLEAN:
		return "clean";
	case SCAN_SPAM:
		return "spam";
	case SCAN_VIRUS:
		return "virus";
	case SCAN_SKIPPED_SIZE:
		return "skipped_size";
	case SCAN_ERROR:
	default:
		return "error";
	}
}

/* spamd_status - "SPAMD/1.1 0 EX_OK"; a non-zero code is an error */
static int
spamd_status(struct scan_span line, struct scan_verdict *v)
{
	struct scan_span code, msg;
	unsigned long c;
	const char *sp;
	char	 text[SPAMD_MSG_MAX];

	if (line.n < 8 || memcmp(line.p, "SPAMD/", 6) != 0 ||
	    !scan_is_digit((unsigned char)line.p[6])) {
		scan_verdict_error(v, "spamd: not a SPAMD reply");
		return -1;
	}
	sp = memchr(line.p, ' ', line.n);
	if (sp == NULL) {
		scan_verdict_error(v, "spamd: bad response line");
		return -1;
	}
	code.p = sp + 1;
	code.n = line.n - (size_t)(code.p - line.p);
	sp = memchr(code.p, ' ', code.n);
	msg.p = sp != NULL ? sp + 1 : code.p + code.n;
	msg.n = sp != NULL ? code.n - (size_t)(msg.p - code.p) : 0;
	if (sp != NULL)
		code.n = (size_t)(sp - code.p);
	if (scan_span_ulong(code, &c) != 0) {
		scan_verdict_error(v, "spamd: bad response code");
		return -1;
	}
	if (c != 0) {
		scan_copy_token(text, sizeof(text), msg.p, msg.n, 1);
		scan_verdict_error(v, "spamd: %s (%lu)", text, c);
		return -1;
	}
	return 0;
}

/* spamd_spam - "True ; 1000.0 / 5.0" */
static int
spamd_spam(struct scan_span val, struct scan_verdict *v)
{
	const char *semi = memchr(val.p, ';', val.n), *slash;
	struct scan_span flag, score, thr;

	if (semi == NULL)
		return -1;
	flag.p = val.p;
	flag.n = (size_t)(semi - val.p);
	flag = scan_span_trim(flag);
	score.p = semi + 1;
	score.n = val.n - (size_t)(score.p - val.p);
	slash = memchr(score.p, '/', score.n);
	if (slash == NULL)
		return -1;
	thr.p = slash + 1;
	thr.n = score.n - (size_t)(thr.p - score.p);
	score.n = (size_t)(slash - score.p);
	score = scan_span_trim(score);
	thr = scan_span_trim(thr);
	if (scan_span_ieq(flag, "true") || scan_span_ieq(flag, "yes"))
		v->result = SCAN_SPAM;
	else if (scan_span_ieq(flag, "false") || scan_span_ieq(flag, "no"))
		v->result = SCAN_CLEAN;
	else
		return -1;
	if (scan_parse_number(score.p, score.n, &v->score) != 0 ||
	    scan_parse_number(thr.p, thr.n, &v->threshold) != 0)
		return -1;
	v->has_score = 1;
	return 0;
}

/* spamd_headers - the header lines after the response line */
static int
spamd_headers(struct scan_span in, struct scan_verdict *v, int *has_len,
    unsigned long *clen)
{
	struct scan_span line, name, val;
	int	 seen_spam = 0;

	while (scan_span_line(&in, &line)) {
		if (scan_span_header(line, &name, &val) != 0) {
			scan_verdict_error(v, "spamd: bad header line");
			return -1;
		}
		if (scan_span_ieq(name, "spam")) {
			if (seen_spam++ || spamd_spam(val, v) != 0) {
				scan_verdict_error(v, "spamd: bad Spam header");
				return -1;
			}
		} else if (scan_span_ieq(name, "content-length")) {
			if (scan_span_ulong(val, clen) != 0) {
				scan_verdict_error(v,
				    "spamd: bad Content-length");
				return -1;
			}
			*has_len = 1;
		}
	}
	if (!seen_spam) {
		scan_verdict_error(v, "spamd: no Spam header");
		return -1;
	}
	return 0;
}

/* spamd_symbols - keep a SYMBOLS body; a REPORT body is not a list */
static void
spamd_symbols(struct scan_span body, struct scan_verdict *v)
{
	size_t	 i, start = 0;

	body = scan_span_trim(body);
	for (i = 0; i < body.n; i++) {
		int c = (unsigned char)body.p[i];

		if (!(c == ',' || c == '_' || scan_is_digit(c) ||
		    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
			return;
	}
	for (i = 0; i <= body.n; i++) {
		if (i == body.n || body.p[i] == ',') {
			scan_symbols_add(v->symbols, sizeof(v->symbols),
			    body.p + start, i - start);
			start = i + 1;
		}
	}
}

/* scan_parse_spamd - a whole SPAMD/1.x reply */
int
scan_parse_spamd(const char *buf, size_t len, struct scan_verdict *v)
{
	struct scan_span in = { buf, len }, line, head;
	size_t	 hlen, boff;
	unsigned long clen = 0;
	int	 has_len = 0;

	scan_verdict_init(v);
	if (len == 0) {
		scan_verdict_error(v, "spamd: empty reply");
		return -1;
	}
	if (memchr(buf, '\n', len) == NULL) {
		scan_verdict_error(v, "spamd: truncated reply");
		return -1;
	}
	(void)scan_span_line(&in, &line);
	if (spamd_status(line, v) != 0)
		return -1;
	if (scan_head_end(buf, len, &hlen, &boff) != 0 ||
	    hlen < (size_t)(in.p - buf) - 2) {
		scan_verdict_error(v, "spamd: truncated reply");
		return -1;
	}
	head.p = in.p;
	head.n = hlen > (size_t)(in.p - buf) ? hlen - (size_t)(in.p - buf) : 0;
	if (spamd_headers(head, v, &has_len, &clen) != 0)
		return -1;
	if (has_len && len - boff < clen) {
		scan_verdict_error(v, "spamd: truncated reply");
		return -1;
	}
	if (has_len && len - boff > clen) {
		scan_verdict_error(v, "spamd: data after the reply");
		return -1;
	}
	spamd_symbols((struct scan_span){ buf + boff, len - boff }, v);
	return 0;
}

/* clamd_line - "stream: OK", "stream: NAME FOUND", "... ERROR" */
static int
clamd_line(struct scan_span line, struct scan_verdict *v)
{
	static const char pfx[] = "stream: ";
	char	 text[SPAMD_MSG_MAX];
	size_t	 i = 0;

	if (line.n >= 6 && memcmp(line.p + line.n - 6, " ERROR", 6) == 0) {
		scan_copy_token(text, sizeof(text), line.p, line.n - 6, 1);
		scan_verdict_error(v, "clamd: %s", text);
		return -1;
	}
	while (i < line.n && scan_is_digit((unsigned char)line.p[i]))
		i++;			/* IDSESSION "N: " prefix */
	if (i > 0 && i + 1 < line.n && line.p[i] == ':' &&
	    line.p[i + 1] == ' ') {
		line.p += i + 2;
		line.n -= i + 2;
	}
	if (line.n < sizeof(pfx) - 1 || memcmp(line.p, pfx, sizeof(pfx) - 1))
		goto garbage;
	line.p += sizeof(pfx) - 1;
	line.n -= sizeof(pfx) - 1;
	if (line.n == 2 && memcmp(line.p, "OK", 2) == 0) {
		v->result = SCAN_CLEAN;
		return 0;
	}
	if (line.n > 6 && memcmp(line.p + line.n - 6, " FOUND", 6) == 0 &&
	    !scan_is_space((unsigned char)line.p[0])) {
		v->result = SCAN_VIRUS;
		scan_copy_token(v->virus, sizeof(v->virus), line.p,
		    line.n - 6, 0);
		return 0;
	}
garbage:
	scan_verdict_error(v, "clamd: unexpected reply");
	return -1;
}

/* scan_parse_clamd - a reply to zINSTREAM or nINSTREAM */
int
scan_parse_clamd(const char *buf, size_t len, struct scan_verdict *v)
{
	const char *nul = memchr(buf, '\0', len), *nl = memchr(buf, '\n', len);
	const char *end = nul != NULL && (nl == NULL || nul < nl) ? nul : nl;
	struct scan_span line;

	scan_verdict_init(v);
	if (len == 0) {
		scan_verdict_error(v, "clamd: empty reply");
		return -1;
	}
	if (end == NULL) {
		scan_verdict_error(v, "clamd: truncated reply");
		return -1;
	}
	line.p = buf;
	line.n = (size_t)(end - buf);
	if (line.n > 0 && line.p[line.n - 1] == '\r')
		line.n--;
	return clamd_line(line, v);
}
