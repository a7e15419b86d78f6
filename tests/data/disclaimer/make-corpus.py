#!/usr/bin/python3
"""make-corpus.py - write the disclaimer golden corpus.

usage: tests/data/disclaimer/make-corpus.py [DIR]   (default: this directory)

Writes NN-name.eml (input messages, byte-exact: they are spelled out
literally here, not produced by an email library, so malformed shapes
stay malformed) and MANIFEST, one line per case:

    NAME  CONF  RESULT  TARGETS

CONF names conf/CONF.text and conf/CONF.html (either may be missing);
"CONF@N" sets disclaimer.max_size to N bytes.  RESULT is the metric
label disclaimer_apply() must return.  TARGETS lists the parts that
must get the disclaimer, as paths into Python's email tree ("." is the
message itself, "1.0" the first child of the second child), or "-".

The expected outputs (NN-name.ref) are written by the C test with
DC_BLESS=1 and checked by tests/verify_disclaimer.py; re-run this
script and re-bless when a case changes, then review the diff.
"""

import base64
import os
import sys

CASES = []

HDRS = [
    "From: Alice Example <alice@example.com>",
    "To: Bob Example <bob@example.net>",
    "Subject: Quarterly figures",
    "Date: Tue, 04 Mar 2025 10:15:00 +0100",
]


def case(name, conf, result, targets, data):
    CASES.append((name, conf, result, targets, data))


def msg(headers, body, eol="\n", mid=None):
    """A message: common headers, extra headers, empty line, body."""
    hs = HDRS + ["Message-ID: <%s@example.com>" % (mid or "m")] + headers
    text = "\n".join(hs) + "\n\n"
    data = text.encode("utf-8") + (body if isinstance(body, bytes)
                                   else body.encode("utf-8"))
    if eol == "\r\n":
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return data


def b64(data, width=76):
    s = base64.b64encode(data).decode("ascii")
    return "\n".join(s[i:i + width] for i in range(0, len(s), width))


PDF = (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <</Type /Catalog /Pages 2 0 R>> "
       b"endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
       b"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]>> "
       b"endobj\nxref\n0 4\n0000000000 65535 f \ntrailer <</Size 4 /Root "
       b"1 0 R>>\nstartxref\n0\n%%EOF\n") + bytes(range(256)) * 8
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01"
       b"\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8"
       b"\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

PLAIN = ("Hi Bob,\n\nplease find the figures for Q1 below.  Revenue is up"
         " 4 % = good news.\n\nRegards,\nAlice\n")
HTML = ("<!DOCTYPE html>\n<html>\n<head><title>Q1</title>\n<style>p {margin:0}"
        "</style></head>\n<body>\n<p>Hi Bob,</p>\n<p>please find the figures "
        "for Q1 below.</p>\n<p>Regards,<br>Alice</p>\n</body>\n</html>\n")
PDF_PART = ("Content-Type: application/pdf; name=\"figures.pdf\"\n"
            "Content-Disposition: attachment; filename=\"figures.pdf\"\n"
            "Content-Transfer-Encoding: base64\n\n" + b64(PDF) + "\n")
PNG_PART = ("Content-Type: image/png; name=\"logo.png\"\n"
            "Content-ID: <logo@example.com>\n"
            "Content-Disposition: inline; filename=\"logo.png\"\n"
            "Content-Transfer-Encoding: base64\n\n" + b64(PNG) + "\n")
MV = "MIME-Version: 1.0"


def alt(b, plain=PLAIN, html=HTML, cte="7bit"):
    return ("--%s\nContent-Type: text/plain; charset=us-ascii\n"
            "Content-Transfer-Encoding: %s\n\n%s\n--%s\n"
            "Content-Type: text/html; charset=us-ascii\n"
            "Content-Transfer-Encoding: %s\n\n%s\n--%s--\n"
            % (b, cte, plain, b, cte, html, b))


def qp(text):
    """Quoted-printable as a mail client writes it (lines <= 76)."""
    import quopri
    return quopri.encodestring(text.encode("utf-8")).decode("ascii")


def smime_signed(b, mid=None):
    """PLAIN signed with S/MIME (multipart/signed), boundary b, CRLF."""
    body = ("--" + b + "\nContent-Type: text/plain\n\n" + PLAIN + "\n--" + b +
            "\nContent-Type: application/pkcs7-signature; name=smime.p7s\n"
            "Content-Transfer-Encoding: base64\n\n" +
            b64(b"\x30\x82sig" * 20) + "\n--" + b + "--\n")
    return msg([MV, "Content-Type: multipart/signed; protocol=\"application/"
                "pkcs7-signature\"; micalg=sha-256; boundary=" + b], body,
               "\r\n", mid=mid)


