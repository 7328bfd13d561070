/*
 * A local destination's LeaseSet2 (tunneld/lspub.c): built from the
 * leases, signed by a fake cryptod with a real Ed25519 key, parsed and
 * verified back as a floodfill would.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "../../tunneld/lspub.h"
#include "unit.h"

static uint8_t		 seed[32], sign_pub[32], enc_pub[32];
static struct i2p_ident	 ident;

/* what the ops saw */
static uint32_t		 reqids;
static int		 nsign, npublish;
static uint32_t		 sign_reqid, sign_keyid;
static uint8_t		 sign_msg[1 + LS2_MAXLEN];
static size_t		 sign_len;
static struct ls_publish last_pub;
static uint8_t		 pub_raw[LS2_MAXLEN];
static size_t		 pub_len;

static void
op_sign(uint32_t reqid, uint32_t keyid, const uint8_t *m, size_t len)
{
	ck_assert_uint_le(len, sizeof(sign_msg));
	nsign++;
	sign_reqid = reqid;
	sign_keyid = keyid;
	memcpy(sign_msg, m, len);
	sign_len = len;
}

static void
op_publish(const struct ls_publish *lp, const uint8_t *raw, size_t len)
{
	ck_assert_uint_le(len, sizeof(pub_raw));
	npublish++;
	last_pub = *lp;
	memcpy(pub_raw, raw, len);
	pub_len = len;
}

static uint32_t
op_reqid(void)
{
	return ++reqids;
}

static const struct lspub_ops ops = {
	.sign = op_sign,
	.publish = op_publish,
	.reqid = op_reqid,
};

static void
setup(void)
{
	uint8_t	priv[32];

	ck_assert_int_eq(crypto_init(), 0);
	crypto_random_fill(seed, sizeof(seed));
	ck_assert_int_eq(ed25519_public(sign_pub, seed), 0);
	ck_assert_int_eq(x25519_keygen(priv, enc_pub), 0);
	ck_assert_int_eq(ident_build(&ident, IDENT_DEST, enc_pub, sign_pub,
	    NULL), 0);
	reqids = 0;
	nsign = npublish = 0;
	sign_reqid = 0;
}

/* cryptod's answer: a signature over exactly what was asked */
static int
answer(struct lspub *p)
{
	uint8_t	sig[64];

	ck_assert_int_eq(ed25519_sign(sig, seed, sign_msg, sign_len), 0);
	return lspub_signed(p, sign_reqid, sig, &ops);
}

static void
leases(struct lspub_lease *l, size_t n, int64_t first_end)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		memset(l[i].gateway, (int)i + 1, 32);
		l[i].tunnel_id = 1000 + (uint32_t)i;
		l[i].expires = first_end + (int64_t)i;
	}
}

START_TEST(test_build_sign_publish)
{
	struct lspub		p;
	struct lspub_lease	l[3];
	struct leaseset2	*ls = calloc(1, sizeof(*ls));
	struct i2p_err		err;
	time_t			now = 1700000000;

	leases(l, 3, now + 600);
	lspub_init(&p, 0x1234, &ident, enc_pub, 0);
	/* nothing before a change */
	lspub_tick(&p, l, 3, now, &ops);
	ck_assert_int_eq(nsign, 0);
	lspub_changed(&p, now);
	lspub_tick(&p, l, 3, now, &ops);
	ck_assert_int_eq(nsign, 0);	/* settling */
	lspub_tick(&p, l, 3, now + LSPUB_SETTLE, &ops);
	ck_assert_int_eq(nsign, 1);
	ck_assert_uint_eq(sign_keyid, 0x1234);
	ck_assert_uint_eq(sign_msg[0], LS2_STORE_TYPE);
	/* another reqid is not ours */
	ck_assert_int_eq(lspub_signed(&p, sign_reqid + 7,
	    (const uint8_t *)sign_msg, &ops), 0);
	ck_assert_int_eq(answer(&p), 1);
	ck_assert_int_eq(npublish, 1);
	ck_assert_uint_eq(last_pub.client, 0x1234);
	ck_assert_uint_eq(last_pub.type, 3);
	ck_assert_mem_eq(last_pub.key, ident.hash, 32);
	/* what a floodfill gets parses and verifies */
	ck_assert_int_eq(ls2_parse(ls, pub_raw, pub_len, &err), 0);
	ck_assert_int_eq(ls2_verify(ls, (uint32_t)now, &err), 0);
	ck_assert_uint_eq(ls->published, last_pub.published);
	ck_assert_uint_eq(ls->published, (uint32_t)now + LSPUB_SETTLE);
	ck_assert_uint_eq(ls->nleases, 3);
	/* latest end first; expires reaches the latest end */
	ck_assert_uint_eq(ls->leases[0].tunnel_id, 1002);
	ck_assert_uint_eq(ls->published + ls->expires, now + 602);
	ck_assert_mem_eq(ls2_find_key(ls, CRYPTOTYPE_X25519), enc_pub, 32);
	ck_assert_int_eq(ls->flags & LS2_F_UNPUBLISHED, 0);
	ck_assert_ptr_nonnull(p.cur);
	lspub_free(&p);
	free(ls);
}
END_TEST

