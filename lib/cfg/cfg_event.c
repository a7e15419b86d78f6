/* cfg_event.c - the config event: the hash and what a reload changed */
#include "config.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "log.h"
#include "sbuf.h"
#include "xalloc.h"

#define EV_MAX_KEYS	50		/* paths listed; then "truncated" */

struct ev_diff {
	struct sbuf keys;		/* JSON strings, comma separated */
	size_t	 n;			/* paths found */
	struct sbuf added, removed, changed; /* instance names */
	size_t	 n_added, n_removed, n_changed;
};

static void add_path(struct ev_diff *, const char *);
static void add_name(struct sbuf *, size_t *, const char *);
static void diff(struct ev_diff *, const char *, json_t *, json_t *);
static void diff_instances(struct ev_diff *, json_t *, json_t *);
static json_t *by_name(json_t *, const char *);

/* add_path - one changed key path */
static void
add_path(struct ev_diff *d, const char *path)
{
	if (d->n++ >= EV_MAX_KEYS)
		return;
	if (d->keys.len > 0)
		sbuf_putc(&d->keys, ',');
	sbuf_json_str(&d->keys, path[0] != '\0' ? path : "(top)", 200);
}

/* add_name - an instance name into one of the three lists */
static void
add_name(struct sbuf *b, size_t *n, const char *name)
{
	if ((*n)++ >= EV_MAX_KEYS)
		return;
	if (b->len > 0)
		sbuf_putc(b, ',');
	sbuf_json_str(b, name, 100);
}

/* by_name - the instance object called name in an array, or NULL */
static json_t *
by_name(json_t *arr, const char *name)
{
	json_t	*e, *n;
	size_t	 i;

	json_array_foreach(arr, i, e) {
		n = json_object_get(e, "name");
		if (json_is_string(n) && strcmp(json_string_value(n), name) == 0)
			return e;
	}
	return NULL;
}

/* diff_instances - instances matched by name: added, removed, changed */
static void
diff_instances(struct ev_diff *d, json_t *a, json_t *b)
{
	json_t	*e, *n, *o;
	size_t	 i, before;
	char	 path[256];

	json_array_foreach(a, i, e) {
		n = json_object_get(e, "name");
		if (!json_is_string(n))
			continue;
		(void)snprintf(path, sizeof(path), "instances[%s]",
		    json_string_value(n));
		if ((o = by_name(b, json_string_value(n))) == NULL) {
			add_name(&d->removed, &d->n_removed,
			    json_string_value(n));
			add_path(d, path);
			continue;
		}
		before = d->n;
		diff(d, path, e, o);
		if (d->n > before)
			add_name(&d->changed, &d->n_changed,
			    json_string_value(n));
	}
	json_array_foreach(b, i, e) {
		n = json_object_get(e, "name");
		if (!json_is_string(n) || by_name(a, json_string_value(n)))
			continue;
		(void)snprintf(path, sizeof(path), "instances[%s]",
		    json_string_value(n));
		add_name(&d->added, &d->n_added, json_string_value(n));
		add_path(d, path);
	}
}

/* diff - every key path whose value differs between a and b */
static void
diff(struct ev_diff *d, const char *path, json_t *a, json_t *b)
{
	const char *k;
	json_t	*v;
	char	 sub[256];

	if (json_is_object(a) && json_is_object(b)) {
		json_object_foreach(a, k, v) {
			(void)snprintf(sub, sizeof(sub), "%s%s%s", path,
			    *path != '\0' ? "." : "", k);
			if (json_object_get(b, k) == NULL)
				add_path(d, sub);
			else
				diff(d, sub, v, json_object_get(b, k));
		}
		json_object_foreach(b, k, v) {
			(void)snprintf(sub, sizeof(sub), "%s%s%s", path,
			    *path != '\0' ? "." : "", k);
			if (json_object_get(a, k) == NULL)
				add_path(d, sub);
		}
		return;
	}
	if (strcmp(path, "instances") == 0 && json_is_array(a) &&
	    json_is_array(b)) {
		diff_instances(d, a, b);
		return;
	}
	if (!json_equal(a, b))
		add_path(d, path);
}

/* cfg_event - the config event of docs/events.md, malloc'ed JSON */
char *
cfg_event(const struct cfg *old, const struct cfg *cur, time_t now,
    const char *daemon)
{
	struct ev_diff d;
	struct sbuf b;
	json_t	*ja = NULL, *jb = NULL;

	memset(&d, 0, sizeof(d));
	sbuf_init(&d.keys);
	sbuf_init(&d.added);
	sbuf_init(&d.removed);
	sbuf_init(&d.changed);
	sbuf_init(&b);
	log_event_head(&b, "config", now, daemon);
	sbuf_printf(&b, ",\"reason\":\"%s\",\"path\":", old != NULL ?
	    "reload" : "start");
	sbuf_json_str(&b, cur->path, 1000);
	sbuf_printf(&b, ",\"hash\":\"sha256:%s\",\"previous_hash\":",
	    cur->hash);
	if (old != NULL)
		sbuf_printf(&b, "\"sha256:%s\"", old->hash);
	else
		sbuf_puts(&b, "null");
	sbuf_printf(&b, ",\"instance_count\":%zu", cur->n_inst);
	if (old != NULL && old->text != NULL && cur->text != NULL &&
	    (ja = json_loads(old->text, 0, NULL)) != NULL &&
	    (jb = json_loads(cur->text, 0, NULL)) != NULL)
		diff(&d, "", ja, jb);
	json_decref(ja);
	json_decref(jb);
	sbuf_printf(&b, ",\"instances\":{\"added\":[%s],\"removed\":[%s],"
	    "\"changed\":[%s]},\"keys\":[%s],\"keys_truncated\":%s}",
	    sbuf_str(&d.added), sbuf_str(&d.removed), sbuf_str(&d.changed),
	    sbuf_str(&d.keys), d.n > EV_MAX_KEYS ? "true" : "false");
	sbuf_free(&d.keys);
	sbuf_free(&d.added);
	sbuf_free(&d.removed);
	sbuf_free(&d.changed);
	return sbuf_take(&b);
}

/* cfg_event_open - open cfg's event log and write its config event */
int
cfg_event_open(const struct cfg *old, const struct cfg *cfg)
{
	char	 why[256], *ev;

	if (log_events_open(cfg->log.format == CFG_LOG_JSON, cfg->log.file,
	    why, sizeof(why)) < 0) {
		log_err("log.file %s", why);
		return -1;
	}
	if (cfg->log.format == CFG_LOG_JSON) {
		ev = cfg_event(old, cfg, time(NULL), log_ident_name());
		log_event(ev);
		free(ev);
	}
	return 0;
}
