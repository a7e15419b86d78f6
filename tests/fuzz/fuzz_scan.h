/*
 * NAME
 *	fuzz_scan 3h
 * SUMMARY
 *	the shared body of the scanner reply targets (spamd, rspamd, clamd)
 * SYNOPSIS
 *	#include "fuzz_scan.h"
 * DESCRIPTION
 *	fuzz_scan_reply() feeds one reply to a parser as milter/scan.c's
 *	read_reply() does: the reply arrives in pieces (sizes derived from
 *	a hash of the input), parse() sees the whole buffer read so far
 *	after each piece and the first success ends the read; at the end
 *	(the scanner closed) it sees everything.  Inputs longer than the
 *	engine's reply_max are cut there, as read_reply() stops.  Every
 *	call gets a copy of exactly the bytes read, so a read past them is
 *	an ASan finding.
 *
 *	Checked (scan_parse(3h)): 0 comes with a verdict (clean, spam or
 *	virus), -1 with SCAN_ERROR and a reason; names, actions and symbol
 *	lists are NUL-terminated in their buffers and hold only the
 *	characters scan_text(3h) lets through; a verdict accepted on a
 *	part of the reply is the verdict of the whole reply when that
 *	parses too (the verdict must not depend on how TCP cut the reply).
 *	The engine-specific checks are the caller's.
 *	Header-only: static functions for the three target files.
 * SEE ALSO
 *	scan_parse(3h), milter/scan.c
 */
#ifndef GP_FUZZ_SCAN_H
#define GP_FUZZ_SCAN_H

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "scan_parse.h"

typedef int fuzz_parse_fn(const char *, size_t, struct scan_verdict *);

/* fuzz_scan_charset - every byte of s is allowed (extra: more bytes) */
static void
fuzz_scan_charset(const char *s, size_t size, const char *extra)
{
	size_t	 n = strnlen(s, size), i;

	FUZZ_ASSERT(n < size);
	for (i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		FUZZ_ASSERT((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("._:/+-", c) != NULL ||
		    strchr(extra, c) != NULL);
	}
}

/* fuzz_scan_verdict - what every parser promises about rc and v */
static void
fuzz_scan_verdict(int rc, const struct scan_verdict *v)
{
	FUZZ_ASSERT(rc == 0 || rc == -1);
	if (rc == 0)
		FUZZ_ASSERT(v->result == SCAN_CLEAN ||
		    v->result == SCAN_SPAM || v->result == SCAN_VIRUS);
	else
		FUZZ_ASSERT(v->result == SCAN_ERROR && v->why[0] != '\0');
	FUZZ_ASSERT(strnlen(v->why, sizeof(v->why)) < sizeof(v->why));
	fuzz_scan_charset(v->virus, sizeof(v->virus), "");
	fuzz_scan_charset(v->action, sizeof(v->action), " ");
	fuzz_scan_charset(v->symbols, sizeof(v->symbols), ",");
	FUZZ_ASSERT(v->result != SCAN_VIRUS || v->virus[0] != '\0');
}

/* fuzz_scan_parse - parse an exact-size copy of buf[0..len) */
static int
fuzz_scan_parse(fuzz_parse_fn *parse, const uint8_t *buf, size_t len,
    struct scan_verdict *v)
{
	char	*copy = malloc(len > 0 ? len : 1);
	int	 rc;

	FUZZ_ASSERT(copy != NULL);
	memcpy(copy, buf, len);
	rc = parse(copy, len, v);
	free(copy);
	fuzz_scan_verdict(rc, v);
	return rc;
}

/*
 * fuzz_scan_reply - read_reply() over data; the whole reply's verdict
 * in whole (rc returned), the milter's in got (*got_rc).
 */
static int
fuzz_scan_reply(fuzz_parse_fn *parse, size_t reply_max, const uint8_t *data,
    size_t size, struct scan_verdict *whole, struct scan_verdict *got,
    int *got_rc)
{
	uint32_t rnd = fuzz_hash(data, size) | 1;
	size_t	 len = 0, piece;
	int	 rc, calls = 0;

	if (size > reply_max)
		size = reply_max;
	rc = fuzz_scan_parse(parse, data, size, whole);
	*got_rc = -1;
	while (len < size) {
		/* a few small reads, then the rest in one */
		piece = ++calls < 6 ? 1 + fuzz_rand(&rnd) % 64 : size - len;
		len += piece < size - len ? piece : size - len;
		if ((*got_rc = fuzz_scan_parse(parse, data, len, got)) == 0)
			break;
	}
	if (size == 0)
		*got_rc = fuzz_scan_parse(parse, data, 0, got);
	if (rc == 0 && *got_rc == 0) {
		FUZZ_ASSERT(got->result == whole->result);
		FUZZ_ASSERT(got->has_score == whole->has_score);
		FUZZ_ASSERT(!got->has_score || (got->score == whole->score &&
		    got->threshold == whole->threshold));
		FUZZ_ASSERT(strcmp(got->virus, whole->virus) == 0);
		FUZZ_ASSERT(strcmp(got->action, whole->action) == 0);
	}
	return rc;
}

#endif
