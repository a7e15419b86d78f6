/* cfg_util.c - configuration loader: context, paths and messages */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "xalloc.h"

#define CFG_BODY_MAX	1024		/* bytes of one message body */

static void msgs_add(struct cfg_ctx *, struct cfg_msgs *, int,
    const char *, va_list) __attribute__((format(printf, 4, 0)));
static void msgs_push(struct cfg_ctx *, struct cfg_msgs *, unsigned,
    unsigned, char *);
static char *format_msg(const char *, unsigned, unsigned, const char *,
    const char *);
static int msg_cmp(const void *, const void *);
static size_t msgs_move(struct cfg_msgs *, struct cfg_strv *);
static void syntax_error(struct cfg_ctx *, const char *, size_t,
    const json_error_t *);

/* cfg_ctx_init - start a context for the main file */
void
cfg_ctx_init(struct cfg_ctx *c, const char *name, const char *basedir,
    cfg_reader_fn *reader)
{
	memset(c, 0, sizeof(*c));
	c->src.name = name != NULL ? name : "<config>";
	c->basedir = basedir;
	c->reader = reader;
}

/* format_msg - "NAME:LINE:COL: PATH: body", leaving out what is unknown */
static char *
format_msg(const char *name, unsigned line, unsigned col, const char *path,
    const char *body)
{
	char	 pos[32] = "";
	char	*out;
	int	 n;

	if (line > 0)
		(void)snprintf(pos, sizeof(pos), ":%u:%u", line, col);
	n = snprintf(NULL, 0, "%s%s: %s%s%s", name, pos, path,
	    *path != '\0' ? ": " : "", body);
	if (n < 0)
		n = 0;
	out = xmalloc((size_t)n + 1);
	(void)snprintf(out, (size_t)n + 1, "%s%s: %s%s%s", name, pos, path,
	    *path != '\0' ? ": " : "", body);
	return out;
}

/* msgs_push - append a formatted message with its sort key */
static void
msgs_push(struct cfg_ctx *c, struct cfg_msgs *m, unsigned line,
    unsigned col, char *text)
{
	struct cfg_msg *e;

	if (m->n == m->cap) {
		m->cap = m->cap == 0 ? 16 : m->cap * 2;
		m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
	}
	e = &m->v[m->n++];
	e->src = c->src.id;
	e->line = line;
	e->col = col;
	e->seq = c->seq++;
	e->text = text;
}

/* msgs_add - format a message at the current path and record it */
static void
msgs_add(struct cfg_ctx *c, struct cfg_msgs *m, int at_key, const char *fmt,
    va_list ap)
{
	const char *path = sbuf_str(&c->src.path);
	const struct jpos_ent *e;
	char	 body[CFG_BODY_MAX];
	unsigned line = 0, col = 0;

	(void)vsnprintf(body, sizeof(body), fmt, ap);
	if ((e = jpos_find(&c->src.pos, path)) != NULL) {
		line = e->line;
		col = e->col;
		if (at_key && e->kline > 0) {
			line = e->kline;
			col = e->kcol;
		}
	}
	msgs_push(c, m, line, col,
	    format_msg(c->src.name, line, col, path, body));
}

/* cfg_error - report an error at the value of the current path */
void
cfg_error(struct cfg_ctx *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	msgs_add(c, &c->err, 0, fmt, ap);
	va_end(ap);
}

/* cfg_error_key - report an error at the key of the current path */
void
cfg_error_key(struct cfg_ctx *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	msgs_add(c, &c->err, 1, fmt, ap);
	va_end(ap);
}

/* cfg_warning - report a warning at the value of the current path */
void
cfg_warning(struct cfg_ctx *c, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	msgs_add(c, &c->warn, 0, fmt, ap);
	va_end(ap);
}

/*
 * syntax_error - report a jansson parse error.  jansson counts columns
 * in characters; recount bytes from its byte offset so that every
 * message of ours uses the same columns.
 */
static void
syntax_error(struct cfg_ctx *c, const char *text, size_t len,
    const json_error_t *je)
{
	size_t	 end, i, bol = 0;
	unsigned line = 1, col;

	end = je->position < 0 ? 0 : (size_t)je->position;
	if (end > len)
		end = len;
	for (i = 0; i < end; i++) {
		if (text[i] == '\n') {
			line++;
			bol = i + 1;
		}
	}
	col = end > bol ? (unsigned)(end - bol) : 1;
	msgs_push(c, &c->err, line, col,
	    format_msg(c->src.name, line, col, "", je->text));
}

