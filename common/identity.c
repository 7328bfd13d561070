/*
 * Certificate, Key Certificate and KeysAndCert (common-structures.rst),
 * as RouterIdentity and Destination.
 *
 * Router identities must be Ed25519; Destinations may have any
 * signature type still in use (0-3, 7, 11), since their LeaseSets reach
 * a floodfill.  For any other type the key certificate is still checked
 * against the lengths the spec gives, so that the error says what is
 * really wrong: a malformed certificate, or a well-formed identity of a
 * type we do not implement.
 */
#include <bsd/string.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"

/* public key and signature lengths by signature type (spec tables) */
static const struct {
	uint16_t	 publen, siglen;
} sigtypes[] = {
	[SIGTYPE_DSA_SHA1] = { 128, 40 },
	[SIGTYPE_ECDSA_P256] = { 64, 64 },
	[SIGTYPE_ECDSA_P384] = { 96, 96 },
	[SIGTYPE_ECDSA_P521] = { 132, 132 },
	[SIGTYPE_RSA_2048] = { 256, 256 },
	[SIGTYPE_RSA_3072] = { 384, 384 },
	[SIGTYPE_RSA_4096] = { 512, 512 },
	[SIGTYPE_ED25519] = { 32, 64 },
	[SIGTYPE_ED25519PH] = { 32, 64 },
	[9] = { 64, 64 },		/* GOST, reserved */
	[10] = { 128, 128 },		/* GOST, reserved */
	[SIGTYPE_REDDSA] = { 32, 64 },
};

/* public key lengths by crypto type: ElGamal, P256, P384, P521, X25519 */
static const uint16_t cryptotypes[] = { 256, 64, 96, 132, 32 };

int
i2p_sigtype_len(unsigned type, size_t *publen, size_t *siglen)
{
	if (type >= sizeof(sigtypes) / sizeof(sigtypes[0]))
		return -1;
	if (publen != NULL)
		*publen = sigtypes[type].publen;
	if (siglen != NULL)
		*siglen = sigtypes[type].siglen;
	return 0;
}

int
i2p_cryptotype_len(unsigned type, size_t *publen)
{
	if (type >= sizeof(cryptotypes) / sizeof(cryptotypes[0]))
		return -1;
	*publen = cryptotypes[type];
	return 0;
}

int
cert_parse(struct i2p_cert *c, struct rbuf *r, struct i2p_err *err)
{
	if (rbuf_get_u8(r, &c->type) == -1 || rbuf_get_u16(r, &c->len) == -1 ||
	    rbuf_get_ptr(r, &c->payload, c->len) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "certificate");
	return 0;
}

/* the 128-byte signing key and 256-byte crypto key fields of the 384 */
#define KEYS_SIGN_FIELD		128
#define KEYS_CRYPTO_FIELD	256

/*
 * Checks a certificate as the certificate of a KeysAndCert and reads
 * the two types from it.  The length must be exactly what the types
 * need: the spec cautions to "prohibit excess data in Key Certificates".
 * Excess key data is counted per key beyond its field, as Java's
 * KeyCertificate and i2pd do (a P-521 key has 4 bytes in the
 * certificate whatever the crypto key).
 */
static int
keycert_check(const struct i2p_cert *c, uint16_t *sigtype,
    uint16_t *cryptotype, struct i2p_err *err)
{
	struct rbuf	 p;
	size_t		 slen, clen, excess = 0;

	if (c->type == CERT_NULL) {
		if (c->len != 0)
			return i2p_seterr(err, I2PE_BAD_CERT, 0, "certificate");
		/* no key certificate: DSA-SHA1 and ElGamal */
		*sigtype = SIGTYPE_DSA_SHA1;
		*cryptotype = CRYPTOTYPE_ELGAMAL;
		return 0;
	}
	if (c->type != CERT_KEY)
		return i2p_seterr(err, I2PE_CERTTYPE, c->type, "certificate");
	rbuf_init(&p, c->payload, c->len);
	if (rbuf_get_u16(&p, sigtype) == -1 ||
	    rbuf_get_u16(&p, cryptotype) == -1)
		return i2p_seterr(err, I2PE_BAD_CERT, 0, "certificate");
	if (i2p_sigtype_len(*sigtype, &slen, NULL) == -1)
		return i2p_seterr(err, I2PE_SIGTYPE, *sigtype, "certificate");
	if (i2p_cryptotype_len(*cryptotype, &clen) == -1)
		return i2p_seterr(err, I2PE_CRYPTOTYPE, *cryptotype,
		    "certificate");
	/* key bytes beyond their fields go into the certificate */
	if (slen > KEYS_SIGN_FIELD)
		excess += slen - KEYS_SIGN_FIELD;
	if (clen > KEYS_CRYPTO_FIELD)
		excess += clen - KEYS_CRYPTO_FIELD;
	if (rbuf_left(&p) != excess)
		return i2p_seterr(err, I2PE_BAD_CERT, 0, "certificate");
	return 0;
}

