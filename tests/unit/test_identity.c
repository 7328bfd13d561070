/*
 * Unit tests of common/identity.c: Certificate, Key Certificate and
 * KeysAndCert as RouterIdentity and Destination.
 */
#include <bsd/string.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"
#include "sigkeys.h"
#include "unit.h"

#ifndef TESTS_DIR
#define TESTS_DIR	"tests"
#endif
#define I2PD_RI		TESTS_DIR "/data/routerinfo/i2pd-2.45.1-a.dat"

static uint8_t	 seed[32], sign_pub[32], x_pub[32], pad[32];

static void
setup(void)
{
	memset(seed, 0x11, sizeof(seed));
	ck_assert_int_eq(ed25519_public(sign_pub, seed), 0);
	memset(x_pub, 0x22, sizeof(x_pub));
	memset(pad, 0x33, sizeof(pad));
	pad[0] = 0x44;
}

/* parses a whole buffer; returns the error code (I2PE_OK on success) */
static int
parse_code(struct i2p_ident *id, const void *p, size_t len,
    enum ident_kind kind, unsigned *arg)
{
	struct i2p_err	 err = { 0 };

	if (ident_parse_bytes(id, p, len, kind, &err) == 0)
		return I2PE_OK;
	ck_assert_int_ne(err.code, I2PE_OK);
	if (arg != NULL)
		*arg = err.arg;
	return err.code;
}

/* 384 key bytes and a key certificate with the given fields */
static size_t
make_ident(uint8_t *buf, size_t sz, uint8_t certtype, uint16_t certlen,
    uint16_t sigtype, uint16_t cryptotype)
{
	struct wbuf	 w;

	wbuf_init_fixed(&w, buf, sz);
	wbuf_put_bytes(&w, x_pub, 32);
	wbuf_put_zero(&w, 320);
	wbuf_put_bytes(&w, sign_pub, 32);
	wbuf_put_u8(&w, certtype);
	wbuf_put_u16(&w, certlen);
	if (certlen >= 4) {
		wbuf_put_u16(&w, sigtype);
		wbuf_put_u16(&w, cryptotype);
		wbuf_put_zero(&w, certlen - 4);
	} else
		wbuf_put_zero(&w, certlen);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

START_TEST(test_ident_build_router)
{
	static const uint8_t cert[7] = { 5, 0, 4, 0, 7, 0, 4 };
	struct i2p_ident	 id, id2;
	struct wbuf		 w;
	uint8_t			 buf[512], h[32];
	size_t			 i;

	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, x_pub, sign_pub, pad),
	    0);
	ck_assert_uint_eq(id.rawlen, I2P_IDENT_LEN);
	ck_assert_uint_eq(id.sigtype, SIGTYPE_ED25519);
	ck_assert_uint_eq(id.cryptotype, CRYPTOTYPE_X25519);
	ck_assert_mem_eq(id.raw, x_pub, 32);
	/* ten copies of the padding block */
	for (i = 0; i < 10; i++)
		ck_assert_mem_eq(&id.raw[32 + 32 * i], pad, 32);
	ck_assert_mem_eq(&id.raw[352], sign_pub, 32);
	ck_assert_mem_eq(&id.raw[384], cert, sizeof(cert));
	ck_assert_mem_eq(id.crypto_pub, x_pub, 32);
	ck_assert_mem_eq(id.sign_pub, sign_pub, 32);
	ck_assert_int_eq(sha256(h, id.raw, id.rawlen), 0);
	ck_assert_mem_eq(id.hash, h, 32);
	ck_assert_uint_eq(ident_siglen(&id), 64);

	wbuf_init_fixed(&w, buf, sizeof(buf));
	ck_assert_int_eq(ident_write(&id, &w), 0);
	ck_assert_uint_eq(wbuf_len(&w), I2P_IDENT_LEN);
	ck_assert_int_eq(parse_code(&id2, buf, wbuf_len(&w), IDENT_ROUTER,
	    NULL), I2PE_OK);
	ck_assert(ident_equal(&id, &id2));
	ck_assert_mem_eq(id2.hash, id.hash, 32);

	/* a router needs its X25519 key */
	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, NULL, sign_pub, pad),
	    -1);
}
END_TEST

