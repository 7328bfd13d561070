/*
 * Our own tunnels: the exploratory inbound and outbound pools
 * (tunnels/implementation.html, tunnel-creation-ecies.rst).
 *
 * Each pool keeps "quantity" tunnels of "length" hops.  A build picks
 * hops from the netDb (routers with an NTCP2 address, an X25519 key
 * and a version that takes short records), orders them by XOR distance
 * from the pool's random key, seals the records (build.c) and sends the
 * ShortTunnelBuild to the first hop.  An inbound build's reply is the
 * build message itself, sent to us by the last hop; an outbound
 * build's reply is the endpoint's OutboundTunnelBuildReply, garlic
 * under the key and tag its record gave it, through one of our inbound
 * tunnels (or to us directly on a zero-hop tunnel while we have none).
 * A tunnel lives ten minutes; the pool builds a replacement a minute
 * and a half before, and tests each outbound tunnel every 20 seconds
 * with a DeliveryStatus sent through it to one of our inbound tunnels.
 *
 * Client pools come in pairs, one a direction, for a destination of
 * tunneld's (IMSG_POOL_OPEN): their hops come from the fast and high
 * capacity tier first, where the exploratory pools take any peer not
 * failing; their outbound tunnels are tested through their own inbound
 * ones; tunneld hears when each tunnel is ready and when it is gone.
 * Their builds go and come back through the exploratory tunnels, and
 * nothing arriving through a client tunnel is taken as the router's:
 * a destination must not be tied to the router that hosts it.  What
 * arrives at a client's inbound end is client.c's to sort (client_in);
 * client.c and clientdb.c send out of a client's outbound tunnels with
 * tunnels_client_send (see client.h).
 *
 * The data paths: TunnelData for an inbound tunnel of ours is undone
 * layer by layer (last hop first), its fragments put together and the
 * messages handled as if a peer had sent them; a message out through an
 * outbound tunnel is split into tunnel messages, each with every hop's
 * layer removed in advance (last hop first), so that the endpoint,
 * having added them all, reads it in the clear.
 */
#include <bsd/string.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "routerd.h"
#include "build.h"
#include "client.h"
#include "frag.h"
#include "garlic.h"
#include "profile.h"
#include "select.h"
#include "tmsg.h"

#define TUN_TICK		1	/* s between pool checks */
#define TUN_BUILD_TIMEOUT	30	/* s for a build's reply, as i2pd waits */
#define TUN_BUILD_PATIENCE	10	/* s until another build stands in */
#define TUN_LIFE		600
#define TUN_REBUILD		(TUN_LIFE - 90)	/* replaced from here */
#define TEST_EVERY		20
#define TEST_TIMEOUT		10
#define TEST_FAILS_MAX		3	/* in a row: the tunnel goes */
#define ZERO_HOP_LIFE		TUN_LIFE
#define PROFILE_EVERY		30	/* s between tier updates */
#define PROFILE_SAVE_EVERY	600
#define CLIENTS_MAX		256	/* tunneld's destinations, pools each */

struct tunnel {
	TAILQ_ENTRY(tunnel)	 entry;
	struct pool		*pool;
	int			 state;		/* TUNNEL_* */
	uint32_t		 serial;
	struct build		 b;
	struct tmsg_layer	 layers[BUILD_HOPS_MAX];
	int			 nlayers;	/* set up */
	time_t			 created;	/* build sent */
	int64_t			 sent_ms, built_ms;
	uint64_t		 msgs, bytes;
	struct frag_table	 frags;		/* inbound endpoint */
	uint32_t		 test_id;	/* 0: no test out */
	time_t			 next_test;	/* outbound: when to test */
	time_t			 test_sent;
	int64_t			 test_sent_ms;
	uint32_t		 tests_ok, tests_failed, fails_row;
	int			 garlic;	/* build went as garlic */
};
TAILQ_HEAD(tunnel_list, tunnel);

#define LAT_SAMPLES		64
struct client;
struct pool {
	int			 dir;		/* TUNNEL_IN, TUNNEL_OUT */
	struct pool		*pair;		/* the other direction */
	struct client		*client;	/* NULL: exploratory */
	enum profile_tier	 tier_best;	/* hops from here down */
	int			 length, quantity;
	uint8_t			 order_key[32];
	int			 fixed_gw_min;	/* inbound: 0, or minutes */
	int			 long_recs;	/* build records long always */
	uint8_t			 fixed_gw[32];
	time_t			 fixed_since;	/* 0: none chosen */
	struct tunnel_list	 tunnels;
	struct pool_stats	 st;
	uint32_t		 lat_ms[LAT_SAMPLES];	/* build latency */
	size_t			 nlat;
	uint32_t		 rtt_ms[LAT_SAMPLES];	/* test round trip */
	size_t			 nrtt;
};

struct client {
	TAILQ_ENTRY(client)	 entry;
	uint32_t		 id;		/* tunneld's */
	uint8_t			 dest[32];
	char			 name[DEST_NAME_MAX + 1];
	struct pool		 pools[2];
	struct client_stats	 cnt;		/* client.c, clientdb.c */
};
TAILQ_HEAD(client_list, client);

static struct pool	 pools[2];	/* exploratory */
static struct client_list clients = TAILQ_HEAD_INITIALIZER(clients);
static int		 nclients;
static struct event	 ev_tick;
static int		 running;
static uint32_t		 serials;
static uint32_t		 zero_ids[2];	/* current, previous */
static time_t		 zero_made;
static time_t		 last_profile, last_save;

