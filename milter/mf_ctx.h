/*
 * NAME
 *	mf_ctx 3h
 * SUMMARY
 *	gatepost-milter's per-connection and per-message state, and the
 *	content plug-in contract
 * SYNOPSIS
 *	#include "mf_ctx.h"
 * DESCRIPTION
 *	struct mf_conn lives from negotiation to close: the config
 *	snapshot it pinned, the instance its {daemon_name} /
 *	{daemon_addr}:{daemon_port} chose, the negotiated protocol flags,
 *	the client facts, and a connection-level refusal that could not
 *	be answered yet.  struct mf_msg is one transaction, from MAIL to
 *	end of message or abort: queue ID, envelope facts, the parsed
 *	header From, the header fields to remove, the verdict, what the
 *	content plug-ins keep.  Both hold copies only, never libmilter
 *	pointers.  libmilter runs the callbacks of one connection one at
 *	a time, in one thread at a time, so neither struct needs a lock.
 *
 *	mf_conn_new() consumes a cfg reference; mf_conn_free() frees the
 *	message, drops the reference and the live count.  mf_conn_live()
 *	is the number of connections alive.  mf_msg_begin() starts a
 *	transaction (ending any previous one); mf_msg_reset() alone frees
 *	per-message state and is called from envfrom, abort and close.
 *	mf_msg_busy() counts transactions between MAIL and their end (end
 *	of message, abort, close; mf_msg_done()): the drain at shutdown
 *	waits for it to reach 0 after mf_drain() has made negotiation
 *	refuse new connections (mf_draining()).  mf_msg_qid() copies
 *	the "i" macro until Postfix has assigned a queue ID; mf_qid() is
 *	that ID, or "NOQUEUE" before, as log lines want it.
 *
 *	mf_msg_header() records one header field: its bytes, the From
 *	field for hdrfrom(3h), the fields hygiene(3h) removes (with the
 *	per-name index smfi_chgheader() wants), and the raw copy or stream
 *	for the plug-ins.  mf_msg_body() does the same for a body chunk.
 *	Both return 0, or -1 on an internal error.
 *
 * CONTENT PLUG-INS (scanners, disclaimers)
 *	A plug-in is a struct mf_hook listed in the NULL-terminated
 *	mf_hooks[] (milter/mf_hooks.c, a file of its own so a unit test
 *	can link its own table), in the order the end-of-message pipeline
 *	runs them: scanners first, then the disclaimer (at most
 *	MF_HOOK_MAX).  For each message:
 *
 *	start(c, m, &state) is called once, at the first header field (or
 *	at end of headers when there is none), when the instance and the
 *	envelope are known (m->facts; m->facts.size is the SIZE= the
 *	client announced, 0 if none).  It returns 1 to take part in this
 *	message (it may set state, which it owns), 0 to sit it out, -1 on
 *	an internal error (the message is then answered 451 4.3.0).  A
 *	plug-in that needs the message calls mf_msg_want_raw(m, max) from
 *	start(): the milter then keeps the whole message in m->raw, header
 *	fields as "Name: value" lines and an empty line, then the body, all
 *	with CRLF line ends, up to the largest max asked for; beyond that
 *	m->raw_over is set and the copy stops (the plug-in treats the
 *	message as too large: counted, passed unchanged).  Another plug-in
 *	may have asked for more, so each compares m->raw_len with its own
 *	limit.  Nothing is buffered unless some plug-in asks.  A plug-in
 *	that can work on the start of a larger message (the spam scanner's
 *	oversize truncate) also calls mf_msg_want_prefix(m, max): past
 *	raw_max (m->raw_over set) m->raw then keeps the whole header block
 *	and the first max body bytes (the largest max asked; a header
 *	block longer than max and MF_PREFIX_HDR is cut there and no body
 *	follows), and
 *	mf_msg_prefix_len(m, max) is the length of m->raw's header plus
 *	max body bytes, for one plug-in's own max.
 *
 *	data(c, m, state, bytes, n), if not NULL, receives the same bytes
 *	as they arrive (to stream them to a scanner) instead of or besides
 *	the buffer.  It returns 0, or -1 on an internal error.  Once the
 *	message is already refused, data stops being called.
 *
 *	eom(ctx, c, m, state) runs at end of message after the header
 *	rules, only when the message has not been refused.  It may:
 *	record a decision with mf_msg_hit() (a struct rule_hit from
 *	rule_hit_make(), e.g. RULE_SPAM with the configured action, copied;
 *	its reason need only live until the call returns, its dsn and text
 *	are rule_hit_make()'s static strings; the milter logs it, counts
 *	it, applies monitor mode and replies); add
 *	header fields with mf_msg_add_header() (they are added after the
 *	removals, so a scanner's own X-Spam-* survive the hygiene); change
 *	one with mf_msg_chg_header() (smfi_chgheader(name, 1, value) after
 *	the removals: the first field of that name gets the value, or the
 *	field is added when there is none; value folded with bare LFs, as
 *	libmilter wants; the disclaimer relabels Content-Type this way); set
 *	m->new_body / m->new_body_len (malloc'ed, handed over: the milter
 *	frees it) to replace the body; call mf_progress(ctx) during long
 *	work.  It must not call the other mf_smfi functions itself.  It
 *	returns 0, or -1 on an internal error (451 4.3.0).  A scanner's
 *	on_error policy is the plug-in's business: with on_error accept it
 *	returns 0 without a hit.  The pipeline stops at the first enforced
 *	refusal.
 *
 *	fini(state) is called once for every start() that returned 1,
 *	whatever happened to the message (mf_msg_reset()).
 *
 *	The end-of-message pipeline (mf_eom(3h)) is: pending refusals and
 *	header rules -> plug-ins (scanners, then disclaimer) -> header
 *	changes (removals, headers.add, tag headers, plug-in headers) ->
 *	body replacement -> archive copy -> hold -> metrics.
 * SEE ALSO
 *	mf_eom(3h), mf_decide(3h), rule(3h), hdrfrom(3h), hygiene(3h)
 */
