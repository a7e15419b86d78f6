"""gpconfig - faces, hooks and the Postfix configuration of the harness.

Face and Hook describe what a test wants; main_cf_text() and
master_cf_text() turn a Harness into Postfix's two files.  Everything a face does is a main.cf
parameter named gp_FACE_..., referenced from its master.cf entry, so a
running instance can be changed with postconf -e and a reload.
"""

import dataclasses
import re

from gpsys import split_addr

MYHOSTNAME = "gw.gatepost.test"
DEFAULT_USERS = {"alice": "alice-pw", "bob": "bob-pw", "carol": "carol-pw"}
INTERNAL_DOMAINS = ("example.com",)

# address defaults and the environment variables that override them
ADDR_DEFAULTS = {
    "inbound": ("GP_INBOUND", "127.0.0.2:2525"),
    "outbound": ("GP_OUTBOUND", "127.0.0.3:2525"),
    "third": ("GP_THIRD", "127.0.0.4:2525"),
    "internal": ("GP_SINK_INTERNAL", "127.0.0.1:2526"),
    "external": ("GP_SINK_EXTERNAL", "127.0.0.1:2527"),
}

LISTS = ("client", "helo", "sender", "relay", "recipient", "data",
         "end_of_data")
POLICY_AT = {"client": "client", "sender": "sender", "first": "sender",
             "recipient": "recipient", "after": "recipient", "none": None}

# What Postfix hands the milter (gatepost-milter also asks with
# smfi_setsymlist, which Postfix honours over these).
MILTER_MACROS = {
    "milter_connect_macros": "j {daemon_name} {daemon_addr} {daemon_port} "
                             "v _ {client_addr} {client_port} {client_name} "
                             "{client_ptr} {client_connections}",
    "milter_helo_macros": "{tls_version} {cipher} {cipher_bits} "
                          "{cert_subject} {cert_issuer} {client_resolve}",
    "milter_mail_macros": "i {auth_type} {auth_authen} {auth_ssf} "
                          "{auth_author} {mail_mailer} {mail_host} "
                          "{mail_addr}",
    "milter_rcpt_macros": "i {rcpt_mailer} {rcpt_host} {rcpt_addr}",
    "milter_data_macros": "i",
    "milter_end_of_header_macros": "i",
    "milter_end_of_data_macros": "i",
}

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclasses.dataclass
class Face:
    """One smtpd service of the gateway.

    daemon_name / policy_context: None means "the face's name"; False
    leaves Postfix's default ({daemon_name} = $myhostname, empty
    policy_context), the way to reach gatepost's address fallback.
    restrictions: per-list overrides, keys from LISTS ("relay", ...),
    values are Postfix restriction lists ("$gp_policy" is the policy hook).
    options: extra "-o name=value" for this service."""
    name: str
    addr: str
    port: int = 2525
    syslog_name: str = None
    auth: bool = False            # offer AUTH
    tls: bool = True              # offer STARTTLS
    tls_auth_only: bool = True    # offer AUTH only after STARTTLS
    daemon_name: object = None
    policy_context: object = None
    relay_restrictions: str = "reject_unauth_destination"
    milter: bool = True           # use the milter hook (if any)
    policy: bool = True           # use the policy hook (if any)
    restrictions: dict = dataclasses.field(default_factory=dict)
    options: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        if not _NAME_RE.match(self.name):
            raise ValueError("face name must match [a-z][a-z0-9_]*: %r"
                             % self.name)
        if self.syslog_name is None:
            self.syslog_name = "postfix-" + self.name
        if self.daemon_name is None:
            self.daemon_name = self.name
        if self.policy_context is None:
            self.policy_context = self.name
        self.validate()

    def validate(self):
        if self.daemon_name == "":
            # smtpd dies with "bad string length 0 < 1" and master throttles
            # the service for a minute; False gives Postfix's default.
            raise ValueError("face %s: daemon_name cannot be empty (use "
                             "False for Postfix's default, $myhostname)"
                             % self.name)
        bad = set(self.restrictions) - set(LISTS)
        if bad:
            raise ValueError("unknown restriction lists %s (want %s)"
                             % (sorted(bad), ", ".join(LISTS)))

    @property
    def endpoint(self):
        return "%s:%d" % (self.addr, self.port)


