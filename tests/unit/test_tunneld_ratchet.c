/*
 * ECIES-X25519-AEAD-Ratchet (tunneld/ratchet_*.c): two parties in one
 * process, with a fake cryptod doing the static-key DH, exchange New
 * Session, New Session Reply and Existing Session messages both ways,
 * past several DH ratchets in both directions; lost, reordered,
 * replayed, forged, truncated and mis-keyed messages; the tag
 * callback's bookkeeping; expiry.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "elligator2.h"
#include "garlicblk.h"
#include "../../tunneld/ratchet.h"
#include "unit.h"

#define MAPMAX	4096

/* the caller's tag map, as tunneld would keep it */
struct map {
	uint8_t			 tag[MAPMAX][8];
	struct ratchet_session	*s[MAPMAX];
	size_t			 n;
};

static struct map	 amap, bmap;

static void
map_cb(void *arg, struct ratchet_session *s, const uint8_t tag[8], int add)
{
	struct map	*m = arg;
	size_t		 i;

	for (i = 0; i < m->n; i++)
		if (memcmp(m->tag[i], tag, 8) == 0 && m->s[i] == s)
			break;
	if (add) {
		ck_assert_uint_eq(i, m->n);	/* never added twice */
		ck_assert_uint_lt(m->n, MAPMAX);
		memcpy(m->tag[m->n], tag, 8);
		m->s[m->n++] = s;
		return;
	}
	ck_assert_uint_lt(i, m->n);		/* only what was added */
	m->n--;
	memcpy(m->tag[i], m->tag[m->n], 8);
	m->s[i] = m->s[m->n];
}

static struct ratchet_session *
map_find(struct map *m, const uint8_t *msg)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (memcmp(m->tag[i], msg, 8) == 0)
			return m->s[i];
	return NULL;
}

/* a destination's static key, with the fake cryptod's DH */
struct party {
	uint8_t			 priv[32], pub[32];
	struct map		*map;
	struct ratchet_session	*s;
};

static struct party	 alice, bob;
static struct replay	 rp;
static const int64_t	 T0 = 1790000000;

static void
party_init(struct party *p, struct map *m)
{
	memset(p, 0, sizeof(*p));
	ck_assert_int_eq(x25519_keygen(p->priv, p->pub), 0);
	memset(m, 0, sizeof(*m));
	p->map = m;
}

static void
cryptod_dh(const struct party *p, const uint8_t pub[32], uint8_t out[32])
{
	ck_assert_int_eq(x25519(out, p->priv, pub), 0);
}

/* one clove with the given text as its message */
static size_t
clove(uint8_t *out, size_t cap, const char *text)
{
	struct gblk_clove	 c;
	struct wbuf		 w;

	memset(&c, 0, sizeof(c));
	c.delivery = GBLK_LOCAL;
	c.hdr.type = 20;
	c.hdr.msg_id = 7;
	c.hdr.expiration = (uint64_t)(T0 + 60) * 1000;
	c.msg = (const uint8_t *)text;
	c.msglen = strlen(text);
	wbuf_init_fixed(&w, out, cap);
	ck_assert_int_eq(gblk_put_clove(&w, &c), 0);
	return wbuf_len(&w);
}

/* the clove text in a payload, "" if none */
static void
clove_text(const uint8_t *p, size_t len, char *text, size_t cap)
{
	struct gblk_iter	 it;
	struct gblk		 b;
	const char		*why;
	int			 rv;

	text[0] = '\0';
	gblk_iter_init(&it, p, len);
	while ((rv = gblk_next(&it, &b, &why)) == 1)
		if (b.type == GBLK_CLOVE) {
			ck_assert_uint_lt(b.u.clove.msglen, cap);
			memcpy(text, b.u.clove.msg, b.u.clove.msglen);
			text[b.u.clove.msglen] = '\0';
		}
	ck_assert_int_eq(rv, 0);
}

struct msg {
	uint8_t		 b[2048];
	size_t		 len;
	struct ratchet_tx tx;
};

static void
seal(struct party *from, const struct party *to, const char *text,
    struct msg *m, int64_t now)
{
	uint8_t		 blocks[512], ss[32];
	struct wbuf	 w;

	cryptod_dh(from, to->pub, ss);
	wbuf_init_fixed(&w, m->b, sizeof(m->b));
	ck_assert_int_eq(ratchet_seal(from->s, ss, blocks,
	    clove(blocks, sizeof(blocks), text), &w, &m->tx, now), 0);
	m->len = wbuf_len(&w);
}

/* Bob opens a New Session; his session is made if he has none */
static int
bob_ns(const struct msg *m, char *text, int64_t now)
{
	struct ratchet_ns_in	 in;
	uint8_t			 aepk[32], apk[32], dh[32], pl[2048];
	struct wbuf		 w;

	if (ratchet_ns_begin(&in, bob.pub, m->b, m->len, &rp, now, aepk) == -1)
		return -1;
	cryptod_dh(&bob, aepk, dh);
	if (ratchet_ns_static(&in, m->b, m->len, dh, apk) != 1)
		return -1;
	ck_assert_mem_eq(apk, alice.pub, 32);
	cryptod_dh(&bob, apk, dh);
	wbuf_init_fixed(&w, pl, sizeof(pl));
	if (ratchet_ns_finish(&in, m->b, m->len, dh, &rp, &w, now) == -1)
		return -1;
	clove_text(pl, wbuf_len(&w), text, 64);
	if (bob.s != NULL)
		ratchet_free(bob.s);
	bob.s = ratchet_in_new(&in, map_cb, bob.map, now);
	ck_assert_ptr_nonnull(bob.s);
	return 0;
}

