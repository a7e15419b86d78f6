/*
 * NAME
 *	mf_cb 3h
 * SUMMARY
 *	gatepost-milter's libmilter callbacks (xxfi_*)
 * SYNOPSIS
 *	#include "mf_cb.h"
 * DESCRIPTION
 *	Thin adapters: each takes its struct mf_conn from the context
 *	(a missing one is an internal error: 451 4.3.0), copies the macros
 *	it needs into the connection or message facts, calls lib/ (the
 *	rule engine, hdrfrom, hygiene) through mf_ctx, mf_decide and
 *	mf_eom, and returns what mf_decide maps the result to.
 *	mf_main.c lists them in its struct smfiDesc; the unit tests call
 *	them directly over tests/support/stub_smfi.c.
 *
 *	negotiate pins the current config for the connection and asks for
 *	what mf_proto_choose() decides; connect chooses the instance
 *	(DESIGN.md "Instance identification") and, on a milter-only site,
 *	evaluates the connect-stage envelope rules; envfrom starts the
 *	transaction (sender, SIZE=, {auth_authen}) and evaluates the MAIL
 *	rules there; envrcpt the recipient rules; header records fields;
 *	eoh runs the header rules; body feeds plug-ins; eom runs the
 *	pipeline; abort and close free what they end.
 * SEE ALSO
 *	mf_ctx(3h), mf_proto(3h), mf_eom(3h)
 */
#ifndef GP_MF_CB_H
#define GP_MF_CB_H

#include "mf_smfi.h"

sfsistat mf_cb_negotiate(SMFICTX *, unsigned long, unsigned long,
	    unsigned long, unsigned long, unsigned long *, unsigned long *,
	    unsigned long *, unsigned long *);
sfsistat mf_cb_connect(SMFICTX *, char *, _SOCK_ADDR *);
sfsistat mf_cb_envfrom(SMFICTX *, char **);
sfsistat mf_cb_envrcpt(SMFICTX *, char **);
sfsistat mf_cb_header(SMFICTX *, char *, char *);
sfsistat mf_cb_eoh(SMFICTX *);
sfsistat mf_cb_body(SMFICTX *, unsigned char *, size_t);
sfsistat mf_cb_eom(SMFICTX *);
sfsistat mf_cb_abort(SMFICTX *);
sfsistat mf_cb_close(SMFICTX *);

#endif
