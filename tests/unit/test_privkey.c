/*
 * Unit tests of common/privkey.c: the PrivateKeyFile format SAM clients
 * hand in and get back, its checks, and the LeaseSet key it gives.
 */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "privkey.h"
#include "unit.h"

/* RFC 8032 section 7.1, TEST 1: the seed is the private key I2P stores */
static const uint8_t rfc_seed[32] = {
	0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4,
	0x92, 0xec, 0x2c, 0xc4, 0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19,
	0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60
};
static const uint8_t rfc_pub[32] = {
	0xd7, 0x5a, 0x98, 0x01, 0x82, 0xb1, 0x0a, 0xb7, 0xd5, 0x4b, 0xfe, 0xd3,
	0xc9, 0x64, 0x07, 0x3a, 0x0e, 0xe1, 0x72, 0xf3, 0xda, 0xa6, 0x23, 0x25,
	0xaf, 0x02, 0x1a, 0x68, 0xf7, 0x07, 0x51, 0x1a
};

static uint8_t	 pad[32], xpriv[32];

static void
setup(void)
{
	memset(pad, 0x5c, sizeof(pad));
	memset(xpriv, 0x21, sizeof(xpriv));
}

/* a private key's bytes; returns their length */
static size_t
encode(const struct privkey *pk, uint8_t *buf, size_t len)
{
	struct wbuf	w;

	wbuf_init_fixed(&w, buf, len);
	ck_assert_int_eq(privkey_write(pk, &w), 0);
	return wbuf_len(&w);
}

/* parses; returns the error code, I2PE_OK on success */
static int
parse_code(struct privkey *pk, const uint8_t *buf, size_t len)
{
	struct i2p_err	err = { 0 };

	if (privkey_parse(pk, buf, len, &err) == 0)
		return I2PE_OK;
	ck_assert_int_ne(err.code, I2PE_OK);
	return err.code;
}

/* 384 key bytes and a key certificate (keys whose fields hold them) */
static size_t
make_dest(uint8_t *buf, size_t len, uint16_t sigtype, uint16_t cryptotype,
    const uint8_t *sign_pub, size_t publen)
{
	struct wbuf	w;
	uint8_t		keys[I2P_KEYS_LEN];

	memset(keys, 0x5c, sizeof(keys));
	memcpy(keys + sizeof(keys) - publen, sign_pub, publen);
	wbuf_init_fixed(&w, buf, len);
	wbuf_put_bytes(&w, keys, sizeof(keys));
	wbuf_put_u8(&w, CERT_KEY);
	wbuf_put_u16(&w, 4);
	wbuf_put_u16(&w, sigtype);
	wbuf_put_u16(&w, cryptotype);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

/* SAM's default: crypto type 0, 679 bytes that Java's SAM reads back */
START_TEST(test_privkey_type0)
{
	struct privkey	 pk, back;
	uint8_t		 buf[1024], zero[PRIVKEY_ELGAMAL_LEN] = { 0 };
	const uint8_t	 cert[7] = { 5, 0, 4, 0, 7, 0, 0 };
	size_t		 n;

	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, rfc_seed, NULL,
	    pad), 0);
	n = encode(&pk, buf, sizeof(buf));
	ck_assert_uint_eq(n, PRIVKEY_MAXLEN);
	ck_assert_uint_eq(n, 679);
	ck_assert_mem_eq(buf + 384, cert, sizeof(cert));
	ck_assert_mem_eq(buf + 384 - 32, rfc_pub, 32);
	ck_assert_mem_eq(buf, pad, 32);
	ck_assert_mem_eq(buf + I2P_IDENT_LEN, zero, sizeof(zero));
	ck_assert_mem_eq(buf + I2P_IDENT_LEN + 256, rfc_seed, 32);
	ck_assert_int_eq(parse_code(&back, buf, n), I2PE_OK);
	ck_assert_int_eq(ident_equal(&back.dest, &pk.dest), 1);
	ck_assert_uint_eq(back.crypto_privlen, 256);
	ck_assert_mem_eq(back.sign_seed, rfc_seed, 32);
	ck_assert_uint_eq(back.dest.cryptotype, CRYPTOTYPE_ELGAMAL);
	privkey_wipe(&back);
	ck_assert(back.crypto_privlen == 0 && back.sign_seed[0] == 0);
}
END_TEST

