"""gpsmtp - send mail with swaks and read what the smtp-sink captured.

Part of gatepost's test harness (see tests/README.md).  No state, no
processes left behind: everything here either runs swaks to completion or
parses text.

    SendResult  what swaks saw: stage and code of the first failing reply
                (or "done"), queue id, EHLO keywords, the whole transcript
    run_swaks() build the command line, run it, parse the transcript
    Capture     one message as smtp-sink dumped it, with its envelope
    parse_capture(path, label)
"""

import dataclasses
import email
import email.policy
import email.utils
import os
import re
import subprocess
import time

SWAKS = "/usr/bin/swaks"

# swaks exit status -> the stage it failed in, when no SMTP reply says so
# (connection refused, AUTH or STARTTLS not advertised, ...).  swaks(1).
EXIT_STAGE = {
    2: "CONNECT", 6: "CONNECT", 21: "CONNECT", 22: "EHLO", 23: "MAIL",
    24: "RCPT", 25: "DATA", 26: "DATA-END", 28: "AUTH", 29: "STARTTLS",
    32: "EHLO",
}

_LINE = re.compile(r"^(?P<dir> ->| ~>|<- |<~ |<\*\*|<~\*) (?P<rest>.*)$")
_REPLY = re.compile(r"^(?P<code>\d{3})(?P<sep>[ -]?)(?P<text>.*)$")
_ENH = re.compile(r"^([245]\.\d{1,3}\.\d{1,3})\b")
_QUEUED = re.compile(r"Ok: queued as ([0-9A-Za-z]+)")
_ADDR = re.compile(r"<([^>]*)>")
_RCVD_ID = re.compile(r"\(Postfix\)\s+with\s+\S+\s+id\s+([0-9A-Za-z]+)")

VERBS = {"EHLO", "HELO", "LHLO", "STARTTLS", "AUTH", "MAIL", "RCPT",
         "DATA", "QUIT", "RSET", "NOOP", "VRFY", "XCLIENT", "BDAT"}


@dataclasses.dataclass
class Reply:
    """One complete SMTP reply and the stage it answered."""
    stage: str          # CONNECT, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA,
    #                     DATA-END (the reply to the final "."), QUIT, ...
    code: int
    enhanced: str       # "5.7.1" or ""
    text: str           # all lines joined with "\n", codes stripped
    arg: str = ""       # for RCPT: the recipient address


@dataclasses.dataclass
class SendResult:
    """What happened to one swaks session.

    stage/code/enhanced/text: the first reply with code >= 400 (not
    counting QUIT), or stage "done" and the last reply when none failed.
    When swaks gave up without a failing reply (AUTH or STARTTLS not
    advertised, connection refused) code is None, stage comes from swaks'
    exit status and text is swaks' own "***" message.
    """
    face: str
    argv: list
    transcript: str
    exit_code: int
    stage: str = "unknown"
    code: int = None
    enhanced: str = ""
    text: str = ""
    queue_id: str = None      # from "250 2.0.0 Ok: queued as ID"
    replies: list = dataclasses.field(default_factory=list)
    rcpt_replies: list = dataclasses.field(default_factory=list)
    ehlo: list = dataclasses.field(default_factory=list)   # last EHLO
    ehlo_first: list = dataclasses.field(default_factory=list)
    tls: bool = False         # STARTTLS succeeded
    authenticated: bool = False   # AUTH got 235
    sender: str = ""
    rcpts: list = dataclasses.field(default_factory=list)
    token: str = ""           # X-Harness-Token of the generated message
    marks: dict = dataclasses.field(default_factory=dict)  # log offsets
    src: str = None           # local address swaks bound to
    elapsed: float = 0.0

    @property
    def ok(self):
        """True when no reply failed (the message, if any, was queued)."""
        return self.stage == "done"

    @property
    def offers_auth(self):
        """True when the last EHLO reply listed AUTH."""
        return any(k.upper().startswith("AUTH") for k in self.ehlo)

    @property
    def offers_starttls(self):
        return any(k.upper() == "STARTTLS" for k in self.ehlo)

    def summary(self):
        code = "-" if self.code is None else str(self.code)
        s = "stage=%s code=%s" % (self.stage, code)
        if self.enhanced:
            s += " " + self.enhanced
        if self.queue_id:
            s += " queue_id=" + self.queue_id
        if self.text:
            s += " text=%r" % self.text.split("\n")[0][:160]
        return s


