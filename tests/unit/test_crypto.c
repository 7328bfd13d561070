/*
 * Unit tests of common/crypto.c against published test vectors (RFC
 * 7748, 8032, 8439, 5869, 4231, FIPS 180-2, NIST SP 800-38A, the
 * SipHash reference vectors), plus the failure cases that matter on the
 * wire and the Noise symmetric state.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto.h"
#include "unit.h"

/*
 * Hex helpers
 */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* decodes hex into out (at most max bytes); returns the byte count */
static size_t
unhex(uint8_t *out, size_t max, const char *hex)
{
	size_t	 len = strlen(hex), i;
	int	 hi, lo;

	ck_assert_msg(len % 2 == 0, "odd hex length %zu", len);
	ck_assert_msg(len / 2 <= max, "hex too long: %zu > %zu", len / 2,
	    max);
	for (i = 0; i < len / 2; i++) {
		hi = hexval(hex[2 * i]);
		lo = hexval(hex[2 * i + 1]);
		ck_assert_msg(hi >= 0 && lo >= 0, "bad hex at %zu", 2 * i);
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return len / 2;
}

#define HEX(buf, s)	unhex((buf), sizeof(buf), (s))

/* asserts that len bytes at got are the hex string want */
#define ck_assert_hex(got, len, want)					\
	do {								\
		uint8_t	 w_[2048];					\
		size_t	 wl_ = HEX(w_, (want));				\
		ck_assert_uint_eq((len), wl_);				\
		ck_assert_mem_eq((got), w_, wl_);			\
	} while (0)

static int
all_zero(const uint8_t *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

/*
 * Utilities
 */

/* below n, every value reached, none favoured (12 sigma bounds) */
START_TEST(test_random_below)
{
	uint32_t	counts[3] = { 0, 0, 0 }, v;
	int		i;

	for (i = 0; i < 100; i++) {
		ck_assert_uint_eq(crypto_random_below(1), 0);
		ck_assert_uint_lt(crypto_random_below(2), 2);
		ck_assert_uint_lt(crypto_random_below(1000), 1000);
		ck_assert_uint_lt(crypto_random_below(0xffffffffu),
		    0xffffffffu);
	}
	for (i = 0; i < 30000; i++) {
		v = crypto_random_below(3);
		ck_assert_uint_lt(v, 3);
		counts[v]++;
	}
	for (i = 0; i < 3; i++) {
		ck_assert_uint_gt(counts[i], 9000);
		ck_assert_uint_lt(counts[i], 11000);
	}
}
END_TEST

START_TEST(test_random_memcmp)
{
	uint8_t	 a[64], b[64];

	ck_assert_int_eq(crypto_init(), 0);
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	ck_assert_int_eq(crypto_random(a, sizeof(a)), 0);
	ck_assert_int_eq(crypto_random(b, sizeof(b)), 0);
	ck_assert_int_ne(memcmp(a, b, sizeof(a)), 0);
	ck_assert_int_eq(crypto_random(a, 0), 0);

	ck_assert_int_ne(crypto_memcmp(a, b, sizeof(a)), 0);
	memcpy(b, a, sizeof(a));
	ck_assert_int_eq(crypto_memcmp(a, b, sizeof(a)), 0);
	b[63] ^= 1;
	ck_assert_int_ne(crypto_memcmp(a, b, sizeof(a)), 0);
	ck_assert_int_eq(crypto_memcmp(a, b, 0), 0);

	crypto_wipe(a, sizeof(a));
	ck_assert(all_zero(a, sizeof(a)));
	crypto_wipe(NULL, 0);
}
END_TEST

/*
 * SHA-256 (FIPS 180-2 appendix B)
 */

#define SHA_ABC		"ba7816bf8f01cfea414140de5dae2223" \
			"b00361a396177a9cb410ff61f20015ad"
#define SHA_448		"248d6a61d20638b8e5c026930c3e6039" \
			"a33ce45964ff2167f6ecedd419db06c1"
#define SHA_EMPTY	"e3b0c44298fc1c149afbf4c8996fb924" \
			"27ae41e4649b934ca495991b7852b855"
static const char msg448[] =
    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

START_TEST(test_sha256_vectors)
{
	uint8_t	 md[SHA256_LEN];

	ck_assert_int_eq(sha256(md, "abc", 3), 0);
	ck_assert_hex(md, sizeof(md), SHA_ABC);
	ck_assert_int_eq(sha256(md, msg448, strlen(msg448)), 0);
	ck_assert_hex(md, sizeof(md), SHA_448);
	ck_assert_int_eq(sha256(md, "", 0), 0);
	ck_assert_hex(md, sizeof(md), SHA_EMPTY);
	ck_assert_int_eq(sha256(md, NULL, 0), 0);
	ck_assert_hex(md, sizeof(md), SHA_EMPTY);
}
END_TEST

START_TEST(test_sha256_incremental)
{
	struct sha256_ctx	*c;
	uint8_t			 md[SHA256_LEN];
	size_t			 i;

	ck_assert_ptr_nonnull(c = sha256_new());
	/* byte by byte */
	for (i = 0; i < strlen(msg448); i++)
		ck_assert_int_eq(sha256_update(c, msg448 + i, 1), 0);
	ck_assert_int_eq(sha256_final(c, md), 0);
	ck_assert_hex(md, sizeof(md), SHA_448);

	/* reused after a reset */
	ck_assert_int_eq(sha256_reset(c), 0);
	ck_assert_int_eq(sha256_update(c, "a", 1), 0);
	ck_assert_int_eq(sha256_update(c, NULL, 0), 0);
	ck_assert_int_eq(sha256_update(c, "bc", 2), 0);
	ck_assert_int_eq(sha256_final(c, md), 0);
	ck_assert_hex(md, sizeof(md), SHA_ABC);

	ck_assert_int_eq(sha256_reset(c), 0);
	ck_assert_int_eq(sha256_final(c, md), 0);
	ck_assert_hex(md, sizeof(md), SHA_EMPTY);
	sha256_free(c);
	sha256_free(NULL);
}
END_TEST

/*
 * HMAC-SHA256 (RFC 4231)
 */

START_TEST(test_hmac_rfc4231)
{
	uint8_t	 key[131], mac[HMAC_SHA256_LEN];
	static const char big[] =
	    "Test Using Larger Than Block-Size Key - Hash Key First";

	/* test case 1 */
	memset(key, 0x0b, 20);
	ck_assert_int_eq(hmac_sha256(mac, key, 20, "Hi There", 8), 0);
	ck_assert_hex(mac, sizeof(mac),
	    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");

	/* test case 2 */
	ck_assert_int_eq(hmac_sha256(mac, "Jefe", 4,
	    "what do ya want for nothing?", 28), 0);
	ck_assert_hex(mac, sizeof(mac),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

	/* test case 6: a key longer than the block */
	memset(key, 0xaa, 131);
	ck_assert_int_eq(hmac_sha256(mac, key, 131, big, strlen(big)), 0);
	ck_assert_hex(mac, sizeof(mac),
	    "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}
END_TEST

START_TEST(test_hmac_empty)
{
	uint8_t	 mac[HMAC_SHA256_LEN];

	/* HMAC-SHA256 with an empty key over an empty message */
	ck_assert_int_eq(hmac_sha256(mac, NULL, 0, NULL, 0), 0);
	ck_assert_hex(mac, sizeof(mac),
	    "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
	ck_assert_int_eq(hmac_sha256(mac, "", 0, "", 0), 0);
	ck_assert_hex(mac, sizeof(mac),
	    "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}
END_TEST

/*
 * HKDF-SHA256 (RFC 5869 appendix A.1-A.3)
 */

START_TEST(test_hkdf_rfc5869)
{
	uint8_t	 ikm[80], salt[80], info[80], okm[82];
	size_t	 i;

	/* A.1 */
	memset(ikm, 0x0b, 22);
	HEX(salt, "000102030405060708090a0b0c");
	HEX(info, "f0f1f2f3f4f5f6f7f8f9");
	ck_assert_int_eq(hkdf_sha256(okm, 42, salt, 13, ikm, 22, info, 10),
	    0);
	ck_assert_hex(okm, 42,
	    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
	    "34007208d5b887185865");

	/* A.2: long inputs */
	for (i = 0; i < 80; i++) {
		ikm[i] = (uint8_t)i;
		salt[i] = (uint8_t)(0x60 + i);
		info[i] = (uint8_t)(0xb0 + i);
	}
	ck_assert_int_eq(hkdf_sha256(okm, 82, salt, 80, ikm, 80, info, 80),
	    0);
	ck_assert_hex(okm, 82,
	    "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
	    "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
	    "cc30c58179ec3e87c14c01d5c1f3434f1d87");

	/* A.3: no salt, no info */
	memset(ikm, 0x0b, 22);
	ck_assert_int_eq(hkdf_sha256(okm, 42, NULL, 0, ikm, 22, NULL, 0), 0);
	ck_assert_hex(okm, 42,
	    "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
	    "9d201395faa4b61a96c8");
}
END_TEST

START_TEST(test_hkdf_limits)
{
	static uint8_t	 okm[255 * 32 + 1];
	uint8_t		 ikm[32] = { 1 };

	memset(okm, 0x55, sizeof(okm));
	ck_assert_int_eq(hkdf_sha256(okm, sizeof(okm), "s", 1, ikm,
	    sizeof(ikm), NULL, 0), -1);
	ck_assert_int_eq(hkdf_sha256(okm, 0, "s", 1, ikm, sizeof(ikm),
	    NULL, 0), -1);
	ck_assert_int_eq(hkdf_sha256(okm, 255 * 32, "s", 1, ikm,
	    sizeof(ikm), NULL, 0), 0);
}
END_TEST

/*
 * Noise's HKDF(ck, ikm) with two outputs, written out with HMAC as the
 * Noise spec (section 4.3) does: temp = HMAC(ck, ikm), o1 = HMAC(temp,
 * 0x01), o2 = HMAC(temp, o1 || 0x02).
 */
static void
noise_hkdf_by_hand(const uint8_t ck[32], const void *ikm, size_t len,
    uint8_t out[64])
{
	uint8_t	 temp[32], buf[33];

	ck_assert_int_eq(hmac_sha256(temp, ck, 32, ikm, len), 0);
	buf[0] = 0x01;
	ck_assert_int_eq(hmac_sha256(out, temp, 32, buf, 1), 0);
	memcpy(buf, out, 32);
	buf[32] = 0x02;
	ck_assert_int_eq(hmac_sha256(out + 32, temp, 32, buf, 33), 0);
}

START_TEST(test_hkdf_is_noise_hkdf)
{
	uint8_t	 ck[32], ikm[32], a[64], b[64];

	memset(ck, 0x11, sizeof(ck));
	memset(ikm, 0x22, sizeof(ikm));
	noise_hkdf_by_hand(ck, ikm, sizeof(ikm), a);
	ck_assert_int_eq(hkdf_sha256(b, 64, ck, 32, ikm, sizeof(ikm), NULL,
	    0), 0);
	ck_assert_mem_eq(a, b, 64);

	/* zero-length ikm, as Split uses */
	noise_hkdf_by_hand(ck, NULL, 0, a);
	ck_assert_int_eq(hkdf_sha256(b, 64, ck, 32, NULL, 0, NULL, 0), 0);
	ck_assert_mem_eq(a, b, 64);
}
END_TEST

/*
 * ChaCha20 and ChaCha20-Poly1305 (RFC 8439)
 */

static const char sunscreen[] =
    "Ladies and Gentlemen of the class of '99: If I could offer you only "
    "one tip for the future, sunscreen would be it.";

START_TEST(test_chacha20_rfc8439)
{
	uint8_t	 key[32], nonce[12], out[114];
	size_t	 i;

	/* section 2.4.2 */
	for (i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	HEX(nonce, "000000000000004a00000000");
	ck_assert_uint_eq(strlen(sunscreen), sizeof(out));
	ck_assert_int_eq(chacha20(out, key, nonce, 1, sunscreen,
	    sizeof(out)), 0);
	ck_assert_hex(out, sizeof(out),
	    "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	    "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	    "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	    "5af90bbf74a35be6b40b8eedf2785e42874d");

	/* decrypting in place is encrypting again */
	ck_assert_int_eq(chacha20(out, key, nonce, 1, out, sizeof(out)), 0);
	ck_assert_mem_eq(out, sunscreen, sizeof(out));
	ck_assert_int_eq(chacha20(out, key, nonce, 1, NULL, 0), 0);
}
END_TEST

START_TEST(test_aead_rfc8439_encrypt)
{
	uint8_t	 key[32], nonce[12], ad[12], out[114 + 16], pt[114];

	/* section 2.8.2 */
	HEX(key, "808182838485868788898a8b8c8d8e8f"
	    "909192939495969798999a9b9c9d9e9f");
	HEX(nonce, "070000004041424344454647");
	HEX(ad, "50515253c0c1c2c3c4c5c6c7");
	ck_assert_int_eq(chachapoly_encrypt_n(out, key, nonce, ad, sizeof(ad),
	    sunscreen, 114), 0);
	ck_assert_hex(out, sizeof(out),
	    "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	    "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	    "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	    "3ff4def08e4b7a9de576d26586cec64b6116"
	    "1ae10b594f09e26a7e902ecbd0600691");
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    out, sizeof(out)), 0);
	ck_assert_mem_eq(pt, sunscreen, sizeof(pt));

	/* in place both ways */
	memcpy(out, sunscreen, 114);
	ck_assert_int_eq(chachapoly_encrypt_n(out, key, nonce, ad, sizeof(ad),
	    out, 114), 0);
	ck_assert_hex(out + 114, 16, "1ae10b594f09e26a7e902ecbd0600691");
	ck_assert_int_eq(chachapoly_decrypt_n(out, key, nonce, ad, sizeof(ad),
	    out, sizeof(out)), 0);
	ck_assert_mem_eq(out, sunscreen, 114);
}
END_TEST

static const char a5_ct[] =
    "64a0861575861af460f062c79be643bd5e805cfd345cf389f108670ac76c8cb2"
    "4c6cfc18755d43eea09ee94e382d26b0bdb7b73c321b0100d4f03b7f355894cf"
    "332f830e710b97ce98c8a84abd0b948114ad176e008d33bd60f982b1ff37c855"
    "9797a06ef4f0ef61c186324e2b3506383606907b6a7c02b0f9f6157b53c867e4"
    "b9166c767b804d46a59b5216cde7a4e99040c5a40433225ee282a1b0a06c523e"
    "af4534d7f83fa1155b0047718cbc546a0d072b04b3564eea1b422273f548271a"
    "0bb2316053fa76991955ebd63159434ecebb4e466dae5a1073a6727627097a10"
    "49e617d91d361094fa68f0ff77987130305beaba2eda04df997b714d6c6f2c29"
    "a6ad5cb4022b02709b"
    "eead9d67890cbb22392336fea1851f38";
static const char a5_pt[] =
    "Internet-Drafts are draft documents valid for a maximum of six "
    "months and may be updated, replaced, or obsoleted by other documents "
    "at any time. It is inappropriate to use Internet-Drafts as reference "
    "material or to cite them other than as /\xe2\x80\x9cwork in "
    "progress./\xe2\x80\x9d";

START_TEST(test_aead_rfc8439_decrypt)
{
	uint8_t	 key[32], nonce[12], ad[12], ct[265 + 16], pt[265];
	size_t	 len;

	/* appendix A.5 */
	HEX(key, "1c9240a5eb55d38af333888604f6b5f0"
	    "473917c1402b80099dca5cbc207075c0");
	HEX(nonce, "000000000102030405060708");
	HEX(ad, "f33388860000000000004e91");
	len = HEX(ct, a5_ct);
	ck_assert_uint_eq(len, sizeof(ct));
	ck_assert_uint_eq(strlen(a5_pt), sizeof(pt));
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    ct, len), 0);
	ck_assert_mem_eq(pt, a5_pt, sizeof(pt));
}
END_TEST

START_TEST(test_aead_tamper)
{
	uint8_t	 key[32], nonce[12], ad[12], ct[265 + 16], pt[265];
	size_t	 len, i;

	HEX(key, "1c9240a5eb55d38af333888604f6b5f0"
	    "473917c1402b80099dca5cbc207075c0");
	HEX(nonce, "000000000102030405060708");
	HEX(ad, "f33388860000000000004e91");
	len = HEX(ct, a5_ct);

	/* a flipped tag bit: fails, and the output is wiped */
	ct[len - 1] ^= 0x80;
	memset(pt, 0xee, sizeof(pt));
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    ct, len), -1);
	ck_assert(all_zero(pt, sizeof(pt)));
	ct[len - 1] ^= 0x80;

	/* a flipped ciphertext bit */
	ct[100] ^= 0x01;
	memset(pt, 0xee, sizeof(pt));
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    ct, len), -1);
	ck_assert(all_zero(pt, sizeof(pt)));
	ct[100] ^= 0x01;

	/* in place: the buffer is wiped, not left half decrypted */
	ct[0] ^= 0x01;
	ck_assert_int_eq(chachapoly_decrypt_n(ct, key, nonce, ad, sizeof(ad),
	    ct, len), -1);
	ck_assert(all_zero(ct, len - 16));
	len = HEX(ct, a5_ct);

	/* wrong associated data, and none at all */
	ad[0] ^= 0x01;
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    ct, len), -1);
	ad[0] ^= 0x01;
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, NULL, 0, ct,
	    len), -1);

	/* wrong nonce, wrong key */
	nonce[11] ^= 0x01;
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    ct, len), -1);
	nonce[11] ^= 0x01;
	key[31] ^= 0x01;
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    ct, len), -1);
	key[31] ^= 0x01;

	/* shorter than a tag, or truncated */
	for (i = 0; i < 16; i++)
		ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad,
		    sizeof(ad), ct, i), -1);
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    ct, len - 1), -1);

	/* and the untouched message still opens */
	ck_assert_int_eq(chachapoly_decrypt_n(pt, key, nonce, ad, sizeof(ad),
	    ct, len), 0);
	ck_assert_mem_eq(pt, a5_pt, sizeof(pt));
}
END_TEST