START_TEST(test_privkey_type4)
{
	struct privkey	 pk, back;
	uint8_t		 buf[1024], lpriv[32], lpub[32], xpub[32];
	size_t		 n;

	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_X25519, rfc_seed,
	    xpriv, pad), 0);
	n = encode(&pk, buf, sizeof(buf));
	ck_assert_uint_eq(n, PRIVKEY_MINLEN);
	ck_assert_int_eq(parse_code(&back, buf, n), I2PE_OK);
	ck_assert_uint_eq(back.crypto_privlen, 32);
	ck_assert_int_eq(x25519_public(xpub, xpriv), 0);
	ck_assert_mem_eq(back.dest.crypto_pub, xpub, 32);
	/* the LeaseSet key is the private key field */
	ck_assert_int_eq(privkey_ls_key(&back, lpriv, lpub), 0);
	ck_assert_mem_eq(lpriv, xpriv, 32);
	ck_assert_mem_eq(lpub, xpub, 32);
	ck_assert_int_eq(privkey_build(&pk, 1, rfc_seed, xpriv, pad), -1);
	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_X25519, rfc_seed, NULL,
	    pad), -1);
}
END_TEST

/*
 * Crypto type 0: the LeaseSet key comes from the signing seed alone, so
 * it survives a client rewriting the unused 256-byte field (samv3.html
 * allows that) and is the same in every session.
 */
START_TEST(test_privkey_ls_derived)
{
	struct privkey	 pk, back;
	uint8_t		 buf[1024], seed2[32];
	uint8_t		 p1[32], q1[32], p2[32], q2[32];
	size_t		 n;

	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, rfc_seed, NULL,
	    pad), 0);
	ck_assert_int_eq(privkey_ls_key(&pk, p1, q1), 0);
	n = encode(&pk, buf, sizeof(buf));
	memset(buf + I2P_IDENT_LEN, 0xa7, PRIVKEY_ELGAMAL_LEN);
	ck_assert_int_eq(parse_code(&back, buf, n), I2PE_OK);
	ck_assert_int_eq(privkey_ls_key(&back, p2, q2), 0);
	ck_assert_mem_eq(p1, p2, 32);
	ck_assert_mem_eq(q1, q2, 32);
	ck_assert_int_ne(memcmp(p1, rfc_seed, 32), 0);
	ck_assert_int_eq(x25519_public(q2, p1), 0);
	ck_assert_mem_eq(q1, q2, 32);
	/* another padding, the same seed: the same key */
	pad[0] ^= 1;
	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, rfc_seed, NULL,
	    pad), 0);
	ck_assert_int_eq(privkey_ls_key(&pk, p2, q2), 0);
	ck_assert_mem_eq(p1, p2, 32);
	/* another seed: another key */
	memcpy(seed2, rfc_seed, 32);
	seed2[31] ^= 1;
	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, seed2, NULL,
	    pad), 0);
	ck_assert_int_eq(privkey_ls_key(&pk, p2, q2), 0);
	ck_assert_int_ne(memcmp(p1, p2, 32), 0);
}
END_TEST

/* every proper prefix is refused as truncated; one byte more, trailing */
START_TEST(test_privkey_lengths)
{
	struct privkey	 pk, back;
	uint8_t		 buf[1024];
	size_t		 n, i;
	int		 t, code;

	for (t = 0; t < 2; t++) {
		ck_assert_int_eq(privkey_build(&pk, t ? CRYPTOTYPE_X25519 :
		    CRYPTOTYPE_ELGAMAL, rfc_seed, xpriv, pad), 0);
		n = encode(&pk, buf, sizeof(buf));
		for (i = 0; i < n; i++) {
			code = parse_code(&back, buf, i);
			ck_assert_msg(code == I2PE_TRUNCATED, "%zu bytes: %d",
			    i, code);
		}
		buf[n] = 0;
		ck_assert_int_eq(parse_code(&back, buf, n + 1), I2PE_TRAILING);
	}
}
END_TEST

