/*
 * Unit tests of the LeaseSets a floodfill stores besides LeaseSet2:
 * LeaseSet (type 1, common/leaseset.c) with destinations of every
 * signature type, MetaLeaseSet (type 7) and EncryptedLeaseSet (type 5,
 * common/leaseset2.c).  Each: parsed, verified, written back; and
 * refused when truncated, with lying lengths, trailing bytes, a bad
 * signature or an unknown signature type.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "lsbuild.h"
#include "unit.h"

#define NOW		1700000000U
#define NOW_MS		((uint64_t)NOW * 1000)

static const uint16_t	 dest_types[] = { SIGTYPE_DSA_SHA1,
			    SIGTYPE_ECDSA_P256, SIGTYPE_ECDSA_P384,
			    SIGTYPE_ECDSA_P521, SIGTYPE_ED25519,
			    SIGTYPE_REDDSA };
#define NTYPES		(sizeof(dest_types) / sizeof(dest_types[0]))

static struct leaseset1		*l1;
static struct meta_leaseset	*lm;
static struct enc_leaseset	*le;
static uint8_t			 buf[LS2_MAXLEN + 16], out[LS2_MAXLEN];

static void
setup(void)
{
	ck_assert_ptr_nonnull(l1 = malloc(sizeof(*l1)));
	ck_assert_ptr_nonnull(lm = malloc(sizeof(*lm)));
	ck_assert_ptr_nonnull(le = malloc(sizeof(*le)));
}

static void
teardown(void)
{
	free(l1);
	free(lm);
	free(le);
}

/* parse with each store type's parser; the error code, I2PE_OK if fine */
static int
parse_as(uint8_t type, const uint8_t *p, size_t len, unsigned *arg)
{
	struct i2p_err	 err = { 0 };
	int		 rv = -1;

	switch (type) {
	case LS1_STORE_TYPE:
		rv = ls1_parse(l1, p, len, &err);
		break;
	case LSM_STORE_TYPE:
		rv = lsm_parse(lm, p, len, &err);
		break;
	case LSE_STORE_TYPE:
		rv = lse_parse(le, p, len, &err);
		break;
	}
	if (rv == 0)
		return I2PE_OK;
	ck_assert_int_ne(err.code, I2PE_OK);
	if (arg != NULL)
		*arg = err.arg;
	return err.code;
}

static int
verify_as(uint8_t type)
{
	struct i2p_err	 err = { 0 };
	int		 rv = -1;

	switch (type) {
	case LS1_STORE_TYPE:
		rv = ls1_verify(l1, &err);
		break;
	case LSM_STORE_TYPE:
		rv = lsm_verify(lm, NOW, &err);
		break;
	case LSE_STORE_TYPE:
		rv = lse_verify(le, NOW, &err);
		break;
	}
	return rv == 0 ? I2PE_OK : err.code;
}

/* the body written back from the fields is what was parsed */
static void
check_body(uint8_t type, const uint8_t *p)
{
	struct wbuf	 w;
	size_t		 signedlen = 0;

	wbuf_init_fixed(&w, out, sizeof(out));
	switch (type) {
	case LS1_STORE_TYPE:
		ck_assert_int_eq(ls1_write_body(l1, &w), 0);
		signedlen = l1->signedlen;
		break;
	case LSM_STORE_TYPE:
		ck_assert_int_eq(lsm_write_body(lm, &w), 0);
		signedlen = lm->signedlen;
		break;
	case LSE_STORE_TYPE:
		ck_assert_int_eq(lse_write_body(le, &w), 0);
		signedlen = le->signedlen;
		break;
	}
	ck_assert_uint_eq(wbuf_len(&w), signedlen);
	ck_assert_mem_eq(out, p, signedlen);
}

/* every proper prefix is truncated, one byte more is trailing */
static void
check_lengths(uint8_t type, size_t len)
{
	size_t	 n;

	for (n = 0; n < len; n++)
		ck_assert_int_eq(parse_as(type, buf, n, NULL), I2PE_TRUNCATED);
	buf[len] = 0;
	ck_assert_int_eq(parse_as(type, buf, len + 1, NULL), I2PE_TRAILING);
	ck_assert_int_eq(parse_as(type, buf, len, NULL), I2PE_OK);
}

