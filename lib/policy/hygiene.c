/* hygiene.c - header fields removed by the milter (pure) */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "hygiene.h"

/* Fields only gatepost or its scanners may set (inbound). */
static const char *const forged[] = {
	"X-Gatepost-*",
	"X-Spam-*",
	"X-Spam",
	"X-Spamd-*",
	"X-Rspamd-*",
	"X-Virus-*",
};

/* hygiene_name_match - name equals pattern, or "Prefix*" prefixes it */
int
hygiene_name_match(const char *pattern, const char *name)
{
	size_t	 n = strlen(pattern);

	if (n > 0 && pattern[n - 1] == '*')
		return strncasecmp(pattern, name, n - 1) == 0;
	return strcasecmp(pattern, name) == 0;
}

/* hygiene_check - is this header field removed on this instance */
enum hygiene_why
hygiene_check(const struct cfg_instance *inst, const char *name)
{
	size_t	 i;

	if (inst == NULL || name == NULL)
		return HYGIENE_KEEP;
	if (inst->dir == CFG_DIR_INBOUND)
		for (i = 0; i < sizeof(forged) / sizeof(forged[0]); i++)
			if (hygiene_name_match(forged[i], name))
				return HYGIENE_FORGED;
	for (i = 0; i < inst->hdr_remove.n; i++)
		if (hygiene_name_match(inst->hdr_remove.v[i], name))
			return HYGIENE_CONFIG;
	return HYGIENE_KEEP;
}

/* hygiene_why_name - for logs */
const char *
hygiene_why_name(enum hygiene_why why)
{
	switch (why) {
	case HYGIENE_FORGED:
		return "forged";
	case HYGIENE_CONFIG:
		return "headers.remove";
	default:
		return "keep";
	}
}