START_TEST(test_ident_build_dest)
{
	static const uint8_t cert[7] = { 5, 0, 4, 0, 7, 0, 0 };
	struct i2p_ident	 id, id2;
	size_t			 i;
	unsigned		 arg;

	ck_assert_int_eq(ident_build(&id, IDENT_DEST, NULL, sign_pub, pad), 0);
	ck_assert_uint_eq(id.cryptotype, CRYPTOTYPE_ELGAMAL);
	/* 256 unused + 96 padding bytes: eleven copies */
	for (i = 0; i < 11; i++)
		ck_assert_mem_eq(&id.raw[32 * i], pad, 32);
	ck_assert_mem_eq(&id.raw[352], sign_pub, 32);
	ck_assert_mem_eq(&id.raw[384], cert, sizeof(cert));
	ck_assert_int_eq(parse_code(&id2, id.raw, id.rawlen, IDENT_DEST, NULL),
	    I2PE_OK);
	ck_assert(ident_equal(&id, &id2));
	/* crypto type 0 is not a router identity we take */
	ck_assert_int_eq(parse_code(&id2, id.raw, id.rawlen, IDENT_ROUTER,
	    &arg), I2PE_CRYPTOTYPE);
	ck_assert_uint_eq(arg, 0);

	/* an X25519 Destination is fine too */
	ck_assert_int_eq(ident_build(&id, IDENT_DEST, x_pub, sign_pub, NULL),
	    0);
	ck_assert_uint_eq(id.cryptotype, CRYPTOTYPE_X25519);
	ck_assert_int_eq(parse_code(&id2, id.raw, id.rawlen, IDENT_DEST, NULL),
	    I2PE_OK);
}
END_TEST

/* random padding: a fresh block each time, repeated within one */
START_TEST(test_ident_random_pad)
{
	struct i2p_ident	 a, b;
	size_t			 i;

	ck_assert_int_eq(ident_build(&a, IDENT_ROUTER, x_pub, sign_pub, NULL),
	    0);
	ck_assert_int_eq(ident_build(&b, IDENT_ROUTER, x_pub, sign_pub, NULL),
	    0);
	ck_assert(!ident_equal(&a, &b));
	for (i = 1; i < 10; i++)
		ck_assert_mem_eq(&a.raw[32 + 32 * i], &a.raw[32], 32);
}
END_TEST

START_TEST(test_ident_truncated)
{
	struct i2p_ident	 id;
	size_t			 len;

	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, x_pub, sign_pub, pad),
	    0);
	for (len = 0; len < id.rawlen; len++) {
		struct i2p_ident	 t;

		ck_assert_int_eq(parse_code(&t, id.raw, len, IDENT_ROUTER,
		    NULL), I2PE_TRUNCATED);
		ck_assert_uint_eq(t.rawlen, 0);
	}
}
END_TEST

START_TEST(test_ident_trailing)
{
	struct i2p_ident	 id, t;
	uint8_t			 buf[I2P_IDENT_LEN + 1];

	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, x_pub, sign_pub, pad),
	    0);
	memcpy(buf, id.raw, id.rawlen);
	buf[id.rawlen] = 0;
	ck_assert_int_eq(parse_code(&t, buf, sizeof(buf), IDENT_ROUTER, NULL),
	    I2PE_TRAILING);
}
END_TEST

