/*
 * mimescan.c - the MIME part tree of a message, as offsets into it
 *
 * Why not GMime's parser: GMime builds an object tree and writes
 * messages back out from it; it re-folds headers, normalises line
 * ends and boundaries, and quietly repairs broken structure (a
 * missing close delimiter).  Its
 * offsets (g_mime_parser_get_headers_begin() and friends) cover the
 * top-level message, not each part's header block.  A disclaimer must
 * leave every byte outside the changed text parts as it was, and must
 * refuse, not repair, structure that parsers disagree about.  So this
 * scanner only records where things are; bytes are spliced from the
 * original, and anything ambiguous is reported, never fixed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimescan.h"
#include "xalloc.h"

static int	part_new(struct mime_tree *, int, const char **);
static void	part_link(struct mime_tree *, int, int, int);
static int	part_type(const char *, struct mime_tree *, int);
static int	scan_part(const char *, struct mime_tree *, int, size_t,
		    size_t);
static int	scan_multi(const char *, struct mime_tree *, int);
static int	delim_at(const char *, size_t, size_t, const char *, size_t);
static int	cr_delim(const char *, size_t, size_t, const char *, size_t);
static size_t	eol_before(const char *, size_t, size_t);

/* mimescan_is - is the part of this type (and subtype, unless NULL) */
int
mimescan_is(const struct mime_part *p, const char *type, const char *subtype)
{
	return strcmp(p->ct.type, type) == 0 &&
	    (subtype == NULL || strcmp(p->ct.subtype, subtype) == 0);
}

/* part_new - append a part below parent; its index, or -1 */
static int
part_new(struct mime_tree *t, int parent, const char **why)
{
	struct mime_part *p;

	if (t->n >= MIME_PARTS_MAX) {
		*why = "too many MIME parts";
		return -1;
	}
	if (t->n == t->cap) {
		t->cap = t->cap == 0 ? 8 : t->cap * 2;
		t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
	}
	p = &t->v[t->n];
	memset(p, 0, sizeof(*p));
	p->parent = parent;
	p->child = p->next = -1;
	p->depth = parent < 0 ? 0 : t->v[parent].depth + 1;
	return (int)t->n++;
}

/* part_link - make c the child of parent after sibling last (-1: first) */
static void
part_link(struct mime_tree *t, int parent, int last, int c)
{
	if (last < 0)
		t->v[parent].child = c;
	else
		t->v[last].next = c;
}

/* part_type - parse or default the Content-Type and classify the part */
static int
part_type(const char *msg, struct mime_tree *t, int idx)
{
	struct mime_part *p = &t->v[idx];
	int	 digest, r;

	r = mimehdr_present(&p->hdr.ct) ? mimehdr_ctype(msg, &p->hdr.ct,
	    &p->ct, &t->why) : MIMEHDR_CT_INVALID;
	if (r == -1)
		return -1;
	if (r == MIMEHDR_CT_INVALID) {
		/* absent, or invalid: RFC 2045 5.2 (RFC 2046 5.1.5) */
		p->ct_invalid = mimehdr_present(&p->hdr.ct);
		digest = p->parent >= 0 &&
		    mimescan_is(&t->v[p->parent], "multipart", "digest");
		(void)snprintf(p->ct.type, sizeof(p->ct.type), "%s",
		    digest ? "message" : "text");
		(void)snprintf(p->ct.subtype, sizeof(p->ct.subtype), "%s",
		    digest ? "rfc822" : "plain");
	}
	p->cte = mimehdr_cte(msg, &p->hdr.cte);
	p->file = p->ct.has_name || mimehdr_cdisp(msg, &p->hdr.cd);
	if (mimescan_is(p, "multipart", "signed") ||
	    mimescan_is(p, "multipart", "encrypted") ||
	    mimescan_is(p, "application", "pkcs7-mime") ||
	    mimescan_is(p, "application", "x-pkcs7-mime")) {
		p->kind = MIME_SEALED;
		t->sealed = 1;
	} else if (mimescan_is(p, "multipart", NULL))
		p->kind = MIME_MULTI;
	else if (mimescan_is(p, "message", NULL))
		p->kind = MIME_MESSAGE;
	else
		p->kind = MIME_LEAF;
	return 0;
}

