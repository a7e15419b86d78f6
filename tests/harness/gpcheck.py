"""gpcheck - logs, sending, delivery and assertions of the harness.

A mixin for gpharness.Harness (which provides dir, faces, hooks, users
and path()): read and wait for log lines, send with swaks, wait for the
captured copies, and assertions that fail with the SMTP transcript and
the relevant log lines.
"""

import os
import re
import threading
import time
import uuid

import gpsmtp
from gpsys import HarnessError, require_loopback

# send() runs in several threads at once in load tests: each call needs
# its own sequence number (it names the message file in DIR/tmp), and
# each transcript must reach swaks.log in one piece
_SEND_LOCK = threading.Lock()


class Checks:
    """Logs, sending, delivery and assertions; see the module docstring."""

    # ------------------------------------------------------------ logs

    def log_path(self, source):
        """'maillog', a hook or helper name (policyd, milter, spamd,
        sink-internal, ...), or a path."""
        if source == "maillog":
            return self.maillog
        if source == "spamd" and self.spamd_log:
            return self.spamd_log
        if os.sep in source:
            return source
        return self.path("log", source + ".log")

    def mark(self):
        """Current sizes of every log: pass as since= to read only what
        was written afterwards."""
        m = {}
        for src in ["maillog"] + list(self.hooks) + ["spamd"]:
            try:
                m[src] = os.path.getsize(self.log_path(src))
            except OSError:
                m[src] = 0
        return m

    def lines(self, source="maillog", since=None):
        """Lines of a log, optionally only those after a mark()."""
        off = since.get(source, 0) if isinstance(since, dict) else since or 0
        try:
            with open(self.log_path(source), "rb") as f:
                f.seek(off)
                data = f.read()
        except OSError:
            return []
        return data.decode("utf-8", "replace").splitlines()

    def grep(self, regex, source="maillog", since=None):
        rx = re.compile(regex)
        return [ln for ln in self.lines(source, since) if rx.search(ln)]

    def wait_log(self, regex, source="maillog", since=None, timeout=10,
                 result=None):
        """Wait for a line matching regex; return it or fail with
        context."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.grep(regex, source, since)
            if found:
                return found[0]
            if time.monotonic() > deadline:
                self.fail("no line matching /%s/ in %s within %ss"
                          % (regex, source, timeout), result)
            time.sleep(0.1)

    def queue_ids(self, result):
        """Queue ids of a send: the "queued as" one, else those the face's
        smtpd logged ("ID: client=...") since the send started: a message
        rejected at END-OF-MESSAGE has an id, but swaks never saw it."""
        if result.queue_id:
            return [result.queue_id]
        f = self.face(result.face)
        rx = re.compile(r" %s/smtpd\[\d+\]: ([0-9A-Za-z]+): client="
                        % re.escape(f.syslog_name))
        ids = []
        for ln in self.lines("maillog", result.marks):
            m = rx.search(ln)
            if m and m.group(1) not in ids:
                ids.append(m.group(1))
        return ids

    def gatepost_lines(self, result=None, *, queue_id=None, rcpt=None,
                       since=None, sources=None):
        """gatepost's log lines for a message: "QUEUEID: ..." lines and
        "NOQUEUE: ... to=<rcpt>" lines, from the hook logs (policyd.log,
        milter.log).  With result, its queue id, recipients and mark are
        used."""
        rcpts = [rcpt] if rcpt else []
        qids = [queue_id] if queue_id else []
        if result is not None:
            qids = qids or self.queue_ids(result)
            rcpts = rcpts or list(result.rcpts)
            since = since if since is not None else result.marks
        pats = [re.compile(r"\b%s: " % re.escape(q)) for q in qids]
        if rcpts:
            pats += [re.compile(r"\bNOQUEUE: .*\bto=<%s>" % re.escape(r),
                                re.I) for r in rcpts]
        else:
            pats.append(re.compile(r"\bNOQUEUE: "))
        out = []
        for src in sources or list(self.hooks):
            for ln in self.lines(src, since):
                if any(p.search(ln) for p in pats):
                    out.append("%s: %s" % (src, ln))
        return out

    def maillog_lines(self, result=None, queue_id=None, since=None):
        """Maillog lines for a send: everything logged since it started
        (tests run one session at a time), plus the queue id's lines."""
        qids = [queue_id] if queue_id else []
        if result is not None:
            qids = qids or self.queue_ids(result)
            since = since if since is not None else result.marks
        lines = self.lines("maillog", since)
        if qids and since is not None:
            seen = set(lines)
            for q in qids:
                lines += [ln for ln in self.grep(r"\b%s: " % q)
                          if ln not in seen]
        return lines

    @staticmethod
    def _tail(path, n):
        try:
            with open(path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return "(no %s)" % path
        return "--- %s (last %d lines) ---\n%s" % (path, n,
                                                     "\n".join(lines[-n:]))

    # ------------------------------------------------------------ sending

    def send(self, face, *, sender="sender@example.org",
             rcpts=("rcpt@example.com",), auth=None, auth_type="PLAIN",
             tls=False, src=None, helo="client.example.net", subject=None,
             headers=None, body=None, data=None, quit_after=None,
             timeout=30, extra=()):
        """Send one message through a face with swaks; return SendResult.

        sender: envelope sender ("" for <>).  rcpts: address or list.
        auth: a login ("alice": password from users), (login, password),
        or None.  tls: STARTTLS first.  src: loopback source address
        (e.g. "127.0.0.9").  headers: [(name, value)] added to (or
        replacing) the generated ones.  data: the whole message (str or
        bytes, used as is instead of the generated one).  quit_after: a
        swaks stop point such as "EHLO" or "RCPT"."""
        f = self.face(face)
        if isinstance(rcpts, str):
            rcpts = [rcpts]
        if src is not None:
            require_loopback(src, "source address")
        if isinstance(auth, str):
            auth = (auth, self.password(auth))
        with _SEND_LOCK:
            self._seq += 1
            seq = self._seq
        token = "%s-%d" % (uuid.uuid4().hex[:12], seq)
        if data is None:
            data = gpsmtp.make_message(sender, rcpts,
                                       subject or "harness " + token,
                                       headers, body, token)
        else:
            token = ""
        if isinstance(data, str):
            data = data.encode("utf-8")
        # swaks sends the data, CRLF, then ".": drop one final line end so
        # the message arrives exactly as given.
        if data.endswith(b"\r\n"):
            data = data[:-2]
        elif data.endswith(b"\n"):
            data = data[:-1]
        data_file = self.path("tmp", "msg-%d.eml" % seq)
        with open(data_file, "wb") as fh:
            fh.write(data)
        marks = self.mark()
        r = gpsmtp.run_swaks(f.name, f.endpoint, sender=sender, rcpts=rcpts,
                             helo=helo, auth=auth, auth_type=auth_type,
                             tls=tls, src=src, data_file=data_file,
                             quit_after=quit_after, timeout=timeout,
                             extra=extra)
        r.token, r.marks = token, marks
        with _SEND_LOCK, open(self.path("log", "swaks.log"), "a") as fh:
            fh.write("=== %s %s -> %s\n%s\n" % (time.strftime("%T"), f.name,
                                                r.summary(), r.transcript))
        return r

    def ehlo(self, face, tls=False, src=None):
        """Connect, (STARTTLS,) EHLO, QUIT: the SendResult's .ehlo lists
        the keywords offered (after TLS when tls)."""
        return self.send(face, tls=tls, src=src, quit_after="EHLO")

    # ------------------------------------------------------------ delivery

    def captures(self, label=None):
        """Every complete capture so far (optionally of one sink)."""
        out = []
        for path, lab in gpsmtp.list_captures(self.path("capture")):
            if label is not None and lab != label:
                continue
            try:
                c = gpsmtp.parse_capture(path, lab)
            except OSError:
                continue
            if c is not None:
                out.append(c)
        return out

    _STATUS = re.compile(r"\b(?P<qid>[0-9A-Za-z]+): to=<(?P<rcpt>[^>]*)>,"
                         r"(?: orig_to=<[^>]*>,)? relay=(?P<relay>[^,]*),"
                         r".* dsn=(?P<dsn>[^,]*), status=(?P<status>\w+)"
                         r" (?P<text>.*)$")

    def delivery_status(self, queue_id):
        """{recipient: {"status", "relay", "dsn", "text"}} from the
        maillog, the last line per recipient."""
        out = {}
        for ln in self.grep(r"\b%s: to=<" % re.escape(queue_id)):
            m = self._STATUS.search(ln)
            if m and m.group("qid") == queue_id:
                out[m.group("rcpt")] = {k: m.group(k) for k in
                                        ("status", "relay", "dsn", "text")}
        return out

    def wait_delivery(self, queue_id, timeout=20, result=None):
        """Wait until Postfix is done with queue_id ("removed"), or every
        recipient has a status and one is deferred.  Returns
        (status dict, captures of that queue id)."""
        deadline = time.monotonic() + timeout
        rx_nrcpt = re.compile(r"\b%s: from=<.*nrcpt=(\d+)" % queue_id)
        while True:
            removed = self.grep(r"\b%s: removed" % queue_id)
            st = self.delivery_status(queue_id)
            n = [int(m.group(1)) for m in map(rx_nrcpt.search,
                                              self.lines()) if m]
            if removed or (n and len(st) >= n[-1] and any(
                    v["status"] == "deferred" for v in st.values())):
                break
            if time.monotonic() > deadline:
                self.fail("queue id %s not delivered within %ss (status: "
                          "%s)" % (queue_id, timeout, st or "none"), result,
                          queue_id=queue_id)
            time.sleep(0.1)
        caps = [c for c in self.captures() if c.queue_id == queue_id]
        return st, caps

    # ------------------------------------------------------------ asserts

    def context(self, result=None, queue_id=None, since=None):
        """Text for a failure: transcript, maillog and gatepost lines."""
        parts = []
        if result is not None:
            parts.append("--- SMTP session via %s: %s (swaks exit %s) ---\n"
                         "%s" % (result.face, result.summary(),
                                 result.exit_code,
                                 result.transcript.rstrip()))
        lines = self.maillog_lines(result, queue_id, since)
        if result is None and since is None and queue_id is None:
            lines = lines[-40:]
        parts.append("--- maillog (%d lines) ---\n%s"
                     % (len(lines), "\n".join(lines[-80:])))
        for src in self.hooks:
            hl = self.lines(src, result.marks if result else since)
            if hl:
                parts.append("--- %s.log since the send ---\n%s"
                             % (src, "\n".join(hl[-40:])))
        return "\n".join(parts)

    def fail(self, msg, result=None, queue_id=None, since=None):
        """Raise HarnessError(msg + context); marks the run failed."""
        self.failed = True
        raise HarnessError(msg + "\n" + self.context(result, queue_id, since))

    def expect(self, result, stage=None, code=None, enhanced=None,
               text=None):
        """Assert the result's stage, code, enhanced code, text regex."""
        bad = []
        if stage is not None and result.stage != stage:
            bad.append("stage %s, want %s" % (result.stage, stage))
        if code is not None and result.code != code:
            bad.append("code %s, want %s" % (result.code, code))
        if enhanced is not None and result.enhanced != enhanced:
            bad.append("enhanced %r, want %r" % (result.enhanced, enhanced))
        if text is not None and not re.search(text, result.text or ""):
            bad.append("text %r does not match /%s/" % (result.text, text))
        if bad:
            self.fail("SMTP result: " + "; ".join(bad), result)
        return result

    def expect_queued(self, result):
        """Assert the message was accepted (for at least one recipient:
        "queued as" after the data); return its queue id."""
        if not result.queue_id:
            self.fail("message not queued: " + result.summary(), result)
        return result.queue_id

    def expect_rejected(self, result, stage, code, enhanced=None, text=None):
        """Assert the session failed at stage with code (e.g. "RCPT",
        550, "5.7.1")."""
        return self.expect(result, stage, code, enhanced, text)

    def expect_delivered(self, result, rcpts=None, label=None, timeout=20):
        """Assert the message was queued and delivered to the sinks, every
        recipient (default: those whose RCPT got 2xx) with status=sent and
        captured (in sink label, if given).  Returns the captures."""
        qid = self.expect_queued(result)
        if rcpts is None:
            rcpts = [r.arg for r in result.rcpt_replies if r.code < 400] \
                or result.rcpts
        want = list(rcpts)
        st, caps = self.wait_delivery(qid, timeout, result)
        if label is not None:
            caps = [c for c in caps if c.label == label]
        got = {r.lower() for c in caps for r in c.rcpts}
        bad = [r for r in want if st.get(r, {}).get("status") != "sent" or
               r.lower() not in got]
        if bad:
            self.fail("not delivered%s: %s (status %s; captured %s)"
                      % (" to sink " + label if label else "", bad, st,
                         sorted(got)), result)
        return caps

    def expect_gatepost(self, result, regex, timeout=5):
        """Wait for gatepost's log line for this message (its queue id or
        NOQUEUE + recipient) matching regex; return it."""
        rx = re.compile(regex)
        deadline = time.monotonic() + timeout
        while True:
            for ln in self.gatepost_lines(result):
                if rx.search(ln):
                    return ln
            if time.monotonic() > deadline:
                self.fail("no gatepost log line matching /%s/ for %s"
                          % (regex, result.queue_id or "NOQUEUE"), result)
            time.sleep(0.1)
