/*
 * LeaseSets in the netDb (routerd/lsdb.c): what is kept and refused,
 * newer replaces older, expiry, flooding each version once; for every
 * store type (1, 3, 5, 7).
 */
#include <check.h>
#include <string.h>

#include "crypto.h"
#include "i2pdata.h"
#include "../../routerd/routerd.h"
#include "lsbuild.h"
#include "unit.h"

#define NOW	1795305600u

static uint8_t		dest_seed[32], dest_pub[32];
static struct i2p_ident	dest;	/* random padding: made once */

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* a signed LeaseSet2 of our destination: one X25519 key, one lease */
static void
make_ls(struct leaseset2 *ls, uint32_t published, uint16_t expires,
    uint16_t flags)
{
	uint8_t	x[32];

	ls2_init(ls);
	ls->dest = dest;
	ls->published = published;
	ls->expires = expires;
	ls->flags = flags;
	memset(x, 0x55, sizeof(x));
	ck_assert_int_eq(ls2_add_key(ls, CRYPTOTYPE_X25519, x, sizeof(x),
	    NULL), 0);
	ls->nleases = 1;
	memset(ls->leases[0].gateway, 0xa0, 32);
	ls->leases[0].tunnel_id = 77;
	ls->leases[0].end_date = published + expires;
	ck_assert_int_eq(ls2_sign(ls, sign_cb, dest_seed, NULL), 0);
}

static void
setup(void)
{
	ck_assert_int_eq(ed25519_keygen(dest_seed, dest_pub), 0);
	ck_assert_int_eq(ident_build(&dest, IDENT_DEST, NULL, dest_pub, NULL),
	    0);
}

static void
teardown(void)
{
	lsdb_shutdown();
}

START_TEST(test_store_and_replace)
{
	static struct leaseset2	 a, b;
	const uint8_t		*raw;
	const char		*why;
	size_t			 len;
	uint8_t			 type;

	make_ls(&a, NOW - 10, 600, 0);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, a.dest.hash, a.raw,
	    a.rawlen, NULL, NOW, &why), 1);
	ck_assert_ptr_nonnull(raw = lsdb_get(a.dest.hash, NOW, &len, &type));
	ck_assert_uint_eq(type, LS2_STORE_TYPE);
	ck_assert_uint_eq(len, a.rawlen);
	ck_assert_mem_eq(raw, a.raw, len);
	ck_assert_uint_eq(lsdb_count(), 1);
	/* the same again, and an older one: not newer */
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, a.dest.hash, a.raw,
	    a.rawlen, NULL, NOW, &why), 0);
	make_ls(&b, NOW - 20, 600, 0);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, b.dest.hash, b.raw,
	    b.rawlen, NULL, NOW, &why), 0);
	/* a newer one replaces it */
	make_ls(&b, NOW, 600, 0);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, b.dest.hash, b.raw,
	    b.rawlen, NULL, NOW, &why), 1);
	ck_assert_ptr_nonnull(raw = lsdb_get(b.dest.hash, NOW, &len, &type));
	ck_assert_mem_eq(raw, b.raw, len);
	ck_assert_uint_eq(lsdb_count(), 1);
}
END_TEST

START_TEST(test_refused)
{
	static struct leaseset2	 ls;
	uint8_t			 other[32];
	const char		*why;

	make_ls(&ls, NOW, 600, 0);
	memset(other, 1, sizeof(other));
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, other, ls.raw, ls.rawlen, NULL,
	    NOW, &why), -1);
	ck_assert_str_eq(why, "not the destination its key names");
	ck_assert_int_eq(lsdb_store(2, ls.dest.hash, ls.raw, ls.rawlen, NULL, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "LeaseSet type not supported");
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash, ls.raw,
	    ls.rawlen - 1, NULL, NOW, &why), -1);
	ck_assert_str_eq(why, "malformed");
	/* the signature broken */
	ls.raw[ls.rawlen - 1] ^= 1;
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash, ls.raw,
	    ls.rawlen, NULL, NOW, &why), -1);
	ck_assert_str_eq(why, "bad signature");
	make_ls(&ls, NOW - 700, 600, 0);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash, ls.raw,
	    ls.rawlen, NULL, NOW, &why), -1);
	ck_assert_str_eq(why, "expired");
	make_ls(&ls, NOW + 3600, 600, 0);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash, ls.raw,
	    ls.rawlen, NULL, NOW, &why), -1);
	ck_assert_str_eq(why, "published in the future");
	make_ls(&ls, NOW, 600, LS2_F_UNPUBLISHED);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash, ls.raw,
	    ls.rawlen, NULL, NOW, &why), -1);
	ck_assert_str_eq(why, "unpublished");
	ck_assert_uint_eq(lsdb_count(), 0);
}
END_TEST

