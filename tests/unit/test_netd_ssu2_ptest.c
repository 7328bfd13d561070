/*
 * Unit tests of netd/ssu2_ptest.c: what Alice and Charlie sign in a
 * peer test, the check of those signatures, and messages 5-7 sealed and
 * opened, with forged, truncated and misdirected packets refused.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "unit.h"
#include "../../netd/ssu2.h"

static uint8_t	 ikey[32], bhash[32], ahash[32], seed[32], spub[32];
static struct i2p_ident	 id;
static uint8_t	 sig[64];

static void
setup(void)
{
	uint8_t	 x[32], pad[32];

	unit_fill(ikey, sizeof(ikey), 1);
	unit_fill(bhash, sizeof(bhash), 2);
	unit_fill(ahash, sizeof(ahash), 3);
	unit_fill(x, sizeof(x), 4);
	unit_fill(pad, sizeof(pad), 5);
	ck_assert_int_eq(ed25519_keygen(seed, spub), 0);
	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, x, spub, pad), 0);
}

/* a message 1-7 block's fields for Alice at 198.18.0.1:20000 */
static void
fill(struct ssu2_peertest *t, uint8_t msg)
{
	static const uint8_t ip[4] = { 198, 18, 0, 1 };

	memset(t, 0, sizeof(*t));
	t->msg = msg;
	t->ver = 2;
	t->nonce = 0x01020304;
	t->ts = 1700000000;
	t->addr.iplen = 4;
	t->addr.port = 20000;
	memcpy(t->addr.ip, ip, 4);
}

/* t signed as the spec says: by Alice (ah NULL) or Charlie */
static void
sign(struct ssu2_peertest *t, const uint8_t *ah)
{
	uint8_t		 buf[SSU2_PT_SIGDATA_MAX];
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ssu2_pt_sigdata(&w, bhash, ah, t), 0);
	ck_assert_int_eq(ed25519_sign(sig, seed, buf, wbuf_len(&w)), 0);
	t->sig = sig;
	t->siglen = sizeof(sig);
}

START_TEST(sigdata_layout)
{
	struct ssu2_peertest	 t;
	uint8_t			 buf[SSU2_PT_SIGDATA_MAX];
	struct wbuf		 w;

	fill(&t, 1);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ssu2_pt_sigdata(&w, bhash, NULL, &t), 0);
	/* prologue, Bob's hash, ver, nonce, ts, asz, port, IPv4 */
	ck_assert_uint_eq(wbuf_len(&w), 16 + 32 + 1 + 4 + 4 + 1 + 2 + 4);
	ck_assert_mem_eq(buf, "PeerTestValidate", 16);
	ck_assert_mem_eq(buf + 16, bhash, 32);
	ck_assert_uint_eq(buf[48], 2);
	ck_assert_uint_eq(buf[57], 6);
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ssu2_pt_sigdata(&w, bhash, ahash, &t), 0);
	ck_assert_mem_eq(buf + 48, ahash, 32);
	/* IPv6: the largest, which the bound must hold */
	t.addr.iplen = 16;
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ssu2_pt_sigdata(&w, bhash, ahash, &t), 0);
	ck_assert_uint_eq(wbuf_len(&w), SSU2_PT_SIGDATA_MAX);
}
END_TEST

START_TEST(verify_alice_and_charlie)
{
	struct ssu2_peertest	 t;

	fill(&t, 1);
	sign(&t, NULL);
	ck_assert_int_eq(ssu2_pt_verify(&id, bhash, NULL, &t), 0);
	/* Charlie's covers Alice's hash too: Alice's does not pass */
	ck_assert_int_eq(ssu2_pt_verify(&id, bhash, ahash, &t), -1);
	sign(&t, ahash);
	ck_assert_int_eq(ssu2_pt_verify(&id, bhash, ahash, &t), 0);
	/* another Bob, nonce, address or a bit of the signature: refused */
	ck_assert_int_eq(ssu2_pt_verify(&id, ahash, ahash, &t), -1);
	t.nonce++;
	ck_assert_int_eq(ssu2_pt_verify(&id, bhash, ahash, &t), -1);
	t.nonce--;
	t.addr.port++;
	ck_assert_int_eq(ssu2_pt_verify(&id, bhash, ahash, &t), -1);
	t.addr.port--;
	sig[10] ^= 1;
	ck_assert_int_eq(ssu2_pt_verify(&id, bhash, ahash, &t), -1);
	sig[10] ^= 1;
	/* no signature, or a short one */
	t.siglen = 63;
	ck_assert_int_eq(ssu2_pt_verify(&id, bhash, ahash, &t), -1);
	t.sig = NULL;
	t.siglen = 0;
	ck_assert_int_eq(ssu2_pt_verify(&id, bhash, ahash, &t), -1);
}
END_TEST

static size_t
seal(uint8_t *pkt, size_t cap, uint8_t msg, const struct ssu2_addr *a)
{
	struct ssu2_peertest	 t;
	struct wbuf		 w;

	fill(&t, msg);
	sign(&t, ahash);
	wbuf_init_fixed(&w, pkt, cap);
	ck_assert_int_eq(ssu2_pt_seal(2, ikey, 77, &t, a, 1700000001, &w), 0);
	return wbuf_len(&w);
}