/* the public halves must be the Destination's */
START_TEST(test_privkey_mismatch)
{
	struct privkey	 pk, back;
	uint8_t		 buf[1024], lpriv[32], lpub[32], want[64];
	size_t		 n;

	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, rfc_seed, NULL,
	    pad), 0);
	n = encode(&pk, buf, sizeof(buf));
	buf[n - 1] ^= 0x40;
	ck_assert_int_eq(parse_code(&back, buf, n), I2PE_MISMATCH);
	buf[n - 1] ^= 0x40;
	buf[383] ^= 1;		/* the signing public key's last byte */
	ck_assert_int_eq(parse_code(&back, buf, n), I2PE_MISMATCH);

	/*
	 * As i2pd 2.45.1's DEST GENERATE CRYPTO_TYPE=4 writes them: the
	 * padding block where the X25519 key goes, the field random.  The
	 * field is the LeaseSet key all the same; a zero one is derived.
	 */
	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_X25519, rfc_seed,
	    xpriv, pad), 0);
	n = encode(&pk, buf, sizeof(buf));
	memcpy(buf, pad, 32);
	ck_assert_int_eq(parse_code(&back, buf, n), 0);
	ck_assert_int_eq(privkey_ls_key(&back, lpriv, lpub), 0);
	ck_assert_mem_eq(lpriv, xpriv, 32);
	ck_assert_int_eq(x25519_public(want, xpriv), 0);
	ck_assert_mem_eq(lpub, want, 32);
	ck_assert_mem_ne(lpub, back.dest.crypto_pub, 32);
	memset(buf + I2P_IDENT_LEN, 0, 32);
	ck_assert_int_eq(parse_code(&back, buf, n), 0);
	ck_assert_int_eq(privkey_ls_key(&back, lpriv, lpub), 0);
	ck_assert_mem_ne(lpriv, xpriv, 32);
	ck_assert_int_eq(privkey_ls_key(&back, want, want + 32), 0);
	ck_assert_mem_eq(lpriv, want, 32);
}
END_TEST

/* a zero signing key announces an offline signature: not taken */
START_TEST(test_privkey_offline)
{
	struct privkey	 pk, back;
	uint8_t		 buf[1024];
	size_t		 n;

	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, rfc_seed, NULL,
	    pad), 0);
	n = encode(&pk, buf, sizeof(buf));
	memset(buf + n - 32, 0, 32);
	ck_assert_int_eq(parse_code(&back, buf, n), I2PE_OFFLINE);
	/* expires, type 7, transient key, signature, transient private */
	memset(buf + n, 0x11, 4 + 2 + 32 + 64 + 32);
	buf[n + 4] = 0;
	buf[n + 5] = 7;
	ck_assert_int_eq(parse_code(&back, buf, n + 134), I2PE_OFFLINE);
}
END_TEST

