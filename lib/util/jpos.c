/* jpos.c - a position index over a JSON text: path -> line:column */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpos.h"
#include "sbuf.h"
#include "xalloc.h"

struct scan {
	const char *p;			/* next byte */
	const char *end;		/* one past the last byte */
	const char *bol;		/* first byte of the current line */
	unsigned line;			/* 1-based */
	unsigned depth;			/* open objects and arrays */
	struct jpos *jp;		/* borrowed: the index being filled */
	struct sbuf path;		/* owned: path of the value at hand */
};

static int key_is_ident(const char *);
static void buf_append_quoted(struct sbuf *, const char *);
static void skip_ws(struct scan *);
static unsigned col_of(const struct scan *, const char *);
static void record(struct scan *, unsigned, unsigned, unsigned, unsigned);
static int hex4(const char *, unsigned *);
static size_t put_utf8(char *, unsigned);
static int unescape(struct scan *, char **);
static int skip_string(struct scan *);
static int scan_value(struct scan *, unsigned, unsigned);
static int scan_object(struct scan *);
static int scan_array(struct scan *);
static int after_member(struct scan *, size_t, int, char);
static int ent_cmp(const void *, const void *);

/* key_is_ident - can the key be written as ".key" without ambiguity? */
static int
key_is_ident(const char *k)
{
	const char *p;

	if (*k == '\0' || *k == '-' || (*k >= '0' && *k <= '9'))
		return 0;
	for (p = k; *p != '\0'; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return 0;
	}
	return 1;
}

/* buf_append_quoted - append k as a JSON string literal */
static void
buf_append_quoted(struct sbuf *b, const char *k)
{
	char	 esc[8];
	const unsigned char *p;

	sbuf_putc(b, '"');
	for (p = (const unsigned char *)k; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			sbuf_putn(b, esc, 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			(void)snprintf(esc, sizeof(esc), "\\u%04x", *p);
			sbuf_putn(b, esc, 6);
		} else
			sbuf_putc(b, *(const char *)p);
	}
	sbuf_putc(b, '"');
}

/* jpos_path_key - append a member key; returns the length to go back to */
size_t
jpos_path_key(struct sbuf *b, const char *key)
{
	size_t	 mark = b->len;

	if (key_is_ident(key)) {
		if (b->len > 0)
			sbuf_putc(b, '.');
		sbuf_putn(b, key, strlen(key));
	} else {
		sbuf_putc(b, '[');
		buf_append_quoted(b, key);
		sbuf_putc(b, ']');
	}
	return mark;
}

/* jpos_path_index - append an array index; returns the length to go back to */
size_t
jpos_path_index(struct sbuf *b, size_t i)
{
	char	 tmp[32];
	size_t	 mark = b->len;
	int	 n;

	n = snprintf(tmp, sizeof(tmp), "[%zu]", i);
	sbuf_putn(b, tmp, (size_t)n);
	return mark;
}

/* skip_ws - skip JSON white space, counting lines */
static void
skip_ws(struct scan *s)
{
	while (s->p < s->end) {
		if (*s->p == '\n') {
			s->line++;
			s->bol = s->p + 1;
		} else if (*s->p != ' ' && *s->p != '\t' && *s->p != '\r')
			return;
		s->p++;
	}
}

/* col_of - 1-based byte column of p on the current line */
static unsigned
col_of(const struct scan *s, const char *p)
{
	return (unsigned)(p - s->bol) + 1;
}

/* record - add the current path with its value and key positions */
static void
record(struct scan *s, unsigned line, unsigned col, unsigned kline,
    unsigned kcol)
{
	struct jpos *jp = s->jp;
	struct jpos_ent *e;

	if (jp->n == jp->cap) {
		jp->cap = jp->cap == 0 ? 64 : jp->cap * 2;
		jp->v = xreallocarray(jp->v, jp->cap, sizeof(*jp->v));
	}
	e = &jp->v[jp->n++];
	e->path = xstrdup(sbuf_str(&s->path));
	e->line = line;
	e->col = col;
	e->kline = kline;
	e->kcol = kcol;
}