/* every pool: the two exploratory ones, then each client's two */
static struct pool *
pool_next(struct pool *pl)
{
	struct client	*c;

	if (pl == NULL)
		return &pools[TUNNEL_IN];
	if (pl == &pools[TUNNEL_IN])
		return &pools[TUNNEL_OUT];
	if (pl == &pools[TUNNEL_OUT])
		c = TAILQ_FIRST(&clients);
	else if (pl == &pl->client->pools[TUNNEL_IN])
		return &pl->client->pools[TUNNEL_OUT];
	else
		c = TAILQ_NEXT(pl->client, entry);
	return c == NULL ? NULL : &c->pools[TUNNEL_IN];
}
#define POOL_FOREACH(pl) \
	for ((pl) = pool_next(NULL); (pl) != NULL; (pl) = pool_next(pl))

static int64_t
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const uint8_t *
self_hash(void)
{
	const struct router_info	*self = publish_current();

	return self == NULL ? NULL : self->ident.hash;
}

/* what happened in t, for each of its hops' profiles */
static void
hops_event(const struct tunnel *t, int ev, uint32_t lat_ms)
{
	size_t	i;

	for (i = 0; i < t->b.nhops; i++)
		profile_event(t->b.hops[i].hash, ev, lat_ms, time(NULL));
}

/* tunneld hears of a client tunnel ready (up) or gone */
static void
client_notify(const struct tunnel *t, int up)
{
	struct pool_tunnel	 pt;
	struct peer		*tunneld;

	if (t->pool->client == NULL || t->state != TUNNEL_READY ||
	    (tunneld = peer_get(PROC_TUNNELD)) == NULL)
		return;
	memset(&pt, 0, sizeof(pt));
	pt.client = t->pool->client->id;
	pt.serial = t->serial;
	pt.dir = t->pool->dir;
	pt.up = up;
	if (t->pool->dir == TUNNEL_IN) {
		memcpy(pt.gateway, t->b.hops[0].hash, 32);
		pt.gateway_id = t->b.hops[0].recv_id;
	}
	pt.expires = t->created + TUN_LIFE;
	peer_compose(tunneld, IMSG_POOL_TUNNEL, 0, -1, &pt, sizeof(pt));
}

static void
tunnel_free(struct tunnel *t)
{
	int	i;

	TAILQ_REMOVE(&t->pool->tunnels, t, entry);
	for (i = 0; i < t->nlayers; i++)
		tmsg_layer_free(&t->layers[i]);
	frag_free(&t->frags);
	build_wipe(&t->b);
	free(t);
}

/*
 * An inbound pool may keep its gateway for fixed_gw_min minutes: the
 * gateway is the one hop that sees who sends to us, and a new one in
 * each tunnel gives a predecessor attack more chances.  Kept while it
 * is usable and not failing: 1 if it is hops[0] now.
 */
static int
keep_gateway(struct pool *pl, struct build *b, time_t now)
{
	struct router_info	*ri;
	int			 ok;

	if (pl->dir != TUNNEL_IN || pl->fixed_gw_min == 0 ||
	    pl->fixed_since == 0 ||
	    now - pl->fixed_since >= pl->fixed_gw_min * 60 ||
	    profile_tier(pl->fixed_gw) == TIER_FAILING ||
	    (ri = malloc(sizeof(*ri))) == NULL)
		return 0;
	if ((ok = select_usable(pl->fixed_gw, ri, b->hops[0].pub)) != 0)
		memcpy(b->hops[0].hash, pl->fixed_gw, 32);
	if (ok == HOP_LONG)
		b->long_recs = 1;
	free(ri);
	return ok != 0;
}

/* the hops after a kept gateway, not exclude, counted by tier now */
static int
pick_hops(struct pool *pl, struct build *b, const uint8_t *exclude,
    time_t now)
{
	struct select_req	 req;
	size_t			 i;

	memset(&req, 0, sizeof(req));
	req.self = self_hash();
	req.exclude = exclude;
	req.order_key = pl->order_key;
	req.tier_best = pl->tier_best;
	req.tier_worst = pl->client == NULL ? TIER_FAILING : TIER_OK;
	req.first = keep_gateway(pl, b, now) ? 1 : 0;
	req.length = pl->length;
	if (select_hops(&req, b) == -1)
		return -1;
	for (i = req.first; i < b->nhops; i++)
		pl->st.hop_tiers[profile_tier(b->hops[i].hash)]++;
	if (pl->long_recs)
		b->long_recs = 1;
	if (pl->dir == TUNNEL_IN && pl->fixed_gw_min > 0 && req.first == 0) {
		memcpy(pl->fixed_gw, b->hops[0].hash, 32);
		pl->fixed_since = now;
	}
	return 0;
}

/*
 * The inbound tunnel with the most life left whose gateway is not
 * avoid (if not NULL), or NULL.  An outbound endpoint that is also the gateway of
 * the reply tunnel sees both ends of the build; and i2pd 2.45.1 then
 * puts the reply into its gateway without flushing it, so it waits for
 * the tunnel's next message, often past our timeout.
 */
static struct tunnel *
reply_tunnel(const uint8_t avoid[32])
{
	struct tunnel	*t, *best = NULL;

	TAILQ_FOREACH(t, &pools[TUNNEL_IN].tunnels, entry)
		if (t->state == TUNNEL_READY && (avoid == NULL ||
		    memcmp(t->b.hops[0].hash, avoid, 32) != 0) &&
		    (best == NULL || t->created > best->created))
			best = t;
	return best;
}

