/*
 * Unit tests of netd/ssu2_hs.c and ssu2_data.c: SSU2 handshakes between
 * an Alice and a Bob in-process (cryptod's DHs done here with x25519 on
 * locally made static keys), Token Request and Retry, fragmented and
 * gzipped Session Confirmed, data both ways after it, and packets that
 * are wrong in every way the handshake checks.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "unit.h"
#include "../../netd/ssu2.h"

#define NOW	1700000000u
#define NETID	99
#define PKT	2048

static uint8_t		 b_priv[32], b_pub[32], b_ik[32];
static uint8_t		 a_priv[32], a_pub[32], a_ik[32], a_seed[32], a_sign[32];
static uint8_t		 a_ri[RI_MAXLEN], a_hash[32];
static size_t		 a_rilen;
static struct ssu2_local bob_local, alice_local;
static struct ssu2_remote bob_remote;
static struct ssu2_addr	 alice_addr = { 20000, 4, { 198, 18, 0, 2 } };

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/*
 * Alice's RouterInfo: an SSU2 address publishing s and her intro key,
 * netId, and big options (extra bytes) to force fragmentation.
 */
static size_t
make_ri(uint8_t *out, const uint8_t s[32], const char *netid, size_t extra,
    uint8_t hash[32])
{
	struct router_info	*ri;
	struct router_address	*ra;
	uint8_t			 x[32];
	char			 b64[64], key[8], val[201];
	size_t			 len, i;

	ck_assert_ptr_nonnull(ri = calloc(1, sizeof(*ri)));
	memset(x, 0x42, sizeof(x));
	ck_assert_int_eq(ident_build(&ri->ident, IDENT_ROUTER, x, a_sign,
	    NULL), 0);
	ri->published = NOW * 1000ULL;
	ri->naddrs = 1;
	ra = &ri->addrs[0];
	ra->cost = 8;
	strlcpy(ra->style, "SSU2", sizeof(ra->style));
	mapping_init(&ra->options);
	mapping_set(&ra->options, "host", "198.18.0.2");
	mapping_set(&ra->options, "port", "20000");
	ck_assert_int_gt(b64_encode(b64, sizeof(b64), s, 32), 0);
	mapping_set(&ra->options, "s", b64);
	ck_assert_int_gt(b64_encode(b64, sizeof(b64), a_ik, 32), 0);
	mapping_set(&ra->options, "i", b64);
	mapping_set(&ra->options, "v", "2");
	mapping_init(&ri->options);
	mapping_set(&ri->options, "caps", "LR");
	if (netid != NULL)
		mapping_set(&ri->options, "netId", netid);
	mapping_set(&ri->options, "router.version", "0.9.57");
	for (i = 0; extra > 0; i++) {
		snprintf(key, sizeof(key), "x%zu", i);
		len = extra > 200 ? 200 : extra;
		memset(val, 'a' + i, len);
		val[len] = '\0';
		mapping_set(&ri->options, key, val);
		extra -= len;
	}
	ck_assert_int_eq(ri_sign(ri, sign_cb, a_seed, NULL), 0);
	memcpy(out, ri->raw, ri->rawlen);
	len = ri->rawlen;
	if (hash != NULL)
		memcpy(hash, ri->ident.hash, 32);
	free(ri);
	return len;
}

static void
setup(void)
{
	ck_assert_int_eq(crypto_init(), 0);
	ck_assert_int_eq(x25519_keygen(b_priv, b_pub), 0);
	ck_assert_int_eq(crypto_random(b_ik, sizeof(b_ik)), 0);
	ck_assert_int_eq(x25519_keygen(a_priv, a_pub), 0);
	ck_assert_int_eq(crypto_random(a_ik, sizeof(a_ik)), 0);
	ck_assert_int_eq(ed25519_keygen(a_seed, a_sign), 0);
	a_rilen = make_ri(a_ri, a_pub, "99", 0, a_hash);

	memset(&bob_local, 0, sizeof(bob_local));
	memcpy(bob_local.static_pub, b_pub, 32);
	memcpy(bob_local.intro_key, b_ik, 32);
	bob_local.netid = NETID;
	bob_local.mtu = 1500;
	memcpy(bob_remote.static_pub, b_pub, 32);
	memcpy(bob_remote.intro_key, b_ik, 32);

	memset(&alice_local, 0, sizeof(alice_local));
	memcpy(alice_local.static_pub, a_pub, 32);
	memcpy(alice_local.intro_key, a_ik, 32);
	alice_local.netid = NETID;
	alice_local.ri = a_ri;
	alice_local.rilen = a_rilen;
	alice_local.mtu = 1500;
}

/* the two sides and the packets between them */
struct pair {
	struct ssu2_hs		*a, *b;
	struct ssu2_session	 sa, sb;
	uint8_t			 buf[PKT], f0[PKT], f1[PKT];
	struct wbuf		 w, w0, w1;
	uint8_t			 dh_pub[32], dh[32];
	uint64_t		 token;
};

