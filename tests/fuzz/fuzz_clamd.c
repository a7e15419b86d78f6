/*
 * fuzz_clamd.c - clamd replies to zINSTREAM / nINSTREAM (lib/scan/scan_parse.c)
 *
 * The input is what clamd sends back after a stream; it is read as the
 * milter reads it (fuzz_scan(3h), reply_max 4096 as in
 * milter/scan_clamd.c).  Besides the common checks: a clamd verdict is
 * clean or a virus with a name, never spam and never scored.
 */
#include "config.h"

#include "fuzz_scan.h"

#define CLAMD_REPLY_MAX	4096		/* milter/scan_clamd.c */

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scan_verdict whole, got;
	int	 got_rc;

	(void)fuzz_scan_reply(scan_parse_clamd, CLAMD_REPLY_MAX, data, size,
	    &whole, &got, &got_rc);
	FUZZ_ASSERT(whole.result != SCAN_SPAM && got.result != SCAN_SPAM);
	FUZZ_ASSERT(!whole.has_score && !got.has_score);
	return 0;
}
