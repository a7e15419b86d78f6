/* cfg_inst.c - configuration loader: instances */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_int.h"
#include "xalloc.h"

#define MIB	((size_t)1024 * 1024)

static const char *const inst_keys[] = {
	"name", "direction", "match", "mode", "clients", "auth",
	"recipients", "spoofing", "send_as", "spam", "virus", "headers",
	"archive", "disclaimer", "rate_limits", "rate_key_budget",
	"syslog_name", NULL
};
static const char *const inst_required[] = { "name", "direction", NULL };
static const char *const match_keys[] = { "name", "address", NULL };
static const char *const clients_keys[] = { "allow", "deny", NULL };
static const char *const spoof_keys[] = {
	"envelope_from", "header_from", "display_name", "exceptions",
	"protected_names", NULL
};
static const char *const exc_keys[] = { "clients", "senders", NULL };
static const char *const headers_keys[] = { "add", "remove", NULL };
static const char *const hdr_add_keys[] = { "name", "value", NULL };
static const char *const archive_keys[] = { "bcc", NULL };
static const char *const disclaimer_keys[] = {
	"text", "html", "max_size", NULL
};

static void inst_defaults(struct cfg_instance *);
static void inst_walk(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void inst_name(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void inst_match(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void match_addresses(struct cfg_ctx *, json_t *,
    struct cfg_instance *);
static void match_address_one(struct cfg_ctx *, json_t *,
    struct cfg_instance *);
static void inst_clients(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void inst_spoofing(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void spoof_exceptions(struct cfg_ctx *, json_t *,
    struct cfg_instance *);
static void inst_headers(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void hdr_add(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void hdr_add_one(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void hdr_remove(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void hdr_remove_one(struct cfg_ctx *, json_t *,
    struct cfg_instance *);
static void inst_archive(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void inst_disclaimer(struct cfg_ctx *, json_t *,
    struct cfg_instance *);
static void inst_warnings(struct cfg_ctx *, json_t *,
    const struct cfg_instance *);
static void dup_names(struct cfg_ctx *, const struct cfg *);

/* inst_defaults - the values DESIGN.md and cfg.h promise for absent keys */
static void
inst_defaults(struct cfg_instance *in)
{
	in->mode = CFG_MODE_ENFORCE;
	in->auth = CFG_AUTH_OPTIONAL;
	in->recipients = CFG_RCPTS_ANY;
	in->send_as.envelope_from = CFG_ACT_REJECT;
	in->send_as.null_sender = 1;
	in->disclaimer.max_size = 10 * MIB;
	in->spam.engine = CFG_ENG_SPAMD;
	in->spam.timeout_ms = 10000;
	in->spam.max_size = 1 * MIB;
	in->spam.on_error = CFG_ACT_TEMPFAIL;
	in->virus.engine = CFG_ENG_CLAMD;
	in->virus.timeout_ms = 10000;
	in->virus.max_size = 25 * MIB;
	in->virus.action = CFG_ACT_REJECT;
	in->virus.on_error = CFG_ACT_TEMPFAIL;
}

/* cfg_walk_instances - root.instances: a non-empty array of instances */
void
cfg_walk_instances(struct cfg_ctx *c, json_t *root)
{
	struct cfg *cfg = c->cfg;
	json_t	*arr, *e;
	size_t	 m, mi, i;

	if ((arr = cfg_member(c, root, "instances", &m)) == NULL)
		return;
	if (cfg_v_arr(c, arr) == 0 && json_array_size(arr) == 0)
		cfg_error(c, "expected at least one instance");
	if (json_is_array(arr) && json_array_size(arr) > 0) {
		cfg->n_inst = json_array_size(arr);
		cfg->inst = xcalloc(cfg->n_inst, sizeof(*cfg->inst));
		json_array_foreach(arr, i, e) {
			mi = cfg_push_index(c, i);
			inst_walk(c, e, &cfg->inst[i]);
			cfg_pop(c, mi);
		}
		dup_names(c, cfg);
	}
	cfg_pop(c, m);
}

/* inst_walk - one instance object */
static void
inst_walk(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	unsigned long long u;

	inst_defaults(in);
	if (cfg_v_obj(c, obj, inst_keys) < 0)
		return;
	cfg_require(c, obj, inst_required);
	inst_name(c, obj, in);
	CFG_ENUM(c, obj, "direction", &cfg_enum_dir, in->dir);
	CFG_ENUM(c, obj, "mode", &cfg_enum_mode, in->mode);
	inst_match(c, obj, in);
	inst_clients(c, obj, in);
	CFG_ENUM(c, obj, "auth", &cfg_enum_auth, in->auth);
	CFG_ENUM(c, obj, "recipients", &cfg_enum_rcpts, in->recipients);
	inst_spoofing(c, obj, in);
	cfg_walk_send_as(c, obj, in);
	cfg_walk_scans(c, obj, in);
	inst_headers(c, obj, in);
	inst_archive(c, obj, in);
	inst_disclaimer(c, obj, in);
	cfg_walk_rate_limits(c, obj, in);
	if (cfg_uint(c, obj, "rate_key_budget", SIZE_MAX, &u) > 0)
		in->rate_key_budget = (size_t)u;
	inst_warnings(c, obj, in);
}

/* inst_name - name (required) and syslog_name (default postfix-NAME) */
static void
inst_name(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	char	 q[CFG_QUOTE_MAX];
	size_t	 m, n;

	if (cfg_str(c, obj, "name", 1, &in->name) > 0 &&
	    !cfg_ok_inst_name(in->name)) {
		(void)cfg_member(c, obj, "name", &m);
		cfg_error(c, "bad instance name %s (expected up to 64 letters, "
		    "digits, \".\", \"_\" or \"-\")",
		    cfg_quote(q, sizeof(q), in->name));
		cfg_pop(c, m);
	}
	if (cfg_str(c, obj, "syslog_name", 1, &in->syslog_name) == 0 &&
	    in->name != NULL) {
		n = strlen(in->name) + sizeof("postfix-");
		in->syslog_name = xmalloc(n);
		(void)snprintf(in->syslog_name, n, "postfix-%s", in->name);
	}
}

/*
 * inst_match - match.name and match.address.  An instance without a
 * "match" object is matched by its name; one with a "match" object only
 * by what that lists, which must be something.
 */
static void
inst_match(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, "match", &m)) == NULL) {
		if (in->name != NULL)
			in->match_name = xstrdup(in->name);
		return;
	}
	if (cfg_v_obj(c, v, match_keys) == 0) {
		(void)cfg_str(c, v, "name", 1, &in->match_name);
		match_addresses(c, v, in);
		if (json_object_size(v) == 0)
			cfg_error(c, "expected \"name\" or \"address\"");
	}
	cfg_pop(c, m);
}

/* match_addresses - match.address: "IPv4:port" or "[IPv6]:port" */
static void
match_addresses(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v, *e;
	size_t	 m, mi, i;

	if ((v = cfg_member(c, obj, "address", &m)) == NULL)
		return;
	if (cfg_v_arr(c, v) == 0) {
		in->match_addr = xcalloc(json_array_size(v) + 1,
		    sizeof(*in->match_addr));
		json_array_foreach(v, i, e) {
			mi = cfg_push_index(c, i);
			match_address_one(c, e, in);
			cfg_pop(c, mi);
		}
	}
	cfg_pop(c, m);
}

/* match_address_one - one match.address entry */
static void
match_address_one(struct cfg_ctx *c, json_t *e, struct cfg_instance *in)
{
	struct cfg_endpoint ep;
	char	 q[CFG_QUOTE_MAX];
	const char *s;

	if (cfg_v_str(c, e, 0, &s) < 0)
		return;
	if (cfg_parse_endpoint(s, &ep) == 0)
		in->match_addr[in->n_match_addr++] = ep;
	else
		cfg_error(c, "bad address %s (expected IPv4:port or "
		    "[IPv6]:port)", cfg_quote(q, sizeof(q), s));
}

/* inst_clients - clients.allow and clients.deny */
static void
inst_clients(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v;
	size_t	 m, ma;

	if ((v = cfg_member(c, obj, "clients", &m)) == NULL)
		return;
	if (cfg_v_obj(c, v, clients_keys) == 0) {
		in->has_allow = cfg_nets(c, v, "allow", &in->allow) != 0;
		(void)cfg_nets(c, v, "deny", &in->deny);
		if (json_is_array(json_object_get(v, "allow")) &&
		    json_array_size(json_object_get(v, "allow")) == 0) {
			(void)cfg_member(c, v, "allow", &ma);
			cfg_warning(c, "an empty allow list refuses every "
			    "client");
			cfg_pop(c, ma);
		}
	}
	cfg_pop(c, m);
}

/* inst_spoofing - the spoofing rules, their exceptions, protected names */
static void
inst_spoofing(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, "spoofing", &m)) == NULL)
		return;
	if (cfg_v_obj(c, v, spoof_keys) == 0) {
		CFG_ENUM(c, v, "envelope_from", &cfg_enum_act,
		    in->spoof.envelope_from);
		CFG_ENUM(c, v, "header_from", &cfg_enum_act,
		    in->spoof.header_from);
		CFG_ENUM(c, v, "display_name", &cfg_enum_act,
		    in->spoof.display_name);
		(void)cfg_strs(c, v, "protected_names",
		    &in->spoof.protected_names);
		spoof_exceptions(c, v, in);
	}
	cfg_pop(c, m);
}

/* spoof_exceptions - spoofing.exceptions: clients and senders */
static void
spoof_exceptions(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, "exceptions", &m)) == NULL)
		return;
	if (cfg_v_obj(c, v, exc_keys) == 0) {
		(void)cfg_nets(c, v, "clients", &in->spoof.exc_clients);
		(void)cfg_addrs(c, v, "senders",
		    CFG_ADDR_FULL | CFG_ADDR_DOMAIN, &in->spoof.exc_senders);
	}
	cfg_pop(c, m);
}

/* inst_headers - headers.add and headers.remove */
static void
inst_headers(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, "headers", &m)) == NULL)
		return;
	if (cfg_v_obj(c, v, headers_keys) == 0) {
		hdr_add(c, v, in);
		hdr_remove(c, v, in);
	}
	cfg_pop(c, m);
}