START_TEST(test_expiry_and_flood)
{
	static struct leaseset2	 ls;
	const char		*why;
	size_t			 len;
	uint8_t			 type;

	make_ls(&ls, NOW, 600, 0);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash, ls.raw,
	    ls.rawlen, NULL, NOW, &why), 1);
	ck_assert_int_eq(lsdb_flood_once(ls.dest.hash), 1);
	ck_assert_int_eq(lsdb_flood_once(ls.dest.hash), 0);
	/* expired: not served, then gone */
	ck_assert_ptr_null(lsdb_get(ls.dest.hash, NOW + 600, &len, &type));
	ck_assert_uint_eq(lsdb_expire(NOW + 599), 0);
	ck_assert_uint_eq(lsdb_expire(NOW + 600), 1);
	ck_assert_uint_eq(lsdb_count(), 0);
}
END_TEST

/* stores raw of that type under key: lsdb_store's answer, why */
static int
store(uint8_t type, const uint8_t key[32], const uint8_t *raw, size_t len,
    uint32_t now, const char **why)
{
	*why = NULL;
	return lsdb_store(type, key, raw, len, NULL, now, why);
}

/* what is served under key: its type and bytes */
static void
served(const uint8_t key[32], uint8_t type, const uint8_t *raw, size_t len)
{
	const uint8_t	*p;
	size_t		 plen;
	uint8_t		 ptype;

	ck_assert_ptr_nonnull(p = lsdb_get(key, NOW, &plen, &ptype));
	ck_assert_uint_eq(ptype, type);
	ck_assert_uint_eq(plen, len);
	ck_assert_mem_eq(p, raw, len);
}

static uint8_t	buf[LS2_MAXLEN], buf2[LS2_MAXLEN];

