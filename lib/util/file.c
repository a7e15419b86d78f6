/* file.c - read a whole file, bounded */
#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "xalloc.h"

static void set_errno_why(int, char *, size_t);
static char *read_fd(int, size_t *, char *, size_t);

/* set_errno_why - the text of an errno value, thread safe */
static void
set_errno_why(int err, char *why, size_t whylen)
{
	char	 tmp[128];
	const char *s;

	/* GNU strerror_r returns a pointer, maybe not into tmp */
	s = strerror_r(err, tmp, sizeof(tmp));
	if (whylen > 0)
		(void)snprintf(why, whylen, "%s", s);
}

/* read_fd - read everything from fd, up to FILE_READ_MAX bytes */
static char *
read_fd(int fd, size_t *len, char *why, size_t whylen)
{
	size_t	 n = 0, cap = 4096;
	char	*buf = xmalloc(cap);
	ssize_t	 r;

	for (;;) {
		if (n == cap - 1) {
			if (cap > FILE_READ_MAX) {
				free(buf);
				(void)snprintf(why, whylen,
				    "too large (more than %u bytes)",
				    FILE_READ_MAX);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			set_errno_why(errno, why, whylen);
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > FILE_READ_MAX) {
		free(buf);
		(void)snprintf(why, whylen, "too large (more than %u bytes)",
		    FILE_READ_MAX);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* file_read - read a regular file whole; NULL with a reason on failure */
char *
file_read(const char *path, size_t *len, char *why, size_t whylen)
{
	struct stat st;
	char	*buf;
	int	 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		set_errno_why(errno, why, whylen);
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		saved = errno;
		set_errno_why(saved, why, whylen);
		(void)close(fd);
		errno = saved;
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		(void)snprintf(why, whylen, "not a regular file");
		(void)close(fd);
		errno = EINVAL;
		return NULL;
	}
	if ((unsigned long long)st.st_size > FILE_READ_MAX) {
		(void)snprintf(why, whylen, "too large (more than %u bytes)",
		    FILE_READ_MAX);
		(void)close(fd);
		errno = EFBIG;
		return NULL;
	}
	buf = read_fd(fd, len, why, whylen);
	saved = errno;
	(void)close(fd);
	errno = saved;
	return buf;
}
