/*
 * NAME
 *	jpos 3h
 * SUMMARY
 *	source positions of the values in a JSON text
 * SYNOPSIS
 *	#include "jpos.h"
 * DESCRIPTION
 *	jansson values carry no source positions, so the configuration
 *	loader scans the same text a second time with jpos_scan(), which
 *	records, for every value, its path and the line and column of its
 *	first character, and for object members also those of the key.
 *	Lines and columns are 1-based; a column counts bytes, so a tab or
 *	a multi-byte UTF-8 character each advance it by their byte count.
 *
 *	A path names a value from the root: object members are appended
 *	as ".key" ("key" at the top level) when the key is an identifier
 *	(letters, digits, "_" and "-", not starting with a digit or "-"),
 *	else as ["key"] with JSON string escapes; array elements as "[i]"
 *	counting from 0.  The root's path is "".  Examples:
 *	"instances[1].spoofing.header_from", "internal_domains[0]",
 *	"logins[\"alice@example.com\"][2]".  jpos_path_key() and
 *	jpos_path_index() build paths by the same rules, so a caller
 *	walking the parsed tree can look its position up with jpos_find().
 *	Both append to a struct sbuf (sbuf(3h)) and return the previous
 *	length, which sbuf_trunc() goes back to.
 *
 *	jpos_scan() expects text that a JSON parser has already accepted
 *	(it does not report where a syntax error is); it returns 0, or -1
 *	when the text is not JSON after all or nests deeper than
 *	JPOS_MAX_DEPTH, leaving what it recorded so far.  Duplicate keys
 *	are not detected; jpos_find() then returns either.  jpos_find()
 *	returns a borrowed entry or NULL.  jpos_free() releases the index
 *	(the struct itself is the caller's).
 *
 *	Everything here is pure; an index may be shared read-only by
 *	threads.  Memory comes from xalloc(3h), so no call fails for lack
 *	of it.
 * SEE ALSO
 *	cfg(3h), RFC 8259
 */
#ifndef GP_JPOS_H
#define GP_JPOS_H

#include <stddef.h>

#include "sbuf.h"

#define JPOS_MAX_DEPTH	2048		/* as jansson's parser */

struct jpos_ent {
	char	*path;			/* owned */
	unsigned line;			/* value's first byte, 1-based */
	unsigned col;			/* bytes, 1-based */
	unsigned kline;			/* key's opening quote; 0: no key */
	unsigned kcol;
};

struct jpos {
	struct jpos_ent *v;		/* owned; sorted by path after scan */
	size_t	 n;
	size_t	 cap;
};

int	jpos_scan(struct jpos *, const char *, size_t);
const struct jpos_ent *jpos_find(const struct jpos *, const char *);
void	jpos_free(struct jpos *);

size_t	jpos_path_key(struct sbuf *, const char *);
size_t	jpos_path_index(struct sbuf *, size_t);

#endif
