/*
 * NAME
 *	pfdoctor 3h
 * SUMMARY
 *	cross-check a live Postfix configuration against a gatepost config
 * SYNOPSIS
 *	#include "pfdoctor.h"
 * DESCRIPTION
 *	pfdoctor_check() compares Postfix's configuration (pfconf(3h), as
 *	postconf reported it) with the instances of cfg and appends one
 *	finding per mismatch to out, each with a short id, the problem and
 *	its fix; it returns the number of findings it added.
 *
 *	A face is an inet service running smtpd, or postscreen with the
 *	pass service it hands clients to (smtpd_service_name).  Its
 *	instance is found as the daemons find it (cfg_instance_find()):
 *	by milter_macro_daemon_name for the milter, by
 *	smtpd_policy_service_policy_context for the policy service, then by
 *	the service's address.  Findings (ids):
 *
 *	default-action	milter_default_action accept, or left to the
 *			version default (tempfail up to 3.10, shutdown from
 *			3.11)
 *	no-face		an instance's match.address has no smtpd bound
 *			to it, or an instance without addresses has no face
 *			carrying its name
 *	bind-conflict	an smtpd on all addresses shares a port with a face
 *			bound to one address (master cannot bind both)
 *	bypass		a non-loopback smtpd wired to no gatepost daemon
 *	unknown-name	a daemon_name or policy_context that matches no
 *			instance, or the two naming different instances
 *	unknown-face	a face wired to gatepost that matches no instance
 *			(every message gets unknown_instance)
 *	auth-exposed	AUTH offered on a face whose instance says forbid
 *	auth-missing	AUTH not offered where the instance requires it
 *	auth-cleartext	AUTH offered without smtpd_tls_auth_only
 *	milter-missing	a face without gatepost-milter in smtpd_milters
 *	dkim-order	a DKIM signer (OpenDKIM, rspamd: by socket name or
 *			default port) before gatepost-milter in the
 *			smtpd_milters of a face whose instance adds
 *			disclaimers
 *	policy-missing	a face without gatepost-policyd in its lists
 *	policy-late	the policy service only after Postfix's relay check
 *	policy-eod	recipient-counting rate limits without the service
 *			in smtpd_end_of_data_restrictions (or data)
 *	chroot-socket	a chrooted smtpd cannot reach a gatepost socket
 *	open-relay	a client without login relays to any domain
 *	cannot-relay	an outbound face refuses its own clients' relay
 *	no-validation	an inbound face accepts unknown recipients
 *	local		locally submitted mail is not given its instance
 *	virus-size	a face's message_size_limit is above its virus.max_size
 *			(larger mail is refused 552 5.3.4, or passes
 *			unscanned with oversize accept)
 *	clamd-size	... or above clamd's StreamMaxLength, when the caller
 *			read it (out->clamd_stream_max; 0 = unknown)
 *	milter-connections, policy-connections
 *			the summed maxproc of the smtpd services using the
 *			milter (the policy service) is above
 *			milter.max_connections (policyd.max_connections):
 *			at peak load Postfix would be refused
 *	tls-level	a face's smtpd_tls_security_level is not its
 *			instance's tls.level
 *	tls-protocols	smtpd_tls_protocols or smtpd_tls_mandatory_protocols
 *			allow a protocol older than tls.min_protocol
 *	tls-cert-missing a certificate or key file the face would load does
 *			not exist, or a face with tls.level has none
 *	tls-key-mode	a private key not owned by root or readable by
 *			group or others
 *	tls-partners	tls.partners without a policy table on
 *			default_transport's service, or (inline table)
 *			a partner not required to use verified TLS
 *	tls-partners-relayhost  a relayhost makes the per-domain
 *			partner entries useless
 *
 *	pfdoctor_clamd_stream_max() reads StreamMaxLength from the text of a
 *	clamd.conf: 1 and *out in bytes, 0 when not set, -1 when malformed.
 *
 *	File checks (the tls-cert-missing and tls-key-mode ids) ask
 *	out->stat, the caller's callback, so this module does no I/O;
 *	with out->stat NULL they are skipped.
 *
 *	pfdoctor_free() releases the findings.  Pure, thread safe.
 * SEE ALSO
 *	gatepostctl(8), pfconf(3h), pfrestr(3h), pfgen(3h)
 */
#ifndef GP_PFDOCTOR_H
#define GP_PFDOCTOR_H

#include <stddef.h>

#include "cfg.h"
#include "pfconf.h"

struct pfdoc_finding {
	char	*id;			/* owned: "open-relay" */
	char	*problem;		/* owned */
	char	*fix;			/* owned */
	int	 warning;		/* a warning, not a problem */
};

struct pfdoc_file {			/* what the doctor knows of a file */
	int	 exists;
	unsigned long uid;		/* owner */
	unsigned mode;			/* st_mode permission bits */
};

/* fills *st for path (exists 0 when it does not); -1 on other errors */
typedef int pfdoc_stat_fn(void *, const char *path, struct pfdoc_file *st);

struct pfdoc {
	struct pfdoc_finding *v;	/* owned */
	size_t	 n;
	size_t	 n_faces;		/* faces found in master.cf */
	size_t	 n_warnings;		/* findings that are warnings */
	size_t	 clamd_stream_max;	/* input: clamd StreamMaxLength in
					 * bytes, 0 = unknown */
	char	 clamd_conf[256];	/* input: where it was read */
	pfdoc_stat_fn *stat;		/* caller's: NULL skips file checks */
	void	*stat_ctx;		/* borrowed, for stat */
};

size_t	pfdoctor_check(const struct cfg *, const struct pfconf *,
	    struct pfdoc *);
int	pfdoctor_clamd_stream_max(const char *, size_t *);
void	pfdoctor_free(struct pfdoc *);

#endif