/* hdr_add - headers.add: a list of {"name": ..., "value": ...} */
static void
hdr_add(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v, *e;
	size_t	 m, mi, i;

	if ((v = cfg_member(c, obj, "add", &m)) == NULL)
		return;
	if (cfg_v_arr(c, v) == 0) {
		in->hdr_add = xcalloc(json_array_size(v) + 1,
		    sizeof(*in->hdr_add));
		json_array_foreach(v, i, e) {
			mi = cfg_push_index(c, i);
			hdr_add_one(c, e, in);
			cfg_pop(c, mi);
		}
	}
	cfg_pop(c, m);
}

/* hdr_add_one - one headers.add entry */
static void
hdr_add_one(struct cfg_ctx *c, json_t *e, struct cfg_instance *in)
{
	struct cfg_header *h = &in->hdr_add[in->n_hdr_add++];
	size_t	 m;

	if (cfg_v_obj(c, e, hdr_add_keys) < 0)
		return;
	cfg_require(c, e, hdr_add_keys);
	(void)cfg_checked(c, e, "name", cfg_ok_hdr_name, "header name",
	    "printable ASCII without \":\"", &h->name);
	if (cfg_str(c, e, "value", 0, &h->value) > 0 &&
	    !cfg_ok_hdr_value(h->value)) {
		(void)cfg_member(c, e, "value", &m);
		cfg_error(c, "header value must not contain line breaks or "
		    "control characters");
		cfg_pop(c, m);
	}
}

