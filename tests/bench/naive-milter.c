/*
 * naive-milter - the reference milter of make bench: a libmilter filter
 * that registers every callback, negotiates nothing away (no
 * xxfi_negotiate, so libmilter asks for every step and a reply to each),
 * keeps a small per-connection context as any real filter does, and
 * accepts everything unchanged.
 *
 * usage: naive-milter SOCKET
 *   SOCKET   libmilter syntax: inet:PORT@127.0.0.1 or unix:/path
 * SIGTERM stops it (libmilter notices within a few seconds).
 */
#include <libmilter/mfapi.h>

#include <stdio.h>
#include <stdlib.h>

#include "milter_listen.h"

struct nctx {
	unsigned long msgs;		/* messages on this connection */
	unsigned long bytes;		/* body bytes of the current one */
};

static sfsistat
cb_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	struct nctx *c = calloc(1, sizeof(*c));

	(void)host;
	(void)sa;
	if (c == NULL)
		return SMFIS_TEMPFAIL;
	(void)smfi_setpriv(ctx, c);
	return SMFIS_CONTINUE;
}

static sfsistat
cb_helo(SMFICTX *ctx, char *helo)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_envfrom(SMFICTX *ctx, char **argv)
{
	struct nctx *c = smfi_getpriv(ctx);

	if (c != NULL)
		c->bytes = 0;
	return SMFIS_CONTINUE;
}

static sfsistat
cb_envrcpt(SMFICTX *ctx, char **argv)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_data(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_unknown(SMFICTX *ctx, const char *cmd)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_header(SMFICTX *ctx, char *name, char *value)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_eoh(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct nctx *c = smfi_getpriv(ctx);

	if (c != NULL)
		c->bytes += len;
	return SMFIS_CONTINUE;
}

static sfsistat
cb_eom(SMFICTX *ctx)
{
	struct nctx *c = smfi_getpriv(ctx);

	if (c != NULL)
		c->msgs++;
	return SMFIS_CONTINUE;
}

static sfsistat
cb_abort(SMFICTX *ctx)
{
	return SMFIS_CONTINUE;
}

static sfsistat
cb_close(SMFICTX *ctx)
{
	milter_priv_free(ctx);
	return SMFIS_CONTINUE;
}

/* no negotiate: the naive default */
static struct smfiDesc desc = MILTER_DESC("naive-milter", cb_unknown, NULL);

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: naive-milter SOCKET\n");
		return 2;
	}
	return milter_listen("naive-milter", argv[1], &desc, 256);
}
