/*
 * NAME
 *	cfg 3h
 * SUMMARY
 *	the gatepost configuration: JSON text to an immutable snapshot
 * SYNOPSIS
 *	#include "cfg.h"
 * DESCRIPTION
 *	cfg_parse() turns the JSON text of a version 1 configuration
 *	(DESIGN.md, gatepost.json(5)) into a struct cfg.  Every problem is
 *	reported into errs as "FILE:LINE:COL: PATH: message", e.g.
 *	"gatepost.json:14:27: instances[1].spoofing.header_from: unknown
 *	action "rejct" (expected reject, tempfail, hold, tag, accept)";
 *	one pass reports as many errors as it can.  On any error the
 *	result is NULL.  Unknown and duplicate keys are errors.  Warnings
 *	(valid but probably unintended settings) go to errs->warn and do
 *	not fail the load.  Files named in the config (send_as.file) are
 *	read through the reader callback, relative to basedir, so parsing
 *	stays free of I/O; cfg_load() supplies a reader over the file
 *	system (file.c) and derives basedir from the path.
 *
 *	Message details: FILE is name as given ("<config>" when NULL).
 *	LINE and COL are 1-based and point at the first byte of the value
 *	(of the key, for an unknown key; of the enclosing object, for a
 *	missing key); COL counts bytes.  PATH is the JSON path of the
 *	value (jpos(3h): "internal_domains[0]", "send_as.logins.alice[1]",
 *	"logins[\"a@b\"]"); messages about the top-level object have
 *	no PATH part.  JSON syntax errors and duplicate keys come from
 *	jansson as "FILE:LINE:COL: text", the column recounted in bytes
 *	from jansson's offset (it points at the end of the offending
 *	token).  Messages in a send_as.file are named by that file as
 *	seen from the directory of name (dirname(name)/file, the path
 *	cfg_load() reads) with paths from its own root.  Errors and
 *	warnings are each sorted by file, line and column, exact repeats
 *	dropped, and appended to errs, which may be NULL; free them with
 *	cfg_errors_free().  Warnings are only reported when there is no
 *	error, as a value that failed to parse leaves a default behind
 *	that may warn falsely.  cfg_load() reports a file it cannot read
 *	as "cannot read PATH: reason", without a position.
 *
 *	cfg_key_count() and cfg_key_doc() list every key the loader knows,
 *	from the one table that drives loading, defaults and unknown-key
 *	errors (lib/cfg/cfg_keys.c): its path ("instances[].spam.max_size",
 *	"[]" marking list elements), type, accepted values, default (JSON
 *	text; NULL for none) and a line of documentation.
 *
 *	cfg_load_report() is cfg_load() for the programs: it hands each
 *	error, then each warning, to the caller's sink (stderr for
 *	gatepostctl and -t, the log for the daemons), adds "PATH: cannot
 *	load configuration" when a load failed without an error line, and
 *	frees the lists.  The library itself never prints or logs.
 *
 *	Normal forms: domains and addresses are lower case; send_as
 *	logins keep their spelling but are sorted and merged ignoring
 *	case (the same login in logins and the file, or twice, gets the
 *	union of its lists, first spelling kept); address and domain lists drop
 *	repeats.  Every default listed in gatepost.json(5) is filled in,
 *	also for blocks that are absent (their "set" field says so).
 *
 *	The snapshot is immutable once returned and carries a reference
 *	count starting at 1: cfg_retain() adds a reference, cfg_release()
 *	drops one and frees on the last.  Both are thread safe (C11
 *	atomics), so a daemon can publish a new snapshot under a mutex
 *	while connections keep the one they started with.  No jansson
 *	value outlives cfg_parse().  cfg_retain(NULL) and
 *	cfg_release(NULL) do nothing.
 *
 *	cfg_instance_find() chooses the instance for a face as DESIGN.md
 *	"Instance identification" says: the first instance whose match.name
 *	equals name (case-insensitively), else the first whose
 *	match.address lists addr:port; NULL when none fits.  name and addr
 *	may be NULL or empty (an empty name matches nothing).  An instance
 *	with no "match" object is matched by its "name" (match_name is a
 *	copy); one with a "match" object only by what that object lists.
 *	Pure, no allocation.
 *
 *	cfg_milter_enforces_envelope() is true on a milter-only site (no
 *	policyd section): the milter then enforces the envelope rules too.
 *
 *	cfg_instance_counts() is true when one of the instance's rate
 *	limits counts n (CFG_RL_RECIPIENTS: the limit needs the policy
 *	service at DATA, where the recipient count is known).  Pure.
 *
 *	cfg_event() is the "config" event of docs/events.md as malloc'ed
 *	JSON: the hash of cur (cfg->hash, SHA-256 of the file's bytes),
 *	and with old (a reload; NULL at start) old's hash, the instances
 *	added, removed and changed (matched by name) and the key paths
 *	whose values differ ("instances[inbound].limits.recipients"; at
 *	most 50, then keys_truncated).  Pure.
 *
 *	cfg_event_open() opens cfg's event log (log.format, log.file) and
 *	writes its config event (old: the config it replaces, NULL at
 *	start); -1 (logged) when log.file cannot be opened, the previous
 *	event log staying in use.  For the daemons, at start and reload.
 *
 *	cfg_act_name(), cfg_dir_name() and cfg_mode_name() return the
 *	configuration spelling of a value (static strings; "none" for
 *	CFG_ACT_NONE, "unknown" for values out of range).
 * SEE ALSO
 *	gatepost.json(5), rule(3h)
 */
