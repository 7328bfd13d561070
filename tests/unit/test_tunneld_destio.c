/*
 * Two local destinations talking through tunneld/destio.c, back to
 * back: a fake routerd carries each CLIENT_SEND record to the other's
 * CLIENT_RECV and answers lookups with the other's LeaseSet; a fake
 * cryptod does the static-key DH and signs with real keys, answering a
 * turn later as the real one does.  A repliable datagram goes A to B
 * (New Session, with A's LeaseSet bundled), B answers (New Session
 * Reply), A again (Existing Session); raw datagrams; garbage is
 * counted, not taken.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../../tunneld/clientio.h"
#include "crypto.h"
#include "../../tunneld/kreq.h"
#include "../../tunneld/destio.h"
#include "../../tunneld/lscache.h"
#include "../../tunneld/ratchet.h"
#include "garlicblk.h"
#include "../../tunneld/tunneld.h"
#include "unit.h"

#ifndef nitems
#define nitems(a)	(sizeof(a) / sizeof((a)[0]))
#endif

#define A	1
#define B	2
#define SECOND_LEASE	1000	/* its tunnel ID: the first's + this */

struct party {
	uint32_t		 keyid;
	uint8_t			 seed[32], sign_pub[32];
	uint8_t			 x_priv[32], x_pub[32];
	struct i2p_ident	 ident;
	struct leaseset2	*ls;
	struct destio		*io;
	uint32_t		 tunnel;	/* its lease's tunnel ID */
};

static struct party	 p[3];
/* the real clock: cryptod's answers are handled at time(NULL) */
static time_t		 now;

/* cryptod's answers, given a turn later */
struct pending_kreq {
	uint32_t	 reqid;
	uint32_t	 keyid;
	int		 sign;
	uint8_t		 out[64];
};
static struct pending_kreq	 kq[64];
static int			 nkq;
static uint32_t			 reqids;
/* cryptod refuses this many of the next DHs asked for this key */
static uint32_t			 dh_fail_key;
static int			 dh_fail_n;

static struct party *
by_key(uint32_t keyid)
{
	return keyid == A ? &p[A] : keyid == B ? &p[B] : NULL;
}

static void
op_dh(uint32_t reqid, uint32_t keyid, const uint8_t peer[32])
{
	ck_assert_int_lt(nkq, 64);
	kq[nkq].reqid = reqid;
	kq[nkq].keyid = keyid;
	kq[nkq].sign = 0;
	ck_assert_int_eq(x25519(kq[nkq].out, by_key(keyid)->x_priv, peer), 0);
	nkq++;
}

static void
op_sign(uint32_t reqid, uint32_t keyid, const uint8_t *m, size_t len)
{
	ck_assert_int_lt(nkq, 64);
	kq[nkq].reqid = reqid;
	kq[nkq].sign = 1;
	ck_assert_int_eq(ed25519_sign(kq[nkq].out, by_key(keyid)->seed, m,
	    len), 0);
	nkq++;
}

static uint32_t
op_reqid(void)
{
	return ++reqids;
}

static const struct kreq_ops kops = {
	.dh = op_dh, .sign = op_sign, .reqid = op_reqid,
};

/* routerd: batches from one destination to the other's leases */
static uint8_t	*batches[64];
static size_t	 batchlen[64];
static int	 nbatches;

static void
op_send(const uint8_t *b, size_t len)
{
	ck_assert_int_lt(nbatches, 64);
	batches[nbatches] = malloc(len);
	memcpy(batches[nbatches], b, len);
	batchlen[nbatches++] = len;
}

static int
op_congested(void)
{
	return 0;
}

static void
op_schedule(void)
{
}

static const struct clientio_ops cops = {
	.send = op_send, .congested = op_congested, .schedule = op_schedule,
};

static struct ls_lookup	 lookups[16];
static int		 nlookups;

static void
op_lookup(const struct ls_lookup *l)
{
	ck_assert_int_lt(nlookups, 16);
	lookups[nlookups++] = *l;
}

static const struct lscache_ops lops = { .lookup = op_lookup };

static const struct leaseset2 *
our_ls(uint32_t keyid)
{
	return by_key(keyid) != NULL ? by_key(keyid)->ls : NULL;
}

/* what the destinations' owners got */
struct got {
	uint32_t	 keyid;
	uint8_t		 proto;
	uint16_t	 src, dst;
	uint8_t		 from[32];
	int		 have_from;
	uint8_t		 data[2048];
	size_t		 len;
};
static struct got	 got[256];
static int		 ngot;

static void
recv_cb(uint32_t keyid, const struct dgram *d, const uint8_t *from)
{
	ck_assert_int_lt(ngot, 256);
	ck_assert_uint_le(d->len, sizeof(got[0].data));
	got[ngot].keyid = keyid;
	got[ngot].proto = d->proto;
	got[ngot].src = d->src_port;
	got[ngot].dst = d->dst_port;
	got[ngot].have_from = from != NULL;
	if (from != NULL)
		memcpy(got[ngot].from, from, 32);
	memcpy(got[ngot].data, d->payload, d->len);
	got[ngot].len = d->len;
	ngot++;
}

static int
sign_seed(void *arg, const uint8_t *m, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, m, len);
}

static void
party_make(struct party *x, uint32_t keyid)
{
	struct i2p_err	err;

	memset(x, 0, sizeof(*x));
	x->keyid = keyid;
	x->tunnel = 5000 + keyid;
	crypto_random_fill(x->seed, 32);
	ck_assert_int_eq(ed25519_public(x->sign_pub, x->seed), 0);
	ck_assert_int_eq(x25519_keygen(x->x_priv, x->x_pub), 0);
	ck_assert_int_eq(ident_build(&x->ident, IDENT_DEST, x->x_pub,
	    x->sign_pub, NULL), 0);
	x->ls = calloc(1, sizeof(*x->ls));
	ls2_init(x->ls);
	x->ls->dest = x->ident;
	x->ls->published = (uint32_t)now;
	x->ls->expires = 600;
	ck_assert_int_eq(ls2_add_key(x->ls, CRYPTOTYPE_X25519, x->x_pub, 32,
	    &err), 0);
	memset(x->ls->leases[0].gateway, (int)keyid, 32);
	x->ls->leases[0].tunnel_id = x->tunnel;
	x->ls->leases[0].end_date = (uint32_t)now + 600;
	x->ls->nleases = 1;
	ck_assert_int_eq(ls2_sign(x->ls, sign_seed, x->seed, &err), 0);
	x->io = destio_new(keyid, &x->ident, x->x_pub);
}