/* the receiver's side of a tagged message, NEED_DH answered */
static int
deliver(struct party *to, const struct msg *m, char *text,
    struct ratchet_rx *rx, int64_t now)
{
	struct ratchet_session	*s = map_find(to->map, m->b);
	uint8_t			 pl[2048], dh[32];
	struct wbuf		 w;
	int			 rv;

	if (s == NULL)
		return -1;
	ck_assert_ptr_eq(s, to->s);
	ck_assert_int_eq(ratchet_owns_tag(s, m->b), 1);
	wbuf_init_fixed(&w, pl, sizeof(pl));
	rv = ratchet_open(s, m->b, m->len, NULL, &w, rx, now);
	if (rv == RATCHET_NEED_DH) {
		ck_assert_uint_eq(wbuf_len(&w), 0);
		cryptod_dh(to, rx->dh_pub, dh);
		rv = ratchet_open(s, m->b, m->len, dh, &w, rx, now);
	}
	if (rv == 0)
		clove_text(pl, wbuf_len(&w), text, 64);
	else
		ck_assert_uint_eq(wbuf_len(&w), 0);
	return rv;
}

/* NS, NSR, ES both ways: both established */
static void
handshake(void)
{
	struct ratchet_rx	 rx;
	struct msg		 m;
	char			 text[64];

	alice.s = ratchet_out_new(alice.pub, bob.pub, map_cb, alice.map, T0);
	ck_assert_ptr_nonnull(alice.s);
	ck_assert_int_eq(ratchet_next_kind(alice.s), RATCHET_MSG_NS);
	seal(&alice, &bob, "hello bob", &m, T0);
	ck_assert_uint_eq(m.tx.kind, RATCHET_MSG_NS);
	ck_assert_int_eq(bob_ns(&m, text, T0), 0);
	ck_assert_str_eq(text, "hello bob");
	ck_assert_int_eq(ratchet_next_kind(bob.s), RATCHET_MSG_NSR);
	seal(&bob, &alice, "hello alice", &m, T0);
	ck_assert_uint_eq(m.tx.kind, RATCHET_MSG_NSR);
	ck_assert_int_eq(deliver(&alice, &m, text, &rx, T0), 0);
	ck_assert_uint_eq(rx.kind, RATCHET_MSG_NSR);
	ck_assert_str_eq(text, "hello alice");
	ck_assert_int_eq(ratchet_next_kind(alice.s), RATCHET_MSG_ES);
	seal(&alice, &bob, "es 1", &m, T0);
	ck_assert_int_eq(deliver(&bob, &m, text, &rx, T0), 0);
	ck_assert_uint_eq(rx.kind, RATCHET_MSG_ES);
	ck_assert_str_eq(text, "es 1");
	ck_assert_int_eq(ratchet_next_kind(bob.s), RATCHET_MSG_ES);
	seal(&bob, &alice, "es 2", &m, T0);
	ck_assert_int_eq(deliver(&alice, &m, text, &rx, T0), 0);
	ck_assert_str_eq(text, "es 2");
}

static void
setup(void)
{
	ck_assert_int_eq(crypto_init(), 0);
	party_init(&alice, &amap);
	party_init(&bob, &bmap);
	ck_assert_int_eq(replay_init(&rp, 1024, RATCHET_REPLAY_WINDOW), 0);
}

static void
teardown(void)
{
	ratchet_free(alice.s);
	ratchet_free(bob.s);
	/* every tag the library announced, it took back */
	ck_assert_uint_eq(amap.n, 0);
	ck_assert_uint_eq(bmap.n, 0);
	replay_free(&rp);
}

/* i2pd's constants (Crypto.cpp InitNoiseIKState) */
START_TEST(protocol_name)
{
	static const uint8_t name_hash[4] = { 0x4c, 0xaf, 0x11, 0xef };
	static const uint8_t hh[4] = { 0x9c, 0xcf, 0x85, 0x2c };
	struct noise_ss	 ss;

	ck_assert_int_eq(noise_init(&ss,
	    "Noise_IKelg2+hs2_25519_ChaChaPoly_SHA256"), 0);
	ck_assert_mem_eq(ss.h, name_hash, 4);
	ck_assert_mem_eq(ss.ck, name_hash, 4);
	ck_assert_int_eq(noise_mix_hash(&ss, NULL, 0), 0);
	ck_assert_mem_eq(ss.h, hh, 4);
}
END_TEST