/* the signature types ident_verify checks */
static int
sigtype_verifiable(uint16_t sigtype)
{
	switch (sigtype) {
	case SIGTYPE_DSA_SHA1:
	case SIGTYPE_ECDSA_P256:
	case SIGTYPE_ECDSA_P384:
	case SIGTYPE_ECDSA_P521:
	case SIGTYPE_ED25519:
	case SIGTYPE_REDDSA:
		return 1;
	}
	return 0;
}

/* the types the kind of identity allows */
static int
ident_supported(uint16_t sigtype, uint16_t cryptotype, enum ident_kind kind,
    struct i2p_err *err)
{
	const char	*where = kind == IDENT_ROUTER ? "RouterIdentity" :
			    "Destination";

	if (kind == IDENT_ROUTER ? sigtype != SIGTYPE_ED25519 :
	    !sigtype_verifiable(sigtype))
		return i2p_seterr(err, I2PE_SIGTYPE, sigtype, where);
	if (cryptotype == CRYPTOTYPE_X25519)
		return 0;
	/* a Destination's crypto key has been unused since 0.6 */
	if (kind == IDENT_DEST && cryptotype == CRYPTOTYPE_ELGAMAL)
		return 0;
	return i2p_seterr(err, I2PE_CRYPTOTYPE, cryptotype, where);
}

/* fills raw, the keys and the hash from the 384 key bytes and the cert */
static int
ident_fill(struct i2p_ident *id, const uint8_t *keys,
    const struct i2p_cert *c, struct i2p_err *err)
{
	struct wbuf	 w;
	struct rbuf	 k;
	size_t		 publen, inkeys;

	wbuf_init_fixed(&w, id->raw, sizeof(id->raw));
	wbuf_put_bytes(&w, keys, I2P_KEYS_LEN);
	wbuf_put_u8(&w, c->type);
	wbuf_put_u16(&w, c->len);
	wbuf_put_bytes(&w, c->payload, c->len);
	if (wbuf_error(&w) == -1)
		return i2p_seterr(err, I2PE_TOO_LARGE, 0, "identity");
	id->rawlen = wbuf_len(&w);

	/*
	 * Crypto key left-aligned, signing key right-aligned; a signing
	 * key longer than its field continues in the certificate, after
	 * the two types.
	 */
	if (i2p_sigtype_len(id->sigtype, &publen, NULL) == -1 ||
	    publen > sizeof(id->sign_pub))
		return i2p_seterr(err, I2PE_SIGTYPE, id->sigtype, "identity");
	id->sign_publen = publen;
	inkeys = publen > KEYS_SIGN_FIELD ? KEYS_SIGN_FIELD : publen;
	rbuf_init(&k, keys, I2P_KEYS_LEN);
	rbuf_get_bytes(&k, id->crypto_pub, sizeof(id->crypto_pub));
	rbuf_skip(&k, I2P_KEYS_LEN - sizeof(id->crypto_pub) - inkeys);
	rbuf_get_bytes(&k, id->sign_pub, inkeys);
	if (publen > inkeys) {
		rbuf_init(&k, c->payload, c->len);
		rbuf_skip(&k, 4);
		rbuf_get_bytes(&k, id->sign_pub + inkeys, publen - inkeys);
	}
	if (rbuf_error(&k))
		return i2p_seterr(err, I2PE_BAD_CERT, 0, "identity");
	if (id->cryptotype != CRYPTOTYPE_X25519)
		memset(id->crypto_pub, 0, sizeof(id->crypto_pub));
	if (sha256(id->hash, id->raw, id->rawlen) == -1)
		return i2p_seterr(err, I2PE_INTERNAL, 0, "identity");
	return 0;
}