static void
setup(void)
{
	ck_assert_int_eq(crypto_init(), 0);
	now = time(NULL);
	nkq = nbatches = nlookups = ngot = 0;
	kreq_init(&kops);
	clientio_init(&cops);
	lscache_init(&lops);
	destio_init(our_ls, recv_cb);
	party_make(&p[A], A);
	party_make(&p[B], B);
}

static void
teardown(void)
{
	int	i;

	for (i = A; i <= B; i++) {
		destio_free(p[i].io);
		free(p[i].ls);
	}
	lscache_free_all();
	clientio_free();
	for (i = 0; i < nbatches; i++)
		free(batches[i]);
}

/*
 * One turn of everything: cryptod's answers, routerd's lookups
 * answered with the other's LeaseSet, batches delivered.  Returns how
 * much happened.
 */
static int	hold;	/* batches stay for the test to deliver */

static int
turn(void)
{
	struct pending_kreq	 q[64];
	struct ls_found		 f;
	struct rbuf		 r;
	struct client_out	 o;
	struct client_in	 in;
	const char		*why;
	uint32_t		 client;
	int			 i, n, done = 0;
	struct party		*to;

	n = nkq;
	memcpy(q, kq, sizeof(q[0]) * n);
	nkq = 0;
	for (i = 0; i < n; i++, done++)
		if (q[i].sign)
			kreq_signature(q[i].reqid, q[i].out);
		else if (dh_fail_n > 0 && q[i].keyid == dh_fail_key) {
			dh_fail_n--;
			kreq_error(q[i].reqid);
		} else
			kreq_dh_result(q[i].reqid, q[i].out);
	n = nlookups;
	nlookups = 0;
	for (i = 0; i < n; i++, done++) {
		memset(&f, 0, sizeof(f));
		f.client = lookups[i].client;
		f.reqid = lookups[i].reqid;
		memcpy(f.key, lookups[i].key, 32);
		to = memcmp(f.key, p[A].ident.hash, 32) == 0 ? &p[A] : &p[B];
		f.type = LS2_STORE_TYPE;
		ck_assert_int_eq(lscache_found(&f, to->ls->raw, to->ls->rawlen,
		    now, &why), 0);
		destio_run_pending(now);
	}
	clientio_flush();
	if (hold)
		return done;
	n = nbatches;
	nbatches = 0;
	for (i = 0; i < n; i++, done++) {
		ck_assert_int_eq(clientbatch_begin(&r, batches[i],
		    batchlen[i], &client), 0);
		while (clientbatch_next_out(&r, &o) == 1) {
			to = o.tunnel_id == p[A].tunnel ? &p[A] : &p[B];
			/* B may have a second lease (test_sticky_path) */
			ck_assert(o.tunnel_id == to->tunnel ||
			    o.tunnel_id == to->tunnel + SECOND_LEASE);
			ck_assert_uint_ne(to->keyid, client);
			in.in_serial = 1;
			in.msg = o.msg;
			in.len = o.len;
			destio_recv(to->io, &in, now);
		}
		free(batches[i]);
	}
	return done;
}

static void
settle(void)
{
	int	i;

	for (i = 0; i < 20 && turn() > 0; i++)
		;
	ck_assert_int_lt(i, 20);
}

static void
send_dgram(int from, int to, uint8_t proto, const char *text)
{
	struct i2cpdata_hdr	h = { 1234, 5678, proto };

	ck_assert_int_eq(destio_send(p[from].io, p[to].ident.hash, &h,
	    (const uint8_t *)text, strlen(text), now), 0);
}

START_TEST(test_conversation)
{
	struct destio_stats	sa, sb;

	send_dgram(A, B, I2CP_PROTO_DATAGRAM, "hello from A");
	settle();
	ck_assert_int_eq(ngot, 1);
	ck_assert_uint_eq(got[0].keyid, B);
	ck_assert_uint_eq(got[0].proto, I2CP_PROTO_DATAGRAM);
	ck_assert_uint_eq(got[0].src, 1234);
	ck_assert_uint_eq(got[0].dst, 5678);
	ck_assert_int_eq(got[0].have_from, 1);
	ck_assert_mem_eq(got[0].from, p[A].ident.hash, 32);
	ck_assert_mem_eq(got[0].data, "hello from A", 12);
	/* B answers: A's LeaseSet came bundled, no lookup needed */
	send_dgram(B, A, I2CP_PROTO_DATAGRAM, "hello from B");
	settle();
	ck_assert_int_eq(ngot, 2);
	ck_assert_uint_eq(got[1].keyid, A);
	ck_assert_mem_eq(got[1].from, p[B].ident.hash, 32);
	send_dgram(A, B, I2CP_PROTO_RAW, "raw from A");
	settle();
	ck_assert_int_eq(ngot, 3);
	ck_assert_uint_eq(got[2].proto, I2CP_PROTO_RAW);
	ck_assert_mem_eq(got[2].data, "raw from A", 10);
	/* a raw datagram has no sender; the session knows whose it is */
	ck_assert_int_eq(got[2].have_from, 1);
	ck_assert_mem_eq(got[2].from, p[A].ident.hash, 32);
	destio_stats(p[A].io, &sa);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sa.ns_sent, 1);
	ck_assert_uint_eq(sb.nsr_sent, 1);
	ck_assert_uint_eq(sa.nsr_received, 1);
	ck_assert_uint_eq(sa.es_sent, 1);
	ck_assert_uint_eq(sb.es_received, 1);
	ck_assert_uint_eq(sa.sessions, 1);
	ck_assert_uint_eq(sb.sessions, 1);
	ck_assert_uint_eq(sa.dropped_garlic + sb.dropped_garlic, 0);
}
END_TEST

/* one, two, three: A's first Existing Session makes both ends established */
static void
establish(void)
{
	send_dgram(A, B, I2CP_PROTO_RAW, "one");
	settle();
	send_dgram(B, A, I2CP_PROTO_RAW, "two");
	settle();
	send_dgram(A, B, I2CP_PROTO_RAW, "three");
	settle();
}