#ifndef GP_CFG_H
#define GP_CFG_H

#include <stdatomic.h>
#include <stddef.h>
#include <time.h>

#include "cidr.h"

enum cfg_act {				/* rule actions */
	CFG_ACT_NONE = 0,		/* key absent: rule off */
	CFG_ACT_ACCEPT,
	CFG_ACT_REJECT,
	CFG_ACT_TEMPFAIL,		/* "defer" is a synonym */
	CFG_ACT_HOLD,
	CFG_ACT_TAG,
	CFG_ACT_DEFER			/* rate limits only: 450 4.7.1 */
};

#define CFG_MILTER_TIMEOUT	600	/* s: above milter_content_timeout */
#define CFG_REQUEST_TIMEOUT	60	/* s: one policy request, whole */
#define CFG_MAX_CONNECTIONS	1000	/* >= 10 smtpd services of 100 */

enum cfg_oversize {			/* scanner: a message over max_size */
	CFG_OVERSIZE_TRUNCATE = 0,	/* spam default: scan a prefix */
	CFG_OVERSIZE_TAG,		/* spam: a header says unscanned */
	CFG_OVERSIZE_ACCEPT,		/* pass unscanned (counted) */
	CFG_OVERSIZE_REJECT		/* 552 5.3.4; virus default */
};

enum cfg_dir {
	CFG_DIR_INBOUND = 0,
	CFG_DIR_OUTBOUND,
	CFG_DIR_INTERNAL,
	CFG_DIR_LOCAL
};

enum cfg_mode { CFG_MODE_ENFORCE = 0, CFG_MODE_MONITOR };
enum cfg_auth { CFG_AUTH_OPTIONAL = 0, CFG_AUTH_FORBID, CFG_AUTH_REQUIRE };
enum cfg_rcpts { CFG_RCPTS_ANY = 0, CFG_RCPTS_INTERNAL, CFG_RCPTS_EXTERNAL };
enum cfg_rlkey { CFG_RL_SASL = 0, CFG_RL_CLIENT, CFG_RL_SENDER };
enum cfg_rlcount { CFG_RL_MESSAGES = 0, CFG_RL_RECIPIENTS };
enum cfg_engine { CFG_ENG_SPAMD = 0, CFG_ENG_RSPAMD, CFG_ENG_CLAMD };
#define CFG_TLS_CA_FILE	"/etc/ssl/certs/ca-certificates.crt" /* Debian's */