/* hdr_remove - headers.remove: names, or prefixes ending in "*" */
static void
hdr_remove(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v, *e;
	size_t	 m, mi, i;

	if ((v = cfg_member(c, obj, "remove", &m)) == NULL)
		return;
	if (cfg_v_arr(c, v) == 0) {
		json_array_foreach(v, i, e) {
			mi = cfg_push_index(c, i);
			hdr_remove_one(c, e, in);
			cfg_pop(c, mi);
		}
	}
	cfg_pop(c, m);
}

/* hdr_remove_one - one headers.remove entry */
static void
hdr_remove_one(struct cfg_ctx *c, json_t *e, struct cfg_instance *in)
{
	char	 q[CFG_QUOTE_MAX];
	const char *s;

	if (cfg_v_str(c, e, 0, &s) < 0)
		return;
	if (cfg_ok_hdr_pattern(s))
		cfg_strv_add(&in->hdr_remove, xstrdup(s));
	else
		cfg_error(c, "bad header name %s (expected a name, or a "
		    "prefix and \"*\")", cfg_quote(q, sizeof(q), s));
}

/* inst_archive - archive.bcc: one full address */
static void
inst_archive(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v, *b;
	size_t	 m, mb;

	if ((v = cfg_member(c, obj, "archive", &m)) == NULL)
		return;
	if (cfg_v_obj(c, v, archive_keys) == 0) {
		cfg_require(c, v, archive_keys);
		if ((b = cfg_member(c, v, "bcc", &mb)) != NULL) {
			(void)cfg_v_addr(c, b, CFG_ADDR_FULL,
			    &in->archive_bcc);
			cfg_pop(c, mb);
		}
	}
	cfg_pop(c, m);
}