#ifndef GP_MF_CTX_H
#define GP_MF_CTX_H

#include <stddef.h>

#include "cfg.h"
#include "dcrule.h"
#include "decide.h"
#include "facts.h"
#include "hygiene.h"
#include "mf_smfi.h"
#include "rule.h"

#define MF_QID_MAX	32		/* bytes of a queue ID */
#define MF_HOOK_MAX	8		/* plug-ins */
#define MF_HDR_MAX	1000		/* fields removed or added per message */

struct mf_conn;
struct mf_msg;

struct mf_hook {
	const char *name;		/* for logs: "spamd", "disclaimer" */
	int	(*start)(struct mf_conn *, struct mf_msg *, void **);
	int	(*data)(struct mf_conn *, struct mf_msg *, void *,
		    const unsigned char *, size_t);
	int	(*eom)(SMFICTX *, struct mf_conn *, struct mf_msg *, void *);
	void	(*fini)(void *);
};

#define MF_RCPTS_KEEP	50	/* recipients kept for a scanner */

struct mf_hdr {				/* a header field to remove or add */
	char	*name;			/* owned */
	char	*value;			/* owned; NULL when removing */
	int	 idx;			/* removal: 1-based among same name */
	enum hygiene_why why;		/* removal: why */
};

struct mf_msg {
	char	 qid[MF_QID_MAX];	/* "" until Postfix assigned it */
	struct facts facts;		/* connection facts + envelope; from */
	struct hdr_from from;		/* header From, parsed as it arrives */
	struct hdr_from other;		/* spoofing.check_headers fields */
	unsigned n_rcpt;		/* recipients accepted */
	char	**rcpts;		/* owned: the first MF_RCPTS_KEEP of
					 * them, kept only for a scanner that
					 * wants the envelope (rspamd) */
	size_t	 n_rcpts;
	unsigned rcpt_refused;		/* recipients refused by us */
	int	 rcpt_refused_perm;	/* one of them with a 5xx */
	int	 archive_present;	/* archive.bcc already a recipient */
	size_t	 bytes;			/* header + body bytes seen */
	struct verdict verdict;		/* header rules and plug-in hits */
	int	 eoh_done;		/* header rules evaluated */
	int	 has_pending;		/* refusal decided, not yet answered */
	struct rule_hit pending;
	int	 held;			/* enforced hold: quarantine at EOM */
	struct rule_hit hold;
	unsigned tags;			/* bit per rule_id tagged */
	struct decide_memo memo;	/* rule hits logged and counted */
	int	 counted;		/* gatepost_messages_total done */
	int	 busy;			/* counted in mf_msg_busy() */
	struct mf_hdr *del;		/* owned: fields to remove */
	size_t	 n_del;
	struct mf_hdr *add;		/* owned: plug-in fields to add */
	size_t	 n_add;
	struct mf_hdr *chg;		/* owned: plug-in fields to change */
	size_t	 n_chg;
	int	 started;		/* plug-ins asked (start) */
	unsigned hook_on;		/* bit per plug-in taking part */
	void	*hook_state[MF_HOOK_MAX]; /* owned by each plug-in */
	unsigned char *raw;		/* owned: message copy, CRLF */
	size_t	 raw_len;		/* bytes */
	size_t	 raw_cap;		/* bytes allocated */
	size_t	 raw_max;		/* bytes wanted; 0 = no copy */
	int	 raw_over;		/* message larger than raw_max */
	int	 in_body;		/* end of header written to raw */
	struct dcrule_env dcenv;	/* recipients, for disclaimer entries */
	size_t	 raw_prefix;		/* body bytes of the prefix kept past
					 * raw_max; 0 = none */
	size_t	 raw_hdr;		/* bytes of the header block in raw */
	int	 raw_hdr_whole;		/* raw holds the whole header block */
	unsigned char *new_body;	/* owned: replacement body, or NULL */
	size_t	 new_body_len;		/* bytes */
	const char *outcome;		/* static: gatepost_messages_total's
					 * action; NULL until decided */
	struct mf_scan_rec {		/* scanner verdicts, for the event */
		const char *engine;	/* static */
		const char *result;	/* static */
		char	 score[24];
	} scans[2];
	size_t	 n_scans;
	const char *disclaimer;		/* static result name, or NULL */
};