static void
pair_new(struct pair *p, uint32_t a_time, uint32_t b_time)
{
	memset(p, 0, sizeof(*p));
	ck_assert_ptr_nonnull(p->a = ssu2_hs_new());
	ck_assert_ptr_nonnull(p->b = ssu2_hs_new());
	ssu2_hs_set_time(p->a, a_time);
	ssu2_hs_set_time(p->b, b_time);
	ck_assert_int_eq(ssu2_alice_start(p->a, &alice_local, &bob_remote),
	    SSU2_OK);
}

static void
pair_free(struct pair *p)
{
	ssu2_hs_free(p->a);
	ssu2_hs_free(p->b);
	ssu2_session_wipe(&p->sa);
	ssu2_session_wipe(&p->sb);
}

static void
reset(struct wbuf *w, uint8_t *buf)
{
	wbuf_init_fixed(w, buf, PKT);
}

/* Alice's Session Request, and Bob up to his DH */
static int
request(struct pair *p)
{
	reset(&p->w, p->buf);
	ck_assert_int_eq(ssu2_alice_request(p->a, 0, &p->w), SSU2_OK);
	return ssu2_bob_request(p->b, &bob_local, p->buf, wbuf_len(&p->w),
	    &p->token, p->dh_pub);
}

/* cryptod's part, done here */
static void
dh(struct pair *p, const uint8_t priv[32])
{
	ck_assert_int_eq(x25519(p->dh, priv, p->dh_pub), 0);
}

/* Bob's Created, and Alice up to her DH */
static int
created(struct pair *p)
{
	ck_assert_int_eq(ssu2_bob_created(p->b, &alice_addr, 7, &p->w),
	    SSU2_OK);
	return ssu2_alice_created(p->a, p->buf, wbuf_len(&p->w), p->dh_pub);
}

static void
confirmed(struct pair *p)
{
	reset(&p->w0, p->f0);
	reset(&p->w1, p->f1);
	dh(p, a_priv);
	ck_assert_int_eq(ssu2_alice_confirmed(p->a, p->dh, &p->w0, &p->w1,
	    &p->sa), SSU2_OK);
}

/* Request and Created, up to Alice's DH */
static void
to_created(struct pair *p)
{
	ck_assert_int_eq(request(p), SSU2_NEED_DH);
	dh(p, b_priv);
	ck_assert_int_eq(ssu2_bob_request_dh(p->b, p->dh), SSU2_OK);
	reset(&p->w, p->buf);
	ck_assert_int_eq(created(p), SSU2_NEED_DH);
}

/* the whole handshake up to Bob's Confirmed, which is returned */
static int
handshake(struct pair *p, const uint8_t **ri, size_t *rilen)
{
	int	 rv;

	to_created(p);
	confirmed(p);
	rv = ssu2_bob_confirmed(p->b, p->f0, wbuf_len(&p->w0), &p->sb, ri,
	    rilen);
	if (rv == SSU2_AGAIN && wbuf_len(&p->w1) > 0)
		rv = ssu2_bob_confirmed(p->b, p->f1, wbuf_len(&p->w1), &p->sb,
		    ri, rilen);
	return rv;
}

static void
sessions_match(const struct pair *p)
{
	ck_assert_mem_eq(p->sa.send.k, p->sb.recv.k, 32);
	ck_assert_mem_eq(p->sa.recv.k, p->sb.send.k, 32);
	ck_assert_mem_ne(p->sa.send.k, p->sa.recv.k, 32);
	ck_assert_mem_eq(p->sa.send.hk2, p->sb.recv.hk2, 32);
	ck_assert_mem_eq(p->sa.recv.hk2, p->sb.send.hk2, 32);
	/* k_header_1 is the receiver's intro key */
	ck_assert_mem_eq(p->sa.send.hk1, b_ik, 32);
	ck_assert_mem_eq(p->sb.send.hk1, a_ik, 32);
	ck_assert_mem_eq(p->sb.recv.hk1, b_ik, 32);
	ck_assert(p->sa.send.conn_id == p->sb.recv.conn_id);
	ck_assert(p->sa.recv.conn_id == p->sb.send.conn_id);
	ck_assert(p->sa.send.conn_id != p->sa.recv.conn_id);
	ck_assert_uint_eq(p->sa.send_pn, 1);
	ck_assert_uint_eq(p->sb.send_pn, 0);
	ck_assert_mem_eq(p->sb.remote_static, a_pub, 32);
	ck_assert_mem_eq(p->sa.remote_static, b_pub, 32);
	ck_assert_mem_eq(p->sb.remote_hash, a_hash, 32);
}

