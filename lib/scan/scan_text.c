/* scan_text.c - bounded text helpers for scanner replies (pure) */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "ascii.h"
#include "scan_text.h"

static const char *find_mem(const char *, size_t, const char *);

/* scan_is_space - ASCII white space, CR and LF included */
int
scan_is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* scan_is_digit - ASCII digit */
int
scan_is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* scan_span_ieq - span equals a word, ignoring ASCII case */
int
scan_span_ieq(struct scan_span s, const char *w)
{
	return strlen(w) == s.n && ascii_ncaseeq(s.p, w, s.n);
}

/* scan_span_trim - drop leading and trailing white space */
struct scan_span
scan_span_trim(struct scan_span s)
{
	while (s.n > 0 && scan_is_space((unsigned char)s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n > 0 && scan_is_space((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

/* scan_span_line - take one line (LF or CRLF ended) off the front of in */
int
scan_span_line(struct scan_span *in, struct scan_span *line)
{
	const char *nl;

	if (in->n == 0)
		return 0;
	nl = memchr(in->p, '\n', in->n);
	line->p = in->p;
	line->n = nl != NULL ? (size_t)(nl - in->p) : in->n;
	in->p += line->n + (nl != NULL);
	in->n -= line->n + (nl != NULL);
	if (line->n > 0 && line->p[line->n - 1] == '\r')
		line->n--;
	return 1;
}

/* find_mem - first occurrence of a string in a buffer, or NULL */
static const char *
find_mem(const char *buf, size_t len, const char *needle)
{
	size_t	 n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (memcmp(buf + i, needle, n) == 0)
			return buf + i;
	return NULL;
}

/* scan_span_header - split "Name: value" (both trimmed); -1: no colon */
int
scan_span_header(struct scan_span line, struct scan_span *name,
    struct scan_span *val)
{
	const char *colon = memchr(line.p, ':', line.n);
	struct scan_span n, v;

	if (colon == NULL)
		return -1;
	n.p = line.p;
	n.n = (size_t)(colon - line.p);
	v.p = colon + 1;
	v.n = line.n - (size_t)(v.p - line.p);
	*name = scan_span_trim(n);
	*val = scan_span_trim(v);
	return 0;
}

/* scan_head_end - length of the head and offset of the body, or -1 */
int
scan_head_end(const char *buf, size_t len, size_t *head, size_t *body)
{
	const char *crlf = find_mem(buf, len, "\r\n\r\n");
	const char *lf = find_mem(buf, len, "\n\n");

	if (crlf != NULL && (lf == NULL || crlf < lf)) {
		*head = (size_t)(crlf - buf);
		*body = *head + 4;
		return 0;
	}
	if (lf != NULL) {
		*head = (size_t)(lf - buf);
		*body = *head + 2;
		return 0;
	}
	return -1;
}

/* scan_parse_number - a decimal number, whole span, no locale */
int
scan_parse_number(const char *p, size_t n, double *out)
{
	double	 v = 0, scale = 1;
	size_t	 i = 0, digits = 0;
	int	 neg = 0;

	if (n > 0 && (p[0] == '-' || p[0] == '+')) {
		neg = p[0] == '-';
		i++;
	}
	for (; i < n && scan_is_digit((unsigned char)p[i]); i++, digits++)
		v = v * 10 + (p[i] - '0');
	if (i < n && p[i] == '.') {
		for (i++; i < n && scan_is_digit((unsigned char)p[i]); i++) {
			scale /= 10;
			v += (p[i] - '0') * scale;
			digits++;
		}
	}
	if (digits == 0 || i != n || digits > 30)
		return -1;
	*out = neg ? -v : v;
	return 0;
}

/* scan_span_ulong - all-digit span to a number, bounded */
int
scan_span_ulong(struct scan_span s, unsigned long *out)
{
	unsigned long v = 0;
	size_t	 i;

	if (s.n == 0 || s.n > 9)
		return -1;
	for (i = 0; i < s.n; i++) {
		if (!scan_is_digit((unsigned char)s.p[i]))
			return -1;
		v = v * 10 + (unsigned long)(s.p[i] - '0');
	}
	*out = v;
	return 0;
}

/* scan_copy_token - bounded copy, unsafe bytes replaced by '_' */
void
scan_copy_token(char *dst, size_t size, const char *src, size_t n,
    int allow_space)
{
	size_t	 i;

	if (size == 0)
		return;
	for (i = 0; i < n && i + 1 < size; i++) {
		int c = (unsigned char)src[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    scan_is_digit(c) || strchr("._:/+-", c) != NULL ||
		    (allow_space && c == ' ');

		dst[i] = ok && c != '\0' ? (char)c : '_';
	}
	dst[i] = '\0';
}

/* scan_symbols_add - append a name to a bounded "A,B" list */
void
scan_symbols_add(char *list, size_t size, const char *name, size_t n)
{
	size_t	 cur = strlen(list), need = n + (cur > 0);

	if (n == 0 || size < 8)
		return;
	if (cur >= 3 && strcmp(list + cur - 3, "...") == 0)
		return;			/* already cut */
	if (cur + need + 4 < size) {
		if (cur > 0)
			list[cur++] = ',';
		scan_copy_token(list + cur, size - cur, name, n, 0);
		return;
	}
	(void)snprintf(list + cur, size - cur, "%s...", cur > 0 ? "," : "");
}