/* a send and a receive tag set from the same keys agree */
START_TEST(tagsets)
{
	struct ratchet_session	 s;
	struct rt_tagset	 tx, rx;
	struct rt_slot		*sl;
	uint8_t			 root[32], k[32], tag[8], key[32];
	uint16_t		 index, i;

	memset(&s, 0, sizeof(s));
	s.cb = map_cb;
	s.cbarg = &amap;
	memset(&amap, 0, sizeof(amap));
	memset(root, 1, sizeof(root));
	memset(k, 2, sizeof(k));
	ck_assert_int_eq(rt_dh_initialize(&tx, root, k, 5), 0);
	ck_assert_int_eq(rt_dh_initialize(&rx, root, k, 5), 0);
	ck_assert_mem_eq(tx.next_root, rx.next_root, 32);
	ck_assert_int_eq(rt_recv_init(&rx, &s, RATCHET_WINDOW_MAX,
	    RATCHET_WINDOW_MIN), 0);
	ck_assert_uint_eq(amap.n, RATCHET_WINDOW_MIN);
	/* past 8192, where i2pd ratchets: the window assumes no ratchet */
	for (i = 0; i < 9000; i++) {
		ck_assert_int_eq(rt_send_next(&tx, tag, key, &index), 0);
		ck_assert_uint_eq(index, i);
		/* every third lost */
		if (i % 3 == 2)
			continue;
		sl = rt_recv_find(&rx, tag);
		ck_assert_ptr_nonnull(sl);
		ck_assert_uint_eq(sl->index, i);
		ck_assert_mem_eq(sl->key, key, 32);
		ck_assert_int_eq(rt_recv_used(&rx, &s, sl), 0);
		ck_assert_ptr_null(rt_recv_find(&rx, tag));
		/* the window is bounded */
		ck_assert_uint_le(amap.n, RATCHET_RING);
	}
	/* grown to the maximum look-ahead */
	ck_assert_uint_ge(rx.next, 9000 + RATCHET_WINDOW_MAX - 2);
	rt_tagset_wipe(&rx, &s);
	rt_tagset_wipe(&tx, &s);
	ck_assert_uint_eq(amap.n, 0);
}
END_TEST

/* a tag set ends at index 65534 */
START_TEST(tagset_end)
{
	struct rt_tagset	 tx;
	uint8_t			 root[32] = { 0 }, k[32] = { 0 }, tag[8], key[32];
	uint16_t		 index;

	ck_assert_int_eq(rt_dh_initialize(&tx, root, k, 0), 0);
	tx.next = RATCHET_TAGSET_END - 1;
	ck_assert_int_eq(rt_send_next(&tx, tag, key, &index), 0);
	ck_assert_uint_eq(index, 65534);
	ck_assert_int_eq(rt_send_next(&tx, tag, key, &index), -1);
}
END_TEST

START_TEST(handshake_both_ways)
{
	handshake();
	ck_assert_int_eq(alice.s->state, RATCHET_ESTABLISHED);
	ck_assert_int_eq(bob.s->state, RATCHET_ESTABLISHED);
}
END_TEST

/*
 * Many messages both ways, past several DH ratchets in each direction;
 * each side sends a burst then the other answers, so NextKey blocks
 * cross as the spec's flow shows.
 */
START_TEST(many_ratchets)
{
	struct ratchet_rx	 rx;
	struct msg		 m;
	char			 text[64], want[64];
	int			 i, round;

	handshake();
	for (round = 0; round < 9; round++)
		for (i = 0; i < 1500; i++) {
			snprintf(want, sizeof(want), "a%d.%d", round, i);
			seal(&alice, &bob, want, &m, T0);
			ck_assert_int_eq(deliver(&bob, &m, text, &rx, T0), 0);
			ck_assert_str_eq(text, want);
			snprintf(want, sizeof(want), "b%d.%d", round, i);
			seal(&bob, &alice, want, &m, T0);
			ck_assert_int_eq(deliver(&alice, &m, text, &rx, T0), 0);
			ck_assert_str_eq(text, want);
			ck_assert_uint_le(amap.n, 3 * RATCHET_RING);
			ck_assert_uint_le(bmap.n, 3 * RATCHET_RING);
		}
	/* 13500 messages each way: tag sets 0..3 at least */
	ck_assert_uint_ge(alice.s->send.id, 3);
	ck_assert_uint_ge(bob.s->send.id, 3);
	ck_assert_uint_eq(alice.s->send.id, bob.s->recv[0].id);
	ck_assert_uint_eq(bob.s->send.id, alice.s->recv[0].id);
}
END_TEST

/* Alice only sends (as a client uploading): Bob answers rarely */
START_TEST(one_way_ratchet)
{
	struct ratchet_rx	 rx;
	struct msg		 m;
	char			 text[64];
	int			 i;

	handshake();
	for (i = 0; i < 3 * RATCHET_NEXTKEY_AFTER; i++) {
		seal(&alice, &bob, "up", &m, T0);
		ck_assert_int_eq(deliver(&bob, &m, text, &rx, T0), 0);
		if (i % 500 == 0) {
			seal(&bob, &alice, "ack", &m, T0);
			ck_assert_int_eq(deliver(&alice, &m, text, &rx, T0), 0);
		}
	}
	ck_assert_uint_ge(alice.s->send.id, 2);
	ck_assert_uint_eq(bob.s->send.id, 0);
}
END_TEST

START_TEST(reorder_loss_replay)
{
	struct ratchet_rx	 rx;
	struct msg		*m;
	char			 text[64], want[64];
	int			 i;

	handshake();
	m = calloc(20, sizeof(*m));
	for (i = 0; i < 20; i++) {
		snprintf(want, sizeof(want), "m%d", i);
		seal(&alice, &bob, want, &m[i], T0);
	}
	/* backwards, every fourth lost */
	for (i = 19; i >= 0; i--) {
		if (i % 4 == 1)
			continue;
		snprintf(want, sizeof(want), "m%d", i);
		ck_assert_int_eq(deliver(&bob, &m[i], text, &rx, T0), 0);
		ck_assert_str_eq(text, want);
		ck_assert_uint_eq(rx.index, m[i].tx.index);
	}
	/* replays refused: the tag is gone */
	for (i = 0; i < 20; i++) {
		if (i % 4 == 1)
			continue;
		ck_assert_ptr_null(map_find(&bmap, m[i].b));
		ck_assert_int_eq(ratchet_open(bob.s, m[i].b, m[i].len, NULL,
		    NULL, &rx, T0), -1);
	}
	/* the lost ones still open, late */
	ck_assert_int_eq(deliver(&bob, &m[1], text, &rx, T0), 0);
	ck_assert_str_eq(text, "m1");
	free(m);
}
END_TEST

