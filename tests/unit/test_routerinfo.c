/*
 * Unit tests of common/routerinfo.c: RouterAddress and RouterInfo, with
 * RouterInfos that i2pd 2.45.1 wrote (tests/data/routerinfo/, made by
 * running it in an isolated network namespace with netid 99).
 */
#include <bsd/string.h>
#include <check.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "unit.h"

#ifndef TESTS_DIR
#define TESTS_DIR	"tests"
#endif
#define RI_GLOB		TESTS_DIR "/data/routerinfo/*.dat"

static uint8_t	 seed[32], sign_pub[32], x_pub[32];

static void
setup(void)
{
	memset(seed, 0x5a, sizeof(seed));
	ck_assert_int_eq(ed25519_public(sign_pub, seed), 0);
	memset(x_pub, 0x22, sizeof(x_pub));
}

/* the i2p_sign_fn of the tests: arg is the Ed25519 seed */
static int
sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return ed25519_sign(sig, arg, msg, len);
}

static int
sign_fail(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	return -1;
}

static int
parse_code(struct router_info *ri, const void *p, size_t len, unsigned *arg)
{
	struct i2p_err	 err = { 0 };

	if (ri_parse(ri, p, len, &err) == 0)
		return I2PE_OK;
	ck_assert_int_ne(err.code, I2PE_OK);
	if (arg != NULL)
		*arg = err.arg;
	return err.code;
}

static size_t
load(const char *path, uint8_t *buf, size_t sz)
{
	FILE	*f;
	size_t	 len;

	ck_assert_ptr_nonnull(f = fopen(path, "rb"));
	len = fread(buf, 1, sz, f);
	ck_assert_int_eq(ferror(f), 0);
	fclose(f);
	return len;
}

/* a RouterInfo like ours: NTCP2 with host, port, s, i, v */
static void
build_ri(struct router_info *ri)
{
	struct router_address	*ra;
	char			 b64[64];
	uint8_t			 k[32];

	memset(ri, 0, sizeof(*ri));
	ck_assert_int_eq(ident_build(&ri->ident, IDENT_ROUTER, x_pub,
	    sign_pub, NULL), 0);
	ri->published = 1700000000123ULL;
	ri->naddrs = 1;
	ra = &ri->addrs[0];
	ra->cost = 3;
	strlcpy(ra->style, "NTCP2", sizeof(ra->style));
	mapping_init(&ra->options);
	mapping_set(&ra->options, "host", "198.18.0.1");
	mapping_set(&ra->options, "port", "20000");
	memset(k, 0x77, sizeof(k));
	b64_encode(b64, sizeof(b64), k, 32);
	mapping_set(&ra->options, "s", b64);
	b64_encode(b64, sizeof(b64), k, 16);
	mapping_set(&ra->options, "i", b64);
	mapping_set(&ra->options, "v", "2");
	mapping_init(&ri->options);
	mapping_set(&ri->options, "router.version", "0.9.57");
	mapping_set(&ri->options, "netId", "99");
	mapping_set(&ri->options, "caps", "XR");
	ck_assert_int_eq(ri_sign(ri, sign_cb, seed, NULL), 0);
}

/* ri_write_body gives back exactly the signed bytes */
static void
check_roundtrip(const struct router_info *ri)
{
	struct wbuf	 w;
	uint8_t		 buf[RI_MAXLEN];

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ri_write_body(ri, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), ri->signedlen);
	ck_assert_mem_eq(buf, ri->raw, ri->signedlen);
}

/* what routerd will need from a peer's RouterInfo is all there */
static void
check_i2pd_ri(const struct router_info *ri)
{
	const struct router_address	*ntcp2;
	unsigned long long		 v;
	uint8_t				 s[32], iv[16];

	ck_assert_uint_eq(ri->ident.sigtype, SIGTYPE_ED25519);
	ck_assert_uint_eq(ri->ident.cryptotype, CRYPTOTYPE_X25519);
	ck_assert_ptr_nonnull(ntcp2 = ri_find_addr(ri, "NTCP2"));
	ck_assert_int_eq(mapping_get_b64(&ntcp2->options, "s", s, 32), 0);
	ck_assert_int_eq(mapping_get_b64(&ntcp2->options, "i", iv, 16), 0);
	ck_assert_str_eq(mapping_get(&ntcp2->options, "v"), "2");
	ck_assert_str_eq(mapping_get(&ntcp2->options, "host"), "198.18.0.9");
	ck_assert_int_eq(mapping_get_uint(&ntcp2->options, "port", 65535, &v),
	    0);
	ck_assert_uint_eq(v, 20000);
	ck_assert_int_eq(mapping_get_uint(&ri->options, "netId", 255, &v), 0);
	ck_assert_uint_eq(v, 99);
	ck_assert_ptr_nonnull(mapping_get(&ri->options, "router.version"));
	ck_assert_ptr_nonnull(mapping_get(&ri->options, "caps"));
	ck_assert_ptr_nonnull(ri_find_addr(ri, "SSU2"));
	ck_assert_ptr_null(ri_find_addr(ri, "SSU"));
}

