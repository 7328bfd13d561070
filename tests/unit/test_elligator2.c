/*
 * Unit tests of common/elligator2.c: the field arithmetic mod 2^255 - 19,
 * i2pd's Elligator2 test vectors (tests/test-elligator.cpp, also in Java
 * I2P's Elligator2.java), RFC 9380 map_to_curve vectors for curve25519,
 * and properties over many random keys.
 *
 * The source file is included so that its static field functions can be
 * tested; this object then defines every symbol of elligator2.o, which
 * the linker therefore never takes from libcommon.a.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "elligator2.c"
#include "unit.h"

#define NKEYS		1000
#define NFRACTION	2000
#define NRANDOM		300

/* p and (p - 1) / 2, little-endian */
static const uint8_t p_le[32] = {
	0xed, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f
};
static const uint8_t half_le[32] = {
	0xf6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f
};

/*
 * i2pd tests/test-elligator.cpp.  key has bit 255 set: i2pd reads it as
 * a 256-bit number, so it stands for key - p.
 */
static const uint8_t i2pd_key[32] = {
	0x33, 0x95, 0x19, 0x64, 0x00, 0x3c, 0x94, 0x08,
	0x78, 0x06, 0x3c, 0xcf, 0xd0, 0x34, 0x8a, 0xf4,
	0x21, 0x50, 0xca, 0x16, 0xd2, 0x64, 0x6f, 0x2c,
	0x58, 0x56, 0xe8, 0x33, 0x83, 0x77, 0xd8, 0x80
};
/* Encode (key, highY = false) */
static const uint8_t i2pd_encoded_key[32] = {
	0x28, 0x20, 0xb6, 0xb2, 0x41, 0xe0, 0xf6, 0x8a,
	0x6c, 0x4a, 0x7f, 0xee, 0x3d, 0x97, 0x82, 0x28,
	0xef, 0x3a, 0xe4, 0x55, 0x33, 0xcd, 0x41, 0x0a,
	0xa9, 0x1a, 0x41, 0x53, 0x31, 0xd8, 0x61, 0x2d
};
/* Encode (key, highY = true) */
static const uint8_t i2pd_encoded_key_high_y[32] = {
	0x3c, 0xfb, 0x87, 0xc4, 0x6c, 0x0b, 0x45, 0x75,
	0xca, 0x81, 0x75, 0xe0, 0xed, 0x1c, 0x0a, 0xe9,
	0xda, 0xe7, 0x9d, 0xb7, 0x8d, 0xf8, 0x69, 0x97,
	0xc4, 0x84, 0x7b, 0x9f, 0x20, 0xb2, 0x77, 0x18
};
/* Decode (encoded_n) = key_n */
static const uint8_t i2pd_decode[3][2][32] = {
	{ {
	0xe7, 0x35, 0x07, 0xd3, 0x8b, 0xae, 0x63, 0x99,
	0x2b, 0x3f, 0x57, 0xaa, 0xc4, 0x8c, 0x0a, 0xbc,
	0x14, 0x50, 0x95, 0x89, 0x28, 0x84, 0x57, 0x99,
	0x5a, 0x2b, 0x4c, 0xa3, 0x49, 0x0a, 0xa2, 0x07
	}, {
	0x1e, 0x8a, 0xff, 0xfe, 0xd6, 0xbf, 0x53, 0xfe,
	0x27, 0x1a, 0xd5, 0x72, 0x47, 0x32, 0x62, 0xde,
	0xd8, 0xfa, 0xec, 0x68, 0xe5, 0xe6, 0x7e, 0xf4,
	0x5e, 0xbb, 0x82, 0xee, 0xba, 0x52, 0x60, 0x4f
	} }, { {
	0x95, 0xa1, 0x60, 0x19, 0x04, 0x1d, 0xbe, 0xfe,
	0xd9, 0x83, 0x20, 0x48, 0xed, 0xe1, 0x19, 0x28,
	0xd9, 0x03, 0x65, 0xf2, 0x4a, 0x38, 0xaa, 0x7a,
	0xef, 0x1b, 0x97, 0xe2, 0x39, 0x54, 0x10, 0x1b
	}, {
	0x79, 0x4f, 0x05, 0xba, 0x3e, 0x3a, 0x72, 0x95,
	0x80, 0x22, 0x46, 0x8c, 0x88, 0x98, 0x1e, 0x0b,
	0xe5, 0x78, 0x2b, 0xe1, 0xe1, 0x14, 0x5c, 0xe2,
	0xc3, 0xc6, 0xfd, 0xe1, 0x6d, 0xed, 0x53, 0x63
	} }, { {
	/* (p - 1) / 2: the largest representative i2pd accepts */
	0xf6, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f
	}, {
	0x9c, 0xdb, 0x52, 0x55, 0x55, 0x55, 0x55, 0x55,
	0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
	0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
	0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55
	} }
};
/* a key without a representative */
static const uint8_t i2pd_failed_key[32] = {
	0xe6, 0xf6, 0x6f, 0xdf, 0x6e, 0x23, 0x0c, 0x60,
	0x3c, 0x5e, 0x6e, 0x59, 0xa2, 0x54, 0xea, 0x14,
	0x76, 0xa1, 0x3e, 0xb9, 0x51, 0x1b, 0x95, 0x49,
	0x84, 0x67, 0x81, 0xe1, 0x2e, 0x52, 0x23, 0x0a
};

