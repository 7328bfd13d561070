/*
 * Sessions as routerd sees them: netd reports them up and down, passes
 * up the I2NP messages they carry, and dials the routers we ask for.
 *
 * I2NP from sessions goes where it belongs: stores to the netDb and the
 * floodfill service, lookups to the floodfill service, search replies
 * to exploration, DeliveryStatus to the publishing of our RouterInfo
 * (announce.c), which also gives each new session our RouterInfo.  We
 * keep sessions to up to PEERS_TARGET known routers, dialing more every
 * DIAL_INTERVAL, and dial any router we hold when a message is for it.
 *
 * What we remember of a router goes when it has been idle (no session,
 * nothing dialed, failed or sent) for PEER_IDLE, and the oldest idle
 * one makes room when PEERS_MAX are remembered (audit #8): each fresh
 * identity that opens a session used to cost memory for good, and
 * every dial round walked them all.
 */
#include <bsd/string.h>
#include <bsd/sys/cdefs.h>
#include <bsd/sys/tree.h>
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
#include "garlic.h"

#define PEERS_TARGET		16
#define PEERS_PENDING_MAX	8	/* dials in flight */
#define DIAL_INTERVAL		10	/* s between dial rounds */
#define DIAL_BACKOFF		60	/* s before redialing a router */
#define I2NP_EXPIRY		60	/* s our messages stay valid */
#define UNREACHABLE_TTL		600	/* s a failed dial keeps a router
					   out of our tunnels */
#define PEER_IDLE		3600	/* s unused before a router is idle */
#define PEERS_MAX		10000	/* routers remembered */

struct peer_state {
	RB_ENTRY(peer_state)	 entry;
	uint8_t			 hash[32];
	int			 up;		/* sessions up (both ways) */
	int			 inbound;
	time_t			 dialed;	/* last dial, 0 if never */
	time_t			 dial_failed;	/* last dial that failed */
	time_t			 upsince;	/* when the first came up */
	time_t			 used;		/* last session change, dial or
						   message sent */
	uint64_t		 msgs_in, msgs_out;
};

/* every router we had a session with or sent to: found once a message */
RB_HEAD(peer_tree, peer_state);
RB_PROTOTYPE(peer_tree, peer_state, entry, peer_cmp)
static struct peer_tree		peers = RB_INITIALIZER(&peers);
static size_t			npeers;
static struct event		ev_dial;
static int			started;

static int
peer_cmp(struct peer_state *a, struct peer_state *b)
{
	return memcmp(a->hash, b->hash, sizeof(a->hash));
}
RB_GENERATE(peer_tree, peer_state, entry, peer_cmp)

static void
peer_remove(struct peer_state *ps)
{
	RB_REMOVE(peer_tree, &peers, ps);
	free(ps);
	npeers--;
}

/*
 * No session and unused for PEER_IDLE.  A failed dial counts as use,
 * so peers_unreachable() keeps its UNREACHABLE_TTL (shorter).
 */
static int
peer_idle(const struct peer_state *ps, time_t now)
{
	return ps->up == 0 && now - ps->used >= PEER_IDLE;
}

/* PEERS_MAX remembered: the router without a session used longest ago */
static void
peer_make_room(void)
{
	struct peer_state	*ps, *oldest = NULL;

	RB_FOREACH(ps, peer_tree, &peers)
		if (ps->up == 0 && (oldest == NULL || ps->used < oldest->used))
			oldest = ps;
	if (oldest != NULL)
		peer_remove(oldest);
}

static struct peer_state *
peer_find(const uint8_t hash[32], int create)
{
	struct peer_state	 key, *ps;

	memcpy(key.hash, hash, 32);
	if ((ps = RB_FIND(peer_tree, &peers, &key)) != NULL || !create)
		return ps;
	if (npeers >= PEERS_MAX)
		peer_make_room();
	if ((ps = calloc(1, sizeof(*ps))) == NULL)
		fatal(NULL);
	memcpy(ps->hash, hash, 32);
	ps->used = time(NULL);
	RB_INSERT(peer_tree, &peers, ps);
	npeers++;
	return ps;
}

