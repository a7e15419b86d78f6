/* cfg_sendas.c - configuration loader: send_as and the send-as file */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg_int.h"
#include "xalloc.h"

#define CFG_WHY_MAX	256		/* bytes of a reader's reason */

struct login_ord {			/* a login and where it came from */
	struct cfg_login l;		/* moved in and out, not copied */
	size_t	 seq;			/* position before sorting */
};

static void walk_logins(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void login_one(struct cfg_ctx *, const char *, json_t *,
    struct cfg_instance *);
static char *path_join(const char *, const char *);
static void send_as_file(struct cfg_ctx *, json_t *, struct cfg_instance *);
static void read_file(struct cfg_ctx *, const char *, struct cfg_instance *);
static int login_cmp(const void *, const void *);
static void merge_logins(struct cfg_instance *);

/* cfg_w_logins - send_as.logins */
void
cfg_w_logins(struct cfg_ctx *c, json_t *v, void *base)
{
	json_t	*l;
	size_t	 ml;

	if ((l = cfg_member(c, v, "logins", &ml)) != NULL) {
		walk_logins(c, l, base);
		cfg_pop(c, ml);
	}
}

/* cfg_w_send_as_file - send_as.file, read through the reader */
void
cfg_w_send_as_file(struct cfg_ctx *c, json_t *v, void *base)
{
	send_as_file(c, v, base);
}

/* cfg_c_send_as - logins from both places, merged */
void
cfg_c_send_as(struct cfg_ctx *c, json_t *v, void *base)
{
	merge_logins(base);
}

/* walk_logins - an object mapping logins to address lists */
static void
walk_logins(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	const char *key;
	json_t	*v;
	size_t	 m;

	if (!json_is_object(obj)) {
		cfg_error(c, "expected an object");
		return;
	}
	json_object_foreach(obj, key, v) {
		m = jpos_path_key(&c->src.path, key);
		login_one(c, key, v, in);
		cfg_pop(c, m);
	}
}

/* login_one - one login and its list: "a@d", "@d" or "*" */
static void
login_one(struct cfg_ctx *c, const char *login, json_t *v,
    struct cfg_instance *in)
{
	struct cfg_login *l;
	json_t	*e;
	size_t	 mi, i;
	char	*s;

	if (*login == '\0') {
		cfg_error_key(c, "empty login");
		return;
	}
	if (cfg_v_arr(c, v) < 0)
		return;
	in->send_as.logins = xreallocarray(in->send_as.logins,
	    in->send_as.n_logins + 1, sizeof(*in->send_as.logins));
	l = &in->send_as.logins[in->send_as.n_logins++];
	memset(l, 0, sizeof(*l));
	l->login = xstrdup(login);
	json_array_foreach(v, i, e) {
		mi = cfg_push_index(c, i);
		if (cfg_v_addr(c, e, CFG_ADDR_FULL | CFG_ADDR_DOMAIN |
		    CFG_ADDR_ANY, &s) == 0) {
			if (cfg_strv_has(&l->addrs, s))
				free(s);
			else
				cfg_strv_add(&l->addrs, s);
		}
		cfg_pop(c, mi);
	}
}

/* path_join - dir/file, or file when it is absolute or dir is empty */
static char *
path_join(const char *dir, const char *file)
{
	size_t	 n;
	char	*p;

	if (file[0] == '/' || dir == NULL || dir[0] == '\0')
		return xstrdup(file);
	n = strlen(dir) + strlen(file) + 2;
	p = xmalloc(n);
	(void)snprintf(p, n, "%s%s%s", dir,
	    dir[strlen(dir) - 1] == '/' ? "" : "/", file);
	return p;
}

/*
 * send_as_file - send_as.file, resolved against basedir and read through
 * the reader.  Messages name it relative to the directory in the main
 * file's name, which is the path read when basedir is that directory
 * (as cfg_load() arranges).
 */
static void
send_as_file(struct cfg_ctx *c, json_t *obj, struct cfg_instance *in)
{
	const char *s, *slash;
	char	*dir, *shown;
	json_t	*v;
	size_t	 m;

	if ((v = cfg_member(c, obj, "file", &m)) == NULL)
		return;
	if (cfg_v_str(c, v, 1, &s) == 0) {
		free(in->send_as.file);
		in->send_as.file = path_join(c->basedir, s);
		slash = strrchr(c->src.name, '/');
		dir = slash == NULL ? NULL : xstrndup(c->src.name,
		    (size_t)(slash - c->src.name + 1));
		shown = path_join(dir, s);
		read_file(c, shown, in);
		free(shown);
		free(dir);
	}
	cfg_pop(c, m);
}

/* read_file - read and walk the send-as file as a source of its own */
static void
read_file(struct cfg_ctx *c, const char *shown, struct cfg_instance *in)
{
	struct cfg_src saved;
	char	 why[CFG_WHY_MAX] = "no file reader";
	char	*text = NULL;
	size_t	 len = 0;
	json_t	*root;

	if (c->reader != NULL)
		text = c->reader(in->send_as.file, &len, why, sizeof(why));
	if (text == NULL) {
		cfg_error(c, "cannot read %s: %s", shown, why);
		return;
	}
	saved = c->src;
	memset(&c->src, 0, sizeof(c->src));
	c->src.name = shown;
	c->src.id = ++c->nsrc;
	if ((root = cfg_load_json(c, text, len)) != NULL) {
		walk_logins(c, root, in);
		json_decref(root);
	}
	jpos_free(&c->src.pos);
	sbuf_free(&c->src.path);
	c->src = saved;
	free(text);
}

/* login_cmp - by login ignoring case, then in order of appearance */
static int
login_cmp(const void *a, const void *b)
{
	const struct login_ord *x = a, *y = b;
	int	 r;

	if ((r = strcasecmp(x->l.login, y->l.login)) != 0)
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * merge_logins - sort the logins (ignoring case) and join repeats, from
 * logins or the file alike, into one entry with the union of their
 * lists; the first spelling stays.
 */
static void
merge_logins(struct cfg_instance *in)
{
	struct login_ord *t;
	struct cfg_login *out = in->send_as.logins, *last;
	size_t	 i, j, n = in->send_as.n_logins, k = 0;

	if (n < 2)
		return;
	t = xcalloc(n, sizeof(*t));
	for (i = 0; i < n; i++) {
		t[i].l = out[i];
		t[i].seq = i;
	}
	qsort(t, n, sizeof(*t), login_cmp);
	for (i = 0; i < n; i++) {
		last = k > 0 ? &out[k - 1] : NULL;
		if (last == NULL ||
		    strcasecmp(last->login, t[i].l.login) != 0) {
			out[k++] = t[i].l;
			continue;
		}
		for (j = 0; j < t[i].l.addrs.n; j++) {
			if (cfg_strv_has(&last->addrs, t[i].l.addrs.v[j]))
				free(t[i].l.addrs.v[j]);
			else
				cfg_strv_add(&last->addrs, t[i].l.addrs.v[j]);
		}
		free(t[i].l.addrs.v);
		free(t[i].l.login);
	}
	in->send_as.n_logins = k;
	free(t);
}
