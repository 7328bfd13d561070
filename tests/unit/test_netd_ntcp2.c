/*
 * Unit tests of netd/ntcp2_hs.c and ntcp2_data.c: NTCP2 handshakes
 * between an Alice and a Bob in-process (cryptod's DH done here with
 * x25519 on locally made static keys), the data phase, the blocks, and
 * every way a peer can get a message wrong.
 *
 * The spec has no test vectors, so a reference Alice written here from
 * ntcp2.rst's KDF text (HMAC steps spelled out, not hkdf_sha256) talks
 * to our Bob: both would have to misread the spec the same way for a
 * bug to pass.  tests/interop/ntcp2_probe checks against i2pd itself.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "unit.h"
#include "../../netd/ntcp2.h"

#define NOW		1700000000u
#define NETID		99
#define PROTO		"Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256"
#define MSG12_MAX	(NTCP2_MSG1_LEN + NTCP2_PAD_MAX)
#define MSG3_MAX	70000
#define PLAIN_MAX	(NTCP2_FRAME_MAX - POLY1305_TAG_LEN)

/* Bob: his static key, router hash and "i" */
static uint8_t		 b_priv[32], b_pub[32], b_hash[32], b_iv[16];
/* Alice: static key, signing key, RouterInfo */
static uint8_t		 a_priv[32], a_pub[32], a_seed[32], a_sign[32];
static uint8_t		 a_ri[RI_MAXLEN], a_hash[32];
static size_t		 a_rilen;

static struct ntcp2_local	bob_local, alice_local;
static struct ntcp2_remote	bob_remote;

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/*
 * Alice's RouterInfo: an NTCP2 address (of that style) publishing s,
 * netId, published at that time (ms).  Returns its length.
 */
static size_t
make_ri(uint8_t *out, const uint8_t s[32], const char *style,
    const char *netid, uint64_t published, uint8_t hash[32])
{
	struct router_info	*ri;
	struct router_address	*ra;
	uint8_t			 x[32], iv[16];
	char			 b64[64];
	size_t			 len;

	ck_assert_ptr_nonnull(ri = calloc(1, sizeof(*ri)));
	memset(x, 0x42, sizeof(x));
	memset(iv, 0x17, sizeof(iv));
	ck_assert_int_eq(ident_build(&ri->ident, IDENT_ROUTER, x, a_sign,
	    NULL), 0);
	ri->published = published;
	ri->naddrs = 1;
	ra = &ri->addrs[0];
	ra->cost = 3;
	strlcpy(ra->style, style, sizeof(ra->style));
	mapping_init(&ra->options);
	mapping_set(&ra->options, "host", "198.18.0.2");
	mapping_set(&ra->options, "port", "20000");
	ck_assert_int_gt(b64_encode(b64, sizeof(b64), s, 32), 0);
	mapping_set(&ra->options, "s", b64);
	ck_assert_int_gt(b64_encode(b64, sizeof(b64), iv, 16), 0);
	mapping_set(&ra->options, "i", b64);
	mapping_set(&ra->options, "v", "2");
	mapping_init(&ri->options);
	mapping_set(&ri->options, "caps", "LR");
	if (netid != NULL)
		mapping_set(&ri->options, "netId", netid);
	mapping_set(&ri->options, "router.version", "0.9.57");
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
	ck_assert_int_eq(crypto_random(b_hash, sizeof(b_hash)), 0);
	ck_assert_int_eq(crypto_random(b_iv, sizeof(b_iv)), 0);
	ck_assert_int_eq(x25519_keygen(a_priv, a_pub), 0);
	ck_assert_int_eq(ed25519_keygen(a_seed, a_sign), 0);
	a_rilen = make_ri(a_ri, a_pub, "NTCP2", "99", NOW * 1000ULL, a_hash);

	memset(&bob_local, 0, sizeof(bob_local));
	memcpy(bob_local.hash, b_hash, 32);
	memcpy(bob_local.static_pub, b_pub, 32);
	memcpy(bob_local.iv, b_iv, 16);
	bob_local.netid = NETID;
	memcpy(bob_remote.hash, b_hash, 32);
	memcpy(bob_remote.static_pub, b_pub, 32);
	memcpy(bob_remote.iv, b_iv, 16);

	memset(&alice_local, 0, sizeof(alice_local));
	memcpy(alice_local.hash, a_hash, 32);
	memcpy(alice_local.static_pub, a_pub, 32);
	memset(alice_local.iv, 0x33, 16);
	alice_local.netid = NETID;
	alice_local.ri = a_ri;
	alice_local.rilen = a_rilen;
}

/*
 * One handshake, step by step, so that tests can change the messages
 * between the steps.
 */
struct pair {
	struct ntcp2_hs		*a, *b;
	struct ntcp2_session	 sa, sb;
	uint8_t			 m1[MSG12_MAX], m2[MSG12_MAX], *m3;
	size_t			 m1len, m2len, m3len, m3want;
	const uint8_t		*ri;
	size_t			 rilen;
	uint8_t			 x[32];		/* from bob_msg1 */
};

static void
pair_init(struct pair *p)
{
	memset(p, 0, sizeof(*p));
	ck_assert_ptr_nonnull(p->a = ntcp2_hs_new());
	ck_assert_ptr_nonnull(p->b = ntcp2_hs_new());
	ck_assert_ptr_nonnull(p->m3 = malloc(MSG3_MAX));
	ntcp2_hs_set_time(p->a, NOW);
	ntcp2_hs_set_time(p->b, NOW);
	ck_assert_int_eq(ntcp2_hs_reason(p->a), NTCP2_R_NORMAL);
}

static void
pair_free(struct pair *p)
{
	ntcp2_hs_free(p->a);
	ntcp2_hs_free(p->b);
	free(p->m3);
	ntcp2_session_wipe(&p->sa);
	ntcp2_session_wipe(&p->sb);
}

static int
alice_1(struct pair *p, const struct ntcp2_local *local)
{
	struct wbuf	 w;
	int		 rv;

	wbuf_init_fixed(&w, p->m1, sizeof(p->m1));
	rv = ntcp2_alice_start(p->a, local, &bob_remote, &w);
	p->m1len = wbuf_len(&w);
	return rv;
}

/* Bob reads message 1 (m, len) and writes message 2 */
static int
bob_1(struct pair *p, const uint8_t *m, size_t len)
{
	struct wbuf	 w;
	uint8_t		 pub[32], dh[32];
	size_t		 padlen;
	int		 rv;

	ck_assert_uint_ge(len, NTCP2_MSG1_LEN);
	rv = ntcp2_bob_msg1(p->b, &bob_local, m, pub);
	if (rv != NTCP2_NEED_DH)
		return rv;
	memcpy(p->x, pub, 32);
	ck_assert_mem_eq(ntcp2_bob_ephemeral(p->b), pub, 32);
	/* cryptod's part */
	if (x25519(dh, b_priv, pub) == -1)
		return -2;
	if ((rv = ntcp2_bob_msg1_dh(p->b, dh, &padlen)) != NTCP2_OK)
		return rv;
	ck_assert_uint_eq(len, NTCP2_MSG1_LEN + padlen);
	wbuf_init_fixed(&w, p->m2, sizeof(p->m2));
	rv = ntcp2_bob_msg1_padding(p->b, m + NTCP2_MSG1_LEN, padlen, &w,
	    &p->m3want);
	p->m2len = wbuf_len(&w);
	return rv;
}

/* Alice reads message 2 and writes message 3 */
static int
alice_2(struct pair *p, const uint8_t *m, size_t len)
{
	struct wbuf	 w;
	uint8_t		 pub[32], dh[32];
	size_t		 padlen;
	int		 rv;

	if ((rv = ntcp2_alice_msg2(p->a, m, &padlen)) != NTCP2_OK)
		return rv;
	ck_assert_uint_eq(len, NTCP2_MSG2_LEN + padlen);
	rv = ntcp2_alice_msg2_padding(p->a, m + NTCP2_MSG2_LEN, padlen, pub);
	if (rv != NTCP2_NEED_DH)
		return rv;
	ck_assert_int_eq(x25519(dh, a_priv, pub), 0);
	wbuf_init_fixed(&w, p->m3, MSG3_MAX);
	rv = ntcp2_alice_msg3(p->a, dh, &w, &p->sa);
	p->m3len = wbuf_len(&w);
	return rv;
}

