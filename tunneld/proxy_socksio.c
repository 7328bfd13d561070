/*
 * The SOCKS proxy's connections (proxy.h): proxy_socks.c's negotiation
 * on a tunnel connection.  An I2P host (a .b32.i2p address, a base64
 * destination with ".i2p", or a name for the address book) gets a
 * stream to it.  Any other host, a name or an address, goes to the
 * tunnel's outproxy if it has one, as "CONNECT host:port" on a stream
 * to it (an I2P outproxy is an HTTP proxy: docs/decisions.md), and the
 * outproxy's answer becomes the client's reply; without one it is
 * refused as "not allowed by ruleset".  The client hears the outcome
 * once the stream (and the outproxy's tunnel) is up or is not.
 */
#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "log.h"
#include "proxy_http.h"
#include "proxy_int.h"
#include "proxy_socks.h"

#define SOCKS_CHUNK		8192
/* the outproxy's answer to CONNECT, 1xx heads and all */
#define OUTPROXY_HEAD_MAX	4096
_Static_assert(SOCKS_REPLY_MAX + OUTPROXY_HEAD_MAX + SOCKS_CHUNK <=
    PROXY_BUF, "a reply and what follows the outproxy's head");

struct socks_conn {
	struct socks	 neg;		/* first: see state() */
	int		 outproxy;	/* the stream is to the outproxy */
	int		 answered;	/* the client has its reply */
	int		 refused;	/* ... a failure: nothing more passes */
	uint8_t		*held;		/* the outproxy's answer so far */
	size_t		 heldlen;
};

static struct socks_conn *
sconn(struct proxy_conn *c)
{
	return c->ps;
}

static struct socks *
state(struct proxy_conn *c)
{
	return &sconn(c)->neg;
}

static void
s_init(struct proxy_conn *c)
{
	socks_init(state(c), c->p->auth.user[0] != '\0' ? &c->p->auth :
	    NULL);
}

static void
held_free(struct socks_conn *sc)
{
	if (sc->held != NULL) {
		crypto_wipe(sc->held, OUTPROXY_HEAD_MAX + SOCKS_CHUNK);
		free(sc->held);
	}
	sc->held = NULL;
	sc->heldlen = 0;
}

static void
s_clear(struct proxy_conn *c)
{
	socks_clear(state(c));
	held_free(sconn(c));
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
	sconn(c)->answered = 1;
	sconn(c)->refused = st != SOCKS_OK;
}

/* the same into the open phase's output */
static int
answer_into(struct proxy_conn *c, enum socks_status st, struct wbuf *w)
{
	sconn(c)->answered = 1;
	sconn(c)->refused = st != SOCKS_OK;
	if (st != SOCKS_OK)
		log_debug("tunnel %s: socks: the outproxy refused %.64s",
		    c->p->conf.dest, socks_target(state(c))->host);
	return socks_reply(state(c), st, w);
}

/*
 * A name the outproxy is asked for: letters, digits, '-', '_' and '.'
 * only, so that what goes in its CONNECT line is a host and no more
 */
static int
dns_name(const char *host)
{
	size_t	 n = strlen(host);

	return n > 0 && strspn(host, "abcdefghijklmnopqrstuvwxyz0123456789"
	    "-_.") == n;
}

/*
 * A host outside I2P: CONNECT host:port to the outproxy goes first on
 * the stream, before what the client may have sent after its request.
 * -1 after a refusal if there is no outproxy.
 */
