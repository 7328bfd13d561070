/*
 * DatabaseStore parse and build (routerd/dsm.c), with gzip bounded.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "../../routerd/dsm.h"
#include "unit.h"

#define RI_FILE	TESTS_DIR "/data/routerinfo/i2pd-2.45.1-ff.dat"

static uint8_t	ri[DSM_RI_MAX];
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

static size_t
build(uint8_t *buf, size_t len, uint32_t token)
{
	struct wbuf	w;
	uint8_t		key[32], gw[32];

	memset(key, 0x11, sizeof(key));
	memset(gw, 0x22, sizeof(gw));
	wbuf_init_fixed(&w, buf, len);
	ck_assert_int_eq(dsm_build_ri(&w, key, ri, rilen, token, 7, gw), 0);
	return wbuf_len(&w);
}

START_TEST(test_round_trip)
{
	static struct dsm	 d;
	uint8_t			 buf[4096];
	const char		*why;
	size_t			 n;

	load();
	n = build(buf, sizeof(buf), 0);
	ck_assert_int_eq(dsm_parse(&d, buf, n, &why), 0);
	ck_assert_uint_eq(d.type, DSM_TYPE_RI);
	ck_assert_uint_eq(d.reply_token, 0);
	ck_assert_uint_eq(d.datalen, rilen);
	ck_assert_int_eq(memcmp(d.data, ri, rilen), 0);
	/* with a reply token: tunnel and gateway follow */
	n = build(buf, sizeof(buf), 0xdeadbeef);
	ck_assert_int_eq(dsm_parse(&d, buf, n, &why), 0);
	ck_assert_uint_eq(d.reply_token, 0xdeadbeef);
	ck_assert_uint_eq(d.reply_tunnel, 7);
	ck_assert_uint_eq(d.reply_gateway[31], 0x22);
	ck_assert_uint_eq(d.key[0], 0x11);
}
END_TEST

/* every proper prefix fails with a reason, never reads past the end */
START_TEST(test_truncated)
{
	static struct dsm	 d;
	uint8_t			 buf[4096], *copy;
	const char		*why;
	size_t			 n, len;

	load();
	n = build(buf, sizeof(buf), 1);
	for (len = 0; len < n; len++) {
		copy = malloc(len + 1);
		memcpy(copy, buf, len);
		why = NULL;
		ck_assert_int_eq(dsm_parse(&d, copy, len, &why), -1);
		ck_assert_ptr_nonnull(why);
		free(copy);
	}
}
END_TEST

START_TEST(test_trailing_and_bad_gzip)
{
	static struct dsm	 d;
	uint8_t			 buf[4096];
	const char		*why;
	size_t			 n;

	load();
	n = build(buf, sizeof(buf), 0);
	buf[n] = 0;
	ck_assert_int_eq(dsm_parse(&d, buf, n + 1, &why), -1);
	ck_assert_str_eq(why, "trailing bytes");
	buf[50] ^= 0xff;	/* inside the gzip data */
	ck_assert_int_eq(dsm_parse(&d, buf, n, &why), -1);
	buf[32] = 9;		/* unknown store type (after the key) */
	ck_assert_int_eq(dsm_parse(&d, buf, n, &why), -1);
	ck_assert_str_eq(why, "unknown store type");
}
END_TEST

/* a LeaseSet store: the bytes as they are, after the header */
START_TEST(test_leaseset_round_trip)
{
	static struct dsm	 d;
	uint8_t			 ls[500], key[32], gw[32], buf[1024];
	struct wbuf		 w;
	const char		*why;
	size_t			 i;

	for (i = 0; i < sizeof(ls); i++)
		ls[i] = i;
	memset(key, 0x11, sizeof(key));
	memset(gw, 0x22, sizeof(gw));
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(dsm_build_ls(&w, key, DSM_TYPE_LS2, ls, sizeof(ls),
	    9, 7, gw), 0);
	ck_assert_uint_eq(wbuf_len(&w), 32 + 1 + 4 + 4 + 32 + sizeof(ls));
	ck_assert_int_eq(dsm_parse(&d, buf, wbuf_len(&w), &why), 0);
	ck_assert_uint_eq(d.type, DSM_TYPE_LS2);
	ck_assert_uint_eq(d.reply_token, 9);
	ck_assert_uint_eq(d.reply_tunnel, 7);
	ck_assert_uint_eq(d.datalen, sizeof(ls));
	ck_assert_mem_eq(d.data, ls, sizeof(ls));
	/* a RouterInfo is not a LeaseSet */
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(dsm_build_ls(&w, key, DSM_TYPE_RI, ls, sizeof(ls),
	    0, 0, NULL), -1);
}
END_TEST

/* a small message must not inflate beyond DSM_RI_MAX */
START_TEST(test_gzip_bomb)
{
	static uint8_t	 zeros[64 * 1024], gz[1024], out[DSM_RI_MAX];
	size_t		 gzlen, outlen;

	ck_assert_int_eq(gzip_deflate(gz, sizeof(gz), &gzlen, zeros,
	    sizeof(zeros)), 0);
	ck_assert_uint_lt(gzlen, 1024);
	ck_assert_int_eq(gzip_inflate(out, sizeof(out), &outlen, gz, gzlen),
	    -1);
	ck_assert_int_eq(gzip_inflate(out, sizeof(out), &outlen, gz, 0), -1);
}
END_TEST

static Suite *
dsm_suite(void)
{
	Suite	*s = suite_create("dsm");
	TCase	*tc = tcase_create("dsm");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_truncated);
	tcase_add_test(tc, test_trailing_and_bad_gzip);
	tcase_add_test(tc, test_gzip_bomb);
	tcase_add_test(tc, test_leaseset_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(dsm_suite());
}