/* scan_part - the part at [start, end): header block, type, children */
static int
scan_part(const char *msg, struct mime_tree *t, int idx, size_t start,
    size_t end)
{
	struct mime_part *p = &t->v[idx];

	if (mimehdr_scan(msg, start, end, &p->hdr, &t->why) < 0)
		return -1;
	p->end = end;
	if (part_type(msg, t, idx) < 0)
		return -1;
	if (p->kind != MIME_MULTI)
		return 0;
	if (p->cte != MIME_CTE_7BIT && p->cte != MIME_CTE_8BIT &&
	    p->cte != MIME_CTE_BINARY) {
		t->why = "multipart with a content transfer encoding";
		return -1;
	}
	if (p->ct.boundary[0] == '\0') {
		t->why = "multipart without a boundary";
		return -1;
	}
	if (p->depth >= MIME_DEPTH_MAX) {
		t->why = "multipart nesting too deep";
		return -1;
	}
	return scan_multi(msg, t, idx);
}

/*
 * delim_at - line [pos, ce): 0 text, 1 delimiter, 2 close.  RFC 2046
 * section 5.1.1: a line is a delimiter only when the boundary is
 * followed by optional white space and the line end; "--b-but-longer"
 * is body text.  (Refusing such a line, as this once did, let any
 * sender skip the disclaimer at will: issue 14.)
 */
static int
delim_at(const char *msg, size_t pos, size_t ce, const char *b, size_t blen)
{
	size_t	 r;
	int	 close = 0;

	if (ce - pos < 2 + blen || msg[pos] != '-' || msg[pos + 1] != '-' ||
	    memcmp(msg + pos + 2, b, blen) != 0)
		return 0;
	r = pos + 2 + blen;
	if (ce - r >= 2 && msg[r] == '-' && msg[r + 1] == '-') {
		close = 1;
		r += 2;
	}
	while (r < ce && (msg[r] == ' ' || msg[r] == '\t'))
		r++;
	if (r != ce)
		return 0;
	return close ? 2 : 1;
}

/* cr_delim - does a bare CR in [pos, ce) start what looks like a delimiter */
static int
cr_delim(const char *msg, size_t pos, size_t ce, const char *b, size_t blen)
{
	const char *cr;

	/* parsers that end lines at a bare CR would see one there */
	while (pos < ce && (cr = memchr(msg + pos, '\r', ce - pos)) != NULL) {
		pos = (size_t)(cr - msg) + 1;
		if (delim_at(msg, pos, ce, b, blen) != 0)
			return 1;
	}
	return 0;
}

/* eol_before - pos minus the line end just before it, not below floor */
static size_t
eol_before(const char *msg, size_t pos, size_t floor)
{
	if (pos > floor && msg[pos - 1] == '\n')
		pos--;
	if (pos > floor && msg[pos - 1] == '\r')
		pos--;
	return pos;
}

/* scan_multi - split a multipart body at its delimiters, scan each part */
static int
scan_multi(const char *msg, struct mime_tree *t, int idx)
{
	char	 b[MIMEHDR_BOUNDARY_MAX + 1];
	size_t	 blen, pos = t->v[idx].hdr.body, end = t->v[idx].end;
	size_t	 le, ce, cstart = 0;
	const char *nl;
	int	 r, c, last = -1, open = 0;

	(void)snprintf(b, sizeof(b), "%s", t->v[idx].ct.boundary);
	blen = strlen(b);
	for (; pos < end; pos = le) {
		nl = memchr(msg + pos, '\n', end - pos);
		le = nl == NULL ? end : (size_t)(nl - msg) + 1;
		ce = nl == NULL ? end : eol_before(msg, le, pos);
		if ((r = delim_at(msg, pos, ce, b, blen)) == 0) {
			if (cr_delim(msg, pos, ce, b, blen)) {
				t->why = "a bare CR before a boundary";
				return -1;
			}
			continue;
		}
		if (open) {
			if ((c = part_new(t, idx, &t->why)) < 0)
				return -1;
			part_link(t, idx, last, c);
			last = c;
			if (scan_part(msg, t, c, cstart,
			    eol_before(msg, pos, cstart)) < 0)
				return -1;
		}
		if (r == 2)
			return 0;
		open = 1;
		cstart = le;
	}
	t->why = open ? "missing final boundary" : "no boundary delimiter";
	return -1;
}

/* mimescan_parse - the part tree of msg; 0, or -1 with t->why */
int
mimescan_parse(const char *msg, size_t len, struct mime_tree *t)
{
	memset(t, 0, sizeof(*t));
	if (part_new(t, -1, &t->why) < 0)
		return -1;
	return scan_part(msg, t, 0, 0, len);
}

/* mimescan_free - release the tree */
void
mimescan_free(struct mime_tree *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