size_t
peers_expire(time_t now)
{
	struct peer_state	*ps, *next;
	size_t			 gone = 0;

	RB_FOREACH_SAFE(ps, peer_tree, &peers, next)
		if (peer_idle(ps, now)) {
			peer_remove(ps);
			gone++;
		}
	return gone;
}

size_t
peers_count(void)
{
	return npeers;
}

static void
counts(int *up, int *pending)
{
	struct peer_state	*ps;
	time_t			 now = time(NULL);

	*up = *pending = 0;
	RB_FOREACH(ps, peer_tree, &peers) {
		if (ps->up)
			(*up)++;
		else if (ps->dialed != 0 && now - ps->dialed < DIAL_BACKOFF)
			(*pending)++;
	}
}

/*
 * One I2NP message (9-byte header form) to a peer, header as given.
 * The batch record's length is a u16: a larger message is refused here
 * rather than truncated into a batch netd must treat as fatal.
 */
static int
send_i2np(const uint8_t hash[32], struct i2np_hdr *hp, const uint8_t *payload,
    size_t len)
{
	struct peer	*netd = peer_get(PROC_NETD);
	struct i2np_hdr	 h = *hp;
	struct wbuf	 w;
	struct peer_state *ps;
	size_t		 lenoff;
	int		 rv = -1;

	if (len > UINT16_MAX - I2NP_SHORT_HDRLEN)
		return -1;
	if (netd == NULL || wbuf_init_dynamic(&w, 256 + len, NET_BATCH_MAX +
	    sizeof(struct net_peer)) == -1)
		return -1;
	wbuf_put_bytes(&w, hash, 32);
	wbuf_reserve(&w, 2, &lenoff);
	i2np_msg_write_short(&h, payload, len, &w);
	wbuf_set_u16(&w, lenoff, wbuf_len(&w) - lenoff - 2);
	if (!wbuf_error(&w)) {
		peer_compose(netd, IMSG_NET_I2NP_OUT, 0, -1, wbuf_data(&w),
		    wbuf_len(&w));
		if ((ps = peer_find(hash, 0)) != NULL) {
			ps->msgs_out++;
			ps->used = time(NULL);
		}
		rv = 0;
	}
	wbuf_free(&w);
	return rv;
}

/*
 * A DatabaseStore.  One that came down our tunnels with a reply token
 * is dropped: acknowledging it, straight from our router to a gateway
 * the sender chose, would tell the sender whose tunnel it was (audit
 * #3).  -1 if dropped that way.
 */
static int
handle_dsm(const uint8_t from[32], const uint8_t *payload, size_t len,
    int via_tunnel)
{
	struct dsm	*d;
	const char	*why;
	char		 b64[B64_ENCLEN(32)];
	int		 stored = -1;

	if ((d = malloc(sizeof(*d))) == NULL)
		fatal(NULL);
	if (dsm_parse(d, payload, len, &why) == -1) {
		b64_encode(b64, sizeof(b64), from, 32);
		log_debug("DatabaseStore from %.8s: %s", b64, why);
		free(d);
		return 0;
	}
	if (via_tunnel && d->reply_token != 0) {
		log_debug("DatabaseStore with a reply token down a tunnel "
		    "of ours dropped");
		free(d);
		return -1;
	}
	if (d->type == DSM_TYPE_RI) {
		stored = netdb_store(d->data, d->datalen, d->key, from, 1,
		    &why);
		if (stored >= 0)
			transit_router_known(d->key);
	} else
		stored = lsdb_store(d->type, d->key, d->data, d->datalen,
		    from, time(NULL), &why);
	if (stored == -1) {
		b64_encode(b64, sizeof(b64), d->key, 32);
		log_debug("%s %.8s refused: %s", d->type == DSM_TYPE_RI ?
		    "RouterInfo" : "LeaseSet", b64, why);
	}
	floodfill_stored(from, d, stored);
	free(d);
	return 0;
}

