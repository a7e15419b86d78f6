/*
 * NAME
 *	facts 3h
 * SUMMARY
 *	what is known about a session and message so far
 * SYNOPSIS
 *	#include "facts.h"
 * DESCRIPTION
 *	struct facts is the rule engine's whole view of the world: the
 *	daemons decode Postfix's policy attributes or milter macros into
 *	it, normalized, and hand it to rule_eval().  It holds copies, never
 *	pointers into protocol buffers, except "from", which is borrowed
 *	from the caller's message context.
 *
 *	facts_init() clears everything.  facts_set_client(),
 *	facts_set_sender() and facts_set_rcpt() parse and normalize their
 *	text argument and return 0, or -1 when it does not parse (the
 *	field is then marked unknown and the raw text is kept for logs).
 *	facts_set_sender() keeps up to FACTS_SENDER_MAX - 1 bytes of the
 *	raw text and sets sender_cut when there was more, so that a
 *	sender that does not parse is never examined through a cut copy.
 *	facts_set_str() copies a bounded, control-character-free string.
 *	All are pure and allocation free.
 * SEE ALSO
 *	rule(3h), addr(3h), cidr(3h), hdrfrom(3h)
 */
#ifndef GP_FACTS_H
#define GP_FACTS_H

#include <stddef.h>

#include "addr.h"
#include "cidr.h"

enum stage {				/* SMTP stages, in order */
	STAGE_CONNECT = 0,
	STAGE_HELO,
	STAGE_MAIL,
	STAGE_RCPT,
	STAGE_DATA,
	STAGE_EOH,			/* header facts known */
	STAGE_EOM
};

#define FACTS_STR_MAX	256		/* bytes of copied strings */
#define HDR_FROM_MAX	16		/* From addresses kept; more makes
					 * the field malformed (hdrfrom.h) */
#define FACTS_SENDER_MAX 1024		/* bytes of the raw envelope sender
					 * kept; more sets sender_cut */

struct hdr_from_addr {
	int	 valid;			/* addr parsed */
	struct mailaddr addr;
	char	 display[FACTS_STR_MAX]; /* decoded display name, UTF-8 */
};

struct hdr_from {			/* the From header field(s) */
	unsigned n_fields;		/* From: fields seen (0 = missing) */
	int	 bad;			/* some field did not parse with
					 * certainty (malformed) */
	size_t	 n;			/* addresses in v */
	struct hdr_from_addr v[HDR_FROM_MAX];
	char	**text;			/* owned: raw and decoded text of
					 * each malformed field, whole */
	size_t	 n_text;		/* strings in text */
};

struct facts {
	int	 have_client;		/* client parsed */
	struct ipaddr client;
	char	 client_addr[FACTS_STR_MAX]; /* as received */
	char	 client_name[FACTS_STR_MAX];
	char	 helo[FACTS_STR_MAX];
	char	 sasl_user[FACTS_STR_MAX]; /* "" = not authenticated */
	int	 have_sender;		/* MAIL FROM seen and parsed */
	int	 sender_cut;		/* raw sender longer than sender_raw:
					 * counts as internal when it does
					 * not parse (fail closed) */
	char	 sender_raw[FACTS_SENDER_MAX];
	struct mailaddr sender;
	int	 have_rcpt;		/* current RCPT parsed */
	char	 rcpt_raw[FACTS_STR_MAX];
	struct mailaddr rcpt;
	unsigned rcpt_count;		/* recipients accepted so far */
	size_t	 size;			/* bytes, 0 = unknown */
	const struct hdr_from *from;	/* borrowed; NULL before EOH */
	const struct hdr_from *other;	/* borrowed: the Sender/Resent-From
					 * fields spoofing.check_headers
					 * names; NULL = none */
};

void	facts_init(struct facts *);
int	facts_set_client(struct facts *, const char *);
int	facts_set_sender(struct facts *, const char *);
int	facts_set_rcpt(struct facts *, const char *);
void	facts_set_str(char *, size_t, const char *);

#endif
