/*
 * NAME
 *	pfconf 3h
 * SUMMARY
 *	a live Postfix configuration, from postconf(1) output
 * SYNOPSIS
 *	#include "pfconf.h"
 * DESCRIPTION
 *	gatepostctl doctor runs postconf(1) and hands its text here, so the
 *	parsing and every check built on it stay pure and unit-testable.
 *
 *	pfconf_parse_main() reads "name = value" lines (postconf -n for the
 *	parameters set explicitly in main.cf, plain postconf for every
 *	parameter with its default) into conf->main or conf->all (which
 *	selects by all: 0 or 1).  pfconf_parse_master() reads postconf -M
 *	(one service per line: name, type, private, unpriv, chroot, wakeup,
 *	maxproc, command and its arguments).  pfconf_parse_params() reads
 *	postconf -P ("service/type/name = value", one per -o override) and
 *	attaches each to its service, which must already be known.  Each
 *	returns 0, or -1 with "line N: reason" in why; a later value for
 *	the same name replaces the earlier one, as in Postfix.
 *
 *	pfconf_raw() is a parameter's unexpanded value as the given service
 *	sees it (svc may be NULL for main.cf): its -o override, else the
 *	main.cf setting, else the default; NULL when Postfix has no such
 *	parameter.  pfconf_explicit() is main.cf's own setting or NULL.
 *	pfconf_value() returns the value with $name, ${name}, $(name),
 *	${name?text}, ${name:text} (text may be braced) and $$ expanded
 *	as that service would (malloc'ed; "" for an unknown parameter;
 *	expansion stops at a depth of 30).  pfconf_expand() expands a
 *	given text the same way.
 *
 *	pfconf_split() splits a Postfix list (whitespace and commas
 *	separate; "{ ... }" groups an element, braces dropped and the
 *	content trimmed) into v (malloc'ed; free with pfconf_strv_free()).
 *	pfconf_bool() is true for "yes" (any case).
 *
 *	pfconf_service() finds a service by name and type (NULL: any type).
 *	pfconf_service_port() splits a service name into host and port:
 *	"192.0.2.10:25", "[2001:db8::1]:smtp", "smtp" (no host: every
 *	inet_interfaces address).  Port names smtp, submission, submissions,
 *	smtps and urd are known; a number is taken as is.  It returns 0
 *	with host copied into host (empty when none) and *port set, or -1
 *	when the name is no inet endpoint it understands.
 *
 *	All functions are pure and thread safe for distinct objects; a
 *	struct pfconf starts zeroed and is released with pfconf_free().
 * SEE ALSO
 *	postconf(1), postconf(5), master(5), pfdoctor(3h)
 */
#ifndef GP_PFCONF_H
#define GP_PFCONF_H

#include <stddef.h>

struct pf_param {
	char	*name;			/* owned */
	char	*value;			/* owned, unexpanded */
};

struct pf_params {
	struct pf_param *v;		/* owned */
	size_t	 n;
};

struct pf_service {
	char	*name;			/* owned: "192.0.2.10:25", "pickup" */
	char	*type;			/* owned: inet, unix, pass, ... */
	char	*priv;			/* owned: columns as written, "-" */
	char	*unpriv;		/* owned */
	char	*chroot;		/* owned */
	char	*wakeup;		/* owned */
	char	*maxproc;		/* owned */
	char	*command;		/* owned: "smtpd", "postscreen" */
	char	*args;			/* owned: the rest of the line */
	struct pf_params opts;		/* -o overrides, from postconf -P */
};

struct pfconf {
	struct pf_params main;		/* main.cf, set explicitly (-n) */
	struct pf_params all;		/* every parameter (postconf) */
	struct pf_service *svc;		/* owned, in master.cf order */
	size_t	 n_svc;
};

struct pf_strv {
	char	**v;			/* owned strings */
	size_t	 n;
};

int	pfconf_parse_main(struct pfconf *, int all, const char *, char *,
	    size_t);
int	pfconf_parse_master(struct pfconf *, const char *, char *, size_t);
int	pfconf_parse_params(struct pfconf *, const char *, char *, size_t);
void	pfconf_free(struct pfconf *);

const char *pfconf_raw(const struct pfconf *, const struct pf_service *,
	    const char *);
const char *pfconf_explicit(const struct pfconf *, const char *);
char	*pfconf_value(const struct pfconf *, const struct pf_service *,
	    const char *);
char	*pfconf_expand(const struct pfconf *, const struct pf_service *,
	    const char *);

void	pfconf_split(const char *, struct pf_strv *);
void	pfconf_strv_free(struct pf_strv *);
int	pfconf_bool(const char *);

struct pf_service *pfconf_service(const struct pfconf *, const char *,
	    const char *);
int	pfconf_service_port(const char *, char *, size_t, unsigned *);

#endif
