/* xalloc.c - allocation wrappers that are fatal on exhaustion */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"

static void oom(size_t) __attribute__((noreturn));

/*
 * oom - report exhaustion through the log (syslog once daemonised, where
 * stderr is /dev/null) and abort; log_panic() formats into a stack buffer
 * and allocates nothing of its own.
 */
static void
oom(size_t n)
{
	log_panic("out of memory (%zu bytes)", n);
}

/* xmalloc - malloc or die */
void *
xmalloc(size_t n)
{
	void	*p = malloc(n == 0 ? 1 : n);

	if (p == NULL)
		oom(n);
	return p;
}

/* xcalloc - calloc or die */
void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size);

	if (p == NULL)
		oom(nmemb * size);
	return p;
}

/* xrealloc - realloc or die */
void *
xrealloc(void *old, size_t n)
{
	void	*p = realloc(old, n == 0 ? 1 : n);

	if (p == NULL)
		oom(n);
	return p;
}

/* xreallocarray - realloc an array, checking the multiplication */
void *
xreallocarray(void *old, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(old, nmemb * size);
}

/* xstrdup - strdup or die */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* xstrndup - copy at most n bytes of s, always terminated */
char *
xstrndup(const char *s, size_t n)
{
	size_t	 len = strnlen(s, n);
	char	*p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
