/*
 * Transit tunnels: the hops of other routers' tunnels we take part in
 * (tunnels/implementation.html, tunnel-creation-ecies.rst).
 *
 * A ShortTunnelBuild with a record for us: cryptod does the DH with our
 * static key, the record says our role (inbound gateway, participant,
 * outbound endpoint), we accept or refuse with the one code the spec
 * allows (bandwidth), reply in our record's place, mask the others and
 * send the message on: to the next hop, or as an outbound endpoint to
 * the reply tunnel's gateway as an OutboundTunnelBuildReply in a
 * TunnelGateway message, with the message ID the creator waits for.
 *
 * Then TunnelData for the tunnel: each hop adds its layer and forwards;
 * the outbound endpoint, its layer added, reads the instructions and
 * delivers the messages to a router or a tunnel.  TunnelGateway
 * messages to an inbound gateway are fragmented into TunnelData.
 * Each tunnel lives ten minutes; messages must come from the hop that
 * sent the first; an IV seen before (XOR the first data block) is
 * dropped.
 */
#include <bsd/sys/tree.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "log.h"
#include "replay.h"
#include "routerd.h"
#include "buildrec.h"
#include "frag.h"
#include "garlic.h"
#include "reply.h"
#include "throttle.h"
#include "tmsg.h"

#define TRANSIT_LIFE		(10 * 60 + 60)	/* s, with a minute's grace */
#define TRANSIT_PENDING		64	/* builds waiting for cryptod */
/*
 * Build records' ephemeral keys, remembered as long as a request's time
 * may lag (65 minutes): 262,144 of them, 67 builds/s sustained; beyond
 * that, builds are dropped rather than replays let in.
 */
#define EPH_CAP			262144
#define EPH_WINDOW		(66 * 60)
#define IV_SLOTS		65536	/* per generation of the IV filter, */
#define IV_SLOTS_MIN		4096	/* and while the traffic is light */
#define IV_TURN			600	/* s a generation lasts, unless half full */
/*
 * What one previous hop may hold of transit max: a tenth, but at least
 * HOP_SHARE_MIN.  Without it one peer took every tunnel in minutes and
 * kept them, renewing each every ten minutes (audit #7).
 */
#define HOP_SHARE_DIV		10
#define HOP_SHARE_MIN		50

struct transit {
	RB_ENTRY(transit)	 entry;
	uint32_t		 recv_id, next_id;
	uint8_t			 next_hash[32];
	uint8_t			 prev_hash[32];
	int			 have_prev;
	int			 role;		/* TRANSIT_* */
	struct tmsg_layer	 layer;
	time_t			 created;
	uint64_t		 msgs;
	struct frag_table	 frags;		/* outbound endpoint */
	uint16_t		 share_slot;	/* the build's previous hop's */
};

static int
transit_cmp(const struct transit *a, const struct transit *b)
{
	return a->recv_id < b->recv_id ? -1 : a->recv_id > b->recv_id;
}

RB_HEAD(transit_tree, transit);
RB_PROTOTYPE(transit_tree, transit, entry, transit_cmp)
RB_GENERATE(transit_tree, transit, entry, transit_cmp)

struct pending {
	uint32_t	 reqid;		/* 0: free */
	uint8_t		 from[32];
	uint8_t		*msg;		/* num, then the records */
	size_t		 len;
	int		 idx;		/* our record */
	int		 lng;		/* long records (VariableTunnelBuild) */
};

static struct transit_tree	 tunnels = RB_INITIALIZER(&tunnels);
static size_t			 ntunnels;
static struct pending		 pending[TRANSIT_PENDING];
static uint32_t			 next_reqid;
static struct replay		 eph;
struct iv_gen {
	uint64_t	*tab;		/* open addressing, 0 free */
	size_t		 size;
};
static struct iv_gen		 iv_gen[2];	/* current, previous */
static size_t			 iv_count;
static time_t			 iv_rotated;
static uint8_t			 sipkey[SIPHASH_KEY_LEN];
static struct transit_stats	 st;
static struct bucket_set	 build_buckets;	/* per previous hop */
static struct bucket_set	 dh_buckets;	/* records to decrypt, per
						   previous hop */
static struct share_set		 hop_shares;	/* tunnels per previous hop */
static struct bandwidth		 bw;
static int			 ready;

