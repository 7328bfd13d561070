/*
 * Cryptographic primitives: thin wrappers over OpenSSL 3 EVP.  See
 * crypto.h for the contract.
 *
 * Algorithm objects (EVP_MD, EVP_CIPHER, EVP_MAC, EVP_KDF) are fetched
 * once and kept in statics: an implicit fetch (EVP_sha256() and the
 * like, or a name passed to EVP_Q_*) looks the algorithm up again on
 * every call.  Contexts are made per call and freed (which cleanses
 * them); that costs an allocation or two next to the cipher work.
 *
 * SipHash-2-4 is written out here rather than taken from EVP_MAC
 * "SIPHASH": it is small, siphash24() has no way to report a failure,
 * and NTCP2 calls it per frame where an EVP_MAC_CTX per call would
 * cost more than the hash.  The unit test checks it against both the
 * reference vectors and OpenSSL's implementation.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "crypto.h"

/*
 * Fetched algorithms
 */

static EVP_MD		*alg_sha256;
static EVP_MAC		*alg_hmac;
static EVP_KDF		*alg_hkdf;
static EVP_CIPHER	*alg_chachapoly;
static EVP_CIPHER	*alg_chacha20;
static EVP_CIPHER	*alg_aes256cbc;
static EVP_CIPHER	*alg_aes256ecb;

/*
 * Publishes a freshly fetched object in *slot unless another thread got
 * there first, in which case ours is dropped and theirs returned.
 */
#define FETCH_ONCE(slot, type, fetch, freefn)				\
	do {								\
		type	*f_, *e_ = NULL;				\
		if ((f_ = __atomic_load_n(&(slot), __ATOMIC_ACQUIRE))	\
		    != NULL)						\
			return f_;					\
		if ((f_ = (fetch)) == NULL)				\
			return NULL;					\
		if (!__atomic_compare_exchange_n(&(slot), &e_, f_, 0,	\
		    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {		\
			freefn(f_);					\
			f_ = e_;					\
		}							\
		return f_;						\
	} while (0)

static const EVP_MD *
md_sha256(void)
{
	FETCH_ONCE(alg_sha256, EVP_MD, EVP_MD_fetch(NULL, "SHA256", NULL),
	    EVP_MD_free);
}

static EVP_MAC *
mac_hmac(void)
{
	FETCH_ONCE(alg_hmac, EVP_MAC, EVP_MAC_fetch(NULL, "HMAC", NULL),
	    EVP_MAC_free);
}

static EVP_KDF *
kdf_hkdf(void)
{
	FETCH_ONCE(alg_hkdf, EVP_KDF, EVP_KDF_fetch(NULL, "HKDF", NULL),
	    EVP_KDF_free);
}

static const EVP_CIPHER *
cipher_chachapoly(void)
{
	FETCH_ONCE(alg_chachapoly, EVP_CIPHER,
	    EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL),
	    EVP_CIPHER_free);
}

static const EVP_CIPHER *
cipher_chacha20(void)
{
	FETCH_ONCE(alg_chacha20, EVP_CIPHER,
	    EVP_CIPHER_fetch(NULL, "ChaCha20", NULL), EVP_CIPHER_free);
}

static const EVP_CIPHER *
cipher_aes256cbc(void)
{
	FETCH_ONCE(alg_aes256cbc, EVP_CIPHER,
	    EVP_CIPHER_fetch(NULL, "AES-256-CBC", NULL), EVP_CIPHER_free);
}

static const EVP_CIPHER *
cipher_aes256ecb(void)
{
	FETCH_ONCE(alg_aes256ecb, EVP_CIPHER,
	    EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL), EVP_CIPHER_free);
}

int
crypto_init(void)
{
	uint8_t	 b;

	if (md_sha256() == NULL || mac_hmac() == NULL || kdf_hkdf() == NULL ||
	    cipher_chachapoly() == NULL || cipher_chacha20() == NULL ||
	    cipher_aes256cbc() == NULL || cipher_aes256ecb() == NULL)
		return -1;
	/* seeds the DRBG */
	return crypto_random(&b, sizeof(b));
}