/* the signature's last byte, then a byte of the body, flipped */
static void
check_bad_sig(uint8_t type, size_t len, size_t body_off)
{
	buf[len - 1] ^= 1;
	ck_assert_int_eq(parse_as(type, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(verify_as(type), I2PE_SIGNATURE);
	buf[len - 1] ^= 1;
	buf[body_off] ^= 0x40;
	ck_assert_int_eq(parse_as(type, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(verify_as(type), I2PE_SIGNATURE);
	buf[body_off] ^= 0x40;
}

/*
 * LeaseSet (type 1)
 */

START_TEST(test_ls1_sigtypes)
{
	struct tkey	 k;
	uint64_t	 first, last;
	size_t		 len, i;

	for (i = 0; i < NTYPES; i++) {
		tkey_new(&k, dest_types[i]);
		len = lsb_ls1(buf, sizeof(buf), &k, 3, NOW_MS + 600000);
		ck_assert_int_eq(parse_as(LS1_STORE_TYPE, buf, len, NULL),
		    I2PE_OK);
		ck_assert_int_eq(verify_as(LS1_STORE_TYPE), I2PE_OK);
		check_body(LS1_STORE_TYPE, buf);
		ck_assert_uint_eq(l1->dest.sigtype, dest_types[i]);
		ck_assert_uint_eq(l1->rawlen, len);
		ck_assert_uint_eq(l1->siglen, k.siglen);
		ck_assert_uint_eq(l1->nleases, 3);
		ck_assert_uint_eq(l1->leases[2].tunnel_id, 502);
		ck_assert_uint_eq(l1->enc_key[0], 0x6b);
		ck_assert_int_eq(ls1_lease_range(l1, &first, &last), 0);
		ck_assert_uint_eq(first, NOW_MS + 600000);
		ck_assert_uint_eq(last, NOW_MS + 602000);
		/* in the first lease's tunnel ID */
		check_bad_sig(LS1_STORE_TYPE, len, l1->dest.rawlen + 256 +
		    k.publen + 1 + 32);
		tkey_free(&k);
	}
}
END_TEST

START_TEST(test_ls1_malformed)
{
	struct tkey	 k;
	size_t		 len, nleases_off;
	unsigned	 arg;

	tkey_new(&k, SIGTYPE_DSA_SHA1);
	len = lsb_ls1(buf, sizeof(buf), &k, 2, NOW_MS);
	/* 387 + 256 + 128 + 1 + 2 * 44 + 40 */
	ck_assert_uint_eq(len, 900);
	check_lengths(LS1_STORE_TYPE, len);
	nleases_off = 387 + 256 + 128;
	/* a lease count that lies, over the limit and over the data */
	buf[nleases_off] = 17;
	ck_assert_int_eq(parse_as(LS1_STORE_TYPE, buf, len, NULL),
	    I2PE_TOO_MANY);
	buf[nleases_off] = 3;
	ck_assert_int_eq(parse_as(LS1_STORE_TYPE, buf, len, NULL),
	    I2PE_TRUNCATED);
	buf[nleases_off] = 1;
	ck_assert_int_eq(parse_as(LS1_STORE_TYPE, buf, len, NULL),
	    I2PE_TRAILING);
	buf[nleases_off] = 2;
	/* no leases: allowed in the structure, nothing to range over */
	len = lsb_ls1(buf, sizeof(buf), &k, 0, NOW_MS);
	ck_assert_int_eq(parse_as(LS1_STORE_TYPE, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(verify_as(LS1_STORE_TYPE), I2PE_OK);
	ck_assert_int_eq(ls1_lease_range(l1, &(uint64_t){ 0 },
	    &(uint64_t){ 0 }), -1);
	tkey_free(&k);
	/* a signature type the network does not use for destinations */
	tkey_new(&k, SIGTYPE_ED25519);
	len = lsb_ls1(buf, sizeof(buf), &k, 1, NOW_MS);
	buf[387] = 0;
	buf[388] = SIGTYPE_ED25519PH;
	ck_assert_int_eq(parse_as(LS1_STORE_TYPE, buf, len, &arg),
	    I2PE_SIGTYPE);
	ck_assert_uint_eq(arg, SIGTYPE_ED25519PH);
	buf[388] = 200;
	ck_assert_int_eq(parse_as(LS1_STORE_TYPE, buf, len, &arg),
	    I2PE_SIGTYPE);
	ck_assert_uint_eq(arg, 200);
	/* over the size limit */
	ck_assert_int_eq(parse_as(LS1_STORE_TYPE, buf, LS2_MAXLEN + 1, NULL),
	    I2PE_TOO_LARGE);
}
END_TEST

/*
 * MetaLeaseSet (type 7)
 */

START_TEST(test_meta_sigtypes)
{
	struct tkey	 k;
	size_t		 len, i;

	for (i = 0; i < NTYPES; i++) {
		tkey_new(&k, dest_types[i]);
		len = lsb_meta(buf, sizeof(buf), &k, NOW, 3600, 0, 2, 1);
		ck_assert_int_eq(parse_as(LSM_STORE_TYPE, buf, len, NULL),
		    I2PE_OK);
		ck_assert_int_eq(verify_as(LSM_STORE_TYPE), I2PE_OK);
		check_body(LSM_STORE_TYPE, buf);
		ck_assert_uint_eq(lm->published, NOW);
		ck_assert_uint_eq(lm->expires, 3600);
		ck_assert_str_eq(mapping_get(&lm->options, "a"), "bc");
		ck_assert_uint_eq(lm->nentries, 2);
		ck_assert_uint_eq(lm->entries[1].flags, 3);
		ck_assert_uint_eq(lm->entries[1].cost, 11);
		ck_assert_uint_eq(lm->entries[1].hash[0], 0xc1);
		ck_assert_uint_eq(lm->nrevoked, 1);
		ck_assert_uint_eq(lm->revoked[0][0], 0xd0);
		/* in the published time */
		check_bad_sig(LSM_STORE_TYPE, len, lm->dest.rawlen + 3);
		tkey_free(&k);
	}
}
END_TEST

START_TEST(test_meta_malformed)
{
	struct tkey	 k;
	size_t		 len, n_off;

	tkey_new(&k, SIGTYPE_ED25519);
	len = lsb_meta(buf, sizeof(buf), &k, NOW, 3600, 0, 2, 1);
	check_lengths(LSM_STORE_TYPE, len);
	/* dest, times, mapping of 2 + 7 */
	n_off = 391 + 8 + 9;
	ck_assert_uint_eq(buf[n_off], 2);
	buf[n_off] = 0;
	ck_assert_int_eq(parse_as(LSM_STORE_TYPE, buf, len, NULL), I2PE_FIELD);
	buf[n_off] = LSM_MAX_ENTRIES + 1;
	ck_assert_int_eq(parse_as(LSM_STORE_TYPE, buf, len, NULL),
	    I2PE_TOO_MANY);
	/* a third entry eats the rest: what follows depends on the key */
	buf[n_off] = 3;
	ck_assert_int_ne(parse_as(LSM_STORE_TYPE, buf, len, NULL), I2PE_OK);
	buf[n_off] = 2;
	/* the revocation count */
	buf[n_off + 1 + 80] = LSM_MAX_REVOKED + 1;
	ck_assert_int_eq(parse_as(LSM_STORE_TYPE, buf, len, NULL),
	    I2PE_TOO_MANY);
	buf[n_off + 1 + 80] = 0;
	ck_assert_int_eq(parse_as(LSM_STORE_TYPE, buf, len, NULL),
	    I2PE_TRAILING);
	buf[n_off + 1 + 80] = 1;
	ck_assert_int_eq(parse_as(LSM_STORE_TYPE, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(verify_as(LSM_STORE_TYPE), I2PE_OK);
	tkey_free(&k);
}
END_TEST

/*
 * EncryptedLeaseSet (type 5)
 */

START_TEST(test_enc_roundtrip)
{
	struct tkey	 b;
	uint8_t		 h[32], in[34];
	size_t		 len;

	tkey_new(&b, SIGTYPE_REDDSA);
	len = lsb_enc(buf, sizeof(buf), &b, NOW, 600, 0, NULL, 0, 300);
	/* 2 + 32 + 8 + 2 + 300 + 64 */
	ck_assert_uint_eq(len, 408);
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(verify_as(LSE_STORE_TYPE), I2PE_OK);
	check_body(LSE_STORE_TYPE, buf);
	ck_assert_uint_eq(le->blinded.sigtype, SIGTYPE_REDDSA);
	ck_assert_mem_eq(le->blinded.sign_pub, b.pub, 32);
	ck_assert_uint_eq(le->published, NOW);
	ck_assert_uint_eq(le->expires, 600);
	ck_assert_uint_eq(le->datalen, 300);
	ck_assert_uint_eq(le->dataoff, 44);
	/* the netDb key: SHA-256 of sig type and blinded key */
	in[0] = 0;
	in[1] = SIGTYPE_REDDSA;
	memcpy(&in[2], b.pub, 32);
	ck_assert_int_eq(sha256(h, in, sizeof(in)), 0);
	ck_assert_mem_eq(le->store_hash, h, 32);
	check_bad_sig(LSE_STORE_TYPE, len, 50);
	check_lengths(LSE_STORE_TYPE, len);
}
END_TEST

START_TEST(test_enc_offline)
{
	struct tkey	 b, t;
	size_t		 len;

	tkey_new(&b, SIGTYPE_REDDSA);
	tkey_new(&t, SIGTYPE_ED25519);
	len = lsb_enc(buf, sizeof(buf), &b, NOW, 600, 0, &t, NOW + 86400, 100);
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL), I2PE_OK);
	ck_assert_uint_eq(le->flags, LS2_F_OFFLINE);
	ck_assert_uint_eq(le->offline.sigtype, SIGTYPE_ED25519);
	ck_assert_int_eq(verify_as(LSE_STORE_TYPE), I2PE_OK);
	check_body(LSE_STORE_TYPE, buf);
	check_lengths(LSE_STORE_TYPE, len);
	/* the offline signature by the blinded key, broken */
	buf[2 + 32 + 8 + 38] ^= 1;
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(verify_as(LSE_STORE_TYPE), I2PE_SIGNATURE);
	buf[2 + 32 + 8 + 38] ^= 1;
	/* expired transient key */
	len = lsb_enc(buf, sizeof(buf), &b, NOW, 600, 0, &t, NOW - 1, 100);
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(verify_as(LSE_STORE_TYPE), I2PE_EXPIRED);
	/* signed by the blinded key instead of the transient one */
	len = lsb_enc(buf, sizeof(buf), &b, NOW, 600, 0, &t, NOW + 86400, 100);
	len -= 64;
	memmove(buf + 1, buf, len);
	buf[0] = LSE_STORE_TYPE;
	tkey_sign(&b, buf, 1 + len, buf + 1 + len);
	memmove(buf, buf + 1, len + 64);
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len + 64, NULL),
	    I2PE_OK);
	ck_assert_int_eq(verify_as(LSE_STORE_TYPE), I2PE_SIGNATURE);
}
END_TEST

START_TEST(test_enc_malformed)
{
	struct tkey	 b;
	size_t		 len;
	unsigned	 arg;

	tkey_new(&b, SIGTYPE_REDDSA);
	len = lsb_enc(buf, sizeof(buf), &b, NOW, 600, 0, NULL, 0, 100);
	/* blinded keys are RedDSA: Ed25519 and unknown types refused */
	buf[1] = SIGTYPE_ED25519;
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, &arg),
	    I2PE_SIGTYPE);
	ck_assert_uint_eq(arg, SIGTYPE_ED25519);
	buf[0] = 0xff;
	buf[1] = 0xff;
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, &arg),
	    I2PE_SIGTYPE);
	ck_assert_uint_eq(arg, 65535);
	buf[0] = 0;
	buf[1] = SIGTYPE_REDDSA;
	/* the data length lies: zero, longer than the rest, shorter */
	buf[42] = 0;
	buf[43] = 0;
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL), I2PE_FIELD);
	buf[43] = 101;
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL),
	    I2PE_TRUNCATED);
	buf[43] = 99;
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL),
	    I2PE_TRAILING);
	buf[42] = 0xff;
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL),
	    I2PE_TRUNCATED);
	buf[42] = 0;
	buf[43] = 100;
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, len, NULL), I2PE_OK);
	/* an offline signature with a transient key type we refuse */
	buf[41] = LS2_F_OFFLINE;
	ck_assert_int_ne(parse_as(LSE_STORE_TYPE, buf, len, NULL), I2PE_OK);
	ck_assert_int_eq(parse_as(LSE_STORE_TYPE, buf, LS2_MAXLEN + 1, NULL),
	    I2PE_TOO_LARGE);
}
END_TEST

