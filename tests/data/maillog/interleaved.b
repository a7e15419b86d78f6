2026-12-05T10:00:02.000072+01:00 gw postfix-inbound/smtpd[1101]: D10001A: client=mx.example.net[192.0.2.7]
2026-12-05T10:00:04.000074+01:00 gw postfix/qmgr[5101]: D10001A: from=<news@example.net>, size=1000, nrcpt=1 (queue active)
2026-12-05T10:00:06.000076+01:00 gw postfix/smtp[6101]: D10001A: to=<alice@example.com>, relay=sink[127.0.0.1]:2526, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)
2026-12-05T10:05:00.000085+01:00 gw postfix-inbound/smtpd[1101]: D10002A: client=mx.example.net[192.0.2.7]
2026-12-05T10:05:02.000087+01:00 gw postfix/qmgr[5101]: D10002A: from=<list@example.net>, size=3000, nrcpt=3 (queue active)
2026-12-05T10:05:04.000089+01:00 gw postfix-reinject/smtpd[3101]: E10002A: client=localhost[127.0.0.1]
2026-12-05T10:05:06.000091+01:00 gw postfix/qmgr[5101]: E10002A: from=<list@example.net>, size=3300, nrcpt=3 (queue active)
2026-12-05T10:05:08.000093+01:00 gw postfix/smtp[6101]: D10002A: to=<bob@example.com>, relay=filter[127.0.0.1]:10025, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)
2026-12-05T10:05:10.000095+01:00 gw postfix/qmgr[5101]: D10002A: removed
2026-12-05T10:05:12.000097+01:00 gw postfix/smtp[6101]: E10002A: to=<bob@example.com>, relay=sink[127.0.0.1]:2526, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)
2026-12-05T10:05:14.000099+01:00 gw postfix/qmgr[5101]: E10002A: removed
2026-12-05T10:10:01.000101+01:00 gw postfix/cleanup[4101]: D10003A: message-id=<m3@example.com>
2026-12-05T10:10:03.000103+01:00 gw postfix/smtp[6101]: D10003A: to=<p1@example.org>, relay=sink[127.0.0.1]:2526, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)
2026-12-05T10:10:05.000105+01:00 gw postfix/qmgr[5101]: D10003A: removed
2026-12-05T10:21:00.000133+01:00 gw postfix-outbound/smtpd[2101]: NOQUEUE: reject: RCPT from app1.example.com[10.1.2.3]: 450 4.7.1 <p9@example.org>: Recipient address rejected: Message rate limit exceeded, try again later; from=<bob@example.com> to=<p9@example.org> proto=ESMTP helo=<app1.example.com>
2026-12-05T11:00:01.000078+01:00 gw postfix/cleanup[4101]: D11004A: message-id=<m4@example.com>
2026-12-05T11:00:03.000080+01:00 gw postfix-outbound/smtpd[2101]: disconnect from app1.example.com[10.1.2.3] ehlo=1 auth=1 mail=1 rcpt=1 data=0/1 quit=1 commands=5/6
2026-12-05T11:10:01.000108+01:00 gw postfix-outbound/smtpd[2101]: D11005A: client=app1.example.com[10.1.2.3], sasl_method=PLAIN, sasl_username=carol
2026-12-05T11:10:03.000110+01:00 gw postfix-outbound/smtpd[2101]: disconnect from app1.example.com[10.1.2.3] ehlo=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=6
2026-12-05T11:15:01.000123+01:00 gw postfix/cleanup[4101]: D11006A: message-id=<m6@gw.example.com>
2026-12-05T11:15:03.000125+01:00 gw postfix/smtp[6101]: D11006A: to=<postmaster@example.com>, relay=sink[127.0.0.1]:2526, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)
2026-12-05T11:29:58.000222+01:00 gw postfix-inbound/smtpd[1102]: D11007A: client=mx.example.net[192.0.2.7]
2026-12-05T11:30:01.000168+01:00 gw postfix/qmgr[5101]: D11007A: from=<x@example.net>, size=700, nrcpt=1 (queue active)
2026-12-05T11:30:03.000170+01:00 gw postfix/cleanup[4101]: E11007A: message-id=<20261205113003.E11007A@gw.example.com>
2026-12-05T11:30:05.000172+01:00 gw postfix/qmgr[5101]: E11007A: from=<>, size=2400, nrcpt=1 (queue active)
2026-12-05T11:30:07.000174+01:00 gw postfix/smtp[6101]: E11007A: to=<x@example.net>, relay=sink[127.0.0.1]:2526, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)
2026-12-05T12:00:00.000084+01:00 gw postfix-inbound/smtpd[1101]: D12008A: client=mx.example.net[192.0.2.7]
2026-12-05T12:00:02.000086+01:00 gw postfix-outbound/smtpd[2101]: D12010A: client=app1.example.com[10.1.2.3], sasl_method=PLAIN, sasl_username=alice
2026-12-05T12:00:04.000088+01:00 gw postfix/cleanup[4101]: D12010A: message-id=<m10@example.com>
2026-12-05T12:00:06.000090+01:00 gw postfix/qmgr[5101]: D12010A: from=<alice@example.com>, size=600, nrcpt=1 (queue active)
2026-12-05T12:00:08.000092+01:00 gw postfix/qmgr[5101]: D12009A: from=<b@example.net>, size=900, nrcpt=1 (queue active)
2026-12-05T12:00:10.000094+01:00 gw postfix/smtp[6101]: D12008A: to=<bob@example.com>, relay=sink[127.0.0.1]:2526, delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok)
2026-12-05T12:00:12.000096+01:00 gw postfix/qmgr[5101]: D12010A: removed
2026-12-05T12:00:14.000098+01:00 gw postfix/qmgr[5101]: D12009A: removed