def parse_transcript(res):
    """Fill res (a SendResult with transcript and exit_code) from swaks'
    transcript: replies, stage/code of the first failure, queue id, EHLO
    keywords, TLS and AUTH outcome."""
    stage = "CONNECT"
    in_data = False
    last_code = None
    cur_arg = ""
    pending = []            # lines of a multi-line reply in progress
    ehlos = []
    errors = []
    for line in res.transcript.splitlines():
        if line.startswith("*** "):
            errors.append(line[4:].strip())
            continue
        if line.startswith("=== TLS started"):
            res.tls = True
            continue
        m = _LINE.match(line)
        if m is None:
            continue
        d, rest = m.group("dir"), m.group("rest")
        if d in (" ->", " ~>"):
            if in_data:
                if rest == ".":
                    in_data = False
                    stage = "DATA-END"
                continue
            if stage == "AUTH" and last_code == 334:
                continue            # AUTH LOGIN/PLAIN continuation line
            verb = rest.split(" ", 1)[0].split(":", 1)[0].upper()
            stage = verb if verb in VERBS else verb or "?"
            cur_arg = ""
            if stage in ("RCPT", "MAIL"):
                a = _ADDR.search(rest)
                cur_arg = a.group(1) if a else rest
            continue
        r = _REPLY.match(rest.strip())
        if r is None:
            continue
        pending.append(r)
        if r.group("sep") == "-":
            continue
        code = int(pending[0].group("code"))
        text = "\n".join(p.group("text").strip() for p in pending)
        lines = [p.group("text").strip() for p in pending]
        pending = []
        e = _ENH.match(text)
        rep = Reply(stage, code, e.group(1) if e else "", text, cur_arg)
        res.replies.append(rep)
        last_code = code
        if stage in ("EHLO", "HELO", "LHLO"):
            ehlos.append(lines[1:] if stage == "EHLO" else [])
        if stage == "RCPT":
            res.rcpt_replies.append(rep)
        if stage == "DATA" and code == 354:
            in_data = True
        if stage == "AUTH" and code == 235:
            res.authenticated = True
        if stage == "DATA-END" and code == 250:
            q = _QUEUED.search(text)
            if q:
                res.queue_id = q.group(1)
        if code >= 400 and stage != "QUIT" and res.code is None:
            res.stage, res.code, res.enhanced = stage, code, rep.enhanced
            res.text = text
    if ehlos:
        res.ehlo, res.ehlo_first = ehlos[-1], ehlos[0]
    if res.code is None:
        if res.exit_code == 0:
            res.stage = "done"
            last = [r for r in res.replies if r.stage != "QUIT"]
            if last:
                res.code, res.enhanced = last[-1].code, last[-1].enhanced
                res.text = last[-1].text
        else:
            res.stage = EXIT_STAGE.get(res.exit_code, "unknown")
            res.text = errors[-1] if errors else \
                "swaks exited %d" % res.exit_code
    return res


def make_message(sender, rcpts, subject, headers, body, token):
    """A small RFC 5322 message, CRLF line ends, with X-Harness-Token."""
    hdrs = [
        ("Date", email.utils.formatdate(localtime=True)),
        ("From", sender or "MAILER-DAEMON@harness.invalid"),
        ("To", ", ".join(rcpts)),
        ("Subject", subject),
        ("Message-ID", "<%s@harness.gatepost.test>" % token),
        ("X-Harness-Token", token),
    ]
    names = {k.lower() for k, _ in (headers or [])}
    hdrs = [(k, v) for k, v in hdrs if k.lower() not in names]
    hdrs += list(headers or [])
    text = "".join("%s: %s\r\n" % (k, v) for k, v in hdrs) + "\r\n"
    body = body if body is not None else "Harness test message %s.\n" % token
    text += body.replace("\r\n", "\n").replace("\n", "\r\n")
    if not text.endswith("\r\n"):
        text += "\r\n"
    return text


