/* scan_parse.c - content scanner replies to verdicts (pure) */
#include "config.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "scan_parse.h"

#define SPAMD_MSG_MAX	64		/* bytes of a spamd error text kept */

struct span {				/* a borrowed piece of a reply */
	const char *p;
	size_t	 n;
};

static int is_space(int);
static int is_digit(int);
static int ieq(struct span, const char *);
static struct span trim(struct span);
static int line_next(struct span *, struct span *);
static const char *find_mem(const char *, size_t, const char *);
static int header_end(const char *, size_t, size_t *, size_t *);
static int parse_ulong(struct span, unsigned long *);
static int spamd_status(struct span, struct scan_verdict *);
static int spamd_spam(struct span, struct scan_verdict *);
static int spamd_headers(struct span, struct scan_verdict *, int *,
	    unsigned long *);
static void spamd_symbols(struct span, struct scan_verdict *);
static int rspamd_fields(json_t *, struct scan_verdict *);
static int clamd_line(struct span, struct scan_verdict *);

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

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* ieq - span equals a word, ignoring ASCII case */
static int
ieq(struct span s, const char *w)
{
	size_t	 i;

	if (strlen(w) != s.n)
		return 0;
	for (i = 0; i < s.n; i++) {
		int a = (unsigned char)s.p[i], b = (unsigned char)w[i];

		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return 0;
	}
	return 1;
}