int
crypto_no_errstrings(void)
{
	return OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS,
	    NULL) == 1 ? 0 : -1;
}

/*
 * Utilities
 */

void
crypto_wipe(void *p, size_t len)
{
	if (p != NULL && len > 0)
		OPENSSL_cleanse(p, len);
}

int
crypto_random(void *buf, size_t len)
{
	uint8_t	*p = buf;
	int	 n;

	while (len > 0) {
		n = len > INT_MAX ? INT_MAX : (int)len;
		if (RAND_bytes(p, n) != 1)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

/*
 * Random bytes where nothing can be done without them (keys, IVs,
 * tokens, padding): a failing RAND_bytes means no safe randomness, so
 * the process stops rather than go on with what was in the buffer.
 */
void
crypto_random_fill(void *buf, size_t len)
{
	if (crypto_random(buf, len) == -1)
		abort();
}

/*
 * I2NP message IDs, one per message sent: drawn from a pool filled 512
 * bytes at a time, since each RAND_bytes call costs a getpid (the fork
 * check), a system call that the sandbox makes dearer still.
 */
uint32_t
crypto_random_id(void)
{
	static uint32_t	pool[128];
	static size_t	left;
	uint32_t	v;

	if (left == 0) {
		crypto_random_fill(pool, sizeof(pool));
		left = sizeof(pool) / sizeof(pool[0]);
	}
	v = pool[--left];
	pool[left] = 0;
	return v;
}

/* rejection sampling: r % n alone would favour the small values */
uint32_t
crypto_random_below(uint32_t n)
{
	uint32_t	r, floor = -n % n;	/* 2^32 mod n */

	do
		r = crypto_random_id();
	while (r < floor);
	return r % n;
}

int
crypto_memcmp(const void *a, const void *b, size_t len)
{
	if (len == 0)
		return 0;
	return CRYPTO_memcmp(a, b, len) == 0 ? 0 : 1;
}

/* OpenSSL wants non-NULL pointers even for empty inputs */
static const uint8_t	 empty[1];
#define NONNULL(p)	((p) != NULL ? (const void *)(p) : (const void *)empty)

/*
 * SHA-256
 */

int
sha256(uint8_t out[SHA256_LEN], const void *in, size_t len)
{
	const EVP_MD	*md;

	if ((md = md_sha256()) == NULL)
		return -1;
	if (EVP_Digest(NONNULL(in), len, out, NULL, md, NULL) != 1)
		return -1;
	return 0;
}

struct sha256_ctx {
	EVP_MD_CTX	*md;
};

struct sha256_ctx *
sha256_new(void)
{
	struct sha256_ctx	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->md = EVP_MD_CTX_new()) == NULL || sha256_reset(c) == -1) {
		sha256_free(c);
		return NULL;
	}
	return c;
}

int
sha256_reset(struct sha256_ctx *c)
{
	const EVP_MD	*md;

	if ((md = md_sha256()) == NULL)
		return -1;
	return EVP_DigestInit_ex2(c->md, md, NULL) == 1 ? 0 : -1;
}

int
sha256_update(struct sha256_ctx *c, const void *in, size_t len)
{
	if (len == 0)
		return 0;
	return EVP_DigestUpdate(c->md, in, len) == 1 ? 0 : -1;
}

int
sha256_final(struct sha256_ctx *c, uint8_t out[SHA256_LEN])
{
	return EVP_DigestFinal_ex(c->md, out, NULL) == 1 ? 0 : -1;
}

void
sha256_free(struct sha256_ctx *c)
{
	if (c == NULL)
		return;
	EVP_MD_CTX_free(c->md);
	free(c);
}

/*
 * HMAC-SHA256 and HKDF
 */

