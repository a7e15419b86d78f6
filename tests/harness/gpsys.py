"""gpsys - processes, sockets and addresses for gatepost's test harness.

Small, stateless helpers: loopback checks, "is this pid still that
process", who listens where (from /proc, so checking has no side
effects), and the harness's exception types.
"""

import ipaddress
import os
import socket
import stat
import sys


class HarnessError(AssertionError):
    """A harness assertion or setup failure; str() carries the context
    (SMTP transcript, log lines) needed to understand it."""


class HarnessSkip(Exception):
    """Something optional (spamd) is not available here."""


def log(msg):
    print("harness: " + msg, file=sys.stderr, flush=True)


def split_addr(s):
    """'127.0.0.2:2525' -> ('127.0.0.2', 2525)."""
    host, sep, port = str(s).rpartition(":")
    if not sep or not port.isdigit():
        raise ValueError("want ADDRESS:PORT, got %r" % (s,))
    return host, int(port)


def require_loopback(addr, what):
    """Refuse anything that is not an IPv4 address in 127.0.0.0/8."""
    try:
        ok = ipaddress.ip_address(addr) in ipaddress.ip_network("127.0.0.0/8")
    except ValueError:
        ok = False
    if not ok:
        raise HarnessError("%s: refusing non-loopback address %r "
                           "(only 127.0.0.0/8 is allowed)" % (what, addr))


# ---------------------------------------------------------------- processes

def proc_start_time(pid):
    """Start time of pid (clock ticks since boot), None if gone/zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()
    if fields[0] in ("Z", "X"):
        return None
    return int(fields[19])


def proc_alive(pid, start=None):
    """True while pid runs and, if start is given, is still the same
    process (not a reused pid)."""
    st = proc_start_time(pid)
    return st is not None and (start is None or st == start)


def proc_children(ppid):
    """Pids whose parent is ppid."""
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/status" % d) as f:
                for line in f:
                    if line.startswith("PPid:"):
                        if int(line.split()[1]) == ppid:
                            kids.append(int(d))
                        break
        except OSError:
            continue
    return kids


def proc_comm(pid):
    try:
        with open("/proc/%d/comm" % pid) as f:
            return f.read().strip()
    except OSError:
        return "?"


def proc_cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "?"


def listening_tcp(addr, port):
    """True if a TCP socket listens on addr:port (or the wildcard)."""
    want = {"%08X:%04X" % (int.from_bytes(socket.inet_aton(a), "little"),
                           port) for a in (addr, "0.0.0.0")}
    try:
        with open("/proc/net/tcp") as f:
            next(f)
            for line in f:
                parts = line.split()
                if parts[3] == "0A" and parts[1] in want:
                    return True
    except OSError:
        pass
    return False


def listening_unix(path):
    """True if a unix stream socket listens at path.  /proc/net/unix
    shows the name a socket was bound to; gatepost-milter binds under a
    temporary name and renames the socket into place, so a socket file
    at path that accepts a connection counts too."""
    try:
        with open("/proc/net/unix") as f:
            next(f)
            for line in f:
                parts = line.split()
                if len(parts) >= 8 and parts[7] == path and \
                        int(parts[3], 16) & 0x10000:
                    return True
    except OSError:
        pass
    try:
        if not stat.S_ISSOCK(os.lstat(path).st_mode):
            return False
        s = socket.socket(socket.AF_UNIX)
        try:
            s.settimeout(1)
            s.connect(path)
            return True
        finally:
            s.close()
    except OSError:
        return False


def port_free(addr, port):
    """True if nothing listens on addr:port and we could bind it."""
    if listening_tcp(addr, port):
        return False
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        return True
    except OSError:
        return False
    finally:
        s.close()
