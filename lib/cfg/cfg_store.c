/* cfg_store.c - configuration loader: policyd.store (shared counters) */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "xalloc.h"

static const char *const store_keys[] = {
	"type", "server", "sentinel", "user", "password_file", "database",
	"prefix", "timeout_ms", "on_error", "local_share", NULL
};
static const char *const sentinel_keys[] = { "servers", "master", NULL };

#define CFG_SENTINELS_MAX	8	/* sentinels listed */

static const struct cfg_name type_names[] = {
	{ "memory", CFG_STORE_MEMORY }, { "redis", CFG_STORE_REDIS },
	{ NULL, 0 }
};
const struct cfg_enum cfg_enum_store_type = {
	"store type", "memory, redis", type_names
};
static const struct cfg_name err_names[] = {
	{ "local", CFG_STORE_LOCAL }, { "tempfail", CFG_STORE_TEMPFAIL },
	{ "accept", CFG_STORE_ACCEPT }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_store_on_error = {
	"on_error", "local, tempfail, accept", err_names
};

static int ok_server(const char *);
static void store_database(struct cfg_ctx *, json_t *, struct cfg_store *);
static void store_share(struct cfg_ctx *, json_t *, struct cfg_store *);
static void store_password(struct cfg_ctx *, json_t *, struct cfg_store *);
static void store_check(struct cfg_ctx *, json_t *, struct cfg_store *);
static void store_sentinel(struct cfg_ctx *, json_t *, struct cfg_store *);
static int elem_hostport(struct cfg_ctx *, json_t *, void *);
static void sentinel_servers(struct cfg_ctx *, json_t *, struct cfg_store *);

/* cfg_store_defaults - the embedded memory store */
void
cfg_store_defaults(struct cfg_store *s)
{
	memset(s, 0, sizeof(*s));
	s->type = CFG_STORE_MEMORY;
	s->prefix = xstrdup("gatepost:");
	s->timeout_ms = 100;
	s->on_error = CFG_STORE_LOCAL;
	s->local_share = 0.5;
}

/* cfg_store_free - what a store block owns */
void
cfg_store_free(struct cfg_store *s)
{
	free(s->server);
	cfg_strv_free(&s->sentinels);
	free(s->master);
	free(s->user);
	free(s->password_file);
	free(s->prefix);
}

/* cfg_ok_unix_path - "/path" or "unix:/path", short enough for sun_path */
int
cfg_ok_unix_path(const char *s)
{
	if (strncmp(s, "unix:", 5) == 0)
		s += 5;
	return s[0] == '/' && strlen(s) < 108;
}

/* ok_server - "HOST:PORT" or "unix:/path" */
static int
ok_server(const char *s)
{
	if (strncmp(s, "unix:", 5) == 0)
		return cfg_ok_unix_path(s);
	return cfg_ok_hostport(s);
}

/* cfg_walk_store - policyd.store */
void
cfg_walk_store(struct cfg_ctx *c, json_t *obj, struct cfg_store *s)
{
	unsigned long long u;
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, "store", &m)) == NULL)
		return;
	if (cfg_v_obj(c, v, store_keys) == 0) {
		CFG_ENUM(c, v, "type", &cfg_enum_store_type, s->type);
		(void)cfg_checked(c, v, "server", ok_server, "store server",
		    "HOST:PORT or unix:/path", &s->server);
		store_sentinel(c, v, s);
		(void)cfg_str(c, v, "user", 1, &s->user);
		store_password(c, v, s);
		store_database(c, v, s);
		(void)cfg_str(c, v, "prefix", 1, &s->prefix);
		if (cfg_uint(c, v, "timeout_ms", 60000, &u) > 0)
			s->timeout_ms = (unsigned)u;
		CFG_ENUM(c, v, "on_error", &cfg_enum_store_on_error, s->on_error);
		store_share(c, v, s);
		store_check(c, v, s);
	}
	cfg_pop(c, m);
}

