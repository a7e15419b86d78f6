/*
 * check_disclaimer.c - the disclaimer transform: golden corpus and API
 *
 * The golden corpus is tests/data/disclaimer (make-corpus.py writes the
 * inputs and MANIFEST).  For every case the result must be the one
 * MANIFEST names, the number of changed parts must match its targets,
 * an added disclaimer must not be added again to the output (replies,
 * re-injection), and the rendered output must equal NAME.ref.  A CONF
 * of "NAME+top" sets position top, "+skip" replies skip (issue 19).
 *
 * Environment: DC_DATA_DIR (default tests/data/disclaimer, or
 * $GP_TOP/tests/data/disclaimer), DC_OUT_DIR (write every output there
 * as NAME.out, and a sample of mutated inputs with their outputs under
 * mutated/, for tests/verify_disclaimer.py; the directory mutated/
 * must exist), DC_BLESS=1 (write the outputs as the new NAME.ref
 * instead of comparing; review the diff).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "disclaimer.h"
#include "unit.h"

#define CASES_MAX	200
#define MUTATIONS	60	/* per golden input */

struct golden {
	char	 name[96];
	char	 conf[80];
	size_t	 max_size;
	int	 top;			/* "+top": position top */
	int	 skip;			/* "+skip": replies skip */
	enum disclaimer_fallback_mode fallback;	/* "+wrap", "+reject" */
	char	 result[32];
	size_t	 n_targets;
};

static struct golden cases[CASES_MAX];
static size_t n_cases;
static char data_dir[512];

static void	disclaimer_suite(Suite *);
static void	spew(const char *, const char *, size_t);
static void	load_manifest(void);
static void	conf_load(const char *, char **, char **);
static void	check_added(const struct golden *,
		    const struct disclaimer_conf *, const char *, size_t);

static const char ascii_text[] = "CONFIDENTIAL: for the addressee only.";

