#!/usr/bin/python3
"""make-data.py - writes the hand-made Postfix logs in this directory
(see README).  The goldens base.csv and base-day.json are gatepostctl
report output checked by hand against the traffic below; rerun only when
changing the traffic, and check them again."""
import gzip
import os
D = os.path.dirname(os.path.abspath(__file__))
L = []   # (h, m, s, prog, text)
def at(h, m, s, prog, text): L.append((h, m, s, prog, text))
IN1, IN2 = "postfix-inbound/smtpd[1101]", "postfix-inbound/smtpd[1102]"
OUT = "postfix-outbound/smtpd[2101]"
RE = "postfix-reinject/smtpd[3101]"
CL, QM, SM = "postfix/cleanup[4101]", "postfix/qmgr[5101]", "postfix/smtp[6101]"
PU, BO = "postfix/pickup[7101]", "postfix/bounce[8101]"
CI = "client=mx.example.net[192.0.2.7]"
def sasl(u): return "client=app1.example.com[10.1.2.3], sasl_method=PLAIN, sasl_username=%s" % u
def sent(q, rcpt, relay="sink[127.0.0.1]:2526"):
    return "%s: to=<%s>, relay=%s, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)" % (q, rcpt, relay)
ENV = "; from=<%s> to=<%s> proto=ESMTP helo=<%s>"
def seq(h, m, s, *lines):
    """lines (prog, text) a second apart from h:m:s"""
    for i, (p, t) in enumerate(lines): at(h, m, s + i, p, t)
def cleanup(q, mid): return CL, "%s: message-id=<%s>" % (q, mid)
def active(q, frm, size, nrcpt): return QM, "%s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (q, frm, size, nrcpt)
def removed(q): return QM, q + ": removed"
def queue(h, m, s, prog, q, client, mid, frm, size, nrcpt):
    """a message queued: smtpd (or pickup), cleanup, qmgr"""
    seq(h, m, s, (prog, "%s: %s" % (q, client)), cleanup(q, mid), active(q, frm, size, nrcpt))
def deliver(h, m, s, q, rcpts, relay="sink[127.0.0.1]:2526"):
    """a delivery for each recipient, then qmgr's removed"""
    seq(h, m, s, *[(SM, sent(q, r, relay)) for r in rcpts] + [removed(q)])
ABC = ["%s@example.com" % r for r in ("alice", "bob", "carol")]
# hour 10
at(10,0,1,IN1,"connect from mx.example.net[192.0.2.7]")
queue(10,0,2,IN1,"D10001A",CI,"m1@example.net","news@example.net",1000,1)
at(10,0,5,IN1,"disconnect from mx.example.net[192.0.2.7] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")
deliver(10,0,6,"D10001A",["alice@example.com"])
# M2: content filter re-injection
queue(10,5,0,IN1,"D10002A",CI,"m2@example.net","list@example.net",3000,3)
at(10,5,3,RE,"connect from localhost[127.0.0.1]")
queue(10,5,4,RE,"E10002A","client=localhost[127.0.0.1]","m2@example.net","list@example.net",3300,3)
deliver(10,5,7,"D10002A",ABC,"filter[127.0.0.1]:10025")
deliver(10,5,11,"E10002A",ABC)
# M3 outbound, 2 rcpts
queue(10,10,0,OUT,"D10003A",sasl("alice"),"m3@example.com","alice@example.com",500,2)
deliver(10,10,3,"D10003A",["p1@example.org","p2@example.org"])
# rejects
at(10,20,0,IN2,"NOQUEUE: reject: RCPT from mx.example.net[192.0.2.9]: 550 5.7.1 <alice@example.com>: Recipient address rejected: Sender address in a local domain not permitted from outside"+ENV % ("ceo@example.com","alice@example.com","mx.example.net"))
at(10,21,0,OUT,"NOQUEUE: reject: RCPT from app1.example.com[10.1.2.3]: 450 4.7.1 <p9@example.org>: Recipient address rejected: Message rate limit exceeded, try again later"+ENV % ("bob@example.com","p9@example.org","app1.example.com"))
# hour 11
at(11,0,0,OUT,"D11004A: "+sasl("bob"))
at(11,0,1,CL,"D11004A: message-id=<m4@example.com>")
at(11,0,2,CL,"D11004A: milter-reject: END-OF-MESSAGE from app1.example.com[10.1.2.3]: 5.7.1 Header From not owned by the authenticated user"+ENV % ("bob@example.com","p1@example.org","app1.example.com"))
at(11,0,3,OUT,"disconnect from app1.example.com[10.1.2.3] ehlo=1 auth=1 mail=1 rcpt=1 data=0/1 quit=1 commands=5/6")
at(11,10,0,OUT,"NOQUEUE: hold: RCPT from app1.example.com[10.1.2.3]: <p5@example.org>: Recipient address triggers HOLD action"+ENV % ("carol@example.com","p5@example.org","app1.example.com"))
at(11,10,1,OUT,"D11005A: "+sasl("carol"))
at(11,10,2,CL,"D11005A: message-id=<m5@example.com>")
at(11,10,3,OUT,"disconnect from app1.example.com[10.1.2.3] ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6")
queue(11,15,0,PU,"D11006A","uid=0 from=<root>","m6@gw.example.com","root@gw.example.com",300,1)
deliver(11,15,3,"D11006A",["postmaster@example.com"])
# M7 straddles 11:30 (rotation point); its bounce is local
seq(11,29,58, (IN2,"D11007A: "+CI), cleanup("D11007A","m7@example.net"))
seq(11,30,1, active("D11007A","x@example.net",700,1),
    (SM,"D11007A: to=<nobody@example.com>, relay=sink[127.0.0.1]:2526, delay=0.1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 no such user)"),
    cleanup("E11007A","20261205113003.E11007A@gw.example.com"),
    (BO,"D11007A: sender non-delivery notification: E11007A"),
    active("E11007A","",2400,1), removed("D11007A"),
    (SM,sent("E11007A","x@example.net")), removed("E11007A"))