/* a random ready tunnel of a pool, or NULL */
static struct tunnel *
any_ready(struct pool *pl)
{
	struct tunnel	*t, *pick = NULL;
	uint32_t	 n = 0;

	TAILQ_FOREACH(t, &pl->tunnels, entry)
		if (t->state == TUNNEL_READY && crypto_random_below(++n) == 0)
			pick = t;
	return pick;
}

/* the tunnel ID outbound build replies come to us on, with no hops */
static uint32_t
zero_hop_id(time_t now)
{
	if (zero_ids[0] == 0 || now - zero_made >= ZERO_HOP_LIFE / 2) {
		zero_ids[1] = zero_ids[0];
		zero_ids[0] = build_random_id();
		zero_made = now;
	}
	return zero_ids[0];
}

/*
 * Out through our outbound tunnel t: the message (header h, payload)
 * split into tunnel messages for delivery as dest says, each with the
 * hops' layers taken off in advance, to the first hop.
 */
static int
tunnel_send(struct tunnel *t, const struct tdi *dest, struct i2np_hdr *h,
    const uint8_t *payload, size_t len)
{
	struct tdi	 parts[64];
	struct wbuf	 w;
	uint8_t		 td[TUNNEL_DATA_LEN], iv[TMSG_IV_LEN];
	uint32_t	 first = t->b.hops[0].recv_id;
	int		 n, i, j, rv = -1;

	if (wbuf_init_dynamic(&w, len + 16, len + 16) == -1)
		return -1;
	if (i2np_msg_write_long(h, payload, len, &w) == -1 ||
	    (n = frag_split(wbuf_data(&w), wbuf_len(&w), dest, crypto_random_id(),
	    parts)) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		crypto_random_fill(iv, sizeof(iv));
		if (tmsg_build(td + 4, iv, &parts[i], 1) == -1)
			goto out;
		for (j = t->nlayers - 1; j >= 0; j--)
			if (tmsg_decrypt(&t->layers[j], td + 4) == -1)
				goto out;
		td[0] = first >> 24;
		td[1] = first >> 16;
		td[2] = first >> 8;
		td[3] = first;
		if (peers_send(t->b.hops[0].hash, I2NP_TUNNEL_DATA, td,
		    sizeof(td)) == -1)
			goto out;
		t->bytes += sizeof(td);
	}
	t->msgs++;
	rv = 0;
 out:
	wbuf_free(&w);
	return rv;
}

/*
 * The build message to the first hop.  An inbound build goes through
 * one of our outbound tunnels when we have one, as garlic to the
 * gateway's key, so that the tunnel's endpoint cannot read it; else
 * straight to the gateway (zero-hop), as with every outbound build.
 */
static int
send_build(struct tunnel *t, const uint8_t *msg, size_t len, time_t now)
{
	struct tunnel	*out;
	struct i2np_hdr	 h;
	struct tdi	 dest;
	struct wbuf	 g;
	int		 rv;

	memset(&h, 0, sizeof(h));
	h.type = t->b.long_recs ? I2NP_VARIABLE_TUNNEL_BUILD :
	    I2NP_SHORT_TUNNEL_BUILD;
	h.msg_id = crypto_random_id();
	h.expiration = ((uint64_t)now + TUN_BUILD_TIMEOUT) * 1000;
	out = t->b.inbound ? any_ready(&pools[TUNNEL_OUT]) : NULL;
	/* a client's gateway must not see the router the build comes from */
	if (out == NULL && t->b.inbound && t->pool->client != NULL)
		return -1;
	if (out == NULL)
		return peers_send_hdr(t->b.hops[0].hash, &h, msg, len);
	if (wbuf_init_dynamic(&g, len + 128, len + 128) == -1)
		return -1;
	rv = garlic_wrap_router(&g, t->b.hops[0].pub, now, &h, msg, len);
	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_ROUTER;
	memcpy(dest.hash, t->b.hops[0].hash, 32);
	h.type = I2NP_GARLIC;
	h.msg_id = crypto_random_id();
	if (rv == 0)
		rv = tunnel_send(out, &dest, &h, wbuf_data(&g), wbuf_len(&g));
	wbuf_free(&g);
	if (rv == 0) {
		t->garlic = 1;
		t->pool->st.builds_garlic++;
	}
	return rv;
}

static void
pool_build(struct pool *pl, time_t now)
{
	const uint8_t	*self = self_hash();
	struct tunnel	*t, *in;
	struct build	*b;
	struct build_hop *obep;
	uint8_t		 msg[BUILD_MSG_MAX];
	int		 len;

	/*
	 * A client's outbound build has its reply come through an
	 * exploratory tunnel, never zero-hop: chosen first, and its gateway
	 * kept out of the hops (see reply_tunnel).
	 */
	in = pl->client != NULL && pl->dir == TUNNEL_OUT ?
	    reply_tunnel(NULL) : NULL;
	if (self == NULL || (pl->client != NULL && pl->dir == TUNNEL_OUT &&
	    in == NULL) || (t = calloc(1, sizeof(*t))) == NULL)
		return;
	b = &t->b;
	b->inbound = pl->dir == TUNNEL_IN;
	if (pick_hops(pl, b, in == NULL ? NULL : in->b.hops[0].hash,
	    now) == -1) {
		pl->st.no_hops++;
		free(t);
		return;
	}
	memcpy(b->self, self, 32);
	if (!b->inbound && (in != NULL ||
	    (in = reply_tunnel(b->hops[b->nhops - 1].hash)) != NULL)) {
		memcpy(b->reply_gw, in->b.hops[0].hash, 32);
		b->reply_tunnel = in->b.hops[0].recv_id;
	} else if (!b->inbound) {
		memcpy(b->reply_gw, self, 32);
		b->reply_tunnel = zero_hop_id(now);
	}
	t->pool = pl;
	t->serial = ++serials;
	t->state = TUNNEL_BUILDING;
	t->created = now;
	t->sent_ms = now_ms();
	frag_init(&t->frags);
	TAILQ_INSERT_TAIL(&pl->tunnels, t, entry);
	pl->st.builds++;
	if (b->long_recs)
		pl->st.builds_long++;
	if ((len = build_make(b, now, msg)) == -1)
		goto fail;
	/* an endpoint garlic-wraps its reply to short records only */
	obep = &b->hops[b->nhops - 1];
	if (!b->inbound && !b->long_recs && garlic_expect(obep->keys.garlic_key,
	    obep->keys.garlic_tag, now + TUN_BUILD_TIMEOUT + 5) == -1)
		goto fail;
	if (send_build(t, msg, len, now) == 0) {
		log_debug("tunnel %u: %s build sent, reply %u%s", t->serial,
		    b->inbound ? "inbound" : "outbound", b->reply_msg_id,
		    b->inbound ? "" : memcmp(b->reply_gw, self, 32) == 0 ?
		    " (zero-hop)" : " (inbound tunnel)");
		return;
	}
 fail:
	pl->st.unroutable++;
	tunnel_free(t);
}