static void
transit_ready(void)
{
	if (ready)
		return;
	crypto_random_fill(sipkey, sizeof(sipkey));
	iv_gen[0].size = iv_gen[1].size = IV_SLOTS_MIN;
	if ((iv_gen[0].tab = calloc(IV_SLOTS_MIN, 8)) == NULL ||
	    (iv_gen[1].tab = calloc(IV_SLOTS_MIN, 8)) == NULL ||
	    replay_init(&eph, EPH_CAP, EPH_WINDOW) == -1)
		fatal(NULL);
	iv_rotated = time(NULL);
	ready = 1;
}

/*
 * The ephemeral keys of build records we opened.  Only a record that
 * decrypted is remembered: junk with our hash prefix is free to make
 * and would otherwise fill the filter, which refuses all when full.
 */
static int
eph_seen(const uint8_t key[32], time_t now)
{
	return replay_seen(&eph, key, now);
}

/* 1 if seen meanwhile (two copies in flight) or the filter is full */
static int
eph_remember(const uint8_t key[32], time_t now)
{
	return replay_seen(&eph, key, now) || replay_add(&eph, key, now) == -1;
}

static int
iv_in(const struct iv_gen *g, uint64_t h)
{
	size_t	i, slot = h % g->size;

	for (i = 0; i < g->size && g->tab[slot] != 0; i++) {
		if (g->tab[slot] == h)
			return 1;
		slot = (slot + 1) % g->size;
	}
	return 0;
}

/*
 * The next generation's size: twice the current one's if that filled
 * up within IV_TURN, half if it held an eighth or less, so a router
 * carrying little pays 32 kB a generation rather than IV_SLOTS' 512.
 */
static size_t
iv_next_size(time_t now)
{
	size_t	size = iv_gen[0].size;

	if (now - iv_rotated < IV_TURN && size < IV_SLOTS)
		return size * 2;
	if (iv_count <= size / 8 && size > IV_SLOTS_MIN)
		return size / 2;
	return size;
}

/* a new current generation; the previous one's table goes */
static void
iv_turn(time_t now)
{
	size_t		 size = iv_next_size(now);
	uint64_t	*t;

	if ((t = calloc(size, 8)) != NULL)
		free(iv_gen[1].tab);
	else {
		/* short of memory: the previous generation's table again */
		t = iv_gen[1].tab;
		size = iv_gen[1].size;
		memset(t, 0, size * 8);
	}
	iv_gen[1] = iv_gen[0];
	iv_gen[0].tab = t;
	iv_gen[0].size = size;
	iv_count = 0;
	iv_rotated = now;
}

/*
 * 1 if IV XOR the first data block was seen in the last 10-20
 * minutes.  Two generations; the current one turns over every 10
 * minutes or when half full, so lookups stay short.  Not the replay
 * filter of build keys: TunnelData comes at any rate, and this one's
 * memory stays bounded (IV_SLOTS a generation) by shortening its
 * window under load (as the Java router's decaying Bloom filter does)
 * instead of refusing.  A generation that fills up before IV_TURN
 * makes the next one twice as large, so the window shortens only once
 * IV_SLOTS is reached.
 */
static int
iv_replayed(const uint8_t msg[TMSG_LEN], time_t now)
{
	uint8_t		x[16];
	uint64_t	h;
	size_t		i, slot;

	for (i = 0; i < 16; i++)
		x[i] = msg[i] ^ msg[16 + i];
	h = siphash24(sipkey, x, 16) | 1;
	if (iv_in(&iv_gen[0], h) || iv_in(&iv_gen[1], h))
		return 1;
	if (now - iv_rotated >= IV_TURN || iv_count >= iv_gen[0].size / 2)
		iv_turn(now);
	for (slot = h % iv_gen[0].size; iv_gen[0].tab[slot] != 0;
	    slot = (slot + 1) % iv_gen[0].size)
		;
	iv_gen[0].tab[slot] = h;
	iv_count++;
	return 0;
}

int
transit_iv_seen(const uint8_t msg[TMSG_LEN])
{
	transit_ready();
	return iv_replayed(msg, time(NULL));
}

static struct transit *
transit_find(uint32_t id)
{
	struct transit	key;

	key.recv_id = id;
	return RB_FIND(transit_tree, &tunnels, &key);
}

static void
transit_free(struct transit *t)
{
	RB_REMOVE(transit_tree, &tunnels, t);
	ntunnels--;
	share_del(&hop_shares, t->share_slot);
	tmsg_layer_free(&t->layer);
	frag_free(&t->frags);
	free(t);
}