START_TEST(test_ri_i2pd)
{
	struct router_info	*ri;
	glob_t			 g;
	uint8_t			 buf[RI_MAXLEN + 1];
	size_t			 i, len;
	int			 floodfills = 0;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	ck_assert_int_eq(glob(RI_GLOB, 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 3);
	for (i = 0; i < g.gl_pathc; i++) {
		len = load(g.gl_pathv[i], buf, sizeof(buf));
		ck_assert_int_eq(parse_code(ri, buf, len, NULL), I2PE_OK);
		ck_assert_int_eq(ri_verify(ri, NULL), 0);
		check_i2pd_ri(ri);
		check_roundtrip(ri);
		if (strchr(mapping_get(&ri->options, "caps"), 'f') != NULL)
			floodfills++;
	}
	ck_assert_int_ge(floodfills, 1);
	globfree(&g);
	free(ri);
}
END_TEST

/* every prefix of every real RouterInfo fails cleanly */
START_TEST(test_ri_truncated)
{
	struct router_info	*ri;
	glob_t			 g;
	uint8_t			 buf[RI_MAXLEN + 1];
	size_t			 i, len, n;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	ck_assert_int_eq(glob(RI_GLOB, 0, NULL, &g), 0);
	for (i = 0; i < g.gl_pathc; i++) {
		len = load(g.gl_pathv[i], buf, sizeof(buf));
		for (n = 0; n < len; n++) {
			ck_assert_int_ne(parse_code(ri, buf, n, NULL), I2PE_OK);
			ck_assert_uint_eq(ri->rawlen, 0);
		}
	}
	globfree(&g);
	free(ri);
}
END_TEST

START_TEST(test_ri_trailing_oversized)
{
	struct router_info	*ri;
	uint8_t			 buf[RI_MAXLEN + 1];
	size_t			 len;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	len = load(TESTS_DIR "/data/routerinfo/i2pd-2.45.1-a.dat", buf,
	    sizeof(buf));
	buf[len] = 0;
	ck_assert_int_eq(parse_code(ri, buf, len + 1, NULL), I2PE_TRAILING);
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(parse_code(ri, buf, RI_MAXLEN + 1, NULL),
	    I2PE_TOO_LARGE);
	free(ri);
}
END_TEST

/*
 * Every single-bit change to a signed RouterInfo is caught: by the
 * parser, or else by the signature.
 */
START_TEST(test_ri_bitflips)
{
	struct router_info	*ri;
	uint8_t			 orig[RI_MAXLEN + 1], buf[RI_MAXLEN + 1];
	size_t			 i, len;
	int			 bit, parsed = 0;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	len = load(TESTS_DIR "/data/routerinfo/i2pd-2.45.1-ff.dat", orig,
	    sizeof(orig));
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, orig, len);
			buf[i] ^= 1 << bit;
			if (parse_code(ri, buf, len, NULL) != I2PE_OK)
				continue;
			parsed++;
			ck_assert_int_eq(ri_verify(ri, NULL), -1);
		}
	}
	/* most flips (keys, values, the signature) parse fine */
	ck_assert_int_gt(parsed, (int)len * 4);
	free(ri);
}
END_TEST

START_TEST(test_ri_build)
{
	struct router_info	*ri, *ri2;
	struct i2p_err		 err;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	ck_assert_ptr_nonnull(ri2 = malloc(sizeof(*ri2)));
	build_ri(ri);
	ck_assert_uint_eq(ri->siglen, 64);
	ck_assert_uint_eq(ri->rawlen, ri->signedlen + 64);
	ck_assert_int_eq(ri_verify(ri, NULL), 0);

	ck_assert_int_eq(ri_parse(ri2, ri->raw, ri->rawlen, &err), 0);
	ck_assert_int_eq(ri_verify(ri2, &err), 0);
	ck_assert(ident_equal(&ri->ident, &ri2->ident));
	ck_assert_uint_eq(ri2->published, 1700000000123ULL);
	ck_assert_uint_eq(ri2->naddrs, 1);
	ck_assert_uint_eq(ri2->addrs[0].cost, 3);
	ck_assert_str_eq(ri2->addrs[0].style, "NTCP2");
	ck_assert_str_eq(mapping_get(&ri2->options, "caps"), "XR");
	/* options were set out of order and come out sorted */
	ck_assert_str_eq(mapping_key(&ri2->options, 0), "caps");
	ck_assert_str_eq(mapping_key(&ri2->options, 2), "router.version");
	check_roundtrip(ri2);
	ck_assert_mem_eq(ri2->raw, ri->raw, ri->rawlen);

	/* signing again gives the same bytes (Ed25519 is deterministic) */
	ck_assert_int_eq(ri_sign(ri2, sign_cb, seed, &err), 0);
	ck_assert_uint_eq(ri2->rawlen, ri->rawlen);
	ck_assert_mem_eq(ri2->raw, ri->raw, ri->rawlen);
	free(ri);
	free(ri2);
}
END_TEST