int
hmac_sha256(uint8_t out[HMAC_SHA256_LEN], const void *key, size_t keylen,
    const void *in, size_t len)
{
	EVP_MAC		*mac;
	EVP_MAC_CTX	*ctx;
	OSSL_PARAM	 params[2];
	size_t		 outlen;
	int		 rv = -1;

	if ((mac = mac_hmac()) == NULL || (ctx = EVP_MAC_CTX_new(mac)) == NULL)
		return -1;
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	/* a NULL key would mean "the key set before": pass an empty one */
	if (EVP_MAC_init(ctx, NONNULL(key), keylen, params) == 1 &&
	    (len == 0 || EVP_MAC_update(ctx, in, len) == 1) &&
	    EVP_MAC_final(ctx, out, &outlen, HMAC_SHA256_LEN) == 1 &&
	    outlen == HMAC_SHA256_LEN)
		rv = 0;
	EVP_MAC_CTX_free(ctx);
	return rv;
}

int
hkdf_sha256(uint8_t *out, size_t outlen, const void *salt, size_t saltlen,
    const void *ikm, size_t ikmlen, const void *info, size_t infolen)
{
	EVP_KDF		*kdf;
	EVP_KDF_CTX	*ctx;
	OSSL_PARAM	 params[5], *p = params;
	int		 rv = -1;

	if (outlen == 0 || outlen > 255 * SHA256_LEN)
		return -1;
	if ((kdf = kdf_hkdf()) == NULL || (ctx = EVP_KDF_CTX_new(kdf)) == NULL)
		return -1;
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
	    (char *)"SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
	    (void *)NONNULL(ikm), ikmlen);
	/* no salt is the same as 32 zero bytes (RFC 5869 section 2.2) */
	if (saltlen > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
		    (void *)salt, saltlen);
	if (infolen > 0)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
		    (void *)info, infolen);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, outlen, params) == 1)
		rv = 0;
	else
		crypto_wipe(out, outlen);
	EVP_KDF_CTX_free(ctx);
	return rv;
}

/*
 * ChaCha20-Poly1305 and ChaCha20
 */

static void
i2p_nonce(uint8_t nonce[CHACHA_NONCE_LEN], uint64_t n)
{
	int	 i;

	memset(nonce, 0, 4);
	for (i = 0; i < 8; i++)
		nonce[4 + i] = (uint8_t)(n >> (8 * i));
}

/*
 * The ChaCha20-Poly1305 and ChaCha20 contexts, one each per thread and
 * initialised anew for each message: a context made and freed per
 * message (a provider context allocated, parameters looked up by name,
 * memory cleansed) was most of what netd spent on an SSU2 data packet
 * (its AEAD and two header masks) besides the cipher itself.  NULL if
 * none can be made.
 */
static __thread EVP_CIPHER_CTX	*ctx_chachapoly, *ctx_chacha20;

static EVP_CIPHER_CTX *
cipher_ctx(EVP_CIPHER_CTX **slot)
{
	if (*slot == NULL)
		*slot = EVP_CIPHER_CTX_new();
	return *slot;
}

int
chachapoly_encrypt_n(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
    const uint8_t nonce[CHACHA_NONCE_LEN], const void *ad, size_t adlen,
    const void *in, size_t len)
{
	const EVP_CIPHER	*cipher;
	EVP_CIPHER_CTX		*ctx;
	int			 n, rv = -1;

	if (len > INT_MAX - POLY1305_TAG_LEN || adlen > INT_MAX)
		return -1;
	if ((cipher = cipher_chachapoly()) == NULL ||
	    (ctx = cipher_ctx(&ctx_chachapoly)) == NULL)
		return -1;
	if (EVP_EncryptInit_ex2(ctx, cipher, key, nonce, NULL) != 1)
		goto done;
	if (adlen > 0 &&
	    EVP_EncryptUpdate(ctx, NULL, &n, ad, (int)adlen) != 1)
		goto done;
	if (len > 0 &&
	    (EVP_EncryptUpdate(ctx, out, &n, in, (int)len) != 1 ||
	    (size_t)n != len))
		goto done;
	if (EVP_EncryptFinal_ex(ctx, out + len, &n) != 1 || n != 0)
		goto done;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, POLY1305_TAG_LEN,
	    out + len) != 1)
		goto done;
	rv = 0;
 done:
	if (rv == -1)
		crypto_wipe(out, len + POLY1305_TAG_LEN);
	return rv;
}

