/*
 * Datagrams (tunneld/dgram.c): messages made apart from i2prd
 * (tests/data/dgram, by Python's zlib and cryptography packages; and
 * here by hand: Destination bytes, an Ed25519 signature, a stored gzip
 * member laid out as i2pd writes it), round trips for every signature
 * type a Destination may have, the DSA_SHA1 digest rule both ways, the
 * size limits, and damaged and malformed datagrams.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "buf.h"
#include "crypto.h"
#include "i2cpdata.h"
#include "i2pdata.h"
#include "../../tunneld/dgram.h"
#include "sigkeys.h"
#include "unit.h"

#define DGRAM_DIR	TESTS_DIR "/data/dgram/"

/* what gen.py signs */
static const char	py_payload[] =
    "a repliable datagram from Python\n"
    "a repliable datagram from Python\n"
    "a repliable datagram from Python\n";
#define PY_PAYLOAD_LEN	(sizeof(py_payload) - 1)

static uint8_t	inflated[I2CPDATA_MAX];
static uint8_t	msgbuf[I2CPDATA_MAX + 1024];
static uint8_t	payload[DGRAM_MAX + 1];

/* a Data message body to a datagram: inflated, then dgram_parse */
static int
receive(struct dgram *d, const uint8_t *msg, size_t len,
    struct i2p_err *err)
{
	struct i2cpdata_hdr	 h;
	size_t			 n;

	ck_assert_int_eq(i2cpdata_parse(&h, msg, len, inflated,
	    sizeof(inflated), &n, NULL), 0);
	return dgram_parse(d, &h, inflated, n, err);
}