START_TEST(test_ri_sign_errors)
{
	struct router_info	*ri;
	struct i2p_err		 err;
	uint8_t			 other[32];
	char			 big[256];
	int			 i;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	build_ri(ri);
	/* a signer holding another key: caught before publishing */
	memset(other, 0x99, sizeof(other));
	ck_assert_int_eq(ri_sign(ri, sign_cb, other, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
	ck_assert_uint_eq(ri->rawlen, 0);
	ck_assert_int_eq(ri_sign(ri, sign_fail, NULL, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGN);

	/* over 3072 bytes: 4 + 2 entries of 255 + 255 */
	build_ri(ri);
	memset(big, 'x', 255);
	big[255] = '\0';
	for (i = 0; i < 6; i++) {
		big[0] = 'a' + i;
		ck_assert_int_eq(mapping_set(i < 4 ? &ri->addrs[0].options :
		    &ri->options, big, big), 0);
	}
	ck_assert_int_eq(ri_sign(ri, sign_cb, seed, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TOO_LARGE);

	/* no identity */
	memset(ri, 0, sizeof(*ri));
	ck_assert_int_eq(ri_sign(ri, sign_cb, seed, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	ck_assert_int_eq(ri_verify(ri, &err), -1);
	free(ri);
}
END_TEST

/* RouterInfo bytes from parts, with a zero signature */
static size_t
make_ri(uint8_t *buf, size_t sz, const struct i2p_ident *id, int naddrs,
    int npeers, const uint8_t *opts, size_t optslen)
{
	struct wbuf	 w;
	int		 i;

	wbuf_init_fixed(&w, buf, sz);
	ident_write(id, &w);
	wbuf_put_u64(&w, 1);
	wbuf_put_u8(&w, naddrs);
	for (i = 0; i < naddrs; i++) {
		wbuf_put_u8(&w, 10);
		wbuf_put_u64(&w, 0);
		wbuf_put_str8(&w, "NTCP2");
		wbuf_put_u16(&w, 0);
	}
	wbuf_put_u8(&w, npeers);
	wbuf_put_zero(&w, 32 * npeers);
	wbuf_put_bytes(&w, opts, optslen);
	wbuf_put_zero(&w, 64);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

START_TEST(test_ri_strict)
{
	static const uint8_t empty[] = { 0, 0 };
	static const uint8_t unsorted[] = {
		0x00, 0x0c,
		0x01, 'b', '=', 0x01, '1', ';',
		0x01, 'a', '=', 0x01, '2', ';',
	};
	static const uint8_t dup[] = {
		0x00, 0x0c,
		0x01, 'a', '=', 0x01, '1', ';',
		0x01, 'a', '=', 0x01, '2', ';',
	};
	struct router_info	*ri;
	struct i2p_ident	 id;
	uint8_t			 buf[RI_MAXLEN + 1];
	size_t			 len;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, x_pub, sign_pub, NULL),
	    0);
	len = make_ri(buf, sizeof(buf), &id, 2, 0, empty, sizeof(empty));
	ck_assert_int_eq(parse_code(ri, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(ri_verify(ri, NULL), -1);
	len = make_ri(buf, sizeof(buf), &id, 0, 0, empty, sizeof(empty));
	ck_assert_int_eq(parse_code(ri, buf, len, NULL), I2PE_OK);
	len = make_ri(buf, sizeof(buf), &id, RI_MAX_ADDRS, 0, empty, 2);
	ck_assert_int_eq(parse_code(ri, buf, len, NULL), I2PE_OK);
	len = make_ri(buf, sizeof(buf), &id, RI_MAX_ADDRS + 1, 0, empty, 2);
	ck_assert_int_eq(parse_code(ri, buf, len, NULL), I2PE_TOO_MANY);
	len = make_ri(buf, sizeof(buf), &id, 1, 1, empty, sizeof(empty));
	ck_assert_int_eq(parse_code(ri, buf, len, NULL), I2PE_FIELD);
	len = make_ri(buf, sizeof(buf), &id, 1, 0, unsorted, sizeof(unsorted));
	ck_assert_int_eq(parse_code(ri, buf, len, NULL), I2PE_UNSORTED);
	len = make_ri(buf, sizeof(buf), &id, 1, 0, dup, sizeof(dup));
	ck_assert_int_eq(parse_code(ri, buf, len, NULL), I2PE_DUPKEY);
	free(ri);
}
END_TEST

/* an ECDSA router is refused with its type in the error */
START_TEST(test_ri_unsupported_sigtype)
{
	static const uint8_t empty[] = { 0, 0 };
	struct router_info	*ri;
	struct i2p_ident	 id;
	struct i2p_err		 err;
	uint8_t			 buf[RI_MAXLEN + 1];
	char			 s[128];
	size_t			 len;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, x_pub, sign_pub, NULL),
	    0);
	/* the key certificate's signing type: bytes 387-388 */
	id.raw[388] = SIGTYPE_ECDSA_P256;
	len = make_ri(buf, sizeof(buf), &id, 1, 0, empty, sizeof(empty));
	ck_assert_int_eq(ri_parse(ri, buf, len, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGTYPE);
	ck_assert_uint_eq(err.arg, 1);
	ck_assert_str_eq(i2p_errstr(&err, s, sizeof(s)),
	    "RouterIdentity: unsupported signature type 1");
	free(ri);
}
END_TEST

START_TEST(test_ra_parse)
{
	static const uint8_t ra_bytes[] = {
		0x0a, 0, 0, 0, 0, 0, 0, 0, 0,
		0x04, 'S', 'S', 'U', '2',
		0x00, 0x0a, 0x04, 'c', 'a', 'p', 's', '=', 0x02, '4', '6', ';',
		0x00,
	};
	static const uint8_t nulstyle[] = {
		0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00, 0x00,
	};
	struct router_address	 ra;
	struct i2p_err		 err;
	struct rbuf		 r;
	struct wbuf		 w;
	uint8_t			 buf[64];
	size_t			 n;

	rbuf_init(&r, ra_bytes, sizeof(ra_bytes));
	ck_assert_int_eq(ra_parse(&ra, &r, &err), 0);
	ck_assert_uint_eq(rbuf_left(&r), 1);
	ck_assert_uint_eq(ra.cost, 10);
	ck_assert_str_eq(ra.style, "SSU2");
	ck_assert_str_eq(mapping_get(&ra.options, "caps"), "46");
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ra_write(&ra, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), sizeof(ra_bytes) - 1);
	ck_assert_mem_eq(buf, ra_bytes, sizeof(ra_bytes) - 1);

	for (n = 0; n < sizeof(ra_bytes) - 1; n++) {
		rbuf_init(&r, ra_bytes, n);
		ck_assert_int_eq(ra_parse(&ra, &r, &err), -1);
		ck_assert_int_eq(err.code, I2PE_TRUNCATED);
	}
	rbuf_init(&r, nulstyle, sizeof(nulstyle));
	ck_assert_int_eq(ra_parse(&ra, &r, &err), -1);
	ck_assert_int_eq(err.code, I2PE_STRING);
}
END_TEST

START_TEST(test_ri_random)
{
	struct router_info	*ri;
	uint8_t			 orig[RI_MAXLEN], buf[RI_MAXLEN];
	size_t			 i, j, len, n;

	ck_assert_ptr_nonnull(ri = malloc(sizeof(*ri)));
	len = load(TESTS_DIR "/data/routerinfo/i2pd-2.45.1-b.dat", orig,
	    sizeof(orig));
	srandom(3);
	/* random bytes over the fields after the identity */
	for (i = 0; i < 5000; i++) {
		memcpy(buf, orig, len);
		for (j = 0; j < 1 + (size_t)random() % 8; j++)
			buf[I2P_IDENT_LEN + random() % (len - I2P_IDENT_LEN)] =
			    random();
		n = len - random() % 3;
		/* the random bytes may all equal the ones they replace */
		if (n == len && memcmp(buf, orig, len) == 0)
			continue;
		if (parse_code(ri, buf, n, NULL) == I2PE_OK)
			ck_assert_int_eq(ri_verify(ri, NULL), -1);
	}
	free(ri);
}
END_TEST

static Suite *
routerinfo_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("routerinfo");

	tc = tcase_create("routerinfo");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ri_i2pd);
	tcase_add_test(tc, test_ri_build);
	tcase_add_test(tc, test_ri_sign_errors);
	tcase_add_test(tc, test_ra_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("strict");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_ri_truncated);
	tcase_add_test(tc, test_ri_trailing_oversized);
	tcase_add_test(tc, test_ri_bitflips);
	tcase_add_test(tc, test_ri_strict);
	tcase_add_test(tc, test_ri_unsupported_sigtype);
	tcase_add_test(tc, test_ri_random);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(routerinfo_suite());
}