/* the configuration, or its defaults before the first one arrives */
static const struct i2prd_conf *
tconf(void)
{
	static struct i2prd_conf	*defaults;

	if (child_conf() != NULL)
		return child_conf();
	if (defaults == NULL && (defaults = conf_new()) == NULL)
		fatal(NULL);
	return defaults;
}

/*
 * A build message for us, short records or long: our record's DH goes
 * to cryptod.  Which record is ours, replays and a full queue are
 * settled before, so that junk costs no DH.
 */
static void
build_in(const uint8_t from[32], const uint8_t *p, size_t len, int lng)
{
	const struct router_info	*self = publish_current();
	struct key_dh_req		 req;
	struct pending			*pb = NULL;
	struct peer			*cryptod = peer_get(PROC_CRYPTOD);
	size_t				 i, reclen = lng ? BREC_LONG_LEN : BREC_LEN;
	int				 idx;

	transit_ready();
	st.builds_in++;
	if (self == NULL || len < 1 || p[0] < 1 || p[0] > BREC_MAX ||
	    len != 1 + (size_t)p[0] * reclen) {
		st.builds_malformed++;
		return;
	}
	if ((idx = brec_find_len(p + 1, p[0], reclen,
	    self->ident.hash)) == -1) {
		st.builds_malformed++;
		return;
	}
	if (eph_seen(brec_ephemeral(p + 1 + idx * reclen), time(NULL))) {
		st.builds_replayed++;
		return;
	}
	/*
	 * Each record costs cryptod a DH before anything is known of it:
	 * a budget per previous hop, twice the build rate it may reach,
	 * so that genuine builds meet decide()'s limit first.
	 */
	if (!bucket_take(&dh_buckets, from, 2.0 * tconf()->transit_rate,
	    2.0 * tconf()->transit_burst, mono_ms())) {
		st.builds_throttled++;
		return;
	}
	for (i = 0; i < TRANSIT_PENDING && pb == NULL; i++)
		if (pending[i].reqid == 0)
			pb = &pending[i];
	if (pb == NULL || cryptod == NULL || (pb->msg = malloc(len)) == NULL) {
		st.builds_dropped++;
		return;
	}
	memcpy(pb->msg, p, len);
	pb->len = len;
	pb->idx = idx;
	pb->lng = lng;
	memcpy(pb->from, from, 32);
	pb->reqid = TRANSIT_REQID | (++next_reqid & ~(TRANSIT_REQID |
	    EXPORT_REQID | GARLIC_REQID));
	memset(&req, 0, sizeof(req));
	req.keyid = KEYID_ROUTER;
	memcpy(req.peer_pub, brec_ephemeral(p + 1 + idx * reclen), 32);
	peer_compose(cryptod, IMSG_KEY_DH, pb->reqid, -1, &req, sizeof(req));
}

void
transit_build(const uint8_t from[32], const uint8_t *p, size_t len)
{
	build_in(from, p, len, 0);
}

void
transit_build_long(const uint8_t from[32], const uint8_t *p, size_t len)
{
	build_in(from, p, len, 1);
}

static struct pending *
pending_find(uint32_t reqid)
{
	size_t	i;

	for (i = 0; i < TRANSIT_PENDING; i++)
		if (pending[i].reqid == reqid)
			return &pending[i];
	return NULL;
}

static void
pending_free(struct pending *pb)
{
	free(pb->msg);
	memset(pb, 0, sizeof(*pb));
}

/* bytes per second of the bandwidth transit may use, 0: no limit */
static uint64_t
share_bytes(void)
{
	const struct i2prd_conf	*conf = tconf();

	return (uint64_t)conf->bandwidth * 1024 * conf->share / 100;
}

static int
hop_has_room(const uint8_t from[32], int transit_max)
{
	size_t	cap = transit_max / HOP_SHARE_DIV;

	if (cap < HOP_SHARE_MIN)
		cap = HOP_SHARE_MIN;
	return share_room(&hop_shares, share_slot(&hop_shares, from), cap);
}

/*
 * Accept, or why not; counted by reason, answered with the one code
 * the spec lets us give for all (bandwidth).  The previous hop's
 * token is taken last, so refusals for other reasons do not use it.
 */
