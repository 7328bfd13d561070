/*
 * KeysAndCert parsing that needs no cryptography: the certificate, the
 * key certificate's types and lengths, the keys' places (identity.c
 * adds the hash).  Apart so that the parent, which only checks the
 * Destinations and b32 names of its config, links without libcrypto:
 * mapping libcrypto costs a process 0.4 MB of relocated data.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
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
int
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

/* fills raw and the keys from the 384 key bytes and the cert */
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
	return 0;
}

int
ident_parse_keys(struct i2p_ident *id, struct rbuf *r, enum ident_kind kind,
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
ident_check_b64(const char *s, enum ident_kind kind)
{
	/* room for identities larger than ours, as ident_from_b64 */
	uint8_t			 buf[1024];
	struct i2p_ident	 id;
	struct rbuf		 r;
	int			 n;

	if ((n = b64_decode(buf, sizeof(buf), s, strlen(s))) == -1)
		return -1;
	rbuf_init(&r, buf, n);
	if (ident_parse_keys(&id, &r, kind, NULL) == -1 || rbuf_end(&r) == -1)
		return -1;
	return 0;
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
