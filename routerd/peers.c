/*
 * Sessions as routerd sees them: netd reports them up and down, passes
 * up the I2NP messages they carry, and dials the routers we ask for.
 *
 * What runs over them for now: each new session gets our RouterInfo in
 * a DatabaseStore; floodfill peers get it again every PUBLISH_INTERVAL
 * with a reply token, which makes them answer with a DeliveryStatus (so
 * traffic flows both ways and we learn that the store arrived);
 * RouterInfos peers send us are verified and kept.  We keep sessions to
 * up to PEERS_TARGET known routers, dialing more every DIAL_INTERVAL.
 */
#include <bsd/string.h>
#include <bsd/sys/queue.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "netbatch.h"
#include "routerd.h"
#include "dsm.h"

#define PEERS_TARGET		16
#define PEERS_PENDING_MAX	8	/* dials in flight */
#define DIAL_INTERVAL		10	/* s between dial rounds */
#define DIAL_BACKOFF		60	/* s before redialing a router */
#define PUBLISH_INTERVAL	60	/* s between stores to floodfills */
#define I2NP_EXPIRY		60	/* s our messages stay valid */

struct peer_state {
	TAILQ_ENTRY(peer_state)	 entry;
	uint8_t			 hash[32];
	int			 up;
	int			 inbound;
	time_t			 dialed;	/* last dial, 0 if never */
	uint64_t		 msgs_in, msgs_out;
};

static TAILQ_HEAD(, peer_state)	peers = TAILQ_HEAD_INITIALIZER(peers);
static struct event		ev_dial, ev_publish;
static int			started;
static uint64_t			stores_in, status_in, dropped_in;

static struct peer_state *
peer_find(const uint8_t hash[32], int create)
{
	struct peer_state	*ps;

	TAILQ_FOREACH(ps, &peers, entry)
		if (memcmp(ps->hash, hash, 32) == 0)
			return ps;
	if (!create)
		return NULL;
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		fatal(NULL);
	memcpy(ps->hash, hash, 32);
	TAILQ_INSERT_TAIL(&peers, ps, entry);
	return ps;
}

static void
counts(int *up, int *pending)
{
	struct peer_state	*ps;
	time_t			 now = time(NULL);

	*up = *pending = 0;
	TAILQ_FOREACH(ps, &peers, entry) {
		if (ps->up)
			(*up)++;
		else if (ps->dialed != 0 && now - ps->dialed < DIAL_BACKOFF)
			(*pending)++;
	}
}

/* one I2NP message (9-byte header form) to a peer */
static void
send_i2np(const uint8_t hash[32], uint8_t type, const uint8_t *payload,
    size_t len)
{
	struct peer	*netd = peer_get(PROC_NETD);
	struct i2np_hdr	 h;
	struct wbuf	 w;
	struct peer_state *ps;
	size_t		 lenoff;

	if (netd == NULL || wbuf_init_dynamic(&w, 256 + len, NET_BATCH_MAX +
	    sizeof(struct net_peer)) == -1)
		return;
	memset(&h, 0, sizeof(h));
	h.type = type;
	crypto_random(&h.msg_id, sizeof(h.msg_id));
	h.expiration = ((uint64_t)time(NULL) + I2NP_EXPIRY) * 1000;
	wbuf_put_bytes(&w, hash, 32);
	wbuf_reserve(&w, 2, &lenoff);
	i2np_msg_write_short(&h, payload, len, &w);
	wbuf_set_u16(&w, lenoff, wbuf_len(&w) - lenoff - 2);
	if (!wbuf_error(&w)) {
		peer_compose(netd, IMSG_NET_I2NP_OUT, 0, -1, wbuf_data(&w),
		    wbuf_len(&w));
		if ((ps = peer_find(hash, 0)) != NULL)
			ps->msgs_out++;
	}
	wbuf_free(&w);
}

/*
 * Our RouterInfo in a DatabaseStore; a token asks for a DeliveryStatus.
 * Every new session gets the same store without a token: it is built
 * (gzip and all) once per RouterInfo we publish, not once per session.
 */
