/*
 * IRC tunnels (proxy.h).  A client tunnel's lines go through
 * proxy_irc.c's filter both ways, so that the client leaks nothing
 * (CTCP, DCC, its host names) and hears no CTCP request.  A server
 * tunnel passes the remote client's lines as they are (as i2pd does)
 * and, with a WEBIRC password, first tells the IRC server who the
 * client is: its .b32.i2p address as the host name.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <bsd/string.h>
#include <string.h>

#include "encoding.h"
#include "log.h"
#include "proxy_int.h"
#include "proxy_irc.h"

/* raw bytes at a time: what one call may write stays in PROXY_BUF */
#define IRC_CHUNK	((PROXY_BUF - IRC_LINE_MAX - 16) / 3)
_Static_assert(IRC_CHUNK > 512, "an IRC filter chunk too small");
_Static_assert(IRC_OUT_ROOM(IRC_CHUNK) <= PROXY_BUF,
    "IRC filter output beyond the buffer");

struct irc_state {
	struct irc_filter	 out;	/* the client's lines */
	struct irc_filter	 in;	/* the server's */
};

static void
c_init(struct proxy_conn *c)
{
	struct irc_state	*st = c->ps;

	irc_filter_init(&st->out, IRC_OUTBOUND);
	irc_filter_init(&st->in, IRC_INBOUND);
}

static int
c_to_i2p(struct proxy_conn *c, const uint8_t *p, size_t len, struct wbuf *w)
{
	struct irc_state	*st = c->ps;

	return irc_filter_feed(&st->out, p, len, w);
}

static int
c_from_i2p(struct proxy_conn *c, const uint8_t *p, size_t len,
    struct wbuf *w)
{
	struct irc_state	*st = c->ps;

	return irc_filter_feed(&st->in, p, len, w);
}

const struct pproto pproto_irc_client = {
	.to_i2p = c_to_i2p,
	.from_i2p = c_from_i2p,
	.chunk = IRC_CHUNK,
	.state_size = sizeof(struct irc_state),
	.init = c_init,
};

/* WEBIRC password cgiirc <client b32> <our address toward the server> */
static void
s_start(struct proxy_conn *c)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	char			 b32[I2P_B32_NAMESZ], ip[INET6_ADDRSTRLEN];
	uint8_t			 line[IRC_MSG_MAX];
	struct wbuf		 w;
	const void		*a;

	if (c->p->conf.password[0] == '\0')
		return;
	if (b32_encode(b32, sizeof(b32), c->peer, 32) == -1 ||
	    strlcat(b32, ".b32.i2p", sizeof(b32)) >= sizeof(b32) ||
	    getsockname(c->fd, (struct sockaddr *)&ss, &sl) == -1)
		return;
	a = ss.ss_family == AF_INET ?
	    (const void *)&((struct sockaddr_in *)&ss)->sin_addr :
	    (const void *)&((struct sockaddr_in6 *)&ss)->sin6_addr;
	if (inet_ntop(ss.ss_family, a, ip, sizeof(ip)) == NULL)
		return;
	wbuf_init_fixed(&w, line, sizeof(line));
	if (irc_webirc(&w, c->p->conf.password, "cgiirc", b32, ip) == -1 ||
	    pconn_reply(c, wbuf_data(&w), wbuf_len(&w)) == -1)
		log_warnx("tunnel %s: no WEBIRC line for %s", c->p->conf.dest,
		    b32);
}

const struct pproto pproto_irc_server = {
	.start = s_start,
};
