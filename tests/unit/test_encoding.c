/*
 * Unit tests of common/encoding.c: I2P base64 and base32.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "encoding.h"
#include "unit.h"

/* RFC 4648 section 10; base32 in lower case without padding */
static const struct {
	const char	*in;
	const char	*b64;
	const char	*b32;
} rfc4648[] = {
	{ "",		"",		"" },
	{ "f",		"Zg==",		"my" },
	{ "fo",		"Zm8=",		"mzxq" },
	{ "foo",	"Zm9v",		"mzxw6" },
	{ "foob",	"Zm9vYg==",	"mzxw6yq" },
	{ "fooba",	"Zm9vYmE=",	"mzxw6ytb" },
	{ "foobar",	"Zm9vYmFy",	"mzxw6ytboi" },
};

START_TEST(test_b64_vectors)
{
	char		 enc[16];
	uint8_t		 dec[16];
	size_t		 n = strlen(rfc4648[_i].in);
	const char	*want = rfc4648[_i].b64;

	ck_assert_int_eq(b64_encode(enc, sizeof(enc), rfc4648[_i].in, n),
	    strlen(want));
	ck_assert_str_eq(enc, want);
	ck_assert_int_eq(b64_decode(dec, sizeof(dec), want, strlen(want)), n);
	ck_assert_mem_eq(dec, rfc4648[_i].in, n);
}
END_TEST

START_TEST(test_b32_vectors)
{
	char		 enc[16];
	uint8_t		 dec[16];
	size_t		 n = strlen(rfc4648[_i].in);
	const char	*want = rfc4648[_i].b32;

	ck_assert_int_eq(b32_encode(enc, sizeof(enc), rfc4648[_i].in, n),
	    strlen(want));
	ck_assert_str_eq(enc, want);
	ck_assert_int_eq(b32_decode(dec, sizeof(dec), want, strlen(want)), n);
	ck_assert_mem_eq(dec, rfc4648[_i].in, n);
}
END_TEST

/* the two characters where I2P differs from RFC 4648 */
START_TEST(test_b64_i2p_alphabet)
{
	static const uint8_t fbff[] = { 0xfb, 0xff };
	static const uint8_t all[] = {
	    0x00, 0x10, 0x83, 0x10, 0x51, 0x87, 0x20, 0x92, 0x8b,
	    0x30, 0xd3, 0x8f, 0x41, 0x14, 0x93, 0x51, 0x55, 0x97,
	    0x61, 0x96, 0x9b, 0x71, 0xd7, 0x9f, 0x82, 0x18, 0xa3,
	    0x92, 0x59, 0xa7, 0xa2, 0x9a, 0xab, 0xb2, 0xdb, 0xaf,
	    0xc3, 0x1c, 0xb3, 0xd3, 0x5d, 0xb7, 0xe3, 0x9e, 0xbb,
	    0xf3, 0xdf, 0xbf
	};
	const char	*alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789-~";
	char		 enc[128];
	uint8_t		 dec[64];

	/* RFC 4648 gives "+/8=" */
	ck_assert_int_eq(b64_encode(enc, sizeof(enc), fbff, 2), 4);
	ck_assert_str_eq(enc, "-~8=");
	ck_assert_int_eq(b64_decode(dec, sizeof(dec), "-~8=", 4), 2);
	ck_assert_mem_eq(dec, fbff, 2);

	/* every value 0..63 in order */
	ck_assert_int_eq(b64_encode(enc, sizeof(enc), all, sizeof(all)), 64);
	ck_assert_str_eq(enc, alpha);
	ck_assert_int_eq(b64_decode(dec, sizeof(dec), alpha, 64), sizeof(all));
	ck_assert_mem_eq(dec, all, sizeof(all));
}
END_TEST

START_TEST(test_b32_alphabet)
{
	static const uint8_t all[] = {
	    0x00, 0x44, 0x32, 0x14, 0xc7, 0x42, 0x54, 0xb6, 0x35, 0xcf,
	    0x84, 0x65, 0x3a, 0x56, 0xd7, 0xc6, 0x75, 0xbe, 0x77, 0xdf
	};
	const char	*alpha = "abcdefghijklmnopqrstuvwxyz234567";
	char		 enc[64];
	uint8_t		 dec[32];

	ck_assert_int_eq(b32_encode(enc, sizeof(enc), all, sizeof(all)), 32);
	ck_assert_str_eq(enc, alpha);
	ck_assert_int_eq(b32_decode(dec, sizeof(dec), alpha, 32), sizeof(all));
	ck_assert_mem_eq(dec, all, sizeof(all));
}
END_TEST

