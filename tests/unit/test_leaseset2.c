/*
 * Unit tests of common/leaseset2.c: Lease2, offline signatures and
 * LeaseSet2, built, signed, parsed and verified with Ed25519.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "unit.h"

#define NOW		1700000000U

static uint8_t	 dest_seed[32], dest_pub[32], tr_seed[32], tr_pub[32];
static uint8_t	 elg[256], xkey[32];

static void
setup(void)
{
	memset(dest_seed, 0x01, sizeof(dest_seed));
	ck_assert_int_eq(ed25519_public(dest_pub, dest_seed), 0);
	memset(tr_seed, 0x02, sizeof(tr_seed));
	ck_assert_int_eq(ed25519_public(tr_pub, tr_seed), 0);
	memset(elg, 0xee, sizeof(elg));
	memset(xkey, 0x44, sizeof(xkey));
}

/* the i2p_sign_fn of the tests: arg is the Ed25519 seed */
static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

static int
parse_code(struct leaseset2 *ls, const void *p, size_t len, unsigned *arg)
{
	struct i2p_err	 err = { 0 };

	if (ls2_parse(ls, p, len, &err) == 0)
		return I2PE_OK;
	ck_assert_int_ne(err.code, I2PE_OK);
	if (arg != NULL)
		*arg = err.arg;
	return err.code;
}

static int
verify_code(const struct leaseset2 *ls, uint32_t now)
{
	struct i2p_err	 err = { 0 };

	if (ls2_verify(ls, now, &err) == 0)
		return I2PE_OK;
	ck_assert_int_ne(err.code, I2PE_OK);
	return err.code;
}

/* fields like an i2pd tunnel's: keys "0,4", two leases */
static void
fill_ls(struct leaseset2 *ls, int offline)
{
	struct lease2	*l;
	int		 i;

	ls2_init(ls);
	ck_assert_int_eq(ident_build(&ls->dest, IDENT_DEST, NULL, dest_pub,
	    NULL), 0);
	ls->published = NOW;
	ls->expires = 600;
	ck_assert_int_eq(ls2_add_key(ls, CRYPTOTYPE_ELGAMAL, elg, sizeof(elg),
	    NULL), 0);
	ck_assert_int_eq(ls2_add_key(ls, CRYPTOTYPE_X25519, xkey,
	    sizeof(xkey), NULL), 0);
	ls->nleases = 2;
	for (i = 0; i < 2; i++) {
		l = &ls->leases[i];
		memset(l->gateway, 0xa0 + i, sizeof(l->gateway));
		l->tunnel_id = 1000 + i;
		l->end_date = NOW + 600 + i;
	}
	if (offline) {
		ls->flags |= LS2_F_OFFLINE;
		ck_assert_int_eq(offline_sig_sign(&ls->offline, NOW + 86400,
		    tr_pub, sign_cb, dest_seed, NULL), 0);
	}
}

static void
build_ls(struct leaseset2 *ls, int offline)
{
	fill_ls(ls, offline);
	ck_assert_int_eq(ls2_sign(ls, sign_cb, offline ? tr_seed : dest_seed,
	    NULL), 0);
}

static void
check_roundtrip(const struct leaseset2 *ls)
{
	struct wbuf	 w;
	uint8_t		 buf[LS2_MAXLEN];

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ls2_write_body(ls, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), ls->signedlen);
	ck_assert_mem_eq(buf, ls->raw, ls->signedlen);
}

START_TEST(test_ls2_roundtrip)
{
	struct leaseset2	*ls, *ls2;

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, 0);
	/* 391 + 8 + 2 + 1 + 4+256 + 4+32 + 1 + 80 + 64 */
	ck_assert_uint_eq(ls->rawlen, 843);
	ck_assert_int_eq(verify_code(ls, NOW), I2PE_OK);

	ck_assert_int_eq(parse_code(ls2, ls->raw, ls->rawlen, NULL), I2PE_OK);
	ck_assert_int_eq(verify_code(ls2, NOW), I2PE_OK);
	check_roundtrip(ls2);
	ck_assert(ident_equal(&ls->dest, &ls2->dest));
	ck_assert_uint_eq(ls2->published, NOW);
	ck_assert_uint_eq(ls2->expires, 600);
	ck_assert_uint_eq(ls2->flags, 0);
	ck_assert_uint_eq(ls2->nkeys, 2);
	ck_assert_mem_eq(ls2_find_key(ls2, CRYPTOTYPE_X25519), xkey, 32);
	ck_assert_mem_eq(ls2_find_key(ls2, CRYPTOTYPE_ELGAMAL), elg, 256);
	ck_assert_ptr_null(ls2_find_key(ls2, 1));
	ck_assert_uint_eq(ls2->nleases, 2);
	ck_assert_uint_eq(ls2->leases[1].tunnel_id, 1001);
	ck_assert_uint_eq(ls2->leases[1].end_date, NOW + 601);
	ck_assert_uint_eq(ls2->leases[1].gateway[0], 0xa1);
	ck_assert_uint_eq(mapping_count(&ls2->options), 0);
	free(ls);
	free(ls2);
}
END_TEST