static void
latency_add(struct pool *pl, uint32_t ms)
{
	pl->lat_ms[pl->nlat++ % LAT_SAMPLES] = ms;
}

static void
build_done(struct tunnel *t, const uint8_t *p, size_t len)
{
	struct pool	*pl = t->pool;
	uint8_t		 codes[BUILD_HOPS_MAX];
	char		 b64[B64_ENCLEN(32)];
	size_t		 i;
	int		 rv;

	rv = build_reply(&t->b, p, len, codes);
	if (rv != 0) {
		if (rv == 1) {
			pl->st.refused++;
			for (i = 0; i < t->b.nhops; i++)
				profile_event(t->b.hops[i].hash,
				    codes[i] == BREC_ACCEPT ? PEV_AGREED :
				    PEV_REFUSED, 0, time(NULL));
			for (i = 0; i < t->b.nhops; i++)
				if (codes[i] != BREC_ACCEPT) {
					b64_encode(b64, sizeof(b64),
					    t->b.hops[i].hash, 32);
					log_debug("tunnel %u: hop %zu (%.8s) "
					    "refused, code %u", t->serial,
					    i + 1, b64, codes[i]);
				}
		} else {
			pl->st.bad_reply++;
			hops_event(t, PEV_NO_REPLY, 0);
			log_debug("tunnel %u: build reply does not open",
			    t->serial);
		}
		tunnel_free(t);
		return;
	}
	for (i = 0; i < t->b.nhops; i++, t->nlayers++)
		if (tmsg_layer_init(&t->layers[i], t->b.hops[i].keys.layer_key,
		    t->b.hops[i].keys.iv_key) == -1) {
			tunnel_free(t);
			return;
		}
	t->state = TUNNEL_READY;
	t->built_ms = now_ms();
	t->next_test = time(NULL) + 1 + crypto_random_below(TEST_EVERY);
	pl->st.built++;
	if (t->garlic)
		pl->st.built_garlic++;
	if (t->b.long_recs)
		pl->st.built_long++;
	latency_add(pl, t->built_ms - t->sent_ms);
	hops_event(t, PEV_AGREED, t->built_ms - t->sent_ms);
	client_notify(t, 1);
	log_info("%s tunnel %u built, %zu hops, %lld ms",
	    t->b.inbound ? "inbound" : "outbound", t->serial, t->b.nhops,
	    (long long)(t->built_ms - t->sent_ms));
}

/*
 * A build message: the reply to one of ours (1) or not (0).  Inbound
 * builds come back from the last hop as the build message itself;
 * outbound ones as the endpoint's reply message, through a tunnel.
 */
int
tunnels_build_reply(const uint8_t from[32], const struct i2np_hdr *h,
    const uint8_t *p)
{
	struct tunnel	*t;
	struct pool	*pl;
	int		 dir, lng;

	if (!running)
		return 0;
	switch (h->type) {
	case I2NP_SHORT_TUNNEL_BUILD:
	case I2NP_VARIABLE_TUNNEL_BUILD:
		dir = TUNNEL_IN;
		break;
	case I2NP_OUTBOUND_TUNNEL_BUILD_REPLY:
	case I2NP_VARIABLE_TUNNEL_BUILD_REPLY:
		dir = TUNNEL_OUT;
		break;
	default:
		return 0;
	}
	lng = h->type == I2NP_VARIABLE_TUNNEL_BUILD ||
	    h->type == I2NP_VARIABLE_TUNNEL_BUILD_REPLY;
	POOL_FOREACH(pl) {
		if (pl->dir != dir)
			continue;
		TAILQ_FOREACH(t, &pl->tunnels, entry)
			if (t->state == TUNNEL_BUILDING &&
			    t->b.long_recs == lng &&
			    t->b.reply_msg_id == h->msg_id) {
				build_done(t, p, h->size);
				return 1;
			}
	}
	return 0;
}

static int	test_answered(struct pool [2], const uint8_t *, size_t);

/* the ready inbound tunnel of ours, of any pool, ending in id */
static struct tunnel *
inbound_by_end(uint32_t id)
{
	struct pool	*pl;
	struct tunnel	*t;

	POOL_FOREACH(pl)
		if (pl->dir == TUNNEL_IN)
			TAILQ_FOREACH(t, &pl->tunnels, entry)
				if (t->state == TUNNEL_READY &&
				    t->b.end_id == id)
					return t;
	return NULL;
}

