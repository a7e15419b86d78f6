/*
 * cfg_keys.c - every configuration key, once: its place, type, field,
 * default and one line of documentation (cfg_int(3h) "key table").
 *
 * Adding a key is one line here (in the order it is best documented)
 * plus its field in cfg.h and its use; gatepost.json(5) documents it
 * (tests/cli/t_config_keys checks that the man page names every key).
 */
#include "config.h"

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "cfg_int.h"

#define ROOT	struct cfg
#define INST	struct cfg_instance
#define RL	struct cfg_ratelimit
#define HDR	struct cfg_header
#define DCE	struct cfg_disclaimer
#define HT	struct cfg_hdrtest
#define DC	"instances[].disclaimer[]"

/* the field a key fills, and its size */
#define F(S, fld)	.off = offsetof(S, fld), .size = sizeof(((S *)0)->fld)
#define NOF		.off = CFG_NOOFF
#define NOHAS		.has = CFG_NOOFF
#define HAS(S, fld)	.has = offsetof(S, fld)

/* a numeric macro as its JSON text */
#define STR(x)		#x
#define XSTR(x)		STR(x)

#define ACTIONS		.en = &cfg_enum_act
#define MIB_1		"1048576"

const struct cfg_key cfg_keys[] = {
	/* the top level */
	{ "version", CFG_K_CUSTOM, CFG_KF_REQUIRED, NOF, NOHAS,
	    .walk = cfg_w_version, .tname = "integer",
	    .doc = "format version: 1" },
	{ "internal_domains", CFG_K_DOMAINS, 0, F(ROOT, internal_domains),
	    NOHAS,
	    .doc = "our domains; \".example.com\" means its subdomains" },
	{ "unknown_instance", CFG_K_ENUM, 0, F(ROOT, unknown_instance),
	    .en = &cfg_enum_unknown, NOHAS, .def = "\"tempfail\"",
	    .doc = "answer to a face no instance matches (451 4.3.5 or "
	    "550)" },

	{ "policyd", CFG_K_BLOCK, 0, NOF, HAS(ROOT, policyd.set),
	    .doc = "gatepost-policyd; present = it enforces envelope rules" },
	{ "policyd.listen", CFG_K_CHECKED, 0, F(ROOT, policyd.listen), NOHAS,
	    .ok = cfg_ok_listen, .what = "listen address",
	    .expect = "unix:/path or inet:HOST:PORT",
	    .doc = "policy socket (-l wins)" },
	{ "policyd.metrics", CFG_K_CHECKED, 0, F(ROOT, policyd.metrics),
	    NOHAS, .ok = cfg_ok_hostport, .what = "metrics address",
	    .expect = "HOST:PORT", .doc = "Prometheus /metrics address" },
	{ "policyd.socket_mode", CFG_K_MODE, 0, F(ROOT, policyd.socket_mode),
	    NOHAS, .doc = "mode of a unix policy socket, e.g. \"0660\"" },
	{ "policyd.socket_group", CFG_K_STR, 0,
	    F(ROOT, policyd.socket_group), NOHAS,
	    .doc = "group of a unix policy socket" },
	{ "policyd.max_request", CFG_K_UINT, 0, F(ROOT, policyd.max_request),
	    .max = SIZE_MAX, NOHAS, .def = "65536",
	    .doc = "bytes of one policy request" },
	{ "policyd.max_attrs", CFG_K_UINT, 0, F(ROOT, policyd.max_attrs),
	    .max = UINT_MAX, NOHAS, .def = "128",
	    .doc = "attributes of one policy request" },
	{ "policyd.idle_timeout", CFG_K_UINT, 0,
	    F(ROOT, policyd.idle_timeout), .max = UINT_MAX, NOHAS,
	    .def = "600", .doc = "seconds an idle policy connection stays" },
	{ "policyd.max_rate_keys", CFG_K_UINT, 0,
	    F(ROOT, policyd.max_rate_keys), .max = SIZE_MAX, NOHAS,
	    .def = "100000", .doc = "keys the rate-limit store holds" },
	{ "policyd.request_timeout", CFG_K_UINT, 0,
	    F(ROOT, policyd.request_timeout), .max = INT_MAX, NOHAS,
	    .def = XSTR(CFG_REQUEST_TIMEOUT), .doc = "seconds for one policy request, from its "
	    "first byte (not reset by each read)" },
	{ "policyd.max_connections", CFG_K_UINT, 0,
	    F(ROOT, policyd.max_connections), .max = INT_MAX, NOHAS,
	    .def = XSTR(CFG_MAX_CONNECTIONS), .doc = "policy connections open at once; more "
	    "are closed at once" },

	{ "policyd.store", CFG_K_CUSTOM, 0, NOF, NOHAS, .walk = cfg_w_store,
	    .tname = "object", .doc = "where rate limits are counted: this "
	    "process (memory) or Redis, shared by several gateways" },
	{ "policyd.store.type", CFG_K_ENUM, CFG_KF_COMPUTED, NOF, NOHAS,
	    .en = &cfg_enum_store_type, .def = "\"memory\"",
	    .doc = "memory or redis" },
	{ "policyd.store.server", CFG_K_STR, 0, NOF, NOHAS,
	    .doc = "Redis at HOST:PORT or unix:/path" },
	{ "policyd.store.sentinel", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .tname = "object", .doc = "instead of server: {\"servers\": "
	    "[\"HOST:PORT\", ...], \"master\": NAME}" },
	{ "policyd.store.sentinel.servers", CFG_K_STRS, 0, NOF, NOHAS,
	    .doc = "1 to 8 sentinels, HOST:PORT" },
	{ "policyd.store.sentinel.master", CFG_K_STR, 0, NOF, NOHAS,
	    .doc = "the master's name the sentinels know" },
	{ "policyd.store.user", CFG_K_STR, 0, NOF, NOHAS,
	    .doc = "Redis ACL user" },
	{ "policyd.store.password_file", CFG_K_STR, 0, NOF, NOHAS,
	    .doc = "file whose first line is the password" },
	{ "policyd.store.database", CFG_K_UINT, CFG_KF_COMPUTED, NOF, NOHAS,
	    .def = "0", .doc = "Redis database, 0 to 15" },
	{ "policyd.store.prefix", CFG_K_STR, CFG_KF_COMPUTED, NOF, NOHAS,
	    .def = "\"gatepost:\"", .doc = "every key starts with it" },
	{ "policyd.store.timeout_ms", CFG_K_UINT, CFG_KF_COMPUTED, NOF,
	    NOHAS, .def = "100", .doc = "milliseconds for one store call" },
	{ "policyd.store.on_error", CFG_K_ENUM, CFG_KF_COMPUTED, NOF, NOHAS,
	    .en = &cfg_enum_store_on_error, .def = "\"local\"",
	    .doc = "store down: local, tempfail or accept" },
	{ "policyd.store.local_share", CFG_K_NUM, CFG_KF_COMPUTED, NOF,
	    NOHAS, .def = "0.5",
	    .doc = "local counting: each limit scaled by this" },
	{ "policyd.control", CFG_K_CHECKED, 0, F(ROOT, policyd.control),
	    NOHAS, .ok = cfg_ok_unix_path, .what = "control socket",
	    .expect = "an absolute path or unix:/path",
	    .doc = "control socket for gatepostctl (ratelimit, ...)" },
	{ "policyd.control_mode", CFG_K_MODE, 0,
	    F(ROOT, policyd.control_mode), NOHAS,
	    .doc = "mode of the control socket (default \"0600\")" },
	{ "policyd.control_group", CFG_K_STR, 0,
	    F(ROOT, policyd.control_group), NOHAS,
	    .doc = "group of the control socket" },

	{ "milter", CFG_K_BLOCK, 0, NOF, HAS(ROOT, milter.set),
	    .doc = "gatepost-milter" },
	{ "milter.socket", CFG_K_CHECKED, 0, F(ROOT, milter.socket), NOHAS,
	    .ok = cfg_ok_msocket, .what = "milter socket",
	    .expect = "unix:/path, local:/path, inet:PORT@HOST or "
	    "inet6:PORT@HOST", .doc = "milter socket (-s wins)" },
	{ "milter.metrics", CFG_K_CHECKED, 0, F(ROOT, milter.metrics), NOHAS,
	    .ok = cfg_ok_hostport, .what = "metrics address",
	    .expect = "HOST:PORT", .doc = "Prometheus /metrics address" },
	{ "milter.socket_mode", CFG_K_MODE, 0, F(ROOT, milter.socket_mode),
	    NOHAS, .doc = "mode of a unix milter socket, e.g. \"0660\"" },
	{ "milter.socket_group", CFG_K_STR, 0, F(ROOT, milter.socket_group),
	    NOHAS, .doc = "group of a unix milter socket" },
	{ "milter.timeout", CFG_K_UINT, 0, F(ROOT, milter.timeout),
	    .max = INT_MAX, NOHAS, .def = XSTR(CFG_MILTER_TIMEOUT),
	    .doc = "seconds libmilter waits for each read (smfi_settimeout)" },
	{ "milter.max_connections", CFG_K_UINT, 0,
	    F(ROOT, milter.max_connections), .max = INT_MAX, NOHAS,
	    .def = XSTR(CFG_MAX_CONNECTIONS), .doc = "milter connections at once; more are "
	    "refused at negotiation" },

	{ "log", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .doc = "the structured event log (docs/events.md)" },
	{ "log.format", CFG_K_ENUM, 0, F(ROOT, log.format),
	    .en = &cfg_enum_log_format, NOHAS, .def = "\"text\"",
	    .doc = "text decision lines, or JSON events" },
	{ "log.file", CFG_K_STR, 0, F(ROOT, log.file), NOHAS,
	    .doc = "JSON events appended here (absent: the daemon's log)" },

	{ "tls", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .doc = "TLS of the mail the gateway sends" },
	{ "tls.partners", CFG_K_DOMAINS, 0, F(ROOT, tls.partners), NOHAS,
	    .doc = "domains reached over verified TLS only (gatepost-out)" },
	{ "tls.ca_file", CFG_K_STR, CFG_KF_COMPUTED, F(ROOT, tls.ca_file),
	    NOHAS,
	    .def = "\"/etc/ssl/certs/ca-certificates.crt\"",
	    .doc = "CA certificates that verify the partners" },

	{ "instances[]", CFG_K_CUSTOM, CFG_KF_REQUIRED, NOF, NOHAS,
	    .walk = cfg_w_instances, .tname = "array of objects",
	    .doc = "the faces, at least one; the first that matches wins" },

	/* one instance (a face) */
	{ "instances[].name", CFG_K_CUSTOM, CFG_KF_REQUIRED, NOF, NOHAS,
	    .walk = cfg_w_inst_name, .tname = "string",
	    .doc = "the face's name (letters, digits, . _ -)" },
	{ "instances[].direction", CFG_K_ENUM, CFG_KF_REQUIRED,
	    F(INST, dir), .en = &cfg_enum_dir, NOHAS,
	    .doc = "inbound, outbound, internal or local" },
	{ "instances[].mode", CFG_K_ENUM, 0, F(INST, mode),
	    .en = &cfg_enum_mode, NOHAS, .def = "\"enforce\"",
	    .doc = "monitor: decide and log, refuse nothing" },
	{ "instances[].match", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .walk = cfg_c_match,
	    .doc = "how the face is recognised (absent: by name)" },
	{ "instances[].match.name", CFG_K_STR, 0, F(INST, match_name), NOHAS,
	    .doc = "{daemon_name} / policy_context of the face" },
	{ "instances[].match.address", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_match_address, .tname = "array of strings",
	    .doc = "\"IPv4:port\" or \"[IPv6]:port\" the face listens on" },
	{ "instances[].clients", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .walk = cfg_c_clients, .doc = "client networks" },
	{ "instances[].clients.allow", CFG_K_NETS, 0, F(INST, allow),
	    HAS(INST, has_allow),
	    .doc = "only these networks (absent: any client)" },
	{ "instances[].clients.deny", CFG_K_NETS, 0, F(INST, deny), NOHAS,
	    .doc = "never these networks; wins over allow" },
	{ "instances[].auth", CFG_K_ENUM, 0, F(INST, auth),
	    .en = &cfg_enum_auth, NOHAS, .def = "\"optional\"",
	    .doc = "forbid, require or optional SASL AUTH" },
	{ "instances[].recipients", CFG_K_ENUM, 0, F(INST, recipients),
	    .en = &cfg_enum_rcpts, NOHAS, .def = "\"any\"",
	    .doc = "internal, external or any recipient domains" },

	{ "instances[].spoofing", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .walk = cfg_c_spoofing, .doc = "internal-domain spoofing rules" },
	{ "instances[].spoofing.envelope_from", CFG_K_ENUM, 0,
	    F(INST, spoof.envelope_from), ACTIONS, NOHAS,
	    .doc = "envelope sender in an internal domain" },
	{ "instances[].spoofing.header_from", CFG_K_ENUM, 0,
	    F(INST, spoof.header_from), ACTIONS, NOHAS,
	    .doc = "header From in an internal domain" },
	{ "instances[].spoofing.display_name", CFG_K_ENUM, 0,
	    F(INST, spoof.display_name), ACTIONS, NOHAS,
	    .doc = "display name that names an internal address or a "
	    "protected name" },
	{ "instances[].spoofing.malformed_from", CFG_K_ENUM, CFG_KF_COMPUTED,
	    F(INST, spoof.malformed_from), ACTIONS, NOHAS,
	    .def = "\"reject\"", .doc = "a header From that does not parse "
	    "with certainty and names no internal domain (default reject "
	    "where header_from is set, else off)" },
	{ "instances[].spoofing.check_headers", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_spoof_check_headers, .tname = "array of strings",
	    .doc = "header fields the header rules read besides From: "
	    "\"Sender\", \"Resent-From\"" },
	{ "instances[].spoofing.exceptions", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .doc = "messages exempt from every spoofing rule" },
	{ "instances[].spoofing.exceptions.clients", CFG_K_NETS, 0,
	    F(INST, spoof.exc_clients), NOHAS, .doc = "client networks" },
	{ "instances[].spoofing.exceptions.senders", CFG_K_ADDRS, 0,
	    F(INST, spoof.exc_senders), .forms = CFG_ADDR_FULL |
	    CFG_ADDR_DOMAIN, NOHAS,
	    .doc = "envelope senders, \"a@d\" or \"@d\"" },
	{ "instances[].spoofing.protected_names", CFG_K_STRS, 0,
	    F(INST, spoof.protected_names), NOHAS,
	    .doc = "display names an outside From may not use" },

	{ "instances[].send_as", CFG_K_BLOCK, 0, NOF,
	    HAS(INST, send_as.set), .walk = cfg_c_send_as,
	    .doc = "which addresses a SASL login may send as" },
	{ "instances[].send_as.logins", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_logins, .tname = "object of address lists",
	    .doc = "login -> [\"a@d\", \"@d\", \"*\"]" },
	{ "instances[].send_as.file", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_send_as_file, .tname = "path",
	    .doc = "JSON file with more logins, re-read on reload" },
	{ "instances[].send_as.envelope_from", CFG_K_ENUM, 0,
	    F(INST, send_as.envelope_from), ACTIONS, NOHAS,
	    .def = "\"reject\"", .doc = "envelope sender not the login's" },
	{ "instances[].send_as.header_from", CFG_K_ENUM, 0,
	    F(INST, send_as.header_from), ACTIONS, NOHAS,
	    .doc = "header From not the login's" },
	{ "instances[].send_as.null_sender", CFG_K_BOOL, 0,
	    F(INST, send_as.null_sender), NOHAS, .def = "true",
	    .doc = "authenticated clients may send with <>" },

	{ "instances[].spam", CFG_K_BLOCK, 0, NOF, HAS(INST, spam.set),
	    .walk = cfg_c_spam, .doc = "spam scanning" },
	{ "instances[].spam.engine", CFG_K_ENUM, CFG_KF_REQUIRED,
	    F(INST, spam.engine), .en = &cfg_enum_spam_engine, NOHAS,
	    .def = "\"spamd\"", .doc = "spamd or rspamd" },
	{ "instances[].spam.server", CFG_K_CHECKED, CFG_KF_REQUIRED,
	    F(INST, spam.server), .ok = cfg_ok_server, .what = "server",
	    .expect = "IP:PORT, localhost:PORT or unix:/path", NOHAS,
	    .doc = "the scanner" },
	{ "instances[].spam.timeout_ms", CFG_K_UINT, 0,
	    F(INST, spam.timeout_ms), .max = UINT_MAX, NOHAS,
	    .def = "10000", .doc = "milliseconds for one scan" },
	{ "instances[].spam.max_size", CFG_K_UINT, 0, F(INST, spam.max_size),
	    .max = SIZE_MAX, NOHAS, .def = MIB_1,
	    .doc = "bytes scanned at most" },
	{ "instances[].spam.tag_score", CFG_K_NUM, CFG_KF_REQUIRED,
	    F(INST, spam.tag_score), NOHAS,
	    .doc = "score from which the message is tagged" },
	{ "instances[].spam.hold_score", CFG_K_NUM, 0,
	    F(INST, spam.hold_score), HAS(INST, spam.has_hold_score),
	    .doc = "score from which it is held" },
	{ "instances[].spam.reject_score", CFG_K_NUM, 0,
	    F(INST, spam.reject_score), HAS(INST, spam.has_reject_score),
	    .doc = "score from which it is refused" },
	{ "instances[].spam.on_error", CFG_K_ENUM, 0, F(INST, spam.on_error),
	    .en = &cfg_enum_on_error, NOHAS, .def = "\"tempfail\"",
	    .doc = "scanner down or slow: tempfail or accept" },
	{ "instances[].spam.oversize", CFG_K_ENUM, 0, F(INST, spam.oversize),
	    .en = &cfg_enum_spam_oversize, NOHAS, .def = "\"truncate\"",
	    .doc = "over max_size: scan the start, tag, accept or reject" },

	{ "instances[].virus", CFG_K_BLOCK, 0, NOF, HAS(INST, virus.set),
	    .doc = "virus scanning" },
	{ "instances[].virus.engine", CFG_K_ENUM, 0, F(INST, virus.engine),
	    .en = &cfg_enum_virus_engine, NOHAS, .def = "\"clamd\"",
	    .doc = "clamd" },
	{ "instances[].virus.server", CFG_K_CHECKED, CFG_KF_REQUIRED,
	    F(INST, virus.server), .ok = cfg_ok_server, .what = "server",
	    .expect = "IP:PORT, localhost:PORT or unix:/path", NOHAS,
	    .doc = "the scanner" },
	{ "instances[].virus.timeout_ms", CFG_K_UINT, 0,
	    F(INST, virus.timeout_ms), .max = UINT_MAX, NOHAS,
	    .def = "10000", .doc = "milliseconds for one scan" },
	{ "instances[].virus.max_size", CFG_K_UINT, 0,
	    F(INST, virus.max_size), .max = SIZE_MAX, NOHAS,
	    .def = "26214400", .doc = "bytes scanned at most" },
	{ "instances[].virus.action", CFG_K_ENUM, 0, F(INST, virus.action),
	    .en = &cfg_enum_virus_act, NOHAS, .def = "\"reject\"",
	    .doc = "a virus found: reject or hold" },
	{ "instances[].virus.on_error", CFG_K_ENUM, 0,
	    F(INST, virus.on_error), .en = &cfg_enum_on_error, NOHAS,
	    .def = "\"tempfail\"",
	    .doc = "scanner down or slow: tempfail or accept" },
	{ "instances[].virus.oversize", CFG_K_ENUM, 0,
	    F(INST, virus.oversize), .en = &cfg_enum_virus_oversize, NOHAS,
	    .def = "\"reject\"",
	    .doc = "over max_size: reject (552 5.3.4) or accept" },

	{ "instances[].headers", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .doc = "header fields added and removed" },
	{ "instances[].headers.add[]", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_hdr_add, .tname = "array of objects", .doc = "fields to add, once per message" },
	{ "instances[].headers.add[].name", CFG_K_CHECKED, CFG_KF_REQUIRED,
	    F(HDR, name), .ok = cfg_ok_hdr_name, .what = "header name",
	    .expect = "printable ASCII without \":\"", NOHAS,
	    .doc = "field name" },
	{ "instances[].headers.add[].value", CFG_K_TEXT, CFG_KF_REQUIRED,
	    F(HDR, value), NOHAS, .doc = "field value, one line" },
	{ "instances[].headers.remove", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_hdr_remove, .tname = "array of strings",
	    .doc = "field names, or prefixes ending in \"*\", to remove" },

	{ "instances[].archive", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .doc = "archive copies" },
	{ "instances[].archive.bcc", CFG_K_ADDR, CFG_KF_REQUIRED,
	    F(INST, archive_bcc), .forms = CFG_ADDR_FULL, NOHAS,
	    .doc = "address added as a recipient of every message" },

	{ "instances[].disclaimer[]", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_disclaimer,
	    .tname = "object or array of objects (at most 32)",
	    .doc = "disclaimer entries for outgoing text; the first whose "
	    "match holds applies" },
	{ DC ".text", CFG_K_STR, 0, F(DCE, text), NOHAS,
	    .doc = "for text/plain parts" },
	{ DC ".html", CFG_K_STR, 0, F(DCE, html), NOHAS,
	    .doc = "for text/html parts" },
	{ DC ".max_size", CFG_K_UINT, 0, F(DCE, max_size), .max = SIZE_MAX,
	    NOHAS, .def = "10485760",
	    .doc = "larger messages get the fallback" },
	{ DC ".position", CFG_K_ENUM, 0, F(DCE, top),
	    .en = &cfg_enum_dc_position, NOHAS, .def = "\"bottom\"",
	    .doc = "end of the text, or its start (before a quoted thread)" },
	{ DC ".replies", CFG_K_ENUM, 0, F(DCE, replies_skip),
	    .en = &cfg_enum_dc_replies, NOHAS, .def = "\"always\"",
	    .doc = "skip: no second copy in a reply whose quote has one" },
	{ DC ".fallback", CFG_K_ENUM, 0, F(DCE, fallback),
	    .en = &cfg_enum_dc_fallback, NOHAS, .def = "\"pass\"",
	    .doc = "a message that cannot take one: pass, wrap or reject" },
	{ DC ".match", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .doc = "whom the entry is for; every criterion given must hold" },
	{ DC ".match.senders", CFG_K_ADDRS, 0, F(DCE, senders),
	    .forms = CFG_ADDR_FULL | CFG_ADDR_DOMAIN, NOHAS,
	    .doc = "envelope senders, \"a@d\" or \"@d\"" },
	{ DC ".match.logins", CFG_K_STRS, 0, F(DCE, logins), NOHAS,
	    .doc = "SASL logins" },
	{ DC ".match.recipient_domains", CFG_K_DOMAINS, 0,
	    F(DCE, rcpt_domains), NOHAS, .doc = "recipient domains" },
	{ DC ".match.external_recipients", CFG_K_BOOL, 0, F(DCE, external),
	    NOHAS, .doc = "only messages with a recipient outside "
	    "internal_domains" },
	{ DC ".skip_senders", CFG_K_ADDRS, 0, F(DCE, skip_senders),
	    .forms = CFG_ADDR_FULL | CFG_ADDR_DOMAIN, NOHAS,
	    .doc = "senders that never get it (noreply, system mail)" },
	{ DC ".skip_if_header[]", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_dc_skip_headers, .tname = "array of objects",
	    .doc = "header fields that exempt a message" },
	{ DC ".skip_if_header[].name", CFG_K_CHECKED, CFG_KF_REQUIRED,
	    F(HT, name), .ok = cfg_ok_hdr_name, .what = "header name",
	    .expect = "printable ASCII without \":\"", NOHAS,
	    .doc = "field name" },
	{ DC ".skip_if_header[].value", CFG_K_TEXT, 0, F(HT, value), NOHAS,
	    .doc = "field value (absent: the field's presence)" },

	{ "instances[].rate_limits[]", CFG_K_CUSTOM, 0, NOF, NOHAS,
	    .walk = cfg_w_rate_limits, .tname = "array of objects",
	    .doc = "limits counted by gatepost-policyd" },
	{ "instances[].rate_limits[].key", CFG_K_ENUM, CFG_KF_REQUIRED,
	    F(RL, key), .en = &cfg_enum_rl_key, NOHAS,
	    .doc = "sasl_username, client_address or sender" },
	{ "instances[].rate_limits[].limit", CFG_K_UINT, CFG_KF_REQUIRED,
	    F(RL, limit), .max = ULONG_MAX, NOHAS,
	    .doc = "messages or recipients per window" },
	{ "instances[].rate_limits[].window", CFG_K_UINT, CFG_KF_REQUIRED,
	    F(RL, window), .max = UINT_MAX, NOHAS, .doc = "seconds" },
	{ "instances[].rate_limits[].count", CFG_K_ENUM, 0, F(RL, count),
	    .en = &cfg_enum_rl_count, NOHAS, .def = "\"messages\"",
	    .doc = "messages or recipients" },
	{ "instances[].rate_limits[].action", CFG_K_ENUM, 0, F(RL, action),
	    .en = &cfg_enum_rl_act, NOHAS, .def = "\"defer\"",
	    .doc = "defer (450 4.7.1), hold or reject" },
	{ "instances[].rate_limits[].ipv4_prefix", CFG_K_UINT, 0,
	    F(RL, ipv4_prefix), .max = 32, NOHAS, .def = "32",
	    .doc = "client_address: IPv4 clients counted per /N" },
	{ "instances[].rate_limits[].ipv6_prefix", CFG_K_UINT, 0,
	    F(RL, ipv6_prefix), .max = 128, NOHAS, .def = "64",
	    .doc = "client_address: IPv6 clients counted per /N" },

	{ "instances[].limits", CFG_K_BLOCK, 0, NOF, NOHAS,
	    .doc = "this face's limits, as Postfix settings of its smtpd" },
	{ "instances[].limits.message_size", CFG_K_UINT, 0,
	    F(INST, limits.message_size), .max = SIZE_MAX, NOHAS,
	    .doc = "bytes of one message (552 5.3.4); absent: main.cf's" },
	{ "instances[].limits.recipients", CFG_K_UINT, 0,
	    F(INST, limits.recipients), .max = UINT_MAX, NOHAS,
	    .doc = "recipients of one message (452 4.5.3)" },
	{ "instances[].limits.messages_per_session", CFG_K_UINT, 0,
	    F(INST, limits.messages_per_session), .max = UINT_MAX, NOHAS,
	    .doc = "messages of one SMTP session (421 4.7.0; the milter)" },
	{ "instances[].limits.connections", CFG_K_UINT, 0,
	    F(INST, limits.connections), .max = UINT_MAX, NOHAS,
	    .doc = "concurrent connections of one client (421 4.7.0)" },
	{ "instances[].limits.connection_rate", CFG_K_UINT, 0,
	    F(INST, limits.connection_rate), .max = UINT_MAX, NOHAS,
	    .doc = "connections of one client per anvil_rate_time_unit "
	    "(421 4.7.0)" },
	{ "instances[].limits.command_timeout", CFG_K_UINT, 0,
	    F(INST, limits.command_timeout), .max = 86400, NOHAS,
	    .doc = "seconds the face waits for a client command "
	    "(smtpd_timeout)" },
	{ "instances[].limits.greeting_timeout", CFG_K_UINT, 0,
	    F(INST, limits.greeting_timeout), .max = 86400, NOHAS,
	    .doc = "seconds the next hop of this face's mail may take to "
	    "greet (smtp_helo_timeout)" },

	{ "instances[].tls", CFG_K_BLOCK, 0, NOF, NOHAS, .walk = cfg_c_tls,
	    .doc = "this face's TLS, as settings of its smtpd" },
	{ "instances[].tls.level", CFG_K_ENUM, 0, F(INST, tls.level),
	    .en = &cfg_enum_tls_level, NOHAS,
	    .doc = "STARTTLS offered (may) or required (encrypt)" },
	{ "instances[].tls.min_protocol", CFG_K_ENUM, 0,
	    F(INST, tls.min_protocol), .en = &cfg_enum_tls_proto, NOHAS,
	    .doc = "oldest TLS version the face accepts" },
	{ "instances[].tls.cert_file", CFG_K_STR, 0, F(INST, tls.cert_file),
	    NOHAS, .doc = "the face's certificate chain (PEM); with "
	    "key_file" },
	{ "instances[].tls.key_file", CFG_K_STR, 0, F(INST, tls.key_file),
	    NOHAS, .doc = "its private key (PEM), readable by root only" },

	{ "instances[].rate_key_budget", CFG_K_UINT, 0,
	    F(INST, rate_key_budget), .max = SIZE_MAX, NOHAS,
	    .doc = "keys of this face in the memory store (default: an "
	    "equal share of policyd.max_rate_keys)" },
	{ "instances[].syslog_name", CFG_K_STR, CFG_KF_COMPUTED,
	    F(INST, syslog_name), NOHAS, .def = "\"postfix-NAME\"",
	    .doc = "the face's smtpd syslog_name, for gatepostctl report" },
};