START_TEST(test_aead_i2p_nonce)
{
	uint8_t	 key[32], nonce[12], a[48], b[48], pt[32];
	uint64_t n = 0x0102030405060708ULL;

	memset(key, 0x42, sizeof(key));
	memset(pt, 0x17, sizeof(pt));
	/* 4 zero bytes, then the counter little-endian */
	HEX(nonce, "000000000807060504030201");
	ck_assert_int_eq(chachapoly_encrypt(a, key, n, "ad", 2, pt,
	    sizeof(pt)), 0);
	ck_assert_int_eq(chachapoly_encrypt_n(b, key, nonce, "ad", 2, pt,
	    sizeof(pt)), 0);
	ck_assert_mem_eq(a, b, sizeof(a));
	ck_assert_int_eq(chachapoly_decrypt(b, key, n, "ad", 2, a,
	    sizeof(a)), 0);
	ck_assert_mem_eq(b, pt, sizeof(pt));
	ck_assert_int_eq(chachapoly_decrypt(b, key, n + 1, "ad", 2, a,
	    sizeof(a)), -1);

	/* empty plaintext: just a tag */
	ck_assert_int_eq(chachapoly_encrypt(a, key, 0, NULL, 0, NULL, 0), 0);
	ck_assert_int_eq(chachapoly_decrypt(b, key, 0, NULL, 0, a, 16), 0);
	a[0] ^= 1;
	ck_assert_int_eq(chachapoly_decrypt(b, key, 0, NULL, 0, a, 16), -1);
}
END_TEST

