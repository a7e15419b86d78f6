/*
 * fuzz_disclaimer.c - the disclaimer MIME transform (lib/mime/disclaimer.c,
 * mimescan, mimehdr, mimecode, dcpart, dctext, charconv)
 *
 * The input is a whole message as the milter reassembles it (header
 * block, empty line, body; LF or CRLF).  One of four disclaimer
 * configurations (ASCII text and HTML, UTF-8 text and HTML, text only,
 * HTML only), chosen by a hash of the input, is applied with
 * disclaimer_apply() as mf_disclaimer.c does, and the result rendered
 * with disclaimer_render() as gatepostctl simulate does.
 *
 * Checked (disclaimer(3h)): the result and out agree (a body and no
 * reason when added, the reverse otherwise); header changes are at
 * most DC_HDR_MAX, with values that have no leading white space, no CR,
 * and whose LFs only fold (a LF followed by white space), so a value
 * handed to smfi_chgheader() cannot start a new header field; a
 * skipped message renders unchanged; the rendered message ends with
 * the new body; and applying the disclaimer again to the rendered
 * message finds it there (DC_SKIPPED_PRESENT, as check_disclaimer's
 * mutation test demands): never a second copy, and the output is still
 * a message the transform can read.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "disclaimer.h"
#include "fuzz.h"

#define MSG_MAX	(1024 * 1024)	/* bytes; run-fuzz makes less */

static const struct disclaimer_conf confs[] = {
	{ "CONFIDENTIAL: This e-mail is intended only for the named "
	    "addressee.\nIf you received it in error, please delete it.",
	    "<p style=\"color:#666666\">CONFIDENTIAL: for the named addressee"
	    " only.<br>\nIf you received it in error, delete it.</p>", 0,
	    DC_POS_BOTTOM, DC_REPLIES_ALWAYS, DC_FALLBACK_PASS },
	{ "Vertraulich \xe2\x80\x93 diese Nachricht ist nur f\xc3\xbcr den "
	    "Empf\xc3\xa4nger bestimmt.\nConfidential \xe2\x80\x93 for the "
	    "addressee only.", "<div>Vertraulich \xe2\x80\x93 nur f\xc3\xbcr "
	    "den Empf\xc3\xa4nger.<br>\nConfidential.</div>", 0,
	    DC_POS_BOTTOM, DC_REPLIES_ALWAYS, DC_FALLBACK_PASS },
	{ "Confidential: for the addressee only.", NULL, 0, DC_POS_BOTTOM,
	    DC_REPLIES_ALWAYS, DC_FALLBACK_PASS },
	{ NULL, "<p>Confidential &amp; <b>private</b>.</p>", 0, DC_POS_BOTTOM,
	    DC_REPLIES_ALWAYS, DC_FALLBACK_PASS },
	/* issue 19: top, replies skip, fallback wrap and reject */
	{ "Confidential: for the addressee only.\nTop of the text.",
	    "<p>Confidential, <i>top</i>.</p>", 0, DC_POS_TOP,
	    DC_REPLIES_SKIP, DC_FALLBACK_WRAP },
	{ "Vertraulich \xe2\x80\x93 oben.", NULL, 0, DC_POS_TOP,
	    DC_REPLIES_ALWAYS, DC_FALLBACK_REJECT },
};

static void	check_out(enum disclaimer_result,
		    const struct disclaimer_out *);
static void	check_value(const char *);

/* check_value - a header value fit for smfi_chgheader() */
static void
check_value(const char *v)
{
	size_t	 i;

	FUZZ_ASSERT(v != NULL);
	FUZZ_ASSERT(v[0] != ' ' && v[0] != '\t');
	for (i = 0; v[i] != '\0'; i++) {
		FUZZ_ASSERT(v[i] != '\r');
		if (v[i] == '\n')
			FUZZ_ASSERT(v[i + 1] == ' ' || v[i + 1] == '\t');
	}
}

/* check_out - what disclaimer_apply() promises about out */
static void
check_out(enum disclaimer_result r, const struct disclaimer_out *o)
{
	size_t	 i;

	FUZZ_ASSERT((unsigned)r < DC_RESULT_MAX);
	if (r == DC_WRAPPED) {
		FUZZ_ASSERT(o->why != NULL && o->body != NULL &&
		    o->n_hdr >= 2 && o->n_hdr <= DC_HDR_MAX);
		for (i = 0; i < o->n_hdr; i++)
			check_value(o->hdr[i].value);
		return;
	}
	if (r != DC_ADDED) {
		FUZZ_ASSERT(o->why != NULL && o->body == NULL &&
		    o->n_hdr == 0 && o->n_parts == 0);
		return;
	}
	FUZZ_ASSERT(o->why == NULL && o->body != NULL && o->n_parts > 0);
	FUZZ_ASSERT(o->n_hdr <= DC_HDR_MAX);
	for (i = 0; i < o->n_hdr; i++) {
		FUZZ_ASSERT(o->hdr[i].name != NULL);
		check_value(o->hdr[i].value);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct disclaimer_conf *conf;
	const char *msg = (const char *)data;
	struct disclaimer_out out, again;
	enum disclaimer_result r, r2;
	char	*rendered;
	size_t	 rlen;

	if (size > MSG_MAX)
		return 0;
	conf = &confs[fuzz_hash(data, size) % (sizeof(confs) /
	    sizeof(confs[0]))];
	r = disclaimer_apply(msg, size, conf, &out);
	check_out(r, &out);
	rendered = disclaimer_render(msg, size, &out, &rlen);
	FUZZ_ASSERT(rendered != NULL);
	if (r != DC_ADDED && r != DC_WRAPPED) {
		FUZZ_ASSERT(rlen == size && memcmp(rendered, msg, size) == 0);
		free(rendered);
		disclaimer_out_free(&out);
		return 0;
	}
	FUZZ_ASSERT(rlen >= out.body_len && memcmp(rendered + rlen -
	    out.body_len, out.body, out.body_len) == 0);
	/* no second disclaimer (a reply quoting it, a re-injection) */
	r2 = disclaimer_apply(rendered, rlen, conf, &again);
	check_out(r2, &again);
	FUZZ_ASSERT(r2 == DC_SKIPPED_PRESENT);
	disclaimer_out_free(&again);
	free(rendered);
	disclaimer_out_free(&out);
	return 0;
}
