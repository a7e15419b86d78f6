/* cfg.c - the gatepost configuration: parse, share, look up */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_int.h"
#include "xalloc.h"

static const char *const root_keys[] = {
	"version", "internal_domains", "instances", "unknown_instance",
	"policyd", "milter", NULL
};
static const char *const root_required[] = { "version", "instances", NULL };
static const char *const policyd_keys[] = {
	"listen", "metrics", "socket_mode", "socket_group", "max_request",
	"max_attrs", "idle_timeout", "max_rate_keys", "store", "control",
	"control_mode", "control_group", NULL
};
static const char *const milter_keys[] = {
	"socket", "metrics", "socket_mode", "socket_group", NULL
};

static void cfg_defaults(struct cfg *);
static void walk_root(struct cfg_ctx *, json_t *);
static void walk_version(struct cfg_ctx *, json_t *);
static void socket_mode(struct cfg_ctx *, json_t *, const char *, int *);
static void walk_policyd(struct cfg_ctx *, json_t *, struct cfg_policyd *);
static void walk_milter(struct cfg_ctx *, json_t *, struct cfg_milter *);
static void cfg_free(struct cfg *);

/* cfg_defaults - what an absent key means, outside instances */
static void
cfg_defaults(struct cfg *cfg)
{
	atomic_init(&cfg->refs, 1);
	cfg->unknown_instance = CFG_ACT_TEMPFAIL;
	cfg->policyd.socket_mode = -1;
	cfg->policyd.max_request = 65536;
	cfg->policyd.max_attrs = 128;
	cfg->policyd.idle_timeout = 600;
	cfg->policyd.max_rate_keys = 100000;
	cfg->policyd.control_mode = -1;
	cfg_store_defaults(&cfg->policyd.store);
	cfg->milter.socket_mode = -1;
}

/* cfg_parse - JSON text to a configuration, or NULL with errors */
struct cfg *
cfg_parse(const char *text, size_t len, const char *name,
    const char *basedir, cfg_reader_fn *reader, struct cfg_errors *errs)
{
	struct cfg_ctx c;
	struct cfg *cfg;
	json_t	*root;

	cfg_ctx_init(&c, name, basedir, reader);
	cfg = c.cfg = xcalloc(1, sizeof(*cfg));
	cfg_defaults(cfg);
	cfg->path = xstrdup(c.src.name);
	if ((root = cfg_load_json(&c, text, len)) != NULL) {
		walk_root(&c, root);
		json_decref(root);
	}
	if (cfg_ctx_finish(&c, errs) > 0 || root == NULL) {
		cfg_free(cfg);
		return NULL;
	}
	return cfg;
}

/*
 * walk_root - the top-level object.  Sections are walked before the
 * instances, whose warnings depend on them; messages are sorted by
 * position afterwards, so the order here does not show.
 */
static void
walk_root(struct cfg_ctx *c, json_t *root)
{
	struct cfg *cfg = c->cfg;

	if (cfg_v_obj(c, root, root_keys) < 0)
		return;
	cfg_require(c, root, root_required);
	walk_version(c, root);
	(void)cfg_domains(c, root, "internal_domains",
	    &cfg->internal_domains);
	CFG_ENUM(c, root, "unknown_instance", &cfg_enum_unknown,
	    cfg->unknown_instance);
	walk_policyd(c, root, &cfg->policyd);
	walk_milter(c, root, &cfg->milter);
	cfg_walk_instances(c, root);
}

/* walk_version - "version": 1 */
static void
walk_version(struct cfg_ctx *c, json_t *root)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, root, "version", &m)) == NULL)
		return;
	if (!json_is_integer(v))
		cfg_error(c, "expected an integer");
	else if (json_integer_value(v) != 1)
		cfg_error(c, "unsupported version %lld (expected 1)",
		    (long long)json_integer_value(v));
	cfg_pop(c, m);
}

/* socket_mode - obj.socket_mode: a string of octal digits, e.g. "0660" */
static void
socket_mode(struct cfg_ctx *c, json_t *obj, const char *key, int *out)
{
	char	 q[CFG_QUOTE_MAX];
	json_t	*v;
	size_t	 m;
	int	 mode;

	if ((v = cfg_member(c, obj, key, &m)) == NULL)
		return;
	if (!json_is_string(v))
		cfg_error(c, "expected a string of octal digits such as "
		    "\"0660\"");
	else if ((mode = cfg_parse_octal_mode(json_string_value(v))) < 0)
		cfg_error(c, "bad %s %s (expected up to 4 octal "
		    "digits such as \"0660\")", key,
		    cfg_quote(q, sizeof(q), json_string_value(v)));
	else
		*out = mode;
	cfg_pop(c, m);
}

/* walk_policyd - the policyd section */
static void
walk_policyd(struct cfg_ctx *c, json_t *root, struct cfg_policyd *p)
{
	unsigned long long u;
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, root, "policyd", &m)) == NULL)
		return;
	p->set = 1;
	if (cfg_v_obj(c, v, policyd_keys) == 0) {
		(void)cfg_checked(c, v, "listen", cfg_ok_listen,
		    "listen address", "unix:/path or inet:HOST:PORT",
		    &p->listen);
		(void)cfg_checked(c, v, "metrics", cfg_ok_hostport,
		    "metrics address", "HOST:PORT", &p->metrics);
		socket_mode(c, v, "socket_mode", &p->socket_mode);
		(void)cfg_str(c, v, "socket_group", 1, &p->socket_group);
		if (cfg_uint(c, v, "max_request", SIZE_MAX, &u) > 0)
			p->max_request = (size_t)u;
		if (cfg_uint(c, v, "max_attrs", UINT_MAX, &u) > 0)
			p->max_attrs = (unsigned)u;
		if (cfg_uint(c, v, "idle_timeout", UINT_MAX, &u) > 0)
			p->idle_timeout = (unsigned)u;
		if (cfg_uint(c, v, "max_rate_keys", SIZE_MAX, &u) > 0)
			p->max_rate_keys = (size_t)u;
		cfg_walk_store(c, v, &p->store);
		(void)cfg_checked(c, v, "control", cfg_ok_unix_path,
		    "control socket", "an absolute path or unix:/path",
		    &p->control);
		socket_mode(c, v, "control_mode", &p->control_mode);
		(void)cfg_str(c, v, "control_group", 1, &p->control_group);
	}
	cfg_pop(c, m);
}

