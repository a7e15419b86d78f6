/* cfg_disclaimer.c - configuration loader: an instance's disclaimer */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "xalloc.h"

#define MIB	((size_t)1024 * 1024)

static const char *const entry_keys[] = {
	"text", "html", "max_size", "match", "skip_senders", "skip_if_header",
	"position", "replies", "fallback", NULL
};
static const struct cfg_name fallback_names[] = {
	{ "pass", 0 }, { "wrap", 1 }, { "reject", 2 }, { NULL, 0 }
};
static const struct cfg_enum enum_fallback = {
	"fallback", "pass, wrap, reject", fallback_names
};
static const struct cfg_name replies_names[] = {
	{ "always", 0 }, { "skip", 1 }, { NULL, 0 }
};
static const struct cfg_enum enum_replies = {
	"replies", "always, skip", replies_names
};
static const struct cfg_name position_names[] = {
	{ "bottom", 0 }, { "top", 1 }, { NULL, 0 }
};
static const struct cfg_enum enum_position = {
	"position", "bottom, top", position_names
};
static const char *const match_keys[] = {
	"senders", "logins", "recipient_domains", "external_recipients", NULL
};
static const char *const hdrtest_keys[] = { "name", "value", NULL };
static const char *const hdrtest_required[] = { "name", NULL };

static void entry_walk(struct cfg_ctx *, json_t *, struct cfg_disclaimer *);
static void entry_match(struct cfg_ctx *, json_t *, struct cfg_disclaimer *);
static void skip_headers(struct cfg_ctx *, json_t *,
    struct cfg_disclaimer *);
static void hdrtest_one(struct cfg_ctx *, json_t *, struct cfg_hdrtest *);

/*
 * cfg_walk_disclaimer - "disclaimer": one entry (an object, as before
 * issue 19) or a list of 1..CFG_DISCLAIMERS_MAX entries, first match wins
 */
void
cfg_walk_disclaimer(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	json_t	*v, *e;
	size_t	 m, mi, i;

	if ((v = cfg_member(c, obj, "disclaimer", &m)) == NULL)
		return;
	in->disclaimer.set = 1;
	in->disclaimer.max_size = 0;
	if (json_is_object(v)) {
		in->disclaimer.v = xcalloc(1, sizeof(*in->disclaimer.v));
		in->disclaimer.n = 1;
		entry_walk(c, v, &in->disclaimer.v[0]);
	} else if (!json_is_array(v))
		cfg_error(c, "expected an object or a list of objects");
	else if (json_array_size(v) == 0 ||
	    json_array_size(v) > CFG_DISCLAIMERS_MAX)
		cfg_error(c, "expected 1 to %d entries", CFG_DISCLAIMERS_MAX);
	else {
		in->disclaimer.n = json_array_size(v);
		in->disclaimer.v = xcalloc(in->disclaimer.n,
		    sizeof(*in->disclaimer.v));
		json_array_foreach(v, i, e) {
			mi = cfg_push_index(c, i);
			entry_walk(c, e, &in->disclaimer.v[i]);
			cfg_pop(c, mi);
		}
	}
	for (i = 0; i < in->disclaimer.n; i++)
		if (in->disclaimer.v[i].max_size > in->disclaimer.max_size)
			in->disclaimer.max_size = in->disclaimer.v[i].max_size;
	if (in->disclaimer.max_size == 0)
		in->disclaimer.max_size = 10 * MIB;
	cfg_pop(c, m);
}