/* n packets from s to r, each opened and checked, then tampering */
static void
data_flow(struct ssu2_session *s, struct ssu2_session *r, int n)
{
	uint8_t		 buf[PKT], payload[1000], copy[PKT];
	struct wbuf	 w;
	struct ssu2_hdr	 h;
	const uint8_t	*got;
	size_t		 len = 0, glen;
	uint32_t	 pn, first = s->send_pn;
	int		 i;

	for (i = 0; i < n; i++) {
		wbuf_init_fixed(&w, payload, sizeof(payload));
		ssu2_put_datetime(&w, NOW + i);
		ssu2_put_padding(&w, i * 37 % 500);
		wbuf_init_fixed(&w, buf, sizeof(buf));
		ck_assert_int_eq(ssu2_data_seal(s, i == 0 ?
		    SSU2_FLAG_IMMEDIATE_ACK : 0, payload, 7 + 3 + i * 37 % 500,
		    &w, &pn), 0);
		ck_assert_uint_eq(pn, first + i);
		len = wbuf_len(&w);
		memcpy(copy, buf, len);
		ck_assert_int_eq(ssu2_data_open(r, buf, len, &h, &got, &glen),
		    0);
		ck_assert_uint_eq(h.pkt_num, pn);
		ck_assert_uint_eq(h.flags[0], i == 0 ? 1 : 0);
		ck_assert_uint_eq(glen, 7 + 3 + i * 37 % 500);
		ck_assert_mem_eq(got, payload, glen);
	}
	/* a flipped bit anywhere fails; so does the wrong direction */
	for (i = 0; i < (int)len; i += 13) {
		memcpy(buf, copy, len);
		buf[i] ^= 0x04;
		ck_assert_int_eq(ssu2_data_open(r, buf, len, &h, &got, &glen),
		    -1);
	}
	memcpy(buf, copy, len);
	ck_assert_int_eq(ssu2_data_open(s, buf, len, &h, &got, &glen), -1);
	memcpy(buf, copy, len);
	ck_assert_int_eq(ssu2_data_open(r, buf, len - 1, &h, &got, &glen),
	    -1);
	ck_assert_int_eq(ssu2_data_open(r, buf, 39, &h, &got, &glen), -1);
	/* payloads under 8 bytes cannot carry the header masks */
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ssu2_data_seal(s, 0, payload, 7, &w, &pn), -1);
}

START_TEST(full_handshake)
{
	struct pair	 p;
	const uint8_t	*ri;
	size_t		 rilen;

	pair_new(&p, NOW, NOW + 5);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_OK);
	ck_assert_uint_eq(wbuf_len(&p.w1), 0);	/* one fragment */
	ck_assert_uint_eq(rilen, a_rilen);
	ck_assert_mem_eq(ri, a_ri, a_rilen);
	sessions_match(&p);
	/* what Alice learnt from Created */
	ck_assert_uint_eq(ssu2_hs_info(p.a)->relay_tag, 7);
	ck_assert_uint_eq(ssu2_hs_info(p.a)->addr.port, 20000);
	ck_assert_mem_eq(ssu2_hs_info(p.a)->addr.ip, alice_addr.ip, 4);
	ck_assert_uint_eq(ssu2_hs_info(p.a)->peer_time, NOW + 5);
	ck_assert_uint_eq(ssu2_hs_info(p.b)->peer_time, NOW);
	ck_assert_int_eq(ssu2_hs_info(p.b)->relay_tag_req, 0);
	data_flow(&p.sa, &p.sb, 20);
	data_flow(&p.sb, &p.sa, 20);
	pair_free(&p);
}
END_TEST

/* Bob's Created carries a New Token for Alice's next dial, if given */
START_TEST(created_new_token)
{
	struct pair	 p;
	const uint8_t	*ri;
	size_t		 rilen;

	pair_new(&p, NOW, NOW);
	ssu2_bob_new_token(p.b, 0x1122334455667788ULL, NOW + 3000);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_OK);
	ck_assert(ssu2_hs_info(p.a)->new_token == 0x1122334455667788ULL);
	ck_assert_uint_eq(ssu2_hs_info(p.a)->new_token_exp, NOW + 3000);
	sessions_match(&p);
	pair_free(&p);

	/* none given, none sent */
	pair_new(&p, NOW, NOW);
	ssu2_bob_new_token(p.b, 0, 0);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_OK);
	ck_assert(ssu2_hs_info(p.a)->new_token == 0);
	pair_free(&p);
}
END_TEST

/*
 * Bob tells Alice's Session Request sent again from her Confirmed,
 * whose type, opened with his intro key alone, reads as a Request once
 * in 256 (he answered it with Created again, and the handshake never
 * finished), and from another handshake's Request
 */
