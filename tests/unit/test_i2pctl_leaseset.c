/*
 * i2pctl show netdb leaseset: LeaseSets of every store type printed as
 * text and JSON with their type, signatures checked.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "i2pdata.h"
#include "../../i2pctl/i2pctl.h"
#include "lsbuild.h"
#include "unit.h"

static struct leaseset2	ls;

static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

/* published 2026-11-22 00:00:00 UTC, ten minutes, two leases */
static void
setup(void)
{
	uint8_t		seed[32], pub[32], x[32];
	int		i;

	ck_assert_int_eq(ed25519_keygen(seed, pub), 0);
	ls2_init(&ls);
	ck_assert_int_eq(ident_build(&ls.dest, IDENT_DEST, NULL, pub, NULL),
	    0);
	ls.published = 1795305600;
	ls.expires = 600;
	memset(x, 0x55, sizeof(x));
	ck_assert_int_eq(ls2_add_key(&ls, CRYPTOTYPE_X25519, x, sizeof(x),
	    NULL), 0);
	ls.nleases = 2;
	for (i = 0; i < 2; i++) {
		memset(ls.leases[i].gateway, 0, 32);
		ls.leases[i].tunnel_id = 100 + i;
		ls.leases[i].end_date = ls.published + 600;
	}
	ck_assert_int_eq(ls2_sign(&ls, sign_cb, seed, NULL), 0);
}

/* as routerd sends it: the store type, then the bytes */
static uint8_t	 msg[CTL_LEASESET_MAX];
static size_t	 msglen;

static void
set_msg(uint8_t type, const uint8_t *raw, size_t len)
{
	ck_assert_uint_le(len, sizeof(msg) - 1);
	msg[0] = type;
	memcpy(msg + 1, raw, len);
	msglen = 1 + len;
}

static char *
print_msg(int json, int *rv, char **err)
{
	char	*out;
	size_t	 len, elen;
	FILE	*fp = open_memstream(&out, &len);
	FILE	*ef = open_memstream(err, &elen);

	*rv = json ? print_leaseset_json(fp, ef, 0, msg, msglen) :
	    print_leaseset_text(fp, ef, msg, msglen);
	fclose(fp);
	fclose(ef);
	return out;
}

static char *
print(int json, int *rv, char **err)
{
	set_msg(LS2_STORE_TYPE, ls.raw, ls.rawlen);
	return print_msg(json, rv, err);
}

START_TEST(test_text)
{
	char	*out, *err;
	int	 rv;

	setup();
	out = print(0, &rv, &err);
	/* published long ago: the signature still verifies */
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(out, "Type                 "
	    "LeaseSet2 (3)\n"));
	ck_assert_ptr_nonnull(strstr(out, "Published            "
	    "2026-11-22 00:00:00 UTC\n"));
	ck_assert_ptr_nonnull(strstr(out, "Expires              "
	    "2026-11-22 00:10:00 UTC\n"));
	ck_assert_ptr_nonnull(strstr(out, "signature valid\n"));
	ck_assert_ptr_nonnull(strstr(out, "Encryption keys      type 4, "
	    "32 bytes\n"));
	ck_assert_ptr_nonnull(strstr(out, "Lease 2              gateway "
	    "AAAAAAAAAAAA..., tunnel 101, until 2026-11-22 00:10:00 UTC\n"));
	free(out);
	free(err);
}
END_TEST

START_TEST(test_json_and_bad_signature)
{
	char	*out, *err;
	int	 rv;

	setup();
	out = print(1, &rv, &err);
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"published\":1795305600,"
	    "\"expires\":1795306200,"));
	ck_assert_ptr_nonnull(strstr(out, "\"keys\":[4],\"leases\":[{"
	    "\"gateway\":\"AAAA"));
	free(out);
	free(err);
	ls.raw[ls.rawlen - 1] ^= 1;
	out = print(0, &rv, &err);
	ck_assert_int_eq(rv, -1);
	ck_assert_ptr_nonnull(strstr(out, "signature INVALID"));
	free(out);
	free(err);
}
END_TEST

/* LeaseSet (1) of a DSA destination, EncryptedLeaseSet (5), Meta (7) */
START_TEST(test_other_types)
{
	static uint8_t	 raw[LS2_MAXLEN];
	struct tkey	 k;
	char		*out, *err;
	size_t		 len;
	int		 rv;

	tkey_new(&k, SIGTYPE_DSA_SHA1);
	len = lsb_ls1(raw, sizeof(raw), &k, 2, 1795305600000ULL);
	set_msg(LS1_STORE_TYPE, raw, len);
	out = print_msg(0, &rv, &err);
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(out, "Type                 "
	    "LeaseSet (1)\n"));
	ck_assert_ptr_nonnull(strstr(out, "First lease ends     "
	    "2026-11-22 00:00:00 UTC\n"));
	ck_assert_ptr_nonnull(strstr(out, "Expires              "
	    "2026-11-22 00:00:01 UTC\n"));
	ck_assert_ptr_nonnull(strstr(out, "Signature type       0\n"));
	ck_assert_ptr_nonnull(strstr(out, "Lease 2              gateway "));
	free(out);
	free(err);
	out = print_msg(1, &rv, &err);
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(out, "{\"leaseset\":{\"type\":1,"
	    "\"type_name\":\"LeaseSet\",\"destination\":"));
	free(out);
	free(err);
	tkey_free(&k);

	tkey_new(&k, SIGTYPE_REDDSA);
	len = lsb_enc(raw, sizeof(raw), &k, 1795305600, 600, 0, NULL, 0, 99);
	set_msg(LSE_STORE_TYPE, raw, len);
	out = print_msg(0, &rv, &err);
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(out, "Type                 "
	    "EncryptedLeaseSet (5)\nBlinded key hash     "));
	ck_assert_ptr_nonnull(strstr(out, "Encrypted data       99 bytes\n"));
	free(out);
	free(err);

	len = lsb_meta(raw, sizeof(raw), &k, 1795305600, 3600, 0, 2, 1);
	set_msg(LSM_STORE_TYPE, raw, len);
	out = print_msg(1, &rv, &err);
	ck_assert_int_eq(rv, 0);
	ck_assert_ptr_nonnull(strstr(out, "\"type\":7,\"type_name\":"
	    "\"MetaLeaseSet\""));
	ck_assert_ptr_nonnull(strstr(out, "\"cost\":11,"));
	free(out);
	free(err);

	/* a type it does not know, and a truncated one */
	raw[0] = 0;
	set_msg(2, raw, len);
	out = print_msg(0, &rv, &err);
	ck_assert_int_eq(rv, -1);
	ck_assert_ptr_nonnull(strstr(err, "malformed LeaseSet from i2prd (store type 2)"));
	free(out);
	free(err);
	set_msg(LSM_STORE_TYPE, raw, 10);
	out = print_msg(0, &rv, &err);
	ck_assert_int_eq(rv, -1);
	ck_assert_ptr_nonnull(strstr(err, "(store type 7): identity"));
	free(out);
	free(err);
}
END_TEST

static Suite *
leaseset_suite(void)
{
	Suite	*s = suite_create("i2pctl_leaseset");
	TCase	*tc = tcase_create("leaseset");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json_and_bad_signature);
	tcase_add_test(tc, test_other_types);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(leaseset_suite());
}