int
chachapoly_decrypt_n(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
    const uint8_t nonce[CHACHA_NONCE_LEN], const void *ad, size_t adlen,
    const void *in, size_t len)
{
	const EVP_CIPHER	*cipher;
	EVP_CIPHER_CTX		*ctx;
	uint8_t			 tag[POLY1305_TAG_LEN], fin[POLY1305_TAG_LEN];
	size_t			 clen;
	int			 n, rv = -1;

	if (len < POLY1305_TAG_LEN || len > INT_MAX || adlen > INT_MAX)
		return -1;
	clen = len - POLY1305_TAG_LEN;
	/* the tag is read before out (which may be in) is written */
	memcpy(tag, (const uint8_t *)in + clen, sizeof(tag));
	if ((cipher = cipher_chachapoly()) == NULL ||
	    (ctx = cipher_ctx(&ctx_chachapoly)) == NULL)
		goto done;
	if (EVP_DecryptInit_ex2(ctx, cipher, key, nonce, NULL) != 1)
		goto done;
	if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, sizeof(tag),
	    tag) != 1)
		goto done;
	if (adlen > 0 &&
	    EVP_DecryptUpdate(ctx, NULL, &n, ad, (int)adlen) != 1)
		goto done;
	if (clen > 0 &&
	    (EVP_DecryptUpdate(ctx, out, &n, in, (int)clen) != 1 ||
	    (size_t)n != clen))
		goto done;
	/* checks the tag; writes nothing, but out may be NULL if clen is 0 */
	if (EVP_DecryptFinal_ex(ctx, fin, &n) != 1 || n != 0)
		goto done;
	rv = 0;
 done:
	if (rv == -1)
		crypto_wipe(out, clen);
	return rv;
}

int
chachapoly_encrypt(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
    uint64_t n, const void *ad, size_t adlen, const void *in, size_t len)
{
	uint8_t	 nonce[CHACHA_NONCE_LEN];

	i2p_nonce(nonce, n);
	return chachapoly_encrypt_n(out, key, nonce, ad, adlen, in, len);
}

int
chachapoly_decrypt(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
    uint64_t n, const void *ad, size_t adlen, const void *in, size_t len)
{
	uint8_t	 nonce[CHACHA_NONCE_LEN];

	i2p_nonce(nonce, n);
	return chachapoly_decrypt_n(out, key, nonce, ad, adlen, in, len);
}

int
chacha20(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
    const uint8_t nonce[CHACHA_NONCE_LEN], uint32_t counter, const void *in,
    size_t len)
{
	const EVP_CIPHER	*cipher;
	EVP_CIPHER_CTX		*ctx;
	/* OpenSSL's ChaCha20 IV: the block counter (LE) then the nonce */
	uint8_t			 iv[16];
	int			 n, rv = -1;

	if (len > INT_MAX)
		return -1;
	if (len == 0)
		return 0;
	iv[0] = (uint8_t)counter;
	iv[1] = (uint8_t)(counter >> 8);
	iv[2] = (uint8_t)(counter >> 16);
	iv[3] = (uint8_t)(counter >> 24);
	memcpy(iv + 4, nonce, CHACHA_NONCE_LEN);
	if ((cipher = cipher_chacha20()) == NULL ||
	    (ctx = cipher_ctx(&ctx_chacha20)) == NULL)
		return -1;
	if (EVP_EncryptInit_ex2(ctx, cipher, key, iv, NULL) == 1 &&
	    EVP_EncryptUpdate(ctx, out, &n, in, (int)len) == 1 &&
	    (size_t)n == len)
		rv = 0;
	return rv;
}

/*
 * AES-256, no padding
 */