static int
bob_3(struct pair *p, uint8_t *m, size_t len)
{
	return ntcp2_bob_msg3(p->b, m, len, &p->sb, &p->ri, &p->rilen);
}

static void
handshake(struct pair *p)
{
	pair_init(p);
	ck_assert_int_eq(alice_1(p, &alice_local), NTCP2_OK);
	ck_assert_int_eq(bob_1(p, p->m1, p->m1len), NTCP2_OK);
	ck_assert_int_eq(alice_2(p, p->m2, p->m2len), NTCP2_OK);
	ck_assert_uint_eq(p->m3len, p->m3want);
	ck_assert_int_eq(bob_3(p, p->m3, p->m3len), NTCP2_OK);
}

static void
same_dir(const struct ntcp2_dir *x, const struct ntcp2_dir *y)
{
	ck_assert_mem_eq(x->k, y->k, 32);
	ck_assert_mem_eq(x->sip, y->sip, 16);
	ck_assert_mem_eq(x->sip_iv, y->sip_iv, 8);
	ck_assert_uint_eq(x->n, y->n);
}

/*
 * The reference Alice: ntcp2.rst's KDFs done with noise_* and HMAC
 * directly, against our Bob.
 */
struct ref {
	struct noise_ss	 ss;
	uint8_t		 e_priv[32], e_pub[32], iv[16], y[32];
};

static size_t
ref_msg1(struct ref *r, uint8_t netid, uint8_t ver, uint16_t padlen,
    uint16_t m3p2len, uint32_t ts, uint8_t *out)
{
	uint8_t	 opts[16], dh[32];

	ck_assert_int_eq(x25519_keygen(r->e_priv, r->e_pub), 0);
	ck_assert_int_eq(aes256_cbc_encrypt(out, b_hash, b_iv, r->e_pub, 32),
	    0);
	memcpy(r->iv, out + 16, 16);
	ck_assert_int_eq(noise_init(&r->ss, PROTO), 0);
	ck_assert_int_eq(noise_mix_hash(&r->ss, NULL, 0), 0);
	ck_assert_int_eq(noise_mix_hash(&r->ss, b_pub, 32), 0);
	ck_assert_int_eq(noise_mix_hash(&r->ss, r->e_pub, 32), 0);
	ck_assert_int_eq(x25519(dh, r->e_priv, b_pub), 0);
	ck_assert_int_eq(noise_mix_key(&r->ss, dh, 32), 0);
	memset(opts, 0, sizeof(opts));
	opts[0] = netid;
	opts[1] = ver;
	opts[2] = padlen >> 8;
	opts[3] = padlen & 0xff;
	opts[4] = m3p2len >> 8;
	opts[5] = m3p2len & 0xff;
	opts[8] = ts >> 24;
	opts[9] = (ts >> 16) & 0xff;
	opts[10] = (ts >> 8) & 0xff;
	opts[11] = ts & 0xff;
	ck_assert_int_eq(noise_encrypt_and_hash(&r->ss, out + 32, opts, 16),
	    0);
	memset(out + 64, 0xab, padlen);
	if (padlen > 0)
		ck_assert_int_eq(noise_mix_hash(&r->ss, out + 64, padlen), 0);
	return 64 + padlen;
}

static void
ref_msg2(struct ref *r, const uint8_t *m, size_t len)
{
	uint8_t		 dh[32], opts[16];
	uint32_t	 tsb;
	size_t		 padlen;

	ck_assert_int_eq(aes256_cbc_decrypt(r->y, b_hash, r->iv, m, 32), 0);
	ck_assert_int_eq(noise_mix_hash(&r->ss, r->y, 32), 0);
	ck_assert_int_eq(x25519(dh, r->e_priv, r->y), 0);
	ck_assert_int_eq(noise_mix_key(&r->ss, dh, 32), 0);
	ck_assert_int_eq(noise_decrypt_and_hash(&r->ss, opts, m + 32, 32), 0);
	padlen = opts[2] << 8 | opts[3];
	tsb = (uint32_t)opts[8] << 24 | opts[9] << 16 | opts[10] << 8 |
	    opts[11];
	ck_assert_uint_eq(tsb, NOW);
	ck_assert_uint_le(padlen, NTCP2_PAD_MAX);
	ck_assert_uint_eq(len, 64 + padlen);
	if (padlen > 0)
		ck_assert_int_eq(noise_mix_hash(&r->ss, m + 64, padlen), 0);
}

static size_t
ref_msg3(struct ref *r, const uint8_t *payload, size_t plen, uint8_t *out)
{
	uint8_t	 dh[32];

	ck_assert_uint_eq(r->ss.n, 1);
	ck_assert_int_eq(noise_encrypt_and_hash(&r->ss, out, a_pub, 32), 0);
	ck_assert_int_eq(x25519(dh, a_priv, r->y), 0);
	ck_assert_int_eq(noise_mix_key(&r->ss, dh, 32), 0);
	ck_assert_int_eq(noise_encrypt_and_hash(&r->ss, out + 48, payload,
	    plen), 0);
	return 48 + plen + 16;
}

/*
 * The reference Bob: reads our Alice's message 1, answers with a
 * message 2 of the given padding length and time.
 */
static size_t
ref_bob_msg2(struct ref *r, const uint8_t *m1, size_t m1len,
    uint16_t padlen, uint32_t tsb, uint8_t *out)
{
	uint8_t	 x[32], dh[32], opts[16];

	ck_assert_int_eq(aes256_cbc_decrypt(x, b_hash, b_iv, m1, 32), 0);
	memcpy(r->iv, m1 + 16, 16);
	memcpy(r->y, x, 32);		/* the peer's ephemeral key */
	ck_assert_int_eq(noise_init(&r->ss, PROTO), 0);
	ck_assert_int_eq(noise_mix_hash(&r->ss, NULL, 0), 0);
	ck_assert_int_eq(noise_mix_hash(&r->ss, b_pub, 32), 0);
	ck_assert_int_eq(noise_mix_hash(&r->ss, x, 32), 0);
	ck_assert_int_eq(x25519(dh, b_priv, x), 0);
	ck_assert_int_eq(noise_mix_key(&r->ss, dh, 32), 0);
	ck_assert_int_eq(noise_decrypt_and_hash(&r->ss, opts, m1 + 32, 32),
	    0);
	if (m1len > 64)
		ck_assert_int_eq(noise_mix_hash(&r->ss, m1 + 64, m1len - 64),
		    0);
	ck_assert_int_eq(x25519_keygen(r->e_priv, r->e_pub), 0);
	ck_assert_int_eq(aes256_cbc_encrypt(out, b_hash, r->iv, r->e_pub, 32),
	    0);
	ck_assert_int_eq(noise_mix_hash(&r->ss, r->e_pub, 32), 0);
	ck_assert_int_eq(x25519(dh, r->e_priv, x), 0);
	ck_assert_int_eq(noise_mix_key(&r->ss, dh, 32), 0);
	memset(opts, 0, sizeof(opts));
	opts[2] = padlen >> 8;
	opts[3] = padlen & 0xff;
	opts[8] = tsb >> 24;
	opts[9] = (tsb >> 16) & 0xff;
	opts[10] = (tsb >> 8) & 0xff;
	opts[11] = tsb & 0xff;
	ck_assert_int_eq(noise_encrypt_and_hash(&r->ss, out + 32, opts, 16),
	    0);
	memset(out + 64, 0xcd, padlen);
	if (padlen > 0)
		ck_assert_int_eq(noise_mix_hash(&r->ss, out + 64, padlen), 0);
	return 64 + padlen;
}

