/* mimehdr_field.c - a test on a message's header fields: name, value */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "mimehdr.h"

static int	is_ws(int);
static int	lower(int);
static int	value_is(const char *, size_t, size_t, const char *);

/* is_ws - white space or a line end */
static int
is_ws(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* lower - ASCII lower case */
static int
lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/*
 * value_is - msg[b, e), unfolded and trimmed, equals want, ignoring
 * ASCII case, a run of white space (line ends included) on either side
 * counting as one space
 */
static int
value_is(const char *msg, size_t b, size_t e, const char *want)
{
	while (b < e && is_ws(msg[b]))
		b++;
	while (e > b && is_ws(msg[e - 1]))
		e--;
	while (*want == ' ' || *want == '\t')
		want++;
	while (b < e && *want != '\0') {
		if (is_ws(msg[b])) {
			if (*want != ' ' && *want != '\t')
				return 0;
			while (b < e && is_ws(msg[b]))
				b++;
			while (*want == ' ' || *want == '\t')
				want++;
			continue;
		}
		if (lower((unsigned char)msg[b]) != lower((unsigned char)*want))
			return 0;
		b++;
		want++;
	}
	while (*want == ' ' || *want == '\t')
		want++;
	return b == e && *want == '\0';
}

/*
 * mimehdr_field_is - does the message header (msg up to its first empty
 * line) have a field name, with value when value is not NULL
 */
int
mimehdr_field_is(const char *msg, size_t len, const char *name,
    const char *value)
{
	size_t	 nl = strlen(name), pos = 0, e;
	const char *p;

	while (pos < len && msg[pos] != '\n' && !(msg[pos] == '\r' &&
	    pos + 1 < len && msg[pos + 1] == '\n')) {
		/* the field at pos ends before a line not starting with WSP */
		for (e = pos; (p = memchr(msg + e, '\n', len - e)) != NULL; ) {
			e = (size_t)(p - msg) + 1;
			if (e >= len || (msg[e] != ' ' && msg[e] != '\t'))
				break;
		}
		if (p == NULL)
			e = len;
		if (e - pos > nl && msg[pos + nl] == ':' &&
		    strncasecmp(msg + pos, name, nl) == 0 &&
		    (value == NULL || value_is(msg, pos + nl + 1, e, value)))
			return 1;
		pos = e;
	}
	return 0;
}
