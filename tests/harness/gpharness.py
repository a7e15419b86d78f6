"""gpharness - a private, two-faced Postfix 3.7 for gatepost's tests.

One Harness is one Postfix instance under one directory, loopback only:

    INBOUND   127.0.0.2:2525  syslog_name postfix-inbound, no AUTH
    OUTBOUND  127.0.0.3:2525  syslog_name postfix-outbound, Cyrus SASL AUTH
                              only after STARTTLS (self-signed certificate)
    third     127.0.0.4:2525  optional, name "other" (unknown-instance tests)
    sinks     smtp-sink on 127.0.0.1:2526 ("internal": example.com and its
              subdomains) and 127.0.0.1:2527 ("external": everything else);
              every delivered message is captured with its envelope
    hooks     policyd and milter: command lines (started, logged, stopped
              here) or the sockets of daemons someone else runs

Everything it starts it stops, by recorded pid, also on failure, SIGINT,
SIGTERM or SIGHUP.  See tests/README.md for the guide; the self-test is
tests/integration/t_harness_selftest.

    with Harness(policyd=Hook(...), milter=Hook(...)) as h:
        r = h.send("inbound", sender="a@example.org",
                   rcpts=["bob@example.com"])
        [cap] = h.expect_delivered(r)
"""

import atexit
import dataclasses
import grp
import json
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time

import gpconfig
from gpcheck import Checks
from gpconfig import (ADDR_DEFAULTS, DEFAULT_USERS, INTERNAL_DOMAINS,  # noqa
                      LISTS, MYHOSTNAME, POLICY_AT, Face, Hook,
                      face_from_spec)
from gpsmtp import Capture, SendResult  # noqa: F401  (re-exported)
from gpsys import (HarnessError, HarnessSkip, listening_tcp,  # noqa: F401
                   listening_unix, log, port_free, proc_alive, proc_children,
                   proc_cmdline, proc_comm, proc_start_time,
                   require_loopback, split_addr)

__all__ = ["Harness", "Face", "Hook", "Capture", "SendResult",
           "HarnessError", "HarnessSkip", "LISTS", "POLICY_AT",
           "DEFAULT_USERS", "INTERNAL_DOMAINS", "MYHOSTNAME", "port_free",
           "proc_alive", "require_loopback", "split_addr"]

POSTFIX = "/usr/sbin/postfix"
POSTCONF = "/usr/sbin/postconf"
POSTQUEUE = "/usr/sbin/postqueue"
SMTP_SINK = "/usr/sbin/smtp-sink"
SASLPASSWD2 = "/usr/sbin/saslpasswd2"
OPENSSL = "/usr/bin/openssl"


