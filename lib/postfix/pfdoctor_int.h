/*
 * NAME
 *	pfdoctor_int 3h
 * SUMMARY
 *	internals shared by pfdoctor.c and pfdoctor_face.c
 * SYNOPSIS
 *	#include "pfdoctor_int.h"
 * DESCRIPTION
 *	struct pfd is one doctor run: the two configurations, the faces
 *	found in master.cf and the findings so far.  pfd_finding() starts a
 *	finding, a problem (fails doctor) or a warning (passes); the
 *	macros pfd_problem() and pfd_warning() spell the two.  pfd_fix()
 *	sets the fix of the latest one.  pfd_faces()
 *	collects the faces and pfd_face_check() runs every per-face check.
 *	pfd_ep_match() tells whether a Postfix endpoint ("unix:path",
 *	"inet:host:port", "host:port"; a trailing ", option=..." is ignored)
 *	reaches the gatepost endpoint gp ("unix:/abs", "inet:host:port"),
 *	resolving a unix path as a process with the given chroot sees it
 *	from the queue directory; 1 yes, 0 no.  pfd_ep_jailed() is true
 *	when a chrooted process cannot reach gp at all (a unix path outside
 *	the queue directory).  pfd_name_known() is true when some
 *	instance carries that face name.  pfd_milter_wired() and
 *	pfd_policy_wired() say whether a face uses gatepost's milter or
 *	policy service.  pfd_check_limits() (pfdoctor_limits.c) compares
 *	sizes and connection counts: message_size_limit against
 *	virus.max_size and clamd's StreamMaxLength, the summed smtpd maxproc
 *	against milter.max_connections and policyd.max_connections.
 * SEE ALSO
 *	pfdoctor(3h)
 */
#ifndef GP_PFDOCTOR_INT_H
#define GP_PFDOCTOR_INT_H

#include "cidr.h"
#include "pfdoctor.h"

struct pfd_face {
	const struct pf_service *listen;	/* the inet service */
	const struct pf_service *smtpd;		/* its smtpd (or pass) */
	char	 label[192];			/* for messages */
	int	 has_addr;
	struct ipaddr addr;
	unsigned port;
	int	 loopback;
	char	*dname;				/* owned, expanded */
	char	*pctx;				/* owned, expanded */
	int	 dname_set;			/* set explicitly */
	int	 pctx_set;
	int	 chroot;
	const struct cfg_instance *inst_m;	/* milter's view */
	const struct cfg_instance *inst_p;	/* policyd's view */
	const struct cfg_instance *inst;	/* policyd's, else milter's */
};

struct pfd {
	const struct cfg *cfg;
	const struct pfconf *pf;
	struct pfdoc *out;
	struct pfd_face *faces;			/* owned */
	size_t	 n_faces;
	char	*qdir;				/* owned: queue_directory */
	char	 milter[512];			/* gatepost milter, Postfix form */
	char	 policy[512];			/* gatepost policy endpoint */
};

void	pfd_finding(struct pfd *, int, const char *, const char *, ...)
	    __attribute__((format(printf, 4, 5)));
#define pfd_problem(d, id, ...)	pfd_finding((d), 0, (id), __VA_ARGS__)
#define pfd_warning(d, id, ...)	pfd_finding((d), 1, (id), __VA_ARGS__)
void	pfd_fix(struct pfd *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	pfd_faces(struct pfd *);
void	pfd_faces_free(struct pfd *);
void	pfd_face_check(struct pfd *, const struct pfd_face *);
int	pfd_ep_match(const struct pfd *, const char *, const char *, int);
int	pfd_ep_jailed(const struct pfd *, const char *);
int	pfd_name_known(const struct cfg *, const char *);
int	pfd_chroot(const struct pf_service *);
int	pfd_milter_wired(const struct pfd *, const struct pfd_face *);
int	pfd_policy_wired(const struct pfd *, const struct pfd_face *);
void	pfd_check_limits(struct pfd *);
void	pfd_tls_face(struct pfd *, const struct pfd_face *);
void	pfd_tls_partners(struct pfd *);

#endif
