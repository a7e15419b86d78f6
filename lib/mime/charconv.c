/* charconv.c - MIME charset names, classification and iconv conversion */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "charconv.h"

static int	valid_token(const char *);
static const char *alias(const char *);
static int	is_ascii_name(const char *);
static int	ascii_transparent(const char *);
static int	conv_run(iconv_t, const char *, size_t, struct sbuf *, int);

/* names some mailers use that glibc iconv does not know (or knows worse) */
static const struct {
	const char *mime, *iconv;
} aliases[] = {
	{ "ks_c_5601-1987", "CP949" },
	{ "ks_c_5601", "CP949" },
	{ "x-sjis", "SHIFT_JIS" },
	{ "shift-jis", "SHIFT_JIS" },
	{ "x-euc-jp", "EUC-JP" },
	{ "gb2312", "GBK" },
	{ "x-gbk", "GBK" },
	{ "iso-8859-8-i", "ISO-8859-8" },
	{ "iso-8859-6-i", "ISO-8859-6" },
	{ "windows-874", "CP874" },
	{ "x-mac-roman", "MACINTOSH" },
	{ "unicode-1-1-utf-7", "UTF-7" },
	{ "x-unicode-2-0-utf-7", "UTF-7" },
	{ "latin-1", "ISO-8859-1" },
	{ "x-cp1250", "CP1250" },
	{ "x-cp1251", "CP1251" },
	{ "cp-850", "CP850" },
};

static const char *ascii_names[] = {
	"us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "cp367",
	"ibm367", "csascii", "iso-ir-6", "iso_646.irv:1991",
};

/* valid_token - MIME token characters only (RFC 2045 5.1), short */
static int
valid_token(const char *s)
{
	size_t	 n = strlen(s);

	if (n == 0 || n >= CHARCONV_NAME_MAX)
		return 0;
	return strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789!#$%&'*+-^_`{|}~.:") == n;
}

/* alias - iconv name for a MIME name glibc lacks, or NULL */
static const char *
alias(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcasecmp(s, aliases[i].mime) == 0)
			return aliases[i].iconv;
	return NULL;
}

/* is_ascii_name - one of the names of us-ascii */
static int
is_ascii_name(const char *s)
{
	size_t	 i;

	for (i = 0; i < sizeof(ascii_names) / sizeof(ascii_names[0]); i++)
		if (strcasecmp(s, ascii_names[i]) == 0)
			return 1;
	return 0;
}

/* ascii_transparent - do printable ASCII, HT, CR, LF decode to themselves */
static int
ascii_transparent(const char *name)
{
	char	 probe[100];
	struct sbuf out = { NULL, 0, 0 };
	size_t	 n = 0;
	int	 c, same;

	for (c = ' '; c <= '~'; c++)
		probe[n++] = (char)c;
	probe[n++] = '\t';
	probe[n++] = '\r';
	probe[n++] = '\n';
	same = charconv_convert(name, "UTF-8", probe, n, &out, 0) == 0 &&
	    out.len == n && memcmp(out.p, probe, n) == 0;
	sbuf_free(&out);
	return same;
}

/* charconv_lookup - iconv name and class of a MIME charset name */
enum charconv_class
charconv_lookup(const char *mime, char *name, size_t size)
{
	const char *in = mime == NULL || *mime == '\0' ? "us-ascii" : mime;
	const char *a;
	iconv_t	 cd;
	int	 n;

	if (!valid_token(in))
		return CHARCONV_UNKNOWN;
	if (is_ascii_name(in))
		in = "US-ASCII";
	else if (strcasecmp(in, "utf-8") == 0 || strcasecmp(in, "utf8") == 0)
		in = "UTF-8";
	else if ((a = alias(in)) != NULL)
		in = a;
	n = snprintf(name, size, "%s", in);
	if (n < 0 || (size_t)n >= size)
		return CHARCONV_UNKNOWN;
	if (strcmp(name, "US-ASCII") == 0)
		return CHARCONV_ASCII;
	if (strcmp(name, "UTF-8") == 0)
		return CHARCONV_UTF8;
	if ((cd = iconv_open("UTF-8", name)) == (iconv_t)-1)
		return CHARCONV_UNKNOWN;
	(void)iconv_close(cd);
	return ascii_transparent(name) ? CHARCONV_COMPAT : CHARCONV_OTHER;
}

/* conv_run - the iconv loop; 0 or -1 */
static int
conv_run(iconv_t cd, const char *in, size_t n, struct sbuf *out,
    int lenient)
{
	char	*ip = (char *)(uintptr_t)in, *op;
	size_t	 il = n, ol, r;
	int	 flush = 0;

	for (;;) {
		sbuf_reserve(out, il + il / 2 + 64);
		op = out->p + out->len;
		ol = out->cap - out->len;
		r = flush ? iconv(cd, NULL, NULL, &op, &ol) :
		    iconv(cd, &ip, &il, &op, &ol);
		out->len = out->cap - ol;
		if (r != (size_t)-1) {
			if (flush)
				return 0;
			flush = 1;
			continue;
		}
		if (errno == E2BIG) {
			sbuf_reserve(out, out->cap);
			continue;
		}
		if (!lenient || flush || il == 0)
			return -1;
		ip++;			/* EILSEQ, EINVAL: skip one byte */
		il--;
	}
}

/* charconv_convert - iconv from one charset to another, appending */
int
charconv_convert(const char *from, const char *to, const char *in, size_t n,
    struct sbuf *out, int lenient)
{
	iconv_t	 cd;
	int	 r;

	if ((cd = iconv_open(to, from)) == (iconv_t)-1)
		return -1;
	r = conv_run(cd, in, n, out, lenient);
	(void)iconv_close(cd);
	return r;
}