START_TEST(request_again_not_confirmed)
{
	struct pair	 p;
	uint8_t		 req[PKT], prev[PKT], plain[SSU2_EPH_HDR];
	struct ssu2_hdr	 h;
	size_t		 reqlen, prevlen = 0;
	int		 i, lookalike = 0;

	for (i = 0; i < 4096 && !lookalike; i++) {
		pair_new(&p, NOW, NOW);
		ck_assert_int_eq(request(&p), SSU2_NEED_DH);
		reqlen = wbuf_len(&p.w);
		memcpy(req, p.buf, reqlen);
		dh(&p, b_priv);
		ck_assert_int_eq(ssu2_bob_request_dh(p.b, p.dh), SSU2_OK);
		reset(&p.w, p.buf);
		ck_assert_int_eq(created(&p), SSU2_NEED_DH);
		confirmed(&p);
		ck_assert(ssu2_bob_is_request(p.b, b_ik, req, reqlen));
		ck_assert(!ssu2_bob_is_request(p.b, b_ik, p.f0,
		    wbuf_len(&p.w0)));
		ck_assert(prevlen == 0 ||
		    !ssu2_bob_is_request(p.b, b_ik, prev, prevlen));
		lookalike = ssu2_hdr_open(p.f0, wbuf_len(&p.w0), b_ik, b_ik,
		    plain, &h) == SSU2_EPH_HDR && h.type == SSU2_SESSION_REQUEST;
		memcpy(prev, req, reqlen);
		prevlen = reqlen;
		pair_free(&p);
	}
	/* the case that failed was met */
	ck_assert(lookalike);
}
END_TEST

START_TEST(token_and_retry)
{
	struct pair	 p;
	struct ssu2_hdr	 req;
	const uint8_t	*ri;
	size_t		 rilen;

	pair_new(&p, NOW, NOW);
	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_alice_token_request(p.a, &p.w), SSU2_OK);
	ck_assert_int_eq(ssu2_bob_token_request(&bob_local, p.buf,
	    wbuf_len(&p.w), NOW, &req), 0);
	ck_assert(req.token == 0 && req.src_id != req.dst_id);
	/* wrong network, wrong intro key, a flipped bit, skewed: refused */
	bob_local.netid = NETID + 1;
	ck_assert_int_eq(ssu2_bob_token_request(&bob_local, p.buf,
	    wbuf_len(&p.w), NOW, &req), -1);
	bob_local.netid = NETID;
	bob_local.intro_key[0] ^= 1;
	ck_assert_int_eq(ssu2_bob_token_request(&bob_local, p.buf,
	    wbuf_len(&p.w), NOW, &req), -1);
	bob_local.intro_key[0] ^= 1;
	ck_assert_int_eq(ssu2_bob_token_request(&bob_local, p.buf,
	    wbuf_len(&p.w), NOW + 61, &req), -1);
	p.buf[40] ^= 1;
	ck_assert_int_eq(ssu2_bob_token_request(&bob_local, p.buf,
	    wbuf_len(&p.w), NOW, &req), -1);
	p.buf[40] ^= 1;
	ck_assert_int_eq(ssu2_bob_token_request(&bob_local, p.buf,
	    wbuf_len(&p.w), NOW, &req), 0);

	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_bob_retry(&bob_local, &req, 0x1234567890ULL,
	    SSU2_R_NORMAL, &alice_addr, NOW, &p.w), 0);
	/* after a Token Request only a Retry may come: misuse ends it */
	ck_assert_int_eq(ssu2_alice_created(p.a, p.buf, wbuf_len(&p.w),
	    p.dh_pub), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.a), SSU2_R_CREATED_ERROR);
	ssu2_hs_free(p.a);

	/* again, properly this time, and asking for a relay tag */
	alice_local.relay_tag_req = 1;
	ck_assert_ptr_nonnull(p.a = ssu2_hs_new());
	ssu2_hs_set_time(p.a, NOW);
	ck_assert_int_eq(ssu2_alice_start(p.a, &alice_local, &bob_remote),
	    SSU2_OK);
	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_alice_token_request(p.a, &p.w), SSU2_OK);
	ck_assert_int_eq(ssu2_bob_token_request(&bob_local, p.buf,
	    wbuf_len(&p.w), NOW, &req), 0);
	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_bob_retry(&bob_local, &req, 0x1234567890ULL,
	    SSU2_R_NORMAL, &alice_addr, NOW, &p.w), 0);
	/* a garbled Retry is dropped, the real one taken */
	p.buf[50] ^= 1;
	ck_assert_int_eq(ssu2_alice_retry(p.a, p.buf, wbuf_len(&p.w)),
	    SSU2_AGAIN);
	p.buf[50] ^= 1;
	ck_assert_int_eq(ssu2_alice_retry(p.a, p.buf, wbuf_len(&p.w)),
	    SSU2_OK);
	ck_assert(ssu2_hs_info(p.a)->token == 0x1234567890ULL);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_OK);
	ck_assert(p.token == 0x1234567890ULL);
	ck_assert_int_eq(ssu2_hs_info(p.b)->relay_tag_req, 1);
	sessions_match(&p);
	pair_free(&p);
}
END_TEST