struct mf_conn {
	struct cfg *cfg;		/* owned reference, pinned */
	const struct cfg_instance *inst; /* borrowed from cfg; NULL: none */
	int	 have_bcc;		/* bcc parsed from archive.bcc */
	struct mailaddr bcc;
	int	 connected;		/* connect seen */
	int	 envelope;		/* milter enforces envelope rules */
	unsigned long pflags;		/* negotiated SMFIP_* flags */
	struct facts facts;		/* client facts (template per msg) */
	int	 has_pending;		/* connection refusal not answered */
	struct rule_hit pending;
	struct decide_memo memo;	/* rule hits logged and counted */
	unsigned n_msgs;		/* messages that reached end of data
					 * in this session */
	struct mf_msg *msg;		/* owned: current transaction */
};

#define MF_PREFIX_HDR	(256 * 1024)	/* header bytes a prefix may keep */

extern const struct mf_hook *const mf_hooks[];

struct mf_conn *mf_conn_new(struct cfg *, unsigned long);
void	mf_conn_free(struct mf_conn *);
size_t	mf_conn_live(void);
size_t	mf_conn_admit(size_t, int *, long *);
void	mf_drain(void);
int	mf_draining(void);
size_t	mf_msg_busy(void);
void	mf_msg_done(struct mf_msg *);
struct mf_msg *mf_msg_begin(struct mf_conn *);
void	mf_msg_reset(struct mf_conn *);
void	mf_msg_qid(SMFICTX *, struct mf_msg *);
const char *mf_qid(const struct mf_msg *);
int	mf_msg_header(struct mf_conn *, struct mf_msg *, const char *,
	    const char *);
int	mf_msg_eoh(struct mf_conn *, struct mf_msg *);
int	mf_msg_body(struct mf_conn *, struct mf_msg *, const unsigned char *,
	    size_t);
int	mf_msg_wants_body(const struct mf_conn *, const struct mf_msg *);
void	mf_msg_want_raw(struct mf_msg *, size_t);
void	mf_msg_want_prefix(struct mf_msg *, size_t);
size_t	mf_msg_prefix_len(const struct mf_msg *, size_t);
int	mf_msg_add_header(struct mf_msg *, const char *, const char *);
int	mf_msg_chg_header(struct mf_msg *, const char *, const char *);
void	mf_msg_hit(struct mf_conn *, struct mf_msg *, const struct rule_hit *);

#endif
