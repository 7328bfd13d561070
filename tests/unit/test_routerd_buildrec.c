/*
 * Short tunnel build records (routerd/buildrec.c): a creator's records
 * opened by their hops, each hop's reply and masking, the creator
 * reading the replies back, the key derivation (OBEP differs), and
 * records that must be refused.
 */
#include <check.h>
#include <string.h>

#include "crypto.h"
#include "../../routerd/buildrec.h"
#include "unit.h"

struct hop {
	uint8_t		 hash[32], priv[32], pub[32];
	struct brec_req	 req;
	struct brec_keys keys;		/* the creator's copy */
};

static void
make_hop(struct hop *h, int i, uint8_t flags)
{
	crypto_random(h->hash, 32);
	ck_assert_int_eq(x25519_keygen(h->priv, h->pub), 0);
	memset(&h->req, 0, sizeof(h->req));
	h->req.recv_tunnel = 100 + i;
	h->req.next_tunnel = 200 + i;
	memset(h->req.next_hash, i, 32);
	h->req.flags = flags;
	h->req.request_min = 29000000;
	h->req.expiration = 600;
	h->req.next_msg_id = 0xabcd0000 + i;
}

/* a hop's work: find, open (DH as cryptod would), reply, mask others */
static void
hop_process(struct hop *h, uint8_t *recs, int n, uint8_t code)
{
	struct brec_req		 r;
	struct brec_keys	 k;
	uint8_t			 shared[32];
	const char		*why;
	int			 i, j;

	ck_assert_int_ge(i = brec_find(recs, n, h->hash), 0);
	ck_assert_int_eq(x25519(shared, h->priv,
	    brec_ephemeral(recs + i * BREC_LEN)), 0);
	ck_assert_int_eq(brec_open(recs + i * BREC_LEN, h->pub, shared, &r, &k,
	    &why), 0);
	ck_assert_mem_eq(&r, &h->req, sizeof(r));
	ck_assert_mem_eq(&k, &h->keys, sizeof(k));
	ck_assert_int_eq(brec_reply(recs + i * BREC_LEN, &k, i, code), 0);
	for (j = 0; j < n; j++)
		if (j != i)
			ck_assert_int_eq(brec_mask(recs + j * BREC_LEN,
			    k.reply_key, j), 0);
}

START_TEST(test_build)
{
	struct hop	 hops[3];
	uint8_t		 recs[4 * BREC_LEN], code;
	int		 order[3] = { 2, 0, 3 };	/* record slots */
	int		 i, j, k;

	for (i = 0; i < 3; i++)
		make_hop(&hops[i], i, i == 2 ? BREC_F_OBEP : 0);
	crypto_random(recs, sizeof(recs));		/* slot 1: filler */
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(brec_seal(recs + order[i] * BREC_LEN,
		    hops[i].hash, hops[i].pub, &hops[i].req, &hops[i].keys), 0);
	/*
	 * the creator pre-masks each hop's record with the reply keys of
	 * the hops before it, as they will unmask it on the way
	 */
	for (i = 1; i < 3; i++)
		for (j = i - 1; j >= 0; j--)
			ck_assert_int_eq(brec_mask(recs + order[i] * BREC_LEN,
			    hops[j].keys.reply_key, order[i]), 0);
	for (i = 0; i < 3; i++)
		hop_process(&hops[i], recs, 4, i == 1 ? BREC_REJECT_BANDWIDTH :
		    BREC_ACCEPT);
	/* each reply is masked by the hops after it; unmask, then open */
	for (i = 0; i < 3; i++) {
		for (k = i + 1; k < 3; k++)
			ck_assert_int_eq(brec_mask(recs + order[i] * BREC_LEN,
			    hops[k].keys.reply_key, order[i]), 0);
		ck_assert_int_eq(brec_reply_open(recs + order[i] * BREC_LEN,
		    &hops[i].keys, order[i], &code), 0);
		ck_assert_uint_eq(code, i == 1 ? BREC_REJECT_BANDWIDTH :
		    BREC_ACCEPT);
	}
	/* the OBEP's IV key comes from a further step; it has garlic keys */
	ck_assert_mem_ne(hops[2].keys.garlic_tag, "\0\0\0\0\0\0\0\0", 8);
	ck_assert_mem_eq(hops[0].keys.garlic_tag, "\0\0\0\0\0\0\0\0", 8);
}
END_TEST