static int
decide(const uint8_t from[32], const struct brec_req *r, time_t now,
    const char **why)
{
	const struct router_info *self = publish_current();
	const struct i2prd_conf	*conf = tconf();
	uint32_t		 now_min = now / 60;
	uint64_t		 t = mono_ms();

	*why = "transit max reached";
	if (ntunnels >= (size_t)conf->transit_max)
		return st.refused_limit++, -1;
	*why = "bandwidth share used up";
	if (bw_load(&bw, share_bytes(), t) >= 95)
		return st.refused_bandwidth++, -1;
	*why = "request time off by more than an hour";
	if (r->request_min + 65 < now_min || r->request_min > now_min + 5)
		return st.refused_time++, -1;
	/*
	 * A next hop that is ourselves would loop traffic through us; only
	 * an endpoint may name us (as the gateway of the reply tunnel).
	 */
	*why = "next hop is ourselves";
	if (!(r->flags & BREC_F_OBEP) && self != NULL &&
	    memcmp(r->next_hash, self->ident.hash, 32) == 0)
		return st.refused_loop++, -1;
	*why = "receive tunnel ID in use";
	if (transit_find(r->recv_tunnel) != NULL)
		return st.refused_id++, -1;
	*why = "previous hop holds its share of transit max";
	if (!hop_has_room(from, conf->transit_max)) {
		st.refused_share++;
		return -1;
	}
	*why = "previous hop over its build rate";
	if (!bucket_take(&build_buckets, from, conf->transit_rate,
	    conf->transit_burst, t))
		return st.refused_rate++, -1;
	return 0;
}

/* may len more bytes of transit traffic go out now? */
static int
bw_allows(size_t len)
{
	if (bw_take(&bw, share_bytes(), len, mono_ms()))
		return 1;
	st.dropped_bandwidth++;
	st.data_dropped++;
	return 0;
}

char
transit_congestion(void)
{
	return congestion_cap(ntunnels, tconf()->transit_max,
	    bw_load(&bw, share_bytes(), mono_ms()));
}

static struct transit *
transit_add(const uint8_t from[32], const struct brec_req *r,
    const struct brec_keys *k, time_t now)
{
	struct transit	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	if (tmsg_layer_init(&t->layer, k->layer_key, k->iv_key) == -1) {
		free(t);
		return NULL;
	}
	t->recv_id = r->recv_tunnel;
	t->next_id = r->next_tunnel;
	memcpy(t->next_hash, r->next_hash, 32);
	t->role = r->flags & BREC_F_IBGW ? TRANSIT_IBGW :
	    r->flags & BREC_F_OBEP ? TRANSIT_OBEP : TRANSIT_PARTICIPANT;
	t->created = now;
	t->share_slot = share_slot(&hop_shares, from);
	share_add(&hop_shares, t->share_slot);
	frag_init(&t->frags);
	RB_INSERT(transit_tree, &tunnels, t);
	ntunnels++;
	return t;
}

/* a whole I2NP message (16-byte header) into a tunnel at its gateway */
static int
send_to_tunnel(const uint8_t gw[32], uint32_t tunnel_id, const uint8_t *msg,
    size_t len)
{
	struct wbuf	w;
	int		rv = -1;

	if (len > I2NP_MAX_PAYLOAD - 6 ||
	    wbuf_init_dynamic(&w, len + 6, len + 6) == -1)
		return -1;
	wbuf_put_u32(&w, tunnel_id);
	wbuf_put_u16(&w, len);
	wbuf_put_bytes(&w, msg, len);
	if (!wbuf_error(&w))
		rv = peers_send(gw, I2NP_TUNNEL_GATEWAY, wbuf_data(&w),
		    wbuf_len(&w));
	wbuf_free(&w);
	return rv;
}

/*
 * The build message goes on: to the next hop as a ShortTunnelBuild, or
 * from an outbound endpoint to the reply tunnel as an
 * OutboundTunnelBuildReply, garlic under the key and tag our record
 * gave us, so that the reply tunnel's hops cannot read it; either way
 * with the message ID the creator chose, by which it knows the reply.
 */