static void
send_our_ri(const uint8_t hash[32], int want_reply)
{
	static uint8_t			 plain[DSM_RI_MAX + 128];
	static size_t			 plainlen;
	static uint64_t			 plain_published;
	const struct router_info	*ri = publish_current();
	uint8_t				 buf[DSM_RI_MAX + 128];
	struct wbuf			 w;
	uint32_t			 token = 0;

	if (ri == NULL)
		return;
	if (!want_reply && plainlen > 0 && plain_published == ri->published) {
		send_i2np(hash, I2NP_DATABASE_STORE, plain, plainlen);
		return;
	}
	if (want_reply)
		while (token == 0)
			crypto_random(&token, sizeof(token));
	wbuf_init_fixed(&w, buf, sizeof(buf));
	if (dsm_build_ri(&w, ri->ident.hash, ri->raw, ri->rawlen, token, 0,
	    ri->ident.hash) == -1) {
		log_warnx("cannot build a DatabaseStore of our RouterInfo");
		return;
	}
	if (!want_reply) {
		memcpy(plain, wbuf_data(&w), wbuf_len(&w));
		plainlen = wbuf_len(&w);
		plain_published = ri->published;
	}
	send_i2np(hash, I2NP_DATABASE_STORE, wbuf_data(&w), wbuf_len(&w));
}

static void
handle_dsm(const uint8_t from[32], const uint8_t *payload, size_t len)
{
	struct dsm	*d;
	const char	*why;
	char		 b64[B64_ENCLEN(32)];
	int		 stored = -1;

	if ((d = malloc(sizeof(*d))) == NULL)
		fatal(NULL);
	stores_in++;
	if (dsm_parse(d, payload, len, &why) == -1) {
		b64_encode(b64, sizeof(b64), from, 32);
		log_debug("DatabaseStore from %.8s: %s", b64, why);
		free(d);
		return;
	}
	if (d->type == DSM_TYPE_RI &&
	    (stored = netdb_store(d->data, d->datalen, d->key, 1, &why)) ==
	    -1) {
		b64_encode(b64, sizeof(b64), d->key, 32);
		log_debug("RouterInfo %.8s refused: %s", b64, why);
	}
	floodfill_stored(from, d, stored);
	free(d);
}

static void
handle_i2np(const uint8_t from[32], const uint8_t *msg, size_t len)
{
	struct i2np_hdr	 h;
	struct rbuf	 payload;
	const uint8_t	*p;
	struct i2p_err	 err;
	char		 b64[B64_ENCLEN(32)];

	if (i2np_msg_parse_short(&h, &payload, msg, len, &err) == -1 ||
	    rbuf_get_ptr(&payload, &p, rbuf_left(&payload)) == -1) {
		dropped_in++;
		return;
	}
	switch (h.type) {
	case I2NP_DATABASE_STORE:
		handle_dsm(from, p, h.size);
		break;
	case I2NP_DATABASE_LOOKUP:
		floodfill_lookup(from, p, h.size);
		break;
	case I2NP_DELIVERY_STATUS:
		/* the answer to a store of ours with a reply token */
		status_in++;
		b64_encode(b64, sizeof(b64), from, 32);
		log_debug("DeliveryStatus from %.8s", b64);
		break;
	default:
		/* tunnels, garlic: later issues */
		dropped_in++;
		break;
	}
}

/* a batch from netd: net_peer, then (u16 length, message) records */
void
peers_i2np_in(struct imsg *imsg)
{
	struct rbuf		 r;
	struct peer_state	*ps;
	const uint8_t		*msg;
	uint8_t			 hash[32];
	size_t			 len;
	int			 more;

	if (netbatch_begin(&r, imsg->data, imsg->datalen, hash) == -1)
		fatalx("NET_I2NP_IN: short");
	ps = peer_find(hash, 0);
	while ((more = netbatch_next(&r, &msg, &len)) == 1) {
		if (ps != NULL)
			ps->msgs_in++;
		handle_i2np(hash, msg, len);
	}
	if (more == -1)
		fatalx("NET_I2NP_IN: malformed batch from netd");
}

void
peers_session_up(struct imsg *imsg)
{
	struct net_session	 s;
	struct peer_state	*ps;
	char			 b64[B64_ENCLEN(32)];

	if (imsg_get_data(imsg, &s, sizeof(s)) == -1)
		fatalx("NET_SESSION_UP: bad length");
	ps = peer_find(s.hash, 1);
	ps->up = 1;
	ps->inbound = s.inbound;
	b64_encode(b64, sizeof(b64), s.hash, 32);
	log_info("session %s %s", s.inbound ? "from" : "to", b64);
	send_our_ri(s.hash, 0);
}