int
ident_parse(struct i2p_ident *id, struct rbuf *r, enum ident_kind kind,
    struct i2p_err *err)
{
	const uint8_t	*keys;
	struct i2p_cert	 c;

	memset(id, 0, sizeof(*id));
	if (rbuf_get_ptr(r, &keys, I2P_KEYS_LEN) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "identity");
	if (cert_parse(&c, r, err) == -1 ||
	    keycert_check(&c, &id->sigtype, &id->cryptotype, err) == -1 ||
	    ident_supported(id->sigtype, id->cryptotype, kind, err) == -1 ||
	    ident_fill(id, keys, &c, err) == -1) {
		memset(id, 0, sizeof(*id));
		return -1;
	}
	return 0;
}

int
ident_parse_bytes(struct i2p_ident *id, const void *data, size_t len,
    enum ident_kind kind, struct i2p_err *err)
{
	struct rbuf	 r;

	rbuf_init(&r, data, len);
	if (ident_parse(id, &r, kind, err) == -1)
		return -1;
	if (rbuf_end(&r) == -1) {
		memset(id, 0, sizeof(*id));
		return i2p_seterr(err, I2PE_TRAILING, 0, "identity");
	}
	return 0;
}

int
ident_write(const struct i2p_ident *id, struct wbuf *w)
{
	return wbuf_put_bytes(w, id->raw, id->rawlen);
}

/*
 * Key bytes as proposal 161 recommends: everything that is not a key is
 * the same 32 random bytes repeated (10 copies in a router identity, 11
 * in a Destination with the unused 256-byte crypto field).
 */
static void
ident_put_keys(struct wbuf *w, const uint8_t *crypto_pub,
    const uint8_t *sign_pub, const uint8_t *pad)
{
	size_t	 padlen = I2P_KEYS_LEN - 32;

	if (crypto_pub != NULL) {
		wbuf_put_bytes(w, crypto_pub, 32);
		padlen -= 32;
	}
	for (; padlen > 0; padlen -= 32)
		wbuf_put_bytes(w, pad, 32);
	wbuf_put_bytes(w, sign_pub, 32);
}

int
ident_build(struct i2p_ident *id, enum ident_kind kind,
    const uint8_t crypto_pub[32], const uint8_t sign_pub[32],
    const uint8_t pad[32])
{
	struct rbuf	 r;
	struct wbuf	 w;
	uint8_t		 buf[I2P_IDENT_LEN], rnd[32];

	if (kind == IDENT_ROUTER && crypto_pub == NULL)
		return -1;
	if (pad == NULL) {
		if (crypto_random(rnd, sizeof(rnd)) == -1)
			return -1;
		pad = rnd;
	}
	wbuf_init_fixed(&w, buf, sizeof(buf));
	ident_put_keys(&w, crypto_pub, sign_pub, pad);
	wbuf_put_u8(&w, CERT_KEY);
	wbuf_put_u16(&w, 4);
	wbuf_put_u16(&w, SIGTYPE_ED25519);
	wbuf_put_u16(&w, crypto_pub != NULL ? CRYPTOTYPE_X25519 :
	    CRYPTOTYPE_ELGAMAL);
	if (wbuf_error(&w) == -1 || wbuf_len(&w) != sizeof(buf))
		return -1;
	/* one path to a struct i2p_ident: what we build, we can parse */
	rbuf_init(&r, buf, sizeof(buf));
	return ident_parse(id, &r, kind, NULL);
}

size_t
ident_siglen(const struct i2p_ident *id)
{
	size_t	 siglen;

	if (i2p_sigtype_len(id->sigtype, NULL, &siglen) == -1)
		return 0;
	return siglen;
}