/* a new LeaseSet of ours, as lspub.c would make it */
static void
new_leaseset(struct party *x)
{
	struct i2p_err	err;

	x->ls->published++;
	ck_assert_int_eq(ls2_sign(x->ls, sign_seed, x->seed, &err), 0);
}

/* A to B; B has nothing to say: its tick sends the ACK it owes */
static void
send_answered(const char *text)
{
	send_dgram(A, B, I2CP_PROTO_RAW, text);
	settle();
	destio_tick(p[B].io, now);
	settle();
}

/*
 * Our LeaseSet bundled in an Existing Session asks for an ACK; the
 * peer's ACK confirms it, and without one it goes again with the next
 * message
 */
START_TEST(test_ls_ack)
{
	struct destio_stats	 sa;
	int			 i;

	establish();
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.ls_acked, 0);
	new_leaseset(&p[A]);
	send_answered("four");
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.ls_acked, 1);
	ck_assert_uint_eq(sa.ls_ack_timeouts, 0);
	/* the next one is lost on the way */
	new_leaseset(&p[A]);
	send_dgram(A, B, I2CP_PROTO_RAW, "five");
	hold = 1;
	for (i = 0; i < 10 && nbatches == 0; i++)
		turn();
	hold = 0;
	ck_assert_int_eq(nbatches, 1);
	free(batches[0]);
	nbatches = 0;
	now += DESTIO_LS_ACK_WAIT - 1;
	destio_tick(p[A].io, now);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.ls_ack_timeouts, 0);
	now += 1;
	destio_tick(p[A].io, now);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.ls_ack_timeouts, 1);
	/* so it goes again, and this time it is acknowledged */
	send_answered("six");
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.ls_acked, 2);
	ck_assert_int_eq(ngot, 5);
}
END_TEST

/*
 * A hostile Alice: the ratchet library itself, sealing whatever blocks
 * it likes into a bound New Session to B
 */
static void
no_tags(void *arg, struct ratchet_session *s, const uint8_t *tag, int added)
{
}

/* a garlic message's body (its length first) as an I2NP message to B */
static void
garlic_to_b(const struct wbuf *out)
{
	static uint8_t		 mbuf[4200];
	struct client_in	 in;
	struct i2np_hdr		 h;
	struct wbuf		 msg;

	memset(&h, 0, sizeof(h));
	h.type = I2NP_GARLIC;
	h.expiration = ((uint64_t)now + 60) * 1000;
	wbuf_init_fixed(&msg, mbuf, sizeof(mbuf));
	ck_assert_int_eq(i2np_msg_write_short(&h, wbuf_data(out),
	    wbuf_len(out), &msg), 0);
	in.in_serial = 1;
	in.msg = wbuf_data(&msg);
	in.len = wbuf_len(&msg);
	destio_recv(p[B].io, &in, now);
	settle();
}

static void
hostile_ns(const struct wbuf *blocks)
{
	static uint8_t		 obuf[4096];
	struct ratchet_session	*rs;
	struct wbuf		 out;
	uint8_t			 priv[32], pub[32], ss[32];
	size_t			 at;

	ck_assert_int_eq(x25519_keygen(priv, pub), 0);
	ck_assert_int_eq(x25519(ss, priv, p[B].x_pub), 0);
	rs = ratchet_out_new(pub, p[B].x_pub, no_tags, NULL, now);
	ck_assert_ptr_nonnull(rs);
	wbuf_init_fixed(&out, obuf, sizeof(obuf));
	wbuf_reserve(&out, 4, &at);
	/* not ratchet_seal, which refuses blocks that do not parse */
	ck_assert_int_eq(rt_ns_write(rs, ss, wbuf_data(blocks),
	    wbuf_len(blocks), &out, now), 0);
	wbuf_set_u32(&out, at, (uint32_t)(wbuf_len(&out) - 4));
	ratchet_free(rs);
	garlic_to_b(&out);
}

/* one clove of an I2NP type, delivered as given, in a New Session */
static void
hostile_clove(enum gblk_delivery delivery, const uint8_t *to, uint8_t type,
    const uint8_t *body, size_t len)
{
	static uint8_t		 bbuf[4096];
	struct gblk_clove	 c;
	struct wbuf		 w;

	memset(&c, 0, sizeof(c));
	c.delivery = delivery;
	if (to != NULL)
		memcpy(c.hash, to, 32);
	c.hdr.type = type;
	c.hdr.msg_id = 1;
	c.hdr.expiration = ((uint64_t)now + 60) * 1000;
	c.msg = body;
	c.msglen = len;
	wbuf_init_fixed(&w, bbuf, sizeof(bbuf));
	ck_assert_int_eq(gblk_put_clove(&w, &c), 0);
	hostile_ns(&w);
}

/*
 * Well-sealed garlic with bad insides: each clove dropped and counted,
 * nothing reaches the owner, the destination carries on
 */
START_TEST(test_hostile_cloves)
{
	struct destio_stats	 sb;
	struct gblk_ack		 acks[3];
	uint8_t			 junk[300], store[300], other[32];
	static uint8_t		 bbuf[512];
	struct wbuf		 w;

	crypto_random_fill(junk, sizeof(junk));
	crypto_random_fill(other, sizeof(other));
	/* cloves for elsewhere: a router, a tunnel, another destination */
	hostile_clove(GBLK_ROUTER, other, I2NP_DATA, junk, 40);
	hostile_clove(GBLK_TUNNEL, other, I2NP_DATA, junk, 40);
	hostile_clove(GBLK_DESTINATION, other, I2NP_DATA, junk, 40);
	/* a Data message that is no I2CP payload */
	hostile_clove(GBLK_LOCAL, NULL, I2NP_DATA, junk, sizeof(junk));
	/* a store with a reply token, then one whose LeaseSet is junk */
	memset(store, 0, sizeof(store));
	store[32] = 3;
	store[36] = 1;
	hostile_clove(GBLK_LOCAL, NULL, I2NP_DATABASE_STORE, store,
	    sizeof(store));
	store[36] = 0;
	memcpy(store + 37, junk, sizeof(store) - 37);
	hostile_clove(GBLK_LOCAL, NULL, I2NP_DATABASE_STORE, store,
	    sizeof(store));
	/* a message a destination never takes */
	hostile_clove(GBLK_LOCAL, NULL, I2NP_TUNNEL_BUILD, junk, 100);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.dropped_in, 7);
	ck_assert_uint_eq(sb.dropped_garlic, 0);
	/* ACKs for nothing, and a block type nobody knows: ignored */
	wbuf_init_fixed(&w, bbuf, sizeof(bbuf));
	memset(acks, 0xff, sizeof(acks));
	ck_assert_int_eq(gblk_put_ack(&w, acks, 3), 0);
	wbuf_put_u8(&w, 200);
	wbuf_put_u16(&w, 3);
	wbuf_put_bytes(&w, junk, 3);
	hostile_ns(&w);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.dropped_in, 7);
	ck_assert_uint_eq(sb.dropped_garlic, 0);
	/* a block longer than the payload: all of it refused */
	wbuf_init_fixed(&w, bbuf, sizeof(bbuf));
	wbuf_put_u8(&w, 200);
	wbuf_put_u16(&w, 400);
	wbuf_put_bytes(&w, junk, 10);
	hostile_ns(&w);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.dropped_garlic, 1);
	ck_assert_int_eq(ngot, 0);
	/* and B still talks to A */
	send_dgram(A, B, I2CP_PROTO_RAW, "still here");
	settle();
	ck_assert_int_eq(ngot, 1);
	ck_assert_mem_eq(got[0].data, "still here", 10);
}
END_TEST