static int
aes256(const EVP_CIPHER *cipher, int enc, uint8_t *out,
    const uint8_t key[AES256_KEY_LEN], const uint8_t *iv, const void *in,
    size_t len)
{
	EVP_CIPHER_CTX	*ctx;
	int		 n, rv = -1;

	if (len % AES_BLOCK_LEN != 0 || len > INT_MAX)
		return -1;
	if (cipher == NULL || (ctx = EVP_CIPHER_CTX_new()) == NULL)
		return -1;
	if (EVP_CipherInit_ex2(ctx, cipher, key, iv, enc, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    (len == 0 || (EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1 &&
	    (size_t)n == len)))
		rv = 0;
	EVP_CIPHER_CTX_free(ctx);
	return rv;
}

int
aes256_cbc_encrypt(uint8_t *out, const uint8_t key[AES256_KEY_LEN],
    const uint8_t iv[AES_BLOCK_LEN], const void *in, size_t len)
{
	return aes256(cipher_aes256cbc(), 1, out, key, iv, in, len);
}

int
aes256_cbc_decrypt(uint8_t *out, const uint8_t key[AES256_KEY_LEN],
    const uint8_t iv[AES_BLOCK_LEN], const void *in, size_t len)
{
	return aes256(cipher_aes256cbc(), 0, out, key, iv, in, len);
}

int
aes256_ecb_encrypt(uint8_t out[AES_BLOCK_LEN],
    const uint8_t key[AES256_KEY_LEN], const uint8_t in[AES_BLOCK_LEN])
{
	return aes256(cipher_aes256ecb(), 1, out, key, NULL, in,
	    AES_BLOCK_LEN);
}

int
aes256_ecb_decrypt(uint8_t out[AES_BLOCK_LEN],
    const uint8_t key[AES256_KEY_LEN], const uint8_t in[AES_BLOCK_LEN])
{
	return aes256(cipher_aes256ecb(), 0, out, key, NULL, in,
	    AES_BLOCK_LEN);
}

/*
 * X25519 and Ed25519
 */

int
x25519_keygen(uint8_t priv[X25519_KEY_LEN], uint8_t pub[X25519_KEY_LEN])
{
	if (crypto_random(priv, X25519_KEY_LEN) == -1 ||
	    x25519_public(pub, priv) == -1) {
		crypto_wipe(priv, X25519_KEY_LEN);
		return -1;
	}
	return 0;
}

/* the raw public key of a private key of the given type */
static int
raw_public(int type, uint8_t pub[32], const uint8_t priv[32])
{
	EVP_PKEY	*pkey;
	size_t		 len = 32;
	int		 rv = -1;

	if ((pkey = EVP_PKEY_new_raw_private_key(type, NULL, priv, 32)) == NULL)
		return -1;
	if (EVP_PKEY_get_raw_public_key(pkey, pub, &len) == 1 && len == 32)
		rv = 0;
	EVP_PKEY_free(pkey);
	return rv;
}

int
x25519_public(uint8_t pub[X25519_KEY_LEN], const uint8_t priv[X25519_KEY_LEN])
{
	return raw_public(EVP_PKEY_X25519, pub, priv);
}

/*
 * An X25519 key for deriving only.  EVP_PKEY_new_raw_private_key()
 * computes the public half, a scalar multiplication as costly as the
 * derivation itself, which uses the private half alone: import the
 * private key with a placeholder public key instead.  Should OpenSSL
 * ever refuse that, fall back to the ordinary import.
 */
static EVP_PKEY *
x25519_derive_key(const uint8_t priv[X25519_KEY_LEN])
{
	static const uint8_t	 placeholder[X25519_KEY_LEN];
	EVP_PKEY_CTX		*ctx;
	EVP_PKEY		*pkey = NULL;
	OSSL_PARAM		 params[3];

	params[0] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PRIV_KEY,
	    (void *)priv, X25519_KEY_LEN);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY,
	    (void *)placeholder, X25519_KEY_LEN);
	params[2] = OSSL_PARAM_construct_end();
	if ((ctx = EVP_PKEY_CTX_new_from_name(NULL, "X25519", NULL)) != NULL) {
		if (EVP_PKEY_fromdata_init(ctx) != 1 ||
		    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_KEYPAIR,
		    params) != 1)
			pkey = NULL;
		EVP_PKEY_CTX_free(ctx);
	}
	if (pkey == NULL)
		pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL,
		    priv, X25519_KEY_LEN);
	return pkey;
}

