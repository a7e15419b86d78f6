/* check_cfg.c - unit tests for lib/cfg*.c, lib/util/jpos.c and lib/util/file.c */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "file.h"
#include "jpos.h"
#include "digest.h"
#include "unit.h"

#define MIB		((size_t)1024 * 1024)

static void cfg_suite(Suite *);
/* SHA-256: FIPS 180-4 vectors; 55 bytes, the padding bound (sha256sum) */
static const struct sha_case {
	const char *in;
	size_t	 len;
	const char *want;
} sha_cases[] = {
	{ "", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56,
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ "0000000000000000000000000000000000000000000000000000000", 55,
	    "9f8ef876f51f5313c91cc3f6b8119af09d8bbdd72098fa149b2780eb3591d6be" },
};

START_TEST(sha256_vectors)
{
	const struct sha_case *t = &sha_cases[_i];
	char	 out[DIGEST_HEX_LEN];

	digest_sha256_hex(t->in, t->len, out);
	ck_assert_msg(strcmp(out, t->want) == 0, "%zu bytes: got %s, want %s",
	    t->len, out, t->want);
}
END_TEST

/* the config event: hash, instances and key paths that changed */
START_TEST(config_event)
{
	static const char a[] = "{\"version\": 1, \"instances\": ["
	    "{\"name\": \"in\", \"direction\": \"inbound\", "
	    "\"recipients\": \"internal\"},"
	    "{\"name\": \"gone\", \"direction\": \"internal\"},"
	    "{\"name\": \"out\", \"direction\": \"outbound\"}]}";
	static const char b[] = "{\"version\": 1, \"instances\": ["
	    "{\"name\": \"out\", \"direction\": \"outbound\", "
	    "\"limits\": {\"recipients\": 5}},"
	    "{\"name\": \"in\", \"direction\": \"inbound\", "
	    "\"recipients\": \"internal\"},"
	    "{\"name\": \"new\", \"direction\": \"internal\"}],"
	    "\"log\": {\"format\": \"json\"}}";
	struct cfg *ca, *cb;
	char	*ev, h[DIGEST_HEX_LEN], want[100];

	ca = cfg_parse(a, strlen(a), "a.json", ".", NULL, NULL);
	cb = cfg_parse(b, strlen(b), "b.json", ".", NULL, NULL);
	ck_assert_ptr_nonnull(ca);
	ck_assert_ptr_nonnull(cb);
	digest_sha256_hex(b, strlen(b), h);
	ck_assert_str_eq(cb->hash, h);
	ev = cfg_event(ca, cb, 0, "gatepost-milter");
	(void)snprintf(want, sizeof(want), "\"hash\":\"sha256:%s\"", h);
	ck_assert_msg(strstr(ev, want) != NULL, "%s", ev);
	ck_assert_msg(strstr(ev, "\"reason\":\"reload\"") != NULL, "%s", ev);
	ck_assert_msg(strstr(ev, "\"instances\":{\"added\":[\"new\"],"
	    "\"removed\":[\"gone\"],\"changed\":[\"out\"]}") != NULL, "%s",
	    ev);
	/* the order of instances alone is no change */
	ck_assert_msg(strstr(ev, "\"keys\":[\"instances[gone]\","
	    "\"instances[out].limits\",\"instances[new]\",\"log\"],"
	    "\"keys_truncated\":false}") != NULL, "%s", ev);
	free(ev);
	ev = cfg_event(NULL, ca, 0, "gatepost-policyd");
	ck_assert_msg(strstr(ev, "\"reason\":\"start\"") != NULL &&
	    strstr(ev, "\"previous_hash\":null") != NULL &&
	    strstr(ev, "\"keys\":[]") != NULL, "%s", ev);
	free(ev);
	cfg_release(ca);
	cfg_release(cb);
}
END_TEST

static char *joined(const struct cfg_strv *);
static char *test_reader(const char *, size_t *, char *, size_t);
static struct cfg *parse_str(const char *, const char *, const char *,
    struct cfg_errors *);

enum golden_kind { BAD, WARN, GOOD };

