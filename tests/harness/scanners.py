"""scanners - private spamd, rspamd and clamd instances, and a stub scanner.

Part of gatepost's test harness.  Each scanner runs from Debian's own
binaries with a private configuration under a temporary directory,
listens on loopback (and a unix socket in that directory) only, makes no
network or DNS traffic, and is started and stopped by its recorded pid
(its children too, by pid).  Nothing is downloaded: clamd gets a
signature database the harness writes, rspamd a local config without
remote maps, spamd runs with -L and the packaged rules.

    with Spamd() as sa, Clamd() as av:
        sa.tcp        "127.0.0.1:PORT"   (what a config's "server" says)
        sa.unix       "unix:/tmp/.../spamd.sock"
        sa.ready_s    seconds from exec to the first PONG

    Rspamd()          GTUBE -> action reject; RSPAMD_PHRASE scores 7.5
    Stub(mode)        accepts and then: "silent" (reads, never answers),
                      "noread", "garbage", "close", "answer" (a clean
                      spamd reply), "slow" (the same after delay s)

Test content: GTUBE (SpamAssassin and rspamd), SPAMD_PHRASE (a local
spamd rule scoring 6.0), CLAMD_PATTERN (a local clamd signature named
CLAMD_NAME).  Running this file with "times" prints each scanner's
start-up time; with "stub MODE HOST:PORT" it is the stub's server.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from gpsys import proc_children

GTUBE = ("XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL"
         "*C.34X")
SPAMD_PHRASE = "gatepost-spamd-test-phrase"
RSPAMD_PHRASE = "gatepost-rspamd-test-phrase"
CLAMD_PATTERN = "GATEPOST-CLAMAV-TEST-PATTERN-4f1c9e2a"
CLAMD_NAME = "Gatepost.Test.Pattern.UNOFFICIAL"   # clamd adds .UNOFFICIAL

SPAMD = "/usr/sbin/spamd"
RSPAMD = "/usr/bin/rspamd"
CLAMD = "/usr/sbin/clamd"


class ScannerSkip(Exception):
    """The scanner's Debian package is not installed here."""


