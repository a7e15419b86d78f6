/*
 * fuzz_cfg.c - the configuration loader (lib/cfg*.c)
 *
 * The input is a gatepost.json text, optionally followed by a line
 * "%%send-as%%" and the text of a send-as file: cfg_parse() reads the
 * first part as "fuzz/gatepost.json" with basedir "fuzz", and the reader
 * callback returns the second part (NUL-terminated like file_read())
 * for whatever send_as.file names, or fails with "No such file or
 * directory" when there is none.  The main text is passed in a buffer
 * of exactly its length, without a terminating NUL, as the (text, len)
 * interface allows.
 *
 * Checked (cfg(3h)): the result is NULL exactly when there are errors;
 * warnings come only without errors; every message is a non-empty
 * line; an accepted snapshot is in normal form (lower-case domains,
 * send_as logins sorted and merged ignoring case, no repeated
 * addresses), every instance is found again by its match name and
 * match addresses, and retain/release balance.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cfg.h"
#include "fuzz.h"

static const char sep[] = "\n%%send-as%%\n";

struct sendas {				/* what the reader hands out */
	const uint8_t *p;		/* NULL: no file */
	size_t	 n;
};

/* the reader's text for the current input; set and cleared per input */
static struct sendas cur;

static char	*reader(const char *, size_t *, char *, size_t);
static const uint8_t *find_sep(const uint8_t *, size_t);
static void	check_msgs(const struct cfg_strv *);
static void	check_lower_domain(const char *);
static void	check_strv_unique(const struct cfg_strv *);
static void	check_instance(const struct cfg *, size_t);

/* reader - cfg_reader_fn over the input's second part */
static char *
reader(const char *path, size_t *len, char *why, size_t whylen)
{
	char	*t;

	FUZZ_ASSERT(path != NULL && path[0] != '\0');
	if (cur.p == NULL) {
		(void)snprintf(why, whylen, "No such file or directory");
		return NULL;
	}
	t = malloc(cur.n + 1);
	FUZZ_ASSERT(t != NULL);
	memcpy(t, cur.p, cur.n);
	t[cur.n] = '\0';
	*len = cur.n;
	return t;
}

/* find_sep - the separator line, or NULL */
static const uint8_t *
find_sep(const uint8_t *p, size_t n)
{
	size_t	 k = sizeof(sep) - 1, i;

	for (i = 0; n >= k && i <= n - k; i++)
		if (memcmp(p + i, sep, k) == 0)
			return p + i;
	return NULL;
}

/* check_msgs - each message a non-empty string */
static void
check_msgs(const struct cfg_strv *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		FUZZ_ASSERT(v->v[i] != NULL && v->v[i][0] != '\0');
}

/* check_lower_domain - no upper case after the '@' (or at all) */
static void
check_lower_domain(const char *s)
{
	const char *at = strrchr(s, '@');

	for (s = at != NULL ? at : s; *s != '\0'; s++)
		FUZZ_ASSERT(!(*s >= 'A' && *s <= 'Z'));
}

/* check_strv_unique - address lists drop repeats */
static void
check_strv_unique(const struct cfg_strv *v)
{
	size_t	 i, j;

	for (i = 0; i < v->n; i++) {
		FUZZ_ASSERT(v->v[i] != NULL);
		check_lower_domain(v->v[i]);
		for (j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(v->v[i], v->v[j]) != 0);
	}
}

/* check_instance - normal forms of one instance; it can be found */
static void
check_instance(const struct cfg *cfg, size_t i)
{
	const struct cfg_instance *in = &cfg->inst[i], *f;
	size_t	 j;

	FUZZ_ASSERT(in->name != NULL && in->syslog_name != NULL);
	FUZZ_ASSERT(strcmp(cfg_dir_name(in->dir), "unknown") != 0);
	FUZZ_ASSERT(strcmp(cfg_mode_name(in->mode), "unknown") != 0);
	if (in->match_name != NULL && in->match_name[0] != '\0') {
		f = cfg_instance_find(cfg, in->match_name, NULL, 0);
		FUZZ_ASSERT(f != NULL && f <= in &&
		    strcasecmp(f->match_name, in->match_name) == 0);
	}
	for (j = 0; j < in->n_match_addr; j++) {
		f = cfg_instance_find(cfg, NULL, &in->match_addr[j].addr,
		    in->match_addr[j].port);
		FUZZ_ASSERT(f != NULL && f <= in);
	}
	for (j = 0; j < in->send_as.n_logins; j++) {
		FUZZ_ASSERT(in->send_as.logins[j].login != NULL);
		if (j > 0)
			FUZZ_ASSERT(strcasecmp(in->send_as.logins[j - 1].login,
			    in->send_as.logins[j].login) < 0);
		check_strv_unique(&in->send_as.logins[j].addrs);
	}
	check_strv_unique(&in->spoof.exc_senders);
	FUZZ_ASSERT(!in->send_as.set || in->send_as.file == NULL ||
	    in->send_as.file[0] != '\0');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_errors errs = { { NULL, 0 }, { NULL, 0 } };
	const uint8_t *s = find_sep(data, size);
	size_t	 len = s != NULL ? (size_t)(s - data) : size, i;
	struct cfg *cfg;
	char	*text;

	cur.p = s != NULL ? s + sizeof(sep) - 1 : NULL;
	cur.n = s != NULL ? size - len - (sizeof(sep) - 1) : 0;
	text = malloc(len > 0 ? len : 1);
	FUZZ_ASSERT(text != NULL);
	memcpy(text, data, len);
	cfg = cfg_parse(text, len, "fuzz/gatepost.json", "fuzz", reader,
	    &errs);
	free(text);
	FUZZ_ASSERT((cfg == NULL) == (errs.err.n > 0));
	FUZZ_ASSERT(errs.err.n == 0 || errs.warn.n == 0);
	check_msgs(&errs.err);
	check_msgs(&errs.warn);
	if (cfg != NULL) {
		FUZZ_ASSERT(cfg->n_inst > 0 && cfg->path != NULL);
		check_strv_unique(&cfg->internal_domains);
		for (i = 0; i < cfg->n_inst; i++)
			check_instance(cfg, i);
		(void)cfg_milter_enforces_envelope(cfg);
		FUZZ_ASSERT(cfg_retain(cfg) == cfg);
		cfg_release(cfg);
		cfg_release(cfg);
	}
	cfg_errors_free(&errs);
	cur.p = NULL;
	return 0;
}