/*
 * AES-256 (NIST SP 800-38A F.1.5, F.1.6, F.2.5, F.2.6)
 */

#define AES_KEY	"603deb1015ca71be2b73aef0857d7781" \
		"1f352c073b6108d72d9810a30914dff4"
#define AES_PT	"6bc1bee22e409f96e93d7e117393172a" \
		"ae2d8a571e03ac9c9eb76fac45af8e51" \
		"30c81c46a35ce411e5fbc1191a0a52ef" \
		"f69f2445df4f9b17ad2b417be66c3710"
#define AES_ECB	"f3eed1bdb5d2a03c064b5a7e3db181f8" \
		"591ccb10d410ed26dc5ba74a31362870" \
		"b6ed21b99ca6f4f9f153e7b1beafed1d" \
		"23304b7a39f9f3ff067d8d8f9e24ecc7"
#define AES_CBC	"f58c4c04d6e5f1ba779eabfb5f7bfbd6" \
		"9cfc4e967edb808d679f777bc6702c7d" \
		"39f23369a9d9bacfa530e26304231461" \
		"b2eb05e2c39be9fcda6c19078c6a9d1b"

START_TEST(test_aes_ecb)
{
	uint8_t	 key[32], pt[64], ct[64], out[16];
	int	 i;

	HEX(key, AES_KEY);
	HEX(pt, AES_PT);
	HEX(ct, AES_ECB);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(aes256_ecb_encrypt(out, key, pt + 16 * i), 0);
		ck_assert_mem_eq(out, ct + 16 * i, 16);
		ck_assert_int_eq(aes256_ecb_decrypt(out, key, ct + 16 * i), 0);
		ck_assert_mem_eq(out, pt + 16 * i, 16);
	}
	/* in place */
	memcpy(out, pt, 16);
	ck_assert_int_eq(aes256_ecb_encrypt(out, key, out), 0);
	ck_assert_mem_eq(out, ct, 16);
	ck_assert_int_eq(aes256_ecb_decrypt(out, key, out), 0);
	ck_assert_mem_eq(out, pt, 16);
}
END_TEST