/*
 * RFC 9380 appendix J.4.1 (curve25519_XMD:SHA-512_ELL2_RO_, u[0] -> Q0.x
 * and u[1] -> Q1.x) and J.4.2 (_NU_, u[0] -> Q.x): map_to_curve_elligator2
 * with Z = 2 on curve25519, the same map as DECODE_ELG2.  Big-endian hex
 * as printed in the RFC.  The map depends on u^2 only, so u > (p-1)/2 is
 * sent as p - u.
 */
static const char *const rfc9380_map[][2] = {
	{ "005fe8a7b8fef0a16c105e6cadf5a6740b3365e18692a9c05bfbb4d97f645a6a",
	  "36b4df0c864c64707cbf6cf36e9ee2c09a6cb93b28313c169be29561bb904f98" },
	{ "1347edbec6a2b5d8c02e058819819bee177077c9d10a4ce165aab0fd0252261a",
	  "3fa114783a505c0b2b2fbeef0102853c0b494e7757f2a089d0daae7ed9a0db2b" },
	{ "49bed021c7a3748f09fa8cdfcac044089f7829d3531066ac9e74e0994e05bc7d",
	  "16b3d86e056b7970fa00165f6f48d90b619ad618791661b7b5e1ec78be10eac1" },
	{ "5c36525b663e63389d886105cee7ed712325d5a97e60e140aba7e2ce5ae851b6",
	  "7ec29ddbf34539c40adfa98fcb39ec36368f47f30e8f888cc7e86f4d46e0c264" },
	{ "6412b7485ba26d3d1b6c290a8e1435b2959f03721874939b21782df17323d160",
	  "71de3dadfe268872326c35ac512164850860567aea0e7325e6b91a98f86533ad" },
	{ "24c7b46c1c6d9a21d32f5707be1380ab82db1054fde82865d5c9e3d968f287b2",
	  "5704069021f61e41779e2ba6b932268316d6d2a6f064f997a22fef16d1eaeaca" },
	{ "5e123990f11bbb5586613ffabdb58d47f64bb5f2fa115f8ea8df0188e0c9e1b5",
	  "7a94d45a198fb5daa381f45f2619ab279744efdd8bd8ed587fc5b65d6cea1df0" },
	{ "5e8553eb00438a0bb1e7faa59dec6d8087f9c8011e5fb8ed9df31cb6c0d4ac19",
	  "30506fb7a32136694abd61b6113770270debe593027a968a01f271e146e60c18" },
	{ "20f481e85da7a3bf60ac0fb11ed1d0558fc6f941b3ac5469aa8b56ec883d6d7d",
	  "02d606e2699b918ee36f2818f2bc5013e437e673c9f9b9cdc15fd0c5ee913970" },
	{ "017d57fd257e9a78913999a23b52ca988157a81b09c5442501d07fed20869465",
	  "38920e9b988d1ab7449c0fa9a6058192c0c797bb3d42ac345724341a1aa98745" },
	{ "608d892b641f0328523802a6603427c26e55e6f27e71a91a478148d45b5093cd",
	  "51125222da5e763d97f3c10fcc92ea6860b9ccbbd2eb1285728f566721c1e65b" },
	{ "46f5b22494bfeaa7f232cc8d054be68561af50230234d7d1d63d1d9abeca8da5",
	  "7d56d1e08cb0ccb92baf069c18c49bb5a0dcd927eff8dcf75ca921ef7f3e6eeb" },
	{ "235fe40c443766ce7e18111c33862d66c3b33267efa50d50f9e8e5d252a40aaa",
	  "3fbe66b9c9883d79e8407150e7c2a1c8680bee496c62fabe4619a72b3cabe90f" },
	{ "001e92a544463bda9bd04ddbe3d6eed248f82de32f522669efc5ddce95f46f5b",
	  "227e0bb89de700385d19ec40e857db6e6a3e634b1c32962f370d26f84ff19683" },
	{ "1a68a1af9f663592291af987203393f707305c7bac9c8d63d6a729bdc553dc19",
	  "3bcd651ee54d5f7b6013898aab251ee8ecc0688166fce6e9548d38472f6bd196" },
};