enum cfg_log_format { CFG_LOG_TEXT = 0, CFG_LOG_JSON };
enum cfg_tls_level { CFG_TLS_UNSET = 0, CFG_TLS_MAY, CFG_TLS_ENCRYPT };
enum cfg_tls_proto {			/* tls.min_protocol, in order */
	CFG_TLSP_UNSET = 0, CFG_TLSP_1_0, CFG_TLSP_1_1, CFG_TLSP_1_2,
	CFG_TLSP_1_3
};

struct cfg_strv {			/* a list of owned strings */
	char	**v;			/* owned */
	size_t	 n;
};

struct cfg_nets {			/* a list of prefixes */
	struct cidr *v;			/* owned */
	size_t	 n;
};

struct cfg_endpoint {			/* match.address entry */
	struct ipaddr addr;
	unsigned port;
};

struct cfg_login {			/* one send_as login */
	char	*login;			/* owned, as written */
	struct cfg_strv addrs;		/* "a@d", "@d" or "*"; lower case */
};

struct cfg_header {
	char	*name;			/* owned */
	char	*value;			/* owned */
};

struct cfg_scan {			/* spam or virus block */
	int	 set;			/* block present */
	enum cfg_engine engine;
	char	*server;		/* owned: "HOST:PORT" or "unix:/path" */
	unsigned timeout_ms;		/* default 10000 */
	size_t	 max_size;		/* bytes; default 1 MiB spam, 25 virus */
	double	 tag_score;		/* spam only */
	int	 has_hold_score;
	double	 hold_score;
	int	 has_reject_score;
	double	 reject_score;
	enum cfg_act action;		/* virus only: reject (default), hold */
	enum cfg_act on_error;		/* tempfail (default) or accept */
	enum cfg_oversize oversize;	/* over max_size: spam truncate,
					 * virus reject (defaults) */
};

#define CFG_RL_MAX	16		/* rate limits per instance */

struct cfg_ratelimit {
	enum cfg_rlkey key;
	unsigned long limit;		/* per window */
	unsigned window;		/* seconds */
	enum cfg_rlcount count;
	enum cfg_act action;		/* DEFER, HOLD or REJECT */
	unsigned ipv4_prefix;		/* bits, client_address; default 32 */
	unsigned ipv6_prefix;		/* bits, client_address; default 64 */
};

#define CFG_DISCLAIMERS_MAX	32	/* entries of one disclaimer list */

struct cfg_hdrtest {			/* a header field test */
	char	*name;			/* owned */
	char	*value;		/* owned; NULL: the field is present */
};

struct cfg_disclaimer {			/* one disclaimer entry */
	char	*text;			/* owned, may be NULL */
	char	*html;			/* owned, may be NULL */
	size_t	 max_size;		/* bytes, default 10 MiB */
	int	 top;		/* position: 0 bottom (default), 1 top */
	int	 replies_skip;	/* replies: 0 always (default), 1 skip */
	int	 fallback;	/* 0 pass (default), 1 wrap, 2 reject */
	struct cfg_strv senders;	/* match: "a@d", "@d", "@.d", lower */
	struct cfg_strv logins;		/* match: SASL logins */
	struct cfg_strv rcpt_domains;	/* match: recipient domains */
	int	 external;	/* match: a recipient outside internal_domains */
	struct cfg_strv skip_senders;	/* "a@d", "@d", "@.d", lower */
	struct cfg_hdrtest *skip_hdr;	/* owned */
	size_t	 n_skip_hdr;
};
#define CFG_HDR_SENDER		0x1	/* spoofing.check_headers */
#define CFG_HDR_RESENT_FROM	0x2

