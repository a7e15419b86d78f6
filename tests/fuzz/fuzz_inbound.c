/*
 * fuzz_inbound.c - the whole inbound header verdict (issue 14)
 *
 * The input is a header block: fields "Name: value" ending in LF or
 * CRLF, continuation lines starting with a space or tab, up to an empty
 * line or the end.  Every From field goes to hdrfrom_add() as the milter
 * hands it over (mf_ctx.c): the value after the colon, folds kept, cut
 * at the first NUL (libmilter passes C strings), each in its own
 * allocation of exactly its size, so that ASan reports any read beyond
 * the field's end.  Then the EOH rules of an inbound instance with
 * spoofing.header_from: reject (internal_domains example.com and
 * .example.com; display_name off) decide.
 *
 * Checked (issue 14, SECURITY.md "What cannot be parsed"):
 * - if a From value, case-folded, holds '@' followed by an internal
 *   domain (the longest run of letters, digits, '-' and '.' after it,
 *   without trailing dots, is example.com or ends in .example.com), the
 *   verdict is a refusal;
 * - nothing beyond a field's end is read (ASan, exact allocations);
 * - no input is accepted whose addresses were not all examined: an
 *   accepted message has no malformed field, at most HDR_FROM_MAX
 *   addresses, and hdrfrom kept every field's text whole.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "fuzz.h"
#include "hdrfrom.h"
#include "rule.h"

#define FIELDS_MAX	64		/* From fields looked at per input */

static const char cfg_json[] =
    "{\"version\": 1, \"internal_domains\": [\"example.com\", "
    "\".example.com\"], \"instances\": [{\"name\": \"inbound\", "
    "\"direction\": \"inbound\", \"spoofing\": {\"header_from\": "
    "\"reject\"}}]}";

static struct cfg *cfg;

static int	names_internal(const char *);
static size_t	field_end(const uint8_t *, size_t, size_t);
static char	*from_value(const uint8_t *, size_t);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cfg_errors errs;

	(void)argc;
	(void)argv;
	hdrfrom_init();
	memset(&errs, 0, sizeof(errs));
	cfg = cfg_parse(cfg_json, strlen(cfg_json), "fuzz_inbound", ".",
	    NULL, &errs);
	cfg_errors_free(&errs);
	FUZZ_ASSERT(cfg != NULL);
	return 0;
}

/* names_internal - the C-checkable form of "shows an internal domain" */
static int
names_internal(const char *v)
{
	static const char dom[] = "example.com";
	const size_t dl = sizeof(dom) - 1;
	const char *at, *p;
	size_t	 n;

	for (at = strchr(v, '@'); at != NULL; at = strchr(at + 1, '@')) {
		for (p = at + 1, n = 0; (p[n] >= 'a' && p[n] <= 'z') ||
		    (p[n] >= 'A' && p[n] <= 'Z') || (p[n] >= '0' &&
		    p[n] <= '9') || p[n] == '-' || p[n] == '.'; n++)
			continue;
		while (n > 0 && p[n - 1] == '.')
			n--;
		if (n < dl || strncasecmp(p + n - dl, dom, dl) != 0)
			continue;
		if (n == dl || p[n - dl - 1] == '.')
			return 1;
	}
	return 0;
}

/* field_end - the end of the field starting at i (after its line end) */
static size_t
field_end(const uint8_t *d, size_t size, size_t i)
{
	for (; i < size; i++)
		if (d[i] == '\n' && (i + 1 >= size || (d[i + 1] != ' ' &&
		    d[i + 1] != '\t')))
			return i + 1;
	return size;
}

/* from_value - a From field's value (owned, exact size), or NULL */
static char *
from_value(const uint8_t *d, size_t n)
{
	size_t	 s = 5, e = n, len;
	char	*v;

	if (n < 5 || strncasecmp((const char *)d, "from:", 5) != 0)
		return NULL;
	while (s < n && (d[s] == ' ' || d[s] == '\t'))
		s++;
	if (e > s && d[e - 1] == '\n')
		e--;
	if (e > s && d[e - 1] == '\r')
		e--;
	len = strnlen((const char *)d + s, e - s);	/* cut at NUL */
	v = malloc(len + 1);
	FUZZ_ASSERT(v != NULL);
	memcpy(v, d + s, len);
	v[len] = '\0';
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hdr_from hf = {0};
	struct verdict v;
	struct facts f;
	char	*vals[FIELDS_MAX];
	size_t	 nv = 0, i = 0, e, k, j;
	int	 internal = 0, kept;

	while (i < size && nv < FIELDS_MAX && data[i] != '\n' &&
	    !(data[i] == '\r' && i + 1 < size && data[i + 1] == '\n')) {
		e = field_end(data, size, i);
		if ((vals[nv] = from_value(data + i, e - i)) != NULL)
			internal |= names_internal(vals[nv++]);
		i = e;
	}
	hdrfrom_reset(&hf);
	for (k = 0; k < nv; k++)
		hdrfrom_add(&hf, vals[k]);
	facts_init(&f);
	(void)facts_set_client(&f, "198.51.100.7");
	(void)facts_set_sender(&f, "someone@example.net");
	f.from = &hf;
	verdict_init(&v);
	rule_eval(cfg, &cfg->inst[0], &f, STAGE_EOH, STAGE_EOH, &v);

	if (internal)
		FUZZ_ASSERT(v.refusal != NULL);
	if (v.refusal == NULL && nv > 0) {
		FUZZ_ASSERT(!hf.bad && hf.n <= HDR_FROM_MAX);
		for (k = 0; k < nv; k++) {
			for (j = 0, kept = 0; j < hf.n_text && !kept; j++)
				kept = strcmp(hf.text[j], vals[k]) == 0;
			FUZZ_ASSERT(kept);
		}
	}
	hdrfrom_free(&hf);
	for (k = 0; k < nv; k++)
		free(vals[k]);
	return 0;
}