/* Destinations of other types: refused with the type in the reason */
START_TEST(test_privkey_types)
{
	struct privkey	 back;
	struct i2p_err	 err = { 0 };
	uint8_t		 buf[1024], pub64[64];
	char		 msg[128];
	size_t		 n;

	memset(buf, 0x33, sizeof(buf));
	n = make_dest(buf, sizeof(buf), SIGTYPE_REDDSA, CRYPTOTYPE_ELGAMAL,
	    rfc_pub, 32);
	ck_assert_int_eq(privkey_parse(&back, buf, n + 256 + 32, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGTYPE);
	ck_assert_uint_eq(err.arg, SIGTYPE_REDDSA);
	ck_assert_str_eq(i2p_errstr(&err, msg, sizeof(msg)),
	    "private key: unsupported signature type 11");
	memset(pub64, 0x44, sizeof(pub64));
	n = make_dest(buf, sizeof(buf), SIGTYPE_ECDSA_P256, CRYPTOTYPE_ELGAMAL,
	    pub64, 64);
	ck_assert_int_eq(parse_code(&back, buf, n + 256 + 32), I2PE_SIGTYPE);
	n = make_dest(buf, sizeof(buf), SIGTYPE_RSA_2048, CRYPTOTYPE_ELGAMAL,
	    pub64, 64);
	ck_assert_int_eq(parse_code(&back, buf, n + 256 + 512), I2PE_BAD_CERT);
	n = make_dest(buf, sizeof(buf), SIGTYPE_ED25519, 1, rfc_pub, 32);
	ck_assert_int_eq(parse_code(&back, buf, n + 32 + 32),
	    I2PE_CRYPTOTYPE);
	n = make_dest(buf, sizeof(buf), SIGTYPE_ED25519, 99, rfc_pub, 32);
	ck_assert_int_eq(parse_code(&back, buf, n + 32 + 32),
	    I2PE_CRYPTOTYPE);
	/* a NULL certificate: DSA-SHA1 */
	buf[384] = CERT_NULL;
	buf[385] = buf[386] = 0;
	ck_assert_int_eq(parse_code(&back, buf, 387 + 256 + 20),
	    I2PE_SIGTYPE);
}
END_TEST

/* what we write, base64 as SAM carries it: 908 characters */
START_TEST(test_privkey_b64)
{
	struct privkey	 pk, back;
	uint8_t		 buf[1024], dec[1024];
	char		 b64[B64_ENCLEN(PRIVKEY_MAXLEN)];
	size_t		 n;
	int		 len;

	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, rfc_seed, NULL,
	    pad), 0);
	n = encode(&pk, buf, sizeof(buf));
	ck_assert_int_eq(b64_encode(b64, sizeof(b64), buf, n), 908);
	/* samv3.html: 884 or more characters, 663 or more bytes */
	len = b64_decode(dec, sizeof(dec), b64, strlen(b64));
	ck_assert_int_eq(len, (int)n);
	ck_assert_int_eq(parse_code(&back, dec, len), I2PE_OK);
}
END_TEST

/* bit flips anywhere are refused or parse to a consistent key */
START_TEST(test_privkey_bitflips)
{
	struct privkey	 pk, back;
	uint8_t		 buf[1024], out[1024];
	size_t		 n, i, m;

	ck_assert_int_eq(privkey_build(&pk, CRYPTOTYPE_ELGAMAL, rfc_seed, NULL,
	    pad), 0);
	n = encode(&pk, buf, sizeof(buf));
	for (i = 0; i < n * 8; i += 7) {
		buf[i / 8] ^= 1 << (i % 8);
		if (parse_code(&back, buf, n) == I2PE_OK) {
			/* the key fields and padding bytes are free */
			m = encode(&back, out, sizeof(out));
			ck_assert_uint_eq(m, n);
			ck_assert_mem_eq(out, buf, n);
		}
		buf[i / 8] ^= 1 << (i % 8);
	}
}
END_TEST

static Suite *
privkey_suite(void)
{
	Suite	*s = suite_create("privkey");
	TCase	*tc = tcase_create("privkey");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_privkey_type0);
	tcase_add_test(tc, test_privkey_type4);
	tcase_add_test(tc, test_privkey_ls_derived);
	tcase_add_test(tc, test_privkey_lengths);
	tcase_add_test(tc, test_privkey_mismatch);
	tcase_add_test(tc, test_privkey_offline);
	tcase_add_test(tc, test_privkey_types);
	tcase_add_test(tc, test_privkey_b64);
	tcase_add_test(tc, test_privkey_bitflips);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(privkey_suite());
}