/* hex4 - decode four hex digits */
static int
hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	int	 i;

	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= (unsigned)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= (unsigned)(p[i] - 'a' + 10);
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= (unsigned)(p[i] - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* put_utf8 - encode a code point; returns the byte count */
static size_t
put_utf8(char *o, unsigned c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xc0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xe0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		o[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	o[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

/*
 * unescape - decode the string at s->p (an opening quote) into a new
 * string, as jansson decodes keys, so that paths match its keys.
 */
static int
unescape(struct scan *s, char **out)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	struct sbuf b = { NULL, 0, 0 };
	unsigned c, lo;
	const char *q;
	char	 u[4];

	sbuf_reserve(&b, 0);
	b.p[0] = '\0';
	for (s->p++; s->p < s->end && *s->p != '"'; s->p++) {
		if (*s->p != '\\') {
			sbuf_putn(&b, s->p, 1);
			continue;
		}
		if (++s->p >= s->end)
			break;
		if (*s->p != 'u') {
			if ((q = strchr(from, *s->p)) == NULL || *q == '\0')
				break;
			sbuf_putn(&b, &to[q - from], 1);
			continue;
		}
		if (s->end - s->p < 5 || hex4(s->p + 1, &c) < 0 || c == 0)
			break;
		s->p += 4;
		if (c >= 0xd800 && c <= 0xdbff) {
			if (s->end - s->p < 7 || s->p[1] != '\\' ||
			    s->p[2] != 'u' || hex4(s->p + 3, &lo) < 0 ||
			    lo < 0xdc00 || lo > 0xdfff)
				break;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			s->p += 6;
		} else if (c >= 0xdc00 && c <= 0xdfff)
			break;
		sbuf_putn(&b, u, put_utf8(u, c));
	}
	if (s->p >= s->end || *s->p != '"') {
		sbuf_free(&b);
		return -1;
	}
	s->p++;
	*out = b.p;
	return 0;
}

/* skip_string - step over the string at s->p (an opening quote) */
static int
skip_string(struct scan *s)
{
	for (s->p++; s->p < s->end; s->p++) {
		if (*s->p == '\\') {
			if (++s->p >= s->end)
				return -1;
		} else if (*s->p == '"') {
			s->p++;
			return 0;
		}
	}
	return -1;
}

/* scan_value - record and step over one value; kline 0: no key */
static int
scan_value(struct scan *s, unsigned kline, unsigned kcol)
{
	const char *start;

	skip_ws(s);
	if (s->p >= s->end)
		return -1;
	record(s, s->line, col_of(s, s->p), kline, kcol);
	switch (*s->p) {
	case '{':
		return scan_object(s);
	case '[':
		return scan_array(s);
	case '"':
		return skip_string(s);
	default:
		/* number, true, false, null */
		for (start = s->p; s->p < s->end; s->p++) {
			if (strchr("+-.0123456789abcdefghijklmnopqrstuvwxyzE",
			    *s->p) == NULL || *s->p == '\0')
				break;
		}
		return s->p == start ? -1 : 0;
	}
}

/* scan_object - step over an object, recording its members */
static int
scan_object(struct scan *s)
{
	unsigned kline, kcol;
	size_t	 mark;
	char	*key;
	int	 r;

	if (++s->depth > JPOS_MAX_DEPTH)
		return -1;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (s->p >= s->end || *s->p != '"')
			return -1;
		kline = s->line;
		kcol = col_of(s, s->p);
		if (unescape(s, &key) < 0)
			return -1;
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':') {
			free(key);
			return -1;
		}
		s->p++;
		mark = jpos_path_key(&s->path, key);
		free(key);
		if ((r = after_member(s, mark, scan_value(s, kline, kcol),
		    '}')) <= 0)
			return r;
	}
}

/*
 * after_member - after one member or element (its scan returned r):
 * back to the container's path, then "," (1: another follows), the
 * closing bracket (0: done) or anything else (-1).
 */
static int
after_member(struct scan *s, size_t mark, int r, char close)
{
	sbuf_trunc(&s->path, mark);
	if (r < 0)
		return -1;
	skip_ws(s);
	if (s->p < s->end && *s->p == ',') {
		s->p++;
		return 1;
	}
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	return -1;
}

/* scan_array - step over an array, recording its elements */
static int
scan_array(struct scan *s)
{
	size_t	 i, mark;
	int	 r;

	if (++s->depth > JPOS_MAX_DEPTH)
		return -1;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		s->depth--;
		return 0;
	}
	for (i = 0;; i++) {
		mark = jpos_path_index(&s->path, i);
		if ((r = after_member(s, mark, scan_value(s, 0, 0), ']')) <= 0)
			return r;
	}
}

/* ent_cmp - order entries by path */
static int
ent_cmp(const void *a, const void *b)
{
	const struct jpos_ent *x = a, *y = b;

	return strcmp(x->path, y->path);
}

/* jpos_scan - index the values of a JSON text */
int
jpos_scan(struct jpos *jp, const char *text, size_t len)
{
	struct scan s;
	int	 r;

	memset(&s, 0, sizeof(s));
	s.p = s.bol = text;
	s.end = text + len;
	s.line = 1;
	s.jp = jp;
	r = scan_value(&s, 0, 0);
	if (r == 0) {
		skip_ws(&s);
		if (s.p != s.end)
			r = -1;
	}
	sbuf_free(&s.path);
	if (jp->n > 1)
		qsort(jp->v, jp->n, sizeof(*jp->v), ent_cmp);
	return r;
}

/* jpos_find - the entry for a path, or NULL */
const struct jpos_ent *
jpos_find(const struct jpos *jp, const char *path)
{
	struct jpos_ent key;

	if (jp == NULL || jp->n == 0)
		return NULL;
	key.path = (char *)(uintptr_t)path;
	return bsearch(&key, jp->v, jp->n, sizeof(*jp->v), ent_cmp);
}

/* jpos_free - release an index */
void
jpos_free(struct jpos *jp)
{
	size_t	 i;

	for (i = 0; i < jp->n; i++)
		free(jp->v[i].path);
	free(jp->v);
	jp->v = NULL;
	jp->n = jp->cap = 0;
}