def run_swaks(face, server, *, sender, rcpts, helo, auth=None,
              auth_type="PLAIN", tls=False, src=None, data_file=None,
              quit_after=None, timeout=30, extra=()):
    """Run swaks once and return a parsed SendResult (marks unset).

    auth: (login, password) or None.  src: local address to bind.
    data_file: path of the whole message (swaks --data); None lets swaks
    make its own.  quit_after: a swaks stop point (EHLO, RCPT, ...)."""
    argv = [SWAKS, "--server", server, "--helo", helo,
            "--timeout", str(timeout)]
    argv += ["--from", sender if sender else "<>"]
    argv += ["--to", ",".join(rcpts)]
    if tls:
        argv.append("--tls")
    if auth is not None:
        argv += ["--auth", auth_type, "--auth-user", auth[0],
                 "--auth-password", auth[1]]
    if src:
        argv += ["--local-interface", src]
    if data_file:
        argv += ["--data", "@" + data_file]
    if quit_after:
        argv += ["--quit-after", quit_after]
    argv += list(extra)
    t0 = time.monotonic()
    try:
        p = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout * 4 + 10)
        out, rc = p.stdout.decode("utf-8", "replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        out += "\n*** harness: swaks did not finish in %ds\n" % e.timeout
        rc = -1
    res = SendResult(face=face, argv=argv, transcript=out, exit_code=rc,
                     sender=sender, rcpts=list(rcpts), src=src,
                     elapsed=time.monotonic() - t0)
    return parse_transcript(res)


@dataclasses.dataclass
class Capture:
    """One message delivered to a sink, as smtp-sink -d dumped it.

    The envelope comes from smtp-sink's own records (X-Mail-Args,
    X-Rcpt-Args); message is the content Postfix delivered, parsed."""
    label: str              # which sink: "internal", "external", ...
    path: str
    client_addr: str        # the delivering Postfix smtp client
    helo: str
    mail_from: str          # envelope sender, "" for <>
    rcpts: list             # envelope recipients, in RCPT order
    mail_args: str          # raw MAIL FROM arguments (SIZE=, BODY=, ...)
    rcpt_args: list         # raw RCPT TO arguments (ORCPT=, NOTIFY=, ...)
    raw: bytes              # the message as delivered (LF line ends)
    message: email.message.Message
    queue_id: str           # the harness Postfix's id (its Received line)
    token: str              # X-Harness-Token, if any

    def header(self, name):
        """All values of header name (case-insensitive), in order."""
        return [str(v) for v in self.message.get_all(name, [])]

    def body(self):
        """The body as text (the message's first text part if MIME)."""
        m = self.message
        if m.is_multipart():
            for part in m.walk():
                if part.get_content_maintype() == "text":
                    m = part
                    break
        payload = m.get_payload(decode=True)
        if payload is None:
            return str(m.get_payload())
        cs = m.get_content_charset() or "utf-8"
        return payload.decode(cs, "replace")


def parse_capture(path, label):
    """Parse one smtp-sink -d dump file, or None if it is incomplete."""
    with open(path, "rb") as f:
        data = f.read()
    head = {"X-Client-Addr": "", "X-Helo-Args": "", "X-Mail-Args": ""}
    rcpt_args = []
    lines = data.split(b"\n")
    i = 0
    while i < len(lines):
        line = lines[i].decode("utf-8", "replace")
        i += 1
        if line.startswith("Received: ") and "(smtp-sink)" in \
                lines[i].decode("utf-8", "replace"):
            i += 2          # "\tby HOST (smtp-sink) ...;" and "\tDATE"
            break
        name, _, value = line.partition(": ")
        if name == "X-Rcpt-Args":
            rcpt_args.append(value)
        elif name in head:
            head[name] = value
    else:
        return None         # still before DATA: an incomplete capture
    raw = b"\n".join(lines[i:])
    if raw.endswith(b"\n\n"):
        raw = raw[:-1]      # smtp-sink ends each dump with an empty line
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    qid = ""
    for rcvd in msg.get_all("Received", []):
        m = _RCVD_ID.search(" ".join(str(rcvd).split()))
        if m:
            qid = m.group(1)
            break

    def addr(args):
        m = _ADDR.match(args.strip())
        return m.group(1) if m else args.split(" ", 1)[0]
    return Capture(label=label, path=path, client_addr=head["X-Client-Addr"],
                   helo=head["X-Helo-Args"],
                   mail_from=addr(head["X-Mail-Args"]),
                   rcpts=[addr(a) for a in rcpt_args],
                   mail_args=head["X-Mail-Args"], rcpt_args=rcpt_args,
                   raw=raw, message=msg, queue_id=qid,
                   token=str(msg.get("X-Harness-Token", "")).strip())


def list_captures(capture_dir):
    """All capture files under capture_dir/LABEL/, oldest first."""
    found = []
    if not os.path.isdir(capture_dir):
        return found
    for label in sorted(os.listdir(capture_dir)):
        d = os.path.join(capture_dir, label)
        if not os.path.isdir(d):
            continue
        for name in os.listdir(d):
            p = os.path.join(d, name)
            try:
                found.append((os.stat(p).st_mtime_ns, p, label))
            except FileNotFoundError:
                continue        # aborted transaction: smtp-sink unlinked it
    found.sort()
    return [(p, label) for _, p, label in found]