START_TEST(test_ls2_options)
{
	struct leaseset2	*ls, *ls2;

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	fill_ls(ls, 0);
	mapping_set(&ls->options, "_smtp._tcp", "1 86400 0 0 25 x.b32.i2p");
	mapping_set(&ls->options, "_http._tcp", "1 86400 0 0 80 y.b32.i2p");
	ck_assert_int_eq(ls2_sign(ls, sign_cb, dest_seed, NULL), 0);
	ck_assert_int_eq(parse_code(ls2, ls->raw, ls->rawlen, NULL), I2PE_OK);
	ck_assert_int_eq(verify_code(ls2, NOW), I2PE_OK);
	ck_assert_str_eq(mapping_key(&ls2->options, 0), "_http._tcp");
	check_roundtrip(ls2);
	free(ls);
	free(ls2);
}
END_TEST

START_TEST(test_ls2_offline)
{
	struct leaseset2	*ls, *ls2;
	struct i2p_err		 err;

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, 1);
	/* 843 + 4 + 2 + 32 + 64 */
	ck_assert_uint_eq(ls->rawlen, 945);
	ck_assert_int_eq(parse_code(ls2, ls->raw, ls->rawlen, NULL), I2PE_OK);
	ck_assert_uint_eq(ls2->flags, LS2_F_OFFLINE);
	ck_assert_uint_eq(ls2->offline.expires, NOW + 86400);
	ck_assert_uint_eq(ls2->offline.sigtype, SIGTYPE_ED25519);
	ck_assert_mem_eq(ls2->offline.transient_pub, tr_pub, 32);
	ck_assert_int_eq(verify_code(ls2, NOW), I2PE_OK);
	ck_assert_int_eq(offline_sig_verify(&ls2->offline, &ls2->dest, NOW,
	    &err), 0);
	check_roundtrip(ls2);

	/* expired: at and after the expiry second */
	ck_assert_int_eq(verify_code(ls2, NOW + 86400), I2PE_EXPIRED);
	ck_assert_int_eq(verify_code(ls2, NOW + 90000), I2PE_EXPIRED);
	ck_assert_int_eq(verify_code(ls2, NOW + 86399), I2PE_OK);

	/* the transient key's signature is the one that counts */
	fill_ls(ls, 1);
	ck_assert_int_eq(ls2_sign(ls, sign_cb, dest_seed, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
	free(ls);
	free(ls2);
}
END_TEST

/* an offline signature by another key than the destination's */
START_TEST(test_ls2_offline_forged)
{
	struct leaseset2	*ls, *ls2;
	struct i2p_err		 err;
	char			 s[128];

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	fill_ls(ls, 1);
	ck_assert_int_eq(offline_sig_sign(&ls->offline, NOW + 86400, tr_pub,
	    sign_cb, tr_seed, NULL), 0);
	ck_assert_int_eq(ls2_sign(ls, sign_cb, tr_seed, NULL), 0);
	ck_assert_int_eq(parse_code(ls2, ls->raw, ls->rawlen, NULL), I2PE_OK);
	ck_assert_int_eq(ls2_verify(ls2, NOW, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
	ck_assert_str_eq(i2p_errstr(&err, s, sizeof(s)),
	    "offline signature: bad signature");

	/* a sigtype we do not take in an offline block */
	fill_ls(ls, 1);
	ls->offline.sigtype = SIGTYPE_ECDSA_P256;
	ck_assert_int_eq(ls2_sign(ls, sign_cb, tr_seed, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGTYPE);
	ck_assert_int_eq(offline_sig_verify(&ls->offline, &ls->dest, NOW,
	    &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGTYPE);
	free(ls);
	free(ls2);
}
END_TEST

/* the signature covers the store type byte in front */
START_TEST(test_ls2_type_byte)
{
	struct leaseset2	*ls, *ls2;
	uint8_t			 sig[64];

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, 0);
	ck_assert_int_eq(ed25519_sign(sig, dest_seed, ls->raw, ls->signedlen),
	    0);
	memcpy(&ls->raw[ls->signedlen], sig, 64);
	ck_assert_int_eq(parse_code(ls2, ls->raw, ls->rawlen, NULL), I2PE_OK);
	ck_assert_int_eq(verify_code(ls2, NOW), I2PE_SIGNATURE);
	free(ls);
	free(ls2);
}
END_TEST

static void
truncate_all(int offline)
{
	struct leaseset2	*ls, *ls2;
	size_t			 n;

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, offline);
	for (n = 0; n < ls->rawlen; n++) {
		ck_assert_int_eq(parse_code(ls2, ls->raw, n, NULL),
		    I2PE_TRUNCATED);
		ck_assert_uint_eq(ls2->rawlen, 0);
	}
	free(ls);
	free(ls2);
}

START_TEST(test_ls2_truncated)
{
	truncate_all(0);
	truncate_all(1);
}
END_TEST

START_TEST(test_ls2_trailing_oversized)
{
	struct leaseset2	*ls, *ls2;
	uint8_t			 buf[LS2_MAXLEN + 1];

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, 0);
	memcpy(buf, ls->raw, ls->rawlen);
	buf[ls->rawlen] = 0;
	ck_assert_int_eq(parse_code(ls2, buf, ls->rawlen + 1, NULL),
	    I2PE_TRAILING);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(parse_code(ls2, buf, sizeof(buf), NULL),
	    I2PE_TOO_LARGE);
	free(ls);
	free(ls2);
}
END_TEST

static void
bitflip_all(int offline)
{
	struct leaseset2	*ls, *ls2;
	uint8_t			 buf[LS2_MAXLEN];
	size_t			 i;
	int			 bit;

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, offline);
	for (i = 0; i < ls->rawlen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, ls->raw, ls->rawlen);
			buf[i] ^= 1 << bit;
			if (parse_code(ls2, buf, ls->rawlen, NULL) != I2PE_OK)
				continue;
			ck_assert_int_ne(verify_code(ls2, NOW), I2PE_OK);
		}
	}
	free(ls);
	free(ls2);
}