/* Bob says no: a zero token and a termination block */
START_TEST(retry_rejects)
{
	struct pair	 p;
	struct ssu2_hdr	 req;

	pair_new(&p, NOW + 100, NOW);
	ck_assert_int_eq(request(&p), SSU2_NEED_DH);
	dh(&p, b_priv);
	ck_assert_int_eq(ssu2_bob_request_dh(p.b, p.dh), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.b), SSU2_R_CLOCK_SKEW);
	memset(&req, 0, sizeof(req));
	/* the glue read these from the request's header */
	ck_assert_int_eq(ssu2_hdr_open(p.buf, wbuf_len(&p.w), b_ik, b_ik,
	    p.f0, &req), SSU2_EPH_HDR);
	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_bob_retry(&bob_local, &req, 55,
	    SSU2_R_CLOCK_SKEW, NULL, NOW, &p.w), 0);
	ck_assert_int_eq(ssu2_alice_created(p.a, p.buf, wbuf_len(&p.w),
	    p.dh_pub), SSU2_AGAIN);
	ck_assert_int_eq(ssu2_alice_retry(p.a, p.buf, wbuf_len(&p.w)),
	    SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.a), SSU2_R_CLOCK_SKEW);
	pair_free(&p);
}
END_TEST

/*
 * The packet size Alice starts with: down to what a peer's "mtu" of
 * 1280 leaves over IPv6 (i2pd publishes that on IPv6 addresses)
 */
START_TEST(alice_mtu_bounds)
{
	static const struct {
		size_t	 mtu;
		int	 rc;
	} t[] = {
		{ SSU2_UDP_MIN, SSU2_OK }, { 1280 - 28, SSU2_OK },
		{ SSU2_PKT_MAX, SSU2_OK }, { SSU2_UDP_MIN - 1, SSU2_ERROR },
		{ SSU2_PKT_MAX + 1, SSU2_ERROR }, { 0, SSU2_ERROR },
	};
	struct ssu2_hs	*hs;
	size_t		 i, mtu = alice_local.mtu;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		alice_local.mtu = t[i].mtu;
		ck_assert_ptr_nonnull(hs = ssu2_hs_new());
		ck_assert_int_eq(ssu2_alice_start(hs, &alice_local,
		    &bob_remote), t[i].rc);
		ssu2_hs_free(hs);
	}
	alice_local.mtu = mtu;
}
END_TEST

START_TEST(fragmented_confirmed)
{
	struct pair	 p;
	const uint8_t	*ri;
	size_t		 rilen;
	uint8_t		*big;

	ck_assert_ptr_nonnull(big = malloc(RI_MAXLEN));
	alice_local.rilen = make_ri(big, a_pub, "99", 1500, a_hash);
	alice_local.ri = big;
	alice_local.mtu = SSU2_MTU_MIN;
	pair_new(&p, NOW, NOW);
	to_created(&p);
	confirmed(&p);
	ck_assert_uint_eq(wbuf_len(&p.w0), SSU2_MTU_MIN);
	ck_assert_uint_gt(wbuf_len(&p.w1), 0);
	ck_assert_uint_le(wbuf_len(&p.w1), SSU2_MTU_MIN);
	/* the second first, twice; then the first completes it */
	ck_assert_int_eq(ssu2_bob_confirmed(p.b, p.f1, wbuf_len(&p.w1),
	    &p.sb, &ri, &rilen), SSU2_AGAIN);
	ck_assert_int_eq(ssu2_bob_confirmed(p.b, p.f1, wbuf_len(&p.w1),
	    &p.sb, &ri, &rilen), SSU2_AGAIN);
	ck_assert_int_eq(ssu2_bob_confirmed(p.b, p.f0, wbuf_len(&p.w0),
	    &p.sb, &ri, &rilen), SSU2_OK);
	ck_assert_uint_eq(rilen, alice_local.rilen);
	ck_assert_mem_eq(ri, big, rilen);
	sessions_match(&p);
	data_flow(&p.sa, &p.sb, 3);
	pair_free(&p);
	/* too big for two fragments at this MTU */
	alice_local.rilen = make_ri(big, a_pub, "99", 2300, NULL);
	pair_new(&p, NOW, NOW);
	to_created(&p);
	reset(&p.w0, p.f0);
	reset(&p.w1, p.f1);
	dh(&p, a_priv);
	ck_assert_int_eq(ssu2_alice_confirmed(p.a, p.dh, &p.w0, &p.w1, &p.sa),
	    SSU2_ERROR);
	pair_free(&p);
	free(big);
}
END_TEST

