/*
 * Unit tests of netd/ssu2_hdr.c and ssu2_long.c: SSU2 headers, header
 * protection, and the messages outside Noise (Peer Test, Hole Punch).
 *
 * The masks are checked against ChaCha20 keystream computed from block
 * counter 0 (bytes 64-71 are block 1's first 8), so a mistake in the
 * counter i2pd uses would show; the long header's second part likewise.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "unit.h"
#include "../../netd/ssu2.h"

static uint8_t	 k1[32], k2[32];

static void
setup(void)
{
	unit_fill(k1, sizeof(k1), 1);
	unit_fill(k2, sizeof(k2), 2);
}

/* a packet: the plaintext header of h, then n bytes of "ciphertext" */
static size_t
make_pkt(uint8_t *pkt, size_t cap, const struct ssu2_hdr *h, size_t n)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, pkt, cap);
	ck_assert_int_eq(ssu2_hdr_put(&w, h), 0);
	if (h->type == SSU2_SESSION_REQUEST || h->type == SSU2_SESSION_CREATED)
		n += 32;		/* X or Y */
	ck_assert_int_le(wbuf_len(&w) + n, cap);
	unit_fill(pkt + wbuf_len(&w), n, 3);
	return wbuf_len(&w) + n;
}

static void
hdr_init(struct ssu2_hdr *h, uint8_t type)
{
	memset(h, 0, sizeof(*h));
	h->dst_id = 0x0102030405060708ULL;
	h->pkt_num = 0xa1b2c3d4;
	h->type = type;
	h->flags[0] = 2;
	h->flags[1] = 99;
	h->src_id = 0x1112131415161718ULL;
	h->token = 0xfedcba9876543210ULL;
}

START_TEST(short_roundtrip)
{
	struct ssu2_hdr	 h, g;
	uint8_t		 pkt[200], copy[200], plain[SSU2_EPH_HDR];
	size_t		 len;
	uint64_t	 id;

	hdr_init(&h, SSU2_DATA);
	len = make_pkt(pkt, sizeof(pkt), &h, 40);
	memcpy(copy, pkt, len);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), 0);
	/* only the header changes */
	ck_assert_mem_ne(pkt, copy, 16);
	ck_assert_mem_eq(pkt + 16, copy + 16, len - 16);
	ck_assert_int_eq(ssu2_hdr_open(pkt, len, k1, k2, plain, &g), 16);
	ck_assert_mem_eq(plain, copy, 16);
	ck_assert(g.dst_id == h.dst_id);
	ck_assert_uint_eq(g.pkt_num, h.pkt_num);
	ck_assert_uint_eq(g.type, SSU2_DATA);
	ck_assert_mem_eq(g.flags, h.flags, 3);
	ck_assert_int_eq(ssu2_hdr_peek_id(pkt, len, k1, &id), 0);
	ck_assert(id == h.dst_id);
	/* the wrong k2 garbles bytes 8-15, the wrong k1 the ID */
	ssu2_hdr_open(pkt, len, k1, k1, plain, &g);
	ck_assert_mem_eq(plain, copy, 8);
	ck_assert_mem_ne(plain + 8, copy + 8, 8);
	ck_assert_int_eq(ssu2_hdr_peek_id(pkt, len, k2, &id), 0);
	ck_assert(id != h.dst_id);
}
END_TEST

/* bytes 0-7 masked with ChaCha20(k1, last 24..13) at block counter 1 */
START_TEST(mask_counter_one)
{
	struct ssu2_hdr	 h;
	uint8_t		 pkt[100], copy[100], ks[72], zero[72] = { 0 };
	size_t		 len, i;

	hdr_init(&h, SSU2_DATA);
	len = make_pkt(pkt, sizeof(pkt), &h, 30);
	memcpy(copy, pkt, len);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), 0);
	ck_assert_int_eq(chacha20(ks, k1, pkt + len - 24, 0, zero, 72), 0);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(pkt[i] ^ copy[i], ks[64 + i]);
	ck_assert_int_eq(chacha20(ks, k2, pkt + len - 12, 0, zero, 72), 0);
	for (i = 0; i < 8; i++)
		ck_assert_uint_eq(pkt[8 + i] ^ copy[8 + i], ks[64 + i]);
}
END_TEST