const size_t cfg_nkeys = sizeof(cfg_keys) / sizeof(cfg_keys[0]);

/* type_name - a key's type in words, for cfg_key_doc() */
static const char *
type_name(const struct cfg_key *k)
{
	static const char *const names[] = {
		[CFG_K_BLOCK] = "object", [CFG_K_CUSTOM] = "value",
		[CFG_K_ENUM] = "one of", [CFG_K_UINT] = "integer",
		[CFG_K_NUM] = "number", [CFG_K_BOOL] = "boolean",
		[CFG_K_STR] = "string", [CFG_K_TEXT] = "string",
		[CFG_K_CHECKED] = "string", [CFG_K_MODE] = "octal string",
		[CFG_K_ADDR] = "address", [CFG_K_ADDRS] = "array of addresses",
		[CFG_K_DOMAINS] = "array of domains",
		[CFG_K_NETS] = "array of networks",
		[CFG_K_STRS] = "array of strings"
	};

	if (k->type == CFG_K_CUSTOM && k->tname != NULL)
		return k->tname;
	return names[k->type];
}

/* cfg_key_count - how many keys the table holds */
size_t
cfg_key_count(void)
{
	return cfg_nkeys;
}

/* cfg_key_doc - key i in words; -1 when there is no such key */
int
cfg_key_doc(size_t i, struct cfg_keydoc *d)
{
	const struct cfg_key *k;

	if (i >= cfg_nkeys)
		return -1;
	k = &cfg_keys[i];
	d->path = k->path;
	d->type = type_name(k);
	d->values = k->type == CFG_K_ENUM ? k->en->expect :
	    k->type == CFG_K_CHECKED ? k->expect : NULL;
	d->def = k->def;
	d->doc = k->doc;
	d->required = (k->flags & CFG_KF_REQUIRED) != 0;
	return 0;
}