def pkcs7_mime():
    """An S/MIME enveloped message (application/pkcs7-mime)."""
    return msg([MV, "Content-Type: application/pkcs7-mime; "
                "smime-type=enveloped-data; name=smime.p7m",
                "Content-Transfer-Encoding: base64"],
               b64(b"\x30\x80enveloped" * 30) + "\n")


def mixed_text_pdf(b, ctype):
    """multipart/mixed, boundary b: PLAIN as ctype, then the PDF."""
    return msg([MV, "Content-Type: multipart/mixed; boundary=" + b],
               "--" + b + "\nContent-Type: " + ctype + "\n\n" + PLAIN +
               "\n--" + b + "\n" + PDF_PART + "--" + b + "--\n")


def big_plain():
    """A plain text message over 2000 bytes."""
    return msg([MV, "Content-Type: text/plain"], PLAIN * 20)


def single_parts():
    case("01-plain-7bit-lf", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii",
         "Content-Transfer-Encoding: 7bit"], PLAIN))
    case("02-plain-7bit-crlf", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii"], PLAIN, "\r\n"))
    case("03-plain-no-mime-utf8", "utf8", "added", ".", msg([], PLAIN))
    case("04-plain-qp-utf8-crlf", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=utf-8",
         "Content-Transfer-Encoding: quoted-printable"],
        qp("Gr\u00fc\u00dfe aus M\u00fcnchen, a long line that the "
           "encoder has to wrap with a soft line break somewhere.\n"
           "Zweite Zeile =\n"), "\r\n"))
    case("05-plain-base64-utf8", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=\"UTF-8\"",
         "Content-Transfer-Encoding: base64"],
        b64("Gr\u00fc\u00dfe, \u65e5\u672c\n".encode("utf-8") +
            PLAIN.encode("ascii")) + "\n"))
    case("06-plain-8bit-latin1-relabel", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=iso-8859-1; format=fixed",
         "Content-Transfer-Encoding: 8bit"],
        "Sch\u00f6ne Gr\u00fc\u00dfe\n".encode("latin-1")))
    case("07-plain-8bit-latin1-native", "latin", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=ISO-8859-1",
         "Content-Transfer-Encoding: 8bit"],
        "Sch\u00f6ne Gr\u00fc\u00dfe\n".encode("latin-1"), "\r\n"))
    case("08-plain-base64-cp1252-relabel", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/plain;\n\tcharset=\"windows-1252\"",
         "Content-Transfer-Encoding: base64"],
        b64("Price: 10 \u20ac \u2013 \u201cok\u201d\r\n".encode("cp1252"))
        + "\n", "\r\n"))
    case("09-plain-flowed", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=utf-8; format=flowed",
         "Content-Transfer-Encoding: 7bit"],
        "This paragraph is flowed and \nwraps over two lines.\n\n"
        "> quoted\n"))
    case("10-plain-no-final-newline", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/plain"], "No newline at the end"))
    case("11-html-qp-body", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/html; charset=utf-8",
         "Content-Transfer-Encoding: quoted-printable"],
        qp(HTML.replace("Regards", "Gr\u00fc\u00dfe")), "\r\n"))
    case("12-html-no-body-tag", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/html; charset=us-ascii"],
        "<p>Just a fragment, <b>no</b> body tag.</p>\n"))
    case("13-html-base64-upper-body", "ascii", "added", ".", msg(
        [MV, "Content-Type: TEXT/HTML; Charset=UTF-8",
         "Content-Transfer-Encoding: BASE64"],
        b64(HTML.replace("</body>", "</BODY >").encode("ascii")) + "\n"))
    case("14-plain-utf16-relabel", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=utf-16",
         "Content-Transfer-Encoding: base64"],
        b64("Hallo \u00e4\u00f6\u00fc\n".encode("utf-16")) + "\n"))
    case("15-plain-iso2022jp-native", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=ISO-2022-JP",
         "Content-Transfer-Encoding: 7bit"],
        "\u3053\u3093\u306b\u3061\u306f\n".encode("iso-2022-jp")))
    case("16-plain-unknown-charset-ascii", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=x-unheard-of"],
        "Plain ASCII in an unknown charset.\n"))
    case("17-plain-empty-body", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii"], ""))
    case("18-header-8bit-bytes", "ascii", "added", ".", msg(
        ["Subject: Gr\u00fc\u00dfe \u2013 raw UTF-8 in a header", MV,
         "Content-Type: text/plain; charset=utf-8",
         "Content-Transfer-Encoding: 8bit"],
        "K\u00f6rper.\n", mid="8bit"))
    case("19-html-2mb-single-line", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/html; charset=utf-8",
         "Content-Transfer-Encoding: 8bit"],
        "<html><body>" + "<span>x</span>" * (2 * 1024 * 1024 // 14) +
        "</body></html>\n"))


