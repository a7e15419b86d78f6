/* idna.c - internationalised domain names to their ASCII form (libidn2) */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>

#include "idna.h"

/* idna_domain_ascii - the A-label form of a domain, as GMime shows it */
int
idna_domain_ascii(const char *domain, char *out, size_t len)
{
	char	*ascii = NULL;
	const char *use = domain;
	int	 n;

	if (idn2_to_ascii_8z(domain, &ascii, 0) == IDN2_OK &&
	    strcasecmp(domain, ascii) != 0)
		use = ascii;
	n = snprintf(out, len, "%s", use);
	idn2_free(ascii);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}