/* data/cfg/NAME.json and what it must give: NAME.err or NAME.warn */
static const struct golden {
	const char *name;
	enum golden_kind kind;
} goldens[] = {
	{ "bad-action", BAD },
	{ "bad-address", BAD },
	{ "bad-cidr-hostbits", BAD },
	{ "bad-cidr-prefix", BAD },
	{ "bad-direction", BAD },
	{ "bad-domain", BAD },
	{ "bad-duplicate-instance", BAD },
	{ "bad-duplicate-key", BAD },
	{ "bad-instance-required", BAD },
	{ "bad-instances-empty", BAD },
	{ "bad-instances-missing", BAD },
	{ "bad-many", BAD },
	{ "bad-match-address", BAD },
	{ "bad-mode", BAD },
	{ "bad-oversize", BAD },
	{ "bad-limits", BAD },
	{ "bad-rate-limit", BAD },
	{ "bad-rate-limits-many", BAD },
	{ "bad-store", BAD },
	{ "bad-store-share", BAD },
	{ "bad-store-both", BAD },
	{ "bad-store-sentinel", BAD },
	{ "bad-store-sentinels-many", BAD },
	{ "bad-root", BAD },
	{ "bad-sendas-entry", BAD },
	{ "bad-sendas-missing", BAD },
	{ "bad-sendas-syntax", BAD },
	{ "bad-server", BAD },
	{ "bad-socket-mode", BAD },
	{ "bad-socket-mode-long", BAD },
	{ "bad-syntax", BAD },
	{ "bad-syntax-eof", BAD },
	{ "bad-type", BAD },
	{ "bad-unknown-key-nested", BAD },
	{ "bad-unknown-key-top", BAD },
	{ "bad-version-2", BAD },
	{ "bad-version-missing", BAD },
	{ "bad-version-type", BAD },
	{ "warn-auth-optional-sendas", WARN },
	{ "warn-inbound-any", WARN },
	{ "warn-misc", WARN },
	{ "warn-ratelimit-no-policyd", WARN },
	{ "warn-session-no-milter", WARN },
	{ "good-defer", GOOD },
	{ "good-minimal", GOOD },
	{ "good-store", GOOD },
	{ "good-store-sentinel", GOOD },
};

/* joined - messages one per line, each ended by a newline */
static char *
joined(const struct cfg_strv *sv)
{
	size_t	 i, n = 1;
	char	*s;

	for (i = 0; i < sv->n; i++)
		n += strlen(sv->v[i]) + 1;
	s = calloc(1, n);
	ck_assert_ptr_nonnull(s);
	for (i = 0; i < sv->n; i++) {
		strcat(s, sv->v[i]);
		strcat(s, "\n");
	}
	return s;
}