int
x25519(uint8_t shared[X25519_KEY_LEN], const uint8_t priv[X25519_KEY_LEN],
    const uint8_t peer[X25519_KEY_LEN])
{
	EVP_PKEY	*pkey = NULL, *peerkey = NULL;
	EVP_PKEY_CTX	*ctx = NULL;
	size_t		 len = X25519_KEY_LEN;
	uint8_t		 acc = 0;
	int		 i, rv = -1;

	if ((pkey = x25519_derive_key(priv)) == NULL ||
	    (peerkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer,
	    X25519_KEY_LEN)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new(pkey, NULL)) == NULL)
		goto done;
	if (EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer(ctx, peerkey) != 1 ||
	    EVP_PKEY_derive(ctx, shared, &len) != 1 || len != X25519_KEY_LEN)
		goto done;
	/*
	 * OpenSSL refuses an all-zero result (a low-order peer point)
	 * already; check again, in constant time, rather than rely on it.
	 */
	for (i = 0; i < X25519_KEY_LEN; i++)
		acc |= shared[i];
	if (acc != 0)
		rv = 0;
 done:
	if (rv == -1)
		crypto_wipe(shared, X25519_KEY_LEN);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peerkey);
	EVP_PKEY_free(pkey);
	return rv;
}

int
ed25519_keygen(uint8_t seed[ED25519_SEED_LEN], uint8_t pub[ED25519_PUB_LEN])
{
	if (crypto_random(seed, ED25519_SEED_LEN) == -1 ||
	    ed25519_public(pub, seed) == -1) {
		crypto_wipe(seed, ED25519_SEED_LEN);
		return -1;
	}
	return 0;
}

int
ed25519_public(uint8_t pub[ED25519_PUB_LEN],
    const uint8_t seed[ED25519_SEED_LEN])
{
	return raw_public(EVP_PKEY_ED25519, pub, seed);
}

int
ed25519_sign(uint8_t sig[ED25519_SIG_LEN],
    const uint8_t seed[ED25519_SEED_LEN], const void *msg, size_t len)
{
	struct sign_key	*key;
	int		 rv;

	if ((key = ed25519_key_new(seed)) == NULL)
		return -1;
	rv = ed25519_key_sign(key, sig, msg, len);
	ed25519_key_free(key);
	return rv;
}

/*
 * A prepared signing key: OpenSSL derives the public key when a private
 * key is imported, a scalar multiplication as costly as the signature
 * itself; a holder that signs often (cryptod) imports once.
 */
struct sign_key {
	EVP_PKEY	*pkey;
};

struct sign_key *
ed25519_key_new(const uint8_t seed[ED25519_SEED_LEN])
{
	struct sign_key	*key;

	if ((key = calloc(1, sizeof(*key))) == NULL)
		return NULL;
	if ((key->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
	    seed, ED25519_SEED_LEN)) == NULL) {
		free(key);
		return NULL;
	}
	return key;
}

int
ed25519_key_sign(struct sign_key *key, uint8_t sig[ED25519_SIG_LEN],
    const void *msg, size_t len)
{
	EVP_MD_CTX	*ctx;
	size_t		 siglen = ED25519_SIG_LEN;
	int		 rv = -1;

	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	    EVP_DigestSign(ctx, sig, &siglen, NONNULL(msg), len) == 1 &&
	    siglen == ED25519_SIG_LEN)
		rv = 0;
	EVP_MD_CTX_free(ctx);
	return rv;
}