/*
 * Helpers independent of the code under test
 */

/* 64 hex digits, most significant first, to 32 bytes little-endian */
static void
hex_be(uint8_t out[32], const char *hex)
{
	char	 b[3] = { 0, 0, 0 };
	int	 i;

	ck_assert_uint_eq(strlen(hex), 64);
	for (i = 0; i < 32; i++) {
		memcpy(b, hex + 2 * i, 2);
		out[31 - i] = (uint8_t)strtoul(b, NULL, 16);
	}
}

/* compares little-endian numbers: <0, 0, >0 */
static int
le_cmp(const uint8_t a[32], const uint8_t b[32])
{
	int	 i;

	for (i = 31; i >= 0; i--)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

/* out = a - b, little-endian, a >= b */
static void
le_sub(uint8_t out[32], const uint8_t a[32], const uint8_t b[32])
{
	int	 i, d, borrow = 0;

	for (i = 0; i < 32; i++) {
		d = a[i] - b[i] - borrow;
		borrow = d < 0;
		out[i] = (uint8_t)(d + (borrow << 8));
	}
}

/* the representative with the top bits cleared is at most (p - 1) / 2 */
static int
repr_is_low(const uint8_t repr[32])
{
	uint8_t	 r[32];

	memcpy(r, repr, 32);
	r[31] &= 0x3f;
	return le_cmp(r, half_le) <= 0;
}

static void
fe_random(fe *f)
{
	uint8_t	 b[32];

	ck_assert_int_eq(crypto_random(b, sizeof(b)), 0);
	fe_frombytes(f, b);
}

static void
fe_from_le(fe *f, const uint8_t b[32])
{
	fe_frombytes(f, b);
}

static int
fe_is(const fe *f, const uint8_t want[32])
{
	uint8_t	 s[32];

	fe_tobytes(s, f);
	return memcmp(s, want, 32) == 0;
}

static int
fe_is_small(const fe *f, uint8_t small)
{
	uint8_t	 want[32] = { 0 };

	want[0] = small;
	return fe_is(f, want);
}

/*
 * Field arithmetic
 */

START_TEST(test_fe_canonical)
{
	uint8_t	 b[32], p_minus_1[32];
	fe	 f;

	fe_from_le(&f, p_le);			/* p -> 0 */
	ck_assert(fe_is_small(&f, 0));
	memcpy(b, p_le, 32);
	b[0] += 1;				/* p + 1 -> 1 */
	fe_from_le(&f, b);
	ck_assert(fe_is_small(&f, 1));
	memset(b, 0xff, 32);
	b[31] = 0x7f;				/* 2^255 - 1 -> 18 */
	fe_from_le(&f, b);
	ck_assert(fe_is_small(&f, 18));
	b[31] = 0xff;				/* 2^256 - 1 -> 37 */
	fe_from_le(&f, b);
	ck_assert(fe_is_small(&f, 37));
	memcpy(p_minus_1, p_le, 32);
	p_minus_1[0] -= 1;			/* p - 1 stays */
	fe_from_le(&f, p_minus_1);
	ck_assert(fe_is(&f, p_minus_1));
	fe_add(&f, &f, &FE_ONE);		/* (p - 1) + 1 -> 0 */
	ck_assert(fe_is_small(&f, 0));
	fe_sub(&f, &FE_ZERO, &FE_ONE);		/* 0 - 1 -> p - 1 */
	ck_assert(fe_is(&f, p_minus_1));
}
END_TEST

START_TEST(test_fe_roundtrip_bytes)
{
	uint8_t	 b[32], s[32];
	fe	 f;
	int	 i;

	for (i = 0; i < NRANDOM; i++) {
		ck_assert_int_eq(crypto_random(b, sizeof(b)), 0);
		b[31] &= 0x7f;
		if (le_cmp(b, p_le) >= 0)
			continue;
		fe_from_le(&f, b);
		fe_tobytes(s, &f);
		ck_assert_mem_eq(s, b, 32);
	}
}
END_TEST

START_TEST(test_fe_ring)
{
	fe	 a, b, c, l, r, t;
	int	 i;

	for (i = 0; i < NRANDOM; i++) {
		fe_random(&a);
		fe_random(&b);
		fe_random(&c);
		/* (a + b) c = a c + b c */
		fe_add(&t, &a, &b);
		fe_mul(&l, &t, &c);
		fe_mul(&t, &a, &c);
		fe_mul(&r, &b, &c);
		fe_add(&r, &t, &r);
		ck_assert(fe_eq(&l, &r));
		/* (a + b)(a - b) = a^2 - b^2 */
		fe_add(&l, &a, &b);
		fe_sub(&t, &a, &b);
		fe_mul(&l, &l, &t);
		fe_sq(&t, &a);
		fe_sq(&r, &b);
		fe_sub(&r, &t, &r);
		ck_assert(fe_eq(&l, &r));
		/* a - b + b = a, -(-a) = a */
		fe_sub(&t, &a, &b);
		fe_add(&t, &t, &b);
		ck_assert(fe_eq(&t, &a));
		fe_neg(&t, &a);
		fe_neg(&t, &t);
		ck_assert(fe_eq(&t, &a));
	}
}
END_TEST

START_TEST(test_fe_mul_max)
{
	uint8_t	 b[32];
	fe	 a, s, t;

	/* the largest input, 2^256 - 1 = 37: its square is 1369 */
	memset(b, 0xff, 32);
	fe_from_le(&a, b);
	fe_sq(&s, &a);
	memset(b, 0, 32);
	b[0] = 1369 & 0xff;
	b[1] = 1369 >> 8;
	ck_assert(fe_is(&s, b));
	/* (p - 1)^2 = 1 */
	memcpy(b, p_le, 32);
	b[0] -= 1;
	fe_from_le(&a, b);
	fe_mul(&t, &a, &a);
	ck_assert(fe_is_small(&t, 1));
}
END_TEST

START_TEST(test_fe_invert)
{
	fe	 a, t;
	int	 i;

	for (i = 0; i < NRANDOM; i++) {
		fe_random(&a);
		fe_invert(&t, &a);
		fe_mul(&t, &t, &a);
		ck_assert(fe_iszero(&a) || fe_is_small(&t, 1));
	}
	fe_invert(&t, &FE_ONE);
	ck_assert(fe_is_small(&t, 1));
	fe_invert(&t, &FE_ZERO);		/* 0^(p-2) = 0 */
	ck_assert(fe_is_small(&t, 0));
}
END_TEST

START_TEST(test_fe_sqrtm1)
{
	fe	 t, two = { { 2, 0, 0, 0, 0 } };

	fe_sq(&t, &FE_SQRTM1);
	fe_add(&t, &t, &FE_ONE);
	ck_assert(fe_iszero(&t));
	/* the constant is i2pd's 2^((p-1)/4) = (2^((p-5)/8))^2 * 2 */
	fe_pow22523(&t, &two);
	fe_sq(&t, &t);
	fe_mul(&t, &t, &two);
	ck_assert(fe_eq(&t, &FE_SQRTM1));
}
END_TEST

START_TEST(test_fe_sqrt)
{
	fe	 a, s, r, t;
	int	 i;

	for (i = 0; i < NRANDOM; i++) {
		fe_random(&a);
		fe_sq(&s, &a);
		ck_assert(fe_iszero(&a) || fe_issquare(&s));
		fe_sqrt(&r, &s);
		fe_sq(&t, &r);
		ck_assert(fe_eq(&t, &s));
		ck_assert_uint_eq(fe_ishigh(&r), 0);
		fe_neg(&t, &a);
		ck_assert(fe_eq(&r, &a) || fe_eq(&r, &t));
	}
	fe_sqrt(&r, &FE_ZERO);
	ck_assert(fe_iszero(&r));
}
END_TEST

START_TEST(test_fe_issquare)
{
	fe	 a, m1, two = { { 2, 0, 0, 0, 0 } };
	int	 i, n = 0;

	ck_assert_uint_eq(fe_issquare(&FE_ONE), 1);
	ck_assert_uint_eq(fe_issquare(&two), 0);	/* u = 2 */
	ck_assert_uint_eq(fe_issquare(&FE_ZERO), 0);
	fe_neg(&m1, &FE_ONE);
	ck_assert_uint_eq(fe_issquare(&m1), 1);		/* p = 1 mod 4 */
	for (i = 0; i < NFRACTION; i++) {
		fe_random(&a);
		n += fe_issquare(&a);
	}
	ck_assert_int_ge(n, NFRACTION * 4 / 10);
	ck_assert_int_le(n, NFRACTION * 6 / 10);
}
END_TEST

START_TEST(test_fe_ishigh)
{
	uint8_t	 b[32];
	fe	 f;

	ck_assert_uint_eq(fe_ishigh(&FE_ZERO), 0);
	fe_from_le(&f, half_le);
	ck_assert_uint_eq(fe_ishigh(&f), 0);
	memcpy(b, half_le, 32);
	b[0]++;					/* (p + 1) / 2 */
	fe_from_le(&f, b);
	ck_assert_uint_eq(fe_ishigh(&f), 1);
	fe_neg(&f, &FE_ONE);
	ck_assert_uint_eq(fe_ishigh(&f), 1);
}
END_TEST

START_TEST(test_fe_cmov_cswap)
{
	fe	 a, b, a0, b0;

	fe_random(&a);
	fe_random(&b);
	a0 = a;
	b0 = b;
	fe_cmov(&a, &b, 0);
	ck_assert_mem_eq(&a, &a0, sizeof(a));
	fe_cmov(&a, &b, 1);
	ck_assert_mem_eq(&a, &b0, sizeof(a));
	a = a0;
	fe_cswap(&a, &b, 0);
	ck_assert_mem_eq(&a, &a0, sizeof(a));
	ck_assert_mem_eq(&b, &b0, sizeof(b));
	fe_cswap(&a, &b, 1);
	ck_assert_mem_eq(&a, &b0, sizeof(a));
	ck_assert_mem_eq(&b, &a0, sizeof(b));
}
END_TEST

/*
 * Known vectors
 */

START_TEST(test_i2pd_encode)
{
	uint8_t	 repr[32];

	ck_assert_int_eq(elligator2_encode(repr, i2pd_key, 0), 0);
	ck_assert_mem_eq(repr, i2pd_encoded_key, 32);
	ck_assert_int_eq(elligator2_encode(repr, i2pd_key, 1), 0);
	ck_assert_mem_eq(repr, i2pd_encoded_key_high_y, 32);
	ck_assert_int_eq(elligator2_encode(repr, i2pd_failed_key, 0), -1);
	ck_assert_int_eq(elligator2_encode(repr, i2pd_failed_key, 1), -1);
}
END_TEST

START_TEST(test_i2pd_decode)
{
	uint8_t	 pub[32];
	int	 i;

	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(elligator2_decode(pub, i2pd_decode[i][0]), 0);
		ck_assert_mem_eq(pub, i2pd_decode[i][1], 32);
	}
}
END_TEST

