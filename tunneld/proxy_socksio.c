/*
 * The SOCKS proxy's connections (proxy.h): proxy_socks.c's negotiation
 * on a tunnel connection.  The request's host must be an I2P one (a
 * .b32.i2p address, a base64 destination with ".i2p", or a name for
 * the address book); anything else is refused as "not allowed by
 * ruleset" (there is no outproxy).  The client hears the outcome once
 * the stream is open or is not.
 */
#include <bsd/string.h>
#include <string.h>

#include "log.h"
#include "proxy_int.h"
#include "proxy_socks.h"

static struct socks *
state(struct proxy_conn *c)
{
	return c->ps;
}

static void
s_init(struct proxy_conn *c)
{
	socks_init(state(c), c->p->auth.user[0] != '\0' ? &c->p->auth :
	    NULL);
}

static void
s_clear(struct proxy_conn *c)
{
	socks_clear(state(c));
}

/* the answer socks_reply makes, to the client */
static void
answer(struct proxy_conn *c, enum socks_status st)
{
	uint8_t		 buf[SOCKS_REPLY_MAX];
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (socks_reply(state(c), st, &w) == 0)
		(void)pconn_reply(c, wbuf_data(&w), wbuf_len(&w));
}

static int
s_greet(struct proxy_conn *c)
{
	const struct socks_target	*t;
	uint8_t				 buf[SOCKS_OUT_MIN];
	struct wbuf			 w;
	enum socks_res			 res;
	size_t				 used = 0;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	res = socks_input(state(c), c->in, c->inlen, &w, &used);
	if (pconn_reply(c, wbuf_data(&w), wbuf_len(&w)) == -1)
		return -1;
	if (used > c->inlen)
		used = c->inlen;
	memmove(c->in, c->in + used, c->inlen - used);
	c->inlen -= used;
	if (res == SOCKS_MORE)
		return 0;
	if (res == SOCKS_CLOSE) {
		log_debug("tunnel %s: socks: %s", c->p->conf.dest,
		    socks_strerror(state(c)->err));
		return -1;
	}
	t = socks_target(state(c));
	if (!t->i2p || proxy_target(t->host, &c->tkind, &c->tdest,
	    c->thash) == -1) {
		log_debug("tunnel %s: socks: %.64s is not an I2P host",
		    c->p->conf.dest, t->host);
		answer(c, SOCKS_NOT_ALLOWED);
		return -1;
	}
	/* cut short, a name would be another name (naming.html: 67) */
	if (c->tkind == PT_NAME && strlen(t->host) >= sizeof(c->tname)) {
		log_debug("tunnel %s: socks: a host name over %zu bytes",
		    c->p->conf.dest, sizeof(c->tname) - 1);
		answer(c, SOCKS_HOST_UNREACH);
		return -1;
	}
	c->tport = t->port;
	strlcpy(c->tname, t->host, sizeof(c->tname));
	return 1;
}

static void
s_connected(struct proxy_conn *c)
{
	answer(c, SOCKS_OK);
}

static void
s_failed(struct proxy_conn *c, enum pfail why)
{
	switch (why) {
	case PF_UNKNOWN_HOST:
	case PF_NOT_FOUND:
		answer(c, SOCKS_HOST_UNREACH);
		break;
	case PF_UNREACHABLE:
		answer(c, SOCKS_REFUSED);
		break;
	case PF_TIMEOUT:
		answer(c, SOCKS_TTL_EXPIRED);
		break;
	case PF_NOT_I2P:
		answer(c, SOCKS_NOT_ALLOWED);
		break;
	case PF_NO_DEST:
	case PF_LIMIT:
		answer(c, SOCKS_FAILURE);
		break;
	}
}

const struct pproto pproto_socks = {
	.greet = s_greet,
	.connected = s_connected,
	.failed = s_failed,
	.state_size = sizeof(struct socks),
	.init = s_init,
	.clear = s_clear,
};
