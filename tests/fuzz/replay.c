/*
 * replay.c - run a fuzz target's LLVMFuzzerTestOneInput() over files,
 * without libFuzzer (make check builds one per target with the normal
 * compiler and flags; SAN=1 adds ASan and UBSan).
 *
 * usage: fuzz_TARGET-replay FILE|DIR...
 *
 * Every regular file named, or found directly in a directory named, is
 * read whole into a buffer of exactly its size (so an overread is an
 * ASan finding) and passed once.  Prints "replayed N inputs" and exits
 * 0; a failing input traps or is reported by the sanitizers, after
 * "replay: FILE" names it on stderr.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* optional, as in libFuzzer: a target defines it only to set up */
#pragma weak LLVMFuzzerInitialize

static int	replay_file(const char *);
static int	replay_dir(const char *, unsigned long *);
static int	name_cmp(const void *, const void *);

/* replay_file - one input; 0, or -1 when it cannot be read */
static int
replay_file(const char *path)
{
	FILE	*f;
	struct stat st;
	uint8_t	*buf;
	size_t	 n;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) != 0) {
		(void)fprintf(stderr, "replay: %s: %s\n", path,
		    strerror(errno));
		if (f != NULL)
			(void)fclose(f);
		return -1;
	}
	n = (size_t)st.st_size;
	/* malloc(0) may be NULL: keep one byte, pass zero */
	if ((buf = malloc(n > 0 ? n : 1)) == NULL ||
	    fread(buf, 1, n, f) != n) {
		(void)fprintf(stderr, "replay: %s: short read\n", path);
		free(buf);
		(void)fclose(f);
		return -1;
	}
	(void)fclose(f);
	(void)fprintf(stderr, "replay: %s\n", path);
	(void)LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return 0;
}

/* name_cmp - qsort by name, so runs are repeatable */
static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* replay_dir - the regular files directly in dir, in name order */
static int
replay_dir(const char *dir, unsigned long *count)
{
	DIR	*d;
	struct dirent *e;
	struct stat st;
	char	**v = NULL, **nv, path[4096];
	size_t	 n = 0, i;
	int	 rc = 0;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    e->d_name) >= sizeof(path) || stat(path, &st) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if ((nv = realloc(v, (n + 1) * sizeof(*v))) == NULL ||
		    (nv[n] = strdup(path)) == NULL) {
			rc = -1;
			if (nv != NULL)
				v = nv;
			break;
		}
		v = nv;
		n++;
	}
	(void)closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), name_cmp);
	for (i = 0; i < n; i++) {
		if (rc == 0 && replay_file(v[i]) != 0)
			rc = -1;
		else if (rc == 0)
			(*count)++;
		free(v[i]);
	}
	free(v);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	unsigned long count = 0;
	int	 i, rc = 0;

	if (argc < 2) {
		(void)fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize != NULL)
		(void)LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) != 0) {
			(void)fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			rc = 1;
		} else if (S_ISDIR(st.st_mode)) {
			if (replay_dir(argv[i], &count) != 0)
				rc = 1;
		} else if (replay_file(argv[i]) != 0)
			rc = 1;
		else
			count++;
	}
	(void)printf("replayed %lu inputs\n", count);
	return rc;
}
