/*
 * NAME
 *	pd_proto 3h
 * SUMMARY
 *	Postfix SMTP access policy delegation protocol: request parser and
 *	reply encoder
 * SYNOPSIS
 *	#include "pd_proto.h"
 * DESCRIPTION
 *	A request is a series of "name=value" lines ending with an empty
 *	line (SMTPD_POLICY_README); a reply is "action=TEXT" and an empty
 *	line.  Postfix keeps the connection open and sends many requests
 *	on it, one at a time.
 *
 *	struct pd_parser is an incremental parser with a bounded buffer
 *	owned by one connection.  The caller either copies bytes in with
 *	pd_parser_feed(), or reads straight into pd_parser_space() and
 *	reports the count with pd_parser_fill().  pd_parser_next() then
 *	returns PD_NEED_MORE, PD_REQUEST (req filled) or an error.  The
 *	buffer starts small and grows (doubling) up to max_request bytes,
 *	so steady-state parsing allocates nothing.  A request's values
 *	stay valid until the next call to pd_parser_next(),
 *	pd_parser_feed() or pd_parser_space().  Bytes that follow a
 *	complete request are kept for the next one.
 *
 *	Every attribute Postfix 3.7 sends (and compatibility_level and
 *	mail_version from 3.8) is decoded into req->v[PD_A_*]; unknown
 *	attributes are counted and ignored; when an attribute repeats, the
 *	last value wins and req->n_repeat counts it.  A trailing CR is
 *	removed from a line, so a request can be typed with telnet.
 *
 *	Errors (each leaves the parser unusable; close the connection):
 *	PD_ERR_SYNTAX, a line without "=" or with an empty name or a NUL
 *	byte; PD_ERR_TOO_LONG, a request longer than max_request;
 *	PD_ERR_TOO_MANY, more than max_attrs attributes.  pd_parser_error()
 *	describes the error for a log line.
 *
 *	pd_reply() writes "action=TEXT\n\n" into a caller's buffer, with
 *	control characters in TEXT replaced by spaces, and returns its
 *	length (truncating TEXT when the buffer is short).
 *
 *	pd_attr_name() returns the protocol name of an attribute.
 *	Everything here is pure and owns no global state.
 * SEE ALSO
 *	SMTPD_POLICY_README (Postfix), pd_server(3h), pd_decide(3h)
 */
#ifndef GP_PD_PROTO_H
#define GP_PD_PROTO_H

#include <stddef.h>

enum pd_attr {				/* attributes decoded by name */
	PD_A_REQUEST = 0,
	PD_A_PROTOCOL_STATE,
	PD_A_PROTOCOL_NAME,
	PD_A_HELO_NAME,
	PD_A_QUEUE_ID,
	PD_A_SENDER,
	PD_A_RECIPIENT,
	PD_A_RECIPIENT_COUNT,
	PD_A_CLIENT_ADDRESS,
	PD_A_CLIENT_NAME,
	PD_A_REVERSE_CLIENT_NAME,
	PD_A_CLIENT_PORT,
	PD_A_SERVER_ADDRESS,
	PD_A_SERVER_PORT,
	PD_A_INSTANCE,
	PD_A_SASL_METHOD,
	PD_A_SASL_USERNAME,
	PD_A_SASL_SENDER,
	PD_A_SIZE,
	PD_A_CCERT_SUBJECT,
	PD_A_CCERT_ISSUER,
	PD_A_CCERT_FINGERPRINT,
	PD_A_CCERT_PUBKEY_FINGERPRINT,
	PD_A_ENCRYPTION_PROTOCOL,
	PD_A_ENCRYPTION_CIPHER,
	PD_A_ENCRYPTION_KEYSIZE,
	PD_A_ETRN_DOMAIN,
	PD_A_STRESS,
	PD_A_POLICY_CONTEXT,
	PD_A_COMPATIBILITY_LEVEL,	/* Postfix 3.8 and later */
	PD_A_MAIL_VERSION,		/* Postfix 3.8 and later */
	PD_A__COUNT
};

enum pd_status {
	PD_NEED_MORE = 0,		/* no complete request yet */
	PD_REQUEST,			/* req is filled in */
	PD_ERR_SYNTAX,			/* line without '=', NUL byte */
	PD_ERR_TOO_LONG,		/* request over max_request */
	PD_ERR_TOO_MANY			/* more than max_attrs attributes */
};

#define PD_BUF_INITIAL	2048		/* bytes: a typical request is 800 */
#define PD_REPLY_MAX	600		/* bytes: enough for any reply */

struct pd_request {
	const char *v[PD_A__COUNT];	/* borrowed from parser; "" absent */
	unsigned char present[PD_A__COUNT]; /* 1 when sent */
	unsigned n_attrs;		/* attribute lines */
	unsigned n_unknown;		/* of which unknown names */
	unsigned n_repeat;		/* known names sent again */
};

struct pd_parser {
	char	*buf;			/* owned; grows up to max_request */
	size_t	 cap;			/* bytes allocated */
	size_t	 len;			/* bytes held */
	size_t	 scan;			/* next line starts here */
	size_t	 done;			/* bytes of the last request, consumed
					 * at the next call */
	size_t	 max_request;		/* bytes per request */
	unsigned max_attrs;		/* attributes per request */
	unsigned n_attrs;		/* attributes of the request so far */
	unsigned err_line;		/* line of the error, 1-based */
	enum pd_status err;		/* sticky error, or PD_NEED_MORE */
	unsigned lines;			/* lines of the request so far */
	unsigned off[PD_A__COUNT];	/* value offsets; 0 = absent */
	struct pd_request req;		/* being assembled */
};

void	pd_parser_init(struct pd_parser *, size_t max_request,
	    unsigned max_attrs);
void	pd_parser_free(struct pd_parser *);
void	pd_parser_reset(struct pd_parser *);
size_t	pd_parser_feed(struct pd_parser *, const char *, size_t);
char	*pd_parser_space(struct pd_parser *, size_t *);
void	pd_parser_fill(struct pd_parser *, size_t);
enum pd_status pd_parser_next(struct pd_parser *, struct pd_request *);
int	pd_parser_pending(const struct pd_parser *);
const char *pd_parser_error(const struct pd_parser *);

size_t	pd_reply(char *, size_t, const char *);
const char *pd_attr_name(enum pd_attr);

#endif