/* one I2NP message, from a peer or from ourselves (a tunnel's end) */
static void
dispatch(const uint8_t from[32], const struct i2np_hdr *hp, const uint8_t *p)
{
	struct i2np_hdr	 h = *hp;
	char		 b64[B64_ENCLEN(32)];

	/* expired beyond clock skew: whoever sent it has given up on it */
	if (i2np_expired(&h, (uint64_t)time(NULL) * 1000)) {
		b64_encode(b64, sizeof(b64), from, 32);
		log_debug("expired %s from %.8s dropped",
		    i2np_type_name(h.type) ? i2np_type_name(h.type) : "I2NP",
		    b64);
		return;
	}
	switch (h.type) {
	case I2NP_DATABASE_STORE:
		(void)handle_dsm(from, p, h.size, 0);
		break;
	case I2NP_DATABASE_LOOKUP:
		floodfill_lookup(from, p, h.size);
		break;
	case I2NP_DATABASE_SEARCH_REPLY:
		explore_dsrm(from, p, h.size);
		break;
	case I2NP_DELIVERY_STATUS:
		/* the answer to a store of ours with a reply token */
		b64_encode(b64, sizeof(b64), from, 32);
		if (tunnels_status(p, h.size))
			break;
		log_debug("DeliveryStatus from %.8s%s", b64,
		    announce_status(p, h.size) ? ": our store verified" : "");
		break;
	case I2NP_SHORT_TUNNEL_BUILD:
		/* the reply to an inbound build of ours, or a request */
		if (tunnels_build_reply(from, &h, p) == 0)
			transit_build(from, p, h.size);
		break;
	case I2NP_OUTBOUND_TUNNEL_BUILD_REPLY:
	case I2NP_VARIABLE_TUNNEL_BUILD_REPLY:
		if (tunnels_build_reply(from, &h, p) == 0)
			log_debug("unexpected build reply (type %u) %u "
			    "dropped", h.type, h.msg_id);
		break;
	case I2NP_TUNNEL_DATA:
		if (tunnels_data(from, p, h.size) == 0)
			transit_data(from, p, h.size);
		break;
	case I2NP_TUNNEL_GATEWAY:
		if (tunnels_gateway(from, p, h.size) == 0)
			transit_gateway(from, p, h.size);
		break;
	case I2NP_GARLIC:
		garlic_in(from, p, h.size, 0);
		break;
	case I2NP_VARIABLE_TUNNEL_BUILD:
		if (tunnels_build_reply(from, &h, p) == 0)
			transit_build_long(from, p, h.size);
		break;
	default:
		break;
	}
}

void
peers_dispatch(const uint8_t from[32], const struct i2np_hdr *h,
    const uint8_t *payload)
{
	dispatch(from, h, payload);
}

/*
 * What arrives at the end of our exploratory inbound tunnels, or in
 * garlic that came that way.  Who knows such a tunnel (a floodfill we
 * looked up through it, the endpoint of a client tunnel whose build
 * reply came through it) must not be able to make our router answer
 * as itself, so only the replies we wait for pass, as in the Java
 * router's inbound distributor: stores without a reply token and
 * search replies (our lookups), DeliveryStatus (our tests and
 * stores), garlic (opened, its cloves filtered the same way) and the
 * replies to our builds.  Never a lookup, a build request, tunnel
 * traffic.  -1 if dropped (the caller counts it).
 */
int
peers_dispatch_tunnel(const struct i2np_hdr *hp, const uint8_t *p)
{
	const struct router_info	*self = publish_current();
	struct i2np_hdr			 h = *hp;

	if (self == NULL ||
	    i2np_expired(&h, (uint64_t)time(NULL) * 1000))
		return -1;
	switch (h.type) {
	case I2NP_DATABASE_STORE:
		return handle_dsm(self->ident.hash, p, h.size, 1);
	case I2NP_DATABASE_SEARCH_REPLY:
	case I2NP_DELIVERY_STATUS:
		dispatch(self->ident.hash, &h, p);
		return 0;
	case I2NP_GARLIC:
		garlic_in(self->ident.hash, p, h.size, 1);
		return 0;
	case I2NP_SHORT_TUNNEL_BUILD:
	case I2NP_VARIABLE_TUNNEL_BUILD:
	case I2NP_OUTBOUND_TUNNEL_BUILD_REPLY:
	case I2NP_VARIABLE_TUNNEL_BUILD_REPLY:
		/* a reply to one of our builds, or nothing */
		return tunnels_build_reply(self->ident.hash, &h, p) ? 0 : -1;
	default:
		return -1;
	}
}