START_TEST(test_aes_cbc)
{
	uint8_t	 key[32], iv[16], pt[64], ct[64], out[64];

	HEX(key, AES_KEY);
	HEX(iv, "000102030405060708090a0b0c0d0e0f");
	HEX(pt, AES_PT);
	HEX(ct, AES_CBC);
	ck_assert_int_eq(aes256_cbc_encrypt(out, key, iv, pt, 64), 0);
	ck_assert_mem_eq(out, ct, 64);
	ck_assert_int_eq(aes256_cbc_decrypt(out, key, iv, ct, 64), 0);
	ck_assert_mem_eq(out, pt, 64);

	/* in place */
	memcpy(out, pt, 64);
	ck_assert_int_eq(aes256_cbc_encrypt(out, key, iv, out, 64), 0);
	ck_assert_mem_eq(out, ct, 64);
	ck_assert_int_eq(aes256_cbc_decrypt(out, key, iv, out, 64), 0);
	ck_assert_mem_eq(out, pt, 64);

	/* a prefix of whole blocks is the prefix of the ciphertext */
	ck_assert_int_eq(aes256_cbc_encrypt(out, key, iv, pt, 32), 0);
	ck_assert_mem_eq(out, ct, 32);
	ck_assert_int_eq(aes256_cbc_encrypt(out, key, iv, pt, 0), 0);
}
END_TEST

START_TEST(test_aes_cbc_bad_length)
{
	uint8_t	 key[32], iv[16], buf[64];
	size_t	 len;

	memset(key, 1, sizeof(key));
	memset(iv, 2, sizeof(iv));
	memset(buf, 3, sizeof(buf));
	for (len = 1; len < sizeof(buf); len++) {
		if (len % 16 == 0)
			continue;
		ck_assert_int_eq(aes256_cbc_encrypt(buf, key, iv, buf, len),
		    -1);
		ck_assert_int_eq(aes256_cbc_decrypt(buf, key, iv, buf, len),
		    -1);
	}
}
END_TEST

/*
 * X25519 (RFC 7748)
 */