/* a DeliveryStatus answering a test of the client's pools: 1 */
static int
client_test(void *arg, const uint8_t *p, size_t len)
{
	struct client	*cl = arg;

	return test_answered(cl->pools, p, len);
}

/* a message at the end of a client's inbound tunnel: client.c's */
static void
client_deliver(struct tunnel *t, const struct i2np_hdr *h, const uint8_t *p)
{
	struct client	*cl = t->pool->client;

	if (client_in(cl->id, t->serial, h, p, (uint64_t)now_ms(), client_test,
	    cl) == -1) {
		log_debug("client tunnel %u: message type %u dropped",
		    t->serial, h->type);
		t->pool->st.dropped++;
	}
}

/* a whole message at the end of an inbound tunnel of ours */
static void
ibep_deliver(void *arg, const struct tdi *dest, const uint8_t *msg,
    size_t len)
{
	struct tunnel	*t = arg;
	struct i2np_hdr	 h;
	struct rbuf	 payload;
	struct i2p_err	 err;
	const uint8_t	*p;

	/* the gateway of our own tunnel has nowhere else to send it */
	if (dest->type != TDI_LOCAL ||
	    i2np_msg_parse_long(&h, &payload, msg, len, &err) == -1 ||
	    rbuf_get_ptr(&payload, &p, rbuf_left(&payload)) == -1) {
		log_debug("inbound tunnel %u: delivery %d dropped", t->serial,
		    dest->type);
		t->pool->st.dropped++;
		return;
	}
	t->msgs++;
	if (t->pool->client != NULL)
		client_deliver(t, &h, p);
	else if (peers_dispatch_tunnel(&h, p) == -1) {
		log_debug("inbound tunnel %u: unwanted message type "
		    "%u dropped", t->serial, h.type);
		t->pool->st.dropped++;
		t->pool->st.unwanted++;
	}
}

static int
ibep_fragment(void *arg, const struct tdi *d)
{
	struct tunnel	*t = arg;
	const char	*why;

	if (frag_add(&t->frags, d, time(NULL), ibep_deliver, t, &why) == -1) {
		log_debug("inbound tunnel %u: %s", t->serial, why);
		t->pool->st.dropped++;
	}
	return 0;
}

/* TunnelData: 1 if for an inbound tunnel of ours (taken or dropped) */
int
tunnels_data(const uint8_t from[32], const uint8_t *p, size_t len)
{
	struct tunnel	*t;
	uint8_t		 msg[TMSG_LEN];
	const char	*why;
	uint32_t	 id;
	int		 i;

	if (!running || len != TUNNEL_DATA_LEN)
		return 0;
	id = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	if ((t = inbound_by_end(id)) == NULL)
		return 0;
	why = memcmp(from, t->b.hops[t->b.nhops - 1].hash, 32) != 0 ?
	    "not from its last hop" : transit_iv_seen(p + 4) ?
	    "IV seen before" : NULL;
	if (why != NULL) {
		log_debug("inbound tunnel %u: %s", t->serial, why);
		t->pool->st.dropped++;
		return 1;
	}
	memcpy(msg, p + 4, TMSG_LEN);
	for (i = t->nlayers - 1; i >= 0; i--)
		if (tmsg_decrypt(&t->layers[i], msg) == -1)
			return 1;
	t->bytes += len;
	if (tmsg_parse(msg, ibep_fragment, t, &why) == -1) {
		log_debug("inbound tunnel %u: %s", t->serial, why);
		t->pool->st.dropped++;
	}
	return 1;
}

/*
 * TunnelGateway to a zero-hop inbound tunnel of ours (outbound build
 * replies while we have no inbound tunnel): 1 if it was one.
 */
int
tunnels_gateway(const uint8_t from[32], const uint8_t *p, size_t len)
{
	struct i2np_hdr	 h;
	struct rbuf	 r, payload;
	struct i2p_err	 err;
	const uint8_t	*m, *pl;
	uint32_t	 id;
	uint16_t	 mlen;

	rbuf_init(&r, p, len);
	if (!running || rbuf_get_u32(&r, &id) == -1 || id == 0 ||
	    (id != zero_ids[0] && id != zero_ids[1]))
		return 0;
	if (rbuf_get_u16(&r, &mlen) == -1 || rbuf_get_ptr(&r, &m, mlen) == -1 ||
	    rbuf_end(&r) == -1 ||
	    i2np_msg_parse_long(&h, &payload, m, mlen, &err) == -1 ||
	    rbuf_get_ptr(&payload, &pl, rbuf_left(&payload)) == -1)
		return 1;
	peers_dispatch(from, &h, pl);
	return 1;
}

/* a DeliveryStatus: 1 if it was one of our tunnel tests */
int
tunnels_status(const uint8_t *p, size_t len)
{
	return test_answered(pools, p, len);
}

/*
 * A DeliveryStatus answering a test of a pair of pools (exploratory
 * ones through the router, a client's through its own tunnels): 1 if
 * it was one.
 */
static int
test_answered(struct pool pair[2], const uint8_t *p, size_t len)
{
	struct tunnel	*t;
	uint32_t	 id;
	int		 dir, found = 0;

	if (!running || len != 12)
		return 0;
	id = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	for (dir = 0; dir < 2 && id != 0; dir++)
		TAILQ_FOREACH(t, &pair[dir].tunnels, entry)
			if (t->test_id == id) {
				t->test_id = 0;
				t->tests_ok++;
				t->pool->rtt_ms[t->pool->nrtt++ % LAT_SAMPLES] =
				    now_ms() - t->test_sent_ms;
				hops_event(t, PEV_TEST_OK, 0);
				t->fails_row = 0;
				t->pool->st.tests_ok++;
				found = 1;
			}
	return found;
}