/* cfg_load_json - parse a text, index its positions; NULL after an error */
json_t *
cfg_load_json(struct cfg_ctx *c, const char *text, size_t len)
{
	json_error_t je;
	json_t	*root;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		syntax_error(c, text, len, &je);
		return NULL;
	}
	/* jansson accepted it, so this cannot fail; if it did, messages
	 * would merely lack positions */
	(void)jpos_scan(&c->src.pos, text, len);
	return root;
}

/* cfg_member - descend into obj.key if present; cfg_pop(*mark) climbs back */
json_t *
cfg_member(struct cfg_ctx *c, json_t *obj, const char *key, size_t *mark)
{
	json_t	*v;

	if (!json_is_object(obj) || (v = json_object_get(obj, key)) == NULL)
		return NULL;
	*mark = jpos_path_key(&c->src.path, key);
	return v;
}

/* cfg_push_index - descend into element i of the array at hand */
size_t
cfg_push_index(struct cfg_ctx *c, size_t i)
{
	return jpos_path_index(&c->src.path, i);
}

/* cfg_pop - climb back to a mark */
void
cfg_pop(struct cfg_ctx *c, size_t mark)
{
	sbuf_trunc(&c->src.path, mark);
}

/*
 * cfg_quote - s as a double-quoted string for a message: quotes,
 * backslashes and control characters escaped, long values cut short.
 */
const char *
cfg_quote(char *buf, size_t size, const char *s)
{
	size_t	 o = 0;
	const unsigned char *p;
	char	 tmp[8];
	int	 n;

	if (size < 8) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			n = snprintf(tmp, sizeof(tmp), "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			n = snprintf(tmp, sizeof(tmp), "\\x%02x", *p);
		else
			n = snprintf(tmp, sizeof(tmp), "%c", *p);
		if (o + (size_t)n + 5 > size) {
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, tmp, (size_t)n);
		o += (size_t)n;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* cfg_strv_add - append an owned string */
void
cfg_strv_add(struct cfg_strv *sv, char *s)
{
	sv->v = xreallocarray(sv->v, sv->n + 1, sizeof(*sv->v));
	sv->v[sv->n++] = s;
}

/* cfg_strv_has - is s already in the list (exactly)? */
int
cfg_strv_has(const struct cfg_strv *sv, const char *s)
{
	size_t	 i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return 1;
	return 0;
}

/* cfg_strv_free - free the strings and the list */
void
cfg_strv_free(struct cfg_strv *sv)
{
	size_t	 i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}

/* msg_cmp - order messages by source, line, column, report order */
static int
msg_cmp(const void *a, const void *b)
{
	const struct cfg_msg *x = a, *y = b;

	if (x->src != y->src)
		return x->src < y->src ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return 0;
}

/* msgs_move - sort, drop repeats, hand the texts over; returns the count */
static size_t
msgs_move(struct cfg_msgs *m, struct cfg_strv *out)
{
	size_t	 i, n = 0;

	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), msg_cmp);
	for (i = 0; i < m->n; i++) {
		if (out == NULL || (n > 0 &&
		    strcmp(out->v[out->n - 1], m->v[i].text) == 0)) {
			free(m->v[i].text);
			if (out == NULL)
				n++;
			continue;
		}
		cfg_strv_add(out, m->v[i].text);
		n++;
	}
	free(m->v);
	m->v = NULL;
	m->n = m->cap = 0;
	return n;
}

/*
 * cfg_ctx_finish - hand the messages over; returns the error count.
 * Also releases the main source's position index and path.
 */
size_t
cfg_ctx_finish(struct cfg_ctx *c, struct cfg_errors *errs)
{
	size_t	 nerr;

	jpos_free(&c->src.pos);
	sbuf_free(&c->src.path);
	nerr = msgs_move(&c->err, errs != NULL ? &errs->err : NULL);
	/* a value that failed to parse leaves a default that may warn
	 * falsely: warnings are only given for a configuration that loads */
	(void)msgs_move(&c->warn, errs != NULL && nerr == 0 ?
	    &errs->warn : NULL);
	return nerr;
}