/* streaming packets: to the destination's streams, ports and sender */
static struct {
	uint32_t	 keyid;
	uint8_t		 pkt[64];
	size_t		 len;
	uint16_t	 src, dst;
	int		 have_from;
	uint8_t		 from[32];
}			 spk[4];
static int		 nspk;

static void
stream_in(uint32_t keyid, const uint8_t *pkt, size_t len, uint16_t src,
    uint16_t dst, const uint8_t *from)
{
	ck_assert_int_lt(nspk, 4);
	ck_assert_uint_le(len, sizeof(spk[0].pkt));
	spk[nspk].keyid = keyid;
	memcpy(spk[nspk].pkt, pkt, len);
	spk[nspk].len = len;
	spk[nspk].src = src;
	spk[nspk].dst = dst;
	spk[nspk].have_from = from != NULL;
	if (from != NULL)
		memcpy(spk[nspk].from, from, 32);
	nspk++;
}

START_TEST(test_streaming)
{
	struct i2cpdata_hdr	 h = { 4321, 80, I2CP_PROTO_STREAMING };
	struct destio_stats	 sb;

	/* nobody takes them: dropped */
	establish();
	ck_assert_int_eq(destio_send(p[A].io, p[B].ident.hash, &h,
	    (const uint8_t *)"syn", 3, now), 0);
	settle();
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.dropped_in, 1);
	nspk = 0;
	destio_set_stream(stream_in);
	ck_assert_int_eq(destio_send(p[A].io, p[B].ident.hash, &h,
	    (const uint8_t *)"data", 4, now), 0);
	settle();
	destio_set_stream(NULL);
	ck_assert_int_eq(nspk, 1);
	ck_assert_uint_eq(spk[0].keyid, B);
	ck_assert_uint_eq(spk[0].len, 4);
	ck_assert_mem_eq(spk[0].pkt, "data", 4);
	ck_assert_uint_eq(spk[0].src, 4321);
	ck_assert_uint_eq(spk[0].dst, 80);
	/* B learnt A's hash from the LeaseSet A bundled */
	ck_assert_int_eq(spk[0].have_from, 1);
	ck_assert_mem_eq(spk[0].from, p[A].ident.hash, 32);
	/* the datagrams went to the owner, not the streams */
	ck_assert_int_eq(ngot, 3);
}
END_TEST

/*
 * A streaming packet behind a lead: one garlic message (one Existing
 * Session sent) with both, the lead first; only streaming has leads
 */
START_TEST(test_stream_lead)
{
	struct i2cpdata_hdr	 h = { 4321, 80, I2CP_PROTO_STREAMING };
	struct i2cpdata_hdr	 raw = { 4321, 80, I2CP_PROTO_RAW };
	struct destio_stats	 sa0, sa;

	establish();
	destio_stats(p[A].io, &sa0);
	nspk = 0;
	destio_set_stream(stream_in);
	ck_assert_int_eq(destio_send_lead(p[A].io, p[B].ident.hash, &h,
	    (const uint8_t *)"synack", 6, (const uint8_t *)"data", 4, now), 0);
	ck_assert_int_eq(destio_send_lead(p[A].io, p[B].ident.hash, &raw,
	    (const uint8_t *)"synack", 6, (const uint8_t *)"data", 4, now), -1);
	settle();
	destio_set_stream(NULL);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.es_sent, sa0.es_sent + 1);
	ck_assert_uint_eq(sa.sent, sa0.sent + 1);
	ck_assert_int_eq(nspk, 2);
	ck_assert_uint_eq(spk[0].len, 6);
	ck_assert_mem_eq(spk[0].pkt, "synack", 6);
	ck_assert_uint_eq(spk[1].len, 4);
	ck_assert_mem_eq(spk[1].pkt, "data", 4);
	ck_assert_uint_eq(spk[0].src, 4321);
	ck_assert_uint_eq(spk[1].dst, 80);
}
END_TEST

/* the tunnel IDs of the messages A sends B, n of them, held */
static void
sent_tunnels(uint32_t *tid, int n)
{
	struct rbuf		 r;
	struct client_out	 o;
	uint32_t		 client;
	int			 i, j, k = 0;

	for (i = 0; i < n; i++)
		send_dgram(A, B, I2CP_PROTO_RAW, "which way");
	hold = 1;
	for (i = 0; i < 10 && k < n; i++) {
		turn();
		for (j = 0; j < nbatches; j++) {
			ck_assert_int_eq(clientbatch_begin(&r, batches[j],
			    batchlen[j], &client), 0);
			while (clientbatch_next_out(&r, &o) == 1 && k < n)
				tid[k++] = o.tunnel_id;
			free(batches[j]);
		}
		nbatches = 0;
	}
	hold = 0;
	ck_assert_int_eq(k, n);
}

/*
 * A session keeps one lease of the remote's while it lives, and takes
 * another after destio_reroute
 */
