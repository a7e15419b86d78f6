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
# hour 10
at(10,0,1,IN1,"connect from mx.example.net[192.0.2.7]")
at(10,0,2,IN1,"D10001A: "+CI)
at(10,0,3,CL,"D10001A: message-id=<m1@example.net>")
at(10,0,4,QM,"D10001A: from=<news@example.net>, size=1000, nrcpt=1 (queue active)")
at(10,0,5,IN1,"disconnect from mx.example.net[192.0.2.7] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5")
at(10,0,6,SM,sent("D10001A","alice@example.com"))
at(10,0,7,QM,"D10001A: removed")
# M2: content filter re-injection
at(10,5,0,IN1,"D10002A: "+CI)
at(10,5,1,CL,"D10002A: message-id=<m2@example.net>")
at(10,5,2,QM,"D10002A: from=<list@example.net>, size=3000, nrcpt=3 (queue active)")
at(10,5,3,RE,"connect from localhost[127.0.0.1]")
at(10,5,4,RE,"E10002A: client=localhost[127.0.0.1]")
at(10,5,5,CL,"E10002A: message-id=<m2@example.net>")
at(10,5,6,QM,"E10002A: from=<list@example.net>, size=3300, nrcpt=3 (queue active)")
for i, r in enumerate(("alice", "bob", "carol")):
    at(10,5,7+i,SM,sent("D10002A","%s@example.com" % r, "filter[127.0.0.1]:10025"))
at(10,5,10,QM,"D10002A: removed")
for i, r in enumerate(("alice", "bob", "carol")):
    at(10,5,11+i,SM,sent("E10002A","%s@example.com" % r))
at(10,5,14,QM,"E10002A: removed")
# M3 outbound, 2 rcpts
at(10,10,0,OUT,"D10003A: "+sasl("alice"))
at(10,10,1,CL,"D10003A: message-id=<m3@example.com>")
at(10,10,2,QM,"D10003A: from=<alice@example.com>, size=500, nrcpt=2 (queue active)")
at(10,10,3,SM,sent("D10003A","p1@example.org"))
at(10,10,4,SM,sent("D10003A","p2@example.org"))
at(10,10,5,QM,"D10003A: removed")
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
at(11,15,0,PU,"D11006A: uid=0 from=<root>")
at(11,15,1,CL,"D11006A: message-id=<m6@gw.example.com>")
at(11,15,2,QM,"D11006A: from=<root@gw.example.com>, size=300, nrcpt=1 (queue active)")
at(11,15,3,SM,sent("D11006A","postmaster@example.com"))
at(11,15,4,QM,"D11006A: removed")
# M7 straddles 11:30 (rotation point); its bounce is local
at(11,29,58,IN2,"D11007A: "+CI)
at(11,29,59,CL,"D11007A: message-id=<m7@example.net>")
at(11,30,1,QM,"D11007A: from=<x@example.net>, size=700, nrcpt=1 (queue active)")
at(11,30,2,SM,"D11007A: to=<nobody@example.com>, relay=sink[127.0.0.1]:2526, delay=0.1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 no such user)")
at(11,30,3,CL,"E11007A: message-id=<20261205113003.E11007A@gw.example.com>")
at(11,30,4,BO,"D11007A: sender non-delivery notification: E11007A")
at(11,30,5,QM,"E11007A: from=<>, size=2400, nrcpt=1 (queue active)")
at(11,30,6,QM,"D11007A: removed")
at(11,30,7,SM,sent("E11007A","x@example.net"))
at(11,30,8,QM,"E11007A: removed")
# hour 12: interleaved sessions
at(12,0,0,IN1,"D12008A: "+CI)
at(12,0,1,IN2,"D12009A: client=mx2.example.net[192.0.2.8]")
at(12,0,2,OUT,"D12010A: "+sasl("alice"))
at(12,0,3,CL,"D12009A: message-id=<m9@example.net>")
at(12,0,4,CL,"D12010A: message-id=<m10@example.com>")
at(12,0,5,CL,"D12008A: message-id=<m8@example.net>")
at(12,0,6,QM,"D12010A: from=<alice@example.com>, size=600, nrcpt=1 (queue active)")
at(12,0,7,QM,"D12008A: from=<a@example.net>, size=800, nrcpt=1 (queue active)")
at(12,0,8,QM,"D12009A: from=<b@example.net>, size=900, nrcpt=1 (queue active)")
at(12,0,9,SM,sent("D12010A","p3@example.org"))
at(12,0,10,SM,sent("D12008A","bob@example.com"))
at(12,0,11,SM,sent("D12009A","carol@example.com"))
at(12,0,12,QM,"D12010A: removed")
at(12,0,13,QM,"D12008A: removed")
at(12,0,14,QM,"D12009A: removed")
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
