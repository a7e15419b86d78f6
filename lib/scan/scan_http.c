/* scan_http.c - rspamd's HTTP /checkv2 replies to verdicts (pure) */
#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "scan_parse.h"
#include "scan_text.h"

#define ERR_TEXT_MAX	64		/* bytes of an rspamd error kept */

static int http_headers(struct scan_span, unsigned long *, int *, char *,
	    size_t);
static int rspamd_fields(json_t *, struct scan_verdict *);

/* http_headers - Content-Length, and no transfer encoding */
static int
http_headers(struct scan_span in, unsigned long *clen, int *has_len,
    char *why, size_t whylen)
{
	struct scan_span line, name, val;

	while (scan_span_line(&in, &line)) {
		if (scan_span_header(line, &name, &val) != 0) {
			(void)snprintf(why, whylen, "bad HTTP header line");
			return -1;
		}
		if (scan_span_ieq(name, "transfer-encoding") &&
		    !scan_span_ieq(val, "identity")) {
			(void)snprintf(why, whylen, "chunked reply refused");
			return -1;
		}
		if (scan_span_ieq(name, "content-length")) {
			if (scan_span_ulong(val, clen) != 0) {
				(void)snprintf(why, whylen,
				    "bad Content-Length");
				return -1;
			}
			*has_len = 1;
		}
	}
	return 0;
}

/* scan_parse_http - status and body of an HTTP/1.x response */
int
scan_parse_http(const char *buf, size_t len, int *status, const char **body,
    size_t *bodylen, char *why, size_t whylen)
{
	struct scan_span in = { buf, len }, line, code;
	size_t	 hlen, boff;
	unsigned long st, clen = 0;
	int	 has_len = 0;

	if (scan_head_end(buf, len, &hlen, &boff) != 0) {
		(void)snprintf(why, whylen, "%s", len == 0 ? "empty reply" :
		    "truncated reply");
		return -1;
	}
	in.n = hlen;
	if (!scan_span_line(&in, &line))	/* an empty head */
		line = (struct scan_span){ buf, 0 };
	code.p = line.n >= 12 ? line.p + 9 : line.p;
	code.n = 3;
	if (line.n < 12 || memcmp(line.p, "HTTP/1.", 7) != 0 ||
	    line.p[8] != ' ' || scan_span_ulong(code, &st) != 0 ||
	    (line.n > 12 && line.p[12] != ' ')) {
		(void)snprintf(why, whylen, "not an HTTP reply");
		return -1;
	}
	if (http_headers(in, &clen, &has_len, why, whylen) != 0)
		return -1;
	if (has_len && len - boff != clen) {
		(void)snprintf(why, whylen, "%s", len - boff < clen ?
		    "truncated reply" : "data after the reply");
		return -1;
	}
	*status = (int)st;
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
	char	 text[ERR_TEXT_MAX];
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