@dataclasses.dataclass
class Hook:
    """A policy service or milter for the faces to use.

    argv: the command to run, in the foreground, logging to stderr; the
    harness starts it in its own session, sends its output to
    DIR/log/NAME.log and stops it by pid.  Placeholders: {socket} (the
    socket path), {endpoint} ("unix:PATH" or "inet:HOST:PORT"), {dir},
    {etc}, {run}, {log}.  Without argv the harness only points Postfix at
    endpoint (a daemon someone else runs).
    endpoint: Postfix syntax, "unix:/path" or "inet:127.0.0.1:PORT";
    default unix:DIR/run/NAME.sock.
    socket_mode: chmod the unix socket to this once it appears (smtpd runs
    as user postfix); None leaves it alone."""
    argv: list = None
    endpoint: str = None
    socket_mode: int = 0o666
    ready_timeout: float = 20.0
    env: dict = None

    @classmethod
    def gatepost_policyd(cls, binary, config, *extra, **kw):
        """gatepost-policyd in the foreground, logging to stderr."""
        return cls(argv=[binary, "-f", "-e", "-c", config,
                         "-l", "{endpoint}"] + list(extra), **kw)

    @classmethod
    def gatepost_milter(cls, binary, config, *extra, **kw):
        """gatepost-milter in the foreground, logging to stderr.  {smfi}
        is the endpoint in libmilter syntax (unix:/path, inet:PORT@HOST)."""
        return cls(argv=[binary, "-f", "-e", "-c", config,
                         "-s", "{smfi}"] + list(extra), **kw)


def face_from_spec(kind, spec, name=None, **kw):
    host, port = split_addr(spec)
    return Face(name=name or kind, addr=host, port=port, **kw)


# ---------------------------------------------------------------- main.cf

def face_lists(h, f):
    """The restriction lists face f of harness h gets ({list: value})."""
    pol = "$gp_policy" if f.policy and "policyd" in h.hooks else ""
    lists = dict.fromkeys(LISTS, "")
    lists["relay"] = f.relay_restrictions
    if pol and h.policy_at:
        lists[h.policy_at] = pol
    if pol and h.policy_data:
        lists["data"] = pol
    if pol and h.policy_eom:
        lists["end_of_data"] = pol
    lists.update(f.restrictions)
    return lists


def face_params(h, f):
    """The main.cf parameters (gp_FACE_*) that face f's service uses."""
    p = {}
    for lst, value in face_lists(h, f).items():
        p["gp_%s_%s_restrictions" % (f.name, lst)] = value
    p["gp_%s_milters" % f.name] = "$gp_milters" if f.milter else ""
    return p


def main_cf_params(h):
    """Every main.cf parameter of harness h, in order."""
    d = h.dir
    internal, external = h.sinks["internal"], h.sinks["external"]
    transport = ", ".join(
        "%s%s=smtp:[%s]:%d" % (dot, dom, internal[0], internal[1])
        for dom in h.internal_domains for dot in ("", "."))
    policy = h.hooks.get("policyd")
    milter = h.hooks.get("milter")
    p = {
        "compatibility_level": "3.6",
        "queue_directory": d + "/spool",
        "data_directory": d + "/data",
        "mail_owner": "postfix",
        "setgid_group": "postdrop",
        "myhostname": h.myhostname,
        "mydomain": h.myhostname.split(".", 1)[-1],
        "myorigin": "$myhostname",
        # no local delivery, nobody trusted by address (all test clients
        # come from 127/8), no DNS anywhere: every next hop is [ip]:port
        "mydestination": "",
        "local_recipient_maps": "",
        "alias_maps": "",
        "alias_database": "",
        "inet_interfaces": "loopback-only",
        "inet_protocols": "ipv4",
        "mynetworks": "",
        "relay_domains": ", ".join(
            "%s%s" % (dot, dom) for dom in h.internal_domains
            for dot in ("", ".")),
        "transport_maps": "inline:{ %s }" % transport,
        "relayhost": "[%s]:%d" % external,
        "smtp_dns_support_level": "disabled",
        "smtpd_peername_lookup": "no",
        "biff": "no",
        "append_dot_mydomain": "no",
        "smtputf8_enable": "no",
        # logging without syslog: postlogd writes maillog_file
        "maillog_file": d + "/log/maillog",
        "maillog_file_prefixes": d + "/log",
        # deferred mail is retried soon (tests can also flush())
        "queue_run_delay": "10s",
        "minimal_backoff_time": "10s",
        "maximal_backoff_time": "20s",
        "smtpd_tls_cert_file": d + "/etc/tls/cert.pem",
        "smtpd_tls_key_file": d + "/etc/tls/key.pem",
        "smtpd_tls_security_level": "none",
        "smtpd_tls_loglevel": "1",
        "smtpd_tls_received_header": "yes",
        "smtp_tls_security_level": "none",
        "smtpd_sasl_type": "cyrus",
        "smtpd_sasl_path": "smtpd",
        "cyrus_sasl_config_path": d + "/etc/sasl",
        "smtpd_sasl_local_domain": "",
        "smtpd_sasl_security_options": "noanonymous",
        "smtpd_sasl_tls_security_options": "noanonymous",
        "smtpd_sasl_auth_enable": "no",
        "smtpd_tls_auth_only": "yes",
        "smtpd_delay_reject": "yes",
        "smtpd_relay_restrictions": "reject_unauth_destination",
        "smtpd_recipient_restrictions": "",
        "milter_default_action": "tempfail",
        "milter_protocol": "6",
        # postconf -P rejects whitespace: the hooks live here, referenced
        # from master.cf through the per-face gp_FACE_* parameters
        "gp_milters": milter.endpoint if milter else "",
        "gp_policy": "check_policy_service " + policy.endpoint
                     if policy else "",
    }
    p.update(MILTER_MACROS)
    for f in h.faces.values():
        p.update(face_params(h, f))
    p.update(h.main_cf)
    return p