/* a flipped bit anywhere, or a cut, and the tag still works after */
START_TEST(forged_es)
{
	struct ratchet_rx	 rx;
	struct msg		 m, bad;
	char			 text[64];
	size_t			 i;

	handshake();
	seal(&alice, &bob, "genuine", &m, T0);
	for (i = 0; i < m.len; i++) {
		bad = m;
		bad.b[i] ^= 0x10;
		if (i < RATCHET_TAG_LEN)
			ck_assert_ptr_null(map_find(&bmap, bad.b));
		else
			ck_assert_int_eq(deliver(&bob, &bad, text, &rx, T0),
			    -1);
	}
	for (i = 0; i < m.len; i++) {
		bad = m;
		bad.len = i;
		if (i >= RATCHET_TAG_LEN)
			ck_assert_int_eq(deliver(&bob, &bad, text, &rx, T0),
			    -1);
	}
	ck_assert_int_eq(deliver(&bob, &m, text, &rx, T0), 0);
	ck_assert_str_eq(text, "genuine");
}
END_TEST

START_TEST(forged_ns_nsr)
{
	struct ratchet_ns_in	 in;
	struct ratchet_rx	 rx;
	struct msg		 m, bad;
	uint8_t			 aepk[32], pl[2048], dh[32], apk[32];
	struct wbuf		 w;
	char			 text[64];
	size_t			 i;

	alice.s = ratchet_out_new(alice.pub, bob.pub, map_cb, alice.map, T0);
	seal(&alice, &bob, "ns", &m, T0);
	/* every flipped bit past the representative's free top bits */
	for (i = 0; i < m.len; i += 3) {
		if (i == 31)
			continue;
		bad = m;
		bad.b[i] ^= 0x04;
		ck_assert_int_eq(bob_ns(&bad, text, T0), -1);
	}
	for (i = 0; i < m.len; i += 5) {
		bad = m;
		bad.len = i;
		ck_assert_int_eq(bob_ns(&bad, text, T0), -1);
	}
	/* Carol, with another key, cannot open it */
	ck_assert_int_eq(ratchet_ns_begin(&in, alice.pub, m.b, m.len, NULL,
	    T0, aepk), 0);
	cryptod_dh(&alice, aepk, dh);
	ck_assert_int_eq(ratchet_ns_static(&in, m.b, m.len, dh, apk), -1);
	/* steps out of order */
	wbuf_init_fixed(&w, pl, sizeof(pl));
	ck_assert_int_eq(ratchet_ns_finish(&in, m.b, m.len, dh, NULL, &w, T0),
	    -1);
	ck_assert_ptr_null(ratchet_in_new(&in, map_cb, bob.map, T0));
	ck_assert_int_eq(bob_ns(&m, text, T0), 0);
	/* a replay of the NS */
	ck_assert_int_eq(bob_ns(&m, text, T0), -1);
	seal(&bob, &alice, "nsr", &m, T0);
	for (i = RATCHET_TAG_LEN; i < m.len; i++) {
		if (i == RATCHET_TAG_LEN + 31)
			continue;
		bad = m;
		bad.b[i] ^= 0x04;
		ck_assert_int_eq(deliver(&alice, &bad, text, &rx, T0), -1);
	}
	ck_assert_int_eq(alice.s->state, RATCHET_NS_SENT);
	ck_assert_int_eq(deliver(&alice, &m, text, &rx, T0), 0);
	ck_assert_str_eq(text, "nsr");
}
END_TEST

/* several NS in flight; Bob answers the second, twice */
START_TEST(several_ns_nsr)
{
	struct ratchet_rx	 rx;
	struct msg		 ns1, ns2, r1, r2, es;
	char			 text[64];

	alice.s = ratchet_out_new(alice.pub, bob.pub, map_cb, alice.map, T0);
	seal(&alice, &bob, "ns1", &ns1, T0);
	seal(&alice, &bob, "ns2", &ns2, T0 + 1);
	/* fresh ephemeral keys */
	ck_assert_mem_ne(ns1.b, ns2.b, 32);
	ck_assert_int_eq(bob_ns(&ns2, text, T0 + 1), 0);
	ck_assert_str_eq(text, "ns2");
	seal(&bob, &alice, "r1", &r1, T0 + 1);
	seal(&bob, &alice, "r2", &r2, T0 + 1);
	/* one ephemeral key, another tag (as i2pd) */
	ck_assert_mem_eq(r1.b + 8, r2.b + 8, 32);
	ck_assert_mem_ne(r1.b, r2.b, 8);
	ck_assert_int_eq(deliver(&alice, &r2, text, &rx, T0 + 1), 0);
	ck_assert_str_eq(text, "r2");
	ck_assert_int_eq(deliver(&alice, &r1, text, &rx, T0 + 1), 0);
	ck_assert_str_eq(text, "r1");
	ck_assert_int_eq(deliver(&alice, &r1, text, &rx, T0 + 1), -1);
	seal(&alice, &bob, "es", &es, T0 + 1);
	ck_assert_int_eq(deliver(&bob, &es, text, &rx, T0 + 1), 0);
	ck_assert_str_eq(text, "es");
	/* Bob, established, writes ES now */
	seal(&bob, &alice, "es2", &es, T0 + 1);
	ck_assert_uint_eq(es.tx.kind, RATCHET_MSG_ES);
	ck_assert_int_eq(deliver(&alice, &es, text, &rx, T0 + 1), 0);
}
END_TEST