class Harness(Checks):
    """A private two-faced Postfix.  See the module docstring."""

    def __init__(self, dir=None, *, inbound=None, outbound=None,
                 third=False, third_name="other", inbound_auth=False,
                 faces=None, sinks=None, sink_options=None,
                 internal_domains=INTERNAL_DOMAINS, users=None,
                 myhostname=MYHOSTNAME, policyd=None, milter=None,
                 policy_at="sender", policy_data=False, policy_eom=False,
                 main_cf=None, master_cf=None, keep=None):
        """dir: where everything lives (default: a new temporary directory,
        removed after a clean run unless GP_KEEP=1).  inbound, outbound,
        third: "ADDR:PORT" (third=True takes the default, GP_THIRD).
        faces: a list of Face to use instead of inbound/outbound/third.
        sinks: {"internal": "ADDR:PORT", "external": "ADDR:PORT"}.
        sink_options: {label: [extra smtp-sink flags]}, e.g. ["-r", "."]
        for a 4xx answer to the end of data.
        policyd, milter: Hook or None.
        policy_at: where check_policy_service goes: "sender" (default;
        smtpd_sender_restrictions, before Postfix's relay restrictions, so
        gatepost decides first), "client", "recipient" (after Postfix's
        relay restrictions), "none".  policy_data / policy_eom: also ask it
        at DATA / END-OF-MESSAGE.  main_cf: extra main.cf parameters.
        master_cf: extra master.cf lines (services of their own, such as
        a face's cleanup service from "gatepostctl postfix")."""
        self.keep = keep if keep is not None else \
            os.environ.get("GP_KEEP", "") not in ("", "0")
        self.myhostname = myhostname
        self.internal_domains = tuple(internal_domains)
        self.users = dict(DEFAULT_USERS if users is None else users)
        if faces is None:
            faces = [
                face_from_spec("inbound", inbound or self._env("inbound"),
                               auth=inbound_auth, tls_auth_only=False),
                face_from_spec("outbound", outbound or self._env("outbound"),
                               auth=True, relay_restrictions=(
                                   "permit_sasl_authenticated, reject"))]
            if third:
                spec = third if isinstance(third, str) else self._env("third")
                faces.append(face_from_spec("third", spec, name=third_name))
        self.faces = {}
        for f in faces:
            if f.name in self.faces:
                raise ValueError("duplicate face name %r" % f.name)
            self.faces[f.name] = f
        sinks = dict(sinks or {})
        for label in ("internal", "external"):
            sinks.setdefault(label, self._env(label))
        self.sinks = {k: split_addr(v) for k, v in sinks.items()}
        self.sink_options = dict(sink_options or {})
        self.hooks = {n: h for n, h in (("policyd", policyd),
                                        ("milter", milter)) if h is not None}
        if policy_at not in POLICY_AT:
            raise ValueError("policy_at must be one of %s"
                             % ", ".join(POLICY_AT))
        self.policy_at = POLICY_AT[policy_at]
        self.policy_data = policy_data
        self.policy_eom = policy_eom
        self.main_cf = dict(main_cf or {})
        self.master_cf = list(master_cf or [])
        self.failed = False
        self.pids = {}          # name -> [pid, start time]
        self._popen = {}        # name -> Popen (ours: reap them)
        self._up = False
        self._started = False   # spawned anything or started Postfix
        self._handlers = None
        self._atexit = False
        self._seq = 0
        self.spamd_endpoint = None
        self.spamd_log = None
        self.spamd_dir = None
        self._scanners = []     # scanners.Scanner objects to stop
        self._validate()
        # only now, when nothing can fail, make the directory
        self.own_dir = dir is None
        if dir is None:
            dir = tempfile.mkdtemp(prefix="gpharness.",
                                   dir=os.environ.get("GP_HARNESS_TMP"))
        self.dir = os.path.abspath(dir)
        # up() empties some subdirectories: never do that to a directory
        # that is not ours (e.g. "harness up /tmp")
        marker = os.path.join(self.dir, ".gpharness")
        if not self.own_dir and os.path.isdir(self.dir) and \
                os.listdir(self.dir) and not os.path.exists(marker):
            raise HarnessError("%s is neither empty nor a harness directory"
                               % self.dir)
        os.makedirs(self.dir, exist_ok=True)
        open(marker, "a").close()
        for name, hook in self.hooks.items():
            if hook.endpoint is None:
                self.hooks[name] = dataclasses.replace(
                    hook, endpoint="unix:%s/run/%s.sock" % (self.dir, name))

    @staticmethod
    def _env(kind):
        var, default = ADDR_DEFAULTS[kind]
        return os.environ.get(var) or default

    def _validate(self):
        for f in self.faces.values():
            require_loopback(f.addr, "face " + f.name)
        for label, (a, _) in self.sinks.items():
            require_loopback(a, "sink " + label)
        for name, h in self.hooks.items():
            if h.endpoint is None:
                continue            # default: unix:DIR/run/NAME.sock
            if h.endpoint.startswith("inet:"):
                require_loopback(split_addr(h.endpoint[5:])[0], name)
            elif not h.endpoint.startswith("unix:"):
                raise ValueError("%s endpoint must be unix:PATH or "
                                 "inet:HOST:PORT: %r" % (name, h.endpoint))
        eps = [f.endpoint for f in self.faces.values()] + \
            ["%s:%d" % s for s in self.sinks.values()]
        if len(set(eps)) != len(eps):
            raise ValueError("faces and sinks need distinct addresses: %s"
                             % eps)

    # ------------------------------------------------------------ paths

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    @property
    def etc(self):
        return self.path("etc")

    @property
    def maillog(self):
        return self.path("log", "maillog")

    def face(self, name):
        if isinstance(name, Face):
            return name
        try:
            return self.faces[name]
        except KeyError:
            raise HarnessError("no face %r (have %s)"
                               % (name, ", ".join(self.faces)))

    def password(self, user):
        return self.users[user.split("@", 1)[0]]

    # ------------------------------------------------------------ up

    def up(self):
        """Write the configuration and start sinks, hooks and Postfix."""
        if self._up:
            return self
        self._check_startable()
        self._install_cleanup()
        try:
            self._make_dirs()
            self._make_tls()
            self._make_sasl()
            self._write_main_cf()
            self._write_master_cf()
            for label in self.sinks:
                self._start_sink(label)
            for name in self.hooks:
                self.start_hook(name)
            self._start_postfix()
        except BaseException:
            self.failed = True
            self.down()
            raise
        self._up = True
        self._save_state()
        return self

    def __enter__(self):
        return self.up()

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            self.failed = True
        self.down()
        return False

    def _check_startable(self):
        state = self.path("run", "state.json")
        if os.path.exists(state):
            try:
                with open(state) as f:
                    old = json.load(f)
                mp = old.get("pids", {}).get("master")
                if mp and proc_alive(*mp):
                    raise HarnessError("%s is already up (master pid %d); "
                                       "run 'harness down %s' first"
                                       % (self.dir, mp[0], self.dir))
            except (OSError, ValueError):
                pass
        busy = []
        for f in self.faces.values():
            if not port_free(f.addr, f.port):
                busy.append("face %s %s" % (f.name, f.endpoint))
        for label, (a, p) in self.sinks.items():
            if not port_free(a, p):
                busy.append("sink %s %s:%d" % (label, a, p))
        for name, h in self.hooks.items():
            if h.argv and h.endpoint.startswith("inet:"):
                a, p = split_addr(h.endpoint[5:])
                if not port_free(a, p):
                    busy.append("%s %s" % (name, h.endpoint))
        if busy:
            raise HarnessError("refusing to start, busy: %s (another "
                               "harness? set GP_INBOUND, GP_OUTBOUND, "
                               "GP_THIRD, GP_SINK_INTERNAL, "
                               "GP_SINK_EXTERNAL)" % "; ".join(busy))
        # every directory above DIR must be searchable by user postfix
        d = os.path.dirname(self.dir)
        while True:
            if os.path.isdir(d) and not os.stat(d).st_mode & 0o001:
                raise HarnessError("%s is not searchable by others; user "
                                   "postfix must reach %s" % (d, self.dir))
            if os.path.dirname(d) == d:
                break
            d = os.path.dirname(d)

    def _make_dirs(self):
        os.makedirs(self.dir, exist_ok=True)
        os.chmod(self.dir, 0o755)
        # A used DIR (kept run, CLI) starts with an empty queue, no
        # captures and fresh logs: old queue files would be delivered
        # again.  Other files (etc/gatepost.json, ...) stay.
        for sub in ("spool", "data", "capture", "run", "log", "tmp"):
            shutil.rmtree(self.path(sub), ignore_errors=True)
        for sub in ("etc", "etc/sasl", "etc/tls", "run", "log", "spool",
                    "capture", "tmp"):
            os.makedirs(self.path(sub), exist_ok=True)
            os.chmod(self.path(sub), 0o755)
        os.chown(self.path("spool"), 0, 0)
        pw = pwd.getpwnam("postfix")
        for label in self.sinks:
            d = self.path("capture", label)
            os.makedirs(d, exist_ok=True)
            os.chown(d, pw.pw_uid, pw.pw_gid)   # smtp-sink runs as postfix
        open(self.maillog, "a").close()

    def _run(self, argv, what, input=None, check=True, timeout=120):
        p = subprocess.run(argv, input=input, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        out = p.stdout.decode("utf-8", "replace")
        if check and p.returncode != 0:
            raise HarnessError("%s failed (exit %d): %s\n%s\n%s"
                               % (what, p.returncode, " ".join(argv), out,
                                  self._tail(self.maillog, 30)))
        return out

    def _make_tls(self):
        key, cert = self.path("etc/tls/key.pem"), self.path("etc/tls/cert.pem")
        self._run([OPENSSL, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                   "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
                   "-out", cert, "-days", "7", "-subj",
                   "/CN=" + self.myhostname, "-addext",
                   "subjectAltName=DNS:" + self.myhostname],
                  "making the throwaway TLS certificate")
        os.chmod(key, 0o600)

    def _make_sasl(self):
        sasl = self.path("etc/sasl")
        db = os.path.join(sasl, "sasldb2")
        with open(os.path.join(sasl, "smtpd.conf"), "w") as f:
            f.write("pwcheck_method: auxprop\nauxprop_plugin: sasldb\n"
                    "mech_list: PLAIN LOGIN\nsasldb_path: %s\n" % db)
        for user, pw in self.users.items():
            # realm = $myhostname: Cyrus looks a bare login "alice" up as
            # alice@$myhostname, and Postfix reports sasl_username=alice.
            self._run([SASLPASSWD2, "-p", "-c", "-f", db, "-u",
                       self.myhostname, user], "saslpasswd2 " + user,
                      input=pw.encode())
        os.chown(db, 0, grp.getgrnam("postfix").gr_gid)
        os.chmod(db, 0o640)

    # ------------------------------------------------------------ config

    def face_lists(self, face):
        """The restriction lists a face gets ({list: value}, keys LISTS)."""
        return gpconfig.face_lists(self, self.face(face))

    def main_cf_params(self):
        """Every main.cf parameter the harness writes, in order."""
        return gpconfig.main_cf_params(self)

    def _write_main_cf(self):
        with open(self.path("etc", "main.cf"), "w") as f:
            f.write(gpconfig.main_cf_text(self))

    def _write_master_cf(self):
        with open(self.path("etc", "master.cf"), "w") as f:
            f.write(gpconfig.master_cf_text(self))

    # ------------------------------------------------------------ helpers

    def _spawn(self, name, argv, env=None):
        """Start argv in its own session, output to DIR/log/NAME.log."""
        logf = open(self.path("log", name + ".log"), "ab")
        e = dict(os.environ)
        e.update(env or {})
        e["GP_HARNESS_DIR"] = self.dir      # marks our processes
        try:
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=logf,
                                 stderr=subprocess.STDOUT, env=e,
                                 cwd=self.dir, start_new_session=True,
                                 close_fds=True)
        except OSError as ex:
            raise HarnessError("cannot start %s: %s: %s"
                               % (name, argv[0], ex))
        finally:
            logf.close()
        start = None
        for _ in range(50):
            start = proc_start_time(p.pid)
            if start is not None or p.poll() is not None:
                break
            time.sleep(0.01)
        self._started = True
        self._popen[name] = p
        self.pids[name] = [p.pid, start]
        with open(self.path("run", name + ".pid"), "w") as f:
            f.write("%d\n" % p.pid)
        self._save_state()
        return p

    def _wait_ready(self, name, ready, timeout, what):
        """Poll ready() until true; fail early if the process died."""
        deadline = time.monotonic() + timeout
        p = self._popen.get(name)
        while time.monotonic() < deadline:
            if ready():
                return
            if p is not None and p.poll() is not None:
                raise HarnessError("%s exited with status %s before %s\n%s"
                                   % (name, p.returncode, what,
                                      self._tail(self.path("log", name +
                                                           ".log"), 30)))
            time.sleep(0.05)
        raise HarnessError("%s: no %s after %.0fs\n%s"
                           % (name, what, timeout,
                              self._tail(self.path("log", name + ".log"),
                                         30)))

    def _start_sink(self, label):
        addr, port = self.sinks[label]
        name = "sink-" + label
        argv = [SMTP_SINK, "-4", "-u", "postfix", "-h", "sink-" + label,
                "-d", self.path("capture", label, "%Y%m%d-%H%M%S.")]
        argv += list(self.sink_options.get(label, []))
        argv += ["%s:%d" % (addr, port), "256"]
        self._spawn(name, argv)
        self._wait_ready(name, lambda: listening_tcp(addr, port), 10,
                         "listener on %s:%d" % (addr, port))

    def start_hook(self, name):
        """Start hook name (policyd or milter) if it has a command, and
        wait until its socket listens."""
        h = self.hooks[name]
        ep = h.endpoint
        if ep.startswith("unix:"):
            path = ep[5:]
            smfi = ep

            def ready():
                return listening_unix(path)
        else:
            a, p = split_addr(ep[5:])
            path = None
            smfi = "inet:%d@%s" % (p, a)

            def ready():
                return listening_tcp(a, p)
        if not h.argv:
            if not ready():
                log("warning: %s %s does not listen (yet)" % (name, ep))
            return
        if path and os.path.exists(path):
            os.unlink(path)
        subst = {"socket": path or "", "endpoint": ep, "smfi": smfi,
                 "dir": self.dir, "etc": self.etc,
                 "run": self.path("run"), "log": self.path("log")}
        argv = [str(a).format(**subst) for a in h.argv]
        self._spawn(name, argv, h.env)
        self._wait_ready(name, ready, h.ready_timeout, "listener on " + ep)
        if path and h.socket_mode is not None:
            os.chmod(path, h.socket_mode)

    def stop_hook(self, name, timeout=15):
        """Stop a hook the harness started (TERM, wait, KILL)."""
        self._stop_pids([name], timeout)

    def restart_hook(self, name):
        self.stop_hook(name)
        self.start_hook(name)

    def signal_hook(self, name, sig):
        """Send sig (e.g. signal.SIGHUP) to a hook the harness started."""
        pid, start = self.pids[name]
        if not proc_alive(pid, start):
            raise HarnessError("%s (pid %d) is not running" % (name, pid))
        os.kill(pid, sig)

    def hook_pid(self, name):
        pid, start = self.pids.get(name, (None, None))
        return pid if pid and proc_alive(pid, start) else None

    # ------------------------------------------------------------ postfix

    def postfix(self, *args, check=True):
        """Run postfix -c DIR/etc ARGS."""
        return self._run([POSTFIX, "-c", self.etc] + list(args),
                         "postfix " + " ".join(args), check=check)

    def master_pid(self):
        try:
            with open(self.path("spool", "pid", "master.pid")) as f:
                pid = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if proc_alive(pid) else None

    def _start_postfix(self):
        self._started = True
        self.postfix("check")
        self.postfix("start")
        for _ in range(100):
            mp = self.master_pid()
            if mp:
                break
            time.sleep(0.05)
        else:
            raise HarnessError("postfix master did not start\n"
                               + self._tail(self.maillog, 30))
        self.pids["master"] = [mp, proc_start_time(mp)]
        self._save_state()
        for f in self.faces.values():
            self._wait_ready("master", lambda: listening_tcp(f.addr, f.port),
                             10, "listener on " + f.endpoint)

    def postconf(self, **params):
        """Set main.cf parameters (postconf -e) and reload Postfix.  They
        stay set (like the constructor's main_cf) over later changes."""
        self.main_cf.update(params)
        self._apply(params)

    def _apply(self, params):
        """postconf -e params (generated ones: not kept in main_cf), and
        reload."""
        argv = [POSTCONF, "-c", self.etc, "-e"]
        argv += ["%s=%s" % kv for kv in params.items()]
        self._run(argv, "postconf -e")
        self.reload()

    def set_restrictions(self, face, **lists):
        """Swap restriction lists of one face, e.g.
        set_restrictions("inbound", relay="permit", recipient="$gp_policy").
        Keys are LISTS; values Postfix restriction lists ($gp_policy is the
        policy hook)."""
        f = self.face(face)
        bad = set(lists) - set(LISTS)
        if bad:
            raise ValueError("unknown restriction lists %s" % sorted(bad))
        f.restrictions.update(lists)
        self._apply(gpconfig.face_params(self, f))

    def set_face(self, face, **changes):
        """Change a face's settings (Face fields: auth, tls, daemon_name,
        policy_context, relay_restrictions, options, ...), rewrite
        master.cf and reload.  set_face("inbound", auth=True) is the
        misconfiguration gatepost's "auth": "forbid" exists to catch."""
        f = self.face(face)
        names = {fl.name for fl in dataclasses.fields(Face)}
        bad = [k for k in changes
               if k not in names or k in ("name", "addr", "port")]
        if bad:
            raise ValueError("cannot change %s of a running face"
                             % sorted(bad))
        new = dataclasses.replace(f, **changes)     # validates
        for k in names:
            setattr(f, k, getattr(new, k))
        self._write_master_cf()
        self._apply(gpconfig.face_params(self, f))

    def set_policy(self, at=None, data=None, eom=None):
        """Move check_policy_service (see __init__'s policy_at) on every
        face that uses it; None leaves a setting as it is."""
        if at is not None:
            if at not in POLICY_AT:
                raise ValueError("at must be one of %s" % ", ".join(POLICY_AT))
            self.policy_at = POLICY_AT[at]
        if data is not None:
            self.policy_data = data
        if eom is not None:
            self.policy_eom = eom
        params = {}
        for f in self.faces.values():
            params.update(gpconfig.face_params(self, f))
        self._apply(params)

    def reload(self, timeout=15):
        """Make Postfix re-read main.cf and master.cf, and wait until that
        happened and the smtpd and cleanup processes that ran the old
        configuration have exited, so the next session gets the new one.
        (SIGHUP to the master by pid: what 'postfix reload' does, without
        its checks that cost about 1.5 s.)"""
        mp = self.master_pid()
        if mp is None:
            raise HarnessError("reload: Postfix is not running")
        old = [(p, proc_start_time(p)) for p in proc_children(mp)
               if proc_comm(p) in ("smtpd", "cleanup")]
        since = self.mark()
        os.kill(mp, signal.SIGHUP)
        self.wait_log(r"postfix/master\[%d\]: reload -- " % mp,
                      since=since, timeout=timeout)
        deadline = time.monotonic() + timeout
        while any(proc_alive(p, s) for p, s in old):
            if time.monotonic() > deadline:
                raise HarnessError("old smtpd/cleanup processes still "
                                   "running %.0fs after reload: %s"
                                   % (timeout, old))
            time.sleep(0.05)

    def flush(self):
        """Ask Postfix to retry deferred mail now (postqueue -f)."""
        self._run([POSTQUEUE, "-c", self.etc, "-f"], "postqueue -f")

    def queue(self):
        """postqueue -p output."""
        return self._run([POSTQUEUE, "-c", self.etc, "-p"], "postqueue -p")

    # ------------------------------------------------------------ spamd

    def start_spamd(self, timeout=120):
        """Start a private SpamAssassin spamd for this harness and return
        its "127.0.0.1:PORT".  It is scanners.Spamd (tests/harness/
        scanners.py): -L (no network tests), the packaged rules plus one
        local rule (scanners.SPAMD_PHRASE scores 6.0; GTUBE scores 1000),
        no Bayes, no user configs.  down() stops it.  Raises HarnessSkip
        when spamd is not installed (Debian package spamd)."""
        import scanners
        try:
            sp = scanners.Spamd(timeout=timeout)
        except scanners.ScannerSkip as e:
            raise HarnessSkip(str(e))
        self._started = True
        self._scanners.append(sp)
        try:
            sp.start()
        except RuntimeError as e:
            raise HarnessError("spamd did not start: %s" % e)
        self.pids["spamd"] = [sp.proc.pid, proc_start_time(sp.proc.pid)]
        self.spamd_endpoint = sp.tcp
        self.spamd_log = sp.log
        self.spamd_dir = sp.dir
        self._save_state()
        return sp.tcp

    # ------------------------------------------------------------ down

    def _stop_pids(self, names, timeout):
        """TERM every named process we started, wait, then KILL."""
        live = {}
        for n in names:
            pid, start = self.pids.get(n, (None, None))
            if pid and proc_alive(pid, start):
                try:
                    os.kill(pid, signal.SIGTERM)
                    live[n] = (pid, start)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + timeout
        while live and time.monotonic() < deadline:
            for n in list(live):
                p = self._popen.get(n)
                if p is not None:
                    p.poll()
                if not proc_alive(*live[n]):
                    del live[n]
            time.sleep(0.05)
        for n, (pid, start) in live.items():
            if proc_alive(pid, start):
                log("%s (pid %d) ignored SIGTERM for %ds: SIGKILL"
                    % (n, pid, timeout))
                os.kill(pid, signal.SIGKILL)
        for n in names:
            p = self._popen.pop(n, None)
            if p is not None:
                try:
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    pass
            self.pids.pop(n, None)
            try:
                os.unlink(self.path("run", n + ".pid"))
            except FileNotFoundError:
                pass

    def _stop_postfix(self, timeout=20):
        mp = self.master_pid()
        if mp is None:
            return
        start = proc_start_time(mp)
        kids = [(p, proc_start_time(p)) for p in proc_children(mp)]
        self.postfix("stop", check=False)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not proc_alive(mp, start) and \
                    not any(proc_alive(p, s) for p, s in kids):
                break
            time.sleep(0.05)
        for p, s in [(mp, start)] + kids:
            if proc_alive(p, s):
                log("postfix process %d (%s) survived 'postfix stop': "
                    "SIGKILL" % (p, proc_comm(p)))
                os.kill(p, signal.SIGKILL)
        self.pids.pop("master", None)

    def leftovers(self):
        """Processes of this harness still running: the ones it started
        (marked GP_HARNESS_DIR=DIR in their environment) and Postfix's
        (MAIL_CONFIG=DIR/etc).  [(pid, command line)]"""
        marks = [("GP_HARNESS_DIR=" + self.dir).encode(),
                 ("MAIL_CONFIG=" + self.etc).encode()]
        found = []
        me = os.getpid()
        for d in os.listdir("/proc"):
            if not d.isdigit() or int(d) == me:
                continue
            try:
                with open("/proc/%s/environ" % d, "rb") as f:
                    env = f.read().split(b"\0")
            except OSError:
                continue
            if any(m in env for m in marks) and proc_alive(int(d)):
                found.append((int(d), proc_cmdline(int(d))))
        return found

    def busy_endpoints(self):
        """Harness TCP endpoints that still have a listener."""
        eps = [(f.addr, f.port) for f in self.faces.values()]
        eps += list(self.sinks.values())
        if self.spamd_endpoint:
            eps.append(split_addr(self.spamd_endpoint))
        for name, h in self.hooks.items():
            if h.argv and h.endpoint.startswith("inet:"):
                eps.append(split_addr(h.endpoint[5:]))
        return ["%s:%d" % e for e in eps if listening_tcp(*e)]

    def down(self):
        """Stop everything (Postfix, hooks, spamd, sinks) and check that
        no process and no listener is left.  Removes DIR after a clean run
        if the harness made it (unless GP_KEEP=1).  Returns a report dict
        {"leftovers": [...], "listeners": [...]}; safe to call twice."""
        report = {"leftovers": [], "listeners": []}
        try:
            self._stop_postfix()
        except Exception as e:      # keep going: the rest must stop too
            log("postfix stop: %s" % e)
            self.failed = True
        self._stop_scanners()
        self._stop_pids([n for n in list(self.pids) if n != "master"], 15)
        if self.spamd_dir:      # a spamd started by another process (CLI)
            if self.spamd_log and os.path.exists(self.spamd_log):
                shutil.copy(self.spamd_log, self.path("log", "spamd.log"))
            shutil.rmtree(self.spamd_dir, ignore_errors=True)
            self.spamd_dir = self.spamd_log = None
        for pid, cmd in self.leftovers():
            log("left over: pid %d %s: SIGKILL" % (pid, cmd))
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            report["leftovers"] = self.leftovers()
            # a harness that never started must not blame others' ports
            report["listeners"] = self.busy_endpoints() \
                if self._started else []
            if not report["leftovers"] and not report["listeners"]:
                break
            time.sleep(0.1)
        if report["leftovers"] or report["listeners"]:
            self.failed = True
            log("NOT CLEAN after down: %s" % report)
        self._up = False
        self._save_state()
        self._remove_cleanup()
        self.last_down = report
        if self.own_dir and not self.failed and not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)
        elif os.path.isdir(self.dir) and (self.own_dir or self.failed):
            log("kept %s%s" % (self.dir, " (failed)" if self.failed else ""))
        return report

    def _stop_scanners(self):
        """Stop spamd (scanners.Spamd) by its own pid-based stop(); keep
        its log as DIR/log/spamd.log and remove its directory."""
        for sc in self._scanners:
            try:
                sc.stop()
            except Exception as e:
                log("stopping %s: %s" % (sc.name, e))
                self.failed = True
            if os.path.exists(sc.log) and os.path.isdir(self.path("log")):
                shutil.copy(sc.log, self.path("log", sc.name + ".log"))
            shutil.rmtree(sc.dir, ignore_errors=True)
            self.pids.pop(sc.name, None)
        if self._scanners:
            self._scanners = []
            self.spamd_dir = self.spamd_log = None

    def detach(self):
        """Leave everything running when this process exits (CLI 'up')."""
        self._remove_cleanup()
        self._popen.clear()

    # ------------------------------------------------------------ cleanup

    def _install_cleanup(self):
        if not self._atexit:
            atexit.register(self._at_exit)
            self._atexit = True
        if self._handlers is None:
            try:
                self._handlers = {s: signal.signal(s, self._on_signal)
                                  for s in (signal.SIGTERM, signal.SIGHUP)}
            except ValueError:      # not the main thread
                self._handlers = {}

    def _remove_cleanup(self):
        if self._atexit:
            atexit.unregister(self._at_exit)
            self._atexit = False
        for s, h in (self._handlers or {}).items():
            signal.signal(s, h)
        self._handlers = None

    def _at_exit(self):
        if self._up or self.pids:
            self.failed = True
            log("cleaning up at exit")
            self.down()

    def _on_signal(self, signum, frame):
        self.failed = True
        raise SystemExit(128 + signum)      # unwinds through __exit__

    # ------------------------------------------------------------ state

    def _save_state(self):
        if not os.path.isdir(self.path("run")):
            return
        state = {
            "version": 1, "dir": self.dir, "up": self._up,
            "own_dir": self.own_dir, "pids": self.pids,
            "spamd": self.spamd_endpoint, "spamd_dir": self.spamd_dir,
            "spamd_log": self.spamd_log,
            "config": {
                "faces": [dataclasses.asdict(f) for f in self.faces.values()],
                "sinks": {k: "%s:%d" % v for k, v in self.sinks.items()},
                "sink_options": self.sink_options,
                "internal_domains": list(self.internal_domains),
                "users": self.users, "myhostname": self.myhostname,
                "hooks": {k: dataclasses.asdict(v)
                          for k, v in self.hooks.items()},
                "policy_at": self.policy_at or "none",
                "policy_data": self.policy_data,
                "policy_eom": self.policy_eom, "main_cf": self.main_cf,
                "master_cf": self.master_cf,
            },
        }
        tmp = self.path("run", "state.json.tmp")
        with open(tmp, "w") as f:
            json.dump(state, f, indent=1)
        os.replace(tmp, self.path("run", "state.json"))

    @classmethod
    def attach(cls, dir):
        """A Harness for a directory a CLI 'up' (or a kept run) made."""
        with open(os.path.join(dir, "run", "state.json")) as f:
            st = json.load(f)
        c = st["config"]
        hooks = {k: Hook(**v) for k, v in c["hooks"].items()}
        h = cls(st["dir"], faces=[Face(**f) for f in c["faces"]],
                sinks=c["sinks"], sink_options=c["sink_options"],
                internal_domains=c["internal_domains"], users=c["users"],
                myhostname=c["myhostname"], policyd=hooks.get("policyd"),
                milter=hooks.get("milter"), policy_at=c["policy_at"],
                policy_data=c["policy_data"], policy_eom=c["policy_eom"],
                main_cf=c["main_cf"], master_cf=c.get("master_cf"))
        h.own_dir = False
        h._started = True
        h.pids = {k: list(v) for k, v in st["pids"].items()}
        h.spamd_endpoint = st.get("spamd")
        h.spamd_dir = st.get("spamd_dir")
        h.spamd_log = st.get("spamd_log")
        h._up = st.get("up", False)
        return h

    def status(self):
        """{"dir", "master", "processes": {name: pid or None},
        "listeners": {endpoint: bool}} for the CLI and debugging."""
        procs = {n: (v[0] if proc_alive(*v) else None)
                 for n, v in self.pids.items()}
        procs["master"] = self.master_pid()
        eps = {f.endpoint: listening_tcp(f.addr, f.port)
               for f in self.faces.values()}
        eps.update({"%s:%d" % s: listening_tcp(*s)
                    for s in self.sinks.values()})
        return {"dir": self.dir, "processes": procs, "listeners": eps}