/* a record sealed from h's request, which its hop refuses */
static void
expect_refused(struct hop *h, const char *want)
{
	struct brec_req		 r;
	struct brec_keys	 k;
	uint8_t			 rec[BREC_LEN], shared[32];
	const char		*why;

	ck_assert_int_eq(brec_seal(rec, h->hash, h->pub, &h->req, &h->keys),
	    0);
	ck_assert_int_eq(x25519(shared, h->priv, brec_ephemeral(rec)), 0);
	ck_assert_int_eq(brec_open(rec, h->pub, shared, &r, &k, &why), -1);
	ck_assert_str_eq(why, want);
}

START_TEST(test_refused)
{
	struct hop		 h;
	struct brec_req		 r;
	struct brec_keys	 k;
	uint8_t			 rec[BREC_LEN], shared[32];
	const char		*why;
	size_t			 i;

	make_hop(&h, 1, 0);
	ck_assert_int_eq(brec_seal(rec, h.hash, h.pub, &h.req, &h.keys), 0);
	ck_assert_int_eq(x25519(shared, h.priv, brec_ephemeral(rec)), 0);
	/* any flipped bit after the hash: the AEAD fails */
	for (i = 16 * 8; i < BREC_LEN * 8; i += 7) {
		rec[i / 8] ^= 1 << (i % 8);
		if (i / 8 < 48)		/* the ephemeral key: another DH */
			ck_assert_int_eq(x25519(shared, h.priv,
			    brec_ephemeral(rec)), 0);
		ck_assert_int_eq(brec_open(rec, h.pub, shared, &r, &k, &why),
		    -1);
		rec[i / 8] ^= 1 << (i % 8);
		if (i / 8 < 48)
			ck_assert_int_eq(x25519(shared, h.priv,
			    brec_ephemeral(rec)), 0);
	}
	ck_assert_str_eq(why, "cannot decrypt the record");
	h.req.flags = BREC_F_IBGW | BREC_F_OBEP;
	expect_refused(&h, "both gateway and endpoint");
	h.req.flags = 0;
	h.req.recv_tunnel = 0;
	expect_refused(&h, "tunnel ID 0");
	h.req.recv_tunnel = 5;
	h.req.layer_type = 1;
	expect_refused(&h, "layer encryption type not AES");
	ck_assert_int_eq(brec_find(rec, 1, h.req.next_hash), -1);
}
END_TEST

/* a creator's long record to a hop (the test's own sealing) */
static void
long_seal(uint8_t rec[BREC_LONG_LEN], const uint8_t hash[32],
    const uint8_t pub[32], const uint8_t clear[BREC_LONG_CLEAR_LEN],
    uint8_t ck[32], uint8_t h[32])
{
	struct noise_ss	 ss;
	uint8_t		 eph[32], shared[32];

	memcpy(rec, hash, 16);
	ck_assert_int_eq(x25519_keygen(eph, rec + 16), 0);
	ck_assert_int_eq(x25519(shared, eph, pub), 0);
	ck_assert_int_eq(noise_n_start(&ss, pub, rec + 16, shared), 0);
	ck_assert_int_eq(noise_encrypt_and_hash(&ss, rec + 48, clear,
	    BREC_LONG_CLEAR_LEN), 0);
	memcpy(ck, ss.ck, 32);
	memcpy(h, ss.h, 32);
}

static void
long_clear(uint8_t c[BREC_LONG_CLEAR_LEN], uint8_t flags, uint16_t maplen)
{
	size_t	i;

	memset(c, 0, BREC_LONG_CLEAR_LEN);
	c[3] = 7;				/* receive tunnel 7 */
	c[7] = 8;				/* next tunnel 8 */
	memset(c + 8, 0xaa, 32);		/* next hash */
	for (i = 40; i < 152; i++)		/* the four keys */
		c[i] = i;
	c[152] = flags;
	c[159] = 99;				/* request time */
	c[162] = 0x02;				/* expiration 600 */
	c[163] = 0x58;
	c[167] = 5;				/* next message ID */
	c[168] = maplen >> 8;
	c[169] = maplen & 0xff;
}

