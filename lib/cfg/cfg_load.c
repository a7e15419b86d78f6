/* cfg_load.c - read a configuration file (the I/O half of cfg_parse) */
#include "config.h"

#include <stdio.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "cfg_int.h"
#include "file.h"
#include "xalloc.h"

#define CFG_WHY_MAX	256		/* bytes of a reader's reason */

static char *dir_of(const char *);

/* dir_of - the directory part of a path: "." for none, "/" for the root */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * cfg_load - read and parse the file at path.  Messages name it as
 * given; files it names are resolved against its directory.
 */
struct cfg *
cfg_load(const char *path, struct cfg_errors *errs)
{
	char	 why[CFG_WHY_MAX];
	char	*text, *dir, *msg;
	struct cfg *cfg;
	size_t	 len, n;

	if ((text = file_read(path, &len, why, sizeof(why))) == NULL) {
		if (errs != NULL) {
			n = strlen(path) + strlen(why) +
			    sizeof("cannot read : ");
			msg = xmalloc(n);
			(void)snprintf(msg, n, "cannot read %s: %s", path, why);
			cfg_strv_add(&errs->err, msg);
		}
		return NULL;
	}
	dir = dir_of(path);
	cfg = cfg_parse(text, len, path, dir, file_read, errs);
	free(dir);
	free(text);
	/*
	 * Parsing a large send-as file needs several times the snapshot's
	 * size in transient heap (jansson's tree, the position index, the
	 * text), which glibc would keep for the daemon's life: give it back
	 * (docs/bench.md, policy RSS).
	 */
#ifdef HAVE_MALLOC_TRIM
	(void)malloc_trim(0);
#endif
	return cfg;
}

/*
 * cfg_load_report - cfg_load(), handing every error and then every
 * warning to fn (the program's sink: stderr or the log); a config that
 * did not load always has at least one error line.
 */
struct cfg *
cfg_load_report(const char *path, cfg_report_fn *fn, void *ctx)
{
	struct cfg_errors errs;
	struct cfg *cfg;
	char	 line[CFG_WHY_MAX + 64];
	size_t	 i;

	memset(&errs, 0, sizeof(errs));
	cfg = cfg_load(path, &errs);
	for (i = 0; i < errs.err.n; i++)
		fn(ctx, CFG_REPORT_ERROR, errs.err.v[i]);
	for (i = 0; i < errs.warn.n; i++)
		fn(ctx, CFG_REPORT_WARNING, errs.warn.v[i]);
	if (cfg == NULL && errs.err.n == 0) {
		(void)snprintf(line, sizeof(line), "%.*s: cannot load "
		    "configuration", CFG_WHY_MAX, path);
		fn(ctx, CFG_REPORT_ERROR, line);
	}
	cfg_errors_free(&errs);
	return cfg;
}