START_TEST(test_sticky_path)
{
	struct destio_stats	 sa;
	uint32_t		 tid[16], first;
	int			 i, seen[2] = { 0, 0 };

	establish();
	/* B gets a second lease; its next message carries the LeaseSet */
	p[B].ls->leases[1] = p[B].ls->leases[0];
	p[B].ls->leases[1].tunnel_id = p[B].tunnel + SECOND_LEASE;
	p[B].ls->nleases = 2;
	new_leaseset(&p[B]);
	send_dgram(B, A, I2CP_PROTO_RAW, "two leases now");
	settle();
	sent_tunnels(tid, 16);
	first = tid[0];
	for (i = 1; i < 16; i++)
		ck_assert_uint_eq(tid[i], first);
	/* after a reroute, the other one */
	destio_reroute(p[A].io, p[B].ident.hash, 0, now);
	sent_tunnels(tid, 4);
	for (i = 0; i < 4; i++)
		ck_assert_uint_ne(tid[i], first);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.reroutes, 1);
	/* and back and forth, each time away from the last */
	for (i = 0; i < 8; i++) {
		destio_reroute(p[A].io, p[B].ident.hash, 0, now);
		sent_tunnels(tid, 1);
		seen[tid[0] == first]++;
	}
	ck_assert_int_eq(seen[0], 4);
	ck_assert_int_eq(seen[1], 4);
}
END_TEST

/* n messages from A to B, lost on the way */
static void
lose_to_b(int n)
{
	int	i;

	hold = 1;
	for (i = 0; i < n; i++)
		send_dgram(A, B, I2CP_PROTO_RAW, "lost");
	settle();
	for (i = 0; i < nbatches; i++)
		free(batches[i]);
	nbatches = 0;
	hold = 0;
}

/*
 * More lost in a row than B's tag look-ahead: B cannot read what A
 * sends next in that session, however often.  A stream's packet resent
 * twice gives the session up (not one younger than DESTIO_RESTART_AGE):
 * a New Session goes instead, B reads it, and the two talk again.
 */
START_TEST(test_restart_after_losses)
{
	struct destio_stats	 sa, sb0, sb;
	int			 n;

	establish();
	lose_to_b(RATCHET_WINDOW_MAX + 40);
	destio_stats(p[B].io, &sb0);
	n = ngot;
	send_dgram(A, B, I2CP_PROTO_RAW, "unreadable");
	settle();
	destio_stats(p[B].io, &sb);
	ck_assert_int_eq(ngot, n);
	ck_assert_uint_eq(sb.dropped_garlic, sb0.dropped_garlic + 1);
	/* B to A still works: only A's direction is broken */
	send_dgram(B, A, I2CP_PROTO_RAW, "B still talks");
	settle();
	ck_assert_int_eq(ngot, n + 1);
	/* one resend so far: a new path, the same session */
	destio_reroute(p[A].io, p[B].ident.hash, 1, now);
	send_dgram(A, B, I2CP_PROTO_RAW, "still unreadable");
	settle();
	ck_assert_int_eq(ngot, n + 1);
	/* a young session is not given up */
	destio_reroute(p[A].io, p[B].ident.hash, 2, now);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.restarts, 0);
	now += DESTIO_RESTART_AGE;
	destio_reroute(p[A].io, p[B].ident.hash, 2, now);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.restarts, 1);
	ck_assert_uint_eq(sa.ns_sent, 1);
	send_dgram(A, B, I2CP_PROTO_RAW, "a new session");
	settle();
	ck_assert_int_eq(ngot, n + 2);
	ck_assert_mem_eq(got[n + 1].data, "a new session", 13);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.ns_sent, 2);
	/* the new one is young: more resends do not replace it */
	destio_reroute(p[A].io, p[B].ident.hash, 5, now);
	send_dgram(B, A, I2CP_PROTO_RAW, "answered");
	settle();
	ck_assert_int_eq(ngot, n + 3);
	ck_assert_mem_eq(got[n + 2].data, "answered", 8);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.restarts, 1);
}
END_TEST

/* show sessions: a row per session, as dest_ctl.c makes them */
static struct ctl_rsess	 rows[4];
static size_t		 nrows;

static void
row_emit(void *arg, uint32_t type, const void *data, size_t len)
{
	ck_assert_uint_eq(type, IMSG_CTL_RSESS);
	ck_assert_uint_eq(len, sizeof(rows[0]));
	ck_assert_uint_lt(nrows, 4);
	memcpy(&rows[nrows++], data, len);
}

static void
one_row(int who, const char *name)
{
	size_t	n = 0;

	nrows = 0;
	dest_ctl_io_sessions(name, p[who].io, row_emit, NULL, &n);
	ck_assert_uint_eq(nrows, 1);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(rows[0].dest, name);
	/* made at time(NULL) when cryptod answered: a second may pass */
	ck_assert_int_ge(rows[0].created, now);
	ck_assert_int_le(rows[0].created, time(NULL));
}

START_TEST(test_ctl_rows)
{
	char	 b32[64];
	size_t	 n = CTL_RSESS_MAX;

	send_dgram(A, B, I2CP_PROTO_DATAGRAM, "one");
	settle();
	/* A waits for the reply; B knows A from the repliable datagram */
	one_row(A, "a");
	ck_assert_int_eq(ident_b32(&p[B].ident, b32, sizeof(b32)) > 0, 1);
	ck_assert_str_eq(rows[0].peer, b32);
	ck_assert_uint_eq(rows[0].outbound, 1);
	ck_assert_uint_eq(rows[0].state, CTL_RSESS_NS_SENT);
	ck_assert_uint_eq(rows[0].sent, 1);
	one_row(B, "b");
	ck_assert_int_eq(ident_b32(&p[A].ident, b32, sizeof(b32)) > 0, 1);
	ck_assert_str_eq(rows[0].peer, b32);
	ck_assert_uint_eq(rows[0].outbound, 0);
	ck_assert_uint_eq(rows[0].state, CTL_RSESS_NSR_SENT);
	ck_assert_uint_eq(rows[0].received, 1);
	send_dgram(B, A, I2CP_PROTO_DATAGRAM, "two");
	settle();
	send_dgram(A, B, I2CP_PROTO_RAW, "three");
	settle();
	one_row(A, "a");
	ck_assert_uint_eq(rows[0].state, CTL_RSESS_ESTABLISHED);
	one_row(B, "b");
	ck_assert_uint_eq(rows[0].state, CTL_RSESS_ESTABLISHED);
	/* a reply that is full already takes no more rows */
	nrows = 0;
	dest_ctl_io_sessions("a", p[A].io, row_emit, NULL, &n);
	ck_assert_uint_eq(nrows, 0);
	ck_assert_uint_eq(n, CTL_RSESS_MAX);
}
END_TEST

