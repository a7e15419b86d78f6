/*
 * NAME
 *	mf_smfi 3h
 * SUMMARY
 *	the seam between gatepost-milter and libmilter's smfi_* calls
 * SYNOPSIS
 *	#include "mf_smfi.h"
 * DESCRIPTION
 *	Every libmilter call a callback makes goes through these wrappers.
 *	mf_smfi.c implements them over libmilter and is linked only into
 *	gatepost-milter; the unit tests link tests/support/stub_smfi.c
 *	instead, which records the calls and serves macros from a table
 *	(a link-time seam: no test mode flag in the daemon).
 *
 *	mf_getsymval() returns a string borrowed from libmilter, valid
 *	only until the callback returns: copy it, never keep it.  The
 *	others return 0 on success and -1 on failure (MI_FAILURE), with
 *	libmilter's meaning and restrictions: the message changes
 *	(mf_addheader, mf_chgheader with a NULL value to delete,
 *	mf_addrcpt, mf_quarantine, mf_replacebody) are allowed only in the
 *	end-of-message callback, mf_setsymlist() only in negotiation.
 *	mf_progress() tells the MTA that a slow end-of-message step (a
 *	scanner) is still working, resetting its timeout.  mf_replacebody()
 *	takes the whole new body and hands it to libmilter in pieces.
 * SEE ALSO
 *	smfi_getsymval(3), libmilter/docs/api.html
 */
#ifndef GP_MF_SMFI_H
#define GP_MF_SMFI_H

#include <stddef.h>

#include <libmilter/mfapi.h>

void	*mf_getpriv(SMFICTX *);
int	 mf_setpriv(SMFICTX *, void *);
const char *mf_getsymval(SMFICTX *, const char *);
int	 mf_setsymlist(SMFICTX *, int, const char *);
int	 mf_setreply(SMFICTX *, const char *, const char *, const char *);
int	 mf_addheader(SMFICTX *, const char *, const char *);
int	 mf_chgheader(SMFICTX *, const char *, int, const char *);
int	 mf_addrcpt(SMFICTX *, const char *);
int	 mf_quarantine(SMFICTX *, const char *);
int	 mf_replacebody(SMFICTX *, const unsigned char *, size_t);
int	 mf_progress(SMFICTX *);

#endif