/* the reference Bob reads message 3; the payload is left in pl */
static void
ref_bob_msg3(struct ref *r, const uint8_t *m3, size_t len, uint8_t *pl)
{
	uint8_t	 s[32], dh[32];

	ck_assert_uint_eq(r->ss.n, 1);
	ck_assert_int_eq(noise_decrypt_and_hash(&r->ss, s, m3, 48), 0);
	ck_assert_mem_eq(s, a_pub, 32);
	ck_assert_int_eq(x25519(dh, r->e_priv, s), 0);
	ck_assert_int_eq(noise_mix_key(&r->ss, dh, 32), 0);
	ck_assert_int_eq(noise_decrypt_and_hash(&r->ss, pl, m3 + 48,
	    len - 48), 0);
}

/* HMAC-SHA256(key, a || b) */
static void
hmac2(uint8_t out[32], const uint8_t key[32], const void *a, size_t alen,
    const void *b, size_t blen)
{
	uint8_t	 buf[64];

	ck_assert_uint_le(alen + blen, sizeof(buf));
	memcpy(buf, a, alen);
	memcpy(buf + alen, b, blen);
	ck_assert_int_eq(hmac_sha256(out, key, 32, buf, alen + blen), 0);
}

/* ntcp2.rst "KDF for data phase", line by line */
static void
ref_split(const struct ref *r, struct ntcp2_dir *ab, struct ntcp2_dir *ba)
{
	uint8_t	 temp[32], kab[32], kba[32], ask[32], sipm[32];
	uint8_t	 sab[32], sba[32], one = 1, two = 2;

	hmac2(temp, r->ss.ck, "", 0, "", 0);
	hmac2(kab, temp, &one, 1, "", 0);
	hmac2(kba, temp, kab, 32, &two, 1);
	hmac2(ask, temp, "ask", 3, &one, 1);
	hmac2(temp, ask, r->ss.h, 32, "siphash", 7);
	hmac2(sipm, temp, &one, 1, "", 0);
	hmac2(temp, sipm, "", 0, "", 0);
	hmac2(sab, temp, &one, 1, "", 0);
	hmac2(sba, temp, sab, 32, &two, 1);
	memset(ab, 0, sizeof(*ab));
	memset(ba, 0, sizeof(*ba));
	memcpy(ab->k, kab, 32);
	memcpy(ab->sip, sab, 16);
	memcpy(ab->sip_iv, sab + 16, 8);
	memcpy(ba->k, kba, 32);
	memcpy(ba->sip, sba, 16);
	memcpy(ba->sip_iv, sba + 16, 8);
}

/* message 3 part 2 payload: our RouterInfo block, then extra bytes */
static size_t
ri_payload(uint8_t *out, size_t cap, const uint8_t *extra, size_t elen)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, out, cap);
	ck_assert_int_eq(ntcp2_put_routerinfo(&w, a_ri, a_rilen, 0), 0);
	ck_assert_int_eq(wbuf_put_bytes(&w, extra, elen), 0);
	return wbuf_len(&w);
}

/*
 * The reference Alice sends payload in message 3; Bob's answer.  On
 * success the session keys are checked against ref_split.
 */
static int
ref_handshake_pad(const uint8_t *payload, size_t plen, uint16_t padlen,
    enum ntcp2_reason *why)
{
	struct pair		 p;
	struct ref		 r;
	struct ntcp2_dir	 ab, ba;
	size_t			 len;
	int			 rv;

	pair_init(&p);
	len = ref_msg1(&r, NETID, 2, padlen, plen + 16, NOW, p.m1);
	ck_assert_int_eq(bob_1(&p, p.m1, len), NTCP2_OK);
	ref_msg2(&r, p.m2, p.m2len);
	len = ref_msg3(&r, payload, plen, p.m3);
	ck_assert_uint_eq(len, p.m3want);
	rv = bob_3(&p, p.m3, len);
	*why = ntcp2_hs_reason(p.b);
	if (rv == NTCP2_OK) {
		ref_split(&r, &ab, &ba);
		same_dir(&p.sb.recv, &ab);
		same_dir(&p.sb.send, &ba);
		ck_assert_mem_eq(p.sb.remote_hash, a_hash, 32);
		ck_assert_uint_eq(p.rilen, a_rilen);
		ck_assert_mem_eq(p.ri, a_ri, a_rilen);
	}
	noise_wipe(&r.ss);
	pair_free(&p);
	return rv;
}

static int
ref_handshake(const uint8_t *payload, size_t plen, enum ntcp2_reason *why)
{
	return ref_handshake_pad(payload, plen, 5, why);
}

START_TEST(test_handshake)
{
	struct pair	 p;

	handshake(&p);
	ck_assert_uint_ge(p.m1len, NTCP2_MSG1_LEN);
	ck_assert_uint_le(p.m1len, 287);
	ck_assert_uint_ge(p.m2len, NTCP2_MSG2_LEN);
	ck_assert_uint_le(p.m2len, 287);
	ck_assert_uint_ge(p.m3len, NTCP2_MSG3P1_LEN + 4 + a_rilen + 3 + 16);
	/* crosswise keys, nonces at 0 */
	same_dir(&p.sa.send, &p.sb.recv);
	same_dir(&p.sa.recv, &p.sb.send);
	ck_assert_uint_eq(p.sa.send.n, 0);
	ck_assert_mem_ne(p.sa.send.k, p.sa.recv.k, 32);
	ck_assert_mem_ne(p.sa.send.sip, p.sa.recv.sip, 16);
	ck_assert_mem_ne(p.sa.send.sip_iv, p.sa.recv.sip_iv, 8);
	/* who is at the other end */
	ck_assert_mem_eq(p.sa.remote_hash, b_hash, 32);
	ck_assert_mem_eq(p.sb.remote_hash, a_hash, 32);
	ck_assert_uint_eq(p.rilen, a_rilen);
	ck_assert_mem_eq(p.ri, a_ri, a_rilen);
	ck_assert_int_eq(ntcp2_hs_reason(p.a), NTCP2_R_NORMAL);
	ck_assert_int_eq(ntcp2_hs_reason(p.b), NTCP2_R_NORMAL);
	/* both done: another call is an error */
	ck_assert_int_eq(bob_3(&p, p.m3, p.m3len), NTCP2_ERROR);
	pair_free(&p);
}
END_TEST

/* each handshake has its own keys */
START_TEST(test_handshake_fresh)
{
	struct pair	 p, q;

	handshake(&p);
	handshake(&q);
	ck_assert_mem_ne(p.sa.send.k, q.sa.send.k, 32);
	ck_assert_mem_ne(p.m1, q.m1, 64);
	pair_free(&p);
	pair_free(&q);
}
END_TEST

/* our Bob and a reference Alice agree, and on the data phase keys */
START_TEST(test_handshake_reference)
{
	uint8_t			 pl[RI_MAXLEN + 64];
	const uint8_t		 pad[] = { 254, 0, 2, 0, 0 };
	enum ntcp2_reason	 why;
	size_t			 len;

	len = ri_payload(pl, sizeof(pl), pad, sizeof(pad));
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_OK);
	/* no message 1 padding: nothing mixed into h for it */
	ck_assert_int_eq(ref_handshake_pad(pl, len, 0, &why), NTCP2_OK);
	ck_assert_int_eq(ref_handshake_pad(pl, len, NTCP2_PAD_MAX, &why),
	    NTCP2_OK);
	/* no padding block at all, as i2pd sends it */
	len = ri_payload(pl, sizeof(pl), NULL, 0);
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_OK);
}
END_TEST

