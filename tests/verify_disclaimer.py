#!/usr/bin/python3
"""verify_disclaimer.py - check disclaimer outputs with an independent parser.

usage: verify_disclaimer.py --data DIR --out DIR [--ext .out] [--conf DIR]
                            [CASE...]

For every case in DIR/MANIFEST (see make-corpus.py) reads the input
DIR/NAME.eml and the output OUT/NAME.out (written by check_disclaimer
with DC_OUT_DIR set; with --ext .ref, the committed expected outputs),
parses both with Python's email package (compat32, bytes in, nothing
re-serialised) and checks:

  skipped cases   the output is the input, byte for byte (so are
                  "rejected" ones: the message is refused, not changed);
  wrapped cases   (fallback wrap) a multipart/mixed whose first part
                  is the disclaimer (text and HTML alternatives) and
                  whose second is the input, byte for byte, as
                  message/rfc822; the outer header keeps every field
                  but the content fields and MIME-Version;
  added cases     the output parses with no new defects, has the same
                  tree (types, boundaries, preambles, epilogues, child
                  counts); every part outside TARGETS keeps its header
                  fields, raw payload and decoded bytes; every target
                  keeps its header fields except Content-Type's charset
                  (relabelled UTF-8), Content-Transfer-Encoding (may
                  become quoted-printable) and, on the message itself,
                  MIME-Version (may be added); its decoded text is the
                  original with the disclaimer inserted exactly where
                  intended (text/plain: appended after a line end;
                  text/html: just before the last </body>, else
                  appended); the disclaimer occurs exactly once more in
                  each target and no more in any other part; a line diff
                  of input and output changes nothing outside the
                  targets' lines; the line-end style is kept.

Prints "PASS: disclaimer NAME" or "FAIL: disclaimer NAME: why" per case
and exits 1 if any failed.  TARGETS "?" (for generated cases) means the
text parts whose decoded bytes changed, of which there must be some.
"""

import argparse
import collections
import difflib
import html
import os
import re
import sys
from email import policy
from email.parser import BytesParser

CHANGEABLE = ("content-type", "content-transfer-encoding")


class Fail(Exception):
    pass


def check(cond, why):
    if not cond:
        raise Fail(why)


def parse(data):
    return BytesParser(policy=policy.compat32).parsebytes(data)


def norm(s):
    """Collapse white space (and quote markers at line starts)."""
    s = re.sub(r"(?m)^[ \t>]+", "", s.replace("\r\n", "\n"))
    return " ".join(s.replace("\u00a0", " ").split())


BLOCK = re.compile(r"(?i)</?(p|br|div|li|tr|td|th|h[1-6]|blockquote|hr|"
                   r"table|ul|ol|pre|dd|dt|dl)\b")
TOKEN = re.compile(r"(?is)<!--.*?(-->|\Z)|<(script|style|title)\b.*?"
                   r"(</\2[^>]*>|\Z)|<[a-z/!?][^>]*(>|\Z)")


def textof(h):
    """HTML as text: tags out (block tags as line ends), references in."""
    return html.unescape(TOKEN.sub(
        lambda m: "\n" if BLOCK.match(m.group(0)) else "", h))


def load_conf(confdir, spec):
    """(text, html, top) of a MANIFEST CONF: NAME[+top][+skip][@MAX]."""
    name = spec.split("@")[0]
    top = "+top" in name
    name = name.split("+")[0]
    conf = {}
    for kind in ("text", "html"):
        p = os.path.join(confdir, "%s.%s" % (name, kind))
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                conf[kind] = f.read()
    text = conf.get("text") or textof(conf.get("html", ""))
    htm = conf.get("html") or "<p>%s</p>" % html.escape(text).replace(
        "\n", "<br>\n")
    return norm(text), norm(textof(htm)), top


def walk(m, path=()):
    """(path, part) for the message and every part, message/* unopened."""
    yield path, m
    if m.is_multipart() and m.get_content_maintype() != "message":
        for i, sub in enumerate(m.get_payload()):
            yield from walk(sub, path + (i,))


def pstr(path):
    return ".".join(str(i) for i in path) or "."


def text(part):
    raw = part.get_payload(decode=True) or b""
    cs = part.get_content_charset() or "us-ascii"
    try:
        t = raw.decode(cs, "surrogateescape")
    except LookupError:
        t = raw.decode("ascii", "surrogateescape")
    except UnicodeDecodeError:      # CJK codecs: no surrogateescape
        t = raw.decode(cs, "replace")
    return t.replace("\r\n", "\n")