int
ident_signer(struct i2p_ident *id, uint16_t sigtype, const uint8_t *pub,
    size_t len)
{
	size_t	 publen;

	memset(id, 0, sizeof(*id));
	if (!sigtype_verifiable(sigtype) ||
	    i2p_sigtype_len(sigtype, &publen, NULL) == -1 || publen != len ||
	    len > sizeof(id->sign_pub))
		return -1;
	id->sigtype = sigtype;
	memcpy(id->sign_pub, pub, len);
	id->sign_publen = len;
	return 0;
}

/*
 * RedDSA (type 11) signatures verify exactly as Ed25519 ones: only the
 * signer's nonce differs.  That is what i2pd (RedDSA25519Verifier is
 * its EDDSA25519Verifier) and Java (RedDSAEngine changes signing only)
 * do and what encryptedleaseset.rst says ("Verification: Same as for
 * Ed25519"); red25519.rst's personalized hash is not what the network
 * signs with.
 */
int
ident_verify(const struct i2p_ident *id, const void *msg, size_t len,
    const uint8_t *sig, size_t siglen, struct i2p_err *err)
{
	int	 rv = -1;

	if (!sigtype_verifiable(id->sigtype))
		return i2p_seterr(err, I2PE_SIGTYPE, id->sigtype, "signature");
	if (siglen != ident_siglen(id))
		return i2p_seterr(err, I2PE_SIGNATURE, 0, "signature");
	switch (id->sigtype) {
	case SIGTYPE_ED25519:
	case SIGTYPE_REDDSA:
		rv = ed25519_verify(sig, id->sign_pub, msg, len);
		break;
	case SIGTYPE_DSA_SHA1:
		rv = dsa_sha1_verify(sig, id->sign_pub, msg, len);
		break;
	case SIGTYPE_ECDSA_P256:
	case SIGTYPE_ECDSA_P384:
	case SIGTYPE_ECDSA_P521:
		rv = ecdsa_verify(ECDSA_P256 + (id->sigtype -
		    SIGTYPE_ECDSA_P256), sig, siglen, id->sign_pub,
		    id->sign_publen, msg, len);
		break;
	}
	if (rv == -1)
		return i2p_seterr(err, I2PE_SIGNATURE, 0, "signature");
	return 0;
}

int
ident_equal(const struct i2p_ident *a, const struct i2p_ident *b)
{
	return a->rawlen == b->rawlen &&
	    memcmp(a->raw, b->raw, a->rawlen) == 0;
}

int
ident_to_b64(const struct i2p_ident *id, char *dst, size_t dstsz)
{
	return b64_encode(dst, dstsz, id->raw, id->rawlen);
}

int
ident_from_b64(struct i2p_ident *id, const char *s, enum ident_kind kind,
    struct i2p_err *err)
{
	/* room for identities larger than ours, to report their type */
	uint8_t	 buf[1024];
	int	 n;

	memset(id, 0, sizeof(*id));
	if ((n = b64_decode(buf, sizeof(buf), s, strlen(s))) == -1)
		return i2p_seterr(err, I2PE_ENCODING, 0, "identity");
	return ident_parse_bytes(id, buf, n, kind, err);
}

int
ident_b32(const struct i2p_ident *id, char *dst, size_t dstsz)
{
	int	 n;

	if (dstsz < I2P_B32_NAMESZ)
		return -1;
	if ((n = b32_encode(dst, dstsz, id->hash, sizeof(id->hash))) == -1)
		return -1;
	if (strlcat(dst, ".b32.i2p", dstsz) >= dstsz)
		return -1;
	return n + 8;
}

int
b32_name_hash(const char *name, uint8_t hash[I2P_HASH_LEN])
{
	size_t	 n = strlen(name);
	char	 lower[52];
	size_t	 i;

	if (n != 52 + 8 || strcasecmp(name + 52, ".b32.i2p") != 0)
		return -1;
	for (i = 0; i < 52; i++)
		lower[i] = tolower((unsigned char)name[i]);
	return b32_decode(hash, I2P_HASH_LEN, lower, 52) == I2P_HASH_LEN ?
	    0 : -1;
}