START_TEST(oob_roundtrip)
{
	uint8_t			 pkt[SSU2_PKT_MAX];
	struct ssu2_pt_msg	 m;
	struct ssu2_addr	 a;
	uint64_t		 n = 0x0102030401020304ULL;
	size_t			 len;
	uint8_t			 msg;

	memset(&a, 0, sizeof(a));
	a.iplen = 4;
	a.port = 12345;
	for (msg = 5; msg <= 7; msg++) {
		len = seal(pkt, sizeof(pkt), msg, msg == 5 ? NULL : &a);
		ck_assert_int_eq(ssu2_pt_open(pkt, len, ikey, 2, &m), 0);
		ck_assert_uint_eq(m.pt.msg, msg);
		ck_assert_uint_eq(m.pt.nonce, 0x01020304);
		ck_assert_uint_eq(m.ts, 1700000001);
		ck_assert_uint_eq(m.h.pkt_num, 77);
		ck_assert_uint_eq(m.addr.iplen, msg == 5 ? 0 : 4);
		/* toward Alice the nonce is the destination ID */
		ck_assert(m.h.dst_id == (msg == 6 ? ~n : n));
		ck_assert_int_eq(ssu2_pt_verify(&id, bhash, ahash, &m.pt), 0);
	}
}
END_TEST

START_TEST(oob_refused)
{
	uint8_t			 pkt[SSU2_PKT_MAX], other[32];
	struct ssu2_peertest	 t;
	struct ssu2_pt_msg	 m;
	struct ssu2_addr	 a;
	struct wbuf		 w;
	size_t			 len, i;

	memset(&a, 0, sizeof(a));
	a.iplen = 4;
	len = seal(pkt, sizeof(pkt), 7, &a);
	/* another key, another network */
	unit_fill(other, sizeof(other), 9);
	ck_assert_int_eq(ssu2_pt_open(pkt, len, other, 2, &m), -1);
	ck_assert_int_eq(ssu2_pt_open(pkt, len, ikey, 3, &m), -1);
	/* every truncation, and every flipped byte */
	for (i = 0; i < len; i++)
		ck_assert_int_eq(ssu2_pt_open(pkt, i, ikey, 2, &m), -1);
	for (i = 0; i < len; i++) {
		pkt[i] ^= 0x40;
		ck_assert_int_eq(ssu2_pt_open(pkt, len, ikey, 2, &m), -1);
		pkt[i] ^= 0x40;
	}
	ck_assert_int_eq(ssu2_pt_open(pkt, len, ikey, 2, &m), 0);
	/* builders: 1-4 are in-session; the address only with 6 and 7 */
	fill(&t, 4);
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(ssu2_pt_seal(2, ikey, 1, &t, &a, 0, &w), -1);
	fill(&t, 5);
	ck_assert_int_eq(ssu2_pt_seal(2, ikey, 1, &t, &a, 0, &w), -1);
	fill(&t, 6);
	ck_assert_int_eq(ssu2_pt_seal(2, ikey, 1, &t, NULL, 0, &w), -1);
}
END_TEST

/* a sealed packet of our own making whose blocks or IDs are wrong */
static int
open_forged(const uint8_t *payload, size_t plen, uint64_t dst)
{
	uint8_t			 pkt[SSU2_PKT_MAX];
	struct ssu2_pt_msg	 m;
	struct ssu2_hdr		 h;
	struct wbuf		 w;

	memset(&h, 0, sizeof(h));
	h.type = SSU2_PEER_TEST;
	h.flags[0] = SSU2_VERSION;
	h.flags[1] = 2;
	h.dst_id = dst;
	h.src_id = ~dst;
	wbuf_init_fixed(&w, pkt, sizeof(pkt));
	ck_assert_int_eq(ssu2_long_seal(&h, ikey, payload, plen, &w), 0);
	return ssu2_pt_open(pkt, wbuf_len(&w), ikey, 2, &m);
}

START_TEST(oob_forged_payload)
{
	uint8_t			 pl[512];
	struct ssu2_peertest	 t;
	struct wbuf		 w;
	uint64_t		 n = 0x0102030401020304ULL;

	fill(&t, 5);
	sign(&t, ahash);
	/* a good one, to show the rest fail for their one fault */
	wbuf_init_fixed(&w, pl, sizeof(pl));
	ssu2_put_peertest(&w, &t);
	ck_assert_int_eq(open_forged(pl, wbuf_len(&w), n), 0);
	/* IDs not the nonce's */
	ck_assert_int_eq(open_forged(pl, wbuf_len(&w), n + 1), -1);
	ck_assert_int_eq(open_forged(pl, wbuf_len(&w), ~n), -1);
	/* two Peer Test blocks */
	ssu2_put_peertest(&w, &t);
	ck_assert_int_eq(open_forged(pl, wbuf_len(&w), n), -1);
	/* none: padding alone */
	wbuf_init_fixed(&w, pl, sizeof(pl));
	ssu2_put_padding(&w, 20);
	ck_assert_int_eq(open_forged(pl, wbuf_len(&w), n), -1);
	/* a message 1-4 out of session */
	fill(&t, 3);
	sign(&t, ahash);
	wbuf_init_fixed(&w, pl, sizeof(pl));
	ssu2_put_peertest(&w, &t);
	ck_assert_int_eq(open_forged(pl, wbuf_len(&w), n), -1);
	/* a Peer Test block cut short (its length says 5 bytes) */
	memset(pl, 0, sizeof(pl));
	pl[0] = SSU2_B_PEER_TEST;
	pl[2] = 5;
	pl[3] = 5;
	ck_assert_int_eq(open_forged(pl, 8, n), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite	*s = suite_create("netd_ssu2_ptest");
	TCase	*tc = tcase_create("ptest");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, sigdata_layout);
	tcase_add_test(tc, verify_alice_and_charlie);
	tcase_add_test(tc, oob_roundtrip);
	tcase_add_test(tc, oob_refused);
	tcase_add_test(tc, oob_forged_payload);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(suite());
}