def raw_payload(part):
    # get_payload() would decode 8-bit text with replacement characters
    return part._payload.encode("ascii", "surrogateescape")


def defects(m):
    return sorted(type(d).__name__ for _, p in walk(m) for d in p.defects)


def count(part, disc):
    if part.is_multipart() or part.get_content_maintype() != "text":
        return 0
    sub = part.get_content_subtype()
    if sub == "plain":
        return norm(text(part)).count(disc[0])
    if sub == "html":
        return norm(textof(text(part))).count(disc[1])
    return 0


def check_headers(a, b, path):
    keep_a = [(k, v) for k, v in a.items() if k.lower() not in CHANGEABLE]
    keep_b = [(k, v) for k, v in b.items() if k.lower() not in CHANGEABLE]
    if path == ():
        if not any(k.lower() == "mime-version" for k, _ in keep_a):
            keep_b = [(k, v) for k, v in keep_b
                      if k.lower() != "mime-version"]
    check(keep_a == keep_b, "%s: header fields changed" % pstr(path))
    pa = [p for p in (a.get_params() or [])[1:]
          if p[0] and p[0].lower() != "charset"]
    pb = [p for p in (b.get_params() or [])[1:]
          if p[0] and p[0].lower() != "charset"]
    check(pa == pb, "%s: Content-Type parameters changed" % pstr(path))
    ca, cb = a.get_content_charset(), b.get_content_charset()
    check(ca == cb or cb == "utf-8", "%s: charset %s became %s"
          % (pstr(path), ca, cb))
    ea = (a.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    eb = (b.get("Content-Transfer-Encoding") or "7bit").strip().lower()
    check(ea == eb or eb == "quoted-printable", "%s: encoding %s became %s"
          % (pstr(path), ea, eb))


BODY_OPEN = re.compile(r"""(?i)<body(?=[ \t\r\n\f/>])("[^"]*"|'[^']*'|[^>])*>""")


def check_top(a, ta, tb, where, disc):
    """position top: text first with an empty line; HTML after <body>."""
    if a.get_content_subtype() == "html":
        m = BODY_OPEN.search(ta)
        p = m.end() if m else 0
    else:
        p = 1 if ta.startswith("\ufeff") else 0
    check(tb[:p] == ta[:p] and tb.endswith(ta[p:]),
          "%s: text outside the insertion point changed" % where)
    mid = tb[p:len(tb) - len(ta) + p]
    if a.get_content_subtype() == "html":
        check(norm(textof(mid)) == disc[1], "%s: inserted HTML is %r"
              % (where, mid[:200]))
        return
    check(ta[p:] == "" or mid.endswith("\n\n") or mid.endswith("\r\n\r\n"),
          "%s: no empty line after the disclaimer" % where)
    check(norm(mid) == disc[0], "%s: inserted text is %r" % (where,
                                                           mid[:200]))


def check_target(a, b, path, disc):
    check_headers(a, b, path)
    ta, tb = text(a), text(b)
    where = pstr(path)
    if len(disc) > 2 and disc[2]:
        return check_top(a, ta, tb, where, disc)
    if a.get_content_subtype() == "html":
        tags = list(re.finditer(r"(?i)</body[ \t\r\n\f/>]", ta))
        p = tags[-1].start() if tags else len(ta)
        check(tb[:p] == ta[:p] and tb.endswith(ta[p:]),
              "%s: HTML outside the insertion point changed" % where)
        mid = tb[p:len(tb) - len(ta) + p]
        check(norm(textof(mid)) == disc[1],
              "%s: inserted HTML is %r" % (where, mid[:200]))
        return
    check(tb.startswith(ta), "%s: original text is not kept" % where)
    rest = tb[len(ta):]
    check(ta == "" or rest.startswith("\n") or ta.endswith("\n"),
          "%s: disclaimer not on a line of its own" % where)
    check(norm(rest) == disc[0], "%s: appended text is %r" % (where,
                                                             rest[:200]))


def same_message(a, b):
    """Two parsed entities alike all the way down (raw, not re-serialised)."""
    if a.items() != b.items() or a.is_multipart() != b.is_multipart():
        return False
    if not a.is_multipart():
        return a._payload == b._payload
    if (a.preamble, a.epilogue) != (b.preamble, b.epilogue):
        return False
    pa, pb = a.get_payload(), b.get_payload()
    return len(pa) == len(pb) and all(same_message(x, y)
                                      for x, y in zip(pa, pb))


def check_same_leaf(a, b, path):
    where = pstr(path)
    check(a.items() == b.items(), "%s: header fields changed" % where)
    if a.get_content_maintype() == "message" and a.is_multipart():
        check(same_message(a, b), "%s: message changed" % where)
        return
    check(raw_payload(a) == raw_payload(b), "%s: raw payload changed" % where)
    check(a.get_payload(decode=True) == b.get_payload(decode=True),
          "%s: decoded payload changed" % where)


def check_tree(a, b, targets, disc):
    pa, pb = list(walk(a)), list(walk(b))
    check([p for p, _ in pa] == [p for p, _ in pb], "part trees differ")
    seen = set()
    for (path, x), (_, y) in zip(pa, pb):
        where = pstr(path)
        check(x.get_content_type() == y.get_content_type(),
              "%s: type %s became %s" % (where, x.get_content_type(),
                                          y.get_content_type()))
        if x.is_multipart() and x.get_content_maintype() == "multipart":
            check(x.items() == y.items() or path in targets,
                  "%s: header fields changed" % where)
            check(x.get_boundary() == y.get_boundary(), "%s: boundary" % where)
            check(x.preamble == y.preamble, "%s: preamble changed" % where)
            check(x.epilogue == y.epilogue, "%s: epilogue changed" % where)
        elif where in targets:
            check_target(x, y, path, disc)
            seen.add(where)
        else:
            check_same_leaf(x, y, path)
        want = count(x, disc) + (1 if where in targets else 0)
        check(count(y, disc) == want, "%s: disclaimer %d times, want %d"
              % (where, count(y, disc), want))
    check(seen == set(targets), "targets not found: %s"
          % sorted(set(targets) - seen))


def locate(inp, parts, path):
    """Where a part lies in the input: its parent's delimiter lines."""
    if path == ():
        return 0, len(inp)
    ps, pe = locate(inp, parts, path[:-1])
    b = re.escape(parts[path[:-1]].get_boundary().encode("ascii",
                                                          "surrogateescape"))
    delims = [m for m in re.finditer(rb"(?m)^--" + b + rb"(--)?[ \t]*\r?$",
                                     inp[ps:pe])]
    check(len(delims) > path[-1] + 1, "%s: delimiters not found" % pstr(path))
    return (ps + delims[path[-1]].end() + 1,
            ps + delims[path[-1] + 1].start())


def regions(inp, m, targets):
    """Input byte ranges each target may change (header block to end)."""
    parts = dict(walk(m))
    byname = dict((pstr(p), p) for p in parts)
    return [locate(inp, parts, byname[t]) for t in targets]


def check_bytes(inp, out, m, targets):
    spans = regions(inp, m, targets)
    a, b = inp.splitlines(True), out.splitlines(True)
    starts, off = [], 0
    for line in a:
        starts.append(off)
        off += len(line)
    starts.append(off)

    def line_of(pos):
        lo, hi = 0, len(a)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo
    lines = [(line_of(s), line_of(max(s, e - 1))) for s, e in spans]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, _, _ in sm.get_opcodes():
        if tag == "equal":
            continue
        check(any(lo <= i1 and i2 <= hi + 1 for lo, hi in lines),
              "input lines %d-%d changed outside the text parts" % (i1 + 1,
                                                                    i2))
    if b"\n" in inp and b"\r" not in inp:
        check(b"\r" not in out, "CR added to an LF message")
    if inp.count(b"\n") == inp.count(b"\r\n"):
        check(out.count(b"\n") == out.count(b"\r\n"),
              "bare LF added to a CRLF message")


WRAP_CHANGED = ("content-type", "content-transfer-encoding", "mime-version",
                "content-disposition")


def check_wrapped(inp, out, disc):
    """fallback wrap: the disclaimer first, then the input byte for byte
    as message/rfc822, in a new multipart/mixed; other fields kept."""
    b = parse(out)
    check(b.get_content_type() == "multipart/mixed", "not multipart/mixed")
    check(not defects(b), "parse defects: %s" % sorted(defects(b)))
    parts = b.get_payload()
    check(len(parts) == 2, "%d parts, want 2" % len(parts))
    alt, fwd = parts
    check(alt.get_content_type() == "multipart/alternative" and
          [p.get_content_type() for p in alt.get_payload()] ==
          ["text/plain", "text/html"], "first part is not the disclaimer")
    check(norm(text(alt.get_payload()[0])) == disc[0], "plain disclaimer")
    check(norm(textof(text(alt.get_payload()[1]))) == disc[1],
          "HTML disclaimer")
    check(fwd.get_content_type() == "message/rfc822", "no message/rfc822")
    bnd = re.escape(b.get_boundary().encode("ascii"))
    delims = list(re.finditer(rb"\n--" + bnd + rb"\r?\n", out))
    check(len(delims) == 2, "%d delimiters, want 2" % len(delims))
    m = re.compile(rb"(.*?\r?\n)\r?\n", re.S).match(out, delims[1].end())
    check(m is not None, "message/rfc822 part not found")
    start = m.end()
    end = re.search(rb"\r?\n--" + bnd + rb"--", out[start:])
    check(end is not None, "no close delimiter")
    inner = out[start:start + end.start()]
    eol = b"\r\n" if inp.count(b"\r\n") == inp.count(b"\n") else b"\n"
    check(inner == inp or (not inp.endswith(b"\n") and inner == inp + eol) or
          inner + eol == inp, "the wrapped message is not the input byte "
          "for byte")
    if inp.count(b"\n") == inp.count(b"\r\n"):
        check(out.count(b"\n") == out.count(b"\r\n"),
              "bare LF added to a CRLF message")
    if b"\n" in inp and b"\r" not in inp:
        check(b"\r" not in out, "CR added to an LF message")
    a = parse(inp)
    ka = [(k, v) for k, v in a.items() if k.lower() not in WRAP_CHANGED]
    kb = [(k, v) for k, v in b.items() if k.lower() not in WRAP_CHANGED]
    check(ka == kb, "outer header fields changed")


def verify(data, confdir, outdir, ext, name, conf, result, targets):
    with open(os.path.join(data, name + ".eml"), "rb") as f:
        inp = f.read()
    p = os.path.join(outdir, name + ext)
    if not os.path.exists(p) and result != "added":
        out = inp
    else:
        with open(p, "rb") as f:
            out = f.read()
    if result == "wrapped":
        return check_wrapped(inp, out, load_conf(confdir, conf))
    if result != "added":
        check(out == inp, "output differs from the input")
        return
    a, b = parse(inp), parse(out)
    if targets == "?":      # infer: the text parts whose bytes changed
        pb = dict(walk(b))
        tl = [pstr(p) for p, x in walk(a) if not x.is_multipart() and
              x.get_content_maintype() == "text" and p in pb and
              x.get_payload(decode=True) != pb[p].get_payload(decode=True)]
        check(tl, "no text part changed")
    else:
        tl = [] if targets == "-" else targets.split(",")
    new = collections.Counter(defects(b)) - collections.Counter(defects(a))
    check(not new, "new parse defects: %s" % sorted(new))
    disc = load_conf(confdir, conf)
    check_tree(a, b, tl, disc)
    check_bytes(inp, out, a, tl)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--conf", help="conf directory (default DATA/conf)")
    ap.add_argument("--ext", default=".out")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    failed = n = 0
    with open(os.path.join(args.data, "MANIFEST")) as man:
        for line in man:
            if line.startswith("#") or not line.strip():
                continue
            name, conf, result, targets = line.split()
            if args.cases and name not in args.cases:
                continue
            n += 1
            try:
                verify(args.data, args.conf or os.path.join(args.data, "conf"),
                       args.out, args.ext, name, conf, result, targets)
                print("PASS: disclaimer %s" % name)
            except Fail as e:
                failed += 1
                print("FAIL: disclaimer %s: %s" % (name, e))
            except Exception as e:      # a parser crash is a failure too
                failed += 1
                print("FAIL: disclaimer %s: %s: %s" % (name,
                                                     type(e).__name__, e))
    check_n = n > 0
    if not check_n:
        print("FAIL: disclaimer corpus: no cases")
    return 1 if failed or not check_n else 0


if __name__ == "__main__":
    sys.exit(main())