START_TEST(gzipped_ri)
{
	struct pair	 p;
	z_stream	 z;
	const uint8_t	*ri;
	size_t		 rilen;
	uint8_t		 gz[RI_MAXLEN + 64];

	memset(&z, 0, sizeof(z));
	ck_assert_int_eq(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8,
	    Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = a_ri;
	z.avail_in = a_rilen;
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	ck_assert_int_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
	alice_local.ri = gz;
	alice_local.rilen = sizeof(gz) - z.avail_out;
	alice_local.ri_flag = SSU2_RI_GZIP;
	deflateEnd(&z);
	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_OK);
	ck_assert_uint_eq(rilen, a_rilen);
	ck_assert_mem_eq(ri, a_ri, a_rilen);
	pair_free(&p);
	/* garbage that says gzip */
	alice_local.ri = a_ri;
	alice_local.rilen = a_rilen;
	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.b), SSU2_R_CONFIRMED_ERROR);
	pair_free(&p);
}
END_TEST

START_TEST(bad_routerinfo)
{
	struct pair	 p;
	const uint8_t	*ri;
	size_t		 rilen;
	uint8_t		 other[32], junk[32], bad[RI_MAXLEN];

	/* an RI publishing another static key */
	ck_assert_int_eq(x25519_keygen(junk, other), 0);
	alice_local.rilen = make_ri(bad, other, "99", 0, NULL);
	alice_local.ri = bad;
	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.b), SSU2_R_S_MISMATCH);
	pair_free(&p);
	/* another network */
	alice_local.rilen = make_ri(bad, a_pub, "2", 0, NULL);
	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.b), SSU2_R_WRONG_NETID);
	pair_free(&p);
	/* a broken signature */
	alice_local.rilen = make_ri(bad, a_pub, "99", 0, NULL);
	bad[alice_local.rilen - 1] ^= 1;
	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(handshake(&p, &ri, &rilen), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.b), SSU2_R_RI_SIG_FAILURE);
	pair_free(&p);
}
END_TEST

START_TEST(bad_request)
{
	struct pair	 p;
	size_t		 len;

	/* another network, and another intro key */
	alice_local.netid = NETID + 1;
	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(request(&p), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.b), SSU2_R_WRONG_NETID);
	pair_free(&p);
	alice_local.netid = NETID;
	bob_remote.intro_key[5] ^= 1;
	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(request(&p), SSU2_ERROR);
	/*
	 * unmasked with the wrong key the header is noise: mostly not a
	 * Session Request, but once in 256 it reads as one, of another
	 * version or network
	 */
	ck_assert(ssu2_hs_reason(p.b) == SSU2_R_REQUEST_ERROR ||
	    ssu2_hs_reason(p.b) == SSU2_R_INCOMPATIBLE_VERSION ||
	    ssu2_hs_reason(p.b) == SSU2_R_WRONG_NETID);
	pair_free(&p);
	bob_remote.intro_key[5] ^= 1;
	/* a flipped payload bit: found after the DH */
	pair_new(&p, NOW, NOW);
	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_alice_request(p.a, 0, &p.w), SSU2_OK);
	len = wbuf_len(&p.w);
	p.buf[70] ^= 1;
	ck_assert_int_eq(ssu2_bob_request(p.b, &bob_local, p.buf, len,
	    &p.token, p.dh_pub), SSU2_NEED_DH);
	dh(&p, b_priv);
	ck_assert_int_eq(ssu2_bob_request_dh(p.b, p.dh), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.b), SSU2_R_REQUEST_ERROR);
	pair_free(&p);
	/* the wrong DH (not our static key) */
	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(request(&p), SSU2_NEED_DH);
	dh(&p, a_priv);
	ck_assert_int_eq(ssu2_bob_request_dh(p.b, p.dh), SSU2_ERROR);
	pair_free(&p);
	/* truncated: too short for a Request */
	pair_new(&p, NOW, NOW);
	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_alice_request(p.a, 0, &p.w), SSU2_OK);
	ck_assert_int_eq(ssu2_bob_request(p.b, &bob_local, p.buf, 87,
	    &p.token, p.dh_pub), SSU2_ERROR);
	pair_free(&p);
}
END_TEST

