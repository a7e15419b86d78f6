/* hdrfrom.c - parse From header fields with GMime into struct hdr_from */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "addr.h"
#include "hdrfrom.h"
#include "xalloc.h"

struct walk {				/* one hdrfrom_add() call */
	int	 warned;		/* GMime reported a problem */
};

static void	gmime_once(void);
static void	on_warning(gint64, GMimeParserWarning, const gchar *,
		    gpointer);
struct count;
static void	count_token(struct count *, char);
static size_t	count_elements(const char *, int *);
static size_t	list_units(InternetAddressList *);
static int	bad_route(const char *);
static int	has_ctrl(const char *);
static int	open_comment(const char *);
static int	copy_display(char *, size_t, const char *, const char *);
static struct hdr_from_addr *slot(struct hdr_from *);
static void	add_invalid(struct hdr_from *, const char *, int);
static void	add_mailbox(struct hdr_from *, InternetAddressMailbox *,
		    const char *);
static void	walk_list(struct hdr_from *, InternetAddressList *,
		    const char *);
static void	keep_text(struct hdr_from *, const char *);
static void	keep_field(struct hdr_from *, GMimeParserOptions *,
		    const char *);

static pthread_once_t hdrfrom_once = PTHREAD_ONCE_INIT;

/*
 * gmime_once - the one g_mime_init() of the process.  GLib makes a class
 * when its first instance is made, and only GLib's own atomics (which
 * ThreadSanitizer cannot see) order that against other threads; one parse
 * here makes the classes a parse needs (list, mailbox, group) before any
 * thread exists, so the milter's threads only read them.
 */
static void
gmime_once(void)
{
	InternetAddressList *list;

	g_mime_init();
	list = internet_address_list_parse(NULL,
	    "=?utf-8?q?a?= <a@example.com>, g: b@example.com;");
	if (list != NULL)
		g_object_unref(list);
}

/* hdrfrom_init - initialise GMime once; call before threads exist */
void
hdrfrom_init(void)
{
	(void)pthread_once(&hdrfrom_once, gmime_once);
}

/* on_warning - GMime found something it had to skip or guess */
static void
on_warning(gint64 offset, GMimeParserWarning code, const gchar *item,
    gpointer arg)
{
	struct walk *w = arg;

	(void)offset;
	(void)code;
	(void)item;
	w->warned = 1;
}

struct count {				/* count_elements() state */
	int	 quoted, comment, angle, group;
	int	 content;		/* the current element has text */
	int	 after;			/* a group just closed */
	int	 at;			/* an '@' outside angle brackets in
					 * the current element */
	int	 stray;			/* '<' in '<', '>' outside, text
					 * after a group's ';' */
	char	 last;		/* the previous character counted */
	char	 afirst;		/* the first one in '<' '>', or 0 */
	int	 acolon;		/* ':' seen in '<' '>' */
	size_t	 members;		/* of the open group */
	size_t	 n;			/* units counted */
};

/* count_token - one character outside quotes, comments, white space */
static void
count_token(struct count *k, char c)
{
	/* "a@example.com." is no dot-atom: Python's email finds no address */
	if (k->last == '.' && (c == '>' || c == ',' || c == ';'))
		k->stray = 1;
	k->last = c;
	if (k->angle && k->afirst == '\0')
		k->afirst = c;
	/* a ',' inside '<' '>' belongs to a source route only */
	if (k->angle && c == ',' && (k->afirst != '@' || k->acolon))
		k->stray = 1;
	/* and one ':' ends the route: "<@a,@b:u@d>" */
	if (k->angle && c == ':') {
		k->stray |= k->afirst != '@' || k->acolon;
		k->acolon = 1;
	}
	if (c == ')' || c == '\\')
		k->stray = 1;		/* no comment to close, no quotes */
	else if (c == '"')
		k->quoted = 1;
	else if (c == '@' && !k->angle)
		k->at = 1;
	else if (c == '<') {
		/*
		 * "a@x <b@y>": GMime reads b@y named "a@x", Python's email
		 * reads a@x; the readers disagree, so it is malformed.
		 */
		k->stray |= k->angle || k->at;
		k->angle = 1;
		k->afirst = '\0';
		k->acolon = 0;
	} else if (c == '>') {
		k->stray |= !k->angle;
		k->angle = 0;
	} else if (!k->angle && c == ':' && k->group) {
		k->stray = 1;		/* a nested group, or worse */
	} else if (!k->angle && c == ':' && !k->group) {
		k->at = 0;
		k->group = 1;
		k->members = 0;
		k->content = 0;
		return;
	} else if (!k->angle && c == ';' && k->group) {
		k->members += k->content;
		k->n += k->members > 0 ? k->members : 1;
		k->group = k->content = k->at = 0;
		k->after = 1;
		return;
	} else if (!k->angle && c == ',') {
		if (k->group)
			k->members += k->content;
		else {
			k->n += k->content;
			k->after = 0;
		}
		k->content = k->at = 0;
		return;
	}
	k->content = 1;
	k->stray |= k->after;
}

