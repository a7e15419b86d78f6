/* metrics_http.c - serve the registry at GET /metrics (libmicrohttpd) */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include <netdb.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "metrics.h"
#include "xalloc.h"

struct metrics_http {
	struct MHD_Daemon *d;
	struct metrics *m;		/* borrowed */
	char	 why[256];		/* last libmicrohttpd message */
	atomic_int started;		/* stop collecting messages */
};

static int parse_listen(const char *, struct sockaddr_storage *,
	    char *, size_t);
static enum MHD_Result http_handler(void *, struct MHD_Connection *,
	    const char *, const char *, const char *, const char *, size_t *,
	    void **);
static void http_logger(void *, const char *, va_list);

/* parse_listen - "HOST:PORT", "[V6]:PORT" or "*:PORT" to a sockaddr */
static int
parse_listen(const char *listen, struct sockaddr_storage *ss, char *why,
    size_t whylen)
{
	struct addrinfo hints, *res = NULL;
	char	 host[256];
	const char *colon, *port;
	size_t	 hlen;
	int	 rc;

	colon = strrchr(listen, ':');
	if (colon == NULL || colon[1] == '\0') {
		(void)snprintf(why, whylen, "\"%s\": expected HOST:PORT",
		    listen);
		return -1;
	}
	port = colon + 1;
	hlen = (size_t)(colon - listen);
	if (hlen >= 2 && listen[0] == '[' && listen[hlen - 1] == ']') {
		listen++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host)) {
		(void)snprintf(why, whylen, "host name too long");
		return -1;
	}
	memcpy(host, listen, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	rc = getaddrinfo(hlen == 0 || strcmp(host, "*") == 0 ? NULL : host,
	    port, &hints, &res);
	if (rc != 0) {
		(void)snprintf(why, whylen, "\"%s\": %s", host,
		    gai_strerror(rc));
		return -1;
	}
	memset(ss, 0, sizeof(*ss));
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	freeaddrinfo(res);
	return 0;
}

/* http_logger - keep libmicrohttpd's start-up complaint as the reason */
static void
http_logger(void *ctx, const char *fmt, va_list ap)
{
	struct metrics_http *h = ctx;
	size_t	 n;

	if (h->started)
		return;
	(void)vsnprintf(h->why, sizeof(h->why), fmt, ap);
	n = strlen(h->why);
	while (n > 0 && (h->why[n - 1] == '\n' || h->why[n - 1] == '\r'))
		h->why[--n] = '\0';
}

/* http_handler - GET /metrics; everything else 404 or 405 */
static enum MHD_Result
http_handler(void *ctx, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_len, void **state)
{
	struct metrics_http *h = ctx;
	struct MHD_Response *r;
	enum MHD_Result ret;
	unsigned status = MHD_HTTP_OK;
	char	*body;
	size_t	 len;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
		status = MHD_HTTP_METHOD_NOT_ALLOWED;
		body = xstrdup("method not allowed\n");
	} else if (strcmp(url, "/metrics") != 0) {
		status = MHD_HTTP_NOT_FOUND;
		body = xstrdup("not found: try /metrics\n");
	} else
		body = metrics_render(h->m, NULL);
	len = strlen(body);
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	(void)MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    status == MHD_HTTP_OK ? "text/plain; version=0.0.4; charset=utf-8"
	    : "text/plain; charset=utf-8");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		(void)MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW,
		    "GET, HEAD");
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* metrics_http_start - serve GET /metrics on listen in its own thread */
struct metrics_http *
metrics_http_start(struct metrics *m, const char *listen, char *why,
    size_t whylen)
{
	struct sockaddr_storage ss;
	struct metrics_http *h;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	uint16_t port;

	if (parse_listen(listen, &ss, why, whylen) < 0)
		return NULL;
	if (ss.ss_family == AF_INET6) {
		flags |= MHD_USE_IPv6;
		port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	} else
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	h = xcalloc(1, sizeof(*h));
	h->m = m;
	h->d = MHD_start_daemon(flags, port, NULL, NULL, http_handler, h,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_EXTERNAL_LOGGER, http_logger, h,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)64,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
	    MHD_OPTION_END);
	if (h->d == NULL) {
		(void)snprintf(why, whylen, "%s: %s", listen, h->why[0] ?
		    h->why : "cannot start HTTP server");
		free(h);
		return NULL;
	}
	h->started = 1;
	return h;
}

/* metrics_http_stop - stop serving and free */
void
metrics_http_stop(struct metrics_http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
