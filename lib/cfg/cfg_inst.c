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

static void inst_finish(struct cfg_ctx *, json_t *, struct cfg_instance *);
static cfg_elem_fn match_address_one, hdr_add_one, hdr_remove_one;
static void inst_warnings(struct cfg_ctx *, json_t *,
    const struct cfg_instance *);
static void dup_names(struct cfg_ctx *, const struct cfg *);

/* cfg_w_instances - root.instances: a non-empty array of instances */
void
cfg_w_instances(struct cfg_ctx *c, json_t *root, void *base)
{
	struct cfg *cfg = base;
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
			cfg_defaults_apply("instances[]", &cfg->inst[i]);
			/* the largest entry's, once a disclaimer is read */
			cfg->inst[i].disclaimer.max_size = 10 * MIB;
			if (cfg_walk_block(c, e, "instances[]",
			    &cfg->inst[i]) == 0)
				inst_finish(c, e, &cfg->inst[i]);
			cfg_pop(c, mi);
		}
		dup_names(c, cfg);
	}
	cfg_pop(c, m);
}

/*
 * inst_finish - what the table cannot say: syslog_name defaults to
 * postfix-NAME, an instance without a "match" object is matched by its
 * name; then the warnings.
 */
static void
inst_finish(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	size_t	 n;

	if (in->syslog_name == NULL && in->name != NULL &&
	    json_object_get(obj, "syslog_name") == NULL) {
		n = strlen(in->name) + sizeof("postfix-");
		in->syslog_name = xmalloc(n);
		(void)snprintf(in->syslog_name, n, "postfix-%s", in->name);
	}
	if (json_object_get(obj, "match") == NULL && in->name != NULL)
		in->match_name = xstrdup(in->name);
	inst_warnings(c, obj, in);
}

/* cfg_w_inst_name - name: required, letters, digits, ".", "_", "-" */
void
cfg_w_inst_name(struct cfg_ctx *c, json_t *obj, void *base)
{
	struct cfg_instance *in = base;
	char	 q[CFG_QUOTE_MAX];
	size_t	 m;

	if (cfg_str(c, obj, "name", 1, &in->name) > 0 &&
	    !cfg_ok_inst_name(in->name)) {
		(void)cfg_member(c, obj, "name", &m);
		cfg_error(c, "bad instance name %s (expected up to 64 letters, "
		    "digits, \".\", \"_\" or \"-\")",
		    cfg_quote(q, sizeof(q), in->name));
		cfg_pop(c, m);
	}
}

/* cfg_c_match - a "match" object must list something */
void
cfg_c_match(struct cfg_ctx *c, json_t *v, void *base)
{
	if (json_object_size(v) == 0)
		cfg_error(c, "expected \"name\" or \"address\"");
}

/* cfg_w_match_address - match.address: "IPv4:port" or "[IPv6]:port" */
void
cfg_w_match_address(struct cfg_ctx *c, json_t *obj, void *base)
{
	(void)cfg_list(c, obj, "address", match_address_one, base);
}

/* match_address_one - one match.address entry */
static void
match_address_one(struct cfg_ctx *c, json_t *e, void *base)
{
	struct cfg_instance *in = base;
	struct cfg_endpoint ep;
	char	 q[CFG_QUOTE_MAX];
	const char *s;

	if (cfg_v_str(c, e, 0, &s) < 0)
		return;
	if (cfg_parse_endpoint(s, &ep) == 0) {
		in->match_addr = xreallocarray(in->match_addr,
		    in->n_match_addr + 1, sizeof(*in->match_addr));
		in->match_addr[in->n_match_addr++] = ep;
	} else
		cfg_error(c, "bad address %s (expected IPv4:port or "
		    "[IPv6]:port)", cfg_quote(q, sizeof(q), s));
}

/* cfg_c_clients - an empty allow list is valid but refuses everyone */
void
cfg_c_clients(struct cfg_ctx *c, json_t *v, void *base)
{
	size_t	 ma;

	if (json_is_array(json_object_get(v, "allow")) &&
	    json_array_size(json_object_get(v, "allow")) == 0) {
		(void)cfg_member(c, v, "allow", &ma);
		cfg_warning(c, "an empty allow list refuses every client");
		cfg_pop(c, ma);
	}
}

/*
 * cfg_c_spoofing - a face that checks header From refuses what it
 * cannot read: malformed_from defaults to reject where header_from is set
 */