/*
 * count_elements - the units of an address list, roughly as RFC 5322
 * section 3.4 splits it: commas outside quoted strings, comments and
 * angle brackets; a mailbox is one unit, a group as many as it has
 * members (at least one).  Empty elements (obs-mbox-list) do not count.
 * GMime's loose mode drops elements it cannot parse without a warning;
 * comparing the counts (list_units()) finds them.  *open is set when a
 * quoted string, an angle address or a group is still open at the end,
 * or an angle bracket, a ':' inside a group or text after a group is
 * out of place (GMime
 * accepts "A <a@x", "A <a@x>>" and "g: a@x" without a warning; Python's
 * email reads them with a defect).
 */
static size_t
count_elements(const char *s, int *open)
{
	struct count k;

	memset(&k, 0, sizeof(k));
	for (; *s != '\0'; s++) {
		if ((k.quoted || k.comment) && *s == '\\') {
			if (s[1] != '\0')
				s++;
			continue;
		}
		if (k.quoted) {
			k.quoted = *s != '"';
			continue;
		}
		if (*s == '(') {
			k.comment++;
			continue;
		}
		if (k.comment) {
			k.comment -= *s == ')';
			continue;
		}
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			count_token(&k, *s);
	}
	*open = k.quoted || k.angle || k.group || k.stray || k.last == '.';
	return k.n + (k.group ? 0 : k.content);
}

/* list_units - count_elements()'s units of what GMime returned */
static size_t
list_units(InternetAddressList *list)
{
	int	 i, n = internet_address_list_length(list), k;
	size_t	 u = 0;

	for (i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list,
		    i);
		InternetAddressList *m;

		if (!INTERNET_ADDRESS_IS_GROUP(ia)) {
			u++;
			continue;
		}
		m = internet_address_group_get_members(
		    INTERNET_ADDRESS_GROUP(ia));
		k = m != NULL ? internet_address_list_length(m) : 0;
		u += k > 0 ? (size_t)k : 1;
	}
	return u;
}

/*
 * bad_route - an obsolete source route ("<@a,@b:u@d>") whose hops are
 * not all "@domain": GMime takes "<@x@y,@z:u@d>" without a warning,
 * Python's email finds no address in it.
 */
static int
bad_route(const char *s)
{
	const char *p, *q, *end;
	char	 dom[ADDR_DOMAIN_MAX], out[ADDR_DOMAIN_MAX];
	size_t	 n;

	for (p = strchr(s, '<'); p != NULL; p = strchr(p + 1, '<')) {
		q = p + 1 + strspn(p + 1, " \t\r\n");
		if (*q != '@')
			continue;
		if ((end = strchr(q, ':')) == NULL)
			return 1;
		while ((q += strspn(q, " \t\r\n,")) < end) {
			if (*q++ != '@')
				return 1;
			n = strcspn(q, ",: \t\r\n");
			if (n > (size_t)(end - q))
				n = (size_t)(end - q);
			if (n == 0 || n >= sizeof(dom))
				return 1;
			memcpy(dom, q, n);
			dom[n] = '\0';
			if (domain_normalize(dom, out, sizeof(out)) != 0)
				return 1;
			q += n;
		}
	}
	return 0;
}

/*
 * has_ctrl - a control character other than a tab and the line end of
 * a fold (CR LF or LF, then a space or tab): mail readers drop, keep or
 * break lines at them differently, so the field is not read with
 * certainty.
 */
static int
has_ctrl(const char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\r' && s[1] == '\n')
			continue;
		if (c == '\n' && (s[1] == ' ' || s[1] == '\t'))
			continue;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 1;
	}
	return 0;
}