/* a .b32.i2p name: 32 bytes -> 52 characters */
START_TEST(test_b32_hash_len)
{
	uint8_t		 h[32], dec[32];
	char		 enc[B32_ENCLEN(32)];

	memset(h, 0xa5, sizeof(h));
	ck_assert_uint_eq(sizeof(enc), 53);
	ck_assert_int_eq(b32_encode(enc, sizeof(enc), h, sizeof(h)), 52);
	ck_assert_int_eq(b32_decode(dec, sizeof(dec), enc, 52), 32);
	ck_assert_mem_eq(dec, h, 32);
}
END_TEST

START_TEST(test_roundtrip_random)
{
	uint8_t		 in[300], dec[300];
	char		 enc[B32_ENCLEN(300)];	/* the longer of the two */
	size_t		 n, i;
	int		 len;

	srandom(4648);
	for (n = 0; n <= sizeof(in); n++) {
		for (i = 0; i < n; i++)
			in[i] = random();

		len = b64_encode(enc, B64_ENCLEN(n), in, n);
		ck_assert_int_eq(len, B64_ENCLEN(n) - 1);
		ck_assert_uint_eq(strlen(enc), len);
		ck_assert_int_eq(len % 4, 0);
		memset(dec, 0, sizeof(dec));
		ck_assert_int_eq(b64_decode(dec, n, enc, len), n);
		ck_assert_mem_eq(dec, in, n);

		len = b32_encode(enc, B32_ENCLEN(n), in, n);
		ck_assert_int_eq(len, B32_ENCLEN(n) - 1);
		ck_assert_uint_eq(strlen(enc), len);
		ck_assert_ptr_null(strpbrk(enc, "=ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
		memset(dec, 0, sizeof(dec));
		ck_assert_int_eq(b32_decode(dec, n, enc, len), n);
		ck_assert_mem_eq(dec, in, n);
	}
}
END_TEST

START_TEST(test_encode_dst_short)
{
	char		 enc[16];

	memset(enc, 'x', sizeof(enc));
	/* no room for the NUL */
	ck_assert_int_eq(b64_encode(enc, 4, "f", 1), -1);
	ck_assert_int_eq(b64_encode(enc, 5, "f", 1), 4);
	ck_assert_int_eq(b64_encode(enc, 0, "", 0), -1);
	ck_assert_int_eq(b64_encode(enc, 1, "", 0), 0);
	ck_assert_str_eq(enc, "");

	ck_assert_int_eq(b32_encode(enc, 2, "f", 1), -1);
	ck_assert_int_eq(b32_encode(enc, 3, "f", 1), 2);
	ck_assert_int_eq(b32_encode(enc, 10, "foobar", 6), -1);
	ck_assert_int_eq(b32_encode(enc, 11, "foobar", 6), 10);
	ck_assert_int_eq(b32_encode(enc, 0, "", 0), -1);
}
END_TEST

static const char *b64_bad[] = {
	"Zm9v+mFy",		/* RFC characters, not I2P's */
	"Zm9v/mFy",
	"Zm9 YmFy",		/* space */
	"Zm9vYmF\n",
	"Zm9vYmF.",
	"Zm9vY\200Fy",
	"Zm9",			/* not a multiple of 4 */
	"Zm9vY",
	"Zg=",
	"Zg",
	"=",
	"====",			/* padding in the wrong places */
	"Z===",
	"=m9v",
	"Zg==Zm9v",
	"Zm=v",
	"Zm9v=mFy",
	"Zm9vYm=y",
	"Zg=a",
	"Zh==",			/* non-zero trailing bits */
	"Zm9=",
	"Zm8~Zm8=",		/* fine ... */
	"Zm8~Zm9=",		/* ... and not */
};

START_TEST(test_b64_reject)
{
	uint8_t		 dec[16];
	const char	*s = b64_bad[_i];

	/* "Zm8~Zm8=" is the valid control for the entry after it */
	if (strcmp(s, "Zm8~Zm8=") == 0) {
		ck_assert_int_eq(b64_decode(dec, sizeof(dec), s, strlen(s)),
		    5);
		return;
	}
	ck_assert_msg(b64_decode(dec, sizeof(dec), s, strlen(s)) == -1,
	    "accepted \"%s\"", s);
}
END_TEST

START_TEST(test_b64_reject_nul)
{
	uint8_t		 dec[16];

	/* an embedded NUL within the given length */
	ck_assert_int_eq(b64_decode(dec, sizeof(dec), "Zm9\0YmFy", 8), -1);
}
END_TEST

START_TEST(test_b64_dst_short)
{
	uint8_t		 dec[8];

	memset(dec, 0xee, sizeof(dec));
	ck_assert_int_eq(b64_decode(dec, 5, "Zm9vYmFy", 8), -1);
	ck_assert_uint_eq(dec[0], 0xee);
	ck_assert_int_eq(b64_decode(dec, 6, "Zm9vYmFy", 8), 6);
	/* padding is not counted as output */
	ck_assert_int_eq(b64_decode(dec, 4, "Zm9vYg==", 8), 4);
	ck_assert_int_eq(b64_decode(dec, 3, "Zm9vYg==", 8), -1);
	ck_assert_int_eq(b64_decode(dec, 0, "Zg==", 4), -1);
	ck_assert_int_eq(b64_decode(NULL, 0, "", 0), 0);
}
END_TEST

static const char *b32_bad[] = {
	"MZXW6",		/* upper case */
	"mzxW6",
	"mzxw6===",		/* padding */
	"my======",
	"mzxw6yq=",
	"mzx 6",		/* space */
	"mzx16",		/* 0, 1, 8, 9 are not in the alphabet */
	"mzx06",
	"mzx86",
	"mzx96",
	"m",			/* lengths no encoder produces */
	"mzx",
	"mzxw6y",
	"mzxw6ytbo",
	"mz",			/* non-zero trailing bits */
	"mzxr",
	"mzxw7",
	"mzxw6yr",
	"mzxw6ytboj",
};

START_TEST(test_b32_reject)
{
	uint8_t		 dec[16];
	const char	*s = b32_bad[_i];

	ck_assert_msg(b32_decode(dec, sizeof(dec), s, strlen(s)) == -1,
	    "accepted \"%s\"", s);
}
END_TEST

START_TEST(test_b32_dst_short)
{
	uint8_t		 dec[8];

	memset(dec, 0xee, sizeof(dec));
	ck_assert_int_eq(b32_decode(dec, 5, "mzxw6ytboi", 10), -1);
	ck_assert_uint_eq(dec[0], 0xee);
	ck_assert_int_eq(b32_decode(dec, 6, "mzxw6ytboi", 10), 6);
	ck_assert_int_eq(b32_decode(dec, 0, "my", 2), -1);
	ck_assert_int_eq(b32_decode(NULL, 0, "", 0), 0);
}
END_TEST

/* a rejected decode leaves no partial plaintext behind */
START_TEST(test_decode_wipes)
{
	uint8_t		 dec[8], zero[8];

	memset(zero, 0, sizeof(zero));
	memset(dec, 0xee, sizeof(dec));
	ck_assert_int_eq(b64_decode(dec, sizeof(dec), "Zm9vYm+y", 8), -1);
	ck_assert_mem_eq(dec, zero, 3);
	memset(dec, 0xee, sizeof(dec));
	ck_assert_int_eq(b32_decode(dec, sizeof(dec), "mzxw6ytA", 8), -1);
	ck_assert_mem_eq(dec, zero, 4);
}
END_TEST

static Suite *
encoding_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("encoding");

	tc = tcase_create("base64");
	tcase_add_loop_test(tc, test_b64_vectors, 0,
	    sizeof(rfc4648) / sizeof(rfc4648[0]));
	tcase_add_test(tc, test_b64_i2p_alphabet);
	tcase_add_loop_test(tc, test_b64_reject, 0,
	    sizeof(b64_bad) / sizeof(b64_bad[0]));
	tcase_add_test(tc, test_b64_reject_nul);
	tcase_add_test(tc, test_b64_dst_short);
	suite_add_tcase(s, tc);

	tc = tcase_create("base32");
	tcase_add_loop_test(tc, test_b32_vectors, 0,
	    sizeof(rfc4648) / sizeof(rfc4648[0]));
	tcase_add_test(tc, test_b32_alphabet);
	tcase_add_test(tc, test_b32_hash_len);
	tcase_add_loop_test(tc, test_b32_reject, 0,
	    sizeof(b32_bad) / sizeof(b32_bad[0]));
	tcase_add_test(tc, test_b32_dst_short);
	suite_add_tcase(s, tc);

	tc = tcase_create("both");
	tcase_add_test(tc, test_roundtrip_random);
	tcase_add_test(tc, test_encode_dst_short);
	tcase_add_test(tc, test_decode_wipes);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(encoding_suite());
}