/*
 * Twelve New Sessions in one second (twelve streams opened at once to
 * a new peer), more than Alice keeps records of: Bob answering the first
 * (as i2pd does, binding its session to it) or the last (as we do)
 * still reaches her.
 */
START_TEST(ns_burst_first_and_last)
{
	struct ratchet_rx	 rx;
	struct msg		 ns[12], r;
	char			 text[64], want[16];
	int			 i, pick;

	for (pick = 0; pick < 12; pick += 11) {
		if (alice.s != NULL)
			ratchet_free(alice.s);
		alice.s = ratchet_out_new(alice.pub, bob.pub, map_cb,
		    alice.map, T0);
		ck_assert_ptr_nonnull(alice.s);
		for (i = 0; i < 12; i++) {
			snprintf(want, sizeof(want), "ns%d", i);
			seal(&alice, &bob, want, &ns[i], T0);
			ck_assert_uint_eq(ns[i].tx.kind, RATCHET_MSG_NS);
		}
		ck_assert_int_eq(bob_ns(&ns[pick], text, T0), 0);
		snprintf(want, sizeof(want), "ns%d", pick);
		ck_assert_str_eq(text, want);
		seal(&bob, &alice, "reply", &r, T0);
		ck_assert_int_eq(deliver(&alice, &r, text, &rx, T0), 0);
		ck_assert_str_eq(text, "reply");
		ck_assert_int_eq(ratchet_next_kind(alice.s), RATCHET_MSG_ES);
	}
}
END_TEST

START_TEST(ns_clock_skew)
{
	struct msg	 m;
	char		 text[64];

	alice.s = ratchet_out_new(alice.pub, bob.pub, map_cb, alice.map, T0);
	seal(&alice, &bob, "old", &m, T0 - RATCHET_SKEW_PAST - 1);
	ck_assert_int_eq(bob_ns(&m, text, T0), -1);
	seal(&alice, &bob, "new", &m, T0 + RATCHET_SKEW_FUTURE + 1);
	ck_assert_int_eq(bob_ns(&m, text, T0), -1);
	seal(&alice, &bob, "fine", &m, T0 + RATCHET_SKEW_FUTURE);
	ck_assert_int_eq(bob_ns(&m, text, T0), 0);
}
END_TEST

/* an NS to no session: zero static key, payload at n = 1 */
START_TEST(unbound_ns)
{
	struct ratchet_ns_in	 in;
	struct noise_ss		 ss;
	uint8_t			 msg[256], priv[32], pub[32], dh[32], aepk[32];
	uint8_t			 zero[32] = { 0 }, apk[32], pl[64];
	struct wbuf		 w;

	/* written by hand: the library always sends bound */
	ck_assert_int_eq(elligator2_keygen(priv, pub, msg), 0);
	ck_assert_int_eq(rt_ik_init(&ss, bob.pub), 0);
	ck_assert_int_eq(noise_mix_hash(&ss, pub, 32), 0);
	ck_assert_int_eq(x25519(dh, priv, bob.pub), 0);
	ck_assert_int_eq(noise_mix_key(&ss, dh, 32), 0);
	ck_assert_int_eq(noise_encrypt_and_hash(&ss, msg + 32, zero, 32), 0);
	wbuf_init_fixed(&w, pl, sizeof(pl));
	gblk_put_datetime(&w, T0);
	ck_assert_int_eq(noise_encrypt_and_hash(&ss, msg + 80, pl, 7), 0);
	ck_assert_int_eq(ratchet_ns_begin(&in, bob.pub, msg, 80 + 7 + 16,
	    &rp, T0, aepk), 0);
	cryptod_dh(&bob, aepk, dh);
	ck_assert_int_eq(ratchet_ns_static(&in, msg, 80 + 7 + 16, dh, apk), 0);
	wbuf_init_fixed(&w, pl, sizeof(pl));
	ck_assert_int_eq(ratchet_ns_finish(&in, msg, 80 + 7 + 16, NULL, &rp,
	    &w, T0), 0);
	ck_assert_uint_eq(wbuf_len(&w), 7);
	/* no session for an unbound NS */
	ck_assert_ptr_null(ratchet_in_new(&in, map_cb, bob.map, T0));
}
END_TEST

START_TEST(ack_request)
{
	struct ratchet_rx	 rx;
	struct msg		 m;
	uint8_t			 blocks[16], pl[2048], ss[32];
	struct wbuf		 w, bw;
	struct gblk_iter	 it;
	struct gblk		 b;
	struct gblk_ack		 a;
	const char		*why;
	int			 acks = 0;

	handshake();
	wbuf_init_fixed(&bw, blocks, sizeof(blocks));
	gblk_put_ackreq(&bw);
	wbuf_init_fixed(&w, m.b, sizeof(m.b));
	cryptod_dh(&alice, bob.pub, ss);
	ck_assert_int_eq(ratchet_seal(alice.s, ss, blocks, wbuf_len(&bw), &w,
	    &m.tx, T0), 0);
	m.len = wbuf_len(&w);
	wbuf_init_fixed(&w, pl, sizeof(pl));
	ck_assert_int_eq(ratchet_open(bob.s, m.b, m.len, NULL, &w, &rx, T0),
	    0);
	ck_assert_int_eq(rx.ack_requested, 1);
	ck_assert_int_eq(ratchet_owes(bob.s), 1);
	seal(&bob, &alice, "with ack", &m, T0);
	ck_assert_int_eq(ratchet_owes(bob.s), 0);
	wbuf_init_fixed(&w, pl, sizeof(pl));
	ck_assert_int_eq(ratchet_open(alice.s, m.b, m.len, NULL, &w, &rx, T0),
	    0);
	gblk_iter_init(&it, pl, wbuf_len(&w));
	while (gblk_next(&it, &b, &why) == 1)
		if (b.type == GBLK_ACK) {
			ck_assert_int_eq(gblk_ack_get(&b, 0, &a), 0);
			acks++;
		}
	ck_assert_int_eq(acks, 1);
	ck_assert_uint_eq(a.tagset_id, 0);
	ck_assert_uint_eq(a.n, 1);	/* after "es 1" at index 0 */
}
END_TEST

