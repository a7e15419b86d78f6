/* scan_spamd.c - SpamAssassin's spamd: SPAMC/1.5 SYMBOLS */
#include "config.h"

#include <stdint.h>

#include "scan_engine.h"

static int spamd_head(struct scan_job *, const struct scan_env *);
static int spamd_body(struct scan_job *, const void *, size_t);

/*
 * SYMBOLS answers the score, spamd's threshold and the rule names in one
 * short reply; CHECK would lose the names and REPORT is long text.
 * spamd reads exactly Content-length bytes, so the size comes first.
 */
const struct scan_engine_ops scan_spamd_ops = {
	"spamd", 16384, spamd_head, spamd_body, NULL, scan_parse_spamd
};

/* spamd_head - command line and Content-length */
static int
spamd_head(struct scan_job *j, const struct scan_env *env)
{
	(void)env;
	return scan_job_printf(j, "SYMBOLS SPAMC/1.5\r\nContent-length: %zu"
	    "\r\n\r\n", scan_job_size(j));
}

/* spamd_body - the message as it is */
static int
spamd_body(struct scan_job *j, const void *p, size_t n)
{
	struct iovec iov = { (void *)(uintptr_t)p, n };

	return scan_job_send(j, &iov, 1);
}
