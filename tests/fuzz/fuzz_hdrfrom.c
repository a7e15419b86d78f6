/*
 * fuzz_hdrfrom.c - header From fields, RFC 5322 + RFC 2047 (lib/mime/hdrfrom.c)
 *
 * The input is up to 8 From field values separated by NUL bytes (a
 * value never holds one: the milter gets C strings), passed to
 * hdrfrom_reset() and hdrfrom_add() one by one as mf_ctx.c does for
 * the From fields of a message, then again with hdrfrom_parse().
 *
 * Checked (hdrfrom(3h)): both ways give the same result; every field
 * is counted; at most HDR_FROM_MAX addresses; a valid entry has a
 * domain, in lower case and without a trailing dot; display names are
 * NUL-terminated in their slot and free of control characters; a
 * value that yields no valid address and is not an empty group
 * makes the result bad (fails closed).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hdrfrom.h"

#define FIELDS_MAX	8

static void	check_entry(const struct hdr_from_addr *);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	hdrfrom_init();
	return 0;
}

/* check_entry - one address slot */
static void
check_entry(const struct hdr_from_addr *a)
{
	size_t	 n, i;
	const char *d;

	n = strnlen(a->display, sizeof(a->display));
	FUZZ_ASSERT(n < sizeof(a->display));
	for (i = 0; i < n; i++)
		FUZZ_ASSERT((unsigned char)a->display[i] >= 0x20 &&
		    a->display[i] != 0x7f);
	if (!a->valid)
		return;
	d = a->addr.domain;
	n = strnlen(d, sizeof(a->addr.domain));
	FUZZ_ASSERT(!a->addr.null && n > 0 && n < sizeof(a->addr.domain));
	FUZZ_ASSERT(d[n - 1] != '.');
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(!(d[i] >= 'A' && d[i] <= 'Z'));
	FUZZ_ASSERT(strnlen(a->addr.local, sizeof(a->addr.local)) <
	    sizeof(a->addr.local));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hdr_from one = {0}, all = {0};
	const char *v[FIELDS_MAX];
	char	*buf;
	size_t	 n = 0, i, start = 0, before;

	buf = malloc(size + 1);
	FUZZ_ASSERT(buf != NULL);
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (i = 0; i <= size && n < FIELDS_MAX; i++)
		if (buf[i] == '\0') {
			v[n++] = buf + start;
			start = i + 1;
		}

	hdrfrom_reset(&one);
	for (i = 0; i < n; i++) {
		before = one.n;
		hdrfrom_add(&one, v[i]);
		FUZZ_ASSERT(one.n_fields == i + 1);
		FUZZ_ASSERT(one.n >= before && one.n <= HDR_FROM_MAX);
		FUZZ_ASSERT(one.n > before || one.bad);
	}
	hdrfrom_parse(&all, v, n);
	FUZZ_ASSERT(all.n_fields == n && all.n == one.n &&
	    all.bad == one.bad);
	FUZZ_ASSERT(memcmp(all.v, one.v, sizeof(all.v[0]) * all.n) == 0);
	for (i = 0; i < one.n; i++)
		check_entry(&one.v[i]);
	FUZZ_ASSERT(one.n_text >= one.n_fields);
	hdrfrom_free(&one);
	hdrfrom_free(&all);
	free(buf);
	return 0;
}