/* LeaseSet (type 1): DSA and ECDSA destinations; versions by lease end */
START_TEST(test_type1)
{
	static const uint16_t	 types[] = { SIGTYPE_DSA_SHA1,
				    SIGTYPE_ECDSA_P256, SIGTYPE_ECDSA_P521 };
	static struct leaseset1	 ls;
	const char		*why;
	struct tkey		 k;
	uint64_t		 now_ms = (uint64_t)NOW * 1000;
	size_t			 len, len2, i;

	for (i = 0; i < 3; i++) {
		tkey_new(&k, types[i]);
		len = lsb_ls1(buf, sizeof(buf), &k, 2, now_ms + 540000);
		ck_assert_int_eq(ls1_parse(&ls, buf, len, NULL), 0);
		ck_assert_int_eq(store(LS1_STORE_TYPE, ls.dest.hash, buf, len,
		    NOW, &why), 1);
		served(ls.dest.hash, LS1_STORE_TYPE, buf, len);
		ck_assert_int_eq(lsdb_flood_once(ls.dest.hash), 1);
		/* the same leases again, earlier ones: not newer */
		ck_assert_int_eq(store(LS1_STORE_TYPE, ls.dest.hash, buf, len,
		    NOW, &why), 0);
		len2 = lsb_ls1(buf2, sizeof(buf2), &k, 2, now_ms + 539999);
		ck_assert_int_eq(store(LS1_STORE_TYPE, ls.dest.hash, buf2,
		    len2, NOW, &why), 0);
		/* a lease ending later: newer, flooded again */
		len2 = lsb_ls1(buf2, sizeof(buf2), &k, 2, now_ms + 540001);
		ck_assert_int_eq(store(LS1_STORE_TYPE, ls.dest.hash, buf2,
		    len2, NOW, &why), 1);
		served(ls.dest.hash, LS1_STORE_TYPE, buf2, len2);
		ck_assert_int_eq(lsdb_flood_once(ls.dest.hash), 1);
		tkey_free(&k);
	}
	ck_assert_uint_eq(lsdb_count(), 3);
	/* all leases ended; a lease ending far ahead; no leases */
	tkey_new(&k, SIGTYPE_ECDSA_P256);
	len = lsb_ls1(buf, sizeof(buf), &k, 2, now_ms - 2000);
	ck_assert_int_eq(ls1_parse(&ls, buf, len, NULL), 0);
	ck_assert_int_eq(store(LS1_STORE_TYPE, ls.dest.hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "expired");
	len = lsb_ls1(buf, sizeof(buf), &k, 1, now_ms + 3600000);
	ck_assert_int_eq(store(LS1_STORE_TYPE, ls.dest.hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "leases end too far ahead");
	len = lsb_ls1(buf, sizeof(buf), &k, 0, now_ms);
	ck_assert_int_eq(store(LS1_STORE_TYPE, ls.dest.hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "malformed");
	/* a bad signature; stored under another key; as type 3 */
	len = lsb_ls1(buf, sizeof(buf), &k, 1, now_ms + 600000);
	buf[len - 1] ^= 1;
	ck_assert_int_eq(store(LS1_STORE_TYPE, ls.dest.hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "bad signature");
	buf[len - 1] ^= 1;
	ck_assert_int_eq(store(LS1_STORE_TYPE, dest.hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "not the destination its key names");
	ck_assert_int_eq(store(LS2_STORE_TYPE, ls.dest.hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "malformed");
	ck_assert_uint_eq(lsdb_count(), 3);
	tkey_free(&k);
}
END_TEST

/* EncryptedLeaseSet (type 5): under the hash of its blinded key */
START_TEST(test_type5)
{
	static struct enc_leaseset	 e;
	struct tkey			 b, t;
	const char			*why;
	size_t				 len;

	tkey_new(&b, SIGTYPE_REDDSA);
	tkey_new(&t, SIGTYPE_ED25519);
	len = lsb_enc(buf, sizeof(buf), &b, NOW - 5, 600, 0, NULL, 0, 200);
	ck_assert_int_eq(lse_parse(&e, buf, len, NULL), 0);
	/* not under the blinded key itself, nor anything else */
	ck_assert_int_eq(store(LSE_STORE_TYPE, b.pub, buf, len, NOW, &why),
	    -1);
	ck_assert_str_eq(why, "not under its blinded key's hash");
	ck_assert_int_eq(store(LSE_STORE_TYPE, e.store_hash, buf, len, NOW,
	    &why), 1);
	served(e.store_hash, LSE_STORE_TYPE, buf, len);
	ck_assert_int_eq(store(LSE_STORE_TYPE, e.store_hash, buf, len, NOW,
	    &why), 0);
	/* newer, with an offline key */
	len = lsb_enc(buf, sizeof(buf), &b, NOW, 600, 0, &t, NOW + 3600, 100);
	ck_assert_int_eq(store(LSE_STORE_TYPE, e.store_hash, buf, len, NOW,
	    &why), 1);
	served(e.store_hash, LSE_STORE_TYPE, buf, len);
	/* unpublished, in the future, expired, badly signed */
	len = lsb_enc(buf, sizeof(buf), &b, NOW + 1, 600, LS2_F_UNPUBLISHED,
	    NULL, 0, 100);
	ck_assert_int_eq(store(LSE_STORE_TYPE, e.store_hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "unpublished");
	len = lsb_enc(buf, sizeof(buf), &b, NOW + 600, 600, 0, NULL, 0, 100);
	ck_assert_int_eq(store(LSE_STORE_TYPE, e.store_hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "published in the future");
	len = lsb_enc(buf, sizeof(buf), &b, NOW + 2, 600, 0, &t, NOW - 1, 100);
	ck_assert_int_eq(store(LSE_STORE_TYPE, e.store_hash, buf, len, NOW,
	    &why), -1);
	ck_assert_str_eq(why, "bad signature");
	ck_assert_uint_eq(lsdb_count(), 1);
	ck_assert_ptr_null(lsdb_get(e.store_hash, NOW + 600, &len,
	    &(uint8_t){ 0 }));
}
END_TEST

/* MetaLeaseSet (type 7): as a LeaseSet2, with its longer lifetime */
START_TEST(test_type7)
{
	static struct meta_leaseset	 m;
	struct tkey			 k;
	const char			*why;
	size_t				 len;

	tkey_new(&k, SIGTYPE_ED25519);
	len = lsb_meta(buf, sizeof(buf), &k, NOW, 36000, 0, 2, 1);
	ck_assert_int_eq(lsm_parse(&m, buf, len, NULL), 0);
	ck_assert_int_eq(store(LSM_STORE_TYPE, m.dest.hash, buf, len, NOW,
	    &why), 1);
	served(m.dest.hash, LSM_STORE_TYPE, buf, len);
	ck_assert_int_eq(lsdb_flood_once(m.dest.hash), 1);
	ck_assert_int_eq(lsdb_flood_once(m.dest.hash), 0);
	buf[len - 1] ^= 1;
	ck_assert_int_eq(store(LSM_STORE_TYPE, m.dest.hash, buf, len,
	    NOW + 1, &why), 0);
	len = lsb_meta(buf, sizeof(buf), &k, NOW + 1, 36000, 0, 1, 0);
	buf[len - 1] ^= 1;
	ck_assert_int_eq(store(LSM_STORE_TYPE, m.dest.hash, buf, len,
	    NOW + 1, &why), -1);
	ck_assert_str_eq(why, "bad signature");
	len = lsb_meta(buf, sizeof(buf), &k, NOW + 1, 36000,
	    LS2_F_UNPUBLISHED, 1, 0);
	ck_assert_int_eq(store(LSM_STORE_TYPE, m.dest.hash, buf, len,
	    NOW + 1, &why), -1);
	ck_assert_str_eq(why, "unpublished");
	/* still there hours later, gone when it expires */
	ck_assert_ptr_nonnull(lsdb_get(m.dest.hash, NOW + 35999, &len,
	    &(uint8_t){ 0 }));
	ck_assert_uint_eq(lsdb_expire(NOW + 36000), 1);
	ck_assert_uint_eq(lsdb_count(), 0);
	tkey_free(&k);
}
END_TEST

/* a full store makes room: the LeaseSet published longest ago goes */
START_TEST(test_full)
{
	static struct leaseset2	 ls;
	struct netdb_stats	 st;
	uint8_t			 oldest[32];
	const char		*why;
	size_t			 i;
	uint8_t			 type;

	for (i = 0; i < LSDB_MAX + 1; i++) {
		setup();	/* another destination */
		make_ls(&ls, i == 0 ? NOW - 300 : NOW - 10, 600, 0);
		if (i == 0)
			memcpy(oldest, ls.dest.hash, 32);
		ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash,
		    ls.raw, ls.rawlen, NULL, NOW, &why), 1);
	}
	ck_assert_uint_eq(lsdb_count(), LSDB_MAX);
	ck_assert_ptr_nonnull(lsdb_get(ls.dest.hash, NOW, &i, &type));
	ck_assert_ptr_null(lsdb_get(oldest, NOW, &i, &type));
	memset(&st, 0, sizeof(st));
	lsdb_stats(&st);
	ck_assert_uint_eq(st.ls_evicted, 1);
	ck_assert_uint_eq(st.ls_refused_share, 0);
}
END_TEST

static Suite *
lsdb_suite(void)
{
	Suite	*s = suite_create("lsdb");
	TCase	*tc = tcase_create("lsdb");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_store_and_replace);
	tcase_add_test(tc, test_refused);
	tcase_add_test(tc, test_expiry_and_flood);
	tcase_add_test(tc, test_type1);
	tcase_add_test(tc, test_type5);
	tcase_add_test(tc, test_type7);
	suite_add_tcase(s, tc);
	/* 10,000 destinations made, signed and verified take seconds */
	tc = tcase_create("full");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_full);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(lsdb_suite());
}
