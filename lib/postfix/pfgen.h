/*
 * NAME
 *	pfgen 3h
 * SUMMARY
 *	Postfix main.cf and master.cf fragments for a gatepost config
 * SYNOPSIS
 *	#include "pfgen.h"
 * DESCRIPTION
 *	pfgen_main() and pfgen_master() write the main.cf and master.cf
 *	fragments that wire Postfix to the instances of cfg, every setting
 *	preceded by a comment that says why (gatepostctl postfix, and the
 *	shipped contrib/postfix/ files).  Each INBOUND/OUTBOUND/internal
 *	instance with match.address gets one smtpd per address, naming its
 *	face (milter_macro_daemon_name, smtpd_policy_service_policy_context),
 *	with AUTH, relay and recipient restrictions from its auth, recipients
 *	and direction, the policy service first (smtpd_sender_restrictions)
 *	and at end of data when it has rate limits counting recipients, and
 *	the milter.  An instance with no address gets a commented template;
 *	a "local" instance gets pickup and its own cleanup service.  The
 *	delivery side is two smtp transports: gatepost-out (default_transport,
 *	bound to the inbound face's public address) and gatepost-in (the
 *	internal domains, transport_maps, bound to the outbound face's
 *	address).  Results are malloc'ed text.
 *
 *	A unix socket under PFGEN_QUEUE_DIR (Debian's queue_directory) is
 *	named relative to it ("unix:gatepost/policyd.sock"): Postfix daemons
 *	run in the queue directory, so the name works chrooted or not.
 *
 *	opts->source names the config in the header comment; opts->relay_host
 *	is the next hop for the internal domains (NULL: "[mailbox.invalid]",
 *	marked EDIT).
 *
 *	pfgen_milter_target() turns a libmilter socket spec ("unix:/p",
 *	"local:/p", "/p", "inet:PORT@HOST", "inet6:PORT@HOST") into Postfix's
 *	smtpd_milters syntax ("unix:/p", "inet:HOST:PORT", "inet:[HOST]:PORT";
 *	no host: 127.0.0.1).  pfgen_policy_target() does the same for
 *	policyd.listen ("unix:/p", "inet:HOST:PORT", already Postfix's).
 *	Both return 0, or -1 for a spec they do not understand.
 *	pfgen_endpoint() formats a match.address entry as a master.cf
 *	service name ("192.0.2.10:25", "[2001:db8::10]:25"): 0, or -1 when
 *	buf is too small.  pfgen_face_name() is the name an instance's face
 *	must carry (match.name, or the instance name without a match
 *	object), NULL when the instance is known by address only.
 *	pfgen_find_dir() is the first instance of a direction that has an
 *	address of the given family (v4: 1 IPv4, 0 IPv6, -1 any), NULL if
 *	none; *addr is set to that address.
 *
 *	Pure: no I/O, no globals; thread safe.
 * SEE ALSO
 *	gatepostctl(8), postconf(5), master(5), pfdoctor(3h)
 */
#ifndef GP_PFGEN_H
#define GP_PFGEN_H

#include <stddef.h>

#include "cfg.h"

#define PFGEN_RELAY_PLACEHOLDER	"[mailbox.invalid]"
#define PFGEN_QUEUE_DIR		"/var/spool/postfix/"

struct pfgen_opts {
	const char *source;		/* config path for the header */
	const char *relay_host;		/* next hop; NULL: placeholder */
};

char	*pfgen_main(const struct cfg *, const struct pfgen_opts *);
char	*pfgen_master(const struct cfg *, const struct pfgen_opts *);
int	pfgen_milter_target(const char *, char *, size_t);
int	pfgen_policy_target(const char *, char *, size_t);
int	pfgen_endpoint(const struct cfg_endpoint *, char *, size_t);
const char *pfgen_face_name(const struct cfg_instance *);
const struct cfg_instance *pfgen_find_dir(const struct cfg *, enum cfg_dir,
	    int, const struct cfg_endpoint **);

#endif
