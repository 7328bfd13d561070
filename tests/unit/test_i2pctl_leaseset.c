/*
 * i2pctl show netdb leaseset: a LeaseSet2 printed as text and JSON,
 * its signature checked.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "i2pdata.h"
#include "../../i2pctl/i2pctl.h"
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

static char *
print(int json, int *rv, char **err)
{
	char	*out;
	size_t	 len, elen;
	FILE	*fp = open_memstream(&out, &len);
	FILE	*ef = open_memstream(err, &elen);

	*rv = json ? print_leaseset_json(fp, ef, 0, ls.raw, ls.rawlen) :
	    print_leaseset_text(fp, ef, ls.raw, ls.rawlen);
	fclose(fp);
	fclose(ef);
	return out;
}

START_TEST(test_text)
{
	char	*out, *err;
	int	 rv;

	setup();
	out = print(0, &rv, &err);
	/* published long ago: the signature still verifies */
	ck_assert_int_eq(rv, 0);
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

static Suite *
leaseset_suite(void)
{
	Suite	*s = suite_create("i2pctl_leaseset");
	TCase	*tc = tcase_create("leaseset");

	tcase_add_test(tc, test_text);
	tcase_add_test(tc, test_json_and_bad_signature);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(leaseset_suite());
}