/* at most 16 leases, the ones ending last; dead ones never */
START_TEST(test_lease_choice)
{
	struct lspub		p;
	struct lspub_lease	l[20];
	struct leaseset2	*ls = calloc(1, sizeof(*ls));
	struct i2p_err		err;
	time_t			now = 1700000000;
	size_t			i;

	leases(l, 20, now + 100);
	l[19].expires = now - 1;	/* gone */
	lspub_init(&p, 5, &ident, enc_pub, 0);
	lspub_changed(&p, now);
	lspub_tick(&p, l, 20, now + 5, &ops);
	ck_assert_int_eq(answer(&p), 1);
	ck_assert_int_eq(ls2_parse(ls, pub_raw, pub_len, &err), 0);
	ck_assert_uint_eq(ls->nleases, 16);
	for (i = 0; i < 16; i++)
		ck_assert_uint_eq(ls->leases[i].tunnel_id, 1018 - i);
	/* no live lease: no LeaseSet */
	for (i = 0; i < 20; i++)
		l[i].expires = now;
	lspub_changed(&p, now + 100);
	lspub_tick(&p, l, 20, now + 200, &ops);
	ck_assert_int_eq(nsign, 1);
	ck_assert_ptr_null(p.pending);
	lspub_free(&p);
	free(ls);
}
END_TEST

/* published always grows, changes wait for the gap */
START_TEST(test_published_grows)
{
	struct lspub		p;
	struct lspub_lease	l[1];
	time_t			now = 1700000000;
	uint32_t		first;

	leases(l, 1, now + 600);
	lspub_init(&p, 5, &ident, enc_pub, 0);
	lspub_changed(&p, now);
	lspub_tick(&p, l, 1, now + 1, &ops);
	ck_assert_int_eq(answer(&p), 1);
	first = last_pub.published;
	/* a change at once waits for LSPUB_MIN_GAP after the last build */
	lspub_changed(&p, now + 1);
	ck_assert_int_eq(p.due, now + 1 + LSPUB_MIN_GAP);
	lspub_tick(&p, l, 1, now + 2, &ops);
	ck_assert_int_eq(nsign, 1);
	/* a clock gone back still gives a later published */
	lspub_tick(&p, l, 1, now + 1 + LSPUB_MIN_GAP, &ops);
	ck_assert_int_eq(nsign, 2);
	ck_assert_int_eq(answer(&p), 1);
	ck_assert_uint_gt(last_pub.published, first);
	lspub_changed(&p, now + 100);
	lspub_tick(&p, l, 1, now - 50 + 200, &ops);
	ck_assert_int_eq(answer(&p), 1);
	ck_assert_uint_gt(last_pub.published, first + LSPUB_MIN_GAP);
	lspub_free(&p);
}
END_TEST

/* unpublished: flag set, signed and kept, never handed to routerd */
START_TEST(test_unpublished)
{
	struct lspub		p;
	struct lspub_lease	l[2];
	struct leaseset2	*ls = calloc(1, sizeof(*ls));
	struct i2p_err		err;
	time_t			now = 1700000000;

	leases(l, 2, now + 600);
	lspub_init(&p, 5, &ident, enc_pub, 1);
	lspub_changed(&p, now);
	lspub_tick(&p, l, 2, now + 1, &ops);
	ck_assert_int_eq(answer(&p), 1);
	ck_assert_int_eq(npublish, 0);
	ck_assert_ptr_nonnull(p.cur);
	ck_assert_int_eq(ls2_parse(ls, p.cur->raw, p.cur->rawlen, &err), 0);
	ck_assert_int_eq(ls2_verify(ls, (uint32_t)now, &err), 0);
	ck_assert_int_ne(ls->flags & LS2_F_UNPUBLISHED, 0);
	lspub_free(&p);
	free(ls);
}
END_TEST