def multiparts():
    b = "----=_Part_1_1234.5678"
    case("20-alt-plain-html", "ascii", "added", "0,1", msg(
        [MV, "Content-Type: multipart/alternative; boundary=\"%s\"" % b],
        "This is a multi-part message in MIME format.\n" + alt(b)))
    case("21-alt-qp-crlf-utf8", "utf8", "added", "0,1", msg(
        [MV, "Content-Type: multipart/alternative;\n boundary=\"alt-21\""],
        alt("alt-21", qp(PLAIN.replace("Alice", "Al\u00efce")),
            qp(HTML), "quoted-printable")
        .replace("charset=us-ascii", "charset=utf-8") +
        "epilogue text\n", "\r\n"))
    case("22-mixed-text-pdf", "ascii", "added", "0",
         mixed_text_pdf("mix22", "text/plain; charset=us-ascii"))
    case("23-mixed-alt-pdf", "utf8", "added", "0.0,0.1", msg(
        [MV, "Content-Type: multipart/mixed; boundary=\"mix23\""],
        "--mix23\nContent-Type: multipart/alternative; boundary=\"alt23\""
        "\n\n" + alt("alt23") + "\n--mix23\n" + PDF_PART + "--mix23--\n",
        "\r\n"))
    case("24-related-html-img", "ascii", "added", "0", msg(
        [MV, "Content-Type: multipart/related; type=\"text/html\"; "
         "boundary=rel24"],
        "--rel24\nContent-Type: text/html; charset=us-ascii\n\n" +
        HTML.replace("<p>Regards", "<img src=\"cid:logo@example.com\">"
                     "<p>Regards") + "\n--rel24\n" + PNG_PART +
        "--rel24--\n"))
    case("25-alt-related", "utf8", "added", "0,1.0", msg(
        [MV, "Content-Type: multipart/alternative; boundary=alt25"],
        "--alt25\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 7bit\n\n" + PLAIN +
        "\n--alt25\nContent-Type: multipart/related; boundary=rel25\n\n"
        "--rel25\nContent-Type: text/html; charset=utf-8\n\n" + HTML +
        "\n--rel25\n" + PNG_PART + "--rel25--\n\n--alt25--\n"))
    case("26-mixed-attachment-first", "ascii", "added", "1", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix26"],
        "--mix26\nContent-Type: text/plain; charset=us-ascii\n"
        "Content-Disposition: attachment; filename=\"notes.txt\"\n\n"
        "These are notes, an attached file.\n\n--mix26\n"
        "Content-Type: text/plain; charset=us-ascii\n\n" + PLAIN +
        "\n--mix26--\n"))
    case("27-mixed-inline-named", "ascii", "added", "2", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix27"],
        "--mix27\n" + PNG_PART + "\n--mix27\n"
        "Content-Type: text/plain; name=\"log.txt\"\n"
        "Content-Disposition: inline\n\nlog line 1\n\n--mix27\n"
        "Content-Type: text/plain\n\n" + PLAIN + "\n--mix27--\n"))
    case("28-nested-four-levels", "ascii", "added", "0.0.0.0,0.0.0.1", msg(
        [MV, "Content-Type: multipart/mixed; boundary=L1"],
        "--L1\nContent-Type: multipart/mixed; boundary=L2\n\n"
        "--L2\nContent-Type: multipart/mixed; boundary=L3\n\n"
        "--L3\nContent-Type: multipart/alternative; boundary=L4\n\n" +
        alt("L4") + "\n--L3\n" + PDF_PART + "--L3--\n\n--L2--\n\n--L1\n" +
        PNG_PART + "--L1--\n"))
    case("29-related-start-param", "ascii", "added", "1", msg(
        [MV, "Content-Type: multipart/related; boundary=rel29; "
         "start=\"<root@example.com>\"; type=\"text/html\""],
        "--rel29\nContent-Type: text/plain; charset=us-ascii\n"
        "Content-ID: <aux@example.com>\n\nauxiliary text resource\n"
        "--rel29\nContent-Type: text/html; charset=us-ascii\n"
        "Content-ID: <root@example.com>\n\n" + HTML + "\n--rel29--\n"))
    case("30-boundary-inside-line", "ascii", "added", "0", msg(
        [MV, "Content-Type: multipart/mixed; boundary=\"sep30\""],
        "--sep30\nContent-Type: text/plain\n\n"
        "The separator of this message is --sep30 and that is fine\n"
        "because it is not at the start of a line.\n--sep30\n" +
        PDF_PART + "--sep30--\n"))
    case("31-forwarded-rfc822", "ascii", "added", "0", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix31"],
        "--mix31\nContent-Type: text/plain\n\nSee the forwarded message."
        "\n\n--mix31\nContent-Type: message/rfc822\n"
        "Content-Disposition: inline\n\nFrom: carol@example.org\n"
        "Subject: original\n" + MV + "\nContent-Type: multipart/alternative;"
        " boundary=inner31\n\n" + alt("inner31") + "\n--mix31--\n"))
    case("32-bad-base64-attachment", "ascii", "added", "0", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix32"],
        "--mix32\nContent-Type: text/plain\n\n" + PLAIN + "\n--mix32\n"
        "Content-Type: application/octet-stream\n"
        "Content-Transfer-Encoding: base64\n\nQUJD*RE!F\n!!!=\n"
        "--mix32--\n"))
    case("33-qp-malformed-escape", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii",
         "Content-Transfer-Encoding: quoted-printable"],
        "Total =ZZ 100 =3D fine\nand a lone = sign\n"))
    case("34-digest", "ascii", "added", "0", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix34"],
        "--mix34\n\nDigest of the week.\n--mix34\n"
        "Content-Type: multipart/digest; boundary=dig34\n\n--dig34\n\n"
        "From: x@example.org\nSubject: one\n\nfirst digest item\n"
        "--dig34--\n\n--mix34--\n"))
    case("35-preamble-epilogue-whitespace", "ascii", "added", "0", msg(
        [MV, "Content-Type: multipart/mixed; boundary=\"ws35\""],
        "\n\n  preamble with blank lines\n\n--ws35  \n"
        "Content-Type: text/plain\n\n" + PLAIN + "\n--ws35--  \n\n"
        "epilogue\nwithout final newline", "\r\n"))
    case("36-nested-22-levels", "ascii", "added", "0." * 21 + "0",
         msg([MV, "Content-Type: multipart/mixed; boundary=n01"],
             "".join("--n%02d\nContent-Type: multipart/mixed; boundary=n%02d"
                     "\n\n" % (i, i + 1) for i in range(1, 22)) +
             "--n22\nContent-Type: text/plain\n\ndeep\n--n22--\n" +
             "".join("\n--n%02d--\n" % i for i in range(21, 0, -1))))