/* many messages each way: tags keep up, nothing is refused */
START_TEST(test_many)
{
	struct destio_stats	sa, sb;
	char			msg[64];
	int			i, n = 0;

	send_dgram(A, B, I2CP_PROTO_RAW, "first");
	settle();
	send_dgram(B, A, I2CP_PROTO_RAW, "reply");
	settle();
	for (i = 0; i < 300; i++) {
		snprintf(msg, sizeof(msg), "A %d", i);
		send_dgram(A, B, I2CP_PROTO_RAW, msg);
		snprintf(msg, sizeof(msg), "B %d", i);
		send_dgram(B, A, I2CP_PROTO_RAW, msg);
		if (i % 50 == 49) {
			settle();
			n += ngot;
			ngot = 0;
		}
	}
	settle();
	n += ngot;
	ck_assert_int_eq(n, 2 + 600);
	destio_stats(p[A].io, &sa);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sa.dropped_garlic + sb.dropped_garlic, 0);
	ck_assert_uint_eq(sa.dropped_out + sb.dropped_out, 0);
}
END_TEST

/* garbage from the network: counted, never a session or a datagram */
START_TEST(test_garbage)
{
	struct destio_stats	 sb;
	struct client_in	 in;
	struct i2np_hdr		 h;
	struct wbuf		 w;
	uint8_t			 body[200], msg[300];
	int			 i;

	for (i = 0; i < 5; i++) {
		crypto_random_fill(body, sizeof(body));
		body[0] = 0;
		body[1] = 0;
		body[2] = 0;
		body[3] = (uint8_t)(sizeof(body) - 4);
		memset(&h, 0, sizeof(h));
		h.type = I2NP_GARLIC;
		h.expiration = ((uint64_t)now + 60) * 1000;
		wbuf_init_fixed(&w, msg, sizeof(msg));
		ck_assert_int_eq(i2np_msg_write_short(&h, body, sizeof(body),
		    &w), 0);
		in.in_serial = 1;
		in.msg = wbuf_data(&w);
		in.len = wbuf_len(&w);
		destio_recv(p[B].io, &in, now);
	}
	/* a wrong length inside */
	body[3] = 10;
	wbuf_init_fixed(&w, msg, sizeof(msg));
	i2np_msg_write_short(&h, body, sizeof(body), &w);
	in.msg = wbuf_data(&w);
	in.len = wbuf_len(&w);
	destio_recv(p[B].io, &in, now);
	settle();
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.dropped_garlic, 6);
	ck_assert_uint_eq(sb.sessions, 0);
	ck_assert_int_eq(ngot, 0);
}
END_TEST

/*
 * A New Session delivered twice before cryptod answered the first
 * (i2pd sends its NS again with the same key): one session, not two
 * sending each tag twice.
 */
/*
 * Turns (signature, lookup, ss) until the message just sent is in a
 * batch, held for the test: the first message of it in o.  Free
 * batches[0] and zero nbatches when done with it.
 */
/* turns with batches held until there is one */
static void
turns_held(void)
{
	int	i;

	hold = 1;
	for (i = 0; i < 10 && nbatches == 0; i++)
		turn();
	hold = 0;
	ck_assert_int_gt(nbatches, 0);
}

static void
held_message(struct client_out *o)
{
	struct rbuf	 r;
	uint32_t	 client;

	turns_held();
	ck_assert_int_eq(nbatches, 1);
	ck_assert_int_eq(clientbatch_begin(&r, batches[0], batchlen[0],
	    &client), 0);
	ck_assert_int_eq(clientbatch_next_out(&r, o), 1);
}

START_TEST(test_ns_twice)
{
	struct destio_stats	 sb;
	struct client_out	 o;
	struct client_in	 in;

	send_dgram(A, B, I2CP_PROTO_RAW, "once");
	held_message(&o);
	in.in_serial = 1;
	in.msg = o.msg;
	in.len = o.len;
	destio_recv(p[B].io, &in, now);
	destio_recv(p[B].io, &in, now);
	free(batches[0]);
	nbatches = 0;
	settle();
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.sessions, 1);
	ck_assert_uint_eq(sb.ns_received, 1);
	ck_assert_uint_eq(sb.dropped_garlic, 1);
	ck_assert_int_eq(ngot, 1);
}
END_TEST

/*
 * Alice as i2pd 2.45.1 is: a session of her own for each stream until
 * one is answered, driven here by the ratchet library.  Her message in
 * one of them goes to B, without our key set aside (NULL: no blocks of
 * the test's but the DateTime a New Session has).
 */
static void
alice_send(struct ratchet_session *rs)
{
	static uint8_t		 obuf[1024];
	struct wbuf		 out;
	uint8_t			 ss[32];
	size_t			 at;

	ck_assert_int_eq(x25519(ss, p[A].x_priv, p[B].x_pub), 0);
	wbuf_init_fixed(&out, obuf, sizeof(obuf));
	wbuf_reserve(&out, 4, &at);
	ck_assert_int_eq(ratchet_seal(rs, ss, NULL, 0, &out, NULL, now), 0);
	wbuf_set_u32(&out, at, (uint32_t)(wbuf_len(&out) - 4));
	garlic_to_b(&out);
}

/* B's next message to A, opened by rs (a New Session Reply) */
static void
alice_open_reply(struct ratchet_session *rs)
{
	static uint8_t		 pbuf[2048];
	struct client_out	 o;
	struct ratchet_rx	 rx;
	struct i2np_hdr		 h;
	struct i2p_err		 err;
	struct rbuf		 g;
	struct wbuf		 payload;
	const uint8_t		*msg;
	uint32_t		 len;
	uint8_t			 dh[32];

	send_dgram(B, A, I2CP_PROTO_RAW, "reply");
	held_message(&o);
	ck_assert_int_eq(i2np_msg_parse_short(&h, &g, o.msg, o.len, &err), 0);
	ck_assert_int_eq(rbuf_get_u32(&g, &len), 0);
	ck_assert_int_eq(rbuf_get_ptr(&g, &msg, len), 0);
	ck_assert_int_eq(ratchet_owns_tag(rs, msg), 1);
	wbuf_init_fixed(&payload, pbuf, sizeof(pbuf));
	ck_assert_int_eq(ratchet_open(rs, msg, len, NULL, &payload, &rx, now),
	    RATCHET_NEED_DH);
	ck_assert_int_eq(x25519(dh, p[A].x_priv, rx.dh_pub), 0);
	ck_assert_int_eq(ratchet_open(rs, msg, len, dh, &payload, &rx, now),
	    0);
	ck_assert_int_eq(rx.kind, RATCHET_MSG_NSR);
	free(batches[0]);
	nbatches = 0;
}