START_TEST(termination)
{
	struct ratchet_rx	 rx;
	struct msg		 m;
	uint8_t			 blocks[16], pl[2048];
	struct wbuf		 w, bw;

	handshake();
	wbuf_init_fixed(&bw, blocks, sizeof(blocks));
	gblk_put_termination(&bw, 0);
	wbuf_init_fixed(&w, m.b, sizeof(m.b));
	ck_assert_int_eq(ratchet_seal(alice.s, NULL, blocks, wbuf_len(&bw),
	    &w, NULL, T0), 0);
	m.len = wbuf_len(&w);
	ck_assert_int_eq(ratchet_expire(alice.s, T0), 1);
	wbuf_init_fixed(&w, m.b + 1024, 1024);
	ck_assert_int_eq(ratchet_seal(alice.s, NULL, NULL, 0, &w, NULL, T0),
	    -1);
	wbuf_init_fixed(&w, pl, sizeof(pl));
	ck_assert_int_eq(ratchet_open(bob.s, m.b, m.len, NULL, &w, &rx, T0),
	    0);
	ck_assert_int_eq(rx.terminated, 1);
	ck_assert_int_eq(ratchet_expire(bob.s, T0), 1);
}
END_TEST

/* caller blocks that do not parse, or bring padding, are refused */
START_TEST(bad_caller_blocks)
{
	struct msg	 m;
	struct wbuf	 w;
	uint8_t		 pad[3] = { 254, 0, 0 }, junk[2] = { 0, 9 };

	handshake();
	wbuf_init_fixed(&w, m.b, sizeof(m.b));
	ck_assert_int_eq(ratchet_seal(alice.s, NULL, pad, 3, &w, NULL, T0),
	    -1);
	ck_assert_int_eq(ratchet_seal(alice.s, NULL, junk, 2, &w, NULL, T0),
	    -1);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	/* no room */
	wbuf_init_fixed(&w, m.b, RATCHET_ES_OVERHEAD - 1);
	ck_assert_int_eq(ratchet_seal(alice.s, NULL, NULL, 0, &w, NULL, T0),
	    -1);
	ck_assert_uint_eq(wbuf_len(&w), 0);
}
END_TEST

START_TEST(expiry)
{
	struct ratchet_rx	 rx;
	struct msg		 m;
	char			 text[64];

	alice.s = ratchet_out_new(alice.pub, bob.pub, map_cb, alice.map, T0);
	seal(&alice, &bob, "ns", &m, T0);
	ck_assert_uint_eq(amap.n, RATCHET_NSR_WINDOW);
	ck_assert_int_eq(ratchet_expire(alice.s, T0 + RATCHET_NS_EXPIRE), 0);
	/* no reply: the NS and its tags go, then the session */
	ck_assert_int_eq(ratchet_expire(alice.s, T0 + RATCHET_NS_EXPIRE + 1),
	    1);
	ck_assert_uint_eq(amap.n, 0);
	ratchet_free(alice.s);
	alice.s = NULL;
	handshake();
	ck_assert_int_eq(ratchet_expire(alice.s, T0 + RATCHET_SEND_EXPIRE), 0);
	ck_assert_int_eq(ratchet_expire(alice.s, T0 + RATCHET_SEND_EXPIRE + 1),
	    1);
	ck_assert_int_eq(ratchet_expire(bob.s, T0 + RATCHET_SEND_EXPIRE + 1),
	    0);
	ck_assert_int_eq(ratchet_expire(bob.s, T0 + RATCHET_RECV_EXPIRE + 1),
	    1);
	(void)rx;
	(void)text;
}
END_TEST

/* after a ratchet the old receive tag set is dropped in time */
START_TEST(old_tagset_expires)
{
	struct ratchet_rx	 rx;
	struct msg		 m;
	char			 text[64];
	int			 i;

	handshake();
	for (i = 0; i < RATCHET_NEXTKEY_AFTER + 2; i++) {
		seal(&alice, &bob, "x", &m, T0);
		ck_assert_int_eq(deliver(&bob, &m, text, &rx, T0), 0);
		seal(&bob, &alice, "y", &m, T0);
		ck_assert_int_eq(deliver(&alice, &m, text, &rx, T0), 0);
	}
	ck_assert_ptr_nonnull(bob.s->recv[1].ring);
	ratchet_expire(bob.s, T0 + RATCHET_OLD_TAGSET);
	ck_assert_ptr_nonnull(bob.s->recv[1].ring);
	ratchet_expire(bob.s, T0 + RATCHET_OLD_TAGSET + 1);
	ck_assert_ptr_null(bob.s->recv[1].ring);
}
END_TEST