/* spew - write a whole file */
static void
spew(const char *path, const char *buf, size_t len)
{
	FILE	*f = fopen(path, "wb");

	ck_assert_msg(f != NULL, "cannot write %s", path);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* load_manifest - the cases, before the suite forks */
static void
load_manifest(void)
{
	const char *d = getenv("DC_DATA_DIR"), *top = getenv("GP_TOP");
	char	 path[600], line[512], targets[256], conf[80], *at;
	FILE	*f;
	size_t	 i;

	if (d != NULL)
		(void)snprintf(data_dir, sizeof(data_dir), "%s", d);
	else
		(void)snprintf(data_dir, sizeof(data_dir), "%s%stests/data/"
		    "disclaimer", top ? top : "", top ? "/" : "");
	(void)snprintf(path, sizeof(path), "%s/MANIFEST", data_dir);
	if ((f = fopen(path, "r")) == NULL)
		return;			/* the golden test then fails */
	while (n_cases < CASES_MAX && fgets(line, sizeof(line), f) != NULL) {
		struct golden *g = &cases[n_cases];

		if (line[0] == '#' || sscanf(line, "%95s %79s %31s %255s",
		    g->name, conf, g->result, targets) != 4)
			continue;
		if ((at = strchr(conf, '@')) != NULL) {
			*at = '\0';
			g->max_size = strtoul(at + 1, NULL, 10);
		}
		if ((at = strchr(conf, '+')) != NULL) {
			g->top = strstr(at, "+top") != NULL;
			g->skip = strstr(at, "+skip") != NULL;
			g->fallback = strstr(at, "+wrap") != NULL ?
			    DC_FALLBACK_WRAP : strstr(at, "+reject") != NULL ?
			    DC_FALLBACK_REJECT : DC_FALLBACK_PASS;
			*at = '\0';
		}
		(void)snprintf(g->conf, sizeof(g->conf), "%s", conf);
		g->n_targets = strcmp(targets, "-") == 0 ? 0 : 1;
		for (i = 0; targets[i] != '\0'; i++)
			g->n_targets += targets[i] == ',';
		n_cases++;
	}
	(void)fclose(f);
}

/* conf_load - conf/NAME.text and conf/NAME.html (either may be absent) */
static void
conf_load(const char *name, char **text, char **html)
{
	char	 path[700];
	size_t	 n;

	(void)snprintf(path, sizeof(path), "%s/conf/%s.text", data_dir, name);
	*text = unit_slurp(path, &n);
	(void)snprintf(path, sizeof(path), "%s/conf/%s.html", data_dir, name);
	*html = unit_slurp(path, &n);
	ck_assert_msg(*text != NULL || *html != NULL, "no conf %s", name);
}

/* check_added - the output equals NAME.ref and takes no second copy */
static void
check_added(const struct golden *g, const struct disclaimer_conf *conf,
    const char *out, size_t olen)
{
	const char *bless = getenv("DC_BLESS");
	char	 path[700], *ref;
	size_t	 rlen;
	struct disclaimer_out again;
	enum disclaimer_result r;

	(void)snprintf(path, sizeof(path), "%s/%s.ref", data_dir, g->name);
	if (bless != NULL && strcmp(bless, "1") == 0)
		spew(path, out, olen);
	ref = unit_slurp(path, &rlen);
	ck_assert_msg(ref != NULL, "%s: no .ref (DC_BLESS=1?)", g->name);
	ck_assert_msg(rlen == olen && memcmp(ref, out, olen) == 0,
	    "%s: output differs from %s", g->name, path);
	free(ref);
	r = disclaimer_apply(out, olen, conf, &again);
	ck_assert_msg(r == DC_SKIPPED_PRESENT, "%s: applied again: %s",
	    g->name, disclaimer_result_name(r));
	disclaimer_out_free(&again);
}

START_TEST(test_golden)
{
	const struct golden *g = &cases[_i];
	const char *outdir = getenv("DC_OUT_DIR");
	char	 path[700], *msg, *out, *text, *html;
	size_t	 len, olen;
	struct disclaimer_conf conf;
	struct disclaimer_out o;
	enum disclaimer_result r;

	ck_assert_msg(n_cases > 0, "no MANIFEST in %s", data_dir);
	(void)snprintf(path, sizeof(path), "%s/%s.eml", data_dir, g->name);
	msg = unit_slurp(path, &len);
	ck_assert_msg(msg != NULL, "%s: no input", g->name);
	conf_load(g->conf, &text, &html);
	conf.text = text;
	conf.html = html;
	conf.max_size = g->max_size;
	conf.position = g->top ? DC_POS_TOP : DC_POS_BOTTOM;
	conf.replies = g->skip ? DC_REPLIES_SKIP : DC_REPLIES_ALWAYS;
	conf.fallback = g->fallback;
	r = disclaimer_apply(msg, len, &conf, &o);
	ck_assert_msg(strcmp(disclaimer_result_name(r), g->result) == 0,
	    "%s: got %s (%s), want %s", g->name, disclaimer_result_name(r),
	    o.why ? o.why : "-", g->result);
	ck_assert_msg(o.n_parts == g->n_targets, "%s: got %zu parts, want %zu",
	    g->name, o.n_parts, g->n_targets);
	ck_assert(r == DC_ADDED ? o.why == NULL && o.body != NULL :
	    r == DC_WRAPPED ? o.why != NULL && o.body != NULL :
	    o.why != NULL && o.body == NULL && o.n_hdr == 0);
	out = disclaimer_render(msg, len, &o, &olen);
	if (outdir != NULL) {
		(void)snprintf(path, sizeof(path), "%s/%s.out", outdir,
		    g->name);
		spew(path, out, olen);
	}
	if (r == DC_ADDED || r == DC_WRAPPED)
		check_added(g, &conf, out, olen);
	else
		ck_assert(olen == len && memcmp(out, msg, len) == 0);
	free(out);
	disclaimer_out_free(&o);
	free(msg);
	free(text);
	free(html);
}
END_TEST

/* result names are the metric labels */
START_TEST(test_result_names)
{
	static const char *const want[] = {
		"added", "skipped_signed", "skipped_present", "skipped_size",
		"skipped_unparseable", "skipped_notext", "skipped_nomatch",
		"skipped_exception", "wrapped", "rejected",
	};
	size_t	 i;

	for (i = 0; i < NELEM(want); i++)
		ck_assert_str_eq(disclaimer_result_name(
		    (enum disclaimer_result)i), want[i]);
	ck_assert_str_eq(disclaimer_result_name((enum disclaimer_result)99),
	    "unknown");
}
END_TEST

/* API cases on small messages: result and, when added, the output */
static const struct api_case {
	const char *name, *text, *html, *in;
	size_t	 max_size;
	enum disclaimer_result want;
	const char *out;		/* whole rendered message, or NULL */
} api_cases[] = {
	{ "LF text, ASCII disclaimer appended", "Confidential.", NULL,
	    "Subject: x\n\nHello\n", 0, DC_ADDED,
	    "Subject: x\n\nHello\n\nConfidential.\n" },
	{ "CRLF text keeps CRLF", "Line one\nLine two", NULL,
	    "Subject: x\r\n\r\nHello", 0, DC_ADDED,
	    "Subject: x\r\n\r\nHello\r\n\r\nLine one\r\nLine two" },
	{ "no body separator", "Confidential.", NULL, "Subject: x\n", 0,
	    DC_ADDED, "Subject: x\n\nConfidential.\n" },
	{ "8-bit disclaimer into 7bit: QP and UTF-8 headers",
	    "f\xc3\xbcr dich", NULL, "Subject: x\nMIME-Version: 1.0\n\na=b\n",
	    0, DC_ADDED, "Subject: x\nMIME-Version: 1.0\nContent-Type: "
	    "text/plain; charset=UTF-8\nContent-Transfer-Encoding: "
	    "quoted-printable\n\na=3Db\n\nf=C3=BCr dich\n" },
	{ "folded Content-Type relabelled in place", "\xe2\x82\xac", NULL,
	    "Content-Type: text/plain;\n\tcharset=iso-8859-1\n"
	    "Content-Transfer-Encoding: 8bit\n\n\xe9\n", 0, DC_ADDED,
	    "Content-Type: text/plain;\n\tcharset=UTF-8\n"
	    "Content-Transfer-Encoding: 8bit\nMIME-Version: 1.0\n\n"
	    "\xc3\xa9\n\n\xe2\x82\xac\n" },
	{ "HTML before </body>, text form derived", NULL, "<b>Conf</b>",
	    "Content-Type: text/html\n\n<html><body>hi</body></html>", 0,
	    DC_ADDED, "Content-Type: text/html\n\n<html><body>hi\n<b>Conf</b>"
	    "\n</body></html>" },
	{ "HTML form derived from text, escaped", "a < b & c", NULL,
	    "Content-Type: text/html\n\n<p>x</p>\n", 0, DC_ADDED,
	    "Content-Type: text/html\n\n<p>x</p>\n<p>a &lt; b &amp; c</p>\n" },
	{ "short disclaimer is not found in ordinary words", "Confidential.",
	    NULL, "Subject: x\n\nthis is confidential stuff\n", 0, DC_ADDED,
	    "Subject: x\n\nthis is confidential stuff\n\nConfidential.\n" },
	{ "quoted reply carries it", "Keep this private.", NULL,
	    "Subject: Re\n\nok\n> Keep this\n> private.\n", 0,
	    DC_SKIPPED_PRESENT, NULL },
	{ "exactly max_size passes", "C.", NULL, "S: x\n\nab\n", 9,
	    DC_ADDED, "S: x\n\nab\n\nC.\n" },
	{ "one byte over max_size", "C.", NULL, "S: x\n\nabc\n", 9,
	    DC_SKIPPED_SIZE, NULL },
	{ "empty disclaimer", "", "", "S: x\n\nab\n", 0, DC_SKIPPED_NOTEXT,
	    NULL },
	{ "disclaimer of white space only", " \n ", "<p> </p>",
	    "S: x\n\nab\n", 0, DC_SKIPPED_NOTEXT, NULL },
	{ "image only", "C.", NULL, "Content-Type: image/png\n\nPNG\n", 0,
	    DC_SKIPPED_NOTEXT, NULL },
	{ "text file attachment only", "C.", NULL, "Content-Type: text/plain"
	    "\nContent-Disposition: attachment\n\nfile\n", 0,
	    DC_SKIPPED_NOTEXT, NULL },
	{ "utf-8 label with 8-bit disclaimer stays 8bit when labelled so",
	    "\xc3\xa9", NULL, "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\nx\n", 0, DC_ADDED,
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\nx\n\n\xc3\xa9\n" },
	{ "header line not a field", "C.", NULL, "S: x\nbogus\n\nab\n", 0,
	    DC_SKIPPED_UNPARSEABLE, NULL },
};

START_TEST(test_api)
{
	const struct api_case *c = &api_cases[_i];
	struct disclaimer_conf conf = { c->text, c->html, c->max_size,
	    DC_POS_BOTTOM, DC_REPLIES_ALWAYS,
	    DC_FALLBACK_PASS };
	struct disclaimer_out o;
	enum disclaimer_result r;
	char	*out;
	size_t	 olen;

	r = disclaimer_apply(c->in, strlen(c->in), &conf, &o);
	ck_assert_msg(r == c->want, "%s: got %s (%s), want %s", c->name,
	    disclaimer_result_name(r), o.why ? o.why : "-",
	    disclaimer_result_name(c->want));
	out = disclaimer_render(c->in, strlen(c->in), &o, &olen);
	if (c->out != NULL)
		ck_assert_msg(olen == strlen(c->out) &&
		    memcmp(out, c->out, olen) == 0, "%s: got\n%s\nwant\n%s",
		    c->name, out, c->out);
	free(out);
	disclaimer_out_free(&o);
}
END_TEST

/* lcg - deterministic pseudo-random numbers for the mutation test */
static unsigned
lcg(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 16;
}

/* mutate - flip, cut, drop or insert a few bytes; the new length */
static size_t
mutate(char *m, size_t len, size_t cap, unsigned *seed)
{
	unsigned k = 1 + lcg(seed) % 4;
	size_t	 p;

	while (k-- > 0) {
		p = len == 0 ? 0 : lcg(seed) % len;
		switch (lcg(seed) % 6) {
		case 0:
			m[p] = (char)lcg(seed);
			break;
		case 1:
			len = p;
			break;
		case 2:
			if (len > 0) {
				memmove(m + p, m + p + 1, len - p - 1);
				len--;
			}
			break;
		case 3:
			if (len < cap) {
				memmove(m + p + 1, m + p, len - p);
				m[p] = "\n\r-=<>;\""[lcg(seed) % 8];
				len++;
			}
			break;
		default:
			if (p < len)
				m[p] = lcg(seed) % 2 ? '\n' : '=';
			break;
		}
	}
	return len;
}

/* keep - write a mutated input and its output for verify_disclaimer.py */
static void
keep(const struct golden *g, int it, const char *in, size_t len,
    const char *out, size_t olen)
{
	const char *dir = getenv("DC_OUT_DIR");
	char	 path[700];
	FILE	*f;

	if (dir == NULL)
		return;
	(void)snprintf(path, sizeof(path), "%s/mutated/%s-%d.eml", dir,
	    g->name, it);
	spew(path, in, len);
	(void)snprintf(path, sizeof(path), "%s/mutated/%s-%d.out", dir,
	    g->name, it);
	spew(path, out, olen);
	(void)snprintf(path, sizeof(path), "%s/mutated/MANIFEST", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "a"));
	(void)fprintf(f, "%s-%d %s%s%s added ?\n", g->name, it, g->conf,
	    g->top ? "+top" : "", g->skip ? "+skip" : "");
	ck_assert_int_eq(fclose(f), 0);
}

/*
 * Mutated golden inputs: nothing crashes (run under ASan/UBSan), and a
 * disclaimer that was added is found again in the output, so it is
 * never added twice.  With DC_OUT_DIR, some of the pairs are written
 * for the independent verifier.
 */
START_TEST(test_mutated)
{
	const struct golden *g = &cases[_i];
	char	 path[700], *msg, *m, *out, *text, *html;
	size_t	 len, mlen, olen;
	unsigned seed = (unsigned)_i * 7919u + 1u;
	struct disclaimer_conf conf;
	struct disclaimer_out o, again;
	enum disclaimer_result r;
	int	 it;

	(void)snprintf(path, sizeof(path), "%s/%s.eml", data_dir, g->name);
	ck_assert_ptr_nonnull(msg = unit_slurp(path, &len));
	conf_load(g->conf, &text, &html);
	conf.text = text;
	conf.html = html;
	conf.max_size = 0;
	conf.position = g->top ? DC_POS_TOP : DC_POS_BOTTOM;
	conf.replies = g->skip ? DC_REPLIES_SKIP : DC_REPLIES_ALWAYS;
	conf.fallback = g->fallback;
	for (it = 0; it < MUTATIONS && len < 200000; it++) {
		ck_assert_ptr_nonnull(m = malloc(len + 16));
		memcpy(m, msg, len);
		mlen = mutate(m, len, len + 16, &seed);
		r = disclaimer_apply(m, mlen, &conf, &o);
		if (r == DC_ADDED || r == DC_WRAPPED) {
			out = disclaimer_render(m, mlen, &o, &olen);
			ck_assert_msg(disclaimer_apply(out, olen, &conf,
			    &again) == DC_SKIPPED_PRESENT, "%s mutation %d: "
			    "added twice", g->name, it);
			disclaimer_out_free(&again);
			if (r == DC_ADDED && it % 4 == 0)
				keep(g, it, m, mlen, out, olen);
			free(out);
		}
		disclaimer_out_free(&o);
		free(m);
	}
	free(msg);
	free(text);
	free(html);
}
END_TEST

/* a header value for smfi_chgheader: no leading space, LF folds */
START_TEST(test_header_value)
{
	static const char in[] = "Subject: x\r\nContent-Type: text/plain;\r\n"
	    "  charset=\"koi8-r\"; format=flowed\r\n\r\n\xc1\r\n";
	struct disclaimer_conf conf = { "\xe2\x82\xac", NULL, 0, DC_POS_BOTTOM,
	    DC_REPLIES_ALWAYS, DC_FALLBACK_PASS };
	struct disclaimer_out o;

	ck_assert_int_eq(disclaimer_apply(in, sizeof(in) - 1, &conf, &o),
	    DC_ADDED);
	ck_assert_uint_eq(o.n_hdr, 3);
	ck_assert_str_eq(o.hdr[0].name, "Content-Type");
	ck_assert_str_eq(o.hdr[0].value,
	    "text/plain;\n  charset=UTF-8; format=flowed");
	ck_assert_str_eq(o.hdr[1].name, "Content-Transfer-Encoding");
	ck_assert_str_eq(o.hdr[1].value, "quoted-printable");
	ck_assert_str_eq(o.hdr[2].name, "MIME-Version");
	ck_assert_str_eq(o.hdr[2].value, "1.0");
	disclaimer_out_free(&o);
}
END_TEST

/* big - a multipart/mixed message of about size bytes: text + base64 */
static char *
big(size_t size, size_t *len, size_t *att_off, size_t *att_len)
{
	static const char head[] = "Subject: big\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	    "Content-Type: text/plain\r\n\r\nsee attachment\r\n--b\r\n"
	    "Content-Type: application/octet-stream\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n";
	static const char tail[] = "\r\n--b--\r\n";
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	char	*m = malloc(size + 1);
	size_t	 n = sizeof(head) - 1, line;

	ck_assert_ptr_nonnull(m);
	memcpy(m, head, n);
	*att_off = n;
	while (n + 78 + sizeof(tail) < size) {
		for (line = 0; line < 76; line++, n++)
			m[n] = b64[(n * 7 + line) % 64];
		m[n++] = '\r';
		m[n++] = '\n';
	}
	n -= 2;
	*att_len = n - *att_off;
	memcpy(m + n, tail, sizeof(tail) - 1);
	*len = n + sizeof(tail) - 1;
	return m;
}

/* a 10 MB message works, leaves its attachment alone, in bounded memory */
START_TEST(test_ten_megabytes)
{
	struct disclaimer_conf conf = { ascii_text, NULL, 0, DC_POS_BOTTOM,
	    DC_REPLIES_ALWAYS, DC_FALLBACK_PASS };
	struct disclaimer_out o;
	struct rusage before, after;
	size_t	 len, off, alen, hdr;
	char	*m = big(10 * 1000 * 1000, &len, &off, &alen);
	long	 grew;

	ck_assert_int_eq(getrusage(RUSAGE_SELF, &before), 0);
	ck_assert_int_eq(disclaimer_apply(m, len, &conf, &o), DC_ADDED);
	ck_assert_int_eq(getrusage(RUSAGE_SELF, &after), 0);
	hdr = (size_t)(strstr(m, "\r\n\r\n") - m) + 4;
	ck_assert_uint_eq(o.body_len, len - hdr + strlen(ascii_text) + 4);
	ck_assert(memcmp(o.body + (off - hdr) + strlen(ascii_text) + 4,
	    m + off, alen) == 0);
	grew = after.ru_maxrss - before.ru_maxrss;	/* KiB */
#if defined(__SANITIZE_ADDRESS__)
	(void)grew;		/* ASan: shadow memory and quarantine */
#else
	ck_assert_msg((size_t)grew * 1024 < 3 * len,
	    "peak memory grew by %ld KiB for a %zu byte message", grew, len);
#endif
	disclaimer_out_free(&o);
	conf.max_size = len - 1;
	ck_assert_int_eq(disclaimer_apply(m, len, &conf, &o),
	    DC_SKIPPED_SIZE);
	free(m);
}
END_TEST

/* the default max_size is 10 MiB */
START_TEST(test_default_max_size)
{
	struct disclaimer_conf conf = { ascii_text, NULL, 0, DC_POS_BOTTOM,
	    DC_REPLIES_ALWAYS, DC_FALLBACK_PASS };
	struct disclaimer_out o;
	size_t	 len, off, alen;
	char	*m = big(DC_MAX_SIZE_DEFAULT + 100, &len, &off, &alen);

	ck_assert_uint_gt(len, DC_MAX_SIZE_DEFAULT);
	ck_assert_int_eq(disclaimer_apply(m, len, &conf, &o),
	    DC_SKIPPED_SIZE);
	ck_assert_ptr_null(o.body);
	free(m);
}
END_TEST

static void
disclaimer_suite(Suite *s)
{
	TCase	*tc;

	unit_loop(s, "golden corpus", test_golden, n_cases > 0 ? n_cases : 1);
	unit_loop(s, "mutated corpus", test_mutated,
	    n_cases > 0 ? n_cases : 1);
	tc = unit_tcase(s, "api");
	tcase_add_test(tc, test_result_names);
	tcase_add_loop_test(tc, test_api, 0, NELEM(api_cases));
	tcase_add_test(tc, test_header_value);
	tc = unit_tests(s, "large messages", test_ten_megabytes,
	    test_default_max_size, NULL);
	tcase_set_timeout(tc, 120);
}

int
main(void)
{
	load_manifest();
	return unit_run("disclaimer", disclaimer_suite);
}