START_TEST(long_roundtrip)
{
	static const uint8_t	 types[] = { SSU2_TOKEN_REQUEST, SSU2_RETRY,
	    SSU2_PEER_TEST, SSU2_HOLE_PUNCH };
	struct ssu2_hdr	 h, g;
	uint8_t		 pkt[200], copy[200], plain[SSU2_EPH_HDR];
	uint8_t		 ks[96], zero[96] = { 0 }, nonce[12] = { 0 };
	size_t		 len, i;

	for (i = 0; i < sizeof(types); i++) {
		hdr_init(&h, types[i]);
		len = make_pkt(pkt, sizeof(pkt), &h, 24);
		memcpy(copy, pkt, len);
		ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), 0);
		ck_assert_mem_eq(pkt + 32, copy + 32, len - 32);
		ck_assert_int_eq(ssu2_hdr_open(pkt, len, k1, k2, plain, &g),
		    32);
		ck_assert_mem_eq(plain, copy, 32);
		ck_assert(g.src_id == h.src_id && g.token == h.token);
		ck_assert_uint_eq(g.type, types[i]);
	}
	/* bytes 16-31: ChaCha20(k2, zero nonce) from block counter 1 */
	ck_assert_int_eq(chacha20(ks, k2, nonce, 0, zero, 96), 0);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(pkt[16 + i] ^ copy[16 + i], ks[64 + i]);
}
END_TEST

START_TEST(ephemeral_roundtrip)
{
	struct ssu2_hdr	 h, g;
	uint8_t		 pkt[200], copy[200], plain[SSU2_EPH_HDR];
	size_t		 len;

	hdr_init(&h, SSU2_SESSION_REQUEST);
	len = make_pkt(pkt, sizeof(pkt), &h, 24);
	memcpy(copy, pkt, len);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), 0);
	/* X is encrypted too, the payload is not */
	ck_assert_mem_ne(pkt + 32, copy + 32, 32);
	ck_assert_mem_eq(pkt + 64, copy + 64, len - 64);
	ck_assert_int_eq(ssu2_hdr_open(pkt, len, k1, k2, plain, &g), 64);
	ck_assert_mem_eq(plain, copy, 64);
	ck_assert_uint_eq(g.type, SSU2_SESSION_REQUEST);
}
END_TEST

/* each type's minimum: its header, 8 bytes of payload, the MAC */
START_TEST(too_short)
{
	struct ssu2_hdr	 h, g;
	uint8_t		 pkt[200], plain[SSU2_EPH_HDR];
	uint64_t	 id;
	size_t		 len;

	hdr_init(&h, SSU2_DATA);
	len = make_pkt(pkt, sizeof(pkt), &h, 24);
	ck_assert_uint_eq(len, SSU2_PKT_MIN);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), 0);
	ck_assert_int_eq(ssu2_hdr_open(pkt, len, k1, k2, plain, &g), 16);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len - 1, k1, k2), -1);
	ck_assert_int_eq(ssu2_hdr_open(pkt, len - 1, k1, k2, plain, &g), -1);
	ck_assert_int_eq(ssu2_hdr_peek_id(pkt, 0, k1, &id), -1);
	ck_assert_int_eq(ssu2_hdr_open(pkt, 0, k1, k2, plain, &g), -1);

	hdr_init(&h, SSU2_RETRY);
	len = make_pkt(pkt, sizeof(pkt), &h, 23);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), -1);
	len = make_pkt(pkt, sizeof(pkt), &h, 24);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), 0);
	/* one byte less moves the masks: whatever type comes out, not this */
	ck_assert_int_ne(ssu2_hdr_open(pkt, len - 1, k1, k2, plain, &g), 32);

	hdr_init(&h, SSU2_SESSION_CREATED);
	len = make_pkt(pkt, sizeof(pkt), &h, 24);
	ck_assert_uint_eq(len, 88);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len - 1, k1, k2), -1);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), 0);
	ck_assert_int_ne(ssu2_hdr_open(pkt, len - 1, k1, k2, plain, &g), 64);
	/* a Created header on 87 bytes is refused whatever the keys */
	hdr_init(&h, SSU2_SESSION_CREATED);
	len = make_pkt(pkt, sizeof(pkt), &h, 23);
	ck_assert_int_eq(ssu2_hdr_seal(pkt, len, k1, k2), -1);
}
END_TEST

START_TEST(long_types)
{
	ck_assert(ssu2_is_long(SSU2_SESSION_REQUEST));
	ck_assert(ssu2_is_long(SSU2_TOKEN_REQUEST));
	ck_assert(!ssu2_is_long(SSU2_SESSION_CONFIRMED));
	ck_assert(!ssu2_is_long(SSU2_DATA));
	ck_assert(!ssu2_is_long(200));
}
END_TEST