static int
to_outproxy(struct proxy_conn *c, const struct socks_target *t)
{
	struct phttp_target	 pt;
	uint8_t			 buf[2 * SOCKS_FIELD_MAX + 128];
	struct wbuf		 w;

	if (c->p->conf.target[0] == '\0') {
		log_debug("tunnel %s: socks: %.64s is not an I2P host",
		    c->p->conf.dest, t->host);
		answer(c, SOCKS_NOT_ALLOWED);
		return -1;
	}
	if (t->atyp == SOCKS_ATYP_NAME && !dns_name(t->host)) {
		log_debug("tunnel %s: socks: %.64s is not a host name",
		    c->p->conf.dest, t->host);
		answer(c, SOCKS_HOST_UNREACH);
		return -1;
	}
	(void)pconn_outproxy(c);
	memset(&pt, 0, sizeof(pt));
	strlcpy(pt.host, t->host, sizeof(pt.host));
	pt.port = t->port;
	pt.has_port = 1;
	pt.connect = 1;
	pt.ipv6 = t->atyp == SOCKS_ATYP_IPV6;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (phttp_connect_request(&pt, &w) == -1 ||
	    wbuf_len(&w) > c->bufsz - c->inlen) {
		answer(c, SOCKS_FAILURE);
		return -1;
	}
	memmove(c->in + wbuf_len(&w), c->in, c->inlen);
	memcpy(c->in, wbuf_data(&w), wbuf_len(&w));
	c->inlen += wbuf_len(&w);
	sconn(c)->outproxy = 1;
	return 1;
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
	if (!t->i2p)
		return to_outproxy(c, t);
	if (proxy_target(t->host, &c->tkind, &c->tdest, c->thash) == -1) {
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

/* to an outproxy, the reply waits for its answer */
static void
s_connected(struct proxy_conn *c)
{
	if (!sconn(c)->outproxy)
		answer(c, SOCKS_OK);
}

/*
 * The outproxy's answer, held until its head is whole: the reply it
 * makes, then what followed it (the tunnel's first bytes); a refusal
 * ends the connection once the reply is written
 */
static int
outproxy_answer(struct proxy_conn *c, const uint8_t *p, size_t len,
    struct wbuf *w)
{
	struct socks_conn	*sc = sconn(c);
	struct phttp_err	 err;
	struct rbuf		 rb;
	const uint8_t		*rest;
	size_t			 head_len;
	int			 r, status;

	if (sc->held == NULL &&
	    (sc->held = malloc(OUTPROXY_HEAD_MAX + SOCKS_CHUNK)) == NULL)
		return -1;
	if (len > OUTPROXY_HEAD_MAX + SOCKS_CHUNK - sc->heldlen)
		return -1;
	memcpy(sc->held + sc->heldlen, p, len);
	sc->heldlen += len;
	r = phttp_connect_status(sc->held, sc->heldlen, OUTPROXY_HEAD_MAX,
	    &status, &head_len, &err);
	if (r == PHTTP_MORE)
		return 0;
	if (r == PHTTP_ERR) {
		log_debug("tunnel %s: socks: outproxy: %s", c->p->conf.dest,
		    err.why);
		held_free(sc);
		return answer_into(c, SOCKS_FAILURE, w) == -1 ? -1 : 1;
	}
	if (answer_into(c, socks_outproxy_status(status), w) == -1)
		return -1;
	if (sc->refused) {
		held_free(sc);
		return 1;
	}
	/* what followed the head is the tunnel's */
	rbuf_init(&rb, sc->held, sc->heldlen);
	r = rbuf_skip(&rb, head_len) == -1 || (rbuf_left(&rb) > 0 &&
	    (rbuf_get_ptr(&rb, &rest, rbuf_left(&rb)) == -1 ||
	    wbuf_put_bytes(w, rest, sc->heldlen - head_len) == -1)) ? -1 : 0;
	held_free(sc);
	return r;
}

static int
s_from_i2p(struct proxy_conn *c, const uint8_t *p, size_t len,
    struct wbuf *w)
{
	struct socks_conn	*sc = sconn(c);

	if (sc->refused)
		return 1;
	if (sc->outproxy && !sc->answered)
		return outproxy_answer(c, p, len, w);
	return wbuf_put_bytes(w, p, len);
}

/* after a refusal nothing of the client's goes on */
static int
s_to_i2p(struct proxy_conn *c, const uint8_t *p, size_t len, struct wbuf *w)
{
	if (sconn(c)->refused)
		return 1;
	return wbuf_put_bytes(w, p, len);
}

/* the outproxy closed before it answered */
static void
s_eof(struct proxy_conn *c, struct wbuf *w)
{
	struct socks_conn	*sc = sconn(c);

	if (sc->outproxy && !sc->answered) {
		held_free(sc);
		(void)answer_into(c, SOCKS_REFUSED, w);
	}
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
	.to_i2p = s_to_i2p,
	.from_i2p = s_from_i2p,
	.eof = s_eof,
	.chunk = SOCKS_CHUNK,
	.state_size = sizeof(struct socks_conn),
	.init = s_init,
	.clear = s_clear,
};