START_TEST(test_i2pd_key_roundtrip)
{
	uint8_t	 want[32], pub[32];

	/* i2pd's key is 2^255 + k with k < p - 19: k + 19 mod p */
	memcpy(want, i2pd_key, 32);
	want[31] &= 0x7f;
	want[0] += 19;
	ck_assert_uint_ge(want[0], 19);		/* no carry */
	ck_assert_int_eq(elligator2_decode(pub, i2pd_encoded_key), 0);
	ck_assert_mem_eq(pub, want, 32);
	ck_assert_int_eq(elligator2_decode(pub, i2pd_encoded_key_high_y), 0);
	ck_assert_mem_eq(pub, want, 32);
}
END_TEST

START_TEST(test_rfc9380_map)
{
	uint8_t	 u[32], want[32], pub[32];
	size_t	 i;

	for (i = 0; i < sizeof(rfc9380_map) / sizeof(rfc9380_map[0]); i++) {
		hex_be(u, rfc9380_map[i][0]);
		hex_be(want, rfc9380_map[i][1]);
		if (le_cmp(u, half_le) > 0)
			le_sub(u, p_le, u);
		ck_assert_int_eq(elligator2_decode(pub, u), 0);
		ck_assert_mem_eq(pub, want, 32);
	}
}
END_TEST