/* our Alice and a reference Bob agree, and on the data phase keys */
START_TEST(test_alice_reference)
{
	struct pair		 p;
	struct ref		 r;
	struct ntcp2_dir	 ab, ba;
	uint8_t			*pl;
	size_t			 len;
	uint16_t		 padlen = _i == 0 ? 0 : _i == 1 ? 1 : 223;

	ck_assert_ptr_nonnull(pl = malloc(MSG3_MAX));
	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	len = ref_bob_msg2(&r, p.m1, p.m1len, padlen, NOW, p.m2);
	ck_assert_int_eq(alice_2(&p, p.m2, len), NTCP2_OK);
	ref_bob_msg3(&r, p.m3, p.m3len, pl);
	/* a RouterInfo block (not flooded) holding our RouterInfo */
	ck_assert_uint_eq(pl[0], NTCP2_B_ROUTERINFO);
	ck_assert_uint_eq(pl[1] << 8 | pl[2], 1 + a_rilen);
	ck_assert_uint_eq(pl[3], 0);
	ck_assert_mem_eq(pl + 4, a_ri, a_rilen);
	ck_assert_uint_eq(pl[4 + a_rilen], NTCP2_B_PADDING);
	ref_split(&r, &ab, &ba);
	same_dir(&p.sa.send, &ab);
	same_dir(&p.sa.recv, &ba);
	noise_wipe(&r.ss);
	pair_free(&p);
	free(pl);
}
END_TEST

static enum ntcp2_reason
alice_reason(uint16_t padlen, uint32_t tsb)
{
	struct pair		 p;
	struct ref		 r;
	enum ntcp2_reason	 why;
	uint8_t			 m[NTCP2_MSG2_LEN + 300];
	size_t			 len;
	int			 rv;

	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	len = ref_bob_msg2(&r, p.m1, p.m1len, padlen, tsb, m);
	rv = alice_2(&p, m, len);
	why = ntcp2_hs_reason(p.a);
	ck_assert_int_eq(rv, why == NTCP2_R_NORMAL ? NTCP2_OK : NTCP2_ERROR);
	noise_wipe(&r.ss);
	pair_free(&p);
	return why;
}

START_TEST(test_msg2_options)
{
	ck_assert_int_eq(alice_reason(223, NOW - 60), NTCP2_R_NORMAL);
	ck_assert_int_eq(alice_reason(0, NOW + 60), NTCP2_R_NORMAL);
	ck_assert_int_eq(alice_reason(224, NOW), NTCP2_R_PADDING_VIOLATION);
	ck_assert_int_eq(alice_reason(0, NOW + 61), NTCP2_R_CLOCK_SKEW);
	ck_assert_int_eq(alice_reason(0, NOW - 61), NTCP2_R_CLOCK_SKEW);
}
END_TEST

/* our Alice's message 1 read by hand, as the spec lays it out */
START_TEST(test_msg1_layout)
{
	struct pair	 p;
	struct noise_ss	 ss;
	uint8_t		 x[32], dh[32], opts[16];
	size_t		 padlen, m3p2len;
	uint32_t	 ts;

	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	ck_assert_int_eq(aes256_cbc_decrypt(x, b_hash, b_iv, p.m1, 32), 0);
	ck_assert_int_eq(noise_init(&ss, PROTO), 0);
	ck_assert_int_eq(noise_mix_hash(&ss, NULL, 0), 0);
	ck_assert_int_eq(noise_mix_hash(&ss, b_pub, 32), 0);
	ck_assert_int_eq(noise_mix_hash(&ss, x, 32), 0);
	ck_assert_int_eq(x25519(dh, b_priv, x), 0);
	ck_assert_int_eq(noise_mix_key(&ss, dh, 32), 0);
	ck_assert_int_eq(noise_decrypt_and_hash(&ss, opts, p.m1 + 32, 32), 0);
	ck_assert_uint_eq(opts[0], NETID);
	ck_assert_uint_eq(opts[1], 2);
	padlen = opts[2] << 8 | opts[3];
	m3p2len = opts[4] << 8 | opts[5];
	ts = (uint32_t)opts[8] << 24 | opts[9] << 16 | opts[10] << 8 | opts[11];
	ck_assert_uint_eq(p.m1len, 64 + padlen);
	ck_assert_uint_ge(m3p2len, 4 + a_rilen + 3 + 16);
	ck_assert_uint_le(m3p2len, 4 + a_rilen + 3 + 31 + 16);
	ck_assert_uint_eq(ts, NOW);
	ck_assert_uint_eq(opts[6] | opts[7] | opts[12] | opts[13] | opts[14] |
	    opts[15], 0);
	pair_free(&p);
}
END_TEST

/* seal on one side, open on the other, n frames of each length */
static void
transfer(struct ntcp2_dir *tx, struct ntcp2_dir *rx, const uint8_t *plain,
    size_t plen, uint8_t *frame)
{
	struct wbuf	 w;
	size_t		 len, olen;

	wbuf_init_fixed(&w, frame, NTCP2_FRAME_MAX + 2);
	ck_assert_int_eq(ntcp2_frame_seal(tx, plain, plen, &w), NTCP2_OK);
	ck_assert_uint_eq(wbuf_len(&w), plen + NTCP2_FRAME_OVERHEAD);
	ck_assert_int_eq(ntcp2_frame_len(rx, frame, &len), NTCP2_OK);
	ck_assert_uint_eq(len, plen + POLY1305_TAG_LEN);
	ck_assert_int_eq(ntcp2_frame_open(rx, frame + 2, len, &olen),
	    NTCP2_OK);
	ck_assert_uint_eq(olen, plen);
	if (plen > 0)
		ck_assert_mem_eq(frame + 2, plain, plen);
	same_dir(tx, rx);
}

START_TEST(test_frames)
{
	struct pair	 p;
	uint8_t		*plain, *frame, iv0[8];
	size_t		 len, i, nframes = 0;

	handshake(&p);
	ck_assert_ptr_nonnull(plain = malloc(PLAIN_MAX));
	ck_assert_ptr_nonnull(frame = malloc(NTCP2_FRAME_MAX + 2));
	ck_assert_int_eq(crypto_random(plain, PLAIN_MAX), 0);
	memcpy(iv0, p.sa.send.sip_iv, 8);
	/* every length up to 600, then a stride, then the largest */
	for (len = 0; len <= PLAIN_MAX; len += len < 600 ? 1 : 997) {
		transfer(&p.sa.send, &p.sb.recv, plain, len, frame);
		transfer(&p.sb.send, &p.sa.recv, plain + 1, len / 2, frame);
		nframes++;
	}
	transfer(&p.sa.send, &p.sb.recv, plain, PLAIN_MAX, frame);
	nframes++;
	ck_assert_uint_eq(p.sa.send.n, nframes);
	ck_assert_uint_eq(p.sb.recv.n, nframes);
	ck_assert_mem_ne(p.sa.send.sip_iv, iv0, 8);
	/* many small frames: the IV keeps running */
	for (i = 0; i < 5000; i++)
		transfer(&p.sa.send, &p.sb.recv, plain, i % 40, frame);
	free(plain);
	free(frame);
	pair_free(&p);
}
END_TEST

/* the length mask is htobe16(len ^ le16(SipHash(IV))), IV chained LE */
START_TEST(test_frame_mask)
{
	struct pair		 p;
	struct ntcp2_dir	 d;
	struct wbuf		 w;
	uint8_t			 frame[64], ivb[8];
	uint64_t		 iv;
	uint16_t		 want;
	int			 i, k;

	handshake(&p);
	memset(frame, 0x2e, sizeof(frame));
	for (i = 0; i < 20; i++) {
		d = p.sa.send;
		iv = siphash24(d.sip, d.sip_iv, 8);
		for (k = 0; k < 8; k++)
			ivb[k] = (uint8_t)(iv >> (8 * k));
		want = (uint16_t)((i + 16) ^ (iv & 0xffff));
		wbuf_init_fixed(&w, frame, sizeof(frame));
		ck_assert_int_eq(ntcp2_frame_seal(&p.sa.send, frame + 40, i,
		    &w), NTCP2_OK);
		ck_assert_uint_eq(frame[0], want >> 8);
		ck_assert_uint_eq(frame[1], want & 0xff);
		ck_assert_mem_eq(p.sa.send.sip_iv, ivb, 8);
	}
	pair_free(&p);
}
END_TEST

