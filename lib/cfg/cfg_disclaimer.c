/* cfg_disclaimer.c - configuration loader: an instance's disclaimer */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "xalloc.h"

#define MIB	((size_t)1024 * 1024)

static const struct cfg_name fallback_names[] = {
	{ "pass", 0 }, { "wrap", 1 }, { "reject", 2 }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_dc_fallback = {
	"fallback", "pass, wrap, reject", fallback_names
};
static const struct cfg_name replies_names[] = {
	{ "always", 0 }, { "skip", 1 }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_dc_replies = {
	"replies", "always, skip", replies_names
};
static const struct cfg_name position_names[] = {
	{ "bottom", 0 }, { "top", 1 }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_dc_position = {
	"position", "bottom, top", position_names
};

#define ENTRY		"instances[].disclaimer[]"

static void entry_walk(struct cfg_ctx *, json_t *, struct cfg_disclaimer *);
static cfg_elem_fn hdrtest_one;

/*
 * cfg_w_disclaimer - "disclaimer": one entry (an object, as before
 * issue 19) or a list of 1..CFG_DISCLAIMERS_MAX entries, first match
 * wins; each entry's keys come from the key table (ENTRY)
 */
void
cfg_w_disclaimer(struct cfg_ctx *c, json_t *obj, void *base)
{
	struct cfg_instance *in = base;
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

/* entry_walk - one disclaimer entry, by the key table */
static void
entry_walk(struct cfg_ctx *c, json_t *e, struct cfg_disclaimer *d)
{
	cfg_defaults_apply(ENTRY, d);
	if (cfg_walk_block(c, e, ENTRY, d) < 0)
		return;
	if (json_object_get(e, "text") == NULL &&
	    json_object_get(e, "html") == NULL)
		cfg_error(c, "expected \"text\" or \"html\"");
}

/* cfg_w_dc_skip_headers - skip_if_header: a list of { name, value } */
void
cfg_w_dc_skip_headers(struct cfg_ctx *c, json_t *e, void *base)
{
	(void)cfg_list(c, e, "skip_if_header", hdrtest_one, base);
}

/* hdrtest_one - { "name": N } (present) or { "name": N, "value": V } */
static void
hdrtest_one(struct cfg_ctx *c, json_t *t, void *base)
{
	struct cfg_disclaimer *d = base;
	struct cfg_hdrtest *h;
	size_t	 m;

	d->skip_hdr = xreallocarray(d->skip_hdr, d->n_skip_hdr + 1,
	    sizeof(*d->skip_hdr));
	h = &d->skip_hdr[d->n_skip_hdr++];
	h->name = h->value = NULL;
	if (cfg_walk_block(c, t, ENTRY ".skip_if_header[]", h) < 0)
		return;
	if (h->value != NULL && !cfg_ok_hdr_value(h->value)) {
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
