/*
 * NAME
 *	pd_server 3h
 * SUMMARY
 *	policy connections on a libevent loop
 * SYNOPSIS
 *	#include "pd_server.h"
 * DESCRIPTION
 *	One process, one event loop, no thread per connection.  Each
 *	accepted connection gets a parser buffer, a session (pd_decide(3h))
 *	and one persistent read event whose timeout is the idle timeout.
 *	Requests are answered as soon as they are complete, in order;
 *	replies are written at once and buffered only when the peer does
 *	not read (reading then pauses until the backlog is written).
 *
 *	A protocol error (pd_proto(3h)) is logged once with the peer and
 *	answered "451 4.3.0" before that connection alone is closed.  A
 *	peer idle past idle_timeout is closed with one log line.  A request
 *	must be complete within request_timeout of its first byte (one
 *	timer per request, not reset by each read, so a peer dripping a
 *	byte at a time cannot hold it open): past it the peer is answered
 *	"451 4.3.0" and closed, logged and counted in
 *	gatepost_policyd_request_timeouts_total.  With max_connections
 *	open, a new connection is closed at once (counted in
 *	gatepost_policyd_connections_refused_total, logged once per
 *	burst), so a flood never reaches the descriptor limit.  When
 *	accept(2) fails for lack of file descriptors the listener pauses
 *	for a second instead of spinning.
 *
 *	pd_server_new() creates a server on a base; pd_server_listen()
 *	adds an already listening socket (it takes over the fd).
 *	pd_server_set_limits() changes the limits for connections
 *	accepted from then on (a reload).  pd_server_tick() runs once a
 *	second: rate-limit expiry and the key gauge.
 *
 *	pd_server_drain() stops accepting, closes idle connections at once
 *	and the others as soon as their request is answered, and leaves
 *	the loop when none is left or after grace seconds.
 *	pd_server_free() closes everything.  Single-threaded.
 * SEE ALSO
 *	event_base_dispatch(3), pd_listen(3h), pd_decide(3h)
 */
#ifndef GP_PD_SERVER_H
#define GP_PD_SERVER_H

#include <stddef.h>

#include <event2/event.h>

#include "pd_decide.h"

struct pd_limits {
	size_t	 max_request;		/* bytes per request */
	unsigned max_attrs;		/* attributes per request */
	unsigned idle_timeout;		/* seconds */
	unsigned request_timeout;	/* seconds from a request's first byte */
	unsigned max_connections;	/* open at once */
};

struct pd_server;

struct pd_server *pd_server_new(struct event_base *, struct pd_env *,
	    const struct pd_limits *);
int	pd_server_listen(struct pd_server *, int fd, const char *name);
void	pd_server_set_limits(struct pd_server *, const struct pd_limits *);
void	pd_server_drain(struct pd_server *, unsigned grace);
size_t	pd_server_connections(const struct pd_server *);
void	pd_server_free(struct pd_server *);

#endif
