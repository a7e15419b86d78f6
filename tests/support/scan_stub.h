/*
 * NAME
 *	scan_stub 3h
 * SUMMARY
 *	a misbehaving scanner for tests: one forked loopback server
 * SYNOPSIS
 *	#include "scan_stub.h"
 * DESCRIPTION
 *	scan_stub_start() listens on 127.0.0.1 (an ephemeral port) or on a
 *	unix socket in a fresh temporary directory, forks a child that
 *	serves connections one at a time as the mode says, and fills
 *	st->server with the address to put in a config ("127.0.0.1:PORT"
 *	or "unix:/tmp/.../s").  The child records every byte it receives in
 *	a capture file and counts connections.
 *
 *	Modes: SCAN_STUB_REPLY reads expect bytes (or until EOF; expect 0:
 *	until a whole spamd, rspamd or clamd request, requests of up to
 *	4 MiB), then writes the reply and closes; _SLOW waits delay_ms
 *	first; _DRIP writes the reply one byte per delay_ms; _HANGUP is
 *	_REPLY for a peer that gives up early (expect is a prefix of the
 *	request);
 *	_SILENT reads forever and never answers; _NOREAD accepts and never
 *	reads; _CLOSE closes each connection at once.
 *
 *	scan_stub_stop() kills the child, copies up to len captured bytes
 *	into buf (may be NULL), returns how many bytes were captured and
 *	sets *conns to the connections accepted (conns may be NULL); it
 *	removes the temporary files.  scan_stub_free_port() finds a port
 *	nobody listens on (for "connection refused").
 *
 *	scan_stub_block() fills *s as a config's scanner block for engine
 *	e at server (borrowed), with timeout_ms and max_size: tag at 5,
 *	no hold or reject score, reject a virus, tempfail on errors.
 * SEE ALSO
 *	check_scan_engines.c, tests/harness/scanners.py
 */
#ifndef GP_SCAN_STUB_H
#define GP_SCAN_STUB_H

#include <stddef.h>
#include <sys/types.h>

#include "cfg.h"

enum scan_stub_mode {
	SCAN_STUB_REPLY = 0,
	SCAN_STUB_SLOW,
	SCAN_STUB_DRIP,
	SCAN_STUB_HANGUP,
	SCAN_STUB_SILENT,
	SCAN_STUB_NOREAD,
	SCAN_STUB_CLOSE
};

struct scan_stub {
	pid_t	 pid;			/* the serving child */
	char	 server[160];		/* as a config names it */
	char	 dir[64];		/* temporary directory */
};

int	scan_stub_start(struct scan_stub *, int unix_socket,
	    enum scan_stub_mode, size_t expect, const void *reply,
	    size_t reply_len, unsigned delay_ms);
size_t	scan_stub_stop(struct scan_stub *, char *buf, size_t len,
	    unsigned *conns);
unsigned scan_stub_free_port(void);
void	scan_stub_block(struct cfg_scan *, enum cfg_engine,
	    const char *server, unsigned timeout_ms, size_t max_size);

#endif