static void
forward_build(const struct brec_req *r, const struct brec_keys *k,
    const uint8_t *msg, size_t len)
{
	const struct router_info	*self = publish_current();
	struct i2np_hdr			 h;
	struct reply_to			 rt;
	struct wbuf			 w;
	uint8_t				 type;

	memset(&h, 0, sizeof(h));
	h.msg_id = r->next_msg_id;
	h.expiration = ((uint64_t)time(NULL) + 60) * 1000;
	if (!(r->flags & BREC_F_OBEP)) {
		h.type = I2NP_SHORT_TUNNEL_BUILD;
		if (peers_send_hdr(r->next_hash, &h, msg, len) == -1)
			st.builds_unroutable++;
		return;
	}
	h.type = I2NP_OUTBOUND_TUNNEL_BUILD_REPLY;
	memset(&rt, 0, sizeof(rt));
	memcpy(rt.router, r->next_hash, 32);
	rt.tunnel = r->next_tunnel;
	/*
	 * Into a tunnel whose gateway we are ourselves, the reply stays
	 * unwrapped: no other hop sees it before the first layer, and the
	 * creator (i2pd 2.45.1 at least) waits for the garlic tag only
	 * when the endpoint and the reply gateway differ.
	 */
	rt.enc = REPLY_PLAIN;
	if (self == NULL || memcmp(self->ident.hash, r->next_hash, 32) != 0)
		rt.enc = REPLY_AEAD;
	memcpy(rt.key, k->garlic_key, 32);
	memcpy(rt.tag, k->garlic_tag, 8);
	if (wbuf_init_dynamic(&w, len + 128, len + 128) == -1)
		return;
	if (reply_wrap(&w, &type, &rt, &h, msg, len) == -1 ||
	    peers_send(r->next_hash, type, wbuf_data(&w), wbuf_len(&w)) == -1)
		st.builds_unroutable++;
	crypto_wipe(&rt, sizeof(rt));
	wbuf_free(&w);
}

/*
 * Long records: the reply goes on as a VariableTunnelBuild, or from an
 * outbound endpoint as a VariableTunnelBuildReply into the reply
 * tunnel (not wrapped: the long record format gives no garlic key).
 */
static void
forward_build_long(const struct brec_req *r, const uint8_t *msg, size_t len)
{
	struct i2np_hdr	 h;
	struct wbuf	 w;

	memset(&h, 0, sizeof(h));
	h.msg_id = r->next_msg_id;
	h.expiration = ((uint64_t)time(NULL) + 60) * 1000;
	if (!(r->flags & BREC_F_OBEP)) {
		h.type = I2NP_VARIABLE_TUNNEL_BUILD;
		if (peers_send_hdr(r->next_hash, &h, msg, len) == -1)
			st.builds_unroutable++;
		return;
	}
	h.type = I2NP_VARIABLE_TUNNEL_BUILD_REPLY;
	if (wbuf_init_dynamic(&w, len + 16, len + 16) == -1)
		return;
	if (i2np_msg_write_long(&h, msg, len, &w) == -1 ||
	    send_to_tunnel(r->next_hash, r->next_tunnel, wbuf_data(&w),
	    wbuf_len(&w)) == -1)
		st.builds_unroutable++;
	wbuf_free(&w);
}

/* our record opened, short or long; the layer keys in k either way */
static int
open_record(struct pending *pb, const uint8_t shared[32], struct brec_req *r,
    struct brec_keys *k, struct brec_long_keys *lk, const char **why)
{
	const struct router_info	*self = publish_current();
	uint8_t				*recs = pb->msg + 1;

	memset(k, 0, sizeof(*k));
	memset(lk, 0, sizeof(*lk));
	*why = "no RouterInfo of ours yet";
	if (self == NULL)
		return -1;
	if (!pb->lng)
		return brec_open(recs + pb->idx * BREC_LEN,
		    self->ident.crypto_pub, shared, r, k, why);
	if (brec_long_open(recs + pb->idx * BREC_LONG_LEN,
	    self->ident.crypto_pub, shared, r, lk, why) == -1)
		return -1;
	memcpy(k->layer_key, lk->layer_key, 32);
	memcpy(k->iv_key, lk->iv_key, 32);
	return 0;
}

/* our reply in our record's place, the others masked, sent on */
static void
reply_and_forward(struct pending *pb, const struct brec_req *r,
    const struct brec_keys *k, const struct brec_long_keys *lk, uint8_t code)
{
	uint8_t	*recs = pb->msg + 1;
	int	 i;

	if (pb->lng) {
		if (brec_long_reply(recs + pb->idx * BREC_LONG_LEN, lk,
		    code) == -1)
			return;
		for (i = 0; i < pb->msg[0]; i++)
			if (i != pb->idx)
				brec_long_mask(recs + i * BREC_LONG_LEN, lk);
		forward_build_long(r, pb->msg, pb->len);
		return;
	}
	if (brec_reply(recs + pb->idx * BREC_LEN, k, pb->idx, code) == -1)
		return;
	for (i = 0; i < pb->msg[0]; i++)
		if (i != pb->idx)
			brec_mask(recs + i * BREC_LEN, k->reply_key, i);
	forward_build(r, k, pb->msg, pb->len);
}

