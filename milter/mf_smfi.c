/* mf_smfi.c - the seam over libmilter (gatepost-milter only, not tests) */
#include "config.h"

#include <stdint.h>

#include "mf_smfi.h"

/*
 * libmilter's prototypes predate const; it does not modify the strings
 * it is given, so casting const away here is safe.
 */
#define UNCONST(s)	((char *)(uintptr_t)(s))

/* mf_getpriv - this connection's private data */
void *
mf_getpriv(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

/* mf_setpriv - attach private data to the connection */
int
mf_setpriv(SMFICTX *ctx, void *p)
{
	return smfi_setpriv(ctx, p) == MI_SUCCESS ? 0 : -1;
}

/* mf_getsymval - a macro value, borrowed until the callback returns */
const char *
mf_getsymval(SMFICTX *ctx, const char *name)
{
	return smfi_getsymval(ctx, UNCONST(name));
}

/* mf_setsymlist - ask the MTA for these macros at this stage */
int
mf_setsymlist(SMFICTX *ctx, int stage, const char *macros)
{
	return smfi_setsymlist(ctx, stage, UNCONST(macros)) == MI_SUCCESS ?
	    0 : -1;
}

/* mf_setreply - the SMTP reply for a following REJECT or TEMPFAIL */
int
mf_setreply(SMFICTX *ctx, const char *code, const char *dsn,
    const char *text)
{
	return smfi_setreply(ctx, UNCONST(code), UNCONST(dsn),
	    UNCONST(text)) == MI_SUCCESS ? 0 : -1;
}

/* mf_addheader - append a header field */
int
mf_addheader(SMFICTX *ctx, const char *name, const char *value)
{
	return smfi_addheader(ctx, UNCONST(name), UNCONST(value)) ==
	    MI_SUCCESS ? 0 : -1;
}

/* mf_chgheader - change (or, value NULL, delete) the idx-th field name */
int
mf_chgheader(SMFICTX *ctx, const char *name, int idx, const char *value)
{
	return smfi_chgheader(ctx, UNCONST(name), idx, UNCONST(value)) ==
	    MI_SUCCESS ? 0 : -1;
}

/* mf_addrcpt - add an envelope recipient */
int
mf_addrcpt(SMFICTX *ctx, const char *rcpt)
{
	return smfi_addrcpt(ctx, UNCONST(rcpt)) == MI_SUCCESS ? 0 : -1;
}

/* mf_quarantine - put the message on hold */
int
mf_quarantine(SMFICTX *ctx, const char *reason)
{
	return smfi_quarantine(ctx, UNCONST(reason)) == MI_SUCCESS ? 0 : -1;
}

/* mf_replacebody - replace the body, in pieces libmilter can carry */
int
mf_replacebody(SMFICTX *ctx, const unsigned char *p, size_t len)
{
	size_t	 n;

	do {
		n = len < 65535 ? len : 65535;
		if (smfi_replacebody(ctx, (unsigned char *)(uintptr_t)p,
		    (int)n) != MI_SUCCESS)
			return -1;
		p += n;
		len -= n;
	} while (len > 0);
	return 0;
}

/* mf_progress - keep the MTA waiting during a long end-of-message step */
int
mf_progress(SMFICTX *ctx)
{
	return smfi_progress(ctx) == MI_SUCCESS ? 0 : -1;
}
