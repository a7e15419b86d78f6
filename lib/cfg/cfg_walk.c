/* cfg_walk.c - configuration loader: walk a JSON object by the key table */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"

#define CFG_BLOCK_KEYS	40		/* keys of one block, at most */
#define CFG_NAME_MAX	40		/* bytes of one key name */

_Static_assert(sizeof(enum cfg_act) == sizeof(int) &&
    sizeof(enum cfg_dir) == sizeof(int), "enum fields are stored as int");

static const char *child_name(const struct cfg_key *, const char *,
    char *, size_t);
static void member(struct cfg_ctx *, json_t *, const struct cfg_key *,
    const char *, void *);
static void member_block(struct cfg_ctx *, json_t *, const struct cfg_key *,
    const char *, void *);
static void member_mode(struct cfg_ctx *, json_t *, const char *, int *);
static void member_addr(struct cfg_ctx *, json_t *, const struct cfg_key *,
    const char *, char **);
static void put_uint(void *, size_t, unsigned long long);
static void apply_default(const struct cfg_key *, void *);

/*
 * child_name - the key's name when it is a direct member of the block at
 * parent ("" is the top level), copied to buf without a trailing "[]";
 * NULL when it is not one.
 */
static const char *
child_name(const struct cfg_key *k, const char *parent, char *buf,
    size_t len)
{
	size_t	 plen = strlen(parent), n;
	const char *rest = k->path;

	if (plen > 0) {
		if (strncmp(k->path, parent, plen) != 0 || k->path[plen] != '.')
			return NULL;
		rest = k->path + plen + 1;
	}
	if (strchr(rest, '.') != NULL)
		return NULL;
	n = strlen(rest);
	if (n >= 2 && strcmp(rest + n - 2, "[]") == 0)
		n -= 2;
	if (n == 0 || n >= len)
		return NULL;
	memcpy(buf, rest, n);
	buf[n] = '\0';
	return buf;
}

/*
 * cfg_walk_block - the object at path, by the table: its keys checked,
 * each member read into base.  Returns -1 when obj is not an object.
 */
int
cfg_walk_block(struct cfg_ctx *c, json_t *obj, const char *path, void *base)
{
	static const char *const none[] = { NULL };
	char	 names[CFG_BLOCK_KEYS][CFG_NAME_MAX];
	const char *keys[CFG_BLOCK_KEYS + 1], *req[CFG_BLOCK_KEYS + 1];
	const struct cfg_key *kv[CFG_BLOCK_KEYS];
	size_t	 i, nk = 0, nr = 0;

	for (i = 0; i < cfg_nkeys && nk < CFG_BLOCK_KEYS; i++) {
		if (child_name(&cfg_keys[i], path, names[nk],
		    sizeof(names[nk])) == NULL)
			continue;
		kv[nk] = &cfg_keys[i];
		keys[nk] = names[nk];
		if (cfg_keys[i].flags & CFG_KF_REQUIRED)
			req[nr++] = names[nk];
		nk++;
	}
	keys[nk] = NULL;
	req[nr] = NULL;
	if (cfg_v_obj(c, obj, nk > 0 ? keys : none) < 0)
		return -1;
	cfg_require(c, obj, req);
	for (i = 0; i < nk; i++)
		member(c, obj, kv[i], names[i], base);
	return 0;
}

/* member - one member of obj, as its key says */
static void
member(struct cfg_ctx *c, json_t *obj, const struct cfg_key *k,
    const char *name, void *base)
{
	char	*f = (char *)base + (k->off != CFG_NOOFF ? k->off : 0);
	unsigned long long u;
	double	 d;
	int	 iv, r = 0;

	switch (k->type) {
	case CFG_K_BLOCK:
		member_block(c, obj, k, name, base);
		return;
	case CFG_K_CUSTOM:
		k->walk(c, obj, base);
		return;
	case CFG_K_ENUM:
		if ((r = cfg_enum(c, obj, name, k->en, &iv)) > 0)
			memcpy(f, &iv, sizeof(iv));
		break;
	case CFG_K_UINT:
		if ((r = cfg_uint(c, obj, name, k->max, &u)) > 0)
			put_uint(f, k->size, u);
		break;
	case CFG_K_NUM:
		if ((r = cfg_num(c, obj, name, &d)) > 0)
			memcpy(f, &d, sizeof(d));
		break;
	case CFG_K_BOOL:
		r = cfg_bool(c, obj, name, (int *)(void *)f);
		break;
	case CFG_K_STR:
	case CFG_K_TEXT:
		r = cfg_str(c, obj, name, k->type == CFG_K_STR,
		    (char **)(void *)f);
		break;
	case CFG_K_CHECKED:
		r = cfg_checked(c, obj, name, k->ok, k->what, k->expect,
		    (char **)(void *)f);
		break;
	case CFG_K_MODE:
		member_mode(c, obj, name, (int *)(void *)f);
		break;
	case CFG_K_ADDR:
		member_addr(c, obj, k, name, (char **)(void *)f);
		break;
	case CFG_K_ADDRS:
		r = cfg_addrs(c, obj, name, k->forms,
		    (struct cfg_strv *)(void *)f);
		break;
	case CFG_K_DOMAINS:
		r = cfg_domains(c, obj, name, (struct cfg_strv *)(void *)f);
		break;
	case CFG_K_NETS:
		r = cfg_nets(c, obj, name, (struct cfg_nets *)(void *)f);
		break;
	case CFG_K_STRS:
		r = cfg_strs(c, obj, name, (struct cfg_strv *)(void *)f);
		break;
	}
	if (r != 0 && k->has != CFG_NOOFF)
		*(int *)(void *)((char *)base + k->has) = 1;
}

