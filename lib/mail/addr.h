/*
 * NAME
 *	addr 3h
 * SUMMARY
 *	envelope addresses (RFC 5321) and domain names
 * SYNOPSIS
 *	#include "addr.h"
 * DESCRIPTION
 *	addr_parse() parses an envelope address as Postfix hands it over
 *	(policy "sender"/"recipient" attributes, milter envfrom/envrcpt
 *	argument): with or without angle brackets, "<>" or "" for the null
 *	sender, an optional source route ("<@a,@b:user@dom>", dropped),
 *	quoted local parts ("\"john doe\"@example.com"; quotes around a
 *	plain dot-atom are removed so "\"alice\"@x" equals alice@x).  The
 *	domain is lower-cased and loses one trailing dot.  An address
 *	without "@" (Postfix may pass a bare local part) has an empty
 *	domain.  Returns 0, or -1 with a reason in err.  No allocation.
 *
 *	addr_format() writes local@domain (or "" for the null sender).
 *
 *	domain_normalize() lower-cases and strips one trailing dot, then
 *	validates: LDH labels of 1-63 octets, 255 octets in all, A-labels
 *	("xn--") allowed, underscores tolerated (seen in real hostnames);
 *	an address literal ("[192.0.2.1]", "[IPv6:...]") is accepted as is.
 *	Returns 0 or -1.
 *
 *	domain_match() compares a normalized domain with one pattern:
 *	"example.com" matches only that domain, ".example.com" only its
 *	subdomains (as in DESIGN.md).  domain_list_match() tests a list.
 *	Both return 1 on a match, else 0.
 *
 *	addr_equal() compares two parsed addresses: domain exactly (already
 *	lower case), local part case-insensitively, as mail administrators
 *	expect of send-as lists.
 *
 *	addr_scan_domains() (addr_scan.c) calls fn(arg, domain) for every
 *	domain the len octets of text could name after an '@', read as
 *	generously as any mail reader would: white space, control
 *	characters, quotes, backslashes, '[' and comments around the '@'
 *	and the dots are skipped, IDNA's full stops (U+3002, U+FF0E,
 *	U+FF61) count as dots, fullwidth ASCII and upper case are folded.
 *	A domain with 8-bit octets is reported whole and as its leading
 *	ASCII part.  It is how a sender that does not parse is tested for
 *	an internal domain (SECURITY.md).  Stops at and returns the first
 *	non-zero value fn returns, else 0.  NUL octets are text like any
 *	other; nothing beyond len is read.  fn gets NULL where a comment
 *	longer than 998 octets follows an '@' or a label: what comes after
 *	it is not examined, and the caller must fail closed.
 *
 *	All functions are pure and thread safe.
 * SEE ALSO
 *	RFC 5321 section 4.1.2
 */
#ifndef GP_ADDR_H
#define GP_ADDR_H

#include <stddef.h>

#define ADDR_LOCAL_MAX	256	/* octets, with room for quotes */
#define ADDR_DOMAIN_MAX	256	/* octets, RFC 1035 says 255 */

struct mailaddr {
	int	 null;			/* 1 for <> */
	char	 local[ADDR_LOCAL_MAX];	/* local part, quotes only if needed */
	char	 domain[ADDR_DOMAIN_MAX]; /* lower case, no trailing dot */
};

int	addr_parse(const char *, struct mailaddr *, char *, size_t);
int	addr_format(const struct mailaddr *, char *, size_t);
int	addr_equal(const struct mailaddr *, const struct mailaddr *);
int	domain_normalize(const char *, char *, size_t);
int	domain_match(const char *, const char *);
int	domain_list_match(char *const *, size_t, const char *);
typedef int addr_domain_fn(void *, const char *);
int	addr_scan_domains(const char *, size_t, addr_domain_fn *, void *);

#endif