/*
 * Properties
 */

START_TEST(test_keygen_roundtrip)
{
	uint8_t	 priv[32], pub[32], pub2[32], repr[32], dec[32];
	int	 i;

	for (i = 0; i < NKEYS; i++) {
		ck_assert_int_eq(elligator2_keygen(priv, pub, repr), 0);
		ck_assert_int_eq(x25519_public(pub2, priv), 0);
		ck_assert_mem_eq(pub, pub2, 32);
		ck_assert(repr_is_low(repr));
		ck_assert_int_eq(elligator2_decode(dec, repr), 0);
		ck_assert_mem_eq(dec, pub, 32);
	}
}
END_TEST

START_TEST(test_encodable_fraction)
{
	uint8_t	 priv[32], pub[32], repr[32];
	int	 i, n = 0;

	for (i = 0; i < NFRACTION; i++) {
		ck_assert_int_eq(x25519_keygen(priv, pub), 0);
		n += elligator2_encode(repr, pub, 0) == 0;
	}
	ck_assert_int_ge(n, NFRACTION * 4 / 10);
	ck_assert_int_le(n, NFRACTION * 6 / 10);
}
END_TEST

/* both representatives of a key decode to it, and differ */
START_TEST(test_both_branches)
{
	uint8_t	 priv[32], pub[32], r0[32], r1[32], dec[32];
	int	 i;

	for (i = 0; i < NRANDOM; i++) {
		ck_assert_int_eq(elligator2_keygen(priv, pub, r0), 0);
		ck_assert_int_eq(elligator2_encode(r0, pub, 0), 0);
		ck_assert_int_eq(elligator2_encode(r1, pub, 1), 0);
		ck_assert_mem_ne(r0, r1, 32);
		ck_assert_uint_eq(r0[31] & 0xc0, 0);
		ck_assert_uint_eq(r1[31] & 0xc0, 0);
		ck_assert(repr_is_low(r0) && repr_is_low(r1));
		ck_assert_int_eq(elligator2_decode(dec, r0), 0);
		ck_assert_mem_eq(dec, pub, 32);
		ck_assert_int_eq(elligator2_decode(dec, r1), 0);
		ck_assert_mem_eq(dec, pub, 32);
	}
}
END_TEST

