/*
 * LeaseSets in the netDb (routerd/lsdb.c): what is kept and refused,
 * newer replaces older, expiry, flooding each version once.
 */
#include <check.h>
#include <string.h>

#include "crypto.h"
#include "i2pdata.h"
#include "../../routerd/routerd.h"
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

	make_ls(&a, NOW - 10, 600, 0);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, a.dest.hash, a.raw,
	    a.rawlen, NULL, NOW, &why), 1);
	ck_assert_ptr_nonnull(raw = lsdb_get(a.dest.hash, NOW, &len));
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
	ck_assert_ptr_nonnull(raw = lsdb_get(b.dest.hash, NOW, &len));
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
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, other, ls.raw, ls.rawlen,
	    NULL, NOW, &why), -1);
	ck_assert_str_eq(why, "not the destination its key names");
	ck_assert_int_eq(lsdb_store(1, ls.dest.hash, ls.raw, ls.rawlen, NULL,
	    NOW, &why), -1);
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

	make_ls(&ls, NOW, 600, 0);
	ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash, ls.raw,
	    ls.rawlen, NULL, NOW, &why), 1);
	ck_assert_int_eq(lsdb_flood_once(ls.dest.hash), 1);
	ck_assert_int_eq(lsdb_flood_once(ls.dest.hash), 0);
	/* expired: not served, then gone */
	ck_assert_ptr_null(lsdb_get(ls.dest.hash, NOW + 600, &len));
	ck_assert_uint_eq(lsdb_expire(NOW + 599), 0);
	ck_assert_uint_eq(lsdb_expire(NOW + 600), 1);
	ck_assert_uint_eq(lsdb_count(), 0);
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

	for (i = 0; i < LSDB_MAX + 1; i++) {
		setup();	/* another destination */
		make_ls(&ls, i == 0 ? NOW - 300 : NOW - 10, 600, 0);
		if (i == 0)
			memcpy(oldest, ls.dest.hash, 32);
		ck_assert_int_eq(lsdb_store(LS2_STORE_TYPE, ls.dest.hash,
		    ls.raw, ls.rawlen, NULL, NOW, &why), 1);
	}
	ck_assert_uint_eq(lsdb_count(), LSDB_MAX);
	ck_assert_ptr_nonnull(lsdb_get(ls.dest.hash, NOW, &i));
	ck_assert_ptr_null(lsdb_get(oldest, NOW, &i));
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