/*
 * Her first session is answered; a second New Session of hers (another
 * stream's) comes after: she goes on in the first, and B must still
 * open it, and answer in it.
 */
START_TEST(test_two_alices)
{
	struct ratchet_session	*s1, *s2;
	struct destio_stats	 sb;

	s1 = ratchet_out_new(p[A].x_pub, p[B].x_pub, no_tags, NULL, now);
	s2 = ratchet_out_new(p[A].x_pub, p[B].x_pub, no_tags, NULL, now);
	ck_assert_ptr_nonnull(s1);
	ck_assert_ptr_nonnull(s2);
	alice_send(s1);
	alice_open_reply(s1);
	alice_send(s2);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.ns_received, 2);
	ck_assert_uint_eq(sb.sessions, 2);
	ck_assert_uint_eq(ratchet_next_kind(s1), RATCHET_MSG_ES);
	/*
	 * her ES comes last, by B's clock too: a New Session is opened at
	 * time(NULL) (ns_answer), which may have passed the test's now
	 */
	now = time(NULL) + 1;
	alice_send(s1);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.es_received, 1);
	ck_assert_uint_eq(sb.dropped_garlic, 0);
	/* B answers in the session she goes on with: an ES she opens */
	send_dgram(B, A, I2CP_PROTO_RAW, "in her session");
	hold = 1;
	turn();
	hold = 0;
	ck_assert_int_eq(nbatches, 1);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.es_sent, 1);
	free(batches[0]);
	nbatches = 0;
	ratchet_free(s1);
	ratchet_free(s2);
}
END_TEST

/* every message of the held batch to party to, one at a time */
static void
deliver_held(int to)
{
	struct rbuf		 r;
	struct client_out	 o;
	struct client_in	 in;
	uint32_t		 client;
	int			 i, n = nbatches;

	nbatches = 0;
	for (i = 0; i < n; i++) {
		ck_assert_int_eq(clientbatch_begin(&r, batches[i],
		    batchlen[i], &client), 0);
		while (clientbatch_next_out(&r, &o) == 1) {
			in.in_serial = 1;
			in.msg = o.msg;
			in.len = o.len;
			destio_recv(p[to].io, &in, now);
		}
		free(batches[i]);
	}
}

/*
 * A's two New Sessions answered by B in two sessions, so with two
 * reply keys; cryptod refuses the DH of the first: only the reply with
 * that key is lost, the other opens
 */
START_TEST(test_nsr_dh_refused)
{
	struct rbuf		 r;
	struct client_out	 o[2];
	struct client_in	 in;
	struct destio_stats	 sa;
	uint8_t			*a0, *first = NULL;
	size_t			 firstlen = 0;
	uint32_t		 client;
	int			 i;

	send_dgram(A, B, I2CP_PROTO_RAW, "one");
	send_dgram(A, B, I2CP_PROTO_RAW, "two");
	turns_held();
	ck_assert_int_eq(nbatches, 1);
	ck_assert_int_eq(clientbatch_begin(&r, batches[0], batchlen[0],
	    &client), 0);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(clientbatch_next_out(&r, &o[i]), 1);
	a0 = batches[0];
	nbatches = 0;
	/* each New Session answered before the next comes */
	for (i = 0; i < 2; i++) {
		in.in_serial = 1;
		in.msg = o[i].msg;
		in.len = o[i].len;
		destio_recv(p[B].io, &in, now);
		hold = 1;
		while (turn() > 0)
			;
		hold = 0;
		send_dgram(B, A, I2CP_PROTO_RAW, "reply");
		turns_held();
		if (i == 0) {
			/* B's first reply is held apart from the second */
			ck_assert_int_eq(nbatches, 1);
			first = batches[0];
			firstlen = batchlen[0];
			nbatches = 0;
		}
	}
	ck_assert_int_eq(nbatches, 1);
	batches[1] = first;
	batchlen[1] = firstlen;
	nbatches = 2;
	free(a0);
	ck_assert_int_eq(ngot, 2);
	dh_fail_key = A;
	dh_fail_n = 1;
	deliver_held(A);
	settle();
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.nsr_received, 1);
	ck_assert_uint_eq(sa.dropped_garlic, 1);
	ck_assert_int_eq(ngot, 3);
}
END_TEST

/*
 * A peer that restarted comes back with a New Session: B answers in
 * it, not in the old session the peer no longer has the keys of
 */
START_TEST(test_peer_restarted)
{
	struct ratchet_session	*s;
	struct destio_stats	 sb0, sb;

	/* the old session's last message two seconds ago */
	now -= 2;
	establish();
	now += 2;
	destio_stats(p[B].io, &sb0);
	s = ratchet_out_new(p[A].x_pub, p[B].x_pub, no_tags, NULL, now);
	ck_assert_ptr_nonnull(s);
	alice_send(s);
	alice_open_reply(s);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.nsr_sent, sb0.nsr_sent + 1);
	ck_assert_uint_eq(sb.es_sent, sb0.es_sent);
	ratchet_free(s);
}
END_TEST

/* n sessions of A's, each opened by a New Session B does not answer */
static void
new_sessions(struct ratchet_session **s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		s[i] = ratchet_out_new(p[A].x_pub, p[B].x_pub, no_tags, NULL,
		    now);
		ck_assert_ptr_nonnull(s[i]);
		alice_send(s[i]);
	}
}

/*
 * A peer's sessions that were never answered are kept, DESTIO_UNANSWERED
 * - 1 of them: a peer's New Session flood does not fill the table.
 */
START_TEST(test_unanswered_bounded)
{
	struct ratchet_session	*s[DESTIO_UNANSWERED + 3];
	struct destio_stats	 sb;
	size_t			 i;

	new_sessions(s, nitems(s));
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.ns_received, nitems(s));
	ck_assert_uint_eq(sb.sessions, DESTIO_UNANSWERED);
	ck_assert_uint_eq(sb.unanswered_dropped, nitems(s) -
	    DESTIO_UNANSWERED);
	for (i = 0; i < nitems(s); i++)
		ratchet_free(s[i]);
}
END_TEST

