/* cfg_check.c - configuration loader: pure validators of strings */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "ascii.h"
#include "cfg_int.h"

#define CFG_HOST_MAX	255		/* bytes of a host name */
#define CFG_INST_NAME_MAX 64		/* bytes of an instance name */

static int ok_port(const char *, unsigned *);
static int ok_host_chars(const char *, size_t, const char *);
static int ok_abs_path(const char *);
static const char *addr_expect(unsigned);

/* ok_port - 1 to 65535, decimal digits only */
static int
ok_port(const char *s, unsigned *port)
{
	unsigned v = 0;
	size_t	 i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++) {
		if (i >= 5)
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (i == 0 || s[i] != '\0' || v == 0 || v > 65535)
		return 0;
	if (port != NULL)
		*port = v;
	return 1;
}

/* ok_host_chars - n bytes of letters, digits and the extra characters */
static int
ok_host_chars(const char *s, size_t n, const char *extra)
{
	size_t	 i;

	if (n == 0 || n > CFG_HOST_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    (s[i] != '\0' && strchr(extra, s[i]) != NULL)))
			return 0;
	}
	return 1;
}

/* ok_abs_path - an absolute path with something after the slash */
static int
ok_abs_path(const char *s)
{
	return s[0] == '/' && s[1] != '\0';
}

/* cfg_ok_hostport - "HOST:PORT", "[IPv6]:PORT" */
int
cfg_ok_hostport(const char *s)
{
	const char *close, *colon;
	char	 tmp[64];
	struct ipaddr a;
	size_t	 n;

	if (s[0] == '[') {
		if ((close = strchr(s, ']')) == NULL || close[1] != ':')
			return 0;
		n = (size_t)(close - s - 1);
		if (n == 0 || n >= sizeof(tmp))
			return 0;
		memcpy(tmp, s + 1, n);
		tmp[n] = '\0';
		if (ipaddr_parse(tmp, &a) < 0 || ipaddr_is_v4(&a))
			return 0;
		return ok_port(close + 2, NULL);
	}
	if ((colon = strrchr(s, ':')) == NULL ||
	    !ok_host_chars(s, (size_t)(colon - s), ".-_"))
		return 0;
	return ok_port(colon + 1, NULL);
}

/*
 * cfg_ok_server - a scanner: "IP:PORT", "[IPv6]:PORT", "localhost:PORT" or
 * "unix:/path".  No other host names: a DNS lookup could not be held to
 * the scanner's timeout, so the milter refuses them and a name would turn
 * every scan into an on_error outcome.
 */
int
cfg_ok_server(const char *s)
{
	const char *colon;
	char	 host[64];
	struct ipaddr a;
	size_t	 n;

	if (strncmp(s, "unix:", 5) == 0)
		return ok_abs_path(s + 5);
	if (!cfg_ok_hostport(s))
		return 0;
	if (s[0] == '[')
		return 1;
	colon = strrchr(s, ':');
	n = (size_t)(colon - s);
	if (n >= sizeof(host))
		return 0;
	memcpy(host, s, n);
	host[n] = '\0';
	return strcmp(host, "localhost") == 0 || ipaddr_parse(host, &a) == 0;
}

/* cfg_ok_listen - policyd.listen: "unix:/path" or "inet:HOST:PORT" */
int
cfg_ok_listen(const char *s)
{
	if (strncmp(s, "unix:", 5) == 0)
		return ok_abs_path(s + 5);
	if (strncmp(s, "inet:", 5) == 0)
		return cfg_ok_hostport(s + 5);
	return 0;
}

/*
 * cfg_ok_msocket - milter.socket in libmilter's syntax: "unix:/path",
 * "local:/path", "inet:PORT", "inet:PORT@HOST", "inet6:PORT@HOST".
 */
int
cfg_ok_msocket(const char *s)
{
	const char *p, *at;
	char	 port[8];
	size_t	 n;

	if (strncmp(s, "unix:", 5) == 0)
		return ok_abs_path(s + 5);
	if (strncmp(s, "local:", 6) == 0)
		return ok_abs_path(s + 6);
	if (strncmp(s, "inet:", 5) == 0)
		p = s + 5;
	else if (strncmp(s, "inet6:", 6) == 0)
		p = s + 6;
	else
		return 0;
	if ((at = strchr(p, '@')) == NULL)
		at = p + strlen(p);
	else if (!ok_host_chars(at + 1, strlen(at + 1), ".-_:[]"))
		return 0;
	n = (size_t)(at - p);
	if (n >= sizeof(port))
		return 0;
	memcpy(port, p, n);
	port[n] = '\0';
	return ok_port(port, NULL);
}