static void
build_answer(struct pending *pb, const uint8_t shared[32])
{
	struct brec_req		 r;
	struct brec_keys	 k;
	struct brec_long_keys	 lk;
	uint8_t			 code;
	const char		*why;
	char			 b64[B64_ENCLEN(32)];
	time_t			 now = time(NULL);

	b64_encode(b64, sizeof(b64), pb->from, 32);
	if (open_record(pb, shared, &r, &k, &lk, &why) == -1) {
		log_debug("tunnel build from %.8s: %s", b64, why);
		st.builds_malformed++;
		goto out;
	}
	if (eph_remember(brec_ephemeral(pb->msg + 1 + pb->idx *
	    (pb->lng ? BREC_LONG_LEN : BREC_LEN)), now)) {
		st.builds_replayed++;
		goto out;
	}
	code = BREC_ACCEPT;
	if (decide(pb->from, &r, now, &why) == -1 ||
	    transit_add(pb->from, &r, &k, now) == NULL) {
		code = BREC_REJECT_BANDWIDTH;
		st.builds_rejected++;
		log_debug("tunnel build from %.8s refused: %s", b64, why);
	} else {
		st.accepted[r.flags & BREC_F_IBGW ? TRANSIT_IBGW :
		    r.flags & BREC_F_OBEP ? TRANSIT_OBEP : TRANSIT_PARTICIPANT]++;
		log_debug("transit tunnel %u accepted from %.8s, %s%s",
		    r.recv_tunnel, b64, r.flags & BREC_F_IBGW ? "gateway" :
		    r.flags & BREC_F_OBEP ? "endpoint" : "participant",
		    pb->lng ? " (long records)" : "");
	}
	reply_and_forward(pb, &r, &k, &lk, code);
 out:
	crypto_wipe(&k, sizeof(k));
	crypto_wipe(&lk, sizeof(lk));
}

/* cryptod's DH for a pending build, or its refusal */
void
transit_dispatch_cryptod(struct imsg *imsg)
{
	struct key_dh_result	 res;
	struct pending		*pb;

	if ((pb = pending_find(imsg_get_peerid(imsg))) == NULL)
		return;
	if (imsg_get_type(imsg) == IMSG_KEY_DH_RESULT &&
	    imsg_get_data(imsg, &res, sizeof(res)) == 0) {
		build_answer(pb, res.shared);
		crypto_wipe(&res, sizeof(res));
	} else
		st.builds_malformed++;		/* e.g. a low-order key */
	pending_free(pb);
}

/*
 * Messages an outbound endpoint holds for a router it does not know
 * while it looks the router up (OBEP_WAIT s at most), as the other
 * routers do: a tunnel's creator may name any router in the netDb.
 */
#define OBEP_WAIT_MAX		64
#define OBEP_WAIT		15
struct obep_wait {
	struct tdi	 dest;
	uint8_t		*msg;		/* NULL: free */
	size_t		 len;
	time_t		 since;
};
static struct obep_wait		 waits[OBEP_WAIT_MAX];

/* to the router or tunnel gateway dest names; -1: no route */
static int
obep_send(const struct tdi *dest, const uint8_t *msg, size_t len)
{
	struct i2np_hdr	 h;
	struct rbuf	 payload;
	struct i2p_err	 err;
	const uint8_t	*p;

	if (dest->type == TDI_TUNNEL)
		return send_to_tunnel(dest->hash, dest->tunnel_id, msg, len);
	if (i2np_msg_parse_long(&h, &payload, msg, len, &err) == -1 ||
	    rbuf_get_ptr(&payload, &p, rbuf_left(&payload)) == -1)
		return -1;
	return peers_send_hdr(dest->hash, &h, p, h.size);
}