void
cfg_c_spoofing(struct cfg_ctx *c, json_t *v, void *base)
{
	struct cfg_instance *in = base;

	if (in->spoof.header_from != CFG_ACT_NONE &&
	    json_object_get(v, "malformed_from") == NULL)
		in->spoof.malformed_from = CFG_ACT_REJECT;
}

/*
 * cfg_w_spoof_check_headers - spoofing.check_headers: the header fields
 * the header rules read besides From ("From", "Sender", "Resent-From").
 */
void
cfg_w_spoof_check_headers(struct cfg_ctx *c, json_t *obj, void *base)
{
	struct cfg_instance *in = base;
	struct cfg_strv v;
	size_t	 i;

	memset(&v, 0, sizeof(v));
	if (cfg_strs(c, obj, "check_headers", &v) <= 0) {
		cfg_strv_free(&v);
		return;
	}
	for (i = 0; i < v.n; i++) {
		if (strcasecmp(v.v[i], "Sender") == 0)
			in->spoof.check_headers |= CFG_HDR_SENDER;
		else if (strcasecmp(v.v[i], "Resent-From") == 0)
			in->spoof.check_headers |= CFG_HDR_RESENT_FROM;
		else if (strcasecmp(v.v[i], "From") != 0)
			cfg_error(c, "check_headers: unknown header field "
			    "\"%.64s\" (want From, Sender or Resent-From)",
			    v.v[i]);
	}
	cfg_strv_free(&v);
}

/* cfg_w_hdr_add - headers.add: a list of {"name": ..., "value": ...} */
void
cfg_w_hdr_add(struct cfg_ctx *c, json_t *obj, void *base)
{
	(void)cfg_list(c, obj, "add", hdr_add_one, base);
}

/* hdr_add_one - one headers.add entry, by the key table */
static void
hdr_add_one(struct cfg_ctx *c, json_t *e, void *base)
{
	struct cfg_instance *in = base;
	struct cfg_header *h;

	in->hdr_add = xreallocarray(in->hdr_add, in->n_hdr_add + 1,
	    sizeof(*in->hdr_add));
	h = &in->hdr_add[in->n_hdr_add++];
	h->name = h->value = NULL;
	if (cfg_walk_block(c, e, "instances[].headers.add[]", h) == 0)
		cfg_c_hdr_add_one(c, e, h);
}

/* cfg_c_hdr_add_one - a value must be one line of printable text */
void
cfg_c_hdr_add_one(struct cfg_ctx *c, json_t *e, void *base)
{
	struct cfg_header *h = base;
	size_t	 m;

	if (h->value == NULL || cfg_ok_hdr_value(h->value))
		return;
	(void)cfg_member(c, e, "value", &m);
	cfg_error(c, "header value must not contain line breaks or "
	    "control characters");
	cfg_pop(c, m);
}

/* cfg_w_hdr_remove - headers.remove: names, or prefixes ending in "*" */
void
cfg_w_hdr_remove(struct cfg_ctx *c, json_t *obj, void *base)
{
	(void)cfg_list(c, obj, "remove", hdr_remove_one, base);
}

/* hdr_remove_one - one headers.remove entry */
static void
hdr_remove_one(struct cfg_ctx *c, json_t *e, void *base)
{
	struct cfg_instance *in = base;
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

/* cfg_c_tls - a face's certificate comes with its key */
void
cfg_c_tls(struct cfg_ctx *c, json_t *v, void *base)
{
	if ((json_object_get(v, "cert_file") == NULL) !=
	    (json_object_get(v, "key_file") == NULL))
		cfg_error(c, "expected both \"cert_file\" and \"key_file\", "
		    "or neither");
}

/* inst_warnings - valid settings that are probably not meant */
static void
inst_warnings(struct cfg_ctx *c, json_t *obj, const struct cfg_instance *in)
{
	json_t	*lim;
	size_t	 m, m2;

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
	if (in->limits.messages_per_session > 0 && !c->cfg->milter.set &&
	    (lim = cfg_member(c, obj, "limits", &m)) != NULL) {
		if (cfg_member(c, lim, "messages_per_session", &m2) != NULL) {
			cfg_warning(c, "messages_per_session needs "
			    "gatepost-milter; the policy service does not see "
			    "sessions");
			cfg_pop(c, m2);
		}
		cfg_pop(c, m);
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
	cfg_disclaimer_free(in);
	free(in->rl);
	free(in->syslog_name);
	free(in->tls.cert_file);
	free(in->tls.key_file);
}