/* only bits 0, 6 and 7 of random_bits count; decode ignores bits 6, 7 */
START_TEST(test_random_bits)
{
	uint8_t	 priv[32], pub[32], base[2][32], repr[32], dec[32];
	unsigned int rb;

	ck_assert_int_eq(elligator2_keygen(priv, pub, repr), 0);
	ck_assert_int_eq(elligator2_encode(base[0], pub, 0), 0);
	ck_assert_int_eq(elligator2_encode(base[1], pub, 1), 0);
	for (rb = 0; rb < 256; rb++) {
		ck_assert_int_eq(elligator2_encode(repr, pub, (uint8_t)rb), 0);
		ck_assert_uint_eq(repr[31] & 0xc0, rb & 0xc0);
		ck_assert_mem_eq(repr, base[rb & 1], 31);
		ck_assert_uint_eq(repr[31] & 0x3f, base[rb & 1][31]);
		ck_assert_int_eq(elligator2_decode(dec, repr), 0);
		ck_assert_mem_eq(dec, pub, 32);
	}
}
END_TEST

/*
 * Every representative up to (p - 1) / 2 decodes to a key that encodes
 * back to it, through one of the two branches.
 */
START_TEST(test_decode_encode)
{
	uint8_t	 r[32], pub[32], e0[32], e1[32];
	int	 i;

	for (i = 0; i < NRANDOM; i++) {
		ck_assert_int_eq(crypto_random(r, sizeof(r)), 0);
		r[31] &= 0x3f;
		if (!repr_is_low(r))
			continue;
		ck_assert_int_eq(elligator2_decode(pub, r), 0);
		ck_assert_int_eq(elligator2_encode(e0, pub, 0), 0);
		ck_assert_int_eq(elligator2_encode(e1, pub, 1), 0);
		ck_assert(memcmp(e0, r, 32) == 0 || memcmp(e1, r, 32) == 0);
	}
}
END_TEST

