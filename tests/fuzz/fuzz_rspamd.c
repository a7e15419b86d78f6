/*
 * fuzz_rspamd.c - rspamd /checkv2 HTTP replies (lib/scan/scan_http.c)
 *
 * The input is the HTTP response rspamd sends; it is read as the milter
 * reads it (fuzz_scan(3h), reply_max 65536 as in milter/scan_rspamd.c)
 * with scan_parse_rspamd_http().  The same bytes also go to
 * scan_parse_http() and, as a JSON body, to scan_parse_rspamd().
 * Besides the common checks: an rspamd verdict is never a virus, an
 * accepted one has a score, and HTTP's body lies within the reply,
 * with a status of at most three digits.
 */
#include "config.h"

#include "fuzz_scan.h"

#define RSPAMD_REPLY_MAX 65536		/* milter/scan_rspamd.c */

static void	check_http(const uint8_t *, size_t);

/* check_http - status and body of the response */
static void
check_http(const uint8_t *data, size_t size)
{
	char	*copy = malloc(size > 0 ? size : 1), why[SCAN_WHY_MAX];
	const char *body = NULL;
	size_t	 blen = 0;
	int	 status = -1;

	FUZZ_ASSERT(copy != NULL);
	memcpy(copy, data, size);
	why[0] = '\0';
	if (scan_parse_http(copy, size, &status, &body, &blen, why,
	    sizeof(why)) == 0) {
		FUZZ_ASSERT(status >= 0 && status <= 999);
		FUZZ_ASSERT(body >= copy && body <= copy + size &&
		    blen == (size_t)(copy + size - body));
	} else
		FUZZ_ASSERT(why[0] != '\0');
	free(copy);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_verdict whole, got, json;
	int	 rc, got_rc;

	rc = fuzz_scan_reply(scan_parse_rspamd_http, RSPAMD_REPLY_MAX, data,
	    size, &whole, &got, &got_rc);
	FUZZ_ASSERT(whole.result != SCAN_VIRUS && got.result != SCAN_VIRUS);
	FUZZ_ASSERT(rc != 0 || whole.has_score);
	if (size <= RSPAMD_REPLY_MAX) {
		check_http(data, size);
		(void)fuzz_scan_parse(scan_parse_rspamd, data, size, &json);
		FUZZ_ASSERT(json.result != SCAN_VIRUS);
	}
	return 0;
}
