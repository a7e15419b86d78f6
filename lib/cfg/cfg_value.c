/* cfg_value.c - configuration loader: typed values and members */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cfg_int.h"
#include "xalloc.h"


static void elem_net(struct cfg_ctx *, json_t *, void *);
static void elem_domain(struct cfg_ctx *, json_t *, void *);
static void elem_str(struct cfg_ctx *, json_t *, void *);

struct addr_arg {
	unsigned forms;			/* CFG_ADDR_* */
	struct cfg_strv *out;		/* borrowed: the list to extend */
};
static void elem_addr(struct cfg_ctx *, json_t *, void *);

static const struct cfg_name act_names[] = {
	{ "reject", CFG_ACT_REJECT }, { "tempfail", CFG_ACT_TEMPFAIL },
	{ "defer", CFG_ACT_TEMPFAIL }, { "hold", CFG_ACT_HOLD },
	{ "tag", CFG_ACT_TAG }, { "accept", CFG_ACT_ACCEPT }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_act = {
	"action", "reject, tempfail, hold, tag, accept", act_names
};

static const struct cfg_name rl_act_names[] = {
	{ "defer", CFG_ACT_DEFER }, { "tempfail", CFG_ACT_DEFER },
	{ "hold", CFG_ACT_HOLD }, { "reject", CFG_ACT_REJECT }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_rl_act = {
	"action", "defer, hold, reject", rl_act_names
};

static const struct cfg_name on_error_names[] = {
	{ "tempfail", CFG_ACT_TEMPFAIL }, { "defer", CFG_ACT_TEMPFAIL },
	{ "accept", CFG_ACT_ACCEPT }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_on_error = {
	"action", "tempfail, accept", on_error_names
};

static const struct cfg_name virus_act_names[] = {
	{ "reject", CFG_ACT_REJECT }, { "hold", CFG_ACT_HOLD }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_virus_act = {
	"action", "reject, hold", virus_act_names
};

static const struct cfg_name spam_oversize_names[] = {
	{ "truncate", CFG_OVERSIZE_TRUNCATE }, { "tag", CFG_OVERSIZE_TAG },
	{ "accept", CFG_OVERSIZE_ACCEPT }, { "reject", CFG_OVERSIZE_REJECT },
	{ NULL, 0 }
};
const struct cfg_enum cfg_enum_spam_oversize = {
	"oversize", "truncate, tag, accept, reject", spam_oversize_names
};

static const struct cfg_name virus_oversize_names[] = {
	{ "reject", CFG_OVERSIZE_REJECT }, { "accept", CFG_OVERSIZE_ACCEPT },
	{ NULL, 0 }
};
const struct cfg_enum cfg_enum_virus_oversize = {
	"oversize", "reject, accept", virus_oversize_names
};

static const struct cfg_name unknown_names[] = {
	{ "tempfail", CFG_ACT_TEMPFAIL }, { "defer", CFG_ACT_TEMPFAIL },
	{ "reject", CFG_ACT_REJECT }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_unknown = {
	"action", "tempfail, reject", unknown_names
};

static const struct cfg_name dir_names[] = {
	{ "inbound", CFG_DIR_INBOUND }, { "outbound", CFG_DIR_OUTBOUND },
	{ "internal", CFG_DIR_INTERNAL }, { "local", CFG_DIR_LOCAL },
	{ NULL, 0 }
};
const struct cfg_enum cfg_enum_dir = {
	"direction", "inbound, outbound, internal, local", dir_names
};

static const struct cfg_name mode_names[] = {
	{ "enforce", CFG_MODE_ENFORCE }, { "monitor", CFG_MODE_MONITOR },
	{ NULL, 0 }
};
const struct cfg_enum cfg_enum_mode = {
	"mode", "enforce, monitor", mode_names
};

static const struct cfg_name auth_names[] = {
	{ "forbid", CFG_AUTH_FORBID }, { "require", CFG_AUTH_REQUIRE },
	{ "optional", CFG_AUTH_OPTIONAL }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_auth = {
	"auth setting", "forbid, require, optional", auth_names
};

static const struct cfg_name log_format_names[] = {
	{ "text", CFG_LOG_TEXT }, { "json", CFG_LOG_JSON }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_log_format = {
	"log format", "text, json", log_format_names
};

static const struct cfg_name tls_level_names[] = {
	{ "may", CFG_TLS_MAY }, { "encrypt", CFG_TLS_ENCRYPT }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_tls_level = {
	"TLS level", "may, encrypt", tls_level_names
};

static const struct cfg_name tls_proto_names[] = {
	{ "TLSv1", CFG_TLSP_1_0 }, { "TLSv1.1", CFG_TLSP_1_1 },
	{ "TLSv1.2", CFG_TLSP_1_2 }, { "TLSv1.3", CFG_TLSP_1_3 },
	{ NULL, 0 }
};
const struct cfg_enum cfg_enum_tls_proto = {
	"TLS protocol", "TLSv1, TLSv1.1, TLSv1.2, TLSv1.3", tls_proto_names
};

/* cfg_tls_level_name - "may", "encrypt"; "unset" */
const char *
cfg_tls_level_name(enum cfg_tls_level l)
{
	return l == CFG_TLS_MAY ? "may" : l == CFG_TLS_ENCRYPT ? "encrypt" :
	    "unset";
}

/* cfg_tls_proto_name - "TLSv1.2"; "unset" */
const char *
cfg_tls_proto_name(enum cfg_tls_proto p)
{
	size_t	 i;

	for (i = 0; tls_proto_names[i].name != NULL; i++)
		if ((int)tls_proto_names[i].val == (int)p)
			return tls_proto_names[i].name;
	return "unset";
}

static const struct cfg_name rcpts_names[] = {
	{ "internal", CFG_RCPTS_INTERNAL }, { "external", CFG_RCPTS_EXTERNAL },
	{ "any", CFG_RCPTS_ANY }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_rcpts = {
	"recipients setting", "internal, external, any", rcpts_names
};

static const struct cfg_name rl_key_names[] = {
	{ "sasl_username", CFG_RL_SASL }, { "client_address", CFG_RL_CLIENT },
	{ "sender", CFG_RL_SENDER }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_rl_key = {
	"rate limit key", "sasl_username, client_address, sender",
	rl_key_names
};

static const struct cfg_name rl_count_names[] = {
	{ "messages", CFG_RL_MESSAGES }, { "recipients", CFG_RL_RECIPIENTS },
	{ NULL, 0 }
};
const struct cfg_enum cfg_enum_rl_count = {
	"count", "messages, recipients", rl_count_names
};

static const struct cfg_name spam_engine_names[] = {
	{ "spamd", CFG_ENG_SPAMD }, { "rspamd", CFG_ENG_RSPAMD }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_spam_engine = {
	"engine", "spamd, rspamd", spam_engine_names
};

static const struct cfg_name virus_engine_names[] = {
	{ "clamd", CFG_ENG_CLAMD }, { NULL, 0 }
};
const struct cfg_enum cfg_enum_virus_engine = {
	"engine", "clamd", virus_engine_names
};

/* cfg_v_obj - the value must be an object with only the given keys */
int
cfg_v_obj(struct cfg_ctx *c, json_t *v, const char *const *keys)
{
	char	 q[CFG_QUOTE_MAX];
	const char *key, *const *k;
	json_t	*m;
	size_t	 mark;

	if (!json_is_object(v)) {
		cfg_error(c, "expected an object");
		return -1;
	}
	json_object_foreach(v, key, m) {
		for (k = keys; *k != NULL && strcmp(*k, key) != 0; k++)
			continue;
		if (*k != NULL)
			continue;
		mark = jpos_path_key(&c->src.path, key);
		cfg_error_key(c, "unknown key %s",
		    cfg_quote(q, sizeof(q), key));
		cfg_pop(c, mark);
	}
	return 0;
}

/* cfg_require - report each missing key at the object */
void
cfg_require(struct cfg_ctx *c, json_t *obj, const char *const *keys)
{
	for (; *keys != NULL; keys++)
		if (json_object_get(obj, *keys) == NULL)
			cfg_error(c, "missing key \"%s\"", *keys);
}

/* cfg_v_arr - the value must be an array */
int
cfg_v_arr(struct cfg_ctx *c, json_t *v)
{
	if (json_is_array(v))
		return 0;
	cfg_error(c, "expected an array");
	return -1;
}

/* cfg_v_str - the value must be a string, maybe a non-empty one */
int
cfg_v_str(struct cfg_ctx *c, json_t *v, int nonempty, const char **out)
{
	if (!json_is_string(v)) {
		cfg_error(c, "expected a string");
		return -1;
	}
	if (nonempty && json_string_length(v) == 0) {
		cfg_error(c, "expected a non-empty string");
		return -1;
	}
	*out = json_string_value(v);
	return 0;
}

/* cfg_v_uint - the value must be an integer from 1 to max */
int
cfg_v_uint(struct cfg_ctx *c, json_t *v, unsigned long long max,
    unsigned long long *out)
{
	json_int_t i;

	if (!json_is_integer(v) || (i = json_integer_value(v)) < 1) {
		cfg_error(c, "expected a positive integer");
		return -1;
	}
	if ((unsigned long long)i > max) {
		cfg_error(c, "%lld is too large (at most %llu)", (long long)i,
		    max);
		return -1;
	}
	*out = (unsigned long long)i;
	return 0;
}

/* cfg_v_enum - the value must be one of the table's names */
int
cfg_v_enum(struct cfg_ctx *c, json_t *v, const struct cfg_enum *tab,
    int *out)
{
	const struct cfg_name *n;
	const char *s;
	char	 q[CFG_QUOTE_MAX];

	if (cfg_v_str(c, v, 0, &s) < 0)
		return -1;
	for (n = tab->v; n->name != NULL; n++) {
		if (strcmp(n->name, s) == 0) {
			*out = n->val;
			return 0;
		}
	}
	cfg_error(c, "unknown %s %s (expected %s)", tab->noun,
	    cfg_quote(q, sizeof(q), s), tab->expect);
	return -1;
}

/* cfg_v_cidr - the value must be an address or prefix */
int
cfg_v_cidr(struct cfg_ctx *c, json_t *v, struct cidr *out)
{
	const char *s;
	char	 q[CFG_QUOTE_MAX], why[256];

	if (cfg_v_str(c, v, 0, &s) < 0)
		return -1;
	why[0] = '\0';
	if (cidr_parse(s, out, why, sizeof(why)) == 0)
		return 0;
	cfg_error(c, "bad CIDR %s: %s", cfg_quote(q, sizeof(q), s),
	    why[0] != '\0' ? why : "not an address or prefix");
	return -1;
}

/* cfg_v_domain - the value must be a domain, ".domain" for subdomains */
int
cfg_v_domain(struct cfg_ctx *c, json_t *v, char **out)
{
	const char *s;
	char	 q[CFG_QUOTE_MAX], buf[ADDR_DOMAIN_MAX + 1];
	int	 sub;

	if (cfg_v_str(c, v, 0, &s) < 0)
		return -1;
	sub = s[0] == '.';
	buf[0] = '.';
	if (domain_normalize(s + sub, buf + 1, sizeof(buf) - 1) < 0 ||
	    buf[1] == '\0' || buf[1] == '[') {
		cfg_error(c, "bad domain %s", cfg_quote(q, sizeof(q), s));
		return -1;
	}
	*out = xstrdup(sub ? buf : buf + 1);
	return 0;
}

/* cfg_v_addr - the value must be an address in one of the given forms */
int
cfg_v_addr(struct cfg_ctx *c, json_t *v, unsigned forms, char **out)
{
	const char *s;
	char	 q[CFG_QUOTE_MAX], buf[ADDR_LOCAL_MAX + ADDR_DOMAIN_MAX + 2];
	char	 why[256];

	if (cfg_v_str(c, v, 0, &s) < 0)
		return -1;
	if (cfg_norm_addr(s, forms, buf, sizeof(buf), why, sizeof(why)) < 0) {
		cfg_error(c, "bad address %s: %s", cfg_quote(q, sizeof(q), s),
		    why);
		return -1;
	}
	*out = xstrdup(buf);
	return 0;
}

/* cfg_str - obj.key as a new string */
int
cfg_str(struct cfg_ctx *c, json_t *obj, const char *key, int nonempty,
    char **out)
{
	const char *s;
	json_t	*v;
	size_t	 m;
	int	 r = -1;

	if ((v = cfg_member(c, obj, key, &m)) == NULL)
		return 0;
	if (cfg_v_str(c, v, nonempty, &s) == 0) {
		free(*out);
		*out = xstrdup(s);
		r = 1;
	}
	cfg_pop(c, m);
	return r;
}

/* cfg_uint - obj.key as an integer from 1 to max */
int
cfg_uint(struct cfg_ctx *c, json_t *obj, const char *key,
    unsigned long long max, unsigned long long *out)
{
	json_t	*v;
	size_t	 m;
	int	 r;

	if ((v = cfg_member(c, obj, key, &m)) == NULL)
		return 0;
	r = cfg_v_uint(c, v, max, out) == 0 ? 1 : -1;
	cfg_pop(c, m);
	return r;
}

/* cfg_num - obj.key as a number (integer or real) */
int
cfg_num(struct cfg_ctx *c, json_t *obj, const char *key, double *out)
{
	json_t	*v;
	size_t	 m;
	int	 r = 1;

	if ((v = cfg_member(c, obj, key, &m)) == NULL)
		return 0;
	if (json_is_number(v))
		*out = json_number_value(v);
	else {
		cfg_error(c, "expected a number");
		r = -1;
	}
	cfg_pop(c, m);
	return r;
}

/* cfg_bool - obj.key as 0 or 1 */
int
cfg_bool(struct cfg_ctx *c, json_t *obj, const char *key, int *out)
{
	json_t	*v;
	size_t	 m;
	int	 r = 1;

	if ((v = cfg_member(c, obj, key, &m)) == NULL)
		return 0;
	if (json_is_boolean(v))
		*out = json_is_true(v);
	else {
		cfg_error(c, "expected true or false");
		r = -1;
	}
	cfg_pop(c, m);
	return r;
}

/* cfg_enum - obj.key as one of a table's values */
int
cfg_enum(struct cfg_ctx *c, json_t *obj, const char *key,
    const struct cfg_enum *tab, int *out)
{
	json_t	*v;
	size_t	 m;
	int	 r;

	if ((v = cfg_member(c, obj, key, &m)) == NULL)
		return 0;
	r = cfg_v_enum(c, v, tab, out) == 0 ? 1 : -1;
	cfg_pop(c, m);
	return r;
}

/* cfg_checked - obj.key as a string that passes ok() */
int
cfg_checked(struct cfg_ctx *c, json_t *obj, const char *key,
    int (*ok)(const char *), const char *what, const char *expect,
    char **out)
{
	const char *s;
	char	 q[CFG_QUOTE_MAX];
	json_t	*v;
	size_t	 m;
	int	 r = -1;

	if ((v = cfg_member(c, obj, key, &m)) == NULL)
		return 0;
	if (cfg_v_str(c, v, 1, &s) == 0) {
		if (ok(s)) {
			free(*out);
			*out = xstrdup(s);
			r = 1;
		} else
			cfg_error(c, "bad %s %s (expected %s)", what,
			    cfg_quote(q, sizeof(q), s), expect);
	}
	cfg_pop(c, m);
	return r;
}

/* cfg_list - obj.key must be an array; fn() takes each element */
int
cfg_list(struct cfg_ctx *c, json_t *obj, const char *key, cfg_elem_fn *fn,
    void *arg)
{
	json_t	*v, *e;
	size_t	 m, i, mi;
	int	 r = 1;

	if ((v = cfg_member(c, obj, key, &m)) == NULL)
		return 0;
	if (cfg_v_arr(c, v) == 0) {
		json_array_foreach(v, i, e) {
			mi = cfg_push_index(c, i);
			fn(c, e, arg);
			cfg_pop(c, mi);
		}
	} else
		r = -1;
	cfg_pop(c, m);
	return r;
}

/* elem_net - one CIDR list element */
static void
elem_net(struct cfg_ctx *c, json_t *e, void *arg)
{
	struct cfg_nets *nets = arg;
	struct cidr net;

	if (cfg_v_cidr(c, e, &net) < 0)
		return;
	nets->v = xreallocarray(nets->v, nets->n + 1, sizeof(*nets->v));
	nets->v[nets->n++] = net;
}

/* cfg_nets - obj.key as a list of prefixes, appended to out */
int
cfg_nets(struct cfg_ctx *c, json_t *obj, const char *key,
    struct cfg_nets *out)
{
	return cfg_list(c, obj, key, elem_net, out);
}

/* elem_domain - one domain list element */
static void
elem_domain(struct cfg_ctx *c, json_t *e, void *arg)
{
	char	*d;

	if (cfg_v_domain(c, e, &d) < 0)
		return;
	if (cfg_strv_has(arg, d))	/* lists drop repeats (cfg(3h)) */
		free(d);
	else
		cfg_strv_add(arg, d);
}

/* cfg_domains - obj.key as a list of domains, appended to out */
int
cfg_domains(struct cfg_ctx *c, json_t *obj, const char *key,
    struct cfg_strv *out)
{
	return cfg_list(c, obj, key, elem_domain, out);
}

/* elem_addr - one address list element; repeats are dropped */
static void
elem_addr(struct cfg_ctx *c, json_t *e, void *arg)
{
	struct addr_arg *a = arg;
	char	*s;

	if (cfg_v_addr(c, e, a->forms, &s) < 0)
		return;
	if (cfg_strv_has(a->out, s))
		free(s);
	else
		cfg_strv_add(a->out, s);
}

/* cfg_addrs - obj.key as a list of addresses, appended to out */
int
cfg_addrs(struct cfg_ctx *c, json_t *obj, const char *key, unsigned forms,
    struct cfg_strv *out)
{
	struct addr_arg a = { forms, out };

	return cfg_list(c, obj, key, elem_addr, &a);
}

/* elem_str - one non-empty string list element */
static void
elem_str(struct cfg_ctx *c, json_t *e, void *arg)
{
	const char *s;

	if (cfg_v_str(c, e, 1, &s) == 0)
		cfg_strv_add(arg, xstrdup(s));
}

/* cfg_strs - obj.key as a list of non-empty strings, appended to out */
int
cfg_strs(struct cfg_ctx *c, json_t *obj, const char *key,
    struct cfg_strv *out)
{
	return cfg_list(c, obj, key, elem_str, out);
}