/* the protocol name's hash as SPECMAP (and i2pd's Crypto.cpp) has it */
START_TEST(protocol_hash)
{
	static const uint8_t	 want[4] = { 0xb1, 0x37, 0x22, 0x81 };
	static const char	 name[] =
	    "Noise_XKchaobfse+hs1+hs2+hs3_25519_ChaChaPoly_SHA256";
	uint8_t			 h[32];

	ck_assert_uint_eq(strlen(name), 52);
	ck_assert_int_eq(sha256(h, name, strlen(name)), 0);
	ck_assert_mem_eq(h, want, sizeof(want));
}
END_TEST

START_TEST(nonce_ids)
{
	uint64_t	 dst, src;

	ssu2_nonce_ids(0x01020304, &dst, &src);
	ck_assert(dst == 0x0102030401020304ULL);
	ck_assert(src == 0xfefdfcfbfefdfcfbULL);
}
END_TEST

/* Peer Test message 5 from Charlie, Hole Punch: seal, open, walk */
static int
count_cb(void *arg, uint8_t type, const uint8_t *body, size_t len)
{
	struct ssu2_blk	 b;

	ck_assert_int_eq(ssu2_blk_parse(type, body, len, &b), 0);
	(*(int *)arg)++;
	return 0;
}

START_TEST(out_of_session)
{
	static const uint8_t	 types[] = { SSU2_PEER_TEST, SSU2_HOLE_PUNCH };
	struct ssu2_peertest	 t;
	struct ssu2_hdr		 h, g;
	struct wbuf		 w;
	uint8_t			 payload[128], pkt[256], plain[SSU2_PKT_MAX];
	size_t			 i, plen, len;
	int			 n;

	memset(&t, 0, sizeof(t));
	t.msg = 5;
	t.ver = 2;
	t.nonce = 77;
	t.ts = 1700000000;
	t.addr.port = 9;
	t.addr.iplen = 4;
	for (i = 0; i < sizeof(types); i++) {
		wbuf_init_fixed(&w, payload, sizeof(payload));
		ssu2_put_datetime(&w, 1700000000);
		ssu2_put_peertest(&w, &t);
		ssu2_put_padding(&w, 5);
		plen = wbuf_len(&w);
		hdr_init(&h, types[i]);
		ssu2_nonce_ids(t.nonce, &h.dst_id, &h.src_id);
		wbuf_init_fixed(&w, pkt, sizeof(pkt));
		ck_assert_int_eq(ssu2_long_seal(&h, k1, payload, plen, &w), 0);
		len = wbuf_len(&w);
		ck_assert_uint_eq(len, 32 + plen + 16);
		ck_assert_int_eq(ssu2_long_open(pkt, len, k1, types[i], &g,
		    plain, &plen), 0);
		ck_assert(g.dst_id == h.dst_id && g.src_id == h.src_id);
		ck_assert_int_eq(ssu2_long_check(&g, 99), SSU2_R_NORMAL);
		ck_assert_int_eq(ssu2_long_check(&g, 2), SSU2_R_WRONG_NETID);
		n = 0;
		ck_assert_int_eq(ssu2_blocks(plain, plen, count_cb, &n), 0);
		ck_assert_int_eq(n, 3);
		/* another key, another type, a flipped bit: refused */
		ck_assert_int_eq(ssu2_long_open(pkt, len, k2, types[i], &g,
		    plain, &plen), -1);
		ck_assert_int_eq(ssu2_long_open(pkt, len, k1, SSU2_RETRY, &g,
		    plain, &plen), -1);
		pkt[40] ^= 1;
		ck_assert_int_eq(ssu2_long_open(pkt, len, k1, types[i], &g,
		    plain, &plen), -1);
	}
	/* short payloads and short headers cannot be sealed */
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(ssu2_long_seal(&h, k1, payload, 7, &w), -1);
	h.type = SSU2_DATA;
	ck_assert_int_eq(ssu2_long_seal(&h, k1, payload, 8, &w), -1);
	h.type = SSU2_PEER_TEST;
	h.flags[0] = 3;
	ck_assert_int_eq(ssu2_long_check(&h, 99), SSU2_R_INCOMPATIBLE_VERSION);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("netd_ssu2_hdr");
	TCase	*tc = tcase_create("hdr");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, short_roundtrip);
	tcase_add_test(tc, mask_counter_one);
	tcase_add_test(tc, long_roundtrip);
	tcase_add_test(tc, ephemeral_roundtrip);
	tcase_add_test(tc, too_short);
	tcase_add_test(tc, long_types);
	tcase_add_test(tc, protocol_hash);
	tcase_add_test(tc, nonce_ids);
	tcase_add_test(tc, out_of_session);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
