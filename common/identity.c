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
 *
 * The parsing that needs no cryptography (the certificates, the keys'
 * places) is in identity_parse.c, so that the parent, which checks the
 * Destinations of its config, links without libcrypto.
 */
#include <bsd/string.h>
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "encoding.h"
#include "i2pdata.h"

int
ident_parse(struct i2p_ident *id, struct rbuf *r, enum ident_kind kind,
    struct i2p_err *err)
{
	if (ident_parse_keys(id, r, kind, err) == -1)
		return -1;
	if (sha256(id->hash, id->raw, id->rawlen) == -1) {
		memset(id, 0, sizeof(*id));
		return i2p_seterr(err, I2PE_INTERNAL, 0, "identity");
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

