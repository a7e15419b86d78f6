/*
 * fuzz_spamd.c - spamd SPAMD/1.x replies (lib/scan/scan_parse.c)
 *
 * The input is what spamd sends back for CHECK, SYMBOLS or REPORT; it
 * is read as the milter reads it (fuzz_scan(3h), reply_max 16384 as in
 * milter/scan_spamd.c).  Besides the common checks: a spamd verdict is
 * never a virus and an accepted one always has a score.
 */
#include "config.h"

#include "fuzz_scan.h"

#define SPAMD_REPLY_MAX	16384		/* milter/scan_spamd.c */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_verdict whole, got;
	int	 rc, got_rc;

	rc = fuzz_scan_reply(scan_parse_spamd, SPAMD_REPLY_MAX, data, size,
	    &whole, &got, &got_rc);
	FUZZ_ASSERT(whole.result != SCAN_VIRUS && got.result != SCAN_VIRUS);
	FUZZ_ASSERT(rc != 0 || whole.has_score);
	FUZZ_ASSERT(got_rc != 0 || got.has_score);
	return 0;
}
