/*
 * NAME
 *	dctext 3h
 * SUMMARY
 *	the disclaimer's text and HTML forms, and the normalised "key"
 *	that tells whether a text already carries the disclaimer
 * SYNOPSIS
 *	#include "dctext.h"
 * DESCRIPTION
 *	dctext_prepare() builds both forms of a disclaimer from the
 *	configured disclaimer.text and disclaimer.html (UTF-8, either may
 *	be NULL or empty):
 *
 *	text	the configured text, or else the configured HTML rendered
 *		as text (dctext_textify(), blank lines squeezed); LF line
 *		ends, no final line end;
 *	html	the configured HTML, or else the text escaped and wrapped
 *		in <p>...</p> with <br> line breaks; every non-ASCII
 *		character written as a numeric character reference
 *		(&#233;), so the HTML form is pure ASCII and can go into
 *		an HTML part in any ASCII-compatible charset unchanged;
 *	key_text, key_html
 *		dctext_key() of the text form and of the HTML form made
 *		text.
 *
 *	dt->empty is set when neither form has any visible character;
 *	nothing should then be added.  dctext_free() releases dt.
 *
 *	dctext_textify() renders HTML as UTF-8 text: comments and the
 *	contents of script, style and title are dropped, block
 *	elements (p, br, div, li, tr, td, h1-h6, ...) become line ends,
 *	other tags vanish, character references (numeric and the common
 *	named ones) are decoded.  Linear in its input, whatever the
 *	input (unterminated tags and comments included).
 *
 *	dctext_key() normalises text for finding a disclaimer in a reply
 *	or a re-injected message: quotation markers (">" and white space
 *	at line starts) are dropped, every run of white space (SP, HT,
 *	CR, LF, FF, VT, U+00A0) becomes one space, and the result is
 *	trimmed; case and punctuation are kept, so a short disclaimer
 *	("Confidential.") does not match any text that merely mentions
 *	the word.  dctext_has() tells whether key hay contains key
 *	needle (an empty needle never matches).
 *
 *	dctext_plain() writes the text form for a text/plain part: lines
 *	joined by eol, and, for format=flowed (RFC 3676), trailing spaces
 *	removed and lines starting with SP, ">" or "From " space-stuffed.
 *
 *	All functions are pure and thread safe.
 * SEE ALSO
 *	disclaimer(3h), RFC 3676
 */
#ifndef GP_DCTEXT_H
#define GP_DCTEXT_H

#include <stddef.h>

#include "mimecode.h"

struct dctext {
	struct sbuf text;		/* UTF-8 text form, LF line ends */
	struct sbuf html;		/* ASCII HTML form, LF line ends */
	struct sbuf key_text;		/* dctext_key(text) */
	struct sbuf key_html;		/* dctext_key(textify(html)) */
	int	 empty;			/* nothing visible to add */
};

void	dctext_prepare(const char *text, const char *html, struct dctext *);
void	dctext_free(struct dctext *);
void	dctext_textify(const char *, size_t, struct sbuf *);
void	dctext_key(const char *, size_t, struct sbuf *);
int	dctext_has(const struct sbuf *hay, const struct sbuf *needle);
void	dctext_plain(const struct dctext *, const char *eol, int flowed,
	    struct sbuf *);

#endif