static void
handle_i2np(const uint8_t from[32], const uint8_t *msg, size_t len)
{
	struct i2np_hdr	 h;
	struct rbuf	 payload;
	const uint8_t	*p;
	struct i2p_err	 err;

	if (i2np_msg_parse_short(&h, &payload, msg, len, &err) == -1 ||
	    rbuf_get_ptr(&payload, &p, rbuf_left(&payload)) == -1)
		return;
	dispatch(from, &h, p);
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
	ps->used = time(NULL);
	if (ps->up++ == 0)
		ps->upsince = ps->used;
	ps->dial_failed = 0;
	ps->inbound = s.inbound;
	b64_encode(b64, sizeof(b64), s.hash, 32);
	log_info("session %s %s", s.inbound ? "from" : "to", b64);
	announce_session(s.hash);
}

void
peers_session_down(struct imsg *imsg)
{
	struct net_session_down	 d;
	struct peer_state	*ps;
	char			 b64[B64_ENCLEN(32)];

	if (imsg_get_data(imsg, &d, sizeof(d)) == -1)
		fatalx("NET_SESSION_DOWN: bad length");
	/*
	 * Two sessions with one router are common (both dialed); the
	 * router is reachable while either is up.  When the last one
	 * that lasted goes, the next message may dial again at once: the
	 * backoff is for dials that fail, and a transit tunnel's traffic
	 * must not be dropped for a minute because an idle session closed.
	 */
	if ((ps = peer_find(d.hash, 0)) != NULL)
		ps->used = time(NULL);
	if (ps != NULL && d.reason == NET_DOWN_DIAL_FAILED && ps->up == 0)
		ps->dial_failed = time(NULL);
	if (ps != NULL && d.reason != NET_DOWN_DIAL_FAILED && ps->up > 0 &&
	    --ps->up == 0 && time(NULL) - ps->upsince >= DIAL_BACKOFF / 6)
		ps->dialed = 0;
	b64_encode(b64, sizeof(b64), d.hash, 32);
	log_info("session with %s down (reason %u, termination %u)", b64,
	    d.reason, d.termination);
}

/*
 * A router we could not dial lately and have no session with: no hop
 * of ours.  Anyone can put RouterInfos naming dead addresses into our
 * netDb (a session, a store); each would otherwise cost a build.
 */
int
peers_unreachable(const uint8_t hash[32])
{
	struct peer_state	*ps;

	return (ps = peer_find(hash, 0)) != NULL && ps->up == 0 &&
	    ps->dial_failed != 0 &&
	    time(NULL) - ps->dial_failed < UNREACHABLE_TTL;
}

/*
 * A router we have a session with or used within PEER_IDLE (dialed,
 * sent to: the floodfills we ask, our tunnels' first hops): the netDb
 * keeps its RouterInfo when it must make room.
 */
int
peers_in_use(const uint8_t hash[32])
{
	struct peer_state	*ps;

	if ((ps = peer_find(hash, 0)) == NULL)
		return 0;
	return ps->up > 0 || time(NULL) - ps->used < PEER_IDLE;
}

void
peers_peer_ri(struct imsg *imsg)
{
	const char	*why;

	if (imsg->datalen <= sizeof(struct net_peer))
		fatalx("NET_PEER_RI: short");
	/*
	 * The peer proved this identity in the handshake; a new version
	 * costs its store bucket like a DatabaseStore (audit #6).
	 */
	if (netdb_store((uint8_t *)imsg->data + sizeof(struct net_peer),
	    imsg->datalen - sizeof(struct net_peer), imsg->data, imsg->data,
	    1, &why) == -1)
		log_debug("RouterInfo from a session refused: %s", why);
}