START_TEST(golden_file)
{
	const struct golden *g = &goldens[_i];
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	char	 json[256], ref[256], dir[1024];
	char	*text, *want, *got;
	struct cfg *cfg;
	size_t	 len;

	(void)snprintf(json, sizeof(json), "%s.json", g->name);
	(void)snprintf(dir, sizeof(dir), "%s/tests/data/cfg", unit_top());
	text = unit_data("tests/data/cfg", json);
	len = strlen(text);
	cfg = cfg_parse(text, len, json, dir, file_read, &errs);
	if (g->kind == BAD) {
		ck_assert_msg(cfg == NULL, "%s: loaded, want errors", json);
		(void)snprintf(ref, sizeof(ref), "%s.err", g->name);
		got = joined(&errs.err);
	} else {
		ck_assert_msg(cfg != NULL, "%s: failed: %s", json,
		    errs.err.n > 0 ? errs.err.v[0] : "?");
		(void)snprintf(ref, sizeof(ref), "%s.warn", g->name);
		got = joined(&errs.warn);
	}
	want = g->kind == GOOD ? strdup("") : unit_data("tests/data/cfg", ref);
	ck_assert_msg(strcmp(got, want) == 0, "%s: got\n%swant\n%s", json, got,
	    want);
	if (g->kind == BAD)
		ck_assert_msg(errs.warn.n == 0, "%s: warnings on a failed load",
		    json);
	free(got);
	free(want);
	free(text);
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

/* test_reader - a reader over fixed texts, for send_as.file */
static char *
test_reader(const char *path, size_t *len, char *why, size_t whylen)
{
	static const struct {
		const char *path, *text;
	} files[] = {
		{ "/etc/gp/send-as.json",
		    "{ \"alice\": [\"alice@example.com\","
		    " \"Alice2@Example.com\"], \"carol\": [\"*\"] }" },
		{ "/abs/sa.json", "{ \"dave\": [\"@example.org\"] }" },
		{ "/etc/gp/bad.json", "{\n  \"x\": [\"nobody\"] }" },
	};
	size_t	 i;

	for (i = 0; i < NELEM(files); i++) {
		if (strcmp(path, files[i].path) == 0) {
			*len = strlen(files[i].text);
			return strdup(files[i].text);
		}
	}
	(void)snprintf(why, whylen, "No such file or directory");
	return NULL;
}

/* parse_str - parse a literal config */
static struct cfg *
parse_str(const char *text, const char *name, const char *basedir,
    struct cfg_errors *errs)
{
	return cfg_parse(text, strlen(text), name, basedir, test_reader,
	    errs);
}

/* good - tests/data/cfg/FILE parsed, which must succeed */
static struct cfg *
good(const char *file)
{
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	char	*text = unit_data("tests/data/cfg", file);
	struct cfg *cfg = parse_str(text, file, NULL, &errs);

	ck_assert_ptr_nonnull(cfg);
	free(text);
	cfg_errors_free(&errs);
	return cfg;
}

START_TEST(defaults_filled)
{
	const struct cfg_instance *in;
	struct cfg *cfg;

	cfg = good("good-minimal.json");
	ck_assert_uint_eq(cfg->n_inst, 1);
	in = &cfg->inst[0];
	ck_assert_str_eq(in->name, "outbound");
	ck_assert_str_eq(in->match_name, "outbound");
	ck_assert_str_eq(in->syslog_name, "postfix-outbound");
	ck_assert_int_eq(in->dir, CFG_DIR_OUTBOUND);
	ck_assert_int_eq(in->mode, CFG_MODE_ENFORCE);
	ck_assert_int_eq(in->auth, CFG_AUTH_OPTIONAL);
	ck_assert_int_eq(in->recipients, CFG_RCPTS_ANY);
	ck_assert_int_eq(in->has_allow, 0);
	ck_assert_int_eq(in->spoof.header_from, CFG_ACT_NONE);
	ck_assert_int_eq(in->send_as.set, 0);
	ck_assert_int_eq(in->send_as.envelope_from, CFG_ACT_REJECT);
	ck_assert_int_eq(in->send_as.header_from, CFG_ACT_NONE);
	ck_assert_int_eq(in->send_as.null_sender, 1);
	ck_assert_int_eq(in->disclaimer.set, 0);
	ck_assert_uint_eq(in->disclaimer.max_size, 10 * MIB);
	ck_assert_int_eq(in->spam.set, 0);
	ck_assert_uint_eq(in->spam.timeout_ms, 10000);
	ck_assert_uint_eq(in->spam.max_size, 1 * MIB);
	ck_assert_int_eq(in->spam.on_error, CFG_ACT_TEMPFAIL);
	ck_assert_int_eq(in->spam.oversize, CFG_OVERSIZE_TRUNCATE);
	ck_assert_int_eq(in->virus.oversize, CFG_OVERSIZE_REJECT);
	ck_assert_uint_eq(in->virus.max_size, 25 * MIB);
	ck_assert_int_eq(in->virus.engine, CFG_ENG_CLAMD);
	ck_assert_int_eq(in->virus.action, CFG_ACT_REJECT);
	ck_assert_int_eq(in->virus.on_error, CFG_ACT_TEMPFAIL);
	ck_assert_ptr_null(in->archive_bcc);
	ck_assert_uint_eq(in->n_rl, 0);
	ck_assert_int_eq(cfg->unknown_instance, CFG_ACT_TEMPFAIL);
	ck_assert_int_eq(cfg->policyd.set, 0);
	ck_assert_int_eq(cfg->policyd.socket_mode, -1);
	ck_assert_uint_eq(cfg->policyd.max_request, 65536);
	ck_assert_uint_eq(cfg->policyd.max_attrs, 128);
	ck_assert_uint_eq(cfg->policyd.idle_timeout, 600);
	ck_assert_uint_eq(cfg->policyd.max_rate_keys, 100000);
	ck_assert_uint_eq(cfg->policyd.request_timeout, 60);
	ck_assert_uint_eq(cfg->policyd.max_connections, 1000);
	ck_assert_uint_eq(in->rate_key_budget, 0);
	ck_assert_int_eq(cfg->policyd.store.type, CFG_STORE_MEMORY);
	ck_assert_str_eq(cfg->policyd.store.prefix, "gatepost:");
	ck_assert_uint_eq(cfg->policyd.store.timeout_ms, 100);
	ck_assert_int_eq(cfg->policyd.store.on_error, CFG_STORE_LOCAL);
	ck_assert(cfg->policyd.store.local_share == 0.5);
	ck_assert_uint_eq(cfg->policyd.store.database, 0);
	ck_assert_ptr_null(cfg->policyd.store.server);
	ck_assert_ptr_null(cfg->policyd.control);
	ck_assert_int_eq(cfg->policyd.control_mode, -1);
	ck_assert_int_eq(cfg->milter.set, 0);
	ck_assert_uint_eq(cfg->milter.timeout, 600);
	ck_assert_uint_eq(cfg->milter.max_connections, 1000);
	ck_assert_int_eq(cfg->milter.socket_mode, -1);
	ck_assert_int_eq(cfg_milter_enforces_envelope(cfg), 1);
	ck_assert_str_eq(cfg->path, "good-minimal.json");
	cfg_release(cfg);
}
END_TEST

START_TEST(store_values)
{
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	const struct cfg_store *st;
	struct cfg *cfg;
	char	*text;

	text = unit_data("tests/data/cfg", "good-store.json");
	cfg = parse_str(text, "good-store.json", "/etc/gatepost", &errs);
	ck_assert_ptr_nonnull(cfg);
	st = &cfg->policyd.store;
	ck_assert_int_eq(st->type, CFG_STORE_REDIS);
	ck_assert_str_eq(st->server, "unix:/run/redis/redis.sock");
	ck_assert_str_eq(st->user, "gatepost");
	/* relative to the config's directory */
	ck_assert_str_eq(st->password_file, "/etc/gatepost/redis.secret");
	ck_assert_uint_eq(st->database, 15);
	ck_assert_str_eq(st->prefix, "gw:");
	ck_assert_uint_eq(st->timeout_ms, 60000);
	ck_assert_int_eq(st->on_error, CFG_STORE_TEMPFAIL);
	ck_assert(st->local_share == 1.0);
	ck_assert_str_eq(cfg->policyd.control,
	    "unix:/run/gatepost/control.sock");
	ck_assert_int_eq(cfg->policyd.control_mode, 0660);
	ck_assert_str_eq(cfg->policyd.control_group, "gatepost");
	ck_assert_uint_eq(cfg->inst[0].rate_key_budget, 10);
	/* sixteen limits: the most an instance may have */
	ck_assert_uint_eq(cfg->inst[0].n_rl, CFG_RL_MAX);
	ck_assert_uint_eq(cfg->inst[0].rl[0].ipv4_prefix, 32);
	ck_assert_uint_eq(cfg->inst[0].rl[0].ipv6_prefix, 64);
	free(text);
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

START_TEST(synonyms_accepted)
{
	const struct cfg_instance *in;
	struct cfg *cfg;

	cfg = good("good-defer.json");
	in = &cfg->inst[0];
	ck_assert_int_eq(in->spoof.envelope_from, CFG_ACT_TEMPFAIL);
	ck_assert_int_eq(in->spoof.header_from, CFG_ACT_TEMPFAIL);
	ck_assert_int_eq(in->spoof.display_name, CFG_ACT_HOLD);
	ck_assert_int_eq(in->spam.engine, CFG_ENG_RSPAMD);
	ck_assert_int_eq(in->spam.on_error, CFG_ACT_TEMPFAIL);
	ck_assert(in->spam.tag_score == 6.0);
	ck_assert_int_eq(in->spam.has_hold_score, 1);
	ck_assert(in->spam.hold_score == 10.5);
	ck_assert_int_eq(in->spam.has_reject_score, 0);
	ck_assert_uint_eq(in->n_rl, 3);
	ck_assert_int_eq(in->rl[0].action, CFG_ACT_DEFER);
	ck_assert_int_eq(in->rl[0].key, CFG_RL_CLIENT);
	ck_assert_int_eq(in->rl[1].action, CFG_ACT_DEFER);
	ck_assert_int_eq(in->rl[1].count, CFG_RL_MESSAGES);
	ck_assert_int_eq(in->rl[2].action, CFG_ACT_REJECT);
	ck_assert_uint_eq(in->rl[2].limit, 1000);
	ck_assert_uint_eq(in->rl[2].window, 86400);
	ck_assert_int_eq(cfg->unknown_instance, CFG_ACT_TEMPFAIL);
	ck_assert_int_eq(cfg_milter_enforces_envelope(cfg), 0);
	cfg_release(cfg);
}
END_TEST

START_TEST(v4_mapped_cidrs)
{
	static const char text[] = "{ \"version\": 1, \"instances\": [ {"
	    " \"name\": \"o\", \"direction\": \"outbound\", \"clients\":"
	    " { \"allow\": [\"::ffff:192.0.2.0/120\", \"192.0.2.0/24\"],"
	    " \"deny\": [\"192.0.2.7\"] } } ] }";
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	const struct cfg_instance *in;
	struct ipaddr a;
	struct cfg *cfg;

	cfg = parse_str(text, "t.json", NULL, &errs);
	ck_assert_ptr_nonnull(cfg);
	in = &cfg->inst[0];
	ck_assert_int_eq(in->has_allow, 1);
	ck_assert_uint_eq(in->allow.n, 2);
	ck_assert_uint_eq(in->allow.v[0].plen, 120);
	ck_assert_uint_eq(in->allow.v[1].plen, 120);
	ck_assert_mem_eq(in->allow.v[0].addr.b, in->allow.v[1].addr.b, 16);
	ck_assert_uint_eq(in->deny.v[0].plen, 128);
	ck_assert_int_eq(ipaddr_parse("::ffff:192.0.2.9", &a), 0);
	ck_assert_int_eq(cidr_list_match(in->allow.v, in->allow.n, &a), 1);
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

/* instances for instance_find: by name, by address, IPv6 endpoints */
static const char find_text[] = "{ \"version\": 1, \"instances\": ["
    " { \"name\": \"a\", \"direction\": \"inbound\","
    "   \"recipients\": \"internal\", \"match\": { \"name\": \"Inbound\","
    "   \"address\": [\"192.0.2.10:25\"] } },"
    " { \"name\": \"outbound\", \"direction\": \"outbound\" },"
    " { \"name\": \"third\", \"direction\": \"internal\", \"match\": {"
    "   \"address\": [\"[2001:db8::10]:25\", \"192.0.2.10:587\"] } },"
    " { \"name\": \"d\", \"direction\": \"local\","
    "   \"match\": { \"name\": \"inbound\" } } ],"
    " \"internal_domains\": [\"example.com\"] }";

static const struct find_case {
	const char *label, *name, *addr;
	unsigned port;
	const char *want;		/* instance name, NULL for none */
} find_cases[] = {
	{ "name ignores case, first wins", "INBOUND", NULL, 0, "a" },
	{ "no match object: own name", "outbound", NULL, 0, "outbound" },
	{ "empty name: address", "", "192.0.2.10", 25, "a" },
	{ "NULL name: address", NULL, "192.0.2.10", 587, "third" },
	{ "unknown name: address", "myhost.example", "192.0.2.10", 587,
	    "third" },
	{ "name wins over address", "outbound", "192.0.2.10", 25,
	    "outbound" },
	{ "IPv6 endpoint", "x", "2001:db8::10", 25, "third" },
	{ "v4-mapped endpoint", "", "::ffff:192.0.2.10", 25, "a" },
	{ "port must match", "", "192.0.2.10", 26, NULL },
	{ "address-only match: name not used", "third", NULL, 0, NULL },
	{ "nothing", NULL, NULL, 0, NULL },
};

START_TEST(instance_find)
{
	const struct find_case *fc = &find_cases[_i];
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	const struct cfg_instance *in;
	struct ipaddr a;
	struct cfg *cfg;

	cfg = parse_str(find_text, "t.json", NULL, &errs);
	ck_assert_msg(cfg != NULL, "%s", errs.err.n ? errs.err.v[0] : "");
	if (fc->addr != NULL)
		ck_assert_int_eq(ipaddr_parse(fc->addr, &a), 0);
	in = cfg_instance_find(cfg, fc->name, fc->addr ? &a : NULL, fc->port);
	if (fc->want == NULL)
		ck_assert_msg(in == NULL, "%s: got %s, want none", fc->label,
		    in != NULL ? in->name : "");
	else
		ck_assert_msg(in != NULL && strcmp(in->name, fc->want) == 0,
		    "%s: got %s, want %s", fc->label,
		    in != NULL ? in->name : "none", fc->want);
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

START_TEST(send_as_merge)
{
	static const char text[] = "{ \"version\": 1, \"instances\": [ {"
	    " \"name\": \"o\", \"direction\": \"outbound\", \"auth\":"
	    " \"require\", \"send_as\": { \"logins\": {"
	    " \"Alice\": [\"alice@Example.COM\", \"@Sales.Example.com\"],"
	    " \"bob\": [\"bob@example.com\", \"BOB@example.com\"] },"
	    " \"file\": \"send-as.json\", \"null_sender\": false,"
	    " \"header_from\": \"defer\" } } ] }";
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	const struct cfg_login *l;
	struct cfg *cfg;

	cfg = parse_str(text, "gp.json", "/etc/gp", &errs);
	ck_assert_msg(cfg != NULL, "%s", errs.err.n ? errs.err.v[0] : "");
	ck_assert_str_eq(cfg->inst[0].send_as.file, "/etc/gp/send-as.json");
	ck_assert_int_eq(cfg->inst[0].send_as.null_sender, 0);
	ck_assert_int_eq(cfg->inst[0].send_as.header_from, CFG_ACT_TEMPFAIL);
	ck_assert_uint_eq(cfg->inst[0].send_as.n_logins, 3);
	l = cfg->inst[0].send_as.logins;
	ck_assert_str_eq(l[0].login, "Alice");
	ck_assert_uint_eq(l[0].addrs.n, 3);
	ck_assert_str_eq(l[0].addrs.v[0], "alice@example.com");
	ck_assert_str_eq(l[0].addrs.v[1], "@sales.example.com");
	ck_assert_str_eq(l[0].addrs.v[2], "alice2@example.com");
	ck_assert_str_eq(l[1].login, "bob");
	ck_assert_uint_eq(l[1].addrs.n, 1);
	ck_assert_str_eq(l[2].login, "carol");
	ck_assert_str_eq(l[2].addrs.v[0], "*");
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

START_TEST(send_as_file_paths)
{
	static const char abs_text[] = "{ \"version\": 1, \"instances\": [ {"
	    " \"name\": \"o\", \"direction\": \"outbound\", \"auth\":"
	    " \"require\", \"send_as\": { \"file\": \"/abs/sa.json\" } } ] }";
	static const char bad_text[] = "{ \"version\": 1, \"instances\": [ {"
	    " \"name\": \"o\", \"direction\": \"outbound\", \"auth\":"
	    " \"require\", \"send_as\": { \"file\": \"bad.json\" } } ] }";
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	struct cfg *cfg;

	cfg = parse_str(abs_text, "conf/gp.json", "/etc/gp", &errs);
	ck_assert_ptr_nonnull(cfg);
	ck_assert_str_eq(cfg->inst[0].send_as.file, "/abs/sa.json");
	ck_assert_str_eq(cfg->inst[0].send_as.logins[0].addrs.v[0],
	    "@example.org");
	cfg_release(cfg);
	/* errors in the file are named relative to the main file's name */
	cfg = parse_str(bad_text, "conf/gp.json", "/etc/gp", &errs);
	ck_assert_ptr_null(cfg);
	ck_assert_uint_eq(errs.err.n, 1);
	ck_assert_str_eq(errs.err.v[0], "conf/bad.json:2:9: x[0]: bad "
	    "address \"nobody\": expected local@domain, @domain or *");
	cfg_errors_free(&errs);
}
END_TEST

START_TEST(refcount)
{
	struct cfg *cfg;

	cfg = good("good-minimal.json");
	ck_assert_uint_eq(atomic_load(&cfg->refs), 1);
	ck_assert_ptr_eq(cfg_retain(cfg), cfg);
	ck_assert_uint_eq(atomic_load(&cfg->refs), 2);
	cfg_release(cfg);
	ck_assert_uint_eq(atomic_load(&cfg->refs), 1);
	cfg_release(cfg);		/* freed: ASan reports a leak if not */
	cfg_release(NULL);
	ck_assert_ptr_null(cfg_retain(NULL));
}
END_TEST

START_TEST(example_loads_clean)
{
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	const struct cfg_instance *in;
	char	 path[1024];
	struct cfg *cfg;

	(void)snprintf(path, sizeof(path), "%s/contrib/gatepost.json",
	    unit_top());
	cfg = cfg_load(path, &errs);
	ck_assert_msg(cfg != NULL, "%s", errs.err.n ? errs.err.v[0] : "");
	ck_assert_msg(errs.warn.n == 0, "%s", errs.warn.n ? errs.warn.v[0] :
	    "");
	ck_assert_uint_eq(cfg->n_inst, 2);
	in = cfg_instance_find(cfg, "outbound", NULL, 0);
	ck_assert_ptr_nonnull(in);
	ck_assert_int_eq(in->auth, CFG_AUTH_REQUIRE);
	ck_assert_str_eq(in->send_as.logins[in->send_as.n_logins - 1].login,
	    "svc-crm");
	ck_assert_str_eq(cfg->policyd.listen,
	    "unix:/run/gatepost/policyd.sock");
	ck_assert_int_eq(cfg->policyd.socket_mode, 0660);
	cfg_release(cfg);
	cfg_errors_free(&errs);
}
END_TEST

START_TEST(load_errors)
{
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	char	 path[1024];

	ck_assert_ptr_null(cfg_load("/nonexistent/gatepost.json", &errs));
	ck_assert_uint_eq(errs.err.n, 1);
	ck_assert_str_eq(errs.err.v[0], "cannot read /nonexistent/"
	    "gatepost.json: No such file or directory");
	cfg_errors_free(&errs);
	(void)snprintf(path, sizeof(path), "%s/tests/data/cfg", unit_top());
	ck_assert_ptr_null(cfg_load(path, &errs));
	ck_assert_uint_eq(errs.err.n, 1);
	ck_assert_ptr_nonnull(strstr(errs.err.v[0], ": not a regular file"));
	cfg_errors_free(&errs);
	/* no record to report into: still no leak, still NULL */
	ck_assert_ptr_null(parse_str("{ \"version\": 2 }", "t.json", NULL,
	    NULL));
}
END_TEST

START_TEST(syntax_columns_count_bytes)
{
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };

	/* "é" is two bytes: jansson would say column 11 */
	ck_assert_ptr_null(parse_str("{\"a\": \"\xc3\xa9\" x}", "t.json", NULL,
	    &errs));
	ck_assert_uint_eq(errs.err.n, 1);
	ck_assert_str_eq(errs.err.v[0], "t.json:1:12: '}' expected near 'x'");
	cfg_errors_free(&errs);
}
END_TEST

/* jpos: path -> line:column (value), kline:kcol (key) */
static const char jpos_text[] = "{\n"
    "  \"a\": [1, {\"b\": true}],\n"
    "\t\"k\\u00e9y\": null,\n"
    "  \"x.y\": { \"q\\\"\": \"s\" }\n"
    "}";

static const struct jpos_case {
	const char *path;
	unsigned line, col, kline, kcol;
} jpos_cases[] = {
	{ "", 1, 1, 0, 0 },
	{ "a", 2, 8, 2, 3 },
	{ "a[0]", 2, 9, 0, 0 },
	{ "a[1]", 2, 12, 0, 0 },
	{ "a[1].b", 2, 18, 2, 13 },
	{ "[\"k\xc3\xa9y\"]", 3, 14, 3, 2 },
	{ "[\"x.y\"]", 4, 10, 4, 3 },
	{ "[\"x.y\"][\"q\\\"\"]", 4, 19, 4, 12 },
};

START_TEST(jpos_positions)
{
	const struct jpos_case *jc = &jpos_cases[_i];
	struct jpos jp = { NULL, 0, 0 };
	const struct jpos_ent *e;

	ck_assert_int_eq(jpos_scan(&jp, jpos_text, strlen(jpos_text)), 0);
	ck_assert_uint_eq(jp.n, NELEM(jpos_cases));
	e = jpos_find(&jp, jc->path);
	ck_assert_msg(e != NULL, "%s: not found", jc->path);
	ck_assert_msg(e->line == jc->line && e->col == jc->col &&
	    e->kline == jc->kline && e->kcol == jc->kcol,
	    "%s: got %u:%u key %u:%u, want %u:%u key %u:%u", jc->path,
	    e->line, e->col, e->kline, e->kcol, jc->line, jc->col, jc->kline,
	    jc->kcol);
	jpos_free(&jp);
}
END_TEST

START_TEST(jpos_bad_text)
{
	struct jpos jp = { NULL, 0, 0 };

	ck_assert_int_eq(jpos_scan(&jp, "{\"a\": ", 6), -1);
	jpos_free(&jp);
	ck_assert_int_eq(jpos_scan(&jp, "[1] x", 5), -1);
	jpos_free(&jp);
	ck_assert_ptr_null(jpos_find(&jp, ""));
}
END_TEST

START_TEST(names)
{
	static const struct { enum cfg_act v; const char *name; } acts[] = {
		{ CFG_ACT_REJECT, "reject" }, { CFG_ACT_TEMPFAIL, "tempfail" },
		{ CFG_ACT_HOLD, "hold" }, { CFG_ACT_TAG, "tag" },
		{ CFG_ACT_ACCEPT, "accept" }, { CFG_ACT_DEFER, "defer" },
		{ CFG_ACT_NONE, "none" },
	};
	static const struct { enum cfg_dir v; const char *name; } dirs[] = {
		{ CFG_DIR_INBOUND, "inbound" },
		{ CFG_DIR_OUTBOUND, "outbound" },
		{ CFG_DIR_INTERNAL, "internal" }, { CFG_DIR_LOCAL, "local" },
	};
	size_t	 i;

	for (i = 0; i < NELEM(acts); i++)
		ck_assert_str_eq(cfg_act_name(acts[i].v), acts[i].name);
	for (i = 0; i < NELEM(dirs); i++)
		ck_assert_str_eq(cfg_dir_name(dirs[i].v), dirs[i].name);
	ck_assert_str_eq(cfg_mode_name(CFG_MODE_ENFORCE), "enforce");
	ck_assert_str_eq(cfg_mode_name(CFG_MODE_MONITOR), "monitor");
}
END_TEST

/* cfg_suite - one suite, test cases named by behaviour */
static void
cfg_suite(Suite *s)
{
	TCase	*tc;

	unit_loop(s, "golden config files", golden_file, NELEM(goldens));
	unit_tests(s, "defaults and synonyms", defaults_filled, store_values,
	    synonyms_accepted, v4_mapped_cidrs, NULL);
	unit_loop(s, "instance by name then address", instance_find,
	    NELEM(find_cases));
	unit_tests(s, "send_as logins and file merge", send_as_merge,
	    send_as_file_paths, NULL);
	tc = unit_tests(s, "loading and sharing", refcount, example_loads_clean,
	    load_errors, syntax_columns_count_bytes, names, config_event, NULL);
	tcase_add_loop_test(tc, sha256_vectors, 0, NELEM(sha_cases));
	tc = unit_loop(s, "json positions", jpos_positions, NELEM(jpos_cases));
	tcase_add_test(tc, jpos_bad_text);
}

UNIT_MAIN("cfg", cfg_suite)