# hour 12: three sessions interleaved, a stage at a time
seq(12,0,0, (IN1,"D12008A: "+CI), (IN2,"D12009A: client=mx2.example.net[192.0.2.8]"), (OUT,"D12010A: "+sasl("alice")),
    cleanup("D12009A","m9@example.net"), cleanup("D12010A","m10@example.com"), cleanup("D12008A","m8@example.net"),
    active("D12010A","alice@example.com",600,1), active("D12008A","a@example.net",800,1), active("D12009A","b@example.net",900,1),
    (SM,sent("D12010A","p3@example.org")), (SM,sent("D12008A","bob@example.com")), (SM,sent("D12009A","carol@example.com")),
    removed("D12010A"), removed("D12008A"), removed("D12009A"))
at(12,59,59,"postfix/anvil[9101]","statistics: max connection rate 1/60s for (smtp:192.0.2.7) at Dec  5 12:00:00")

def maillog(h,m,s,p,t): return "Dec 05 %02d:%02d:%02d gw %s: %s\n" % (h,m,s,p,t)
def classic(h,m,s,p,t): return "Dec  5 %02d:%02d:%02d gw %s: %s\n" % (h,m,s,p,t)
def rfc(h,m,s,p,t): return "2026-12-05T%02d:%02d:%02d.%06d+01:00 gw %s: %s\n" % (h,m,s,(h*7+m*3+s)%999999,p,t)
def w(name, lines, mode="w"):
    with open(os.path.join(D, name), mode) as f: f.write("".join(lines))
base = [maillog(*x) for x in L]
w("base.maillog", base)
# classic syslog with other programs interleaved
cl = []
for i, x in enumerate(L):
    cl.append(classic(*x))
    if i % 9 == 4: cl.append("Dec  5 %02d:%02d:%02d gw CRON[99]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)\n" % x[:3])
    if i % 13 == 6: cl.append("Dec  5 %02d:%02d:%02d gw gatepost-milter[77]: NOQUEUE: instance=inbound direction=inbound rule=spam action=tag mode=enforce\n" % x[:3])
w("base.syslog", cl)
w("base.rfc3339", [rfc(*x) for x in L])
# rotated: maillog.2.gz (hour 10), maillog.1 (11:00-11:30), maillog (after)
def t(x): return x[0]*3600+x[1]*60+x[2]
old = [maillog(*x) for x in L if t(x) < 11*3600]
mid = [maillog(*x) for x in L if 11*3600 <= t(x) < 11*3600+30*60]
new = [maillog(*x) for x in L if t(x) >= 11*3600+30*60]
os.makedirs(os.path.join(D, "rotated"), exist_ok=True)
with gzip.GzipFile(os.path.join(D, "rotated", "maillog.2.gz"), "wb", mtime=0) as f: f.write("".join(old).encode())
w("rotated/maillog.1", mid); w("rotated/maillog", new)
# interleaved: two files, lines dealt alternately (RFC 3339 with fractions)
rl = [rfc(*x) for x in L]
w("interleaved.a", rl[0::2]); w("interleaved.b", rl[1::2])
# truncated (plain): copytruncate NULs and a torn line mid-file, torn last line
tr = list(base)
k = next(i for i, x in enumerate(L) if "status=sent" in x[4] and x[0] == 10)
tr[k] = tr[k][:40] + "\n"
tr.insert(k + 1, "\0" * 32 + "\n")
tr[-1] = tr[-1][:30]
w("truncated.maillog", tr)
# truncated gzip: the compressed stream cut
blob = gzip.compress("".join(base).encode(), mtime=0)
open(os.path.join(D, "truncated.maillog.gz"), "wb").write(blob[: len(blob) * 2 // 3])
print(len(L), "lines")
