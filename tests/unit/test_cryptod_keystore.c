/*
 * Unit tests of cryptod/keystore.c's transient keys (SAM): the keys a
 * private key gives, the cap on how many are held, ids that are never
 * given twice, and deletion.  The files and IPC are cryptod_test's.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "crypto.h"
#include "i2pdata.h"
#include "privkey.h"
#include "unit.h"
#include "../../cryptod/keystore.h"

static struct privkey	 pk;

static void
setup(void)
{
	uint8_t	seed[32], pad[32];

	memset(seed, 0x42, sizeof(seed));
	memset(pad, 0x17, sizeof(pad));
	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, seed, NULL,
	    pad), 0);
}

static void
teardown(void)
{
	keystore_close();
	privkey_wipe(&pk);
}

static int
count_transient(void)
{
	const struct key	*k;
	int			 n = 0;

	TAILQ_FOREACH(k, keystore_list(), entry)
		n += k->kind == KEY_KIND_TRANSIENT;
	return n;
}

/* the key holds the signing key and the LeaseSet key privkey gives */
START_TEST(test_transient_keys)
{
	struct key	*k;
	uint8_t		 lpriv[32], lpub[32], sig[64];
	char		 err[128];

	k = keystore_add_transient(&pk, err, sizeof(err));
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_ge(k->keyid, KEYID_TRANSIENT_MIN);
	ck_assert_int_eq(k->kind, KEY_KIND_TRANSIENT);
	ck_assert_mem_eq(k->sign_pub, pk.dest.sign_pub, 32);
	ck_assert_int_eq(privkey_ls_key(&pk, lpriv, lpub), 0);
	ck_assert_mem_eq(k->crypto_priv, lpriv, 32);
	ck_assert_mem_eq(k->crypto_pub, lpub, 32);
	ck_assert_int_eq(ed25519_key_sign(k->signer, sig, "x", 1), 0);
	ck_assert_int_eq(ed25519_verify(sig, pk.dest.sign_pub, "x", 1), 0);
	ck_assert_ptr_eq(keystore_get(k->keyid), k);
}
END_TEST

/* KEY_TRANSIENT_MAX at most; a freed place takes a new id */
START_TEST(test_transient_cap)
{
	struct key	*k;
	uint32_t	 first = 0, last = 0;
	char		 err[128];
	int		 i;

	for (i = 0; i < KEY_TRANSIENT_MAX; i++) {
		ck_assert_int_eq(keystore_transient_room(), 1);
		k = keystore_add_transient(&pk, err, sizeof(err));
		ck_assert_ptr_nonnull(k);
		if (i == 0)
			first = k->keyid;
		else
			ck_assert_uint_eq(k->keyid, last + 1);
		last = k->keyid;
	}
	ck_assert_int_eq(count_transient(), KEY_TRANSIENT_MAX);
	ck_assert_int_eq(keystore_transient_room(), 0);
	ck_assert_ptr_null(keystore_add_transient(&pk, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "at most 256"));
	ck_assert_int_eq(keystore_delete(first), 0);
	ck_assert_ptr_null(keystore_get(first));
	ck_assert_int_eq(keystore_transient_room(), 1);
	k = keystore_add_transient(&pk, err, sizeof(err));
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_gt(k->keyid, last);
	ck_assert_uint_ne(k->keyid, first);
}
END_TEST

/* ids keep counting up across a close: tunneld may hold old ones */
START_TEST(test_transient_ids)
{
	struct key	*k;
	uint32_t	 id;
	char		 err[128];

	k = keystore_add_transient(&pk, err, sizeof(err));
	ck_assert_ptr_nonnull(k);
	id = k->keyid;
	keystore_close();
	ck_assert_ptr_null(keystore_get(id));
	k = keystore_add_transient(&pk, err, sizeof(err));
	ck_assert_ptr_nonnull(k);
	ck_assert_uint_gt(k->keyid, id);
	id = k->keyid;
	ck_assert_int_eq(keystore_delete(id), 0);
	errno = 0;
	ck_assert_int_eq(keystore_delete(id), -1);
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_int_eq(keystore_delete(0x12345), -1);
}
END_TEST

static Suite *
keystore_suite(void)
{
	Suite	*s = suite_create("cryptod_keystore");
	TCase	*tc = tcase_create("transient");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_transient_keys);
	tcase_add_test(tc, test_transient_cap);
	tcase_add_test(tc, test_transient_ids);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(keystore_suite());
}
