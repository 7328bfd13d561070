/*
 * Keys of every Destination signature type, for the tests: i2prd only
 * verifies DSA and ECDSA, so these sign with OpenSSL directly and turn
 * the DER signatures into I2P's fixed-width r || s.  Also writes a
 * Destination for such a key (NULL certificate for DSA, a key
 * certificate with the excess key bytes of P-521 otherwise).
 */
#ifndef I2PRD_TEST_SIGKEYS_H
#define I2PRD_TEST_SIGKEYS_H

#include <check.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"

struct tkey {
	uint16_t	 sigtype;
	EVP_PKEY	*pkey;			/* DSA, ECDSA */
	uint8_t		 seed[32];		/* Ed25519, RedDSA */
	uint8_t		 pub[I2P_SIGPUB_MAXLEN];
	size_t		 publen, siglen;
};

static inline EVP_PKEY *
tkey_dsa_gen(void)
{
	OSSL_PARAM_BLD	*bld;
	OSSL_PARAM	*params;
	EVP_PKEY_CTX	*ctx;
	EVP_PKEY	*dom = NULL, *pkey = NULL;
	const uint8_t	*p, *q, *g;
	size_t		 plen, qlen;
	BIGNUM		*bp, *bq, *bg;

	p = dsa_group(&plen, &q, &qlen, &g);
	bp = BN_bin2bn(p, plen, NULL);
	bq = BN_bin2bn(q, qlen, NULL);
	bg = BN_bin2bn(g, plen, NULL);
	ck_assert_ptr_nonnull(bld = OSSL_PARAM_BLD_new());
	ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, bp));
	ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_Q, bq));
	ck_assert(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, bg));
	ck_assert_ptr_nonnull(params = OSSL_PARAM_BLD_to_param(bld));
	ck_assert_ptr_nonnull(ctx = EVP_PKEY_CTX_new_from_name(NULL, "DSA",
	    NULL));
	ck_assert_int_eq(EVP_PKEY_fromdata_init(ctx), 1);
	ck_assert_int_eq(EVP_PKEY_fromdata(ctx, &dom,
	    EVP_PKEY_KEY_PARAMETERS, params), 1);
	EVP_PKEY_CTX_free(ctx);
	ck_assert_ptr_nonnull(ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dom,
	    NULL));
	ck_assert_int_eq(EVP_PKEY_keygen_init(ctx), 1);
	ck_assert_int_eq(EVP_PKEY_keygen(ctx, &pkey), 1);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(dom);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(bp);
	BN_free(bq);
	BN_free(bg);
	return pkey;
}

static inline void
tkey_new(struct tkey *k, uint16_t sigtype)
{
	static const char	*groups[] = { "P-256", "P-384", "P-521" };
	uint8_t			 point[1 + I2P_SIGPUB_MAXLEN];
	BIGNUM			*y = NULL;
	size_t			 n;

	memset(k, 0, sizeof(*k));
	k->sigtype = sigtype;
	ck_assert_int_eq(i2p_sigtype_len(sigtype, &k->publen, &k->siglen), 0);
	switch (sigtype) {
	case SIGTYPE_DSA_SHA1:
		k->pkey = tkey_dsa_gen();
		ck_assert_int_eq(EVP_PKEY_get_bn_param(k->pkey,
		    OSSL_PKEY_PARAM_PUB_KEY, &y), 1);
		ck_assert_int_eq(BN_bn2binpad(y, k->pub, 128), 128);
		BN_free(y);
		break;
	case SIGTYPE_ECDSA_P256:
	case SIGTYPE_ECDSA_P384:
	case SIGTYPE_ECDSA_P521:
		ck_assert_ptr_nonnull(k->pkey = EVP_PKEY_Q_keygen(NULL, NULL,
		    "EC", groups[sigtype - SIGTYPE_ECDSA_P256]));
		ck_assert_int_eq(EVP_PKEY_get_octet_string_param(k->pkey,
		    OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &n), 1);
		ck_assert_uint_eq(n, 1 + k->publen);
		ck_assert_uint_eq(point[0], 4);
		memcpy(k->pub, point + 1, k->publen);
		break;
	default:
		ck_assert_int_eq(ed25519_keygen(k->seed, k->pub), 0);
	}
}

static inline void
tkey_free(struct tkey *k)
{
	EVP_PKEY_free(k->pkey);
	k->pkey = NULL;
}

static inline void
tkey_sign(const struct tkey *k, const void *msg, size_t len, uint8_t *sig)
{
	static const char	*digests[] = { "SHA1", "SHA256", "SHA384",
				    "SHA512" };
	EVP_MD_CTX		*ctx;
	ECDSA_SIG		*es;
	const BIGNUM		*r, *s;
	const uint8_t		*p;
	uint8_t			 der[256];
	size_t			 derlen = sizeof(der);

	if (k->pkey == NULL) {
		ck_assert_int_eq(ed25519_sign(sig, k->seed, msg, len), 0);
		return;
	}
	ck_assert_ptr_nonnull(ctx = EVP_MD_CTX_new());
	ck_assert_int_eq(EVP_DigestSignInit_ex(ctx, NULL,
	    digests[k->sigtype], NULL, NULL, k->pkey, NULL), 1);
	ck_assert_int_eq(EVP_DigestSign(ctx, der, &derlen, msg, len), 1);
	EVP_MD_CTX_free(ctx);
	p = der;
	ck_assert_ptr_nonnull(es = d2i_ECDSA_SIG(NULL, &p, derlen));
	ECDSA_SIG_get0(es, &r, &s);
	ck_assert_int_eq(BN_bn2binpad(r, sig, k->siglen / 2),
	    (int)k->siglen / 2);
	ck_assert_int_eq(BN_bn2binpad(s, sig + k->siglen / 2, k->siglen / 2),
	    (int)k->siglen / 2);
	ECDSA_SIG_free(es);
}

/* the i2p_sign_fn for Ed25519 and RedDSA keys: arg is the struct tkey */
static inline int
tkey_sign_cb(void *arg, const uint8_t *msg, size_t len, uint8_t sig[64])
{
	tkey_sign(arg, msg, len, sig);
	return 0;
}

/*
 * A Destination for the key with an ElGamal (unused) crypto field:
 * NULL certificate for DSA as the network writes them, a key
 * certificate otherwise.
 */
static inline size_t
tkey_dest(const struct tkey *k, uint8_t *buf, size_t sz)
{
	struct wbuf	 w;
	uint8_t		 elg[256];
	size_t		 inkeys = k->publen > 128 ? 128 : k->publen;

	memset(elg, 0x5e, sizeof(elg));
	wbuf_init_fixed(&w, buf, sz);
	wbuf_put_bytes(&w, elg, sizeof(elg));
	wbuf_put_zero(&w, 128 - inkeys);
	wbuf_put_bytes(&w, k->pub, inkeys);
	if (k->sigtype == SIGTYPE_DSA_SHA1) {
		wbuf_put_u8(&w, CERT_NULL);
		wbuf_put_u16(&w, 0);
	} else {
		wbuf_put_u8(&w, CERT_KEY);
		wbuf_put_u16(&w, 4 + k->publen - inkeys);
		wbuf_put_u16(&w, k->sigtype);
		wbuf_put_u16(&w, CRYPTOTYPE_ELGAMAL);
		wbuf_put_bytes(&w, k->pub + inkeys, k->publen - inkeys);
	}
	ck_assert_int_eq(wbuf_error(&w), 0);
	return wbuf_len(&w);
}

#endif /* I2PRD_TEST_SIGKEYS_H */
