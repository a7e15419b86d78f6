/*
 * NAME
 *	scan_parse 3h
 * SUMMARY
 *	content scanner replies (spamd, rspamd, clamd) to a verdict
 * SYNOPSIS
 *	#include "scan_parse.h"
 * DESCRIPTION
 *	Each parser takes one whole reply, as read from the scanner until
 *	it closed the connection (or sent its terminator), and fills a
 *	struct scan_verdict.  It returns 0 when the reply was understood
 *	(result SCAN_CLEAN, SCAN_SPAM or SCAN_VIRUS), or -1 with result
 *	SCAN_ERROR and a short reason in v->why ("truncated reply",
 *	"spamd: EX_USAGE (64)", ...).  Truncated, oversized and garbage
 *	replies are errors, never a clean verdict: only a reply that
 *	parses completely lets mail through.
 *
 *	scan_parse_spamd() reads a SPAMD/1.x reply to CHECK, SYMBOLS or
 *	REPORT: the response line ("SPAMD/1.1 0 EX_OK"), the headers
 *	("Spam: True ; 1000.0 / 5.0", "Content-length: 55") and, when
 *	there is a body, the comma-separated symbol list (SYMBOLS); a
 *	REPORT body is not kept.  Content-length must match the body.
 *
 *	scan_parse_http() splits an HTTP/1.x response into status code and
 *	body (Content-Length honoured when present; chunked transfer
 *	encoding is refused).  scan_parse_rspamd() reads the JSON body of
 *	a /checkv2 reply: "score", "required_score", "action" and the
 *	names in "symbols"; a reply with "error" is an error.  An rspamd
 *	verdict is SCAN_SPAM when its action is other than "no action"
 *	and "greylist".  scan_parse_rspamd_http() does both steps and
 *	wants status 200.
 *
 *	scan_parse_clamd() reads a reply to a z-prefixed (NUL-terminated)
 *	or n-prefixed (newline-terminated) INSTREAM: "stream: OK",
 *	"stream: NAME FOUND" or "... ERROR" (for example "INSTREAM size
 *	limit exceeded. ERROR").  The terminator must be present.
 *
 *	Numbers are read without the C library's locale.  Symbol lists
 *	are cut at a name boundary to fit SCAN_SYMBOLS_MAX ("..." marks a
 *	cut); virus names and rspamd actions are copied bounded, with
 *	anything outside [A-Za-z0-9._:/+-] (and, for actions, space)
 *	replaced by '_', so they are safe in an SMTP reply, a header and
 *	a log line (scan_text(3h)).  The HTTP and rspamd parsers live in
 *	scan_http.c, the spamd and clamd ones in scan_parse.c.
 *
 *	scan_result_name() names a result for metrics and logs ("clean",
 *	"spam", "virus", "skipped_size", "error").
 *
 *	Everything here is pure and thread safe: no I/O, clock, globals;
 *	jansson values live only inside scan_parse_rspamd().
 * SEE ALSO
 *	scan_text(3h), spamd(1p) and SpamAssassin's PROTOCOL, rspamd's
 *	protocol page *	(/checkv2), clamd(8)
 */
#ifndef GP_SCAN_PARSE_H
#define GP_SCAN_PARSE_H

#include <stddef.h>

#define SCAN_SYMBOLS_MAX	400	/* bytes of the symbol list */
#define SCAN_VIRUS_MAX		128	/* bytes of a virus name */
#define SCAN_ACTION_MAX		32	/* bytes of an rspamd action */
#define SCAN_WHY_MAX		160	/* bytes of an error reason */

enum scan_result {
	SCAN_CLEAN = 0,
	SCAN_SPAM,			/* the engine's own opinion */
	SCAN_VIRUS,
	SCAN_SKIPPED_SIZE,		/* over max_size, not sent */
	SCAN_ERROR			/* down, slow or garbage */
};

struct scan_verdict {
	enum scan_result result;
	int	 has_score;		/* spam engines */
	double	 score;			/* engine's score */
	double	 threshold;		/* engine's own required score */
	char	 action[SCAN_ACTION_MAX]; /* rspamd action, "" otherwise */
	char	 symbols[SCAN_SYMBOLS_MAX]; /* "A,B,C"; "" = none */
	char	 virus[SCAN_VIRUS_MAX];	/* signature name, SCAN_VIRUS */
	char	 why[SCAN_WHY_MAX];	/* SCAN_ERROR reason, for logs */
};

void	scan_verdict_init(struct scan_verdict *);
void	scan_verdict_error(struct scan_verdict *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
const char *scan_result_name(enum scan_result);

int	scan_parse_spamd(const char *, size_t, struct scan_verdict *);
int	scan_parse_http(const char *, size_t, int *status, const char **body,
	    size_t *bodylen, char *why, size_t whylen);
int	scan_parse_rspamd(const char *, size_t, struct scan_verdict *);
int	scan_parse_rspamd_http(const char *, size_t, struct scan_verdict *);
int	scan_parse_clamd(const char *, size_t, struct scan_verdict *);

#endif