/* elem_hostport - one sentinel "HOST:PORT" */
static int
elem_hostport(struct cfg_ctx *c, json_t *e, void *arg)
{
	struct cfg_strv *sv = arg;
	char	 q[CFG_QUOTE_MAX];
	const char *s;

	if (cfg_v_str(c, e, 1, &s) < 0)
		return -1;
	if (!cfg_ok_hostport(s)) {
		cfg_error(c, "bad sentinel %s (expected HOST:PORT)",
		    cfg_quote(q, sizeof(q), s));
		return -1;
	}
	cfg_strv_add(sv, xstrdup(s));
	return 0;
}

/* sentinel_servers - sentinel.servers: 1 to CFG_SENTINELS_MAX */
static void
sentinel_servers(struct cfg_ctx *c, json_t *l, struct cfg_store *s)
{
	json_t	*e;
	size_t	 i, mi;

	if (cfg_v_arr(c, l) < 0)
		return;
	if (json_array_size(l) == 0 || json_array_size(l) > CFG_SENTINELS_MAX) {
		cfg_error(c, "expected 1 to %d sentinels", CFG_SENTINELS_MAX);
		return;
	}
	json_array_foreach(l, i, e) {
		mi = cfg_push_index(c, i);
		(void)elem_hostport(c, e, &s->sentinels);
		cfg_pop(c, mi);
	}
}

/* store_sentinel - sentinel: { servers: [HOST:PORT...], master: NAME } */
static void
store_sentinel(struct cfg_ctx *c, json_t *obj, struct cfg_store *s)
{
	static const char *const required[] = { "servers", "master", NULL };
	json_t	*v, *l;
	size_t	 m, ml;

	if ((v = cfg_member(c, obj, "sentinel", &m)) == NULL)
		return;
	if (cfg_v_obj(c, v, sentinel_keys) == 0) {
		cfg_require(c, v, required);
		(void)cfg_str(c, v, "master", 1, &s->master);
		if ((l = cfg_member(c, v, "servers", &ml)) != NULL) {
			sentinel_servers(c, l, s);
			cfg_pop(c, ml);
		}
	}
	cfg_pop(c, m);
}

/* store_password - password_file, resolved against the config's dir */
static void
store_password(struct cfg_ctx *c, json_t *v, struct cfg_store *s)
{
	char	*p = NULL;
	size_t	 n;

	if (cfg_str(c, v, "password_file", 1, &p) <= 0)
		return;
	if (p[0] == '/' || c->basedir == NULL || c->basedir[0] == '\0') {
		s->password_file = p;
		return;
	}
	n = strlen(c->basedir) + strlen(p) + 2;
	s->password_file = xmalloc(n);
	(void)snprintf(s->password_file, n, "%s/%s", c->basedir, p);
	free(p);
}

/* store_database - a Redis database number, 0 to 15 */
static void
store_database(struct cfg_ctx *c, json_t *obj, struct cfg_store *s)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, "database", &m)) == NULL)
		return;
	if (!json_is_integer(v) || json_integer_value(v) < 0 ||
	    json_integer_value(v) > 15)
		cfg_error(c, "expected an integer from 0 to 15");
	else
		s->database = (unsigned)json_integer_value(v);
	cfg_pop(c, m);
}

/* store_share - local_share: a number in (0, 1] */
static void
store_share(struct cfg_ctx *c, json_t *obj, struct cfg_store *s)
{
	double	 d = s->local_share;
	size_t	 m;

	if (cfg_num(c, obj, "local_share", &d) <= 0)
		return;
	if (d > 0.0 && d <= 1.0) {
		s->local_share = d;
		return;
	}
	(void)cfg_member(c, obj, "local_share", &m);
	cfg_error(c, "local_share %g is out of range (expected more than 0, "
	    "at most 1)", d);
	cfg_pop(c, m);
}

/* store_check - a redis store needs its server; memory takes none */
static void
store_check(struct cfg_ctx *c, json_t *v, struct cfg_store *s)
{
	if (s->type == CFG_STORE_REDIS && s->server == NULL &&
	    s->master == NULL)
		cfg_error(c, "a redis store needs \"server\" or \"sentinel\"");
	if (s->server != NULL && s->master != NULL)
		cfg_error(c, "give \"server\" or \"sentinel\", not both");
	if (s->type == CFG_STORE_MEMORY && (s->server != NULL ||
	    s->master != NULL))
		cfg_warning(c, "store type memory ignores \"server\" and "
		    "\"sentinel\"");
}
