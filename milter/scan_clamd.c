/* scan_clamd.c - ClamAV's clamd: zINSTREAM */
#include "config.h"

#include <stdint.h>

#include "scan_engine.h"

#define CLAMD_CHUNK	65536		/* bytes per INSTREAM chunk */

static int clamd_head(struct scan_job *, const struct scan_env *);
static int clamd_body(struct scan_job *, const void *, size_t);
static int clamd_tail(struct scan_job *);
static void be32(unsigned char *, uint32_t);

/*
 * INSTREAM sends the message as length-prefixed chunks and a zero
 * length; clamd closes the connection after its one-line answer (NUL
 * terminated with the "z" prefix).  A clamd whose StreamMaxLength is
 * below the message size answers "INSTREAM size limit exceeded" and
 * hangs up: that is an error (raise StreamMaxLength to max_size).
 */
const struct scan_engine_ops scan_clamd_ops = {
	"clamd", 4096, clamd_head, clamd_body, clamd_tail, scan_parse_clamd
};

static void
be32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

/* clamd_head - the command, NUL terminated */
static int
clamd_head(struct scan_job *j, const struct scan_env *env)
{
	(void)env;
	return scan_job_put(j, "zINSTREAM", sizeof("zINSTREAM"));
}

/* clamd_body - one or more chunks, each with its length in front */
static int
clamd_body(struct scan_job *j, const void *p, size_t n)
{
	const unsigned char *b = p;
	unsigned char len[4];
	struct iovec iov[2];
	size_t	 k;

	while (n > 0) {
		k = n < CLAMD_CHUNK ? n : CLAMD_CHUNK;
		be32(len, (uint32_t)k);
		iov[0].iov_base = len;
		iov[0].iov_len = sizeof(len);
		iov[1].iov_base = (void *)(uintptr_t)b;
		iov[1].iov_len = k;
		if (scan_job_send(j, iov, 2) != 0)
			return -1;
		b += k;
		n -= k;
	}
	return 0;
}

/* clamd_tail - the zero-length chunk that ends the stream */
static int
clamd_tail(struct scan_job *j)
{
	unsigned char end[4] = { 0, 0, 0, 0 };
	struct iovec iov = { end, sizeof(end) };

	return scan_job_send(j, &iov, 1);
}