/* random bytes never crash a parser, and what parses writes back */
START_TEST(test_random)
{
	static const uint8_t	 types[] = { LS1_STORE_TYPE, LSE_STORE_TYPE,
				    LSM_STORE_TYPE };
	struct tkey		 k;
	size_t			 len, i, t, pos;

	srandom(5);
	tkey_new(&k, SIGTYPE_ECDSA_P256);
	for (t = 0; t < 3; t++) {
		for (i = 0; i < 3000; i++) {
			if (types[t] == LS1_STORE_TYPE)
				len = lsb_ls1(buf, sizeof(buf), &k, 2, NOW_MS);
			else if (types[t] == LSM_STORE_TYPE)
				len = lsb_meta(buf, sizeof(buf), &k, NOW, 60,
				    0, 2, 1);
			else
				len = lsb_enc(buf, sizeof(buf), &k, NOW, 60,
				    0, NULL, 0, 40);
			pos = random() % len;
			buf[pos] = random();
			if (parse_as(types[t], buf, len, NULL) == I2PE_OK)
				check_body(types[t], buf);
		}
	}
	tkey_free(&k);
}
END_TEST

static Suite *
leaseset_suite(void)
{
	Suite	*s;
	TCase	*tc;

	s = suite_create("leaseset");
	tc = tcase_create("types 1 5 7");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_ls1_sigtypes);
	tcase_add_test(tc, test_ls1_malformed);
	tcase_add_test(tc, test_meta_sigtypes);
	tcase_add_test(tc, test_meta_malformed);
	tcase_add_test(tc, test_enc_roundtrip);
	tcase_add_test(tc, test_enc_offline);
	tcase_add_test(tc, test_enc_malformed);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run_crypto(leaseset_suite());
}
