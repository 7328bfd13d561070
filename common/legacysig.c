/*
 * Verification of the older signature types still found in
 * Destinations (cryptography.rst "DSA", "ECDSA"): DSA-SHA1 over I2P's
 * fixed 1024-bit group (type 0) and ECDSA with SHA-256/384/512 over
 * P-256/384/521 (types 1-3).  Only verification: i2prd signs with
 * Ed25519 alone, and LeaseSets of these Destinations still reach a
 * floodfill (type 1 LeaseSets of ElGamal destinations are all DSA or
 * ECDSA).
 *
 * I2P sends keys and signatures as fixed-width big-endian integers
 * (common-structures.rst "SigningPublicKey", "Signature"): a DSA key is
 * y (128 bytes), an ECDSA key X || Y, a signature r || s, each half of
 * its length.  OpenSSL takes the key through EVP_PKEY_fromdata and the
 * signature as DER, which DSA_SIG / ECDSA_SIG encode.
 */
#include <stdint.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "crypto.h"

/* cryptography.rst "DSA": p (1024 bits), q (160 bits), g */
static const uint8_t dsa_p[128] = {
	0x9c, 0x05, 0xb2, 0xaa, 0x96, 0x0d, 0x9b, 0x97, 0xb8, 0x93, 0x19, 0x63,
	0xc9, 0xcc, 0x9e, 0x8c, 0x30, 0x26, 0xe9, 0xb8, 0xed, 0x92, 0xfa, 0xd0,
	0xa6, 0x9c, 0xc8, 0x86, 0xd5, 0xbf, 0x80, 0x15, 0xfc, 0xad, 0xae, 0x31,
	0xa0, 0xad, 0x18, 0xfa, 0xb3, 0xf0, 0x1b, 0x00, 0xa3, 0x58, 0xde, 0x23,
	0x76, 0x55, 0xc4, 0x96, 0x4a, 0xfa, 0xa2, 0xb3, 0x37, 0xe9, 0x6a, 0xd3,
	0x16, 0xb9, 0xfb, 0x1c, 0xc5, 0x64, 0xb5, 0xae, 0xc5, 0xb6, 0x9a, 0x9f,
	0xf6, 0xc3, 0xe4, 0x54, 0x87, 0x07, 0xfe, 0xf8, 0x50, 0x3d, 0x91, 0xdd,
	0x86, 0x02, 0xe8, 0x67, 0xe6, 0xd3, 0x5d, 0x22, 0x35, 0xc1, 0x86, 0x9c,
	0xe2, 0x47, 0x9c, 0x3b, 0x9d, 0x54, 0x01, 0xde, 0x04, 0xe0, 0x72, 0x7f,
	0xb3, 0x3d, 0x65, 0x11, 0x28, 0x5d, 0x4c, 0xf2, 0x95, 0x38, 0xd9, 0xe3,
	0xb6, 0x05, 0x1f, 0x5b, 0x22, 0xcc, 0x1c, 0x93
};
static const uint8_t dsa_q[20] = {
	0xa5, 0xdf, 0xc2, 0x8f, 0xef, 0x4c, 0xa1, 0xe2, 0x86, 0x74, 0x4c, 0xd8,
	0xee, 0xd9, 0xd2, 0x9d, 0x68, 0x40, 0x46, 0xb7
};
static const uint8_t dsa_g[128] = {
	0x0c, 0x1f, 0x4d, 0x27, 0xd4, 0x00, 0x93, 0xb4, 0x29, 0xe9, 0x62, 0xd7,
	0x22, 0x38, 0x24, 0xe0, 0xbb, 0xc4, 0x7e, 0x7c, 0x83, 0x2a, 0x39, 0x23,
	0x6f, 0xc6, 0x83, 0xaf, 0x84, 0x88, 0x95, 0x81, 0x07, 0x5f, 0xf9, 0x08,
	0x2e, 0xd3, 0x23, 0x53, 0xd4, 0x37, 0x4d, 0x73, 0x01, 0xcd, 0xa1, 0xd2,
	0x3c, 0x43, 0x1f, 0x46, 0x98, 0x59, 0x9d, 0xda, 0x02, 0x45, 0x18, 0x24,
	0xff, 0x36, 0x97, 0x52, 0x59, 0x36, 0x47, 0xcc, 0x3d, 0xdc, 0x19, 0x7d,
	0xe9, 0x85, 0xe4, 0x3d, 0x13, 0x6c, 0xdc, 0xfc, 0x6b, 0xd5, 0x40, 0x9c,
	0xd2, 0xf4, 0x50, 0x82, 0x11, 0x42, 0xa5, 0xe6, 0xf8, 0xeb, 0x1c, 0x3a,
	0xb5, 0xd0, 0x48, 0x4b, 0x81, 0x29, 0xfc, 0xf1, 0x7b, 0xce, 0x4f, 0x7f,
	0x33, 0x32, 0x1c, 0x3c, 0xb3, 0xdb, 0xb1, 0x4a, 0x90, 0x5e, 0x7b, 0x2b,
	0x3e, 0x93, 0xbe, 0x47, 0x08, 0xcb, 0xcc, 0x82
};

