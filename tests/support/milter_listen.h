/*
 * NAME
 *	milter_listen 3h
 * SUMMARY
 *	start a stand-alone test milter (tests/helpers, tests/bench)
 * SYNOPSIS
 *	#include <libmilter/mfapi.h>
 *	#include "milter_listen.h"
 *
 *	int	milter_listen(const char *prog, const char *conn,
 *		    struct smfiDesc *desc, int backlog);
 *
 *	struct smfiDesc desc = MILTER_DESC(name, unknown, negotiate);
 *
 *	void	milter_priv_free(SMFICTX *ctx);
 * DESCRIPTION
 *	milter_listen() registers desc with libmilter, listens on conn
 *	(libmilter syntax: unix:/path or inet:PORT@HOST; a backlog of 0
 *	keeps libmilter's default), makes a unix socket mode 0666 (smtpd
 *	and cleanup run as user postfix and must connect), says "PROG:
 *	listening on CONN" on stderr and runs smfi_main().  It returns the
 *	program's exit status: 0 when smfi_main() ended normally, 1 when
 *	it could not listen (said on stderr) or smfi_main() failed.
 *
 *	MILTER_DESC() initialises the struct smfiDesc of a milter that
 *	changes nothing (flags 0) called name: the including file defines
 *	the callbacks cb_connect, cb_helo, cb_envfrom, cb_envrcpt,
 *	cb_header, cb_eoh, cb_body, cb_eom, cb_abort, cb_close and cb_data;
 *	unknown and negotiate are a callback or NULL.
 *	milter_priv_free() frees the connection's private data (malloc'd)
 *	and unsets it, for cb_close.
 *
 *	Header-only (static functions): the helpers and bench tools are
 *	each built from one .c file with libmilter, not with tests/support.
 * SEE ALSO
 *	tests/helpers/noop-milter.c, tests/bench/naive-milter.c
 */
#ifndef GP_MILTER_LISTEN_H
#define GP_MILTER_LISTEN_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MILTER_DESC(name, unknown, negotiate) { \
	.xxfi_name = (name), .xxfi_version = SMFI_VERSION, .xxfi_flags = 0, \
	.xxfi_connect = cb_connect, .xxfi_helo = cb_helo, \
	.xxfi_envfrom = cb_envfrom, .xxfi_envrcpt = cb_envrcpt, \
	.xxfi_header = cb_header, .xxfi_eoh = cb_eoh, .xxfi_body = cb_body, \
	.xxfi_eom = cb_eom, .xxfi_abort = cb_abort, .xxfi_close = cb_close, \
	.xxfi_unknown = (unknown), .xxfi_data = cb_data, \
	.xxfi_negotiate = (negotiate) }

/* milter_priv_free - free and unset the connection's private data */
static inline void
milter_priv_free(SMFICTX *ctx)
{
	free(smfi_getpriv(ctx));
	(void)smfi_setpriv(ctx, NULL);
}

/* milter_listen - listen on conn and serve until stopped; exit status */
static int
milter_listen(const char *prog, const char *conn, struct smfiDesc *desc,
    int backlog)
{
	if (smfi_setconn((char *)conn) == MI_FAILURE ||
	    (backlog > 0 && smfi_setbacklog(backlog) == MI_FAILURE) ||
	    smfi_register(*desc) == MI_FAILURE ||
	    smfi_opensocket(1) == MI_FAILURE) {
		fprintf(stderr, "%s: cannot listen on %s\n", prog, conn);
		return 1;
	}
	if (strncmp(conn, "unix:", 5) == 0 && chmod(conn + 5, 0666) != 0) {
		perror(conn + 5);
		return 1;
	}
	fprintf(stderr, "%s: listening on %s\n", prog, conn);
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}

#endif
