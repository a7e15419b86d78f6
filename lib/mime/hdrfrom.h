/*
 * NAME
 *	hdrfrom 3h
 * SUMMARY
 *	the header From field(s) of a message, parsed (RFC 5322, RFC 2047)
 * SYNOPSIS
 *	#include "hdrfrom.h"
 * DESCRIPTION
 *	hdrfrom_parse() fills a struct hdr_from (facts.h) from the values
 *	of a message's From header fields, one string per field, in the
 *	order they appear (n_fields 0 = the message has no From).  It is
 *	hdrfrom_reset() followed by hdrfrom_add() for each value; a daemon
 *	that sees header fields one at a time calls those two itself.
 *
 *	The parser is GMime 3's internet_address_list_parse() in loose
 *	mode: display names, quoted strings (an "@" inside quotes is not
 *	an address), comments, groups (their members are walked; a member
 *	shows "GROUP: NAME" as its display name so a group name cannot
 *	hide an impersonation), several addresses, folded lines, and
 *	RFC 2047 encoded words (Q and B, any charset GMime knows) in
 *	display names, decoded to UTF-8.  Each mailbox's address is taken
 *	in IDN A-label form (a U-label domain becomes "xn--...") and
 *	normalized by addr_parse(): lower-case domain, no trailing dot.
 *	Display names lose their control characters (replaced by spaces)
 *	and are cut at FACTS_STR_MAX - 1 bytes on a UTF-8 boundary.
 *
 *	Every field's whole raw value, and its value after RFC 2047
 *	decoding when that differs, are kept in hf->text (allocated, never
 *	cut): the rules look there for an internal domain with
 *	addr_scan_domains() (SECURITY.md: a field whose text names an
 *	internal domain counts as internal, whatever its parse).
 *
 *	Anything that does not give clean addresses makes the field
 *	malformed: it sets hf->bad and adds an entry with valid = 0 (so
 *	that a rule requiring every From address to be owned,
 *	send_as.header_from, fails closed; spoofing.malformed_from refuses
 *	it on the inbound face).  Malformed is: an unquoted '@' before an
 *	angle address in one element (GMime reads "a@x <b@y>" as b@y
 *	named "a@x", Python's email as a@x), a quoted string, angle address or group left
 *	open at the end, a control character (other than white space and
 *	the CR LF of a fold), a value
 *	GMime rejects or warns about, a list element GMime silently drops
 *	(found by counting the top-level elements of the raw value), a
 *	mailbox whose address does not parse or has no domain, a field
 *	longer than HDRFROM_FIELD_MAX or with a "(" that no ")" closes
 *	(quoted or not: it never reaches GMime), more than HDR_FROM_MAX
 *	addresses in all (the last slot then becomes the invalid entry),
 *	or a display name longer than the FACTS_STR_MAX - 1 bytes kept
 *	of it (no bound drops input silently).  An invalid entry's display
 *	name is the raw field value (cut as above).
 *	An empty group ("undisclosed-recipients:;") adds an invalid entry
 *	whose display name is the group's name, without setting bad; an
 *	empty field sets bad and adds nothing.
 *
 *	hdrfrom_reset() frees what an earlier parse kept: the struct must
 *	be zeroed before its first use; hdrfrom_free() frees it at the
 *	end (the struct itself is the caller's).  hdrfrom_domain_ascii()
 *	converts a domain to A-labels with GMime's IDNA (0, or -1).
 *
 *	GMime must be initialised once per process: hdrfrom_init() calls
 *	g_mime_init() exactly once (pthread_once), and hdrfrom_add() calls
 *	hdrfrom_init() itself.  Daemons call it at start-up, before any
 *	thread exists; after that, parsing is thread safe (each call uses
 *	its own GMimeParserOptions).  No I/O, no logging.
 * SEE ALSO
 *	facts(3h), addr(3h), RFC 5322 section 3.4, RFC 2047, RFC 6854
 */
#ifndef GP_HDRFROM_H
#define GP_HDRFROM_H

#include <stddef.h>

#include "facts.h"

#define HDRFROM_FIELD_MAX	16384	/* bytes of one From field value */

void	hdrfrom_init(void);
void	hdrfrom_reset(struct hdr_from *);
void	hdrfrom_free(struct hdr_from *);
int	hdrfrom_domain_ascii(const char *, char *, size_t);
void	hdrfrom_add(struct hdr_from *, const char *);
void	hdrfrom_parse(struct hdr_from *, const char *const *, size_t);

#endif