/* certificates: every wrong shape gets its own error */
START_TEST(test_ident_certs)
{
	struct i2p_ident	 id;
	uint8_t			 buf[1024];
	size_t			 len;
	unsigned		 arg;

#define CHECK(ct, cl, st, ky, kind, code, a) do {			\
	len = make_ident(buf, sizeof(buf), ct, cl, st, ky);		\
	arg = 0xffff;							\
	ck_assert_int_eq(parse_code(&id, buf, len, kind, &arg), code);	\
	if ((a) != -1)							\
		ck_assert_uint_eq(arg, (unsigned)(a));			\
} while (0)
	CHECK(CERT_KEY, 4, 7, 4, IDENT_ROUTER, I2PE_OK, -1);
	/* NULL certificate: DSA-SHA1, in Destinations only */
	CHECK(CERT_NULL, 0, 0, 0, IDENT_ROUTER, I2PE_SIGTYPE, 0);
	CHECK(CERT_NULL, 0, 0, 0, IDENT_DEST, I2PE_OK, -1);
	CHECK(CERT_NULL, 2, 0, 0, IDENT_DEST, I2PE_BAD_CERT, -1);
	/* HIDDEN, SIGNED, unknown */
	CHECK(2, 0, 0, 0, IDENT_ROUTER, I2PE_CERTTYPE, 2);
	CHECK(3, 40, 0, 0, IDENT_DEST, I2PE_CERTTYPE, 3);
	CHECK(9, 0, 0, 0, IDENT_DEST, I2PE_CERTTYPE, 9);
	/* key certificate too short, too long */
	CHECK(CERT_KEY, 3, 7, 4, IDENT_ROUTER, I2PE_BAD_CERT, -1);
	CHECK(CERT_KEY, 0, 7, 4, IDENT_ROUTER, I2PE_BAD_CERT, -1);
	CHECK(CERT_KEY, 5, 7, 4, IDENT_ROUTER, I2PE_BAD_CERT, -1);
	CHECK(CERT_KEY, 100, 7, 4, IDENT_DEST, I2PE_BAD_CERT, -1);
	/* the older types in Destinations, never in router identities */
	CHECK(CERT_KEY, 4, SIGTYPE_ECDSA_P256, 0, IDENT_DEST, I2PE_OK, -1);
	CHECK(CERT_KEY, 4, SIGTYPE_ECDSA_P384, 0, IDENT_DEST, I2PE_OK, -1);
	CHECK(CERT_KEY, 4, SIGTYPE_ECDSA_P256, 4, IDENT_ROUTER, I2PE_SIGTYPE,
	    1);
	CHECK(CERT_KEY, 4, SIGTYPE_REDDSA, 0, IDENT_DEST, I2PE_OK, -1);
	CHECK(CERT_KEY, 4, SIGTYPE_REDDSA, 4, IDENT_ROUTER, I2PE_SIGTYPE, 11);
	/* P521 has 4 key bytes in the certificate, whatever the crypto key */
	CHECK(CERT_KEY, 4, SIGTYPE_ECDSA_P521, 0, IDENT_DEST, I2PE_BAD_CERT,
	    -1);
	CHECK(CERT_KEY, 8, SIGTYPE_ECDSA_P521, 0, IDENT_DEST, I2PE_OK, -1);
	CHECK(CERT_KEY, 4, SIGTYPE_ECDSA_P521, 4, IDENT_DEST, I2PE_BAD_CERT,
	    -1);
	CHECK(CERT_KEY, 8, SIGTYPE_ECDSA_P521, 4, IDENT_DEST, I2PE_OK, -1);
	CHECK(CERT_KEY, 9, SIGTYPE_ECDSA_P521, 0, IDENT_DEST, I2PE_BAD_CERT,
	    -1);
	/* other signature types: lengths checked, then refused */
	CHECK(CERT_KEY, 4 + 128, SIGTYPE_RSA_2048, 0, IDENT_DEST, I2PE_SIGTYPE,
	    4);
	CHECK(CERT_KEY, 4 + 384, SIGTYPE_RSA_4096, 0, IDENT_DEST, I2PE_SIGTYPE,
	    6);
	CHECK(CERT_KEY, 4, SIGTYPE_RSA_4096, 0, IDENT_DEST, I2PE_BAD_CERT, -1);
	CHECK(CERT_KEY, 4, SIGTYPE_ED25519PH, 4, IDENT_ROUTER, I2PE_SIGTYPE, 8);
	CHECK(CERT_KEY, 4, SIGTYPE_ED25519PH, 0, IDENT_DEST, I2PE_SIGTYPE, 8);
	CHECK(CERT_KEY, 4, 9, 0, IDENT_DEST, I2PE_SIGTYPE, 9);
	CHECK(CERT_KEY, 4, 12, 0, IDENT_DEST, I2PE_SIGTYPE, 12);
	CHECK(CERT_KEY, 4, 65535, 0, IDENT_DEST, I2PE_SIGTYPE, 65535);
	/* crypto types */
	CHECK(CERT_KEY, 4, 7, 0, IDENT_ROUTER, I2PE_CRYPTOTYPE, 0);
	CHECK(CERT_KEY, 4, 7, 1, IDENT_ROUTER, I2PE_CRYPTOTYPE, 1);
	CHECK(CERT_KEY, 4, 7, 1, IDENT_DEST, I2PE_CRYPTOTYPE, 1);
	CHECK(CERT_KEY, 4, 7, 5, IDENT_DEST, I2PE_CRYPTOTYPE, 5);
	CHECK(CERT_KEY, 4, 7, 0, IDENT_DEST, I2PE_OK, -1);