START_TEST(test_x25519_rfc7748)
{
	uint8_t	 k[32], u[32], out[32];

	/* section 5.2, first vector */
	HEX(k, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4");
	HEX(u, "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c");
	ck_assert_int_eq(x25519(out, k, u), 0);
	ck_assert_hex(out, sizeof(out),
	    "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");

	/* second vector: the top bit of u is set and must be ignored */
	HEX(k, "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d");
	HEX(u, "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493");
	ck_assert_int_eq(x25519(out, k, u), 0);
	ck_assert_hex(out, sizeof(out),
	    "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
}
END_TEST

START_TEST(test_x25519_iterated)
{
	uint8_t	 k[32], u[32], r[32];
	int	 i;

	/* section 5.2: k = u = 9, then k, u = X25519(k, u), k */
	memset(k, 0, sizeof(k));
	k[0] = 9;
	memcpy(u, k, sizeof(u));
	for (i = 1; i <= 1000; i++) {
		ck_assert_int_eq(x25519(r, k, u), 0);
		memcpy(u, k, sizeof(u));
		memcpy(k, r, sizeof(k));
		if (i == 1)
			ck_assert_hex(k, sizeof(k),
			    "422c8e7a6227d7bca1350b3e2bb7279f"
			    "7897b87bb6854b783c60e80311ae3079");
	}
	ck_assert_hex(k, sizeof(k),
	    "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51");
}
END_TEST

#define ALICE_PRIV "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"
#define ALICE_PUB  "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"
#define BOB_PRIV   "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"
#define BOB_PUB    "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"
#define DH_SHARED  "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"

START_TEST(test_x25519_dh)
{
	uint8_t	 a[32], b[32], pa[32], pb[32], s[32];

	/* section 6.1 */
	HEX(a, ALICE_PRIV);
	HEX(b, BOB_PRIV);
	ck_assert_int_eq(x25519_public(pa, a), 0);
	ck_assert_hex(pa, sizeof(pa), ALICE_PUB);
	ck_assert_int_eq(x25519_public(pb, b), 0);
	ck_assert_hex(pb, sizeof(pb), BOB_PUB);
	ck_assert_int_eq(x25519(s, a, pb), 0);
	ck_assert_hex(s, sizeof(s), DH_SHARED);
	ck_assert_int_eq(x25519(s, b, pa), 0);
	ck_assert_hex(s, sizeof(s), DH_SHARED);
}
END_TEST

START_TEST(test_x25519_keygen)
{
	uint8_t	 a[32], b[32], pa[32], pb[32], p[32], s1[32], s2[32];

	ck_assert_int_eq(x25519_keygen(a, pa), 0);
	ck_assert_int_eq(x25519_keygen(b, pb), 0);
	ck_assert_int_ne(memcmp(a, b, 32), 0);
	ck_assert_int_eq(x25519_public(p, a), 0);
	ck_assert_mem_eq(p, pa, 32);
	ck_assert_int_eq(x25519(s1, a, pb), 0);
	ck_assert_int_eq(x25519(s2, b, pa), 0);
	ck_assert_mem_eq(s1, s2, 32);
}
END_TEST

START_TEST(test_x25519_low_order)
{
	uint8_t	 priv[32], peer[32], out[32];

	HEX(priv, ALICE_PRIV);

	/* the all-zero point */
	memset(peer, 0, sizeof(peer));
	memset(out, 0xee, sizeof(out));
	ck_assert_int_eq(x25519(out, priv, peer), -1);
	ck_assert(all_zero(out, sizeof(out)));

	/* u = 1, a point of order 4 */
	peer[0] = 1;
	ck_assert_int_eq(x25519(out, priv, peer), -1);

	/* a point of order 8 (listed on cr.yp.to/ecdh.html) */
	HEX(peer, "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");
	ck_assert_int_eq(x25519(out, priv, peer), -1);

	/* p itself, which reduces to 0 */
	HEX(peer, "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
	ck_assert_int_eq(x25519(out, priv, peer), -1);
}
END_TEST

/*
 * Ed25519 (RFC 8032 section 7.1)
 */

struct ed_vector {
	const char	*name;
	const char	*seed;
	const char	*pub;
	const char	*msg;
	const char	*sig;
};

static const struct ed_vector ed_vectors[] = {
	{ "TEST 1",
	  "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
	  "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
	  "",
	  "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
	  "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b" },
	{ "TEST 2",
	  "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
	  "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
	  "72",
	  "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
	  "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00" },
	{ "TEST 3",
	  "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
	  "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
	  "af82",
	  "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
	  "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a" },
	{ "TEST 1024",
	  "f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
	  "278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
	  "08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
	  "fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
	  "79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
	  "658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
	  "1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
	  "ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
	  "06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
	  "efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
	  "aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
	  "85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
	  "d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
	  "554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
	  "88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
	  "2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
	  "07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
	  "b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
	  "ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
	  "c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
	  "51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
	  "42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
	  "ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
	  "f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
	  "d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
	  "de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
	  "88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
	  "2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
	  "6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
	  "b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
	  "0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
	  "369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
	  "b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
	  "0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
	  "0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
	  "aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03" },
	{ "TEST SHA(abc)",
	  "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
	  "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
	  "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
	  "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
	  "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
	  "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704" },
};

START_TEST(test_ed25519_rfc8032)
{
	const struct ed_vector	*v = &ed_vectors[_i];
	uint8_t			 seed[32], pub[32], msg[1023], sig[64];
	uint8_t			 got[64];
	size_t			 len;

	HEX(seed, v->seed);
	HEX(pub, v->pub);
	HEX(sig, v->sig);
	len = HEX(msg, v->msg);
	ck_assert_int_eq(ed25519_public(got, seed), 0);
	ck_assert_msg(memcmp(got, pub, 32) == 0, "%s: public key", v->name);
	ck_assert_int_eq(ed25519_sign(got, seed, msg, len), 0);
	ck_assert_msg(memcmp(got, sig, 64) == 0, "%s: signature", v->name);
	ck_assert_msg(ed25519_verify(sig, pub, msg, len) == 0, "%s: verify",
	    v->name);
}
END_TEST

/* a prepared key signs the same as the one-shot call, many times */
START_TEST(test_ed25519_key_handle)
{
	const struct ed_vector	*v = &ed_vectors[_i];
	struct sign_key		*key;
	uint8_t			 seed[32], msg[1023], sig[64], got[64];
	size_t			 len;
	int			 i;

	HEX(seed, v->seed);
	HEX(sig, v->sig);
	len = HEX(msg, v->msg);
	ck_assert_ptr_nonnull(key = ed25519_key_new(seed));
	for (i = 0; i < 3; i++) {
		memset(got, 0, sizeof(got));
		ck_assert_int_eq(ed25519_key_sign(key, got, msg, len), 0);
		ck_assert_msg(memcmp(got, sig, 64) == 0, "%s: signature %d",
		    v->name, i);
	}
	ed25519_key_free(key);
	ed25519_key_free(NULL);
}
END_TEST

START_TEST(test_ed25519_bad)
{
	const struct ed_vector	*v = &ed_vectors[2];
	uint8_t			 pub[32], msg[2], sig[64], other[32];
	size_t			 len, i;

	HEX(pub, v->pub);
	len = HEX(msg, v->msg);
	HEX(sig, v->sig);
	ck_assert_int_eq(ed25519_verify(sig, pub, msg, len), 0);

	/* any flipped bit of the signature */
	for (i = 0; i < 64 * 8; i += 7) {
		sig[i / 8] ^= 1 << (i % 8);
		ck_assert_msg(ed25519_verify(sig, pub, msg, len) == -1,
		    "bit %zu", i);
		sig[i / 8] ^= 1 << (i % 8);
	}
	/* a flipped message bit, a shorter message */
	msg[1] ^= 0x01;
	ck_assert_int_eq(ed25519_verify(sig, pub, msg, len), -1);
	msg[1] ^= 0x01;
	ck_assert_int_eq(ed25519_verify(sig, pub, msg, len - 1), -1);
	/* another key */
	HEX(other, ed_vectors[1].pub);
	ck_assert_int_eq(ed25519_verify(sig, other, msg, len), -1);
	/* S >= L is refused (RFC 8032 section 5.1.7) */
	memset(sig + 32, 0xff, 32);
	ck_assert_int_eq(ed25519_verify(sig, pub, msg, len), -1);
}
END_TEST

START_TEST(test_ed25519_keygen)
{
	uint8_t	 seed[32], pub[32], p[32], sig[64];

	ck_assert_int_eq(ed25519_keygen(seed, pub), 0);
	ck_assert_int_eq(ed25519_public(p, seed), 0);
	ck_assert_mem_eq(p, pub, 32);
	ck_assert_int_eq(ed25519_sign(sig, seed, "hello", 5), 0);
	ck_assert_int_eq(ed25519_verify(sig, pub, "hello", 5), 0);
	ck_assert_int_eq(ed25519_verify(sig, pub, "hellO", 5), -1);
	ck_assert_int_eq(ed25519_sign(sig, seed, NULL, 0), 0);
	ck_assert_int_eq(ed25519_verify(sig, pub, NULL, 0), 0);
}
END_TEST

/*
 * SipHash-2-4: vectors_sip64 from the reference implementation's
 * vectors.h (key 00..0f, message 00..n-1), as little-endian uint64.
 */

static const uint64_t sip_vectors[64] = {
	0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL,
	0x0d6c8009d9a94f5aULL, 0x85676696d7fb7e2dULL,
	0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
	0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL,
	0x93f5f5799a932462ULL, 0x9e0082df0ba9e4b0ULL,
	0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
	0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL,
	0xf723ca908e7af2eeULL, 0xa129ca6149be45e5ULL,
	0x3f2acc7f57c29bdbULL, 0x699ae9f52cbe4794ULL,
	0x4bc1b3f0968dd39cULL, 0xbb6dc91da77961bdULL,
	0xbed65cf21aa2ee98ULL, 0xd0f2cbb02e3b67c7ULL,
	0x93536795e3a33e88ULL, 0xa80c038ccd5ccec8ULL,
	0xb8ad50c6f649af94ULL, 0xbce192de8a85b8eaULL,
	0x17d835b85bbb15f3ULL, 0x2f2e6163076bcfadULL,
	0xde4daaaca71dc9a5ULL, 0xa6a2506687956571ULL,
	0xad87a3535c49ef28ULL, 0x32d892fad841c342ULL,
	0x7127512f72f27cceULL, 0xa7f32346f95978e3ULL,
	0x12e0b01abb051238ULL, 0x15e034d40fa197aeULL,
	0x314dffbe0815a3b4ULL, 0x027990f029623981ULL,
	0xcadcd4e59ef40c4dULL, 0x9abfd8766a33735cULL,
	0x0e3ea96b5304a7d0ULL, 0xad0c42d6fc585992ULL,
	0x187306c89bc215a9ULL, 0xd4a60abcf3792b95ULL,
	0xf935451de4f21df2ULL, 0xa9538f0419755787ULL,
	0xdb9acddff56ca510ULL, 0xd06c98cd5c0975ebULL,
	0xe612a3cb9ecba951ULL, 0xc766e62cfcadaf96ULL,
	0xee64435a9752fe72ULL, 0xa192d576b245165aULL,
	0x0a8787bf8ecb74b2ULL, 0x81b3e73d20b49b6fULL,
	0x7fa8220ba3b2eceaULL, 0x245731c13ca42499ULL,
	0xb78dbfaf3a8d83bdULL, 0xea1ad565322a1a0bULL,
	0x60e61c23a3795013ULL, 0x6606d7e446282b93ULL,
	0x6ca4ecb15c5f91e1ULL, 0x9f626da15c9625f3ULL,
	0xe51b38608ef25f57ULL, 0x958a324ceb064572ULL,
};

START_TEST(test_siphash_vectors)
{
	uint8_t	 key[16], msg[64];
	size_t	 n;

	for (n = 0; n < 16; n++)
		key[n] = (uint8_t)n;
	for (n = 0; n < 64; n++)
		msg[n] = (uint8_t)n;
	for (n = 0; n < 64; n++)
		ck_assert_msg(siphash24(key, msg, n) == sip_vectors[n],
		    "length %zu", n);
	ck_assert(siphash24(key, NULL, 0) == sip_vectors[0]);
}
END_TEST

/* OpenSSL's SipHash-2-4 with an 8-byte output */
static uint64_t
openssl_siphash(const uint8_t key[16], const void *msg, size_t len)
{
	EVP_MAC		*mac;
	EVP_MAC_CTX	*ctx;
	OSSL_PARAM	 params[2];
	unsigned int	 size = 8;
	uint8_t		 out[8];
	size_t		 outlen;
	uint64_t	 v = 0;
	int		 i;

	ck_assert_ptr_nonnull(mac = EVP_MAC_fetch(NULL, "SIPHASH", NULL));
	ck_assert_ptr_nonnull(ctx = EVP_MAC_CTX_new(mac));
	params[0] = OSSL_PARAM_construct_uint(OSSL_MAC_PARAM_SIZE, &size);
	params[1] = OSSL_PARAM_construct_end();
	ck_assert_int_eq(EVP_MAC_CTX_set_params(ctx, params), 1);
	ck_assert_int_eq(EVP_MAC_init(ctx, key, 16, NULL), 1);
	ck_assert_int_eq(EVP_MAC_update(ctx, msg, len), 1);
	ck_assert_int_eq(EVP_MAC_final(ctx, out, &outlen, sizeof(out)), 1);
	ck_assert_uint_eq(outlen, 8);
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	for (i = 7; i >= 0; i--)
		v = v << 8 | out[i];
	return v;
}

START_TEST(test_siphash_openssl)
{
	uint8_t	 key[16], msg[300];
	size_t	 len;

	for (len = 0; len < sizeof(msg); len += 1 + len / 8) {
		ck_assert_int_eq(crypto_random(key, sizeof(key)), 0);
		ck_assert_int_eq(crypto_random(msg, len), 0);
		ck_assert_msg(siphash24(key, msg, len) ==
		    openssl_siphash(key, msg, len), "length %zu", len);
	}
}
END_TEST

/*
 * Noise symmetric state
 */

#define NAME_N		"Noise_N_25519_ChaChaPoly_SHA256"
#define NAME_NTCP2	"Noise_XKaesobfse+hs2+hs3_25519_ChaChaPoly_SHA256"
#define NAME_SSU2	"Noise_XKchaobfse+hs1+hs2+hs3_25519_ChaChaPoly_SHA256"
#define NAME_ECIES	"Noise_IKelg2+hs2_25519_ChaChaPoly_SHA256"

START_TEST(test_noise_init)
{
	struct noise_ss	 ss;
	uint8_t		 want[32], zero[32];
	char		 name32[33];

	memset(zero, 0, sizeof(zero));

	/* 31 bytes: zero padded */
	ck_assert_uint_eq(strlen(NAME_N), 31);
	memset(&ss, 0xee, sizeof(ss));
	ck_assert_int_eq(noise_init(&ss, NAME_N), 0);
	memset(want, 0, sizeof(want));
	memcpy(want, NAME_N, 31);
	ck_assert_mem_eq(ss.h, want, 32);
	ck_assert_mem_eq(ss.ck, want, 32);
	ck_assert_mem_eq(ss.k, zero, 32);
	ck_assert_uint_eq(ss.n, 0);
	ck_assert_int_eq(ss.has_key, 0);

	/* exactly 32: used as is */
	memset(name32, 'x', 32);
	name32[32] = '\0';
	ck_assert_int_eq(noise_init(&ss, name32), 0);
	ck_assert_mem_eq(ss.h, name32, 32);

	/* longer: hashed (prefixes from the project's SPECMAP) */
	ck_assert_int_eq(noise_init(&ss, NAME_NTCP2), 0);
	ck_assert_hex(ss.h, 4, "72e842c5");
	ck_assert_hex(ss.h, 32,
	    "72e842c545e18080d39c4493bb91d7edf228981771218c1f624e206f28d32f71");
	ck_assert_mem_eq(ss.ck, ss.h, 32);
	ck_assert_int_eq(noise_init(&ss, NAME_SSU2), 0);
	ck_assert_hex(ss.h, 4, "b1372281");
	ck_assert_mem_eq(ss.ck, ss.h, 32);
	ck_assert_int_eq(noise_init(&ss, NAME_ECIES), 0);
	ck_assert_hex(ss.h, 4, "4caf11ef");
	ck_assert_mem_eq(ss.ck, ss.h, 32);

	ck_assert_int_eq(noise_init(&ss, NULL), -1);
	noise_wipe(&ss);
	ck_assert(all_zero((uint8_t *)&ss, sizeof(ss)));
}
END_TEST

START_TEST(test_noise_mix)
{
	struct noise_ss	 ss;
	uint8_t		 h0[32], ck0[32], buf[36], want[64];

	ck_assert_int_eq(noise_init(&ss, NAME_NTCP2), 0);
	memcpy(h0, ss.h, 32);

	/* MixHash: h = SHA256(h || data) */
	memcpy(buf, h0, 32);
	memcpy(buf + 32, "abcd", 4);
	ck_assert_int_eq(noise_mix_hash(&ss, "abcd", 4), 0);
	ck_assert_int_eq(sha256(want, buf, 36), 0);
	ck_assert_mem_eq(ss.h, want, 32);
	memcpy(h0, ss.h, 32);
	ck_assert_int_eq(noise_mix_hash(&ss, NULL, 0), 0);
	ck_assert_int_eq(sha256(want, h0, 32), 0);
	ck_assert_mem_eq(ss.h, want, 32);

	/* MixKey: ck, k = HKDF(ck, ikm); n = 0; h untouched */
	memcpy(ck0, ss.ck, 32);
	memcpy(h0, ss.h, 32);
	ss.n = 7;
	noise_hkdf_by_hand(ck0, "secret", 6, want);
	ck_assert_int_eq(noise_mix_key(&ss, "secret", 6), 0);
	ck_assert_mem_eq(ss.ck, want, 32);
	ck_assert_mem_eq(ss.k, want + 32, 32);
	ck_assert_uint_eq(ss.n, 0);
	ck_assert_int_eq(ss.has_key, 1);
	ck_assert_mem_eq(ss.h, h0, 32);
}
END_TEST

START_TEST(test_noise_roundtrip)
{
	struct noise_ss	 a, b;
	uint8_t		 ct[64 + 16], pt[64], msg[64], h0[32], want[32];
	uint8_t		 buf[32 + 64 + 16], k1[32], k2[32], l1[32], l2[32];
	int		 i;

	for (i = 0; i < 64; i++)
		msg[i] = (uint8_t)(i * 7);
	ck_assert_int_eq(noise_init(&a, NAME_SSU2), 0);
	ck_assert_int_eq(noise_init(&b, NAME_SSU2), 0);

	/* before any key: plaintext, hashed */
	memcpy(h0, a.h, 32);
	ck_assert_int_eq(noise_encrypt_and_hash(&a, ct, msg, 32), 0);
	ck_assert_mem_eq(ct, msg, 32);
	memcpy(buf, h0, 32);
	memcpy(buf + 32, msg, 32);
	ck_assert_int_eq(sha256(want, buf, 64), 0);
	ck_assert_mem_eq(a.h, want, 32);
	ck_assert_int_eq(noise_decrypt_and_hash(&b, pt, ct, 32), 0);
	ck_assert_mem_eq(pt, msg, 32);
	ck_assert_mem_eq(a.h, b.h, 32);

	ck_assert_int_eq(noise_mix_key(&a, "shared", 6), 0);
	ck_assert_int_eq(noise_mix_key(&b, "shared", 6), 0);

	/* with a key: AEAD with ad = h, nonce n, then h = H(h || ct) */
	memcpy(h0, a.h, 32);
	ck_assert_int_eq(noise_encrypt_and_hash(&a, ct, msg, 64), 0);
	ck_assert_uint_eq(a.n, 1);
	ck_assert_int_eq(chachapoly_decrypt(pt, a.k, 0, h0, 32, ct,
	    sizeof(ct)), 0);
	ck_assert_mem_eq(pt, msg, 64);
	memcpy(buf, h0, 32);
	memcpy(buf + 32, ct, sizeof(ct));
	ck_assert_int_eq(sha256(want, buf, sizeof(buf)), 0);
	ck_assert_mem_eq(a.h, want, 32);

	/* a tampered message: -1, and neither h nor n moves */
	ct[5] ^= 0x20;
	memcpy(h0, b.h, 32);
	ck_assert_int_eq(noise_decrypt_and_hash(&b, pt, ct, sizeof(ct)), -1);
	ck_assert_mem_eq(b.h, h0, 32);
	ck_assert_uint_eq(b.n, 0);
	ct[5] ^= 0x20;
	ck_assert_int_eq(noise_decrypt_and_hash(&b, pt, ct, 15), -1);

	/* the real one, decrypted in place */
	memcpy(buf, ct, sizeof(ct));
	ck_assert_int_eq(noise_decrypt_and_hash(&b, buf, buf, sizeof(ct)), 0);
	ck_assert_mem_eq(buf, msg, 64);
	ck_assert_mem_eq(a.h, b.h, 32);
	ck_assert_uint_eq(b.n, 1);

	/* the other way, in place, with an empty payload */
	ck_assert_int_eq(noise_encrypt_and_hash(&b, ct, NULL, 0), 0);
	ck_assert_int_eq(noise_decrypt_and_hash(&a, pt, ct, 16), 0);
	ck_assert_mem_eq(a.h, b.h, 32);
	ck_assert_uint_eq(a.n, 2);
	ck_assert_uint_eq(b.n, 2);

	/* a replayed message fails: the nonce moved on */
	ck_assert_int_eq(noise_decrypt_and_hash(&a, pt, ct, 16), -1);

	/* Split: both sides agree, two different keys, HKDF(ck, "") */
	ck_assert_int_eq(noise_split(&a, k1, k2), 0);
	ck_assert_int_eq(noise_split(&b, l1, l2), 0);
	ck_assert_mem_eq(k1, l1, 32);
	ck_assert_mem_eq(k2, l2, 32);
	ck_assert_int_ne(memcmp(k1, k2, 32), 0);
	noise_hkdf_by_hand(a.ck, NULL, 0, buf + 32);
	ck_assert_mem_eq(k1, buf + 32, 32);
	ck_assert_mem_eq(k2, buf + 64, 32);

	noise_wipe(&a);
	noise_wipe(&b);
}
END_TEST

START_TEST(test_noise_nonce_exhausted)
{
	struct noise_ss	 ss;
	uint8_t		 ct[16];

	ck_assert_int_eq(noise_init(&ss, NAME_ECIES), 0);
	ck_assert_int_eq(noise_mix_key(&ss, "k", 1), 0);
	ss.n = UINT64_MAX;
	ck_assert_int_eq(noise_encrypt_and_hash(&ss, ct, NULL, 0), -1);
	ss.n = UINT64_MAX - 1;
	ck_assert_int_eq(noise_encrypt_and_hash(&ss, ct, NULL, 0), 0);
	ck_assert_int_eq(noise_encrypt_and_hash(&ss, ct, NULL, 0), -1);
}
END_TEST

static Suite *
crypto_suite(void)
{
	Suite	*s = suite_create("crypto");
	TCase	*tc;

	tc = tcase_create("util");
	tcase_add_test(tc, test_random_memcmp);
	tcase_add_test(tc, test_random_below);
	suite_add_tcase(s, tc);

	tc = tcase_create("sha256");
	tcase_add_test(tc, test_sha256_vectors);
	tcase_add_test(tc, test_sha256_incremental);
	suite_add_tcase(s, tc);

	tc = tcase_create("hmac_hkdf");
	tcase_add_test(tc, test_hmac_rfc4231);
	tcase_add_test(tc, test_hmac_empty);
	tcase_add_test(tc, test_hkdf_rfc5869);
	tcase_add_test(tc, test_hkdf_limits);
	tcase_add_test(tc, test_hkdf_is_noise_hkdf);
	suite_add_tcase(s, tc);

	tc = tcase_create("chacha");
	tcase_add_test(tc, test_chacha20_rfc8439);
	tcase_add_test(tc, test_aead_rfc8439_encrypt);
	tcase_add_test(tc, test_aead_rfc8439_decrypt);
	tcase_add_test(tc, test_aead_tamper);
	tcase_add_test(tc, test_aead_i2p_nonce);
	suite_add_tcase(s, tc);

	tc = tcase_create("aes");
	tcase_add_test(tc, test_aes_ecb);
	tcase_add_test(tc, test_aes_cbc);
	tcase_add_test(tc, test_aes_cbc_bad_length);
	suite_add_tcase(s, tc);

	tc = tcase_create("x25519");
	/* 1000 scalar multiplications: slow under the sanitizers */
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_x25519_rfc7748);
	tcase_add_test(tc, test_x25519_iterated);
	tcase_add_test(tc, test_x25519_dh);
	tcase_add_test(tc, test_x25519_keygen);
	tcase_add_test(tc, test_x25519_low_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("ed25519");
	tcase_add_loop_test(tc, test_ed25519_rfc8032, 0,
	    (int)(sizeof(ed_vectors) / sizeof(ed_vectors[0])));
	tcase_add_loop_test(tc, test_ed25519_key_handle, 0,
	    (int)(sizeof(ed_vectors) / sizeof(ed_vectors[0])));
	tcase_add_test(tc, test_ed25519_bad);
	tcase_add_test(tc, test_ed25519_keygen);
	suite_add_tcase(s, tc);

	tc = tcase_create("siphash");
	tcase_add_test(tc, test_siphash_vectors);
	tcase_add_test(tc, test_siphash_openssl);
	suite_add_tcase(s, tc);

	tc = tcase_create("noise");
	tcase_add_test(tc, test_noise_init);
	tcase_add_test(tc, test_noise_mix);
	tcase_add_test(tc, test_noise_roundtrip);
	tcase_add_test(tc, test_noise_nonce_exhausted);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(crypto_suite());
}