/*
 * The key schedule written out again from ecies.rst and i2pd's
 * ECIESX25519AEADRatchetSession.cpp, with the bare primitives (no noise_*
 * helper, no library function): a reference Bob opens the library's NS,
 * answers with an NSR the library opens, and opens the library's first
 * ES.  A mismatch of label, order, nonce or associated data fails here.
 */
static void
ref_mixhash(uint8_t h[32], const void *p, size_t n)
{
	uint8_t	 buf[32 + 512];

	ck_assert_uint_le(n, 512);
	memcpy(buf, h, 32);
	memcpy(buf + 32, p, n);
	ck_assert_int_eq(sha256(h, buf, 32 + n), 0);
}

static void
ref_hkdf(uint8_t *out, size_t n, const uint8_t salt[32], const void *ikm,
    size_t ikmlen, const char *info)
{
	ck_assert_int_eq(hkdf_sha256(out, n, salt, 32, ikm, ikmlen, info,
	    strlen(info)), 0);
}

/* ck, k = HKDF(ck, DH(priv, pub), "", 64) */
static void
ref_mixkey(uint8_t ck[32], uint8_t k[32], const uint8_t priv[32],
    const uint8_t pub[32])
{
	uint8_t	 dh[32], kd[64];

	ck_assert_int_eq(x25519(dh, priv, pub), 0);
	ref_hkdf(kd, 64, ck, dh, 32, "");
	memcpy(ck, kd, 32);
	memcpy(k, kd + 32, 32);
}

/* DH_INITIALIZE and tag 0, key 0 of the tag set */
static void
ref_tagset0(const uint8_t root[32], const uint8_t k[32], uint8_t tag[8],
    uint8_t key[32])
{
	uint8_t	 kd[64], kd2[64], kd3[64];

	ref_hkdf(kd, 64, root, k, 32, "KDFDHRatchetStep");
	ref_hkdf(kd2, 64, kd + 32, NULL, 0, "TagAndKeyGenKeys");
	ref_hkdf(kd3, 64, kd2, NULL, 0, "STInitialization");
	ref_hkdf(kd, 64, kd3, kd3 + 32, 32, "SessionTagKeyGen");
	memcpy(tag, kd + 32, 8);
	ref_hkdf(kd, 64, kd2 + 32, NULL, 0, "SymmetricRatchet");
	memcpy(key, kd + 32, 32);
}

START_TEST(reference_kdf)
{
	static const char	 name[] =
	    "Noise_IKelg2+hs2_25519_ChaChaPoly_SHA256";
	struct ratchet_rx	 rx;
	struct msg		 m, r;
	uint8_t			 h[32], ck[32], k[32], aepk[32], apk[32];
	uint8_t			 pl[512], tag[8], key[32], besk[32], bepk[32];
	uint8_t			 kd[64], wire[512];
	char			 text[64];
	size_t			 plen;

	alice.s = ratchet_out_new(alice.pub, bob.pub, map_cb, alice.map, T0);
	seal(&alice, &bob, "to the reference", &m, T0);
	/* Bob opens the NS */
	ck_assert_int_eq(sha256(h, name, strlen(name)), 0);
	memcpy(ck, h, 32);
	ck_assert_int_eq(sha256(h, h, 32), 0);
	ref_mixhash(h, bob.pub, 32);
	ck_assert_int_eq(elligator2_decode(aepk, m.b), 0);
	ref_mixhash(h, aepk, 32);
	ref_mixkey(ck, k, bob.priv, aepk);
	ck_assert_int_eq(chachapoly_decrypt(apk, k, 0, h, 32, m.b + 32, 48),
	    0);
	ck_assert_mem_eq(apk, alice.pub, 32);
	ref_mixhash(h, m.b + 32, 48);
	ref_mixkey(ck, k, bob.priv, apk);
	plen = m.len - 80 - 16;
	ck_assert_int_eq(chachapoly_decrypt(pl, k, 0, h, 32, m.b + 80,
	    plen + 16), 0);
	clove_text(pl, plen, text, sizeof(text));
	ck_assert_str_eq(text, "to the reference");
	ref_mixhash(h, m.b + 80, plen + 16);
	/* the first tag of SessionReplyTags */
	ref_hkdf(k, 32, ck, NULL, 0, "SessionReplyTags");
	ref_tagset0(ck, k, tag, key);
	/* Bob's NSR */
	ck_assert_int_eq(elligator2_keygen(besk, bepk, wire + 8), 0);
	memcpy(wire, tag, 8);
	ref_mixhash(h, tag, 8);
	ref_mixhash(h, bepk, 32);
	ref_mixkey(ck, k, besk, aepk);
	ref_mixkey(ck, k, besk, apk);
	ck_assert_int_eq(chachapoly_encrypt(wire + 40, k, 0, h, 32, NULL, 0),
	    0);
	ref_mixhash(h, wire + 40, 16);
	ref_hkdf(kd, 64, ck, NULL, 0, "");
	ref_hkdf(k, 32, kd + 32, NULL, 0, "AttachPayloadKDF");
	plen = clove(pl, sizeof(pl), "from the reference");
	ck_assert_int_eq(chachapoly_encrypt(wire + 56, k, 0, h, 32, pl, plen),
	    0);
	memcpy(r.b, wire, 56 + plen + 16);
	r.len = 56 + plen + 16;
	ck_assert_int_eq(deliver(&alice, &r, text, &rx, T0), 0);
	ck_assert_str_eq(text, "from the reference");
	/* Alice's first ES is on tag set ab = DH_INITIALIZE(ck, k_ab) */
	seal(&alice, &bob, "first es", &m, T0);
	ref_tagset0(ck, kd, tag, key);
	ck_assert_mem_eq(m.b, tag, 8);
	plen = m.len - 24;
	ck_assert_int_eq(chachapoly_decrypt(pl, key, 0, tag, 8, m.b + 8,
	    plen + 16), 0);
	clove_text(pl, plen, text, sizeof(text));
	ck_assert_str_eq(text, "first es");
	/* and Alice expects Bob's on tag set ba = DH_INITIALIZE(ck, k_ba) */
	ref_tagset0(ck, kd + 32, tag, key);
	ck_assert_int_eq(ratchet_owns_tag(alice.s, tag), 1);
}
END_TEST