START_TEST(test_frame_limits)
{
	struct pair		 p;
	struct ntcp2_dir	 d;
	struct wbuf		 w;
	uint8_t			*buf, hdr[2];
	size_t			 len;

	handshake(&p);
	ck_assert_ptr_nonnull(buf = calloc(1, NTCP2_FRAME_MAX + 3));
	/* too long a plaintext; too small a buffer: nothing moves */
	d = p.sa.send;
	wbuf_init_fixed(&w, buf, NTCP2_FRAME_MAX + 3);
	ck_assert_int_eq(ntcp2_frame_seal(&p.sa.send, buf, PLAIN_MAX + 1, &w),
	    NTCP2_ERROR);
	same_dir(&p.sa.send, &d);
	wbuf_init_fixed(&w, buf, 2 + 16 + 9);
	ck_assert_int_eq(ntcp2_frame_seal(&p.sa.send, buf, 10, &w),
	    NTCP2_ERROR);
	same_dir(&p.sa.send, &d);
	/* a deobfuscated length under 16 */
	d = p.sb.recv;
	len = siphash24(d.sip, d.sip_iv, 8) & 0xffff;
	len ^= 15;
	hdr[0] = len >> 8;
	hdr[1] = len & 0xff;
	ck_assert_int_eq(ntcp2_frame_len(&p.sb.recv, hdr, &len), NTCP2_ERROR);
	/* frame_open on less than a tag or more than a frame */
	ck_assert_int_eq(ntcp2_frame_open(&p.sb.recv, buf, 15, &len),
	    NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_frame_open(&p.sb.recv, buf,
	    NTCP2_FRAME_MAX + 1, &len), NTCP2_ERROR);
	/* the last nonce is never used */
	p.sa.send.n = UINT64_MAX;
	wbuf_init_fixed(&w, buf, NTCP2_FRAME_MAX + 3);
	ck_assert_int_eq(ntcp2_frame_seal(&p.sa.send, buf, 1, &w),
	    NTCP2_ERROR);
	p.sb.recv.n = UINT64_MAX;
	ck_assert_int_eq(ntcp2_frame_open(&p.sb.recv, buf, 17, &len),
	    NTCP2_ERROR);
	free(buf);
	pair_free(&p);
}
END_TEST

/* every bit flipped, a replay, the wrong direction: AEAD failures */
START_TEST(test_frame_tamper)
{
	struct pair		 p;
	struct ntcp2_dir	 rx;
	struct wbuf		 w;
	uint8_t			 frame[64], copy[64], plain[30];
	size_t			 len, olen, i;
	int			 bit;

	handshake(&p);
	memset(plain, 0x61, sizeof(plain));
	wbuf_init_fixed(&w, frame, sizeof(frame));
	ck_assert_int_eq(ntcp2_frame_seal(&p.sa.send, plain, sizeof(plain),
	    &w), NTCP2_OK);
	len = sizeof(plain) + 16;
	for (i = 2; i < 2 + len; i++)
		for (bit = 0; bit < 8; bit++) {
			rx = p.sb.recv;
			memcpy(copy, frame, sizeof(frame));
			copy[i] ^= 1 << bit;
			ck_assert_int_eq(ntcp2_frame_open(&rx, copy + 2, len,
			    &olen), NTCP2_ERROR);
			ck_assert_uint_eq(rx.n, 0);
		}
	/* Alice's own receive key does not open her frames */
	memcpy(copy, frame, sizeof(frame));
	ck_assert_int_eq(ntcp2_frame_open(&p.sa.recv, copy + 2, len, &olen),
	    NTCP2_ERROR);
	/* opened once, the same frame again is a replay */
	memcpy(copy, frame, sizeof(frame));
	ck_assert_int_eq(ntcp2_frame_open(&p.sb.recv, copy + 2, len, &olen),
	    NTCP2_OK);
	memcpy(copy, frame, sizeof(frame));
	ck_assert_int_eq(ntcp2_frame_open(&p.sb.recv, copy + 2, len, &olen),
	    NTCP2_ERROR);
	pair_free(&p);
}
END_TEST

/*
 * Blocks
 */

#define MAXREC	16
struct rec {
	int		 n;
	uint8_t		 type[MAXREC];
	size_t		 len[MAXREC];
	const uint8_t	*body[MAXREC];
	int		 stop;		/* return this at block stop - 1 */
};

static int
rec_cb(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct rec	*r = arg;

	ck_assert_int_lt(r->n, MAXREC);
	r->type[r->n] = type;
	r->len[r->n] = len;
	r->body[r->n] = body;
	r->n++;
	if (r->stop != 0 && r->n == r->stop)
		return 42;
	return 0;
}

START_TEST(test_blocks_roundtrip)
{
	struct wbuf	 w;
	struct rec	 r = { 0 };
	uint8_t		 buf[512], i2np[20], ri[50];
	const uint8_t	 opts[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	const uint8_t	 ts[4] = { 0x65, 0x53, 0xf1, 0x00 };
	const uint8_t	 term[9] = { 0, 0, 0, 0, 0, 0, 0x01, 0x02, 7 };

	memset(i2np, 0x3c, sizeof(i2np));
	memset(ri, 0x5d, sizeof(ri));
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ntcp2_put_datetime(&w, 0x6553f100), 0);
	wbuf_put_u8(&w, NTCP2_B_OPTIONS);
	wbuf_put_u16(&w, sizeof(opts));
	wbuf_put_bytes(&w, opts, sizeof(opts));
	ck_assert_int_eq(ntcp2_put_routerinfo(&w, ri, sizeof(ri), 1), 0);
	ck_assert_int_eq(ntcp2_put_i2np(&w, i2np, sizeof(i2np)), 0);
	ck_assert_int_eq(ntcp2_put_i2np(&w, i2np, 9), 0);
	/* unknown types pass, to be ignored */
	wbuf_put_u8(&w, 224);
	wbuf_put_u16(&w, 0);
	ck_assert_int_eq(ntcp2_put_termination(&w, 0x0102, 7), 0);
	ck_assert_int_eq(ntcp2_put_padding(&w, 33), 0);
	ck_assert_int_eq(wbuf_error(&w), 0);
	ck_assert_int_eq(ntcp2_blocks(buf, wbuf_len(&w), rec_cb, &r), 0);
	ck_assert_int_eq(r.n, 8);
	ck_assert_uint_eq(r.type[0], NTCP2_B_DATETIME);
	ck_assert_uint_eq(r.len[0], 4);
	ck_assert_mem_eq(r.body[0], ts, 4);
	ck_assert_uint_eq(r.type[1], NTCP2_B_OPTIONS);
	ck_assert_mem_eq(r.body[1], opts, 12);
	ck_assert_uint_eq(r.type[2], NTCP2_B_ROUTERINFO);
	ck_assert_uint_eq(r.len[2], 1 + sizeof(ri));
	ck_assert_uint_eq(r.body[2][0], 1);	/* flood */
	ck_assert_mem_eq(r.body[2] + 1, ri, sizeof(ri));
	ck_assert_uint_eq(r.type[3], NTCP2_B_I2NP);
	ck_assert_uint_eq(r.len[3], sizeof(i2np));
	ck_assert_mem_eq(r.body[3], i2np, sizeof(i2np));
	ck_assert_uint_eq(r.len[4], 9);
	ck_assert_uint_eq(r.type[5], 224);
	ck_assert_uint_eq(r.len[5], 0);
	ck_assert_uint_eq(r.type[6], NTCP2_B_TERMINATION);
	ck_assert_mem_eq(r.body[6], term, 9);
	ck_assert_uint_eq(r.type[7], NTCP2_B_PADDING);
	ck_assert_uint_eq(r.len[7], 33);
	/* the callback's verdict comes back, and stops the walk */
	memset(&r, 0, sizeof(r));
	r.stop = 3;
	ck_assert_int_eq(ntcp2_blocks(buf, wbuf_len(&w), rec_cb, &r), 42);
	ck_assert_int_eq(r.n, 3);
	/* an empty frame has no blocks */
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(ntcp2_blocks(buf, 0, rec_cb, &r), 0);
	ck_assert_int_eq(r.n, 0);
}
END_TEST

struct bad_frame {
	const char	*what;
	uint8_t		 b[24];
	size_t		 len;
	int		 ok;
};