/* no single-bit change passes both the parser and the signatures */
START_TEST(test_ls2_bitflips)
{
	bitflip_all(0);
	bitflip_all(1);
}
END_TEST

/* LeaseSet2 bytes from a signed one with the part after dest replaced */
static size_t
make_ls(uint8_t *buf, size_t sz, const struct leaseset2 *ls, int nkeys,
    uint16_t keytype, uint16_t keylen, int nleases)
{
	struct wbuf	 w;
	int		 i;

	wbuf_init_fixed(&w, buf, sz);
	ident_write(&ls->dest, &w);
	wbuf_put_u32(&w, NOW);
	wbuf_put_u16(&w, 600);
	wbuf_put_u16(&w, 0);
	wbuf_put_u16(&w, 0);		/* options */
	wbuf_put_u8(&w, nkeys);
	for (i = 0; i < nkeys; i++) {
		wbuf_put_u16(&w, keytype);
		wbuf_put_u16(&w, keylen);
		wbuf_put_zero(&w, keylen);
	}
	wbuf_put_u8(&w, nleases);
	wbuf_put_zero(&w, 40 * nleases);
	wbuf_put_zero(&w, 64);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

START_TEST(test_ls2_strict)
{
	struct leaseset2	*ls, *ls2;
	uint8_t			 buf[LS2_MAXLEN * 2];
	size_t			 len;

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, 0);
	len = make_ls(buf, sizeof(buf), ls, 1, 4, 32, 1);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(verify_code(ls2, NOW), I2PE_SIGNATURE);
	/* key lengths of known types are checked, others kept */
	len = make_ls(buf, sizeof(buf), ls, 1, 4, 31, 1);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_KEYLEN);
	len = make_ls(buf, sizeof(buf), ls, 1, 0, 32, 1);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_KEYLEN);
	len = make_ls(buf, sizeof(buf), ls, 1, 6, 1184, 1);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_OK);
	ck_assert_ptr_nonnull(ls2_find_key(ls2, 6));
	ck_assert_uint_eq(ls2->keys[0].len, 1184);
	len = make_ls(buf, sizeof(buf), ls, 2, 6, 1184, 1);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_TOO_LARGE);
	len = make_ls(buf, sizeof(buf), ls, LS2_MAX_KEYS + 1, 4, 32, 1);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_TOO_MANY);
	len = make_ls(buf, sizeof(buf), ls, 0, 4, 32, 1);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_FIELD);
	/* leases: 1 to 16 */
	len = make_ls(buf, sizeof(buf), ls, 1, 4, 32, 0);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_FIELD);
	len = make_ls(buf, sizeof(buf), ls, 1, 4, 32, 16);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_OK);
	len = make_ls(buf, sizeof(buf), ls, 1, 4, 32, 17);
	ck_assert_int_eq(parse_code(ls2, buf, len, NULL), I2PE_TOO_MANY);
	free(ls);
	free(ls2);
}
END_TEST