/*
 * A session B has replied in is kept while the peer's newer New
 * Sessions come (i2pd: a stream's own session each, until one is
 * answered): the peer may go on in it, and its Existing Session there
 * is read.  Dropped as the oldest unanswered, it was not.
 */
START_TEST(test_replied_kept)
{
	struct ratchet_session	*s0, *s[DESTIO_UNANSWERED + 2];
	struct destio_stats	 sb;
	size_t			 i;

	s0 = ratchet_out_new(p[A].x_pub, p[B].x_pub, no_tags, NULL, now);
	ck_assert_ptr_nonnull(s0);
	alice_send(s0);
	alice_open_reply(s0);
	new_sessions(s, nitems(s));
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.unanswered_dropped, nitems(s) -
	    DESTIO_UNANSWERED);
	ck_assert_uint_eq(ratchet_next_kind(s0), RATCHET_MSG_ES);
	alice_send(s0);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.es_received, 1);
	ck_assert_uint_eq(sb.dropped_garlic, 0);
	ratchet_free(s0);
	for (i = 0; i < nitems(s); i++)
		ratchet_free(s[i]);
}
END_TEST

/*
 * Four messages from A before any reply, so four New Sessions (as a
 * stream client's four SYNs at once); B answers each at once, as
 * streams do their SYN-ACKs: every answer reaches A.
 */
START_TEST(test_four_at_once)
{
	struct destio_stats	 sa, sb;
	int			 i;

	for (i = 0; i < 4; i++)
		send_dgram(A, B, I2CP_PROTO_RAW, "syn");
	settle();
	ck_assert_int_eq(ngot, 4);
	for (i = 0; i < 4; i++)
		send_dgram(B, A, I2CP_PROTO_RAW, "syn-ack");
	settle();
	destio_stats(p[A].io, &sa);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sa.ns_sent, 4);
	ck_assert_uint_eq(sb.ns_received, 4);
	ck_assert_uint_eq(sa.nsr_received, 4);
	ck_assert_int_eq(ngot, 8);
	ck_assert_uint_eq(sa.dropped_garlic + sb.dropped_garlic, 0);
}
END_TEST

/* a destination closing tells its peers: their sessions go at once */
START_TEST(test_goodbye)
{
	struct destio_stats	sa, sb;

	establish();
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sb.sessions, 1);
	destio_goodbye(p[A].io, now);
	settle();
	destio_stats(p[A].io, &sa);
	destio_stats(p[B].io, &sb);
	ck_assert_uint_eq(sa.terminations_sent, 1);
	ck_assert_uint_eq(sb.sessions, 0);
	ck_assert_uint_eq(sb.dropped_garlic, 0);
}
END_TEST

/*
 * A local client floods datagrams at a destination whose LeaseSet
 * never comes: the queue stops at its bound, the rest is dropped and
 * counted.
 */
START_TEST(test_flood_bounded)
{
	static uint8_t		 big[DGRAM_RAW_PAYLOAD_MAX];
	struct destio_stats	 sa;
	struct i2cpdata_hdr	 h = { 0, 0, I2CP_PROTO_RAW };
	uint8_t			 nobody[32];
	int			 i, refused = 0;

	crypto_random_fill(big, sizeof(big));
	memset(nobody, 0x66, sizeof(nobody));
	for (i = 0; i < 400; i++)
		if (destio_send(p[A].io, nobody, &h, big, sizeof(big),
		    now) == -1)
			refused++;
	destio_stats(p[A].io, &sa);
	ck_assert_int_gt(refused, 0);
	ck_assert_uint_eq(sa.dropped_out, (uint64_t)refused);
	ck_assert_uint_le((uint64_t)sa.queued * sizeof(big),
	    DESTIO_OUTQ_BYTES);
	ck_assert_uint_gt(sa.queued, 0);
	/* one lookup for them all */
	clientio_flush();
	ck_assert_int_eq(nlookups, 1);
}
END_TEST

/* no LeaseSet to be found: the message is dropped and counted */
START_TEST(test_not_found)
{
	struct destio_stats	 sa;
	struct ls_found		 f;
	const char		*why;
	struct i2cpdata_hdr	 h = { 0, 0, I2CP_PROTO_RAW };
	uint8_t			 nobody[32];

	memset(nobody, 0x77, sizeof(nobody));
	ck_assert_int_eq(destio_send(p[A].io, nobody, &h,
	    (const uint8_t *)"x", 1, now), 0);
	clientio_flush();
	ck_assert_int_eq(nlookups, 1);
	memset(&f, 0, sizeof(f));
	f.client = A;
	f.reqid = lookups[0].reqid;
	memcpy(f.key, nobody, 32);
	ck_assert_int_eq(lscache_found(&f, NULL, 0, now, &why), 0);
	destio_run_pending(now);
	destio_stats(p[A].io, &sa);
	ck_assert_uint_eq(sa.dropped_out, 1);
	ck_assert_uint_eq(sa.lookups_failed, 1);
	ck_assert_uint_eq(sa.queued, 0);
}
END_TEST

static Suite *
destio_suite(void)
{
	Suite	*s = suite_create("destio");
	TCase	*tc = tcase_create("destio");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_conversation);
	tcase_add_test(tc, test_ls_ack);
	tcase_add_test(tc, test_ctl_rows);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_garbage);
	tcase_add_test(tc, test_hostile_cloves);
	tcase_add_test(tc, test_streaming);
	tcase_add_test(tc, test_sticky_path);
	tcase_add_test(tc, test_restart_after_losses);
	tcase_add_test(tc, test_not_found);
	tcase_add_test(tc, test_ns_twice);
	tcase_add_test(tc, test_two_alices);
	tcase_add_test(tc, test_four_at_once);
	tcase_add_test(tc, test_peer_restarted);
	tcase_add_test(tc, test_nsr_dh_refused);
	tcase_add_test(tc, test_unanswered_bounded);
	tcase_add_test(tc, test_replied_kept);
	tcase_add_test(tc, test_goodbye);
	tcase_add_test(tc, test_flood_bounded);
	tcase_add_test(tc, test_stream_lead);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(destio_suite());
}