/* OpenSSL cleanses the key material it frees */
void
ed25519_key_free(struct sign_key *key)
{
	if (key == NULL)
		return;
	EVP_PKEY_free(key->pkey);
	free(key);
}

int
ed25519_verify(const uint8_t sig[ED25519_SIG_LEN],
    const uint8_t pub[ED25519_PUB_LEN], const void *msg, size_t len)
{
	EVP_PKEY	*pkey;
	EVP_MD_CTX	*ctx = NULL;
	int		 rv = -1;

	if ((pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub,
	    ED25519_PUB_LEN)) == NULL)
		return -1;
	if ((ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pkey) == 1 &&
	    EVP_DigestVerify(ctx, sig, ED25519_SIG_LEN, NONNULL(msg),
	    len) == 1)
		rv = 0;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return rv;
}

/*
 * SipHash-2-4 (Aumasson and Bernstein), after the reference code
 */

#define ROTL64(x, b)	(uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND							\
	do {								\
		v0 += v1; v1 = ROTL64(v1, 13); v1 ^= v0;		\
		v0 = ROTL64(v0, 32);					\
		v2 += v3; v3 = ROTL64(v3, 16); v3 ^= v2;		\
		v0 += v3; v3 = ROTL64(v3, 21); v3 ^= v0;		\
		v2 += v1; v1 = ROTL64(v1, 17); v1 ^= v2;		\
		v2 = ROTL64(v2, 32);					\
	} while (0)