static const struct bad_frame frames[] = {
	{ "type only", { 0 }, 1, 0 },
	{ "half a size", { 0, 0 }, 2, 0 },
	{ "size past the end", { 3, 0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, 12,
	    0 },
	{ "datetime of 3", { 0, 0, 3, 1, 2, 3 }, 6, 0 },
	{ "datetime of 5", { 0, 0, 5, 1, 2, 3, 4, 5 }, 8, 0 },
	{ "datetime", { 0, 0, 4, 1, 2, 3, 4 }, 7, 1 },
	{ "i2np of 8", { 3, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8 }, 11, 0 },
	{ "termination of 8", { 4, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1 }, 11, 0 },
	{ "empty routerinfo", { 2, 0, 0 }, 3, 0 },
	{ "options of 11", { 1, 0, 11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 14,
	    0 },
	{ "padding not last", { 254, 0, 0, 0, 0, 4, 1, 2, 3, 4 }, 10, 0 },
	{ "two paddings", { 254, 0, 1, 0, 254, 0, 0 }, 7, 0 },
	{ "padding", { 254, 0, 1, 0 }, 4, 1 },
	{ "block after termination",
	    { 4, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4 }, 19,
	    0 },
	{ "padding after termination",
	    { 4, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 254, 0, 0 }, 15, 1 },
	{ "garbage after a good block", { 0, 0, 4, 1, 2, 3, 4, 9 }, 8, 0 },
};

START_TEST(test_blocks_malformed)
{
	const struct bad_frame	*f = &frames[_i];
	struct rec		 r = { 0 };
	int			 rv;

	rv = ntcp2_blocks(f->b, f->len, rec_cb, &r);
	ck_assert_msg(rv == (f->ok ? 0 : -1), "%s: %d", f->what, rv);
	/* a malformed frame delivers nothing, not even its good blocks */
	if (!f->ok)
		ck_assert_int_eq(r.n, 0);
}
END_TEST

START_TEST(test_block_builders)
{
	struct wbuf	 w;
	uint8_t		*buf, *src;

	ck_assert_ptr_nonnull(buf = calloc(1, 70000));
	ck_assert_ptr_nonnull(src = calloc(1, 70000));
	/* the largest bodies fit in one frame with their header */
	wbuf_init_fixed(&w, buf, 70000);
	ck_assert_int_eq(ntcp2_put_padding(&w, PLAIN_MAX - 3), 0);
	ck_assert_uint_eq(wbuf_len(&w), PLAIN_MAX);
	ck_assert_int_eq(ntcp2_blocks(buf, wbuf_len(&w), rec_cb,
	    &(struct rec){ 0 }), 0);
	wbuf_init_fixed(&w, buf, 70000);
	ck_assert_int_eq(ntcp2_put_padding(&w, PLAIN_MAX - 2), -1);
	ck_assert_int_ne(wbuf_error(&w), 0);
	wbuf_init_fixed(&w, buf, 70000);
	ck_assert_int_eq(ntcp2_put_routerinfo(&w, src, PLAIN_MAX - 4, 0), 0);
	wbuf_init_fixed(&w, buf, 70000);
	ck_assert_int_eq(ntcp2_put_routerinfo(&w, src, PLAIN_MAX - 3, 0), -1);
	wbuf_init_fixed(&w, buf, 70000);
	ck_assert_int_eq(ntcp2_put_i2np(&w, src, 8), -1);
	ck_assert_int_ne(wbuf_error(&w), 0);
	/* a full buffer fails */
	wbuf_init_fixed(&w, buf, 6);
	ck_assert_int_eq(ntcp2_put_datetime(&w, 1), -1);
	wbuf_init_fixed(&w, buf, 11);
	ck_assert_int_eq(ntcp2_put_termination(&w, 1, 2), -1);
	free(buf);
	free(src);
}
END_TEST

/*
 * Message 1
 */

/* random bytes: the AEAD fails, reason 11 (and nothing goes back) */
START_TEST(test_msg1_random)
{
	struct pair	 p;
	uint8_t		 m[NTCP2_MSG1_LEN];
	int		 i, rv;

	for (i = 0; i < 50; i++) {
		pair_init(&p);
		ck_assert_int_eq(crypto_random(m, sizeof(m)), 0);
		rv = bob_1(&p, m, sizeof(m));
		if (rv != -2) {
			ck_assert_int_eq(rv, NTCP2_ERROR);
			ck_assert_int_eq(ntcp2_hs_reason(p.b),
			    NTCP2_R_MSG1_ERROR);
			ck_assert_uint_eq(p.m2len, 0);
		}
		pair_free(&p);
	}
}
END_TEST

/* Alice with the wrong "i" or hash for Bob is as good as random */
START_TEST(test_msg1_wrong_iv)
{
	struct pair		 p;
	struct ntcp2_remote	 saved = bob_remote;

	if (_i < 16)
		bob_remote.iv[_i] ^= 1;
	else
		bob_remote.hash[_i - 16] ^= 0x40;
	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.b), NTCP2_R_MSG1_ERROR);
	pair_free(&p);
	bob_remote = saved;
}
END_TEST

static enum ntcp2_reason
bob_reason(uint8_t netid, uint8_t ver, uint16_t padlen, uint16_t m3p2len,
    uint32_t ts)
{
	struct pair		 p;
	struct ref		 r;
	enum ntcp2_reason	 why;
	uint8_t			 m[NTCP2_MSG1_LEN + 300];
	size_t			 len;
	int			 rv;

	pair_init(&p);
	len = ref_msg1(&r, netid, ver, padlen, m3p2len, ts, m);
	rv = bob_1(&p, m, len);
	why = ntcp2_hs_reason(p.b);
	ck_assert_int_eq(rv, why == NTCP2_R_NORMAL ? NTCP2_OK : NTCP2_ERROR);
	if (rv != NTCP2_OK)
		ck_assert_uint_eq(p.m2len, 0);
	pair_free(&p);
	noise_wipe(&r.ss);
	return why;
}

START_TEST(test_msg1_options)
{
	/* accepted: our netId or 0, padding up to 223, m3p2len >= 16 */
	ck_assert_int_eq(bob_reason(NETID, 2, 0, 16, NOW), NTCP2_R_NORMAL);
	ck_assert_int_eq(bob_reason(0, 2, 223, 1000, NOW), NTCP2_R_NORMAL);
	ck_assert_int_eq(bob_reason(NETID, 2, 7, 65487, NOW - 60),
	    NTCP2_R_NORMAL);
	ck_assert_int_eq(bob_reason(NETID, 2, 7, 100, NOW + 60),
	    NTCP2_R_NORMAL);
	/* refused */
	ck_assert_int_eq(bob_reason(2, 2, 0, 100, NOW),
	    NTCP2_R_INCOMPATIBLE_OPTIONS);
	ck_assert_int_eq(bob_reason(NETID, 1, 0, 100, NOW),
	    NTCP2_R_INCOMPATIBLE_OPTIONS);
	ck_assert_int_eq(bob_reason(NETID, 3, 0, 100, NOW),
	    NTCP2_R_INCOMPATIBLE_OPTIONS);
	ck_assert_int_eq(bob_reason(NETID, 2, 224, 100, NOW),
	    NTCP2_R_PADDING_VIOLATION);
	ck_assert_int_eq(bob_reason(NETID, 2, 0, 15, NOW),
	    NTCP2_R_MSG1_ERROR);
	ck_assert_int_eq(bob_reason(NETID, 2, 0, 65488, NOW),
	    NTCP2_R_MSG1_ERROR);
	ck_assert_int_eq(bob_reason(NETID, 2, 0, 100, NOW + 61),
	    NTCP2_R_CLOCK_SKEW);
	ck_assert_int_eq(bob_reason(NETID, 2, 0, 100, NOW - 61),
	    NTCP2_R_CLOCK_SKEW);
	ck_assert_int_eq(bob_reason(NETID, 2, 0, 100, 0),
	    NTCP2_R_CLOCK_SKEW);
}
END_TEST