/* walk_milter - the milter section */
static void
walk_milter(struct cfg_ctx *c, json_t *root, struct cfg_milter *ml)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, root, "milter", &m)) == NULL)
		return;
	ml->set = 1;
	if (cfg_v_obj(c, v, milter_keys) == 0) {
		(void)cfg_checked(c, v, "socket", cfg_ok_msocket,
		    "milter socket", "unix:/path, local:/path, "
		    "inet:PORT@HOST or inet6:PORT@HOST", &ml->socket);
		(void)cfg_checked(c, v, "metrics", cfg_ok_hostport,
		    "metrics address", "HOST:PORT", &ml->metrics);
		socket_mode(c, v, "socket_mode", &ml->socket_mode);
		(void)cfg_str(c, v, "socket_group", 1, &ml->socket_group);
	}
	cfg_pop(c, m);
}

/* cfg_free - free a configuration and everything it owns */
static void
cfg_free(struct cfg *cfg)
{
	size_t	 i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n_inst; i++)
		cfg_instance_free(&cfg->inst[i]);
	free(cfg->inst);
	cfg_strv_free(&cfg->internal_domains);
	free(cfg->policyd.listen);
	free(cfg->policyd.metrics);
	free(cfg->policyd.socket_group);
	free(cfg->policyd.control);
	free(cfg->policyd.control_group);
	cfg_store_free(&cfg->policyd.store);
	free(cfg->milter.socket);
	free(cfg->milter.metrics);
	free(cfg->milter.socket_group);
	free(cfg->path);
	free(cfg);
}

/* cfg_retain - take another reference; returns its argument */
struct cfg *
cfg_retain(struct cfg *cfg)
{
	if (cfg != NULL)
		atomic_fetch_add_explicit(&cfg->refs, 1, memory_order_relaxed);
	return cfg;
}

/* cfg_release - drop a reference, freeing on the last; NULL is ignored */
void
cfg_release(struct cfg *cfg)
{
	if (cfg == NULL)
		return;
	if (atomic_fetch_sub_explicit(&cfg->refs, 1,
	    memory_order_acq_rel) == 1)
		cfg_free(cfg);
}

/* cfg_errors_free - free the messages (not the struct); ready for reuse */
void
cfg_errors_free(struct cfg_errors *errs)
{
	if (errs == NULL)
		return;
	cfg_strv_free(&errs->err);
	cfg_strv_free(&errs->warn);
}

/*
 * cfg_instance_find - the instance for a face: by match.name first (an
 * instance without a "match" object is matched by its name), then, only
 * when no name fits, by match.address.
 */
const struct cfg_instance *
cfg_instance_find(const struct cfg *cfg, const char *name,
    const struct ipaddr *addr, unsigned port)
{
	const struct cfg_instance *in;
	size_t	 i, j;

	if (cfg == NULL)
		return NULL;
	for (i = 0; name != NULL && *name != '\0' && i < cfg->n_inst; i++) {
		in = &cfg->inst[i];
		if (in->match_name != NULL &&
		    strcasecmp(in->match_name, name) == 0)
			return in;
	}
	for (i = 0; addr != NULL && i < cfg->n_inst; i++) {
		in = &cfg->inst[i];
		for (j = 0; j < in->n_match_addr; j++)
			if (in->match_addr[j].port == port &&
			    memcmp(in->match_addr[j].addr.b, addr->b,
			    sizeof(addr->b)) == 0)
				return in;
	}
	return NULL;
}

/* cfg_milter_enforces_envelope - a milter-only site: no policyd section */
int
cfg_milter_enforces_envelope(const struct cfg *cfg)
{
	return !cfg->policyd.set;
}

/* cfg_act_name - the configuration spelling of an action */
const char *
cfg_act_name(enum cfg_act a)
{
	switch (a) {
	case CFG_ACT_NONE:
		return "none";
	case CFG_ACT_ACCEPT:
		return "accept";
	case CFG_ACT_REJECT:
		return "reject";
	case CFG_ACT_TEMPFAIL:
		return "tempfail";
	case CFG_ACT_HOLD:
		return "hold";
	case CFG_ACT_TAG:
		return "tag";
	case CFG_ACT_DEFER:
		return "defer";
	}
	return "unknown";
}

/* cfg_dir_name - the configuration spelling of a direction */
const char *
cfg_dir_name(enum cfg_dir d)
{
	switch (d) {
	case CFG_DIR_INBOUND:
		return "inbound";
	case CFG_DIR_OUTBOUND:
		return "outbound";
	case CFG_DIR_INTERNAL:
		return "internal";
	case CFG_DIR_LOCAL:
		return "local";
	}
	return "unknown";
}

/* cfg_mode_name - the configuration spelling of a mode */
const char *
cfg_mode_name(enum cfg_mode m)
{
	switch (m) {
	case CFG_MODE_ENFORCE:
		return "enforce";
	case CFG_MODE_MONITOR:
		return "monitor";
	}
	return "unknown";
}