int
peers_send(const uint8_t hash[32], uint8_t type, const uint8_t *payload,
    size_t len)
{
	struct i2np_hdr	h;

	memset(&h, 0, sizeof(h));
	h.type = type;
	h.msg_id = crypto_random_id();
	h.expiration = ((uint64_t)time(NULL) + I2NP_EXPIRY) * 1000;
	return peers_send_hdr(hash, &h, payload, len);
}

int
peers_send_hdr(const uint8_t hash[32], struct i2np_hdr *h,
    const uint8_t *payload, size_t len)
{
	const struct router_info	*self = publish_current();
	struct peer_state		*ps;

	/*
	 * To ourselves: the end of a tunnel that names us (an outbound
	 * endpoint delivering to the gateway of an inbound tunnel of
	 * ours, say) is the same as a message from the network, handled
	 * from the event loop (selfq.c): never by recursion, which tunnels
	 * looped through us would take down the stack.
	 */
	if (self != NULL && memcmp(hash, self->ident.hash, 32) == 0)
		return selfq_push(h, payload, len);
	ps = peer_find(hash, 0);
	const struct ri_entry	*e;
	time_t			 now = time(NULL);

	if (ps == NULL || !ps->up) {
		/* netd holds messages for a router while it dials */
		if ((e = netdb_get(hash)) == NULL || !netdb_dialable(e))
			return -1;
		ps = peer_find(hash, 1);
		if (ps->dialed == 0 || now - ps->dialed >= DIAL_BACKOFF) {
			ps->dialed = ps->used = now;
			peer_compose(peer_get(PROC_NETD), IMSG_NET_DIAL, 0, -1,
			    e->raw, e->rawlen);
		}
	}
	return send_i2np(hash, h, payload, len);
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

	if (!netdb_dialable(e) || dr->up + dr->pending >= PEERS_TARGET ||
	    dr->pending >= PEERS_PENDING_MAX)
		return;
	ps = peer_find(e->hash, 1);
	if (ps->up || (ps->dialed != 0 && dr->now - ps->dialed < DIAL_BACKOFF))
		return;
	ps->dialed = ps->used = dr->now;
	dr->pending++;
	peer_compose(peer_get(PROC_NETD), IMSG_NET_DIAL, 0, -1, e->raw,
	    e->rawlen);
}

static void
dial_timer(int fd, short event, void *arg)
{
	struct timeval		tv = { DIAL_INTERVAL, 0 };
	struct dial_round	dr;

	dr.now = time(NULL);
	peers_expire(dr.now);
	counts(&dr.up, &dr.pending);
	if (publish_current() != NULL)
		netdb_foreach(dial_one, &dr);
	evtimer_add(&ev_dial, &tv);
}

/* once our RouterInfo is published: tell netd and start dialing */
/* a message we sent ourselves, its turn come (selfq.c) */
static void
self_deliver(const struct i2np_hdr *h, const uint8_t *payload)
{
	const struct router_info	*self = publish_current();

	if (self != NULL)
		dispatch(self->ident.hash, h, payload);
}

void
peers_local(const struct router_info *ri)
{
	struct timeval	now = { 0, 0 };

	selfq_init(self_deliver, 1);

	peer_compose(peer_get(PROC_NETD), IMSG_NET_LOCAL, 0, -1, ri->raw,
	    ri->rawlen);
	announce_changed();
	if (started)
		return;
	started = 1;
	evtimer_set(&ev_dial, dial_timer, NULL);
	evtimer_add(&ev_dial, &now);
	explore_start();
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

	selfq_shutdown();
	if (started) {
		evtimer_del(&ev_dial);
		announce_shutdown();
		explore_shutdown();
	}
	while ((ps = RB_MIN(peer_tree, &peers)) != NULL)
		peer_remove(ps);
}