START_TEST(test_decode_edges)
{
	uint8_t	 r[32], a[32], b[32], zero[32] = { 0 };
	int	 i;

	/* 0 maps to -A or 0: whichever, twice the same */
	memset(r, 0, 32);
	ck_assert_int_eq(elligator2_decode(a, r), 0);
	ck_assert_int_eq(elligator2_decode(b, r), 0);
	ck_assert_mem_eq(a, b, 32);
	/* the top bits are ignored: 0xc0... is 0 */
	r[31] = 0xc0;
	ck_assert_int_eq(elligator2_decode(b, r), 0);
	ck_assert_mem_eq(a, b, 32);
	/* all ones is 2^254 - 1 after masking: rejected like i2pd */
	memset(r, 0xff, 32);
	memset(a, 0x55, 32);
	ck_assert_int_eq(elligator2_decode(a, r), -1);
	ck_assert_mem_eq(a, zero, 32);
	/* (p - 1) / 2 + k for k = 1..9 are all rejected */
	for (i = 1; i <= 9; i++) {
		memcpy(r, half_le, 32);
		r[0] += i;
		ck_assert_int_eq(elligator2_decode(a, r), -1);
		r[31] |= 0x80;
		ck_assert_int_eq(elligator2_decode(a, r), -1);
	}
	/* (p - 1) / 2 itself with top bits set is accepted */
	memcpy(r, half_le, 32);
	r[31] |= 0xc0;
	ck_assert_int_eq(elligator2_decode(a, r), 0);
	ck_assert_mem_eq(a, i2pd_decode[2][1], 32);
}
END_TEST

/* i2pd's key with bit 255 set, and keys >= p, are read mod p */
START_TEST(test_encode_noncanonical)
{
	uint8_t	 priv[32], pub[32], big[32], r0[32], r1[32];
	int	 i, d, carry = 0;

	ck_assert_int_eq(elligator2_keygen(priv, pub, r0), 0);
	ck_assert_int_eq(elligator2_encode(r0, pub, 1), 0);
	/* pub + p < 2^256 */
	for (i = 0; i < 32; i++) {
		d = pub[i] + p_le[i] + carry;
		big[i] = (uint8_t)d;
		carry = d >> 8;
	}
	ck_assert_int_eq(carry, 0);
	ck_assert_int_eq(elligator2_encode(r1, big, 1), 0);
	ck_assert_mem_eq(r0, r1, 32);
}
END_TEST

static Suite *
elligator2_suite(void)
{
	Suite	*s = suite_create("elligator2");
	TCase	*tc;

	tc = tcase_create("field");
	tcase_add_test(tc, test_fe_canonical);
	tcase_add_test(tc, test_fe_roundtrip_bytes);
	tcase_add_test(tc, test_fe_ring);
	tcase_add_test(tc, test_fe_mul_max);
	tcase_add_test(tc, test_fe_invert);
	tcase_add_test(tc, test_fe_sqrtm1);
	tcase_add_test(tc, test_fe_sqrt);
	tcase_add_test(tc, test_fe_issquare);
	tcase_add_test(tc, test_fe_ishigh);
	tcase_add_test(tc, test_fe_cmov_cswap);
	suite_add_tcase(s, tc);

	tc = tcase_create("vectors");
	tcase_add_test(tc, test_i2pd_encode);
	tcase_add_test(tc, test_i2pd_decode);
	tcase_add_test(tc, test_i2pd_key_roundtrip);
	tcase_add_test(tc, test_rfc9380_map);
	suite_add_tcase(s, tc);

	tc = tcase_create("properties");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_keygen_roundtrip);
	tcase_add_test(tc, test_encodable_fraction);
	tcase_add_test(tc, test_both_branches);
	tcase_add_test(tc, test_random_bits);
	tcase_add_test(tc, test_decode_encode);
	tcase_add_test(tc, test_decode_edges);
	tcase_add_test(tc, test_encode_noncanonical);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(elligator2_suite());
}