/* a ready inbound tunnel of pl with no test out, at random, or NULL */
static struct tunnel *
free_inbound(struct pool *pl)
{
	struct tunnel	*t, *pick = NULL;
	uint32_t	 n = 0;

	TAILQ_FOREACH(t, &pl->tunnels, entry)
		if (t->state == TUNNEL_READY && t->test_id == 0 &&
		    crypto_random_below(++n) == 0)
			pick = t;
	return pick;
}

/*
 * Each ready outbound tunnel, every TEST_EVERY seconds from a random
 * start: a DeliveryStatus to an inbound one.  Spread out, not all at
 * once: a burst of tests through the same hops measures their queues.
 */
static void
test_tunnels(struct pool *pl, time_t now)
{
	struct tunnel	*out, *in;
	struct i2np_hdr	 h;
	struct tdi	 dest;
	struct wbuf	 w;
	uint8_t		 ds[12];
	uint32_t	 id;

	TAILQ_FOREACH(out, &pl->tunnels, entry) {
		if (out->state != TUNNEL_READY || out->test_id != 0 ||
		    out->next_test > now || (in = free_inbound(pl->pair)) ==
		    NULL)
			continue;
		out->next_test = now + TEST_EVERY;
		id = build_random_id();
		wbuf_init_fixed(&w, ds, sizeof(ds));
		wbuf_put_u32(&w, id);
		wbuf_put_u64(&w, now_ms());
		memset(&h, 0, sizeof(h));
		h.type = I2NP_DELIVERY_STATUS;
		h.msg_id = crypto_random_id();
		h.expiration = ((uint64_t)now + TEST_TIMEOUT) * 1000;
		memset(&dest, 0, sizeof(dest));
		dest.type = TDI_TUNNEL;
		dest.tunnel_id = in->b.hops[0].recv_id;
		memcpy(dest.hash, in->b.hops[0].hash, 32);
		if (tunnel_send(out, &dest, &h, ds, sizeof(ds)) == -1)
			continue;
		out->test_id = in->test_id = id;
		out->test_sent = in->test_sent = now;
		out->test_sent_ms = in->test_sent_ms = now_ms();
	}
}

/* one pool's housekeeping: timeouts, expiry, failed tests, builds */
static void
pool_tick(struct pool *pl, time_t now)
{
	struct tunnel	*t, *next;
	int		 alive = 0, building = 0;

	for (t = TAILQ_FIRST(&pl->tunnels); t != NULL; t = next) {
		next = TAILQ_NEXT(t, entry);
		if (t->state == TUNNEL_BUILDING &&
		    now - t->created >= TUN_BUILD_TIMEOUT) {
			pl->st.timeouts++;
			/* which hop lost it is unknown: each is suspect */
			hops_event(t, PEV_NO_REPLY, 0);
			log_debug("tunnel %u: no build reply (%u)", t->serial,
			    t->b.reply_msg_id);
			tunnel_free(t);
			continue;
		}
		if (t->test_id != 0 && now - t->test_sent >= TEST_TIMEOUT) {
			t->test_id = 0;
			t->tests_failed++;
			pl->st.tests_failed++;
			hops_event(t, PEV_TEST_FAILED, 0);
			if (++t->fails_row >= TEST_FAILS_MAX) {
				log_info("tunnel %u failed %d tests, dropped",
				    t->serial, TEST_FAILS_MAX);
				client_notify(t, 0);
				tunnel_free(t);
				continue;
			}
		}
		if (now - t->created >= TUN_LIFE) {
			pl->st.expired++;
			client_notify(t, 0);
			tunnel_free(t);
			continue;
		}
		if (t->state == TUNNEL_BUILDING)
			building++;
		if (t->state == TUNNEL_BUILDING ? now - t->created <
		    TUN_BUILD_PATIENCE : now - t->created < TUN_REBUILD)
			alive++;
	}
	/*
	 * One build a second per pool: no burst of builds, and once an
	 * outbound tunnel is up the inbound builds go through it.  A
	 * build unanswered after TUN_BUILD_PATIENCE is likely lost (one
	 * dead hop holds it): another is started while it may still come.
	 * A client's builds wait for the exploratory tunnel they need (an
	 * outbound one to send an inbound build, an inbound one for an
	 * outbound build's reply): without it a hop would see our router.
	 */
	if (alive < pl->quantity && building < 2 * pl->quantity &&
	    (pl->client == NULL || any_ready(&pools[!pl->dir]) != NULL))
		pool_build(pl, now);
}

static void
tick(int fd, short event, void *arg)
{
	struct timeval	tv = { TUN_TICK, 0 };
	time_t		now = time(NULL);
	struct tunnel	*t;
	struct pool	*pl;

	if (self_hash() != NULL && peers_up() > 0) {
		POOL_FOREACH(pl)
			pool_tick(pl, now);
		POOL_FOREACH(pl)
			if (pl->dir == TUNNEL_OUT)
				test_tunnels(pl, now);
	}
	POOL_FOREACH(pl)
		TAILQ_FOREACH(t, &pl->tunnels, entry)
			frag_expire(&t->frags, now);
	if (now - last_profile >= PROFILE_EVERY) {
		last_profile = now;
		profile_recompute(now);
	}
	if (now - last_save >= PROFILE_SAVE_EVERY) {
		last_save = now;
		profile_save();
	}
	evtimer_add(&ev_tick, &tv);
}