/* our own Alice: another network, or a clock too far off */
START_TEST(test_msg1_netid_skew)
{
	struct ntcp2_local	 other = alice_local;
	struct pair		 p;

	other.netid = 2;
	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &other), NTCP2_OK);
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.b), NTCP2_R_INCOMPATIBLE_OPTIONS);
	pair_free(&p);

	pair_init(&p);
	ntcp2_hs_set_time(p.b, NOW + 61);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.b), NTCP2_R_CLOCK_SKEW);
	pair_free(&p);
}
END_TEST

/* padding of another length than announced */
START_TEST(test_msg1_padding_len)
{
	struct pair	 p;
	struct wbuf	 w;
	uint8_t		 pub[32], dh[32];
	size_t		 padlen, m3;

	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	ck_assert_int_eq(ntcp2_bob_msg1(p.b, &bob_local, p.m1, pub),
	    NTCP2_NEED_DH);
	ck_assert_int_eq(x25519(dh, b_priv, pub), 0);
	ck_assert_int_eq(ntcp2_bob_msg1_dh(p.b, dh, &padlen), NTCP2_OK);
	wbuf_init_fixed(&w, p.m2, sizeof(p.m2));
	ck_assert_int_eq(ntcp2_bob_msg1_padding(p.b, p.m1 + 64, padlen + 1,
	    &w, &m3), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.b), NTCP2_R_MSG1_ERROR);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	pair_free(&p);
}
END_TEST

/* tampered message 1 padding: Bob cannot tell, Alice can (reason 12) */
START_TEST(test_msg1_padding_tamper)
{
	struct pair	 p;

	do {
		pair_init(&p);
		ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
		if (p.m1len > NTCP2_MSG1_LEN)
			break;
		pair_free(&p);
	} while (1);
	p.m1[p.m1len - 1] ^= 0x80;
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_OK);
	ck_assert_int_eq(alice_2(&p, p.m2, p.m2len), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.a), NTCP2_R_MSG2_ERROR);
	pair_free(&p);
}
END_TEST

/*
 * Message 2
 */

START_TEST(test_msg2_tamper)
{
	struct pair	 p;

	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_OK);
	p.m2[_i] ^= 0x10;
	ck_assert_int_eq(alice_2(&p, p.m2, p.m2len), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.a), NTCP2_R_MSG2_ERROR);
	ck_assert_uint_eq(p.m3len, 0);
	pair_free(&p);
}
END_TEST

START_TEST(test_msg2_skew)
{
	struct pair	 p;

	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	ntcp2_hs_set_time(p.b, NOW - 30);
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_OK);
	ntcp2_hs_set_time(p.a, NOW + 31);
	ck_assert_int_eq(alice_2(&p, p.m2, p.m2len), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.a), NTCP2_R_CLOCK_SKEW);
	pair_free(&p);
}
END_TEST

/* tampered message 2 padding: Alice cannot tell, Bob can (reason 13) */
START_TEST(test_msg2_padding_tamper)
{
	struct pair	 p;

	do {
		pair_init(&p);
		ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
		ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_OK);
		if (p.m2len > NTCP2_MSG2_LEN)
			break;
		pair_free(&p);
	} while (1);
	p.m2[NTCP2_MSG2_LEN] ^= 1;
	ck_assert_int_eq(alice_2(&p, p.m2, p.m2len), NTCP2_OK);
	ck_assert_int_eq(bob_3(&p, p.m3, p.m3len), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.b), NTCP2_R_MSG3_ERROR);
	pair_free(&p);
}
END_TEST

/*
 * Message 3
 */

START_TEST(test_msg3_tamper)
{
	struct pair	 p;
	size_t		 at;

	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_OK);
	ck_assert_int_eq(alice_2(&p, p.m2, p.m2len), NTCP2_OK);
	/* in part 1, at the start of part 2, at the end (the tag) */
	at = _i == 0 ? 5 : _i == 1 ? NTCP2_MSG3P1_LEN : p.m3len - 1;
	p.m3[at] ^= 4;
	ck_assert_int_eq(bob_3(&p, p.m3, p.m3len), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.b), NTCP2_R_MSG3_ERROR);
	pair_free(&p);
}
END_TEST

/* not the length message 1 announced */
START_TEST(test_msg3_length)
{
	struct pair	 p;

	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &alice_local), NTCP2_OK);
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_OK);
	ck_assert_int_eq(alice_2(&p, p.m2, p.m2len), NTCP2_OK);
	ck_assert_int_eq(bob_3(&p, p.m3, p.m3len + (_i ? 1 : -1)),
	    NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(p.b), NTCP2_R_MSG3_ERROR);
	pair_free(&p);
}
END_TEST

/* our Alice sending a given RouterInfo: Bob's reason */
static enum ntcp2_reason
ri_reason(const uint8_t *ri, size_t rilen)
{
	struct ntcp2_local	 local = alice_local;
	struct pair		 p;
	enum ntcp2_reason	 why;
	int			 rv;

	local.ri = ri;
	local.rilen = rilen;
	pair_init(&p);
	ck_assert_int_eq(alice_1(&p, &local), NTCP2_OK);
	ck_assert_int_eq(bob_1(&p, p.m1, p.m1len), NTCP2_OK);
	ck_assert_int_eq(alice_2(&p, p.m2, p.m2len), NTCP2_OK);
	rv = bob_3(&p, p.m3, p.m3len);
	why = ntcp2_hs_reason(p.b);
	ck_assert_int_eq(rv, why == NTCP2_R_NORMAL ? NTCP2_OK : NTCP2_ERROR);
	/* a failed handshake leaves no keys behind */
	if (rv != NTCP2_OK) {
		ck_assert_uint_eq(p.sb.send.k[0] | p.sb.send.k[1], 0);
		ck_assert_uint_eq(p.rilen, 0);
	}
	pair_free(&p);
	return why;
}

START_TEST(test_msg3_ri)
{
	uint8_t	 ri[RI_MAXLEN], other[32];
	size_t	 len;

	ck_assert_int_eq(ri_reason(a_ri, a_rilen), NTCP2_R_NORMAL);
	/* "s" is not the key of message 3 part 1 */
	memcpy(other, a_pub, 32);
	other[0] ^= 1;
	len = make_ri(ri, other, "NTCP2", "99", NOW * 1000ULL, NULL);
	ck_assert_int_eq(ri_reason(ri, len), NTCP2_R_S_MISMATCH);
	/* no NTCP2 address at all */
	len = make_ri(ri, a_pub, "SSU2", "99", NOW * 1000ULL, NULL);
	ck_assert_int_eq(ri_reason(ri, len), NTCP2_R_S_MISMATCH);
	/* the signature does not verify */
	memcpy(ri, a_ri, a_rilen);
	ri[a_rilen - 1] ^= 1;
	ck_assert_int_eq(ri_reason(ri, a_rilen), NTCP2_R_RI_SIG_FAILURE);
	ri[a_rilen - 1] ^= 1;
	ri[a_rilen - 70] ^= 1;		/* a signed byte */
	ck_assert_int_eq(ri_reason(ri, a_rilen), NTCP2_R_RI_SIG_FAILURE);
	/* not a RouterInfo */
	ck_assert_int_eq(ri_reason(ri, 100), NTCP2_R_RI_SIG_FAILURE);
	/* another network, or none said */
	len = make_ri(ri, a_pub, "NTCP2", "2", NOW * 1000ULL, NULL);
	ck_assert_int_eq(ri_reason(ri, len), NTCP2_R_INCOMPATIBLE_OPTIONS);
	len = make_ri(ri, a_pub, "NTCP2", NULL, NOW * 1000ULL, NULL);
	ck_assert_int_eq(ri_reason(ri, len), NTCP2_R_INCOMPATIBLE_OPTIONS);
	/* older than 90 minutes, or just not */
	len = make_ri(ri, a_pub, "NTCP2", "99", (NOW - 5401) * 1000ULL, NULL);
	ck_assert_int_eq(ri_reason(ri, len), NTCP2_R_MSG3_ERROR);
	len = make_ri(ri, a_pub, "NTCP2", "99", (NOW - 5400) * 1000ULL, NULL);
	ck_assert_int_eq(ri_reason(ri, len), NTCP2_R_NORMAL);
	/* the old "NTCP" style with "s" still counts */
	len = make_ri(ri, a_pub, "NTCP", "99", NOW * 1000ULL, NULL);
	ck_assert_int_eq(ri_reason(ri, len), NTCP2_R_NORMAL);
}
END_TEST

