/* stub_smfi.c - the mf_smfi seam for unit tests (see stub_smfi.h) */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stub_smfi.h"
#include "xalloc.h"

#define STUB_MACROS	32

struct smfi_str {
	void	*priv;			/* mf_setpriv() */
	char	*mac_name[STUB_MACROS];	/* owned */
	char	*mac_value[STUB_MACROS]; /* owned */
	char	**ops;			/* owned: recorded calls */
	size_t	 n_ops;
	int	 fail;			/* message changes fail */
};

static int record(SMFICTX *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

SMFICTX *
stub_ctx_new(void)
{
	return xcalloc(1, sizeof(SMFICTX));
}

void
stub_ctx_free(SMFICTX *ctx)
{
	size_t	 i;

	if (ctx == NULL)
		return;
	for (i = 0; i < STUB_MACROS; i++) {
		free(ctx->mac_name[i]);
		free(ctx->mac_value[i]);
	}
	stub_clear(ctx);
	free(ctx);
}

void
stub_macro(SMFICTX *ctx, const char *name, const char *value)
{
	size_t	 i, free_slot = STUB_MACROS;

	for (i = 0; i < STUB_MACROS; i++) {
		if (ctx->mac_name[i] == NULL) {
			if (free_slot == STUB_MACROS)
				free_slot = i;
			continue;
		}
		if (strcmp(ctx->mac_name[i], name) == 0)
			break;
	}
	if (i == STUB_MACROS) {
		if (value == NULL || free_slot == STUB_MACROS)
			return;
		i = free_slot;
		ctx->mac_name[i] = xstrdup(name);
	}
	free(ctx->mac_value[i]);
	ctx->mac_value[i] = NULL;
	if (value == NULL) {
		free(ctx->mac_name[i]);
		ctx->mac_name[i] = NULL;
		return;
	}
	ctx->mac_value[i] = xstrdup(value);
}

void
stub_fail(SMFICTX *ctx, int on)
{
	ctx->fail = on;
}

/* record - keep one call as a line; the result the seam returns */
static int
record(SMFICTX *ctx, const char *fmt, ...)
{
	char	 line[4096];
	va_list	 ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	ctx->ops = xreallocarray(ctx->ops, ctx->n_ops + 1, sizeof(char *));
	ctx->ops[ctx->n_ops++] = xstrdup(line);
	return ctx->fail ? -1 : 0;
}

int
stub_has(SMFICTX *ctx, const char *line)
{
	size_t	 i;

	for (i = 0; i < ctx->n_ops; i++)
		if (strcmp(ctx->ops[i], line) == 0)
			return 1;
	return 0;
}

size_t
stub_count(SMFICTX *ctx, const char *prefix)
{
	size_t	 i, n = 0;

	for (i = 0; i < ctx->n_ops; i++)
		n += strncmp(ctx->ops[i], prefix, strlen(prefix)) == 0;
	return n;
}

const char *
stub_op(SMFICTX *ctx, size_t i)
{
	return i < ctx->n_ops ? ctx->ops[i] : NULL;
}

void
stub_clear(SMFICTX *ctx)
{
	size_t	 i;

	for (i = 0; i < ctx->n_ops; i++)
		free(ctx->ops[i]);
	free(ctx->ops);
	ctx->ops = NULL;
	ctx->n_ops = 0;
}

/* The seam (mf_smfi.h). */

void *
mf_getpriv(SMFICTX *ctx)
{
	return ctx->priv;
}

int
mf_setpriv(SMFICTX *ctx, void *p)
{
	ctx->priv = p;
	return 0;
}

const char *
mf_getsymval(SMFICTX *ctx, const char *name)
{
	size_t	 i;

	for (i = 0; i < STUB_MACROS; i++)
		if (ctx->mac_name[i] != NULL &&
		    strcmp(ctx->mac_name[i], name) == 0)
			return ctx->mac_value[i];
	return NULL;
}

int
mf_setsymlist(SMFICTX *ctx, int stage, const char *list)
{
	int	 fail = ctx->fail;

	ctx->fail = 0;
	(void)record(ctx, "setsymlist %d %s", stage, list);
	ctx->fail = fail;
	return 0;
}

int
mf_setreply(SMFICTX *ctx, const char *code, const char *dsn,
    const char *text)
{
	return record(ctx, "setreply %s %s %s", code, dsn, text);
}

int
mf_addheader(SMFICTX *ctx, const char *name, const char *value)
{
	return record(ctx, "addheader %s: %s", name, value);
}

int
mf_chgheader(SMFICTX *ctx, const char *name, int idx, const char *value)
{
	return record(ctx, "chgheader %s %d %s", name, idx,
	    value != NULL ? value : "(null)");
}

int
mf_addrcpt(SMFICTX *ctx, const char *rcpt)
{
	return record(ctx, "addrcpt %s", rcpt);
}

int
mf_quarantine(SMFICTX *ctx, const char *reason)
{
	return record(ctx, "quarantine %s", reason);
}

int
mf_replacebody(SMFICTX *ctx, const unsigned char *p, size_t len)
{
	(void)p;
	return record(ctx, "replacebody %zu", len);
}

int
mf_progress(SMFICTX *ctx)
{
	return record(ctx, "progress");
}
