/* why.c - write a reason into the caller's buffer */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>

#include "why.h"

/* why_set - format a reason into why[whylen], if the caller gave one */
void
why_set(char *why, size_t whylen, const char *fmt, ...)
{
	va_list	 ap;

	if (why == NULL || whylen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}
