/*
 * NAME
 *	cidr 3h
 * SUMMARY
 *	IPv4/IPv6 addresses and prefixes
 * SYNOPSIS
 *	#include "cidr.h"
 * DESCRIPTION
 *	Addresses are kept as 16 bytes; IPv4 is stored v4-mapped
 *	(::ffff:a.b.c.d) so that one comparison serves both families and a
 *	client that Postfix reports as ::ffff:192.0.2.1 matches 192.0.2.0/24.
 *	An IPv4 prefix length n is stored as n + 96.
 *
 *	ipaddr_parse() accepts dotted-quad IPv4, RFC 4291 IPv6 text
 *	(including v4-mapped and an optional "IPv6:" prefix as Postfix
 *	writes it) and returns 0, or -1 on a bad address.
 *
 *	cidr_parse() accepts "ADDR" (a host: /32 or /128) or "ADDR/LEN".
 *	It returns 0, or -1 with a human-readable reason in err.  Host bits
 *	set beyond the prefix are an error (192.0.2.1/24 is a typo more
 *	often than not).
 *
 *	cidr_match() returns 1 when the address lies in the prefix, else 0.
 *	cidr_list_match() tests a list.  Matching never allocates.
 *
 *	ipaddr_format() writes the canonical text (dotted quad for IPv4).
 *	All functions are pure and thread safe.
 * SEE ALSO
 *	inet_pton(3)
 */
#ifndef GP_CIDR_H
#define GP_CIDR_H

#include <stddef.h>
#include <stdint.h>

struct ipaddr {
	uint8_t	 b[16];			/* network order, v4 mapped */
};

struct cidr {
	struct ipaddr addr;		/* host bits zero */
	unsigned plen;			/* 0..128, v4 as 96..128 */
};

int	ipaddr_parse(const char *, struct ipaddr *);
int	ipaddr_is_v4(const struct ipaddr *);
int	ipaddr_format(const struct ipaddr *, char *, size_t);
int	cidr_parse(const char *, struct cidr *, char *, size_t);
int	cidr_match(const struct cidr *, const struct ipaddr *);
int	cidr_list_match(const struct cidr *, size_t, const struct ipaddr *);

#endif