struct cfg_instance {
	char	*name;			/* owned */
	enum cfg_dir dir;
	enum cfg_mode mode;
	char	*match_name;		/* owned, may be NULL */
	struct cfg_endpoint *match_addr;	/* owned */
	size_t	 n_match_addr;
	int	 has_allow;		/* clients.allow present */
	struct cfg_nets allow;
	struct cfg_nets deny;
	enum cfg_auth auth;
	enum cfg_rcpts recipients;
	struct {
		enum cfg_act envelope_from;
		enum cfg_act header_from;
		enum cfg_act display_name;
		enum cfg_act malformed_from;	/* default reject when
						 * header_from is set */
		struct cfg_nets exc_clients;
		struct cfg_strv exc_senders;	/* "a@d" or "@d", lower */
		struct cfg_strv protected_names;
		unsigned check_headers;		/* CFG_HDR_* besides From */
	} spoof;
	struct {
		int	 set;			/* send_as block present */
		struct cfg_login *logins;	/* owned, logins + file; sorted,
					 * unique ignoring case */
		size_t	 n_logins;
		char	*file;			/* owned, resolved path */
		enum cfg_act envelope_from;	/* default reject */
		enum cfg_act header_from;	/* NONE when absent */
		int	 null_sender;		/* default 1 */
	} send_as;
	struct cfg_scan spam;
	struct cfg_scan virus;
	struct cfg_header *hdr_add;	/* owned */
	size_t	 n_hdr_add;
	struct cfg_strv hdr_remove;	/* names, "X-Foo-*" prefix form */
	char	*archive_bcc;		/* owned, may be NULL */
	struct {
		int	 set;
		struct cfg_disclaimer *v;	/* owned: entries, in order */
		size_t	 n;			/* 1..CFG_DISCLAIMERS_MAX */
		size_t	 max_size;	/* bytes: the largest entry's */
	} disclaimer;
	struct cfg_ratelimit *rl;	/* owned */
	size_t	 n_rl;
	size_t	 rate_key_budget;	/* keys; 0 = a share of max_rate_keys */
	char	*syslog_name;		/* owned: default "postfix-NAME" */
	struct {			/* per-face limits; 0 = not set */
		size_t	 message_size;	/* bytes (smtpd + own cleanup) */
		unsigned recipients;	/* per message */
		unsigned messages_per_session; /* MAIL commands a session */
		unsigned connections;	/* concurrent, per client */
		unsigned connection_rate; /* per client per anvil unit */
		unsigned command_timeout; /* seconds (smtpd_timeout) */
		unsigned greeting_timeout; /* seconds (smtp_helo_timeout
					 * of the transport carrying this
					 * face's mail on) */
	} limits;
	struct {			/* this face's TLS; unset = main.cf */
		enum cfg_tls_level level; /* smtpd_tls_security_level */
		enum cfg_tls_proto min_protocol;
		char	*cert_file;	/* owned, may be NULL */
		char	*key_file;	/* owned, NULL iff cert_file is */
	} tls;
};

enum cfg_store_type { CFG_STORE_MEMORY = 0, CFG_STORE_REDIS };
enum cfg_store_err { CFG_STORE_LOCAL = 0, CFG_STORE_TEMPFAIL,
	CFG_STORE_ACCEPT };

struct cfg_store {
	enum cfg_store_type type;	/* default memory */
	char	*server;		/* owned: "HOST:PORT", "unix:/path" */
	struct cfg_strv sentinels;	/* "HOST:PORT" of Redis Sentinels */
	char	*master;		/* owned: the Sentinel master name */
	char	*user;			/* owned, may be NULL: ACL user */
	char	*password_file;		/* owned, may be NULL: resolved */
	unsigned database;		/* default 0 */
	char	*prefix;		/* owned: default "gatepost:" */
	unsigned timeout_ms;		/* per call, default 100 */
	enum cfg_store_err on_error;	/* default local */
	double	 local_share;		/* (0, 1], default 0.5 */
};

struct cfg_policyd {
	int	 set;			/* section present */
	char	*listen;		/* owned, may be NULL */
	char	*metrics;		/* owned, may be NULL */
	int	 socket_mode;		/* -1 unset */
	char	*socket_group;		/* owned, may be NULL */
	size_t	 max_request;		/* bytes, default 65536 */
	unsigned max_attrs;		/* attributes, default 128 */
	unsigned idle_timeout;		/* seconds, default 600 */
	size_t	 max_rate_keys;		/* default 100000 */
	unsigned request_timeout;	/* seconds from a request's first
					 * byte, default 60 */
	unsigned max_connections;	/* open at once, default 1000 */
	struct cfg_store store;
	char	*control;		/* owned, may be NULL: unix socket */
	int	 control_mode;		/* -1 unset (0600) */
	char	*control_group;		/* owned, may be NULL */
};