/* entry_walk - one disclaimer entry */
static void
entry_walk(struct cfg_ctx *c, json_t *e, struct cfg_disclaimer *d)
{
	unsigned long long u;
	json_t	*v;
	size_t	 m;

	d->max_size = 10 * MIB;
	if (cfg_v_obj(c, e, entry_keys) < 0)
		return;
	(void)cfg_str(c, e, "text", 1, &d->text);
	(void)cfg_str(c, e, "html", 1, &d->html);
	if (cfg_uint(c, e, "max_size", SIZE_MAX, &u) > 0)
		d->max_size = (size_t)u;
	CFG_ENUM(c, e, "position", &enum_position, d->top);
	CFG_ENUM(c, e, "replies", &enum_replies, d->replies_skip);
	CFG_ENUM(c, e, "fallback", &enum_fallback, d->fallback);
	if (json_object_get(e, "text") == NULL &&
	    json_object_get(e, "html") == NULL)
		cfg_error(c, "expected \"text\" or \"html\"");
	if ((v = cfg_member(c, e, "match", &m)) != NULL) {
		entry_match(c, v, d);
		cfg_pop(c, m);
	}
	(void)cfg_addrs(c, e, "skip_senders", CFG_ADDR_FULL | CFG_ADDR_DOMAIN,
	    &d->skip_senders);
	skip_headers(c, e, d);
}

/* entry_match - who the entry is for; every criterion given must hold */
static void
entry_match(struct cfg_ctx *c, json_t *v, struct cfg_disclaimer *d)
{
	if (cfg_v_obj(c, v, match_keys) < 0)
		return;
	(void)cfg_addrs(c, v, "senders", CFG_ADDR_FULL | CFG_ADDR_DOMAIN,
	    &d->senders);
	(void)cfg_strs(c, v, "logins", &d->logins);
	(void)cfg_domains(c, v, "recipient_domains", &d->rcpt_domains);
	(void)cfg_bool(c, v, "external_recipients", &d->external);
}

/* skip_headers - skip_if_header: a list of { name, value } */
static void
skip_headers(struct cfg_ctx *c, json_t *e, struct cfg_disclaimer *d)
{
	json_t	*v, *t;
	size_t	 m, mi, i;

	if ((v = cfg_member(c, e, "skip_if_header", &m)) == NULL)
		return;
	if (cfg_v_arr(c, v) == 0 && json_array_size(v) > 0) {
		d->skip_hdr = xcalloc(json_array_size(v), sizeof(*d->skip_hdr));
		json_array_foreach(v, i, t) {
			mi = cfg_push_index(c, i);
			hdrtest_one(c, t, &d->skip_hdr[d->n_skip_hdr++]);
			cfg_pop(c, mi);
		}
	}
	cfg_pop(c, m);
}

/* hdrtest_one - { "name": N } (present) or { "name": N, "value": V } */
static void
hdrtest_one(struct cfg_ctx *c, json_t *t, struct cfg_hdrtest *h)
{
	size_t	 m;

	if (cfg_v_obj(c, t, hdrtest_keys) < 0)
		return;
	cfg_require(c, t, hdrtest_required);
	(void)cfg_checked(c, t, "name", cfg_ok_hdr_name, "header name",
	    "printable ASCII without \":\"", &h->name);
	if (cfg_str(c, t, "value", 0, &h->value) > 0 &&
	    !cfg_ok_hdr_value(h->value)) {
		(void)cfg_member(c, t, "value", &m);
		cfg_error(c, "header value must not contain line breaks or "
		    "control characters");
		cfg_pop(c, m);
	}
}

/* cfg_disclaimer_free - release an instance's disclaimer entries */
void
cfg_disclaimer_free(struct cfg_instance *in)
{
	struct cfg_disclaimer *d;
	size_t	 i, k;

	for (i = 0; i < in->disclaimer.n; i++) {
		d = &in->disclaimer.v[i];
		free(d->text);
		free(d->html);
		cfg_strv_free(&d->senders);
		cfg_strv_free(&d->logins);
		cfg_strv_free(&d->rcpt_domains);
		cfg_strv_free(&d->skip_senders);
		for (k = 0; k < d->n_skip_hdr; k++) {
			free(d->skip_hdr[k].name);
			free(d->skip_hdr[k].value);
		}
		free(d->skip_hdr);
	}
	free(in->disclaimer.v);
	in->disclaimer.v = NULL;
	in->disclaimer.n = 0;
}
