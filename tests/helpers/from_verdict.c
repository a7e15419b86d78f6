/*
 * from_verdict - gatepost's inbound verdict, and GMime's strict reading,
 * for many senders at once (the differential test of issue 14,
 * tests/cli/t_from_differential).
 *
 * usage: from_verdict < REQUESTS
 *   Each request line is "H HEX" (one header From field value, hex
 *   encoded, so that any byte, NUL, CR and LF included, can be sent) or
 *   "E HEX" (one envelope sender as Postfix hands it over).  For each
 *   one line is written:
 *     H VERDICT GMIME   VERDICT: "refuse:RULE" or "accept";
 *                       GMIME: GMime 3 strict parse of the value:
 *                       "fail" (no list, or a warning), "internal" (a
 *                       mailbox in an internal domain), else "external"
 *     E VERDICT
 *
 * The configuration is fixed: internal_domains example.com and its
 * subdomains; one inbound instance with spoofing.envelope_from and
 * spoofing.header_from "reject" (so spoofing.malformed_from is reject
 * too); display_name off, so that only the address rules answer.  The
 * header From is evaluated as gatepost-milter does (hdrfrom_parse, then
 * the EOH rules); the envelope sender as at MAIL.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "cfg.h"
#include "hdrfrom.h"
#include "rule.h"

static const char cfg_json[] =
    "{\"version\": 1, \"internal_domains\": [\"example.com\", "
    "\".example.com\"], \"instances\": [{\"name\": \"inbound\", "
    "\"direction\": \"inbound\", \"spoofing\": {\"envelope_from\": "
    "\"reject\", \"header_from\": \"reject\"}}]}";

static int	unhex(const char *, char **, size_t *);
static int	internal(const char *);
static void	warned(gint64, GMimeParserWarning, const gchar *, gpointer);
static const char *gmime_strict(const char *);
static void	walk(InternetAddressList *, int *);
static const char *verdict(const struct cfg *, int, const char *);
static void	print_verdict(const char *);

/* unhex - decode a hex string into a NUL-terminated buffer (owned) */
static int
unhex(const char *s, char **out, size_t *len)
{
	size_t	 n = strlen(s) / 2, i;
	char	*b = malloc(n + 1);
	unsigned v;

	if (b == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1) {
			free(b);
			return -1;
		}
		b[i] = (char)v;
	}
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

/* internal - example.com or a subdomain, as the config says */
static int
internal(const char *domain)
{
	size_t	 n = strlen(domain), k = strlen("example.com");

	while (n > 0 && domain[n - 1] == '.')
		n--;
	if (n < k || g_ascii_strncasecmp(domain + n - k, "example.com", k))
		return 0;
	return n == k || domain[n - k - 1] == '.';
}

/* warned - GMime's warning callback */
static void
warned(gint64 off, GMimeParserWarning code, const gchar *item, gpointer arg)
{
	(void)off;
	(void)code;
	(void)item;
	*(int *)arg = 1;
}

/* walk - set *found when a mailbox of the list is in an internal domain */
static void
walk(InternetAddressList *l, int *found)
{
	int	 i, n = internet_address_list_length(l);

	for (i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(l, i);
		const char *a, *at;

		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			walk(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(ia)), found);
			continue;
		}
		a = internet_address_mailbox_get_idn_addr(
		    INTERNET_ADDRESS_MAILBOX(ia));
		if (a != NULL && (at = strrchr(a, '@')) != NULL &&
		    internal(at + 1))
			*found = 1;
	}
}

/* gmime_strict - GMime's strict reading of a From value */
static const char *
gmime_strict(const char *value)
{
	GMimeParserOptions *o = g_mime_parser_options_new();
	InternetAddressList *l;
	int	 warn = 0, found = 0;

	g_mime_parser_options_set_address_compliance_mode(o,
	    GMIME_RFC_COMPLIANCE_STRICT);
	g_mime_parser_options_set_rfc2047_compliance_mode(o,
	    GMIME_RFC_COMPLIANCE_STRICT);
	g_mime_parser_options_set_warning_callback(o, warned, &warn);
	l = internet_address_list_parse(o, value);
	if (l != NULL) {
		walk(l, &found);
		g_object_unref(l);
	}
	g_mime_parser_options_free(o);
	if (found)
		return "internal";
	return l == NULL || warn ? "fail" : "external";
}

/* verdict - the refusing rule's name, or NULL, for a value or a sender */
static const char *
verdict(const struct cfg *cfg, int header, const char *value)
{
	struct hdr_from hf = {0};
	struct verdict v;
	struct facts f;

	facts_init(&f);
	(void)facts_set_client(&f, "198.51.100.7");
	verdict_init(&v);
	if (header) {
		(void)facts_set_sender(&f, "someone@example.net");
		hdrfrom_parse(&hf, &value, 1);
		f.from = &hf;
		rule_eval(cfg, &cfg->inst[0], &f, STAGE_EOH, STAGE_EOH, &v);
		hdrfrom_free(&hf);
	} else {
		(void)facts_set_sender(&f, value);
		rule_eval(cfg, &cfg->inst[0], &f, STAGE_MAIL, STAGE_MAIL, &v);
	}
	return v.refusal != NULL ? rule_name(v.refusal->rule) : NULL;
}

/* print_verdict - "refuse:RULE" or "accept" */
static void
print_verdict(const char *rule)
{
	if (rule != NULL)
		(void)printf("refuse:%s", rule);
	else
		(void)printf("accept");
}

int
main(void)
{
	struct cfg_errors errs;
	struct cfg *cfg;
	char	 line[300000], *val;
	size_t	 len, n;

	hdrfrom_init();
	memset(&errs, 0, sizeof(errs));
	cfg = cfg_parse(cfg_json, strlen(cfg_json), "from_verdict", ".",
	    NULL, &errs);
	cfg_errors_free(&errs);
	if (cfg == NULL) {
		(void)fprintf(stderr, "from_verdict: config does not load\n");
		return 1;
	}
	while (fgets(line, sizeof(line), stdin) != NULL) {
		n = strcspn(line, "\r\n");
		line[n] = '\0';
		if (n < 2 || (line[0] != 'H' && line[0] != 'E') ||
		    unhex(line + 2, &val, &len) != 0) {
			(void)fprintf(stderr, "from_verdict: bad request\n");
			return 1;
		}
		(void)printf("%c ", line[0]);
		print_verdict(verdict(cfg, line[0] == 'H', val));
		if (line[0] == 'H')
			(void)printf(" %s", gmime_strict(val));
		(void)printf("\n");
		free(val);
	}
	cfg_release(cfg);
	return 0;
}
