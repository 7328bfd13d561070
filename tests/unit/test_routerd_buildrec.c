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

static Suite *
buildrec_suite(void)
{
	Suite	*s = suite_create("buildrec");
	TCase	*tc = tcase_create("buildrec");

	tcase_add_test(tc, test_build);
	tcase_add_test(tc, test_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(buildrec_suite());
}