def skipped():
    case("40-multipart-signed", "ascii", "skipped_signed", "-",
         smime_signed("sig40"))
    case("41-multipart-encrypted", "ascii", "skipped_signed", "-", msg(
        [MV, "Content-Type: multipart/encrypted; protocol=\"application/"
         "pgp-encrypted\"; boundary=enc41"],
        "--enc41\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n"
        "--enc41\nContent-Type: application/octet-stream\n\n"
        "-----BEGIN PGP MESSAGE-----\n\nhQEMA\n-----END PGP MESSAGE-----\n"
        "--enc41--\n"))
    case("42-pkcs7-mime", "ascii", "skipped_signed", "-", pkcs7_mime())
    case("43-signed-inside-mixed", "ascii", "skipped_signed", "-", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix43"],
        "--mix43\nContent-Type: text/plain\n\nlist footer wrapper\n"
        "--mix43\nContent-Type: multipart/signed; protocol=\"application/"
        "pgp-signature\"; boundary=sig43\n\n--sig43\nContent-Type: text/"
        "plain\n\nsigned\n--sig43\nContent-Type: application/pgp-signature"
        "\n\nsig\n--sig43--\n\n--mix43--\n"))
    case("44-inline-pgp", "ascii", "skipped_signed", "-", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii"],
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\nsigned text\n"
        "-----BEGIN PGP SIGNATURE-----\n\niQEz\n"
        "-----END PGP SIGNATURE-----\n"))
    # replies "skip" (issue 19): the quoted copy is enough; with the
    # default "always" this reply gets its own (76-reply-always-plain)
    case("45-present-plain-reply", "ascii+skip", "skipped_present", "-", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii",
         "In-Reply-To: <m@example.com>"],
        "Thanks!\n\nOn Monday Bob wrote:\n> Hi Alice,\n>\n> > CONFIDENTIAL:"
        " This e-mail is intended only for the\n> > named addressee.  If you"
        " received it in error, please\n> > delete it and tell the sender.\n"))
    case("46-present-html-reinjected", "utf8", "skipped_present", "-", msg(
        [MV, "Content-Type: multipart/alternative; boundary=alt46"],
        "--alt46\nContent-Type: text/plain; charset=utf-8\n"
        "Content-Transfer-Encoding: 8bit\n\nHi\n--alt46\n"
        "Content-Type: text/html; charset=us-ascii\n\n<html><body><p>Hi</p>"
        "\n<div style=\"color:#666666\">Vertraulich &#8211; diese Nachricht "
        "ist nur f&uuml;r den Empf&auml;nger bestimmt.<br>\nConfidential "
        "&ndash; for the addressee only.</div>\n</body></html>\n--alt46--\n"
        .replace("&uuml;", "&#252;").replace("&auml;", "&#228;")
        .replace("&ndash;", "&#x2013;")))
    case("47-over-max-size", "ascii@2000", "skipped_size", "-", big_plain())
    case("48-only-attachment", "ascii", "skipped_notext", "-", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix48"],
        "--mix48\n" + PDF_PART + "--mix48--\n"))
    case("49-forward-only", "ascii", "skipped_notext", "-", msg(
        [MV, "Content-Type: message/rfc822"],
        "From: carol@example.org\nSubject: fwd\n\nforwarded body\n"))
    case("50-calendar-only", "ascii", "skipped_notext", "-", msg(
        [MV, "Content-Type: text/calendar; method=REQUEST; charset=utf-8"],
        "BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR\n"))