void
peers_session_down(struct imsg *imsg)
{
	struct net_session_down	 d;
	struct peer_state	*ps;
	char			 b64[B64_ENCLEN(32)];

	if (imsg_get_data(imsg, &d, sizeof(d)) == -1)
		fatalx("NET_SESSION_DOWN: bad length");
	if ((ps = peer_find(d.hash, 0)) != NULL)
		ps->up = 0;
	b64_encode(b64, sizeof(b64), d.hash, 32);
	log_info("session with %s down (reason %u, termination %u)", b64,
	    d.reason, d.termination);
}

void
peers_peer_ri(struct imsg *imsg)
{
	const char	*why;

	if (imsg->datalen <= sizeof(struct net_peer))
		fatalx("NET_PEER_RI: short");
	/* the peer proved this identity in the handshake */
	if (netdb_store((uint8_t *)imsg->data + sizeof(struct net_peer),
	    imsg->datalen - sizeof(struct net_peer), imsg->data, 1, &why) == -1)
		log_debug("RouterInfo from a session refused: %s", why);
}

int
peers_send(const uint8_t hash[32], uint8_t type, const uint8_t *payload,
    size_t len)
{
	struct peer_state	*ps = peer_find(hash, 0);
	const struct ri_entry	*e;
	time_t			 now = time(NULL);

	if (ps == NULL || !ps->up) {
		/* netd holds messages for a router while it dials */
		if ((e = netdb_get(hash)) == NULL || !e->ntcp2)
			return -1;
		ps = peer_find(hash, 1);
		if (ps->dialed == 0 || now - ps->dialed >= DIAL_BACKOFF) {
			ps->dialed = now;
			peer_compose(peer_get(PROC_NETD), IMSG_NET_DIAL, 0, -1,
			    e->raw, e->rawlen);
		}
	}
	send_i2np(hash, type, payload, len);
	return 0;
}

struct dial_round {
	int	up, pending;
	time_t	now;
};

static void
dial_one(const struct ri_entry *e, void *arg)
{
	struct dial_round	*dr = arg;
	struct peer_state	*ps;

	if (!e->ntcp2 || dr->up + dr->pending >= PEERS_TARGET ||
	    dr->pending >= PEERS_PENDING_MAX)
		return;
	ps = peer_find(e->hash, 1);
	if (ps->up || (ps->dialed != 0 && dr->now - ps->dialed < DIAL_BACKOFF))
		return;
	ps->dialed = dr->now;
	dr->pending++;
	peer_compose(peer_get(PROC_NETD), IMSG_NET_DIAL, 0, -1, e->raw,
	    e->rawlen);
}

static void
dial_timer(int fd, short event, void *arg)
{
	struct timeval		tv = { DIAL_INTERVAL, 0 };
	struct dial_round	dr;

	counts(&dr.up, &dr.pending);
	dr.now = time(NULL);
	if (publish_current() != NULL)
		netdb_foreach(dial_one, &dr);
	evtimer_add(&ev_dial, &tv);
}

static void
publish_timer(int fd, short event, void *arg)
{
	struct timeval		 tv = { PUBLISH_INTERVAL, 0 };
	struct peer_state	*ps;
	const struct ri_entry	*e;

	TAILQ_FOREACH(ps, &peers, entry)
		if (ps->up && (e = netdb_get(ps->hash)) != NULL &&
		    e->floodfill)
			send_our_ri(ps->hash, 1);
	log_debug("stores received %llu, delivery status %llu, dropped %llu",
	    (unsigned long long)stores_in, (unsigned long long)status_in,
	    (unsigned long long)dropped_in);
	evtimer_add(&ev_publish, &tv);
}

/* once our RouterInfo is published: tell netd and start dialing */
void
peers_local(const struct router_info *ri)
{
	struct timeval	now = { 0, 0 }, later = { PUBLISH_INTERVAL, 0 };

	peer_compose(peer_get(PROC_NETD), IMSG_NET_LOCAL, 0, -1, ri->raw,
	    ri->rawlen);
	if (started)
		return;
	started = 1;
	evtimer_set(&ev_dial, dial_timer, NULL);
	evtimer_add(&ev_dial, &now);
	evtimer_set(&ev_publish, publish_timer, NULL);
	evtimer_add(&ev_publish, &later);
}

int
peers_up(void)
{
	int	up, pending;

	counts(&up, &pending);
	return up;
}

void
peers_shutdown(void)
{
	struct peer_state	*ps;

	if (started) {
		evtimer_del(&ev_dial);
		evtimer_del(&ev_publish);
	}
	while ((ps = TAILQ_FIRST(&peers)) != NULL) {
		TAILQ_REMOVE(&peers, ps, entry);
		free(ps);
	}
}