/*
 * The first DH ratchet of Alice's send direction against the spec's DH
 * RATCHET KDF: tagsetKey = HKDF(DH, ZEROLEN, "XDHRatchetTagSet", 32),
 * tag set 1 = DH_INITIALIZE(nextRootKey of tag set 0, tagsetKey).
 */
START_TEST(reference_dh_ratchet)
{
	struct ratchet_rx	 rx;
	struct msg		 m;
	uint8_t			 root0[32], dh_a[32], dh_b[32], k[32];
	uint8_t			 tag[8], key[32], pl[2048];
	char			 text[64];
	int			 i;

	handshake();
	memcpy(root0, alice.s->send.next_root, 32);
	for (i = 0; alice.s->send.id == 0; i++) {
		ck_assert_int_lt(i, RATCHET_NEXTKEY_AFTER + 10);
		seal(&alice, &bob, "up", &m, T0);
		ck_assert_int_eq(deliver(&bob, &m, text, &rx, T0), 0);
		seal(&bob, &alice, "down", &m, T0);
		ck_assert_int_eq(deliver(&alice, &m, text, &rx, T0), 0);
	}
	ck_assert_uint_eq(alice.s->send.id, 1);
	ck_assert_uint_eq(bob.s->recv[0].id, 1);
	/* both ends of the exchange agree on the DH */
	ck_assert_int_eq(x25519(dh_a, alice.s->fwd.priv, bob.s->rev.pub), 0);
	ck_assert_int_eq(x25519(dh_b, bob.s->rev.priv, alice.s->fwd.pub), 0);
	ck_assert_mem_eq(dh_a, dh_b, 32);
	ref_hkdf(k, 32, dh_a, NULL, 0, "XDHRatchetTagSet");
	ref_tagset0(root0, k, tag, key);
	seal(&alice, &bob, "on tag set 1", &m, T0);
	ck_assert_uint_eq(m.tx.tagset_id, 1);
	ck_assert_uint_eq(m.tx.index, 0);
	ck_assert_mem_eq(m.b, tag, 8);
	ck_assert_int_eq(chachapoly_decrypt(pl, key, 0, tag, 8, m.b + 8,
	    m.len - 8), 0);
	ck_assert_int_eq(deliver(&bob, &m, text, &rx, T0), 0);
	ck_assert_uint_eq(rx.tagset_id, 1);
}
END_TEST

/* more than two NextKey blocks in one message: refused (ecies.rst) */
START_TEST(three_nextkeys)
{
	struct ratchet_rx	 rx;
	uint8_t			 p[128], key[32] = { 9 };
	struct wbuf		 w;
	int			 i;

	handshake();
	wbuf_init_fixed(&w, p, sizeof(p));
	for (i = 0; i < 3; i++)
		gblk_put_nextkey(&w, GBLK_NK_REQUEST, 0, key);
	memset(&rx, 0, sizeof(rx));
	rx.kind = RATCHET_MSG_ES;
	ck_assert_int_eq(rt_session_blocks(bob.s, p, wbuf_len(&w), &rx, T0),
	    -1);
	ck_assert_uint_eq(bob.s->recv[0].id, 0);
	/* two are fine: the first makes tag set 1, the repeat is one */
	memset(&rx, 0, sizeof(rx));
	rx.kind = RATCHET_MSG_ES;
	ck_assert_int_eq(rt_session_blocks(bob.s, p, wbuf_len(&w) * 2 / 3,
	    &rx, T0), 0);
	ck_assert_uint_eq(bob.s->recv[0].id, 1);
	ck_assert_int_eq(ratchet_owes(bob.s), 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("tunneld_ratchet");
	TCase	*tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, protocol_name);
	tcase_add_test(tc, reference_kdf);
	tcase_add_test(tc, reference_dh_ratchet);
	tcase_add_test(tc, tagsets);
	tcase_add_test(tc, tagset_end);
	tcase_add_test(tc, handshake_both_ways);
	tcase_add_test(tc, many_ratchets);
	tcase_add_test(tc, one_way_ratchet);
	tcase_add_test(tc, reorder_loss_replay);
	tcase_add_test(tc, forged_es);
	tcase_add_test(tc, forged_ns_nsr);
	tcase_add_test(tc, several_ns_nsr);
	tcase_add_test(tc, ns_burst_first_and_last);
	tcase_add_test(tc, ns_clock_skew);
	tcase_add_test(tc, unbound_ns);
	tcase_add_test(tc, ack_request);
	tcase_add_test(tc, termination);
	tcase_add_test(tc, bad_caller_blocks);
	tcase_add_test(tc, three_nextkeys);
	tcase_add_test(tc, expiry);
	tcase_add_test(tc, old_tagset_expires);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