def malformed():
    case("60-missing-final-boundary", "ascii", "skipped_unparseable", "-",
         msg([MV, "Content-Type: multipart/mixed; boundary=mix60"],
             "--mix60\nContent-Type: text/plain\n\n" + PLAIN +
             "\n--mix60\n" + PDF_PART))
    case("61-boundary-prefix-line", "ascii", "added", "0",
         msg([MV, "Content-Type: multipart/mixed; boundary=mix61"],
             "--mix61\nContent-Type: text/plain\n\nsome text\n"
             "--mix61-but-longer is not a delimiter to RFC 2046,\nbut is "
             "to parsers that match by prefix\n--mix61--\n"))
    case("62-bad-base64-text", "ascii", "skipped_unparseable", "-", msg(
        [MV, "Content-Type: text/plain", "Content-Transfer-Encoding: base64"],
        "SGVsbG8gd29y*bGQ=\n"))
    case("63-deep-nesting", "ascii", "skipped_unparseable", "-", msg(
        [MV, "Content-Type: multipart/mixed; boundary=d01"],
        "".join("--d%02d\nContent-Type: multipart/mixed; boundary=d%02d\n\n"
                % (i, i + 1) for i in range(1, 40)) +
        "--d40\nContent-Type: text/plain\n\ndeep\n--d40--\n" +
        "".join("\n--d%02d--\n" % i for i in range(39, 0, -1))))
    case("64-multipart-no-boundary", "ascii", "skipped_unparseable", "-",
         msg([MV, "Content-Type: multipart/mixed"],
             "--x\nContent-Type: text/plain\n\ntext\n--x--\n"))
    case("65-bad-part-header", "ascii", "skipped_unparseable", "-", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix65"],
        "--mix65\nContent-Type: text/plain\nthis line is no header\n\n"
        "text\n--mix65--\n"))
    case("66-duplicate-content-type", "ascii", "skipped_unparseable", "-",
         msg([MV, "Content-Type: text/plain",
              "Content-Type: multipart/mixed; boundary=b"], PLAIN))
    case("67-unknown-cte", "ascii", "skipped_unparseable", "-", msg(
        [MV, "Content-Type: text/plain", "Content-Transfer-Encoding: "
         "x-uuencode"], "begin 644 x\n`\nend\n"))
    case("68-unknown-charset-8bit", "ascii", "skipped_unparseable", "-",
         msg([MV, "Content-Type: text/plain; charset=x-mystery",
              "Content-Transfer-Encoding: 8bit"], b"caf\xe9 \xff\n"))
    case("69-ascii-label-8bit-utf8conf", "utf8", "skipped_unparseable", "-",
         msg([MV, "Content-Type: text/plain; charset=us-ascii",
              "Content-Transfer-Encoding: 8bit"], b"na\xefve\n"))
    case("70-no-delimiter-at-all", "ascii", "skipped_unparseable", "-",
         msg([MV, "Content-Type: multipart/alternative; boundary=nothere"],
             PLAIN))
    case("71-encoded-multipart", "ascii", "skipped_unparseable", "-", msg(
        [MV, "Content-Type: multipart/mixed; boundary=m71",
         "Content-Transfer-Encoding: base64"],
        "--m71\nContent-Type: text/plain\n\nx\n--m71--\n"))