static uint64_t
le64(const uint8_t *p)
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	    (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
	    (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
	    (uint64_t)p[7] << 56;
}

uint64_t
siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *in, size_t len)
{
	const uint8_t	*p = in;
	uint64_t	 k0 = le64(key), k1 = le64(key + 8);
	uint64_t	 v0 = k0 ^ 0x736f6d6570736575ULL;
	uint64_t	 v1 = k1 ^ 0x646f72616e646f6dULL;
	uint64_t	 v2 = k0 ^ 0x6c7967656e657261ULL;
	uint64_t	 v3 = k1 ^ 0x7465646279746573ULL;
	uint64_t	 m, b = (uint64_t)len << 56;
	size_t		 i, blocks = len / 8;

	for (i = 0; i < blocks; i++) {
		m = le64(p + 8 * i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	/* the last 0-7 bytes, with the length in the top byte */
	for (i = 0; i < len % 8; i++)
		b |= (uint64_t)p[8 * blocks + i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/*
 * Noise symmetric state
 */

int
noise_init(struct noise_ss *ss, const char *name)
{
	size_t	 len;

	if (ss == NULL || name == NULL)
		return -1;
	memset(ss, 0, sizeof(*ss));
	len = strlen(name);
	if (len <= sizeof(ss->h))
		memcpy(ss->h, name, len);
	else if (sha256(ss->h, name, len) == -1)
		return -1;
	memcpy(ss->ck, ss->h, sizeof(ss->ck));
	return 0;
}

/* h = SHA-256(h || data) into out (which may be h) */
static int
mix_hash_to(uint8_t out[SHA256_LEN], const uint8_t h[SHA256_LEN],
    const void *data, size_t len)
{
	const EVP_MD	*md;
	EVP_MD_CTX	*ctx;
	int		 rv = -1;

	if ((md = md_sha256()) == NULL || (ctx = EVP_MD_CTX_new()) == NULL)
		return -1;
	if (EVP_DigestInit_ex2(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, h, SHA256_LEN) == 1 &&
	    (len == 0 || EVP_DigestUpdate(ctx, data, len) == 1) &&
	    EVP_DigestFinal_ex(ctx, out, NULL) == 1)
		rv = 0;
	EVP_MD_CTX_free(ctx);
	return rv;
}

int
noise_mix_hash(struct noise_ss *ss, const void *data, size_t len)
{
	return mix_hash_to(ss->h, ss->h, data, len);
}

/* Noise's HKDF with two outputs is RFC 5869 with salt ck and no info */
static int
noise_hkdf2(const uint8_t ck[32], const void *ikm, size_t len,
    uint8_t o1[32], uint8_t o2[32])
{
	uint8_t	 okm[64];
	int	 rv = -1;

	if (hkdf_sha256(okm, sizeof(okm), ck, 32, ikm, len, NULL, 0) == 0) {
		memcpy(o1, okm, 32);
		memcpy(o2, okm + 32, 32);
		rv = 0;
	}
	crypto_wipe(okm, sizeof(okm));
	return rv;
}

int
noise_mix_key(struct noise_ss *ss, const void *ikm, size_t len)
{
	if (noise_hkdf2(ss->ck, ikm, len, ss->ck, ss->k) == -1)
		return -1;
	ss->n = 0;
	ss->has_key = 1;
	return 0;
}

int
noise_xk_start(struct noise_ss *ss, const char *name, const uint8_t rs[32])
{
	return noise_init(ss, name) == 0 && noise_mix_hash(ss, NULL, 0) == 0 &&
	    noise_mix_hash(ss, rs, 32) == 0 ? 0 : -1;
}

int
noise_mix_dh(struct noise_ss *ss, const uint8_t priv[32],
    const uint8_t pub[32])
{
	uint8_t	 dh[32];
	int	 rv = -1;

	if (x25519(dh, priv, pub) == 0 && noise_mix_key(ss, dh, 32) == 0)
		rv = 0;
	crypto_wipe(dh, sizeof(dh));
	return rv;
}

int
noise_n_start(struct noise_ss *ss, const uint8_t static_pub[32],
    const uint8_t eph_pub[32], const uint8_t shared[32])
{
	return noise_init(ss, "Noise_N_25519_ChaChaPoly_SHA256") == 0 &&
	    noise_mix_hash(ss, NULL, 0) == 0 &&
	    noise_mix_hash(ss, static_pub, 32) == 0 &&
	    noise_mix_hash(ss, eph_pub, 32) == 0 &&
	    noise_mix_key(ss, shared, 32) == 0 ? 0 : -1;
}

int
noise_encrypt_and_hash(struct noise_ss *ss, uint8_t *out, const void *in,
    size_t len)
{
	if (!ss->has_key) {
		if (len > 0 && out != in)
			memmove(out, in, len);
		return noise_mix_hash(ss, out, len);
	}
	/* nonce 2^64 - 1 is reserved (Noise section 5.1) */
	if (ss->n == UINT64_MAX)
		return -1;
	if (chachapoly_encrypt(out, ss->k, ss->n, ss->h, sizeof(ss->h), in,
	    len) == -1)
		return -1;
	ss->n++;
	return noise_mix_hash(ss, out, len + POLY1305_TAG_LEN);
}

int
noise_decrypt_and_hash(struct noise_ss *ss, uint8_t *out, const void *in,
    size_t len)
{
	uint8_t	 h[SHA256_LEN];

	if (!ss->has_key) {
		if (noise_mix_hash(ss, in, len) == -1)
			return -1;
		if (len > 0 && out != in)
			memmove(out, in, len);
		return 0;
	}
	if (len < POLY1305_TAG_LEN || ss->n == UINT64_MAX)
		return -1;
	/*
	 * The ciphertext goes into h, but only once it has been
	 * authenticated, and decrypting in place overwrites it: hash it
	 * first, keep the result aside.
	 */
	if (mix_hash_to(h, ss->h, in, len) == -1)
		return -1;
	if (chachapoly_decrypt(out, ss->k, ss->n, ss->h, sizeof(ss->h), in,
	    len) == -1)
		return -1;
	memcpy(ss->h, h, sizeof(h));
	ss->n++;
	return 0;
}

int
noise_split(const struct noise_ss *ss, uint8_t k1[32], uint8_t k2[32])
{
	return noise_hkdf2(ss->ck, NULL, 0, k1, k2);
}

void
noise_wipe(struct noise_ss *ss)
{
	crypto_wipe(ss, sizeof(*ss));
}