/*
 * open_comment - a '(' that no ')' closes, quoted strings or not.  GMime
 * 3.2.13 leaks the addr-spec before a comment that never ends
 * (jstedfast/gmime issue 159), and after an error its loose parser
 * resumes at any comma, quotes or not, so such a field never reaches
 * it: it is malformed anyway.  Escapes as in g_mime_skip_comment(); an
 * escaped '(' counts as well, which can only flag more.
 */
static int
open_comment(const char *s)
{
	size_t	 depth = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0')
			depth += *++s == '(';
		else if (*s == '(')
			depth++;
		else if (*s == ')' && depth > 0)
			depth--;
	}
	return depth > 0;
}

/*
 * copy_display - "GROUP: NAME", "NAME" or "GROUP", control characters
 * as spaces, cut on a UTF-8 character boundary.  Returns 1 when it had
 * to cut: the caller then treats the field as malformed, so the whole
 * text is still examined (hf->text).
 */
static int
copy_display(char *dst, size_t len, const char *group, const char *name)
{
	char	 tmp[FACTS_STR_MAX * 2];
	size_t	 i, n;
	int	 w, cut = 0;

	if (group == NULL)
		group = "";
	if (name == NULL)
		name = "";
	w = snprintf(tmp, sizeof(tmp), "%s%s%s", group,
	    group[0] != '\0' && name[0] != '\0' ? ": " : "", name);
	n = strlen(tmp);
	if (w < 0 || (size_t)w > n)
		cut = 1;
	if (n > len - 1) {
		cut = 1;
		n = len - 1;
		while (n > 0 && ((unsigned char)tmp[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tmp[i];

		dst[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
	}
	dst[n] = '\0';
	return cut;
}

/* slot - the next free entry; the last one is kept for "too many" */
static struct hdr_from_addr *
slot(struct hdr_from *hf)
{
	struct hdr_from_addr *a;

	if (hf->n >= HDR_FROM_MAX) {
		a = &hf->v[HDR_FROM_MAX - 1];
		memset(a, 0, sizeof(*a));
		(void)copy_display(a->display, sizeof(a->display), NULL,
		    "(too many addresses)");
		hf->bad = 1;
		return NULL;
	}
	a = &hf->v[hf->n++];
	memset(a, 0, sizeof(*a));
	return a;
}

/* add_invalid - an entry no address rule can accept */
static void
add_invalid(struct hdr_from *hf, const char *display, int bad)
{
	struct hdr_from_addr *a;

	if (bad)
		hf->bad = 1;
	if ((a = slot(hf)) != NULL && copy_display(a->display,
	    sizeof(a->display), NULL, display))
		hf->bad = 1;
}

/* add_mailbox - one parsed mailbox, its address normalized */
static void
add_mailbox(struct hdr_from *hf, InternetAddressMailbox *mb,
    const char *group)
{
	struct hdr_from_addr *a;
	const char *addr;
	char	 why[128];

	if ((a = slot(hf)) == NULL)
		return;
	if (copy_display(a->display, sizeof(a->display), group,
	    internet_address_get_name(INTERNET_ADDRESS(mb))))
		hf->bad = 1;
	addr = internet_address_mailbox_get_idn_addr(mb);
	if (addr == NULL || addr_parse(addr, &a->addr, why, sizeof(why)) != 0
	    || a->addr.null || a->addr.domain[0] == '\0') {
		memset(&a->addr, 0, sizeof(a->addr));
		hf->bad = 1;
		return;
	}
	a->valid = 1;
}

/* walk_list - every mailbox of a list, descending into groups once */
static void
walk_list(struct hdr_from *hf, InternetAddressList *list, const char *group)
{
	int	 i, n = internet_address_list_length(list);

	for (i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list,
		    i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			add_mailbox(hf, INTERNET_ADDRESS_MAILBOX(ia), group);
		} else if (INTERNET_ADDRESS_IS_GROUP(ia) && group == NULL) {
			InternetAddressGroup *g = INTERNET_ADDRESS_GROUP(ia);
			InternetAddressList *m;
			const char *name = internet_address_get_name(ia);

			m = internet_address_group_get_members(g);

			if (m == NULL || internet_address_list_length(m) == 0)
				add_invalid(hf, name, 0);
			else
				walk_list(hf, m, name != NULL ? name : "");
		} else {
			add_invalid(hf, "(nested group)", 1);
		}
	}
}

/* keep_text - remember one text of a malformed field, whole */
static void
keep_text(struct hdr_from *hf, const char *text)
{
	hf->text = xreallocarray(hf->text, hf->n_text + 1, sizeof(char *));
	hf->text[hf->n_text++] = xstrdup(text);
}

/*
 * keep_field - keep a field's raw value and its value after RFC 2047
 * decoding, so that the rules can look for an internal domain in all of
 * it (addr_scan_domains() does the rest of the unwrapping).
 */
static void
keep_field(struct hdr_from *hf, GMimeParserOptions *opts, const char *value)
{
	char	*dec;

	keep_text(hf, value);
	if (opts == NULL || strstr(value, "=?") == NULL)
		return;
	if ((dec = g_mime_utils_header_decode_text(opts, value)) != NULL) {
		if (strcmp(dec, value) != 0)
			keep_text(hf, dec);
		g_free(dec);
	}
}

/* hdrfrom_reset - no From field seen yet; frees what a parse kept */
void
hdrfrom_reset(struct hdr_from *hf)
{
	hdrfrom_free(hf);
	memset(hf, 0, sizeof(*hf));
}

/* hdrfrom_free - free the kept texts (the struct itself is the caller's) */
void
hdrfrom_free(struct hdr_from *hf)
{
	size_t	 i;

	if (hf == NULL)
		return;
	for (i = 0; i < hf->n_text; i++)
		free(hf->text[i]);
	free(hf->text);
	hf->text = NULL;
	hf->n_text = 0;
}

/*
 * hdrfrom_domain_ascii - an IDN domain in A-label form (GMime's IDNA),
 * or -1.  Used to test a domain found in a malformed field.
 */
int
hdrfrom_domain_ascii(const char *domain, char *out, size_t len)
{
	InternetAddressMailbox *mb;
	const char *idn, *at;
	char	*tmp;
	int	 rc = -1;

	hdrfrom_init();
	tmp = g_strconcat("x@", domain, NULL);
	mb = INTERNET_ADDRESS_MAILBOX(internet_address_mailbox_new("", tmp));
	idn = internet_address_mailbox_get_idn_addr(mb);
	if (idn != NULL && (at = strrchr(idn, '@')) != NULL &&
	    strlen(at + 1) < len) {
		(void)snprintf(out, len, "%s", at + 1);
		rc = 0;
	}
	g_object_unref(mb);
	g_free(tmp);
	return rc;
}

/* hdrfrom_add - parse one From field value and append its addresses */
void
hdrfrom_add(struct hdr_from *hf, const char *value)
{
	GMimeParserOptions *opts;
	InternetAddressList *list;
	struct walk w;
	size_t	 want;
	int	 flagged = 0, was_bad = hf->bad, open = 0;

	hdrfrom_init();
	hf->n_fields++;
	if (value == NULL)
		value = "";
	hf->bad = 0;
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_rfc2047_compliance_mode(opts,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	if (strlen(value) > HDRFROM_FIELD_MAX || open_comment(value)) {
		add_invalid(hf, value, 1);
		keep_field(hf, opts, value);
		hf->bad = 1;
		g_mime_parser_options_free(opts);
		return;
	}
	memset(&w, 0, sizeof(w));
	g_mime_parser_options_set_address_compliance_mode(opts,
	    GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_allow_addresses_without_domain(opts, FALSE);
	g_mime_parser_options_set_warning_callback(opts, on_warning, &w);
	list = internet_address_list_parse(opts, value);
	want = count_elements(value, &open);
	if (list == NULL) {
		if (want > 0)
			add_invalid(hf, value, 1);
		else
			hf->bad = 1;	/* an empty From field */
		flagged = 1;
	} else {
		walk_list(hf, list, NULL);
		if (list_units(list) != want) {
			add_invalid(hf, value, 1);
			flagged = 1;
		}
		g_object_unref(list);
	}
	/* a field that is not UTF-8 is one no reader can be sure of */
	if ((w.warned || open || has_ctrl(value) || bad_route(value) ||
	    !g_utf8_validate(value, -1, NULL)) && !flagged)
		add_invalid(hf, value, 1);
	keep_field(hf, opts, value);
	hf->bad |= was_bad;
	g_mime_parser_options_free(opts);
}

/* hdrfrom_parse - all From field values of one message */
void
hdrfrom_parse(struct hdr_from *hf, const char *const *values, size_t n)
{
	size_t	 i;

	hdrfrom_reset(hf);
	for (i = 0; i < n; i++)
		hdrfrom_add(hf, values[i]);
}