static int
obep_wait(const struct tdi *dest, const uint8_t *msg, size_t len)
{
	struct obep_wait	*w = NULL;
	size_t			 i;
	int			 asked = 0;

	for (i = 0; i < OBEP_WAIT_MAX; i++) {
		if (waits[i].msg == NULL && w == NULL)
			w = &waits[i];
		else if (waits[i].msg != NULL &&
		    memcmp(waits[i].dest.hash, dest->hash, 32) == 0)
			asked = 1;
	}
	if (w == NULL || (w->msg = malloc(len)) == NULL)
		return -1;
	memcpy(w->msg, msg, len);
	w->len = len;
	w->dest = *dest;
	w->dest.frag = NULL;
	w->since = time(NULL);
	st.held++;
	if (!asked)
		explore_lookup(dest->hash);
	return 0;
}

/* a RouterInfo stored: what waited for that router goes */
void
transit_router_known(const uint8_t hash[32])
{
	size_t	i;

	for (i = 0; i < OBEP_WAIT_MAX; i++) {
		if (waits[i].msg == NULL ||
		    memcmp(waits[i].dest.hash, hash, 32) != 0)
			continue;
		if (obep_send(&waits[i].dest, waits[i].msg, waits[i].len) == 0) {
			st.delivered++;
			st.held_sent++;
		} else
			st.data_dropped++;
		free(waits[i].msg);
		waits[i].msg = NULL;
	}
}

static void
waits_expire(time_t now, int all)
{
	size_t	i;

	for (i = 0; i < OBEP_WAIT_MAX; i++)
		if (waits[i].msg != NULL &&
		    (all || now - waits[i].since >= OBEP_WAIT)) {
			free(waits[i].msg);
			waits[i].msg = NULL;
			st.data_dropped++;
		}
}

/* the outbound endpoint: a whole message, where its instructions say */
static void
obep_deliver(void *arg, const struct tdi *dest, const uint8_t *msg,
    size_t len)
{
	struct i2np_hdr	 h;
	struct rbuf	 payload;
	struct i2p_err	 err;
	const uint8_t	*p;

	if (i2np_msg_parse_long(&h, &payload, msg, len, &err) == -1 ||
	    rbuf_get_ptr(&payload, &p, rbuf_left(&payload)) == -1 ||
	    i2np_expired(&h, (uint64_t)time(NULL) * 1000)) {
		st.data_dropped++;
		return;
	}
	if (!bw_allows(len))
		return;
	if (dest->type != TDI_LOCAL && obep_send(dest, msg, len) == 0)
		st.delivered++;
	else if (dest->type != TDI_LOCAL && netdb_get(dest->hash) == NULL &&
	    obep_wait(dest, msg, len) == 0)
		;	/* delivered once the router is known */
	else {
		/* LOCAL at an outbound endpoint, or no route */
		log_debug("endpoint: %s message for %s delivery dropped",
		    i2np_type_name(h.type) ? i2np_type_name(h.type) : "I2NP",
		    dest->type == TDI_LOCAL ? "local" : "unroutable");
		st.data_dropped++;
	}
}

static int
obep_fragment(void *arg, const struct tdi *t)
{
	struct transit	*tr = arg;
	const char	*why;

	if (frag_add(&tr->frags, t, time(NULL), obep_deliver, tr, &why) == -1)
		st.data_dropped++;
	return 0;
}

static void
send_data(const uint8_t next[32], uint32_t next_id, const uint8_t msg[TMSG_LEN])
{
	uint8_t	td[TUNNEL_DATA_LEN];

	if (!bw_allows(sizeof(td)))
		return;
	td[0] = next_id >> 24;
	td[1] = next_id >> 16;
	td[2] = next_id >> 8;
	td[3] = next_id;
	memcpy(td + 4, msg, TMSG_LEN);
	if (peers_send(next, I2NP_TUNNEL_DATA, td, sizeof(td)) == 0)
		st.data_out++;
	else
		st.data_dropped++;
}