/* cfg_ok_inst_name - letters, digits, ".", "_", "-"; 64 bytes at most */
int
cfg_ok_inst_name(const char *s)
{
	size_t	 n = strlen(s);

	return n <= CFG_INST_NAME_MAX && ok_host_chars(s, n, "._-");
}

/* cfg_ok_hdr_name - an RFC 5322 field name: printable ASCII but ':' */
int
cfg_ok_hdr_name(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '\0')
		return 0;
	for (; *p != '\0'; p++)
		if (*p < 33 || *p > 126 || *p == ':')
			return 0;
	return 1;
}

/* cfg_ok_hdr_pattern - a field name, or a prefix of one and a final "*" */
int
cfg_ok_hdr_pattern(const char *s)
{
	char	 tmp[256];
	size_t	 n = strlen(s);

	if (n == 0 || n >= sizeof(tmp))
		return 0;
	memcpy(tmp, s, n + 1);
	if (tmp[n - 1] == '*') {
		if (n == 1)
			return 0;
		tmp[n - 1] = '\0';
	}
	return strchr(tmp, '*') == NULL && cfg_ok_hdr_name(tmp);
}

/* cfg_ok_hdr_value - no line breaks or other control characters but tab */
int
cfg_ok_hdr_value(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 32 && *p != '\t') || *p == 127)
			return 0;
	return 1;
}

/* cfg_parse_endpoint - "IPv4:port" or "[IPv6]:port" */
int
cfg_parse_endpoint(const char *s, struct cfg_endpoint *ep)
{
	const char *host = s, *end, *port;
	char	 tmp[64];
	size_t	 n;
	int	 v6 = s[0] == '[';

	if (v6) {
		host = s + 1;
		if ((end = strchr(host, ']')) == NULL || end[1] != ':')
			return -1;
		port = end + 2;
	} else {
		if ((end = strrchr(s, ':')) == NULL)
			return -1;
		port = end + 1;
	}
	n = (size_t)(end - host);
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, host, n);
	tmp[n] = '\0';
	/* an IPv6 address needs brackets, or its last group reads as port */
	if ((!v6 && strchr(tmp, ':') != NULL) ||
	    ipaddr_parse(tmp, &ep->addr) < 0)
		return -1;
	return ok_port(port, &ep->port) ? 0 : -1;
}

/* cfg_parse_octal_mode - "0660" -> 0660; 1 to 4 octal digits, or -1 */
int
cfg_parse_octal_mode(const char *s)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= 4 || s[i] < '0' || s[i] > '7')
			return -1;
		v = v * 8 + (s[i] - '0');
	}
	return i == 0 ? -1 : v;
}

/* addr_expect - the forms allowed, for messages */
static const char *
addr_expect(unsigned forms)
{
	if (forms & CFG_ADDR_ANY)
		return "expected local@domain, @domain or *";
	if (forms & CFG_ADDR_DOMAIN)
		return "expected local@domain or @domain";
	return "expected local@domain";
}

/*
 * cfg_norm_addr - normalize a list entry: "local@domain", "@domain" or
 * "*" as forms allow, in lower case.  Returns 0, or -1 with a reason.
 */
int
cfg_norm_addr(const char *s, unsigned forms, char *out, size_t size,
    char *why, size_t whylen)
{
	struct mailaddr m;
	char	 err[128];

	if (strcmp(s, "*") == 0 && (forms & CFG_ADDR_ANY))
		return snprintf(out, size, "*") < (int)size ? 0 : -1;
	if (s[0] == '@' && !(forms & CFG_ADDR_DOMAIN)) {
		(void)snprintf(why, whylen, "%s", addr_expect(forms));
		return -1;
	}
	if (s[0] == '@') {
		if (size < 2 ||
		    domain_normalize(s + 1, out + 1, size - 1) < 0) {
			(void)snprintf(why, whylen, "bad domain");
			return -1;
		}
		out[0] = '@';
		return 0;
	}
	err[0] = '\0';
	if (addr_parse(s, &m, err, sizeof(err)) < 0) {
		(void)snprintf(why, whylen, "%s",
		    err[0] != '\0' ? err : "not an address");
		return -1;
	}
	if (!(forms & CFG_ADDR_FULL) || m.null || m.domain[0] == '\0' ||
	    addr_format(&m, out, size) < 0) {
		(void)snprintf(why, whylen, "%s", addr_expect(forms));
		return -1;
	}
	ascii_strlower(out);
	return 0;
}