def rfc2231():
    """RFC 2231 parameters and RFC 2045 5.2 defaults, as mailers write them."""
    case("37-rfc2231-boundary-continued", "ascii", "added", "0,1", msg(
        [MV, "Content-Type: multipart/alternative;\n boundary*0=\"----=_NextP"
         "art_37_\";\n boundary*1*=%3D_0A1B"],
        alt("----=_NextPart_37_=_0A1B"), "\r\n"))
    case("38-rfc2231-charset-extended", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset*=utf-8'en'utf-8",
         "Content-Transfer-Encoding: 8bit"],
        "Gr\u00fc\u00dfe aus K\u00f6ln.\n"))
    case("39-rfc2231-charset-relabel", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/plain; format=fixed;\n charset*0*=''us-;"
         " charset*1=ascii"], PLAIN))
    case("51-invalid-content-type", "ascii", "added", ".", msg(
        [MV, "Content-Type: text"], PLAIN))
    case("52-invalid-content-type-relabel", "utf8", "added", ".", msg(
        [MV, "Content-Type: plain; charset=utf-8"], PLAIN))
    case("53-mixed-invalid-part-type", "ascii", "added", "0",
         mixed_text_pdf("mix53", "plain"))
    case("54-rfc2231-filename-text-file", "utf8", "added", "0", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix54"],
        "--mix54\nContent-Type: text/plain; charset=us-ascii\n\n" + PLAIN +
        "\n--mix54\nContent-Type: text/plain; charset=utf-8;\n name*0*="
        "utf-8''%E2%82%AC%20rates%20;\n name*1*=2025.txt\n"
        "Content-Disposition: inline;\n filename*=utf-8''%E2%82%AC%20rates"
        "%202025.txt\n\n1 EUR = 1.08 USD\n--mix54--\n"))
    case("72-rfc2231-boundary-gap", "ascii", "skipped_unparseable", "-", msg(
        [MV, "Content-Type: multipart/mixed; boundary*0=mix; boundary*2=72"],
        "--mix72\nContent-Type: text/plain\n\nx\n--mix72--\n"))
    case("73-rfc2231-charset-two-forms", "ascii", "skipped_unparseable", "-",
         msg([MV, "Content-Type: text/plain; charset=us-ascii; "
              "charset*=iso-8859-1''koi8-r"], PLAIN))
    case("74-invalid-multipart-type", "ascii", "skipped_unparseable", "-",
         msg([MV, "Content-Type: multipart; boundary=mix74"],
             "--mix74\nContent-Type: text/plain\n\nx\n--mix74--\n"))


def positions():
    """position top (issue 19): above the quoted thread, after <body>."""
    reply = ("Thanks, agreed.\n\nOn Monday Bob wrote:\n> Can you send the"
             " figures?\n> Bob\n")
    case("55-top-plain-reply", "ascii+top", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii",
         "In-Reply-To: <b@example.net>"], reply))
    case("56-top-html-body-attrs-qp-crlf", "utf8+top", "added", ".", msg(
        [MV, "Content-Type: text/html; charset=utf-8",
         "Content-Transfer-Encoding: quoted-printable"],
        qp(HTML.replace("<body>", "<body class=\"a>b\" style=\"margin:0\">")
           .replace("Alice", "Al\u00efce")), "\r\n"))
    case("57-top-alt-plain-html", "utf8+top", "added", "0,1", msg(
        [MV, "Content-Type: multipart/alternative; boundary=alt57"],
        alt("alt57")))
    case("58-top-plain-flowed", "ascii+top", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii; format=flowed"],
        "A long paragraph that the sender's client wrapped with soft \n"
        "line breaks.\n\n> quoted\n"))
    case("59-top-html-no-body-base64", "ascii+top", "added", ".", msg(
        [MV, "Content-Type: text/html; charset=us-ascii",
         "Content-Transfer-Encoding: base64"],
        b64(b"<p>Hi Bob,</p><p>short note.</p>\n") + "\n"))


