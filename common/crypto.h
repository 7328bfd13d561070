/*
 * Cryptographic primitives as I2P uses them: thin wrappers over OpenSSL 3
 * EVP (no hand-written primitive where OpenSSL has one), plus SipHash-2-4
 * and the Noise symmetric state.  Elligator2 is in elligator2.h.
 *
 * All functions return 0 on success and -1 on failure unless stated
 * otherwise.  Callers wipe their secrets with crypto_wipe(); these
 * functions wipe their own temporaries.
 */
#ifndef I2PRD_CRYPTO_H
#define I2PRD_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN		32
#define HMAC_SHA256_LEN		32
#define CHACHA_KEY_LEN		32
#define CHACHA_NONCE_LEN	12
#define POLY1305_TAG_LEN	16
#define AES256_KEY_LEN		32
#define AES_BLOCK_LEN		16
#define X25519_KEY_LEN		32
#define ED25519_SEED_LEN	32	/* the private key as RFC 8032 keeps it */
#define ED25519_PUB_LEN		32
#define ED25519_SIG_LEN		64
#define SIPHASH_KEY_LEN		16

/*
 * Fetches every algorithm used here and seeds the random generator, so
 * that nothing needs a file later; call it before chroot and sandbox.
 * Optional: each function fetches what it needs on first use anyway.
 */
int	 crypto_init(void);
/* before crypto_init: OpenSSL's error strings never loaded; 0 or -1 */
int	 crypto_no_errstrings(void);
void	 crypto_wipe(void *, size_t);
int	 crypto_random(void *, size_t);
/* the same, or abort(): for keys and all whose failure cannot be handled */
void	 crypto_random_fill(void *, size_t);
/* a random message ID (from a buffer: cheap, not for keys) */
uint32_t crypto_random_id(void);
/* uniform in [0, n), n > 0 (peer and tunnel choices; not for keys) */
uint32_t crypto_random_below(uint32_t n);
/* constant-time comparison: 0 if equal */
int	 crypto_memcmp(const void *, const void *, size_t);

/* SHA-256, one shot and incremental */
int	 sha256(uint8_t out[SHA256_LEN], const void *, size_t);
struct sha256_ctx;
struct sha256_ctx *sha256_new(void);
int	 sha256_update(struct sha256_ctx *, const void *, size_t);
/* writes the digest; the context can be reused after sha256_reset */
int	 sha256_final(struct sha256_ctx *, uint8_t out[SHA256_LEN]);
int	 sha256_reset(struct sha256_ctx *);
void	 sha256_free(struct sha256_ctx *);

int	 hmac_sha256(uint8_t out[HMAC_SHA256_LEN], const void *key,
	    size_t keylen, const void *, size_t);
/* RFC 5869 HKDF-SHA256 (extract then expand), outlen <= 255 * 32 */
int	 hkdf_sha256(uint8_t *out, size_t outlen, const void *salt,
	    size_t saltlen, const void *ikm, size_t ikmlen, const void *info,
	    size_t infolen);

/*
 * ChaCha20-Poly1305 AEAD (RFC 8439).  The _n variants take the 12-byte
 * nonce; the others build I2P's nonce: 4 zero bytes then the 64-bit
 * counter little-endian.  Encrypt writes len + 16 bytes (ciphertext then
 * tag); decrypt takes len >= 16 bytes including the tag, writes len - 16
 * bytes and returns -1 if the tag does not verify (output wiped then).
 * in and out may be the same buffer.
 */
int	 chachapoly_encrypt_n(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
	    const uint8_t nonce[CHACHA_NONCE_LEN], const void *ad, size_t adlen,
	    const void *in, size_t len);
int	 chachapoly_decrypt_n(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
	    const uint8_t nonce[CHACHA_NONCE_LEN], const void *ad, size_t adlen,
	    const void *in, size_t len);
int	 chachapoly_encrypt(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
	    uint64_t n, const void *ad, size_t adlen, const void *in, size_t len);
int	 chachapoly_decrypt(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
	    uint64_t n, const void *ad, size_t adlen, const void *in, size_t len);
/* plain ChaCha20 (RFC 8439 section 2.4) with a 32-bit initial counter */
int	 chacha20(uint8_t *out, const uint8_t key[CHACHA_KEY_LEN],
	    const uint8_t nonce[CHACHA_NONCE_LEN], uint32_t counter,
	    const void *in, size_t len);

/*
 * AES-256 without padding: CBC over whole blocks (len a multiple of 16),
 * and single-block ECB (tunnel IV encryption).  in and out may alias.
 */
int	 aes256_cbc_encrypt(uint8_t *out, const uint8_t key[AES256_KEY_LEN],
	    const uint8_t iv[AES_BLOCK_LEN], const void *in, size_t len);
int	 aes256_cbc_decrypt(uint8_t *out, const uint8_t key[AES256_KEY_LEN],
	    const uint8_t iv[AES_BLOCK_LEN], const void *in, size_t len);
int	 aes256_ecb_encrypt(uint8_t out[AES_BLOCK_LEN],
	    const uint8_t key[AES256_KEY_LEN], const uint8_t in[AES_BLOCK_LEN]);
int	 aes256_ecb_decrypt(uint8_t out[AES_BLOCK_LEN],
	    const uint8_t key[AES256_KEY_LEN], const uint8_t in[AES_BLOCK_LEN]);