const uint8_t *
dsa_group(size_t *plen, const uint8_t **q, size_t *qlen, const uint8_t **g)
{
	*plen = sizeof(dsa_p);
	*q = dsa_q;
	*qlen = sizeof(dsa_q);
	*g = dsa_g;
	return dsa_p;
}

static const struct {
	const char	*group, *digest;
	size_t		 len;		/* of a coordinate, of r, of s */
} curves[] = {
	[ECDSA_P256] = { "P-256", "SHA256", 32 },
	[ECDSA_P384] = { "P-384", "SHA384", 48 },
	[ECDSA_P521] = { "P-521", "SHA512", 66 },
};

/* a public key from parameters; NULL if OpenSSL refuses them */
static EVP_PKEY *
pkey_from(const char *type, OSSL_PARAM_BLD *bld)
{
	EVP_PKEY_CTX	*ctx;
	OSSL_PARAM	*params;
	EVP_PKEY	*pkey = NULL;

	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		return NULL;
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return pkey;
}

/*
 * DER of r || s (two big-endian halves of len bytes each); -1 or its
 * length.  DSA signatures have the same SEQUENCE { r, s } as ECDSA's.
 */
static int
sig_der(uint8_t **der, const uint8_t *rs, size_t len)
{
	ECDSA_SIG	*sig;
	BIGNUM		*r, *s;
	int		 n;

	*der = NULL;
	r = BN_bin2bn(rs, len, NULL);
	s = BN_bin2bn(rs + len, len, NULL);
	if (r == NULL || s == NULL || (sig = ECDSA_SIG_new()) == NULL) {
		BN_free(r);
		BN_free(s);
		return -1;
	}
	ECDSA_SIG_set0(sig, r, s);	/* sig owns them now */
	n = i2d_ECDSA_SIG(sig, der);
	ECDSA_SIG_free(sig);
	return n > 0 ? n : -1;
}

static int
verify_der(EVP_PKEY *pkey, const char *digest, const uint8_t *rs,
    size_t halflen, const void *msg, size_t len)
{
	EVP_MD_CTX	*ctx;
	uint8_t		*der;
	int		 n, rv = -1;

	if ((n = sig_der(&der, rs, halflen)) == -1)
		return -1;
	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit_ex(ctx, NULL, digest, NULL, NULL, pkey,
	    NULL) == 1 &&
	    EVP_DigestVerify(ctx, der, n, len > 0 ? msg : (const void *)"",
	    len) == 1)
		rv = 0;
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	return rv;
}

int
dsa_sha1_verify(const uint8_t sig[DSA_SIG_LEN], const uint8_t pub[DSA_PUB_LEN],
    const void *msg, size_t len)
{
	OSSL_PARAM_BLD	*bld;
	BIGNUM		*p, *q, *g, *y;
	EVP_PKEY	*pkey = NULL;
	int		 rv = -1;

	p = BN_bin2bn(dsa_p, sizeof(dsa_p), NULL);
	q = BN_bin2bn(dsa_q, sizeof(dsa_q), NULL);
	g = BN_bin2bn(dsa_g, sizeof(dsa_g), NULL);
	y = BN_bin2bn(pub, DSA_PUB_LEN, NULL);
	if (p != NULL && q != NULL && g != NULL && y != NULL &&
	    (bld = OSSL_PARAM_BLD_new()) != NULL) {
		if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_Q, q) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))
			pkey = pkey_from("DSA", bld);
		OSSL_PARAM_BLD_free(bld);
	}
	if (pkey != NULL)
		rv = verify_der(pkey, "SHA1", sig, DSA_SIG_LEN / 2, msg, len);
	EVP_PKEY_free(pkey);
	BN_free(p);
	BN_free(q);
	BN_free(g);
	BN_free(y);
	return rv;
}

int
ecdsa_verify(enum ecdsa_curve curve, const uint8_t *sig, size_t siglen,
    const uint8_t *pub, size_t publen, const void *msg, size_t len)
{
	OSSL_PARAM_BLD	*bld;
	EVP_PKEY	*pkey = NULL;
	uint8_t		 point[1 + 2 * 66];
	size_t		 n;
	int		 rv;

	if ((unsigned)curve >= sizeof(curves) / sizeof(curves[0]))
		return -1;
	n = curves[curve].len;
	if (publen != 2 * n || siglen != 2 * n)
		return -1;
	/* SEC 1 uncompressed point */
	point[0] = 0x04;
	memcpy(&point[1], pub, publen);
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		return -1;
	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
	    curves[curve].group, 0) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
	    point, 1 + publen))
		pkey = pkey_from("EC", bld);
	OSSL_PARAM_BLD_free(bld);
	if (pkey == NULL)
		return -1;
	rv = verify_der(pkey, curves[curve].digest, sig, n, msg, len);
	EVP_PKEY_free(pkey);
	return rv;
}