/* Python's messages: ports, sender, payload; then damage them */
static void
check_python(const char *name, uint16_t sigtype)
{
	char			 file[256];
	uint8_t			 msg[1024], hash[32];
	struct i2cpdata_hdr	 h;
	struct dgram		 d;
	struct i2p_err		 err;
	size_t			 len, n;

	snprintf(file, sizeof(file), DGRAM_DIR "%s.bin", name);
	len = unit_load(file, msg, sizeof(msg));
	snprintf(file, sizeof(file), DGRAM_DIR "%s.hash", name);
	ck_assert_uint_eq(unit_load(file, hash, sizeof(hash)), sizeof(hash));
	ck_assert_int_eq(receive(&d, msg, len, &err), 0);
	ck_assert_uint_eq(d.proto, I2CP_PROTO_DATAGRAM);
	ck_assert_uint_eq(d.src_port, 1234);
	ck_assert_uint_eq(d.dst_port, 5678);
	ck_assert_uint_eq(d.from.sigtype, sigtype);
	ck_assert_mem_eq(d.from.hash, hash, sizeof(hash));
	ck_assert_uint_eq(d.len, PY_PAYLOAD_LEN);
	ck_assert_mem_eq(d.payload, py_payload, PY_PAYLOAD_LEN);

	/* a payload byte, a signature byte */
	ck_assert_int_eq(i2cpdata_parse(&h, msg, len, inflated,
	    sizeof(inflated), &n, NULL), 0);
	inflated[n - 1] ^= 1;
	ck_assert_int_eq(dgram_parse(&d, &h, inflated, n, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
	ck_assert_ptr_null(d.payload);
	inflated[n - 1] ^= 1;
	inflated[n - PY_PAYLOAD_LEN - 1] ^= 0x80;
	ck_assert_int_eq(dgram_parse(&d, &h, inflated, n, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGNATURE);
}

START_TEST(test_python_messages)
{
	check_python("ed25519", SIGTYPE_ED25519);
	check_python("dsa", SIGTYPE_DSA_SHA1);
	check_python("p256", SIGTYPE_ECDSA_P256);
}
END_TEST

/*
 * i2pd's stored layout, by hand: length, a flagless header with the
 * ports and protocol 17, one final stored block, CRC-32, size.
 */
static size_t
stored_message(uint8_t *buf, size_t sz, const uint8_t *body, size_t len)
{
	struct wbuf	w;

	wbuf_init_fixed(&w, buf, sz);
	wbuf_put_u32(&w, 10 + 5 + len + 8);
	wbuf_put_bytes(&w, "\x1f\x8b\x08\x00\x04\xd2\x16\x2e\x02\x11", 10);
	wbuf_put_u8(&w, 0x01);
	wbuf_put_u16le(&w, len);
	wbuf_put_u16le(&w, ~len & 0xffff);
	wbuf_put_bytes(&w, body, len);
	wbuf_put_u32le(&w, crc32(0, body, len));
	wbuf_put_u32le(&w, len);
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

/* dest || sig(signed) || pay, stored; does it pass as a datagram? */
static int
by_hand(const struct tkey *k, const void *signed_bytes, size_t signed_len,
    const uint8_t *pay, size_t len, struct dgram *d)
{
	uint8_t		 body[2048], msg[2200];
	size_t		 destlen;
	struct i2p_err	 err;

	ck_assert_uint_le(len, 1024);
	destlen = tkey_dest(k, body, sizeof(body));
	tkey_sign(k, signed_bytes, signed_len, body + destlen);
	memcpy(body + destlen + k->siglen, pay, len);
	return receive(d, msg, stored_message(msg, sizeof(msg), body,
	    destlen + k->siglen + len), &err);
}

START_TEST(test_by_hand_and_digest_rule)
{
	struct tkey	 ed, dsa;
	struct dgram	 d;
	uint8_t		 pay[300], digest[32];

	unit_fill(pay, sizeof(pay), 5);
	ck_assert_int_eq(sha256(digest, pay, sizeof(pay)), 0);
	tkey_new(&ed, SIGTYPE_ED25519);
	tkey_new(&dsa, SIGTYPE_DSA_SHA1);

	/* Ed25519 signs the payload, DSA_SHA1 its SHA-256 */
	ck_assert_int_eq(by_hand(&ed, pay, sizeof(pay), pay, sizeof(pay),
	    &d), 0);
	ck_assert_uint_eq(d.src_port, 1234);
	ck_assert_uint_eq(d.dst_port, 5678);
	ck_assert_uint_eq(d.len, sizeof(pay));
	ck_assert_mem_eq(d.payload, pay, sizeof(pay));
	ck_assert_mem_eq(d.from.sign_pub, ed.pub, 32);
	ck_assert_int_eq(by_hand(&dsa, digest, 32, pay, sizeof(pay), &d), 0);
	ck_assert_mem_eq(d.from.sign_pub, dsa.pub, 128);
	ck_assert_mem_eq(d.payload, pay, sizeof(pay));
	/* and not the other way round */
	ck_assert_int_eq(by_hand(&ed, digest, 32, pay, sizeof(pay), &d), -1);
	ck_assert_int_eq(by_hand(&dsa, pay, sizeof(pay), pay, sizeof(pay),
	    &d), -1);
	/* an empty payload is signed too */
	ck_assert_int_eq(by_hand(&ed, pay, 0, pay, 0, &d), 0);
	ck_assert_uint_eq(d.len, 0);
	tkey_free(&ed);
	tkey_free(&dsa);
}
END_TEST

/* builds with tosign and the key, receives, compares */
static void
round_trip(const struct tkey *k, size_t len)
{
	uint8_t		 dest[I2P_IDENT_MAXLEN], digest[SHA256_LEN];
	uint8_t		 sig[I2P_SIG_MAXLEN];
	const uint8_t	*msg;
	size_t		 msglen;
	struct i2p_ident from;
	struct dgram	 d;
	struct wbuf	 w;
	struct i2p_err	 err;

	ck_assert_int_eq(ident_parse_bytes(&from, dest, tkey_dest(k, dest,
	    sizeof(dest)), IDENT_DEST, NULL), 0);
	ck_assert_int_eq(dgram1_tosign(&from, payload, len, digest, &msg,
	    &msglen, &err), 0);
	if (k->sigtype == SIGTYPE_DSA_SHA1) {
		ck_assert_ptr_eq(msg, digest);
		ck_assert_uint_eq(msglen, SHA256_LEN);
	} else {
		ck_assert_ptr_eq(msg, payload);
		ck_assert_uint_eq(msglen, len);
	}
	tkey_sign(k, msg, msglen, sig);
	wbuf_init_fixed(&w, msgbuf, sizeof(msgbuf));
	ck_assert_int_eq(dgram1_build(&w, 4000, 65535, &from, sig, k->siglen,
	    payload, len, &err), 0);
	ck_assert_int_eq(receive(&d, msgbuf, wbuf_len(&w), &err), 0);
	ck_assert_uint_eq(d.proto, I2CP_PROTO_DATAGRAM);
	ck_assert_uint_eq(d.src_port, 4000);
	ck_assert_uint_eq(d.dst_port, 65535);
	ck_assert_int_eq(ident_equal(&d.from, &from), 1);
	ck_assert_uint_eq(d.len, len);
	ck_assert_mem_eq(d.payload, payload, len);
}

START_TEST(test_round_trip_sigtypes)
{
	static const uint16_t	 types[] = { SIGTYPE_DSA_SHA1,
				    SIGTYPE_ECDSA_P256, SIGTYPE_ECDSA_P384,
				    SIGTYPE_ECDSA_P521, SIGTYPE_ED25519,
				    SIGTYPE_REDDSA };
	struct tkey		 k;
	size_t			 i;

	unit_fill(payload, sizeof(payload), 9);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		tkey_new(&k, types[i]);
		round_trip(&k, 0);
		round_trip(&k, 1);
		round_trip(&k, 1000);
		round_trip(&k, DGRAM1_PAYLOAD_MAX);
		tkey_free(&k);
	}
}
END_TEST

/* a Destination compresses: its padding is one block repeated */
START_TEST(test_compressed)
{
	struct i2p_ident from;
	uint8_t		 seed[32], pub[32], sig[64];
	struct wbuf	 w;

	ck_assert_int_eq(ed25519_keygen(seed, pub), 0);
	ck_assert_int_eq(ident_build(&from, IDENT_DEST, NULL, pub, NULL), 0);
	ck_assert_int_eq(ed25519_sign(sig, seed, "ping", 4), 0);
	wbuf_init_fixed(&w, msgbuf, sizeof(msgbuf));
	ck_assert_int_eq(dgram1_build(&w, 0, 0, &from, sig, 64,
	    (const uint8_t *)"ping", 4, NULL), 0);
	ck_assert_uint_lt(wbuf_len(&w), 4 + 23 + 391 + 64 + 4 - 250);
	crypto_wipe(seed, sizeof(seed));
}
END_TEST

START_TEST(test_build_errors)
{
	struct tkey	 k;
	uint8_t		 dest[I2P_IDENT_MAXLEN], digest[SHA256_LEN], small[64];
	uint8_t		 sig[I2P_SIG_MAXLEN] = { 0 };
	const uint8_t	*msg;
	size_t		 msglen;
	struct i2p_ident from;
	struct wbuf	 w;
	struct i2p_err	 err;

	tkey_new(&k, SIGTYPE_ED25519);
	ck_assert_int_eq(ident_parse_bytes(&from, dest, tkey_dest(&k, dest,
	    sizeof(dest)), IDENT_DEST, NULL), 0);
	ck_assert_int_eq(dgram1_tosign(&from, payload, DGRAM1_PAYLOAD_MAX + 1,
	    digest, &msg, &msglen, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	wbuf_init_fixed(&w, msgbuf, sizeof(msgbuf));
	ck_assert_int_eq(dgram1_build(&w, 0, 0, &from, sig, 64, payload,
	    DGRAM1_PAYLOAD_MAX + 1, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	ck_assert_int_eq(dgram1_build(&w, 0, 0, &from, sig, 40, payload, 1,
	    &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	ck_assert_int_eq(dgram_raw_build(&w, 0, 0, I2CPDATA_STORE, payload,
	    DGRAM_RAW_PAYLOAD_MAX + 1, &err), -1);
	ck_assert_int_eq(err.code, I2PE_ARG);
	ck_assert_uint_eq(wbuf_len(&w), 0);
	/* no room */
	wbuf_init_fixed(&w, small, sizeof(small));
	ck_assert_int_eq(dgram1_build(&w, 0, 0, &from, sig, 64, payload, 1,
	    &err), -1);
	ck_assert_int_eq(err.code, I2PE_TOO_LARGE);
	wbuf_init_fixed(&w, small, sizeof(small));
	ck_assert_int_eq(dgram_raw_build(&w, 0, 0, I2CPDATA_STORE, payload,
	    100, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TOO_LARGE);
}
END_TEST

START_TEST(test_raw)
{
	struct i2cpdata_hdr	 h = { 9, 10, I2CP_PROTO_RAW };
	struct dgram		 d;
	struct wbuf		 w;
	struct i2p_err		 err;
	int			 mode;

	unit_fill(payload, sizeof(payload), 13);
	for (mode = I2CPDATA_STORE; mode <= I2CPDATA_COMPRESS; mode++) {
		wbuf_init_fixed(&w, msgbuf, sizeof(msgbuf));
		ck_assert_int_eq(dgram_raw_build(&w, 9, 10, mode, payload,
		    DGRAM_RAW_PAYLOAD_MAX, &err), 0);
		ck_assert_int_eq(receive(&d, msgbuf, wbuf_len(&w), &err), 0);
		ck_assert_uint_eq(d.proto, I2CP_PROTO_RAW);
		ck_assert_uint_eq(d.src_port, 9);
		ck_assert_uint_eq(d.dst_port, 10);
		ck_assert_uint_eq(d.len, DGRAM_RAW_PAYLOAD_MAX);
		ck_assert_mem_eq(d.payload, payload, d.len);
	}
	ck_assert_int_eq(dgram_parse(&d, &h, payload, 0, &err), 0);
	ck_assert_uint_eq(d.len, 0);
	ck_assert_int_eq(dgram_parse(&d, &h, payload, DGRAM_MAX + 1, &err),
	    -1);
	ck_assert_int_eq(err.code, I2PE_TOO_LARGE);
	/* streaming, Datagram2 and 3, "any": not ours */
	h.proto = I2CP_PROTO_STREAMING;
	ck_assert_int_eq(dgram_parse(&d, &h, payload, 10, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
	h.proto = 19;
	ck_assert_int_eq(dgram_parse(&d, &h, payload, 10, &err), -1);
	h.proto = 20;
	ck_assert_int_eq(dgram_parse(&d, &h, payload, 10, &err), -1);
	h.proto = I2CP_PROTO_ANY;
	ck_assert_int_eq(dgram_parse(&d, &h, payload, 10, &err), -1);
	ck_assert_int_eq(err.code, I2PE_FIELD);
}
END_TEST

/* a repliable datagram's bytes, signed by k over pay */
static size_t
repliable_body(const struct tkey *k, uint8_t *buf, size_t sz,
    size_t paylen)
{
	size_t	destlen = tkey_dest(k, buf, sz);

	ck_assert_uint_le(destlen + k->siglen + paylen, sz);
	tkey_sign(k, payload, paylen, buf + destlen);
	memcpy(buf + destlen + k->siglen, payload, paylen);
	return destlen + k->siglen + paylen;
}

/*
 * Every cut fails; every flip in the signing key, the signature or the
 * payload fails; a repliable datagram over DGRAM_MAX is refused before
 * any work.
 */
START_TEST(test_malformed_repliable)
{
	static uint8_t		 body[DGRAM_MAX + 1];
	struct i2cpdata_hdr	 h = { 0, 0, I2CP_PROTO_DATAGRAM };
	struct tkey		 k;
	struct dgram		 d;
	struct i2p_err		 err;
	size_t			 len, i;

	unit_fill(payload, sizeof(payload), 17);
	tkey_new(&k, SIGTYPE_ED25519);
	len = repliable_body(&k, body, sizeof(body), 40);
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), 0);
	for (i = 0; i < len; i++) {
		ck_assert_int_eq(dgram_parse(&d, &h, body, i, &err), -1);
		ck_assert_ptr_null(d.payload);
	}
	ck_assert_int_eq(dgram_parse(&d, &h, body, 300, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TRUNCATED);
	ck_assert_int_eq(dgram_parse(&d, &h, body, 391 + 10, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TRUNCATED);
	for (i = I2P_KEYS_LEN - 32; i < len; i++) {
		body[i] ^= 0x10;
		ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), -1);
		body[i] ^= 0x10;
	}
	/* the signature covers only the payload: the padding is free */
	body[100] ^= 1;
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), 0);

	len = repliable_body(&k, body, sizeof(body), DGRAM_MAX - 391 - 64);
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), 0);
	ck_assert_uint_eq(d.len, DGRAM_MAX - 391 - 64);
	len = repliable_body(&k, body, sizeof(body), DGRAM_MAX - 391 - 63);
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), -1);
	ck_assert_int_eq(err.code, I2PE_TOO_LARGE);
}
END_TEST

/* Destinations we cannot take: unverifiable types, wrong certificates */
START_TEST(test_bad_destinations)
{
	struct i2cpdata_hdr	 h = { 0, 0, I2CP_PROTO_DATAGRAM };
	struct tkey		 k;
	struct dgram		 d;
	struct i2p_err		 err;
	uint8_t			 body[1024];
	size_t			 len;

	unit_fill(payload, sizeof(payload), 19);
	tkey_new(&k, SIGTYPE_ED25519);
	len = repliable_body(&k, body, sizeof(body), 10);
	/* the key certificate's signature type, 7, becomes Ed25519ph */
	ck_assert_uint_eq(body[388], SIGTYPE_ED25519);
	body[388] = SIGTYPE_ED25519PH;
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), -1);
	ck_assert_int_eq(err.code, I2PE_SIGTYPE);
	/* RSA-2048 has key bytes beyond the 384 the certificate lacks */
	body[388] = SIGTYPE_RSA_2048;
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), -1);
	ck_assert_int_eq(err.code, I2PE_BAD_CERT);
	body[388] = SIGTYPE_ED25519;
	/* certificate type 3 (multiple), and a length beyond the end */
	body[384] = 3;
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), -1);
	body[384] = CERT_KEY;
	body[385] = 0xff;
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), -1);
	body[385] = 0;
	ck_assert_int_eq(dgram_parse(&d, &h, body, len, &err), 0);
}
END_TEST

static Suite *
dgram_suite(void)
{
	Suite	*s = suite_create("dgram");
	TCase	*tc = tcase_create("dgram");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_python_messages);
	tcase_add_test(tc, test_by_hand_and_digest_rule);
	tcase_add_test(tc, test_round_trip_sigtypes);
	tcase_add_test(tc, test_compressed);
	tcase_add_test(tc, test_build_errors);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_malformed_repliable);
	tcase_add_test(tc, test_bad_destinations);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(dgram_suite());
}