/* TunnelData for a tunnel we are a participant or the endpoint of */
void
transit_data(const uint8_t from[32], const uint8_t *p, size_t len)
{
	struct transit	*t;
	uint8_t		 msg[TMSG_LEN];
	const char	*why;
	uint32_t	 id;
	time_t		 now = time(NULL);

	transit_ready();
	st.data_in++;
	if (len != TUNNEL_DATA_LEN) {
		st.data_dropped++;
		return;
	}
	id = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	why = (t = transit_find(id)) == NULL ? "unknown tunnel" :
	    t->role == TRANSIT_IBGW ? "TunnelData to a gateway" :
	    t->have_prev && memcmp(t->prev_hash, from, 32) != 0 ?
	    "from another hop than before" :
	    iv_replayed(p + 4, now) ? "IV seen before" : NULL;
	if (why != NULL) {
		log_debug("TunnelData for %u dropped: %s", id, why);
		st.data_dropped++;
		return;
	}
	/*
	 * What reaches an endpoint is charged as it comes (a participant
	 * pays as it sends on): it costs a layer, reassembly memory and
	 * the delivery (audit #11).
	 */
	if (t->role == TRANSIT_OBEP && !bw_allows(TUNNEL_DATA_LEN))
		return;
	if (!t->have_prev) {
		memcpy(t->prev_hash, from, 32);
		t->have_prev = 1;
	}
	memcpy(msg, p + 4, TMSG_LEN);
	if (tmsg_encrypt(&t->layer, msg) == -1) {
		st.data_dropped++;
		return;
	}
	t->msgs++;
	if (t->role == TRANSIT_PARTICIPANT)
		send_data(t->next_hash, t->next_id, msg);
	else if (tmsg_parse(msg, obep_fragment, t, &why) == -1) {
		log_debug("TunnelData for %u at the endpoint: %s", id, why);
		st.data_dropped++;
	}
}

/* TunnelGateway to an inbound gateway of ours: into TunnelData */
void
transit_gateway(const uint8_t from[32], const uint8_t *p, size_t len)
{
	struct transit	*t;
	struct tdi	 dest, parts[64];
	struct rbuf	 r;
	const uint8_t	*m;
	uint8_t		 msg[TMSG_LEN], iv[TMSG_IV_LEN];
	uint32_t	 id, msg_id;
	uint16_t	 mlen;
	int		 n, i;

	transit_ready();
	st.gateway_in++;
	rbuf_init(&r, p, len);
	if (rbuf_get_u32(&r, &id) == -1 || rbuf_get_u16(&r, &mlen) == -1 ||
	    rbuf_get_ptr(&r, &m, mlen) == -1 || rbuf_end(&r) == -1 ||
	    (t = transit_find(id)) == NULL || t->role != TRANSIT_IBGW) {
		st.data_dropped++;
		return;
	}
	memset(&dest, 0, sizeof(dest));
	dest.type = TDI_LOCAL;
	crypto_random_fill(&msg_id, sizeof(msg_id));
	if ((n = frag_split(m, mlen, &dest, msg_id, parts)) == -1) {
		st.data_dropped++;
		return;
	}
	for (i = 0; i < n; i++) {
		crypto_random_fill(iv, sizeof(iv));
		if (tmsg_build(msg, iv, &parts[i], 1) == -1 ||
		    tmsg_encrypt(&t->layer, msg) == -1) {
			st.data_dropped++;
			return;
		}
		send_data(t->next_hash, t->next_id, msg);
	}
	t->msgs++;
}

/* every minute: tunnels past their ten minutes, stale fragments */
void
transit_expire(time_t now)
{
	struct transit	*t, *next;

	for (t = RB_MIN(transit_tree, &tunnels); t != NULL; t = next) {
		next = RB_NEXT(transit_tree, &tunnels, t);
		if (now - t->created >= TRANSIT_LIFE)
			transit_free(t);
		else
			frag_expire(&t->frags, now);
	}
	waits_expire(now, 0);
}

void
transit_stats(struct transit_stats *out)
{
	struct transit		*t;
	struct selfq_stats	 sq;

	*out = st;
	selfq_stats(&sq);
	out->self_delivered = sq.delivered;
	out->self_dropped = sq.dropped;
	out->max = tconf()->transit_max;
	out->reasm_bytes = frag_held();
	out->reasm_dropped = frag_over_budget();
	out->share = share_bytes();
	out->load = bw_load(&bw, out->share, mono_ms());
	out->congestion[0] = transit_congestion();
	out->congestion[1] = '\0';
	memset(out->active, 0, sizeof(out->active));
	RB_FOREACH(t, transit_tree, &tunnels)
		out->active[t->role]++;
}

void
transit_shutdown(void)
{
	struct transit	*t;
	size_t		 i;

	while ((t = RB_MIN(transit_tree, &tunnels)) != NULL)
		transit_free(t);
	waits_expire(0, 1);
	for (i = 0; i < TRANSIT_PENDING; i++)
		if (pending[i].reqid != 0)
			pending_free(&pending[i]);
	free(iv_gen[0].tab);
	free(iv_gen[1].tab);
	memset(iv_gen, 0, sizeof(iv_gen));
	replay_free(&eph);
	ready = 0;
}
