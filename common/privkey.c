/*
 * A Destination's private key in the PrivateKeyFile format (privkey.h).
 */
#include <string.h>

#include "buf.h"
#include "crypto.h"
#include "i2pdata.h"
#include "privkey.h"

/*
 * HKDF info of the LeaseSet key of a crypto type 0 Destination.  It
 * names the derivation, so a change of it is a new label, never a
 * silent new key for every imported destination.
 */
#define LS_KEY_INFO	"i2prd LeaseSet2 X25519 v1"

static int
all_zero(const uint8_t *p, size_t len)
{
	uint8_t	acc = 0;
	size_t	i;

	for (i = 0; i < len; i++)
		acc |= p[i];
	return acc == 0;
}

/*
 * The signing key must be the Destination's.  The X25519 field need
 * not match the Destination's public key: nobody encrypts to that one
 * (privkey.h), and i2pd's keys do not match it.
 */
static int
privkey_check(const struct privkey *pk, struct i2p_err *err)
{
	uint8_t	pub[32];

	if (ed25519_public(pub, pk->sign_seed) == -1)
		return i2p_seterr(err, I2PE_INTERNAL, 0, "signing private key");
	if (pk->dest.sign_publen != sizeof(pub) ||
	    crypto_memcmp(pub, pk->dest.sign_pub, sizeof(pub)) != 0)
		return i2p_seterr(err, I2PE_MISMATCH, 0, "signing private key");
	return 0;
}

/* the fields after the Destination, which ident_parse has checked */
static int
privkey_parse_keys(struct privkey *pk, struct rbuf *r, struct i2p_err *err)
{
	if (pk->dest.sigtype != SIGTYPE_ED25519)
		return i2p_seterr(err, I2PE_SIGTYPE, pk->dest.sigtype,
		    "private key");
	pk->crypto_privlen = pk->dest.cryptotype == CRYPTOTYPE_X25519 ?
	    32 : PRIVKEY_ELGAMAL_LEN;
	if (rbuf_get_bytes(r, pk->crypto_priv, pk->crypto_privlen) == -1 ||
	    rbuf_get_bytes(r, pk->sign_seed, sizeof(pk->sign_seed)) == -1)
		return i2p_seterr(err, I2PE_TRUNCATED, 0, "private key");
	/* a zero signing key says an offline signature follows */
	if (all_zero(pk->sign_seed, sizeof(pk->sign_seed)))
		return i2p_seterr(err, I2PE_OFFLINE, 0, "private key");
	if (rbuf_end(r) == -1)
		return i2p_seterr(err, I2PE_TRAILING, 0, "private key");
	return privkey_check(pk, err);
}

int
privkey_parse(struct privkey *pk, const void *data, size_t len,
    struct i2p_err *err)
{
	struct rbuf	r;

	memset(pk, 0, sizeof(*pk));
	rbuf_init(&r, data, len);
	if (ident_parse(&pk->dest, &r, IDENT_DEST, err) == -1 ||
	    privkey_parse_keys(pk, &r, err) == -1) {
		privkey_wipe(pk);
		return -1;
	}
	return 0;
}

int
privkey_write(const struct privkey *pk, struct wbuf *w)
{
	ident_write(&pk->dest, w);
	wbuf_put_bytes(w, pk->crypto_priv, pk->crypto_privlen);
	return wbuf_put_bytes(w, pk->sign_seed, sizeof(pk->sign_seed));
}

int
privkey_build(struct privkey *pk, uint16_t cryptotype, const uint8_t seed[32],
    const uint8_t x25519[32], const uint8_t pad[32])
{
	uint8_t	sign_pub[32], x_pub[32];

	memset(pk, 0, sizeof(*pk));
	if (cryptotype != CRYPTOTYPE_ELGAMAL &&
	    (cryptotype != CRYPTOTYPE_X25519 || x25519 == NULL))
		return -1;
	if (ed25519_public(sign_pub, seed) == -1)
		return -1;
	if (cryptotype == CRYPTOTYPE_X25519 &&
	    x25519_public(x_pub, x25519) == -1)
		return -1;
	if (ident_build(&pk->dest, IDENT_DEST, cryptotype == CRYPTOTYPE_X25519 ?
	    x_pub : NULL, sign_pub, pad) == -1) {
		privkey_wipe(pk);
		return -1;
	}
	/* type 0: the unused ElGamal field stays zero (samv3.html allows) */
	pk->crypto_privlen = PRIVKEY_ELGAMAL_LEN;
	if (cryptotype == CRYPTOTYPE_X25519) {
		memcpy(pk->crypto_priv, x25519, 32);
		pk->crypto_privlen = 32;
	}
	memcpy(pk->sign_seed, seed, sizeof(pk->sign_seed));
	return 0;
}

int
privkey_ls_key(const struct privkey *pk, uint8_t priv[32], uint8_t pub[32])
{
	if (pk->dest.cryptotype == CRYPTOTYPE_X25519 &&
	    !all_zero(pk->crypto_priv, 32))
		memcpy(priv, pk->crypto_priv, 32);
	else if (hkdf_sha256(priv, 32, NULL, 0, pk->sign_seed,
	    sizeof(pk->sign_seed), LS_KEY_INFO, strlen(LS_KEY_INFO)) == -1)
		return -1;
	if (x25519_public(pub, priv) == -1) {
		crypto_wipe(priv, 32);
		return -1;
	}
	return 0;
}

void
privkey_wipe(struct privkey *pk)
{
	crypto_wipe(pk, sizeof(*pk));
}
