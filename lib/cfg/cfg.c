/* cfg.c - the gatepost configuration: parse, share, look up */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_int.h"
#include "digest.h"
#include "xalloc.h"

static void cfg_defaults(struct cfg *);
static void cfg_free(struct cfg *);

/* cfg_defaults - what an absent key means, outside instances */
static void
cfg_defaults(struct cfg *cfg)
{
	atomic_init(&cfg->refs, 1);
	cfg_defaults_apply("", cfg);
	cfg->policyd.socket_mode = -1;		/* unset: leave it alone */
	cfg->policyd.control_mode = -1;		/* unset: 0600 */
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
		(void)cfg_walk_block(&c, root, "", cfg);
		json_decref(root);
	}
	if (cfg->tls.ca_file == NULL)
		cfg->tls.ca_file = xstrdup(CFG_TLS_CA_FILE);
	cfg->hash = xmalloc(DIGEST_HEX_LEN);
	digest_sha256_hex(text, len, cfg->hash);
	cfg->text = xmalloc(len + 1);
	memcpy(cfg->text, text, len);
	cfg->text[len] = '\0';
	if (cfg_ctx_finish(&c, errs) > 0 || root == NULL) {
		cfg_free(cfg);
		return NULL;
	}
	return cfg;
}

/*
 * cfg_w_version - "version": 1.  The sections are walked before the
 * instances (the key table's order), whose warnings depend on them;
 * messages are sorted by position afterwards, so the order does not show.
 */
void
cfg_w_version(struct cfg_ctx *c, json_t *root, void *base)
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

/* cfg_w_store - policyd.store (cfg_store.c) */
void
cfg_w_store(struct cfg_ctx *c, json_t *obj, void *base)
{
	cfg_walk_store(c, obj, &((struct cfg *)base)->policyd.store);
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
	cfg_strv_free(&cfg->tls.partners);
	free(cfg->log.file);
	free(cfg->hash);
	free(cfg->text);
	free(cfg->tls.ca_file);
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

/* cfg_instance_counts - does one of the instance's rate limits count n? */
int
cfg_instance_counts(const struct cfg_instance *in, enum cfg_rlcount n)
{
	size_t	 i;

	for (i = 0; i < in->n_rl; i++)
		if (in->rl[i].count == n)
			return 1;
	return 0;
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