/* trim - drop leading and trailing white space */
static struct span
trim(struct span s)
{
	while (s.n > 0 && is_space((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

/* line_next - take one line (LF or CRLF ended) off the front of in */
static int
line_next(struct span *in, struct span *line)
{
	const char *nl;

	if (in->n == 0)
		return 0;
	nl = memchr(in->p, '\n', in->n);
	line->p = in->p;
	line->n = nl != NULL ? (size_t)(nl - in->p) : in->n;
	in->p += line->n + (nl != NULL);
	in->n -= line->n + (nl != NULL);
	if (line->n > 0 && line->p[line->n - 1] == '\r')
		line->n--;
	return 1;
}

/* find_mem - first occurrence of a string in a buffer, or NULL */
static const char *
find_mem(const char *buf, size_t len, const char *needle)
{
	size_t	 n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (memcmp(buf + i, needle, n) == 0)
			return buf + i;
	return NULL;
}

/* header_end - length of the head and offset of the body, or -1 */
static int
header_end(const char *buf, size_t len, size_t *head, size_t *body)
{
	const char *crlf = find_mem(buf, len, "\r\n\r\n");
	const char *lf = find_mem(buf, len, "\n\n");

	if (crlf != NULL && (lf == NULL || crlf < lf)) {
		*head = (size_t)(crlf - buf);
		*body = *head + 4;
		return 0;
	}
	if (lf != NULL) {
		*head = (size_t)(lf - buf);
		*body = *head + 2;
		return 0;
	}
	return -1;
}

/* scan_parse_number - a decimal number, whole span, no locale */
int
scan_parse_number(const char *p, size_t n, double *out)
{
	double	 v = 0, scale = 1;
	size_t	 i = 0, digits = 0;
	int	 neg = 0;

	if (n > 0 && (p[0] == '-' || p[0] == '+')) {
		neg = p[0] == '-';
		i++;
	}
	for (; i < n && is_digit((unsigned char)p[i]); i++, digits++)
		v = v * 10 + (p[i] - '0');
	if (i < n && p[i] == '.') {
		for (i++; i < n && is_digit((unsigned char)p[i]); i++) {
			scale /= 10;
			v += (p[i] - '0') * scale;
			digits++;
		}
	}
	if (digits == 0 || i != n || digits > 30)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/* parse_ulong - all-digit span to a number, bounded */
static int
parse_ulong(struct span s, unsigned long *out)
{
	unsigned long v = 0;
	size_t	 i;

	if (s.n == 0 || s.n > 9)
		return -1;
	for (i = 0; i < s.n; i++) {
		if (!is_digit((unsigned char)s.p[i]))
			return -1;
		v = v * 10 + (unsigned long)(s.p[i] - '0');
	}
	*out = v;
	return 0;
}

/* scan_copy_token - bounded copy, unsafe bytes replaced by '_' */
void
scan_copy_token(char *dst, size_t size, const char *src, size_t n,
    int allow_space)
{
	size_t	 i;

	if (size == 0)
		return;
	for (i = 0; i < n && i + 1 < size; i++) {
		int c = (unsigned char)src[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    is_digit(c) || strchr("._:/+-", c) != NULL ||
		    (allow_space && c == ' ');

		dst[i] = ok && c != '\0' ? (char)c : '_';
	}
	dst[i] = '\0';
}

/* scan_symbols_add - append a name to a bounded "A,B" list */
void
scan_symbols_add(char *list, size_t size, const char *name, size_t n)
{
	size_t	 cur = strlen(list), need = n + (cur > 0);

	if (n == 0 || size < 8)
		return;
	if (cur >= 3 && strcmp(list + cur - 3, "...") == 0)
		return;			/* already cut */
	if (cur + need + 4 < size) {
		if (cur > 0)
			list[cur++] = ',';
		scan_copy_token(list + cur, size - cur, name, n, 0);
		return;
	}
	(void)snprintf(list + cur, size - cur, "%s...", cur > 0 ? "," : "");
}

/* spamd_status - "SPAMD/1.1 0 EX_OK"; a non-zero code is an error */
static int
spamd_status(struct span line, struct scan_verdict *v)
{
	struct span code, msg;
	unsigned long c;
	const char *sp;
	char	 text[SPAMD_MSG_MAX];

	if (line.n < 8 || memcmp(line.p, "SPAMD/", 6) != 0 ||
	    !is_digit((unsigned char)line.p[6])) {
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
	if (parse_ulong(code, &c) != 0) {
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
spamd_spam(struct span val, struct scan_verdict *v)
{
	const char *semi = memchr(val.p, ';', val.n), *slash;
	struct span flag, score, thr;

	if (semi == NULL)
		return -1;
	flag = trim((struct span){ val.p, (size_t)(semi - val.p) });
	score.p = semi + 1;
	score.n = val.n - (size_t)(score.p - val.p);
	slash = memchr(score.p, '/', score.n);
	if (slash == NULL)
		return -1;
	thr.p = slash + 1;
	thr.n = score.n - (size_t)(thr.p - score.p);
	score.n = (size_t)(slash - score.p);
	score = trim(score);
	thr = trim(thr);
	if (ieq(flag, "true") || ieq(flag, "yes"))
		v->result = SCAN_SPAM;
	else if (ieq(flag, "false") || ieq(flag, "no"))
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
spamd_headers(struct span in, struct scan_verdict *v, int *has_len,
    unsigned long *clen)
{
	struct span line, name, val;
	const char *colon;
	int	 seen_spam = 0;

	while (line_next(&in, &line)) {
		colon = memchr(line.p, ':', line.n);
		if (colon == NULL) {
			scan_verdict_error(v, "spamd: bad header line");
			return -1;
		}
		name = trim((struct span){ line.p, (size_t)(colon - line.p) });
		val = trim((struct span){ colon + 1,
		    line.n - (size_t)(colon + 1 - line.p) });
		if (ieq(name, "spam")) {
			if (seen_spam++ || spamd_spam(val, v) != 0) {
				scan_verdict_error(v, "spamd: bad Spam header");
				return -1;
			}
		} else if (ieq(name, "content-length")) {
			if (parse_ulong(val, clen) != 0) {
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
spamd_symbols(struct span body, struct scan_verdict *v)
{
	size_t	 i, start = 0;

	body = trim(body);
	for (i = 0; i < body.n; i++) {
		int c = (unsigned char)body.p[i];

		if (!(c == ',' || c == '_' || is_digit(c) ||
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
	struct span in = { buf, len }, line, head;
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
	(void)line_next(&in, &line);
	if (spamd_status(line, v) != 0)
		return -1;
	if (header_end(buf, len, &hlen, &boff) != 0 ||
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
	spamd_symbols((struct span){ buf + boff, len - boff }, v);
	return 0;
}

/* scan_parse_http - status and body of an HTTP/1.x response */
int
scan_parse_http(const char *buf, size_t len, int *status, const char **body,
    size_t *bodylen, char *why, size_t whylen)
{
	struct span in = { buf, len }, line, name, val;
	size_t	 hlen, boff;
	unsigned long code, clen = 0;
	int	 has_len = 0;
	const char *colon;

	if (header_end(buf, len, &hlen, &boff) != 0) {
		(void)snprintf(why, whylen, "%s", len == 0 ? "empty reply" :
		    "truncated reply");
		return -1;
	}
	in.n = hlen;
	(void)line_next(&in, &line);
	if (line.n < 12 || memcmp(line.p, "HTTP/1.", 7) != 0 ||
	    line.p[8] != ' ' || parse_ulong((struct span){ line.p + 9, 3 },
	    &code) != 0 || (line.n > 12 && line.p[12] != ' ')) {
		(void)snprintf(why, whylen, "not an HTTP reply");
		return -1;
	}
	while (line_next(&in, &line)) {
		colon = memchr(line.p, ':', line.n);
		if (colon == NULL) {
			(void)snprintf(why, whylen, "bad HTTP header line");
			return -1;
		}
		name = trim((struct span){ line.p, (size_t)(colon - line.p) });
		val = trim((struct span){ colon + 1,
		    line.n - (size_t)(colon + 1 - line.p) });
		if (ieq(name, "transfer-encoding") && !ieq(val, "identity")) {
			(void)snprintf(why, whylen, "chunked reply refused");
			return -1;
		}
		if (ieq(name, "content-length")) {
			if (parse_ulong(val, &clen) != 0) {
				(void)snprintf(why, whylen,
				    "bad Content-Length");
				return -1;
			}
			has_len = 1;
		}
	}
	if (has_len && len - boff != clen) {
		(void)snprintf(why, whylen, "%s", len - boff < clen ?
		    "truncated reply" : "data after the reply");
		return -1;
	}
	*status = (int)code;
	*body = buf + boff;
	*bodylen = len - boff;
	return 0;
}

/* rspamd_fields - score, required_score, action, symbols */
static int
rspamd_fields(json_t *root, struct scan_verdict *v)
{
	json_t	*score = json_object_get(root, "score");
	json_t	*req = json_object_get(root, "required_score");
	json_t	*act = json_object_get(root, "action");
	json_t	*syms = json_object_get(root, "symbols"), *val;
	const char *key, *a;

	if (!json_is_number(score) || !json_is_string(act) ||
	    (req != NULL && !json_is_number(req)) ||
	    (syms != NULL && !json_is_object(syms))) {
		scan_verdict_error(v, "rspamd: reply lacks score or action");
		return -1;
	}
	v->has_score = 1;
	v->score = json_number_value(score);
	v->threshold = req != NULL ? json_number_value(req) : 0;
	a = json_string_value(act);
	scan_copy_token(v->action, sizeof(v->action), a, strlen(a), 1);
	v->result = strcmp(a, "no action") == 0 ||
	    strcmp(a, "greylist") == 0 ? SCAN_CLEAN : SCAN_SPAM;
	json_object_foreach(syms, key, val) {
		scan_symbols_add(v->symbols, sizeof(v->symbols), key,
		    strlen(key));
	}
	return 0;
}

/* scan_parse_rspamd - the JSON body of a /checkv2 reply */
int
scan_parse_rspamd(const char *buf, size_t len, struct scan_verdict *v)
{
	json_error_t jerr;
	json_t	*root, *err;
	char	 text[SPAMD_MSG_MAX];
	int	 r = -1;

	scan_verdict_init(v);
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		scan_verdict_error(v, "rspamd: bad JSON at byte %d",
		    jerr.position);
		return -1;
	}
	err = json_object_get(root, "error");
	if (!json_is_object(root))
		scan_verdict_error(v, "rspamd: reply is not an object");
	else if (err != NULL) {
		const char *e = json_is_string(err) ? json_string_value(err) :
		    "?";

		scan_copy_token(text, sizeof(text), e, strlen(e), 1);
		scan_verdict_error(v, "rspamd: %s", text);
	} else
		r = rspamd_fields(root, v);
	json_decref(root);
	return r;
}

/* scan_parse_rspamd_http - an HTTP reply carrying a /checkv2 verdict */
int
scan_parse_rspamd_http(const char *buf, size_t len, struct scan_verdict *v)
{
	const char *body;
	size_t	 blen;
	int	 status;
	char	 why[SCAN_WHY_MAX - 16];

	scan_verdict_init(v);
	if (scan_parse_http(buf, len, &status, &body, &blen, why,
	    sizeof(why)) != 0) {
		scan_verdict_error(v, "rspamd: %s", why);
		return -1;
	}
	if (status == 200)
		return scan_parse_rspamd(body, blen, v);
	/* an error status may carry {"error": "..."}: keep its text */
	if (scan_parse_rspamd(body, blen, v) == 0 ||
	    strncmp(v->why, "rspamd: bad JSON", 16) == 0 ||
	    strncmp(v->why, "rspamd: reply", 13) == 0)
		scan_verdict_error(v, "rspamd: HTTP status %d", status);
	return -1;
}

/* clamd_line - "stream: OK", "stream: NAME FOUND", "... ERROR" */
static int
clamd_line(struct span line, struct scan_verdict *v)
{
	static const char pfx[] = "stream: ";
	char	 text[SPAMD_MSG_MAX];
	size_t	 i = 0;

	if (line.n >= 6 && memcmp(line.p + line.n - 6, " ERROR", 6) == 0) {
		scan_copy_token(text, sizeof(text), line.p, line.n - 6, 1);
		scan_verdict_error(v, "clamd: %s", text);
		return -1;
	}
	while (i < line.n && is_digit((unsigned char)line.p[i]))
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
	    !is_space((unsigned char)line.p[0])) {
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
	struct span line;

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