/* a wrong signature, a refusal, no answer: no LeaseSet, tried again */
START_TEST(test_sign_failures)
{
	struct lspub		p;
	struct lspub_lease	l[1];
	uint8_t			bad[64];
	time_t			now = 1700000000;

	leases(l, 1, now + 600);
	lspub_init(&p, 5, &ident, enc_pub, 0);
	lspub_changed(&p, now);
	lspub_tick(&p, l, 1, now + 1, &ops);
	memset(bad, 0x5a, sizeof(bad));
	ck_assert_int_eq(lspub_signed(&p, sign_reqid, bad, &ops), 1);
	ck_assert_ptr_null(p.cur);
	ck_assert_int_eq(npublish, 0);

	lspub_changed(&p, now + 20);
	lspub_tick(&p, l, 1, now + 21, &ops);
	ck_assert_int_eq(nsign, 2);
	ck_assert_int_eq(lspub_sign_failed(&p, sign_reqid + 1, now + 22), 0);
	ck_assert_int_eq(lspub_sign_failed(&p, sign_reqid, now + 22), 1);
	ck_assert_int_eq(p.dirty, 1);
	lspub_tick(&p, l, 1, now + 21 + LSPUB_MIN_GAP, &ops);
	ck_assert_int_eq(nsign, 3);
	/* cryptod silent: built again after the timeout */
	lspub_tick(&p, l, 1, now + 21 + LSPUB_MIN_GAP + 5, &ops);
	ck_assert_int_eq(nsign, 3);
	lspub_tick(&p, l, 1, now + 21 + LSPUB_MIN_GAP + LSPUB_SIGN_TIMEOUT,
	    &ops);
	ck_assert_int_eq(nsign, 4);
	ck_assert_int_eq(answer(&p), 1);
	ck_assert_int_eq(npublish, 1);
	lspub_free(&p);
}
END_TEST

/* routerd's word counts only for the newest LeaseSet */
START_TEST(test_status)
{
	struct lspub		p;
	struct lspub_lease	l[1];
	struct ls_status	st;
	time_t			now = 1700000000;

	leases(l, 1, now + 600);
	lspub_init(&p, 5, &ident, enc_pub, 0);
	lspub_changed(&p, now);
	lspub_tick(&p, l, 1, now + 1, &ops);
	ck_assert_int_eq(answer(&p), 1);
	memset(&st, 0, sizeof(st));
	st.client = 5;
	st.published = last_pub.published - 1;
	st.state = LS_STORED;
	lspub_status(&p, &st, now + 2);
	ck_assert_int_eq(p.state, 0);
	st.published = last_pub.published;
	memset(st.floodfill, 0xff, 32);
	lspub_status(&p, &st, now + 2);
	ck_assert_int_eq(p.state, LS_STORED);
	st.state = LS_VERIFIED;
	lspub_status(&p, &st, now + 15);
	st.state = LS_STORED;
	lspub_status(&p, &st, now + 16);
	ck_assert_int_eq(p.state, LS_VERIFIED);
	ck_assert_uint_eq(p.nstored, 2);
	ck_assert_uint_eq(p.nverified, 1);
	st.state = 99;
	lspub_status(&p, &st, now + 17);
	ck_assert_int_eq(p.state, LS_VERIFIED);
	lspub_free(&p);
}
END_TEST

static Suite *
lspub_suite(void)
{
	Suite	*s = suite_create("lspub");
	TCase	*tc = tcase_create("lspub");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_build_sign_publish);
	tcase_add_test(tc, test_lease_choice);
	tcase_add_test(tc, test_published_grows);
	tcase_add_test(tc, test_unpublished);
	tcase_add_test(tc, test_sign_failures);
	tcase_add_test(tc, test_status);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(lspub_suite());
}
