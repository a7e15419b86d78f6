/*
 * NAME
 *	stub_smfi 3h
 * SUMMARY
 *	test double for milter/mf_smfi.c: a fake SMFICTX that serves macros
 *	and records every call
 * SYNOPSIS
 *	#include "stub_smfi.h"
 * DESCRIPTION
 *	Unit tests link tests/support/stub_smfi.c instead of mf_smfi.c, so
 *	the callbacks run unchanged without libmilter.  stub_ctx_new()
 *	makes a context; stub_macro() sets (value NULL: removes) a macro
 *	that mf_getsymval() will return; stub_fail() makes every later
 *	message change (add, change, recipient, quarantine, body, reply)
 *	fail, to test the 451 paths.
 *
 *	Each call is recorded as one line of text: "setreply CODE DSN
 *	TEXT", "addheader NAME: VALUE", "chgheader NAME IDX VALUE" (VALUE
 *	"(null)" for a deletion), "addrcpt ADDR", "quarantine REASON",
 *	"replacebody LEN", "setsymlist STAGE LIST", "progress".
 *	stub_has() tests for an exact line, stub_count() counts lines that
 *	start with a prefix, stub_op() returns line i (NULL past the end),
 *	stub_clear() forgets them.  Not thread safe; one context per test.
 * SEE ALSO
 *	mf_smfi(3h)
 */
#ifndef GP_STUB_SMFI_H
#define GP_STUB_SMFI_H

#include <stddef.h>

#include "milter/mf_smfi.h"

SMFICTX	*stub_ctx_new(void);
void	 stub_ctx_free(SMFICTX *);
void	 stub_macro(SMFICTX *, const char *, const char *);
void	 stub_fail(SMFICTX *, int);
int	 stub_has(SMFICTX *, const char *);
size_t	 stub_count(SMFICTX *, const char *);
const char *stub_op(SMFICTX *, size_t);
void	 stub_clear(SMFICTX *);

#endif