def replies():
    """replies always (default) and skip (issue 19)."""
    quoted = ("Thanks!\n\nOn Monday Bob wrote:\n> Hi Alice,\n>\n> > CONFIDENTIAL:"
              " This e-mail is intended only for the\n> > named addressee.  If"
              " you received it in error, please\n> > delete it and tell the "
              "sender.\n")
    case("76-reply-always-plain", "ascii", "added", ".", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii",
         "In-Reply-To: <m@example.com>"], quoted))
    bq = ("<html><body><p>Agreed.</p><blockquote type=\"cite\"><p>Hi</p>"
          "<blockquote><div>Vertraulich &#8211; diese Nachricht ist nur f&#252;"
          "r den Empf&#228;nger bestimmt.<br>Confidential &#8211; for the "
          "addressee only.</div></blockquote></blockquote>\n</body></html>\n")
    case("77-reply-always-html-blockquote", "utf8", "added", ".", msg(
        [MV, "Content-Type: text/html; charset=us-ascii",
         "References: <a@example.com> <b@example.com>"], bq))
    case("78-reply-skip-html-blockquote", "utf8+skip", "skipped_present", "-",
         msg([MV, "Content-Type: text/html; charset=us-ascii",
              "References: <a@example.com> <b@example.com>"], bq))
    case("79-reply-always-own-copy", "ascii", "skipped_present", "-", msg(
        [MV, "Content-Type: text/plain; charset=us-ascii",
         "In-Reply-To: <m@example.com>"], "Sent twice.\n\nCONFIDENTIAL: "
        "This e-mail is intended only for the named addressee.\nIf you "
        "received it in error, please delete it and tell the sender.\n"
        "\n> older text\n"))


def fallbacks():
    """fallback wrap and reject (issue 19)."""
    case("80-wrap-multipart-signed", "ascii+wrap", "wrapped", "0",
         smime_signed("sig80"))
    case("81-wrap-missing-final-boundary", "utf8+wrap", "wrapped", "0", msg(
        [MV, "Content-Type: multipart/mixed; boundary=mix81"],
        "--mix81\nContent-Type: text/plain\n\n" + PLAIN +
        "\n--mix81\n" + PDF_PART))
    case("82-wrap-inline-pgp-no-mime", "ascii+wrap", "wrapped", "0", msg(
        ["Content-Disposition: inline"],
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\ncaf\u00e9\n"
        "-----BEGIN PGP SIGNATURE-----\n\niQEz\n"
        "-----END PGP SIGNATURE-----\n"))
    case("83-reject-pkcs7-mime", "ascii+reject", "rejected", "-",
         pkcs7_mime())
    case("84-wrap-over-max-size", "ascii+wrap@2000", "skipped_size", "-",
         big_plain())
    case("85-reject-over-max-size", "ascii+reject@2000", "rejected", "-",
         big_plain())
    case("87-wrap-signed-crlf-utf8", "utf8+wrap", "wrapped", "0",
         smime_signed("sig80", mid="87"))
    case("86-reject-notext-passes", "ascii+reject", "skipped_notext", "-",
         msg([MV, "Content-Type: message/rfc822"],
             "From: carol@example.org\nSubject: fwd\n\nforwarded body\n"))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(
        os.path.abspath(__file__))
    single_parts()
    multiparts()
    skipped()
    malformed()
    rfc2231()
    positions()
    replies()
    fallbacks()
    with open(os.path.join(out, "MANIFEST"), "w") as man:
        man.write("# NAME CONF RESULT TARGETS (make-corpus.py writes this)\n")
        for name, conf, result, targets, data in CASES:
            with open(os.path.join(out, name + ".eml"), "wb") as f:
                f.write(data)
            man.write("%s %s %s %s\n" % (name, conf, result, targets))


if __name__ == "__main__":
    main()
