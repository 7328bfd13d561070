/*
 * i2pctl show router: printing a RouterInfo, checked on ones written by
 * i2pd 2.45.1, and refusing malformed or badly signed ones.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "encoding.h"
#include "../../i2pctl/i2pctl.h"
#include "unit.h"

#define RI_FILE	TESTS_DIR "/data/routerinfo/i2pd-2.45.1-a.dat"

static uint8_t	ri[CTL_ROUTER_INFO_MAX];
static size_t	rilen;

static void
load(void)
{
	FILE	*f = fopen(RI_FILE, "rb");

	ck_assert_ptr_nonnull(f);
	rilen = fread(ri, 1, sizeof(ri), f);
	fclose(f);
	ck_assert_uint_gt(rilen, 391);
}

/* runs a printer into strings; returns its result */
static int
run(int json, char **out, char **err)
{
	size_t	 olen, elen;
	FILE	*o = open_memstream(out, &olen), *e = open_memstream(err, &elen);
	int	 rv;

	rv = json ? print_router_json(o, e, 0, ri, rilen) :
	    print_router_text(o, e, ri, rilen);
	fclose(o);
	fclose(e);
	return rv;
}

START_TEST(test_text_i2pd)
{
	uint8_t	 hash[32];
	char	 b64[B64_ENCLEN(32)], want[128], *out, *err;

	load();
	ck_assert_int_eq(run(0, &out, &err), 0);
	/* the hash is SHA-256 of the 391-byte identity */
	sha256(hash, ri, 391);
	b64_encode(b64, sizeof(b64), hash, sizeof(hash));
	snprintf(want, sizeof(want), "Router hash          %s\n", b64);
	ck_assert_ptr_nonnull(strstr(out, want));
	ck_assert_ptr_nonnull(strstr(out, "signature type 7, crypto type 4, "
	    "391 bytes\n"));
	ck_assert_ptr_nonnull(strstr(out, "signature valid\n"));
	ck_assert_ptr_nonnull(strstr(out, "netId=99\n"));
	ck_assert_ptr_nonnull(strstr(out, "router.version=0.9.57\n"));
	ck_assert_ptr_nonnull(strstr(out, "NTCP2, cost 3\n"));
	ck_assert_ptr_nonnull(strstr(out, "host=198.18.0.9\n"));
	ck_assert_str_eq(err, "");
	free(out);
	free(err);
}
END_TEST

START_TEST(test_json_i2pd)
{
	char	*out, *err;

	load();
	ck_assert_int_eq(run(1, &out, &err), 0);
	ck_assert_ptr_nonnull(strstr(out, "\"signature_valid\":true"));
	ck_assert_ptr_nonnull(strstr(out, "\"netId\":\"99\""));
	ck_assert_ptr_nonnull(strstr(out, "\"style\":\"NTCP2\""));
	ck_assert_int_eq(out[0], '{');
	free(out);
	free(err);
}
END_TEST

START_TEST(test_bad_signature)
{
	char	*out, *err;

	load();
	ri[rilen - 1] ^= 0x01;
	ck_assert_int_eq(run(0, &out, &err), -1);
	ck_assert_ptr_nonnull(strstr(out, "signature INVALID\n"));
	free(out);
	free(err);
	ck_assert_int_eq(run(1, &out, &err), -1);
	ck_assert_ptr_nonnull(strstr(out, "\"signature_valid\":false"));
	free(out);
	free(err);
}
END_TEST

/* every proper prefix is refused before anything is printed */
START_TEST(test_truncated)
{
	char	*out, *err;
	size_t	 full, len;

	load();
	full = rilen;
	for (len = 0; len < full; len++) {
		rilen = len;
		ck_assert_int_eq(run(len & 1, &out, &err), -1);
		ck_assert_str_eq(out, "");
		ck_assert_ptr_nonnull(strstr(err, "malformed RouterInfo"));
		free(out);
		free(err);
	}
}
END_TEST

static Suite *
router_suite(void)
{
	Suite	*s = suite_create("i2pctl_router");
	TCase	*tc = tcase_create("router");

	tcase_add_test(tc, test_text_i2pd);
	tcase_add_test(tc, test_json_i2pd);
	tcase_add_test(tc, test_bad_signature);
	tcase_add_test(tc, test_truncated);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(router_suite());
}
