/*
 * NAME
 *	scan_engine 3h
 * SUMMARY
 *	what a scanner engine implements, and the job helpers it may use
 * SYNOPSIS
 *	#include "scan_engine.h"
 * DESCRIPTION
 *	An engine (scan_spamd.c, scan_rspamd.c, scan_clamd.c) is a struct
 *	scan_engine_ops: head() writes the request head into the job with
 *	scan_job_put()/scan_job_printf() (scan.c sends it after connect),
 *	body() sends one piece of the message with scan_job_send(), tail()
 *	ends the request (NULL: nothing to send), and parse() is the pure
 *	reply parser from scan_parse.h.  reply_max bounds the reply kept.
 *	The generic part (scan.c) connects, keeps the deadline, counts the
 *	bytes against the announced size, reads the reply until the peer
 *	closes or parse() accepts it, and turns every failure into an error
 *	verdict.
 *
 *	scan_job_put() and scan_job_printf() append to the head buffer
 *	(SCAN_HEAD_MAX bytes) and return -1 when it would overflow (the
 *	head stays as it was).  scan_job_send() sends an I/O vector before
 *	the deadline.  scan_job_size() is the announced message size.
 *	scan_env_value() copies an envelope string for a protocol header:
 *	bounded, control characters replaced, NULL becomes "".
 * SEE ALSO
 *	scan(3h)
 */
#ifndef GP_SCAN_ENGINE_H
#define GP_SCAN_ENGINE_H

#include <stddef.h>
#include <sys/uio.h>

#include "scan.h"

#define SCAN_HEAD_MAX	16384		/* bytes of a request head */

struct scan_engine_ops {
	const char *name;
	size_t	 reply_max;		/* bytes of reply kept */
	int	(*head)(struct scan_job *, const struct scan_env *);
	int	(*body)(struct scan_job *, const void *, size_t);
	int	(*tail)(struct scan_job *);
	int	(*parse)(const char *, size_t, struct scan_verdict *);
};

extern const struct scan_engine_ops scan_spamd_ops;
extern const struct scan_engine_ops scan_rspamd_ops;
extern const struct scan_engine_ops scan_clamd_ops;

int	scan_job_put(struct scan_job *, const void *, size_t);
int	scan_job_printf(struct scan_job *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	scan_job_send(struct scan_job *, struct iovec *, int);
size_t	scan_job_size(const struct scan_job *);
void	scan_env_value(char *, size_t, const char *);

#endif