/* what may be in message 3 part 2, from the reference Alice */
START_TEST(test_msg3_blocks)
{
	uint8_t			 pl[RI_MAXLEN + 64], riblk[RI_MAXLEN + 8];
	const uint8_t		 opts[] = { 1, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0,
				    0, 0, 0, 0 };
	const uint8_t		 optspad[] = { 1, 0, 12, 0, 0, 0, 0, 0, 0, 0,
				    0, 0, 0, 0, 0, 254, 0, 1, 0 };
	const uint8_t		 dt[] = { 0, 0, 4, 1, 2, 3, 4 };
	const uint8_t		 i2np[] = { 3, 0, 9, 1, 0, 0, 0, 1, 0, 0, 0,
				    1 };
	const uint8_t		 pad2[] = { 254, 0, 0, 254, 0, 0 };
	const uint8_t		 unknown[] = { 224, 0, 0 };
	const uint8_t		 short_rb[] = { 2, 0, 0 };
	enum ntcp2_reason	 why;
	size_t			 len, rlen;

	/* RouterInfo, Options, Padding: fine */
	len = ri_payload(pl, sizeof(pl), opts, sizeof(opts));
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_OK);
	len = ri_payload(pl, sizeof(pl), optspad, sizeof(optspad));
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_OK);
	/* other blocks after the RouterInfo */
	len = ri_payload(pl, sizeof(pl), dt, sizeof(dt));
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_ERROR);
	ck_assert_int_eq(why, NTCP2_R_MSG3_ERROR);
	len = ri_payload(pl, sizeof(pl), i2np, sizeof(i2np));
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_ERROR);
	len = ri_payload(pl, sizeof(pl), unknown, sizeof(unknown));
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_ERROR);
	len = ri_payload(pl, sizeof(pl), pad2, sizeof(pad2));
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_ERROR);
	/* two RouterInfos */
	rlen = ri_payload(riblk, sizeof(riblk), NULL, 0);
	len = ri_payload(pl, sizeof(pl), riblk, rlen);
	ck_assert_int_eq(ref_handshake(pl, len, &why), NTCP2_ERROR);
	/* no RouterInfo: padding only, nothing, options first */
	ck_assert_int_eq(ref_handshake(optspad + 15, 4, &why), NTCP2_ERROR);
	ck_assert_int_eq(why, NTCP2_R_MSG3_ERROR);
	ck_assert_int_eq(ref_handshake(pl, 0, &why), NTCP2_ERROR);
	memcpy(pl, opts, sizeof(opts));
	memcpy(pl + sizeof(opts), riblk, rlen);
	ck_assert_int_eq(ref_handshake(pl, sizeof(opts) + rlen, &why),
	    NTCP2_ERROR);
	ck_assert_int_eq(why, NTCP2_R_MSG3_ERROR);
	/* a RouterInfo block without even its flag; one cut short */
	ck_assert_int_eq(ref_handshake(short_rb, sizeof(short_rb), &why),
	    NTCP2_ERROR);
	ck_assert_int_eq(ref_handshake(riblk, rlen - 1, &why), NTCP2_ERROR);
	ck_assert_int_eq(why, NTCP2_R_MSG3_ERROR);
	/* the block's size fits but the RouterInfo is one byte short */
	memcpy(pl, riblk, rlen - 1);
	pl[1] = (rlen - 4) >> 8;
	pl[2] = (rlen - 4) & 0xff;
	ck_assert_int_eq(ref_handshake(pl, rlen - 1, &why), NTCP2_ERROR);
	ck_assert_int_eq(why, NTCP2_R_RI_SIG_FAILURE);
}
END_TEST

/*
 * The API used out of order
 */

START_TEST(test_misuse)
{
	struct ntcp2_hs		*hs;
	struct ntcp2_session	 s;
	struct wbuf		 w;
	uint8_t			 buf[MSG12_MAX], dh[32] = { 9 };
	const uint8_t		*ri;
	size_t			 len;

	ck_assert_ptr_nonnull(hs = ntcp2_hs_new());
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ntcp2_alice_msg3(hs, dh, &w, &s), NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(hs), NTCP2_R_MSG3_ERROR);
	/* once failed, always failed, the first reason kept */
	ck_assert_int_eq(ntcp2_alice_start(hs, &alice_local, &bob_remote, &w),
	    NTCP2_ERROR);
	ck_assert_int_eq(ntcp2_hs_reason(hs), NTCP2_R_MSG3_ERROR);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	ntcp2_hs_free(hs);

	/* Alice cannot act as Bob, nor skip a step */
	ck_assert_ptr_nonnull(hs = ntcp2_hs_new());
	ntcp2_hs_set_time(hs, NOW);
	ck_assert_int_eq(ntcp2_alice_start(hs, &alice_local, &bob_remote, &w),
	    NTCP2_OK);
	ck_assert_int_eq(ntcp2_bob_msg3(hs, buf, 100, &s, &ri, &len),
	    NTCP2_ERROR);
	ntcp2_hs_free(hs);

	/* a message 1 buffer too small for Alice */
	ck_assert_ptr_nonnull(hs = ntcp2_hs_new());
	wbuf_init_fixed(&w, buf, 63);
	ck_assert_int_eq(ntcp2_alice_start(hs, &alice_local, &bob_remote, &w),
	    NTCP2_ERROR);
	ntcp2_hs_free(hs);

	/* no RouterInfo to send */
	ck_assert_ptr_nonnull(hs = ntcp2_hs_new());
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ntcp2_alice_start(hs, &bob_local, &bob_remote, &w),
	    NTCP2_ERROR);
	ntcp2_hs_free(hs);
	ntcp2_hs_free(NULL);
}
END_TEST

static Suite *
ntcp2_suite(void)
{
	Suite	*s = suite_create("ntcp2");
	TCase	*tc;

	tc = tcase_create("handshake");
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_handshake);
	tcase_add_test(tc, test_handshake_fresh);
	tcase_add_test(tc, test_handshake_reference);
	tcase_add_loop_test(tc, test_alice_reference, 0, 3);
	tcase_add_test(tc, test_msg1_layout);
	suite_add_tcase(s, tc);

	tc = tcase_create("data");
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_frames);
	tcase_add_test(tc, test_frame_mask);
	tcase_add_test(tc, test_frame_limits);
	tcase_add_test(tc, test_frame_tamper);
	suite_add_tcase(s, tc);

	tc = tcase_create("blocks");
	tcase_add_test(tc, test_blocks_roundtrip);
	tcase_add_loop_test(tc, test_blocks_malformed, 0,
	    sizeof(frames) / sizeof(frames[0]));
	tcase_add_test(tc, test_block_builders);
	suite_add_tcase(s, tc);

	tc = tcase_create("malformed");
	tcase_add_unchecked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_msg1_random);
	tcase_add_loop_test(tc, test_msg1_wrong_iv, 0, 48);
	tcase_add_test(tc, test_msg1_options);
	tcase_add_test(tc, test_msg1_netid_skew);
	tcase_add_test(tc, test_msg1_padding_len);
	tcase_add_test(tc, test_msg1_padding_tamper);
	tcase_add_loop_test(tc, test_msg2_tamper, 0, NTCP2_MSG2_LEN);
	tcase_add_test(tc, test_msg2_skew);
	tcase_add_test(tc, test_msg2_options);
	tcase_add_test(tc, test_msg2_padding_tamper);
	tcase_add_loop_test(tc, test_msg3_tamper, 0, 3);
	tcase_add_loop_test(tc, test_msg3_length, 0, 2);
	tcase_add_test(tc, test_msg3_ri);
	tcase_add_test(tc, test_msg3_blocks);
	tcase_add_test(tc, test_misuse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(ntcp2_suite());
}
