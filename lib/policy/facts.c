/* facts.c - decode protocol values into normalized facts */
#include "config.h"

#include <string.h>

#include "facts.h"

/* facts_init - nothing known yet */
void
facts_init(struct facts *f)
{
	memset(f, 0, sizeof(*f));
}

/* facts_set_str - bounded copy without control characters */
void
facts_set_str(char *dst, size_t len, const char *src)
{
	size_t	 i;

	if (len == 0)
		return;
	if (src == NULL)
		src = "";
	for (i = 0; src[i] != '\0' && i + 1 < len; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[i] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	dst[i] = '\0';
}

/* facts_set_client - remember and parse the client address */
int
facts_set_client(struct facts *f, const char *addr)
{
	facts_set_str(f->client_addr, sizeof(f->client_addr), addr);
	f->have_client = addr != NULL && ipaddr_parse(addr, &f->client) == 0;
	return f->have_client ? 0 : -1;
}

/* facts_set_sender - remember and parse the envelope sender */
int
facts_set_sender(struct facts *f, const char *addr)
{
	char	 why[128];

	facts_set_str(f->sender_raw, sizeof(f->sender_raw), addr);
	f->sender_cut = addr != NULL && strlen(addr) >= sizeof(f->sender_raw);
	f->have_sender = addr != NULL &&
	    addr_parse(addr, &f->sender, why, sizeof(why)) == 0;
	return f->have_sender ? 0 : -1;
}

/* facts_set_rcpt - remember and parse the current recipient */
int
facts_set_rcpt(struct facts *f, const char *addr)
{
	char	 why[128];

	facts_set_str(f->rcpt_raw, sizeof(f->rcpt_raw), addr);
	f->have_rcpt = addr != NULL &&
	    addr_parse(addr, &f->rcpt, why, sizeof(why)) == 0;
	return f->have_rcpt ? 0 : -1;
}