/* inst_disclaimer - disclaimer text and/or html, max_size */
static void
inst_disclaimer(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	unsigned long long u;
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, "disclaimer", &m)) == NULL)
		return;
	in->disclaimer.set = 1;
	if (cfg_v_obj(c, v, disclaimer_keys) == 0) {
		(void)cfg_str(c, v, "text", 1, &in->disclaimer.text);
		(void)cfg_str(c, v, "html", 1, &in->disclaimer.html);
		if (cfg_uint(c, v, "max_size", SIZE_MAX, &u) > 0)
			in->disclaimer.max_size = (size_t)u;
		if (json_object_get(v, "text") == NULL &&
		    json_object_get(v, "html") == NULL)
			cfg_error(c, "expected \"text\" or \"html\"");
	}
	cfg_pop(c, m);
}

/* inst_warnings - valid settings that are probably not meant */
static void
inst_warnings(struct cfg_ctx *c, json_t *obj, const struct cfg_instance *in)
{
	size_t	 m;

	if (in->send_as.set && in->auth == CFG_AUTH_OPTIONAL &&
	    cfg_member(c, obj, "send_as", &m) != NULL) {
		cfg_warning(c, "auth is \"optional\": clients that do not "
		    "authenticate are not held to send_as");
		cfg_pop(c, m);
	}
	if (in->dir == CFG_DIR_INBOUND && in->recipients == CFG_RCPTS_ANY) {
		if (cfg_member(c, obj, "recipients", &m) != NULL) {
			cfg_warning(c, "recipients \"any\" on an inbound "
			    "instance: this face relays anywhere");
			cfg_pop(c, m);
		} else
			cfg_warning(c, "recipients defaults to \"any\" on an "
			    "inbound instance: this face relays anywhere");
	}
	if (in->recipients != CFG_RCPTS_ANY &&
	    c->cfg->internal_domains.n == 0 &&
	    cfg_member(c, obj, "recipients", &m) != NULL) {
		cfg_warning(c, "internal_domains is empty, so every "
		    "recipient is external");
		cfg_pop(c, m);
	}
}

/* dup_names - instance names must differ, ignoring case */
static void
dup_names(struct cfg_ctx *c, const struct cfg *cfg)
{
	char	 q[CFG_QUOTE_MAX];
	size_t	 i, j, mi, mn;

	for (i = 1; i < cfg->n_inst; i++) {
		if (cfg->inst[i].name == NULL)
			continue;
		for (j = 0; j < i; j++) {
			if (cfg->inst[j].name == NULL ||
			    strcasecmp(cfg->inst[i].name,
			    cfg->inst[j].name) != 0)
				continue;
			mi = cfg_push_index(c, i);
			mn = jpos_path_key(&c->src.path, "name");
			cfg_error(c, "duplicate instance name %s (also "
			    "instances[%zu])",
			    cfg_quote(q, sizeof(q), cfg->inst[i].name), j);
			cfg_pop(c, mn);
			cfg_pop(c, mi);
			break;
		}
	}
}

/* cfg_instance_free - free what an instance owns (not the struct) */
void
cfg_instance_free(struct cfg_instance *in)
{
	size_t	 i;

	free(in->name);
	free(in->match_name);
	free(in->match_addr);
	free(in->allow.v);
	free(in->deny.v);
	free(in->spoof.exc_clients.v);
	cfg_strv_free(&in->spoof.exc_senders);
	cfg_strv_free(&in->spoof.protected_names);
	for (i = 0; i < in->send_as.n_logins; i++) {
		free(in->send_as.logins[i].login);
		cfg_strv_free(&in->send_as.logins[i].addrs);
	}
	free(in->send_as.logins);
	free(in->send_as.file);
	free(in->spam.server);
	free(in->virus.server);
	for (i = 0; i < in->n_hdr_add; i++) {
		free(in->hdr_add[i].name);
		free(in->hdr_add[i].value);
	}
	free(in->hdr_add);
	cfg_strv_free(&in->hdr_remove);
	free(in->archive_bcc);
	free(in->disclaimer.text);
	free(in->disclaimer.html);
	free(in->rl);
	free(in->syslog_name);
}