/* exploratory tunnels: any peer not failing; client ones: fast first */
static void
pool_init(struct pool pair[2], struct client *c)
{
	int	dir;

	for (dir = 0; dir < 2; dir++) {
		memset(&pair[dir], 0, sizeof(pair[dir]));
		pair[dir].dir = dir;
		pair[dir].pair = &pair[!dir];
		pair[dir].client = c;
		pair[dir].tier_best = c == NULL ? TIER_OK : TIER_FAST;
		pair[dir].long_recs = child_conf() != NULL &&
		    child_conf()->build_long;
		TAILQ_INIT(&pair[dir].tunnels);
		crypto_random_fill(pair[dir].order_key,
		    sizeof(pair[dir].order_key));
	}
}

void
tunnels_start(void)
{
	struct timeval	tv = { TUN_TICK, 0 };

	if (running)
		return;
	pool_init(pools, NULL);
	tunnels_reconf(child_conf());
	profile_load();
	profile_recompute(time(NULL));
	last_profile = last_save = time(NULL);
	running = 1;
	evtimer_set(&ev_tick, tick, NULL);
	evtimer_add(&ev_tick, &tv);
}

void
tunnels_reconf(const struct i2prd_conf *conf)
{
	struct pool	*pl;

	pools[TUNNEL_IN].length = conf->expl_in_length;
	pools[TUNNEL_IN].quantity = conf->expl_in_quantity;
	if (pools[TUNNEL_IN].fixed_gw_min != conf->expl_fixed_gw)
		pools[TUNNEL_IN].fixed_since = 0;
	pools[TUNNEL_IN].fixed_gw_min = conf->expl_fixed_gw;
	pools[TUNNEL_OUT].length = conf->expl_out_length;
	pools[TUNNEL_OUT].quantity = conf->expl_out_quantity;
	POOL_FOREACH(pl)
		pl->long_recs = conf->build_long;
}

/* an outbound tunnel for messages of ours, or NULL */
int
tunnels_send_out(const struct tdi *dest, struct i2np_hdr *h,
    const uint8_t *payload, size_t len)
{
	struct tunnel	*t;

	if (!running || (t = any_ready(&pools[TUNNEL_OUT])) == NULL)
		return -1;
	return tunnel_send(t, dest, h, payload, len);
}