/* member_block - a block: marked present, walked, then checked */
static void
member_block(struct cfg_ctx *c, json_t *obj, const struct cfg_key *k,
    const char *name, void *base)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, name, &m)) == NULL)
		return;
	if (k->has != CFG_NOOFF)
		*(int *)(void *)((char *)base + k->has) = 1;
	if (cfg_walk_block(c, v, k->path, base) == 0 && k->walk != NULL)
		k->walk(c, v, base);
	cfg_pop(c, m);
}

/* member_mode - a socket mode: a string of octal digits, e.g. "0660" */
static void
member_mode(struct cfg_ctx *c, json_t *obj, const char *name, int *out)
{
	char	 q[CFG_QUOTE_MAX];
	json_t	*v;
	size_t	 m;
	int	 mode;

	if ((v = cfg_member(c, obj, name, &m)) == NULL)
		return;
	if (!json_is_string(v))
		cfg_error(c, "expected a string of octal digits such as "
		    "\"0660\"");
	else if ((mode = cfg_parse_octal_mode(json_string_value(v))) < 0)
		cfg_error(c, "bad %s %s (expected up to 4 octal digits such "
		    "as \"0660\")", name,
		    cfg_quote(q, sizeof(q), json_string_value(v)));
	else
		*out = mode;
	cfg_pop(c, m);
}

/* member_addr - one address of the key's forms */
static void
member_addr(struct cfg_ctx *c, json_t *obj, const struct cfg_key *k,
    const char *name, char **out)
{
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, name, &m)) == NULL)
		return;
	free(*out);
	*out = NULL;
	(void)cfg_v_addr(c, v, k->forms, out);
	cfg_pop(c, m);
}

/* put_uint - store into an unsigned field of the given size */
static void
put_uint(void *f, size_t size, unsigned long long u)
{
	unsigned v4;
	unsigned long long v8;

	if (size == sizeof(v4)) {
		v4 = (unsigned)u;
		memcpy(f, &v4, sizeof(v4));
	} else {
		v8 = u;
		memcpy(f, &v8, sizeof(v8));
	}
}

/*
 * cfg_defaults_apply - write the table's defaults for the block at path
 * ("" is the top level) and its sub-blocks, not into nested lists.
 */
void
cfg_defaults_apply(const char *path, void *base)
{
	size_t	 i, plen = strlen(path);
	const char *rest;

	for (i = 0; i < cfg_nkeys; i++) {
		const struct cfg_key *k = &cfg_keys[i];

		if (k->def == NULL || (k->flags & CFG_KF_COMPUTED))
			continue;
		if (plen > 0 && (strncmp(k->path, path, plen) != 0 ||
		    k->path[plen] != '.'))
			continue;
		rest = plen > 0 ? k->path + plen + 1 : k->path;
		if (strstr(rest, "[]") == NULL)
			apply_default(k, base);
	}
}

/* apply_default - one key's default, from its JSON text */
static void
apply_default(const struct cfg_key *k, void *base)
{
	char	*f = (char *)base + k->off;
	const struct cfg_name *n;
	double	 d;
	int	 iv;

	switch (k->type) {
	case CFG_K_ENUM:
		for (n = k->en->v; n->name != NULL; n++)
			if (k->def[0] == '"' &&
			    strncmp(k->def + 1, n->name, strlen(n->name)) == 0 &&
			    k->def[strlen(n->name) + 1] == '"')
				break;
		if (n->name != NULL) {
			iv = n->val;
			memcpy(f, &iv, sizeof(iv));
		}
		break;
	case CFG_K_UINT:
		put_uint(f, k->size, strtoull(k->def, NULL, 10));
		break;
	case CFG_K_NUM:
		d = strtod(k->def, NULL);
		memcpy(f, &d, sizeof(d));
		break;
	case CFG_K_BOOL:
		iv = strcmp(k->def, "true") == 0;
		memcpy(f, &iv, sizeof(iv));
		break;
	default:
		break;
	}
}