/* X25519 (RFC 7748); x25519 fails on an all-zero shared secret */
int	 x25519_keygen(uint8_t priv[X25519_KEY_LEN], uint8_t pub[X25519_KEY_LEN]);
int	 x25519_public(uint8_t pub[X25519_KEY_LEN],
	    const uint8_t priv[X25519_KEY_LEN]);
int	 x25519(uint8_t shared[X25519_KEY_LEN], const uint8_t priv[X25519_KEY_LEN],
	    const uint8_t peer[X25519_KEY_LEN]);

/* Ed25519 (RFC 8032), I2P signature type 7 */
int	 ed25519_keygen(uint8_t seed[ED25519_SEED_LEN],
	    uint8_t pub[ED25519_PUB_LEN]);
int	 ed25519_public(uint8_t pub[ED25519_PUB_LEN],
	    const uint8_t seed[ED25519_SEED_LEN]);
int	 ed25519_sign(uint8_t sig[ED25519_SIG_LEN],
	    const uint8_t seed[ED25519_SEED_LEN], const void *, size_t);
/* a key imported once for many signatures (cryptod) */
struct sign_key;
struct sign_key *ed25519_key_new(const uint8_t seed[ED25519_SEED_LEN]);
int	 ed25519_key_sign(struct sign_key *, uint8_t sig[ED25519_SIG_LEN],
	    const void *, size_t);
void	 ed25519_key_free(struct sign_key *);
/* 0 if the signature is valid, -1 otherwise */
int	 ed25519_verify(const uint8_t sig[ED25519_SIG_LEN],
	    const uint8_t pub[ED25519_PUB_LEN], const void *, size_t);

/*
 * The older signature types of Destinations, verification only
 * (legacysig.c): DSA-SHA1 over I2P's fixed group (sig type 0) with y
 * and r || s as fixed-width big-endian integers, and ECDSA (types 1-3)
 * with the key as X || Y and the signature as r || s, each half of its
 * length.  0 if the signature is valid, -1 otherwise.
 */
#define DSA_PUB_LEN		128
#define DSA_SIG_LEN		40
int	 dsa_sha1_verify(const uint8_t sig[DSA_SIG_LEN],
	    const uint8_t pub[DSA_PUB_LEN], const void *, size_t);
/* p and its length, q and its, g (as long as p), for making test keys */
const uint8_t *dsa_group(size_t *plen, const uint8_t **q, size_t *qlen,
	    const uint8_t **g);
enum ecdsa_curve {
	ECDSA_P256,		/* with SHA-256 */
	ECDSA_P384,		/* with SHA-384 */
	ECDSA_P521		/* with SHA-512 */
};
int	 ecdsa_verify(enum ecdsa_curve, const uint8_t *sig, size_t siglen,
	    const uint8_t *pub, size_t publen, const void *, size_t);

/* SipHash-2-4 with a 16-byte key (k0 = bytes 0-7, k1 = 8-15, LE) */
uint64_t siphash24(const uint8_t key[SIPHASH_KEY_LEN], const void *, size_t);

/*
 * The Noise symmetric state (Noise spec section 5.2) with SHA-256 and
 * ChaChaPoly, as NTCP2, SSU2, ECIES and tunnel building use it.
 */
struct noise_ss {
	uint8_t		ck[32];
	uint8_t		h[32];
	uint8_t		k[32];
	uint64_t	n;
	int		has_key;
};

/* h = name zero-padded if it fits in 32 bytes, else SHA-256(name); ck = h */
int	 noise_init(struct noise_ss *, const char *protocol_name);
int	 noise_mix_hash(struct noise_ss *, const void *, size_t);
/* ck, k = HKDF(ck, ikm) split 32/32; n = 0 */
int	 noise_mix_key(struct noise_ss *, const void *ikm, size_t);
/* out gets len + 16 bytes once a key is set, len bytes before */
int	 noise_encrypt_and_hash(struct noise_ss *, uint8_t *out,
	    const void *in, size_t len);
/* in is len bytes (tag included once a key is set) */
int	 noise_decrypt_and_hash(struct noise_ss *, uint8_t *out,
	    const void *in, size_t len);
/*
 * Noise N (one-way, to a static key) up to the payload: MixHash of the
 * empty prologue, the responder's static key and the ephemeral key,
 * then MixKey(DH), as tunnel build records and garlic to routers use it.
 */
int	 noise_n_start(struct noise_ss *, const uint8_t static_pub[32],
	    const uint8_t eph_pub[32], const uint8_t shared[32]);
/*
 * Noise XK (NTCP2, SSU2) up to the responder's static key: MixHash of
 * the empty prologue and of rs; the same on both sides
 */
int	 noise_xk_start(struct noise_ss *, const char *protocol_name,
	    const uint8_t rs[32]);
/* MixKey(DH(priv, pub)), the DH result wiped at once */
int	 noise_mix_dh(struct noise_ss *, const uint8_t priv[32],
	    const uint8_t pub[32]);
/* k1 || k2 = HKDF(ck, zero-length ikm) */
int	 noise_split(const struct noise_ss *, uint8_t k1[32], uint8_t k2[32]);
void	 noise_wipe(struct noise_ss *);

#endif /* I2PRD_CRYPTO_H */
