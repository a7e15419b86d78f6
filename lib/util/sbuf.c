/* sbuf.c - the one growable byte buffer, always terminated */
#include "config.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sbuf.h"
#include "xalloc.h"

/* sbuf_init - an empty buffer */
void
sbuf_init(struct sbuf *b)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

/* sbuf_reserve - room for n more bytes and the NUL */
void
sbuf_reserve(struct sbuf *b, size_t n)
{
	size_t	 want;

	if (b->cap > b->len && n < b->cap - b->len)
		return;
	if (n > SIZE_MAX / 4 - b->len)
		log_panic("sbuf: %zu more bytes after %zu", n, b->len);
	want = b->cap < 256 ? 256 : b->cap;
	while (want <= b->len + n)
		want *= 2;
	b->p = xrealloc(b->p, want);
	b->cap = want;
}

/* sbuf_putn - append n bytes */
void
sbuf_putn(struct sbuf *b, const void *p, size_t n)
{
	sbuf_reserve(b, n);
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* sbuf_puts - append a C string, without its NUL */
void
sbuf_puts(struct sbuf *b, const char *s)
{
	sbuf_putn(b, s, strlen(s));
}

/* sbuf_putc - append one byte */
void
sbuf_putc(struct sbuf *b, int c)
{
	sbuf_reserve(b, 1);
	b->p[b->len++] = (char)c;
	b->p[b->len] = '\0';
}

/* sbuf_printf - append formatted text; one vsnprintf when it fits */
void
sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	sbuf_reserve(b, 0);
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		log_panic("sbuf_printf: bad format \"%.40s\"", fmt);
	if ((size_t)n >= b->cap - b->len) {
		sbuf_reserve(b, (size_t)n);
		va_start(ap, fmt);
		(void)vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* sbuf_trunc - cut back to len bytes (no longer than now) */
void
sbuf_trunc(struct sbuf *b, size_t len)
{
	if (b->p == NULL || len > b->len)
		return;
	b->len = len;
	b->p[len] = '\0';
}

/* sbuf_str - the text so far (borrowed) */
const char *
sbuf_str(const struct sbuf *b)
{
	return b->p != NULL ? b->p : "";
}

/* sbuf_take - hand the bytes over; the buffer is empty afterwards */
char *
sbuf_take(struct sbuf *b)
{
	char	*s = b->p != NULL ? b->p : xstrdup("");

	sbuf_init(b);
	return s;
}

/* sbuf_free - release the bytes */
void
sbuf_free(struct sbuf *b)
{
	free(b->p);
	sbuf_init(b);
}

/* sbuf_json_str - s as a JSON string, at most max bytes, ASCII only */
void
sbuf_json_str(struct sbuf *b, const char *s, size_t max)
{
	size_t	 i;
	unsigned char c;

	sbuf_putc(b, '"');
	for (i = 0; s != NULL && s[i] != '\0' && i < max; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			sbuf_putc(b, '\\');
			sbuf_putc(b, c);
		} else if (c < 0x20 || c == 0x7f)
			sbuf_printf(b, "\\u%04x", c);
		else if (c >= 0x80)
			sbuf_putc(b, '?');
		else
			sbuf_putc(b, c);
	}
	sbuf_putc(b, '"');
}