START_TEST(bad_created_confirmed)
{
	struct pair	 p;
	const uint8_t	*ri;
	size_t		 rilen, len;
	int		 i;

	pair_new(&p, NOW, NOW);
	ck_assert_int_eq(request(&p), SSU2_NEED_DH);
	dh(&p, b_priv);
	ck_assert_int_eq(ssu2_bob_request_dh(p.b, p.dh), SSU2_OK);
	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_bob_created(p.b, &alice_addr, 0, &p.w),
	    SSU2_OK);
	len = wbuf_len(&p.w);
	/* any flipped bit or a byte less: not ours, and nothing lost */
	for (i = 0; i < (int)len; i += 7) {
		p.buf[i] ^= 0x80;
		ck_assert_int_eq(ssu2_alice_created(p.a, p.buf, len,
		    p.dh_pub), SSU2_AGAIN);
		p.buf[i] ^= 0x80;
	}
	ck_assert_int_eq(ssu2_alice_created(p.a, p.buf, len - 1, p.dh_pub),
	    SSU2_AGAIN);
	ck_assert_int_eq(ssu2_alice_created(p.a, p.buf, len, p.dh_pub),
	    SSU2_NEED_DH);
	/* the same for Confirmed at Bob */
	confirmed(&p);
	len = wbuf_len(&p.w0);
	p.f0[3] ^= 1;
	ck_assert_int_eq(ssu2_bob_confirmed(p.b, p.f0, len, &p.sb, &ri,
	    &rilen), SSU2_AGAIN);
	p.f0[3] ^= 1;
	/* but a bad MAC in a packet that opens ends it */
	p.f0[100] ^= 1;
	ck_assert_int_eq(ssu2_bob_confirmed(p.b, p.f0, len, &p.sb, &ri,
	    &rilen), SSU2_ERROR);
	ck_assert_int_eq(ssu2_hs_reason(p.b), SSU2_R_CONFIRMED_ERROR);
	/* and then every call fails */
	ck_assert_int_eq(ssu2_bob_confirmed(p.b, p.f0, len, &p.sb, &ri,
	    &rilen), SSU2_ERROR);
	pair_free(&p);
}
END_TEST

START_TEST(out_of_order)
{
	struct pair	 p;
	uint8_t		 x[32] = { 0 };

	pair_new(&p, NOW, NOW);
	reset(&p.w, p.buf);
	ck_assert_int_eq(ssu2_alice_confirmed(p.a, x, &p.w, &p.w, &p.sa),
	    SSU2_ERROR);
	ck_assert_int_eq(ssu2_alice_request(p.a, 0, &p.w), SSU2_ERROR);
	ck_assert_int_eq(ssu2_bob_request_dh(p.b, x), SSU2_ERROR);
	ck_assert_int_eq(ssu2_bob_created(p.b, NULL, 0, &p.w), SSU2_ERROR);
	pair_free(&p);
	/* an MTU outside what SSU2 allows */
	alice_local.mtu = 1000;
	ck_assert_ptr_nonnull(p.a = ssu2_hs_new());
	ck_assert_int_eq(ssu2_alice_start(p.a, &alice_local, &bob_remote),
	    SSU2_ERROR);
	ssu2_hs_free(p.a);
	/* a buffer too small for the packet */
	alice_local.mtu = 1500;
	ck_assert_ptr_nonnull(p.a = ssu2_hs_new());
	ck_assert_int_eq(ssu2_alice_start(p.a, &alice_local, &bob_remote),
	    SSU2_OK);
	wbuf_init_fixed(&p.w, p.buf, 60);
	ck_assert_int_eq(ssu2_alice_request(p.a, 0, &p.w), SSU2_ERROR);
	ssu2_hs_free(p.a);
}
END_TEST

/*
 * A reference Alice written here from ssu2.rst's KDF text, with the
 * HMAC steps spelled out rather than through noise_* or hkdf_sha256:
 * her Session Request must satisfy our Bob, and Bob's Created must open
 * with her keys, so both sides would have to misread the spec the same
 * way for a bug to pass.
 */
#define PROTO	"Noise_XKchaobfse+hs1+hs2+hs3_25519_ChaChaPoly_SHA256"

/* HKDF(ck, ikm) as the spec has it: two 32-byte outputs */
static void
ref_hkdf(const uint8_t ck[32], const void *ikm, size_t ikmlen,
    const char *info, uint8_t o1[32], uint8_t o2[32])
{
	uint8_t	 temp[32], in[64];
	size_t	 n = strlen(info);

	ck_assert_int_eq(hmac_sha256(temp, ck, 32, ikm, ikmlen), 0);
	memcpy(in, info, n);
	in[n] = 1;
	ck_assert_int_eq(hmac_sha256(o1, temp, 32, in, n + 1), 0);
	if (o2 == NULL)
		return;
	memcpy(in, o1, 32);
	memcpy(in + 32, info, n);
	in[32 + n] = 2;
	ck_assert_int_eq(hmac_sha256(o2, temp, 32, in, 32 + n + 1), 0);
}

/* h = SHA256(h || data) */
static void
ref_mix(uint8_t h[32], const void *data, size_t len)
{
	uint8_t	 buf[32 + 256];

	ck_assert_uint_le(len, 256);
	memcpy(buf, h, 32);
	memcpy(buf + 32, data, len);
	ck_assert_int_eq(sha256(h, buf, 32 + len), 0);
}