/* the transient key's type decides the lengths; only 7 is taken */
START_TEST(test_ls2_offline_sigtypes)
{
	struct leaseset2	*ls, *ls2;
	uint8_t			 buf[LS2_MAXLEN];
	unsigned		 arg;
	uint16_t		 types[] = { 0, 1, 3, 8, 12, 65535 };
	size_t			 i;

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, 1);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memcpy(buf, ls->raw, ls->rawlen);
		/* after dest 391, times and flags 8, expires 4 */
		buf[403] = types[i] >> 8;
		buf[404] = types[i] & 0xff;
		ck_assert_int_eq(parse_code(ls2, buf, ls->rawlen, &arg),
		    I2PE_SIGTYPE);
		ck_assert_uint_eq(arg, types[i]);
	}
	free(ls);
	free(ls2);
}
END_TEST

START_TEST(test_ls2_unsupported_dest)
{
	struct leaseset2	*ls, *ls2;
	struct i2p_err		 err;
	uint8_t			 buf[LS2_MAXLEN];
	char			 s[128];

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, 0);
	memcpy(buf, ls->raw, ls->rawlen);
	buf[388] = SIGTYPE_ED25519PH;
	ck_assert_int_eq(ls2_parse(ls2, buf, ls->rawlen, &err), -1);
	ck_assert_str_eq(i2p_errstr(&err, s, sizeof(s)),
	    "Destination: unsupported signature type 8");
	free(ls);
	free(ls2);
}
END_TEST

START_TEST(test_ls2_build_errors)
{
	struct leaseset2	*ls;
	struct i2p_err		 err;
	uint8_t			 k[40];

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	fill_ls(ls, 0);
	ls->nleases = 0;
	ck_assert_int_eq(ls2_sign(ls, sign_cb, dest_seed, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	fill_ls(ls, 0);
	ls->nleases = LS2_MAX_LEASES + 1;
	ck_assert_int_eq(ls2_sign(ls, sign_cb, dest_seed, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TOO_MANY);
	ls2_init(ls);
	ck_assert_int_eq(ls2_sign(ls, sign_cb, dest_seed, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	ck_assert_int_eq(ls2_verify(ls, NOW, &err), -1);

	memset(k, 0, sizeof(k));
	ck_assert_int_eq(ls2_add_key(ls, 4, k, 31, &err), -1);
	ck_assert_int_eq(err.code, I2PE_KEYLEN);
	for (size_t i = 0; i < LS2_MAX_KEYS; i++)
		ck_assert_int_eq(ls2_add_key(ls, 4, k, 32, &err), 0);
	ck_assert_int_eq(ls2_add_key(ls, 4, k, 32, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TOO_MANY);
	free(ls);
}
END_TEST

START_TEST(test_ls2_random)
{
	struct leaseset2	*ls, *ls2;
	uint8_t			 buf[LS2_MAXLEN];
	size_t			 i, j, len;

	ck_assert_ptr_nonnull(ls = malloc(sizeof(*ls)));
	ck_assert_ptr_nonnull(ls2 = malloc(sizeof(*ls2)));
	build_ls(ls, 1);
	srandom(4);
	for (i = 0; i < 5000; i++) {
		memcpy(buf, ls->raw, ls->rawlen);
		for (j = 0; j < 1 + (size_t)random() % 8; j++)
			buf[I2P_IDENT_LEN + random() %
			    (ls->rawlen - I2P_IDENT_LEN)] = random();
		len = ls->rawlen - random() % 3;
		/* the random bytes may all equal the ones they replace */
		if (len == ls->rawlen && memcmp(buf, ls->raw, len) == 0)
			continue;
		if (parse_code(ls2, buf, len, NULL) == I2PE_OK)
			ck_assert_int_ne(verify_code(ls2, NOW), I2PE_OK);
	}
	free(ls);
	free(ls2);
}
END_TEST

static Suite *
leaseset2_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("leaseset2");

	tc = tcase_create("leaseset2");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ls2_roundtrip);
	tcase_add_test(tc, test_ls2_options);
	tcase_add_test(tc, test_ls2_offline);
	tcase_add_test(tc, test_ls2_offline_forged);
	tcase_add_test(tc, test_ls2_type_byte);
	tcase_add_test(tc, test_ls2_build_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("strict");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ls2_truncated);
	tcase_add_test(tc, test_ls2_trailing_oversized);
	tcase_add_test(tc, test_ls2_bitflips);
	tcase_add_test(tc, test_ls2_strict);
	tcase_add_test(tc, test_ls2_offline_sigtypes);
	tcase_add_test(tc, test_ls2_unsupported_dest);
	tcase_add_test(tc, test_ls2_random);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(leaseset2_suite());
}