#undef CHECK
}
END_TEST

START_TEST(test_ident_errstr)
{
	struct i2p_ident	 id;
	struct i2p_err		 err;
	uint8_t			 buf[1024];
	char			 s[128];
	size_t			 len;

	len = make_ident(buf, sizeof(buf), CERT_KEY, 4, SIGTYPE_ECDSA_P256, 4);
	ck_assert_int_eq(ident_parse_bytes(&id, buf, len, IDENT_ROUTER, &err),
	    -1);
	ck_assert_str_eq(i2p_errstr(&err, s, sizeof(s)),
	    "RouterIdentity: unsupported signature type 1");
	len = make_ident(buf, sizeof(buf), CERT_KEY, 4, SIGTYPE_ED25519PH, 0);
	ck_assert_int_eq(ident_parse_bytes(&id, buf, len, IDENT_DEST, &err),
	    -1);
	ck_assert_str_eq(i2p_errstr(&err, s, sizeof(s)),
	    "Destination: unsupported signature type 8");
}
END_TEST

START_TEST(test_cert_parse)
{
	static const uint8_t c[] = { 5, 0, 4, 0, 7, 0, 4, 0xff };
	struct i2p_cert	 cert;
	struct i2p_err	 err;
	struct rbuf	 r;
	size_t		 publen, siglen;

	rbuf_init(&r, c, sizeof(c));
	ck_assert_int_eq(cert_parse(&cert, &r, &err), 0);
	ck_assert_uint_eq(cert.type, 5);
	ck_assert_uint_eq(cert.len, 4);
	ck_assert_mem_eq(cert.payload, &c[3], 4);
	ck_assert_uint_eq(rbuf_left(&r), 1);
	rbuf_init(&r, c, 6);
	ck_assert_int_eq(cert_parse(&cert, &r, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TRUNCATED);

	ck_assert_int_eq(i2p_sigtype_len(SIGTYPE_ED25519, &publen, &siglen), 0);
	ck_assert_uint_eq(publen, 32);
	ck_assert_uint_eq(siglen, 64);
	ck_assert_int_eq(i2p_sigtype_len(SIGTYPE_ECDSA_P521, &publen, &siglen),
	    0);
	ck_assert_uint_eq(publen, 132);
	ck_assert_int_eq(i2p_sigtype_len(12, &publen, &siglen), -1);
	ck_assert_int_eq(i2p_cryptotype_len(CRYPTOTYPE_X25519, &publen), 0);
	ck_assert_uint_eq(publen, 32);
	ck_assert_int_eq(i2p_cryptotype_len(5, &publen), -1);
}
END_TEST

START_TEST(test_ident_verify)
{
	static const char	 msg[] = "RouterInfo bytes";
	struct i2p_ident	 id;
	struct i2p_err		 err;
	uint8_t			 sig[64];

	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, x_pub, sign_pub, pad),
	    0);
	ck_assert_int_eq(ed25519_sign(sig, seed, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ident_verify(&id, msg, sizeof(msg), sig, 64, &err), 0);
	ck_assert_int_eq(ident_verify(&id, msg, sizeof(msg) - 1, sig, 64,
	    &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
	ck_assert_int_eq(ident_verify(&id, msg, sizeof(msg), sig, 63, &err),
	    -1);
	sig[10] ^= 1;
	ck_assert_int_eq(ident_verify(&id, msg, sizeof(msg), sig, 64, &err),
	    -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
}
END_TEST

/*
 * Destinations of every signature type in use: the key is read from
 * where it lies (P-521's last 4 bytes from the certificate) and its
 * signatures verify; a changed message, a changed signature, a wrong
 * length and a key of another type do not.
 */
START_TEST(test_ident_sigtypes)
{
	static const uint16_t	 types[] = { SIGTYPE_DSA_SHA1,
				    SIGTYPE_ECDSA_P256, SIGTYPE_ECDSA_P384,
				    SIGTYPE_ECDSA_P521, SIGTYPE_ED25519,
				    SIGTYPE_REDDSA };
	static const char	 msg[] = "a LeaseSet";
	struct i2p_ident	 id, other;
	struct i2p_err		 err;
	struct tkey		 k;
	uint8_t			 buf[I2P_IDENT_MAXLEN], sig[I2P_SIG_MAXLEN];
	size_t			 len, i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		tkey_new(&k, types[i]);
		len = tkey_dest(&k, buf, sizeof(buf));
		ck_assert_int_eq(parse_code(&id, buf, len, IDENT_DEST, NULL),
		    I2PE_OK);
		ck_assert_uint_eq(id.sigtype, types[i]);
		ck_assert_uint_eq(id.sign_publen, k.publen);
		ck_assert_mem_eq(id.sign_pub, k.pub, k.publen);
		ck_assert_uint_eq(id.rawlen, len);
		ck_assert_uint_eq(ident_siglen(&id), k.siglen);
		tkey_sign(&k, msg, sizeof(msg), sig);
		ck_assert_int_eq(ident_verify(&id, msg, sizeof(msg), sig,
		    k.siglen, &err), 0);
		ck_assert_int_eq(ident_verify(&id, msg, sizeof(msg) - 1, sig,
		    k.siglen, &err), -1);
		ck_assert_int_eq(err.code, I2PE_SIGNATURE);
		ck_assert_int_eq(ident_verify(&id, msg, sizeof(msg), sig,
		    k.siglen - 1, &err), -1);
		sig[k.siglen - 1] ^= 1;
		ck_assert_int_eq(ident_verify(&id, msg, sizeof(msg), sig,
		    k.siglen, &err), -1);
		sig[k.siglen - 1] ^= 1;
		/* a key of the wrong length for its type */
		ck_assert_int_eq(ident_signer(&other, types[i], k.pub,
		    k.publen - 1), -1);
		/* the signing key alone verifies as the identity does */
		ck_assert_int_eq(ident_signer(&other, types[i], k.pub,
		    k.publen), 0);
		ck_assert_int_eq(ident_verify(&other, msg, sizeof(msg), sig,
		    k.siglen, &err), 0);
		tkey_free(&k);
	}
	/* an all-zero key is no key */
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(ident_signer(&other, SIGTYPE_ECDSA_P256, buf, 64), 0);
	ck_assert_int_eq(ident_verify(&other, msg, sizeof(msg), buf, 64, &err),
	    -1);
	ck_assert_int_eq(ident_signer(&other, SIGTYPE_DSA_SHA1, buf, 128), 0);
	ck_assert_int_eq(ident_verify(&other, msg, sizeof(msg), buf, 40, &err),
	    -1);
	ck_assert_int_eq(ident_signer(&other, SIGTYPE_RSA_2048, buf, 256), -1);
}
END_TEST

START_TEST(test_ident_b64_b32)
{
	struct i2p_ident	 id, id2;
	struct i2p_err		 err;
	char			 b64[I2P_IDENT_B64SZ], name[I2P_B32_NAMESZ];
	char			 want[B32_ENCLEN(32)];
	int			 n;

	ck_assert_int_eq(ident_build(&id, IDENT_DEST, NULL, sign_pub, pad), 0);
	n = ident_to_b64(&id, b64, sizeof(b64));
	ck_assert_int_eq(n, 524);
	ck_assert_uint_eq(strlen(b64), 524);
	ck_assert_int_eq(ident_from_b64(&id2, b64, IDENT_DEST, &err), 0);
	ck_assert(ident_equal(&id, &id2));
	ck_assert_int_eq(ident_to_b64(&id, b64, sizeof(b64) - 1), -1);

	/* the I2P alphabet only; one character more or less is wrong */
	n = ident_to_b64(&id, b64, sizeof(b64));
	b64[5] = '+';
	ck_assert_int_eq(ident_from_b64(&id2, b64, IDENT_DEST, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ENCODING);
	ident_to_b64(&id, b64, sizeof(b64));
	b64[520] = '\0';
	ck_assert_int_eq(ident_from_b64(&id2, b64, IDENT_DEST, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TRUNCATED);
	ck_assert_int_eq(ident_from_b64(&id2, "", IDENT_DEST, &err), -1);

	n = ident_b32(&id, name, sizeof(name));
	ck_assert_int_eq(n, 60);
	ck_assert_uint_eq(strlen(name), 60);
	ck_assert_int_eq(b32_encode(want, sizeof(want), id.hash, 32), 52);
	ck_assert_mem_eq(name, want, 52);
	ck_assert_str_eq(&name[52], ".b32.i2p");
	ck_assert_int_eq(ident_b32(&id, name, sizeof(name) - 1), -1);
}
END_TEST

/*
 * ident_check_b64 (the parent's, without the hash) says yes exactly
 * where ident_from_b64 does: a Destination, not as a RouterIdentity
 * (no X25519 key), nor bad base64, short, trailing or flipped bytes.
 */
START_TEST(test_ident_check_b64)
{
	struct i2p_ident	 id, id2;
	char			 b64[I2P_IDENT_B64SZ + 8];
	size_t			 i;
	int			 want;

	ck_assert_int_eq(ident_build(&id, IDENT_DEST, NULL, sign_pub, pad), 0);
	ck_assert_int_eq(ident_to_b64(&id, b64, sizeof(b64)), 524);
	ck_assert_int_eq(ident_check_b64(b64, IDENT_DEST), 0);
	ck_assert_int_eq(ident_check_b64(b64, IDENT_ROUTER), -1);
	ck_assert_int_eq(ident_check_b64("", IDENT_DEST), -1);
	for (i = 0; i < 524; i += 7) {
		ident_to_b64(&id, b64, sizeof(b64));
		b64[i] = b64[i] == 'A' ? '~' : 'A';
		want = ident_from_b64(&id2, b64, IDENT_DEST, NULL);
		ck_assert_int_eq(ident_check_b64(b64, IDENT_DEST), want);
		b64[i] = '+';
		ck_assert_int_eq(ident_check_b64(b64, IDENT_DEST), -1);
	}
	ident_to_b64(&id, b64, sizeof(b64));
	b64[520] = '\0';
	ck_assert_int_eq(ident_check_b64(b64, IDENT_DEST), -1);
	ident_to_b64(&id, b64, sizeof(b64));
	strlcat(b64, "AAAA", sizeof(b64));
	ck_assert_int_eq(ident_check_b64(b64, IDENT_DEST), -1);
}
END_TEST

/* the identity in an RI that i2pd 2.45.1 wrote */
START_TEST(test_ident_i2pd)
{
	struct i2p_ident	 id;
	uint8_t			 buf[4096], h[32];
	size_t			 len, i;
	FILE			*f;

	ck_assert_ptr_nonnull(f = fopen(I2PD_RI, "rb"));
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	ck_assert_uint_gt(len, I2P_IDENT_LEN);
	ck_assert_int_eq(parse_code(&id, buf, I2P_IDENT_LEN, IDENT_ROUTER,
	    NULL), I2PE_OK);
	ck_assert_uint_eq(id.sigtype, 7);
	ck_assert_uint_eq(id.cryptotype, 4);
	ck_assert_int_eq(sha256(h, buf, I2P_IDENT_LEN), 0);
	ck_assert_mem_eq(id.hash, h, 32);
	/* i2pd 2.45.1 pads as proposal 161 says: one block, ten times */
	for (i = 1; i < 10; i++)
		ck_assert_mem_eq(&buf[32 + 32 * i], &buf[32], 32);
}
END_TEST

/* a flipped bit never crashes; outside the key bytes it is an error */
START_TEST(test_ident_bitflips)
{
	struct i2p_ident	 id, t;
	uint8_t			 buf[I2P_IDENT_LEN];
	size_t			 i;
	int			 bit, code;

	ck_assert_int_eq(ident_build(&id, IDENT_ROUTER, x_pub, sign_pub, pad),
	    0);
	for (i = 0; i < id.rawlen; i++) {
		for (bit = 0; bit < 8; bit++) {
			memcpy(buf, id.raw, sizeof(buf));
			buf[i] ^= 1 << bit;
			code = parse_code(&t, buf, sizeof(buf), IDENT_ROUTER,
			    NULL);
			if (i < I2P_KEYS_LEN) {
				ck_assert_int_eq(code, I2PE_OK);
				ck_assert_mem_ne(t.hash, id.hash, 32);
			} else
				ck_assert_int_ne(code, I2PE_OK);
		}
	}
}
END_TEST

START_TEST(test_ident_random)
{
	struct i2p_ident	 t;
	uint8_t			 buf[420];
	size_t			 i, j, len;

	srandom(2);
	for (i = 0; i < 20000; i++) {
		len = 380 + random() % 40;
		for (j = 0; j < len; j++)
			buf[j] = random();
		/* mostly plausible certificates */
		buf[384] = random() % 7;
		buf[385] = 0;
		buf[386] = random() % 12;
		(void)parse_code(&t, buf, len, i & 1 ? IDENT_DEST :
		    IDENT_ROUTER, NULL);
	}
}
END_TEST

static Suite *
identity_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("identity");

	tc = tcase_create("identity");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ident_build_router);
	tcase_add_test(tc, test_ident_build_dest);
	tcase_add_test(tc, test_ident_random_pad);
	tcase_add_test(tc, test_ident_verify);
	tcase_add_test(tc, test_ident_sigtypes);
	tcase_add_test(tc, test_ident_b64_b32);
	tcase_add_test(tc, test_ident_check_b64);
	tcase_add_test(tc, test_ident_i2pd);
	tcase_add_test(tc, test_cert_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("strict");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_ident_truncated);
	tcase_add_test(tc, test_ident_trailing);
	tcase_add_test(tc, test_ident_certs);
	tcase_add_test(tc, test_ident_errstr);
	tcase_add_test(tc, test_ident_bitflips);
	tcase_add_test(tc, test_ident_random);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	return unit_run(identity_suite());
}
