/* sbuf.c - a growable, always terminated string */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"
#include "xalloc.h"

static void sbuf_reserve(struct sbuf *, size_t);

/* sbuf_init - an empty string */
void
sbuf_init(struct sbuf *b)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
}

/* sbuf_reserve - room for n more bytes and the NUL */
static void
sbuf_reserve(struct sbuf *b, size_t n)
{
	size_t	 want = b->len + n + 1;

	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 256;
	while (b->cap < want)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

/* sbuf_putn - append n bytes */
void
sbuf_putn(struct sbuf *b, const char *p, size_t n)
{
	sbuf_reserve(b, n);
	memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* sbuf_puts - append a string */
void
sbuf_puts(struct sbuf *b, const char *p)
{
	sbuf_putn(b, p, strlen(p));
}

/* sbuf_printf - append formatted text */
void
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sbuf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	(void)vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* sbuf_str - the text so far (borrowed) */
const char *
sbuf_str(const struct sbuf *b)
{
	return b->s != NULL ? b->s : "";
}

/* sbuf_take - hand the text over; the buffer is empty afterwards */
char *
sbuf_take(struct sbuf *b)
{
	char	*s = b->s != NULL ? b->s : xstrdup("");

	sbuf_init(b);
	return s;
}

/* sbuf_free - release the text */
void
sbuf_free(struct sbuf *b)
{
	free(b->s);
	sbuf_init(b);
}