START_TEST(test_long)
{
	uint8_t			 rec[BREC_LONG_LEN], clear[BREC_LONG_CLEAR_LEN];
	uint8_t			 hash[32], priv[32], pub[32], shared[32];
	uint8_t			 ck[32], h[32], reply[BREC_LONG_REPLY_LEN];
	uint8_t			 other[BREC_LONG_LEN], copy[BREC_LONG_LEN];
	uint8_t			 n[12] = { 0 };
	struct brec_req		 r;
	struct brec_long_keys	 k;
	const char		*why;
	size_t			 i;

	crypto_random(hash, 32);
	ck_assert_int_eq(x25519_keygen(priv, pub), 0);
	long_clear(clear, BREC_F_OBEP, 0);
	long_seal(rec, hash, pub, clear, ck, h);
	ck_assert_int_eq(brec_find_len(rec, 1, BREC_LONG_LEN, hash), 0);
	ck_assert_int_eq(x25519(shared, priv, brec_ephemeral(rec)), 0);
	ck_assert_int_eq(brec_long_open(rec, pub, shared, &r, &k, &why), 0);
	ck_assert_uint_eq(r.recv_tunnel, 7);
	ck_assert_uint_eq(r.next_tunnel, 8);
	ck_assert_uint_eq(r.flags, BREC_F_OBEP);
	ck_assert_uint_eq(r.request_min, 99);
	ck_assert_uint_eq(r.expiration, 600);
	ck_assert_uint_eq(r.next_msg_id, 5);
	ck_assert_mem_eq(k.layer_key, clear + 40, 32);
	ck_assert_mem_eq(k.iv_key, clear + 72, 32);
	ck_assert_mem_eq(k.reply_key, clear + 104, 32);
	ck_assert_mem_eq(k.reply_iv, clear + 136, 16);
	ck_assert_mem_eq(k.ck, ck, 32);
	ck_assert_mem_eq(k.h, h, 32);
	/* the reply, as the creator reads it */
	ck_assert_int_eq(brec_long_reply(rec, &k, BREC_REJECT_BANDWIDTH), 0);
	ck_assert_int_eq(chachapoly_decrypt_n(reply, ck, n, h, 32, rec,
	    BREC_LONG_LEN), 0);
	ck_assert_uint_eq(reply[0], 0);
	ck_assert_uint_eq(reply[1], 0);
	ck_assert_uint_eq(reply[BREC_LONG_REPLY_LEN - 1],
	    BREC_REJECT_BANDWIDTH);
	/* another record, masked: AES-256-CBC under the reply key and IV */
	crypto_random(other, sizeof(other));
	memcpy(copy, other, sizeof(other));
	ck_assert_int_eq(brec_long_mask(other, &k), 0);
	ck_assert_int_eq(aes256_cbc_decrypt(other, k.reply_key, k.reply_iv,
	    other, sizeof(other)), 0);
	ck_assert_mem_eq(other, copy, sizeof(other));
	/* a flipped bit anywhere after the ephemeral key: refused */
	long_seal(rec, hash, pub, clear, ck, h);
	ck_assert_int_eq(x25519(shared, priv, brec_ephemeral(rec)), 0);
	for (i = 48 * 8; i < BREC_LONG_LEN * 8; i += 61) {
		rec[i / 8] ^= 1 << (i % 8);
		ck_assert_int_eq(brec_long_open(rec, pub, shared, &r, &k,
		    &why), -1);
		rec[i / 8] ^= 1 << (i % 8);
	}
	ck_assert_str_eq(why, "cannot decrypt the record");
}
END_TEST

START_TEST(test_long_refused)
{
	uint8_t			 clear[BREC_LONG_CLEAR_LEN];
	struct brec_req		 r;
	struct brec_long_keys	 k;
	const char		*why;

	long_clear(clear, BREC_F_IBGW | BREC_F_OBEP, 0);
	ck_assert_int_eq(brec_long_parse(clear, &r, &k, &why), -1);
	ck_assert_str_eq(why, "both gateway and endpoint");
	long_clear(clear, 0, 295);
	ck_assert_int_eq(brec_long_parse(clear, &r, &k, &why), -1);
	ck_assert_str_eq(why, "build options too long");
	long_clear(clear, 0, 294);		/* the most allowed, fits */
	ck_assert_int_eq(brec_long_parse(clear, &r, &k, &why), 0);
	long_clear(clear, 0, 0);
	clear[3] = 0;
	ck_assert_int_eq(brec_long_parse(clear, &r, &k, &why), -1);
	ck_assert_str_eq(why, "tunnel ID 0");
}
END_TEST

static Suite *
buildrec_suite(void)
{
	Suite	*s = suite_create("buildrec");
	TCase	*tc = tcase_create("buildrec");

	tcase_add_test(tc, test_build);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_long);
	tcase_add_test(tc, test_long_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(buildrec_suite());
}