struct cfg_milter {
	int	 set;
	char	*socket;		/* owned, may be NULL */
	char	*metrics;		/* owned, may be NULL */
	int	 socket_mode;		/* -1 unset */
	char	*socket_group;		/* owned, may be NULL */
	unsigned timeout;		/* seconds per read (smfi_settimeout),
					 * default 600 */
	unsigned max_connections;	/* negotiated at once, default 1000 */
};

struct cfg {
	atomic_uint refs;
	char	*path;			/* owned: file it came from */
	struct cfg_strv internal_domains; /* lower case, ".d" = subdomains */
	struct cfg_instance *inst;	/* owned */
	size_t	 n_inst;
	enum cfg_act unknown_instance;	/* TEMPFAIL (default) or REJECT */
	struct cfg_policyd policyd;
	struct cfg_milter milter;
	struct {			/* the event log (docs/events.md) */
		enum cfg_log_format format; /* text (default) or json */
		char	*file;		/* owned: events file; NULL = log */
	} log;
	char	*hash;			/* owned: SHA-256 of the file, hex */
	char	*text;			/* owned: the file's text (NUL
					 * terminated), for the reload diff */
	struct {			/* top-level tls block */
		struct cfg_strv partners; /* domains: verified TLS only */
		char	*ca_file;	/* owned: CAs that verify them */
	} tls;
};

struct cfg_errors {
	struct cfg_strv err;		/* formatted errors */
	struct cfg_strv warn;		/* formatted warnings */
};

/* reads a whole file; returns malloc'ed text or NULL with reason */
typedef char *cfg_reader_fn(const char *path, size_t *len, char *why,
    size_t whylen);

struct cfg *cfg_parse(const char *text, size_t len, const char *name,
    const char *basedir, cfg_reader_fn *reader, struct cfg_errors *errs);
struct cfg *cfg_load(const char *path, struct cfg_errors *errs);

struct cfg_keydoc {			/* one key of the table, in words */
	const char *path;		/* "instances[].spam.max_size" */
	const char *type;		/* "integer", "one of", ... */
	const char *values;		/* enum spellings or forms, or NULL */
	const char *def;		/* default as JSON text, or NULL */
	const char *doc;		/* one line */
	int	 required;
};

size_t	cfg_key_count(void);
int	cfg_key_doc(size_t, struct cfg_keydoc *);

enum cfg_report_kind { CFG_REPORT_ERROR, CFG_REPORT_WARNING };
/* a program's sink for one formatted error or warning line */
typedef void cfg_report_fn(void *ctx, enum cfg_report_kind, const char *);
struct cfg *cfg_load_report(const char *path, cfg_report_fn *, void *ctx);
struct cfg *cfg_retain(struct cfg *);
void	cfg_release(struct cfg *);
void	cfg_store_defaults(struct cfg_store *);
void	cfg_store_free(struct cfg_store *);
void	cfg_errors_free(struct cfg_errors *);

const struct cfg_instance *cfg_instance_find(const struct cfg *,
    const char *name, const struct ipaddr *addr, unsigned port);
int	cfg_milter_enforces_envelope(const struct cfg *);
int	cfg_instance_counts(const struct cfg_instance *, enum cfg_rlcount);

const char *cfg_act_name(enum cfg_act);
const char *cfg_dir_name(enum cfg_dir);
const char *cfg_mode_name(enum cfg_mode);
const char *cfg_tls_level_name(enum cfg_tls_level);
char	*cfg_event(const struct cfg *old, const struct cfg *cur, time_t now,
	    const char *daemon);
int	cfg_event_open(const struct cfg *old, const struct cfg *cfg);
const char *cfg_tls_proto_name(enum cfg_tls_proto);

#endif