def free_port():
    """A loopback TCP port nobody listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        for c in proc_children(todo.pop()):
            out.append(c)
            todo.append(c)
    return out


def message(body, subject="test", extra=""):
    """A small RFC 5322 message with CRLF line ends, as bytes."""
    text = ("From: Alice <alice@example.org>\r\nTo: bob@example.com\r\n"
            "Subject: %s\r\nDate: Thu, 27 Nov 2025 10:00:00 +0000\r\n"
            "Message-ID: <%s@example.org>\r\n%s\r\n%s\r\n"
            % (subject, abs(hash(body)) % 10 ** 12, extra, body))
    return text.encode()


class Scanner:
    """One private daemon: start() waits until it answers, stop() ends
    it and every process it forked, by pid."""

    name = "?"
    binary = "?"
    package = "?"

    def __init__(self, timeout=120):
        if not os.access(self.binary, os.X_OK):
            raise ScannerSkip("%s is not installed (Debian package '%s')"
                              % (self.binary, self.package))
        self.timeout = timeout
        self.dir = tempfile.mkdtemp(prefix="gp-%s." % self.name)
        os.chmod(self.dir, 0o755)
        self.port = free_port()
        self.tcp = "127.0.0.1:%d" % self.port
        self.sock = os.path.join(self.dir, self.name + ".sock")
        self.unix = "unix:" + self.sock
        self.proc = None
        self.ready_s = None
        self.log = os.path.join(self.dir, self.name + ".log")

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def argv(self):
        raise NotImplementedError

    def ping(self):
        raise NotImplementedError

    def start(self):
        t0 = time.monotonic()
        out = open(os.path.join(self.dir, "stdout"), "ab")
        self.proc = subprocess.Popen(self.argv(), stdin=subprocess.DEVNULL,
                                     stdout=out, stderr=out, cwd=self.dir)
        out.close()
        while time.monotonic() - t0 < self.timeout:
            if self.proc.poll() is not None:
                raise RuntimeError("%s exited %s at start:\n%s"
                                   % (self.name, self.proc.returncode,
                                      self.tail()))
            try:
                if self.ping():
                    self.ready_s = time.monotonic() - t0
                    return self
            except OSError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("%s not ready after %ds:\n%s"
                           % (self.name, self.timeout, self.tail()))

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=15):
        """SIGTERM the daemon, SIGKILL it after timeout, then any child
        it left behind; all by pid."""
        if self.proc is None:
            return
        kids = descendants(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        deadline = time.monotonic() + timeout
        for pid in kids:
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)
            else:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.proc = None

    def tail(self, n=30):
        text = ""
        for p in (self.log, os.path.join(self.dir, "stdout")):
            try:
                with open(p, errors="replace") as f:
                    text += "".join(f.readlines()[-n:])
            except OSError:
                pass
        return text


def _exchange(addr, data, timeout=3, want=None):
    """Send data, read until EOF (or until `want` is seen)."""
    if addr.startswith("unix:"):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(timeout)
        s.connect(addr[5:])
    else:
        host, port = addr.rsplit(":", 1)
        s = socket.create_connection((host, int(port)), timeout=timeout)
    with s:
        s.sendall(data)
        got = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
            if want is not None and want in got:
                break
    return got


class Spamd(Scanner):
    """SpamAssassin spamd -L with the packaged rules and one local rule
    (SPAMD_PHRASE, 6.0); no Bayes, no auto-whitelist, no user configs."""

    name = "spamd"
    binary = SPAMD
    package = "spamd"

    def argv(self):
        site = os.path.join(self.dir, "site")
        home = os.path.join(self.dir, "home")
        os.makedirs(site, exist_ok=True)
        os.makedirs(home, exist_ok=True)
        with open(os.path.join(site, "local.cf"), "w") as f:
            f.write("use_bayes 0\nbayes_auto_learn 0\nskip_rbl_checks 1\n"
                    "use_razor2 0\nuse_pyzor 0\ndns_available no\n"
                    "body GATEPOST_TEST /%s/\nscore GATEPOST_TEST 6.0\n"
                    % SPAMD_PHRASE)
        for fn in os.listdir("/etc/spamassassin"):
            if fn.endswith(".pre"):     # the plugin loaders
                shutil.copy(os.path.join("/etc/spamassassin", fn), site)
        os.chmod(site, 0o755)
        argv = [self.binary, "-L", "--nouser-config",
                "--listen=" + self.tcp, "--listen=" + self.sock,
                "--allowed-ips=127.0.0.1", "--siteconfigpath=" + site,
                "--helper-home-dir=" + home, "--max-children=2",
                "--min-children=1", "--syslog=" + self.log]
        if os.geteuid() == 0:
            shutil.chown(home, "nobody")
            argv += ["--username=nobody", "--socketowner=nobody",
                     "--socketmode=0666"]
        return argv

    def ping(self):
        return b"PONG" in _exchange(self.tcp, b"PING SPAMC/1.5\r\n\r\n")


class Rspamd(Scanner):
    """rspamd with a private top-level config: no modules that reach the
    network (no DNS lists, fuzzy, remote maps), a local TLD list (the
    packaged one takes ~16 s to compile), one local Lua rule
    (RSPAMD_PHRASE, 7.5) and the stock GTUBE handling (action reject)."""

    name = "rspamd"
    binary = RSPAMD
    package = "rspamd"

    def argv(self):
        d = self.dir
        with open(os.path.join(d, "tld.dat"), "w") as f:
            f.write("com\nnet\norg\n")
        with open(os.path.join(d, "local.lua"), "w") as f:
            f.write("""rspamd_config:register_symbol({
  name = 'GATEPOST_TEST', score = 7.5,
  callback = function(task)
    for _, p in ipairs(task:get_text_parts() or {}) do
      local c = p:get_content()
      if c and tostring(c):find('%s', 1, true) then return true end
    end
    return false
  end
})
""" % RSPAMD_PHRASE)
        with open(os.path.join(d, "rspamd.conf"), "w") as f:
            f.write("""options {
  pidfile = "%(d)s/rspamd.pid";
  filters = "";
  dynamic_conf = "%(d)s/dynamic";
  history_file = "%(d)s/history";
  cache_file = "%(d)s/symbols.cache";
  control_socket = "%(d)s/control.sock mode=0600";
  hs_cache_dir = "%(d)s/";
  stats_file = "%(d)s/stats.ucl";
  tempdir = "%(d)s";
  url_tld = "%(d)s/tld.dat";
  dns { nameserver = ["127.0.0.1:1"]; timeout = 0.2s; retransmits = 1; }
}
logging { type = "file"; filename = "%(log)s"; level = "info"; }
actions { reject = 15; add_header = 6; greylist = 4; }
lua = "%(d)s/local.lua";
worker "normal" {
  bind_socket = "%(tcp)s";
  bind_socket = "%(sock)s mode=0666";
  count = 1;
  task_timeout = 8s;
}
""" % {"d": d, "log": self.log, "tcp": self.tcp, "sock": self.sock})
        argv = [self.binary, "-f", "-c", os.path.join(d, "rspamd.conf")]
        if os.geteuid() == 0:
            for root, dirs, files in os.walk(d):
                for n in dirs + files:
                    shutil.chown(os.path.join(root, n), "_rspamd", "_rspamd")
            shutil.chown(d, "_rspamd", "_rspamd")
            argv += ["-u", "_rspamd", "-g", "_rspamd"]
        return argv

    def ping(self):
        return b"pong" in _exchange(self.tcp, b"GET /ping HTTP/1.0\r\n\r\n")


class Clamd(Scanner):
    """clamd with a database the harness writes: one signature,
    CLAMD_NAME, for CLAMD_PATTERN.  No freshclam, nothing downloaded.
    StreamMaxLength is stream_max (bytes)."""

    name = "clamd"
    binary = CLAMD
    package = "clamav-daemon"

    def __init__(self, timeout=120, stream_max=25 * 1024 * 1024):
        super().__init__(timeout)
        self.stream_max = stream_max

    def argv(self):
        db = os.path.join(self.dir, "db")
        os.makedirs(db, exist_ok=True)
        with open(os.path.join(db, "gatepost-test.ndb"), "w") as f:
            f.write("%s:0:*:%s\n" % (CLAMD_NAME.replace(".UNOFFICIAL", ""),
                                      CLAMD_PATTERN.encode().hex()))
        conf = os.path.join(self.dir, "clamd.conf")
        with open(conf, "w") as f:
            f.write("Foreground yes\nLocalSocket %s\nLocalSocketMode 666\n"
                    "TCPSocket %d\nTCPAddr 127.0.0.1\nDatabaseDirectory %s\n"
                    "LogFile %s\nStreamMaxLength %d\nMaxThreads 4\n"
                    "SelfCheck 0\nLogClean yes\n"
                    % (self.sock, self.port, db, self.log, self.stream_max))
        return [self.binary, "-c", conf]

    def ping(self):
        return _exchange(self.tcp, b"zPING\0", want=b"\0") == b"PONG\0"


class Stub(Scanner):
    """A scanner that accepts connections and then misbehaves (a python
    child process started and stopped by pid):
    silent   reads everything, never answers
    noread   never reads
    garbage  reads a little, answers junk, closes
    close    closes at once
    answer   reads a spamd request, answers "clean" (engine spamd), closes
    slow     the same, but answers only after delay seconds
    answer and slow serve each connection in a thread of its own.
    Connections accepted are counted in self.conns()."""

    name = "stub"
    binary = sys.executable

    def __init__(self, mode, timeout=10, delay=0.0):
        super().__init__(timeout)
        self.mode = mode
        self.delay = delay

    def argv(self):
        return [self.binary, os.path.abspath(__file__), "stub", self.mode,
                self.tcp, os.path.join(self.dir, "conns"), str(self.delay)]

    def ping(self):
        return os.path.exists(os.path.join(self.dir, "conns"))

    def conns(self):
        with open(os.path.join(self.dir, "conns")) as f:
            return len(f.read())


SPAMD_CLEAN = (b"SPAMD/1.1 0 EX_OK\r\nContent-length: 0\r\n"
               b"Spam: False ; 0.5 / 5.0\r\n\r\n")


def _stub_answer(c, delay):
    """Read one spamd request (head and Content-length bytes), wait
    delay seconds, answer clean, close."""
    got = b""
    try:
        c.settimeout(30)
        while b"\r\n\r\n" not in got:
            b = c.recv(65536)
            if not b:
                return
            got += b
        head, _, body = got.partition(b"\r\n\r\n")
        m = [ln for ln in head.split(b"\r\n")
             if ln.lower().startswith(b"content-length:")]
        need = int(m[0].split(b":", 1)[1]) if m else 0
        while len(body) < need:
            b = c.recv(65536)
            if not b:
                return
            body += b
        time.sleep(delay)
        c.sendall(SPAMD_CLEAN)
    except (OSError, ValueError):
        pass
    finally:
        c.close()


def _stub_serve(mode, addr, counter, delay=0.0):
    host, port = addr.rsplit(":", 1)
    ls = socket.socket()
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((host, int(port)))
    ls.listen(128)
    open(counter, "w").close()
    held = []
    while True:
        c, _ = ls.accept()
        with open(counter, "a") as f:
            f.write("c")
        if mode == "close":
            c.close()
        elif mode in ("answer", "slow"):
            threading.Thread(target=_stub_answer, daemon=True,
                             args=(c, delay if mode == "slow" else 0)).start()
        elif mode == "garbage":
            c.settimeout(2)
            try:
                c.recv(65536)
                c.sendall(b"\x00\xffgarbage 220 mail ESMTP\r\n")
            except OSError:
                pass
            c.close()
        elif mode == "noread":
            held.append(c)
        else:
            c.setblocking(True)
            held.append(c)
            while c.recv(65536):
                pass


def _times():
    for cls in (Spamd, Rspamd, Clamd):
        try:
            with cls() as s:
                print("%s: ready after %.1f s" % (s.name, s.ready_s))
        except ScannerSkip as e:
            print("%s: skipped: %s" % (cls.name, e))


if __name__ == "__main__":
    if len(sys.argv) in (5, 6) and sys.argv[1] == "stub":
        _stub_serve(sys.argv[2], sys.argv[3], sys.argv[4],
                    float(sys.argv[5]) if len(sys.argv) == 6 else 0.0)
    elif sys.argv[1:] == ["times"]:
        _times()
    else:
        sys.exit("usage: scanners.py times | stub MODE HOST:PORT COUNTER "
                 "[DELAY]")