/* where replies may come to us through an inbound tunnel, or -1 */
int
tunnels_reply_path(uint8_t gw[32], uint32_t *tunnel_id)
{
	struct tunnel	*t;

	if (!running || (t = any_ready(&pools[TUNNEL_IN])) == NULL)
		return -1;
	memcpy(gw, t->b.hops[0].hash, 32);
	*tunnel_id = t->b.hops[0].recv_id;
	return 0;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* the median and 90th percentile of a ring of samples */
static void
percentiles(const uint32_t *ring, size_t filled, uint32_t *p50, uint32_t *p90)
{
	uint32_t	v[LAT_SAMPLES];
	size_t		n = filled < LAT_SAMPLES ? filled : LAT_SAMPLES;

	*p50 = *p90 = 0;
	if (n == 0)
		return;
	memcpy(v, ring, n * sizeof(v[0]));
	qsort(v, n, sizeof(v[0]), u32_cmp);
	*p50 = v[n / 2];
	*p90 = v[n * 9 / 10];
}

static void
pool_stats(struct pool *pl, struct pool_stats *out)
{
	struct tunnel	*t;

	*out = pl->st;
	out->length = pl->length;
	out->quantity = pl->quantity;
	out->ready = out->building = 0;
	TAILQ_FOREACH(t, &pl->tunnels, entry)
		if (t->state == TUNNEL_READY)
			out->ready++;
		else
			out->building++;
	percentiles(pl->lat_ms, pl->nlat, &out->lat_p50, &out->lat_p90);
	percentiles(pl->rtt_ms, pl->nrtt, &out->rtt_p50, &out->rtt_p90);
}

/* a row for each tunnel of pl */
static void
pool_rows(struct pool *pl, void (*row)(const struct ctl_tunnel *, void *),
    void *arg)
{
	struct ctl_tunnel	 c;
	struct tunnel		*t;
	time_t			 now = time(NULL);
	size_t			 i;

	TAILQ_FOREACH(t, &pl->tunnels, entry) {
		memset(&c, 0, sizeof(c));
		c.serial = t->serial;
		c.client = pl->client == NULL ? 0 : pl->client->id;
		c.dir = pl->dir;
		c.state = t->state;
		c.nhops = t->b.nhops;
		for (i = 0; i < t->b.nhops; i++) {
			memcpy(c.hops[i], t->b.hops[i].hash, 32);
			c.hop_ids[i] = t->b.hops[i].recv_id;
		}
		c.end_id = t->b.end_id;
		c.age = now - t->created;
		c.build_ms = t->state == TUNNEL_READY ?
		    t->built_ms - t->sent_ms : 0;
		c.msgs = t->msgs;
		c.bytes = t->bytes;
		c.tests_ok = t->tests_ok;
		c.tests_failed = t->tests_failed;
		row(&c, arg);
	}
}

/*
 * Every tunnel of ours for show tunnels, each client's pools, then the
 * exploratory pools' figures in sum.
 */
void
tunnels_ctl(void (*row)(const struct ctl_tunnel *, void *),
    void (*client_row)(const struct ctl_pool *, void *),
    struct ctl_tunnels *sum, void *arg)
{
	struct ctl_pool		 cp;
	struct client		*cl;
	int			 dir;

	memset(sum, 0, sizeof(*sum));
	for (dir = 0; dir < 2; dir++) {
		if (running)
			pool_stats(&pools[dir], &sum->pools[dir]);
		pool_rows(&pools[dir], row, arg);
	}
	TAILQ_FOREACH(cl, &clients, entry) {
		for (dir = 0; dir < 2; dir++)
			pool_rows(&cl->pools[dir], row, arg);
		memset(&cp, 0, sizeof(cp));
		cp.client = cl->id;
		memcpy(cp.dest, cl->dest, 32);
		strlcpy(cp.name, cl->name, sizeof(cp.name));
		for (dir = 0; dir < 2; dir++)
			pool_stats(&cl->pools[dir], &cp.pools[dir]);
		cp.cs = cl->cnt;
		client_row(&cp, arg);
	}
}

static struct client *
client_find(uint32_t id)
{
	struct client	*cl;

	TAILQ_FOREACH(cl, &clients, entry)
		if (cl->id == id)
			return cl;
	return NULL;
}

/* a client's tunnels go without a word to tunneld, which closed it */
static void
client_free(struct client *cl)
{
	struct tunnel	*t;
	int		 dir;

	for (dir = 0; dir < 2; dir++)
		while ((t = TAILQ_FIRST(&cl->pools[dir].tunnels)) != NULL)
			tunnel_free(t);
	clientdb_close(cl->id);
	TAILQ_REMOVE(&clients, cl, entry);
	nclients--;
	free(cl);
}

/*
 * IMSG_POOL_OPEN from tunneld: a destination's pools, new, or with new
 * lengths and quantities.  tunneld checked them against the same limits
 * as the configuration: anything else is a broken peer process.
 */
void
tunnels_pool_open(const struct pool_open *po)
{
	struct client	*cl;
	int		 dir;

	for (dir = 0; dir < 2; dir++)
		if (po->length[dir] < 1 || po->length[dir] > EXPL_LENGTH_MAX ||
		    po->quantity[dir] < 1 ||
		    po->quantity[dir] > EXPL_QUANTITY_MAX)
			fatalx("POOL_OPEN: bad length or quantity");
	if (po->client == 0 || memchr(po->name, '\0', sizeof(po->name)) ==
	    NULL || !dest_name_ok(po->name))
		fatalx("POOL_OPEN: bad client or name");
	if ((cl = client_find(po->client)) == NULL) {
		/* tunneld bounds its destinations below this */
		if (nclients >= CLIENTS_MAX)
			fatalx("POOL_OPEN: more than %d clients", CLIENTS_MAX);
		if ((cl = calloc(1, sizeof(*cl))) == NULL)
			fatal("client pools");
		cl->id = po->client;
		pool_init(cl->pools, cl);
		TAILQ_INSERT_TAIL(&clients, cl, entry);
		nclients++;
	}
	memcpy(cl->dest, po->dest, 32);
	strlcpy(cl->name, po->name, sizeof(cl->name));
	for (dir = 0; dir < 2; dir++) {
		cl->pools[dir].length = po->length[dir];
		cl->pools[dir].quantity = po->quantity[dir];
	}
	log_info("client pools for %s: inbound %d x %d hops, outbound %d x %d",
	    cl->name, po->quantity[TUNNEL_IN], po->length[TUNNEL_IN],
	    po->quantity[TUNNEL_OUT], po->length[TUNNEL_OUT]);
}

struct client_stats *
tunnels_client_counters(uint32_t id)
{
	struct client	*cl = client_find(id);

	return cl == NULL ? NULL : &cl->cnt;
}

const uint8_t *
tunnels_client_dest(uint32_t id)
{
	struct client	*cl = client_find(id);

	return cl == NULL ? NULL : cl->dest;
}

/* the client's outbound tunnel serial if ready, else any ready one */
int
tunnels_client_send(uint32_t id, uint32_t serial, const struct tdi *dest,
    struct i2np_hdr *h, const uint8_t *payload, size_t len)
{
	struct client	*cl;
	struct tunnel	*t, *pick = NULL;

	if (!running || (cl = client_find(id)) == NULL)
		return -1;
	TAILQ_FOREACH(t, &cl->pools[TUNNEL_OUT].tunnels, entry)
		if (serial != 0 && t->serial == serial &&
		    t->state == TUNNEL_READY)
			pick = t;
	if (pick == NULL &&
	    (pick = any_ready(&cl->pools[TUNNEL_OUT])) == NULL)
		return -1;
	return tunnel_send(pick, dest, h, payload, len);
}

int
tunnels_client_reply_path(uint32_t id, uint8_t gw[32], uint32_t *tunnel_id)
{
	struct client	*cl;
	struct tunnel	*t;

	if (!running || (cl = client_find(id)) == NULL ||
	    (t = any_ready(&cl->pools[TUNNEL_IN])) == NULL)
		return -1;
	memcpy(gw, t->b.hops[0].hash, 32);
	*tunnel_id = t->b.hops[0].recv_id;
	return 0;
}

/* IMSG_POOL_CLOSE: the client's tunnels go (an unknown one: a race) */
void
tunnels_pool_close(const struct pool_close *pc)
{
	struct client	*cl;

	if ((cl = client_find(pc->client)) == NULL)
		return;
	log_info("client pools for %s closed", cl->name);
	client_free(cl);
}

void
tunnels_shutdown(void)
{
	struct tunnel	*t;
	int		 dir;

	while (!TAILQ_EMPTY(&clients))
		client_free(TAILQ_FIRST(&clients));
	if (!running)
		return;
	evtimer_del(&ev_tick);
	for (dir = 0; dir < 2; dir++)
		while ((t = TAILQ_FIRST(&pools[dir].tunnels)) != NULL)
			tunnel_free(t);
	profile_save();
	profile_clear();
	running = 0;
}