/* header protection, spelled out: masks, then bytes 16-63 */
static void
ref_protect(uint8_t *pkt, size_t len, const uint8_t k1[32],
    const uint8_t k2[32])
{
	static const uint8_t	 zero[48], nonce[12];
	uint8_t			 m[48];
	size_t			 i;

	ck_assert_int_eq(chacha20(m, k1, pkt + len - 24, 1, zero, 8), 0);
	for (i = 0; i < 8; i++)
		pkt[i] ^= m[i];
	ck_assert_int_eq(chacha20(m, k2, pkt + len - 12, 1, zero, 8), 0);
	for (i = 0; i < 8; i++)
		pkt[8 + i] ^= m[i];
	ck_assert_int_eq(chacha20(m, k2, nonce, 1, zero, 48), 0);
	for (i = 0; i < 48; i++)
		pkt[16 + i] ^= m[i];
}

START_TEST(reference_alice)
{
	static const uint8_t	 hdr[32] = {
	    0, 0, 0, 0, 0, 0, 0x11, 0x11,  0, 0, 0, 5,  0, 2, NETID, 0,
	    0, 0, 0, 0, 0, 0, 0x22, 0x22,  0, 0, 0, 0, 0, 0, 0x33, 0x33 };
	static const uint8_t	 payload[10] = { 0, 0, 4,
	    NOW >> 24, (NOW >> 16) & 0xff, (NOW >> 8) & 0xff, NOW & 0xff,
	    254, 0, 0 };
	struct ssu2_hs		*b;
	struct ssu2_hdr		 g;
	struct wbuf		 w;
	uint8_t			 h[32], ck[32], k[32], xp[32], x[32], dh[32];
	uint8_t			 pkt[PKT], kh2[32], plain[SSU2_EPH_HDR];
	uint8_t			 out[PKT], pub[32];
	uint64_t		 token;
	size_t			 len;

	ck_assert_int_eq(sha256(h, PROTO, strlen(PROTO)), 0);
	memcpy(ck, h, 32);
	ck_assert_int_eq(sha256(h, h, 32), 0);
	ref_mix(h, b_pub, 32);
	ref_mix(h, hdr, 32);
	ck_assert_int_eq(x25519_keygen(xp, x), 0);
	ref_mix(h, x, 32);
	ck_assert_int_eq(x25519(dh, xp, b_pub), 0);
	ref_hkdf(ck, dh, 32, "", ck, k);
	memcpy(pkt, hdr, 32);
	memcpy(pkt + 32, x, 32);
	ck_assert_int_eq(chachapoly_encrypt(pkt + 64, k, 0, h, 32, payload,
	    sizeof(payload)), 0);
	len = 64 + sizeof(payload) + 16;
	ref_mix(h, pkt + 64, sizeof(payload) + 16);
	ref_protect(pkt, len, b_ik, b_ik);

	ck_assert_ptr_nonnull(b = ssu2_hs_new());
	ssu2_hs_set_time(b, NOW);
	ck_assert_int_eq(ssu2_bob_request(b, &bob_local, pkt, len, &token,
	    pub), SSU2_NEED_DH);
	ck_assert(token == 0x3333);
	ck_assert_mem_eq(pub, x, 32);
	ck_assert_int_eq(x25519(dh, b_priv, pub), 0);
	ck_assert_int_eq(ssu2_bob_request_dh(b, dh), SSU2_OK);

	/* Bob's Created opens with k_header_2 = HKDF(ck, "SessCreateHeader") */
	ref_hkdf(ck, "", 0, "SessCreateHeader", kh2, NULL);
	wbuf_init_fixed(&w, out, sizeof(out));
	ck_assert_int_eq(ssu2_bob_created(b, &alice_addr, 0, &w), SSU2_OK);
	len = wbuf_len(&w);
	ck_assert_int_eq(ssu2_hdr_open(out, len, b_ik, kh2, plain, &g), 64);
	ck_assert_uint_eq(g.type, SSU2_SESSION_CREATED);
	ck_assert(g.dst_id == 0x2222 && g.src_id == 0x1111 && g.token == 0);
	/* "e", "ee", and the payload decrypts under h */
	ref_mix(h, plain, 32);
	ref_mix(h, plain + 32, 32);
	ck_assert_int_eq(x25519(dh, xp, plain + 32), 0);
	ref_hkdf(ck, dh, 32, "", ck, k);
	ck_assert_int_eq(chachapoly_decrypt(out + 64, k, 0, h, 32, out + 64,
	    len - 64), 0);
	ssu2_hs_free(b);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("netd_ssu2_hs");
	TCase	*tc = tcase_create("hs");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, full_handshake);
	tcase_add_test(tc, request_again_not_confirmed);
	tcase_add_test(tc, created_new_token);
	tcase_add_test(tc, token_and_retry);
	tcase_add_test(tc, retry_rejects);
	tcase_add_test(tc, alice_mtu_bounds);
	tcase_add_test(tc, fragmented_confirmed);
	tcase_add_test(tc, gzipped_ri);
	tcase_add_test(tc, bad_routerinfo);
	tcase_add_test(tc, bad_request);
	tcase_add_test(tc, bad_created_confirmed);
	tcase_add_test(tc, out_of_order);
	tcase_add_test(tc, reference_alice);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(suite());
}