def main_cf_text(h):
    return "# written by gpharness for %s; do not edit\n" % h.dir + "".join(
        "%s = %s\n" % kv for kv in main_cf_params(h).items())


# ---------------------------------------------------------------- master.cf

def _opt(name, value):
    """One -o line; values with whitespace or braces (or empty) use the
    Postfix 3.0 "-o { name = value }" form."""
    value = str(value)
    if value == "" or re.search(r"\s|[{}]", value):
        return "  -o { %s = %s }" % (name, value)
    return "  -o %s=%s" % (name, value)


def face_lines(f):
    """master.cf lines of face f: an inet smtpd, chroot off."""
    yn = {True: "yes", False: "no"}
    opts = [("syslog_name", f.syslog_name),
            ("smtpd_sasl_auth_enable", yn[bool(f.auth)]),
            ("smtpd_tls_security_level", "may" if f.tls else "none"),
            ("smtpd_tls_auth_only", yn[bool(f.tls and f.tls_auth_only)])]
    if f.daemon_name is not False:
        opts.append(("milter_macro_daemon_name", f.daemon_name))
    if f.policy_context is not False:
        opts.append(("smtpd_policy_service_policy_context",
                     f.policy_context))
    opts.append(("smtpd_milters", "$gp_%s_milters" % f.name))
    for lst in LISTS:
        opts.append(("smtpd_%s_restrictions" % lst,
                     "$gp_%s_%s_restrictions" % (f.name, lst)))
    opts += list(f.options.items())
    return ["%s inet n - n - - smtpd" % f.endpoint] + \
        [_opt(k, v) for k, v in opts]


POSTFIX_SERVICES = """\
pickup    unix  n - n 60    1 pickup
cleanup   unix  n - n -     0 cleanup
qmgr      unix  n - n 300   1 qmgr
tlsmgr    unix  - - n 1000? 1 tlsmgr
rewrite   unix  - - n -     - trivial-rewrite
bounce    unix  - - n -     0 bounce
defer     unix  - - n -     0 bounce
trace     unix  - - n -     0 bounce
verify    unix  - - n -     1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -     - proxymap
proxywrite unix - - n -     1 proxymap
smtp      unix  - - n -     - smtp
relay     unix  - - n -     - smtp
showq     unix  n - n -     - showq
error     unix  - - n -     - error
retry     unix  - - n -     - error
discard   unix  - - n -     - discard
anvil     unix  - - n -     1 anvil
scache    unix  - - n -     1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


def master_cf_text(h):
    lines = ["# written by gpharness for %s; do not edit" % h.dir,
             "# service type private unpriv chroot wakeup maxproc command"]
    for f in h.faces.values():
        lines += face_lines(f)
    lines += getattr(h, "master_cf", [])
    return "\n".join(lines) + "\n" + POSTFIX_SERVICES
